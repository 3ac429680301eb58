"""XLIFF for CAT tools: export a PO file's entries as XLIFF 2.1 or 1.2, import the targets back.

One unit per live PO entry. The PO status maps to XLIFF state:

==============  ==========================================  ======================================
PO entry        XLIFF 2.1 ``<segment>``                     XLIFF 1.2 ``<trans-unit>``/``<target>``
==============  ==========================================  ======================================
empty msgstr    ``state="initial"``, no ``<target>``        no ``<target>``
fuzzy (draft)   ``state="initial"`` with a ``<target>``,    ``state="needs-review-translation"``
                ``subState="transflow:draft"``
reviewed        ``state="final"``                           ``approved="yes"``, ``state="final"``
==============  ==========================================  ======================================

Why ``final`` and not ``reviewed``: XLIFF 2 defines a linear workflow
initial -> translated -> reviewed -> final, where only ``final`` means "ready to
be used". gettext has a single human step: clearing the fuzzy flag makes msgfmt
compile the entry, ``transflow build --reviewed-only`` use it and ``transflow
check`` gate it, i.e. ready to be used. A PO file has no state between "a
person accepted it" and "it ships", so a cleared entry is ``final``. A draft
(machine output, or a fuzzy match after the source changed) is a target no person
has accepted yet: ``initial`` with the target in it, which is how Translate Toolkit
(and so Weblate and Pootle) reads "fuzzy"; it reads ``translated`` as done, and an MT
draft went out as such before. On import both ``reviewed`` and ``final`` clear the
fuzzy flag: a reviewer's acceptance is the only approval a PO file can record.

A plural entry (``msgid_plural``, ``msgstr[n]``) is a group of units, one per plural
form, each with the msgid (form 0) or the msgid_plural (the others) as its source: in
XLIFF 2.1 a ``<group type="x-gettext:plurals">`` with units ``N-0``, ``N-1``...; in
1.2 a ``<group restype="x-gettext-plurals">`` with trans-units ``N[0]``, ``N[1]``...,
as Translate Toolkit's po2xliff and Qt Linguist write it. The entry's data (msgctxt,
base, notes, references) sit on the group.

Import matches units to entries by msgctxt and source text, never by unit id, so a
file exported before the article changed still lands where it can; units whose source
is gone are reported. A unit that names no msgctxt (Translate Toolkit's po2xliff
drops it, so do tools that strip metadata) is matched by its source alone when one
entry has that source; when several have it ("May" the month and "May" the verb) the
unit is ambiguous, reported and not imported, and so are two units that would land
on one entry. The PO header's unit (po2xliff's ``restype="x-gettext-domain-header"``)
is skipped. Only targets, status and translator comments
travel back; references and extracted comments belong to the article and the
pipeline and stay as they are in the PO file.

HTML units' markup markers (``[1]...[/1]``, ``[2/]``) are inline codes, ``<pc>``/``<ph>``
in 2.1 and ``<g>``/``<x>`` in 1.2, with the marker number as id; import turns codes
with a number for id back into markers.

Import is a three-way merge, so that a file that comes back late never undoes work
done in the PO file meanwhile. Export records each unit's *base*: the entry's
msgstr, status and translator comment as they left. On import an entry changes only
where the file differs from its base; where the PO entry changed since the export as
well (another msgstr, status or comment) and the two disagree, the unit is a
conflict: reported, not applied. Importing the same file twice changes nothing the
second time. A file without bases (an older transflow's, another tool's) is applied
as it says, except that it never turns a reviewed entry into a draft: that is a
conflict too, since nothing tells a stale draft from a deliberate one.

Where the base lives is chosen for what CAT tools keep when they save a file:

- XLIFF 2.1: a ``<mda:metaGroup category="transflow-base">`` in the unit's
  ``<mda:metadata>`` (the Metadata module, XLIFF 2's place for a tool's own data,
  which a translator never sees). Translate Toolkit (Weblate, Pootle, Virtaal) keeps
  it through an edit and save (tests/test_xliff_merge.py does that). Okapi's XLIFF 2
  filter, which OmegaT uses for 2.x, is known to drop module and extension data it
  does not map (Okapi issues 978, 1107); such a file comes back without bases and is
  merged by the rule above.
- XLIFF 1.2: an ``<alt-trans alttranstype="previous-version" origin="transflow-base">``
  whose ``<target>`` is the base msgstr (its ``state``: ``final`` reviewed,
  ``needs-review-translation`` draft, ``new`` untranslated) and whose ``extradata``
  (1.2's attribute for "data that is not part of XLIFF") is the base comment.
  ``previous-version`` is 1.2's own word for "a former version of the target":
  OmegaT's XLIFF filter keeps every ``alt-trans`` intact, Okapi's reads only
  ``proposal`` alt-trans as candidates and keeps the others in its skeleton, and
  Translate Toolkit keeps the element; none offers it as a translation to insert.
  A ``<note>`` would have been shown to translators and read back as theirs.

XML is written with ElementTree (escaping included); a carriage return is kept
as ``&#13;`` and, in 2.1, characters XML cannot hold as ``<cp hex=".."/>``.

This module writes; xliffread.py reads a file into units (and refuses hostile ones),
xliffmerge.py brings the units back into a PO file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import polib

from . import __version__, catalog, formats, langs, placeholders
from .errors import InputError

NS2 = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
NS_GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS11 = "urn:oasis:names:tc:xliff:document:1.1"

# Format names: ``xliff21`` is the version's own name for the default.
FORMATS = {"xliff": "2.1", "xliff21": "2.1", "xliff12": "1.2"}

STATE2 = {"untranslated": "initial", "fuzzy": "initial", "reviewed": "final"}
DRAFT_SUBSTATE = "transflow:draft"
# A plural entry's group: 2.1 ``type`` (a prefix:value of the tool's), 1.2 ``restype``
# (the convention of Translate Toolkit and Qt Linguist).
PLURALS2 = "x-gettext:plurals"
PLURALS12 = "x-gettext-plurals"
HEADER12 = "x-gettext-domain-header"

# The category of the notes that carry translator comments (import reads every note
# of another category, or none, as a person's).
TRANSLATOR = "translator"
# A draft's risk (risk/) goes out as a note of category "risk" whose priority (XLIFF's
# 1 = most important to 10) says the level, so a tool can sort or filter on it.
RISK_PRIORITY = {"high": "1", "medium": "5", "low": "10"}
# The base of a unit (see the module docstring): 2.1 metaGroup category, 1.2 alt-trans origin.
BASE = "transflow-base"
BASE_STATE12 = {"reviewed": "final", "fuzzy": "needs-review-translation", "untranslated": "new"}
STATUSES = ("untranslated", "fuzzy", "reviewed")

# Characters XML 1.0 cannot carry, even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")



# ---------------------------------------------------------------- export


def status(entry: polib.POEntry) -> str:
    """``untranslated``, ``fuzzy`` or ``reviewed``, as ``transflow status`` counts them."""
    return catalog.state(entry)


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def is_plural(entry: polib.POEntry) -> bool:
    return bool(entry.msgid_plural or entry.msgstr_plural)


def _note_category(index: int, line: str) -> str:
    if line.startswith(catalog.RISK_PREFIX):
        return "risk"
    if line.startswith(catalog.PROVENANCE):
        return "provenance"
    if line.startswith(catalog.GLOSSARY_PREFIX):
        return "glossary"
    # The template's first extracted comment is the unit's kind (paragraph, heading...).
    return "kind" if index == 0 and ":" not in line else "developer"


def _fill(elem: ET.Element, text: str, cp_tag: str | None, what: str) -> None:
    """Put ``text`` in ``elem``; characters XML cannot hold become ``<cp>`` (2.1) or an error (1.2)."""
    pieces = _NOT_XML.split(text)
    if len(pieces) == 1:
        elem.text = text
        return
    if cp_tag is None:
        bad = _NOT_XML.search(text).group()
        raise InputError(f"{what}: character U+{ord(bad):04X} cannot be written in XLIFF 1.2; use --format xliff")
    elem.text = pieces[0]
    for ch, tail in zip(_NOT_XML.findall(text), pieces[1:]):
        cp = ET.SubElement(elem, cp_tag, hex=f"{ord(ch):04X}")
        cp.tail = tail


def _append(parent: ET.Element, text: str, cp_tag: str | None, what: str) -> None:
    """Add ``text`` at the end of ``parent``'s content (after its last child, if any)."""
    holder = ET.Element("x")
    _fill(holder, text, cp_tag, what)
    pieces = [holder.text or "", *holder]
    for piece in pieces:
        if isinstance(piece, str):
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + piece
            else:
                parent.text = (parent.text or "") + piece
        else:
            parent.append(piece)


def _markup(entry: polib.POEntry) -> placeholders.Table:
    """The placeholders of an HTML unit's source that stand for tags (a ``#. markup:``
    comment says the unit has some); an empty table for any other entry."""
    if not any(line.startswith(catalog.MARKUP_PREFIX) for line in catalog.comment_lines(entry)):
        return placeholders.Table()
    return placeholders.unit_table(entry.msgid)


def _fill_coded(elem: ET.Element, text: str, table: placeholders.Table, v2: bool, what: str) -> None:
    """``text`` with its markup markers as XLIFF inline codes, which CAT tools show as
    tags a translator moves but cannot break: a pair as ``<pc>`` (2.1) or ``<g>`` (1.2),
    a lone tag as ``<ph>`` or ``<x>``, each with the marker number as its id. A text
    whose markers are not well nested (a broken translation) keeps them as text."""
    cp_tag = "cp" if v2 else None
    parts = placeholders.split(text, table)
    if len(parts) == 1 or not placeholders.well_nested(parts):
        _fill(elem, text, cp_tag, what)
        return
    open_elems = [elem]
    for part in parts:
        if isinstance(part, str):
            if part:
                _append(open_elems[-1], part, cp_tag, what)
            continue
        n, role = str(part[0]), part[1]
        if role == "open":
            attrs = {"id": n, "dispStart": f"[{n}]", "dispEnd": f"[/{n}]"} if v2 else {"id": n}
            open_elems.append(ET.SubElement(open_elems[-1], "pc" if v2 else "g", attrs))
        elif role == "close":
            open_elems.pop()
        else:
            ET.SubElement(open_elems[-1], "ph" if v2 else "x", {"id": n, "disp": f"[{n}/]"} if v2 else {"id": n})


def _glossary_entries(matcher, text: str, lang: str) -> list[tuple]:
    """(term, translations, definition) for each distinct glossary term in ``text``."""
    out, seen = [], set()
    for m in matcher.find(text) if matcher else []:
        term = m.term
        if term.id in seen:
            continue
        seen.add(term.id)
        r = term.rendering(lang)
        translations = r.accepted(term.source) if r else []
        notes = [term.note] if term.note else []
        if r is not None and r.do_not_translate:
            notes.append("Do not translate.")
        if r is not None and r.forbidden:
            notes.append("Never: " + ", ".join(r.forbidden) + ".")
        definition = " ".join(notes)
        # The Glossary module requires a translation or a definition in every entry.
        if translations or definition:
            out.append((term.source, translations, definition))
    return out


def dumps(po: polib.POFile, *, source: str, target: str, original: str, fmt: str = "xliff", glossary=None) -> str:
    """The XLIFF document (``fmt``: ``xliff`` for 2.1, ``xliff12`` for 1.2) of ``po``'s live entries.

    ``original`` names the PO file (import finds the file again from its stem and
    the target language); ``glossary`` adds the terms found in each source (2.1).
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown XLIFF format {fmt!r}: use one of {', '.join(FORMATS)}")
    src, trg = _bcp47(source), _bcp47(target)
    matcher = None
    if glossary is not None and len(glossary):
        from .glossary import source_matcher

        matcher = source_matcher(glossary)
    entries = _entries(po)
    if FORMATS[fmt] == "2.1":
        root = _build2(entries, src, trg, original, matcher, langs.normalize(target))
    else:
        root = _build12(entries, src, trg, original)
    _indent(root)
    # Tags are built with literal prefixes and xmlns attributes: the core namespace is
    # the default one, as CAT tools expect, without touching ElementTree's global registry.
    body = ET.tostring(root, encoding="unicode")
    # A raw CR would reach the reader as LF (XML end-of-line handling); ElementTree
    # escapes it in attributes only.
    body = body.replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _bcp47(code: str) -> str:
    return langs.normalize(code).replace("_", "-")


def qname(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _build2(entries, src, trg, original, matcher, lang) -> ET.Element:
    root = ET.Element("xliff", {
        "xmlns": NS2, "xmlns:gls": NS_GLS, "xmlns:mda": NS_MDA,
        "version": "2.1", "srcLang": src, "trgLang": trg, "xml:space": "preserve",
    })
    # PO entries are the units of the gettext workflow: a CAT tool must not split them.
    file = ET.SubElement(root, "file", {"id": "f1", "original": original, "canResegment": "no"})
    for n, entry in enumerate(entries, 1):
        what = f"entry {entry.msgid[:40]!r}"
        plural = is_plural(entry)
        holder = ET.SubElement(file, "group" if plural else "unit", {"id": str(n), **({"type": PLURALS2} if plural else {})})
        forms = catalog.translations(entry)
        meta = ET.SubElement(holder, "mda:metadata")
        if entry.msgctxt is not None:
            group = ET.SubElement(meta, "mda:metaGroup", category="gettext")
            _fill(ET.SubElement(group, "mda:meta", type="msgctxt"), entry.msgctxt, "cp", what)
        base = ET.SubElement(meta, "mda:metaGroup", category=BASE)
        ET.SubElement(base, "mda:meta", type="state").text = status(entry)
        for form in forms:
            if form or plural:  # every form of a plural entry, so that the base knows how many
                _fill(ET.SubElement(base, "mda:meta", type="target"), form, "cp", what)
        if entry.tcomment:
            _fill(ET.SubElement(base, "mda:meta", type="comment"), entry.tcomment, "cp", what)
        if not plural:
            _glossary2(holder, matcher, formats.mask(entry.msgid, entry.flags), lang)
        _notes2(holder, entry, what)
        table = placeholders.Table() if plural else _markup(entry)
        for i, (source, form) in enumerate(zip(catalog.sources(entry), forms)):
            unit = ET.SubElement(holder, "unit", {"id": f"{n}-{i}"}) if plural else holder
            if plural:
                _glossary2(unit, matcher, formats.mask(source, entry.flags), lang)
            state = status(entry)
            segment = ET.SubElement(unit, "segment", state=STATE2[state])
            if state == "fuzzy":
                segment.set("subState", DRAFT_SUBSTATE)
            _fill_coded(ET.SubElement(segment, "source"), source, table, True, what)
            if form:  # (an untranslated plural entry may have some of its forms)
                _fill_coded(ET.SubElement(segment, "target"), form, table, True, what)
    return root


def _glossary2(unit: ET.Element, matcher, source: str, lang: str) -> None:
    terms = _glossary_entries(matcher, source, lang)
    if terms:
        gls = ET.SubElement(unit, "gls:glossary")
        for term, translations, definition in terms:
            ge = ET.SubElement(gls, "gls:glossEntry")
            ET.SubElement(ge, "gls:term", source="transflow-glossary").text = term
            for t in translations:
                ET.SubElement(ge, "gls:translation", source="transflow-glossary").text = t
            if definition:
                ET.SubElement(ge, "gls:definition").text = definition


def _notes2(holder: ET.Element, entry: polib.POEntry, what: str) -> None:
    notes = []
    for i, line in enumerate(catalog.comment_lines(entry)):
        notes.append((_note_category(i, line), line))
    if entry.previous_msgid:
        notes.append(("previous-source", entry.previous_msgid))
    for path, line in entry.occurrences:
        notes.append(("location", f"{path}:{line}" if line else path))
    for line in entry.tcomment.split("\n") if entry.tcomment else []:
        notes.append((TRANSLATOR, line))
    if notes:
        notes_el = ET.SubElement(holder, "notes")
        for category, text in notes:
            _fill(ET.SubElement(notes_el, "note", _note_attributes(category, text)), text, "cp", what)


def _note_attributes(category: str, text: str) -> dict:
    if category != "risk":
        return {"category": category}
    level = text[len(catalog.RISK_PREFIX):].partition(":")[0]
    return {"category": category, "priority": RISK_PRIORITY.get(level, "5")}


def _build12(entries, src, trg, original) -> ET.Element:
    root = ET.Element("xliff", {"xmlns": NS12, "version": "1.2"})
    file = ET.SubElement(root, "file", {
        "original": original, "source-language": src, "target-language": trg, "datatype": "po",
    })
    header = ET.SubElement(file, "header")
    ET.SubElement(header, "tool", {"tool-id": "transflow", "tool-name": "transflow", "tool-version": __version__})
    body = ET.SubElement(file, "body")
    for n, entry in enumerate(entries, 1):
        what = f"entry {entry.msgid[:40]!r}"
        state = status(entry)
        forms = catalog.translations(entry)
        if is_plural(entry):
            group = ET.SubElement(body, "group", {"id": str(n), "restype": PLURALS12})
            _context12(group, entry, what)
            for i, (source, form) in enumerate(zip(catalog.sources(entry), forms)):
                _trans_unit12(group, f"{n}[{i}]", entry, state, source, form, placeholders.Table(), what)
        else:
            unit = _trans_unit12(body, str(n), entry, state, entry.msgid, forms[0], _markup(entry), what)
            _context12(unit, entry, what)
    return root


def _trans_unit12(parent, uid, entry, state, source, form, table, what) -> ET.Element:
    unit = ET.SubElement(parent, "trans-unit", {"id": uid, "xml:space": "preserve"})
    if state == "reviewed":
        unit.set("approved", "yes")
    _fill_coded(ET.SubElement(unit, "source"), source, table, False, what)
    if form:
        target = ET.SubElement(unit, "target")
        _fill_coded(target, form, table, False, what)
        if state == "reviewed":
            target.set("state", "final")
        elif state == "untranslated":  # a form of a plural entry whose other forms are empty
            target.set("state", "needs-translation")
        else:
            target.set("state", "needs-review-translation")
            qualifier = _qualifier(entry)
            if qualifier:
                target.set("state-qualifier", qualifier)
    alt = ET.SubElement(unit, "alt-trans", {"alttranstype": "previous-version", "origin": BASE})
    if entry.tcomment:
        alt.set("extradata", entry.tcomment)  # its characters are checked as notes below
    _fill(ET.SubElement(alt, "target", state=BASE_STATE12[state]), form, None, what)
    return unit


def _context12(holder, entry, what) -> None:
    """msgctxt, references and comments of an entry, on its trans-unit or plural group.

    The context groups have no ``name``: the strict schema wants names unique in the whole
    file, and readers (ours, Translate Toolkit's) go by ``purpose`` and ``context-type``."""
    if entry.msgctxt is not None:
        group = ET.SubElement(holder, "context-group", purpose="information")
        _fill(ET.SubElement(group, "context", {"context-type": "x-po-msgctxt"}), entry.msgctxt, None, what)
    for path, line in entry.occurrences:
        group = ET.SubElement(holder, "context-group", purpose="location")
        ET.SubElement(group, "context", {"context-type": "sourcefile"}).text = path
        if line:
            ET.SubElement(group, "context", {"context-type": "linenumber"}).text = line
    for line in catalog.comment_lines(entry):
        attributes = {k: v for k, v in _note_attributes(_note_category(1, line), line).items() if k == "priority"}
        _fill(ET.SubElement(holder, "note", {"from": "developer", **attributes}), line, None, what)
    if entry.previous_msgid:
        text = "previous source: " + entry.previous_msgid
        _fill(ET.SubElement(holder, "note", {"from": "developer"}), text, None, what)
    for line in entry.tcomment.split("\n") if entry.tcomment else []:
        _fill(ET.SubElement(holder, "note", {"from": TRANSLATOR}), line, None, what)


def _qualifier(entry: polib.POEntry) -> str | None:
    lines = catalog.comment_lines(entry)
    if any(line.startswith(catalog.MT_PREFIX) for line in lines):
        return "mt-suggestion"
    if any(line.startswith(catalog.TM_PREFIX) for line in lines):
        return "leveraged-tm"
    return None


_BLOCKS = {"xliff", "file", "header", "body", "group", "unit", "trans-unit", "segment", "notes", "context-group", "alt-trans",
           "gls:glossary", "gls:glossEntry", "mda:metadata", "mda:metaGroup"}


def _indent(elem: ET.Element, level: int = 0) -> None:
    """Indent structural elements only: whitespace inside source, target or a note is content."""
    if elem.tag not in _BLOCKS or not len(elem):
        return
    pad = "\n" + "  " * (level + 1)
    elem.text = pad
    for child in elem:
        _indent(child, level + 1)
        child.tail = pad
    elem[-1].tail = "\n" + "  " * level


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
