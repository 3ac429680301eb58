"""Import as a three-way merge: an XLIFF file's units brought back into a PO file
(xliff.py's docstring tells the rules: bases, conflicts, msgctxt, refused units)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import catalog, langs
from .errors import InputError
from .xliff import is_plural, status
from .xliffread import Unit, parse, read_file


@dataclass
class Conflict:
    """A unit changed in the XLIFF file and its entry changed in the PO file since the
    export, differently: neither side is applied."""

    unit: Unit
    what: str  # "translation" or "translator comment"
    ours: str  # the PO file's version, as a person reads it
    theirs: str  # the XLIFF file's
    reason: str = "both changed since the export"

    def describe(self) -> str:
        return (f"unit {self.unit.id} ({_shown(self.unit.source, width=40)}): {self.what} not imported, {self.reason}: "
                f"PO file {self.ours}, XLIFF file {self.theirs}")


def _shown(text, status: str | None = None, width: int = 50) -> str:
    if isinstance(text, tuple):  # a plural entry's forms
        text = " | ".join(text)
    short = text if len(text) <= width else text[: width - 1] + "…"
    quoted = '"' + short.replace("\n", "\\n") + '"'
    return quoted if status is None else f"{quoted} ({_STATUS_WORDS[status]})"


_STATUS_WORDS = {"untranslated": "untranslated", "fuzzy": "draft", "reviewed": "reviewed"}


@dataclass
class Refused:
    """A unit that could be more than one entry, or whose plural forms do not fit its
    entry's: not imported."""

    unit: Unit
    reason: str

    def describe(self) -> str:
        return f"unit {self.unit.id} ({_shown(self.unit.source, width=40)}): not imported, {self.reason}"


@dataclass
class Result:
    """What importing one XLIFF file into one PO file did."""

    po_path: str = ""
    units: int = 0
    updated: int = 0  # msgstr replaced by a different target
    reviewed: int = 0  # entries whose fuzzy flag was cleared
    fuzzy: int = 0  # entries newly marked fuzzy
    comments: int = 0  # entries whose translator comments changed
    empty_ignored: int = 0  # empty targets that would have erased a translation
    missing: list[Unit] = field(default_factory=list)  # units whose source is not in the PO file
    conflicts: list[Conflict] = field(default_factory=list)  # units left out: see Conflict
    refused: list[Refused] = field(default_factory=list)  # units left out: see Refused

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.reviewed or self.fuzzy or self.comments)

    @property
    def left_out(self) -> int:
        return len(self.missing) + len(self.conflicts) + len(self.refused)


def apply(po: polib.POFile, units: list[Unit], po_path: str = "") -> Result:
    """Bring the units' targets, states and translator notes into ``po`` (in place).

    A unit with a base is merged three ways (see the module docstring); one without
    is applied as it says: a target differing from the msgstr replaces it and takes
    the unit's state (accepted: not fuzzy; anything else or no state: fuzzy), an
    unchanged target with an explicit state sets the fuzzy flag from it, translator
    notes replace the translator comments; but a reviewed entry is never made a
    draft. An empty target never erases a translation. Entries no unit names are
    untouched; units naming no entry are listed in ``missing``, units that could be
    more than one entry in ``refused``; the PO header's unit is skipped, and so is a
    unit of an obsolete entry that brings nothing new (po2xliff exports those).
    """
    result = Result(po_path)
    by_msgid: dict[str, list[polib.POEntry]] = {}
    obsolete: dict[str, list[polib.POEntry]] = {}
    for e in po:
        if e.obsolete:
            obsolete.setdefault(e.msgid, []).append(e)
        else:
            by_msgid.setdefault(e.msgid, []).append(e)
    found: list[tuple[Unit, polib.POEntry]] = []
    claims: dict[int, list[Unit]] = {}
    for u in units:
        if u.header or (u.source == "" and u.msgctxt is None):
            continue
        result.units += 1
        if not by_msgid.get(u.source) and any(u.msgctxt in (None, e.msgctxt) and u.target in (None, _text(e))
                                              for e in obsolete.get(u.source, ())):
            # An obsolete entry as the PO file has it (po2xliff exports those too): nothing to bring back.
            result.units -= 1
            continue
        entry = _find(u, by_msgid.get(u.source, []), result)
        if entry is not None:
            found.append((u, entry))
            claims.setdefault(id(entry), []).append(u)
    for u, entry in found:
        if len(claims[id(entry)]) > 1:
            others = ", ".join(o.id for o in claims[id(entry)] if o is not u)
            result.refused.append(Refused(u, f"units {u.id}, {others} of this file all name the entry "
                                                 f"{_shown(entry.msgid, width=40)}{_context_words(entry)}"))
            continue
        forms = len(catalog.translations(entry))
        if isinstance(u.target, tuple) and len(u.target) != forms:
            result.refused.append(Refused(u, f"it has {len(u.target)} plural forms and the PO file's entry {forms} "
                                             f"(its Plural-Forms); translate it in the PO file"))
            continue
        wanted = _merged(entry, u, result) if u.base is not None else _as_said(entry, u, result)
        if wanted is not None:
            _set(entry, *wanted, result)
        _comment(entry, u, result)
    if result.changed:
        po.metadata["PO-Revision-Date"] = catalog.now()
    return result


def _context_words(entry: polib.POEntry) -> str:
    return "" if entry.msgctxt is None else f" (msgctxt {_shown(entry.msgctxt, width=30)})"


def _find(u: Unit, same_source: list[polib.POEntry], result: Result) -> polib.POEntry | None:
    """The entry ``u`` translates: its msgctxt and source; by the source alone when the
    unit names no msgctxt and one entry has that source (None, and ``u`` listed, else)."""
    plural = u.source_plural is not None
    candidates = [e for e in same_source
                  if is_plural(e) == plural and (not plural or e.msgid_plural == u.source_plural)]
    if u.msgctxt is not None:
        candidates = [e for e in candidates if e.msgctxt == u.msgctxt]
    elif u.base is not None and any(e.msgctxt is None for e in candidates):
        # transflow's own export names a msgctxt whenever the entry has one.
        candidates = [e for e in candidates if e.msgctxt is None]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        result.missing.append(u)
    else:
        contexts = ", ".join(_shown(e.msgctxt) if e.msgctxt is not None else "none" for e in candidates)
        result.refused.append(Refused(
            u, f"{len(candidates)} entries of the PO file have this source (msgctxt {contexts}) and the unit does not "
               f"say which: the file has lost the msgctxt (Translate Toolkit's po2xliff drops it); "
               f"translate these in the PO file"))
    return None


def _text(entry: polib.POEntry):
    """The entry's translation as units carry it: the msgstr, or the tuple of plural forms."""
    return tuple(catalog.translations(entry)) if is_plural(entry) else entry.msgstr


def _empty(text) -> bool:
    return not any(text) if isinstance(text, tuple) else text == ""


def _merged(entry: polib.POEntry, u: Unit, result: Result) -> tuple | None:
    """The (msgstr, status) the entry should take from a unit with a base, or None."""
    base = u.base.version
    if u.target is None:
        return None  # the tool dropped the target: the file says nothing
    text = u.target
    if _empty(text) and not _empty(base[0]):
        result.empty_ignored += 1
        return None
    if _empty(text):
        theirs = (text, "untranslated")
    elif u.status is not None:
        theirs = (text, u.status)
    else:  # no state: unchanged text keeps the base's, a changed one is a draft
        theirs = (text, base[1] if text == base[0] else "fuzzy")
    ours = (_text(entry), status(entry))
    if theirs == base or theirs == ours:
        return None
    if u.status is None and text == ours[0]:
        return None  # the same text, and the file states nothing about review
    if ours != base:
        result.conflicts.append(Conflict(u, "translation", _shown(*ours), _shown(*theirs)))
        return None
    return theirs


def _as_said(entry: polib.POEntry, u: Unit, result: Result) -> tuple | None:
    """The (msgstr, status) a unit without a base sets, or None."""
    current = _text(entry)
    text, fuzzy = current, None
    if u.target is not None and u.target != current:
        if _empty(u.target):
            result.empty_ignored += 1
            return None
        text, fuzzy = u.target, u.status != "reviewed"
    elif u.target is not None and not _empty(current) and u.status is not None:
        fuzzy = u.status != "reviewed"
    if fuzzy is None:
        return None
    if fuzzy and catalog.is_reviewed(entry):
        result.conflicts.append(Conflict(
            u, "translation", _shown(current, "reviewed"), _shown(text, "fuzzy"),
            reason="a draft never replaces a reviewed entry, and this file does not say what it was exported from"))
        return None
    return text, "fuzzy" if fuzzy else "reviewed"


def _set(entry: polib.POEntry, text, state: str, result: Result) -> None:
    if text != _text(entry):
        if isinstance(text, tuple):
            entry.msgstr_plural = dict(enumerate(text))
        else:
            entry.msgstr = text
        result.updated += 1
    fuzzy = state == "fuzzy"
    if _empty(text) or fuzzy == ("fuzzy" in entry.flags):
        return
    if fuzzy:
        entry.flags.insert(0, "fuzzy")
        result.fuzzy += 1
    else:
        entry.flags.remove("fuzzy")
        # As Poedit and msgmerge do: the previous msgid only explains a fuzzy entry.
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        result.reviewed += 1


def _comment(entry: polib.POEntry, u: Unit, result: Result) -> None:
    """Translator notes replace the translator comments, three ways when there is a base."""
    if u.notes is None:
        return  # no note at all: a tool may drop them, so keep the PO file's
    theirs, ours = "\n".join(u.notes), entry.tcomment or ""
    if theirs == ours:
        return
    if u.base is not None:
        if theirs == u.base.comment:
            return
        if ours != u.base.comment:
            result.conflicts.append(Conflict(u, "translator comment", _shown(ours), _shown(theirs)))
            return
    entry.tcomment = theirs
    result.comments += 1


def import_file(path, locales, lock_timeout: float = 60.0, po: Path | None = None) -> list[Result]:
    """Import the XLIFF file at ``path`` into the PO files it was exported from, under
    ``locales`` (each ``<file>``'s ``original`` and target language name one); ``po``
    names the PO file instead, for a file of one ``<file>`` that does not say (many tools
    write no ``original``, or their own file's name)."""
    from . import lock, pofile

    path = Path(path)
    _, files = parse(read_file(path), path)
    targets = []
    if po is not None:
        if len(files) != 1:
            raise InputError(f"{path}: {len(files)} <file> elements; --po names the PO file of one, "
                             f"so import a file of one <file> (or one that says its 'original' for each)")
        if not Path(po).is_file():
            raise InputError(f"{po}: no such PO file")
        targets.append((files[0], Path(po)))
    for f in files if po is None else ():
        if not f.original:
            raise InputError(f"{path}: a <file> has no 'original' attribute, so it does not say which PO file it "
                             f"belongs to; name it with --po PATH")
        if not f.target_lang:
            raise InputError(f"{path}: no target language in the XLIFF file; name the PO file with --po PATH")
        po_path = catalog.po_path(locales, langs.normalize(f.target_lang), Path(f.original).stem)
        if not po_path.exists():
            raise InputError(f"{path}: {po_path} does not exist; export from it with `transflow export` first, "
                             f"or name the PO file with --po PATH")
        targets.append((f, po_path))
    results = []
    # A translate run rewriting the same PO file meanwhile would lose one side's work; a
    # PO file outside the locales folder is locked in its own folder.
    folder = Path(locales)
    if po is not None and folder.resolve() not in Path(po).resolve().parents:
        folder = Path(po).parent
    with lock.locked(folder, lock_timeout):
        for f, po_path in targets:
            catalog_ = pofile.load(po_path)
            result = apply(catalog_, f.units, str(po_path))
            if result.changed:
                pofile.write(catalog_, po_path)
            results.append(result)
    return results
