"""Articles read and segmented: the first step of translate, extract, build, review
and export, which import nothing heavier for it (no MT, no translation memory)."""

from dataclasses import dataclass
from pathlib import Path

from . import readers
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


def load_articles(paths, source: str, encoding=None, skip_patterns=None) -> list[Article]:
    if not paths:
        raise InputError("no article given: pass one or more article files")
    articles, stems = [], {}
    for p in paths:
        doc = readers.read(Path(p), encoding=encoding, skip_patterns=skip_patterns)
        if doc.path.stem in stems:
            raise InputError(f"{p} and {stems[doc.path.stem]} would write the same PO file ({doc.path.stem}.po): rename one")
        stems[doc.path.stem] = p
        units = segment(doc, source)
        if not units:
            raise InputError(f"{p}: nothing to translate (every line is boilerplate or empty)")
        articles.append(Article(doc, units))
    return articles
