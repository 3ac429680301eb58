"""Units that are not language: nothing for a translator or a model to translate.

Scraped pages carry text that reads as a sentence to a segmenter but is not one:
figures alone ("$139.00", "12:05"), bare URLs and addresses, JavaScript that a page
prints outside a script element (``Krux('scrape', 'bounce', {...})``), ad and tracking
configuration strings, JSON. Sent to the model, they cost time and come back damaged
("(em inglês)" after a URL). :func:`why_not` names what such a unit is; segmenting
leaves it out (it stays in the article as written), and `transflow segment` says why.

Each test is on the unit's text with its markup markers taken out, and errs on the
side of language: a name, a heading of one word, a sentence with a URL in it, a
hashtag are language.
"""

import re

from .placeholders import TOKEN

_LETTER = re.compile(r"[^\W\d_]")
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)\S+"  # a web address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*",  # a host and a path: pic.twitter.com/3BDnrvkoms
    re.IGNORECASE)
# Code: a call or assignment as a whole unit, a function, JSON or an object literal.
_CODE = re.compile(
    r"[\w$.]+\((?:.*[\"'{,].*)?\)\s*;?"  # Krux('scrape', 'bounce'); window.foo(); not "Email (required)"
    r"|(?:var|let|const)\s+[\w$]+\s*=.*"  # var x = ...
    r"|[\w$.\[\]'\"]+\s*=\s*(?:[\[{(\"'].*|[\w$.]+\s*;)"  # googletag.cmd = [] ; a = b;
    r"|.*\bfunction\s*\w*\s*\(.*\)\s*\{.*"  # function (a) { ...
    r"|.*=>\s*\{.*"
    r"|[{\[]\s*[\"'][^\"']*[\"']\s*:.*[}\]]"  # {"key": ...}
    r"|[^{}]*\{\s*[\w-]+\s*:\s*[^{}]*;?\s*\}"  # .class { color: red; }
    r"|(?:\s*(?:\{\*.*?\*\}|\{\{.*?\}\}|\{%.*?%\}))+",  # template tags: {* loginWidget *}, {{ name }}
    re.DOTALL)
# Characters that are rare in prose and frequent in code and configuration.
_CODE_CHARS = re.compile(r"[{}()\[\];=<>$|\\&_/:]")
# A name of code alone: snake_case ("arrow_forward_ios", "NBC_OTS_CONSUMER_DFW").
_IDENTIFIER = re.compile(r"[\w-]*[^\W_]_[^\W_][\w.-]*")
# A date and time in figures alone: "11/13/19 9:00AM", "2019-11-13T23:06:08+01:00".
_DATE_TIME = re.compile(r"\d[\d/:.+-]*(?:T[\d:.+-]+|\s+\d[\d:.]*)?\s*(?:[AP]\.?M\.?)?(?-i:\s+[A-Z]{2,4})?", re.IGNORECASE)
# A stretch without spaces this long with configuration punctuation in it ("pos=top;
# ad_unit=/1234/news") is a setting, not a word.
_SETTING = re.compile(r"\S{20,}")
_SETTING_CHARS = re.compile(r"[=&|;{}\\]|\w_\w|/\w+/")


def why_not(text: str) -> str | None:
    """Why ``text`` (a unit, markers and all) is not language to translate; None when it is."""
    words = " ".join(TOKEN.sub(" ", text).split())
    if not _LETTER.search(words):
        return "no letters"
    if _URL.fullmatch(words):
        return "a web or e-mail address"
    if _looks_like_code(words):
        return "code"
    if _IDENTIFIER.fullmatch(words):
        return "a name in code"
    if _DATE_TIME.fullmatch(words):
        return "a date or time in figures"
    if all(_SETTING.fullmatch(w) and _SETTING_CHARS.search(w) for w in words.split()):
        return "a configuration string"
    return None


def _looks_like_code(words: str) -> bool:
    if not _CODE.fullmatch(words):
        return False
    # A sentence that merely has parentheses ("The group (founded 1951) said so.") has
    # few code characters among its letters.
    return len(_CODE_CHARS.findall(words)) >= 2 and not _prose(words)


def _prose(words: str) -> bool:
    """Whether ``words`` read as a sentence: mostly words of letters separated by spaces."""
    tokens = words.split()
    plain = [t for t in tokens if re.fullmatch(r"[\"'“‘(]?[^\W\d_]+[-'’]?[^\W\d_]*[.,;:!?\"'”’)]*", t)]
    return len(tokens) >= 4 and len(plain) >= 0.8 * len(tokens)
