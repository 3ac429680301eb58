"""A draft starts with a capital letter where its source does.

The en->pt model now and then starts a translated headline in lower case
("North Korean defector: 'We are not traitors'" -> "desertor norte-coreano: ...",
1 of 706 units measured on the example, reference and generated articles); a
sentence, heading or list item whose source starts with a capital starts with one
in every cased language.
"""

import re

from . import langs

# Opening quotes, brackets and dashes before a sentence's first word.
SENTENCE_START = re.compile(r"^[\s\"'“‘«¿¡(\[—–-]*")
# Languages whose dotted i capitalizes to İ.
_DOTTED_I = {"tr", "az"}


def is_upper_start(text: str) -> bool:
    rest = text[SENTENCE_START.match(text).end():]
    return bool(rest) and rest[0].isupper()


def capitalize(s: str, lang: str = "") -> str:
    if s[:1] == "i" and lang and langs.base(lang) in _DOTTED_I:
        return "İ" + s[1:]
    return s[:1].upper() + s[1:]


def follow_source(source: str, draft: str, lang: str) -> str:
    """``draft`` with its first letter made a capital when ``source``'s is one."""
    at = SENTENCE_START.match(draft).end()
    if at < len(draft) and draft[at].islower() and is_upper_start(source):
        return draft[:at] + capitalize(draft[at:], lang)
    return draft
