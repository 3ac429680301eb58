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


def repair(text: str, table: Table) -> tuple[str, bool]:
    """``text`` with every placeholder of ``table`` exactly once and well nested.

    Returns the text and whether anything had to be changed.
    """
    if not table:
        return text, False
    seen: set[tuple[int, str]] = set()
    parts: list[str | tuple[int, str]] = []
    changed = False
    for part in split(text, table):
        if isinstance(part, tuple):
            if part in seen:
                changed = True  # a duplicate: the first one counts
                continue
            seen.add(part)
        parts.append(part)

    for n in table.order:
        if n in table.pairs:
            has_open, has_close = (n, "open") in seen, (n, "close") in seen
            if not has_open:
                parts.insert(0, (n, "open"))
                changed = True
            if not has_close:
                parts.append((n, "close"))
                changed = True
        elif (n, "void") not in seen:
            parts.append((n, "void"))
            changed = True
    if not well_nested(parts):
        changed = True
        words = "".join(p for p in parts if isinstance(p, str))
        pairs = [n for n in table.order if n in table.pairs]
        parts = [(n, "open") for n in pairs] + [words] + [(n, "close") for n in reversed(pairs)]
        parts += [(n, "void") for n in table.order if n in table.voids]
    out = "".join(p if isinstance(p, str) else _render(*p) for p in parts)
    return out, changed


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


def fill(text: str, table: Table, escape: Callable[[str], str] = lambda s: s) -> tuple[str, bool]:
    """Placeholders replaced by their markup (after :func:`repair`); the words between
    them pass through ``escape``. Returns the text and whether a repair was needed."""
    text, changed = repair(text, table)
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


def _inner(text: str, n: int) -> str:
    m = re.search(re.escape(open_ph(n)) + r"(.*?)" + re.escape(close_ph(n)), text)
    return TOKEN.sub("", m.group(1)).strip() if m else ""


class ProtectingEngine:
    """An engine wrapper: markup goes to the model as placeholders and comes back intact.

    A sentence with markup is translated twice in one batch: with placeholders and
    plain (code and URLs as name-like tokens). The placeholder version is kept when
    it has every placeholder and says what the plain one says; otherwise the plain
    translation is used and each pair is put around the words the placeholder
    version (or the source) had inside it. What still cannot be placed is put back
    by :func:`repair`, so every draft carries the complete markup.
    """

    def __init__(self, engine):
        self.engine = engine
        self.info = getattr(engine, "info", None)
        self.repaired = 0  # drafts whose markup had to be repaired
        self.replaced = 0  # drafts taken from the plain translation

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, texts):
        texts = list(texts)
        jobs = []
        for text in texts:
            masked, table = protect(text)
            jobs.append((masked, table, _merged(table, unit_table(text))))
        plain = {i: self._plain(m, t) for i, (m, _, t) in enumerate(jobs) if t}
        # the words inside each pair, alone: where they went in the plain translation
        inners = sorted({w for i in plain for n in jobs[i][2].pairs if (w := _inner(jobs[i][0], n))})
        batch = [m for m, _, _ in jobs] + [p for p, _ in plain.values()] + inners
        out = self.engine.translate(batch)
        plain_out = dict(zip(plain, out[len(jobs):len(jobs) + len(plain)]))
        alone = dict(zip(inners, out[len(jobs) + len(plain):]))
        result = []
        for i, (masked, table, combined) in enumerate(jobs):
            text = out[i]
            if combined:
                text = self._choose(text, masked, combined, plain_out[i], plain[i][1], alone)
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

    def _choose(self, marked: str, masked: str, table: Table, plain: str, names: dict, alone: dict) -> str:
        fixed, changed = repair(marked, table)
        empty = any(not _inner(fixed, n) and _inner(masked, n) for n in table.pairs)
        # words left in English inside a pair that the plain translation did translate
        untranslated = any(
            _inner(fixed, n).lower() == _inner(masked, n).lower() and _inner(masked, n).lower() not in plain.lower()
            for n in table.pairs if _inner(masked, n)
        )
        if not (changed or empty or untranslated) and _agreement(marked, plain) >= MIN_AGREEMENT:
            return fixed
        self.replaced += 1
        text = plain
        for n, name in names.items():
            if text.count(name) == 1:
                text = text.replace(name, void_ph(n))
        for n in table.order:
            if n not in table.pairs:
                continue
            source_words = _inner(masked, n)
            candidates = [_inner(marked, n), alone.get(source_words, "").rstrip(".!?"), source_words]
            # "o site" inside "no site": the words without a leading article
            candidates += [w.split(" ", 1)[1] for w in candidates[:2] if " " in w and len(w.split(" ", 1)[0]) <= 3]
            for words in candidates:
                m = re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text, re.IGNORECASE) if words else None
                at = m.start() if m else -1
                if at >= 0 and not TOKEN.search(text[at:at + len(words)]):
                    text = text[:at] + open_ph(n) + text[at:at + len(words)] + close_ph(n) + text[at + len(words):]
                    break
        text, changed = repair(text, table)
        self.repaired += changed
        return text


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
    from collections import Counter

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
    for n, roles in list(lost.items()):
        shape = "void" if roles == {"void"} else "pair" if roles == {"open", "close"} else None
        match = next((m for m, r in extra.items() if shape and r == ({"void"} if shape == "void" else {"open", "close"})), None)
        if match is not None:
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
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            (x, y) = sorted((a, b), key=lambda k: at[(k, "open")])
            if at[(x, "open")] < at[(y, "open")] < at[(x, "close")] < at[(y, "close")]:
                out.append(f"{open_ph(x)}...{close_ph(x)} and {open_ph(y)}...{close_ph(y)} overlap")
    for n in ordered:
        inside = translation[at[(n, "open")] + len(open_ph(n)):at[(n, "close")]]
        if not TOKEN.sub("", inside).strip() and _inner(source, n):
            out.append(f"nothing inside {open_ph(n)}...{close_ph(n)}")
    return out
