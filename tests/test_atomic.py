"""Temporaries of the atomic writer: named after their process, and removed by
`transflow translate` once a killed writer clearly left them (never a live one's)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLE

from transflow import atomic
from transflow.cli import main


def write_and_die(path: Path) -> Path:
    """Run atomic.write_text(path) in a process SIGKILLed just before its rename; the temporary it left."""
    code = ("import os, signal, sys\n"
            "from transflow import atomic\n"
            "atomic.os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)\n"
            "atomic.write_text(sys.argv[1], 'half')\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)])
    assert proc.wait() == -signal.SIGKILL
    [tmp] = path.parent.glob(f".{path.name}.*.tmp")
    assert tmp.name.startswith(f".{path.name}.{proc.pid}.")
    return tmp


def backdate(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def test_the_temporary_names_its_writer(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (seen.append(Path(a).name), real(a, b)))
    atomic.write_text(tmp_path / "a.txt", "x")
    [name] = seen
    assert name.startswith(f".a.txt.{os.getpid()}.") and name.endswith(".tmp")
    assert (tmp_path / "a.txt").read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_only_clearly_orphaned_temporaries_are_removed(tmp_path):
    target = tmp_path / "a.po"
    target.write_text("the file")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead, live = dead_pid(), sleeper.pid
        files = {
            "dead-old": f".a.po.{dead}.abcd_123.tmp",
            "dead-recent": f".a.po.{dead}.efgh_456.tmp",
            "live-old": f".a.po.{live}.ijkl_789.tmp",
            "own-old": f".a.po.{os.getpid()}.mnop_012.tmp",
            "live-ancient": f".a.po.{live}.qrst_345.tmp",
            "legacy-ancient": ".a.po.uvwx_678.tmp",
            "legacy-old": ".a.po.yz01_234.tmp",
            "other-file": f".b.po.{dead}.abcd_123.tmp",
            "not-a-temporary": f".a.po.{dead}.notes.txt",
        }
        ages = {"dead-recent": 5, "live-ancient": atomic.ORPHAN_AGE + 60, "legacy-ancient": atomic.ORPHAN_AGE + 60}
        for key, name in files.items():
            (tmp_path / name).write_text("half")
            backdate(tmp_path / name, ages.get(key, atomic.ORPHAN_GRACE + 60))
        removed = atomic.remove_orphans(target)
    finally:
        sleeper.kill()
        sleeper.wait()
    gone = {key for key, name in files.items() if not (tmp_path / name).exists()}
    assert gone == {"dead-old", "live-ancient", "legacy-ancient"}
    assert sorted(removed) == sorted(tmp_path / files[k] for k in gone)
    assert target.read_text() == "the file"
    assert atomic.remove_orphans(tmp_path / "missing" / "a.po") == []


def test_translate_removes_what_a_killed_write_left_next_to_its_po_file(project):
    po = project / "locales/pt/LC_MESSAGES/north-korean-refugees.po"
    run = ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"]
    assert CliRunner().invoke(main, run).exit_code == 0
    before = po.read_bytes()
    killed = write_and_die(po)
    assert po.read_bytes() == before  # the killed write changed nothing
    recent = write_and_die(po.with_name("other.po"))
    backdate(killed, atomic.ORPHAN_GRACE + 60)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = po.parent / f".{po.name}.{sleeper.pid}.abcd_123.tmp"  # a writer still alive
        running.write_text("half")
        backdate(running, atomic.ORPHAN_GRACE + 60)
        article = project / EXAMPLE.name
        article.write_text(article.read_text(encoding="utf-8") + "\nOne more sentence was added.\n", encoding="utf-8")
        result = CliRunner().invoke(main, run)
        assert result.exit_code == 0, result.output
        assert not killed.exists()
        assert running.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert recent.exists()  # not next to a PO file this run writes
    assert b"One more sentence was added." in po.read_bytes()
