"""How well the risk assessment points at wrong drafts, and what it costs.

    .venv/bin/python benchmarks/risk.py                     # figures on the labelled set
    .venv/bin/python benchmarks/risk.py --shared ../shared  # where the reference article is
    .venv/bin/python benchmarks/risk.py --signals           # also what each signal finds
    .venv/bin/python benchmarks/risk.py --ablation          # also the figures without each kept change

Translates the labelled set's articles (benchmarks/risk-set/) and the reference article
with `transflow translate` as a user runs it (project glossary, embedded en->pt model,
risk assessment on), reads each draft's level from its PO file and compares it with the
labels (benchmarks/risk-set/README.md). Prints, for the tuning drafts, the held-out ones
and all: precision and recall of "high" against the wrong drafts (any label but
acceptable), the share of drafts marked high, and how many drafts a reviewer reads to
see 80% of the wrong ones in risk order, in article order and longest source first.
Then the cost: the same run without the assessment, best of three taken in turns.

Splits (benchmarks/risk-set/README.md): ``tuning`` chose the signals and thresholds;
``holdout`` was labelled with it and not looked at while choosing, though the second
round's fixes of false highs answer cases the first round reported from it; ``fresh``
(two articles) was written and labelled after the second round's choices were made.
"""

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() and "TRANSFLOW_BENCH_REEXEC" not in os.environ:
    os.environ["TRANSFLOW_BENCH_REEXEC"] = "1"
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
sys.path.insert(0, str(ROOT / "src"))

from transflow import catalog, engines, pipeline, pofile, risk  # noqa: E402
from transflow.glossary import load as load_glossary  # noqa: E402
from transflow.risk import entries as risk_entries  # noqa: E402

SET = ROOT / "benchmarks" / "risk-set"
REFERENCE = "seeds/000_9fed64b574053a66.txt"
SHARE = 0.8  # of the wrong drafts a reviewer wants to have seen
SPLITS = ("tuning", "holdout", "fresh")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_labels() -> dict:
    out = {}
    for line in (SET / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        article, src, draft, label, split, *_ = line.split("\t")
        out[(article, src, draft)] = (label, split)
    return out


def articles(shared: Path) -> list[Path]:
    found = sorted((SET / "articles").glob("*.txt"))
    reference = shared / REFERENCE
    if reference.is_file():
        found.append(reference)
    else:
        print(f"reference article not found at {reference}: its drafts are left out (--shared)")
    return found


def run(paths, out: Path, risk_on: bool) -> tuple[float, float]:
    """Wall and CPU seconds of a translate run (the embedded models run in this
    process's threads, so its CPU time holds theirs; on a shared machine it is the
    steadier measure)."""
    glossary = load_glossary(ROOT / "glossary")
    start, cpu = time.perf_counter(), time.process_time()
    pipeline.translate(paths, ["pt"], glossary=glossary, locales=out, risk=risk_on)
    return time.perf_counter() - start, time.process_time() - cpu


def drafts(paths, locales: Path) -> list[dict]:
    out = []
    for path in paths:
        name = "reference" if path.name == Path(REFERENCE).name else path.stem
        for order, entry in enumerate(e for e in pofile.load(locales / "pt" / "LC_MESSAGES" / f"{path.stem}.po") if not e.obsolete):
            out.append({"article": name, "order": order, "source": entry.msgid, "draft": entry.msgstr,
                        "risk": risk.of_entry(entry), "failed": [line[len(catalog.NOT_APPLIED_PREFIX):]
                                                                  for line in catalog.comment_lines(entry)
                                                                  if line.startswith(catalog.NOT_APPLIED_PREFIX)],
                        "terms": list(risk_entries.glossary_terms(entry)),
                        "unverified": [line[line.index(" (", 0, line.index(catalog.NOT_VERIFIED)) + 2:-1]
                                       for line in catalog.unverified_lines(catalog.comment_lines(entry)).values()]})
    return out


def to_read(ranked: list[dict]) -> int:
    """Drafts read in this order until SHARE of the wrong ones are seen."""
    wrong = sum(d["wrong"] for d in ranked)
    need, seen = -(-int(SHARE * wrong * 1000) // 1000), 0
    for n, d in enumerate(ranked, 1):
        seen += d["wrong"]
        if seen >= need:
            return n
    return len(ranked)


def risk_order(d: dict):
    a = d["risk"]
    return (-(a.rank if a else -1), -len(a.reasons) if a else 0, d["article"], d["order"])


def figures(name: str, rows: list[dict]) -> None:
    if not rows:
        return
    wrong = sum(d["wrong"] for d in rows)
    high = [d for d in rows if d["risk"] and d["risk"].level == risk.HIGH]
    hit = sum(d["wrong"] for d in high)
    medium_up = [d for d in rows if d["risk"] and d["risk"].rank >= 1]
    print(f"{name}: {len(rows)} drafts, {wrong} wrong ({wrong / len(rows):.0%})")
    print(f"  high: {len(high)} drafts = {len(high) / len(rows):.0%} of all (goal <= 30%); "
          f"precision {hit}/{len(high)} = {hit / max(1, len(high)):.0%}; "
          f"recall {hit}/{wrong} = {hit / max(1, wrong):.0%} (goal >= 70%)")
    hit_m = sum(d["wrong"] for d in medium_up)
    print(f"  medium or high: {len(medium_up)} drafts = {len(medium_up) / len(rows):.0%}; "
          f"recall {hit_m}/{wrong} = {hit_m / max(1, wrong):.0%}")
    by_risk = to_read(sorted(rows, key=risk_order))
    by_article = to_read(sorted(rows, key=lambda d: (d["article"], d["order"])))
    by_length = to_read(sorted(rows, key=lambda d: -len(d["source"])))
    print(f"  drafts read to see {SHARE:.0%} of the wrong ones: risk order {by_risk}, "
          f"article order {by_article}, length alone {by_length} (of {len(rows)})")


def signal_table(rows: list[dict]) -> None:
    """What each signal finds with a back-translation of every draft (thresholds off)."""
    from transflow.risk import signals
    from transflow.risk.backtranslation import lacking, neutralised
    from transflow.risk.chrf import chrf

    rev = engines.load_engine(engines.find_model("pt", "en"))
    seen = [signals.Seen(d["source"], d["draft"], "pt", "en", d["failed"], terms=d["terms"]) for d in rows]
    for s, back in zip(seen, rev.translate([s.plain[1] for s in seen])):
        s.back = neutralised(s.plain[0], back, s.terms, "en")
        s.chrf = chrf(s.back, s.plain[0])
        s.lacking, s.content = lacking(s.plain[0], s.back, "en")
    print("signal                      fires  of them wrong   (tuning / held out)")
    for fn in signals.CHEAP:
        line = []
        for split in ("tuning", "holdout"):
            fired = [d for d, s in zip(rows, seen) if d["split"] == split and fn(s)]
            line.append(f"{len(fired):3} {sum(d['wrong'] for d in fired):3}")
        print(f"  {fn.__name__:26} {' / '.join(line)}")
    for cut in (35, 40, 45, 50, 55, 60, 65, 70):
        line = []
        for split in ("tuning", "holdout"):
            fired = [d for d, s in zip(rows, seen) if d["split"] == split and s.chrf is not None
                     and len(s.plain[0].split()) >= signals.MIN_WORDS and s.chrf < cut]
            line.append(f"{len(fired):3} {sum(d['wrong'] for d in fired):3}")
        print(f"  back-translation chrF < {cut:2}  {' / '.join(line)}")
    sized = [(d, s) for d, s in zip(rows, seen) if signals.MIN_WORDS <= len(s.plain[0].split()) < signals.MAX_WORDS]
    for name, test in (("lacking words", lambda s: s.lacks_words),
                       (f"lacking and chrF < {signals.FAR_IF_LACKING:.0f}", lambda s: s.lacks_words and s.chrf < signals.FAR_IF_LACKING)):
        line = []
        for split in ("tuning", "holdout"):
            fired = [d for d, s in sized if d["split"] == split and test(s)]
            line.append(f"{len(fired):3} {sum(d['wrong'] for d in fired):3}")
        print(f"  {name:29} {' / '.join(line)}")


class _Remembered:
    """The reverse engine, each back-translation made once for all the variants."""

    def __init__(self, engine):
        self.engine, self.seen = engine, {}

    def translate(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        self.seen.update(zip(todo, self.engine.translate(todo) if todo else []))
        return [self.seen[t] for t in texts]


def ablation(rows: list[dict]) -> None:
    """High drafts with each change of the second round taken out (and with the first
    round's 4-24-word back-translation), assessed again
    (risk.assess on the labelled drafts, what enforcement reported read from the PO)."""
    import contextlib
    import re

    from transflow import numbers
    from transflow.risk import signals, words

    @contextlib.contextmanager
    def setting(module, name, value):
        old = getattr(module, name)
        setattr(module, name, value)
        try:
            yield
        finally:
            setattr(module, name, old)

    never = re.compile(r"(?!)")
    variants = {
        "as it is": [],
        "without lacking words": [(signals, "LACKING_WORDS", 10**6)],
        "without glossary neutralised": ["no terms"],
        "loanword line 0.5 (round 1)": [(words, "MORE_IN_SOURCE", 0.5)],
        "without age groups": [(numbers, "_AGE_GROUP", never)],
        "back-translating 4-24 words": [(signals, "MAX_WORDS", 25)],
        "round 1 (all five out)": [(signals, "LACKING_WORDS", 10**6), "no terms", (words, "MORE_IN_SOURCE", 0.5),
                                   (numbers, "_AGE_GROUP", never), (signals, "MAX_WORDS", 25)],
    }
    reverse = _Remembered(engines.load_engine(engines.find_model("pt", "en")))
    print("ablation: high drafts share / precision / recall, per split")
    for name, changes in variants.items():
        with contextlib.ExitStack() as stack:
            for change in changes:
                if change != "no terms":
                    stack.enter_context(setting(*change))
            items = [risk.Item(d["source"], d["draft"], tuple(d["failed"]), tuple(d["unverified"]),
                               () if "no terms" in changes else tuple(d["terms"])) for d in rows]
            levels = [a.level for a in risk.assess(items, "pt", "en", reverse)]
        line = []
        for split in SPLITS:
            part = [(d, level) for d, level in zip(rows, levels) if d["split"] == split]
            if not part:
                continue
            high = [d for d, level in part if level == risk.HIGH]
            hit, wrong = sum(d["wrong"] for d in high), sum(d["wrong"] for d, _ in part)
            line.append(f"{split} {len(high) / len(part):.0%} {hit}/{len(high)} {hit}/{wrong}={hit / max(1, wrong):.0%}")
        print(f"  {name:30} " + "   ".join(line))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--signals", action="store_true")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    labels = load_labels()
    paths = articles(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        locales = Path(tmp) / "locales"
        run(paths, locales, True)
        rows, unlabelled = [], 0
        for d in drafts(paths, locales):
            label = labels.get((d["article"], sha(d["source"]), sha(d["draft"])))
            if label is None:
                unlabelled += 1
                continue
            d["label"], d["split"] = label
            d["wrong"] = d["label"] != "acceptable"
            rows.append(d)
        print(f"{len(rows)} labelled drafts; {unlabelled} drafts without a label (the model or enforcement "
              f"now writes another draft, or an article changed)")
        print("labels:", dict(Counter(d["label"] for d in rows)))
        for split in SPLITS:
            figures(f"{split} set", [d for d in rows if d["split"] == split])
        figures("all", rows)
        levels = defaultdict(Counter)
        for d in rows:
            levels[d["risk"].level if d["risk"] else "none"][d["label"]] += 1
        for level in (*risk.LEVELS, "none"):
            if levels[level]:
                print(f"  {level:6} {dict(levels[level])}")
        if args.signals:
            signal_table(rows)
        if args.ablation:
            ablation(rows)

        # Cost: the same run with and without the assessment, in turns, each in a fresh
        # folder (no PO file, no translation memory: every draft is new).
        times = {True: [], False: []}
        for i in range(args.runs):
            for on in (False, True):
                times[on].append(run(paths, Path(tmp) / f"cost-{i}-{on}", on))
        engine = engines.load_engine(engines.find_model("en", "pt"))
        units = list(dict.fromkeys(d["source"] for d in drafts(paths, locales)))
        mts = []
        for _ in range(args.runs):
            start, cpu = time.perf_counter(), time.process_time()
            engine.translate(units)
            mts.append((time.perf_counter() - start, time.process_time() - cpu))
        for k, kind in ((0, "wall"), (1, "CPU")):
            off, on = min(t[k] for t in times[False]), min(t[k] for t in times[True])
            mt = min(t[k] for t in mts)
            print(f"cost ({kind}): run without assessment {off:.2f} s, with {on:.2f} s (best of {args.runs}): "
                  f"+{on - off:.2f} s = +{(on - off) / off:.0%} of the run; the model alone translates the "
                  f"{len(units)} units in {mt:.2f} s, so the assessment adds {(on - off) / mt:.0%} of MT time (goal <= 60%)")


if __name__ == "__main__":
    main()
