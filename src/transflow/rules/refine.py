"""Correct pysbd's sentence spans with a language's :class:`~transflow.rules.Rules`.

Two passes over the spans of one block: split after a dotted acronym when a
sentence-starting word follows ("...in the U.S. He said"), then glue back pieces
pysbd cut after a title ("Dr."), before a number ("No. 5", "Jan. 5"), after a time
followed by a day ("9 p.m. Friday"), or inside a quotation or brackets that close
within the block. ``protected`` ranges (inline markup) are never cut either.
"""

import re

from . import Rules

_LAST_WORD = re.compile(r"(\S+)$")
_FIRST_WORD = re.compile(r"[\"'“‘«(\[]*([^\s\"'”’»)\],;:]+)")
_OPENERS_BEFORE = set(" \t\n\r([{—–-/\"“‘«")


def refine(text: str, spans: list[tuple[int, int]], rules: Rules, protected=()) -> list[tuple[int, int]]:
    spans = _split_more(text, spans, rules)
    if len(spans) < 2:
        return spans
    enclosed = [(o, c) for o, c in enclosures(text, rules) if _ends_inside(spans, o, c) <= rules.max_enclosed_ends]
    keep_out = list(protected) + enclosed
    out = [spans[0]]
    for start, end in spans[1:]:
        prev_start, prev_end = out[-1]
        if _glue(text, prev_start, prev_end, start, rules) or _inside(keep_out, prev_end, start):
            out[-1] = (prev_start, end)
        else:
            out.append((start, end))
    return out


def _split_more(text, spans, rules):
    """Cut spans where a rule says a sentence always ends."""
    patterns = [re.compile(p) for p in rules.split_at]
    if rules.starters:
        starters = "|".join(sorted(map(re.escape, rules.starters), key=len, reverse=True))
        patterns.append(re.compile(r"\b(?:[A-Z]\.){2,}(\s+)(?=(?:" + starters + r")\b(?![.'’]))"))
    out = []
    for start, end in spans:
        cuts = sorted({m.span(1) for rx in patterns for m in rx.finditer(text, start, end)})
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_start > cursor:
                out.append((cursor, cut_start))
                cursor = cut_end
        out.append((cursor, end))
    return out


def _glue(text, prev_start, prev_end, start, rules) -> bool:
    """Whether the cut between ``text[prev_start:prev_end]`` and the piece at ``start`` is false."""
    m = _LAST_WORD.search(text, prev_start, prev_end)
    if not m or not m.group(1).endswith("."):
        return False
    word = m.group(1).lstrip("(\"'“‘[")
    bare = word[:-1].lower()
    nxt = _FIRST_WORD.match(text, start)
    following = nxt.group(1) if nxt else ""
    if bare in rules.titles:
        return True
    if bare in rules.before_number and following[:1].isdigit():
        return True
    if word.lower() in rules.time_suffixes and following.lower() in rules.after_time:
        return True
    return False


def _inside(ranges, prev_end, start) -> bool:
    """Whether the cut between a piece ending at ``prev_end`` and one starting at ``start``
    falls inside one of ``ranges`` (open offset, offset of the closing character)."""
    return any(o < prev_end and c >= start for o, c in ranges)


def _ends_inside(spans, o, c) -> int:
    return sum(1 for _, end in spans if o < end < c)


def enclosures(text: str, rules: Rules) -> list[tuple[int, int]]:
    """(open, close) offsets of each quotation or bracket pair that closes in ``text``.

    Straight quotes are told apart by what stands beside them; an apostrophe
    ("don't", "the groups' leaders") opens nothing and closes only a quotation that
    is open.
    """
    pairs = list(rules.quotes) + list(rules.brackets)
    opening = {o for o, _ in pairs}
    closing = {c: o for o, c in pairs}
    stack: list[tuple[str, int]] = []
    out = []
    for i, ch in enumerate(text):
        if ch not in opening and ch not in closing:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        symmetric = ch in opening and ch in closing and closing[ch] == ch
        if ch in closing and any(o == closing[ch] for o, _ in stack):
            if symmetric and before in _OPENERS_BEFORE:
                pass  # a straight quote after a space opens (nesting of the same mark is not English)
            elif ch in "'’" and after.isalnum():
                continue  # an apostrophe inside a word
            else:
                while stack:
                    o, at = stack.pop()
                    if o == closing[ch]:
                        out.append((at, i))
                        break
                continue
        if ch in opening:
            if ch in "'‘" and not (before in _OPENERS_BEFORE and after.isalnum()):
                continue  # "don't", "'90s" after a letter: not a quotation
            if symmetric and before not in _OPENERS_BEFORE:
                continue  # a closing-looking straight quote with nothing open
            stack.append((ch, i))
    return out
