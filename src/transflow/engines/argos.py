"""Argos Translate packages, run directly on CTranslate2.

A package is a folder holding ``metadata.json``, a CTranslate2 model in ``model/`` and
a SentencePiece (``sentencepiece.model``) or BPE (``bpe.model``) tokenizer. We use
argostranslate only for its tokenizer classes: ``argostranslate.translate`` splits
sentences with a MiniSBD model it downloads on first use (so it fails offline) and
runs one CTranslate2 call per paragraph, while we translate a whole batch at once.

Nothing here imports argostranslate or CTranslate2 at module level, and we never import
``argostranslate.settings`` (it creates directories under $HOME when imported):
``transflow models list`` only reads metadata.json files.
"""

import json
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import langs
from ..errors import EngineError, PackageError
from .base import ModelInfo

# CTranslate2 sorts the batch by length and cuts it into sub-batches of at most this
# many source tokens; with inter_threads > 1 the sub-batches run in parallel.
# Measured with `benchmarks/run.py --argos-batch` (test-built copy package, 60 units of
# ~180 tokens, 2 cores, inter_threads=2, best of 3): 256 and 512 tokens 0.59 s, 1024
# 0.86 s, 2048 1.40 s, 4096 2.06 s. Larger sub-batches decode in step with their
# longest hypothesis and leave fewer of them to share among the threads; 512 is the
# largest size on the flat part (a real package's sentence is ~40 tokens, so still a
# dozen sentences per sub-batch for its matrix products).
MAX_BATCH_TOKENS = 512
BEAM_SIZE = 4  # argostranslate's default
LENGTH_PENALTY = 0.2  # argostranslate's value
# CTranslate2's own default, made explicit: longer inputs are cut to this many tokens
# (a few thousand characters, far beyond any sentence).
MAX_INPUT_TOKENS = 1024
# Stops a model that never emits </s>: it may write at most this many tokens per token
# of the longest source sentence in the batch, plus a few.
DECODING_LENGTH_RATIO = 2
DECODING_LENGTH_SLACK = 16
COMPUTE_TYPE = "auto"  # the fastest type this CPU supports (int8 models stay int8)

TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$")


def default_packages_dir() -> Path:
    """Where ``transflow models install`` puts packages (``TRANSFLOW_ARGOS_DIR`` overrides)."""
    override = os.environ.get("TRANSFLOW_ARGOS_DIR")
    if override:
        return Path(override)
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "transflow" / "argos-packages"


def argos_packages_dir() -> Path:
    """argostranslate's own package folder, found the way ``argostranslate.settings`` does.

    Computed here rather than imported: the settings module creates directories when
    imported and reads the environment only once, at import time.
    """
    override = os.environ.get("ARGOS_PACKAGES_DIR")
    if override:
        return Path(override)
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    try:
        settings = json.loads((config / "argos-translate" / "settings.json").read_bytes())
        configured = settings.get("ARGOS_PACKAGES_DIR") if isinstance(settings, dict) else None
    except (OSError, ValueError):
        configured = None
    if isinstance(configured, str) and configured:
        return Path(configured)
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data / "argos-translate" / "packages"


def parse_metadata(data: bytes, where: str) -> dict:
    """Validated metadata.json content; ``where`` names the package in error messages."""
    try:
        meta = json.loads(data)
    except ValueError as e:  # JSONDecodeError and UnicodeDecodeError
        raise PackageError(f"{where}: metadata.json is not valid JSON ({e})") from None
    if not isinstance(meta, dict):
        raise PackageError(f"{where}: metadata.json must hold a JSON object")
    kind = meta.get("type", "translate")
    if kind != "translate":
        raise PackageError(f"{where}: this is an Argos {kind!r} package, not a translation package")
    for key in ("from_code", "to_code"):
        code = meta.get(key)
        if not isinstance(code, str) or not langs.is_valid(code):
            raise PackageError(
                f"{where}: metadata.json {key} {code!r} is not an ISO 639-1 language code"
            )
    version = meta.get("package_version")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise PackageError(f"{where}: metadata.json package_version {version!r} is missing or malformed")
    if not isinstance(meta.get("target_prefix", ""), str):
        raise PackageError(f"{where}: metadata.json target_prefix must be a string")
    return meta


def read_package(package_dir: Path, where: str | None = None) -> dict:
    """The validated metadata of the package in package_dir, after checking its files."""
    where = where or str(package_dir)
    try:
        data = (package_dir / "metadata.json").read_bytes()
    except FileNotFoundError:
        raise PackageError(f"{where}: no metadata.json, so not an Argos package") from None
    except OSError as e:
        raise PackageError(f"{where}: cannot read metadata.json ({e.strerror})") from None
    meta = parse_metadata(data, where)
    if not (package_dir / "model" / "model.bin").is_file():
        raise PackageError(f"{where}: no CTranslate2 model (model/model.bin is missing)")
    if not any((package_dir / name).is_file() for name in TOKENIZER_FILES):
        raise PackageError(f"{where}: no tokenizer ({' or '.join(TOKENIZER_FILES)} is missing)")
    return meta


def package_name(meta: dict) -> str:
    """argospm's name for the package, e.g. ``translate-en_de``: one folder per pair."""
    return f"translate-{langs.normalize(meta['from_code'])}_{langs.normalize(meta['to_code'])}"


def package_info(package_dir: Path) -> ModelInfo:
    return _model_info(read_package(package_dir), package_dir)


def _model_info(meta: dict, package_dir: Path) -> ModelInfo:
    return ModelInfo(
        engine="argos",
        source=langs.normalize(meta["from_code"]),
        target=langs.normalize(meta["to_code"]),
        model_id=f"argos:{package_name(meta)}-{meta['package_version']}",
        origin=str(package_dir),
    )


def package_dir_of(info: ModelInfo) -> Path:
    return Path(info.origin)


def installed_packages(packages_dir: Path | None = None) -> list[ModelInfo]:
    """Every usable Argos translation package: transflow's folder first, then argostranslate's."""
    roots = {}
    for root in (Path(packages_dir or default_packages_dir()), argos_packages_dir()):
        roots.setdefault(root.resolve(), root)
    return [info for root in roots.values() for info in _scan(root)]


def _scan(root: Path) -> list[ModelInfo]:
    found = []
    for d in sorted(root.iterdir()) if root.is_dir() else []:
        # Hidden folders are installs in progress (see argos_install).
        if d.name.startswith(".") or not d.is_dir():
            continue
        try:
            found.append(package_info(d))
        except PackageError:
            # Broken, or not for translation: argostranslate also installs
            # sentence-splitting packages here.
            continue
    return found


def threads(jobs: int | None = None, inter_threads: int | None = None, intra_threads: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads) for an engine that may keep ``jobs`` cores busy
    (default: every core); their product never exceeds ``jobs``.

    One core per sub-batch and as many sub-batches in parallel as cores, by
    measurement (`benchmarks/argos_threads.py`, 2 cores, wall seconds, best of the
    rounds, inter x intra): test-built copy package, 500 units: 1x1 20.5, 1x2 123.2,
    2x1 11.8, 4x1 11.9; a package of transformer-base size (random weights), 40 units:
    1x1 42.7, 1x2 36.0, 2x1 26.4; 15 units: 1x1 5.3, 1x2 4.9, 2x1 3.5 (4.3 before
    translate() cut a small batch into one sub-batch per inter thread). Sub-batches
    are independent, while intra-op threads meet at every matrix product.
    """
    cores = max(1, jobs or os.cpu_count() or 1)
    inter = max(1, inter_threads or cores)
    intra = max(1, intra_threads or cores // inter)
    if jobs:
        inter = min(inter, cores)
        intra = min(intra, max(1, cores // inter))
    return inter, intra


class ArgosEngine:
    def __init__(
        self,
        package_dir: Path,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        jobs: int | None = None,
    ):
        """Load the package to use at most ``jobs`` cores (default: all): ``inter_threads``
        sub-batches in parallel, each on ``intra_threads`` cores (see :func:`threads`)."""
        package_dir = Path(package_dir)
        meta = read_package(package_dir)
        self.info = _model_info(meta, package_dir)
        prefix = meta.get("target_prefix", "")
        self._prefix = [prefix] if prefix else []
        self._encode, self._decode = _load_tokenizer(package_dir, meta["from_code"], meta["to_code"])
        self.inter_threads, self.intra_threads = threads(jobs, inter_threads, intra_threads)
        self._translator = _load_translator(package_dir, self.inter_threads, self.intra_threads)

    def translate(self, texts: Sequence[str]) -> list[str]:
        out = [""] * len(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return out
        tokens = [self._encode(texts[i]) for i in todo]
        longest = min(MAX_INPUT_TOKENS, max(len(t) for t in tokens))
        try:
            results = self._translator.translate_batch(
                tokens,
                target_prefix=[self._prefix] * len(tokens) if self._prefix else None,
                max_batch_size=self._batch_tokens(tokens),
                batch_type="tokens",
                beam_size=BEAM_SIZE,
                length_penalty=LENGTH_PENALTY,
                max_input_length=MAX_INPUT_TOKENS,
                max_decoding_length=(
                    len(self._prefix) + DECODING_LENGTH_RATIO * longest + DECODING_LENGTH_SLACK
                ),
                # An unknown output token becomes the source token it attends to most.
                replace_unknowns=True,
            )
        except (RuntimeError, ValueError) as e:
            raise EngineError(f"{self.info.model_id} failed to translate: {e}") from None
        for i, result in zip(todo, results):
            out[i] = self._detokenize(result.hypotheses[0])
        return out

    def _batch_tokens(self, tokens) -> int:
        """MAX_BATCH_TOKENS, or less for a small batch, so that it still makes a
        sub-batch for each inter thread (an article of a dozen sentences is one
        512-token sub-batch: one busy core)."""
        total = sum(min(len(t), MAX_INPUT_TOKENS) + len(self._prefix) for t in tokens)
        return max(1, min(MAX_BATCH_TOKENS, -(-total // self.inter_threads)))

    def _detokenize(self, tokens: list[str]) -> str:
        # CTranslate2 returns the forced target prefix as part of the hypothesis.
        if self._prefix and tokens[: len(self._prefix)] == self._prefix:
            tokens = tokens[len(self._prefix) :]
        return self._decode(tokens).strip()


def _load_tokenizer(package_dir: Path, source: str, target: str) -> tuple[Callable, Callable]:
    """argostranslate's tokenizer for the package as (encode, decode), loaded now so
    that a broken file fails here and not halfway through an article."""
    from argostranslate.tokenizer import BPETokenizer, SentencePieceTokenizer

    sentencepiece = package_dir / "sentencepiece.model"
    if sentencepiece.is_file():
        tokenizer = SentencePieceTokenizer(sentencepiece)
        # Not tokenizer.decode: it also turns every "_" into a space, which mangles
        # identifiers, file names and URLs.
        decode = lambda tokens: tokenizer.lazy_processor().decode_pieces(tokens)  # noqa: E731
    else:
        tokenizer = BPETokenizer(package_dir / "bpe.model", source, target)
        decode = tokenizer.decode
    try:
        tokenizer.encode("Test.")
    except Exception as e:  # third-party parsers of an untrusted file fail in many ways
        raise PackageError(f"{package_dir}: cannot load the tokenizer: {e}") from None
    return tokenizer.encode, decode


def _load_translator(package_dir: Path, inter_threads: int, intra_threads: int):
    import ctranslate2

    try:
        return ctranslate2.Translator(
            str(package_dir / "model"),
            device="cpu",
            compute_type=COMPUTE_TYPE,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )
    except (RuntimeError, ValueError, OSError) as e:
        raise PackageError(f"{package_dir}: cannot load the CTranslate2 model: {e}") from None
