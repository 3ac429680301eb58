"""Inline markup as numbered placeholders: ``[1]text[/1]`` for a pair, ``[2/]`` for a lone piece.

HTML units carry them in their text (the PO msgid), so a translator moves words
without touching markup, and ``build`` puts the tags back. Before machine
translation, Markdown markup (links, code spans, emphasis), URLs and inline HTML
are turned into the same shape and restored afterwards (:class:`ProtectingEngine`).

The shape was measured on the embedded en->pt model (``benchmarks/placeholders.py``,
36 sentences with marked spans): ``[1]..[/1]`` kept by the raw model in 31, where
``<x1>``, ``<1>``, ``{1}`` and ``⟦1⟧`` were kept in none (the model drops ``<``, ``{``
and ``⟦``); ``%1..%/1`` did better (34) but reads worse for a translator. Through
:class:`ProtectingEngine` all 36 drafts keep their markup.
What the model or a translator loses is put back by :func:`repair`: a lost opening
at the start, a lost closing at the end, a lost pair around the whole text, so the
markup is always complete and well nested.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# Markers of any number: a unit of 3,763 linked names has 3,763 pairs.
TOKEN = re.compile(r"\[(/?)(\d+)(/?)\]")


def open_ph(n: int | str) -> str:
    return f"[{n}]"


def close_ph(n: int | str) -> str:
    return f"[/{n}]"


def void_ph(n: int | str) -> str:
    return f"[{n}/]"


@dataclass
class Table:
    """What each placeholder of one text stands for, in source order."""

    pairs: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (opening, closing) markup
    voids: dict[int, str] = field(default_factory=dict)  # id -> markup
    order: list[int] = field(default_factory=list)  # ids as they first appear

    def __bool__(self) -> bool:
        return bool(self.order)


class Numbers:
    """Hands out placeholder numbers that do not already appear as literal text."""

    def __init__(self, literal_text: str):
        self.taken = {int(m.group(2)) for m in TOKEN.finditer(literal_text)}
        self.next = 1

    def __call__(self) -> int:
        while self.next in self.taken:
            self.next += 1
        self.next += 1
        return self.next - 1


def _role(m: re.Match) -> str | None:
    slash_before, slash_after = m.group(1), m.group(3)
    if slash_before and slash_after:
        return None
    return "close" if slash_before else "void" if slash_after else "open"


def split(text: str, table: Table) -> list[str | tuple[int, str]]:
    """``text`` cut at the placeholders of ``table``: its pieces of text and, between
    them, each placeholder as (number, "open" | "close" | "void"). Other bracketed
    numbers are text."""
    parts: list[str | tuple[int, str]] = []
    cursor = 0
    for m in TOKEN.finditer(text):
        n, role = int(m.group(2)), _role(m)
        if (role == "void" and n in table.voids) or (role in ("open", "close") and n in table.pairs):
            parts += [text[cursor:m.start()], (n, role)]
            cursor = m.end()
    parts.append(text[cursor:])
    return parts


def repair(text: str, table: Table, source: str = "") -> tuple[str, bool]:
    """``text`` with every placeholder of ``table`` exactly once and well nested.

    Returns the text and whether anything had to be changed. See :func:`mend`.
    """
    fixed, notes = mend(text, table, source)
    return fixed, bool(notes) or fixed != text


def mend(text: str, table: Table, source: str = "") -> tuple[str, list[str]]:
    """``text`` with every placeholder of ``table`` exactly once, well nested and never
    inside a pair the source does not have it in, and what was wrong, in words (nothing
    when the markers were whole).

    The page's structure is the source's then: a link the model wrapped around another
    link, or a citation it moved inside a link, would be an ``<a>`` inside an ``<a>``,
    which a browser takes apart. A second copy of a marker goes (the first counts); a
    pair that lost one marker gets it at the start or the end; a pair that lost both,
    closes across another, or stands inside a pair it was not in (``source``: the
    unit's text) loses both and is put back: around the words it had in the source
    where the text has them as they are (names, figures), else around the longest
    stretch of words it may stand in (the whole text, when the source lets every
    marker outside pairs stand in it); a standalone marker that was lost or moved inside
    such a pair goes at the end. Linear in the number of markers.
    """
    if not table:
        return text, []
    notes: list[str] = []
    if source:
        text, strays = _without_strays(text, table, source)
        if strays:
            notes.append(f"{', '.join(strays[:3])}{' ...' if len(strays) > 3 else ''} not in the source: taken out")
    seen: set[tuple[int, str]] = set()
    parts: list[str | tuple[int, str]] = []
    doubled = []
    for part in split(text, table):
        if isinstance(part, tuple):
            if part in seen:
                doubled.append(_render(*part))
                continue
            seen.add(part)
        parts.append(part)
    if doubled:
        notes.append(f"{', '.join(doubled[:3])}{' ...' if len(doubled) > 3 else ''} doubled: the second dropped")
    # A pair that kept one marker gets the other at the start or the end, where its
    # words most likely begin or end; one that kept neither is put back below.
    opens = [n for n in table.order if n in table.pairs and (n, "open") not in seen and (n, "close") in seen]
    closes = [n for n in table.order if n in table.pairs and (n, "close") not in seen and (n, "open") in seen]
    lost = [n for n in table.order if n in table.pairs and (n, "open") not in seen and (n, "close") not in seen]
    if opens or closes:
        parts = [(n, "open") for n in reversed(opens)] + parts + [(n, "close") for n in closes]
        notes += [f"{open_ph(n)} lost: put at the start" for n in opens]
        notes += [f"{close_ph(n)} lost: put at the end" for n in closes]
    if lost:
        notes.append(f"{_some(lost)} lost")
    crossing = _crossing(parts, set(lost))
    if crossing:
        notes.append(f"{_some(crossing)} crossed another pair")
    parents = _parents(source, table) if source else None
    if parents is not None:
        parts, cut = _unnest(parts, set(lost) | set(crossing), parents)
        if cut:
            notes.append(f"{_some(cut)} ran on over another pair: closed before it")
    misplaced, moved_voids = _misplaced(parts, set(lost) | set(crossing), parents)
    if misplaced:
        notes.append(f"{_some(misplaced)} stood inside a pair the source does not have it in")
    gone = set(lost) | set(crossing) | set(misplaced)
    if gone or moved_voids:
        parts = [p for p in parts if isinstance(p, str) or (p[1] == "void" and p[0] not in moved_voids)
                 or (p[1] != "void" and p[0] not in gone)]
    for k, n in enumerate(n for n in table.order if n in gone):
        # Each placement is a pass over the text: a few dozen at most, so a draft that
        # lost thousands of links is still mended in linear time (the rest stay empty).
        parts, where = _put_back(parts, n, source, parents) if k < MAX_PLACED else (parts + [(n, "open"), (n, "close")], "")
        notes.append(f"{open_ph(n)}...{close_ph(n)} put back {where or EMPTY}")
    voids = [n for n in table.order if n in table.voids and ((n, "void") not in seen or n in moved_voids)]
    if voids:
        parts += [(n, "void") for n in voids]
        # One that ends the source (a citation after the full stop) is back where it was.
        trailing = _trailing(source)
        moved = [n for n in voids if n not in trailing]
        if moved:
            notes.append(f"{_some([_render(n, 'void') for n in moved], marker=False)} "
                         f"{'lost' if all((n, 'void') not in seen for n in moved) else 'misplaced'}: put at the end")
    out = "".join(p if isinstance(p, str) else _render(*p) for p in parts)
    return out, notes


# Lost pairs put back where their words are; the others come back empty at the end.
MAX_PLACED = 32


_CONTENT_WORD = re.compile(r"\w[\w'’-]*")
# Words between two of the pair's words in the sentence that still make one stretch.
_WINDOW_GAP = 2
_STEM = 5


def _window(text: str, words: str) -> tuple[int, int] | None:
    """Where in ``text`` the content words of ``words`` (3 letters or more, or their first five) stand
    together: the stretch of text from the first to the last of them, when it holds at
    least half of them with at most :data:`_WINDOW_GAP` other words between any two,
    and no placeholder. The stretch with the most of them wins; None when there is none."""
    wanted = {w.lower() for w in _CONTENT_WORD.findall(words) if len(w) >= 3}
    if not wanted:
        return None
    # a word counts by its first five letters too: the pair alone and the sentence may
    # inflect it differently ("montado" / "montada", "reconhecido" / "reconheceu")
    stems = {w[:_STEM]: w for w in wanted if len(w) >= _STEM}
    tokens = list(_CONTENT_WORD.finditer(text))

    def word(m: re.Match) -> str | None:
        w = m.group(0).lower()
        return w if w in wanted else stems.get(w[:_STEM]) if len(w) >= _STEM else None

    hits = [(i, w) for i, m in enumerate(tokens) if (w := word(m))]
    best = None
    k = 0
    while k < len(hits):
        j = k  # hits[k..j] is one stretch
        while j + 1 < len(hits) and hits[j + 1][0] - hits[j][0] <= _WINDOW_GAP + 1:
            j += 1
        count = Counter(w for _, w in hits[k:j + 1])
        first, last = k, j
        # the shortest stretch with all of them: "conta Hulu, visite sua página de conta"
        # is "sua página de conta" for "sua página da conta"
        while first < last and count[hits[first][1]] > 1:
            count[hits[first][1]] -= 1
            first += 1
        while last > first and count[hits[last][1]] > 1:
            count[hits[last][1]] -= 1
            last -= 1
        if len(count) * 2 >= len(wanted) and (best is None or len(count) > best[0]):
            at, end = tokens[hits[first][0]].start(), tokens[hits[last][0]].end()
            if not TOKEN.search(text[at:end]):
                best = (len(count), at, end)
        k = j + 1
    return best[1:] if best else None


def _without_strays(text: str, table: Table, source: str) -> tuple[str, list[str]]:
    """``text`` without the markers that are neither in ``table`` nor text of ``source``:
    the model invents one now and then ("um café da manhã [1][2] pode ..." for a
    source with [1] alone), which would be printed as "[2]" on the built page."""
    literal = _literal(source, table)
    out, strays, cursor = [], [], 0
    for m in TOKEN.finditer(text):
        n, role = int(m.group(2)), _role(m)
        if ((role == "void" and n in table.voids) or (role in ("open", "close") and n in table.pairs)
                or m.group(0) in literal):
            continue
        strays.append(m.group(0))
        before, after = text[cursor:m.start()], text[m.end():m.end() + 1]
        # one space of the two around it goes with it
        out.append(before[:-1] if before.endswith(" ") and (after == " " or not after) else before)
        cursor = m.end()
    if not strays:
        return text, []
    out.append(text[cursor:])
    return "".join(out), strays


def _parents(source: str, table: Table) -> dict[int, int | None]:
    """The pair each marker of ``source`` stands in (None: in none)."""
    out: dict[int, int | None] = {}
    stack: list[int] = []
    for part in split(source, table):
        if isinstance(part, str):
            continue
        n, role = part
        if role == "close":
            if stack and stack[-1] == n:
                stack.pop()
            continue
        out.setdefault(n, stack[-1] if stack else None)
        if role == "open":
            stack.append(n)
    return out


def _may_stand_in(n: int, parent: int | None, parents: dict | None) -> bool:
    """Whether the source lets marker ``n`` stand in pair ``parent``: at the top, or in
    a pair the source has it in (directly or further out)."""
    if parent is None or parents is None:
        return True
    up, steps = parents.get(n), 0
    while up is not None and steps <= len(parents):
        if up == parent:
            return True
        up, steps = parents.get(up), steps + 1
    return False


def _unnest(parts, gone: set[int], parents) -> tuple[list, list[int]]:
    """``parts`` with each pair that holds a pair the source does not have in it closed
    just before that pair opens ("[1]Kim Jong e [2]Lee[/2][/1]" for "[1]Kim Jong[/1] and
    [2]Lee[/2]": the model ran the first link on), and the pairs so closed."""
    out: list = []
    stack: list[int] = []
    early: set[int] = set()
    cut: list[int] = []
    for p in parts:
        if isinstance(p, str) or p[0] in gone or p[1] == "void":
            out.append(p)
            continue
        n, role = p
        if role == "open":
            # close the pairs it may not stand in, innermost first, while the one further
            # out would take it
            while stack and not _may_stand_in(n, stack[-1], parents) and (
                    len(stack) == 1 or _may_stand_in(n, stack[-2], parents)) and _may_stand_in_closed(out, stack[-1]):
                outer = stack.pop()
                out.append((outer, "close"))
                early.add(outer)
                cut.append(outer)
            stack.append(n)
            out.append(p)
        elif n in early:
            continue  # closed already
        else:
            if stack and stack[-1] == n:
                stack.pop()
            out.append(p)
    return out, cut


def _may_stand_in_closed(out: list, n: int) -> bool:
    """Whether pair ``n``, opened in ``out``, has words of its own before it is closed
    there (a link closed before any word would be empty)."""
    for p in reversed(out):
        if p == (n, "open"):
            return False
        if isinstance(p, str) and p.strip():
            return True
    return False


def _misplaced(parts, gone: set[int], parents) -> tuple[list[int], set[int]]:
    """Pairs, and standalone markers, that stand inside a pair the source does not have
    them in (the pairs in ``gone`` left out: they go anyway)."""
    if parents is None:
        return [], set()
    stack: list[int] = []
    pairs, voids, dropped = [], set(), set()
    for p in parts:
        if isinstance(p, str) or p[0] in gone:
            continue
        n, role = p
        top = stack[-1] if stack else None
        if role == "void":
            if not _may_stand_in(n, top, parents):
                voids.add(n)
        elif role == "open":
            if _may_stand_in(n, top, parents):
                stack.append(n)
            else:
                pairs.append(n)
                dropped.add(n)
        elif n not in dropped and stack and stack[-1] == n:
            stack.pop()
    return pairs, voids


def _put_back(parts, n: int, source: str, parents):
    """``parts`` with the pair ``n`` put back where the source lets it stand: around its
    words in the source where a piece of text holds them as they are (a name, a figure),
    else around the longest piece of words; and where it went, in words."""
    words = _inner(source, n) if source else ""
    pattern = re.compile(r"(?<!\w)" + re.escape(words) + r"(?!\w)") if words else None
    # Around everything, when the source lets every marker the text has outside pairs
    # stand inside this one (its words were most of the sentence, or all of it).
    outside = [p[0] for p, depth in _depths(parts) if not isinstance(p, str) and depth == 0 and p[1] != "close"]
    whole = parents is None or all(_may_stand_in(m, n, parents) for m in outside)
    stack: list[int] = []
    best, size = None, 0
    for k, p in enumerate(parts):
        if not isinstance(p, str):
            if p[1] == "open":
                stack.append(p[0])
            elif p[1] == "close" and stack:
                stack.pop()
            continue
        if not _may_stand_in(n, stack[-1] if stack else None, parents):
            continue
        if pattern is not None and (m := pattern.search(p)):
            return parts[:k] + [p[:m.start()], (n, "open"), m.group(0), (n, "close"), p[m.end():]] + parts[k + 1:], (
                f"around {words!r}")
        letters = sum(c.isalpha() for c in p)
        if letters > size:
            best, size = k, letters
    if whole and any(isinstance(p, str) and p.strip() for p in parts):
        return [(n, "open")] + parts + [(n, "close")], WHOLE
    if best is None:
        return parts + [(n, "open"), (n, "close")], ""
    p = parts[best]
    a, b = len(p) - len(p.lstrip()), len(p.rstrip())
    return parts[:best] + [p[:a], (n, "open"), p[a:b], (n, "close"), p[b:]] + parts[best + 1:], (
        f"{LONGEST} {_short(p[a:b])!r}")


def _depths(parts):
    """Each part with how many pairs it stands in."""
    depth = 0
    for p in parts:
        if not isinstance(p, str) and p[1] == "close":
            depth -= 1
        yield p, depth
        if not isinstance(p, str) and p[1] == "open":
            depth += 1


def _short(words: str) -> str:
    return words if len(words) <= 40 else words[:37] + "..."


def _trailing(source: str) -> set[int]:
    """The standalone markers that end ``source`` (citations after its last word)."""
    out = set()
    end = len(source.rstrip())
    for m in reversed(list(TOKEN.finditer(source))):
        if m.end() != end or _role(m) != "void":
            break
        out.add(int(m.group(2)))
        end = len(source[:m.start()].rstrip())
    return out


def problems_in(notes: list[str]) -> list[str]:
    """The notes of :func:`mend` that say what was wrong, not where it was put back."""
    return [n for n in notes if " put " not in n]


def _some(numbers, marker: bool = True) -> str:
    shown = [f"{open_ph(n)}...{close_ph(n)}" if marker else n for n in numbers[:3]]
    return ", ".join(shown) + (f" and {len(numbers) - 3} more" if len(numbers) > 3 else "")


def _crossing(parts, lost: set[int]) -> list[int]:
    """Pairs (not in ``lost``) that close across another pair, or close before they open:
    dropping them leaves the others well nested."""
    stack: list[int] = []
    where: dict[int, int] = {}  # open pair -> its position in the stack
    bad: list[int] = []
    for p in parts:
        if isinstance(p, str) or p[0] in lost or p[1] == "void":
            continue
        n, role = p
        if role == "open":
            where[n] = len(stack)
            stack.append(n)
        elif n not in where:
            bad.append(n)  # closed before it opened
        elif stack[-1] == n:
            stack.pop()
            del where[n]
        else:  # closes across the pairs opened inside it: it goes, they stay
            bad.append(n)
            stack[where[n]] = -1  # a hole: closed, not matched again
            del where[n]
        while stack and stack[-1] == -1:
            stack.pop()
    return bad


# How a repair note says a pair went where nothing in the translation told where it
# belongs: the reviewer has to place it (and the risk assessment says so).
WHOLE = "around the whole text"
LONGEST = "around the longest run of words,"
EMPTY = "empty at the end"
REPAIRED = "markers repaired: "


def guessed(note: str) -> list[str]:
    """The repairs of a `markers repaired:` note (as :func:`draft_note` writes it) that
    placed a pair by guess: around the whole text, the longest run of words, or empty."""
    if not note.startswith(REPAIRED):
        return []
    return [part for part in note[len(REPAIRED):].split("; ")
            if " put back " in part and any(how in part for how in (WHOLE, LONGEST, EMPTY))]


def draft_note(notes: list[str]) -> str:
    """The `#. mt:` line of a draft whose HTML markers were repaired: what a reviewer
    checks ("" when the model kept them)."""
    return REPAIRED + "; ".join(dict.fromkeys(notes)) if notes else ""


def _render(n: int, role: str) -> str:
    return {"open": open_ph, "close": close_ph, "void": void_ph}[role](n)


def well_nested(parts) -> bool:
    """Whether the markers among ``parts`` (text, or (number, "open"|"close"|"void")) pair up
    and nest."""
    stack = []
    for p in parts:
        if isinstance(p, str):
            continue
        n, role = p
        if role == "open":
            stack.append(n)
        elif role == "close":
            if not stack or stack.pop() != n:
                return False
    return not stack


def fill(text: str, table: Table, escape: Callable[[str], str] = lambda s: s, source: str = "") -> tuple[str, bool]:
    """Placeholders replaced by their markup (after :func:`repair`); the words between
    them pass through ``escape``. Returns the text and whether a repair was needed."""
    text, changed = repair(text, table, source)
    out, cursor = [], 0
    for m in TOKEN.finditer(text):
        n, role = int(m.group(2)), _role(m)
        if role == "void" and n in table.voids:
            markup = table.voids[n]
        elif role in ("open", "close") and n in table.pairs:
            markup = table.pairs[n][0 if role == "open" else 1]
        else:
            continue
        out.append(escape(text[cursor:m.start()]))
        out.append(markup)
        cursor = m.end()
    out.append(escape(text[cursor:]))
    return "".join(out), changed


# --- Markdown and plain text before machine translation ---------------------------

_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK = re.compile(r"(!?\[)(?!/?\d+/?\])((?:[^\[\]]|\[[^\[\]]*\])+)(\]\([^()\s]*(?:\([^()\s]*\))?[^()\s]*(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\])")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"\bhttps?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"”’]")
_STRONG = re.compile(r"(?<![*\w])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![*\w])")
_EMPHASIS = re.compile(r"(?<![*\w\\])(\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_\\])\1(?![*\w])")


def protect(text: str) -> tuple[str, Table]:
    """Markdown markup, URLs and inline HTML in ``text`` as placeholders, for the MT engine."""
    table = Table()
    numbers = Numbers(text)

    def void(m):
        n = numbers()
        table.voids[n] = m.group(0)
        table.order.append(n)
        return void_ph(n)

    def pair(opening, inner, closing):
        n = numbers()
        table.pairs[n] = (opening, closing)
        table.order.append(n)
        return open_ph(n) + inner + close_ph(n)

    out = _CODE.sub(void, text)
    out = _AUTOLINK.sub(void, out)
    out = _LINK.sub(lambda m: pair(m.group(1), m.group(2), m.group(3)), out)
    out = _URL.sub(void, out)
    out = _STRONG.sub(lambda m: pair(m.group(1), m.group(2), m.group(1)), out)
    out = _EMPHASIS.sub(lambda m: pair(m.group(1), m.group(2), m.group(1)), out)
    return out, table


def unit_table(text: str) -> Table:
    """The placeholders already in a unit's text (an HTML unit), each standing for itself."""
    table = Table()
    seen: set[int] = set()
    closes: set[int] = set()
    for m in TOKEN.finditer(text):
        n, role = int(m.group(2)), _role(m)
        if role == "void":
            table.voids.setdefault(n, m.group(0))
        elif role == "open":
            table.pairs.setdefault(n, (open_ph(n), close_ph(n)))
        elif role == "close":
            closes.add(n)
        if role and n not in seen:
            seen.add(n)
            table.order.append(n)
    unclosed = {n for n in table.pairs if n not in closes}
    for n in unclosed:
        del table.pairs[n]
    if unclosed:
        table.order = [n for n in table.order if n not in unclosed]
    return table


def tidy(text: str, source: str) -> str:
    """Spaces the model put inside a placeholder pair ("[1] o relatório [/1]") moved out,
    where the source has none."""
    tight_open, tight_close = set(), set()  # markers the source writes against their words
    for m in TOKEN.finditer(source):
        role = _role(m)
        if role == "open" and m.end() < len(source) and not source[m.end()].isspace():
            tight_open.add(m.group(2))
        elif role == "close" and m.start() > 0 and not source[m.start() - 1].isspace():
            tight_close.add(m.group(2))
    if not tight_open and not tight_close:
        return text

    def move(m: re.Match) -> str:
        if m.group("open") is not None and m.group("open") in tight_open:
            return (" " if m.group("before") else "") + f"[{m.group('open')}]"
        if m.group("close") is not None and m.group("close") in tight_close:
            return f"[/{m.group('close')}]" + (" " if m.group("after").isalnum() else "")
        return m.group(0)

    # One pass over the text for every marker: one substitution per marker was
    # quadratic in a unit of thousands of links.
    return _TIDY.sub(move, text)


# The character before an opening marker and after a closing one are looked at, not
# taken: "[/1][2]" has both markers' neighbours.
_TIDY = re.compile(r"(?:(?<=(?P<before>\S)))?\[(?P<open>\d+)\]\s+|\s+\[/(?P<close>\d+)\](?=(?P<after>\S?))")


# Name-like tokens the en->pt model copies verbatim (measured in enforce.py): stand-ins
# for code spans and URLs in the plain version of a sentence.
_NAME_MASKS = ("Kowalski", "Xavierzo", "Zorbek", "Tenzin")
# Below this word overlap with the plain translation, a translation made with
# placeholders is taken to have lost words (the model sometimes drops a span's words
# or leaves them in English).
MIN_AGREEMENT = 0.6


def _merged(a: Table, b: Table) -> Table:
    t = Table(dict(a.pairs), dict(a.voids), list(a.order))
    for n in b.order:
        if n in b.pairs:
            t.pairs[n] = b.pairs[n]
        else:
            t.voids[n] = b.voids[n]
        t.order.append(n)
    return t


def _words(text: str) -> list[str]:
    return TOKEN.sub(" ", text).lower().split()


def _agreement(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


_ENGLISH_WORD = re.compile(r"(?<![\w'’])[a-z]{3,}(?![\w'’])")
# What a translation keeps as written: figures, and words in capitals after the first
# letter ("iPhone", "NASA", "McCain"): names the model copies.
_KEPT_AS_WRITTEN = re.compile(r"\d+(?:[.,]\d+)*|\b\w*[a-z]\w*[A-Z]\w*\b|\b[A-Z]{2,}\b")


def _doubtful(marked: str, masked: str, table: Table) -> bool:
    """Whether the model's draft with placeholders needs the plain translation to be
    judged: a marker lost, doubled or crossed, a pair left empty, a pair whose words
    came back as the source's with a lower-case word in them ("[1]connected[/1]": a
    name stays as written), a pair that lost a figure or a name the model keeps as
    written, or far fewer letters than the source (words dropped)."""
    fixed, notes = mend(marked, table, masked)
    if notes:
        return True
    for n in table.pairs:
        inside, source = _inner(fixed, n), _inner(masked, n)
        if source and (not inside or (inside == source and _ENGLISH_WORD.search(source))):
            return True
        # a figure or a name the words inside had that are not inside any more: the
        # model moved the markers along a list ("[10]Graças ao[/10]" for "[10]Reader 10[/10]")
        kept = set(_KEPT_AS_WRITTEN.findall(inside))
        if any(word not in kept for word in _KEPT_AS_WRITTEN.findall(source)):
            return True
    if _stretched(fixed, masked, table):
        return True
    letters = sum(c.isalpha() for c in TOKEN.sub("", masked))
    return sum(c.isalpha() for c in TOKEN.sub("", marked)) < 0.6 * letters


def _stretched(marked: str, masked: str, table: Table) -> list[int]:
    """Pairs the model ran over most of the sentence: at least half of the draft's
    words and three more than the source's pair, where the source's pair holds less
    than half of its words ("[1]Summary[/1] Studies show ..." came back as one link
    around the whole translated paragraph)."""
    total_source, total = len(_words(masked)), len(_words(marked))
    out = []
    for n in table.pairs:
        source_in, inside = len(_inner(masked, n).split()), len(_inner(marked, n).split())
        if source_in * 2 < total_source and inside * 2 >= total and inside >= source_in + 3:
            out.append(n)
    return out


def _inner(text: str, n: int) -> str:
    m = re.search(re.escape(open_ph(n)) + r"(.*?)" + re.escape(close_ph(n)), text)
    return TOKEN.sub("", m.group(1)).strip() if m else ""


class ProtectingEngine:
    """An engine wrapper: markup goes to the model as placeholders and comes back intact.

    A sentence with markup is translated with placeholders first. When the model kept
    them (each once, well nested, none left empty, no lower-case English left inside
    one, and about as many letters as the source has), that is the draft: three
    sentences with links in four on real news pages. The others are translated again
    in a second batch, plain (code and URLs as name-like tokens), and the words inside
    each pair alone; the placeholder version is kept when it says what the plain one
    says, else the plain translation is used and each pair is put around the words the
    placeholder version (or the source) had inside it. What still cannot be placed is
    put back by :func:`mend`, so every draft carries the complete markup.

    Translating every marked sentence plain too, in one batch, cost 2 to 3 times the
    model's time on a page full of links (a page took 4.1 times its article text alone).
    """

    def __init__(self, engine):
        self.engine = engine
        self.info = getattr(engine, "info", None)
        self.repaired = 0  # drafts whose markup had to be repaired
        self.replaced = 0  # drafts taken from the plain translation
        # text -> what was done to its markers, in words (nothing when the model kept them)
        self.markup_notes: dict[str, list[str]] = {}

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, texts):
        texts = list(texts)
        jobs = []
        for text in texts:
            masked, table = protect(text)
            jobs.append((masked, table, _merged(table, unit_table(text))))
        out = self.engine.translate([m for m, _, _ in jobs])
        again = [i for i, (m, _, t) in enumerate(jobs) if t and _doubtful(out[i], m, t)]
        plain = {i: self._plain(jobs[i][0], jobs[i][2]) for i in again}
        # the words inside each pair, alone: where they went in the plain translation
        inners = sorted({w for i in plain for n in jobs[i][2].pairs if (w := _inner(jobs[i][0], n))})
        second = self.engine.translate([p for p, _ in plain.values()] + inners) if plain else []
        plain_out = dict(zip(plain, second[:len(plain)]))
        alone = dict(zip(inners, second[len(plain):]))
        result = []
        for i, (masked, table, combined) in enumerate(jobs):
            text = out[i]
            if i in plain:
                text, notes = self._choose(text, masked, combined, plain_out[i], plain[i][1], alone)
                if notes:
                    self.markup_notes[texts[i]] = notes
            elif combined:
                text = mend(text, combined, masked)[0]
            if combined:
                text = tidy(text, masked)
            result.append(fill(text, table)[0])
        return result

    @staticmethod
    def _plain(masked: str, table: Table) -> tuple[str, dict]:
        """The sentence without pair placeholders, voids as name-like tokens."""
        names = {}
        voids = [n for n in table.order if n in table.voids]
        free = [name for name in _NAME_MASKS if name not in masked]  # enforce.py masks with them too
        for n, name in zip(voids, free) if len(voids) <= len(free) else ():
            names[n] = name

        def sub(m):
            n, role = int(m.group(2)), _role(m)
            if role == "void" and n in names:
                return names[n]
            if role in ("open", "close") and n in table.pairs:
                return ""
            return m.group(0)

        return " ".join(TOKEN.sub(sub, masked).split()), names

    def _choose(self, marked: str, masked: str, table: Table, plain: str, names: dict, alone: dict) -> tuple[str, list[str]]:
        """The draft with its markers, and what was done to them (nothing: the model kept them)."""
        fixed, notes = mend(marked, table, masked)
        changed = bool(notes)
        empty = any(not _inner(fixed, n) and _inner(masked, n) for n in table.pairs)
        # words left in English inside a pair that the plain translation did translate
        untranslated = any(
            _inner(fixed, n).lower() == _inner(masked, n).lower() and _inner(masked, n).lower() not in plain.lower()
            for n in table.pairs if _inner(masked, n)
        )
        stretched = _stretched(fixed, masked, table)
        if not (changed or empty or untranslated or stretched) and _agreement(marked, plain) >= MIN_AGREEMENT:
            return fixed, []
        broken = problems_in(notes) if changed else [f"{open_ph(n)}...{close_ph(n)} came back empty" for n in table.pairs
                                                     if not _inner(fixed, n) and _inner(masked, n)] if empty else []
        broken += [f"{open_ph(n)}...{close_ph(n)} ran over most of the sentence" for n in stretched]
        self.replaced += 1
        text = plain
        for n, name in names.items():
            if text.count(name) == 1:
                text = text.replace(name, void_ph(n))
        for n in table.order:
            if n not in table.pairs:
                continue
            source_words = _inner(masked, n)
            # the model's words inside the pair, unless it ran the pair over the sentence
            candidates = ["" if n in stretched else _inner(marked, n), alone.get(source_words, "").rstrip(".!?"), source_words]
            # "o site" inside "no site": the words without a leading article
            candidates += [w.split(" ", 1)[1] for w in candidates[:2] if " " in w and len(w.split(" ", 1)[0]) <= 3]
            for words in candidates:
                m = re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text, re.IGNORECASE) if words else None
                at = m.start() if m else -1
                if at >= 0 and not TOKEN.search(text[at:at + len(words)]):
                    text = text[:at] + open_ph(n) + text[at:at + len(words)] + close_ph(n) + text[at + len(words):]
                    break
            else:
                # Not as written: the words of the pair's own translation where they stand
                # together ("boom construção" alone, "boom da construção" in the sentence).
                # A link around those beats one around the whole sentence.
                span = next((w for words in candidates[:2] if (w := _window(text, words))), None)
                if span:
                    at, end = span
                    text = text[:at] + open_ph(n) + text[at:end] + close_ph(n) + text[end:]
        text, notes = mend(text, table, masked)
        if not broken and any(f" put back {WHOLE}" in n or f" put back {EMPTY}" in n for n in notes):
            # The draft with markers had them all in place (a word left in English inside
            # one): better than links that cannot be placed in the other translation.
            return fixed, []
        self.repaired += bool(notes)
        if not broken and not notes:  # the model kept the markers; the translation without them said more
            return text, []
        # What the model did to the markers, and where they went in the translation made
        # without them: what a reviewer checks.
        return text, broken + ["markers placed in the translation made without them"] + notes


def protecting(engine) -> ProtectingEngine:
    return engine if isinstance(engine, ProtectingEngine) else ProtectingEngine(engine)


def markdown_ranges(text: str) -> list[tuple[int, int]]:
    """(start, offset of the last character) of each link, image, code span, URL and
    emphasis in Markdown ``text``: places a sentence must not be cut."""
    out = []
    for rx in (_CODE, _LINK, _AUTOLINK, _URL, _STRONG, _EMPHASIS):
        out += [(m.start(), m.end() - 1) for m in rx.finditer(text)]
    return out


# --- what the translator sees and what `transflow check` verifies -----------------

# Attribute values longer than this are shortened in the PO comment (a URL keeps its
# host and last path segment); a whole piece of markup longer than MARKUP_WIDTH is cut.
VALUE_WIDTH = 40
MARKUP_WIDTH = 60
_ATTR_VALUE = re.compile(r"""(=\s*)("[^"]*"|'[^']*')""")


def _short_value(value: str) -> str:
    if len(value) <= VALUE_WIDTH:
        return value
    m = re.match(r"([a-z][a-z0-9+.-]*://[^/?#]+/)([^?#]*)([?#])?", value, re.IGNORECASE)
    if m:  # a URL: its host and last path segment
        segments = [s for s in m.group(2).split("/") if s]
        last = segments[-1] + ("/" if m.group(2).endswith("/") else "") if segments else ""
        short = m.group(1) + (".../" if len(segments) > 1 else "") + last + (m.group(3) + "..." if m.group(3) else "")
        if len(short) <= MARKUP_WIDTH - 10:
            return short
    return value[:VALUE_WIDTH - 3] + "..."


def short_markup(markup: str) -> str:
    """``markup`` on one line, long attribute values shortened, for a PO comment."""
    text = " ".join(markup.split())
    text = _ATTR_VALUE.sub(lambda m: m.group(1) + m.group(2)[0] + _short_value(m.group(2)[1:-1]) + m.group(2)[0], text)
    return text if len(text) <= MARKUP_WIDTH else text[:MARKUP_WIDTH - 3] + "..."


def describe(tables: list[Table]) -> str:
    """What each placeholder stands for, e.g. ``[1]...[/1] = <em>, [2/] = <br>``.

    ``tables``: one per occurrence of the text; a placeholder whose markup differs
    between occurrences lists each (``<a href="x"> or <a href="y">``). "" without
    placeholders.
    """
    meaning: dict[str, list[str]] = {}
    for table in tables:
        for n in table.order:
            if n in table.pairs:
                marker, markup = f"{open_ph(n)}...{close_ph(n)}", table.pairs[n][0]
            else:
                marker, markup = void_ph(n), table.voids[n]
            shown = meaning.setdefault(marker, [])
            if short_markup(markup) not in shown:
                shown.append(short_markup(markup))
    return ", ".join(f"{marker} = {' or '.join(shown)}" for marker, shown in meaning.items())


def _literal(source: str, table: Table) -> set[str]:
    """Tokens of ``source`` that are text, not placeholders (an unpaired ``[3]``)."""
    wanted = {(n, r) for n in table.pairs for r in ("open", "close")} | {(n, "void") for n in table.voids}
    return {m.group(0) for m in TOKEN.finditer(source) if (int(m.group(2)), _role(m)) not in wanted}


def without_markers(source: str, translation: str) -> tuple[str, str]:
    """Both texts with the placeholders of ``source`` (and any other marker in
    ``translation``) replaced by a space: their numbers are no numbers of the text."""
    table = unit_table(source)
    if not table:
        return source, translation
    literal = _literal(source, table)

    def sub(text: str) -> str:
        return TOKEN.sub(lambda m: m.group(0) if m.group(0) in literal else " ", text)

    return sub(source), sub(translation)


def _marker_order(key: tuple[int, str]) -> tuple[int, int]:
    return key[0], ("open", "void", "close").index(key[1])


def _marker_text(n: int, roles: set[str]) -> str:
    if roles == {"open", "close"}:
        return f"{open_ph(n)}...{close_ph(n)}"
    return _render(n, next(iter(roles)))


def problems(source: str, translation: str) -> list[str]:
    """What is wrong with the placeholders of ``translation``, given those of ``source``:
    lost, duplicated, not in the source (renumbered), closed before opened, overlapping,
    or a pair left empty. Tokens of ``source`` that are no placeholder (an unpaired
    ``[3]``, a citation) are text, and are not looked at in ``translation``.
    """
    table = unit_table(source)
    if not table:
        return []
    wanted = {(n, r) for n in table.pairs for r in ("open", "close")} | {(n, "void") for n in table.voids}
    literal = _literal(source, table)
    # (number, role, offset) of each marker in translation
    found = [(int(m.group(2)), _role(m), m.start()) for m in TOKEN.finditer(translation) if m.group(0) not in literal]

    counts = Counter((n, r) for n, r, _ in found)

    def grouped(keys):
        by_number: dict[int, set[str]] = {}
        for n, r in keys:
            by_number.setdefault(n, set()).add(r)
        return by_number

    lost = grouped(k for k in sorted(wanted, key=_marker_order) if not counts[k])
    extra = grouped((n, r) for n, r, _ in found if (n, r) not in wanted and r)
    odd = [TOKEN.search(translation, at).group(0) for n, r, at in found if r is None]
    out = []
    # A lost marker and one not in the source of the same shape are one renumbered marker
    # (each extra taken once, first come first served; queues keep this linear).
    queues: dict[str, list[int]] = {"void": [], "pair": []}
    for m, r in extra.items():
        if r == {"void"}:
            queues["void"].append(m)
        elif r == {"open", "close"}:
            queues["pair"].append(m)
    taken = {"void": 0, "pair": 0}
    for n, roles in list(lost.items()):
        shape = "void" if roles == {"void"} else "pair" if roles == {"open", "close"} else None
        if shape is None or taken[shape] >= len(queues[shape]):
            continue
        match = queues[shape][taken[shape]]
        taken[shape] += 1
        out.append(f"{_marker_text(n, roles)} renumbered as {_marker_text(match, extra.pop(match))}")
        del lost[n]
    out += [f"{_marker_text(n, roles)} missing" for n, roles in lost.items()]
    out += [f"{_marker_text(n, roles)} not in the source" for n, roles in extra.items()]
    out += [f"{t} not in the source" for t in odd]
    out += [f"{_render(n, r)} {counts[(n, r)]} times" for n, r in sorted(wanted, key=_marker_order) if counts[(n, r)] > 1]
    # order and nesting of the pairs that are there once each
    at = {(n, r): a for n, r, a in reversed(found)}
    whole = [n for n in table.order if n in table.pairs and counts[(n, "open")] == 1 and counts[(n, "close")] == 1]
    for n in whole:
        if at[(n, "close")] < at[(n, "open")]:
            out.append(f"{close_ph(n)} before {open_ph(n)}")
    ordered = [n for n in whole if at[(n, "open")] < at[(n, "close")]]
    out += _overlaps(ordered, at, table.order)
    source_words, words = _word_counts(source), _word_counts(translation)
    source_at = {(int(m.group(2)), _role(m)): m for m in TOKEN.finditer(source)}
    for n in ordered:
        opened, closed = at[(n, "open")] + len(open_ph(n)), at[(n, "close")]
        inner_source = (source_at.get((n, "open")), source_at.get((n, "close")))
        had_words = None not in inner_source and source_words[inner_source[1].start()] > source_words[inner_source[0].end()]
        if words[closed] == words[opened] and had_words:
            out.append(f"nothing inside {open_ph(n)}...{close_ph(n)}")
    return out


def _overlaps(ordered: list[int], at: dict, order: list[int]) -> list[str]:
    """Pairs of ``ordered`` (each once, opened before closed; ``at``: offsets) that
    overlap, each pair named with the one it crosses first: one stack pass, not every
    pair against every other (a unit of thousands of links)."""
    events = sorted([(at[(n, "open")], 1, n) for n in ordered] + [(at[(n, "close")], 0, n) for n in ordered])
    stack: list[int] = []
    closed: set[int] = set()
    found = []
    for _, opening, n in events:
        if opening:
            stack.append(n)
            continue
        while stack and stack[-1] in closed:
            stack.pop()
        if stack and stack[-1] == n:
            stack.pop()
            continue
        top = stack[-1] if stack else None
        if top is not None:
            found.append((n, top))
        closed.add(n)
    rank = {n: i for i, n in enumerate(order)}
    found.sort(key=lambda pair: (rank.get(pair[0], 0), rank.get(pair[1], 0)))
    return [f"{open_ph(x)}...{close_ph(x)} and {open_ph(y)}...{close_ph(y)} overlap" for x, y in found]


def _word_counts(text: str) -> list[int]:
    """For each offset of ``text``, how many characters before it are words: neither
    white space nor part of a marker."""
    counts = [0] * (len(text) + 1)
    markers = [0] * (len(text) + 1)
    for m in TOKEN.finditer(text):
        markers[m.start()] += 1
        markers[m.end()] -= 1
    inside = 0
    for i, ch in enumerate(text):
        inside += markers[i]
        counts[i + 1] = counts[i] + (not inside and not ch.isspace())
    return counts
