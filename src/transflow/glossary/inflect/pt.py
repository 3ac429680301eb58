"""Portuguese target-side forms: gender and number of each content word of a rendering."""

from . import by_ending, product

# Function words keep their form ("de", "em"); contractions vary with the noun.
FIXED = {"de", "em", "e", "ou", "a", "o", "com", "sem", "por", "para"}
CONTRACTIONS = [{"do", "da", "dos", "das"}, {"no", "na", "nos", "nas"}, {"ao", "à", "aos", "às"}]
# Ending -> the endings of the other genders and numbers.
ENDINGS = [
    ("ão", ("ão", "ões", "ãos", "ães", "ã", "ãs")),
    ("ês", ("ês", "eses", "esa", "esas")),
    ("or", ("or", "ores", "ora", "oras")),
    ("al", ("al", "ais")),
    ("el", ("el", "éis")),
    ("ol", ("ol", "óis")),
    ("il", ("il", "is")),
    ("m", ("m", "ns")),
    ("z", ("z", "zes")),
    ("r", ("r", "res")),
    ("os", ("o", "a", "os", "as")),
    ("as", ("o", "a", "os", "as")),
    ("o", ("o", "a", "os", "as")),
    ("a", ("a", "o", "as", "os")),
    ("es", ("e", "es")),
    ("e", ("e", "es")),
]


def word_forms(word: str) -> set[str]:
    for group in CONTRACTIONS:
        if word.lower() in group:
            return set(group)
    return by_ending(word, ENDINGS, FIXED)


def forms(phrase: str, pos: str) -> set[str]:
    words = phrase.split(" ")
    parts = [word_forms(w) if "-" not in w else _hyphenated(w) for w in words]
    return product(parts)


def _hyphenated(word: str) -> set[str]:
    # "norte-coreano": only the last element inflects.
    head, _, last = word.rpartition("-")
    return {head + "-" + f for f in word_forms(last)}
