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


class EnvironmentFault(TransflowError):
    """The machine refused a read or a write: a full disk, a read-only file system,
    permissions, an immutable file, a file where a folder should be. Made from the
    OSError by :meth:`of`, which names the path and says what to do."""

    @classmethod
    def of(cls, error: OSError, path=None, doing: str = "write", also: str | None = None) -> "EnvironmentFault":
        """``{path}: cannot {doing}: {what the system said} ({errno name}); {what to do}``.

        ``path``: what the user knows (the PO file, not its temporary); the error's own
        file is named too when it is another one (the folder that is in the way).
        ``also``: another way out, added after the one chosen by errno."""
        import errno as codes

        path = error.filename if path is None else path
        name = codes.errorcode.get(error.errno, "")
        what = error.strerror or str(error)
        other = error.filename
        blocker = _file_in_the_way(other) if name in ("EEXIST", "ENOTDIR") else None
        if blocker is not None:
            what = f"{blocker} is a file, not a folder"
        elif other is not None and path is not None and _elsewhere(other, path):
            what = f"{other}: {what}"
        subject = f"{path}: " if path is not None else ""
        advice = _ADVICE.get(name, _OTHER) + (f"; or {also}" if also else "")
        return cls(f"{subject}cannot {doing}: {what}{f' ({name})' if name else ''}; {advice}")


def _elsewhere(other, path) -> bool:
    """``other`` is worth naming beside ``path``: not the same, not a file inside it
    (a lock file of the folder), not a temporary written for it."""
    import os

    other, path = os.fsdecode(other), os.fsdecode(path)
    return other != path and not other.startswith(path.rstrip(os.sep) + os.sep) and not other.endswith(".tmp")


def _file_in_the_way(path):
    """The first part of ``path`` that exists and is not a folder, if any."""
    import os

    if path is None:
        return None
    here = ""
    for part in os.fsdecode(path).split(os.sep):
        here = os.path.join(here, part) if here else (part or os.sep)
        if os.path.lexists(here) and not os.path.isdir(here):
            return here
    return None


_OTHER = "check the disk and the file's permissions, then run again"
_FULL = "free some space on that disk (or raise the quota), then run again"
_IN_THE_WAY = "move it away (or rename it), then run again"
_ADVICE = {
    "ENOSPC": _FULL,
    "EDQUOT": _FULL,
    "EFBIG": "the file would be larger than this system allows a process to write (ulimit -f)",
    "EROFS": "the file system is mounted read-only: remount it read-write, or work in a copy on a writable disk",
    "EACCES": "check the owner and mode of the file and of its folder (ls -l)",
    "EPERM": "the file or its folder may be immutable or append-only (lsattr shows it, chattr -i removes it)",
    "ENOTDIR": _IN_THE_WAY,
    "EEXIST": _IN_THE_WAY,
    "EISDIR": _IN_THE_WAY,
    "EIO": "the disk reported an input/output error: check it (dmesg) and run again",
    "EMFILE": "too many files are open: raise the limit (ulimit -n) and run again",
    "ENFILE": "too many files are open on this system: close some programs and run again",
}
