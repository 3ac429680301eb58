"""beside.py: a job run in a forked child (or a thread) gives the value or the
exception a direct call gives."""

import os
import subprocess
import sys
import time

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
