"""Reading XLIFF 2.x and 1.x files into what import needs of each unit (xliff.py's
docstring tells how units, plural groups, bases and notes are written).

Reading refuses any DOCTYPE, so no entity can be declared, expanded or fetched; a file
over :data:`MAX_BYTES`, elements nested deeper than :data:`MAX_DEPTH` and a ``<cp>``
that is not a character a PO file can hold (NUL, a surrogate) are refused with a
message, before anything is written.
"""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from . import placeholders
from .errors import InputError
from .xliff import BASE, BASE_STATE12, HEADER12, NS2, NS11, NS12, NS_MDA, PLURALS2, PLURALS12, STATUSES, local_name, qname

_STATE2_ORDER = ["initial", "translated", "reviewed", "final"]
_ACCEPTED2 = {"reviewed", "final"}
_ACCEPTED12 = {"final", "signed-off"}

# Note categories (2.1) export writes from the PO file's own data; import ignores
# them. A note of any other category, or none, is a person's and becomes a translator comment.
OWN_CATEGORIES = {"kind", "provenance", "glossary", "developer", "location", "previous-source", "risk"}
# XLIFF 1.2 `from` of notes import ignores: what export writes from extracted comments,
# and Angular's notes for translators from the developer (its description and meaning).
OWN_FROM12 = {"developer", "description", "meaning"}

# An exported article is tens of kilobytes (2 MB for 20,000 words); parsing keeps the
# whole tree in memory, several times the file's size.
MAX_BYTES = 32 * 1024 * 1024
# XLIFF nests file, group, unit, segment, target and inline codes; a page's inline
# markup is a few levels deep. Deeper is a hostile file, not a translation.
MAX_DEPTH = 1000


@dataclass
class Base:
    """What a unit's PO entry was when transflow exported it."""

    target: str | tuple[str, ...]  # the msgstr, or a plural entry's forms
    status: str  # untranslated, fuzzy or reviewed (as status() says)
    comment: str = ""

    @property
    def version(self) -> tuple:
        return self.target, self.status


@dataclass
class Unit:
    """What import takes from one XLIFF unit, or from the group of a plural entry's units."""

    id: str
    source: str
    target: str | tuple[str, ...] | None  # None: no target at all; a tuple: plural forms
    msgctxt: str | None = None
    # "reviewed", "fuzzy", or None when the file says nothing about the state.
    status: str | None = None
    # Translator notes, or None when the unit has none (a tool may drop notes).
    notes: list[str] | None = None
    # The entry as exported (None: a file from another tool or an older transflow).
    base: Base | None = None
    source_plural: str | None = None  # the msgid_plural of a plural entry's group
    header: bool = False  # the PO header, as po2xliff writes it: not an entry


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
    if local_name(root.tag) != "xliff":
        raise InputError(f"{name}: not an XLIFF document (root element <{local_name(root.tag)}>)")
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
        tag = local_name(child.tag)
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


def _walk(file: ET.Element, unit_tag: str, group_tag: str, is_plural) -> list[tuple[ET.Element, bool]]:
    """The units of a ``<file>`` in document order, and the groups that are plural entries
    (with True), looked for through any nesting of other groups (no recursion: nesting is
    bounded by MAX_DEPTH, the Python stack is not)."""
    out = []
    stack = [iter(file)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == unit_tag:
            out.append((child, False))
        elif child.tag == group_tag:
            if is_plural(child):
                out.append((child, True))
            else:
                stack.append(iter(child))
        elif local_name(child.tag) == "body":
            stack.append(iter(child))
    return out


def _read2(root: ET.Element, name: str) -> list[File]:
    files = []
    src, trg = root.get("srcLang"), root.get("trgLang")
    for file in root.iter(qname(NS2, "file")):
        f = File(file.get("original"), src, trg)
        for elem, plural in _walk(file, qname(NS2, "unit"), qname(NS2, "group"), lambda g: g.get("type") == PLURALS2):
            f.units.append(_plural2(elem, name) if plural else _unit2(elem, name))
        files.append(f)
    return files


def _segments2(unit: ET.Element, where: str) -> tuple[str, str | None, list[str]]:
    """A 2.x unit's source, target (None if a segment has none) and segment states."""
    sources, targets, states = [], [], []
    complete = True
    for part in unit:
        tag = local_name(part.tag)
        if part.tag not in (qname(NS2, "segment"), qname(NS2, "ignorable")):
            continue
        source = part.find(qname(NS2, "source"))
        target = part.find(qname(NS2, "target"))
        sources.append(_content(source, where) if source is not None else "")
        if target is not None:
            targets.append(_content(target, where))
        elif tag == "ignorable":
            targets.append(sources[-1])  # whitespace between segments: the same in the target
        else:
            complete = False
        if tag == "segment" and part.get("state") is not None:
            states.append(part.get("state"))
    return "".join(sources), "".join(targets) if complete and targets else None, states


def _status2(states: list[str]) -> str | None:
    if not states:
        return None
    least = min(states, key=lambda s: _STATE2_ORDER.index(s) if s in _STATE2_ORDER else 0)
    return "reviewed" if least in _ACCEPTED2 else "fuzzy"


def _unit2(unit: ET.Element, name: str) -> Unit:
    uid = unit.get("id", "?")
    where = f"{name}: unit {uid}"
    source, target, states = _segments2(unit, where)
    u = Unit(uid, source, target, status=_status2(states))
    _entry_data2(unit, u, where, forms=0)
    return u


def _plural2(group: ET.Element, name: str) -> Unit:
    """One Unit for the group of a plural entry's units: form 0's source is the msgid,
    form 1's the msgid_plural; the target is every form's (None if none has one)."""
    uid = group.get("id", "?")
    where = f"{name}: group {uid}"
    forms = [_segments2(unit, f"{name}: unit {unit.get('id', '?')}") for unit in group.findall(qname(NS2, "unit"))]
    sources = [source for source, _, _ in forms] or [""]
    targets = [target for _, target, _ in forms]
    u = Unit(uid, sources[0], tuple(t or "" for t in targets) if any(t is not None for t in targets) else None,
             status=_status2([state for _, _, states in forms for state in states]),
             source_plural=sources[1] if len(sources) > 1 else sources[0])
    _entry_data2(group, u, where, forms=len(forms))
    return u


def _entry_data2(holder: ET.Element, u: Unit, where: str, forms: int) -> None:
    """msgctxt, base and translator notes from a unit's (or plural group's) metadata and notes."""
    groups = f"{qname(NS_MDA, 'metadata')}/{qname(NS_MDA, 'metaGroup')}"
    meta = holder.find(f"{groups}/{qname(NS_MDA, 'meta')}[@type='msgctxt']")
    if meta is not None:
        u.msgctxt = _content(meta, where)
    base = holder.find(f"{groups}[@category='{BASE}']")
    if base is not None:
        metas = base.findall(qname(NS_MDA, "meta"))
        fields = {m.get("type"): _content(m, where) for m in metas}
        targets = [_content(m, where) for m in metas if m.get("type") == "target"]
        if fields.get("state") in STATUSES:
            target = tuple(targets + [""] * (forms - len(targets))) if forms else fields.get("target", "")
            u.base = Base(target, fields["state"], fields.get("comment", ""))
    notes = [
        _content(n, where)
        for n in holder.findall(f"{qname(NS2, 'notes')}/{qname(NS2, 'note')}")
        if n.get("category") not in OWN_CATEGORIES
    ]
    u.notes = notes or None


def _read12(root: ET.Element, ns: str, name: str) -> list[File]:
    q = (lambda tag: qname(ns, tag)) if ns else (lambda tag: tag)
    files = []
    for file in root.iter(q("file")):
        f = File(file.get("original"), file.get("source-language"), file.get("target-language"))
        for elem, plural in _walk(file, q("trans-unit"), q("group"), lambda g: g.get("restype") == PLURALS12):
            f.units.append(_plural12(elem, q, name) if plural else _unit12(elem, q, name))
        files.append(f)
    return files


def _unit12(unit: ET.Element, q, name: str) -> Unit:
    where = f"{name}: unit {unit.get('id', '?')}"
    source, target, state, base = _trans_unit_read12(unit, q, where)
    u = Unit(unit.get("id", "?"), source, target, status=state, header=unit.get("restype") == HEADER12)
    if base is not None:
        u.base = Base(*base)
    _entry_data12(unit, u, q, where)
    return u


def _plural12(group: ET.Element, q, name: str) -> Unit:
    uid = group.get("id", "?")
    where = f"{name}: group {uid}"
    forms = [_trans_unit_read12(unit, q, f"{name}: unit {unit.get('id', '?')}") for unit in group.findall(q("trans-unit"))]
    sources = [source for source, _, _, _ in forms] or [""]
    targets = [target for _, target, _, _ in forms]
    states = {state for _, _, state, _ in forms}
    u = Unit(uid, sources[0], tuple(t or "" for t in targets) if any(t is not None for t in targets) else None,
             status="fuzzy" if "fuzzy" in states else "reviewed" if "reviewed" in states else None,
             source_plural=sources[1] if len(sources) > 1 else sources[0])
    bases = [base for _, _, _, base in forms]
    if bases and all(b is not None for b in bases):
        u.base = Base(tuple(b[0] for b in bases), bases[0][1], bases[0][2])
    # Translator notes on the group (ours), else on the first form that has some.
    for holder in [group, *group.findall(q("trans-unit"))]:
        _entry_data12(holder, u, q, where)
        if u.notes:
            break
    return u


def _trans_unit_read12(unit: ET.Element, q, where: str) -> tuple:
    """(source, target or None, status or None, (base target, status, comment) or None) of a trans-unit."""
    source = unit.find(q("source"))
    target = unit.find(q("target"))
    status = None
    approved = unit.get("approved")
    state = target.get("state") if target is not None else None
    # `approved` is 1.2's own word for acceptance; a final state counts when it is absent.
    if approved is not None:
        status = "reviewed" if approved == "yes" else "fuzzy"
    elif state is not None:
        status = "reviewed" if state in _ACCEPTED12 else "fuzzy"
    base = None
    for alt in unit.findall(q("alt-trans")):
        alt_target = alt.find(q("target"))
        if alt.get("origin") == BASE and alt_target is not None:
            found = [s for s, v in BASE_STATE12.items() if v == alt_target.get("state")]
            if found:
                base = (_content(alt_target, where), found[0], alt.get("extradata", ""))
    return (_content(source, where) if source is not None else "",
            _content(target, where) if target is not None else None, status, base)


def _entry_data12(holder: ET.Element, u: Unit, q, where: str) -> None:
    """msgctxt and translator notes of a trans-unit or plural group, added to ``u``."""
    for group in holder.findall(q("context-group")):
        for context in group.findall(q("context")):
            if context.get("context-type") == "x-po-msgctxt":
                u.msgctxt = _content(context, where)
    notes = [_content(n, where) for n in holder.findall(q("note")) if n.get("from") not in OWN_FROM12]
    if notes:
        u.notes = (u.notes or []) + notes


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
