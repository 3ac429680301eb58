"""Correct pysbd's sentence spans with a language's :class:`~transflow.rules.Rules`.

Two passes over the spans of one block: split after a dotted acronym when a
sentence-starting word follows ("...in the U.S. He said"), then glue back pieces
pysbd cut after a title ("Dr."), before a number ("No. 5", "Jan. 5"), after a time
followed by a day ("9 p.m. Friday"), before an enumerator after a word ("that (a) is
included"), or inside a quotation or brackets that close within the block. ``protected`` ranges (inline markup) are never cut either.

Linear in the block length (a 5 MB single-line article is one block): the
enclosure and protected-range tests are answered from arrays sorted once per block,
and no scan restarts from the start of a growing glued piece.
"""

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from . import Rules

_LAST_WORD = re.compile(r"(\S+)$")
_FIRST_WORD = re.compile(r"[\"'“‘«(\[]*([^\s\"'”’»)\],;:]+)")
_OPENERS_BEFORE = set(" \t\n\r([{—–-/\"“‘«")
# An enumerator in running text: "(a)", "(ii)", "(2)".
_ENUMERATOR = re.compile(r"\((?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s")


def refine(text: str, spans: list[tuple[int, int]], rules: Rules, protected=()) -> list[tuple[int, int]]:
    spans = _split_more(text, spans, rules)
    if len(spans) < 2:
        return spans
    ends = sorted(end for _, end in spans)
    enclosed = [(o, c) for o, c in enclosures(text, rules) if _ends_inside(ends, o, c) <= rules.max_enclosed_ends]
    inside = _covering(list(protected) + enclosed)
    out = [spans[0]]
    # The cut before span i lies between the end of span i - 1 and the start of span i,
    # whether or not span i - 1 was glued to the ones before it.
    last_start = spans[0][0]
    for start, end in spans[1:]:
        prev_start, prev_end = out[-1]
        if _glue(text, prev_start, prev_end, start, rules, last_start) or inside(prev_end, start):
            out[-1] = (prev_start, end)
        else:
            out.append((start, end))
        last_start = start
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


def _glue(text, prev_start, prev_end, start, rules, near=None) -> bool:
    """Whether the cut between ``text[prev_start:prev_end]`` and the piece at ``start`` is false.

    ``near``: the start of the last span glued into the piece, where its last word is
    looked for first, so a piece glued from many spans is not searched from its start
    again for each.
    """
    last = _last_word(text, prev_start, prev_end, near)
    if last and last[-1] not in ".!?…:;\"'”’)]" and _ENUMERATOR.match(text, start):
        return True  # pysbd's list rule cut before "(a)" inside a sentence ("that (a) is included")
    if not last or not last.endswith("."):
        return False
    word = last.lstrip("(\"'“‘[")
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


def _last_word(text, start, end, near=None) -> str:
    """What ``(\\S+)$`` finds in ``text[start:end]`` ("" for nothing); from ``near`` on
    when the word found there is whole."""
    if near is not None and start < near < end:
        m = _LAST_WORD.search(text, near, end)
        if m and (m.start() > near or text[near - 1].isspace()):
            return m.group(1)
    m = _LAST_WORD.search(text, start, end)
    return m.group(1) if m else ""


def _covering(ranges):
    """``inside(prev_end, start)``: whether the cut between a piece ending at ``prev_end``
    and one starting at ``start`` falls inside one of ``ranges`` (open offset, offset of
    the closing character), i.e. some range opens before ``prev_end`` and closes at or
    after ``start``. Each answer is a binary search, not a pass over every range."""
    ranges = sorted(ranges)
    opens = [o for o, _ in ranges]
    reach = list(accumulate((c for _, c in ranges), max))  # the furthest close among ranges[:i + 1]

    def inside(prev_end, start) -> bool:
        i = bisect_left(opens, prev_end)  # ranges[:i] open before prev_end
        return i > 0 and reach[i - 1] >= start

    return inside


def _ends_inside(ends, o, c) -> int:
    """How many of the sorted span ``ends`` lie strictly between ``o`` and ``c``."""
    return max(0, bisect_left(ends, c) - bisect_right(ends, o))


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
    depth = dict.fromkeys(opening, 0)  # how many of each opening mark the stack holds
    out = []
    chars = sorted(m for m in opening | set(closing) if len(m) == 1)
    if not chars:
        return out
    marks = re.compile("[" + "".join(map(re.escape, chars)) + "]")
    for m in marks.finditer(text):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        symmetric = ch in opening and ch in closing and closing[ch] == ch
        if ch in closing and depth[closing[ch]]:
            if symmetric and before in _OPENERS_BEFORE:
                pass  # a straight quote after a space opens (nesting of the same mark is not English)
            elif ch in "'’" and after.isalnum():
                continue  # an apostrophe inside a word
            else:
                while stack:
                    o, at = stack.pop()
                    depth[o] -= 1
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
            depth[ch] += 1
    return out
