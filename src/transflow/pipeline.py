"""The translate job: read -> segment -> match -> translate -> write, for many articles and languages."""

from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import atomic, catalog, engines, enforce, langs, lock, placeholders, pofile, readers
from .document import Document, Unit
from .errors import InputError, Interrupted
from .glossary import Glossary, source_matcher
from .merge import merge
from .segment import segment
from .tm import TranslationMemory


@dataclass
class Article:
    doc: Document
    units: list[Unit]

    @property
    def stem(self) -> str:
        return self.doc.path.stem


@dataclass
class Outcome:
    """What one run did to one PO file."""

    lang: str
    article: str
    path: Path
    model_id: str
    entries: int = 0
    translated: int = 0  # entries sent to the MT engine in this run
    from_tm: int = 0  # drafts reused from the translation memory (MT cache or reviewed entries)
    kept: int = 0
    fuzzy_matched: int = 0
    obsoleted: int = 0
    glossary_failed: int = 0
    written: bool = False
    failed_terms: list[str] = field(default_factory=list)


def load_articles(paths, source: str, encoding=None, skip_patterns=None) -> list[Article]:
    if not paths:
        raise InputError("no article given: pass one or more article files")
    articles, stems = [], {}
    for p in paths:
        doc = readers.read(Path(p), encoding=encoding, skip_patterns=skip_patterns)
        if doc.path.stem in stems:
            raise InputError(f"{p} and {stems[doc.path.stem]} would write the same PO file ({doc.path.stem}.po): rename one")
        stems[doc.path.stem] = p
        units = segment(doc, source)
        if not units:
            raise InputError(f"{p}: nothing to translate (every line is boilerplate or empty)")
        articles.append(Article(doc, units))
    return articles


def glossary_comments(glossary: Glossary, matcher, lang: str):
    def lines(text: str) -> list[str]:
        seen, out = set(), []
        for m in matcher.find(text):
            if m.term.id not in seen and m.term.rendering(lang) is not None:
                seen.add(m.term.id)
                out.append(catalog.GLOSSARY_PREFIX + m.term.label(lang))
        return out

    return lines


def translate(
    paths,
    targets,
    source: str = "en",
    glossary: Glossary | None = None,
    locales: Path = Path("locales"),
    engine: str = "auto",
    jobs: int | None = None,
    encoding: str | None = None,
    skip_patterns=None,
    tm: TranslationMemory | Path | None = None,
    lock_timeout: float = lock.DEFAULT_TIMEOUT,
) -> list[Outcome]:
    """Write ``<locales>/<lang>/LC_MESSAGES/<stem>.po`` for every article and target language.

    Everything that can fail on user input (files, languages, models, existing PO
    files) is checked before anything is translated or written.
    """
    source = langs.normalize(source)
    targets = [langs.normalize(t) for t in targets]
    if not targets:
        raise InputError("no target language: pass --to, e.g. --to pt,de")
    glossary = glossary or Glossary(source_language=source)
    articles = load_articles(paths, source, encoding, skip_patterns)
    models = {lang: engines.find_model(source, lang, engine) for lang in targets}
    paths = [catalog.po_path(locales, lang, art.stem) for lang in targets for art in articles]
    _existing(paths)  # a broken PO file stops the run before anything is written
    with lock.locked(locales, lock_timeout), _memory(tm) as memory:
        # Read again under the lock: another run may have written them meanwhile.
        existing = _existing(paths)
        matcher = source_matcher(glossary)
        outcomes = []
        try:
            for lang in targets:
                outcomes += _translate_language(articles, source, lang, models[lang], glossary, matcher, locales, existing, jobs, memory)
        except KeyboardInterrupt:
            raise Interrupted(_interrupted_message(outcomes, targets)) from None
    return outcomes


def _existing(paths) -> dict:
    return {path: pofile.load(path) for path in paths if path.exists()}


def _memory(tm):
    """The TM as given, or opened from a path only now that the input is known good."""
    if tm is None or isinstance(tm, TranslationMemory):
        return nullcontext(tm)
    return TranslationMemory(tm)


def _interrupted_message(outcomes, targets) -> str:
    done = sorted({o.lang for o in outcomes})
    rest = [t for t in targets if t not in done]
    written = ", ".join(str(o.path) for o in outcomes if o.written) or "nothing"
    return (f"interrupted: finished {', '.join(done) or 'no language'} (wrote {written}); "
            f"not done: {', '.join(rest)}; drafts already made are in the translation memory")


def _translate_language(articles, source, lang, model, glossary, matcher, locales, existing, jobs, tm) -> list[Outcome]:
    lines = glossary_comments(glossary, matcher, lang)
    plans = []
    for art in articles:
        path = catalog.po_path(locales, lang, art.stem)
        fresh = catalog.template([(art.doc, art.units)], art.stem, lines, lang)
        outcome = Outcome(lang, art.doc.name, path, model.model_id)
        old = existing.get(path)
        if old is not None:
            result = merge(old, fresh)
            po = result.po
            _carry_provenance(old, po)
            _redraft_edited_drafts(old, po, result.sources)
            outcome.kept, outcome.fuzzy_matched, outcome.obsoleted = (
                len(result.kept), len(result.fuzzy_matched), len(result.obsoleted))
        else:
            po = fresh
        plans.append((outcome, po, old))

    todo = [(o, e) for o, po, _ in plans for e in po if not e.obsolete and not e.msgstr]
    if tm is not None and todo:
        todo = _fill_from_tm(tm, todo, source, lang, model, glossary, locales)
    if todo:
        # Markup reaches the model as placeholders and comes back whole (placeholders.py).
        mt = placeholders.protecting(engines.load_engine(model, jobs=jobs))
        drafts = enforce.translate_units(mt, [e.msgid for _, e in todo], glossary, lang, matcher=matcher)
        for (outcome, entry), draft in zip(todo, drafts):
            _apply_draft(entry, draft.text, draft.failed, catalog.MT_PREFIX + model.model_id)
            outcome.translated += 1
            _count_failed(outcome, draft.failed)
        if tm is not None:
            tm.put_mt(model.model_id, source, lang, glossary.version,
                      [(e.msgid, d.text, d.failed) for (_, e), d in zip(todo, drafts)])

    for outcome, po, old in plans:
        outcome.entries = sum(1 for e in po if not e.obsolete)
        _settle_header(po, old)
        text = pofile.dumps(po)
        if old is None or text != pofile.dumps(old):
            outcome.path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(outcome.path, text)
            outcome.written = True
    return [o for o, _, _ in plans]


def _fill_from_tm(tm, todo, source, lang, model, glossary, locales):
    """Fill what the memory knows; return the entries still needing MT.

    Reviewed translations come first (an exact one is reused as reviewed, a close
    one becomes a fuzzy draft with the old source as previous msgid so editors
    show the difference), then MT drafts made earlier with the same model and
    glossary.
    """
    tm.put_human(source, lang, _reviewed_in(locales, lang))
    msgids = [e.msgid for _, e in todo]
    human = tm.get_human(source, lang, msgids)
    cached = tm.get_mt(model.model_id, source, lang, glossary.version, msgids)
    rest = []
    for outcome, entry in todo:
        hit = human.get(entry.msgid)
        if hit and hit.score == 1.0:
            entry.msgstr = hit.target
            catalog.set_comment_lines(entry, catalog.comment_lines(entry) + [f"{catalog.TM_PREFIX}reviewed in {hit.origin}"])
        elif hit:
            _apply_draft(entry, hit.target, [], f"{catalog.TM_PREFIX}{hit.score:.0%} match, reviewed in {hit.origin}")
            entry.previous_msgid = hit.source
        elif entry.msgid in cached:
            draft = cached[entry.msgid]
            _apply_draft(entry, draft.target, draft.failed, catalog.MT_PREFIX + model.model_id)
            _count_failed(outcome, draft.failed)
        else:
            rest.append((outcome, entry))
            continue
        outcome.from_tm += 1
    return rest


def _reviewed_in(locales: Path, lang: str):
    """(source, translation, file) of every reviewed entry in the language's PO files."""
    folder = Path(locales) / lang / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        for entry in pofile.load(path):
            if catalog.is_reviewed(entry) and entry.msgid:
                yield entry.msgid, entry.msgstr, path.as_posix()


def _count_failed(outcome: Outcome, failed: list[str]) -> None:
    if failed:
        outcome.glossary_failed += 1
        outcome.failed_terms += failed


def _apply_draft(entry: polib.POEntry, text: str, failed: list[str], provenance: str) -> None:
    entry.msgstr = text
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    lines = [line for line in catalog.comment_lines(entry) if not line.startswith(catalog.PROVENANCE)]
    lines.append(provenance)
    lines += [catalog.NOT_APPLIED_PREFIX + term for term in failed]
    catalog.set_comment_lines(entry, lines)


def _carry_provenance(old: polib.POFile, po: polib.POFile) -> None:
    """msgmerge takes extracted comments from the template; keep which engine made a kept draft."""
    previous = {e.msgid: e for e in old if not e.obsolete}
    for entry in po:
        before = previous.get(entry.previous_msgid or entry.msgid) if entry.msgstr and not entry.obsolete else None
        if before is None:
            continue
        extra = [line for line in catalog.comment_lines(before) if line.startswith(catalog.PROVENANCE)]
        if extra:
            catalog.set_comment_lines(entry, catalog.comment_lines(entry) + extra)


def _redraft_edited_drafts(old: polib.POFile, po: polib.POFile, sources: dict[str, str]) -> None:
    """An edited sentence whose old translation was only an MT draft gets a fresh draft.

    msgmerge would hand it the draft of the old sentence, which no human has
    read and which translates words no longer there. The entry stays fuzzy (as
    msgmerge has it) and records the old source as previous msgid, so Poedit
    shows what changed. Reviewed translations are never replaced.
    """
    before = {e.msgid: e for e in old}
    for entry in po:
        source = sources.get(entry.msgid) if not entry.obsolete else None
        if source is None or source not in before:
            continue
        was = before[source]
        if "fuzzy" in was.flags and any(line.startswith(catalog.MT_PREFIX) for line in catalog.comment_lines(was)):
            entry.msgstr = ""
            entry.previous_msgid = source


def _settle_header(po: polib.POFile, old: polib.POFile | None) -> None:
    """Keep the old header when no entry changed, so an unchanged re-run rewrites nothing."""
    if old is None:
        return
    fresh = dict(po.metadata)
    po.metadata = dict(old.metadata)
    po.header = old.header
    if [_entry_text(e) for e in po] != [_entry_text(e) for e in old]:
        po.metadata["PO-Revision-Date"] = fresh["PO-Revision-Date"] if "PO-Revision-Date" in fresh else catalog.now()
        po.metadata["POT-Creation-Date"] = fresh.get("POT-Creation-Date", catalog.now())


def _entry_text(entry) -> str:
    return str(entry)
