"""Atomic file writes: a crash, a kill or a full disk leaves the old file or the new one, never half of each.

The temporary file lives in the target's directory so ``os.replace`` is a
rename within one file system, which POSIX makes atomic. A path that is a symbolic
link is written through: the file it points to is replaced (atomically, beside
itself) and the link stays a link, as editors save a symlinked file. Only regular
files are replaced: renaming over a device or a FIFO (``-o /dev/null`` as root)
would put a plain file in its place. Its name,
``.<name>.<pid>.<random>.tmp``, says which process writes it: one left by a
process killed mid-write (SIGKILL, a power cut) is an orphan that
:func:`remove_orphans` deletes.
"""

import os
import re
import stat
import time
from pathlib import Path

from .errors import EnvironmentFault

# A temporary of a dead writer is deleted once it is this old (seconds): a process of
# another PID namespace (a container) or machine writing to a shared disk may look dead
# from here, and no write of a file takes this long.
ORPHAN_GRACE = 60
# Older than this (seconds), a temporary is an orphan whatever its name says (the PID
# may have been reused; earlier transflow versions put no PID in the name).
ORPHAN_AGE = 60 * 60


def write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; a fault of the machine (full disk, read-only
    or immutable file, a file where a folder should be) is an EnvironmentFault naming
    ``path``, with the old file untouched. Through a symbolic link the file it ends at
    is written (the link stays); anything but a regular file there is refused."""
    path = target(path)
    try:
        _write_bytes(path, data)
    except OSError as e:
        raise EnvironmentFault.of(e, path) from None


def check_writable(path) -> None:
    """Raise now the EnvironmentFault :func:`write_bytes` would raise for ``path`` in a
    read-only, immutable or forbidden file or folder, so a long run stops before its
    work instead of after it. Writes nothing (a full disk is found only by writing)."""
    import tempfile

    path = target(path)
    try:
        if path.exists():
            os.close(os.open(path, os.O_WRONLY))  # an immutable or append-only file refuses this
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        try:
            with tempfile.TemporaryFile(dir=folder):  # where the temporary would go
                pass
        except OSError as e:
            raise OSError(e.errno, e.strerror, str(folder)) from None  # not the temporary's name
    except OSError as e:
        raise EnvironmentFault.of(e, path) from None


def _write_bytes(path: Path, data: bytes) -> None:
    import tempfile  # with shutil and random, 3 ms of start-up before the model can load

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        # Ctrl-C or an error mid-write: the old file is untouched, drop the partial one.
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def target(path) -> Path:
    """The file a write to ``path`` replaces: the end of its symbolic links, if any.
    InputError when that is something other than a regular file."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode
    except OSError:
        return path  # not there yet
    if not stat.S_ISREG(mode):
        from .errors import InputError

        raise InputError(f"{path} is not a regular file; transflow writes only regular files")
    return path


def write_text(path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(path, text.encode(encoding))


def remove_orphans(path, now: float | None = None) -> list[Path]:
    """Delete the temporaries of writes to ``path`` whose writer is clearly gone: its PID
    (in the name) is no running process and the file is over :data:`ORPHAN_GRACE`
    seconds old, or the file is over :data:`ORPHAN_AGE` seconds old. Returns them."""
    path = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    # mkstemp's random part is 8 of [a-z0-9_]; names without a PID are from earlier versions.
    name = re.compile(re.escape(f".{path.name}.") + r"(?:(\d+)\.)?[a-z0-9_]{8}\.tmp")
    try:
        candidates = [n for n in os.listdir(path.parent) if name.fullmatch(n)]
    except OSError:
        return []
    now = time.time() if now is None else now
    removed = []
    for n in candidates:
        tmp = path.parent / n
        try:
            st = tmp.lstat()
        except OSError:
            continue  # renamed into place or removed meanwhile
        if not stat.S_ISREG(st.st_mode):
            continue
        age = now - st.st_mtime
        pid = name.fullmatch(n).group(1)
        if age > ORPHAN_AGE or (pid is not None and age > ORPHAN_GRACE and not _alive(int(pid))):
            try:
                tmp.unlink()
            except FileNotFoundError:
                continue
            removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs here (when in doubt: yes)."""
    if pid <= 0 or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # PermissionError: it runs, as another user
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
