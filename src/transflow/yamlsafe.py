"""YAML as transflow reads it: PyYAML's SafeLoader, with aliases refused while parsing.

No transflow schema (the project file, a glossary file) has a use for anchors and
aliases, and an alias is what a "billion laughs" file multiplies: 467 bytes of nested
aliases took 3.3 GB and 52 s to build into Python objects. The Composer meets each
alias as one event before anything is expanded, so refusing it there costs nothing.
"""

import yaml


class AliasNotAllowed(yaml.YAMLError):
    """The document uses an alias (``*name``); ``line`` is 1-based."""

    def __init__(self, mark):
        self.line = mark.line + 1 if mark is not None else 1
        super().__init__(f"line {self.line}: YAML aliases are not allowed")


class Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise AliasNotAllowed(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def load(text: str):
    """The document's Python value (as ``yaml.safe_load``); raises AliasNotAllowed."""
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader


def compose(text: str):
    """The document's node tree (as ``yaml.compose`` with SafeLoader); raises AliasNotAllowed."""
    return yaml.compose(text, Loader=Loader)
