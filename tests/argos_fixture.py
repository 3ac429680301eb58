"""A tiny but real Argos Translate package, built by the tests in well under a second.

The package has the layout argostranslate expects (one top-level folder holding
``metadata.json``, a CTranslate2 ``model/`` and ``sentencepiece.model``) and runs
through the real CTranslate2 and SentencePiece code. Its weights are not trained but
set by hand so that the model *copies* its input: the output is the input sentence,
or, with ``upper=True``, the input with every letter the tokenizer knows upper-cased.
That makes the output predictable, so tests can check that translation i belongs to
sentence i. The tokenizer has one piece per character: keep test sentences under
1,000 characters.

How the copy works (one encoder and one decoder layer, pre-norm):

- The hidden vector has a token block (one dimension per vocabulary entry) and a
  position block (a random code per position, the same codes in encoder and decoder).
- Encoder embeddings are one-hot in the token block; decoder embeddings are zero, so
  the decoder state at step t holds only the code of position t.
- Every self-attention and feed-forward output projection is zero: those sublayers
  add nothing to the residual stream.
- Cross-attention queries and keys read the position block, scaled up so that step t
  attends (almost) only to source position t; values and output copy the token block.
- The output projection maps token block entry i to vocabulary entry i (or to the
  upper-case piece of i). The source gets ``</s>`` appended (``add_source_eos``), so
  copying it ends the decoding.
"""

import io
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np

# Training text for the tokenizer: every ASCII letter in both cases, digits, common
# punctuation and the German, French, Spanish and Portuguese letters. Characters the
# tokenizer does not know become <unk> and are copied back by CTranslate2's
# replace_unknowns, so any input still round-trips.
_TRAINING_LINES = [
    "The quick brown fox jumps over the lazy dog.",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG!",
    "Pack my box with five dozen liquor jugs?",
    "PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS; SPHINX OF BLACK QUARTZ, JUDGE MY VOW.",
    "Sphinx of black quartz, judge my vow: 0123456789.",
    "Numbers (1, 2, 3) and symbols - / & % $ # @ * + = < > [ ] { } ' \" _ ~ | ^ `",
    "Größe, Übermaß, Ärger, Öl, Straße: ÄÖÜ äöü ß.",
    "Élève, cœur, façade, garçon, naïve: À Â Ç É È Ê Ë Î Ï Ô Ù Û Ü Œ à â ç é è ê ë î ï ô ù û ü œ.",
    "Niño, corazón, acción, ¿qué? ¡sí! Ñ Á Í Ó Ú ñ á í ó ú.",
    "Coração, ação, pão: Ã Õ ã õ.",
]

_SEED = 20240611
_POSITION_DIMS = 64  # size of the position block; random codes this long are near-orthogonal
_MAX_POSITIONS = 1024  # the engine cuts sources to 1024 tokens (one per character here)
_ATTENTION_SHARPNESS = 8.0  # scales queries so the softmax picks one source position
_LOGIT_SCALE = 10.0  # scales the output projection so the copied token wins by far
_NUM_HEADS = 2
_FFN_DIMS = 16


def build_argos_package(
    dest_dir: Path,
    source: str = "en",
    target: str = "de",
    *,
    version: str = "1.0",
    upper: bool = False,
    target_prefix: str = "",
    metadata: dict | None = None,
) -> Path:
    """Write ``translate-<source>_<target>-<version>.argosmodel`` into dest_dir; return its path.

    ``upper``: the model upper-cases what it copies (so a "translation" differs from
    its source). ``target_prefix``: written to metadata.json and made the first token
    the model expects on the target side, as multilingual Argos packages do.
    ``metadata`` entries override the generated metadata.json (tests use it to build
    invalid packages). The zip holds one folder named like the archive.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stem = f"translate-{source}_{target}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as work:
        package = build_package_dir(
            Path(work) / stem,
            source,
            target,
            version=version,
            upper=upper,
            target_prefix=target_prefix,
            metadata=metadata,
        )
        return zip_dir(package, dest_dir / f"{stem}.argosmodel")


def build_package_dir(
    package: Path,
    source: str = "en",
    target: str = "de",
    *,
    version: str = "1.0",
    upper: bool = False,
    target_prefix: str = "",
    metadata: dict | None = None,
) -> Path:
    """Write the unpacked package folder (what an install leaves on disk); return it."""
    package.mkdir(parents=True, exist_ok=True)
    sp_model = _train_tokenizer(target_prefix)
    (package / "sentencepiece.model").write_bytes(sp_model)
    vocabulary = _vocabulary(sp_model)
    prefix_length = 1 if target_prefix else 0
    (package / "model").mkdir(exist_ok=True)
    _copy_model_spec(vocabulary, upper, prefix_length).save(str(package / "model"))
    meta = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        "type": "translate",
        "links": [],
    }
    if target_prefix:
        meta["target_prefix"] = target_prefix
    meta.update(metadata or {})
    (package / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    (package / "README.md").write_text(f"Test package {source} -> {target}.\n", encoding="utf-8")
    return package


def zip_dir(folder: Path, archive: Path) -> Path:
    """Zip folder as ``<folder name>/...`` with fixed timestamps, so builds are byte-identical."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder.parent).as_posix() + ("/" if path.is_dir() else "")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o40755 if path.is_dir() else 0o100644) << 16
            zf.writestr(info, b"" if path.is_dir() else path.read_bytes(), zipfile.ZIP_DEFLATED)
    return archive


def _train_tokenizer(target_prefix: str) -> bytes:
    import sentencepiece as spm

    chars = {c for line in _TRAINING_LINES for c in line if not c.isspace()}
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_TRAINING_LINES),
        model_writer=buf,
        # One piece per character keeps "upper-case each piece" well defined.
        model_type="char",
        vocab_size=len(chars) + 4 + (1 if target_prefix else 0),  # + <unk> <s> </s> ▁
        user_defined_symbols=[target_prefix] if target_prefix else [],
        # No normalisation: the copy model then reproduces its input exactly.
        normalization_rule_name="identity",
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    return buf.getvalue()


def _vocabulary(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _copy_model_spec(vocabulary: list[str], upper: bool, prefix_length: int):
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(_SEED)
    v = len(vocabulary)
    d = -(-(v + _POSITION_DIMS) // (2 * _NUM_HEADS)) * 2 * _NUM_HEADS
    head = d // _NUM_HEADS
    tokens, positions = slice(0, v), slice(v, v + _POSITION_DIMS)

    codes = rng.standard_normal((_MAX_POSITIONS + prefix_length, _POSITION_DIMS))
    codes -= codes.mean(axis=1, keepdims=True)  # layer norm subtracts the mean anyway
    encoder_positions = np.zeros((_MAX_POSITIONS, d))
    encoder_positions[:, positions] = codes[:_MAX_POSITIONS]
    # The decoder reaches source position t after the <s> and prefix tokens: shift its codes.
    decoder_positions = np.zeros((_MAX_POSITIONS + prefix_length, d))
    decoder_positions[prefix_length:, positions] = codes[:_MAX_POSITIONS]

    # Each head's query/key reads the position block; all heads attend alike.
    read_position = np.zeros((d, d))
    for h in range(_NUM_HEADS):
        read_position[h * head : h * head + _POSITION_DIMS, positions] = np.eye(_POSITION_DIMS)
    copy_tokens = np.zeros((d, d))
    copy_tokens[tokens, tokens] = np.eye(v)

    projection = np.zeros((v, d))
    index = {piece: i for i, piece in enumerate(vocabulary)}
    for i, piece in enumerate(vocabulary):
        out = index.get(piece.upper(), i) if upper else i
        projection[out, i] = _LOGIT_SCALE

    spec = TransformerSpec.from_config(num_layers=1, num_heads=_NUM_HEADS)
    spec.config.add_source_eos = True
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = np.eye(v, d)
    enc.position_encodings.encodings = encoder_positions
    dec.embeddings.weight = np.zeros((v, d))
    dec.position_encodings.encodings = decoder_positions
    for layer in (enc.layer[0], dec.layer[0]):
        _silence(layer.self_attention, d, fused=3)
        _silence_ffn(layer.ffn, d)
    cross = dec.layer[0].attention
    _norm(cross.layer_norm, d)
    cross.linear[0].weight = read_position * _ATTENTION_SHARPNESS
    cross.linear[1].weight = np.concatenate([read_position, copy_tokens])  # keys, values
    cross.linear[2].weight = copy_tokens
    _norm(enc.layer_norm, d)
    _norm(dec.layer_norm, d)
    dec.projection.weight = projection
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def _norm(layer_norm, d: int) -> None:
    layer_norm.gamma = np.ones(d)
    layer_norm.beta = np.zeros(d)


def _silence(attention, d: int, fused: int) -> None:
    """An attention sublayer whose output projection is zero: it adds nothing."""
    _norm(attention.layer_norm, d)
    attention.linear[0].weight = np.zeros((fused * d, d))
    attention.linear[1].weight = np.zeros((d, d))


def _silence_ffn(ffn, d: int) -> None:
    _norm(ffn.layer_norm, d)
    ffn.linear_0.weight = np.zeros((_FFN_DIMS, d))
    ffn.linear_1.weight = np.zeros((d, _FFN_DIMS))
