"""The harness of the reliability tables (tests/test_reliability_*.py).

Each :class:`Case` is one thing a user, a hostile file or the machine can do to a
transflow command, and the outcome the README's reliability section promises. The
command runs as users run it, ``python -m transflow`` in a subprocess of its own
session, under the same limits locally and in CI:

- address space capped at :data:`ADDRESS_SPACE` (a runaway allocation fails inside
  the process instead of taking the machine), and the peak resident memory of the
  command and of the children it waited for (``wait4``) checked against the case;
- a wall-clock bound, after which the whole process group is killed and the case
  fails as a hang;
- no traceback on stderr, the exit code and one-line message the case names;
- every file of the project folder byte for byte as it was, except the ones the
  command's job is to change (``may_change``), and no temporary file left behind.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# A normal translate run with the embedded model maps about 1.3 GB of address space
# (thread stacks and the model's arena) for 150 MB resident; 4 GiB leaves room for
# that and still stops the runaway cases of issue 19 (3.3-5 GB) inside the process.
ADDRESS_SPACE = 4 * 1024**3
DEFAULT_RSS_MB = 1024
DEFAULT_TIMEOUT = 60.0


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: int
    seconds: float


@dataclass
class Case:
    """One row of a reliability table.

    ``args`` are the CLI arguments after ``transflow`` (or a function of the project
    folder returning them); ``setup(project)`` writes the files the case needs. The
    command must end with ``exit`` and print a line matching ``message`` (a regex,
    searched in stderr) within ``timeout`` seconds and ``rss_mb`` of peak memory;
    ``check(project, result)`` adds the case's own assertions.
    """

    name: str
    args: list[str] | Callable[[Path], list[str]]
    setup: Callable[[Path], None] | None = None
    exit: int = 2
    message: str | None = None
    may_change: tuple[str, ...] = ()  # globs, relative to the project folder
    timeout: float = DEFAULT_TIMEOUT
    rss_mb: int = DEFAULT_RSS_MB
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes | None = None
    check: Callable[[Path, Result], None] | None = None

    def __str__(self) -> str:  # pytest ids
        return self.name


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> digest of every regular file under ``folder`` (symlinks as their
    target's name, special files by their type), without following links out of it."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.blake2b()
                with open(path, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                out[rel] = h.hexdigest()
            else:
                out[rel] = f"special:{stat.S_IFMT(st.st_mode)}"
    return out


_MEASURED = r"""
import os, resource, subprocess, sys
limit = int(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
code = subprocess.call([sys.executable, "-m", "transflow", *sys.argv[3:]], preexec_fn=cap)
os.write(int(sys.argv[2]), str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024).encode())
sys.exit(code if code >= 0 else 128 - code)
"""


def run(args: list[str], cwd: Path, *, timeout: float = DEFAULT_TIMEOUT, env: dict | None = None,
                 stdin: bytes | None = None) -> Result:
    """``python -m transflow ARGS`` in ``cwd`` under the limits, through a small parent
    that reports the command's peak resident memory (its own and that of every child
    it waited for) on a pipe. The session is killed at ``timeout`` and the run
    reported as a hang (AssertionError); a command killed by a signal reports
    ``128 + signal`` as a shell would."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", _MEASURED, str(ADDRESS_SPACE), str(write_end), *args], cwd=cwd, env={**os.environ, **(env or {})},
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, pass_fds=(write_end,), start_new_session=True)
    os.close(write_end)
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        os.close(read_end)
        raise AssertionError(f"transflow {' '.join(args)} still running after {timeout:.0f} s (killed)\n"
                             f"{err.decode(errors='replace')[-2000:]}") from None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    with os.fdopen(read_end, "rb") as f:
        peak = f.read().decode() or "-1"
    return Result(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), int(peak),
                  time.monotonic() - started)


def run_case(case: Case, project: Path) -> Result:
    """Set the case up in ``project``, run it, and assert everything the table promises."""
    if case.setup is not None:
        case.setup(project)
    args = case.args(project) if callable(case.args) else list(case.args)
    before = snapshot(project)
    result = run(args, project, timeout=case.timeout, env=case.env, stdin=case.stdin)
    where = f"transflow {' '.join(map(str, args))}\nexit {result.returncode}\nstderr:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, where
    assert result.returncode == case.exit, where
    if case.message is not None:
        assert re.search(case.message, result.stderr), f"no line matching {case.message!r}\n{where}"
    assert result.peak_rss_mb <= case.rss_mb, f"peak RSS {result.peak_rss_mb} MB > {case.rss_mb} MB\n{where}"
    after = snapshot(project)
    changed = sorted(p for p in before.keys() | after.keys()
                     if before.get(p) != after.get(p) and p in before
                     and not any(fnmatch.fnmatch(p, g) for g in case.may_change))
    assert not changed, f"changed or removed: {changed}\n{where}"
    leftovers = sorted(p for p in after if p not in before and p.endswith(".tmp"))
    assert not leftovers, f"temporary files left: {leftovers}\n{where}"
    if case.check is not None:
        case.check(project, result)
    return result
