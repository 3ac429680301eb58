"""`transflow translate --cluster`: a real Dask scheduler and two worker processes on
127.0.0.1 (started here with `dask scheduler` and `dask worker`), the real en->pt model
on them; the PO files are compared byte for byte with a local run's."""

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, GLOSSARY, ROOT

from transflow.cli import main

if os.environ.get("CI"):
    import distributed  # the test extra installs it: under CI a missing Dask fails, as a missing tool does
else:
    distributed = pytest.importorskip("distributed", reason="pip install -e '.[test]' installs Dask")

TARGETS = "pt,pt_BR"  # two variants of one model: the batches they share


def _sentences() -> list[str]:
    from transflow.readers import read
    from transflow.segment import segment

    out = []
    for path in [EXAMPLE, *sorted((ROOT / "benchmarks" / "texts").glob("*.txt"))]:
        out += [u.text for u in segment(read(path)) if u.kind == "paragraph" and len(u.text.split()) >= 6]
    return list(dict.fromkeys(out))


def write_articles(folder: Path, count: int, per_article: int = 12, seed: int = 22) -> list[str]:
    """``count`` short articles of the repository's sentences, numbers changed per
    article (so most units are new), a few sentences shared between articles."""
    rng = random.Random(seed)
    pool = _sentences()
    names = []
    for a in range(count):
        picked = [re.sub(r"\d+", lambda m: str(int(m.group()) * (a + 3) % 997), s) for s in rng.sample(pool, per_article)]
        name = f"story-{a:02d}.txt"
        body = "\n\n".join(" ".join(picked[i:i + 3]) for i in range(0, per_article, 3))
        (folder / name).write_text(f"Story {a}\n\n{body}\n", encoding="utf-8")
        names.append(name)
    return names


def po_files(locales: Path) -> dict[str, bytes]:
    return {p.relative_to(locales).as_posix(): p.read_bytes() for p in sorted(locales.rglob("*.po"))}


def mt_rows(tm: Path) -> list:
    with sqlite3.connect(tm) as db:
        return sorted(db.execute("SELECT model, target_lang, glossary, source, target, failed FROM mt"))


def _isolated(home: Path) -> dict:
    """conftest's isolated_models, for what a module-scoped fixture starts: the embedded
    models only."""
    env = {key: str(home / key.lower()) for key in (
        "TRANSFLOW_ARGOS_DIR", "ARGOS_PACKAGES_DIR", "TRANSFLOW_BERGAMOT_CACHE", "TRANSFLOW_APERTIUM_DIR",
        "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    return {**env, "SOURCE_DATE_EPOCH": "1764316800"}


def start_cluster(home: Path, workers: int = 2):
    """`dask scheduler` and `dask worker` (``workers`` single-thread processes under one
    nanny each) on 127.0.0.1, seeing only the embedded models: (address, processes)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **_isolated(home)}
    scheduler_file = home / "scheduler.json"
    dask = [sys.executable, "-m", "dask"]
    log = open(home / "cluster.log", "wb")
    procs = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(scheduler_file)], env=env, stdout=log, stderr=log)]
    procs.append(subprocess.Popen([*dask, "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1",
                                   "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard",
                                   "--local-directory", str(home / "work")], env=env, stdout=log, stderr=log))
    log.close()
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with distributed.Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
            return client.scheduler.address, procs
    except BaseException:
        stop_cluster(procs)
        raise


def stop_cluster(procs) -> None:
    for proc in reversed(procs):
        proc.terminate()  # `dask` stops cleanly on it
    for proc in reversed(procs):
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers for the tests of this module; yields its address."""
    address, procs = start_cluster(tmp_path_factory.mktemp("cluster"))
    try:
        yield address
    finally:
        stop_cluster(procs)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """Ten articles, the example in Markdown and HTML (markup as placeholders, a picture
    credit) and the project glossary, translated locally once: the reference."""
    folder = tmp_path_factory.mktemp("desk")
    names = write_articles(folder, 10)
    for suffix in (".md", ".html"):
        name = f"example-{suffix[1:]}{suffix}"
        (folder / name).write_bytes(EXAMPLE.with_suffix(suffix).read_bytes())
        names.append(name)
    (folder / "glossary").mkdir()
    for f in GLOSSARY.iterdir():
        (folder / "glossary" / f.name).write_bytes(f.read_bytes())
    # The model's rendering of "camps" in the last article is what finds its rendering of
    # "prison camp" in the first, which another batch translates (test_enforce.py has the
    # case): the batches must be enforced as the whole language is.
    (folder / "glossary" / "camps.yaml").write_text(
        "source_language: en\nterms:\n  - id: detention-centre\n    source: detention centre\n"
        "    variants: [detention center, prison camp, camp]\n    pos: noun\n"
        "    translations:\n      pt: centro de detenção\n", encoding="utf-8")
    (folder / "camp-first.txt").write_text("She was sent to a prison camp in the north.\n", encoding="utf-8")
    (folder / "camp-last.txt").write_text("Conditions in the camps were terrible.\n", encoding="utf-8")
    names = ["camp-first.txt", *names, "camp-last.txt"]
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for key, value in _isolated(tmp_path_factory.mktemp("desk-home")).items():
            mp.setenv(key, value)
        result = CliRunner().invoke(main, ["translate", *names, "--to", TARGETS, "--locales", "local",
                                           "--tm", "local.sqlite"])
    assert result.exit_code == 0, result.output
    return folder, names


def run(desk_folder, names, *extra):
    return CliRunner().invoke(main, ["translate", *names, "--to", TARGETS, *extra])


def test_the_cluster_writes_the_bytes_of_a_local_run(cluster, desk, monkeypatch):
    folder, names = desk
    monkeypatch.chdir(folder)
    result = run(folder, names, "--locales", "remote", "--tm", "remote.sqlite", "--cluster", cluster)
    assert result.exit_code == 0, result.output
    local, remote = po_files(folder / "local"), po_files(folder / "remote")
    assert len(remote) == 2 * len(names)
    assert remote == local
    # The translation memory holds the same drafts (what a later run reuses).
    assert mt_rows(folder / "remote.sqlite") == mt_rows(folder / "local.sqlite")


def test_a_worker_killed_mid_job_loses_nothing(cluster, desk, monkeypatch):
    """SIGKILL of a worker process while it holds batches: Dask runs them again on the
    other worker (or the one its nanny restarts), and the files are the same."""
    folder, names = desk
    monkeypatch.chdir(folder)
    killed = []

    def kill_a_busy_worker():
        with distributed.Client(cluster, timeout=30) as client:
            pids = client.run(os.getpid)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if any("enforce_batch" in str(k) for k in keys)]
                if busy:
                    time.sleep(0.5)  # its model loaded, a batch under way
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.append(busy[0])
                    return
                time.sleep(0.02)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    result = run(folder, names, "--locales", "killed", "--no-tm", "--cluster", cluster)
    killer.join()
    assert killed, "no worker was seen translating"
    assert result.exit_code == 0, result.output
    assert po_files(folder / "killed") == po_files(folder / "local")
    with distributed.Client(cluster, timeout=30) as client:
        assert killed[0] not in client.scheduler_info()["workers"]  # that worker is gone
        client.wait_for_workers(2, timeout=120)  # its nanny started another, for the next tests


def test_ctrl_c_cancels_the_clusters_tasks_and_keeps_what_finished(cluster, tmp_path):
    """A real SIGINT to the driver once some batches are back: exit 130, the finished
    sentences in the translation memory, nothing left running on the cluster."""
    names = write_articles(tmp_path, 40, seed=7)
    (tmp_path / "glossary").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "transflow", "translate", *names, "--to", "pt", "--tm", "tm.sqlite", "--cluster", cluster]
    with distributed.Client(cluster, timeout=30) as client:
        def finished_batches(dask_scheduler):
            return sum(1 for ts in dask_scheduler.tasks.values() if str(ts.key).startswith("enforce_batch") and ts.state == "memory")

        # Ctrl-C as on a terminal, also when this test runs where SIGINT is ignored (a shell's background job).
        driver = subprocess.Popen(cmd, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True,
                                  preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 180
        while client.run_on_scheduler(finished_batches) < 1 and driver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the driver has the batch's drafts too (the scheduler had them first)
        driver.send_signal(signal.SIGINT)
        stderr = driver.communicate(timeout=120)[1]
        assert driver.returncode == 130, stderr
        found = re.search(r"finished sentences kept in the translation memory: (\d+) of pt", stderr)
        assert found, stderr
        kept = int(found.group(1))
        assert 0 < kept < 40 * 12
        with sqlite3.connect(tmp_path / "tm.sqlite") as db:
            assert db.execute("SELECT COUNT(*) FROM mt WHERE target_lang = 'pt'").fetchone()[0] == kept
        assert not (tmp_path / "locales/pt").exists()
        deadline = time.monotonic() + 30
        while client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0
        assert not any(client.processing().values())


def test_a_scheduler_lost_mid_job_is_one_line(tmp_path):
    """The scheduler dies (SIGKILL) while batches are out: exit 1 and one line, no
    traceback of Dask's reconnection attempts, nothing written."""
    address, procs = start_cluster(tmp_path / "lost", workers=1)
    try:
        names = write_articles(tmp_path, 20, seed=9)
        (tmp_path / "glossary").mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        driver = subprocess.Popen([sys.executable, "-m", "transflow", "translate", *names, "--to", "pt", "--no-tm",
                                   "--cluster", address], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
        with distributed.Client(address, timeout=30) as client:
            while not any(client.processing().values()) and driver.poll() is None:
                time.sleep(0.02)
        procs[0].kill()
        stderr = driver.communicate(timeout=120)[1]
    finally:
        stop_cluster(procs)
    assert driver.returncode == 1, stderr
    assert stderr.startswith(f"transflow: error: lost the Dask cluster at {address}") and stderr.count("\n") == 1, stderr
    assert not (tmp_path / "locales/pt").exists()


def test_a_worker_without_the_model_is_named(cluster, project):
    """The driver has an Argos en->de package the workers lack: nothing starts."""
    package = build_argos_package(project / "pkg", source="en", target="de")
    assert CliRunner().invoke(main, ["models", "install", str(package)]).exit_code == 0
    result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "de", "--engine", "argos", "--cluster", cluster])
    assert result.exit_code == 2, result.output
    with distributed.Client(cluster, timeout=30) as client:
        workers = sorted(client.scheduler_info()["workers"])
    message = result.stderr.strip()
    assert message.startswith("transflow: error: ") and "\n" not in message
    for worker in workers:
        assert f"worker {worker} has no model argos:translate-en_de-" in message
    assert not (project / "locales").exists()


def test_cluster_local_starts_one_on_this_machine(project):
    local = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--locales", "here", "--no-tm"])
    assert local.exit_code == 0, local.output
    result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--locales", "there", "--no-tm",
                                       "--cluster", "local", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert po_files(project / "there") == po_files(project / "here")


def _cli(args, cwd, **env):
    return subprocess.run([sys.executable, "-m", "transflow", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}, timeout=300)


def test_an_unreachable_scheduler_is_one_line(project):
    # Nothing listens on port 1; Dask's own setting shortens its wait for this test.
    result = _cli(["translate", EXAMPLE.name, "--to", "pt"], project, TRANSFLOW_CLUSTER="tcp://127.0.0.1:1",
                  DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("transflow: error: cannot reach the Dask scheduler at tcp://127.0.0.1:1")
    assert result.stderr.count("\n") == 1
    assert not (project / "locales").exists()


def test_the_project_files_cluster_and_none(project):
    (project / "transflow.yaml").write_text("cluster: tcp://127.0.0.1:1\n", encoding="utf-8")
    (project / "one.txt").write_text("The defector spoke to reporters.\n", encoding="utf-8")
    refused = _cli(["translate", "one.txt", "--to", "pt", "--no-tm"], project, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in refused.stderr
    here = _cli(["translate", "one.txt", "--to", "pt", "--no-tm", "--cluster", "none"], project)
    assert here.returncode == 0, here.stderr
    (project / "transflow.yaml").write_text("cluster: [a, b]\n", encoding="utf-8")
    bad = _cli(["translate", "one.txt", "--to", "pt"], project)
    assert bad.returncode == 2 and "cluster must be a Dask scheduler's address, or local" in bad.stderr


def test_nothing_of_dask_is_imported_without_a_cluster(project):
    script = ("import sys\nfrom transflow.cli import main\n"
              "try:\n    main(['translate', 'north-korean-refugees.txt', '--to', 'pt', '--no-tm'])\n"
              "except SystemExit as e:\n    assert not e.code, e.code\n"
              "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
              "assert not loaded, loaded\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 0, result.stderr
