"""The risk signals: one function per signal, named for what it measures, grouped by
severity as Translate Toolkit groups its checks. Each takes a :class:`Seen` (the source,
the draft and what the engine and enforcement said about it) and returns the reasons it
found, in words a reviewer reads; none found, no reason.

A reason from ``HIGH`` makes the draft high risk; from ``MEDIUM``, medium. Which signal
sits where, and the thresholds, were chosen on the tuning half of the labelled set
(benchmarks/risk-set, benchmarks/risk.py prints what each signal finds there).
"""

from dataclasses import dataclass, field

import polib

from .. import check, placeholders
from . import words
from .backtranslation import differing

# Back-translation chrF (0-100) below which the draft is high / medium risk (chosen on
# the tuning drafts: below 55, 4 of 5 were wrong; 55 to 68, about half).
FAR = 55.0
DIFFERS = 68.0
# A back-translation that lacks at least LACKING_WORDS of the source's content words,
# and at least LACKING_SHARE of them (backtranslation.lacking), makes the draft medium
# risk, and high risk when its chrF is also below FAR_IF_LACKING. Chosen on the tuning
# drafts (second round): 18 more wrong drafts high for 7 more good ones, marking 21% of
# all; a wrong sense that comes back as the source's word ("festas" -> "parties") is
# not lacking, so this finds misparsed clauses and idioms the reverse model cannot
# straighten out, not wrong senses.
LACKING_WORDS = 2
LACKING_SHARE = 0.2
LACKING_SHOWN = 4  # of the lacking words, quoted in the reason
FAR_IF_LACKING = 70.0
# Draft characters per source character outside this range: content lost or added.
SHORTEST, LONGEST = 0.75, 1.6
# Only units of MIN_WORDS to MAX_WORDS source words are back-translated. Shorter ones
# (headings, credits, dates) come back mostly reworded ("6 December 2023 -"); longer
# ones share so many words with the source that their chrF never fell below DIFFERS on
# the labelled set. Back-translation is the assessment's cost: the drafts of 4-24 words
# took 58-67% of the forward MT time to translate back, those of 4-19 words 43-52%, for
# 2 fewer of the 51 wrong tuning drafts high (20 -> 18): the cost goal is 60%.
MIN_WORDS = 4
MAX_WORDS = 20


@dataclass
class Seen:
    source: str
    text: str  # the draft
    lang: str
    source_lang: str
    failed: list = field(default_factory=list)  # glossary terms enforcement could not place
    unverified: list = field(default_factory=list)  # enforcement's reasons in words
    terms: list = field(default_factory=list)  # glossary terms the draft renders (source side)
    markup: list = field(default_factory=list)  # what was done to the draft's markers, in words
    # The back-translation, when one was made, glossary renderings put back as the
    # source's words (backtranslation.neutralised); its chrF against the source; the
    # source's content words it lacks, and how many content words the source has.
    back: str | None = None
    chrf: float | None = None
    lacking: list = field(default_factory=list)
    content: int = 0

    @property
    def lacks_words(self) -> bool:
        return len(self.lacking) >= LACKING_WORDS and len(self.lacking) >= LACKING_SHARE * self.content

    @property
    def plain(self) -> tuple[str, str]:
        """Source and draft without markup placeholders."""
        return placeholders.without_markers(self.source, self.text)


def _entry_check(seen: Seen, rule):
    entry = polib.POEntry(msgid=seen.source, msgstr=seen.text)
    ctx = check.Context("", seen.lang, entry, seen.source, seen.text, seen.source_lang, [], [], [])
    return [message for _, _, _, message in rule(ctx)]


# ---- high: the draft is likely wrong where the signal points


def glossary_not_placed(seen: Seen) -> list[str]:
    return [f'glossary term "{term}" not placed' for term in seen.failed]


def grammar_not_verified(seen: Seen) -> list[str]:
    return list(seen.unverified)


def numbers_differ(seen: Seen) -> list[str]:
    return [m.replace("; ", ", ") for m in _entry_check(seen, check.check_numbers)]


def markup_broken(seen: Seen) -> list[str]:
    return _entry_check(seen, check.check_markup)


def markup_guessed(seen: Seen) -> list[str]:
    """A link the model lost and that could only be put back by guess: the built page
    links the wrong words (or none) while the markers look whole to `check`."""
    return [f"markers placed by guess: {part}" for note in seen.markup for part in placeholders.guessed(note)]


def unknown_words(seen: Seen) -> list[str]:
    source, draft = seen.plain
    return [f'unknown word "{w}"' for w in words.unknown_words(source, draft, seen.lang)]


def added_content(seen: Seen) -> list[str]:
    source, draft = seen.plain
    return [f'"{t}" added; the source has no such words' for t in words.added_in_parentheses(source, draft)]


def back_translation_far(seen: Seen) -> list[str]:
    if seen.chrf is None:
        return []
    return _back_translation(seen) if seen.chrf < FAR or (seen.chrf < FAR_IF_LACKING and seen.lacks_words) else []


def source_words_left(seen: Seen) -> list[str]:
    source, draft = seen.plain
    return [f'"{w}" left untranslated' for w in words.left_untranslated(source, draft, seen.source_lang, seen.lang)]


# ---- medium: worth a closer look


def back_translation_differs(seen: Seen) -> list[str]:
    if seen.chrf is None or back_translation_far(seen):
        return []
    return _back_translation(seen) if seen.chrf < DIFFERS or seen.lacks_words else []


def length_out_of_range(seen: Seen) -> list[str]:
    source, draft = seen.plain
    if len(words.words(source)) < MIN_WORDS or not draft:
        return []
    ratio = len(draft) / max(1, len(source))
    if ratio < SHORTEST:
        return [f"draft {ratio:.0%} of the source's length: something may be lost"]
    if ratio > LONGEST:
        return [f"draft {ratio:.0%} of the source's length: something may be added"]
    return []


def _back_translation(seen: Seen) -> list[str]:
    source, _ = seen.plain
    diff = differing(source, seen.back or "")
    if diff is None:
        return [f"back-translation differs from the source (chrF {seen.chrf:.0f})"]
    back, instead = diff
    where = f' (source: "{instead}")' if instead else ""
    lacks = ""
    if seen.lacks_words:
        shown = ", ".join(f'"{w}"' for w in seen.lacking[:LACKING_SHOWN])
        lacks = f", lacking {shown}" + (" …" if len(seen.lacking) > LACKING_SHOWN else "")
    return [f'back-translation "{back}" differs from the source{where}{lacks}']


HIGH = (glossary_not_placed, grammar_not_verified, numbers_differ, markup_broken, markup_guessed, unknown_words, added_content,
        source_words_left, back_translation_far)
MEDIUM = (back_translation_differs, length_out_of_range)
CHEAP = tuple(s for s in HIGH + MEDIUM if not s.__name__.startswith("back_translation"))
