"""How far to trust each MT draft: a risk level (low, medium, high) with its reasons.

Computed offline while translating (pipeline.py), stored in the translation memory with
the draft (a re-run keeps the assessment of an unchanged draft) and written into the PO
file as an extracted comment, which the XLIFF export, `status`, the review page and
`check --risk` all read::

    #. risk: high: unknown word "Reemificou"; back-translation "absolutely based" differs from the source (source: "utterly groundless")

The signals (signals.py) are cheap ones first (words the target language lacks,
source words left, added parentheses, numbers, markup, glossary terms enforcement could
not place or verify, length), then a back-translation with the reverse model for the
drafts the cheap ones leave undecided, in one batch. A reviewed entry carries no risk.
"""

from dataclasses import dataclass

from .. import catalog

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVELS = (LOW, MEDIUM, HIGH)
PREFIX = catalog.RISK_PREFIX
# Changes when the signals or thresholds do: assessments stored in the translation
# memory by another method are made again.
METHOD = "3"


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: tuple[str, ...] = ()

    def line(self) -> str:
        """The PO extracted comment."""
        return PREFIX + self.level + (": " + "; ".join(self.reasons) if self.reasons else "")

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level)


def parse(line: str) -> Assessment | None:
    """The assessment an extracted comment line holds, None if it holds none."""
    if not line.startswith(PREFIX):
        return None
    level, _, rest = line[len(PREFIX):].partition(": ")
    if level not in LEVELS:
        return None
    return Assessment(level, tuple(r for r in rest.split("; ") if r))


def of_entry(entry) -> Assessment | None:
    """The assessment in a PO entry's extracted comments, None when it has none."""
    for line in (entry.comment or "").split("\n"):
        found = parse(line)
        if found is not None:
            return found
    return None


@dataclass
class Item:
    """A draft to assess: the source, the draft, what enforcement reported, and the
    glossary terms whose renderings the draft holds (source side)."""

    source: str
    text: str
    failed: tuple = ()
    unverified: tuple = ()
    terms: tuple = ()
    markup: tuple = ()  # the draft's `markers repaired:` notes (its `#. mt:` lines)


def assess(items, lang: str, source_lang: str, reverse=None) -> list[Assessment]:
    """One assessment per item. ``reverse``: an engine translating ``lang`` into
    ``source_lang`` (None: no back-translation); it gets one batch, of the drafts the
    cheap signals leave undecided."""
    from . import signals  # wordfreq, check.py: not for the readers of a `risk:` line
    from .backtranslation import lacking, neutralised
    from .chrf import chrf

    seen = [signals.Seen(i.source, i.text, lang, source_lang, list(i.failed), list(i.unverified), list(i.terms),
                         list(i.markup)) for i in items]
    found = [{s: s(x) for s in signals.CHEAP} for x in seen]
    if reverse is not None:
        todo = [k for k, x in enumerate(seen) if _undecided(x, found[k])]
        backs = reverse.translate([seen[k].plain[1] for k in todo]) if todo else []
        for k, back in zip(todo, backs):
            source = seen[k].plain[0]
            back = neutralised(source, back, seen[k].terms, source_lang)
            seen[k].back, seen[k].chrf = back, chrf(back, source)
            seen[k].lacking, seen[k].content = lacking(source, back, source_lang)
            for s in (signals.back_translation_far, signals.back_translation_differs):
                found[k][s] = s(seen[k])
    return [_level(f) for f in found]


def _undecided(seen, found: dict) -> bool:
    from . import signals

    if not seen.text.strip() or not signals.MIN_WORDS <= len(signals.words.words(seen.plain[0])) < signals.MAX_WORDS:
        return False
    return not any(found.get(s) for s in signals.HIGH)


def _level(found: dict) -> Assessment:
    from . import signals

    high = [r for s in signals.HIGH for r in found.get(s, ())]
    medium = [r for s in signals.MEDIUM for r in found.get(s, ())]
    if high:
        return Assessment(HIGH, tuple(high + medium))
    if medium:
        return Assessment(MEDIUM, tuple(medium))
    return Assessment(LOW)
