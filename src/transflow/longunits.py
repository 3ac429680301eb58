"""Units too long for the model go to it in pieces: split at clause boundaries, never whole.

The embedded en->pt model was measured on one long sentence cut at growing lengths
(benchmarks run by hand, the model alone): up to ~450 characters the translation is
whole; from ~500 it starts dropping the end of the sentence; from ~1,300 its output
runs away (repeats itself, 2-3 times the input) and the time grows faster than the
length: 0.25 s at 1,200 characters, 2.2 s at 2,000, 10 s at 6,000, 38 s at 12,000,
200 s at 24,000. A 50 kB line took 4.5 minutes, and a 2.6 MB line was still running
at 15 minutes with 2.4 GB resident (a Rust out-of-memory abort at 5 GB elsewhere).
Sentences of real news stay under 600 characters, so that is the bound: a longer unit
is cut into pieces of at most :data:`MAX_UNIT_CHARS` characters as the model sees
them (Markdown links, code and URLs count as the placeholder they become), each
translated on its own and the drafts joined with a space. The PO file keeps the unit
as one entry and says in a comment how many pieces it took.

Where a piece ends, best first: after a sentence end (., !, ?), after ; or : or a
spaced dash, after a comma, before an English conjunction (and, but, which...), at
any space; never inside a link, code span, URL or emphasis, or inside an HTML
placeholder pair, when another place will do. A unit with a stretch longer than the
bound and no space in it (a pasted blob) cannot be cut: it is not machine-translated,
and its entry says why.
"""

import functools
import re

from . import casing, placeholders

MAX_UNIT_CHARS = 600
# Above this many characters a unit is cut without first asking how long it is once
# its markup is masked (which reads it whole with the Markdown patterns).
_MASK_SCAN = 20 * MAX_UNIT_CHARS
# A stretch without a place to cut may run past the bound when it is one Markdown link,
# URL or code span (a placeholder to the model), but not past this.
_MAX_STRETCH = 8 * MAX_UNIT_CHARS

# Places a piece may end, best first; each regex gives the offset where the piece ends.
_ENDS = (
    re.compile(r"[.!?…][\"'”’)\]]*(?=\s)"),
    re.compile(r"[;:](?=\s)|\s[—–]|\s--?(?=\s)"),
    re.compile(r",(?=\s)"),
    re.compile(r"(?=\s(?:and|but|or|nor|yet|so|because|while|whereas|although|though|which|who|whom|whose|"
               r"where|when|after|before|since|until|unless|if|that|as)\s)", re.IGNORECASE),
    re.compile(r"(?=\s)"),
)
_SPACE = re.compile(r"\s")
_MARKUP = re.compile(r"[`\[<*_]|://")  # what every pattern of placeholders.markdown_ranges needs
# What the PO entry of a unit that cannot be cut says (an extracted comment).
REFUSAL = (f"not machine-translated: longer than {MAX_UNIT_CHARS} characters with no place to cut it "
           f"into pieces (a stretch without spaces); translate it by hand")


def pieces_comment(n: int) -> str:
    """The extracted comment of a unit translated in ``n`` pieces."""
    return f"translated in {n} pieces: longer than the {MAX_UNIT_CHARS} characters the model translates whole"
_TERMINAL = ".!?…"


def model_length(text: str) -> int:
    """How long ``text`` is as the model sees it: Markdown markup, URLs and code as placeholders."""
    return len(placeholders.protect(text)[0])


@functools.lru_cache(maxsize=64)
def pieces(text: str) -> tuple[str, ...] | None:
    """``(text,)`` when it is within the bound; else its pieces (each stripped, in order);
    None when it cannot be cut into pieces within the bound."""
    if len(text) <= MAX_UNIT_CHARS or (len(text) <= _MASK_SCAN and model_length(text) <= MAX_UNIT_CHARS):
        return (text,)
    out, start, n = [], 0, len(text)
    while start < n:
        if n - start <= MAX_UNIT_CHARS:
            cut = n
        else:
            cut = _cut(text, start)
            if cut is None:
                return None
        piece = text[start:cut].strip()
        if piece:
            out.append(piece)
        start = cut
    return tuple(out)


def _cut(text: str, start: int) -> int | None:
    """Where the piece that starts at ``start`` ends: the best place in its window."""
    window = text[start:start + MAX_UNIT_CHARS]
    inside = _inside(text, start, len(window))
    half = len(window) // 2
    for allow_inside in (False, True):
        first = None  # the last place of the best class that has one, if none is in the second half
        for rank, rx in enumerate(_ENDS):
            places = [at for at in (m.end() if rank < 3 else m.start() for m in rx.finditer(window))
                      if 0 < at <= len(window) and (allow_inside or inside is None or not inside[at])]
            if places and places[-1] >= half:
                return start + places[-1]  # the best class with a place in the second half of the window
            if places and first is None:
                first = places[-1]
        if first is not None:
            return start + first
        if inside is None:
            break
    # No place in the window: one long stretch (a link, a URL, or a blob) up to the next space.
    m = _SPACE.search(text, start + MAX_UNIT_CHARS)
    end = m.start() if m else len(text)
    if end - start > _MAX_STRETCH or model_length(text[start:end]) > MAX_UNIT_CHARS:
        return None
    return end


def _inside(text: str, start: int, size: int) -> list[bool] | None:
    """For each offset 0..size from ``start``: whether a piece ending there would cut a
    Markdown link, code span, URL or emphasis, or an HTML placeholder pair, that begins
    in or near the window; None when there is none."""
    spans = _protected(text, start)
    if not spans:
        return None
    depth = [0] * (size + 2)
    for a, b in spans:
        if a + 1 <= size:
            depth[a + 1] += 1
            depth[min(b, size + 1)] -= 1
    out, level = [], 0
    for k in range(size + 1):
        level += depth[k]
        out.append(level > 0)
    return out


def _protected(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) offsets, relative to ``start``, of the markup near it: Markdown
    links, code, URLs, emphasis and HTML placeholder pairs."""
    near = text[start:start + 2 * MAX_UNIT_CHARS]
    if not _MARKUP.search(near):
        return []
    spans = [(a, b + 1) for a, b in placeholders.markdown_ranges(near)]
    table = placeholders.unit_table(near)
    opened = {}
    for m in placeholders.TOKEN.finditer(near):
        n = int(m.group(2))
        if n in table.pairs and m.group(0) == placeholders.open_ph(n):
            opened.setdefault(n, m.start())
        elif n in table.pairs and m.group(0) == placeholders.close_ph(n) and n in opened:
            spans.append((opened.pop(n), m.end()))
    return spans


def join(sources: tuple[str, ...], drafts: list[str]) -> str:
    """The drafts of a unit's pieces as one draft. The model starts each piece as a
    sentence: a capital where the source piece goes on in lower case is put back in
    lower case, and a full stop where the source piece ends without one is dropped."""
    out = []
    for i, (source, draft) in enumerate(zip(sources, drafts)):
        draft = draft.strip()
        if i and draft and not casing.is_upper_start(source):
            at = casing.SENTENCE_START.match(draft).end()
            word = draft[at:].split(" ", 1)[0]
            if word[:1].isupper() and not word[1:2].isupper():  # not an acronym
                draft = draft[:at] + draft[at].lower() + draft[at + 1:]
        if draft.endswith(".") and not source.rstrip("\"'”’)]").endswith(tuple(_TERMINAL)):
            draft = draft[:-1].rstrip()
            if source[-1:] in ",;:" and not draft.endswith(source[-1]):
                draft += source[-1]
        out.append(draft)
    return " ".join(d for d in out if d)
