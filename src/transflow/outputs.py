"""Where a command may write the file it was asked for (``-o``): never over one of its
inputs, nor over a file transflow did not write, unless the user passes ``--force``.

``build x.txt -o x.txt`` used to replace the English source, ``build ... -o
locales/pt/LC_MESSAGES/x.po`` every translation, ``glossary export glossary/ -o
glossary/terms.yaml`` a glossary: an output path is one typo away from someone's
work. So before writing, :func:`guard` compares the output with the command's inputs
(the article, PO files, glossary files, the project file) as files, by device and
inode (the same file through ``..``, a symbolic link or a hard link is the same
file), and an output that exists must be transflow's own:

- a file transflow wrote there and nobody changed since: each write records the
  digest of the bytes under ``$XDG_CACHE_HOME/transflow/outputs/`` (the last two, so
  a write killed before its rename leaves a file that still counts as transflow's);
- or, for what only transflow generates and nobody edits (a template's
  ``X-Generator: transflow`` header, the review page's generator tag), a file that
  says so (``ours``), so that a committed POT is replaced on a fresh clone too.

An exported XLIFF file a translator then worked on, or a built article someone
polished by hand, changed since transflow wrote it: it is not replaced without
``--force``. The record is a cache: when it is gone, an output is simply not
recognised, and the message says what to pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from . import atomic
from .errors import InputError

KEEP = 2  # digests remembered per output: the file before the last write, and after


def records_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "transflow" / "outputs"


def _digest(data: bytes) -> str:
    from hashlib import blake2b

    return blake2b(data, digest_size=32).hexdigest()


def _record(path: Path) -> Path:
    return records_dir() / (_digest(os.path.realpath(path).encode("utf-8", "surrogateescape"))[:40] + ".txt")


def _recorded(path: Path) -> list[str]:
    try:
        lines = _record(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in lines[1:] if line]


def remember(path, data: bytes) -> None:
    """Record that transflow is about to write ``data`` at ``path`` (keeping the previous
    digest too). A record that cannot be written is no error: the next run asks for --force."""
    digests = [d for d in _recorded(Path(path)) if d != _digest(data)][-(KEEP - 1):] + [_digest(data)]
    try:
        atomic.write_text(_record(Path(path)), os.path.realpath(path) + "\n" + "\n".join(digests) + "\n")
    except OSError:
        pass


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def guard(path, *, inputs: Iterable[tuple[object, str]] = (), force: bool = False,
          ours: Callable[[bytes], bool] | None = None, hint: str = "pass --force to replace it, or choose another -o") -> None:
    """Refuse (InputError, exit 2) to write ``path`` over one of ``inputs`` ((path,
    what it is) pairs, e.g. ``(article, "the article")``) or over an existing file that
    is not transflow's (see the module docstring), unless ``force``."""
    if force:
        return
    path = Path(path)
    try:
        here = os.stat(path)
    except OSError:
        return  # nothing there yet (or nothing readable: the write will say why)
    for other, what in inputs:
        if other is None:
            continue
        try:
            if _same_file(here, os.stat(other)):
                raise InputError(f"{path} is {what} this command reads; {hint}")
        except OSError:
            continue
    if not os.path.isfile(path):
        raise InputError(f"{path} exists and is not a regular file; {hint}")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    if _digest(data) in _recorded(path) or (ours is not None and ours(data)):
        return
    raise InputError(f"{path} exists and transflow did not write it (or it changed since); {hint}")


def write_text(path, text: str, *, inputs: Iterable[tuple[object, str]] = (), force: bool = False,
               ours: Callable[[bytes], bool] | None = None, hint: str | None = None) -> None:
    """:func:`guard`, then write ``text`` (UTF-8) atomically and remember it as transflow's."""
    kwargs = {"hint": hint} if hint else {}
    guard(path, inputs=inputs, force=force, ours=ours, **kwargs)
    data = text.encode("utf-8")
    remember(path, data)
    atomic.write_bytes(path, data)


def generated_by_transflow(marker: bytes) -> Callable[[bytes], bool]:
    """``ours`` for files only transflow generates: ``marker`` within their first 4 KB."""
    return lambda data: marker in data[:4096]


POT = generated_by_transflow(b'"X-Generator: transflow ')
REVIEW_PAGE = generated_by_transflow(b'<meta name="generator" content="transflow ')
