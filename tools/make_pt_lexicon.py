"""Generate ``src/transflow/glossary/agree/pt_lexicon.txt``: the gender and number of
Portuguese nouns, adjectives and past participles, for agreement around glossary terms.

    apt-get download hunspell-pt-pt && dpkg-deb -x hunspell-pt-pt_*.deb deb
    python tools/make_pt_lexicon.py deb/usr/share/hunspell/pt_PT

The source is the European Portuguese Hunspell dictionary of Projecto Natura (José João
de Almeida, Rui Vilela, Alberto Simões; Universidade do Minho), as LibreOffice and
Debian ship it (hunspell-pt-pt 1:7.5.0), licensed GPL-2 or LGPL-2.1 or MPL-1.1. Its
entries carry morphology (``abadia/p [CAT=nc,G=f,N=s]``) and its suffix rules say what
they change (``+G=f,N=p``), so every inflected form's gender and number is data, not a
guess from the ending. The generated table is distributed under MPL-1.1 (the header of
the file says so); the rest of transflow stays MIT.

Why a table in the repository and not the dictionary itself at run time: transflow
installs with pip alone ("Python 3.11 and pip are all you need"), and a Debian package
would be one more thing every desk and CI machine must install; the PyPI packages with
Portuguese data (spaCy models, simplemma) give lemmas or a tagger, not the gender of a
word in the dictionary's own terms. The table is 1.5 MB of text, read in a few
milliseconds, searched a small block at a time.

Each entry's suffix rules are applied once (as Hunspell does for a single suffix), and
a form is kept when the result is a noun (nc, a_nc, np), an adjective (adj, a_nc) or a
past participle (T=ppa). A few words a refugee-news desk uses that the dictionary lacks
are added from ADDITIONS below (gender and number as Portuguese dictionaries give them).

Output: a header (source, licence, and the character offset of each block of forms with the same first two letters),
then one line per form, sorted: ``form<TAB>analyses``, analyses comma-separated, each a
category (N noun, A adjective, P participle), a gender (m, f, c: either, as
"jornalista") and a number (s, p, i: invariable).
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "transflow" / "glossary" / "agree" / "pt_lexicon.txt"

# Words the dictionary lacks, as "form: analyses" (masculine singular forms; plural and
# feminine forms follow with the same rules as the dictionary's /p and /f flags).
ADDITIONS = {
    "refugiado": ("a_nc", "m", "fp"),  # a_nc: noun and adjective; inflects for gender and number
    "trânsfuga": ("nc", "c", "p"),  # common gender: o/a trânsfuga
    "desertor": ("a_nc", "m", "fp"),
    "sem-teto": ("nc", "c", "i"),  # invariable: os sem-teto
    "sem-terra": ("nc", "c", "i"),
    "refoulement": ("nc", "m", ""),
    "non-refoulement": ("nc", "m", ""),
    "norte-coreano": ("adj", "m", "fp"),
    "sul-coreano": ("adj", "m", "fp"),
    "apátrida": ("a_nc", "c", "p"),
    "migrante": ("a_nc", "c", "p"),
}

CATS = {"nc": "N", "np": "N", "adj": "A"}
GENDERS = {"m": "m", "f": "f", "_": "c", "2": "c"}
NUMBERS = {"s": "s", "p": "p", "_": "i"}


def parse_aff(path: Path) -> dict[str, list]:
    rules = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        _, flag, strip, add, cond = parts[:5]
        morph = " ".join(parts[5:])
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add.split("/")[0]
        rules[flag].append((strip, add, re.compile("(?:" + cond + ")$") if cond != "." else None, morph))
    return rules


def morph_fields(text: str) -> dict:
    """``[CAT=nc,G=f,N=s]`` or ``[$lemma$CAT=v,...$G=m,N=s,T=ppa]`` -> {CAT, G, N, T}."""
    out = {}
    for part in text.strip("[]").split("$"):
        for item in part.split(","):
            if "=" in item:
                k, v = item.split("=", 1)
                out[k.strip("+")] = v
    return out


def analyses(fields: dict) -> list[str]:
    g, n = GENDERS.get(fields.get("G", "")), NUMBERS.get(fields.get("N", ""))
    if g is None or n is None:
        return []
    if fields.get("T") == "ppa":
        return ["P" + g + n]
    cat = fields.get("CAT")
    if cat == "a_nc":
        return ["N" + g + n, "A" + g + n]
    return [CATS[cat] + g + n] if cat in CATS else []


def common(found: set) -> set:
    """A word of common gender ("jornalista") is not also listed as masculine: suffix rules
    that derive "-ista" nouns mark them masculine, the entry itself says either."""
    either = {a[2] for a in found if a[1] == "c" and a[0] in "NA"}
    return {a for a in found if a[1] == "c" or a[0] == "P" or a[2] not in either}


def main(base: str) -> None:
    rules = parse_aff(Path(base + ".aff"))
    table: dict[str, set] = defaultdict(set)
    for line in Path(base + ".dic").read_text(encoding="utf-8").splitlines()[1:]:
        entry, _, morph = line.partition("\t")
        word, _, flags = entry.partition("/")
        fields = morph_fields(morph)
        for a in analyses(fields):
            table[word.lower()].add(a)
        for flag in flags:
            for strip, add, cond, rule_morph in rules.get(flag, ()):
                if not word.endswith(strip) or (cond is not None and not cond.search(word)):
                    continue
                new = dict(fields)
                changes = morph_fields(rule_morph.replace("+", ""))
                if "CAT" in changes and changes["CAT"] != "v":
                    new.pop("T", None)  # a noun or adjective derived from a verb ("traição")
                new.update(changes)
                if new.get("CAT") == "v" and new.get("T") != "ppa":
                    continue  # a verb form: only participles agree
                form = (word[: len(word) - len(strip)] if strip else word) + add
                for a in analyses(new):
                    table[form.lower()].add(a)
    for word, (cat, g, flags) in ADDITIONS.items():
        n = "i" if flags == "i" else "s"
        base_cats = ["N", "A"] if cat == "a_nc" else [CATS[cat]]
        forms = {(word, g, n)}
        plural = re.sub(r"(ão)$", "ões", word) if word.endswith("ão") else (word + "es" if word.endswith("r") else word + "s")
        if "p" in flags:
            forms.add((plural, g, "p"))
        if "f" in flags:
            fem = word[:-1] + "a" if word.endswith("o") else word + "a"
            forms |= {(fem, "f", "s"), (fem + "s", "f", "p")}
        for form, fg, fn in forms:
            for c in base_cats:
                table[form].add(c + fg + fn)
    lines = sorted(f"{w}\t{','.join(sorted(common(a)))}" for w, a in table.items() if a and "\t" not in w and " " not in w)
    body = "\n".join(lines) + "\n"
    # Character offsets of each block of forms that share their first two letters, so
    # a lookup searches one small block of the text.
    index, offset, current = [], 0, None
    for line in lines:
        first = line.split("\t")[0][:2]
        if first != current:
            index.append(f"{first}:{offset}")
            current = first
        offset += len(line) + 1
    header = ("# Portuguese gender and number, generated by tools/make_pt_lexicon.py from the pt_PT Hunspell\n"
              "# dictionary of Projecto Natura (Universidade do Minho), GPL-2 or LGPL-2.1 or MPL-1.1;\n"
              "# this file is distributed under the Mozilla Public License 1.1.\n"
              "# index " + " ".join(index) + "\n")
    OUT.write_text(header + body, encoding="utf-8")
    print(f"{len(lines)} forms, {len((header + body).encode())} bytes -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
