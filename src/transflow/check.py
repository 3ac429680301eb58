"""Consistency checks of translated PO files against the glossary, as small named functions.

Each check takes an entry context and yields findings. Severity: ``error`` for a
broken rule, ``warning`` for what a reviewer should look at. Only findings in
reviewed (non-fuzzy) entries fail the gate by default; drafts are still reported.
"""

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import polib

from . import catalog, formats, langs, numbers, placeholders, pofile
from .errors import InputError
from .glossary import Glossary, in_name, source_matcher, target_matcher
from .glossary import agree as agreement


@dataclass(frozen=True)
class Finding:
    file: str
    line: int  # line of the entry's msgid in the PO file
    msgid: str
    term: str  # term id, or "" for number and markup findings
    kind: str  # missing, forbidden, dnt, agreement, inconsistent, number, markup
    severity: str  # error or warning
    fuzzy: bool
    message: str

    def text(self) -> str:
        state = " (draft)" if self.fuzzy else ""
        label = f" {self.term}:" if self.term else ""
        return f"{self.file}:{self.line}: {self.severity}: [{self.kind}]{label} {self.message}{state}"


@dataclass
class Context:
    """What the checks see of one translation: an entry's msgstr, or one plural form
    with the msgid or msgid_plural it translates."""

    path: str
    lang: str
    entry: polib.POEntry
    source: str
    translation: str
    source_lang: str
    source_matches: list
    target_matches: list
    forbidden_matches: list


def check_missing(ctx: Context):
    found = {m.term.id for m in ctx.target_matches}
    for m in _distinct_terms(ctx.source_matches):
        r = m.term.rendering(ctx.lang)
        if r is None or r.do_not_translate or m.term.id in found:
            continue
        wanted = " or ".join(repr(a) for a in r.accepted(m.term.source))
        yield "missing", "error", m.term.id, f"source has {m.text!r}, translation lacks {wanted}"


def check_forbidden(ctx: Context):
    for m in ctx.forbidden_matches:
        r = m.term.rendering(ctx.lang)
        yield "forbidden", "error", m.term.id, f"{m.text!r} is forbidden; use {r.preferred!r}"


def check_dnt(ctx: Context):
    for m in _distinct_terms(ctx.source_matches):
        r = m.term.rendering(ctx.lang)
        if r is not None and r.do_not_translate and m.term.id not in {t.term.id for t in ctx.target_matches}:
            yield "dnt", "error", m.term.id, f"{m.text!r} must stay untranslated"


def check_agreement(ctx: Context):
    """The words around each noun's rendering agree with it in gender and number (its
    determiners, adjectives and the predicate of its clause: "Os pessoas refugiadas foram
    detidos" has two), by the target language's agreement data (glossary/agree/)."""
    rules = agreement.get(ctx.lang)
    if rules is None:
        return
    source_terms = {m.term.id for m in ctx.source_matches}
    for m in ctx.target_matches:
        r = m.term.rendering(ctx.lang)
        if m.term.pos != "noun" or m.term.id not in source_terms or r is None or r.do_not_translate:
            continue
        errors, _ = rules.check(ctx.translation, m.start, m.end)
        for word in errors:
            yield "agreement", "error", m.term.id, f"{word!r} does not agree with {m.text!r} in gender or number"


def check_numbers(ctx: Context):
    source, translation = placeholders.without_markers(ctx.source, ctx.translation)
    flags = ctx.entry.flags
    lost, extra = numbers.differences(numbers.values(formats.mask(source, flags), ctx.source_lang),
                                      numbers.values(formats.mask(translation, flags), ctx.lang))
    if lost or extra:
        parts = [f"missing {', '.join(map(str, lost))}" if lost else "",
                 f"unexpected {', '.join(map(str, extra))}" if extra else ""]
        yield "number", "error", "", "numbers differ: " + "; ".join(p for p in parts if p)


def check_markup(ctx: Context):
    """The placeholders of an HTML unit ([1]...[/1], [2/]) each once and well nested, as
    pofilter's xmltags check does for tags: ``build`` would put a lost one at the edge of
    the sentence and leave a stray one in the page as text."""
    found = placeholders.problems(ctx.source, ctx.translation)
    if found:
        yield "markup", "error", "", "placeholders differ: " + "; ".join(found)


ENTRY_CHECKS = (check_missing, check_forbidden, check_dnt, check_agreement, check_numbers, check_markup)


def _distinct_terms(matches):
    seen = set()
    for m in matches:
        if m.term.id not in seen:
            seen.add(m.term.id)
            yield m


def po_files(paths) -> list[Path]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(p.rglob("*.po"))
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(f"{p}: no such PO file or directory")
    return out


def check(paths, glossary: Glossary) -> list[Finding]:
    """Findings for every translated entry of the PO files under ``paths``; a plural
    entry's forms are each checked, and a finding in one names it (``msgstr[1]: ...``).

    Glossary terms are matched outside format directives (as the entry's ``c-format``,
    ``python-format`` or ``python-brace-format`` flag declares them) and markup: the
    ``object`` of ``%(object)s`` is code, not the word."""
    smatch = source_matcher(glossary)
    findings: list[Finding] = []
    # term id -> rendering phrase -> [(finding args)], per language, for the consistency check.
    usage: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    matchers = {}
    for path in po_files(paths):
        po = pofile.load(path)
        lang = _language(po, path)
        if lang not in matchers:
            matchers[lang] = (target_matcher(glossary, lang), target_matcher(glossary, lang, "forbidden"))
        accepted, forbidden = matchers[lang]
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            fuzzy = "fuzzy" in entry.flags
            forms = catalog.translations(entry)
            for index, (source, translation) in enumerate(zip(catalog.sources(entry), forms)):
                if not translation:
                    continue
                masked, masked_translation = formats.mask(source, entry.flags), formats.mask(translation, entry.flags)
                ctx = Context(str(path), lang, entry, source, translation, glossary.source_language,
                              smatch.find(masked), accepted.find(masked_translation), forbidden.find(masked_translation))
                label = f"msgstr[{index}]: " if entry.msgid_plural or entry.msgstr_plural else ""
                for rule in ENTRY_CHECKS:
                    for kind, severity, term, message in rule(ctx):
                        findings.append(Finding(str(path), entry.linenum, entry.msgid, term, kind, severity, fuzzy,
                                                label + message))
                # A term inside a name ("the 1951 Refugee Convention") takes the name's
                # official rendering, not the desk's usual one: it sets no precedent.
                source_terms = {m.term.id for m in ctx.source_matches if not in_name(masked, m)}
                for m in ctx.target_matches:
                    if m.term.id in source_terms:
                        usage[lang][m.term.id][m.phrase].append((str(path), entry.linenum, entry.msgid, fuzzy))
    findings += _inconsistent(usage)
    return sorted(findings, key=lambda f: (f.file, f.line, f.kind, f.term))


def _inconsistent(usage):
    """A term rendered with different accepted phrases across entries and files of one language."""
    for terms in usage.values():
        for term, phrases in terms.items():
            if len(phrases) < 2:
                continue
            # The most used phrase is the desk's current choice; the others are flagged.
            ranked = sorted(phrases.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            main = ranked[0][0]
            for phrase, places in ranked[1:]:
                for path, line, msgid, fuzzy in places:
                    yield Finding(path, line, msgid, term, "inconsistent", "warning", fuzzy,
                                  f"rendered {phrase!r} here but {main!r} in {len(ranked[0][1])} other entries")


def language_of(po: polib.POFile, path: Path) -> str:
    """The PO file's language (its header, else the gettext layout's folder name)."""
    return _language(po, path)


def _language(po: polib.POFile, path: Path) -> str:
    code = po.metadata.get("Language", "").strip()
    if not code:
        # The gettext layout names the language: locales/<lang>/LC_MESSAGES/x.po
        code = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else ""
    if not code or not langs.is_valid(code):
        raise InputError(f"{path}: no valid Language in the PO header; set it, e.g. \"Language: pt\\n\"")
    return langs.normalize(code)


def gate_failed(findings, include_drafts: bool = False) -> bool:
    """Whether the CI gate fails: an error in a reviewed entry (or in any entry with include_drafts)."""
    return any(f.severity == "error" and (include_drafts or not f.fuzzy) for f in findings)


def to_json(findings) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2, sort_keys=True)


def to_text(findings) -> str:
    out, current = [], None
    for f in findings:
        if f.file != current:
            current = f.file
            out.append(f"{f.file}:")
        out.append("  " + f.text())
    return "\n".join(out)


ANNOTATION = "transflow check: "


def annotate(paths, findings) -> int:
    """Write each finding into its PO entry as a translator comment and mark the entry fuzzy,
    as pofilter --fuzzy does; nothing else in the file changes. Returns entries touched."""
    by_file = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    touched = 0
    for path, found in by_file.items():
        po = pofile.load(Path(path))
        by_line = {e.linenum: e for e in po if not e.obsolete}
        for f in found:
            entry = by_line.get(f.line)
            if entry is None:
                continue
            note = ANNOTATION + f"[{f.kind}] " + (f"{f.term}: " if f.term else "") + f.message
            lines = entry.tcomment.split("\n") if entry.tcomment else []
            if note not in lines:
                entry.tcomment = "\n".join(lines + [note])
                touched += 1
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
        pofile.write(po, Path(path))
    return touched
