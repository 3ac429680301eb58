"""The up-to-date record: a re-run that would change nothing exits before any real work.

After a successful ``transflow translate`` the command line records what the run
read (articles, glossary files, project files, the folders whose listing decides
which of those exist) and the bytes of every PO file it left, keyed by the exact
command line, working folder, environment and transflow's own code. A later run
with the same key whose inputs and PO files hash the same has nothing to do: a
full run would read, segment, merge and rewrite the same bytes, and make no MT call
(every entry already has a translation). This is make's idea, checked by content
hashes instead of times.

This module imports only the standard library, so the check costs a Python start-up
plus hashing: a warm re-run of a 20,000-word article takes tens of milliseconds
instead of the seconds of segmenting and merging it again.

What is deliberately not an input: the translation memory, other PO files and the
installed models. They are consulted only for entries without a translation, and a
run is recorded only when it left none.
"""

import marshal
import os
import stat
import sys

try:
    # Not through hashlib, which loads OpenSSL first: 2-4 ms, a fifth of a warm re-run.
    # BLAKE2b is built into CPython and hashes a 20,000-word article's files in ~1 ms.
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

# json and pathlib are not imported: together they cost more than the check itself.
# marshal is built in; its format may change between Python versions, so the
# version is part of the key.

# The environment that changes what a run reads or where it writes.
_ENV_PREFIXES = ("TRANSFLOW_", "ARGOS_", "XDG_", "SOURCE_DATE_EPOCH", "HOME")
_PROJECT_FILES = ("transflow.yaml", "pyproject.toml")


def records_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "transflow", "runs")


def _record_path(argv, cwd) -> str:
    return os.path.join(records_dir(), key(argv, cwd) + ".marshal")


def key(argv, cwd) -> str:
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES))
    payload = repr((sys.version, [str(a) for a in argv], str(cwd), env, _code_fingerprint()))
    return blake2b(payload.encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()


def _code_fingerprint() -> list:
    """transflow's own files by size and time: an upgrade or an edit to the code is a
    different run, even when the version number stayed."""
    root = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                stamps.append((os.path.relpath(os.path.join(folder, name), root), st.st_size, st.st_mtime_ns))
    return stamps


def digest(path) -> str | None:
    """The file's BLAKE2b-256, or None when it is not a readable regular file.

    Opened without blocking and hashed only when it is a regular file: an article
    replaced by a FIFO or a link to /dev/zero since the last run would otherwise hang
    or never end here, before the command line could refuse it."""
    h = blake2b(digest_size=32)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def listing(folder) -> list[str] | None:
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return None


def project_files(cwd) -> list[str]:
    """Every place a project file could be found from ``cwd`` (see config.find_project_file)."""
    folder, folders = os.path.realpath(cwd), []
    while True:
        folders.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return [os.path.join(f, name) for f in folders for name in _PROJECT_FILES]


def _abs(path) -> str:
    return os.path.realpath(os.fspath(path))


def record(argv, cwd, files, folders, outputs, summary: list[str]) -> None:
    """Remember a finished run: ``files`` were read, ``folders`` listed, ``outputs`` written.

    Best effort: a cache that cannot be written only costs the next run its shortcut.
    """
    entry = {
        "files": {_abs(p): digest(p) for p in [*files, *project_files(cwd)]},
        "folders": {_abs(p): listing(p) for p in folders},
        "outputs": {_abs(p): digest(p) for p in outputs},
        "summary": [str(line) for line in summary],
    }
    if None in entry["outputs"].values():
        return
    target = _record_path(argv, cwd)
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump(entry, f)
        os.replace(tmp, target)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    prune(os.path.dirname(target))


# A record not replayed or rewritten for this long is dropped: each command line,
# folder and transflow version gets its own, and nothing else ever removes them.
RECORD_MAX_AGE = 90 * 24 * 3600
# A temporary this old is a write that never finished (the process was killed).
TMP_MAX_AGE = 3600


def prune(folder, now: float | None = None) -> None:
    """Delete old records and the temporaries of killed writes from ``folder``."""
    import time

    now = time.time() if now is None else now
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        limit = RECORD_MAX_AGE if name.endswith(".marshal") else TMP_MAX_AGE if name.endswith(".tmp") else None
        if limit is None:
            continue
        path = os.path.join(folder, name)
        try:
            if now - os.stat(path).st_mtime > limit:
                os.unlink(path)
        except OSError:
            pass  # gone meanwhile, or not ours to delete


def forget(argv, cwd) -> None:
    try:
        os.unlink(_record_path(argv, cwd))
    except OSError:
        pass


def check(argv, cwd) -> list[str] | None:
    """The recorded summary when a run of ``argv`` in ``cwd`` would change nothing, else None."""
    path = _record_path(argv, cwd)
    try:
        with open(path, "rb") as f:
            entry = marshal.load(f)
        files, folders, outputs = entry["files"], entry["folders"], entry["outputs"]
        summary = entry["summary"]
    except (OSError, ValueError, EOFError, KeyError, TypeError):
        return None
    if any(listing(p) != names for p, names in folders.items()):
        return None
    if any(digest(p) != h for p, h in {**files, **outputs}.items()):
        return None
    try:
        os.utime(path)  # in use: prune() keeps it
    except OSError:
        pass
    return summary


def replay(argv, cwd=None, out=sys.stderr) -> bool:
    """Print the recorded summary and say True when nothing changed since the last run."""
    if not argv or argv[0] != "translate" or any(a in ("-h", "--help") for a in argv):
        return False
    summary = check(argv, cwd or os.getcwd())
    if summary is None:
        return False
    if not any(a in ("-q", "--quiet") for a in argv):
        for line in summary:
            print(line, file=out)
    return True
