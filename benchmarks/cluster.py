"""`transflow translate --cluster` against a local run, on this machine's loopback.

    .venv/bin/python benchmarks/cluster.py                # 200 articles (a few minutes on 2 cores)
    .venv/bin/python benchmarks/cluster.py --articles 40  # a quicker look

Starts a Dask scheduler and two single-thread workers on 127.0.0.1 (`dask scheduler`,
`dask worker`), generates short articles (the example's and the reference article's
sentences, varied as benchmarks/run.py does, a few shared between articles), and
prints, each measured in this run:

- wall time of the same job (into pt, with the project glossary, risk assessed, no
  TM) run locally (`--jobs 2`) and on the cluster, and whether the PO files are the
  same bytes;
- per-batch overhead as a share of a batch's MT time: the time a worker waits between
  two of its batches while others are still queued (scheduling, moving the batch and
  its drafts, the driver's handling), from the scheduler's task stream; and the round
  trip of an empty batch of the same size (64 texts in, 64 drafts out) through the
  same scheduler and workers;
- a worker killed (SIGKILL) mid-run: wall time, and whether the files are the same;
- the driver's own rate: its CPU seconds per article in the cluster run, and a run
  whose every draft comes from the translation memory (reading, segmenting, merging
  and writing only), in articles per second: the most any number of workers can get
  out of one driver.

Not a test: timings depend on the machine and on what else runs on it.
"""

import argparse
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() and "TRANSFLOW_BENCH_REEXEC" not in os.environ:
    os.environ["TRANSFLOW_BENCH_REEXEC"] = "1"
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import EXAMPLE, GLOSSARY, REFERENCE, _sentences, _vary, distinct_units, isolated_env, say, transflow  # noqa: E402

from transflow.cluster import BATCH_UNITS  # noqa: E402

WORKERS = 2
SENTENCES = (5, 9)  # per article


def write_articles(folder: Path, count: int, seed: int = 20261205) -> list[Path]:
    """``count`` short articles: a headline and two to three paragraphs of sentences
    (varied numbers and places), one sentence in ten taken from an earlier article."""
    rng = random.Random(seed)
    base = _sentences(EXAMPLE) + (_sentences(REFERENCE) if REFERENCE.exists() else [])
    used, paths, k = [], [], 0
    for a in range(count):
        sentences = []
        for _ in range(rng.randint(*SENTENCES)):
            if used and rng.random() < 0.1:
                sentences.append(rng.choice(used))
                continue
            s = _vary(base[k % len(base)], k // len(base) + 1, rng)
            k += 1
            used.append(s)
            sentences.append(s)
        cut = [0, *sorted(rng.sample(range(1, len(sentences)), 2)), len(sentences)]
        paragraphs = [" ".join(sentences[i:j]) for i, j in zip(cut, cut[1:]) if j > i]
        path = folder / f"article-{a:03d}.txt"
        path.write_text(f"Dispatch {a + 1}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def start_cluster(home: Path, env: dict):
    scheduler_file = home / "scheduler.json"
    log = open(home / "cluster.log", "wb")
    dask = [sys.executable, "-m", "dask"]
    procs = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", scheduler_file], env=env, stdout=log, stderr=log)]
    while not scheduler_file.exists():
        time.sleep(0.1)
    procs.append(subprocess.Popen([*dask, "worker", "--scheduler-file", scheduler_file, "--host", "127.0.0.1",
                                   "--nworkers", str(WORKERS), "--nthreads", "1", "--no-dashboard",
                                   "--local-directory", home / "work"], env=env, stdout=log, stderr=log))
    return procs, scheduler_file


def stop_cluster(procs) -> None:
    for proc in reversed(procs):
        proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd, cwd, env) -> tuple[float, float]:
    """(wall, CPU) seconds of the command, which must succeed."""
    cpu = cpu_of_children()
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{result.stderr[-3000:]}")
    return wall, cpu_of_children() - cpu


def po_bytes(locales: Path) -> dict:
    return {p.relative_to(locales).as_posix(): p.read_bytes() for p in sorted(locales.rglob("*.po"))}


def batch_gaps(records) -> tuple[list[float], list[float], dict]:
    """(compute seconds of each MT batch, each wait of a worker between two of its
    batches, compute seconds by kind of task), from the task stream: the wait is what a
    batch costs beyond its work."""
    by_worker: dict[str, list] = {}
    computes, by_kind = [], {}
    for r in records:
        kind = str(r["key"]).split("-")[0]
        for ss in r["startstops"]:
            if ss["action"] != "compute":
                continue
            by_kind[kind] = by_kind.get(kind, 0.0) + ss["stop"] - ss["start"]
            if kind == "enforce_batch":
                by_worker.setdefault(r["worker"], []).append((ss["start"], ss["stop"]))
                computes.append(ss["stop"] - ss["start"])
    gaps = []
    for spans in by_worker.values():
        spans.sort()
        gaps += [b[0] - a[1] for a, b in zip(spans, spans[1:])]
    return computes, gaps, by_kind


def _empty_batch(info, texts, langs, glossary, scope):
    """A batch's shape with no work: the same texts in, as many drafts out."""
    from transflow.enforce import Draft

    return {lang: [Draft(t) for t in (texts if members is None else [texts[k] for k in members])] for lang, members in langs}


def empty_round_trip(client, texts: list[str], rounds: int = 200) -> float:
    """Seconds per batch of ``rounds`` empty batches of BATCH_UNITS texts, submitted at once
    (as the driver does) and collected as they come back."""
    from distributed import as_completed

    from transflow.engines import find_model
    from transflow.glossary import load

    info = find_model("en", "pt")
    [glossary] = client.scatter([load(GLOSSARY)], hash=False)
    batches = [texts[(i * BATCH_UNITS) % len(texts):][:BATCH_UNITS] for i in range(rounds)]
    started = time.perf_counter()
    futures = [client.submit(_empty_batch, info, b, [("pt", None)], glossary, {}, pure=False) for b in batches]
    for future in as_completed(futures):
        future.result()
    return (time.perf_counter() - started) / rounds


def kill_a_worker_midway(address: str, pids: dict, after: float, killed: list) -> None:
    """SIGKILL a worker holding batches ``after`` seconds from now; ``killed`` gets
    (worker, batches it held, seconds until its nanny's replacement joined)."""
    from distributed import Client

    time.sleep(after)
    with Client(address, timeout=30) as client:
        for worker, keys in client.processing().items():
            if keys and worker in pids:
                os.kill(pids[worker], signal.SIGKILL)
                at = time.perf_counter()
                while len(client.scheduler_info()["workers"]) >= WORKERS:
                    time.sleep(0.02)  # the scheduler hears of it
                while len(client.scheduler_info()["workers"]) < WORKERS:
                    time.sleep(0.05)
                killed.append((worker, len(keys), time.perf_counter() - at))
                return


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args(argv)
    from distributed import Client

    work = Path(tempfile.mkdtemp(prefix="transflow-cluster-bench-"))
    env = {**isolated_env(work / "home"), "SOURCE_DATE_EPOCH": "1764316800"}
    articles = write_articles(work, args.articles)
    names = [p.name for p in articles]
    units = len({u for p in articles for u in distinct_units(p)})
    procs, scheduler_file = start_cluster(work, env)
    try:
        client = Client(scheduler_file=str(scheduler_file), timeout=60)
        client.wait_for_workers(WORKERS, timeout=120)
        address = client.scheduler.address
        client.get_task_stream(count=1)  # the scheduler records the task stream from now on

        common = ["--to", "pt", "--no-tm", "--quiet", "--glossary", GLOSSARY]
        local, local_cpu = run(transflow("translate", *names, *common, "--jobs", WORKERS, "--locales", "local"), work, env)
        say(f"{len(names)} articles ({units} distinct units) into pt, with the project glossary and the risk assessment")
        say(f"local run, --jobs {WORKERS}: {local:.1f} s wall, {local_cpu:.1f} s CPU")

        # A first cluster run loads the model on each worker; a desk's cluster keeps them.
        remote, _ = run(transflow("translate", *names, *common, "--cluster", address, "--locales", "remote"),
                                 work, env)
        same = po_bytes(work / "remote") == po_bytes(work / "local")
        say(f"cluster run, scheduler and {WORKERS} single-thread workers on 127.0.0.1: {remote:.1f} s wall "
            f"({remote / local:.2f} x the local run); PO files {'the same bytes' if same else 'DIFFERENT'} "
            f"({len(po_bytes(work / 'remote'))} files)")
        since = time.time()
        again, driver_cpu = run(transflow("translate", *names, *common, "--cluster", address, "--locales", "again"),
                                work, env)
        computes, gaps, by_kind = batch_gaps(client.get_task_stream(start=since))
        say(f"cluster run again, models already loaded on the workers: {again:.1f} s wall ({again / local:.2f} x local)")
        mean_compute = statistics.mean(computes)
        mean_gap = statistics.mean(gaps) if gaps else 0.0
        say(f"batches: {len(computes)} of up to {BATCH_UNITS} units, MT and enforcement {mean_compute:.2f} s each "
            f"(median {statistics.median(computes):.2f} s); a worker's wait between two of its batches "
            f"{1000 * mean_gap:.1f} ms (median {1000 * statistics.median(gaps) if gaps else 0:.1f} ms) = "
            f"{100 * mean_gap / mean_compute:.1f}% of a batch's MT time")
        sample = [line for p in articles[:20] for line in p.read_text(encoding="utf-8").split(". ")]
        trip = empty_round_trip(client, sample)
        say(f"an empty batch of {BATCH_UNITS} texts (serialised, scheduled, {BATCH_UNITS} drafts back), "
            f"200 at once on {WORKERS} workers: {1000 * trip:.1f} ms per batch = {100 * trip * WORKERS / mean_compute:.1f}% "
            f"of a batch's MT time per worker")
        say(f"driver (this machine's transflow process) in the cluster run: {driver_cpu:.1f} s CPU = "
            f"{1000 * driver_cpu / len(names):.0f} ms per article")
        work_s = sum(by_kind.values())
        say(f"work done on the workers: {work_s:.1f} core-seconds (" + ", ".join(
            f"{kind} {t:.1f}" for kind, t in sorted(by_kind.items(), key=lambda kv: -kv[1])) + ")")

        pids = client.run(os.getpid)
        killed: list = []
        killer = threading.Thread(target=kill_a_worker_midway, args=(address, pids, 0.4 * again, killed))
        killer.start()
        hurt, _ = run(transflow("translate", *names, *common, "--cluster", address, "--locales", "killed"), work, env)
        killer.join()
        same = po_bytes(work / "killed") == po_bytes(work / "local")
        lost = (f"it held {killed[0][1]} batches; its nanny's replacement joined {killed[0][2]:.1f} s later"
                if killed else "no worker was busy")
        say(f"a worker killed (SIGKILL) {0.4 * again:.1f} s into the run ({lost}): {hurt:.1f} s wall against "
            f"{again:.1f} s; PO files {'the same bytes' if same else 'DIFFERENT'}")

        # The driver's ceiling: every draft from the memory, nothing to translate.
        tm = work / "warm.sqlite"
        run(transflow("translate", *names, "--to", "pt", "--quiet", "--glossary", GLOSSARY, "--tm", tm,
                      "--cluster", address, "--locales", "warm-first"), work, env)
        warm, warm_cpu = run(transflow("translate", *names, "--to", "pt", "--quiet", "--glossary", GLOSSARY, "--tm", tm,
                                       "--locales", "warm"), work, env)
        say(f"driver alone (every draft from the TM: read, segment, merge, write {len(names)} new PO files): "
            f"{warm:.1f} s wall, {warm_cpu:.1f} s CPU = {len(names) / warm:.0f} articles/s")
        client.close()
    finally:
        stop_cluster(procs)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
