"""Picture credits: the label is translated, the names after it are not.

"Image: ASSOCIATED PRESS/picture alliance" is a label and the agencies or people who
own the picture. The model translates the names too ("Imagem: Aliança ASSOCIATED
PRESS/imagem", measured on the reference article with the en->pt model), and no
glossary lists every agency and photographer, so the engine is given the label alone
("Image" -> "Imagem", in the same batch as the article's sentences) and the names are
kept as written.
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


def compose(parts: tuple[str, str, str], label_translation: str) -> str:
    """The draft of a credit line split into ``parts``, its label translated as given."""
    label, sep, names = parts
    # A one-word label comes back with a period now and then ("Imagem.").
    translated = label_translation.strip().rstrip(".:").strip()
    return f"{translated or label}{sep}{names}"
