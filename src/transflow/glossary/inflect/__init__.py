"""Inflected forms of glossary terms, one module per language (rules as data, like pysbd).

``forms(lang, phrase, pos)`` returns the phrase and the forms a matcher should
also accept. Languages without a module match the phrase as written.
"""

import importlib
import itertools

# Products of per-word forms grow fast; past this a phrase matches its listed forms only.
MAX_FORMS = 512


def forms(lang: str, phrase: str, pos: str = "noun") -> set[str]:
    base = lang.split("_")[0]
    try:
        module = importlib.import_module(f"{__name__}.{base}")
    except ModuleNotFoundError:
        return {phrase}
    return {phrase, *module.forms(phrase, pos)}


def by_ending(word: str, endings, fixed=frozenset(), otherwise=None) -> set[str]:
    """The forms of ``word`` from the first matching (ending, alternative endings) rule.

    Function words in ``fixed`` and words under three letters keep their form;
    a word no rule covers takes ``otherwise(word)`` (default: itself).
    """
    low = word.lower()
    if low in fixed or len(low) < 3:
        return {word}
    for ending, alternatives in endings:
        if low.endswith(ending):
            stem = word[: len(word) - len(ending)]
            return {stem + alt for alt in alternatives}
    return otherwise(word) if otherwise else {word}


def product(words_forms: list[set[str]], sep=" ") -> set[str]:
    total = 1
    for f in words_forms:
        total *= len(f)
    if total > MAX_FORMS:
        return set()
    return {sep.join(combo) for combo in itertools.product(*words_forms)}
