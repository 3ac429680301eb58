"""What Ctrl-C during `transflow translate` says is kept is what is kept, with or without
the translation memory."""

import sqlite3

import pytest
from click.testing import CliRunner

from transflow import engines
from transflow.cli import main

from argos_fixture import build_argos_package
from conftest import EXAMPLE


@pytest.fixture
def ctrl_c_in_pt(project, monkeypatch):
    """de (a test-built package) finishes; Ctrl-C arrives while pt is being translated."""
    package = build_argos_package(project / "pkg", source="en", target="de")
    assert CliRunner().invoke(main, ["models", "install", str(package)]).exit_code == 0
    real = engines.load_engine

    class CtrlC:
        def __init__(self, info):
            self.info = info

        def translate(self, texts):
            raise KeyboardInterrupt

    monkeypatch.setattr(engines, "load_engine",
                        lambda info, jobs=None: CtrlC(info) if info.target == "pt" else real(info, jobs=jobs))
    return project


def translate(*extra):
    return CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "de,pt", "--jobs", "1", *extra])


def test_without_the_memory_the_message_promises_nothing_of_it(ctrl_c_in_pt):
    result = translate("--no-tm")
    assert result.exit_code == 130, result.output
    assert "interrupted: finished de (wrote locales/de/LC_MESSAGES/north-korean-refugees.po); not done: pt" in result.stderr
    assert "translation memory" not in result.stderr
    assert not (ctrl_c_in_pt / ".transflow").exists()
    assert not (ctrl_c_in_pt / "locales/pt").exists()


def test_with_the_memory_it_names_the_languages_whose_drafts_it_holds(ctrl_c_in_pt):
    result = translate()
    assert result.exit_code == 130, result.output
    assert ("not done: pt; the drafts of de are in the translation memory, not those of pt"
            in result.stderr)
    with sqlite3.connect(ctrl_c_in_pt / ".transflow/tm.sqlite") as db:
        langs = {lang for (lang,) in db.execute("SELECT DISTINCT target_lang FROM mt")}
    assert langs == {"de"}


def test_interrupted_before_any_language_finished(project, monkeypatch):
    class CtrlC:
        def __init__(self, info):
            self.info = info

        def translate(self, texts):
            raise KeyboardInterrupt

    monkeypatch.setattr(engines, "load_engine", lambda info, jobs=None: CtrlC(info))
    result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt"])
    assert result.exit_code == 130, result.output
    assert "interrupted: finished no language (wrote nothing); not done: pt" in result.stderr
    assert "translation memory" not in result.stderr
