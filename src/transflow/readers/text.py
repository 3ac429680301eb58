"""Plain-text articles: paragraphs separated by blank lines, one line per paragraph or hard-wrapped.

A hard-wrapped paragraph's lines are joined into one block before sentence splitting
(readers/wrap.py says which line breaks are wraps), so it gives the units the same
paragraph on one line gives.
"""

import re
from dataclasses import replace

from .. import document as d
from . import lines as L
from . import wrap

# "1.", "2)", "a)" (licences and contracts letter their items) and bullets, RFCs' "o" among them.
_LIST = re.compile(r"^\s*(\d+[.)]|[a-z]\)|[-*•]|o(?=  ))\s+")


def parse(path, source: str, skip_patterns=None) -> d.Document:
    skip = L.compile_patterns(L.DEFAULT_SKIP_PATTERNS if skip_patterns is None else skip_patterns)
    doc = d.Document(path=path, text=source, format="text")
    groups = list(_groups(source))
    pairs = [(source[a[0]:a[1]], source[b[0]:b[1]]) for g in groups for a, b in zip(g, g[1:])]
    doc.wrap_width = wrap.width(pairs, sum(map(len, groups)))
    for group in groups:
        doc.blocks.extend(_blocks_of_group(source, group, skip, doc.wrap_width))
    doc.blocks = trailing_bylines(doc.blocks)
    return doc


def trailing_bylines(blocks):
    """Heading-like lines after the article's last byline and its last prose are an author box.

    A heading heads something; a name and a one-line biography at the end of a
    scraped page ("Julian Ryall", "Julian Ryall Journalist based in ...") do not.
    """
    body = [i for i, b in enumerate(blocks) if b.kind in (d.PARAGRAPH, d.QUOTE, d.LIST_ITEM)]
    after = body[-1] + 1 if body else 0
    bylines = [i for i in range(after, len(blocks)) if blocks[i].kind == d.BYLINE]
    if not bylines:
        return blocks
    out = list(blocks)
    for i in range(bylines[0] + 1, len(out)):
        if out[i].kind == d.HEADING:
            out[i] = replace(out[i], kind=d.BYLINE)
    return out


def _groups(source):
    """Runs of non-blank lines."""
    group = []
    for start, end, n in L.split_lines(source):
        if source[start:end].strip():
            group.append((start, end, n))
        elif group:
            yield group
            group = []
    if group:
        yield group


def _blocks_of_group(source, group, skip, width):
    # Each line of a group is its own block (scraped pages put captions, credits and
    # bylines on adjacent lines) unless it continues the line before (_continues).
    texts = [source[s:e] for s, e, _ in group]
    wraps = [width is not None and wrap.is_wrap(a, b, width) for a, b in zip(texts, texts[1:])]
    # In a text not hard-wrapped, three or more short lines together are a poem's
    # stanza or an address: hard-wrapped prose would have made the text a wrapped one.
    verse = width is None and len(texts) >= 3 and max(map(wrap.columns, texts)) < _VERSE_COLUMNS
    merged = []  # [start, end, line, index of the block's first line, lines joined]
    for i, (start, end, n) in enumerate(group):
        if merged and not verse and _continues(texts, wraps, i, texts[merged[-1][3]], skip, width):
            merged[-1][1] = end
            merged[-1][4] += 1
        else:
            merged.append([start, end, n, i, 1])
    alone = len(merged) == 1
    has_credit = any(L.GLUED_CREDIT.search(source[s:e]) or L.CREDIT.match(source[s:e].strip()) for s, e, *_ in merged)
    for start, end, n, _, joined in merged:
        yield from _blocks_of_line(source, start, end, n, alone, has_credit, skip, width is not None and joined > 1)


_VERSE_COLUMNS = 60
_BULLETS = ("-", "*", "•", "o")
# What may precede a list item's text, for its continued lines' hanging indent: a
# marker ("o" and "(a)" as RFCs and licences write them), or a first word set apart
# by two spaces or more ("[BCP14]  Bradner, S.").
_MARKER = re.compile(r"^\s*((\d+[.)]|[-*•o]|\(?[A-Za-z0-9]{1,3}[.)])\s+|\S+\s{2,})")


def _continues(texts, wraps, i, head, skip, width) -> bool:
    """Whether line ``i`` of a group goes on with the line before, in the block that
    started at line ``head``."""
    a, b = texts[i - 1], texts[i]
    if width is None:
        # Prose continues when a line does not end a sentence and the next starts in lower case.
        return not L.is_closed(a) and b.lstrip()[:1].islower()
    if not wraps[i - 1] or wrap.apart(a) or wrap.apart(b):
        return False
    item, in_list = _LIST.match(b), _LIST.match(head)
    # A number can start a wrapped line ("under section\n7. This requirement"); a bullet
    # cannot, and a number after a sentence end or in a list numbered alike starts an item.
    if item and (item.group(1) in _BULLETS or L.is_closed(a)
                 or (in_list and item.group(1)[0].isdigit() == in_list.group(1)[0].isdigit())):
        return False
    if wrap.indent(b) > wrap.indent(a):
        marker = _MARKER.match(head)
        if marker is None or wrap.indent(b) != len(marker.group().expandtabs()):
            return False  # an indented line starts a paragraph, unless it is a list item's hanging indent
    elif wrap.indent(b) < wrap.indent(a) and wrap.indent(a) > wrap.indent(head):
        return False  # back from a hanging indent: the next item
    goes_on = i < len(wraps) and wraps[i]
    if wrap.stands_alone(b, skip) and not goes_on:
        return False  # a byline, dateline or credit; a long line that goes on is prose ("By contrast, ...")
    # After a sentence end, a short line that is not the start of more lines and looks
    # like a heading is one (or a signature), not the end of the paragraph.
    tail = b.strip()
    return not (L.is_closed(a) and not goes_on and tail[:1].isupper() and tail[-1] not in ",:;"
                and L.looks_like_heading(tail, alone=False))


def _blocks_of_line(source, start, end, n, alone, in_caption_group, skip, wrapped=False):
    line = source[start:end]
    # Trim surrounding spaces from the span: they stay in the text between units.
    lead = len(line) - len(line.lstrip())
    start, end = start + lead, start + len(line.rstrip())
    line = source[start:end]
    m = _LIST.match(line)
    if m and not any(p.search(line) for p in skip):
        yield d.Block(d.LIST_ITEM, start + m.end(), end, n, wrapped=wrapped)
        return
    if wrap.COLUMN_GAP.search(line):
        # Each column its own unit, so a build keeps the spaces that set them apart.
        for cell in re.finditer(r"\S+( {1,4}\S+)*", line):
            kind = L.classify(cell.group(), False, skip)
            yield d.Block(kind, start + cell.start(), start + cell.end(), n, translate=kind != d.BOILERPLATE)
        return
    glued = L.GLUED_CREDIT.search(line)
    if glued:
        cut = start + glued.start()
        yield d.Block(d.CAPTION, start, cut, n)
        yield d.Block(d.CREDIT, cut, end, n)
        return
    kind = L.classify(line, alone, skip)
    if in_caption_group and kind in (d.HEADING, d.PARAGRAPH):
        kind = d.CAPTION
    yield d.Block(kind, start, end, n, translate=kind != d.BOILERPLATE, wrapped=wrapped and kind != d.BOILERPLATE)
