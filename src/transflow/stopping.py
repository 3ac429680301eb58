"""How a run stops: SIGTERM ends it the way Ctrl-C does.

Service managers, ``timeout``, CI runners and ``kill`` stop a job with SIGTERM.
Python's default for it ends the process on the spot, between two writes of a
translate run, with the finished languages' drafts not yet in the translation
memory. Under :func:`sigterm_as_interrupt` SIGTERM raises :class:`Terminated`, a
KeyboardInterrupt, so every place that keeps what is finished on Ctrl-C does so on
SIGTERM too; the program then exits 143 (128 + 15), as a shell reports a process
ended by SIGTERM.
"""

import signal
import threading
from contextlib import contextmanager

EXIT_CODE = 128 + signal.SIGTERM
# How often the main thread, waiting for other threads or a child, looks for a signal.
# The kernel may hand SIGINT or SIGTERM to any thread (an engine's native one among
# them): Python then runs the handler only when the main thread runs again, which a
# wait with no end would put off until the work is done.
CHECK_SECONDS = 0.25


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises KeyboardInterrupt."""


class _Received:
    def __init__(self):
        self.sigterm = False


_received = _Received()


@contextmanager
def sigterm_as_interrupt():
    """SIGTERM raises :class:`Terminated` inside the block; yields an object whose
    ``sigterm`` says whether one came. Only the main thread can change how a signal
    is handled: elsewhere (a library caller's thread) nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield _Received()
        return

    def stop(signum, frame):
        _received.sigterm = True
        raise Terminated()

    _received.sigterm = False
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield _received
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def deferred():
    """Ctrl-C and SIGTERM wait for the end of the block, then raise as they would have:
    a language's files written and recorded are one step, or the message would say
    "wrote nothing" of a file just written. In a thread other than the main one,
    nothing waits (only the main thread can change how a signal is handled)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came = []

    def hold(signum, frame):
        came.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(came):  # each once, in the order they came
            handler = previous[signum]
            if callable(handler):  # sigterm_as_interrupt's, or Python's Ctrl-C handler
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
