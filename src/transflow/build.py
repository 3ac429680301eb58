"""Reviewed PO files back into the article: each unit's span replaced by its translation.

Everything between units (line breaks, blank lines, Markdown markers, HTML tags
outside sentences, boilerplate) is copied from the source as it is, so paragraphs,
headings and lists keep their structure. A hard-wrapped plain-text paragraph with a
translation in it is re-wrapped at the width the source is wrapped at, keeping its
indentation and line ends. An HTML page's ``<html lang>`` becomes the PO file's
language once anything in it is translated. In HTML, the
placeholders of a unit (``[1]...[/1]``) become the source's tags again and the
translated words are escaped (an attribute value's quotes too); a placeholder the
translation lost, doubled, crossed or moved into a pair the source does not have it in
is put back (see ``placeholders.mend``), so the built page has the source's tags in
the source's nesting.
"""

from dataclasses import dataclass

import polib

from .document import ATTRIBUTE_KINDS, Document, Unit


@dataclass
class Built:
    text: str
    reviewed: int = 0
    drafts: int = 0  # fuzzy MT drafts used (or left in the source language with drafts off)
    missing: int = 0  # units with no translation at all: kept in the source language
    repaired: int = 0  # HTML units whose translation lost a placeholder that was put back


def build(doc: Document, units: list[Unit], po: polib.POFile, allow_drafts: bool = True) -> Built:
    entries = {e.msgid: e for e in po if not e.obsolete}
    result = Built("")
    pieces = []  # (start, end, text put there, block index, translated)
    for unit in sorted(units, key=lambda u: u.start):
        translation = _translation(unit, entries.get(unit.text), allow_drafts, result)
        pieces.append((unit.start, unit.end, _render(doc, unit, translation, result), unit.block, translation is not None))
    if doc.wrap_width:
        pieces = _rewrapped(doc, pieces)
    out, cursor = [], 0
    for start, end, text, *_ in pieces:
        out.append(doc.text[cursor:start])
        out.append(text)
        cursor = end
    out.append(doc.text[cursor:])
    text = "".join(out)
    language = po.metadata.get("Language", "").strip()
    if doc.format == "html" and language and result.reviewed + (result.drafts if allow_drafts else 0):
        from .readers import html

        # Before the first unit the page is the source's, at the same offsets.
        text = html.with_language(text, language.replace("_", "-"), within=min((u.start for u in units), default=None))
    result.text = ("\ufeff" if doc.bom else "") + text
    return result


def _rewrapped(doc: Document, pieces: list) -> list:
    """A hard-wrapped paragraph with a translation in it as one piece, re-wrapped at the
    source's width with its indentation and line ends (a translation is rarely as long
    as its source, so keeping the source's line breaks would leave ragged lines)."""
    from .readers import wrap

    out, k = [], 0
    while k < len(pieces):
        index = pieces[k][3]
        same = k
        while same < len(pieces) and pieces[same][3] == index:
            same += 1
        block, run = doc.blocks[index], pieces[k:same]
        k = same
        if not block.wrapped or not any(p[4] for p in run):
            out += run
            continue
        body, cursor = [], block.start
        for start, end, text, *_ in run:
            body += [doc.text[cursor:start], text]
            cursor = end
        body.append(doc.text[cursor:block.end])
        source = doc.text[block.start:block.end]
        line_start = doc.text.rfind("\n", 0, block.start) + 1
        second = source.split("\n")[1] if "\n" in source else ""
        rest_indent = second[:len(second) - len(second.lstrip())]
        newline = "\r\n" if "\r\n" in source else "\n"
        text = wrap.rewrap("".join(body), doc.wrap_width, wrap.columns(doc.text[line_start:block.start] + "x") - 1,
                           rest_indent, newline)
        out.append((block.start, block.end, text, index, True))
    return out


def _translation(unit: Unit, entry, allow_drafts: bool, result: Built) -> str | None:
    """The text to put in place of the unit; None keeps the source as it is."""
    if entry is None or not entry.msgstr:
        result.missing += 1
        return None
    if "fuzzy" in entry.flags:
        result.drafts += 1
        return entry.msgstr if allow_drafts else None
    result.reviewed += 1
    return entry.msgstr


def _render(doc: Document, unit: Unit, translation: str | None, result: Built) -> str:
    if translation is None:
        return doc.text[unit.start:unit.end]
    if doc.format != "html":
        return translation
    from . import placeholders
    from .readers import html

    if unit.kind in ATTRIBUTE_KINDS:
        return html.escape_attribute(translation)
    _, table = html.inline_table(doc.text, unit.start, unit.end)
    text, repaired = placeholders.fill(translation, table, html.escape, unit.text)
    result.repaired += repaired
    return text
