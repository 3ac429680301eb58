"""What a newcomer meets first: each mistake is one line on stderr with its remedy."""

import socket

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from transflow.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def one_line(result, code=2) -> str:
    assert result.exit_code == code, (result.output, result.exception)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("transflow: error: ")
    return line


def test_a_broken_project_file_gives_line_and_column(project):
    (project / "transflow.yaml").write_text("targets: [pt, de]\nsource: en\narticles: [a.txt\n", encoding="utf-8")
    for args in (["translate", EXAMPLE.name, "--to", "pt"], ["status"]):
        line = one_line(run(*args))
        assert f"{project / 'transflow.yaml'}:4: YAML syntax error at column 1: " in line, line


def test_status_without_locales_says_so_like_check(project):
    line = one_line(run("status"))
    assert line == ("transflow: error: locales: no such folder; run `transflow translate ARTICLE --to LANG` "
                    "first, or pass --locales FOLDER")
    one_line(run("check"))  # the same exit code for the same mistake


@pytest.mark.parametrize("target,remedy", [
    ("es", "`apt install apertium apertium-eng-spa` installs Debian's pair"),
    ("pt", "Debian packages no Apertium pair for en-pt (`apt-cache search apertium-` lists those it has)"),
])
def test_a_missing_apertium_pair_names_the_debian_package(project, target, remedy):
    # The tests' TRANSFLOW_APERTIUM_DIR holds no pair.
    line = one_line(run("translate", EXAMPLE.name, "--to", target, "--engine", "apertium", "--no-tm"))
    assert remedy in line and "models download" not in line, line


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 nothing listens on: a connection there is refused, as offline."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("args", [["models", "available", "--engine", "argos"], ["models", "download", "en", "ko"]])
def test_offline_model_commands_point_to_a_folder(project, monkeypatch, closed_port, args):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{closed_port}/")
    line = one_line(run(*args), code=1)
    assert "cannot download the Argos package index" in line
    assert "`transflow models install FOLDER`" in line and "--index FOLDER" in line, line


def test_offline_firefox_models_point_to_a_mirror(project, monkeypatch, closed_port):
    monkeypatch.setenv("FXTRANSLATE_RECORDS_URL", f"http://127.0.0.1:{closed_port}/records.json")
    line = one_line(run("models", "download", "en", "de", "--engine", "bergamot"), code=1)
    assert "FXTRANSLATE_RECORDS_URL" in line and "TRANSFLOW_BERGAMOT_ATTACHMENTS_URL" in line, line


def test_build_help_names_no_argument_it_does_not_take():
    text = run("build", "--help").output
    assert "build [OPTIONS] ARTICLE\n" in text
    assert "LANG" not in text.replace("--to", "")


def test_translate_from_a_subfolder_prints_paths_relative_to_it(project, monkeypatch):
    (project / "transflow.yaml").write_text(f"targets: [pt]\narticles: [{EXAMPLE.name}]\n", encoding="utf-8")
    (project / "notes").mkdir()
    monkeypatch.chdir(project / "notes")
    result = run("translate", "--no-tm")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("../locales/pt/LC_MESSAGES/north-korean-refugees.po: written;"), result.stderr
    assert str(project) not in result.stderr
