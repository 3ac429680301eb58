"""A strict line-level check of PO syntax, because polib silently accepts broken files.

polib reads `msgid garbage` or an unterminated string without complaint and
would then rewrite the file without them; a translator's file must never be
"repaired" by dropping lines. Messages follow msgfmt's ``file:line: problem``.
"""

import re

from .errors import InputError

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD = re.compile(rf"^(?:#~\s*)?(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+{_STRING}\s*$")
_CONTINUATION = re.compile(rf"^(?:#~\s*)?{_STRING}\s*$")
_PREVIOUS = re.compile(rf"^#~?\|\s*(msgctxt|msgid|msgid_plural)?\s*{_STRING}\s*$")
_CHARSET = re.compile(r"charset=([A-Za-z0-9_.:-]+)", re.I)


def check(text: str, path) -> None:
    """Raise :class:`InputError` at the first line that is not PO syntax."""
    # PO lines end at \n only; str.splitlines() would also cut at U+2028 inside a msgid.
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith(("#~", "#|"))):
            continue
        if stripped.startswith("#|") or stripped.startswith("#~|"):
            continue
        if _KEYWORD.match(stripped) or _CONTINUATION.match(stripped):
            continue
        if stripped.startswith("#~") and stripped[2:].strip() == "":
            continue
        problem = "unterminated string" if stripped.count('"') % 2 else "not a PO keyword, string or comment"
        raise InputError(f"{path}:{number}: PO syntax error: {problem}; fix the line in a PO editor or run `msgfmt -c` on it")


def check_charset(header_text: str, path) -> None:
    """transflow reads and writes UTF-8 only; anything else would be re-encoded wrongly."""
    m = _CHARSET.search(header_text)
    if m and m.group(1).upper().replace("_", "-") not in ("UTF-8", "UTF8", "CHARSET"):
        raise InputError(
            f"{path}: the PO header declares charset {m.group(1)}; transflow works in UTF-8: "
            f"convert the file with `msgconv -t UTF-8 {path} -o {path}`"
        )
