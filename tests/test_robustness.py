"""Never lose a translator's work: locking, Ctrl-C, bad input."""

import os
import signal
import subprocess
import sys
import time

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, msgfmt_check

from transflow import lock
from transflow.cli import main


def test_a_second_run_waits_then_gives_up_with_a_clear_message(project):
    with lock.locked(project / "locales"):
        result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--lock-timeout", "0.3"])
    assert result.exit_code == 2
    assert "in use by another transflow run" in result.stderr
    assert not (project / "locales/pt").exists()
    # Once the other run is gone, the lock is free.
    assert CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"]).exit_code == 0


def test_ctrl_c_keeps_finished_languages_and_exits_130(project):
    package = build_argos_package(project / "pkg", source="en", target="de")
    env = {**os.environ}
    subprocess.run([sys.executable, "-m", "transflow.cli", "models", "install", str(package)], check=True, env=env)
    # A long article makes the second language (pt) take seconds; de is quick.
    body = EXAMPLE.read_text(encoding="utf-8")
    long_text = "\n\n".join(
        f"Paragraph {i}: " + body.replace("\n\n", f" (part {i}).\n\n") for i in range(40))
    (project / "long.txt").write_text(long_text, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "transflow.cli", "translate", "long.txt", "--to", "de,pt", "--engine", "auto", "--jobs", "1"],
        stderr=subprocess.PIPE, text=True, env=env, cwd=project)
    de = project / "locales/de/LC_MESSAGES/long.po"
    deadline = time.monotonic() + 120
    while not de.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert de.exists(), proc.communicate()[1]
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before Ctrl-C arrived")
    assert proc.returncode == 130, err
    assert "interrupted: finished de" in err and "Traceback" not in err
    msgfmt_check(de)
    assert polib.pofile(str(de))
    assert not (project / "locales/pt/LC_MESSAGES/long.po").exists()
    assert not list((project / "locales").rglob(".*.tmp"))


def test_no_command_opens_a_socket(project, no_network):
    runner = CliRunner()
    for args in (["translate", EXAMPLE.name, "--to", "pt"], ["check", "locales"],
                 ["build", EXAMPLE.name, "--to", "pt", "-o", "out.txt"], ["models", "list"],
                 ["status"], ["segment", EXAMPLE.name]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    assert no_network == []


def test_five_megabyte_single_line_article_segments_in_bounded_memory(tmp_path):
    body = EXAMPLE.read_text(encoding="utf-8").replace("\n", " ")
    big = tmp_path / "big.txt"
    big.write_text((body + " ") * (5_000_000 // len(body) + 1), encoding="utf-8")
    assert big.stat().st_size > 5_000_000 and big.read_text(encoding="utf-8").count("\n") == 0
    code = (
        "import sys; from transflow.cli import main\n"
        "try:\n    main(['segment', sys.argv[1], '--json'])\nexcept SystemExit:\n    pass\n"
        # VmHWM, not getrusage's ru_maxrss: that one keeps the peak of the process before
        # exec, i.e. of the forked test runner (~1 GB late in the suite, with models loaded).
        "print([int(l.split()[1]) // 1024 for l in open('/proc/self/status') if l.startswith('VmHWM')][0], file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    units = json.loads(result.stdout)
    assert len(units) > 40_000
    assert "".join(big.read_text(encoding="utf-8")[u["start"]:u["end"]] for u in units[:50])
    peak_mb = int(result.stderr.strip().splitlines()[-1])
    assert peak_mb < 1024, f"peak RSS {peak_mb} MB"
