"""The risk assessment of a language's PO entries, as a translate run leaves them.

Every fuzzy MT draft (an entry with an ``mt:`` line) gets one ``risk:`` line: the
translation memory's assessment of that very draft text when it has one (a re-run keeps
it), else a fresh one, all of a language's in one batch with the reverse model loaded
once. Without a memory, a draft that still carries a ``risk:`` line from the last run
keeps it. Reviewed entries, drafts from reviewed translations (``tm:``) and empty
entries carry none.
"""

from collections import Counter

from .. import catalog, engines
from ..errors import TransflowError
from . import METHOD, Assessment, Item, assess, of_entry, parse, words


def reverse_model(source_lang: str, lang: str):
    """The model translating ``lang`` back into ``source_lang`` (engines.ModelInfo), or
    None when no direct model for that pair is installed (a pivot would cost two
    translations)."""
    try:
        info = engines.find_model(lang, source_lang, "auto")
    except TransflowError:
        return None
    return None if info.engine == "pivot" else info


def reverse_engine(source_lang: str, lang: str, jobs: int | None = None, load=None):
    """The engine of :func:`reverse_model`, or None; ``load(info, jobs=)`` loads it
    (default engines.load_engine; a cluster's workers: cluster.Cluster.engine)."""
    info = reverse_model(source_lang, lang)
    try:
        return None if info is None else (load or engines.load_engine)(info, jobs=jobs)
    except TransflowError:
        return None


def prepare(source_lang: str, lang: str, jobs: int | None = None, load=None):
    """Called while ``lang`` is machine-translated: read the word lists in a thread of
    their own and load the reverse model here (a model must be loaded by a thread that
    lives on: see pipeline._machine_translate); return the reverse engine or None."""
    import threading

    threading.Thread(target=words.preload, args=(source_lang, lang), daemon=True).start()
    return reverse_engine(source_lang, lang, jobs, load)


def assess_entries(entries, source_lang: str, lang: str, new_drafts: dict, tm=None, jobs: int | None = None,
                   reverse=None) -> None:
    """Set the ``risk:`` line of each entry (in place).

    ``new_drafts``: source -> enforce.Draft made in this run (what enforcement reported
    about each); ``tm``: the translation memory, or None; ``reverse``: a loaded reverse
    engine (the caller closes it), else one is loaded here when a draft needs it.
    """
    drafts = []
    for entry in entries:
        if _is_mt_draft(entry):
            drafts.append(entry)
        else:
            set_line(entry, None)
    stored = tm.get_risk(source_lang, lang, [(e.msgid, e.msgstr) for e in drafts], METHOD) if tm is not None else {}
    found: dict[tuple[str, str], Assessment] = {key: Assessment(level, tuple(reasons)) for key, (level, reasons) in stored.items()}
    todo = {}
    for e in drafts:
        key = (e.msgid, e.msgstr)
        if key in found or key in todo:
            continue
        carried = of_entry(e)
        if tm is None and carried is not None and e.msgid not in new_drafts:
            found[key] = carried
            continue
        made = new_drafts.get(e.msgid)
        fresh = made is not None and made.text == e.msgstr
        todo[key] = Item(e.msgid, e.msgstr, tuple(made.failed) if fresh else _not_applied(e),
                         tuple(getattr(made, "unverified", ())) if fresh else (), glossary_terms(e), _markup_notes(e))
    if todo:
        own = reverse is None
        reverse = reverse_engine(source_lang, lang, jobs) if own else reverse
        try:
            results = assess(list(todo.values()), lang, source_lang, reverse)
        finally:
            if own:
                getattr(reverse, "close", lambda: None)()
        found.update(zip(todo, results))
        if tm is not None:
            tm.put_risk(source_lang, lang, METHOD, [(s, t, a.level, a.reasons) for (s, t), a in zip(todo, results)])
    for e in drafts:
        set_line(e, found[(e.msgid, e.msgstr)])


def count(entries) -> Counter:
    """MT drafts per risk level, as their ``risk:`` lines say."""
    return Counter(a.level for e in entries if _is_mt_draft(e) and (a := of_entry(e)) is not None)


def strip_reviewed(entries) -> None:
    """Without an assessment this run: no entry but an MT draft keeps a ``risk:`` line."""
    for entry in entries:
        if not _is_mt_draft(entry):
            set_line(entry, None)


def set_line(entry, assessment: Assessment | None) -> None:
    lines = [line for line in catalog.comment_lines(entry) if parse(line) is None]
    if assessment is not None:
        lines.append(assessment.line())
    catalog.set_comment_lines(entry, lines)


def _is_mt_draft(entry) -> bool:
    return (not entry.obsolete and bool(entry.msgstr) and "fuzzy" in entry.flags
            and any(line.startswith(catalog.MT_PREFIX) for line in catalog.comment_lines(entry)))


def glossary_terms(entry) -> tuple:
    """The source terms of the entry's ``#. glossary: defector -> desertor`` lines."""
    out = []
    for line in catalog.comment_lines(entry):
        if line.startswith(catalog.GLOSSARY_PREFIX):
            label = line[len(catalog.GLOSSARY_PREFIX):]
            out.append(label.split(" -> ")[0].removesuffix(" (do not translate)").strip())
    return tuple(out)


def _markup_notes(entry) -> tuple:
    return tuple(line[len(catalog.MT_PREFIX):] for line in catalog.comment_lines(entry)
                 if line.startswith(catalog.MT_PREFIX + "markers repaired: "))


def _not_applied(entry) -> tuple:
    return tuple(line[len(catalog.NOT_APPLIED_PREFIX):] for line in catalog.comment_lines(entry)
                 if line.startswith(catalog.NOT_APPLIED_PREFIX))
