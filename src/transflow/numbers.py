"""Numbers in text, read with each language's separators, so "2,000" (en) equals "2.000" (pt)."""

import re
from decimal import Decimal, InvalidOperation

from . import langs

# Languages that write 2.000,5 (comma decimal); the rest write 2,000.5.
COMMA_DECIMAL = {"pt", "de", "es", "fr", "it", "nl", "ru", "uk", "pl", "cs", "sk", "tr", "id", "da", "sv", "nb", "fi", "ro", "hu", "el", "bg", "hr", "sl", "sr", "ca", "gl", "vi"}
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d+)?(?![\w])|(?<![\w.,])\d+(?:[.,]\d+)?(?!\w)")


def values(text: str, lang: str) -> list[Decimal]:
    """The numbers written in ``text`` as values, in order."""
    comma_decimal = langs.base(lang) in COMMA_DECIMAL
    out = []
    for m in _NUMBER.finditer(text):
        raw = m.group(0)
        group, decimal = (".", ",") if comma_decimal else (",", ".")
        cleaned = re.sub(r"[\u00a0\u202f ]", "", raw)
        # A lone separator followed by exactly three digits is a thousands separator
        # in both conventions ("2,000" and "2.000" both mean two thousand in prose).
        if re.fullmatch(r"\d{1,3}[.,]\d{3}", cleaned):
            cleaned = cleaned.replace(",", "").replace(".", "")
        else:
            cleaned = cleaned.replace(group, "").replace(decimal, ".")
        try:
            out.append(Decimal(cleaned))
        except InvalidOperation:
            continue
    return out
