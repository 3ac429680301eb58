"""Reviewed PO files back into the article: each unit's span replaced by its translation.

Everything between units (line breaks, blank lines, Markdown markers, HTML tags
outside sentences, boilerplate) is copied from the source as it is, so paragraphs,
headings and lists keep their structure; only an HTML page's ``<html lang>`` changes,
to the PO file's language, once anything in it is translated. In HTML, the
placeholders of a unit (``[1]...[/1]``) become the source's tags again and the
translated words are escaped (an attribute value's quotes too); a placeholder the
translation lost is put back (see ``placeholders.repair``), so the built page has the
same tags as the source.
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
    out, cursor = [], 0
    result = Built("")
    for unit in sorted(units, key=lambda u: u.start):
        out.append(doc.text[cursor:unit.start])
        translation = _translation(unit, entries.get(unit.text), allow_drafts, result)
        out.append(_render(doc, unit, translation, result))
        cursor = unit.end
    out.append(doc.text[cursor:])
    text = "".join(out)
    language = po.metadata.get("Language", "").strip()
    if doc.format == "html" and language and result.reviewed + (result.drafts if allow_drafts else 0):
        from .readers import html

        # Before the first unit the page is the source's, at the same offsets.
        text = html.with_language(text, language.replace("_", "-"), within=min((u.start for u in units), default=None))
    result.text = ("\ufeff" if doc.bom else "") + text
    return result


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
    text, repaired = placeholders.fill(translation, table, html.escape)
    result.repaired += repaired
    return text
