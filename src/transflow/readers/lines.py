"""Line-level rules shared by the plain-text and Markdown readers."""

import re
import time

from .. import document as d
from ..errors import InputError

# Site furniture a scraped page carries. Matching lines become boilerplate blocks:
# kept in the article, never translated. Users extend this with --skip-pattern.
DEFAULT_SKIP_PATTERNS = (
    r"^(\d+\.\s*)?Skip to (content|main (menu|content)|navigation|more\b.*)$",
    r"^(Advertisement|Share this article|Print this page|Read more:?)$",
)

BYLINE = re.compile(r"^(By|Edited by|Written by|Reporting by|Text by)\b:?\s+\S")
# A credit glued to the end of a caption by scraping: "...conflictImage: AP/picture alliance".
GLUED_CREDIT = re.compile(r"(?<=[a-z0-9.)\"'”’])(?=(Image|Photo|Picture|Video|Credit)s?:\s)")
# "Image: AP/picture alliance" is a credit; "Photo: A fence on the Yalu" is a caption.
CREDIT = re.compile(r"^(Image|Picture|Photo credit|Credit)s?:\s")
CAPTION = re.compile(r"^(Photo|Picture|Video)s?( from [^:]{1,40})?:\s")
_MONTH = (r"(Jan(uary)?|Feb(ruary)?|Mar(ch)?|Apr(il)?|May|June?|July?|Aug(ust)?|Sep(t(ember)?)?|"
          r"Oct(ober)?|Nov(ember)?|Dec(ember)?)\.?")
# A dateline on its own: "December 6, 2023", "Updated: 6 December 2023 14:05 UTC", "2023-12-06".
DATE = re.compile(
    r"^((Published|Updated|Last updated|Posted)( on)?:?\s+)?"
    r"(((Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(" + _MONTH + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+" + _MONTH + r"\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}))"
    r"([\s,]+(at\s+)?\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?(\s+[A-Z]{2,4})?)?$"
)
# A sentence end inside the line ("...said so. Officials agreed") means prose, not a
# heading; titles such as "Dr." are not sentence ends.
_INNER_END = re.compile(r"\b([A-Za-z]+)[.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")
_NOT_ENDS = {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "gov", "sen", "rep", "lt", "col", "no", "vs", "jr", "sr"}
_CLOSERS = "\"'”’»)]*_ "
_TERMINAL = ".!?…"
_QUESTION_HEADING_WORDS = 14
_HEADING_WORDS = 20


# A user's skip pattern runs on every line of an article, and a regular expression
# can backtrack for ever: ``^(a+)+$`` took longer than any run on one line of a's.
# User patterns run on the `regex` module (a dependency, lazily imported: it costs
# ~30 ms of start-up), which stops a search after a timeout; a pattern that needs more
# than SKIP_SEARCH_SECONDS on one line, or SKIP_TOTAL_SECONDS over the article, is
# refused with its name. The built-in patterns are ours and run on `re`.
SKIP_SEARCH_SECONDS = 0.25
SKIP_TOTAL_SECONDS = 5.0


class SlowPattern(InputError):
    """A skip pattern that ran past its time bound."""


class SkipPatterns:
    """The skip patterns of a read: ``search(text)`` says whether any matches ``text``."""

    def __init__(self, patterns):
        self.patterns = []
        for p in dict.fromkeys(patterns):
            if p in DEFAULT_SKIP_PATTERNS:
                self.patterns.append((p, re.compile(p), None))
            else:
                self.patterns.append((p, compile_user_pattern(p), [SKIP_TOTAL_SECONDS]))

    def search(self, text: str) -> bool:
        for source, compiled, left in self.patterns:
            if left is None:
                if compiled.search(text):
                    return True
                continue
            started = time.perf_counter()
            try:
                found = compiled.search(text, timeout=min(SKIP_SEARCH_SECONDS, max(left[0], 0.001)))
            except TimeoutError:
                raise SlowPattern(
                    f"skip pattern {source!r} takes too long on a {len(text)}-character line (more than "
                    f"{SKIP_SEARCH_SECONDS:g} s, or {SKIP_TOTAL_SECONDS:g} s in all): it backtracks; "
                    f"rewrite it without nested repeats such as (a+)+") from None
            left[0] -= time.perf_counter() - started
            if found:
                return True
        return False


def compile_user_pattern(pattern: str):
    """A user's skip pattern compiled for :class:`SkipPatterns`; InputError if it is not valid."""
    import regex

    try:
        return regex.compile(pattern)
    except (regex.error, TypeError, ValueError) as e:
        raise InputError(f"skip pattern {pattern!r} is not a valid regular expression: {e}") from None


def compile_patterns(patterns) -> SkipPatterns:
    return SkipPatterns(patterns)


def is_closed(line: str) -> bool:
    """Whether a line ends like a sentence (so the next line does not continue it)."""
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL + ":;"


def looks_like_heading(line: str, alone: bool) -> bool:
    """A short line that does not end like a sentence, or a short question standing alone."""
    words = line.split()
    stripped = line.rstrip(_CLOSERS)
    if not stripped or len(words) > _HEADING_WORDS:
        return False
    if any(m.group(1).lower() not in _NOT_ENDS and len(m.group(1)) > 1 for m in _INNER_END.finditer(line)):
        return False
    if stripped[-1] not in _TERMINAL:
        return True
    return alone and stripped[-1] == "?" and len(words) <= _QUESTION_HEADING_WORDS


def classify(line: str, alone: bool, skip) -> str:
    if skip.search(line):
        return d.BOILERPLATE
    if CREDIT.match(line):
        return d.CREDIT
    if CAPTION.match(line):
        return d.CAPTION
    if BYLINE.match(line) or DATE.match(line.strip()):
        return d.BYLINE
    if looks_like_heading(line, alone):
        return d.HEADING
    return d.PARAGRAPH


def split_lines(source: str):
    """(start, end, line_number) of each line's content, without its line end."""
    out, pos, n = [], 0, 1
    for raw in source.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        out.append((pos, pos + len(content), n))
        pos += len(raw)
        n += 1
    return out
