"""TBX (TermBase eXchange, ISO 30042) for glossaries: TBX v3 TBX-Basic and the older TBX 2 ``martif``.

Writing. TBX v3 is the TBX-Basic dialect in DCA style::

    <tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
      ... <conceptEntry id="non-refoulement">
            <descrip type="subjectField">refugee-protection</descrip>   (the file's domain)
            <note>Principle of international law ...</note>             (the translator note)
            <langSec xml:lang="en">
              <termSec><term>non-refoulement</term>
                <termNote type="partOfSpeech">noun</termNote>
                <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
              <termSec><term>non refoulement</term> ... admittedTerm-admn-sts</termSec>   (a variant)
            <langSec xml:lang="pt"> preferred: preferredTerm, allowed: admittedTerm,
                                    forbidden: deprecatedTerm-admn-sts, plural: an admitted
                                    term with <termNote type="grammaticalNumber">plural</termNote>

``tbx2`` writes the same in the shape Translate Toolkit and Weblate read and write:
``martif/text/body/termEntry/langSet/tig/term``.

What TBX-Basic has no data category for travels as a ``<note>`` whose whole text is
one of the ``transflow:`` flags below: on the conceptEntry, ``transflow: do not
translate`` (the term is kept as written in every language) and ``transflow:
case-sensitive`` / ``transflow: not case-sensitive`` (only where the term differs from the
default: ALL-CAPS acronyms match in capitals only); on a target langSec, ``transflow: do
not translate`` marks that language's rendering as the source term itself. In ``martif``
a do-not-translate term is ``<descrip type="Translation needed">no</descrip>``, Translate
Toolkit's and Weblate's convention; reading accepts both spellings in both versions.

Reading takes TBX v3 (DCA, and DCT elements such as ``<basic:partOfSpeech>`` or
``<min:usageStatus>``) and TBX 2 (``tig`` and ``ntig``), namespaced or not. A term's status
may be TBX-Basic's ``administrativeStatus``, TBX v3's ``normativeAuthorization`` or
TBX-Min's ``usageStatus``, spelled ``preferredTerm-admn-sts`` or ``preferred``,
``admitted``, ``notRecommended``, ``obsolete``...: preferred and admitted renderings are
accepted, deprecated ones forbidden; a status value it does not know is a warning. Without
any status the first term of a language is the preferred one and the others are admitted.

Nothing is dropped silently. What a translator can use and the glossary has no field for
goes into the term's note: contexts, sources and cross-references (with the term they
belong to), notes of the target languages, the subject field of each concept when the
file's concepts have several, and source-language terms marked deprecated (a glossary
forbids renderings, not source words). A concept whose only source terms are deprecated
is imported with the first of them as its source, with a warning. Every other data
category (customer subsets, transactions, term types...) is counted and named in one
warning with the line of its first use. A language section whose ``xml:lang`` is no
language code is skipped with a warning naming its line, and the rest is imported. A
concept without ``partOfSpeech`` gets none (matching still treats it as a noun, and
nothing written from it claims one).

XML is parsed with expat and a document that declares an entity (the "billion laughs"
and external-entity attacks) is refused before anything is expanded; a DOCTYPE that only
names a DTD (as Translate Toolkit writes) is fine, nothing is fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from .. import __version__, langs
from ..errors import InputError
from .dump import default_case_sensitive
from .exchange import Concept, Read, lang_code, pos_from
from .model import Rendering, Term

NS3 = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DNT_NOTE = "transflow: do not translate"
CASE_NOTE = "transflow: case-sensitive"
NO_CASE_NOTE = "transflow: not case-sensitive"
_FLAGS = {DNT_NOTE: "dnt", CASE_NOTE: "case", NO_CASE_NOTE: "nocase"}

POS_TBX = {"noun": "noun", "proper-noun": "properNoun", "verb": "verb", "adjective": "adjective", "phrase": "other"}
STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts", "deprecated": "deprecatedTerm-admn-sts"}

# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# ------------------------------------------------------------------ safe parsing


class _Refused(Exception):
    pass


def parse_xml(data: bytes, name: str) -> tuple[ET.Element, dict]:
    """The root element and each element's line; InputError for hostile or broken XML."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    lines: dict[ET.Element, int] = {}

    def qname(n: str) -> str:
        return "{" + n if "}" in n else n

    def start(tag, attrs):
        element = builder.start(qname(tag), {qname(k): v for k, v in attrs.items()})
        lines[element] = parser.CurrentLineNumber

    def refuse(*_):
        raise _Refused(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(qname(tag))
    parser.CharacterDataHandler = builder.data
    # Entities can only be declared in a DTD; refusing every declaration (and any
    # reference to an entity the parser does not know) stops expansion bombs and
    # external entities before they start. A DOCTYPE that only names a DTD is harmless.
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SkippedEntityHandler = refuse
    try:
        parser.Parse(data, True)
    except _Refused as e:
        raise InputError(f"{name}:{e.args[0]}: refusing an XML entity declaration or reference; a TBX file needs none") from None
    except expat.ExpatError as e:
        raise InputError(f"{name}:{e.lineno}: not well-formed XML: {expat.ErrorString(e.code)} (column {e.offset + 1})") from None
    return builder.close(), lines


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element) -> str:
    """The element's text with its inline markup dropped and whitespace runs made one space."""
    return " ".join("".join(element.itertext()).split())


def _note_text(element) -> str:
    """A note's text, keeping its line breaks (each line's own whitespace tidied)."""
    lines = (" ".join(line.split()) for line in "".join(element.itertext()).splitlines())
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------------ reading

_STATUS_WORDS = {
    "preferred": "preferred", "standardized": "preferred", "legal": "preferred", "regulated": "preferred",
    "admitted": "admitted", "allowed": "admitted", "permitted": "admitted",
    "deprecated": "deprecated", "superseded": "deprecated", "forbidden": "deprecated",
    "notrecommended": "deprecated", "obsolete": "deprecated",
}


def _status(text: str) -> str | None:
    word = re.sub(r"(term)?(admnsts)?$", "", re.sub(r"[\s_-]+", "", text).lower())
    return _STATUS_WORDS.get(word)


def _category(element) -> tuple[str, str]:
    """(data category, its text) of a termNote/descrip/admin/note or a DCT element."""
    local = _local(element.tag)
    if local in ("termNote", "descrip", "admin"):
        return element.get("type", "").strip(), _text(element)
    if local in ("transac", "ref", "adminNote", "descripNote", "transacNote") and element.get("type"):
        return element.get("type", "").strip(), _text(element)
    return local, _text(element)


def _aux(element, skip=()):
    """Auxiliary elements of a concept or language level, not descending into ``skip`` levels."""
    for child in element:
        local = _local(child.tag)
        if local in skip:
            continue
        if local.endswith("Grp"):
            yield from _aux(child, skip)
        else:
            yield child


_LEVELS = ("langSec", "langSet", "termSec", "tig", "ntig")


# Data categories a term's status can be given in: TBX-Basic's administrativeStatus,
# TBX v3's normativeAuthorization, TBX-Min's usageStatus (and termStatus, its older name).
STATUS_CATEGORIES = ("administrativeStatus", "normativeAuthorization", "usageStatus", "termStatus")
# Data categories kept in the term's note, with the label they get there.
_KEPT = {"context": "Context", "source": "Source", "crossReference": "See also", "xref": "See also", "ref": "See also"}
# What is structure or mapped elsewhere, never reported as left out.
_STRUCTURE = {"term", "note", "descrip", "admin", "termNote", "definition", "subjectField", "partOfSpeech",
              "grammaticalNumber", *STATUS_CATEGORIES}


@dataclass
class _Reading:
    """What reading one file collects beside its concepts: warnings and what was left out."""

    name: str
    warnings: list[str] = field(default_factory=list)
    left_out: dict[str, list[int]] = field(default_factory=dict)  # data category -> lines

    def leave_out(self, category: str, line: int) -> None:
        self.left_out.setdefault(category, []).append(line)

    def summary(self) -> list[str]:
        out = []
        for category, lines in self.left_out.items():
            count = len(lines)
            out.append(f"{self.name}:{lines[0]}: {count} {category!r} value{'s' if count != 1 else ''} not imported "
                       f"(transflow's glossary has no field for {'them' if count != 1 else 'it'})")
        return out


def read(data: bytes, name: str, *, source: str | None = None, target: str | None = None) -> Read:
    root, lines = parse_xml(data, name)
    kind = _local(root.tag)
    if kind not in ("tbx", "martif"):
        raise InputError(f"{name}: not a TBX file: the root element is <{kind}>, not <tbx> (TBX v3) or <martif> (TBX 2)")
    label = "TBX v3" if kind == "tbx" else "TBX 2"
    declared = root.get(XML_LANG) or root.get("lang")
    src = source or (lang_code(declared, f"{name}:{lines.get(root, 1)}") if declared else "en")
    found = Read(kind=label, source_language=src, concepts=[])
    reading = _Reading(name)
    domains = []
    for entry in root.iter():
        if _local(entry.tag) not in ("conceptEntry", "termEntry"):
            continue
        concept, domain = _concept(entry, lines, src, target, reading)
        if concept:
            domains.append((concept, domain))
    if domains and all(d == domains[0][1] for _, d in domains):
        found.domain = domains[0][1]
    else:
        # Concepts of several subject fields: each keeps its own in its note.
        for concept, domain in domains:
            if domain:
                concept.note = "\n".join(n for n in (concept.note, f"Subject field: {domain}") if n)
    found.concepts = [concept for concept, _ in domains]
    found.warnings = reading.warnings + reading.summary()
    return found


def _concept(entry, lines, src, target, reading: _Reading):
    name = reading.name
    line = lines.get(entry, 0)
    notes, flags, pos, domain = [], set(), None, None
    for element in _aux(entry, skip=_LEVELS):
        category, text = _category(element)
        if _local(element.tag) == "note":
            flag = _FLAGS.get(" ".join(text.lower().split()))
            if flag:
                flags.add(flag)
            else:
                notes.append(_note_text(element))
        elif category.lower() == "translation needed":
            if text.lower() == "no":
                flags.add("dnt")
        elif category in ("definition", "") and _local(element.tag) in ("descrip", "definition"):
            notes.append(_note_text(element))
        elif category == "subjectField":
            domain = text
        elif category in ("partOfSpeech", "") and _local(element.tag) in ("termNote", "partOfSpeech"):
            pos = pos or pos_from(text)
        else:
            _keep_or_leave_out(element, category, text, notes, reading, lines, line)

    by_lang: dict[str, list] = {}
    lang_flags: dict[str, set] = {}
    for section in entry:
        if _local(section.tag) not in ("langSec", "langSet"):
            continue
        section_line = lines.get(section, line)
        where = f"{name}:{section_line}"
        code = section.get(XML_LANG) or section.get("lang")
        try:
            lang = lang_code(code or "", where)
        except InputError:
            said = f"with xml:lang {code!r}, not a language code" if code else "without xml:lang"
            reading.warnings.append(f"{where}: <{_local(section.tag)}> {said}; its terms are skipped")
            continue
        is_source = langs.base(lang) == langs.base(src)
        if not is_source and target and langs.base(lang) != langs.base(target):
            continue
        key = src if is_source else lang
        for element in _aux(section, skip=_LEVELS):
            category, text = _category(element)
            if _local(element.tag) == "note" and _FLAGS.get(" ".join(text.lower().split())) == "dnt":
                lang_flags.setdefault(key, set()).add("dnt")
            elif _local(element.tag) == "note" or (category in ("definition", "") and _local(element.tag) in ("descrip", "definition")):
                notes.append(_note_text(element) if is_source else f"{lang}: {_note_text(element)}")
            else:
                _keep_or_leave_out(element, category, text, notes, reading, lines, section_line)
        for group in section:
            if _local(group.tag) not in ("termSec", "tig", "ntig"):
                continue
            term_element = next((e for e in group.iter() if _local(e.tag) == "term"), None)
            text = _text(term_element) if term_element is not None else ""
            if not text:
                continue
            group_line = lines.get(group, section_line)
            status, term_pos, plural = None, None, False
            for element in group.iter():
                category, value = _category(element)
                local = _local(element.tag)
                if category in STATUS_CATEGORIES:
                    status = status or _status(value)
                    if _status(value) is None:
                        reading.warnings.append(f"{name}:{lines.get(element, group_line)}: {category} {value!r} of {text!r} "
                                                f"is not a status transflow knows (preferred, admitted, deprecated...); "
                                                f"read as no status")
                elif category == "partOfSpeech":
                    term_pos = term_pos or pos_from(value)
                elif category == "grammaticalNumber":
                    plural = value.strip().lower() == "plural"
                elif local == "note" or category == "definition":
                    notes.append(f"{text}: {_note_text(element)}")
                elif local not in ("term", "termSec", "tig", "ntig", "termGrp", "termNoteGrp") and not local.endswith("Grp"):
                    _keep_or_leave_out(element, category, value, notes, reading, lines, group_line, term=text)
            by_lang.setdefault(key, []).append((text, "plural" if plural and status != "deprecated" else status, term_pos))

    source_terms = [t for t in by_lang.pop(src, []) if t[1] != "plural"]  # matching knows English plurals
    usable = [t for t in source_terms if t[1] != "deprecated"]
    deprecated = [t[0] for t in source_terms if t[1] == "deprecated"]
    if not usable and deprecated:
        # Its only source terms are obsolete: text still uses them, and the renderings apply.
        reading.warnings.append(f"{name}:{line}: concept has only deprecated {src} terms ({', '.join(map(repr, deprecated))}); "
                                f"imported with {deprecated[0]!r} as its source")
        usable, deprecated = [(deprecated[0], None, None)], deprecated[1:]
    if not usable:
        reading.warnings.append(f"{name}:{line}: concept has no {src} term; skipped")
        return None, domain
    if deprecated:
        # transflow's glossary forbids renderings, not source words: the desk's advice stays in the note.
        notes.append(f"Deprecated ({src}): {', '.join(deprecated)}")
    first = next((t for t in usable if t[1] == "preferred"), usable[0])
    concept = Concept(
        line=line,
        source=first[0],
        variants=[t[0] for t in usable if t is not first],
        pos=pos or first[2],
        note="\n".join(dict.fromkeys(n for n in notes if n)),
        do_not_translate="dnt" in flags,
        case_sensitive=True if "case" in flags else False if "nocase" in flags else None,
    )
    for lang, found in by_lang.items():
        concept.translations[lang] = _rendering(found, "dnt" in lang_flags.get(lang, ()))
    return concept, domain


def _keep_or_leave_out(element, category, text, notes, reading: _Reading, lines, line, term=None) -> None:
    """A data category with no field of its own: into the note if a translator can use it
    (context, source, cross-reference), else counted as left out for the warnings."""
    local = _local(element.tag)
    label = _KEPT.get(category) or _KEPT.get(local)
    if label:
        value = text or element.get("target", "")
        if value:
            notes.append(f"{label}{f' ({term})' if term else ''}: {value}")
        return
    if local in _STRUCTURE and not category:
        return
    if len(element) and not text:
        return  # a container
    reading.leave_out(category or local, lines.get(element, line))


def _rendering(found, dnt: bool) -> Rendering:
    plural = next((t[0] for t in found if t[1] == "plural"), None)
    usable = [t for t in found if t[1] not in ("deprecated", "plural")]
    preferred = next((t for t in usable if t[1] == "preferred"), usable[0] if usable else None)
    return Rendering(
        preferred=preferred[0] if preferred else None,
        allowed=[t[0] for t in usable if t is not preferred],
        forbidden=[t[0] for t in found if t[1] == "deprecated"],
        do_not_translate=dnt,
        plural=plural,
    )


# ------------------------------------------------------------------ writing


def _sub(parent, tag, text=None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {XML_LANG if k == "xml_lang" else k: v for k, v in attrs.items()})
    if text is not None:
        bad = _NOT_XML.search(text)
        if bad:
            raise InputError(f"{text!r} holds the control character U+{ord(bad.group()):04X}, which XML cannot hold")
        element.text = text
    return element


def _bcp47(code: str) -> str:
    return langs.normalize(code).replace("_", "-")


def _concept_id(term_id: str) -> str:
    # An xml:id must be an XML name: start with a letter or "_", no spaces.
    return term_id if re.fullmatch(r"[^\W\d][\w.-]*", term_id) else "_" + re.sub(r"[^\w.-]", "_", term_id)


def _renderings(term: Term, targets) -> dict[str, Rendering]:
    if targets is None:
        return dict(term.translations)
    out = {}
    for lang in targets:
        r = term.translations.get(lang) or term.translations.get(langs.base(lang))
        if r is not None:
            out[lang] = r
    return out


def dumps(terms, *, source_language="en", targets=None, version=3, domains=None) -> tuple[str, int, list[str]]:
    """The TBX text for ``terms``, how many terms it holds and its target languages.

    ``targets``: only these languages (None: every language of the glossary); a term
    without one of them is left out unless it is do-not-translate.
    """
    domains = domains or {}
    v3 = version == 3
    names = {
        "entry": "conceptEntry" if v3 else "termEntry",
        "lang": "langSec" if v3 else "langSet",
        "term": "termSec" if v3 else "tig",
    }
    if v3:
        root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: _bcp47(source_language), "xmlns": NS3})
        header = _sub(root, "tbxHeader")
    else:
        root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: _bcp47(source_language)})
        header = _sub(root, "martifHeader")
    file_desc = _sub(header, "fileDesc")
    title = ", ".join(dict.fromkeys(domains.values()))
    if title:
        _sub(_sub(file_desc, "titleStmt"), "title", title)
    _sub(_sub(file_desc, "sourceDesc"), "p", f"Exported by transflow {__version__} from its glossary YAML")
    body = _sub(_sub(root, "text"), "body")
    count, written = 0, []
    for term in terms:
        renderings = _renderings(term, targets)
        if targets is not None and not renderings and not term.do_not_translate:
            continue
        count += 1
        entry = _sub(body, names["entry"], id=_concept_id(term.id))
        domain = domains.get(term.origin.rsplit(":", 1)[0])
        if domain:
            _sub(entry, "descrip", domain, type="subjectField")
        if term.note:
            _sub(entry, "note", term.note)
        if term.do_not_translate:
            if v3:
                _sub(entry, "note", DNT_NOTE)
            else:
                _sub(entry, "descrip", "no", type="Translation needed")
        if term.case_sensitive != default_case_sensitive(term.source):
            _sub(entry, "note", CASE_NOTE if term.case_sensitive else NO_CASE_NOTE)
        pos = POS_TBX.get(term.pos, "noun") if term.pos_given else None
        section = _sub(entry, names["lang"], xml_lang=_bcp47(source_language))
        _term(section, names["term"], term.source, pos, "preferred")
        for variant in term.variants:
            _term(section, names["term"], variant, pos, "admitted")
        for lang, r in renderings.items():
            if lang not in written:
                written.append(lang)
            section = _sub(entry, names["lang"], xml_lang=_bcp47(lang))
            if r.do_not_translate:
                _sub(section, "note", DNT_NOTE)
            _term(section, names["term"], r.preferred or term.source, pos, "preferred")
            if r.plural:
                _term(section, names["term"], r.plural, pos, "admitted", plural=True)
            for allowed in r.allowed:
                _term(section, names["term"], allowed, pos, "admitted")
            for forbidden in r.forbidden:
                _term(section, names["term"], forbidden, pos, "deprecated")
    ET.indent(root, "  ")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return text, count, written


def _term(section, tag, text, pos, status, plural=False) -> None:
    group = _sub(section, tag)
    _sub(group, "term", text)
    if pos is not None:
        _sub(group, "termNote", pos, type="partOfSpeech")
    if plural:
        _sub(group, "termNote", "plural", type="grammaticalNumber")
    _sub(group, "termNote", STATUS[status], type="administrativeStatus")
