"""Files a user names, read within bounds: regular files only, and never more than a size bound.

A FIFO as an article blocks the run forever, ``/dev/zero`` (or a PO file that is a
symbolic link to it) never ends: read whole, it took 3.7 GB before a MemoryError. So
the path is stat-ed before it is opened, opened without blocking and checked again
on the open file (the name may have changed in between), and read with a bound the
file's kind sets. The bounds are far above real files of each kind and far below
what would exhaust a machine's memory while the file is parsed:

- an article: :data:`ARTICLE_BYTES` (a long news article is 20-60 kB);
- a PO file: :data:`PO_BYTES` (an article's PO file is 3-4 times the article);
- a glossary file (YAML, TBX, CSV, TSV): :data:`GLOSSARY_BYTES` (10,000 terms are ~2 MB);
- the project file (``transflow.yaml``, ``pyproject.toml``): :data:`PROJECT_BYTES`.
"""

import os
import stat
from pathlib import Path

from .errors import InputError

MB = 1024 * 1024
ARTICLE_BYTES = 20 * MB
PO_BYTES = 100 * MB
GLOSSARY_BYTES = 20 * MB
PROJECT_BYTES = 1 * MB

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Refused(InputError):
    """A file that is not read: ``reason`` says why, without the path."""

    def __init__(self, path, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.1f} kB" if n >= 1024 else f"{n} bytes"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular(path, what: str) -> os.stat_result:
    """The file's status, if ``path`` (after symbolic links) is a regular file; else Refused."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise Refused(path, "no such file") from None
    except OSError as e:
        raise Refused(path, f"cannot read: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        via = " (through a symbolic link)" if path.is_symlink() else ""
        if stat.S_ISDIR(st.st_mode):
            raise Refused(path, f"is a directory{via}, expected {what}")
        raise Refused(path, f"is {_kind(st.st_mode)}{via}, not a regular file; {what} must be a regular file")
    return st


def read_bytes(path, what: str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (else Refused,
    naming the size and the bound). ``what``: "an article", "a PO file"..., for messages."""
    path = Path(path)
    check_regular(path, what)
    try:
        # O_NONBLOCK: a FIFO put in the file's place since the check opens without waiting
        # for a writer, and is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise Refused(path, f"cannot read: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(path, f"is {_kind(st.st_mode)}, not a regular file; {what} must be a regular file")
        _check_size(path, what, st.st_size, limit)
        try:
            data = f.read(limit + 1)
        except OSError as e:
            raise Refused(path, f"cannot read: {e.strerror}") from None
    _check_size(path, what, len(data), limit)  # it grew while being read
    return data


def _check_size(path, what: str, size: int, limit: int) -> None:
    if size > limit:
        raise Refused(path, f"{size_text(size)}, more than the {size_text(limit)} {what} may have; "
                            f"split it, or check that it is the file you meant")
