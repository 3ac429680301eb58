"""Readers turn an article file into a :class:`~transflow.document.Document` of blocks.

One module per format; :func:`read` picks by file suffix.
"""

import importlib
from pathlib import Path

from .. import inputs
from ..document import Document
from ..errors import InputError

# Module names, imported when an article needs one (the HTML reader's html.parser
# costs a plain-text run 7 ms of start-up).
_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".xhtml": "html"}


def decode(path: Path, encoding: str | None = None) -> str:
    """The file's text, with a clear error for what cannot be an article.

    Line ends are kept as they are (CRLF stays CRLF) so spans and the built
    article match the source byte for byte.
    """
    data = inputs.read_bytes(path, "an article", inputs.ARTICLE_BYTES)
    if b"\0" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, expected a text article")
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not valid {encoding or 'UTF-8'} at byte {e.start}: "
            f"re-save it as UTF-8 or pass --encoding (e.g. --encoding latin-1)"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None


def read(path, encoding: str | None = None, skip_patterns=None) -> Document:
    path = Path(path)
    source = decode(path, encoding)
    # The BOM is not article text; remember it so a build writes it back.
    bom = source.startswith("\ufeff")
    source = source[1:] if bom else source
    if not source.strip():
        raise InputError(f"{path}: the article is empty")
    reader = importlib.import_module(f"{__name__}.{_BY_SUFFIX.get(path.suffix.lower(), 'text')}")
    doc = reader.parse(path, source, skip_patterns=skip_patterns)
    doc.bom = bom
    return doc
