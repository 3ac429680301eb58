import contextlib
import functools
import os
import shutil
import socket
import subprocess
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from system_tools import need, requires


def pytest_configure(config):
    """Ctrl-C tests need SIGINT to reach Python: a test run started in the background of a
    non-interactive shell (`make test &`, some CI runners) inherits SIGINT ignored, and
    every process the tests start would inherit that too. A handler of our own is reset to
    the default at exec, so children get Python's usual KeyboardInterrupt."""
    import signal
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "north-korean-refugees.txt"
GLOSSARY = ROOT / "glossary"


@pytest.fixture(autouse=True)
def isolated_models(tmp_path_factory, monkeypatch):
    """Tests see only the embedded models and packages they install themselves."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TRANSFLOW_ARGOS_DIR", str(home / "transflow-argos"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))
    monkeypatch.setenv("TRANSFLOW_BERGAMOT_CACHE", str(home / "fxtranslate-cache"))
    monkeypatch.setenv("TRANSFLOW_APERTIUM_DIR", str(home / "apertium"))  # not the system's pairs
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764316800")
    yield


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A desk's project folder: the example article and the glossary, as the working directory."""
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copytree(GLOSSARY, tmp_path / "glossary")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def po_files_are_gettext_canonical(monkeypatch, tmp_path_factory):
    """Every PO/POT file transflow writes in any test is what GNU msgcat would write."""
    from transflow import atomic

    written = []
    real = atomic.write_bytes

    def recording(path, data):
        if str(path).endswith((".po", ".pot")):
            written.append(data)
        return real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", recording)
    yield
    if not written or shutil.which("msgcat") is None:
        return
    folder = tmp_path_factory.mktemp("msgcat")
    for i, data in enumerate(written):
        source, out = folder / f"{i}.po", folder / f"{i}.out.po"
        source.write_bytes(data)
        subprocess.run(["msgcat", str(source), "-o", str(out)], check=True, capture_output=True)
        if not out.exists():
            continue  # msgcat writes nothing for a catalog with no messages
        assert out.read_bytes() == data, f"msgcat re-wraps a file transflow wrote:\n{data.decode()[:2000]}"


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything in this process opens a socket."""
    opened = []

    class GuardedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            opened.append(args)
            raise NetworkUsed(f"a socket was opened: {args}")

    def refuse(*args, **kwargs):
        opened.append(args)
        raise NetworkUsed(f"network access attempted: {args}")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield opened
    assert not opened, f"network used: {opened}"


def msgfmt_check(path: Path) -> None:
    """GNU msgfmt -c accepts the file (fails the test with msgfmt's own words otherwise)."""
    need("msgfmt")
    result = subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, f"msgfmt -c rejected {path}:\n{result.stderr}"


requires_gettext = requires("msgfmt", "msgmerge", "msgcat")


@contextlib.contextmanager
def serving(parent: Path, handler):
    """A folder ``parent/site`` served over HTTP on 127.0.0.1 by ``handler`` (a
    SimpleHTTPRequestHandler class; port chosen by the system); yields (folder, base URL)."""
    folder = parent / "site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
