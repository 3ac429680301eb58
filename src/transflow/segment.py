"""Sentence splitting of blocks into units, with spans into the original text.

pysbd does the splitting (rules per language as data inside pysbd); we only
locate each sentence back in the source, so nothing is altered or lost.
"""

import bisect
import functools
import re
from collections.abc import Sequence

from . import document as d
from . import langs, nonlanguage
from .errors import InputError

_WS = re.compile(r"\s+")


@functools.cache
def _segmenter(lang: str):
    import pysbd

    try:
        segmenter = pysbd.Segmenter(language=lang, clean=False)
    except ValueError:
        # pysbd has rules for ~20 languages; English rules are the safest fallback
        # for Latin-script text in the others.
        segmenter = pysbd.Segmenter(language="en", clean=False)
    segmenter.language_module = _skipping_idle_abbreviations(segmenter.language_module)
    return segmenter


# Characters that re.IGNORECASE takes for an ASCII letter (found by trying every
# code point); mapped to it before looking for an abbreviation in a lowered text.
_ASCII_ALIKE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"})


def _skipping_idle_abbreviations(language):
    """pysbd's ``language`` with an abbreviation replacer that only tries the
    abbreviations a line holds followed by a period.

    pysbd tries each of its ~190 English abbreviations that occurs anywhere in a
    line, even inside a word ("st" in "first"), with a regular expression over the
    whole line: half of segmenting time. Every replacement it can make puts "∯"
    for the period right after the abbreviation, so an all-letters abbreviation
    the line does not hold followed by a period cannot change anything, and
    skipping it gives the same sentences (tests/test_segment.py compares both).
    """
    from pysbd.abbreviation_replacer import AbbreviationReplacer

    base = language.AbbreviationReplacer
    if base.search_for_abbreviations_in_string is not AbbreviationReplacer.search_for_abbreviations_in_string:
        return language  # this language's own search: leave it alone

    # (abbreviation, what the line must hold for it to matter, or None: always try it)
    kinds = [(a, a.strip() + "." if a.strip().isascii() and a.strip().isalpha() else None)
             for a in language.Abbreviation.ABBREVIATIONS]

    class Replacer(base):
        def search_for_abbreviations_in_string(self, text):
            lang = self.lang
            folded = text.translate(_ASCII_ALIKE).lower()
            wanted = [a for a, needle in kinds if needle is None or needle in folded]
            self.lang = type(lang.__name__, (lang,), {
                "Abbreviation": type("Abbreviation", (lang.Abbreviation,), {"ABBREVIATIONS": wanted})})
            try:
                return super().search_for_abbreviations_in_string(text)
            finally:
                self.lang = lang

    return type(language.__name__, (language,), {"AbbreviationReplacer": Replacer})


def normalize(text: str) -> str:
    """The unit text as written to PO files: inner line breaks and runs of spaces become one space."""
    return _WS.sub(" ", text).strip()


# pysbd's rules are regular expressions over the whole string, and some of them
# backtrack: a 5 MB single-line article never finishes. Long blocks are cut first
# at places every rule set agrees are sentence ends.
CHUNK = 2_000
_SAFE_END = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[A-Z])")


def split_sentences(text: str, lang: str = "en", protected=()) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in ``text``, trimmed of surrounding space.

    pysbd's spans, corrected by the language's rules (``transflow.rules``); no cut
    falls inside a ``protected`` range (open offset, offset of its last character).
    """
    from .rules import get
    from .rules.refine import refine

    # pysbd runs on the text as the PO file will hold it (runs of white space as one
    # space), so a unit splits the same way after a build rewrapped it.
    flat, where = _collapse(text)
    inside = [(_index(where, o), _index(where, c)) for o, c in protected]
    inside = [(o, c) for o, c in inside if o is not None and c is not None]
    spans = refine(flat, _pysbd_spans(flat, lang), get(langs.base(lang)), inside)
    return [(where[s], where[e - 1] + 1) for s, e in spans if e > s]


def _index(where: list[int], offset: int) -> int | None:
    """The position of ``offset`` in the increasing list ``where``, None if absent (a
    binary search: a dict of every offset of a 5 MB block took a second and ~290 MB)."""
    i = bisect.bisect_left(where, offset)
    return i if i < len(where) and where[i] == offset else None


_COLLAPSIBLE = re.compile(r"\s\s|[^\S ]")


def _collapse(text: str) -> tuple[str, Sequence[int]]:
    """``text`` with each run of white space as one space, and the source offset of each character."""
    if not _COLLAPSIBLE.search(text):
        return text, range(len(text))  # nothing to collapse: offsets are the identity
    out, where = [], []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group()[0].isspace():
            out.append(" ")
            where.append(m.start())
        else:
            out.append(m.group())
            where.extend(range(m.start(), m.end()))
    return "".join(out), where


def _pysbd_spans(text: str, lang: str) -> list[tuple[int, int]]:
    if len(text) <= CHUNK:
        return _split(text, lang)
    spans, start = [], 0
    while start < len(text):
        cut = _SAFE_END.search(text, start + CHUNK) if len(text) - start > CHUNK else None
        end = cut.start() if cut else len(text)
        spans += [(start + s, start + e) for s, e in _split(text[start:end], lang)]
        start = cut.end() if cut else len(text)
    return spans


def _split(text: str, lang: str) -> list[tuple[int, int]]:
    # pysbd treats a line break as a sentence end; hard-wrapped lines are not. Same
    # length, so the offsets stay valid.
    text = text.replace("\r", " ").replace("\n", " ")
    spans, cursor = [], 0
    # Segmenter.segment() would look each sentence up again with a regular expression
    # built from it (compiled once per sentence, then searched from the start of the
    # text: 40% of segmenting time); str.find below locates them instead.
    for sentence in _segmenter(langs.base(lang)).processor(text).process():
        piece = sentence.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:
            # pysbd changed the text (it can, around some punctuation): keep the rest whole
            # rather than lose characters.
            rest = text[cursor:]
            lead = len(rest) - len(rest.lstrip())
            if rest.strip():
                spans.append((cursor + lead, cursor + len(rest.rstrip())))
            return spans
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def segment(doc: d.Document, lang: str = "en") -> list[d.Unit]:
    """The units of ``doc``: one per sentence of a paragraph or quote, one per heading,
    caption, credit, byline or list item; never one across two blocks. A unit that is
    not language (nonlanguage.py: no letters, an address, code) is none."""
    return segment_all(doc, lang)[0]


# Why a block the reader did not say why about is left out: the readers of plain text
# and Markdown mark as boilerplate the lines the skip patterns match.
SKIPPED = "a skip pattern matched it"


def segment_all(doc: d.Document, lang: str = "en") -> tuple[list[d.Unit], list[tuple[d.Unit, str]]]:
    """The units of ``doc`` (as :func:`segment`), and what is left out, with why: each
    block not to be translated as one piece (its words, markup left out), and each unit
    that is not language."""
    units, left_out = [], []
    for unit in (_segment_html(doc, lang) if doc.format == "html" else _segment_text(doc, lang)):
        why = nonlanguage.why_not(unit.text)
        if why is None:
            units.append(unit)
        else:
            left_out.append((unit, f"not language: {why}"))
    for index, block in enumerate(doc.blocks):
        if not block.translate:
            text = _block_words(doc, block)
            if text:
                left_out.append((d.Unit(text, block.kind, index, block.line, block.start, block.end), block.left_out or SKIPPED))
    left_out.sort(key=lambda pair: pair[0].start)
    return units, left_out


def _block_words(doc: d.Document, block: d.Block) -> str:
    if doc.format != "html":
        return normalize(doc.text[block.start:block.end])
    from .readers import html

    if block.kind in d.ATTRIBUTE_KINDS:
        return html.attribute_text(doc.text, block.start, block.end)
    return normalize(html.plain_text(doc.text, block.start, block.end))


def _segment_text(doc: d.Document, lang: str) -> list[d.Unit]:
    from .readers import markdown

    units = []
    for index, block in enumerate(doc.blocks):
        if not block.translate:
            continue
        body = doc.text[block.start:block.end]
        protected = ()
        if doc.format == "markdown":
            # Quote markers of continued lines become spaces (same length, so spans
            # hold); no sentence cut falls inside a link, code span or emphasis.
            body = markdown.mask(body)
            protected = markdown.inline_ranges(body)
        if block.kind in d.WHOLE_KINDS:
            spans = [(0, len(body))]
        else:
            spans = split_sentences(body, lang, protected)
        for s, e in spans:
            start, end = block.start + s, block.start + e
            text = normalize(body[s:e])
            if text:
                # A hard-wrapped paragraph is referred to by its first line, as the same
                # paragraph on one line is: re-wrapping it moves no reference inside it.
                line = block.line if block.wrapped else doc.line_of(start)
                units.append(d.Unit(text, block.kind, index, line, start, end))
    return units


def _segment_html(doc: d.Document, lang: str) -> list[d.Unit]:
    from .readers import html

    def whole(plain, protected):
        lead = len(plain) - len(plain.lstrip())
        return [(lead, len(plain.rstrip()))] if plain.strip() else []

    def sentences(plain, protected):
        return split_sentences(plain, lang, protected)

    units = []
    for index, block in enumerate(doc.blocks):
        if not block.translate:
            continue
        if block.kind in d.ATTRIBUTE_KINDS:  # an attribute value: no markup inside
            text = html.attribute_text(doc.text, block.start, block.end)
            units.append(d.Unit(text, block.kind, index, doc.line_of(block.start), block.start, block.end))
            continue
        split = whole if block.kind in d.WHOLE_KINDS else sentences
        for start, end in html.unit_spans(doc.text, block.start, block.end, split):
            try:
                text, _ = html.inline_table(doc.text, start, end)
            except html.MarkupTooDeep as e:
                raise InputError(f"{doc.path}:{doc.line_of(e.offset)}: {e}") from None
            if text:
                units.append(d.Unit(text, block.kind, index, doc.line_of(start), start, end))
    return units
