"""Regional variants: pt, pt_BR and pt_PT from one model are one MT pass, each variant
gets its own glossary renderings, and a variant without a model of its own is told
which model serves it."""

import functools

import polib
import pytest
from click.testing import CliRunner

from transflow import pipeline
from transflow.cli import main
from transflow.engines import bergamot, find_model, get_engine, variants
from transflow.engines.base import ModelInfo
from transflow.glossary import load

# Sentences whose Brazilian and European Portuguese differ in a word or a construction.
PROBES = [
    "I took the bus to the train station.",
    "She lost her cell phone on the train.",
    "Save the file before you close the screen.",
    "We are doing our homework right now.",
    "The user must register before using the app.",
    "We had breakfast at the hotel.",
    "I bought ice cream at the supermarket.",
    "They are waiting for the bus.",
]
BRAZILIAN = ["ônibus", "trem", "celular", "arquivo", "tela", "fazendo", "usuário", "café da manhã", "sorvete", "esperando"]
EUROPEAN = ["autocarro", "comboio", "telemóvel", "ficheiro", "ecrã", "a fazer", "utilizador", "pequeno-almoço", "gelado", "à espera"]


def test_the_embedded_model_writes_brazilian_portuguese():
    out = " ".join(get_engine("en", "pt", "bergamot").translate(PROBES)).lower()
    brazilian = [w for w in BRAZILIAN if w in out]
    assert len(brazilian) >= 8, out
    assert not [w for w in EUROPEAN if w in out], out
    assert variants.written_variant(find_model("en", "pt", "bergamot")) == "pt_BR"


ARTICLE = """Buses return to the valley

The bus company restored its morning service on Monday. Passengers said the bus was late but full.

A second bus will run from next week, the company said.
"""

GLOSSARY = """source_language: en
terms:
  - id: bus
    source: bus
    pos: noun
    translations:
      pt: {preferred: ônibus}
      pt_PT: {preferred: autocarro}
"""


@pytest.fixture
def article(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "buses.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "transport.yaml").write_text(GLOSSARY, encoding="utf-8")
    return tmp_path


@pytest.fixture
def sent(monkeypatch):
    """Every text the real Bergamot engine is asked to translate (it still translates them)."""
    texts = []
    real = bergamot.BergamotEngine.translate

    @functools.wraps(real)
    def spy(self, batch, *args, **kwargs):
        texts.extend(batch)
        return real(self, batch, *args, **kwargs)

    monkeypatch.setattr(bergamot.BergamotEngine, "translate", spy)
    return texts


def _drafts(path):
    return {e.msgid: e.msgstr for e in polib.pofile(str(path))}


def test_variants_one_model_serves_are_translated_once(article, sent):
    heard = []
    outcomes = pipeline.translate([article / "buses.txt"], ["pt", "pt_BR"], glossary=load(article / "glossary"),
                                  locales=article / "locales", notify=lambda *line: heard.append(line))
    assert [o.translated for o in outcomes] == [4, 4]
    assert len(sent) == len(set(sent))  # no text twice: one MT pass for both variants
    pt, br = (_drafts(article / "locales" / lang / "LC_MESSAGES" / "buses.po") for lang in ("pt", "pt_BR"))
    assert pt == br and all(pt.values())
    assert heard == [("note", "pt, pt_BR: one model (bergamot:enpt-1693087644) translates each sentence once for "
                               "all 2; each gets its own glossary renderings")]


def test_european_portuguese_gets_its_own_terms_and_a_warning(article, sent):
    runner = CliRunner()
    result = runner.invoke(main, ["translate", "buses.txt", "--to", "pt_BR,pt_PT", "--no-tm"])
    assert result.exit_code == 0, result.output
    assert ("transflow: warning: pt_PT: no Portuguese (Portugal) model; using bergamot:enpt-1693087644, which writes "
            "Portuguese (Brazil): review the drafts for Portuguese (Portugal) usage") in result.stderr
    br = _drafts(article / "locales" / "pt_BR" / "LC_MESSAGES" / "buses.po")
    pt_pt = _drafts(article / "locales" / "pt_PT" / "LC_MESSAGES" / "buses.po")
    sentence = "A second bus will run from next week, the company said."
    assert "ônibus" in br[sentence] and "autocarro" not in br[sentence]
    assert "autocarro" in pt_pt[sentence] and "ônibus" not in pt_pt[sentence]
    # The variants' sentences went to the model once; only pt_PT's own glossary probes are extra.
    assert sent.count(sentence) == 1


def test_notes_name_the_model_a_variant_gets():
    german = ModelInfo("argos", "en", "de", "argos:translate-en_de-1.0", "test")
    brazilian = ModelInfo("bergamot", "en", "pt", "bergamot:enpt-1", "test")
    assert variants.notes({"de_AT": german, "pt_BR": brazilian}) == [
        ("note", "de_AT: no German (AT) model; using argos:translate-en_de-1.0 (German)"),
    ]
    assert variants.notes({"pt": brazilian, "de": german}) == []
