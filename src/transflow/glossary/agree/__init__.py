"""Agreement rules of target languages, as data, for putting a glossary rendering into
a machine translation: one module per language (``pt``).

A module provides ``features(phrase)``, ``inflect(phrase, number)``, ``agree(text,
start, end, old, new)`` and ``PROXIES``; languages without a module get the rendering
substituted as written (no agreement), which is all that CJK and other languages
without inflection need.
"""

import importlib
from types import ModuleType


def get(lang: str) -> ModuleType | None:
    base = lang.replace("-", "_").split("_")[0].lower()
    try:
        return importlib.import_module(f"{__name__}.{base}")
    except ModuleNotFoundError:
        return None
