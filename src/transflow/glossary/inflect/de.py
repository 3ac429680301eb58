"""German target-side forms: case and number endings of nouns and adjectives."""

from . import product

FIXED = {"der", "die", "das", "des", "dem", "den", "und", "oder", "von", "zu", "für", "im", "in"}
SUFFIXES = ("", "e", "en", "n", "s", "es", "er", "ern", "em")


def word_forms(word):
    low = word.lower()
    if low in FIXED or len(low) < 3:
        return {word}
    stem = word
    for ending in ("en", "er", "es", "em", "e"):
        # Adjectival nouns (Asylsuchende/Asylsuchenden/Asylsuchender) share one stem.
        if low.endswith(ending) and len(low) > len(ending) + 3:
            stem = word[: len(word) - len(ending)]
            break
    return {stem + s for s in SUFFIXES} | {word}


def forms(phrase, pos):
    return product([word_forms(w) for w in phrase.split(" ")])
