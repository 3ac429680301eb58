"""The Argos engine on a tiny package built by the tests (see argos_fixture)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from argos_fixture import build_argos_package, build_package_dir

from transflow.engines import argos, find_model, load_engine
from transflow.engines.argos import ArgosEngine, installed_packages
from transflow.engines.argos_install import install_package
from transflow.engines.base import ModelInfo
from transflow.errors import PackageError

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Größe ist 42 % — ça va?",
    "",
    "snake_case_name and __dunder__ keep their underscores.",
    "Numbers: 1, 2, 3.",
    "   ",
    "안녕하세요, world!",
    "A second sentence, longer than the first one by quite a few characters.",
    "x",
    "Last one.",
]


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """Package folders and a home under tmp_path: nothing touches the real home."""
    home = tmp_path / "home"
    paths = {
        "transflow": tmp_path / "transflow-packages",
        "argos": tmp_path / "argos-packages",
        "archives": tmp_path / "archives",
    }
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("TRANSFLOW_ARGOS_DIR", str(paths["transflow"]))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(paths["argos"]))
    paths["argos"].mkdir()
    return paths


def install(dirs, **kwargs) -> Path:
    info = install_package(build_argos_package(dirs["archives"], **kwargs))
    return Path(info.origin)


class Spy:
    """Forwards to the real CTranslate2 translator and records each translate_batch call."""

    def __init__(self, real):
        self.real = real
        self.calls = []

    def translate_batch(self, tokens, **options):
        self.calls.append(len(tokens))
        return self.real.translate_batch(tokens, **options)


def spied_engine(package_dir: Path) -> tuple[ArgosEngine, Spy]:
    engine = ArgosEngine(package_dir)
    spy = engine._translator = Spy(engine._translator)
    return engine, spy


def test_installed_package_is_listed_with_its_pair(dirs):
    package_dir = install(dirs, source="en", target="ko", version="1.2")
    assert installed_packages() == [
        ModelInfo("argos", "en", "ko", "argos:translate-en_ko-1.2", str(package_dir))
    ]
    assert package_dir.parent == dirs["transflow"]


def test_argostranslate_packages_are_listed_after_ours(dirs):
    ours = install(dirs, source="en", target="de")
    theirs = build_package_dir(dirs["argos"] / "translate-en_ko-1_1", "en", "ko", version="1.1")
    # Not listed: a sentence-splitting package, a broken folder, an install in progress.
    build_package_dir(dirs["argos"] / "sbd", metadata={"type": "sbd"})
    (dirs["argos"] / "broken").mkdir()
    (dirs["argos"] / "broken" / "metadata.json").write_text("{")
    build_package_dir(dirs["argos"] / ".install-123", "en", "fr")

    listed = [(i.source, i.target, i.origin) for i in installed_packages()]
    assert listed == [("en", "de", str(ours)), ("en", "ko", str(theirs))]


def test_a_folder_shared_by_both_is_listed_once(dirs, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(dirs["transflow"]))
    install(dirs)
    assert len(installed_packages()) == 1


def test_default_folder_is_under_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.delenv("TRANSFLOW_ARGOS_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert argos.default_packages_dir() == tmp_path / "transflow" / "argos-packages"


def test_translates_a_batch_in_order_with_one_model_call(dirs):
    engine, spy = spied_engine(install(dirs))
    out = engine.translate(SENTENCES)
    # The test model copies its input, so each output shows where it came from.
    assert out == [s.strip() for s in SENTENCES]
    assert spy.calls == [len([s for s in SENTENCES if s.strip()])]
    assert engine.translate(SENTENCES) == out


def test_output_is_not_the_input_when_the_model_says_so(dirs):
    engine = ArgosEngine(install(dirs, upper=True))
    assert engine.translate(["Hello, world.", "", "snake_case"]) == ["HELLO, WORLD.", "", "SNAKE_CASE"]


def test_target_prefix_is_forced_and_removed(dirs):
    package_dir = install(dirs, target="ko", target_prefix="__ko__")
    engine, spy = spied_engine(package_dir)
    assert engine.translate(["Hello.", "World!"]) == ["Hello.", "World!"]
    assert spy.calls == [2]


def test_only_empty_texts_do_not_reach_the_model(dirs):
    engine, spy = spied_engine(install(dirs))
    assert engine.translate(["", " \n"]) == ["", ""]
    assert engine.translate([]) == []
    assert spy.calls == []


def test_engine_info_matches_the_listing(dirs):
    package_dir = install(dirs)
    assert ArgosEngine(package_dir).info == installed_packages()[0]


def test_engine_discovery_finds_and_loads_the_package(dirs):
    install(dirs, source="en", target="de")
    info = find_model("en", "de", engine="argos")
    assert info.model_id == "argos:translate-en_de-1.0"
    assert load_engine(info, jobs=2).translate(["Good."]) == ["Good."]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: (p / "metadata.json").unlink(), "no metadata.json"),
        (lambda p: (p / "metadata.json").write_text("[1, 2"), "not valid JSON"),
        (lambda p: (p / "model" / "model.bin").unlink(), "model/model.bin is missing"),
        (lambda p: (p / "model" / "model.bin").write_bytes(b"garbage"), "cannot load the CTranslate2 model"),
        (lambda p: (p / "sentencepiece.model").write_bytes(b"garbage"), "cannot load the tokenizer"),
        (lambda p: (p / "sentencepiece.model").unlink(), "no tokenizer"),
    ],
)
def test_broken_package_dir_raises_package_error(tmp_path, damage, message):
    package_dir = build_package_dir(tmp_path / "pkg")
    damage(package_dir)
    with pytest.raises(PackageError, match=message):
        ArgosEngine(package_dir)


def test_listing_does_not_import_argostranslate_or_ctranslate2(dirs):
    install(dirs)
    code = (
        "import sys\n"
        "from transflow.engines.argos import installed_packages\n"
        "assert installed_packages(), 'package not listed'\n"
        "loaded = [m for m in ('argostranslate', 'ctranslate2') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_argostranslate_settings_file_is_honoured(dirs, monkeypatch, tmp_path):
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    settings = tmp_path / "home" / "config" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "elsewhere")}))
    assert argos.argos_packages_dir() == tmp_path / "elsewhere"
    settings.unlink()
    assert argos.argos_packages_dir() == tmp_path / "home" / "data" / "argos-translate" / "packages"


def test_package_copied_by_hand_into_argos_dir_translates(dirs):
    built = build_package_dir(dirs["archives"] / "pkg", "en", "pt")
    shutil.copytree(built, dirs["argos"] / "translate-en_pt-1_0")
    (info,) = installed_packages()
    assert ArgosEngine(argos.package_dir_of(info)).translate(["Olá."]) == ["Olá."]
