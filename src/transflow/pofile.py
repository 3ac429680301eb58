"""PO file reading and writing (interim: polib's own serialization)."""

from pathlib import Path

import polib

from . import atomic, posyntax
from .errors import InputError


def dumps(po: polib.POFile) -> str:
    return str(po)


def write(po: polib.POFile, path: Path) -> None:
    atomic.write_text(path, dumps(po))


def load(path) -> polib.POFile:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    posyntax.check_charset(data[:4096].decode("latin-1"), path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not valid UTF-8 at byte {e.start}") from None
    posyntax.check(text, path)
    try:
        return polib.pofile(text, wrapwidth=79, encoding="utf-8")
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: {e}") from None
