"""The article of a full web page: which HTML blocks to translate, and which to leave as they are.

A saved news page is mostly not the article: menus, share buttons, other stories'
headlines, cookie and ad notices, comment widgets, language lists (half of the units
of 77 real pages, and over 90% on some). ``--content main`` (the default for a full
page: one with ``<html>`` or ``<body>``) keeps the blocks of the article and marks the
others untranslated, with the reason `transflow segment` shows; a build copies them
as they are. A fragment (an article's HTML without the page around it) is all article.

Which blocks are the article, in order (measured with ``benchmarks/pages.py`` on 113
real pages of 113 sites against each page's article text as a person marked it; the
figures are recall of its sentences / units that are not the article):

1. trafilatura (a well-kept extractor: lxml, jusText as its fallback) extracts the main
   text, with the images and tables it takes for the article's. A block whose words
   are at least half in that text (word trigrams; a block of one or two words must be
   one of its paragraphs, headings or cells as written: "News" is a word of any
   article) is the article, and so is the alt text or tooltip of an image it kept
   (96.1% / 6.5% as a filter alone).
2. Extractors stop at an ad or a newsletter box in the middle of an article and drop
   the rest of the body (a page's body in five chunks between ads). A block whose
   container (its own tag and the three elements around it, by tag and classes) holds
   at least two article blocks that are at least :data:`SAME_CONTAINER_SHARE` of its
   blocks is the article too (97.5% / 8.4%).
3. What extractors drop: captions, credits, lists, quotes (embedded posts) and alt
   texts inside an element most of whose blocks are the article's, between the body's
   first and last block (98.9%); the byline and lead picture (alt text, caption,
   credit) between the ``<h1>`` and the body, inside the element holding both but not
   the page's ``<body>``. Lists anywhere in the body's region brought in menus
   (7.8% not the article), paragraphs under the headline share buttons and dates.
4. What the page says about the article is the article: its ``<title>``, its
   description and link-preview titles (``<meta>``), its ``<h1>`` headline.
5. What the page does not show is left out: blocks under ``hidden``, ``display:none``
   or ``aria-hidden`` (a whole second copy of an article in schema.org markup, pull
   quotes repeated for screen readers to skip).

Altogether 98.9% of the article's sentences and 4.6% of units not the article, where
reading every block offers 58.6% that are not. A page where none of the extracted
text is a block of the page (lxml's depth limit on 4,000 nested elements) keeps every
block it shows.
"""

import logging
import re
from itertools import islice

from .. import document as d
from . import html

# Share of a container's blocks that must be the article for the rest of them to be.
SAME_CONTAINER_SHARE = 0.3
# How many enclosing elements (with the block's own) make a container's signature.
CONTAINER_DEPTH = 3
# A block is the article when this share of its word trigrams is in the extracted text.
COVERED = 0.5
LEFT_OUT = "not the article (main-content detection; --content all translates it)"
HIDDEN = "hidden on the page (hidden, display:none or aria-hidden; --content all translates it)"
_FULL_PAGE = re.compile(r"<(?:html|body)[\s>/]", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_PAGE_KINDS = frozenset({d.METADATA})
_PAGE_TAGS = frozenset({"title", "h1"})


def full_page(source: str) -> bool:
    """Whether ``source`` is a whole page (has ``<html>`` or ``<body>``), not a fragment."""
    return _FULL_PAGE.search(source) is not None


def select(doc: d.Document) -> None:
    """Mark the blocks of ``doc`` (an HTML page) that are not its article as not to be
    translated, each with the reason. A fragment keeps every block; a page where the
    extractor finds no article among the blocks keeps every block it shows."""
    if not full_page(doc.text):
        return
    article = _article(doc)
    doc.blocks = [b if not b.translate else _left_out(b, HIDDEN) if _hidden(b)
                  else _left_out(b, LEFT_OUT) if article is not None and i not in article else b
                  for i, b in enumerate(doc.blocks)]


def _article(doc: d.Document) -> set[int] | None:
    """The indexes of the blocks that are the article; None when the extractor finds none."""
    found = _extracted(doc.text)
    if found is None:
        return None
    pool, images = found
    article = set()
    for i, b in enumerate(doc.blocks):
        if not b.translate:
            continue
        if b.kind in d.ATTRIBUTE_KINDS:
            words = html.attribute_text(doc.text, b.start, b.end)
            if b.kind in _PAGE_KINDS or words in images:
                article.add(i)
        elif pool.share(html.plain_text(doc.text, b.start, b.end)) >= COVERED:
            article.add(i)
    if not _body(doc, article):
        return None  # the extractor's text is none of the page's blocks (a page it cannot parse)
    article |= _same_containers(doc, article)
    article |= _kept_with_the_body(doc, article)
    article |= _under_the_headline(doc, article)
    return article | {i for i, b in enumerate(doc.blocks) if b.translate and b.element is not None and b.element.tag in _PAGE_TAGS}


def _hidden(b: d.Block) -> bool:
    """Whether the page does not show the block: a copy of the article in schema.org
    markup under display:none, a pull quote repeated for screen readers to skip."""
    return b.element is not None and b.element.hidden and b.kind != d.METADATA


def _left_out(b: d.Block, why: str) -> d.Block:
    return d.Block(b.kind, b.start, b.end, b.line, translate=False, wrapped=b.wrapped, element=b.element, left_out=why)


def _extracted(source: str) -> "tuple[_Words, set[str]] | None":
    """The article's words as trafilatura extracts them, and the alt texts and titles of
    the images it keeps; None when it finds none."""
    import trafilatura
    from lxml import etree

    # Its warnings ("discarding data") are about its own choices, not the user's page.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    xml = trafilatura.extract(source, output_format="xml", include_images=True, include_tables=True,
                              include_comments=False, deduplicate=False)
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"))
    images = {" ".join(v.split()) for g in root.iter("graphic") for v in (g.get("alt"), g.get("title")) if v}
    # Each paragraph, heading, list item or cell it kept, as a whole: what a block of one
    # or two words must be (the word "News" is somewhere in any article's text).
    pieces = [" ".join(e.itertext()) for e in root.iter() if e.text and e.text.strip()]
    return _Words(" ".join(root.itertext()), pieces), images


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


class _Words:
    """The words of a text, to ask how much of another text is in it; ``pieces``: its
    paragraphs, headings..., each of which a short text must be whole."""

    def __init__(self, text: str, pieces=()):
        words = _words(text)
        self.trigrams = set(zip(words, words[1:], words[2:]))
        self.pieces = {tuple(_words(p)) for p in pieces}

    def share(self, text: str) -> float:
        words = _words(text)
        if not words:
            return 0.0
        if len(words) < 3:
            return 1.0 if tuple(words) in self.pieces else 0.0
        grams = list(zip(words, words[1:], words[2:]))
        return sum(g in self.trigrams for g in grams) / len(grams)


def _signature(element) -> tuple | None:
    """The block's own tag and the tags and classes of the elements around it."""
    if element is None:
        return None
    chain = [element.tag]
    for e in element.ancestors():
        if e is not element:
            chain.append((e.tag, e.classes))
            if len(chain) > CONTAINER_DEPTH:
                break
    return tuple(chain)


# What extractors drop that is the article's when it stands in the body's own containers.
KEEP_WITH_BODY = frozenset({d.CAPTION, d.CREDIT, d.LIST_ITEM, d.QUOTE, d.ALT_TEXT, d.TOOLTIP})
# How far up from such a block the body's container may be: any number of levels (an
# embedded post is a paragraph in a blockquote in three divs), a list item's list must
# stand in it (lists deeper in are menus and share bars).
LEVELS = {d.LIST_ITEM: 3}
# A body's container: an element at least this share of whose own blocks, and at least
# BODY_MIN, are the article's. Two at least lost embedded posts in a container of one
# paragraph (recall 98.74% -> 98.94%, not the article 4.48% -> 4.64%).
BODY_SHARE = 0.5
BODY_MIN = 1


def _kept_with_the_body(doc: d.Document, article: set[int]) -> set[int]:
    """Captions, credits, lists, quotes and images' alt texts inside an element that
    holds the article's paragraphs, between its first and last block."""
    body = _body(doc, article)
    if not body:
        return set()
    # The body's containers: elements most of whose blocks are the article's, two at least.
    children: dict[int, list[int]] = {}
    for i, b in enumerate(doc.blocks):
        if b.translate and b.element is not None and b.element.parent is not None and b.kind not in d.ATTRIBUTE_KINDS:
            children.setdefault(id(b.element.parent), []).append(i)
    containers = {c for c, blocks in children.items()
                  if (n := sum(i in article for i in blocks)) >= BODY_MIN and n >= BODY_SHARE * len(blocks)}
    first, last = min(doc.blocks[i].start for i in body), max(doc.blocks[i].end for i in body)
    out = set()
    for i, b in enumerate(doc.blocks):
        if (b.translate and b.kind in KEEP_WITH_BODY and first <= b.start < last and b.element is not None
                and any(id(e) in containers for e in islice(b.element.ancestors(), 1, LEVELS.get(b.kind)))):
            out.add(i)
    return out


def _body(doc: d.Document, article: set[int]) -> list[int]:
    """The article's blocks of text in the page's body, in order: not the title or the
    headline (the extractor may take them too), not an attribute."""
    return sorted(i for i in article if doc.blocks[i].kind not in d.ATTRIBUTE_KINDS
                  and doc.blocks[i].element is not None and doc.blocks[i].element.tag not in _PAGE_TAGS)


# What stands between the headline and the body: the byline, the lead picture with its
# caption and credit. Paragraphs and headings there are mostly share buttons, dates,
# sign-up forms and "most popular" lists (measured); a lede the extractor keeps.
_HEADER_KINDS = frozenset({d.BYLINE, d.CAPTION, d.CREDIT, d.ALT_TEXT})
# How far (blocks, and levels up from the headline) that zone is looked at.
HEADER_BLOCKS = 40
HEADER_LEVELS = 12


def _under_the_headline(doc: d.Document, article: set[int]) -> set[int]:
    """The blocks between the <h1> and the first block of the article, inside the
    element that holds both (an <article>, a story's <div>), not the page's <body>."""
    body = _body(doc, article)
    if not body:
        return set()
    first = body[0]
    heads = [i for i in range(first) if doc.blocks[i].element is not None and doc.blocks[i].element.tag == "h1"]
    if not heads or doc.blocks[first].element is None:
        return set()
    head = heads[-1]
    around = {id(e): e for e in islice(doc.blocks[head].element.ancestors(), 1, HEADER_LEVELS)}
    holder = next((e for e in islice(doc.blocks[first].element.ancestors(), 1, HEADER_LEVELS) if id(e) in around), None)
    if holder is None or holder.tag in ("body", "html"):
        return set()
    out = set()
    for i in range(head + 1, min(first, head + 1 + HEADER_BLOCKS)):
        b = doc.blocks[i]
        if b.translate and b.kind in _HEADER_KINDS and b.element is not None and any(
                e is holder for e in islice(b.element.ancestors(), 1, HEADER_LEVELS)):
            out.add(i)
    return out


def _same_containers(doc: d.Document, article: set[int]) -> set[int]:
    """Blocks in containers like those of the article's blocks (the body's chunks between ads)."""
    by: dict[tuple, list[int]] = {}
    for i, b in enumerate(doc.blocks):
        if b.translate and b.kind not in d.ATTRIBUTE_KINDS and (sig := _signature(b.element)) is not None:
            by.setdefault(sig, []).append(i)
    out = set()
    for blocks in by.values():
        found = sum(i in article for i in blocks)
        if found >= 2 and found >= SAME_CONTAINER_SHARE * len(blocks):
            out.update(blocks)
    return out
