"""What the words of a draft say about it: words the target language does not have,
source words left in it untranslated, and text in parentheses the source lacks.

Word lists are wordfreq's (many languages, built from large corpora, inflected forms
included): a word it has never seen is very likely not a word of the language
("Reemificou", "desatualados"). Its lists miss rare inflections of real verbs
("deteriorem"), so a word counts as known when a known word shares all of it but the
last three letters: the stem is real and only the ending is rare.
"""

import bisect
import math
import re
from functools import lru_cache

# Letters with inner hyphens or apostrophes: "reconhecê-los", "stoppage-time", "d'água".
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
ENDING = 3  # letters a rare inflection may change
MIN_STEM = 4
# Below this Zipf frequency (once per 100 million words) in the target language and
# at least ten times (1 on the Zipf scale) more frequent in the source's, a word copied
# from the source is untranslated. A loanword in use is within that: "chatbot" is 1.5 in
# Portuguese and 2.3 in English, a good draft keeps it; "underdogs" (1.8 and 3.0) and
# "Bookmakers" (1.5 and 2.7) were left untranslated.
RARE_IN_TARGET = 2.0
MORE_IN_SOURCE = 1.0
# Languages written without spaces, or whose wordfreq lists hold the pieces of a word
# (MeCab's morphemes for Korean): a word of the text is not an entry of the list.
NOT_SPACED = {"ja", "ko", "zh", "th", "lo", "km", "my", "bo"}


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=8)
def wordlist(lang: str) -> dict | None:
    import wordfreq

    if lang.split("-")[0].split("_")[0] in NOT_SPACED:
        return None
    for size in ("large", "best"):
        try:
            return wordfreq.get_frequency_dict(lang, wordlist=size) or None
        except LookupError:
            continue
    return None


@lru_cache(maxsize=8)
def _ordered(lang: str) -> list[str]:
    # Sorted only when a word is not in the list (most drafts have none).
    return sorted(wordlist(lang))


def preload(*langs: str) -> None:
    """Read the word lists now (a thread beside machine translation calls this)."""
    for lang in langs:
        wordlist(lang)


def _known(word: str, lang: str) -> bool:
    known = wordlist(lang)
    parts = [p for p in re.split(r"[-'’]", word.lower()) if p]
    return all(p in known or _known_stem(p, _ordered(lang)) for p in parts)


def _known_stem(word: str, ordered: list[str]) -> bool:
    stem = word[:-ENDING]
    if len(stem) < MIN_STEM:
        return False
    i = bisect.bisect_left(ordered, stem)
    return i < len(ordered) and ordered[i].startswith(stem)


def unknown_words(source: str, draft: str, lang: str) -> list[str]:
    """Words of ``draft`` that ``lang`` does not have, leaving out those copied from the
    source (names, codes)."""
    if wordlist(lang) is None:
        return []
    copied = {w.lower() for w in words(source)}
    out = []
    for w in words(draft):
        if w.lower() not in copied and not _known(w, lang) and w not in out:
            out.append(w)
    return out


def left_untranslated(source: str, draft: str, source_lang: str, lang: str) -> list[str]:
    """Common words of the source language copied into the draft that the target
    language does not use ("caseworker", "underdogs"); names (capitalized inside the
    source sentence) are left out, since those are copied on purpose."""
    if wordlist(lang) is None or wordlist(source_lang) is None:
        return []
    in_source = {}
    for i, w in enumerate(words(source)):
        if i == 0 or not w[:1].isupper():
            in_source.setdefault(w.lower(), w)
    out = []
    for w in words(draft):
        if w.lower() not in in_source or w in out:
            continue
        parts = [p for p in re.split(r"[-'’]", w.lower()) if len(p) > 2]
        for p in parts:
            target = zipf(p, lang)
            if target < RARE_IN_TARGET and zipf(p, source_lang) > target + MORE_IN_SOURCE:
                out.append(w)
                break
    return out


def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf scale (log10 of uses per billion words), read from the list itself:
    wordfreq's own lookup tokenizes, which for some languages needs MeCab or jieba."""
    frequency = wordlist(lang).get(word, 0.0)
    return math.log10(frequency * 1e9) if frequency > 0 else 0.0


_PARENS = re.compile(r"\(([^()]{1,60})\)")


def added_in_parentheses(source: str, draft: str) -> list[str]:
    """Text in parentheses that the draft has and the source does not ("(em inglês)"
    after a name): the model adds what it saw in its training data."""
    source_count = len(_PARENS.findall(source))
    found = _PARENS.findall(draft)
    return [f"({t})" for t in found[source_count:]] if len(found) > source_count else []
