"""Numbers in text, read with each language's conventions, so that a translation can be
checked for the same figures as its source.

"2,000" (en) and "2.000" (pt) are one number; so are "1.5" and "1,5". A dotted number
whose groups are not of three digits is not a thousands grouping in any language: "9.4"
or "1.17" in a Portuguese sentence is a version kept as written, not 94 or 117. Versions
of three or more parts ("2.6.32"), dates ("2023-08-29", "08/29/2023", "29.08.2023",
compared whatever the order of day and month, and matched by the day and year alone when
the other side writes the month as a word), times ("10:30", "10h30", "3 p.m." = "15h"),
ordinals ("1st", "1.º", "1er", "2e"), decades ("the 1990s") and English age groups
("under-13s", "the over-65s": 13 and 65) are read as what they
are; a Roman numeral counts where the other side has its number ("21st century",
"século XXI"). A range ("1990–2023", "5-10") is its two numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import langs

# Languages that write 2.000,5 (comma decimal); the rest write 2,000.5.
COMMA_DECIMAL = {"pt", "de", "es", "fr", "it", "nl", "ru", "uk", "pl", "cs", "sk", "tr", "id", "da", "sv", "nb", "fi", "ro",
                 "hu", "el", "bg", "hr", "sl", "sr", "ca", "gl", "vi"}
# Languages that group digits in twos after the first thousand: 1,00,000 (one lakh).
INDIAN_GROUPING = {"hi", "bn", "gu", "mr", "pa", "ta", "te", "kn", "ml", "ne", "or", "as"}

# Suffixes that make a number an ordinal: English (the usual source) and the targets'.
_ORDINAL = {
    "en": r"(?:st|nd|rd|th)",
    "pt": r"\.?[ºª°]", "es": r"\.?[ºª°]", "gl": r"\.?[ºª°]", "it": r"\.?[ºª°]",
    "fr": r"(?:er|re|ère|ème|e|nd|nde)", "nl": r"(?:ste|de|e)", "ca": r"(?:r|n|t|è|a)",
}

_B = r"(?<![\w.,/:])(?<!(?<!\d)-)"  # not glued to a word, a number or a date before it; a range's second number (5-10) counts
_DATE_ISO = re.compile(_B + r"(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-]|[.,]\d)")
_DATE_DMY = re.compile(_B + r"(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2}(?!\.))(?![\w/]|[.,]\d)")
_VERSION = re.compile(_B + r"\d+(?:\.\d+){2,}(?![\w]|[.,]\d)")
_TIME = re.compile(_B + r"(\d{1,2})(?::(\d{2})(?::\d{2})?(?:\s?([ap])\.?\s?m\b\.?)?|\s?([ap])\.?\s?m\b\.?|h(\d{2})?(?!\w))")
_SPACES = "\u00a0\u202f\u2009 "
_GROUPED = re.compile(_B + r"\d{1,3}(?:([,.'’" + _SPACES + r"])\d{3})(?:\1\d{3})*(?:[.,]\d+)?(?![\w]|[.,]\d)")
_INDIAN = re.compile(_B + r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?![\w]|[.,]\d)")
_PLAIN = r"\d+(?:[.,]\d+)?"
_AGE_GROUP = re.compile(r"(?<![\w-])(?:under|over)-(\d{1,3})s(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Date:
    """A calendar date; day and month are kept as an unordered pair (08/29 and 29/08 are
    one date, and 03/04 is ambiguous between the conventions), ``text`` as written."""

    year: int
    pair: tuple[int, int]
    text: str = ""

    def __eq__(self, other):
        return isinstance(other, Date) and (self.year, self.pair) == (other.year, other.pair)

    def __hash__(self):
        return hash((self.year, self.pair))

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Time:
    hour: int
    minute: int

    def __str__(self):
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Roman:
    """A Roman numeral ("XXI"): a number only where the other side has that number
    ("21st century", "século XXI"); "CD" or "MIX" are words too often to count otherwise."""

    value: int
    text: str

    def __str__(self):
        return self.text


_ROMAN = re.compile(r"(?<![\w.-])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w-])")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(text: str) -> int:
    total = 0
    for a, b in zip(text, text[1:] + " "):
        value = _ROMAN_VALUES[a]
        total += -value if _ROMAN_VALUES.get(b, 0) > value else value
    return total


@dataclass(frozen=True)
class Version:
    """A number of three or more dotted parts: "2.6.32", "0.9.8"."""

    text: str

    def __str__(self):
        return self.text


def _date(year: str, a: str, b: str, text: str) -> Date | None:
    y, a, b = int(year), int(a), int(b)
    if len(year) == 2:
        y += 2000 if y < 70 else 1900
    low, high = sorted((a, b))
    if not (1 <= low <= 12 and 1 <= high <= 31):
        return None
    return Date(y, (low, high), text)


def _time(m: re.Match) -> Time | None:
    hour = int(m.group(1))
    minute = int(m.group(2) or m.group(5) or 0)
    half = m.group(3) or m.group(4)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    return Time(hour, minute) if hour <= 24 and minute < 60 else None


def _grouped(raw: str, comma_decimal: bool) -> Decimal | None:
    """A number with thousands groups ("2,000", "2.000.000,5", "2 000"): its value."""
    cleaned = re.sub(f"[{_SPACES}'’]", "", raw)
    separators = [c for c in cleaned if c in ".,"]
    if len(separators) == 1 and re.match(r"0\D", cleaned):
        return Decimal(cleaned.replace(",", "."))  # "0,250": no group starts with 0, a decimal point
    if len(separators) == 1:
        # One separator before exactly three digits is a thousands separator in prose
        # in both conventions ("2,000" and "2.000" are two thousand).
        return Decimal(cleaned.replace(",", "").replace(".", ""))
    group, decimal = (".", ",") if comma_decimal else (",", ".")
    if separators and separators[-1] != separators[0]:
        group, decimal = separators[0], separators[-1]  # 2.000,5 and 2,000.5 say it themselves
    try:
        return Decimal(cleaned.replace(group, "").replace(decimal, "."))
    except InvalidOperation:
        return None


def _plain(raw: str) -> Decimal:
    """A number without groups: "2", "1.5", "1,5". A single separator is a decimal point,
    whichever it is (groups are three digits, handled by _grouped)."""
    return Decimal(raw.replace(",", "."))


def values(text: str, lang: str) -> list:
    """What ``text`` says in figures, in order: Decimal numbers, and :class:`Date`,
    :class:`Time` and :class:`Version` values."""
    base = langs.base(lang)
    comma_decimal = base in COMMA_DECIMAL
    ordinal = "|".join({_ORDINAL["en"], _ORDINAL.get(base, _ORDINAL["en"])})
    taken: list[tuple[int, int, object]] = []
    busy = bytearray(len(text))

    def claim(m: re.Match, value) -> None:
        if value is None or any(busy[m.start():m.end()]):
            return
        busy[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        taken.append((m.start(), m.end(), value))

    for m in _DATE_ISO.finditer(text):
        claim(m, _date(m.group(1), m.group(2), m.group(3), m.group(0)))
    for m in _DATE_DMY.finditer(text):
        if m.group(2) == "." and len(m.group(4)) == 2:
            continue  # "1.2.24" is more likely a version than a date
        claim(m, _date(m.group(4), m.group(1), m.group(3), m.group(0)))
    for m in _VERSION.finditer(text):
        claim(m, _grouped(m.group(0), comma_decimal) if _is_grouping(m.group(0)) else Version(m.group(0)))
    for m in _TIME.finditer(text):
        claim(m, _time(m))
    if base in INDIAN_GROUPING:
        for m in _INDIAN.finditer(text):
            claim(m, Decimal(m.group(0).replace(",", "")))
    for m in _GROUPED.finditer(text):
        claim(m, _grouped(m.group(0), comma_decimal))
    for m in _AGE_GROUP.finditer(text):
        claim(m, Decimal(m.group(1)))
    number = re.compile(_B + rf"({_PLAIN})(?:({ordinal})|(?<=\d0)s)?(?!\w)")
    for m in number.finditer(text):
        claim(m, _plain(m.group(1)))
    for m in _ROMAN.finditer(text):
        if len(m.group(0)) >= 2:
            claim(m, Roman(_roman(m.group(0)), m.group(0)))
    return [value for _, _, value in sorted(taken, key=lambda t: t[0])]


def _is_grouping(raw: str) -> bool:
    """"1.000.000": groups of three after the first, so a number, not a version."""
    first, *rest = raw.split(".")
    return len(first) <= 3 and not first.startswith("0") and all(len(g) == 3 for g in rest)


def differences(source: list, translation: list) -> tuple[list, list]:
    """The figures of ``source`` the translation lacks, and those it adds.

    A date on one side matches its day and year on the other when the month is written
    as a word there ("2023-08-29" and "29 de agosto de 2023"); a time matches its hour
    (and minute) written as plain numbers ("3 p.m." and "15 horas")."""
    src = Counter(v for v in source if not isinstance(v, Roman))
    dst = Counter(v for v in translation if not isinstance(v, Roman))
    lost, extra = src - dst, dst - src
    for one, romans in ((lost, translation), (extra, source)):
        for roman in (v for v in romans if isinstance(v, Roman)):
            if one[Decimal(roman.value)] > 0:
                one[Decimal(roman.value)] -= 1
    for one, other in ((lost, extra), (extra, lost)):
        for value in list(one.elements()):
            parts = _parts(value, other)
            if parts is not None:
                one[value] -= 1
                for p in parts:
                    other[p] -= 1
    lost, extra = +lost, +extra
    order = {id(v): i for i, v in enumerate(source + translation)}
    return (sorted(lost.elements(), key=lambda v: order.get(id(v), 0)),
            sorted(extra.elements(), key=lambda v: order.get(id(v), 0)))


def _parts(value, other: Counter) -> list | None:
    """The plain numbers in ``other`` that say ``value`` with words around them, or None."""
    if isinstance(value, Date):
        year = Decimal(value.year)
        days = [p for p in value.pair if p > 12] or list(value.pair)
        for day in map(Decimal, days):
            if other[day] > 0 and other[year] > (day == year):
                return [day, year]
    elif isinstance(value, Time):
        for hour in {value.hour, value.hour - 12 if value.hour > 12 else value.hour}:
            parts = [Decimal(hour)] + ([Decimal(value.minute)] if value.minute else [])
            if all(other[p] >= parts.count(p) for p in parts):
                return parts
    return None
