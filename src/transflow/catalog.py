"""Building gettext catalogs from units: the template, headers, and MT provenance comments.

Attribute names follow polib (occurrences, comment, tcomment, flags), which
mirrors the PO syntax translators see in Poedit.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import polib

from . import __version__, langs, placeholders
from .document import Document, Unit

# Extracted-comment prefixes transflow owns; anything else in `#.` came from elsewhere.
MT_PREFIX = "mt: "
TM_PREFIX = "tm: "
GLOSSARY_PREFIX = "glossary: "
NOT_APPLIED_PREFIX = "glossary not applied: "
# What the placeholders of an HTML unit stand for ("markup: [1]...[/1] = <em>; ...").
MARKUP_PREFIX = "markup: "
MARKUP_ADVICE = "; keep each marker with the words it belongs to"
# How far to trust an MT draft (risk/): "risk: high: unknown word ...".
RISK_PREFIX = "risk: "
# Lines that say where a draft came from and how far to trust it; they follow the draft
# through merges.
PROVENANCE = (MT_PREFIX, TM_PREFIX, NOT_APPLIED_PREFIX, RISK_PREFIX)
# What a `#. glossary:` line says when enforcement put the term in but could not verify the
# words around it: "#. glossary: refugee -> pessoa refugiada (agreement not verified: ...)".
NOT_VERIFIED = " not verified: "


def flag_glossary_lines(lines: list[str], reasons: dict[str, list[str]]) -> list[str]:
    """``lines`` with each `glossary:` line whose label is in ``reasons`` ({label: [reason]})
    followed by why the draft around that term is not verified."""
    out = []
    for line in lines:
        label = line[len(GLOSSARY_PREFIX):] if line.startswith(GLOSSARY_PREFIX) else None
        if label in reasons:
            line = f"{line} ({'; '.join(reasons[label])})"
        out.append(line)
    return out


def unverified_lines(lines: list[str]) -> dict[str, str]:
    """The flagged `glossary:` lines among ``lines``, by the plain line they flag."""
    out = {}
    for line in lines:
        if line.startswith(GLOSSARY_PREFIX) and NOT_VERIFIED in line and line.endswith(")"):
            out[line[: line.rindex(" (", 0, line.index(NOT_VERIFIED))]] = line
    return out


def now() -> str:
    """PO timestamp; SOURCE_DATE_EPOCH makes fresh runs reproducible (reproducible-builds.org)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def reference_path(path: Path, base: Path | None = None) -> str:
    """How a `#:` reference names the article: relative to ``base`` (the project's
    folder; default the working directory) when inside it, so that the references are
    the same on every machine and from every subfolder; else its file name."""
    try:
        rel = os.path.relpath(Path(path).resolve(), Path(base or Path.cwd()).resolve())
    except ValueError:  # another drive on Windows
        return Path(path).name
    return Path(path).name if rel.startswith("..") else Path(rel).as_posix()


def header(stem: str, lang: str | None, created: str) -> dict:
    meta = {
        "Project-Id-Version": stem,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": created if lang else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "" if not lang else f"{langs.name(lang)}",
        "Language": lang or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if lang:
        meta["Plural-Forms"] = langs.plural_forms(lang)
    meta["X-Generator"] = f"transflow {__version__}"
    return meta


def template(articles: list[tuple[Document, list[Unit]]], stem: str, glossary_lines=None, lang=None,
             base: Path | None = None) -> polib.POFile:
    """One entry per distinct unit text, in order of first occurrence, with every reference.

    ``glossary_lines(unit_text) -> list[str]`` gives the `#. glossary: ...` comments
    for a target language (none in a language-neutral POT); ``base`` is the folder
    references are relative to (reference_path).
    """
    po = polib.POFile(wrapwidth=79, encoding="utf-8")
    po.metadata = header(stem, lang, now())
    by_msgid: dict[str, polib.POEntry] = {}
    tables: dict[str, list] = {}  # msgid -> the placeholder table of each HTML occurrence
    for doc, units in articles:
        ref = reference_path(doc.path, base)
        for unit in units:
            entry = by_msgid.get(unit.text)
            if entry is None:
                lines = [unit.kind] + (glossary_lines(unit.text) if glossary_lines else [])
                entry = polib.POEntry(msgid=unit.text, msgstr="", comment="\n".join(lines))
                by_msgid[unit.text] = entry
                po.append(entry)
            occurrence = (ref, str(unit.line))
            if occurrence not in entry.occurrences:
                entry.occurrences.append(occurrence)
            if doc.format == "html" and "[" in unit.text:
                tables.setdefault(unit.text, []).append(_placeholders(doc, unit))
    for msgid, found in tables.items():
        meaning = placeholders.describe(found)
        if meaning:
            lines = comment_lines(by_msgid[msgid])
            set_comment_lines(by_msgid[msgid], lines[:1] + [MARKUP_PREFIX + meaning + MARKUP_ADVICE] + lines[1:])
    return po


def _placeholders(doc: Document, unit: Unit):
    """What the placeholders of an HTML unit stand for (the source's tags)."""
    from .readers import html

    return html.inline_table(doc.text, unit.start, unit.end)[1]


def comment_lines(entry: polib.POEntry) -> list[str]:
    return entry.comment.split("\n") if entry.comment else []


def set_comment_lines(entry: polib.POEntry, lines: list[str]) -> None:
    entry.comment = "\n".join(lines)


def check_article(po: polib.POFile, path, article, base: Path | None = None) -> None:
    """Refuse to use the PO file at ``path`` for ``article`` when its ``#:`` references
    name another article that exists: one PO file per stem means ``a/story.txt`` and
    ``b/story.txt`` would share it, and each run would obsolete the other's entries.
    A reference to a file that is gone (the article was moved or renamed) is no
    objection, nor are references that name ``article`` itself or no file at all."""
    from .errors import InputError

    mine = reference_path(article, base)
    named = {ref for e in po if not e.obsolete for ref, _ in e.occurrences}
    if not named or mine in named:
        return
    folder = Path(base or Path.cwd())
    for ref in sorted(named):
        other = folder / ref
        try:
            if other.is_file() and not os.path.samefile(other, article):
                raise InputError(
                    f"{path} holds the translations of {ref}, and {article} has the same file name; "
                    f"rename one of them (one PO file per name), or pass --force if {article} replaces {ref}")
        except OSError:
            continue


def po_path(locales: Path, lang: str, stem: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / f"{stem}.po"


def pot_path(locales: Path, stem: str) -> Path:
    return Path(locales) / f"{stem}.pot"


def translations(entry: polib.POEntry) -> list[str]:
    """The entry's msgstr, or each of its plural forms (msgstr[0], msgstr[1]...) in order."""
    if entry.msgid_plural or entry.msgstr_plural:
        forms = entry.msgstr_plural or {}
        return [forms[k] or "" for k in sorted(forms, key=int)] or ["", ""]
    return [entry.msgstr or ""]


def sources(entry: polib.POEntry) -> list[str]:
    """What each of :func:`translations` translates: the msgid, or for a plural entry the
    msgid (msgstr[0]) and msgid_plural (the other forms; all of them in a language of
    one form, where msgstr[0] serves every number)."""
    count = len(translations(entry))
    if not (entry.msgid_plural or entry.msgstr_plural):
        return [entry.msgid]
    plural = entry.msgid_plural or entry.msgid
    return [entry.msgid if i == 0 and count > 1 else plural for i in range(count)]


def state(entry: polib.POEntry) -> str:
    """``untranslated``, ``fuzzy`` or ``reviewed``, as ``transflow status`` counts entries.

    A plural entry is translated when every form is: msgfmt counts one by its first form
    and pocount by any form, and the two agree on the all-or-nothing entries PO editors
    write; an entry with a form left empty still needs a translator."""
    if not all(translations(entry)):
        return "untranslated"
    return "fuzzy" if "fuzzy" in entry.flags else "reviewed"


def is_reviewed(entry: polib.POEntry) -> bool:
    return not entry.obsolete and state(entry) == "reviewed"
