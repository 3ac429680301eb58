"""The machine translation of a translate job on a Dask cluster (``--cluster ADDRESS``).

This process, the driver, keeps everything that touches files: reading, segmenting,
the translation memory, the lock, merging and the atomic PO writes. The workers get
batches of a language's distinct units to translate and enforce (cluster_tasks.py),
and the risk assessment's back-translations; each worker process loads a model once
and keeps it. ``local`` starts a cluster of this machine's cores on 127.0.0.1.

The PO files are the bytes a local run writes: a batch is enforced as the whole
language is (enforce.translate_units ``uses``: the language's term uses and probe
translations, made once per language before its batches and shared by them), and an
engine translates each sentence on its own (Bergamot one sentence per call; Apertium),
so neither the cut into batches nor which worker runs one changes a draft. A worker
lost mid-batch costs that batch, which Dask runs again on another worker.

Dask is imported only here and in the workers: a run without a cluster never loads it.
"""

import os
from collections.abc import Iterable

from . import __version__, cluster_tasks, enforce
from .engines.base import ModelInfo
from .errors import EngineError, InputError, ModelNotFound

LOCAL = "local"
# Units per batch. Measured with benchmarks/cluster.py (scheduler and two workers on
# loopback, 200 generated articles into pt): a batch is 1.5-2.2 s of one core's MT and
# enforcement, which is about what a worker lost mid-job costs, and a worker waits 3 ms
# between two of its batches (scheduling, moving texts and drafts): 0.2% of that.
BATCH_UNITS = 64
# Seconds to wait for a first worker to join the scheduler.
WORKER_WAIT = 60
# The risk assessment waits for its back-translations: they go before any batch.
_URGENT = 1_000_000


class Cluster:
    """A Dask cluster for one translate run: :meth:`start`, then :meth:`translate`
    and :meth:`engine`, then :meth:`close`."""

    def __init__(self, address: str, jobs: int | None = None):
        self.address = address.strip()
        self.jobs = jobs
        self.client = None
        self._local = None

    # --- connecting ------------------------------------------------------------------

    def start(self, models: Iterable[ModelInfo], reverse: Iterable[ModelInfo] = ()) -> None:
        """Connect (or start the local cluster) and check that every worker has every
        model the job needs, the same ids as here."""
        self._connect()
        needed = list({info.model_id: info for info in [*models, *reverse]}.values())
        try:
            answers = self.client.run(cluster_tasks.survey, needed)
        except Exception as e:  # whatever a worker's import or unpickling raised
            raise InputError(f"a worker of the Dask cluster at {self.address} cannot run transflow ({_one_line(e)}): "
                             f"install transflow {__version__} on every worker") from None
        problems = []
        for worker, answer in sorted(answers.items()):
            if answer["version"] != __version__:
                problems.append(f"worker {worker} runs transflow {answer['version']}, this is {__version__}")
            problems += [f"worker {worker} has no model {model_id}" for model_id in answer["missing"]]
        if problems:
            raise ModelNotFound(f"{'; '.join(problems)}: install the same transflow and models on every worker "
                                f"(`transflow models list` there shows what it has), or stop those workers")

    def _connect(self) -> None:
        import logging

        from distributed import Client

        # What the cluster does to a run reaches the user as transflow's one line
        # (_result); Dask's client would also log each reconnection attempt with a traceback.
        for handler in logging.getLogger("distributed").handlers:  # Dask's own, on stderr
            handler.setLevel(logging.CRITICAL)
        if self.address == LOCAL:
            from distributed import LocalCluster

            cores = max(1, self.jobs or os.cpu_count() or 1)
            self._local = LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
            self.client = Client(self._local)
            self.client.register_plugin(cluster_tasks.LocalWorker(), name="transflow-local-worker")
            return
        try:
            self.client = Client(self.address)
        except (OSError, ValueError) as e:
            raise InputError(f"cannot reach the Dask scheduler at {self.address} ({_one_line(e)}): start one "
                             f"(`dask scheduler`, then `dask worker ADDRESS` on each machine), or pass "
                             f"--cluster local to use this machine's cores") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT)
        except (TimeoutError, OSError):
            raise InputError(f"the Dask scheduler at {self.address} has no worker after {WORKER_WAIT} s: "
                             f"start one (`dask worker {self.address}`)") from None

    def close(self) -> None:
        client, self.client = self.client, None
        local, self._local = self._local, None
        if client is not None:
            client.close()
        if local is not None:
            local.close()

    # --- the job ------------------------------------------------------------------------

    def translate(self, jobs, glossary, matcher, progress=None):
        """Yield (lang, {text: enforce.Draft}) for each of ``jobs`` (pipeline.MTJob) as
        its last batch comes back; ``job.finished`` gets each batch's drafts as it
        arrives (what Ctrl-C keeps). Closing the generator cancels what the cluster
        has not finished."""
        from distributed import as_completed

        client = self.client
        # A task, not scattered data: a worker lost with the only copy of scattered data
        # takes it for good, while a task's result is made again from its arguments.
        shared = client.submit(cluster_tasks.hold, glossary, pure=False, priority=1)
        groups: dict[str, list] = {}
        for job in jobs:  # variants one model serves (pt, pt_BR) share its batches
            groups.setdefault(job.model.model_id, []).append(job)
        pending, scopes, left = {}, {}, {}
        try:
            for rank, (model_id, group) in enumerate(groups.items()):
                # Languages finish one after another: the driver writes one while the
                # cluster translates the next.
                priority = -rank
                scopes[model_id] = scope = client.submit(
                    cluster_tasks.probe_scope, group[0].model, self._scope(group, glossary, matcher),
                    priority=priority, pure=False)
                left[model_id] = 0
                for batch, langs in _batches(group):
                    future = client.submit(cluster_tasks.enforce_batch, group[0].model, batch, langs, shared, scope,
                                           priority=priority, pure=False)
                    pending[future] = (model_id, batch, langs)
                    left[model_id] += 1
            made = {job.lang: {} for job in jobs}
            by_lang = {job.lang: job for job in jobs}
            for future in as_completed(list(pending)):
                model_id, batch, langs = pending.pop(future)
                drafts = self._result(future, batch)
                for lang, members in langs:
                    job = by_lang[lang]
                    texts = batch if members is None else [batch[k] for k in members]
                    made[lang].update(zip(texts, drafts[lang]))
                    job.finished.update((t, d.text) for t, d in zip(texts, drafts[lang]))
                    if progress is not None:
                        progress(lang, min(len(made[lang]), job.units), job.units)
                left[model_id] -= 1
                if left[model_id]:
                    continue
                probes = self._result(scopes.pop(model_id), [])
                for job in groups[model_id]:
                    # The translation memory keeps them, as after a local run (pipeline._write_language).
                    enforce.learn_probes(model_id, job.lang, probes[job.lang][1])
                    yield job.lang, {t: made[job.lang][t] for t in job.texts}
        finally:
            # Ctrl-C, a failure or a closed generator: the cluster stops what is left.
            if self.client is not None:
                client.cancel([*pending, *scopes.values(), shared])

    @staticmethod
    def _scope(group, glossary, matcher) -> dict:
        """lang -> (term uses, probes known here, probes to translate) of each language."""
        scope = {}
        for job in group:
            uses = enforce.term_uses(job.texts, glossary, job.lang, matcher)
            known = enforce.probes(job.model.model_id, job.lang)
            wanted = enforce.probe_texts(uses, glossary, job.lang, matcher=matcher)
            scope[job.lang] = (uses, {p: known[p] for p in wanted if p in known}, [p for p in wanted if p not in known])
        return scope

    def engine(self, info: ModelInfo, jobs: int | None = None) -> "RemoteEngine":
        """An engine whose batches the workers translate (the risk assessment's reverse model)."""
        return RemoteEngine(self, info)

    def _result(self, future, texts):
        """A task's value; what the cluster did to it as the project's own errors."""
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        try:
            return future.result()
        except KilledWorker:
            raise EngineError(f"the Dask cluster at {self.address} lost every worker that tried a batch of "
                              f"{len(texts)} sentences (each died while translating it: out of memory?)") from None
        except (FutureCancelledError, OSError) as e:
            raise EngineError(f"lost the Dask cluster at {self.address} ({_one_line(e)})") from None


class RemoteEngine:
    """An engine (engines/base.py) whose translations the cluster's workers make, in
    batches of at most BATCH_UNITS, ahead of every language's batches."""

    def __init__(self, cluster: Cluster, info: ModelInfo):
        self.cluster, self.info = cluster, info

    def translate(self, texts) -> list[str]:
        texts = list(texts)
        client = self.cluster.client
        # The driver waits for all of them: cut so that every worker thread gets a share.
        size = max(1, min(BATCH_UNITS, -(-len(texts) // max(1, sum(client.nthreads().values())))))
        batches = [texts[i:i + size] for i in range(0, len(texts), size)]
        futures = [client.submit(cluster_tasks.translate_batch, self.info, batch, priority=_URGENT, pure=False)
                   for batch in batches]
        try:
            return [out for future, batch in zip(futures, batches) for out in self.cluster._result(future, batch)]
        finally:
            client.cancel(futures)


def _batches(group) -> list[tuple[list[str], list]]:
    """(texts, [(lang, indexes of its texts or None for all)]) of each batch of a model's
    languages: their distinct texts together, BATCH_UNITS at a time."""
    union = list(dict.fromkeys(t for job in group for t in job.texts))
    sets = {job.lang: set(job.texts) for job in group} if len(group) > 1 else {}
    out = []
    for i in range(0, len(union), BATCH_UNITS):
        batch = union[i:i + BATCH_UNITS]
        if not sets:
            out.append((batch, [(group[0].lang, None)]))
            continue
        langs = [(job.lang, ks) for job in group if (ks := [k for k, t in enumerate(batch) if t in sets[job.lang]])]
        out.append((batch, langs))
    return out


def _one_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
