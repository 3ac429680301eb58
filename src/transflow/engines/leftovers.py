"""Hidden temporary folders in the packages folder that a killed process left behind.

A download (``.download-*``) or an install (``.install-*``) works in a hidden folder of
its own and holds an exclusive ``flock`` on a file inside it until the folder is gone.
The kernel drops the lock when the process dies, even by SIGKILL. The next download or
install deletes a folder of its kind only when

- none of its lock files is held by a live process, and
- it is older than :data:`STALE_AFTER`: that covers the moment between creating a
  folder and taking its lock, and the folders of transflow versions that took no lock.
"""

import fcntl
import os
import shutil
import stat
import time
from pathlib import Path

STALE_AFTER = 10 * 60  # seconds


def hold(path: Path) -> int:
    """Create ``path`` and lock it; the descriptor to close once the folder is gone."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def unlocked(path: Path) -> bool:
    """Whether no process holds a lock on ``path`` (also true when it is gone)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True  # gone meanwhile
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False  # its process is alive
    finally:
        os.close(fd)


def remove_abandoned(root: Path, prefix: str, lock_files: str, older_than: float = STALE_AFTER) -> list[Path]:
    """Delete the folders ``<root>/<prefix>*`` older than ``older_than`` seconds whose
    ``lock_files`` (a glob inside the folder) no process holds; return them."""
    removed = []
    try:
        candidates = [p for p in Path(root).iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    now = time.time()
    for folder in candidates:
        try:
            st = folder.lstat()
        except OSError:
            continue  # another process removed it meanwhile
        if not stat.S_ISDIR(st.st_mode) or now - st.st_mtime < older_than:
            continue
        if all(unlocked(f) for f in folder.glob(lock_files)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
