"""Terminology: the model, YAML loading and validation, and the matcher."""

from .match import Match, Matcher, in_name, source_matcher, target_matcher
from .model import Glossary, Rendering, Term, glossary_files


def load(path) -> Glossary:
    """The glossary at ``path`` (see yamlfile.load). PyYAML, a tenth of a short run's
    start-up, is imported only when there is a file to read."""
    if not glossary_files(path):
        return Glossary()
    from . import yamlfile

    return yamlfile.load(path)


def validate(path) -> list[str]:
    """Every problem in the glossary at ``path``, as ``file:line: message`` (yamlfile.validate)."""
    from . import yamlfile

    return yamlfile.validate(path)


__all__ = ["Glossary", "Match", "Matcher", "Rendering", "Term", "glossary_files", "in_name", "load", "source_matcher",
           "target_matcher", "validate"]
