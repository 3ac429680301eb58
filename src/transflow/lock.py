"""One run at a time per locales directory: an advisory lock with a bounded wait.

flock locks die with their process, so a killed run never leaves a stale lock.
"""

import errno
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import BusyError, EnvironmentFault

LOCK_NAME = ".transflow.lock"
DEFAULT_TIMEOUT = 60.0


@contextmanager
def locked(folder: Path, timeout: float = DEFAULT_TIMEOUT, poll: float = 0.1):
    import fcntl

    folder = Path(folder)
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        # The first write of a run: a read-only locales folder stops it here, before
        # any sentence is translated.
        raise EnvironmentFault.of(e, folder, "write into it") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"{folder} is in use by another transflow run (waited {timeout:g} s); "
                        f"try again when it has finished"
                    ) from None
                time.sleep(poll)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError as e:
            raise EnvironmentFault.of(e, path) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
