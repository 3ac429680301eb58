"""Plain-text articles: paragraphs separated by blank lines, one line per paragraph or hard-wrapped."""

import re

from .. import document as d
from . import lines as L

_LIST = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")


def parse(path, source: str, skip_patterns=None) -> d.Document:
    skip = L.compile_patterns(L.DEFAULT_SKIP_PATTERNS if skip_patterns is None else skip_patterns)
    doc = d.Document(path=path, text=source, format="text")
    for group in _groups(source):
        doc.blocks.extend(_blocks_of_group(source, group, skip))
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
            b = out[i]
            out[i] = d.Block(d.BYLINE, b.start, b.end, b.line, b.translate)
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


def _blocks_of_group(source, group, skip):
    # Hard-wrapped prose continues when a line does not end a sentence and the next
    # starts in lower case; otherwise each line of a group is its own block (scraped
    # pages put captions, credits and bylines on adjacent lines).
    merged = []
    for start, end, n in group:
        if merged:
            pstart, pend, pn = merged[-1]
            nxt = source[start:end].lstrip()
            if not L.is_closed(source[pstart:pend]) and nxt[:1].islower():
                merged[-1] = (pstart, end, pn)
                continue
        merged.append((start, end, n))
    alone = len(merged) == 1
    has_credit = any(L.GLUED_CREDIT.search(source[s:e]) or L.CREDIT.match(source[s:e].strip()) for s, e, _ in merged)
    for start, end, n in merged:
        yield from _blocks_of_line(source, start, end, n, alone, has_credit, skip)


def _blocks_of_line(source, start, end, n, alone, in_caption_group, skip):
    line = source[start:end]
    # Trim surrounding spaces from the span: they stay in the text between units.
    lead = len(line) - len(line.lstrip())
    start, end = start + lead, start + len(line.rstrip())
    line = source[start:end]
    m = _LIST.match(line)
    if m and not skip.search(line):
        yield d.Block(d.LIST_ITEM, start + m.end(), end, n)
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
    yield d.Block(kind, start, end, n, translate=kind != d.BOILERPLATE)
