"""beside.py: a job run in a forked child (or a thread) gives the value or the
exception a direct call gives."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from transflow import beside
from transflow.errors import InputError


def _square_after(seconds: float, n: int) -> int:
    time.sleep(seconds)
    return n * n


def _refuse(path: str):
    raise InputError(f"{path}: not an article")


def _mark_pid(path: str) -> int:
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    return os.getpid()


def _run(code: str) -> str:
    src = os.path.join(os.path.dirname(__file__), "..", "src")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": src + os.pathsep + os.path.dirname(__file__)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_fresh_process_forks_and_gets_the_value_back():
    out = _run("from transflow import beside; import test_beside as t\n"
               "job = beside.start(t._square_after, 0.05, 12)\n"
               "print(type(job).__name__, job.result())")
    assert out.split() == ["_Child", "144"]


def test_the_child_runs_in_another_process(tmp_path):
    marks = tmp_path / "pids"
    out = _run(f"import os; from transflow import beside; import test_beside as t\n"
               f"job = beside.start(t._mark_pid, {str(marks)!r})\n"
               f"print(job.result() != os.getpid())")
    assert out.strip() == "True"
    # The child ran it once; its effects are its own (the parent wrote nothing).
    assert len(marks.read_text().split()) == 1


def test_a_failing_job_raises_the_callers_exception_after_a_fork():
    out = _run("from transflow import beside; from transflow.errors import InputError; import test_beside as t\n"
               "job = beside.start(t._refuse, 'x.bin')\n"
               "import time; time.sleep(0.5)\n"
               "print(job.failed())\n"
               "try:\n    job.result()\nexcept InputError as e:\n    print(type(job).__name__, e)")
    assert out.splitlines() == ["True", "_Child x.bin: not an article"]


def test_cancel_ends_the_child():
    out = _run("from transflow import beside; import test_beside as t, time\n"
               "job = beside.start(t._square_after, 30, 2)\n"
               "t0 = time.monotonic(); job.cancel(); print(time.monotonic() - t0 < 5)")
    assert out.strip() == "True"


def test_with_a_native_engine_loaded_it_runs_in_a_thread(monkeypatch):
    monkeypatch.setitem(sys.modules, "ctranslate2", sys.modules.get("ctranslate2", object()))
    job = beside.start(_square_after, 0.01, 7)
    assert type(job).__name__ == "_Thread"
    assert job.result() == 49
    with pytest.raises(InputError, match="not an article"):
        beside.start(_refuse, "y.bin").result()


def test_bad_input_read_in_the_child_is_reported_by_the_cli(tmp_path):
    """A fresh `transflow translate` segments in a child; bad input still gets its one line and exit 2."""
    article = tmp_path / "bad.txt"
    article.write_bytes(b"A fine sentence.\nThen \xff a bad byte.\n")
    src = os.path.join(os.path.dirname(__file__), "..", "src")
    done = subprocess.run([sys.executable, "-m", "transflow", "translate", str(article), "--to", "pt",
                           "--locales", str(tmp_path / "locales"), "--no-tm", "--glossary", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": src})
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "byte" in done.stderr and "bad.txt" in done.stderr
    assert not (tmp_path / "locales").exists()


def test_ctrl_c_while_waiting_does_not_wait_for_the_child():
    """Only the parent gets the SIGINT (a `kill -INT`): it must not sit waiting for a
    child that goes on with its 30-second job."""
    out = _run("import os, signal, threading, time; from transflow import beside; import test_beside as t\n"
               "job = beside.start(t._square_after, 30, 2)\n"
               "threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
               "t0 = time.monotonic()\n"
               "try:\n    job.result()\nexcept KeyboardInterrupt:\n    print(type(job).__name__, time.monotonic() - t0 < 10)")
    assert out.split() == ["_Child", "True"]


_TRANSLATE_SPYING = """
import os, sys
import transflow.articles as articles
started = []
real = articles.read_beside
def spy(*args, **kwargs):
    job = real(*args, **kwargs)
    started.append((type(job).__name__, "transflow.pipeline" in sys.modules, "polib" in sys.modules))
    return job
articles.read_beside = spy
from transflow.cli import main
try:
    main(sys.argv[1:], prog_name="transflow")
except SystemExit as e:
    code = e.code
try:
    left = os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    left = None
print(started, code, left)
"""


def _translate_spying(tmp_path, *args) -> str:
    src = os.path.join(os.path.dirname(__file__), "..", "src")
    done = subprocess.run([sys.executable, "-c", _TRANSLATE_SPYING, "translate", *args, "--locales", "locales",
                           "--no-tm", "--glossary", "no-glossary", "--jobs", "2"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": src})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


ARTICLE = "Refugees crossed the border at night.\n\nThe report was published on Monday. It names three camps.\n"


def test_translate_starts_reading_before_its_heavy_imports(tmp_path, monkeypatch):
    """The first MT call waits for the segmented article, so the CLI forks the reader
    before importing the pipeline (and polib, the glossary, ...); the PO it writes is
    the one pipeline.translate writes when it reads the article itself."""
    from transflow import pipeline

    (tmp_path / "no-glossary").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = _translate_spying(tmp_path, "a.txt", "--to", "pt")
    assert out == "[('_Child', False, False)] 0 None"
    early = (tmp_path / "locales" / "pt" / "LC_MESSAGES" / "a.po").read_bytes()

    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "b")
    pipeline.translate(["a.txt"], ["pt"], locales=Path("locales"), jobs=1)
    assert (tmp_path / "b" / "locales" / "pt" / "LC_MESSAGES" / "a.po").read_bytes() == early


def test_a_translate_that_fails_after_the_fork_leaves_no_child(tmp_path):
    """No model for the target: exit 2, and the reading child was killed and reaped."""
    (tmp_path / "no-glossary").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = _translate_spying(tmp_path, "a.txt", "--to", "ko", "--engine", "bergamot")
    assert out == "[('_Child', False, False)] 2 None"
    assert not (tmp_path / "locales").exists()
