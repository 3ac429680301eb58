"""Glossary exchange: export a glossary as TBX or CSV/TSV, import one of those as glossary YAML.

The readers (``tbx.read``, ``tabular.read``) turn a file into :class:`Concept` records;
:func:`assemble` makes transflow terms of them: ids from the source term (a slug,
deduplicated), and every conflict the loader would refuse (a source form another term
has, a rendering both allowed and forbidden, a language without a preferred rendering)
resolved by leaving that piece out with a warning, so the written file always validates.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import atomic, inputs, langs, yamlsafe
from ..errors import GlossaryError, InputError, LanguageError
from . import dump, inflect
from .model import POS_VALUES, Rendering, Term, glossary_files
from .yamlfile import load, validate

FORMATS = ("tbx", "tbx2", "csv", "tsv")
LABELS = {"tbx": "TBX v3 (TBX-Basic)", "tbx2": "TBX 2 (martif)", "csv": "CSV", "tsv": "TSV"}


@dataclass
class Concept:
    """One entry of an imported file, before it becomes a :class:`Term`."""

    line: int
    source: str
    variants: list[str] = field(default_factory=list)
    pos: str | None = None
    note: str = ""
    do_not_translate: bool = False
    case_sensitive: bool | None = None  # None: the loader's default for the source
    translations: dict[str, Rendering] = field(default_factory=dict)


@dataclass
class Read:
    """What a reader found in a file."""

    kind: str  # "TBX v3", "CSV (DeepL)", ...
    source_language: str
    concepts: list[Concept]
    warnings: list[str] = field(default_factory=list)
    domain: str | None = None


@dataclass
class Imported:
    path: Path
    kind: str
    terms: list[Term]
    warnings: list[str]


# ------------------------------------------------------------------ shared helpers


_POS_NAMES = {
    "noun": "noun", "n": "noun", "commonnoun": "noun", "substantive": "noun",
    "propernoun": "proper-noun", "propn": "proper-noun", "name": "proper-noun",
    "verb": "verb", "v": "verb",
    "adjective": "adjective", "adj": "adjective", "a": "adjective",
    "phrase": "phrase", "other": "phrase", "adverb": "phrase", "adv": "phrase",
}


def pos_from(text: str) -> str | None:
    """transflow's part of speech for a TBX or CSV value (``properNoun``, ``Noun``, ``adj``); None if unknown."""
    return _POS_NAMES.get(re.sub(r"[\s_-]+", "", text).lower())


def lang_code(code: str, where: str) -> str:
    """``pt-BR`` -> ``pt_BR``; an :class:`InputError` naming ``where`` for anything else."""
    try:
        return langs.normalize(code)
    except LanguageError:
        raise InputError(f"{where}: unknown language code {code!r}: use an ISO 639-1 code such as pt, de or pt-BR") from None


def slug(text: str) -> str:
    """A term id from a source term: ``Human Rights organization`` -> ``human-rights-organization``."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-") or "term"


def _form_key(form: str, case_sensitive: bool):
    # The key the loader compares source forms by (load._form_clash).
    return (form if case_sensitive else form.lower(), case_sensitive)


def _unique(items) -> list[str]:
    out = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


def assemble(concepts: list[Concept], name: str, existing: list[Term] = (),
             source_language: str = "en") -> tuple[list[Term], list[str]]:
    """Terms the loader accepts, and a warning (``name:line: ...``) for each piece left out.

    ``existing``: terms of other glossary files next to the output; their ids and source
    forms are taken already. A desk's plural entries are not terms of their own: an
    admitted source term that is the plural of the preferred one is left out (matching
    knows plurals), an admitted rendering that is the plural of the preferred one becomes
    its ``plural``, and a CSV row holding the plurals of another row joins it.
    """
    concepts = _fold_plurals(concepts, source_language)
    warnings: list[str] = []
    ids = {t.id for t in existing}
    forms = {}
    for t in existing:
        for form in [t.source, *t.variants]:
            forms.setdefault(_form_key(form, t.case_sensitive), (t.id, t.origin))
    terms = []
    for c in concepts:
        where = f"{name}:{c.line}"
        case_sensitive = dump.default_case_sensitive(c.source) if c.case_sensitive is None else c.case_sensitive
        taken = forms.get(_form_key(c.source, case_sensitive))
        if taken:
            warnings.append(f"{where}: {c.source!r} is already a form of term {taken[0]!r} ({taken[1]}); skipped")
            continue
        translations = {}
        for lang, r in c.translations.items():
            r = _clean_rendering(r, c.source, where, lang, warnings)
            if r is not None:
                translations[lang] = r
        if not translations and not c.do_not_translate and c.pos != "proper-noun":
            warnings.append(f"{where}: {c.source!r} has no translation; skipped")
            continue
        base = term_id = slug(c.source)
        n = 2
        while term_id in ids:
            term_id, n = f"{base}-{n}", n + 1
        term = Term(
            id=term_id,
            source=c.source,
            case_sensitive=case_sensitive,
            pos=c.pos if c.pos in POS_VALUES else "noun",
            pos_given=c.pos in POS_VALUES,
            note=c.note.strip(),
            do_not_translate=c.do_not_translate,
            translations=translations,
            origin=where,
        )
        automatic = inflect.forms(source_language, c.source, term.pos)
        for variant in _unique(c.variants):
            if variant == c.source or variant in automatic:
                continue
            key = _form_key(variant, case_sensitive)
            if key in forms:
                other, at = forms[key]
                warnings.append(f"{where}: variant {variant!r} of {c.source!r} is already a form of term {other!r} ({at}); left out")
                continue
            term.variants.append(variant)
            forms[key] = (term_id, where)
        forms[_form_key(c.source, case_sensitive)] = (term_id, where)
        ids.add(term_id)
        terms.append(term)
    return terms, warnings


def _clean_rendering(r: Rendering, source: str, where: str, lang: str, warnings) -> Rendering | None:
    if r.preferred is None and r.do_not_translate:
        r.preferred = source
    if r.preferred is None:
        if r.forbidden:
            warnings.append(f"{where}: {source!r} has only forbidden {lang} terms ({', '.join(r.forbidden)}) and no preferred one; {lang} left out")
        return None
    plural = r.plural or next((a for a in r.allowed if is_plural_of(a, r.preferred, lang)), None)
    allowed = [a for a in _unique(r.allowed) if a not in (r.preferred, plural)]
    accepted = {source} if r.do_not_translate else {r.preferred, plural, *allowed} - {None}
    both = [f for f in _unique(r.forbidden) if f in accepted]
    if both:
        warnings.append(f"{where}: {', '.join(both)!r} is both accepted and forbidden for {source!r} in {lang}; kept as accepted")
    forbidden = [f for f in _unique(r.forbidden) if f not in accepted]
    return Rendering(preferred=r.preferred, allowed=allowed, forbidden=forbidden, do_not_translate=r.do_not_translate,
                     plural=plural if plural != r.preferred else None)


def is_plural_of(phrase: str, preferred: str, lang: str) -> bool:
    """``phrase`` is the plural of ``preferred`` by the language's agreement rules
    ("pessoas refugiadas" of "pessoa refugiada"); False for a language without them."""
    from . import agree

    rules = agree.get(lang)
    return rules is not None and phrase != preferred and rules.inflect(preferred, "p").lower() == phrase.lower()


def _fold_plurals(concepts: list[Concept], source_language: str) -> list[Concept]:
    """Concepts whose source is the plural of another's ("defectors" beside "defector", as
    rows of a DeepL CSV) joined to it: their renderings become its plurals."""
    by_form = {}
    for c in concepts:
        by_form.setdefault(c.source.lower(), c)
    out = []
    for c in concepts:
        singular = next((other for other in by_form.values() if other is not c and c.source != other.source
                         and c.source in inflect.forms(source_language, other.source, other.pos or "noun")), None)
        if singular is None:
            out.append(c)
            continue
        for lang, r in c.translations.items():
            mine = singular.translations.get(lang)
            if mine is not None and mine.plural is None and r.preferred and r.preferred != mine.preferred:
                mine.plural = r.preferred
    return out


# ------------------------------------------------------------------ import


def detect_format(path: Path, data: bytes) -> str:
    """``tbx`` (either TBX version), ``csv`` or ``tsv``: by extension, else by content."""
    suffix = path.suffix.lower()
    if suffix in (".tbx", ".tbxm", ".xml"):
        return "tbx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "tbx"
    first = head.split(b"\n", 1)[0]
    return "tsv" if b"\t" in first else "csv"


def read(path, *, source: str | None = None, target: str | None = None) -> Read:
    """The concepts of a TBX, CSV or TSV file."""
    from . import tabular, tbx

    path = Path(path)
    data = inputs.read_bytes(path, "a TBX, CSV or TSV glossary file", inputs.GLOSSARY_BYTES)
    source = lang_code(source, "--from") if source else None
    target = lang_code(target, "--to") if target else None
    fmt = detect_format(path, data)
    if fmt == "tbx":
        return tbx.read(data, str(path), source=source, target=target)
    return tabular.read(data, str(path), delimiter="\t" if fmt == "tsv" else ",", source=source, target=target)


def default_output(path) -> Path:
    return Path("glossary") / f"{slug(Path(path).stem)}.yaml"


def _neighbours(output: Path) -> list[Term]:
    """Terms of the other glossary files in the output's folder (one glossary with it)."""
    folder = output.parent
    if not folder.is_dir():
        return []
    terms = []
    for file in glossary_files(folder):
        if file.resolve() == output.resolve():
            continue
        try:
            terms.extend(load(file).terms)
        except GlossaryError:
            continue  # `transflow glossary validate` reports those
    return terms


def import_file(path, output=None, *, source=None, target=None, force=False) -> Imported:
    """Read a TBX/CSV/TSV glossary and write it as glossary YAML at ``output``."""
    path = Path(path)
    output = Path(output) if output else default_output(path)
    if output.exists() and not force:
        raise InputError(f"{output} exists; give --force to replace it, or -o another file")
    found = read(path, source=source, target=target)
    terms, warnings = assemble(found.concepts, str(path), _neighbours(output), found.source_language)
    warnings = found.warnings + warnings
    if not terms:
        raise InputError(f"{path}: no term could be imported" + (f" ({warnings[0]})" if warnings else ""))
    text = dump.dumps(
        terms,
        source_language=found.source_language,
        domain=found.domain or slug(path.stem),
        comment=f"Imported from {path.name} ({found.kind}) by `transflow glossary import`.",
    )
    _check(text)
    atomic.write_text(output, text)
    return Imported(output, found.kind, terms, warnings)


def _check(text: str) -> None:
    """The YAML about to be written validates: a safety net, never expected to fire."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "imported.yaml"
        probe.write_text(text, encoding="utf-8")
        problems = validate(probe)
    if problems:
        raise RuntimeError(f"transflow bug: the imported glossary does not validate: {problems[0]}")


# ------------------------------------------------------------------ export


def file_meta(files) -> tuple[str, dict[str, str]]:
    """The source language of the glossary files and each file's domain (its ``domain`` or its stem)."""
    sources, domains = set(), {}
    for file in files:
        try:
            top = yamlsafe.load(inputs.read_bytes(file, "a glossary file", inputs.GLOSSARY_BYTES).decode("utf-8")) or {}
        except (InputError, yaml.YAMLError, UnicodeDecodeError):  # load() above has reported those
            top = {}
        top = top if isinstance(top, dict) else {}
        sources.add(langs.normalize(str(top.get("source_language") or "en")))
        domains[str(file)] = str(top.get("domain") or Path(file).stem)
    if len(sources) > 1:
        raise InputError(f"the glossary files have different source languages ({', '.join(sorted(sources))}); export them one at a time")
    return (sources.pop() if sources else "en"), domains


def export(path, output, *, fmt: str = "tbx", targets=(), force: bool = False, protect=()) -> tuple[int, list[str]]:
    """Write the glossary at ``path`` to ``output`` (``-``: stdout) as ``fmt``; the number of
    terms written and the languages they are written in. ``output`` never replaces a
    glossary file, one of ``protect`` ((path, what) pairs) or a file transflow did not
    write, unless ``force`` (outputs.guard)."""
    from .. import outputs
    from . import tabular, tbx

    glossary = load(path)
    inputs = [*[(f, "a glossary file") for f in glossary.files], *protect]
    if str(output) != "-":
        outputs.guard(output, inputs=inputs, force=force)
    source, domains = file_meta(glossary.files)
    targets = [langs.normalize(t) for t in targets]
    if fmt in ("tbx", "tbx2"):
        text, count, written = tbx.dumps(glossary.terms, source_language=source, targets=targets or None,
                                         version=3 if fmt == "tbx" else 2, domains=domains)
    elif fmt in ("csv", "tsv"):
        text, count, written = tabular.dumps(glossary.terms, source_language=source, targets=targets,
                                             delimiter="," if fmt == "csv" else "\t")
    else:
        raise InputError(f"unknown glossary format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not count:
        wanted = f" in {', '.join(targets)}" if targets else ""
        raise InputError(f"{path}: no term has a rendering{wanted}; nothing to export")
    if str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        outputs.write_text(output, text, inputs=inputs, force=force)
    return count, written
