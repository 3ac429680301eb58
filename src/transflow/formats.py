"""Format directives (``%s``, ``%(name)s``, ``{name}``) in PO strings, found as GNU gettext finds them.

A PO entry flagged ``c-format``, ``python-format`` or ``python-brace-format`` holds
placeholders a program fills in: their letters are code, not words. Two readers need
them: the PO writer, which must not break a line inside one (gettext's write-po.c
consults its format parsers for that), and the checks, for which ``%(object)s`` is
neither the glossary term "object" nor a number.

The parsers follow gettext 0.21's format-python.c, format-c-parse.h and
format-python-brace.c as write-po.c calls them (a string read as a msgid): every
directive up to the first one the parser rejects, where gettext stops parsing.
"""

from __future__ import annotations

import re

# Flags whose directives this module knows, and the language each names.
LANGUAGES = {"c-format": "c", "python-format": "python", "python-brace-format": "python-brace"}

# transflow's markup markers ([1]...[/1], [2/]) and HTML or XML tags: markup, never words.
_MARKUP = re.compile(r"\[/?\d+/?\]|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")

# What a masked character becomes: neither a letter nor a digit nor a space, so no
# glossary term or number can match across or inside it, and offsets do not move.
MASK = "\ufffc"


def python_directives(s: str) -> list[tuple[int, int]]:
    """(start, end) of the directives format-python.c marks valid: all of them
    up to the first it rejects (parsing stops there)."""
    spans = []
    named = unnamed = 0
    n = len(s)
    i = 0
    while i < n:
        if s[i] != "%":
            i += 1
            continue
        start = i
        i += 1
        name = None
        if i < n and s[i] == "(":
            depth = 0
            i += 1
            name_start = i
            while i < n and not (s[i] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(s[i], 0)
                i += 1
            if i >= n:
                return spans  # unterminated name
            name = s[name_start:i]
            i += 1
        while i < n and s[i] in "-+ #0":
            i += 1
        for _ in (0, 1):  # width, then precision
            if i < n and s[i] == "*":
                if named:
                    return spans  # '*' needs a tuple, names need a mapping
                unnamed += 1
                i += 1
            else:
                while i < n and s[i] in "0123456789":
                    i += 1
            if _ or i >= n or s[i] != ".":
                break
            i += 1
        if i < n and s[i] in "hlL":
            i += 1
        if i >= n or s[i] not in "%csridouxXeEfgG":
            return spans
        if name is not None:
            if unnamed:
                return spans
            named += 1
        elif s[i] != "%":
            if named:
                return spans
            unnamed += 1
        spans.append((start, i))
        i += 1
    return spans


_C_ARG = re.compile(r"[1-9][0-9]*\$")
_C_SIZES = ("hh", "ll", "h", "l", "L", "q", "j", "z", "Z", "t")
# <inttypes.h> macros as xgettext leaves them in a msgid: %<PRIdMAX>, %<PRIu64>...
_C_INTTYPES = re.compile(r"<PRI[diouxX](?:8|16|32|64|LEAST8|LEAST16|LEAST32|LEAST64|FAST8|FAST16|FAST32|FAST64|MAX|PTR)>")


def c_directives(s: str, translated: bool = False) -> list[tuple[int, int]]:
    """(start, end) of the printf directives format-c-parse.h accepts, up to the first it
    rejects: %[n$][flags][width][.precision][size]conversion, %%, %<PRIdMAX>; a msgstr
    (``translated``) may also use glibc's ``I`` flag (locale digits)."""
    spans = []
    n = len(s)
    i = 0
    while i < n:
        if s[i] != "%":
            i += 1
            continue
        start = i
        i += 1
        if i < n and s[i] == "%":
            spans.append((start, i))
            i += 1
            continue
        m = _C_ARG.match(s, i)
        if m:
            i = m.end()
        while i < n and (s[i] in " +-#0'" or (translated and s[i] == "I")):
            i += 1
        for precision in (False, True):
            if precision:
                if i >= n or s[i] != ".":
                    break
                i += 1
            if i < n and s[i] == "*":
                i += 1
                m = _C_ARG.match(s, i)
                if m:
                    i = m.end()
            else:
                while i < n and s[i].isdigit() and s[i].isascii():
                    i += 1
        while True:
            size = next((z for z in _C_SIZES if s.startswith(z, i)), None)
            if size is None:
                break
            i += len(size)
        if i < n and s[i] in "diouxXfFeEgGaAcspnCSm":
            spans.append((start, i))
            i += 1
            continue
        m = _C_INTTYPES.match(s, i)
        if m is None:
            return spans
        spans.append((start, m.end() - 1))
        i = m.end()
    return spans


def brace_directives(s: str) -> list[tuple[int, int]]:
    """(start, end) of the replacement fields gettext 0.21 marks in a python-brace-format
    string: a name or a number in braces, ``{name}`` or ``{0}``. Other braces are text to
    it (``{name.attr}``, ``{0:>10}`` and ``{{`` included), and so they are here."""
    return [(m.start(), m.end() - 1) for m in _BRACE_FIELD.finditer(s)]


_BRACE_FIELD = re.compile(r"\{[A-Za-z0-9_]+\}")


_PARSERS = {"c": c_directives, "python": python_directives, "python-brace": brace_directives}


def directives(s: str, language: str | None, translated: bool = False) -> list[tuple[int, int]]:
    """The (start, end) spans (``end`` inclusive) of ``language``'s directives in ``s``
    (a msgstr when ``translated``); none for a language without a parser here."""
    parser = _PARSERS.get(language or "")
    if parser is None or not any(ch in s for ch in "%{}"):
        return []
    return c_directives(s, translated) if language == "c" else parser(s)


def languages(flags) -> list[str]:
    """The format languages a PO entry's flags declare (``python-format``, ``c-format``...);
    ``no-c-format`` and the like declare that a string is *not* one."""
    words = {w for flag in flags for w in re.split(r"[\s,]+", flag) if w}
    return [lang for flag, lang in LANGUAGES.items() if flag in words or f"possible-{flag}" in words]


def mask(text: str, flags=()) -> str:
    """``text`` with its format directives (by ``flags``) and its markup (markers,
    tags) replaced by :data:`MASK`, one for one, so offsets still point into ``text``."""
    spans = [(m.start(), m.end() - 1) for m in _MARKUP.finditer(text)]
    for language in languages(flags):
        spans += directives(text, language)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end + 1] = MASK * (end + 1 - start)
    return "".join(chars)
