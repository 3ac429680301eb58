"""Signals tried for the risk assessment and not kept: how well each separates the
wrong drafts of the labelled set (benchmarks/risk-set) from the good ones, as ROC AUC
(0.5: no better than chance) on each split, beside the back-translation signals kept.

    .venv/bin/python benchmarks/risk_tried.py --shared ../shared

Each is a second opinion that errs differently from the neural model:

- Apertium (Debian: apertium-en-gl, apertium-eng-spa, apertium-pt-gl, apertium-es-pt):
  ``apertium disagreement``, source content words none of whose Apertium candidates
  (en->gl and en->es bilingual dictionaries, mapped to Portuguese through gl->pt and
  es->pt) is in the draft (its words analysed by the pt-gl and pt-es analysers);
  ``apertium sense conflict``, source words whose draft rendering is another of
  eng-spa's listed translations than the one en-gl chooses ("party": en-gl "partido",
  the draft "festas", eng-spa lists "fiesta" too).
- FreeDict English-Portuguese (dict-freedict-eng-por, read from its .index and
  .dict.dz): ``freedict misses``, source words none of whose translations is in the draft.
- The model as a sense probe: ``window probe``, content words of the model's
  translation of overlapping 5-word windows of the source that the draft lacks
  (costs about twice the MT time).

Words match on their first 5 letters, accents folded. Needs the packages above
(`apt-get install apertium-en-gl apertium-eng-spa apertium-pt-gl apertium-es-pt
dict-freedict-eng-por`); a signal whose data is missing is skipped. Remove them after:
apertium-es-pt gives transflow a direct pt->es pair, which tests/test_apertium.py
expects to be a pivot.
"""

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import risk as bench  # noqa: E402  (re-executes under the project's .venv)

from transflow import engines  # noqa: E402
from transflow.risk import signals  # noqa: E402
from transflow.risk.backtranslation import lacking, neutralised  # noqa: E402
from transflow.risk.chrf import chrf  # noqa: E402

APERTIUM = Path("/usr/share/apertium")
FREEDICT = Path("/usr/share/dictd/freedict-eng-por")
CONTENT_TAGS = {"n", "vblex", "adj", "adv"}
_UNIT = re.compile(r"\^((?:[^$\\]|\\.)*)\$")
_SPECIAL = re.compile(r"([\\\[\]^$/<>{}@*#+~|])")


def auc(scores, wrong) -> float:
    pos = [s for s, w in zip(scores, wrong) if w]
    neg = [s for s, w in zip(scores, wrong) if not w]
    if not pos or not neg:
        return float("nan")
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / len(pos) / len(neg)


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")


def present(candidates, found: set) -> bool:
    stems = {fold(f)[:5] for f in found}
    return any(fold(c)[:5] in stems for c in candidates)


def _pipe(command: str, lines: list[str]) -> list[str]:
    text = "\n".join(_SPECIAL.sub(r"\\\1", line.replace("\n", " ")) for line in lines) + "\n"
    return subprocess.run(command, input=text, capture_output=True, text=True, shell=True, check=True).stdout.split("\n")


def _lemma(unit: str) -> tuple[str, list[str]]:
    m = re.match(r"([^<]*)((?:<[^>]+>)*)", unit)
    return m.group(1), re.findall(r"<([^>]+)>", m.group(2))


def source_candidates(sources: list[str], pair: str) -> list[list[tuple[str, list[str]]]]:
    """Per sentence, its content words with their translations (lemma<tags>) in ``pair``'s
    bilingual dictionary: gl (en-gl) or es (eng-spa, after its lexical selection)."""
    if pair == "gl":
        d = APERTIUM / "apertium-en-gl"
        command = (f"lt-proc {d}/en-gl.automorf.bin | apertium-tagger -g {d}/en-gl.prob | apertium-pretransfer"
                   f" | lt-proc -b {d}/en-gl.autobil.bin")
    else:
        d = APERTIUM / "apertium-eng-spa"
        command = (f"lt-proc {d}/eng-spa.automorf.bin | apertium-tagger -g {d}/eng-spa.prob | apertium-pretransfer"
                   f" | apertium-transfer -n {d}/apertium-eng-spa.eng-spa.genitive.t1x {d}/eng-spa.genitive.bin"
                   f" | lt-proc -b {d}/eng-spa.autobil.bin")
    out = []
    for line in _pipe(command, sources)[: len(sources)]:
        words = []
        for unit in _UNIT.findall(line):
            parts = unit.split("/")
            lemma, tags = _lemma(parts[0])
            if tags and tags[0] in CONTENT_TAGS and not lemma.startswith("*"):
                words.append((lemma, [p for p in parts[1:] if p[:1] not in "@*"]))
        out.append(words)
    return out


def to_portuguese(units: set[str], pair: str) -> dict[str, set[str]]:
    """Portuguese lemmas of gl or es lemma<tags> units, through gl->pt or es->pt."""
    bil = APERTIUM / ("apertium-pt-gl/gl-pt.autobil.bin" if pair == "gl" else "apertium-es-pt/es-pt.autobil.bin")
    ordered = sorted(units)
    lines = subprocess.run(f"lt-proc -b {bil}", input="\n".join(f"^{u}$" for u in ordered) + "\n",
                           capture_output=True, text=True, shell=True, check=True).stdout.split("\n")
    out = {}
    for unit, line in zip(ordered, lines):
        found = {_lemma(unit)[0]}
        for parts in (u.split("/") for u in _UNIT.findall(line)):
            found |= {_lemma(p)[0] for p in parts[1:] if not p.startswith("@")}
        out[unit] = found
    return out


def draft_words(drafts: list[str]) -> list[set[str]]:
    """The words and their possible lemmas of each draft (pt-gl and pt-es analysers)."""
    out = [set() for _ in drafts]
    for analyser in (APERTIUM / "apertium-pt-gl/pt-gl.automorf.bin", APERTIUM / "apertium-es-pt/pt-es.automorf.bin"):
        for k, line in enumerate(_pipe(f"lt-proc {analyser}", drafts)[: len(drafts)]):
            for parts in (u.split("/") for u in _UNIT.findall(line)):
                out[k].add(parts[0].lower())
                out[k] |= {_lemma(piece)[0].lower().lstrip("*") for p in parts[1:] for piece in p.split("+")}
    return out


def apertium_scores(rows) -> dict[str, list[float]]:
    have = [APERTIUM / p for p in ("apertium-en-gl", "apertium-eng-spa", "apertium-pt-gl", "apertium-es-pt")]
    if not all(p.is_dir() for p in have):
        print("apertium: apertium-en-gl, apertium-eng-spa, apertium-pt-gl and apertium-es-pt are needed; skipped")
        return {}
    sources, drafts = [d["source"] for d in rows], [d["draft"] for d in rows]
    found = draft_words(drafts)
    by_pair = {}
    for pair in ("gl", "es"):
        cands = source_candidates(sources, pair)
        mapping = to_portuguese({t for s in cands for _, ts in s for t in ts}, pair)
        by_pair[pair] = [{lemma: set().union(*(mapping[t] for t in ts)) if ts else set() for lemma, ts in s} for s in cands]
    disagree, conflict = [], []
    for k in range(len(rows)):
        gl, es = by_pair["gl"][k], by_pair["es"][k]
        disagree.append(sum(1 for c in gl.values() if c and not present(c, found[k])))
        n = 0
        for lemma, chosen in gl.items():
            others = {o for o in es.get(lemma, set()) - chosen if not present([o], chosen)}
            if chosen and others and not present(chosen, found[k]) and any(present([o], found[k]) for o in others):
                n += 1
        conflict.append(n)
    return {"apertium disagreement": disagree, "apertium sense conflict": conflict}


def freedict_scores(rows) -> dict[str, list[float]]:
    index, data = FREEDICT.with_suffix(".index"), Path(str(FREEDICT) + ".dict.dz")
    if not index.is_file() or not data.is_file():
        print("freedict: dict-freedict-eng-por is needed; skipped")
        return {}
    text = gzip.open(data).read()
    digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

    def number(s):
        n = 0
        for c in s:
            n = n * 64 + digits.index(c)
        return n

    entries = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        word, offset, length = line.split("\t")
        entries.setdefault(word.lower(), []).append((number(offset), number(length)))

    def translations(word):
        out = set()
        for offset, length in entries.get(word.lower(), []):
            for line in text[offset:offset + length].decode("utf-8").split("\n")[1:]:
                out |= {t.strip() for t in re.sub(r"^\d+\.\s*", "", line).split(",") if t.strip()}
        return out

    misses = []
    for d in rows:
        here = {w.lower() for w in re.findall(r"\w+", d["draft"])}
        content = {w.lower() for w in re.findall(r"[A-Za-z]+", d["source"]) if len(w) > 3}
        misses.append(sum(1 for w in content if (t := translations(w)) and not present(t, here)))
    return {"freedict misses": misses}


def probe_scores(rows) -> dict[str, list[float]]:
    engine = engines.load_engine(engines.find_model("en", "pt"))
    windows, owner = [], []
    for k, d in enumerate(rows):
        tokens = d["source"].split()
        for i in range(0, max(0, len(tokens) - 5) + 3, 3) if len(tokens) > 5 else ():
            windows.append(" ".join(tokens[i:i + 5]).strip(',.;:"“”'))
            owner.append(k)
    missing = [set() for _ in rows]
    for k, translated in zip(owner, engine.translate(windows)):
        here = {fold(w)[:5] for w in re.findall(r"\w+", rows[k]["draft"])}
        missing[k] |= {fold(w) for w in re.findall(r"\w+", translated) if len(w) > 3 and fold(w)[:5] not in here}
    return {"window probe": [len(m) for m in missing]}


def kept_scores(rows) -> dict[str, list[float]]:
    reverse = engines.load_engine(engines.find_model("pt", "en"))
    seen = [signals.Seen(d["source"], d["draft"], "pt", "en", terms=d["terms"]) for d in rows]
    chrfs, ratios = [], []
    for s, back in zip(seen, reverse.translate([s.plain[1] for s in seen])):
        back = neutralised(s.plain[0], back, s.terms, "en")
        chrfs.append(-chrf(back, s.plain[0]))
        missing, content = lacking(s.plain[0], back, "en")
        ratios.append(len(missing) / max(1, content))
    return {"kept: back-translation chrF (lower)": chrfs, "kept: lacking words share": ratios,
            "source length (words)": [len(d["source"].split()) for d in rows]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=bench.ROOT.parent / "shared")
    args = parser.parse_args()
    labels = bench.load_labels()
    paths = bench.articles(args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        bench.run(paths, Path(tmp) / "locales", False)
        rows = []
        for d in bench.drafts(paths, Path(tmp) / "locales"):
            label = labels.get((d["article"], bench.sha(d["source"]), bench.sha(d["draft"])))
            if label is not None:
                d["label"], d["split"] = label
                d["wrong"] = d["label"] != "acceptable"
                rows.append(d)
    scores = {**kept_scores(rows), **apertium_scores(rows), **freedict_scores(rows), **probe_scores(rows)}
    print(f"ROC AUC against the wrong drafts ({len(rows)} labelled)   " + "   ".join(bench.SPLITS))
    for name, values in scores.items():
        line = []
        for split in bench.SPLITS:
            part = [(v, d["wrong"]) for v, d in zip(values, rows) if d["split"] == split]
            line.append(f"{auc(*zip(*part)):.2f}" if part else "-")
        print(f"  {name:38} " + "      ".join(line))


if __name__ == "__main__":
    main()
