"""Apertium, the rule-based MT system Debian packages (``apt install apertium-eng-spa``).

A third engine for pairs no neural model covers, or where a desk wants predictable,
rule-based drafts. Each installed direction is a ``.mode`` file (a shell pipeline of
the pair's tools) in ``<data dir>/modes``; the pair is named with ISO 639-3 codes
(``eng-spa``, ``spa-eng_US``). We run the ``apertium`` driver once per batch.

Every text goes in as its own paragraph (a blank line between texts): Apertium ends a
sentence at a blank line, so no reordering rule moves words from one text into the
next, and the output splits back on blank lines.
"""

import gzip
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .. import langs
from ..errors import EngineError
from .base import ModelInfo

DEFAULT_DIRS = ("/usr/share/apertium", "/usr/local/share/apertium")
_MODE = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})(?:_([A-Za-z]{2}))?$")
_DATA_DIR = re.compile(r"'?(/[^' ]+)/[^/' ]+\.(?:bin|prob)'?")


# Debian's Apertium pair packages (`apt-cache search '^apertium-'`, Debian 13, without the
# transitional names), each named for its pair with ISO 639 codes as Debian spells them.
DEBIAN_PAIRS = (
    "afr-nld", "arg-cat", "bel-rus", "br-fr", "cat-ita", "cat-srd", "dan-nor", "en-gl", "eng-cat", "eng-spa",
    "eo-ca", "eo-en", "eo-es", "eo-fr", "es-gl", "es-pt", "es-ro", "eu-en", "eu-es", "fr-es", "fra-cat",
    "isl-eng", "isl-swe", "mkd-bul", "mkd-eng", "nno-nob", "oc-ca", "oc-es", "oci-fra", "por-cat", "pt-gl",
    "rus-ukr", "spa-arg", "spa-cat", "spa-ita", "srd-ita", "swe-dan", "swe-nor", "urd-hin",
)


def debian_package(source: str, target: str) -> str | None:
    """The Debian package of the Apertium pair between two languages (either way round),
    e.g. ``apertium-eng-spa`` for en->es; None when Debian packages none."""
    wanted = {langs.base(source), langs.base(target)}
    for pair in DEBIAN_PAIRS:
        if {langs.from_iso639_3(code) for code in pair.split("-")} == wanted:
            return f"apertium-{pair}"
    return None


def data_dirs() -> list[Path]:
    """Where to look for ``modes/`` (``TRANSFLOW_APERTIUM_DIR``, colon-separated, overrides)."""
    override = os.environ.get("TRANSFLOW_APERTIUM_DIR")
    return [Path(d) for d in (override.split(os.pathsep) if override is not None else DEFAULT_DIRS) if d]


def _version(mode: Path) -> str:
    """The Debian version of the package whose data the mode runs, e.g. ``0.8.1-2``."""
    try:
        m = _DATA_DIR.search(mode.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return "?"
    if not m:
        return "?"
    changelog = Path("/usr/share/doc") / Path(m.group(1)).name / "changelog.Debian.gz"
    try:
        with gzip.open(changelog, "rt", encoding="utf-8", errors="replace") as f:
            first = f.readline()
    except (OSError, EOFError):
        return "?"
    v = re.match(r"^\S+ \(([^)\s]+)\)", first)
    return v.group(1) if v else "?"


def installed() -> list[tuple[ModelInfo, Path]]:
    """Every direction whose languages transflow knows, with its mode file."""
    if shutil.which("apertium") is None:
        return []
    out, seen = [], set()
    for root in data_dirs():
        modes = root / "modes"
        for mode in sorted(modes.glob("*.mode")) if modes.is_dir() else []:
            m = _MODE.match(mode.stem)
            if not m or mode.stem in seen:
                continue
            source, target = langs.from_iso639_3(m.group(1)), langs.from_iso639_3(m.group(2))
            if source is None or target is None:
                continue
            if m.group(3):
                target = langs.normalize(f"{target}_{m.group(3)}")
            seen.add(mode.stem)
            version = _version(mode)
            info = ModelInfo("apertium", source, target, f"apertium:{mode.stem}-{version}", f"Apertium {version}: {mode}")
            out.append((info, mode))
    return out


class ApertiumEngine:
    def __init__(self, info: ModelInfo, mode: Path):
        self.info = info
        self._direction = mode.stem
        self._data_dir = mode.parent.parent

    def translate(self, texts: Sequence[str]) -> list[str]:
        out = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return out
        # A line break inside a text would end its paragraph early.
        pieces = [" ".join(texts[i].split()) for i in todo]
        results = self._run("\n\n".join(pieces) + "\n")
        if len(results) != len(pieces):
            # The pipeline merged or split a paragraph: one text per call is slower but exact.
            results = [" ".join(self._run(p + "\n")) for p in pieces]
        for i, r in zip(todo, results):
            out[i] = r
        return out

    def _run(self, text: str) -> list[str]:
        try:
            result = subprocess.run(
                ["apertium", "-u", "-d", str(self._data_dir), self._direction],
                input=text,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as e:
            raise EngineError(f"{self.info.model_id}: cannot run apertium: {e.strerror or e}") from None
        if result.returncode != 0:
            why = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[0]
            raise EngineError(f"{self.info.model_id} failed to translate: {why}")
        return [p.strip() for p in re.split(r"\n\s*\n", result.stdout) if p.strip()]
