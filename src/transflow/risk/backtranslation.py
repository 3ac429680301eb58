"""Back-translation: the draft translated back into the source language by the reverse
model, compared with the source.

A draft whose meaning drifted tends to come back as other words ("were 'utterly
groundless'" -> "eram 'com base absoluta'" -> "were 'absolutely based'"); a faithful one
comes back close to the source. The comparison is chrF (chrf.py); the reason a reviewer
reads quotes the longest stretch of the back-translation that differs from the source,
with the source's words there. The reverse model makes its own mistakes and paraphrases
freely, so this is a signal of degree, weighed against the others in signals.py.
"""

import difflib
import re

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
MAX_WORDS = 6  # words quoted from each side


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


def _join(tokens: list[str]) -> str:
    words = tokens[:MAX_WORDS]
    text = ""
    for t in words:
        text += t if (not text or not t[0].isalnum() and t not in "(\"“") else " " + t
    text = text.strip(" ,.;:")
    return text + (" …" if len(tokens) > MAX_WORDS else "")
