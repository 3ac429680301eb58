"""HTML articles: the text of block elements (p, h1-h6, li, blockquote, figcaption, td...).

Text nodes are translated, and the ``alt`` and ``title`` attributes of elements
between blocks (an image in a ``figure``, a ``div``'s tooltip) and the page's
description and titles for search results and link previews (``<meta content>``) as
units of their own.
Inline elements inside a block (a, em, strong, span...) stay in the unit as numbered
placeholders (``[1]text[/1]``; a ``br``, an image or a ``code`` element as ``[2/]``),
attributes and all, and ``build`` puts the source's tags back around the translated
words. script, style, code, pre and anything marked ``translate="no"`` are never
translated; ``nav`` is kept as boilerplate.

Spans point into the file as read (entities and tags included), so the units and
the text between them rebuild the file exactly.
"""

import bisect
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .. import document as d
from .. import placeholders as ph
from ..errors import InputError
from . import lines as L

BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li "
    "main menu nav ol p section summary table tbody td tfoot th thead title tr ul".split()
)
# Never translated, content and all. Inside a block they are one placeholder.
RAW = frozenset("script style code pre kbd samp var noscript template svg math textarea iframe object select canvas".split())
# RAW elements that can stand inside a sentence ("run <code>make</code> first").
RAW_INLINE = frozenset("code kbd samp var svg math".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "title"}
_LIST = {"li", "dt", "dd"}
_CAPTIONS = {"figcaption", "caption"}
# Attributes a reader sees or hears (screen readers read alt text), as unit kinds.
ATTRIBUTES = {"alt": d.ALT_TEXT, "title": d.TOOLTIP}
# <meta name|property=... content="..."> shown in search results and link previews.
META_NAMES = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})
# A quoted attribute value in a tag's source: unquoted values are left alone (a
# translation with a space in it could not go back without changing the quoting).
_QUOTED_ATTR = re.compile(r"""\s([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Tok:
    kind: str  # text, start, end, startend, other (comment, doctype...)
    tag: str
    start: int
    end: int
    text: str = ""  # text: the characters it stands for (entities decoded)
    attrs: tuple = ()


class _Tokenizer(HTMLParser):
    """Every piece of the input with its offsets; pieces cover the input without gaps."""

    def __init__(self, source: str, base: int):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.base = base
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.found: list[tuple[int, str, str, str, tuple]] = []

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        self.found.append((self._at(), "start", tag, "", tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.found.append((self._at(), "startend", tag, "", tuple(attrs)))

    def handle_endtag(self, tag):
        self.found.append((self._at(), "end", tag, "", ()))

    def handle_data(self, data):
        self.found.append((self._at(), "text", "", data, ()))

    def handle_entityref(self, name):
        self.found.append((self._at(), "entity", "", "", ()))

    def handle_charref(self, name):
        self.found.append((self._at(), "entity", "", "", ()))

    def handle_comment(self, data):
        self.found.append((self._at(), "other", "", "", ()))

    handle_decl = handle_pi = unknown_decl = handle_comment

    def tokens(self) -> list[Tok]:
        self.feed(self.source)
        self.close()
        found = sorted(self.found, key=lambda f: f[0])
        out = []
        for i, (at, kind, tag, text, attrs) in enumerate(found):
            end = found[i + 1][0] if i + 1 < len(found) else len(self.source)
            if end <= at:
                continue
            raw = self.source[at:end]
            if kind == "entity":
                kind, text = "text", html.unescape(raw)
            elif kind == "text" and tag == "":
                text = raw
            out.append(Tok(kind, tag, self.base + at, self.base + end, text, attrs))
        return out


def tokens(source: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """The pieces of ``source[start:end]``, with offsets into ``source``."""
    end = len(source) if end is None else end
    return _Tokenizer(source[start:end], start).tokens()


def _attr(tok: Tok, name: str) -> str:
    for k, v in tok.attrs:
        if k == name:
            return v or ""
    return ""


def _no_translate(tok: Tok) -> bool:
    return _attr(tok, "translate").lower() == "no" or "notranslate" in _attr(tok, "class").split()


def _raw_end(toks: list[Tok], i: int) -> int:
    """Index of the token that ends the raw element opened at ``toks[i]`` (inclusive)."""
    tag, depth = toks[i].tag, 0
    if toks[i].kind == "startend" or tag in VOID:
        return i
    for j in range(i, len(toks)):
        if toks[j].kind == "start" and toks[j].tag == tag:
            depth += 1
        elif toks[j].kind == "end" and toks[j].tag == tag:
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def parse(path, source: str, skip_patterns=None, content: str = "main") -> d.Document:
    """The blocks of an HTML page. ``content``: "main" leaves out what is not the article
    on a full page (readers/maincontent.py); "all" keeps every block."""
    skip = L.compile_patterns(L.DEFAULT_SKIP_PATTERNS if skip_patterns is None else skip_patterns)
    doc = d.Document(path=path, text=source, format="html")
    toks = tokens(source)
    stack = _Open()  # open block elements
    run: list[int] = []  # token indices of the inline run being gathered

    def flush():
        if run:
            _emit(doc, toks[run[0]].start, toks[run[-1]].end, stack, skip)
            run.clear()

    attributes: list[d.Block] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind in ("start", "startend") and not _no_translate(t):
            attributes += _attribute_blocks(doc, t, stack, skip)
        raw = t.kind in ("start", "startend") and (t.tag in RAW or _no_translate(t))
        if raw:
            j = _raw_end(toks, i)
            if t.tag in RAW_INLINE or (t.tag not in BLOCKS and t.tag not in RAW):
                run.extend(range(i, j + 1))  # one placeholder inside the sentence
            else:
                flush()
            i = j + 1
            continue
        if t.tag in BLOCKS and t.kind in ("start", "startend", "end"):
            flush()
            if t.kind == "start" and t.tag not in VOID:
                stack.push(t)
            elif t.kind == "end":
                stack.close(t.tag)
        elif t.kind == "other" and not run:
            pass  # a comment or doctype between blocks
        else:
            run.append(i)
        i += 1
    flush()
    # An attribute inside a block's text stays in its placeholder, whole. Blocks come
    # in document order without overlapping: the one that could hold it is found by bisection.
    starts = [b.start for b in doc.blocks]
    outside = [a for a in attributes
               if (k := bisect.bisect_right(starts, a.start) - 1) < 0 or a.start >= doc.blocks[k].end]
    doc.blocks = sorted(doc.blocks + outside, key=lambda b: b.start)
    if content == "main":
        from . import maincontent

        maincontent.select(doc)
    return doc


def _attribute_blocks(doc, t: Tok, stack, skip) -> list[d.Block]:
    meta = t.tag == "meta" and (_attr(t, "name") or _attr(t, "property")).lower() in META_NAMES
    if not meta and stack.has("head"):
        return []
    kinds = {"content": d.METADATA} if meta else ATTRIBUTES
    blocks = []
    for m in _QUOTED_ATTR.finditer(doc.text, t.start, t.end):
        kind = kinds.get(m.group(1).lower())
        group = 2 if m.group(2) is not None else 3
        start, end = m.start(group), m.end(group)
        words = attribute_text(doc.text, start, end)
        if kind is None or not words:
            continue
        value = m.group(group)
        start, end = start + len(value) - len(value.lstrip()), start + len(value.rstrip())
        boiler = _kind(stack, words, skip) == d.BOILERPLATE
        blocks.append(d.Block(d.BOILERPLATE if boiler else kind, start, end, doc.line_of(start), translate=not boiler,
                              element=Element.of(t, stack.current), left_out=_why_boilerplate(stack) if boiler else ""))
    return blocks


def attribute_text(source: str, start: int, end: int) -> str:
    """The words of an attribute value's span (entities decoded)."""
    return " ".join(html.unescape(source[start:end]).split())


def escape_attribute(text: str) -> str:
    return html.escape(text, quote=True)


_LANG_ATTR = re.compile(r"""(\s(?:xml:)?lang\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)


def with_language(source: str, lang: str, within: int | None = None) -> str:
    """``source`` with its ``<html>`` tag saying ``lang`` (BCP 47): screen readers and
    browsers pick voice, hyphenation and quotes by it. ``within``: the tag is looked for
    in ``source[:within]`` only (a built page is not parsed again past its first unit)."""
    tag = next((t for t in tokens(source, 0, within) if t.kind in ("start", "startend") and t.tag == "html"), None)
    if tag is None:
        return source
    old = source[tag.start:tag.end]
    new, found = _LANG_ATTR.subn(lambda m: f'{m.group(1)}"{lang}"', old)
    if not found:
        close = len(old) - 2 if old.endswith("/>") else len(old) - 1
        new = f'{old[:close].rstrip()} lang="{lang}"{old[close:]}'
    return source[:tag.start] + new + source[tag.end:]


def _emit(doc, start, end, stack, skip):
    """Add the block ``doc.text[start:end]`` if it holds words, trimmed of surrounding space."""
    body = doc.text[start:end]
    lead = len(body) - len(body.lstrip())
    start, end = start + lead, start + len(body.rstrip())
    plain = plain_text(doc.text, start, end)
    if not plain.strip() or stack.has("head") and not stack.has("title"):
        return
    kind = _kind(stack, " ".join(plain.split()), skip)
    boiler = kind == d.BOILERPLATE
    doc.blocks.append(d.Block(kind, start, end, doc.line_of(start), translate=not boiler, element=stack.current,
                              left_out=_why_boilerplate(stack) if boiler else ""))


def _why_boilerplate(stack) -> str:
    return "navigation (inside <nav>)" if stack.has("nav") else "a skip pattern matched it"


_GENERIC = frozenset({"div", "span", "section", "article", "main"})
_CLASS_WORDS = ("byline", "author", "credit", "caption")
# Elements whose class says nothing about one block: a theme's classes on <html> or
# <body> ("author-4326", "flag-simpleExtendedByline-on") describe the whole page.
_PAGE_ELEMENTS = frozenset({"html", "body"})


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass(eq=False)
class Element:
    """An open block element as a block of text found it: what main-content detection
    reads (its tag, classes and id, and the element it is in)."""

    tag: str
    classes: tuple[str, ...]
    id: str
    parent: "Element | None"
    hidden: bool = False  # it or an element it is in is not shown (hidden, display:none, aria-hidden)

    @classmethod
    def of(cls, t: Tok, parent: "Element | None") -> "Element":
        hidden = (parent is not None and parent.hidden) or any(k == "hidden" for k, _ in t.attrs) or (
            _attr(t, "aria-hidden").lower() == "true") or _HIDDEN_STYLE.search(_attr(t, "style")) is not None
        return cls(t.tag, tuple(_attr(t, "class").lower().split()), _attr(t, "id"), parent, hidden)

    def ancestors(self):
        """This element and those it is in, innermost first."""
        e = self
        while e is not None:
            yield e
            e = e.parent


def class_has(classes, word: str) -> bool:
    """Whether a class token names ``word``: the whole token ("byline"), or its last part
    after a hyphen or underscore ("c-byline", "article__byline"), or a BEM element of it
    ("byline__name"). Never a part inside a token: "author-4326" and
    "flag-simpleExtendedByline-on" are a theme's names for the page, not bylines."""
    return any(c == word or c.endswith(("-" + word, "_" + word)) or c.startswith(word + "__") for c in classes)


class _Open:
    """The open block elements, innermost last, with what :func:`_kind` asks of them kept
    up to date as elements open and close, so that each question costs the same at any
    depth: asking the whole stack for every block was quadratic (a page of 4,000
    unclosed ``<p>``, which old HTML leaves to the browser to close, took 5 s for 128 kB).
    """

    def __init__(self):
        self.toks: list[Tok] = []
        self.elements: list[Element] = []  # the same, as Elements chained to their parents
        self.where: dict[str, list[int]] = {}  # tag -> its positions in toks
        self.specific: list[int] = []  # positions of elements other than div, span...
        self.words: dict[str, int] = dict.fromkeys(_CLASS_WORDS, 0)  # open elements whose class holds each

    def push(self, t: Tok) -> None:
        self.where.setdefault(t.tag, []).append(len(self.toks))
        if t.tag not in _GENERIC:
            self.specific.append(len(self.toks))
        self.toks.append(t)
        self.elements.append(Element.of(t, self.current))
        for word in self._class_words(t):
            self.words[word] += 1

    def close(self, tag: str) -> None:
        """Close the innermost open ``tag`` and everything opened inside it (no-op if none)."""
        positions = self.where.get(tag)
        if not positions:
            return
        k = positions[-1]
        for t in reversed(self.toks[k:]):  # each element leaves once: linear over a page
            self.where[t.tag].pop()
            for word in self._class_words(t):
                self.words[word] -= 1
        while self.specific and self.specific[-1] >= k:
            self.specific.pop()
        del self.toks[k:]
        del self.elements[k:]

    @property
    def current(self) -> Element | None:
        """The innermost open element."""
        return self.elements[-1] if self.elements else None

    @staticmethod
    def _class_words(t: Tok) -> list[str]:
        classes = _attr(t, "class").lower().split()
        if not classes or t.tag in _PAGE_ELEMENTS:
            return []
        return [w for w in _CLASS_WORDS if class_has(classes, w)]

    def has(self, tag: str) -> bool:
        return bool(self.where.get(tag))

    def has_class(self, word: str) -> bool:
        return self.words[word] > 0

    @property
    def inner(self) -> str:
        """The innermost element that says what a block is (not a div, span...), else the innermost."""
        if self.specific:
            return self.toks[self.specific[-1]].tag
        return self.toks[-1].tag if self.toks else ""


def _kind(stack: _Open, plain, skip) -> str:
    if stack.has("nav") or skip.search(plain):
        return d.BOILERPLATE
    inner = stack.inner
    if inner in _HEADINGS:
        return d.HEADING
    if inner in _CAPTIONS:
        return d.CAPTION
    if inner in _LIST:
        return d.LIST_ITEM
    if stack.has("blockquote"):
        return d.QUOTE
    if inner == "address" or stack.has_class("byline") or stack.has_class("author"):
        return d.BYLINE
    if stack.has_class("credit") or L.CREDIT.match(plain):
        return d.CREDIT
    if stack.has_class("caption") or L.CAPTION.match(plain):
        return d.CAPTION
    if L.BYLINE.match(plain) or L.DATE.match(plain):
        return d.BYLINE
    return d.PARAGRAPH


# --- inline content of one unit ---------------------------------------------------


def plain_text(source: str, start: int, end: int) -> str:
    """The words of ``source[start:end]``: text nodes decoded, markup and code left out."""
    return "".join(t.text for t in _inline(tokens(source, start, end)) if t.kind == "text")


def _inline(toks: list[Tok]) -> list[Tok]:
    """Tokens of an inline run with each raw element (code, script...) folded into one."""
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.kind in ("start", "startend") and (t.tag in RAW or _no_translate(t)):
            j = _raw_end(toks, i)
            out.append(Tok("raw", t.tag, t.start, toks[j].end))
            i = j + 1
            continue
        out.append(t)
        i += 1
    return out


def _pairs(toks: list[Tok]) -> dict[int, int]:
    """Opening token index -> closing token index, for elements closed within ``toks``."""
    pairs, stack, where = {}, [], {}  # where: tag -> positions in stack, for an O(1) match
    for i, t in enumerate(toks):
        if t.kind == "start" and t.tag not in VOID:
            where.setdefault(t.tag, []).append(len(stack))
            stack.append(i)
        elif t.kind == "end" and where.get(t.tag):
            k = where[t.tag][-1]
            pairs[stack[k]] = i
            for j in reversed(stack[k:]):
                where[toks[j].tag].pop()
            del stack[k:]
    return pairs


# Inline elements nested deeper than this in one unit are refused: real pages nest a
# handful (<a><strong><em>), and each level is a placeholder pair the translator and
# the model must keep in order. A unit may have any number of markers (a list of 3,763
# linked names is one sentence); each is numbered.
MAX_INLINE_DEPTH = 100
# An element whose words are these is no place for translated words: a citation
# ("[8]", "(3)", "8"), a footnote mark, a dash or a bullet.
_NO_WORDS = re.compile(r"\W*|[\[(]\s*\d+[a-z]?\s*[\])]|\d{1,3}[a-z]?", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")


class MarkupTooDeep(InputError):
    """A unit's inline markup is past a bound; ``offset``: where the unit starts."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def _wordless(toks: list[Tok], pairs: dict[int, int]) -> dict[int, int]:
    """The pairs (opening -> closing index) of elements that hold no word to translate:
    empty (an icon, an anchor), or only a citation or punctuation inside. Each becomes
    one standalone placeholder, so neither the model nor a translator can stretch it
    around a sentence (Wikipedia's citation links ended up around whole sentences)."""
    text = [t.text if t.kind == "text" else "" for t in toks]
    offsets = [0]
    for piece in text:
        offsets.append(offsets[-1] + len(piece))
    plain = "".join(text)
    out = {}
    for o, c in pairs.items():
        inside = plain[offsets[o]:offsets[c]]
        if len(inside) <= 12 and not _LETTERS.search(inside) and _NO_WORDS.fullmatch(inside.strip()):
            out[o] = c
    return out


def inline_table(source: str, start: int, end: int) -> tuple[str, ph.Table]:
    """The unit text of ``source[start:end]`` (markup as placeholders) and what each stands
    for; MarkupTooDeep past MAX_INLINE_DEPTH."""
    toks = _inline(tokens(source, start, end))
    pairs = _pairs(toks)
    closing = {c: o for o, c in pairs.items()}
    depth = deepest = 0
    for i in range(len(toks)):
        depth += (i in pairs) - (i in closing)
        deepest = max(deepest, depth)
    if deepest > MAX_INLINE_DEPTH:
        raise MarkupTooDeep(f"inline elements nested {deepest} deep in one sentence, more than the "
                            f"{MAX_INLINE_DEPTH} transflow translates; flatten the markup", start)
    wordless = _wordless(toks, pairs)
    # Numbers that the unit's own text has as "[3]" are not handed out; a citation's
    # "[2]" inside its placeholder is not the unit's text.
    inside = [0] * (len(toks) + 1)
    for o, c in wordless.items():
        inside[o] += 1
        inside[c + 1] -= 1
    depth, literal = 0, []
    for i, t in enumerate(toks):
        depth += inside[i]
        if t.kind == "text" and not depth:
            literal.append(t.text)
    numbers = ph.Numbers("".join(literal))
    ids: dict[int, int] = {}
    table = ph.Table()
    parts = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "text":
            parts.append(t.text)
        elif i in wordless:  # the element, its contents and its end tag: one piece
            n = numbers()
            table.voids[n] = source[t.start:toks[wordless[i]].end]
            table.order.append(n)
            parts.append(ph.void_ph(n))
            i = wordless[i] + 1
            continue
        elif i in pairs:
            n = ids[i] = numbers()
            table.pairs[n] = (source[t.start:t.end], source[toks[pairs[i]].start:toks[pairs[i]].end])
            table.order.append(n)
            parts.append(ph.open_ph(n))
        elif i in closing:
            parts.append(ph.close_ph(ids[closing[i]]))
        else:  # br, img, code, a comment, an unclosed or stray tag: kept as it is
            n = numbers()
            table.voids[n] = source[t.start:t.end]
            table.order.append(n)
            parts.append(ph.void_ph(n))
        i += 1
    return " ".join("".join(parts).split()), table


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def unit_spans(source: str, start: int, end: int, split) -> list[tuple[int, int]]:
    """Source spans of the sentences of the block ``source[start:end]``.

    ``split(plain, protected)`` gives sentence spans of the block's words. No span
    cuts through an inline element; an element that wraps a whole span is left
    outside it, so the unit reads "Text." rather than "[1]Text.[/1]".
    """
    start, end = _unwrap(source, start, end)  # "<p><em>A. B.</em></p>" splits inside the em
    toks = _inline(tokens(source, start, end))
    chars: list[tuple[int, int]] = []  # source span of each character of the words
    stand_ins: set[int] = set()  # offsets standing for code or an image
    plain = []
    where: dict[int, int] = {}  # token index -> plain offset where it stands
    for i, t in enumerate(toks):
        where[i] = len(plain)
        if t.kind == "text":
            if len(t.text) == t.end - t.start:
                chars += [(t.start + k, t.start + k + 1) for k in range(len(t.text))]
            else:  # an entity: every character it decodes to stands for all of it
                chars += [(t.start, t.end)] * len(t.text)
            plain += t.text
        elif t.kind == "raw" or (t.kind in ("start", "startend") and t.tag in ("img",)):
            # code or an image is a word of the sentence
            stand_ins.add(len(plain))
            chars.append((t.start, t.end))
            plain.append("X")
        elif t.kind in ("start", "startend") and t.tag in ("br", "wbr"):
            chars.append((t.start, t.end))
            plain.append(" ")
    plain = "".join(plain)
    pairs = _pairs(toks)
    protected = []
    for o, c in pairs.items():
        inside = plain[where[o]:where[c]]
        if inside.strip():
            first = where[o] + len(inside) - len(inside.lstrip())
            last = where[o] + len(inside.rstrip()) - 1
            protected.append((first, last))
    def only_code(s, e):
        return all(k in stand_ins for k in range(s, e) if not plain[k].isspace())

    sentences, carry = [], None  # carry: start of leading code-only pieces
    for s, e in split(plain, protected):
        # a "sentence" of nothing but code or images joins its neighbour; a block of
        # nothing else has no unit and stays as it is
        if only_code(s, e):
            if sentences:
                sentences[-1] = (sentences[-1][0], e)
            elif carry is None:
                carry = s
            continue
        if carry is not None:
            s, carry = carry, None
        sentences.append((s, e))
    spans = []
    for s, e in sentences:
        a, b = chars[s][0], chars[e - 1][1]
        # take in the tags of elements whose words are in this sentence
        for o, c in pairs.items():
            if s <= where[o] < e or s < where[c] <= e:
                if where[o] >= s and where[c] <= e:
                    a, b = min(a, toks[o].start), max(b, toks[c].end)
        spans.append(_unwrap(source, a, b))
    return spans


def _unwrap(source: str, a: int, b: int) -> tuple[int, int]:
    """Shrink a span while one element wraps all of it.

    One tokenization for every layer: 4,000 nested ``<b>`` took 88-118 s when each
    layer tokenized what was left again, and takes milliseconds so. Elements inside a
    matched pair pair up among themselves as they do in the span alone (an end tag that
    closed an outer element would have ended that element's pair there).
    """
    toks = tokens(source, a, b)
    pairs = _pairs(toks)
    lo, hi = 0, len(toks) - 1
    while True:
        if lo > hi or toks[lo].kind != "start" or pairs.get(lo) != hi or toks[lo].tag in RAW or _no_translate(toks[lo]):
            return a, b
        inner_a, inner_b = toks[lo].end, toks[hi].start
        body = source[inner_a:inner_b]
        inner_a, inner_b = inner_a + len(body) - len(body.lstrip()), inner_a + len(body.rstrip())
        if inner_b <= inner_a:
            return a, b
        a, b = inner_a, inner_b
        lo, hi = lo + 1, hi - 1
        while lo <= hi and toks[lo].end <= a:  # space trimmed off: whole text tokens
            lo += 1
        while hi >= lo and toks[hi].start >= b:
            hi -= 1
