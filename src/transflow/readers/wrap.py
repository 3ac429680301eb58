"""Hard-wrapped plain text: the width a text is wrapped at, which line breaks are wraps,
and re-wrapping a translated paragraph at that width.

Wire copy, e-mail, licences and RFCs break paragraphs into lines of about the same
length with no blank line between them. A line break is a wrap when the next line's
first word would not have fitted on the line (so the wrapping tool had to break
there); a short line (a heading, a line of a poem or an address, a signature) is
followed by a word that would have fitted, so its break is the writer's. A few lines
stand alone whatever their length: list items, bylines, datelines, credits and
copyright notices start a block of their own.
"""

import re

from . import lines as L

# Not enough evidence below this many lines followed by another, or when they are few
# among the text's lines (a poem's stanzas in an article of one-line paragraphs): the
# text keeps the line rules alone (readers.text), whatever its line lengths.
_MIN_INNER, _MIN_INNER_SHARE = 6, 0.4
# Nobody hard-wraps narrower (a list of short lines is not prose) or much wider.
_MIN_WIDTH, _MAX_WIDTH = 40, 200
# A wrapped text has most of its lines near the width and many breaks before a
# lower-case word (a sentence goes on); a poem's or a list's lines do not.
_FULL_SHARE, _LOWER_SHARE = 0.6, 0.2
_FULL = 0.7  # a line this share of the width or longer is "near the width"
# How much shorter than the width a line may end and still be a wrap: GNU fmt aims at
# 93% of its width and balances lines, and a paragraph edited after it was filled has
# lines that end early (GPL-3: "or (2) access to copy the" before "Corresponding").
_SLACK = 0.15

# Columns set apart by a run of spaces (an RFC's two-column header, a table row); a
# justified line spreads its words by a space or two.
COLUMN_GAP = re.compile(r"(?<=\S) {5,}(?=\S)")
# Lines that are never part of the paragraph beside them, whatever their length: a
# copyright notice, an e-mail header, a line of columns.
_APART = re.compile(
    r"^(Copyright\s+(\(C\)|©|\d{4})|©\s*\d{4}|(From|To|Cc|Bcc|Reply-To|Subject|Date|Sent):\s)|" + COLUMN_GAP.pattern,
    re.IGNORECASE)
_WORD = re.compile(r"\S+")


def columns(line: str) -> int:
    """The width of ``line`` as a terminal shows it."""
    return len(line.expandtabs().rstrip())


def indent(line: str) -> int:
    expanded = line.expandtabs()
    return len(expanded) - len(expanded.lstrip())


def width(pairs, lines: int) -> int | None:
    """The width the text is hard-wrapped at, None when it is not hard-wrapped.

    ``pairs``: (line, next line) for every non-blank line followed by a non-blank one;
    ``lines``: how many non-blank lines the text has.
    """
    pairs = [(columns(a), b.lstrip()[:1]) for a, b in pairs]
    if len(pairs) < max(_MIN_INNER, _MIN_INNER_SHARE * lines):
        return None
    lengths = sorted(n for n, _ in pairs)
    # Not the longest line: one long URL would set it.
    w = lengths[round(0.95 * (len(lengths) - 1))]
    if not _MIN_WIDTH <= w <= _MAX_WIDTH:
        return None
    full = sum(n >= _FULL * w for n in lengths) / len(lengths)
    lower = sum(c.islower() for _, c in pairs) / len(pairs)
    return w if full >= _FULL_SHARE and lower >= _LOWER_SHARE else None


def is_wrap(line: str, nxt: str, w: int) -> bool:
    """Whether the break after ``line`` is a wrap: the next line's first word would not have fitted."""
    first = _WORD.search(nxt)
    return first is not None and columns(line) + 1 + len(first.group()) > w * (1 - _SLACK)


def apart(line: str) -> bool:
    """A line never joined with the line before or after it (see _APART)."""
    return bool(_APART.search(line.strip()))


def stands_alone(line: str, skip) -> bool:
    """A line that starts a block of its own even after a full line (list items aside)."""
    text = line.strip()
    return bool(apart(text) or L.CREDIT.match(text) or L.CAPTION.match(text) or L.BYLINE.match(text)
                or L.DATE.match(text) or any(p.search(text) for p in skip))


# A word that would read as a list marker at the start of a line ("programa - para"):
# a re-read of the built article must not find a list item there.
_MARKER_WORD = re.compile(r"^(\d+[.)]|[a-z]\)|[-*•+–—]|o)$")


def rewrap(text: str, w: int, first_column: int, rest_indent: str, newline: str) -> str:
    """``text`` (a translated paragraph) as lines of at most ``w`` columns, filled
    greedily (a long word stays whole): the first starts at ``first_column`` (what
    precedes it on its line is not part of ``text``), the others with ``rest_indent``."""
    lines, line, column = [], [], first_column
    for word in text.split():
        if line and column + 1 + len(word) > w and not _MARKER_WORD.match(word):
            lines.append(" ".join(line))
            line, column = [], len(rest_indent.expandtabs())
        column += len(word) + (1 if line else 0)
        line.append(word)
    lines.append(" ".join(line))
    return (newline + rest_indent).join(lines)
