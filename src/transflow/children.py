"""Child processes that die with their parent.

A child left behind by a parent killed with SIGKILL (or any signal the parent does
not handle) goes on under PID 1: a segmenting child of a huge article was seen at
718 MB and growing a minute after its parent died. So every child transflow starts
is tied to its parent's life:

- A forked child (beside.py) asks Linux for SIGKILL when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``), then checks that the parent has not already died
  before that request was made. Where there is no prctl, it watches a pipe whose
  only write end the parent holds: end of file means the parent is gone.
- A spawned worker (bergamot.py's process pool) watches the pipe multiprocessing
  already keeps from its parent (``parent_process().sentinel``). Not the death
  signal: Linux sends it when the parent *thread* that started the child exits, and
  a pool may start its workers from a thread that ends before the pool does.

Apertium's subprocesses need nothing: they read their whole input from a pipe and
write to another, so a dead parent means end of input and a broken output pipe.
"""

import os
import sys
import threading

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, lifeline: int | None = None) -> None:
    """In a child, right after fork: end this process as soon as ``parent_pid`` dies.

    ``lifeline``: the read end of a pipe whose write end only the parent holds, for
    systems without prctl (see :func:`lifeline`)."""
    import signal

    if _death_signal(signal.SIGKILL):
        if os.getppid() != parent_pid:  # died before the request was made: no signal will come
            os._exit(1)
        if lifeline is not None:
            os.close(lifeline)
        return
    if lifeline is not None:
        watch(lifeline)
    elif os.getppid() != parent_pid:
        os._exit(1)


def lifeline() -> tuple[int, int]:
    """A pipe (read end, write end) for :func:`die_with_parent`: the parent keeps the
    write end open while the child runs; the child closes it and watches the read end."""
    return os.pipe()


def watch(fd: int) -> None:
    """End this process (exit status 1) when ``fd``, the read end of a pipe, reaches
    end of file: every process holding its write end has closed it or died."""

    def wait() -> None:
        try:
            while os.read(fd, 512):
                pass
        except OSError:
            pass
        os._exit(1)  # no cleanup: the parent that would want the result is gone

    threading.Thread(target=wait, name="transflow-parent-watch", daemon=True).start()


def watch_multiprocessing_parent() -> None:
    """In a multiprocessing child (spawn or forkserver): end it when its parent dies."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None and isinstance(parent.sentinel, int):
        watch(parent.sentinel)


def _death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; False
    where that cannot be asked (another system, a libc without prctl)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes  # in the child: the parent's start-up does not pay for it

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return False
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
