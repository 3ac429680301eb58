"""Readers turn an article file into a :class:`~transflow.document.Document` of blocks.

One module per format; :func:`read` picks by file suffix.
"""

import codecs
import importlib
from pathlib import Path

from .. import inputs
from ..document import Document
from ..errors import InputError
from .lines import SlowPattern

# Module names, imported when an article needs one (the HTML reader's html.parser
# costs a plain-text run 7 ms of start-up).
_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".xhtml": "html"}


# Byte order marks of the wide Unicode encodings, UTF-32 first (its little-endian BOM
# starts with UTF-16's). A file that starts with one is read in that encoding.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(path: Path, encoding: str | None = None) -> str:
    """The file's text, with a clear error for what cannot be an article.

    Line ends are kept as they are (CRLF stays CRLF) so spans and the built
    article match the source byte for byte. A UTF-16 or UTF-32 byte order mark
    says the encoding (``--encoding utf-16`` is then optional); UTF-16 and UTF-32
    without one need ``--encoding``.
    """
    try:
        family = codecs.lookup(encoding).name if encoding else None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    data = inputs.read_bytes(path, "an article", inputs.ARTICLE_BYTES)
    bom = next((name for mark, name in _WIDE_BOMS if data.startswith(mark)), None)
    if bom is not None:
        if family is not None and not family.startswith(("utf-16", "utf-32")):
            raise InputError(f"{path}: starts with a {bom.upper()} byte order mark, not {encoding}: "
                             f"leave --encoding out, or pass --encoding {bom}")
        if family is None or family.startswith(bom):
            encoding = bom  # the mark says the byte order, and is dropped
    wide = (encoding or "").lower().replace("_", "-").startswith(("utf-16", "utf16", "utf-32", "utf32"))
    if not wide and b"\0" in data[:8192]:
        raise InputError(f"{path}: looks like a binary file, expected a text article "
                         f"(a UTF-16 or UTF-32 text without a byte order mark needs --encoding utf-16 or utf-32)")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not valid {encoding or 'UTF-8'} at byte {e.start}: "
            f"re-save it as UTF-8 or pass --encoding (e.g. --encoding latin-1)"
        ) from None
    if wide and "\0" in text[:8192]:
        raise InputError(f"{path}: looks like a binary file, expected a text article")
    return text


def read(path, encoding: str | None = None, skip_patterns=None, content: str = "main") -> Document:
    """``content``: "main" translates only the article of a full HTML page, "all" every
    block; other formats are read whole either way."""
    path = Path(path)
    source = decode(path, encoding)
    # The BOM is not article text; remember it so a build writes it back.
    bom = source.startswith("\ufeff")
    source = source[1:] if bom else source
    if not source.strip():
        raise InputError(f"{path}: the article is empty")
    name = _BY_SUFFIX.get(path.suffix.lower(), "text")
    reader = importlib.import_module(f"{__name__}.{name}")
    options = {"content": content} if name == "html" else {}
    try:
        doc = reader.parse(path, source, skip_patterns=skip_patterns, **options)
    except SlowPattern as e:
        raise InputError(f"{path}: {e}") from None
    doc.bom = bom
    return doc
