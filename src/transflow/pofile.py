"""PO file reading and writing (interim: polib's own serialization)."""

from pathlib import Path

import polib

from . import atomic
from .errors import InputError


def dumps(po: polib.POFile) -> str:
    return str(po)


def write(po: polib.POFile, path: Path) -> None:
    atomic.write_text(path, dumps(po))


def load(path) -> polib.POFile:
    try:
        return polib.pofile(str(path), wrapwidth=79, encoding="utf-8")
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: {e}") from None
