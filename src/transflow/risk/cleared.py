"""`transflow check --risk`: reviewed entries that are a high-risk MT draft, word for word.

A reviewer who clears the fuzzy flag of a draft assessed high without changing a letter
may have read it, or may have waved it through. The translation memory knows: it keeps
the assessment of every draft text it made (risk/entries.py), so a reviewed msgstr
equal to a draft assessed high for that source is a finding, an error that fails the
gate. An edited translation is not (the memory has no assessment of the new text).
"""

from pathlib import Path

from .. import catalog, check, pofile
from ..errors import InputError
from . import HIGH


def cleared_without_editing(paths, tm_path: Path, source_lang: str) -> list[check.Finding]:
    from ..tm import TranslationMemory

    if not Path(tm_path).is_file():
        raise InputError(f"{tm_path}: no translation memory; `check --risk` compares reviewed entries with the "
                         "drafts it recorded: pass --tm, or translate with one (not --no-tm)")
    findings = []
    with TranslationMemory(tm_path) as tm:
        for path in check.po_files(paths):
            po = pofile.load(path)
            lang = check.language_of(po, path)
            reviewed = [e for e in po if catalog.is_reviewed(e) and e.msgid]
            stored = tm.get_risk(source_lang, lang, [(e.msgid, e.msgstr) for e in reviewed])
            for e in reviewed:
                level, reasons = stored.get((e.msgid, e.msgstr), (None, []))
                if level == HIGH:
                    findings.append(check.Finding(
                        str(path), e.linenum, e.msgid, "", "risk", "error", False,
                        "high-risk MT draft cleared without editing: " + "; ".join(reasons)))
    return findings
