"""XLIFF for CAT tools: export a PO file's entries as XLIFF 2.1 or 1.2, import the targets back.

One unit per live PO entry. The PO status maps to XLIFF state:

==============  =========================  ======================================
PO entry        XLIFF 2.1 ``<segment>``    XLIFF 1.2 ``<trans-unit>``/``<target>``
==============  =========================  ======================================
empty msgstr    ``state="initial"``        no ``<target>``
fuzzy (draft)   ``state="translated"``     ``state="needs-review-translation"``
reviewed        ``state="final"``          ``approved="yes"``, ``state="final"``
==============  =========================  ======================================

Why ``final`` and not ``reviewed``: XLIFF 2 defines a linear workflow
initial -> translated -> reviewed -> final, where only ``final`` means "ready to
be used". gettext has a single human step: clearing the fuzzy flag makes msgfmt
compile the entry, ``transflow build --reviewed-only`` use it and ``transflow
check`` gate it, i.e. ready to be used. A PO file has no state between "a
person accepted it" and "it ships", so a cleared entry is ``final``; a draft
(machine output, or a fuzzy match after the source changed) has been translated
but not accepted, so it is ``translated``. On import both ``reviewed`` and
``final`` clear the fuzzy flag: a reviewer's acceptance is the only approval a
PO file can record.

Import matches units to entries by source text (and msgctxt), never by unit id,
so a file exported before the article changed still lands where it can; units
whose source is gone are reported. Only targets, status and translator comments
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
Reading refuses any DOCTYPE, so no entity can be declared, expanded or fetched;
a file over :data:`MAX_BYTES`, elements nested deeper than :data:`MAX_DEPTH` and a
``<cp>`` that is not a character a PO file can hold (NUL, a surrogate) are refused
with a message, before anything is written.
"""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import __version__, catalog, langs, placeholders
from .errors import InputError

NS2 = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
NS_GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS11 = "urn:oasis:names:tc:xliff:document:1.1"

FORMATS = {"xliff": "2.1", "xliff12": "1.2"}

STATE2 = {"untranslated": "initial", "fuzzy": "translated", "reviewed": "final"}
_STATE2_ORDER = ["initial", "translated", "reviewed", "final"]
_ACCEPTED2 = {"reviewed", "final"}
_ACCEPTED12 = {"final", "signed-off"}

# Note categories (2.1) this module writes from the PO file's own data; import ignores
# them. A note of any other category, or none, is a person's and becomes a translator comment.
TRANSLATOR = "translator"
OWN_CATEGORIES = {"kind", "provenance", "glossary", "developer", "location", "previous-source", "risk"}
# A draft's risk (risk/) goes out as a note of category "risk" whose priority (XLIFF's
# 1 = most important to 10) says the level, so a tool can sort or filter on it.
RISK_PRIORITY = {"high": "1", "medium": "5", "low": "10"}
# XLIFF 1.2 `from` of notes import ignores (what export writes from extracted comments).
OWN_FROM12 = {"developer"}

# The base of a unit (see the module docstring): 2.1 metaGroup category, 1.2 alt-trans origin.
BASE = "transflow-base"
_BASE_STATE12 = {"reviewed": "final", "fuzzy": "needs-review-translation", "untranslated": "new"}
_STATUSES = ("untranslated", "fuzzy", "reviewed")

# An exported article is tens of kilobytes (2 MB for 20,000 words); parsing keeps the
# whole tree in memory, several times the file's size.
MAX_BYTES = 32 * 1024 * 1024
# XLIFF nests file, group, unit, segment, target and inline codes; a page's inline
# markup is a few levels deep. Deeper is a hostile file, not a translation.
MAX_DEPTH = 1000

# Characters XML 1.0 cannot carry, even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")



# ---------------------------------------------------------------- export


def status(entry: polib.POEntry) -> str:
    """``untranslated``, ``fuzzy`` or ``reviewed``, as ``transflow status`` counts them."""
    return catalog.state(entry)


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    entries = [e for e in po if not e.obsolete]
    for e in entries:
        if e.msgid_plural:
            raise InputError(f"line {e.linenum}: plural entries cannot be exported to XLIFF ({e.msgid!r})")
    return entries


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
    if fmt == "xliff":
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


def _q(ns: str, tag: str) -> str:
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
        unit = ET.SubElement(file, "unit", {"id": str(n)})
        meta = ET.SubElement(unit, "mda:metadata")
        if entry.msgctxt is not None:
            group = ET.SubElement(meta, "mda:metaGroup", category="gettext")
            _fill(ET.SubElement(group, "mda:meta", type="msgctxt"), entry.msgctxt, "cp", what)
        base = ET.SubElement(meta, "mda:metaGroup", category=BASE)
        ET.SubElement(base, "mda:meta", type="state").text = status(entry)
        if entry.msgstr:
            _fill(ET.SubElement(base, "mda:meta", type="target"), entry.msgstr, "cp", what)
        if entry.tcomment:
            _fill(ET.SubElement(base, "mda:meta", type="comment"), entry.tcomment, "cp", what)
        terms = _glossary_entries(matcher, entry.msgid, lang)
        if terms:
            gls = ET.SubElement(unit, "gls:glossary")
            for term, translations, definition in terms:
                ge = ET.SubElement(gls, "gls:glossEntry")
                ET.SubElement(ge, "gls:term", source="transflow-glossary").text = term
                for t in translations:
                    ET.SubElement(ge, "gls:translation", source="transflow-glossary").text = t
                if definition:
                    ET.SubElement(ge, "gls:definition").text = definition
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
            notes_el = ET.SubElement(unit, "notes")
            for category, text in notes:
                _fill(ET.SubElement(notes_el, "note", _note_attributes(category, text)), text, "cp", what)
        segment = ET.SubElement(unit, "segment", state=STATE2[status(entry)])
        table = _markup(entry)
        _fill_coded(ET.SubElement(segment, "source"), entry.msgid, table, True, what)
        if entry.msgstr:
            _fill_coded(ET.SubElement(segment, "target"), entry.msgstr, table, True, what)
    return root


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
        unit = ET.SubElement(body, "trans-unit", {"id": str(n), "xml:space": "preserve"})
        if state == "reviewed":
            unit.set("approved", "yes")
        table = _markup(entry)
        _fill_coded(ET.SubElement(unit, "source"), entry.msgid, table, False, what)
        if entry.msgstr:
            target = ET.SubElement(unit, "target")
            _fill_coded(target, entry.msgstr, table, False, what)
            if state == "reviewed":
                target.set("state", "final")
            else:
                target.set("state", "needs-review-translation")
                qualifier = _qualifier(entry)
                if qualifier:
                    target.set("state-qualifier", qualifier)
        alt = ET.SubElement(unit, "alt-trans", {"alttranstype": "previous-version", "origin": BASE})
        if entry.tcomment:
            alt.set("extradata", entry.tcomment)  # its characters are checked as notes below
        _fill(ET.SubElement(alt, "target", state=_BASE_STATE12[state]), entry.msgstr, None, what)
        if entry.msgctxt is not None:
            group = ET.SubElement(unit, "context-group", name="po-entry", purpose="information")
            _fill(ET.SubElement(group, "context", {"context-type": "x-po-msgctxt"}), entry.msgctxt, None, what)
        for path, line in entry.occurrences:
            group = ET.SubElement(unit, "context-group", name="po-reference", purpose="location")
            ET.SubElement(group, "context", {"context-type": "sourcefile"}).text = path
            if line:
                ET.SubElement(group, "context", {"context-type": "linenumber"}).text = line
        for line in catalog.comment_lines(entry):
            attributes = {k: v for k, v in _note_attributes(_note_category(1, line), line).items() if k == "priority"}
            _fill(ET.SubElement(unit, "note", {"from": "developer", **attributes}), line, None, what)
        if entry.previous_msgid:
            text = "previous source: " + entry.previous_msgid
            _fill(ET.SubElement(unit, "note", {"from": "developer"}), text, None, what)
        for line in entry.tcomment.split("\n") if entry.tcomment else []:
            _fill(ET.SubElement(unit, "note", {"from": TRANSLATOR}), line, None, what)
    return root


def _qualifier(entry: polib.POEntry) -> str | None:
    lines = catalog.comment_lines(entry)
    if any(line.startswith(catalog.MT_PREFIX) for line in lines):
        return "mt-suggestion"
    if any(line.startswith(catalog.TM_PREFIX) for line in lines):
        return "leveraged-tm"
    return None


_BLOCKS = {"xliff", "file", "header", "body", "unit", "trans-unit", "segment", "notes", "context-group", "alt-trans",
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------- import


@dataclass
class Base:
    """What a unit's PO entry was when transflow exported it."""

    target: str
    status: str  # untranslated, fuzzy or reviewed (as status() says)
    comment: str = ""

    @property
    def version(self) -> tuple[str, str]:
        return self.target, self.status


@dataclass
class Unit:
    """What import takes from one XLIFF unit."""

    id: str
    source: str
    target: str | None  # None: no target at all
    msgctxt: str | None = None
    # "reviewed", "fuzzy", or None when the file says nothing about the state.
    status: str | None = None
    # Translator notes, or None when the unit has none (a tool may drop notes).
    notes: list[str] | None = None
    # The entry as exported (None: a file from another tool or an older transflow).
    base: Base | None = None


@dataclass
class File:
    original: str | None
    source_lang: str | None
    target_lang: str | None
    units: list[Unit] = field(default_factory=list)


class _Guarded(ET.TreeBuilder):
    """Refuses a DOCTYPE (no entity can then be declared) and nesting past MAX_DEPTH."""

    def __init__(self):
        super().__init__()
        self._depth = 0

    def doctype(self, name, pubid, system):
        raise _Refused("refusing an XML document type declaration (DTD or entities); XLIFF needs none")

    def start(self, tag, attrs):
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"elements nested more than {MAX_DEPTH} deep; no XLIFF file needs that")
        return super().start(tag, attrs)

    def end(self, tag):
        self._depth -= 1
        return super().end(tag)


class _Refused(Exception):
    pass


def parse(data: bytes, name="XLIFF file") -> tuple[str, list[File]]:
    """The version (``2.x`` or ``1.x``) and files of an XLIFF document; InputError for anything else."""
    parser = ET.XMLParser(target=_Guarded())
    try:
        parser.feed(data)
        root = parser.close()
    except _Refused as e:
        raise InputError(f"{name}: {e}") from None
    except ET.ParseError as e:
        raise InputError(f"{name}: not well-formed XML: {e}") from None
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "xliff":
        raise InputError(f"{name}: not an XLIFF document (root element <{_local(root.tag)}>)")
    if ns == NS2:
        return root.get("version", "2.0"), _read2(root, name)
    if ns in (NS12, NS11, "") and root.get("version", "1.2").startswith("1."):
        return root.get("version", "1.2"), _read12(root, ns, name)
    raise InputError(f"{name}: unsupported XLIFF namespace {ns!r}")


def _code_point(child: ET.Element, where: str) -> str:
    """The character of a ``<cp hex="..">``; a PO string cannot hold NUL (gettext's
    strings end there) nor a surrogate (no UTF-8 for it)."""
    try:
        code = int(child.get("hex", ""), 16)
    except ValueError:
        code = -1
    if code <= 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise InputError(f"{where}: <cp hex={child.get('hex')!r}/> is not a character a PO file can hold "
                         f"(NUL, a surrogate or past U+10FFFF); remove it from the unit")
    return chr(code)


def _content(elem: ET.Element, where: str) -> str:
    """The text of a source or target as the PO file holds it: marks keep their text;
    inline codes with a number for id (transflow's markup markers, see _fill_coded)
    become the markers again, other codes leave their content only.

    Walks with its own stack, not recursion: nesting is bounded by MAX_DEPTH, but a
    Python call per level would still run out of stack before that."""
    out = [elem.text or ""]
    stack = [(iter(elem), "", "")]  # children to visit, text after them, the element's tail
    while stack:
        children, closing, tail = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            out += [closing, tail]
            continue
        tag = _local(child.tag)
        n = child.get("id", "")
        coded = n.isdigit() and len(n) <= 3
        if tag in ("pc", "g", "mrk"):
            paired = tag != "mrk" and coded
            out += [placeholders.open_ph(n) if paired else "", child.text or ""]
            stack.append((iter(child), placeholders.close_ph(n) if paired else "", child.tail or ""))
            continue
        if tag == "cp":
            out.append(_code_point(child, where))
        elif tag in ("ph", "x") and coded:
            out.append(placeholders.void_ph(n))
        elif tag == "sc" and coded:  # a pair a tool split into start and end codes
            out.append(placeholders.open_ph(n))
        elif tag == "ec" and child.get("startRef", "").isdigit():
            out.append(placeholders.close_ph(child.get("startRef")))
        out.append(child.tail or "")
    return "".join(out)


def _read2(root: ET.Element, name: str) -> list[File]:
    files = []
    src, trg = root.get("srcLang"), root.get("trgLang")
    for file in root.iter(_q(NS2, "file")):
        f = File(file.get("original"), src, trg)
        for unit in file.iter(_q(NS2, "unit")):
            f.units.append(_unit2(unit, name))
        files.append(f)
    return files


def _unit2(unit: ET.Element, name: str) -> Unit:
    uid = unit.get("id", "?")
    where = f"{name}: unit {uid}"
    sources, targets, states = [], [], []
    complete = True
    for part in unit:
        tag = _local(part.tag)
        if part.tag not in (_q(NS2, "segment"), _q(NS2, "ignorable")):
            continue
        source = part.find(_q(NS2, "source"))
        target = part.find(_q(NS2, "target"))
        sources.append(_content(source, where) if source is not None else "")
        if target is not None:
            targets.append(_content(target, where))
        elif tag == "ignorable":
            targets.append(sources[-1])  # whitespace between segments: the same in the target
        else:
            complete = False
        if tag == "segment" and part.get("state") is not None:
            states.append(part.get("state"))
    u = Unit(uid, "".join(sources), "".join(targets) if complete and targets else None)
    if states:
        least = min(states, key=lambda s: _STATE2_ORDER.index(s) if s in _STATE2_ORDER else 0)
        u.status = "reviewed" if least in _ACCEPTED2 else "fuzzy"
    groups = f"{_q(NS_MDA, 'metadata')}/{_q(NS_MDA, 'metaGroup')}"
    meta = unit.find(f"{groups}/{_q(NS_MDA, 'meta')}[@type='msgctxt']")
    if meta is not None:
        u.msgctxt = _content(meta, where)
    base = unit.find(f"{groups}[@category='{BASE}']")
    if base is not None:
        fields = {m.get("type"): _content(m, where) for m in base.findall(_q(NS_MDA, "meta"))}
        if fields.get("state") in _STATUSES:
            u.base = Base(fields.get("target", ""), fields["state"], fields.get("comment", ""))
    notes = [
        _content(n, where)
        for n in unit.findall(f"{_q(NS2, 'notes')}/{_q(NS2, 'note')}")
        if n.get("category") not in OWN_CATEGORIES
    ]
    u.notes = notes or None
    return u


def _read12(root: ET.Element, ns: str, name: str) -> list[File]:
    q = (lambda tag: _q(ns, tag)) if ns else (lambda tag: tag)
    files = []
    for file in root.iter(q("file")):
        f = File(file.get("original"), file.get("source-language"), file.get("target-language"))
        for unit in file.iter(q("trans-unit")):
            where = f"{name}: unit {unit.get('id', '?')}"
            source = unit.find(q("source"))
            target = unit.find(q("target"))
            u = Unit(unit.get("id", "?"), _content(source, where) if source is not None else "",
                     _content(target, where) if target is not None else None)
            approved = unit.get("approved")
            state = target.get("state") if target is not None else None
            # `approved` is 1.2's own word for acceptance; a final state counts when it is absent.
            if approved is not None:
                u.status = "reviewed" if approved == "yes" else "fuzzy"
            elif state is not None:
                u.status = "reviewed" if state in _ACCEPTED12 else "fuzzy"
            for group in unit.findall(q("context-group")):
                for context in group.findall(q("context")):
                    if context.get("context-type") == "x-po-msgctxt":
                        u.msgctxt = _content(context, where)
            for alt in unit.findall(q("alt-trans")):
                base = alt.find(q("target"))
                if alt.get("origin") == BASE and base is not None:
                    found = [s for s, v in _BASE_STATE12.items() if v == base.get("state")]
                    if found:
                        u.base = Base(_content(base, where), found[0], alt.get("extradata", ""))
            notes = [_content(n, where) for n in unit.findall(q("note")) if n.get("from") not in OWN_FROM12]
            u.notes = notes or None
            f.units.append(u)
        files.append(f)
    return files


@dataclass
class Conflict:
    """A unit changed in the XLIFF file and its entry changed in the PO file since the
    export, differently: neither side is applied."""

    unit: Unit
    what: str  # "translation" or "translator comment"
    ours: str  # the PO file's version, as a person reads it
    theirs: str  # the XLIFF file's
    reason: str = "both changed since the export"

    def describe(self) -> str:
        return (f"unit {self.unit.id} ({_shown(self.unit.source, width=40)}): {self.what} not imported, {self.reason}: "
                f"PO file {self.ours}, XLIFF file {self.theirs}")


def _shown(text: str, status: str | None = None, width: int = 50) -> str:
    short = text if len(text) <= width else text[: width - 1] + "…"
    quoted = '"' + short.replace("\n", "\\n") + '"'
    return quoted if status is None else f"{quoted} ({_STATUS_WORDS[status]})"


_STATUS_WORDS = {"untranslated": "untranslated", "fuzzy": "draft", "reviewed": "reviewed"}


@dataclass
class Result:
    """What importing one XLIFF file into one PO file did."""

    po_path: str = ""
    units: int = 0
    updated: int = 0  # msgstr replaced by a different target
    reviewed: int = 0  # entries whose fuzzy flag was cleared
    fuzzy: int = 0  # entries newly marked fuzzy
    comments: int = 0  # entries whose translator comments changed
    empty_ignored: int = 0  # empty targets that would have erased a translation
    missing: list[Unit] = field(default_factory=list)  # units whose source is not in the PO file
    conflicts: list[Conflict] = field(default_factory=list)  # units left out: see Conflict

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.reviewed or self.fuzzy or self.comments)


def apply(po: polib.POFile, units: list[Unit], po_path: str = "") -> Result:
    """Bring the units' targets, states and translator notes into ``po`` (in place).

    A unit with a base is merged three ways (see the module docstring); one without
    is applied as it says: a target differing from the msgstr replaces it and takes
    the unit's state (accepted: not fuzzy; anything else or no state: fuzzy), an
    unchanged target with an explicit state sets the fuzzy flag from it, translator
    notes replace the translator comments; but a reviewed entry is never made a
    draft. An empty target never erases a translation. Entries no unit names are
    untouched; units naming no entry are listed in ``missing``, the PO header's
    unit (empty source, as Translate Toolkit's po2xliff writes it) is skipped.
    """
    result = Result(po_path, len(units))
    index = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete and not e.msgid_plural}
    for u in units:
        if u.source == "" and u.msgctxt is None:
            result.units -= 1
            continue
        entry = index.get((u.msgctxt, u.source))
        if entry is None:
            result.missing.append(u)
            continue
        wanted = _merged(entry, u, result) if u.base is not None else _as_said(entry, u, result)
        if wanted is not None:
            _set(entry, *wanted, result)
        _comment(entry, u, result)
    if result.changed:
        po.metadata["PO-Revision-Date"] = catalog.now()
    return result


def _merged(entry: polib.POEntry, u: Unit, result: Result) -> tuple[str, str] | None:
    """The (msgstr, status) the entry should take from a unit with a base, or None."""
    base = u.base.version
    if u.target is None:
        return None  # the tool dropped the target: the file says nothing
    text = u.target
    if text == "" and base[0] != "":
        result.empty_ignored += 1
        return None
    if text == "":
        theirs = ("", "untranslated")
    elif u.status is not None:
        theirs = (text, u.status)
    else:  # no state: unchanged text keeps the base's, a changed one is a draft
        theirs = (text, base[1] if text == base[0] else "fuzzy")
    ours = (entry.msgstr, status(entry))
    if theirs == base or theirs == ours:
        return None
    if u.status is None and text == entry.msgstr:
        return None  # the same text, and the file states nothing about review
    if ours != base:
        result.conflicts.append(Conflict(u, "translation", _shown(*ours), _shown(*theirs)))
        return None
    return theirs


def _as_said(entry: polib.POEntry, u: Unit, result: Result) -> tuple[str, str] | None:
    """The (msgstr, status) a unit without a base sets, or None."""
    text, fuzzy = entry.msgstr, None
    if u.target is not None and u.target != entry.msgstr:
        if u.target == "":
            result.empty_ignored += 1
            return None
        text, fuzzy = u.target, u.status != "reviewed"
    elif u.target is not None and entry.msgstr and u.status is not None:
        fuzzy = u.status != "reviewed"
    if fuzzy is None:
        return None
    if fuzzy and catalog.is_reviewed(entry):
        result.conflicts.append(Conflict(
            u, "translation", _shown(entry.msgstr, "reviewed"), _shown(text, "fuzzy"),
            reason="a draft never replaces a reviewed entry, and this file does not say what it was exported from"))
        return None
    return text, "fuzzy" if fuzzy else "reviewed"


def _set(entry: polib.POEntry, text: str, state: str, result: Result) -> None:
    if text != entry.msgstr:
        entry.msgstr = text
        result.updated += 1
    fuzzy = state == "fuzzy"
    if not text or fuzzy == ("fuzzy" in entry.flags):
        return
    if fuzzy:
        entry.flags.insert(0, "fuzzy")
        result.fuzzy += 1
    else:
        entry.flags.remove("fuzzy")
        # As Poedit and msgmerge do: the previous msgid only explains a fuzzy entry.
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        result.reviewed += 1


def _comment(entry: polib.POEntry, u: Unit, result: Result) -> None:
    """Translator notes replace the translator comments, three ways when there is a base."""
    if u.notes is None:
        return  # no note at all: a tool may drop them, so keep the PO file's
    theirs, ours = "\n".join(u.notes), entry.tcomment or ""
    if theirs == ours:
        return
    if u.base is not None:
        if theirs == u.base.comment:
            return
        if ours != u.base.comment:
            result.conflicts.append(Conflict(u, "translator comment", _shown(ours), _shown(theirs)))
            return
    entry.tcomment = theirs
    result.comments += 1


def read_file(path) -> bytes:
    """The bytes of the XLIFF file at ``path``: a regular file of at most MAX_BYTES."""
    try:
        # O_NONBLOCK: a FIFO opens at once (to be refused) instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{path}: not a regular file; give the XLIFF file itself")
        try:
            data = f.read(MAX_BYTES + 1)
        except OSError as e:
            raise InputError(f"{path}: cannot read: {e.strerror}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MB, the most transflow imports; "
                         f"export and import one article at a time")
    return data


def import_file(path, locales, lock_timeout: float = 60.0) -> list[Result]:
    """Import the XLIFF file at ``path`` into the PO files it was exported from, under ``locales``."""
    from . import lock, pofile

    path = Path(path)
    _, files = parse(read_file(path), path)
    targets = []
    for f in files:
        if not f.original:
            raise InputError(f"{path}: a <file> has no 'original' attribute: cannot tell which PO file it belongs to")
        if not f.target_lang:
            raise InputError(f"{path}: no target language in the XLIFF file")
        po_path = catalog.po_path(locales, langs.normalize(f.target_lang), Path(f.original).stem)
        if not po_path.exists():
            raise InputError(f"{path}: {po_path} does not exist; export from it with `transflow export` first")
        targets.append((f, po_path))
    results = []
    # A translate run rewriting the same PO file meanwhile would lose one side's work.
    with lock.locked(locales, lock_timeout):
        for f, po_path in targets:
            po = pofile.load(po_path)
            result = apply(po, f.units, str(po_path))
            if result.changed:
                pofile.write(po, po_path)
            results.append(result)
    return results
