"""Articles read and segmented: the first step of translate, extract, build, review
and export, which import nothing heavier for it (no MT, no translation memory)."""

import os
from dataclasses import dataclass
from pathlib import Path

from . import beside, readers
from .document import Document, Unit
from .errors import InputError
from .segment import segment


@dataclass
class Article:
    doc: Document
    units: list[Unit]

    @property
    def stem(self) -> str:
        return self.doc.path.stem


def load_articles(paths, source: str, encoding=None, skip_patterns=None, content: str = "main") -> list[Article]:
    """Each article read and segmented; ``content``: what of a full HTML page to translate
    ("main": its article, "all": every block)."""
    if not paths:
        raise InputError("no article given: pass one or more article files")
    articles, stems = [], {}
    for p in paths:
        doc = readers.read(Path(p), encoding=encoding, skip_patterns=skip_patterns, content=content)
        if doc.path.stem in stems:
            raise InputError(f"{p} and {stems[doc.path.stem]} would write the same PO file ({doc.path.stem}.po): rename one")
        stems[doc.path.stem] = p
        units = segment(doc, source)
        if not units:
            raise InputError(f"{p}: nothing to translate (every line is boilerplate or empty)")
        articles.append(Article(doc, units))
    return articles


def read_beside(paths, source: str, encoding=None, skip_patterns=None, jobs: int | None = None, content: str = "main"):
    """``load_articles(...)`` under way in a forked child (beside.py), for a caller
    that has other work first (imports, the glossary, loading a model); None where
    a child cannot help: one core, or no safe fork. Pass it to pipeline.translate
    as ``reading``; it must be collected (``.result()``) or dropped (``.cancel()``).
    """
    if (jobs or os.cpu_count() or 1) < 2 or not beside.forkable():
        return None
    return beside.start(load_articles, paths, source, encoding, skip_patterns, content)
