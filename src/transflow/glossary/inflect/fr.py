"""French target-side forms: gender and number of content words."""

from . import product

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
    low = word.lower()
    if low in FIXED or len(low) < 3:
        return {word}
    for ending, alternatives in ENDINGS:
        if low.endswith(ending):
            stem = word[: len(word) - len(ending)]
            return {stem + alt for alt in alternatives}
    return {word, word + "s", word + "e", word + "es"}


def forms(phrase, pos):
    return product([word_forms(w) for w in phrase.split(" ")])
