"""Apertium as a third engine, with Debian's apertium-eng-spa (CI installs it)."""

import re
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import msgfmt_check, requires_gettext
from system_tools import requires

from transflow import engines
from transflow.cli import main
from transflow.engines import apertium

SYSTEM = Path("/usr/share/apertium")
pytestmark = requires("apertium", "/usr/share/apertium/modes/eng-spa.mode")


@pytest.fixture(autouse=True)
def system_apertium(monkeypatch, tmp_path_factory):
    """The system's English-Spanish pair alone: other installed pairs (a machine with
    apertium-es-pt has pt->es directly) would change which route auto takes."""
    only = tmp_path_factory.mktemp("apertium")
    (only / "modes").mkdir()
    for mode in (SYSTEM / "modes").glob("*.mode"):
        if mode.stem.split("-")[0] in ("eng", "spa") and "spa" in mode.stem and "eng" in mode.stem:
            (only / "modes" / mode.name).symlink_to(mode)
    for data in SYSTEM.glob("apertium-eng-spa*"):
        (only / data.name).symlink_to(data)
    monkeypatch.setenv("TRANSFLOW_APERTIUM_DIR", str(only))


def test_installed_directions_with_iso_639_1_codes():
    pairs = {(i.source, i.target): i for i, _ in apertium.installed()}
    assert {("en", "es"), ("es", "en"), ("es", "en_US")} <= set(pairs)
    assert re.fullmatch(r"apertium:eng-spa-\d\S*", pairs["en", "es"].model_id)
    result = CliRunner().invoke(main, ["models", "list"])
    assert re.search(r"^apertium +en->es +apertium:eng-spa-", result.stdout, re.M)


def test_one_translation_per_text_in_order():
    engine = engines.get_engine("en", "es")
    assert engine.info.engine == "apertium"
    texts = [
        "The refugees crossed the border at night.",
        "",
        "A line without a full stop",  # must not run into the next text
        "after the blank line",
        "Price: $5 ^ \\ @ * # <b>bold</b> {curly} [1]link[/1]",
        "The government\nrefused the request.",
    ]
    out = engine.translate(texts)
    assert len(out) == len(texts) and out[1] == ""
    assert "refugiados" in out[0]
    assert "sin" in out[2] and "\n" not in "".join(out)
    assert "$5" in out[4] and "[1]" in out[4] and "[/1]" in out[4]
    assert "gobierno" in out[5].lower()


@requires_gettext
def test_translate_to_spanish_with_apertium(project):
    result = CliRunner().invoke(main, ["translate", "north-korean-refugees.txt", "--to", "es", "--engine", "apertium", "--no-tm"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = project / "locales" / "es" / "LC_MESSAGES" / "north-korean-refugees.po"
    msgfmt_check(path)
    po = polib.pofile(str(path))
    entries = [e for e in po if e.msgid]
    assert entries and all(e.msgstr for e in entries)
    assert all(any(line.startswith("mt: apertium:eng-spa-") for line in e.comment.splitlines()) for e in entries)


def test_auto_prefers_neural_then_apertium_then_a_pivot():
    assert engines.find_model("en", "es").engine == "apertium"
    # pt->es: nothing direct, so the embedded pt->en model, then Apertium's en->es.
    info = engines.find_model("pt", "es")
    assert info.engine == "pivot"
    assert re.fullmatch(r"bergamot:pten-\d+ \+ apertium:eng-spa-\S+ \(pivot via en\)", info.model_id)
    engine = engines.load_engine(info, jobs=1)
    try:
        (out,) = engine.translate(["Os refugiados atravessaram a fronteira."])
        assert "refugiados" in out.lower()
    finally:
        engine.close()
