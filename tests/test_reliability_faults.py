"""Reliability table, faults and process (issue 19, items 6, 8 and 11): what the machine
can do to a run, made for real, and what transflow promises then.

- Faults of the environment (a full disk, a read-only or immutable file or folder, a
  damaged or unwritable translation memory, a file where a folder should be) are one
  line and exit 2 naming the path and what to do; no PO byte changes. A damaged
  memory is moved aside and the run goes on. The up-to-date record is only skipped.
- SIGKILL or SIGTERM of translate leaves no child process behind (SIGTERM keeping what
  is finished, as Ctrl-C does: test_interrupted.py).
- `models install` refuses a package that cannot translate; a broken installed
  package breaks only its own pair, and says how to remove it.

The faults are real: a small tmpfs filled up (ENOSPC), a read-only bind mount
(EROFS: root ignores file modes), `chattr +i` (EPERM). They need root and a kernel
that lets it mount, as in CI (`.ci/run` runs as root); elsewhere those cases are
skipped with the reason.
"""

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argos_fixture import build_argos_package, build_package_dir, zip_dir
from reliability import Case, run, run_case

PO = "locales/pt/LC_MESSAGES/a.po"
LOCK = "locales/.transflow.lock"  # every run writes its PID there
ARTICLE = """\
The river crossing took three nights, the families said.

Officials at the shelter counted the new arrivals every morning.

A volunteer wrote down the names of the children who came without parents.
"""
NEW_PARAGRAPH = "\nThe report was published a week later.\n"


class Faults:
    """Faults of the machine made for real in a test's folders, undone afterwards."""

    def __init__(self):
        self._undo = []

    def tmpfs(self, folder: Path, size: str = "512k") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        self._run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)])
        self._undo.append(["umount", "-l", str(folder)])
        return folder

    def read_only(self, folder: Path) -> Path:
        """``folder`` seen read-only (a bind mount of itself), for root too."""
        self._run(["mount", "--bind", str(folder), str(folder)])
        self._undo.append(["umount", "-l", str(folder)])
        self._run(["mount", "-o", "remount,bind,ro", str(folder)])
        return folder

    def immutable(self, path: Path) -> Path:
        self._run(["chattr", "+i", str(path)])
        self._undo.append(["chattr", "-i", str(path)])
        return path

    @staticmethod
    def fill(folder: Path) -> None:
        """Write a file into ``folder`` until its disk is full."""
        fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)

    def _run(self, command) -> None:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"`{' '.join(command)}` is not possible here ({result.stderr.strip()}): "
                        f"this fault needs root and a kernel that lets it mount, as in CI")

    def undo(self) -> None:
        while self._undo:
            subprocess.run(self._undo.pop(), capture_output=True)


@pytest.fixture
def faults():
    made = Faults()
    try:
        yield made
    finally:
        made.undo()


@pytest.fixture
def project(tmp_path):
    """A folder with an article and an empty glossary (no terms to enforce)."""
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def _article(project: Path) -> None:
    (project / "glossary").mkdir(exist_ok=True)
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")


def _translated(project: Path, *options: str) -> None:
    """The article translated once, then edited: the next run has a PO file to rewrite."""
    _article(project)
    first = run(["translate", "a.txt", "--to", "pt", *options], project)
    assert first.returncode == 0, first.stderr
    with open(project / "a.txt", "a", encoding="utf-8") as f:
        f.write(NEW_PARAGRAPH)


def _tm_rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]


# --- The table: each entry makes its Case with the faults it needs --------------------

def disk_full_while_writing_a_po(faults):
    def setup(project):
        faults.tmpfs(project)
        _translated(project, "--no-tm")
        faults.fill(project)

    return Case("disk full while writing a PO", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup,
                message=rf"error: {PO}: cannot write: No space left on device \(ENOSPC\); free some space")


def disk_full_under_the_translation_memory(faults):
    def setup(project):
        faults.tmpfs(project / "memory")
        _translated(project, "--tm", "memory/tm.sqlite")
        faults.fill(project / "memory")

    def check(project, result):
        (project / "memory/filler").unlink()  # SQLite needs room for its journal to read the memory
        assert _tm_rows(project / "memory/tm.sqlite") == 3  # what the first run stored, intact

    return Case("disk full under the translation memory", ["translate", "a.txt", "--to", "pt", "--tm", "memory/tm.sqlite"],
                setup, message=r"error: memory/tm.sqlite: cannot write the translation memory: No space left on device "
                        r"\(ENOSPC\); free some space .*--no-tm",
                check=check)


def disk_full_for_a_new_translation_memory(faults):
    def setup(project):
        _article(project)
        faults.fill(faults.tmpfs(project / "memory"))

    return Case("disk full for a new translation memory", ["translate", "a.txt", "--to", "pt", "--tm", "memory/tm.sqlite"],
                setup, message=r"error: memory/tm.sqlite: cannot write the translation memory: No space left on device")


def disk_full_under_the_up_to_date_record(faults):
    def setup(project):
        _article(project)
        faults.fill(faults.tmpfs(project / "cache"))

    def check(project, result):
        assert "error" not in result.stderr and (project / PO).exists()
        assert not (project / "cache/transflow").exists() or not any((project / "cache/transflow/runs").glob("*.marshal"))

    return Case("disk full under the up-to-date record", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup,
                exit=0, may_change=("locales/*",), env={"XDG_CACHE_HOME": "cache"}, check=check)


def disk_full_while_writing_an_output(faults):
    def setup(project):
        _translated(project, "--no-tm")
        faults.fill(faults.tmpfs(project / "out"))

    return Case("disk full while writing an output", ["build", "a.txt", "--to", "pt", "-o", "out/a.pt.txt"], setup,
                message=r"error: out/a.pt.txt: cannot write: No space left on device \(ENOSPC\)")


def read_only_locales(faults):
    def setup(project):
        _translated(project, "--no-tm")
        faults.read_only(project / "locales")

    return Case("read-only locales", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup,
                message=r"error: locales: cannot write into it: Read-only file system \(EROFS\); .*read-write")


def immutable_po(faults):
    def setup(project):
        _translated(project, "--no-tm")
        faults.immutable(project / PO)

    return Case("immutable PO", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup,
                message=rf"error: {PO}: cannot write: Operation not permitted \(EPERM\); .*immutable .*chattr -i")


def immutable_folder_of_the_po(faults):
    def setup(project):
        _translated(project, "--no-tm")
        faults.immutable(project / "locales/pt/LC_MESSAGES")

    return Case("immutable folder of the PO", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup,
                message=rf"error: {PO}: cannot write: .*Operation not permitted \(EPERM\)")


def _damaged(make_damage, name):
    def case(faults):
        original = {}

        def setup(project):
            _translated(project, "--tm", "tm.sqlite")
            make_damage(project / "tm.sqlite")
            original["bytes"] = (project / "tm.sqlite").read_bytes()

        def check(project, result):
            [aside] = project.glob("tm.sqlite.corrupt-*[0-9]")
            assert aside.read_bytes() == original["bytes"], "the damaged memory was not kept as it was"
            assert f"kept as {aside.name}" in result.stderr
            assert _tm_rows(project / "tm.sqlite") == 1  # a new memory, with the draft of the new paragraph
            again = run(["translate", "a.txt", "--to", "pt", "--tm", "tm.sqlite"], project)
            assert again.returncode == 0 and "warning" not in again.stderr, again.stderr

        return Case(name, ["translate", "a.txt", "--to", "pt", "--tm", "tm.sqlite"], setup, exit=0,
                    message=r"warning: the translation memory tm.sqlite is damaged \(.+\): it is kept as "
                            r"tm\.sqlite\.corrupt-\d{8}-\d{6} and a new one was started",
                    may_change=("locales/*", "tm.sqlite"), check=check)

    case.__name__ = name.replace(" ", "_")
    return case


def _not_sqlite(path):
    path.write_bytes(random.Random(1).randbytes(20000))


def _truncated(path):
    with sqlite3.connect(path) as db:  # enough rows for several pages
        db.executemany("INSERT INTO human VALUES ('en', 'pt', ?, ?, 'x.po')",
                       [(f"Sentence number {i} of a long list.", f"Frase {i}.") for i in range(400)])
    db.close()
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) // 2)


def _malformed_pages(path):
    """Every page but the first (the schema) overwritten: opening works, the first query fails."""
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO human VALUES ('en', 'pt', ?, ?, 'x.po')",
                       [(f"Sentence number {i} of a long list.", f"Frase {i}.") for i in range(400)])
    db.close()
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))


def read_only_translation_memory(faults):
    def setup(project):
        _translated(project, "--tm", "memory/tm.sqlite")
        faults.read_only(project / "memory")

    return Case("read-only translation memory", ["translate", "a.txt", "--to", "pt", "--tm", "memory/tm.sqlite"], setup,
                message=r"error: memory/tm.sqlite: cannot use the translation memory: Read-only file system \(EROFS\); "
                        r".*--no-tm")


def immutable_translation_memory(faults):
    def setup(project):
        _translated(project, "--tm", "tm.sqlite")
        faults.immutable(project / "tm.sqlite")

    return Case("immutable translation memory", ["translate", "a.txt", "--to", "pt", "--tm", "tm.sqlite"], setup,
                message=r"error: tm.sqlite: cannot use the translation memory: Operation not permitted \(EPERM\)")


def transflow_folder_is_a_file(faults):
    def setup(project):
        _article(project)
        (project / ".transflow").write_text("not a folder\n", encoding="utf-8")

    return Case(".transflow is a file", ["translate", "a.txt", "--to", "pt"], setup,
                message=r"error: \.transflow/tm\.sqlite: cannot use the translation memory: \.transflow is a file, "
                        r"not a folder \(EEXIST\); move it away")


def locales_is_a_file(faults):
    def setup(project):
        _article(project)
        (project / "locales").write_text("not a folder\n", encoding="utf-8")

    return Case("locales is a file", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup,
                message=r"error: locales: cannot write into it: locales is a file, not a folder")


def folder_of_an_output_is_a_file(faults):
    def setup(project):
        _translated(project, "--no-tm")
        (project / "out").write_text("not a folder\n", encoding="utf-8")

    return Case("folder of an output is a file", ["build", "a.txt", "--to", "pt", "-o", "out/a.pt.txt"], setup,
                message=r"error: .*out is a file, not a folder")


def read_only_cache_folder(faults):
    def setup(project):
        _article(project)
        (project / "cache").mkdir()
        faults.read_only(project / "cache")

    return Case("read-only cache folder", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup, exit=0,
                may_change=("locales/*",), env={"XDG_CACHE_HOME": "cache"}, check=_no_error)


def _no_error(project, result):
    assert "error" not in result.stderr and "warning" not in result.stderr, result.stderr


def cache_folder_is_a_file(faults):
    def setup(project):
        _article(project)
        (project / "cache").write_text("not a folder\n", encoding="utf-8")

    return Case("cache folder is a file", ["translate", "a.txt", "--to", "pt", "--no-tm"], setup, exit=0,
                may_change=("locales/*",), env={"XDG_CACHE_HOME": "cache"}, check=_no_error)


ENVIRONMENT = [
    disk_full_while_writing_a_po,
    disk_full_under_the_translation_memory,
    disk_full_for_a_new_translation_memory,
    disk_full_under_the_up_to_date_record,
    disk_full_while_writing_an_output,
    read_only_locales,
    immutable_po,
    immutable_folder_of_the_po,
    _damaged(_not_sqlite, "translation memory not an SQLite file"),
    _damaged(_truncated, "truncated translation memory"),
    _damaged(_malformed_pages, "malformed translation memory found by a query"),
    read_only_translation_memory,
    immutable_translation_memory,
    transflow_folder_is_a_file,
    locales_is_a_file,
    folder_of_an_output_is_a_file,
    read_only_cache_folder,
    cache_folder_is_a_file,
]


@pytest.mark.parametrize("make", ENVIRONMENT, ids=lambda make: make.__name__)
def test_a_fault_of_the_machine(make, project, faults):
    case = make(faults)
    case.may_change += (LOCK,)  # a run that gets the lock writes its PID into it
    run_case(case, project)


# --- models install and broken packages ---------------------------------------------

def _broken_package(folder: Path, source="en", target="pt") -> Path:
    """An Argos package, well-formed, whose CTranslate2 model cannot load."""
    package = build_package_dir(folder / f"translate-{source}_{target}-1_0", source, target)
    (package / "model" / "model.bin").write_bytes(b"not a CTranslate2 model" * 40)
    return package


def test_models_install_refuses_a_package_that_cannot_translate(project):
    def setup(project):
        zip_dir(_broken_package(project / "build"), project / "broken.argosmodel")

    def check(project, result):
        installed = Path(os.environ["TRANSFLOW_ARGOS_DIR"])
        assert not installed.exists() or not any(installed.iterdir()), "something was installed"
        translated = run(["translate", "a.txt", "--to", "pt", "--no-tm"], project)
        assert translated.returncode == 0, translated.stderr

    run_case(Case("models install of a package that cannot load", ["models", "install", "broken.argosmodel"],
                  lambda p: (setup(p), _article(p)),
                  message=r"error: broken.argosmodel: the package does not work \(cannot load the CTranslate2 model: "
                          r".*\); nothing was installed",
                  check=check), project)


def test_a_broken_installed_package_breaks_only_its_own_pair_and_says_how_to_remove_it(project):
    installed = Path(os.environ["TRANSFLOW_ARGOS_DIR"])
    installed.mkdir(parents=True, exist_ok=True)
    # Put there by hand (or by argospm, or an older transflow): install would refuse it.
    shutil.copytree(_broken_package(project / "build"), installed / "translate-en_pt")
    shutil.rmtree(project / "build")
    good = build_argos_package(project / "pkg", "en", "de")
    assert run(["models", "install", str(good)], project).returncode == 0

    run_case(Case("a pair the broken package does not serve", ["translate", "a.txt", "--to", "de", "--no-tm"], _article,
                  exit=0, may_change=("locales/*",)), project)
    run_case(Case("the broken package's own pair", ["translate", "a.txt", "--to", "pt", "--no-tm"],
                  message=rf"error: {re.escape(str(installed))}/translate-en_pt: cannot load the CTranslate2 model: .*; "
                          rf"the installed package for en->pt is broken: remove it \(rm -r "
                          rf"{re.escape(str(installed))}/translate-en_pt\) or install a working one over it"), project)


# --- Kills: no child outlives its parent --------------------------------------------

def _session(sid: int) -> dict[int, tuple[str, int, str]]:
    """Live processes of session ``sid``: pid -> (state, resident kB, command line)."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == sid and fields[0] not in "ZX":
            found[int(name)] = (fields[0], int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024, cmd.strip())
    return found


def _long_article(path: Path, paragraphs: int) -> None:
    """Made-up news sentences: enough text that segmenting it takes a few seconds."""
    rng = random.Random(paragraphs)
    subjects = ["The families", "Officials", "A volunteer", "The agency", "Two reporters", "The mayor"]
    verbs = ["counted", "described", "questioned", "reported", "photographed", "welcomed"]
    objects = ["the arrivals at the shelter", "the crossing at night", "the food deliveries", "the new camp",
               "the winter conditions", "the list of missing children"]
    text = "\n\n".join(" ".join(f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} on day {i}."
                                for _ in range(4)) for i in range(paragraphs))
    path.write_text(text + "\n", encoding="utf-8")


def _fx_cache(folder: Path) -> Path:
    """An fxtranslate cache holding en->pt (the embedded model's files): its engine
    translates in a pool of spawned worker processes."""
    from transflow.engines import bergamot

    [(_, embedded)] = [(i, d) for i, d in bergamot.embedded_models() if i.target == "pt"]
    pair = folder / "en-pt"
    pair.mkdir(parents=True)
    for name in ("model.enpt.intgemm.alphas.bin", "lex.50.50.enpt.s2t.bin", "vocab.enpt.spm"):
        (pair / name).symlink_to(embedded / name)
    return folder


def _apertium_available() -> bool:
    return shutil.which("apertium") is not None and Path("/usr/share/apertium/modes/eng-spa.mode").exists()


# name -> (article, extra arguments, environment, what a child's command line holds, how
# many such children to wait for). The segmenting child gets an article it takes it
# many seconds to segment, so one left running is still there when looked for.
ENGINES = {
    "segmenting child": ("huge.txt", ["--to", "pt"], {}, "-m transflow", 1),
    "fxtranslate workers": ("long.txt", ["--to", "pt", "--engine", "bergamot", "--jobs", "2"],
                            {"TRANSFLOW_BERGAMOT_CACHE": "fx"}, "multiprocessing.spawn", 2),
    "apertium pipeline": ("long.txt", ["--to", "es", "--engine", "apertium"],
                          {"TRANSFLOW_APERTIUM_DIR": "/usr/share/apertium"}, "apertium", 1),
}


def _kill_while(project: Path, engine: str, signum: int, moment: float | None) -> tuple[subprocess.Popen, str, dict]:
    """Start translate in its own session; send ``signum`` once the children ``engine``
    names run (``moment`` None) or ``moment`` seconds after the start. Returns the run,
    its stderr and the children seen when the signal was sent."""
    article, extra, env, child, count = ENGINES[engine]
    env = {**os.environ, **{k: str(project / v) if k == "TRANSFLOW_BERGAMOT_CACHE" else v for k, v in env.items()}}
    # stderr in a file: a pipe would stay open while a surviving child holds it.
    with open(project / "stderr.txt", "w+b") as err:
        proc = subprocess.Popen([sys.executable, "-m", "transflow", "translate", article, "--no-tm", *extra],
                                cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        started, seen = time.monotonic(), {}
        try:
            while proc.poll() is None and time.monotonic() - started < 120:
                seen = {pid: p for pid, p in _session(proc.pid).items() if pid != proc.pid and child in p[2]}
                if (len(seen) >= count if moment is None else time.monotonic() - started >= moment):
                    break
                time.sleep(0.02)
            assert proc.poll() is None, f"translate ended before the signal:\n{err.read().decode()[-2000:]}"
            os.kill(proc.pid, signum)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                # what was still running says where it waits (a worker the pool lost?)
                left = {pid: p[2][:100] for pid, p in _session(proc.pid).items()}
                err.seek(0)
                pytest.fail(f"translate did not end within 60 s of signal {signum}; its session: {left}; "
                            f"stderr: {err.read().decode(errors='replace')[-1000:]}")
        except BaseException:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        err.seek(0)
        return proc, err.read().decode(errors="replace"), seen


# A child tied to its parent dies at once; Apertium's pipeline ends as soon as its
# output pipe is broken. Segmenting huge.txt takes the child far longer than this.
SURVIVOR_SECONDS = 4


def _no_survivors(sid: int, seen: dict) -> None:
    """Every process of the killed run's session gone within a few seconds (a child
    that outlives its parent is reparented, but keeps the session)."""
    deadline, left = time.monotonic() + SURVIVOR_SECONDS, {}
    while time.monotonic() < deadline:
        left = _session(sid)
        if not left:
            return
        time.sleep(0.1)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    grown = {pid: f"{seen[pid][1]} kB -> {p[1]} kB" if pid in seen else f"{p[1]} kB" for pid, p in left.items()}
    pytest.fail(f"processes of the killed run still alive {SURVIVOR_SECONDS} s later: "
                f"{ {pid: p[2][:80] for pid, p in left.items()} }, resident {grown}")


@pytest.fixture(scope="module")
def long_project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kill")
    (folder / "glossary").mkdir()
    _long_article(folder / "long.txt", 2500)  # ~450 KB: a second or two of segmenting
    _long_article(folder / "huge.txt", 25000)  # ~4.5 MB: over 10 s of segmenting, under the 20 MB cap
    _fx_cache(folder / "fx")
    return folder


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the run's processes in /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("engine", ENGINES)
def test_a_killed_translate_leaves_no_child_process(engine, signum, long_project):
    if engine == "apertium pipeline" and not _apertium_available() and not os.environ.get("CI"):
        pytest.skip("Apertium with apertium-eng-spa is not installed (CI installs it)")
    shutil.rmtree(long_project / "locales", ignore_errors=True)
    proc, stderr, seen = _kill_while(long_project, engine, signum, None)
    assert seen, f"no {engine} was seen running"
    _no_survivors(proc.pid, seen)
    if signum == signal.SIGTERM:
        # Handled as Ctrl-C is: one line, nothing half-written, the exit code of SIGTERM.
        assert proc.returncode == 143, stderr
        assert re.fullmatch(r"transflow: (error: interrupted: .*|terminated)\n", stderr), stderr
    else:
        # transflow itself prints nothing; a worker being spawned at that moment may: its
        # start-up code, multiprocessing's, reports the end of its input as it exits.
        assert proc.returncode == -signal.SIGKILL


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the run's processes in /proc")
def test_kills_at_random_moments_leave_no_child_process(long_project):
    rng = random.Random(19)
    for signum in (signal.SIGKILL, signal.SIGTERM) * 3:
        shutil.rmtree(long_project / "locales", ignore_errors=True)
        proc, stderr, seen = _kill_while(long_project, "segmenting child", signum, rng.uniform(0.2, 4.0))
        _no_survivors(proc.pid, seen)
        assert "Traceback" not in stderr, stderr  # no worker processes in this engine
        # SIGTERM before the command line handles it (Python still starting) ends it as the default does.
        assert proc.returncode in ((143, -signal.SIGTERM) if signum == signal.SIGTERM else (-signal.SIGKILL,)), stderr


def test_without_a_death_signal_a_child_watches_its_lifeline(tmp_path):
    """The fallback where there is no prctl: a forked child reading a pipe only its
    parent holds ends when the parent is killed."""
    script = (
        "import os, sys, time\n"
        "from transflow import children\n"
        "read, write = children.lifeline()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os.close(write)\n"
        "    children.watch(read)\n"
        "    while True: time.sleep(1)\n"
        "print(pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        child = int(parent.stdout.readline())
        assert child in _session(parent.pid)
        parent.kill()
        parent.wait()
        _no_survivors(parent.pid, {})
    finally:
        try:
            os.killpg(parent.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
