"""The span refinement (rules/refine.py) is linear in the block length and gives the
spans of the straightforward quadratic version it replaced, kept here as the reference."""

import re
import time

from conftest import EXAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from transflow.rules import get
from transflow.rules import refine as r
from transflow.segment import _collapse, _pysbd_spans


def reference_refine(text, spans, rules, protected=()):
    """refine() as it was before it was made linear (transflow 617c760)."""
    spans = r._split_more(text, spans, rules)
    if len(spans) < 2:
        return spans
    enclosed = [(o, c) for o, c in reference_enclosures(text, rules)
                if sum(1 for _, end in spans if o < end < c) <= rules.max_enclosed_ends]
    keep_out = list(protected) + enclosed
    out = [spans[0]]
    for start, end in spans[1:]:
        prev_start, prev_end = out[-1]
        if reference_glue(text, prev_start, prev_end, start, rules) or any(
                o < prev_end and c >= start for o, c in keep_out):
            out[-1] = (prev_start, end)
        else:
            out.append((start, end))
    return out


def reference_glue(text, prev_start, prev_end, start, rules):
    m = re.compile(r"(\S+)$").search(text, prev_start, prev_end)
    if not m or not m.group(1).endswith("."):
        return False
    word = m.group(1).lstrip("(\"'“‘[")
    bare = word[:-1].lower()
    nxt = r._FIRST_WORD.match(text, start)
    following = nxt.group(1) if nxt else ""
    return (bare in rules.titles or (bare in rules.before_number and following[:1].isdigit())
            or (word.lower() in rules.time_suffixes and following.lower() in rules.after_time))


def reference_enclosures(text, rules):
    pairs = list(rules.quotes) + list(rules.brackets)
    opening = {o for o, _ in pairs}
    closing = {c: o for o, c in pairs}
    stack, out = [], []
    for i, ch in enumerate(text):
        if ch not in opening and ch not in closing:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        symmetric = ch in opening and ch in closing and closing[ch] == ch
        if ch in closing and any(o == closing[ch] for o, _ in stack):
            if symmetric and before in r._OPENERS_BEFORE:
                pass
            elif ch in "'’" and after.isalnum():
                continue
            else:
                while stack:
                    o, at = stack.pop()
                    if o == closing[ch]:
                        out.append((at, i))
                        break
                continue
        if ch in opening:
            if ch in "'‘" and not (before in r._OPENERS_BEFORE and after.isalnum()):
                continue
            if symmetric and before not in r._OPENERS_BEFORE:
                continue
            stack.append((ch, i))
    return out


TOKENS = ["Dr.", "Mr.", "No.", "Jan.", "Art.", "5", "33", "p.m.", "a.m.", "Friday", "U.S.", "D.P.R.K.", "He", "She",
          "It", "said.", "the", "refugees", "end.", "Go!", "Why?", "…", "Nobody", "don't", "'90s", "(", ")", "[", "]",
          '"', "“", "”", "‘", "’", "'", "«", "»", "x.", "Prof.", "a", "Sr.", "vol."]


@st.composite
def block(draw):
    words = draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=60))
    gaps = draw(st.lists(st.sampled_from([" ", " ", "", "  ", "\n"]), min_size=len(words), max_size=len(words)))
    return "".join(w + g for w, g in zip(words, gaps))


@settings(max_examples=300, deadline=None)
@given(block(), st.sampled_from(["en", "pt", "de"]), st.data())
def test_refine_gives_the_reference_spans(text, lang, data):
    rules = get(lang)
    for variant in (_collapse(text)[0], text):
        spans = _pysbd_spans(variant, lang)
        if data.draw(st.booleans()) and len(variant) > 1:
            # Any cuts at all, not only pysbd's.
            cuts = sorted(data.draw(st.sets(st.integers(1, len(variant) - 1), max_size=12)))
            spans = [(a, b) for a, b in zip([0, *cuts], [*cuts, len(variant)])]
        protected = []
        if len(variant) > 1:
            for o in data.draw(st.lists(st.integers(0, len(variant) - 2), max_size=3)):
                protected.append((o, data.draw(st.integers(o, len(variant) - 1))))
        assert r.refine(variant, spans, rules, protected) == reference_refine(variant, spans, rules, protected)
        assert r.enclosures(variant, rules) == reference_enclosures(variant, rules)


def test_refine_gives_the_reference_spans_on_the_example_article():
    flat, _ = _collapse(EXAMPLE.read_text(encoding="utf-8"))
    spans = _pysbd_spans(flat, "en")
    assert r.refine(flat, spans, get("en")) == reference_refine(flat, spans, get("en"))


def test_refine_is_linear_in_the_block_length():
    # A 5 MB single-line article is one block of ~50,000 sentences, with quotations,
    # brackets and titles all through it. The quadratic version took 14 s on it.
    body = re.sub(r"\s+", " ", EXAMPLE.read_text(encoding="utf-8"))
    unit = body + ' He said "Dr. Kim left (in 2019). No. 5 stayed." Then Dr. Lee arrived at 9 p.m. Friday. '
    text = unit * (5_000_000 // len(unit) + 1)
    spans = [m.span() for m in re.finditer(r"\S.*?[.!?](?= |$)", text)]
    assert len(spans) > 40_000
    started = time.perf_counter()
    out = r.refine(text, spans, get("en"))
    elapsed = time.perf_counter() - started
    assert len(spans) > len(out) > 10_000
    assert elapsed < 5, f"refine took {elapsed:.1f} s on a 5 MB block"
