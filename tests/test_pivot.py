"""Pivoting: pt->ko with no pt->ko model goes through English, with the embedded pt->en
Bergamot model and a synthetic en->ko Argos package, and the PO file says so."""

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import msgfmt_check, requires_gettext

from transflow import engines
from transflow.cli import main
from transflow.engines import bergamot
from transflow.engines.argos_install import install_package
from transflow.engines.pivot import PivotEngine, PivotInfo
from transflow.errors import ModelNotFound

ARTICLE = """Os refugiados atravessaram a fronteira durante a noite.

O governo recusou o pedido de asilo.
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pivot-packages")
    # upper=True: the second leg visibly changes what the first one wrote.
    return {
        "en_ko": build_argos_package(folder, "en", "ko", upper=True),
        "pt_ko": build_argos_package(folder, "pt", "ko"),
    }


def pten() -> str:
    return next(info.model_id for info, _ in bergamot.embedded_models() if (info.source, info.target) == ("pt", "en"))


def test_no_direct_model_means_a_pivot_through_english(packages):
    with pytest.raises(ModelNotFound, match="directly or through English"):
        engines.find_model("pt", "ko")
    install_package(packages["en_ko"])
    info = engines.find_model("pt", "ko")
    assert isinstance(info, PivotInfo)
    assert (info.engine, info.source, info.target) == ("pivot", "pt", "ko")
    assert info.model_id == f"{pten()} + argos:translate-en_ko-1.0 (pivot via en)"
    assert [leg.model_id for leg in info.legs] == [pten(), "argos:translate-en_ko-1.0"]
    # A regional variant takes its language's models, as for direct pairs.
    assert engines.find_model("pt_BR", "ko").model_id == info.model_id
    # English at either end never pivots.
    with pytest.raises(ModelNotFound):
        engines.find_model("en", "ja")
    # One engine asked for: both legs must be of it.
    with pytest.raises(ModelNotFound):
        engines.find_model("pt", "ko", engine="argos")


def test_a_direct_model_wins_over_a_pivot(packages):
    install_package(packages["en_ko"])
    install_package(packages["pt_ko"])
    assert engines.find_model("pt", "ko").model_id == "argos:translate-pt_ko-1.0"


def test_pivot_engine_chains_both_models(packages):
    install_package(packages["en_ko"])
    engine = engines.get_engine("pt", "ko", jobs=1)
    try:
        assert isinstance(engine, PivotEngine)
        texts = ["Os refugiados atravessaram a fronteira.", "", "   ", "O governo recusou."]
        english = engine.first.translate(texts)
        assert english[0].startswith("The refugees")
        assert engine.translate(texts) == [english[0].upper(), "", "", english[3].upper()]
    finally:
        engine.close()


@requires_gettext
def test_translate_pt_to_ko_names_both_models(packages, tmp_path, monkeypatch):
    install_package(packages["en_ko"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "artigo.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "artigo.txt", "--from", "pt", "--to", "ko", "--no-tm"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = tmp_path / "locales" / "ko" / "LC_MESSAGES" / "artigo.po"
    msgfmt_check(path)
    po = polib.pofile(str(path))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    entries = [e for e in po if e.msgid]
    assert len(entries) == 2
    expected = f"mt: {pten()} + argos:translate-en_ko-1.0 (pivot via en)"
    for entry in entries:
        assert expected in entry.comment.splitlines()
        assert "fuzzy" in entry.flags
        # The en->ko leg upper-cases the English the pt->en model wrote.
        assert entry.msgstr and entry.msgstr == entry.msgstr.upper() and entry.msgstr != entry.msgid.upper()
    assert "REFUGEES" in entries[0].msgstr
    assert "pivot via en" in result.stderr
