"""The one interface every MT engine implements: a batch of sentences in, translations out."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ModelInfo:
    """One language pair an engine can translate on this machine."""

    engine: str  # "bergamot" or "argos"
    source: str  # ISO 639 code, e.g. "en"
    target: str
    model_id: str  # stable name of the model, written into PO comments and TM keys
    origin: str  # where the model comes from, for `transflow models list`


class Engine(Protocol):
    info: ModelInfo

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate each text (one sentence-like unit each); same length and order out."""
        ...
