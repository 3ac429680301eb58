"""Reviewed PO files back into the article: each unit's span replaced by its translation.

Everything between units (line breaks, blank lines, Markdown markers, boilerplate)
is copied from the source as it is, so paragraphs, headings and lists keep their
structure.
"""

from dataclasses import dataclass

import polib

from .document import Document, Unit


@dataclass
class Built:
    text: str
    reviewed: int = 0
    drafts: int = 0  # fuzzy MT drafts used (or left in the source language with drafts off)
    missing: int = 0  # units with no translation at all: kept in the source language


def build(doc: Document, units: list[Unit], po: polib.POFile, allow_drafts: bool = True) -> Built:
    entries = {e.msgid: e for e in po if not e.obsolete}
    out, cursor = [], 0
    result = Built("")
    for unit in sorted(units, key=lambda u: u.start):
        out.append(doc.text[cursor:unit.start])
        out.append(_translation(unit, entries.get(unit.text), allow_drafts, result))
        cursor = unit.end
    out.append(doc.text[cursor:])
    result.text = ("\ufeff" if doc.bom else "") + "".join(out)
    return result


def _translation(unit: Unit, entry, allow_drafts: bool, result: Built) -> str:
    if entry is None or not entry.msgstr:
        result.missing += 1
        return unit.text
    if "fuzzy" in entry.flags:
        result.drafts += 1
        return entry.msgstr if allow_drafts else unit.text
    result.reviewed += 1
    return entry.msgstr
