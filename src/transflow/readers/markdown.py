"""Markdown articles: headings (ATX and underlined), lists, block quotes, tables and
paragraphs. Fenced and indented code, front matter, thematic breaks, link
definitions and HTML comment lines are never translated.

Inline markup (emphasis, links, code spans) stays inside the unit text, so a build
puts the translator's markup back as they wrote it; before machine translation it
is turned into placeholders (``transflow.placeholders``) so the model cannot break
it. A block quote or list item continued on several lines is one block; the quote
markers of its continued lines are masked out of the unit text.
"""

import re

from .. import document as d
from .. import placeholders as ph
from . import lines as L

_HEADING = re.compile(r"^ {0,3}#{1,6}(\s+|$)")
_LIST = re.compile(r"^\s*(\d+[.)]|[-*+])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_FENCE = re.compile(r"^\s*(```|~~~)")
# A paragraph that is one image, linked or not: its words are the image's alt text.
_IMAGE_ALONE = re.compile(r"(\[)?!\[[^\]]*\]\([^)]*\)(?(1)\]\([^)]*\))")
_BREAK = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_HTML_LINE = re.compile(r"^\s*(<!--.*-->|</?[A-Za-z][^>]*>)\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_CELL = re.compile(r"(?<=\|)([^|]*)(?=\|)")
_MARKERS = re.compile(r"(?m)^[ \t]*(>[ \t]?)+")


def mask(body: str) -> str:
    """``body`` with the quote markers at the start of its lines turned into spaces."""
    return _MARKERS.sub(lambda m: " " * len(m.group()), body)


def inline_ranges(body: str) -> list[tuple[int, int]]:
    return ph.markdown_ranges(body)


def _front_matter_end(lines, source) -> int:
    """Index of the first line after a YAML front matter block (0 when there is none)."""
    if not lines or source[lines[0][0]:lines[0][1]].rstrip() != "---":
        return 0
    for k in range(1, len(lines)):
        if source[lines[k][0]:lines[k][1]].rstrip() in ("---", "..."):
            return k + 1
    return 0


def parse(path, source: str, skip_patterns=None) -> d.Document:
    skip = L.compile_patterns(L.DEFAULT_SKIP_PATTERNS if skip_patterns is None else skip_patterns)
    doc = d.Document(path=path, text=source, format="markdown")
    in_fence = False
    para = None  # [start, end, line] of the paragraph being gathered
    open_block = None  # [kind, start, end, line] of a quote or list item that may continue

    def flush():
        nonlocal para, open_block
        if para:
            s, e, n = para
            kind = L.classify(source[s:e], False, skip)
            kind = d.PARAGRAPH if kind == d.HEADING and L.is_closed(source[s:e]) else kind
            if kind != d.BOILERPLATE and _IMAGE_ALONE.fullmatch(source[s:e].strip()):
                kind = d.ALT_TEXT  # the translator sees "#. alt-text", not "#. heading"
            doc.blocks.append(d.Block(kind, s, e, n, translate=kind != d.BOILERPLATE))
            para = None
        if open_block:
            kind, s, e, n = open_block
            doc.blocks.append(d.Block(kind, s, e, n))
            open_block = None

    def last_kind():
        return doc.blocks[-1].kind if doc.blocks else None

    lines = L.split_lines(source)
    skip_until = _front_matter_end(lines, source)
    for k, (start, end, n) in enumerate(lines):
        line = source[start:end]
        if k < skip_until:
            continue
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip():
            flush()
            continue
        content_end = start + len(line.rstrip())
        if para and _SETEXT.match(line):
            s, e, pn = para
            doc.blocks.append(d.Block(d.HEADING, s, e, pn))
            para = None
            continue
        if _BREAK.match(line) or _DEFINITION.match(line) or _HTML_LINE.match(line):
            flush()
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent >= 4 and not para and not open_block and last_kind() != d.LIST_ITEM:
            continue  # indented code
        if _TABLE_ROW.match(line):
            flush()
            if not _TABLE_RULE.match(line):
                for m in _CELL.finditer(line):
                    cell = m.group(1)
                    if cell.strip():
                        lead = len(cell) - len(cell.lstrip())
                        s = start + m.start(1) + lead
                        doc.blocks.append(d.Block(d.PARAGRAPH, s, s + len(cell.strip()), n))
            continue
        m = _HEADING.match(line)
        if m:
            flush()
            text_end = start + len(line.rstrip().rstrip("#").rstrip()) if line.strip().strip("#") else start + m.end()
            if text_end > start + m.end():
                doc.blocks.append(d.Block(d.HEADING, start + m.end(), max(text_end, start + m.end()), n))
            continue
        m = _QUOTE.match(line)
        if m:
            if open_block and open_block[0] == d.QUOTE:
                open_block[2] = content_end
            else:
                flush()
                open_block = [d.QUOTE, start + m.end(), content_end, n]
            continue
        m = _LIST.match(line)
        if m:
            flush()
            open_block = [d.LIST_ITEM, start + m.end(), content_end, n]
            continue
        if open_block:
            open_block[2] = content_end  # a continued list item or a lazy quote line
        elif para:
            para[1] = content_end
        else:
            lead = len(line) - len(line.lstrip())
            para = [start + lead, content_end, n]
    flush()
    return doc
