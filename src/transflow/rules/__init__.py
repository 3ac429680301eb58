"""Sentence-splitting rules per source language, as data, on top of pysbd.

pysbd does the splitting; a language module here only lists what pysbd gets wrong
for news text in that language (see ``en.py`` for the fields). A language without a
module gets :data:`NEUTRAL`: quotation and bracket handling only.
"""

import importlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rules:
    # "Dr." never ends a sentence: the next piece is glued back on.
    titles: frozenset = frozenset()
    # "No. 5", "Art. 33", "vol. 3": never a sentence end before a number.
    before_number: frozenset = frozenset()
    # After "a.m." / "p.m.", these words continue the sentence ("9 p.m. Friday").
    after_time: frozenset = frozenset()
    time_suffixes: frozenset = frozenset()
    # After a dotted acronym ("U.S.", "D.P.R.K."), these words start a new sentence.
    starters: frozenset = frozenset()
    # Regular expressions whose group 1 (white space) is always a sentence boundary:
    # pysbd keeps "...longer… Nobody" together.
    split_at: tuple = (r"…(\s+)(?=[\"'“‘]?[A-Z])",)
    # Quotation marks as (open, close); a sentence end inside a quotation that closes
    # within the paragraph is not a unit boundary ("'They said, "Go." We left,' she said.").
    quotes: tuple = (('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'"), ("«", "»"))
    brackets: tuple = (("(", ")"), ("[", "]"))
    # A quotation holding more sentence ends than this is split as usual (a long
    # quoted speech is not one unit).
    max_enclosed_ends: int = 3
    extra: dict = field(default_factory=dict)


NEUTRAL = Rules()

_CACHE: dict[str, Rules] = {}


def get(lang: str) -> Rules:
    """The rules for a base language code ("en", "pt"); :data:`NEUTRAL` when none exist."""
    if lang not in _CACHE:
        try:
            module = importlib.import_module(f"{__name__}.{lang}")
        except ImportError:
            _CACHE[lang] = NEUTRAL
        else:
            _CACHE[lang] = module.RULES
    return _CACHE[lang]
