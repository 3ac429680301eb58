"""The up-to-date shortcut: an unchanged re-run answers from its record, and any change
to what the run reads or wrote sends it down the full path again."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transflow import uptodate

ARTICLE = "Refugees crossed the border. The defector spoke to the press.\n"
PO = Path("locales/pt/LC_MESSAGES/story.po")
SHORTCUT = "nothing changed since the last run"


def run(*args, cwd):
    """The installed program as a user starts it (console.py, not cli.py)."""
    result = subprocess.run([sys.executable, "-m", "transflow", *args], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.fixture
def desk(project):
    (project / "story.txt").write_text(ARTICLE, encoding="utf-8")
    first = run("translate", "story.txt", "--to", "pt", "--no-tm", cwd=project)
    assert "2 new MT drafts" in first
    return project


def again(desk):
    return run("translate", "story.txt", "--to", "pt", "--no-tm", cwd=desk)


def test_unchanged_rerun_takes_the_shortcut_and_touches_nothing(desk):
    before = (desk / PO).stat().st_mtime_ns, (desk / PO).read_bytes()
    assert SHORTCUT in again(desk)
    assert ((desk / PO).stat().st_mtime_ns, (desk / PO).read_bytes()) == before


def test_the_shortcut_imports_neither_the_cli_nor_openssl(desk):
    """A warm re-run is a Python start-up plus hashing (~20 ms): click, the pipeline or
    hashlib's OpenSSL (2-4 ms to load) would be a large part of it."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "transflow", "translate", "story.txt",
                             "--to", "pt", "--no-tm"], cwd=desk, capture_output=True, text=True)
    assert result.returncode == 0 and SHORTCUT in result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "transflow.uptodate" in imported
    assert not imported & {"click", "transflow.cli", "transflow.pipeline", "_hashlib", "hashlib", "json", "pathlib"}


def test_quiet_shortcut_prints_nothing(desk):
    run("translate", "story.txt", "--to", "pt", "--no-tm", "-q", cwd=desk)
    assert run("translate", "story.txt", "--to", "pt", "--no-tm", "-q", cwd=desk) == ""


def edit_article(desk):
    (desk / "story.txt").write_text(ARTICLE + "\nA new sentence was added.\n", encoding="utf-8")


def edit_po(desk):
    po = desk / PO
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("#, fuzzy\n", "", 1), encoding="utf-8")  # a translator approves one entry


def edit_glossary(desk):
    path = desk / "glossary" / "refugee-protection.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# reviewed by the desk\n", encoding="utf-8")


def add_glossary_file(desk):
    (desk / "glossary" / "extra.yaml").write_text("terms: []\n", encoding="utf-8")


def add_project_file(desk):
    (desk / "transflow.yaml").write_text("skip_patterns: ['^Advertisement$']\n", encoding="utf-8")


def delete_po(desk):
    (desk / PO).unlink()


@pytest.mark.parametrize("change", [edit_article, edit_po, edit_glossary, add_glossary_file, add_project_file, delete_po])
def test_any_change_to_an_input_or_output_runs_in_full(desk, change):
    change(desk)
    out = again(desk)
    assert SHORTCUT not in out and "new MT drafts" in out
    assert SHORTCUT in again(desk)  # and that full run is recorded in its turn


def test_a_translator_edit_survives_and_is_then_up_to_date(desk):
    po = desk / PO
    text = po.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and line != 'msgstr ""\n')
    lines[i] = 'msgstr "Tradução revista."\n'
    po.write_text("".join(lines), encoding="utf-8")
    assert SHORTCUT not in again(desk)
    assert 'msgstr "Tradução revista."' in po.read_text(encoding="utf-8")
    assert SHORTCUT in again(desk)


def test_other_options_are_another_run(desk):
    out = run("translate", "story.txt", "--to", "pt", cwd=desk)  # with the TM this time
    assert SHORTCUT not in out


def test_help_is_never_answered_from_a_record(desk):
    out = subprocess.run([sys.executable, "-m", "transflow", "translate", "story.txt", "--to", "pt", "--no-tm", "--help"],
                         cwd=desk, capture_output=True, text=True)
    assert "Usage:" in out.stdout


def test_key_depends_on_environment_and_folder(tmp_path, monkeypatch):
    argv = ["translate", "a.txt", "--to", "pt"]
    base = uptodate.key(argv, tmp_path)
    assert uptodate.key(argv, tmp_path / "other") != base
    monkeypatch.setenv("TRANSFLOW_ARGOS_DIR", str(tmp_path / "elsewhere"))
    assert uptodate.key(argv, tmp_path) != base


def test_a_record_whose_output_is_missing_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    uptodate.record(["translate", "a.txt"], tmp_path, files=["a.txt"], folders=[], outputs=["missing.po"], summary=["s"])
    assert uptodate.check(["translate", "a.txt"], tmp_path) is None
    (tmp_path / "out.po").write_text("po", encoding="utf-8")
    uptodate.record(["translate", "a.txt"], tmp_path, files=["a.txt"], folders=[], outputs=["out.po"], summary=["s"])
    assert uptodate.check(["translate", "a.txt"], tmp_path) == ["s"]


def test_a_damaged_record_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.po").write_text("po", encoding="utf-8")
    uptodate.record(["translate"], tmp_path, files=[], folders=[], outputs=["out.po"], summary=["s"])
    (record,) = Path(uptodate.records_dir()).iterdir()
    record.write_bytes(b"\x00garbage")
    assert uptodate.check(["translate"], tmp_path) is None


def test_in_process_runs_leave_no_record(project):
    from click.testing import CliRunner

    from transflow.cli import main

    (project / "story.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "story.txt", "--to", "pt", "--no-tm"])
    assert result.exit_code == 0, result.output
    assert not os.path.isdir(uptodate.records_dir())


def test_old_records_and_killed_writes_are_pruned_and_a_replay_keeps_its_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out.po").write_text("po", encoding="utf-8")
    uptodate.record(["translate", "a"], tmp_path, files=[], folders=[], outputs=["out.po"], summary=["a"])
    uptodate.record(["translate", "b"], tmp_path, files=[], folders=[], outputs=["out.po"], summary=["b"])
    folder = Path(uptodate.records_dir())
    a, b = (Path(uptodate._record_path(["translate", x], tmp_path)) for x in "ab")
    killed = folder / (b.name + ".4242.tmp")
    killed.write_bytes(b"half a rec")
    half_year_ago = time.time() - 180 * 24 * 3600
    for path in (a, b, killed):
        os.utime(path, (half_year_ago, half_year_ago))

    assert uptodate.check(["translate", "a"], tmp_path) == ["a"]  # replayed: in use again
    (tmp_path / "c.txt").write_text("c", encoding="utf-8")
    uptodate.record(["translate", "c"], tmp_path, files=["c.txt"], folders=[], outputs=["out.po"], summary=["c"])

    c = Path(uptodate._record_path(["translate", "c"], tmp_path))
    assert sorted(p.name for p in folder.iterdir()) == sorted([a.name, c.name])
    assert uptodate.check(["translate", "b"], tmp_path) is None
    # A temporary of a write under way (recent) is left alone.
    fresh = folder / "x.marshal.99.tmp"
    fresh.write_bytes(b"")
    uptodate.prune(folder)
    assert fresh.exists()
