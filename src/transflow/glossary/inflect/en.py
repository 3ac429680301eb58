"""English source-side inflection: plural of the head noun and possessives."""

IRREGULAR = {"man": "men", "woman": "women", "person": "people", "child": "children"}


def plural(word: str) -> str:
    low = word.lower()
    if low in IRREGULAR:
        return IRREGULAR[low]
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"  # acronyms too: NGO -> NGOs


def plural_phrase(phrase: str) -> str:
    """The phrase with its last word (its head) in the plural: "asylum seeker" -> "asylum seekers"."""
    head, _, last = phrase.rpartition(" ")
    return (head + " " if head else "") + plural(last)


def forms(phrase: str, pos: str) -> set[str]:
    out = {phrase}
    if pos == "noun":
        many = plural_phrase(phrase)
        out |= {many, phrase + "'s", many + "'"}
    elif pos == "proper-noun":
        out.add(phrase + "'s")
    return out
