"""Glossary enforcement with the embedded en->pt model: on whole articles, and on a set
of sentences with the expected Portuguese written by a reader.

    python benchmarks/enforcement.py [--techniques] [ARTICLE...]
    python benchmarks/enforcement.py --set [--show]

``--set``: the desk-style glossary ``enforcement-set/desk-glossary.tbx`` (imported as
`transflow glossary import` would) and the sentences of ``enforcement-set/sentences.yaml``,
scored against the expected text, never with the agreement rules enforcement uses:
the approved rendering present (per source hit), the words bracketed in the expected
text present verbatim (agreement, per sentence), the words outside them unchanged and
no bracketed word changed in number (or in gender where it tells a person's sex:
meaning, per sentence), whether each miss was flagged for the reviewer (failed or
unverified), and the time against plain MT with the probes remembered. Held-out
sentences (written after the rules were done) are reported apart. Then the same for
the example article with the project glossary.

For each article (default: the example): glossary hits (matches of the source
matcher over all units), how many end with the preferred rendering in the draft
(``enforced``; an accepted one counts inside a capitalized name such as "Refugee
Convention"), how many with any accepted rendering, the terms that failed, and the
wall time against plain MT. ``--techniques`` also measures each technique alone.
``measure(paths)`` returns the same numbers as a dict.
"""

import difflib
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from transflow import enforce  # noqa: E402
from transflow.engines import get_engine  # noqa: E402
from transflow.glossary import (  # noqa: E402
    Glossary,
    Matcher,
    exchange,  # noqa: E402
    inflect,
    load,
    source_matcher,
    target_matcher,
)
from transflow.readers import read  # noqa: E402
from transflow.segment import segment  # noqa: E402

EXAMPLE = ROOT / "examples" / "north-korean-refugees.txt"
GLOSSARY = ROOT / "glossary"
SET = Path(__file__).resolve().parent / "enforcement-set"
SET_LANG = "pt_BR"
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
    """Hits, enforced (preferred, or accepted inside a name), accepted, and failed term ids.
    Agreement is not graded here: the rules that made it would grade themselves (see
    ``--set`` for agreement against a reader's expected text)."""
    matcher = matcher or source_matcher(glossary)
    accepted = target_matcher(glossary, lang)
    forbidden = target_matcher(glossary, lang, "forbidden")
    judge = enforce.Enforcer(None, glossary, lang, matcher, techniques=())
    hits = enforced = ok = 0
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
        for tid, n in need.items():
            hits += n
            s = 0 if tid in bad else min(n, strict.get(tid, 0))
            a = 0 if tid in bad else min(n, acc.get(tid, 0))
            enforced += s
            ok += a
            failed += [tid] * (n - s)
    return hits, enforced, ok, failed


def _best_time(run, repeat):
    best, result = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        result = run()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return result, best


def measure(paths=None, lang="pt", modes=("combined",), engine=None, glossary=None, show=0, repeat=3) -> dict:
    """``{article: {mode: {hits, enforced, accepted, rate, flagged, failed, seconds, plain_seconds,
    calls, sentences}}}``; times are the best of ``repeat`` runs, probes translated each time.
    ``flagged``: drafts enforcement says it could not verify (Draft.unverified)."""
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
            flagged = 0
            if mode == "plain":
                drafts, seconds = list(plain), plain_seconds
            else:
                def run():
                    enforce._PROBES.clear()  # cold: the probes are part of the cost
                    counting.calls = counting.sentences = 0
                    e = enforce.Enforcer(counting, glossary, lang, matcher, techniques=MODES[mode])
                    return e.run(texts)

                found, seconds = _best_time(run, repeat)
                drafts = [d.text for d in found]
                flagged = sum(1 for d in found if d.unverified)
            hits, enforced, accepted, failed = score(glossary, lang, texts, drafts, matcher)
            per_mode[mode] = {
                "units": len(texts),
                "hits": hits,
                "enforced": enforced,
                "accepted": accepted,
                "rate": 100.0 * enforced / hits if hits else 100.0,
                "flagged": flagged,
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


# --- the sentence set ---------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def desk_glossary(path=None) -> Glossary:
    """The set's TBX glossary as `transflow glossary import` turns it into terms."""
    path = Path(path or SET / "desk-glossary.tbx")
    found = exchange.read(path)
    terms, _ = exchange.assemble(found.concepts, str(path), source_language=found.source_language)
    return Glossary(terms, found.source_language, [str(path)])


def parse_expected(text: str) -> tuple[list[str], list[int]]:
    """Tokens of an expected text and, per token, 0 outside brackets, 1 inside, 2 inside [!...]."""
    tokens, marks, level = [], [], 0
    for m in re.finditer(r"\[!?|\]|[^\[\]]+", text):
        piece = m.group()
        if piece.startswith("["):
            level = 2 if piece == "[!" else 1
        elif piece == "]":
            level = 0
        else:
            for t in _TOKEN.findall(piece):
                tokens.append(t)
                marks.append(level)
    return tokens, marks


def spans(text: str) -> list[str]:
    return [" ".join(_TOKEN.findall(m.group(1))) for m in re.finditer(r"\[!?([^\]]*)\]", text)]


def _number_mark(word: str) -> bool:
    return word.lower().endswith("s")


_GENDER_PAIRS = {("o", "a"), ("os", "as"), ("um", "uma"), ("uns", "umas"), ("do", "da"), ("dos", "das"),
                 ("no", "na"), ("nos", "nas"), ("ao", "à"), ("aos", "às"), ("pelo", "pela"), ("pelos", "pelas")}


def _sex_differs(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return (a, b) in _GENDER_PAIRS or (b, a) in _GENDER_PAIRS or (a[:-1] == b[:-1] and {a[-1:], b[-1:]} == {"o", "a"}) \
        or (a[:-2] == b[:-2] and {a[-2:], b[-2:]} == {"os", "as"})


def judge(draft: str, expected: str) -> tuple[bool, bool]:
    """(agreement right, meaning changed) of ``draft`` against one expected text."""
    low = " ".join(_TOKEN.findall(draft)).lower()
    agree = True
    at = 0
    for span in spans(expected):
        found = re.search(r"(?<!\w)" + re.escape(span.lower()) + r"(?!\w)", low[at:])
        if not found:
            agree = False
            break
        at += found.end()
    tokens, marks = parse_expected(expected)
    got = _TOKEN.findall(draft)
    changed = False
    ops = difflib.SequenceMatcher(None, [t.lower() for t in tokens], [t.lower() for t in got], autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            continue
        inside = marks[i1:i2]
        if op == "insert" or not all(inside) or i2 - i1 != j2 - j1:
            changed = True
            continue
        for k in range(i2 - i1):
            a, b = tokens[i1 + k], got[j1 + k]
            if a.lower() == b.lower():
                continue
            if _number_mark(a) != _number_mark(b) or (marks[i1 + k] == 2 and _sex_differs(a, b)):
                changed = True
    return agree, changed


def _approved(glossary: Glossary, lang: str) -> Matcher:
    """The preferred rendering of each term in any of its forms (or the name as written)."""
    entries = []
    for term in glossary.terms:
        r = term.rendering(lang)
        if r is None:
            continue
        phrase = term.source if r.do_not_translate else r.preferred
        for form in sorted(inflect.forms(lang, phrase, term.pos) | ({getattr(r, "plural", None)} - {None})):
            entries.append((form, term, phrase))
    return Matcher(entries)


def _timed_runs(engine, glossary, lang, texts, repeat):
    """(drafts, plain outputs, enforcement seconds, plain seconds, enforcement CPU seconds,
    plain CPU seconds), probes remembered (learned in a first run), best of ``repeat``
    taken in turns. The CPU seconds (this process's, the engine's threads included) move
    less than wall time on a shared machine."""
    enforce.translate_units(engine, texts, glossary, lang)
    plain_s, enforced_s, plain_cpu, enforced_cpu, plain, drafts = [], [], [], [], None, None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        plain = engine.translate(texts)
        plain_s.append(time.perf_counter() - t)
        plain_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        drafts = enforce.translate_units(engine, texts, glossary, lang)
        enforced_s.append(time.perf_counter() - t)
        enforced_cpu.append(time.process_time() - c)
    return drafts, plain, min(enforced_s), min(plain_s), min(enforced_cpu), min(plain_cpu)


def measure_set(engine=None, repeat=3, show=False) -> dict:
    """The set's figures per part ("dev", "held-out", "all")."""
    engine = engine or get_engine("en", "pt", "bergamot")
    glossary = desk_glossary()
    items = yaml.safe_load((SET / "sentences.yaml").read_text(encoding="utf-8"))
    texts = [i["en"] for i in items]
    drafts, plain, seconds, plain_seconds, cpu, plain_cpu = _timed_runs(engine, glossary, SET_LANG, texts, repeat)
    matcher = source_matcher(glossary)
    approved = _approved(glossary, SET_LANG)
    parts: dict[str, dict] = {}
    for item, draft, mt in zip(items, drafts, plain):
        need: dict[str, int] = {}
        for m in matcher.find(item["en"]):
            if m.term.rendering(SET_LANG) is not None:
                need[m.term.id] = need.get(m.term.id, 0) + 1
        have: dict[str, int] = {}
        for m in approved.find(draft.text):
            have[m.term.id] = have.get(m.term.id, 0) + 1
        hits = sum(need.values())
        present = sum(min(n, have.get(t, 0)) for t, n in need.items())
        verdicts = [judge(draft.text, e) for e in [item["expected"], *item.get("also", [])]]
        agree = any(a for a, _ in verdicts)
        changed = all(c for _, c in verdicts)
        flagged = bool(draft.failed or draft.unverified)
        miss = present < hits or not agree or changed
        for part in (item.get("part", "dev"), "all"):
            r = parts.setdefault(part, {"sentences": 0, "hits": 0, "present": 0, "agree": 0, "changed": 0,
                                        "misses": 0, "misses_flagged": 0, "flagged": 0, "failed": []})
            r["sentences"] += 1
            r["hits"] += hits
            r["present"] += present
            r["agree"] += agree
            r["changed"] += changed
            r["misses"] += miss
            r["misses_flagged"] += miss and flagged
            r["flagged"] += flagged
            if miss and part == "all":
                r["failed"].append((item["en"], mt, draft.text, item["expected"], flagged, draft.unverified))
        if show:
            mark = "ok " if not miss else ("MISS flagged" if flagged else "MISS")
            print(f"{mark}\n  EN: {item['en']}\n  MT: {mt}\n  ->  {draft.text}\n  ex: {item['expected']}"
                  + (f"\n  unverified: {draft.unverified}" if draft.unverified else "") + "\n")
    parts["all"].update(seconds=seconds, plain_seconds=plain_seconds, cpu=cpu, plain_cpu=plain_cpu)
    return parts


def example_timing(engine=None, repeat=7) -> tuple[float, float, float, float]:
    """(enforcement seconds, plain MT seconds, and the same in CPU seconds) on the example
    article with the project glossary, probes remembered, best of ``repeat``."""
    engine = engine or get_engine("en", "pt", "bergamot")
    texts = [u.text for u in segment(read(EXAMPLE))]
    return _timed_runs(engine, load(GLOSSARY), "pt", texts, repeat)[2:]


def timing_line(what: str, seconds, plain_seconds, cpu, plain_cpu, goal="") -> str:
    return (f"{what}, probes remembered: {seconds:.2f} s / plain MT {plain_seconds:.2f} s = "
            f"{100 * (seconds / plain_seconds - 1):+.0f}%; CPU {cpu:.2f} s / {plain_cpu:.2f} s = "
            f"{100 * (cpu / plain_cpu - 1):+.0f}%{goal}")


def set_lines(parts: dict) -> list[str]:
    out = []
    for part in ("dev", "held-out", "all"):
        r = parts.get(part)
        if not r:
            continue
        n = r["sentences"]
        out.append(f"enforcement set, {part}: {n} sentences, {r['hits']} term hits; approved rendering present "
              f"{r['present']}/{r['hits']} = {100 * r['present'] / r['hits']:.1f}% (goal >= 98%); agreement as expected "
              f"{r['agree']}/{n} = {100 * r['agree'] / n:.1f}% (goal >= 95%); meaning changed {r['changed']}/{n} = "
              f"{100 * r['changed'] / n:.1f}% (goal <= 2%); misses flagged {r['misses_flagged']}/{r['misses']} "
              f"(flagged in all: {r['flagged']})")
    r = parts["all"]
    out.append(timing_line("enforcement set, time", r["seconds"], r["plain_seconds"], r["cpu"], r["plain_cpu"]))
    return out


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--set" in argv:
        engine = get_engine("en", "pt", "bergamot")
        parts = measure_set(engine, show="--show" in argv)
        for line in set_lines(parts):
            print(line)
        project = measure(engine=engine, repeat=1)[str(EXAMPLE)]["combined"]
        print(f"example article, project glossary: {project['enforced']}/{project['hits']} hits with the preferred "
              f"rendering, {project['flagged']} of {project['units']} drafts flagged not verified")
        print(timing_line("example article, project glossary, time", *example_timing(engine), " (goal <= +25%)"))
        return 0
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
                f"accepted {r['accepted']:3}  flagged not verified {r['flagged']}  failed {r['failed'] or '-'}  "
                f"time {r['seconds']:.2f}s (plain MT {r['plain_seconds']:.2f}s, {r['calls']} calls, "
                f"{r['sentences']} sentences)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
