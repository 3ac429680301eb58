"""Errors a user can cause, each with a message written for a person.

The CLI prints ``str(error)`` as one line on stderr and exits with ``exit_code``;
library callers can catch :class:`TransflowError` and show the same text.
"""


class TransflowError(Exception):
    """Base class: something the user can fix. Exit code 2 (bad input)."""

    exit_code = 2


class InputError(TransflowError):
    """An article, PO file or option the user gave cannot be used."""


class GlossaryError(TransflowError):
    """A glossary file cannot be loaded; ``problems`` holds every ``file:line: message``."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class LanguageError(TransflowError):
    """A language code that is not ISO 639, or that transflow cannot handle."""


class ModelNotFound(TransflowError):
    """No installed engine translates the requested pair."""


class PackageError(TransflowError):
    """A model package that cannot be installed (malformed, hostile or the wrong kind)."""


class EngineError(TransflowError):
    """An MT engine failed while loading a model or translating."""

    exit_code = 1


class BusyError(TransflowError):
    """Another run holds the locales directory."""


class Interrupted(TransflowError):
    """Ctrl-C: what was finished is written; the message says what."""

    exit_code = 130
