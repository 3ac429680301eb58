"""Back-translation: the draft translated back into the source language by the reverse
model, compared with the source.

A draft whose meaning drifted tends to come back as other words ("were 'utterly
groundless'" -> "eram 'com base absoluta'" -> "were 'absolutely based'"); a faithful one
comes back close to the source. The comparison is chrF (chrf.py); the reason a reviewer
reads quotes the longest stretch of the back-translation that differs from the source,
with the source's words there. The reverse model makes its own mistakes and paraphrases
freely, so this is a signal of degree, weighed against the others in signals.py.

chrF weighs every character alike, so one wrong word in a long sentence barely moves it;
the content words of the source that the back-translation lacks (:func:`lacking`) count
the words instead: "lawmakers seized on the ruling" came back as "legislators made the
decision", lacking "lawmakers", "seized", "ruling". Function words (the most frequent of
the source language, by its word list) are left out of that count.

A glossary term's approved rendering comes back as the reverse model's word for it,
often not the source's ("desertor" -> "deserter" for "defector"): that difference is the
desk's choice, not a drift, so it is put back as the source's words before comparing
(:func:`neutralised`).
"""

import difflib
import re

from ..glossary import inflect
from . import words

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
MAX_WORDS = 6  # words quoted from each side
# Source words at or above this Zipf frequency (once per million words) are function
# words: "the", "would", "said", "there".
FUNCTION_ZIPF = 6.0
# A back-translation word stands for a source word when both start with the same
# STEM letters ("ruled", "ruling") or are this alike (difflib's ratio: "mould" and
# "mold", "tyres" and "tires": the reverse model writes American spelling).
STEM = 5
ALIKE = 0.8


def differing(source: str, back: str) -> tuple[str, str] | None:
    """The longest stretch of ``back`` that is not in ``source``, and what the source
    has in its place ("" when nothing): (back-translation words, source words)."""
    src, bt = _TOKEN.findall(source), _TOKEN.findall(back)
    matcher = difflib.SequenceMatcher(None, [t.lower() for t in src], [t.lower() for t in bt], autojunk=False)
    best, size = None, 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            words = [t for t in bt[j1:j2] if t[0].isalnum()]
            weight = sum(len(t) for t in words)
            if weight > size:
                best, size = (i1, i2, j1, j2), weight
    if best is None:
        return None
    i1, i2, j1, j2 = best
    return _join(bt[j1:j2]), _join(src[i1:i2])


def lacking(source: str, back: str, lang: str) -> tuple[list[str], int]:
    """The content words of ``source`` that ``back`` has no word for, and how many
    content words ``source`` has; ([], 0) when ``lang`` has no word list."""
    if words.wordlist(lang) is None:
        return [], 0
    content = [w for w in words.words(source) if words.zipf(w.lower(), lang) < FUNCTION_ZIPF]
    back_words = {w.lower() for w in words.words(back)}
    missing = []
    for w in content:
        low = w.lower()
        if low not in back_words and not any(_alike(low, b) for b in back_words) and w not in missing:
            missing.append(w)
    return missing, len(content)


def _alike(a: str, b: str) -> bool:
    if len(a) >= STEM and len(b) >= STEM and a[:STEM] == b[:STEM]:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= ALIKE


def neutralised(source: str, back: str, terms, lang: str) -> str:
    """``back`` with the words standing where the source has one of ``terms`` (glossary
    source terms whose rendering the draft holds, as its ``#. glossary:`` lines say) put
    back as the source's words; ``lang``: the source's language, for the terms' forms.
    Only a stretch of the back-translation that replaces nothing but the term (a word
    longer at most) is put back, so words the back-translation adds around it still count."""
    src, bt = _TOKEN.findall(source), _TOKEN.findall(back)
    covered = _term_positions(src, terms, lang)
    if not covered:
        return back
    matcher = difflib.SequenceMatcher(None, [t.lower() for t in src], [t.lower() for t in bt], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        words = [i for i in range(i1, i2) if src[i][0].isalnum()]
        if op == "replace" and words and all(i in covered for i in words) and j2 - j1 <= i2 - i1 + 1:
            out += src[i1:i2]
        else:
            out += bt[j1:j2]
    return " ".join(out)


def _term_positions(tokens: list[str], terms, lang: str) -> set[int]:
    low = [t.lower() for t in tokens]
    covered = set()
    for term in terms:
        for form in inflect.forms(lang, term, "noun"):
            seq = [t.lower() for t in _TOKEN.findall(form)]
            for i in range(len(low) - len(seq) + 1):
                if seq and low[i : i + len(seq)] == seq:
                    covered.update(range(i, i + len(seq)))
    return covered


def _join(tokens: list[str]) -> str:
    words = tokens[:MAX_WORDS]
    text = ""
    for t in words:
        text += t if (not text or not t[0].isalnum() and t not in "(\"“") else " " + t
    text = text.strip(" ,.;:")
    return text + (" …" if len(tokens) > MAX_WORDS else "")
