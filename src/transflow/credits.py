"""Picture credits: the label is translated, the names after it are not.

"Image: ASSOCIATED PRESS/picture alliance" is a label and the agencies or people who
own the picture. The model translates the names too ("Imagem: Aliança ASSOCIATED
PRESS/imagem", measured on the reference article with the en->pt model), and no
glossary lists every agency and photographer, so the engine is given the label alone
("Image" -> "Imagem") and the names are kept as written.
"""

import re

from .readers.lines import CREDIT

# The label without its colon: "Image", "Photo credit", "Credits".
_LABEL = re.compile(r"^(?P<label>[^:]+?)(?P<sep>:\s+)")


def split(text: str) -> tuple[str, str, str] | None:
    """(label, separator, names) of a credit line, or None when ``text`` is not one."""
    if not CREDIT.match(text):
        return None
    m = _LABEL.match(text)
    names = text[m.end():]
    return (m.group("label"), m.group("sep"), names) if m and names.strip() else None


def translate(translate_texts, texts: list[str]) -> dict[str, str]:
    """The drafts of the credit lines among ``texts``, by text (others are left out);
    ``translate_texts(list) -> list`` is the engine, called once with the labels."""
    parts = {t: p for t in texts if (p := split(t)) is not None}
    labels = list(dict.fromkeys(label for label, _, _ in parts.values()))
    if not labels:
        return {}
    rendered = dict(zip(labels, translate_texts(labels)))
    out = {}
    for text, (label, sep, names) in parts.items():
        # A one-word label comes back with a period now and then ("Imagem.").
        label_out = rendered[label].strip().rstrip(".:").strip()
        out[text] = f"{label_out or label}{sep}{names}"
    return out
