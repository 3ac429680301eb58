"""One run at a time per locales directory: an advisory lock with a bounded wait.

flock locks die with their process, so a killed run never leaves a stale lock.
"""

import errno
import math
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import BusyError, EnvironmentFault, InputError

LOCK_NAME = ".transflow.lock"
DEFAULT_TIMEOUT = 60.0


# A day: longer waits are a typo, and NaN or infinity would wait for ever (NaN compares
# false with every deadline).
MAX_TIMEOUT = 24 * 3600.0


def checked_timeout(seconds) -> float:
    """``seconds`` as a wait for the lock, or InputError: a finite number from 0 to MAX_TIMEOUT."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 <= value <= MAX_TIMEOUT:  # false for NaN too
        raise InputError(f"--lock-timeout must be a number of seconds from 0 to {MAX_TIMEOUT:g}, not {seconds!r}")
    return value


@contextmanager
def locked(folder: Path, timeout: float = DEFAULT_TIMEOUT, poll: float = 0.1):
    import fcntl

    timeout = checked_timeout(timeout)
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
