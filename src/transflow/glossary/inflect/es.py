"""Spanish target-side forms: gender and number of content words."""

from . import by_ending, product

FIXED = {"de", "del", "en", "y", "o", "a", "con", "sin", "por", "para", "la", "el", "los", "las"}
ENDINGS = [
    ("ión", ("ión", "iones")),
    ("or", ("or", "ores", "ora", "oras")),
    ("z", ("z", "ces")),
    ("os", ("o", "a", "os", "as")),
    ("as", ("o", "a", "os", "as")),
    ("o", ("o", "a", "os", "as")),
    ("a", ("a", "o", "as", "os")),
    ("e", ("e", "es")),
    ("l", ("l", "les")),
    ("n", ("n", "nes")),
    ("r", ("r", "res")),
]


def word_forms(word):
    return by_ending(word, ENDINGS, FIXED, lambda w: {w, w + "s"})


def forms(phrase, pos):
    return product([word_forms(w) for w in phrase.split(" ")])
