"""How an Argos engine should spend its cores: CTranslate2 inter_threads x intra_threads.

    .venv/bin/python benchmarks/argos_threads.py                 # copy package, 500 units
    .venv/bin/python benchmarks/argos_threads.py --base 40       # also transformer-base size, 40 units
    .venv/bin/python benchmarks/argos_threads.py --units 15      # a short article

Each setting translates the same distinct units of the generated 20,000-word article
through ReportingEngine (the batches `transflow translate` sends), settings taken in
turns, wall and CPU seconds, best and median of the rounds. Two packages:

- the tests' copy package (tests/argos_fixture.py): one layer, one token per
  character, tiny matrices: it measures threading overhead more than arithmetic;
- with --base, a package of transformer-base size (6+6 layers, d 512, 8 heads,
  FFN 2048, 32,000-entry vocabulary) with random weights: its output is noise and
  runs to the decoding limit, but its matrix products are a real package's.

"fixed" settings send CTranslate2 MAX_BATCH_TOKENS sub-batches whatever the batch
size, as before ArgosEngine cut small batches into one sub-batch per inter thread.
Not a test: run it on a quiet machine.
"""

import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]


def copy_package(work: Path) -> Path:
    from argos_fixture import build_argos_package

    archive = build_argos_package(work / "copy", source="en", target="de")
    with zipfile.ZipFile(archive) as z:
        z.extractall(work / "copy")
    return work / "copy" / archive.stem


def base_package(work: Path, text: str, d=512, heads=8, ffn=2048, layers=6, vocab_size=32_000) -> Path:
    import sentencepiece as spm
    from ctranslate2.specs import TransformerSpec

    out = work / "base"
    out.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(text.splitlines()), model_writer=buf, vocab_size=690,
                                   model_type="unigram", minloglevel=2, num_threads=1)
    (out / "sentencepiece.model").write_bytes(buf.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab += [f"<x{i}>" for i in range(vocab_size - len(vocab))]
    rng = np.random.default_rng(1)

    def rand(*shape):
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    def norm(ln):
        ln.gamma, ln.beta = np.ones(d, np.float32), np.zeros(d, np.float32)

    def attention(a, fused):
        norm(a.layer_norm)
        for i, n in enumerate(fused):
            a.linear[i].weight, a.linear[i].bias = rand(n * d, d), np.zeros(n * d, np.float32)

    def feed_forward(f):
        norm(f.layer_norm)
        f.linear_0.weight, f.linear_0.bias = rand(ffn, d), np.zeros(ffn, np.float32)
        f.linear_1.weight, f.linear_1.bias = rand(d, ffn), np.zeros(d, np.float32)

    spec = TransformerSpec.from_config(num_layers=layers, num_heads=heads)
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight, dec.embeddings.weight = rand(vocab_size, d), rand(vocab_size, d)
    enc.position_encodings.encodings, dec.position_encodings.encodings = rand(1024, d), rand(1024, d)
    for layer in enc.layer:
        attention(layer.self_attention, (3, 1))
        feed_forward(layer.ffn)
    for layer in dec.layer:
        attention(layer.self_attention, (3, 1))
        attention(layer.attention, (1, 2, 1))
        feed_forward(layer.ffn)
    norm(enc.layer_norm)
    norm(dec.layer_norm)
    dec.projection.weight, dec.projection.bias = rand(vocab_size, d), np.zeros(vocab_size, np.float32)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    (out / "model").mkdir(exist_ok=True)
    spec.save(str(out / "model"))
    (out / "metadata.json").write_text(json.dumps(
        {"package_version": "1.0", "from_code": "en", "to_code": "de", "type": "translate"}))
    return out


def sweep(package: Path, units: list[str], settings, rounds: int, label: str) -> None:
    from transflow.engines import argos
    from transflow.progress import ReportingEngine

    engines = {}
    for inter, intra, fixed in settings:
        engine = argos.ArgosEngine(package, inter_threads=inter, intra_threads=intra)
        if fixed:
            engine._batch_tokens = lambda tokens: argos.MAX_BATCH_TOKENS
        engine.translate(units[:4])  # warm
        engines[(inter, intra, fixed)] = engine
    times = {key: [] for key in engines}
    for _ in range(rounds):
        for key, engine in engines.items():
            wall, cpu = time.perf_counter(), time.process_time()
            ReportingEngine(engine, "de", len(units), threading.Event()).translate(units)
            times[key].append((time.perf_counter() - wall, time.process_time() - cpu))
    for (inter, intra, fixed), rows in times.items():
        walls, cpus = [w for w, _ in rows], [c for _, c in rows]
        print(f"{label}, {len(units)} units, inter {inter} x intra {intra}{' fixed' if fixed else ''}: "
              f"wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
              f"CPU median {statistics.median(cpus):.2f} s", flush=True)


def main(argv) -> int:
    import run

    from transflow import readers, segment

    def option(name, default):
        return int(argv[argv.index(name) + 1]) if name in argv else default

    cores = os.cpu_count() or 1
    n, rounds = option("--units", 500), option("--rounds", 3)
    settings = [(1, 1, False), (1, cores, False), (cores, 1, False), (cores, 1, True), (2 * cores, 1, False)]
    print(f"{cores} cores, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="transflow-threads-") as work:
        work = Path(work)
        article = work / "article.txt"
        article.write_text(run.generate_article(), encoding="utf-8")
        units = list(dict.fromkeys(u.text for u in segment.segment(readers.read(article), "en")))
        sweep(copy_package(work), units[:n], settings, rounds, "copy package")
        if "--base" in argv:
            base_n = option("--base", 40)
            sweep(base_package(work, article.read_text(encoding="utf-8")), units[:base_n],
                  settings[:4], option("--base-rounds", 1), "transformer-base size")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
