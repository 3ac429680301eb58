"""`--jobs N` bounds the Argos engine's CTranslate2 threads (inter x intra <= N), the
cores go to parallel sub-batches, and a small batch still makes one per thread."""

import os

import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE

from transflow.cli import main
from transflow.engines import argos, find_model, load_engine
from transflow.engines.argos_install import install_package


@pytest.fixture
def package_dir(tmp_path):
    return argos.package_dir_of(install_package(build_argos_package(tmp_path / "archives", "en", "de")))


@pytest.fixture
def loads(monkeypatch):
    """(inter_threads, intra_threads) of every CTranslate2 translator loaded."""
    seen = []
    real = argos._load_translator

    def recording(package_dir, inter, intra):
        seen.append((inter, intra))
        return real(package_dir, inter, intra)

    monkeypatch.setattr(argos, "_load_translator", recording)
    return seen


@pytest.mark.parametrize("jobs, cpus, expected", [
    (1, 8, (1, 1)), (2, 8, (2, 1)), (3, 2, (3, 1)), (None, 4, (4, 1)), (None, None, (1, 1)),
])
def test_threads_for_jobs(monkeypatch, jobs, cpus, expected):
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert argos.threads(jobs) == expected


def test_explicit_threads_are_kept_within_jobs(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert argos.threads(None, inter_threads=1) == (1, 8)
    assert argos.threads(None, inter_threads=2, intra_threads=2) == (2, 2)
    assert argos.threads(2, inter_threads=4) == (2, 1)
    assert argos.threads(4, inter_threads=1) == (1, 4)
    assert argos.threads(4, inter_threads=2, intra_threads=4) == (2, 2)
    for jobs in range(1, 10):
        inter, intra = argos.threads(jobs, inter_threads=3, intra_threads=3)
        assert inter * intra <= jobs


@pytest.mark.parametrize("jobs", [1, 2])
def test_translate_jobs_bounds_the_engine_threads(project, package_dir, loads, jobs):
    result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "de", "--engine", "argos", "--no-tm",
                                       "--jobs", str(jobs)])
    assert result.exit_code == 0, result.output
    assert loads == [(jobs, 1)]


def test_load_engine_without_jobs_uses_every_core_for_sub_batches(package_dir, loads, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    engine = load_engine(find_model("en", "de", engine="argos"))
    assert loads == [(2, 1)] and (engine.inter_threads, engine.intra_threads) == (2, 1)


class Spy:
    def __init__(self, real):
        self.real, self.sizes = real, []

    def translate_batch(self, tokens, **options):
        self.sizes.append(options["max_batch_size"])
        return self.real.translate_batch(tokens, **options)


def test_a_small_batch_is_cut_into_a_sub_batch_per_inter_thread(package_dir):
    texts = [f"Sentence {i} of a short article." for i in range(6)]  # ~30 tokens each: one char, one token
    engine = argos.ArgosEngine(package_dir, jobs=2)
    spy = engine._translator = Spy(engine._translator)
    assert engine.translate(texts) == texts
    tokens = sum(len(engine._encode(t)) for t in texts)
    assert spy.sizes == [-(-tokens // 2)] and spy.sizes[0] < argos.MAX_BATCH_TOKENS
    long = [f"A sentence of the long article, number {i}, with some words in it." for i in range(60)]
    assert engine.translate(long) == long
    assert spy.sizes[-1] == argos.MAX_BATCH_TOKENS  # plenty of sub-batches: the measured size
    single = argos.ArgosEngine(package_dir, jobs=1)
    single._translator = spy
    assert single.translate(texts) == texts and spy.sizes[-1] == min(argos.MAX_BATCH_TOKENS, tokens)
