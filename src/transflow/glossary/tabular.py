"""CSV and TSV glossaries in the shapes MT services take.

- One language pair (DeepL; Google Cloud's "unidirectional" glossary): two columns,
  source term and target term, no header. DeepL's own CSV export adds the source and
  target language codes as columns 3 and 4 (and its glossary generator a 5th,
  relevance); reading accepts those. A file without the codes needs ``--to`` (and
  ``--from`` when the source is not English).
- Several languages (Google Cloud's "equivalent term sets"): a header row of language
  codes, optionally with ``pos`` and ``description`` columns, then one concept per row.

A first row whose cells are all language codes (or ``pos``/``description``) is a header.
In the one-pair shape, a first row of column titles (``source,target``, ``Term,Translation``,
``English,Portuguese``...) is a header too, skipped with a warning; language names there
say the pair when ``--to`` does not.
Only the preferred rendering travels: CSV has no place for allowed or forbidden ones.
A do-not-translate term is written as itself. In the one-pair shape a term's variants
are rows of their own with the same target; reading puts rows with the same
translations back together as one term with variants (a source-to-target dictionary
cannot tell them apart). TSV is written and read literally, without quoting.
"""

from __future__ import annotations

import csv
import io

from .. import langs
from ..errors import InputError
from .exchange import Concept, Read, lang_code, pos_from
from .model import Rendering

META = ("pos", "description")


# ------------------------------------------------------------------ reading


def _rows(data: bytes, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every non-blank row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 (byte {e.start}); save the file as UTF-8") from None
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    rows, last = [], 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if any(c.strip() for c in cells):
                rows.append((start, [c.strip() for c in cells]))
    except csv.Error as e:
        hint = " (a quoted field is never closed)" if "end of data" in str(e) else ""
        raise InputError(f"{name}:{last + 1}: not valid CSV: {e}{hint}") from None
    return rows


# Column titles a one-pair file may start with (lower case).
PAIR_TITLES = {"source", "target", "source term", "target term", "term", "terms", "translation", "translations",
               "source text", "target text", "original", "src", "tgt", "source_lang", "target_lang",
               "source language", "target language", "from", "to", "glossary term", "definition"}
_NAMED = {name.lower(): code for code, name in langs.NAMES.items()}


def _pair_titles(cells: list[str]) -> tuple[str, str] | None:
    """A first row of column titles: the languages its names give ("English" -> en), or
    ("", "") for titles that name none ("source", "target"); None for a term."""
    first, second = (c.lower() for c in cells[:2])
    if first in _NAMED and second in _NAMED:
        return _NAMED[first], _NAMED[second]
    if first in PAIR_TITLES | set(_NAMED) and second in PAIR_TITLES | set(_NAMED):
        return "", ""
    return None


def _is_header(cells: list[str]) -> bool:
    codes = [c for c in cells if c.lower() not in META]
    return len(codes) >= 2 and all(langs.is_valid(c) for c in codes)


def read(data: bytes, name: str, *, delimiter: str = ",", source: str | None = None, target: str | None = None) -> Read:
    rows = _rows(data, name, delimiter)
    if not rows:
        raise InputError(f"{name}: no glossary entries in the file")
    what = "TSV" if delimiter == "\t" else "CSV"
    if _is_header(rows[0][1]):
        found = _read_sets(rows, name, source, target)
        found.kind = f"{what} with a language header"
    else:
        found = _read_pairs(rows, name, source, target)
        found.kind = f"{what}, one language pair"
    found.concepts = _merge(found.concepts)
    return found


def _read_sets(rows, name, source, target) -> Read:
    """Google's equivalent term sets: a header of language codes, one concept per row."""
    header_line, header = rows[0]
    columns: dict[int, str] = {}
    pos_col = desc_col = None
    for i, cell in enumerate(header):
        if cell.lower() == "pos":
            pos_col = i
        elif cell.lower() == "description":
            desc_col = i
        else:
            code = lang_code(cell, f"{name}:{header_line}")
            if code in columns.values():
                raise InputError(f"{name}:{header_line}: language {cell!r} has two columns in the header")
            columns[i] = code
    codes = list(columns.values())
    src = _pick(codes, source, name, header_line) if source else ("en" if "en" in codes else codes[0])
    if target:
        _pick(codes, target, name, header_line)
    src_col = next(i for i, c in columns.items() if c == src)
    found = Read(kind="", source_language=src, concepts=[])
    for line, cells in rows[1:]:
        if len(cells) != len(header):
            raise InputError(
                f"{name}:{line}: {len(cells)} column{'s' if len(cells) != 1 else ''}, "
                f"but the header on line {header_line} has {len(header)}"
            )
        if not cells[src_col]:
            found.warnings.append(f"{name}:{line}: no {src} term; skipped")
            continue
        concept = Concept(line=line, source=cells[src_col])
        if pos_col is not None and cells[pos_col]:
            concept.pos = pos_from(cells[pos_col])
        if desc_col is not None:
            concept.note = cells[desc_col]
        for i, code in columns.items():
            if i == src_col or not cells[i] or (target and langs.base(code) != langs.base(target)):
                continue
            concept.translations[code] = Rendering(preferred=cells[i])
        found.concepts.append(concept)
    return found


def _pick(codes, wanted, name, line) -> str:
    for code in codes:
        if code == wanted:
            return code
    for code in codes:
        if langs.base(code) == langs.base(wanted):
            return code
    raise InputError(f"{name}:{line}: the header has no {wanted} column (its languages: {', '.join(codes)})")


def _read_pairs(rows, name, source, target) -> Read:
    """Two columns (DeepL, Google unidirectional), or four/five as DeepL exports them."""
    first_line, first = rows[0]
    width = len(first)
    titles = _pair_titles(first) if width in (2, 4, 5) else None
    warnings = []
    if titles is not None:
        warnings.append(f"{name}:{first_line}: a header row ({', '.join(repr(c) for c in first)}), not a term; skipped")
        rows = rows[1:]
        named_source, named_target = titles
        source, target = source or named_source or None, target or named_target or None
        if not rows:
            raise InputError(f"{name}: no glossary entries after the header row")
    if width not in (2, 4, 5):
        raise InputError(
            f"{name}:{first_line}: {width} column{'s' if width != 1 else ''}; expected 2 (source term, target term), "
            f"4 (with the source and target language codes, as DeepL exports) or a header row of language codes"
        )
    pair = None
    if width == 2:
        if not target:
            raise InputError(f"{name}: a two-column file names no languages; give --to LANG (and --from LANG if the source is not English)")
        pair = (source or "en", target)
    found = Read(kind="", source_language=pair[0] if pair else "", concepts=[], warnings=warnings)
    for line, cells in rows:
        if len(cells) != width:
            raise InputError(f"{name}:{line}: {len(cells)} column{'s' if len(cells) != 1 else ''}, but line {first_line} has {width}")
        if width > 2:
            these = (lang_code(cells[2], f"{name}:{line}"), lang_code(cells[3], f"{name}:{line}"))
            if pair is None:
                pair = these
                if (source and langs.base(source) != langs.base(pair[0])) or (target and langs.base(target) != langs.base(pair[1])):
                    raise InputError(f"{name}:{line}: the file is {pair[0]} -> {pair[1]}, not {source or pair[0]} -> {target or pair[1]}")
                found.source_language = pair[0]
            elif these != pair:
                raise InputError(f"{name}:{line}: {these[0]} -> {these[1]}, but line {first_line} is {pair[0]} -> {pair[1]}; one file holds one language pair")
        if not cells[0] or not cells[1]:
            found.warnings.append(f"{name}:{line}: {'no source term' if not cells[0] else 'no target term'}; skipped")
            continue
        found.concepts.append(Concept(line=line, source=cells[0], translations={pair[1]: Rendering(preferred=cells[1])}))
    return found


def _merge(concepts: list[Concept]) -> list[Concept]:
    """Rows with the same translations (and part of speech) are one term; later sources are its variants."""
    out, seen = [], {}
    for c in concepts:
        key = (tuple(sorted((lang, r.preferred) for lang, r in c.translations.items())), c.pos)
        if key in seen:
            first = seen[key]
            if c.source != first.source and c.source not in first.variants:
                first.variants.append(c.source)
            first.note = first.note or c.note
            continue
        seen[key] = c
        out.append(c)
    return out


# ------------------------------------------------------------------ writing


def dumps(terms, *, source_language="en", targets=(), delimiter=",") -> tuple[str, int, list[str]]:
    """The CSV/TSV text, how many terms it holds and its target languages.

    One target: DeepL's two columns. None or several (CSV only): Google's header of
    language codes with ``pos`` and ``description``.
    """
    tsv = delimiter == "\t"
    if len(targets) == 1:
        rows, count = _pairs(terms, targets[0])
        written = list(targets)
    else:
        if tsv:
            raise InputError("a TSV glossary holds one language pair: give --to LANG (or use --format csv for several languages)")
        written = list(targets) or list(dict.fromkeys(lang for t in terms for lang in t.translations))
        rows, count = _sets(terms, source_language, written)
    out = io.StringIO()
    if tsv:
        for row in rows:
            for cell in row:
                if any(ch in cell for ch in "\t\r\n"):
                    raise InputError(f"{cell!r} holds a tab or a line break, which TSV cannot hold; use --format csv")
            out.write("\t".join(row) + "\n")
    else:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), count, written


def _pairs(terms, lang):
    rows, count, sources = [], 0, set()
    for term in terms:
        r = term.rendering(lang)
        if r is None:
            continue
        count += 1
        target = r.preferred or term.source
        for source in [term.source, *term.variants]:
            if source not in sources:  # DeepL refuses a source term given twice
                sources.add(source)
                rows.append([source, target])
    return rows, count


def _sets(terms, source_language, targets):
    rows, count = [[langs.normalize(source_language).replace("_", "-"), *(t.replace("_", "-") for t in targets), *META]], 0
    for term in terms:
        cells = []
        for lang in targets:
            r = term.rendering(lang)
            cells.append((r.preferred or term.source) if r else "")
        if not any(cells):
            continue
        count += 1
        rows.append([term.source, *cells, term.pos if term.pos_given else "", term.note])
    return rows, count
