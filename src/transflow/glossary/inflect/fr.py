"""French target-side forms: gender and number of content words."""

from . import by_ending, product

FIXED = {"de", "du", "des", "d'", "en", "et", "ou", "à", "au", "aux", "le", "la", "les", "l'", "pour", "sans"}
ENDINGS = [
    ("al", ("al", "aux", "ale", "ales")),
    ("eau", ("eau", "eaux")),
    ("eur", ("eur", "eurs", "euse", "euses", "rice", "rices")),
    ("if", ("if", "ifs", "ive", "ives")),
    ("é", ("é", "és", "ée", "ées")),
    ("e", ("e", "es")),
    ("s", ("s",)),
    ("x", ("x",)),
]


def word_forms(word):
    return by_ending(word, ENDINGS, FIXED, lambda w: {w, w + "s", w + "e", w + "es"})


def forms(phrase, pos):
    return product([word_forms(w) for w in phrase.split(" ")])
