"""What the model adds that the source never says: the note that a link is in English.

The embedded en->pt model learned from Wikipedia, whose Portuguese articles mark a
link to an English source "(em inglês)": it appends that note to names, titles and
addresses (41 drafts of 113 real news pages, where the source said nothing of the
kind). Such a note, where the source does not mention English, is taken out of the
draft, and the PO entry says so. Other text in parentheses that the source lacks is
left for the risk assessment to flag (risk/signals.py: added content).
"""

import re

# The note, as Wikipedia writes it in each language (target language -> phrases).
_NOTES = {
    "pt": ("em inglês", "em Inglês"),
    "es": ("en inglés",),
    "fr": ("en anglais",),
    "de": ("auf Englisch", "englisch", "Englisch"),
    "it": ("in inglese",),
    "nl": ("in het Engels", "Engels"),
    "ca": ("en anglès",),
}
_ENGLISH = re.compile(r"\benglish\b", re.IGNORECASE)


def without_notes(source: str, draft: str, lang: str) -> tuple[str, list[str]]:
    """``draft`` without the notes of :data:`_NOTES` the source does not account for,
    and the notes taken out."""
    phrases = _NOTES.get(lang.split("_")[0].split("-")[0])
    if not phrases or _ENGLISH.search(source) or "(" not in draft:
        return draft, []
    pattern = re.compile(r"\s*\((?:" + "|".join(re.escape(p) for p in phrases) + r")\)")
    removed = [m.group(0).strip() for m in pattern.finditer(draft)]
    return (pattern.sub("", draft), removed) if removed else (draft, [])
