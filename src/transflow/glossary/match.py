"""One matcher for source and target text: Aho-Corasick over normalized text, longest match first.

Normalization folds case (for case-insensitive forms), curly apostrophes, and
runs of spaces and hyphens into one space, with a map back to the original
offsets, so "non refoulement", "non-refoulement" and "Non–refoulement" are one
form and every match is a span of the text as written.
"""

import re
from dataclasses import dataclass

import ahocorasick

from .. import langs
from . import inflect
from .model import Glossary, Term

_JOINERS = set(" \t\r\n\u00a0-‐‑‒–—")
_APOSTROPHES = {"’": "'", "‘": "'", "ʼ": "'"}


@dataclass(frozen=True)
class Match:
    term: Term
    start: int
    end: int
    text: str  # as written in the matched text
    form: str  # the glossary form it matched (normalized)
    phrase: str  # the glossary phrase the form inflects ("pessoa refugiada" for "pessoas refugiadas")


def in_name(text: str, m: Match) -> bool:
    """A common noun capitalized inside a name ("the 1951 Refugee Convention"): the
    name has its own official rendering, which the term's rendering rules do not govern."""
    if m.term.pos != "noun" or not m.text[:1].isupper():
        return False
    after = re.match(r" +([A-Z])", text[m.end:])
    before = text[: m.start].rstrip()
    prev = re.search(r"(\S+)$", before)
    prev_cap = bool(prev) and prev.group(1)[:1].isupper() and not re.search(r"[.!?:\"“'‘(]$", before)
    return bool(after) or prev_cap


# Text without these needs no character-by-character pass (most forms and sentences).
_SPECIAL = re.compile("[\t\r\n\u00a0\u2010-\u2014’‘ʼ-]|  ")


def normalize(text: str, fold: bool) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the offset in ``text``."""
    if not _SPECIAL.search(text):
        low = text.lower() if fold else text
        if len(low) == len(text):
            return low, list(range(len(text)))
    out, where = [], []
    prev_space = False
    for i, ch in enumerate(text):
        if ch in _JOINERS:
            if prev_space:
                continue
            out.append(" ")
            where.append(i)
            prev_space = True
            continue
        prev_space = False
        ch = _APOSTROPHES.get(ch, ch)
        if fold:
            low = ch.lower()
            ch = low if len(low) == 1 else ch
        out.append(ch)
        where.append(i)
    return "".join(out), where


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Matcher:
    """Finds glossary forms in text. ``boundaries``: "both" (spaced scripts), "start"
    (Korean: particles attach after a noun) or "none" (Chinese, Japanese)."""

    def __init__(self, entries, boundaries: str = "both"):
        """``entries``: (form, term, phrase) triples; the first of two equal forms wins."""
        self.boundaries = boundaries
        self._automata = {}
        for fold in (True, False):
            automaton = ahocorasick.Automaton()
            count = 0
            for form, term, phrase in entries:
                if (not term.case_sensitive) != fold:
                    continue
                key, _ = normalize(form, fold)
                key = key.strip()
                if not key:
                    continue
                existing = automaton.get(key, None)
                # Two terms sharing a form: the one listed first wins, deterministically.
                if existing is None:
                    automaton.add_word(key, (len(key), key, term, phrase))
                    count += 1
            if count:
                automaton.make_automaton()
                self._automata[fold] = automaton

    def find(self, text: str) -> list[Match]:
        candidates = []
        for fold, automaton in self._automata.items():
            norm, where = normalize(text, fold)
            for end_index, (length, key, term, phrase) in automaton.iter(norm):
                start_index = end_index - length + 1
                if not self._bounded(norm, start_index, end_index):
                    continue
                start, end = where[start_index], where[end_index] + 1
                candidates.append(Match(term, start, end, text[start:end], key, phrase))
        # Longest first, then leftmost; keep the ones that do not overlap a kept one.
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept, taken = [], []
        for m in candidates:
            if all(m.end <= s or m.start >= e for s, e in taken):
                kept.append(m)
                taken.append((m.start, m.end))
        return sorted(kept, key=lambda m: m.start)

    def _bounded(self, norm, start, end) -> bool:
        if self.boundaries == "none":
            return True
        if start > 0 and _is_word(norm[start - 1]) and _is_word(norm[start]):
            return False
        if self.boundaries == "start":
            return True
        return not (end + 1 < len(norm) and _is_word(norm[end + 1]) and _is_word(norm[end]))


def _boundaries(lang: str) -> str:
    if langs.is_unspaced(lang):
        return "none"
    return "start" if langs.base(lang) == "ko" else "both"


def source_matcher(glossary: Glossary) -> Matcher:
    lang = glossary.source_language
    entries = []
    for term in glossary.terms:
        for written in [term.source, *term.variants]:
            for form in sorted(inflect.forms(lang, written, term.pos)):
                entries.append((form, term, written))
    return Matcher(entries, _boundaries(lang))


def target_matcher(glossary: Glossary, lang: str, which: str = "accepted") -> Matcher:
    """A matcher for renderings in ``lang``: ``accepted`` (preferred + allowed) or ``forbidden``."""
    entries = []
    for term in glossary.terms:
        r = term.rendering(lang)
        if r is None:
            continue
        phrases = r.accepted(term.source) if which == "accepted" else r.forbidden
        for phrase in phrases:
            for form in sorted(inflect.forms(lang, phrase, term.pos)):
                entries.append((form, term, phrase))
            if phrase == r.preferred and r.plural and which == "accepted":
                entries.append((r.plural, term, phrase))
    return Matcher(entries, _boundaries(lang))
