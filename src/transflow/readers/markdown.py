"""Markdown articles: ATX headings, lists, block quotes and paragraphs; fenced code is never translated.

Inline markup (emphasis, links, code spans) stays inside the unit text, so a
build puts the translator's markup back as they wrote it.
"""

import re

from .. import document as d
from . import lines as L

_HEADING = re.compile(r"^ {0,3}#{1,6}\s+")
_LIST = re.compile(r"^\s*(\d+[.)]|[-*+])\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_FENCE = re.compile(r"^\s*(```|~~~)")


def parse(path, source: str, skip_patterns=None) -> d.Document:
    skip = L.compile_patterns(L.DEFAULT_SKIP_PATTERNS if skip_patterns is None else skip_patterns)
    doc = d.Document(path=path, text=source, format="markdown")
    in_fence = False
    para = None  # (start, end, line) of the paragraph being gathered

    def flush():
        nonlocal para
        if para:
            s, e, n = para
            kind = L.classify(source[s:e], False, skip)
            kind = d.PARAGRAPH if kind == d.HEADING and L.is_closed(source[s:e]) else kind
            doc.blocks.append(d.Block(kind, s, e, n, translate=kind != d.BOILERPLATE))
            para = None

    for start, end, n in L.split_lines(source):
        line = source[start:end]
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip():
            flush()
            continue
        for rx, kind in ((_HEADING, d.HEADING), (_QUOTE, d.QUOTE), (_LIST, d.LIST_ITEM)):
            m = rx.match(line)
            if m:
                flush()
                content_end = start + len(line.rstrip().rstrip("#").rstrip()) if kind == d.HEADING else start + len(line.rstrip())
                doc.blocks.append(d.Block(kind, start + m.end(), content_end, n))
                break
        else:
            if para:
                para = (para[0], start + len(line.rstrip()), para[2])
            else:
                lead = len(line) - len(line.lstrip())
                para = (start + lead, start + len(line.rstrip()), n)
    flush()
    return doc
