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


def forms(phrase: str, pos: str) -> set[str]:
    out = {phrase}
    if pos == "noun":
        head, _, last = phrase.rpartition(" ")
        many = (head + " " if head else "") + plural(last)
        out |= {many, phrase + "'s", many + "'"}
    elif pos == "proper-noun":
        out.add(phrase + "'s")
    return out
