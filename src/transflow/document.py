"""The types that flow through the pipeline: a read Document, its Blocks, and the Units to translate.

Blocks and units hold character spans into ``Document.text`` (the file as read),
never altered copies, so the original can always be rebuilt and every unit can
be traced back to its line.
"""

import bisect
from dataclasses import dataclass, field
from pathlib import Path

# Kinds of block and unit. A heading, caption, byline or list item is always its own
# unit; a paragraph is split into sentences.
HEADING = "heading"
PARAGRAPH = "paragraph"
CAPTION = "caption"
CREDIT = "credit"
BYLINE = "byline"
LIST_ITEM = "list-item"
QUOTE = "quote"
BOILERPLATE = "boilerplate"
# HTML attribute values a reader sees: an image's alt text, an element's title (tooltip),
# the page's description and title for search results and link previews (<meta content>).
ALT_TEXT = "alt-text"
TOOLTIP = "tooltip"
METADATA = "metadata"
ATTRIBUTE_KINDS = frozenset({ALT_TEXT, TOOLTIP, METADATA})

# Units of these kinds are never sentence-split.
WHOLE_KINDS = frozenset({HEADING, CAPTION, CREDIT, BYLINE, LIST_ITEM, BOILERPLATE}) | ATTRIBUTE_KINDS


@dataclass(frozen=True)
class Block:
    """A structural piece of the article: its translatable text is ``text[start:end]``."""

    kind: str
    start: int
    end: int
    line: int  # 1-based line of ``start``
    translate: bool = True  # False for boilerplate a skip pattern matched
    # Lines of a hard-wrapped paragraph joined into one block (plain text): its units
    # refer to its first line, and a build re-wraps its translation (readers/wrap.py).
    wrapped: bool = False
    # HTML: the element the block's text is in (readers.html.Element: tag, classes,
    # parent...), what main-content detection (readers/maincontent.py) reads.
    element: object = None
    # Why a block is not translated, in words for `transflow segment` ("" when it is,
    # or when no reader said why).
    left_out: str = ""


@dataclass(frozen=True)
class Unit:
    """One translatable unit (a sentence, heading, caption...): one PO entry."""

    text: str
    kind: str
    block: int  # index into Document.blocks
    line: int
    start: int
    end: int


@dataclass
class Document:
    path: Path
    text: str
    format: str  # "text" or "markdown"
    blocks: list[Block] = field(default_factory=list)
    bom: bool = False  # the file started with a UTF-8 byte order mark
    wrap_width: int | None = None  # the width a hard-wrapped plain text is wrapped at
    _line_starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    def line_of(self, offset: int) -> int:
        if self._line_starts is None:
            self._line_starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        return bisect.bisect_right(self._line_starts, offset)
