"""Glossary enforcement on whole articles with the embedded en->pt model.

    python benchmarks/enforcement.py [--techniques] [ARTICLE...]

For each article (default: the example): glossary hits (matches of the source
matcher over all units), how many end with the preferred rendering in the draft
(``enforced``; an accepted one counts inside a capitalized name such as "Refugee
Convention"), how many with any accepted rendering, the terms that failed, and the
wall time against plain MT. ``--techniques`` also measures each technique alone.
``measure(paths)`` returns the same numbers as a dict.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from transflow import enforce  # noqa: E402
from transflow.engines import get_engine  # noqa: E402
from transflow.glossary import load, source_matcher, target_matcher  # noqa: E402
from transflow.readers import read  # noqa: E402
from transflow.segment import segment  # noqa: E402

EXAMPLE = ROOT / "examples" / "north-korean-refugees.txt"
GLOSSARY = ROOT / "glossary"
MODES = {
    "plain": (),
    "substitute": ("substitute",),
    "proxy": ("proxy",),
    "mask": ("mask",),
    "combined": enforce.TECHNIQUES,
}


class CountingEngine:
    def __init__(self, engine):
        self.engine, self.calls, self.sentences = engine, 0, 0
        self.info = getattr(engine, "info", None)  # the model id keys the probe cache

    def translate(self, texts):
        self.calls += 1
        self.sentences += len(texts)
        return self.engine.translate(texts)


def score(glossary, lang, texts, drafts, matcher=None):
    """Hits, enforced (preferred, or accepted inside a name), accepted, failed term ids, and
    agreement errors (a placed rendering whose determiner before or adjective after
    does not agree with it)."""
    matcher = matcher or source_matcher(glossary)
    accepted = target_matcher(glossary, lang)
    forbidden = target_matcher(glossary, lang, "forbidden")
    judge = enforce.Enforcer(None, glossary, lang, matcher, techniques=())
    hits = enforced = ok = errors = 0
    failed = []
    for text, draft in zip(texts, drafts):
        unit_hits = judge._hits(text)
        if not unit_hits:
            continue
        need = {}
        for h in unit_hits:
            need[h.term.id] = need.get(h.term.id, 0) + 1
        strict = judge._count_preferred(draft, unit_hits)
        acc = {}
        for m in accepted.find(draft):
            acc[m.term.id] = acc.get(m.term.id, 0) + 1
        bad = {m.term.id for m in forbidden.find(draft)}
        if judge.rules is not None:
            nouns = {h.term.id for h in unit_hits if h.term.pos == "noun" and not h.dnt}
            errors += sum(judge.rules.disagreements(draft, m.start, m.end)
                          for m in judge.preferred.find(draft) if m.term.id in nouns)
        for tid, n in need.items():
            hits += n
            s = 0 if tid in bad else min(n, strict.get(tid, 0))
            a = 0 if tid in bad else min(n, acc.get(tid, 0))
            enforced += s
            ok += a
            failed += [tid] * (n - s)
    return hits, enforced, ok, failed, errors


def _best_time(run, repeat):
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = run()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return result, best


def measure(paths=None, lang="pt", modes=("combined",), engine=None, glossary=None, show=0, repeat=3) -> dict:
    """``{article: {mode: {hits, enforced, accepted, rate, errors, failed, seconds, plain_seconds,
    calls, sentences}}}``; times are the best of ``repeat`` runs, probes translated each time."""
    paths = [Path(p) for p in (paths or [EXAMPLE])]
    engine = engine or get_engine("en", lang, "bergamot")
    glossary = glossary or load(GLOSSARY)
    matcher = source_matcher(glossary)
    report = {}
    for path in paths:
        texts = [u.text for u in segment(read(path))]
        plain, plain_seconds = _best_time(lambda: engine.translate(texts), repeat)
        report[str(path)] = per_mode = {}
        for mode in modes:
            counting = CountingEngine(engine)
            if mode == "plain":
                drafts, seconds = list(plain), plain_seconds
            else:
                def run():
                    enforce._PROBES.clear()  # cold: the probes are part of the cost
                    counting.calls = counting.sentences = 0
                    e = enforce.Enforcer(counting, glossary, lang, matcher, techniques=MODES[mode])
                    return [d.text for d in e.run(texts)]

                drafts, seconds = _best_time(run, repeat)
            hits, enforced, accepted, failed, errors = score(glossary, lang, texts, drafts, matcher)
            per_mode[mode] = {
                "units": len(texts),
                "hits": hits,
                "enforced": enforced,
                "accepted": accepted,
                "rate": 100.0 * enforced / hits if hits else 100.0,
                "errors": errors,
                "failed": sorted(set(failed)),
                "seconds": seconds,
                "plain_seconds": plain_seconds,
                "calls": counting.calls,
                "sentences": counting.sentences,
            }
            if show and mode != "plain":
                changed = [(s, p, d) for s, p, d in zip(texts, plain, drafts) if p != d]
                for s, p, d in changed[:show]:
                    print(f"  EN: {s}\n  MT: {p}\n  ->  {d}\n")
    return report


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    modes = ("combined",)
    show = 0
    if "--techniques" in argv:
        argv.remove("--techniques")
        modes = tuple(MODES)
    if "--show" in argv:
        argv.remove("--show")
        show = 1000
    report = measure(argv or None, modes=modes, show=show)
    for path, per_mode in report.items():
        print(Path(path).name)
        for mode, r in per_mode.items():
            print(
                f"  {mode:<10} hits {r['hits']:3}  enforced {r['enforced']:3}  rate {r['rate']:5.1f}%  "
                f"accepted {r['accepted']:3}  agreement errors {r['errors']}  failed {r['failed'] or '-'}  "
                f"time {r['seconds']:.2f}s (plain MT {r['plain_seconds']:.2f}s, {r['calls']} calls, "
                f"{r['sentences']} sentences)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
