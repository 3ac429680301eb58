"""Translating through a third language when no model covers the pair directly.

Most models go to or from English, so pt->ko, with no pt->ko model anywhere, is
pt->en then en->ko. The draft is worse than a direct model's (two models' errors add
up, and what English does not mark, such as gender or formality, is guessed again), so
the pair says so wherever it is named: its model_id, written into each PO entry's
``mt:`` comment and used as the translation-memory key, names both models and the
pivot language.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .. import langs
from .base import Engine, ModelInfo

PIVOT = "en"  # the language nearly every model starts or ends in


@dataclass(frozen=True)
class PivotInfo(ModelInfo):
    """A pair made of two models; ``legs`` are (source->pivot, pivot->target)."""

    legs: tuple[ModelInfo, ModelInfo] | tuple = ()


def pivot_info(first: ModelInfo, second: ModelInfo) -> PivotInfo:
    via = first.target
    return PivotInfo(
        engine="pivot",
        source=first.source,
        target=second.target,
        model_id=f"{first.model_id} + {second.model_id} (pivot via {via})",
        origin=f"{first.origin}; then {second.origin}",
        legs=(first, second),
    )


def find_pivot(source: str, target: str, models: Sequence[ModelInfo], via: str = PIVOT) -> PivotInfo | None:
    """Two of ``models`` (in their preference order) that chain source->via->target, or None.

    A model for the bare language serves a regional variant, as for direct pairs."""
    if via in (langs.base(source), langs.base(target)):
        return None

    def first_of(src_codes, tgt_codes):
        return next((m for m in models if m.source in src_codes and m.target in tgt_codes), None)

    first = first_of({source, langs.base(source)}, {via})
    second = first_of({via}, {target, langs.base(target)})
    if first is None or second is None:
        return None
    return pivot_info(first, second)


class PivotEngine:
    """Two engines in a row: every text goes through ``first``, its output through ``second``."""

    def __init__(self, first: Engine, second: Engine, info: ModelInfo | None = None):
        self.first, self.second = first, second
        self.info = info or pivot_info(first.info, second.info)

    def translate(self, texts: Sequence[str]) -> list[str]:
        middle = self.first.translate(list(texts))
        # A blank stays blank: engines return "" for it, and a pivot must not invent text.
        out = self.second.translate(middle)
        return [o if t.strip() else "" for t, o in zip(texts, out)]

    def close(self) -> None:
        """End both engines' worker processes, if they have any."""
        for engine in (self.first, self.second):
            getattr(engine, "close", lambda: None)()
