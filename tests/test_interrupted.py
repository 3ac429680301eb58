"""What Ctrl-C during `transflow translate` says is kept is what is kept, with or without
the translation memory."""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE

from transflow import engines, stopping
from transflow.cli import main


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


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stopped_in_the_middle(folder: Path, signum: int, exit_code: int) -> tuple[list, dict, int]:
    """translate of a 300-sentence article stopped by ``signum`` while the model works:
    it exits ``exit_code`` having kept some of the sentences in the memory, and writes
    no PO file. Returns the command, its environment and how many were kept."""
    sentences = [f"Reporter {i} counted {i + 3} new arrivals at the shelter that week." for i in range(300)]
    article = folder / "long.txt"
    article.write_text("\n\n".join(" ".join(sentences[i:i + 3]) for i in range(0, 300, 3)) + "\n", encoding="utf-8")
    (folder / "glossary").mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    cmd = [sys.executable, "-m", "transflow", "translate", "long.txt", "--to", "pt", "--jobs", "2", "--tm", "tm.sqlite"]
    run = subprocess.Popen(cmd, cwd=folder, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _cpu_seconds(run.pid) < 2.0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # start-up and loading take well under a CPU second: the model is busy now
    run.send_signal(signum)
    stderr = run.communicate(timeout=120)[1]
    assert run.returncode == exit_code, stderr
    assert stderr.count("\n") == 1, stderr  # one line
    kept = int(re.search(r"finished sentences kept in the translation memory: (\d+) of pt", stderr).group(1))
    assert 0 < kept < 300
    with sqlite3.connect(folder / "tm.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM mt WHERE target_lang = 'pt'").fetchone()[0] == kept
    assert not (folder / "locales/pt/LC_MESSAGES/long.po").exists()
    return cmd, env, kept


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads the run's CPU time from /proc")
def test_sigterm_keeps_the_finished_sentences_as_ctrl_c_does(tmp_path):
    """SIGTERM (kill, timeout, a CI runner) stops a run the way Ctrl-C does, exit 143."""
    _stopped_in_the_middle(tmp_path, signal.SIGTERM, 143)


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads the run's CPU time from /proc")
def test_ctrl_c_keeps_the_finished_sentences_of_the_language_being_translated(tmp_path):
    """A real SIGINT in the middle of a long article: the sentences the model finished are
    kept, the next run translates only the rest, and the PO file is the one an
    uninterrupted run writes."""
    cmd, env, kept = _stopped_in_the_middle(tmp_path, signal.SIGINT, 130)

    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{300 - kept} new MT drafts" in again.stderr and f"{kept} from TM" in again.stderr
    resumed = (tmp_path / "locales/pt/LC_MESSAGES/long.po").read_text(encoding="utf-8")

    whole = subprocess.run([*cmd[:-2], "--no-tm", "--locales", "whole"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert whole.returncode == 0, whole.stderr
    uninterrupted = (tmp_path / "whole/pt/LC_MESSAGES/long.po").read_text(encoding="utf-8")

    def drafts(text):
        return [(e.msgid, e.msgstr) for e in polib.pofile(text)]

    assert len(drafts(resumed)) == 300 and drafts(resumed) == drafts(uninterrupted)


@pytest.mark.parametrize("signum, raised", [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, stopping.Terminated)])
def test_ctrl_c_or_sigterm_while_a_language_is_written_waits_for_the_write(signum, raised):
    """A language's files written and recorded are one step: Ctrl-C or SIGTERM in the
    middle is raised after it (else the message said "wrote nothing" of a file just written)."""
    steps = []
    with stopping.sigterm_as_interrupt() as received, pytest.raises(raised):
        with stopping.deferred():
            os.kill(os.getpid(), signum)
            time.sleep(0.05)  # the signal is in; the block goes on
            steps.append("written")
            steps.append("recorded")
    assert steps == ["written", "recorded"]
    assert received.sigterm == (signum == signal.SIGTERM)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
