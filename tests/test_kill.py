"""A run killed with SIGKILL at any moment leaves each PO file either the old one or the new one."""

import os
import random
import subprocess
import sys
import time

import polib
from argos_fixture import build_argos_package
from conftest import EXAMPLE, msgfmt_check

TRIALS = 50


def test_sigkill_never_leaves_a_half_written_po(tmp_path):
    env = {**os.environ}
    package = build_argos_package(tmp_path / "pkg", source="en", target="de")
    cli = [sys.executable, "-m", "transflow.cli"]
    subprocess.run([*cli, "models", "install", str(package)], check=True, env=env, capture_output=True)
    (tmp_path / "no-terms").mkdir()
    article = tmp_path / "a.txt"
    translate = [*cli, "translate", "a.txt", "--to", "de", "--engine", "argos", "--no-tm", "--glossary", "no-terms"]
    po = tmp_path / "locales/de/LC_MESSAGES/a.po"

    article.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(translate, check=True, env=env, cwd=tmp_path, capture_output=True)
    old = po.read_bytes()
    # The edited article makes every run rewrite the file.
    article.write_text(EXAMPLE.read_text(encoding="utf-8") + "\nA new closing sentence was added.\n", encoding="utf-8")
    started = time.monotonic()
    subprocess.run(translate, check=True, env=env, cwd=tmp_path, capture_output=True)
    full_run = time.monotonic() - started
    new = po.read_bytes()
    assert new != old

    rng = random.Random(20261128)
    outcomes = {"old": 0, "new": 0}
    for _ in range(TRIALS):
        po.write_bytes(old)
        proc = subprocess.Popen(translate, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * full_run)
        proc.kill()
        proc.wait()
        data = po.read_bytes()
        assert data in (old, new), "a killed run left a PO file that is neither the old nor the new one"
        outcomes["old" if data == old else "new"] += 1
        polib.pofile(str(po))
        msgfmt_check(po)
    # Kills land before and after the write (seen here: both sides hit); the count is
    # timing-dependent on a shared machine, so it is reported, not asserted.
    print(f"SIGKILL trials: {outcomes}")
