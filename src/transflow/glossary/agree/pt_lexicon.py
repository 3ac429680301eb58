"""Gender and number of Portuguese words from data: the table tools/make_pt_lexicon.py
generates from the pt_PT Hunspell dictionary (pt_lexicon.txt, MPL-1.1).

``analyses("refugiadas")`` -> ``{"Afp", "Nfp", "Pfp"}``: category (N noun, A adjective, P
past participle), gender (m, f, c: either, as "jornalista") and number (s, p, i:
invariable). An empty set: the word is not in the table (or is no noun, adjective or
participle). Brazilian spellings are found through their European ones
("econômicos" -> "económicos"). The file is read once, on first use (a few
milliseconds), and a lookup searches only the block of forms that share the word's
first two letters.
"""

from functools import lru_cache
from pathlib import Path

_PATH = Path(__file__).with_name("pt_lexicon.txt")
_table: tuple[str, dict[str, tuple[int, int]]] | None = None
# Brazilian -> European spelling of the vowels the two norms accent differently.
_EUROPEAN = str.maketrans({"ô": "ó", "ê": "é"})


def _load() -> tuple[str, dict[str, tuple[int, int]]]:
    global _table
    if _table is None:
        text = _PATH.read_text(encoding="utf-8")
        at = 0
        points = []
        while text.startswith("#", at):
            end = text.index("\n", at)
            if text.startswith("# index ", at):
                points = [p.rsplit(":", 1) for p in text[at + 8:end].split()]
            at = end + 1
        # "\n" before the body, so every form is found as "\n<form>\t".
        body = "\n" + text[at:]
        offsets = [int(o) for _, o in points] + [len(body) - 1]
        _table = (body, {k: (s, e + 1) for (k, _), s, e in zip(points, offsets, offsets[1:])})
    return _table


def _find(word: str) -> frozenset[str]:
    body, index = _load()
    block = index.get(word[:2])
    if block is None:
        return frozenset()
    key = "\n" + word + "\t"
    at = body.find(key, *block)
    if at < 0:
        return frozenset()
    return frozenset(body[at + len(key): body.index("\n", at + len(key))].split(","))


@lru_cache(maxsize=8192)
def analyses(word: str) -> frozenset[str]:
    w = word.lower()
    found = _find(w)
    if not found and w.translate(_EUROPEAN) != w:
        found = _find(w.translate(_EUROPEAN))
    return found
