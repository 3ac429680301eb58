"""Progress of a translate run: units done per language, and a way to stop between batches.

``pipeline.translate(progress=callback)`` calls ``callback(lang, done, total)`` from
the worker thread of each language, after every batch the engine returns: ``done``
units of ``total`` sent to MT for that language (units served by the translation
memory are not counted). :class:`TerminalBar` is the callback the CLI uses when
stderr is a terminal.
"""

import inspect
import sys
import threading
import time

# The engine gets batches of about this many seconds of work: often enough for a
# live bar and a prompt Ctrl-C, seldom enough that the batch edges cost nothing
# measurable (an engine's threads wait for the slowest sentence at each edge).
BATCH_SECONDS = 2.0
FIRST_BATCH = 64  # sentences, before the engine's speed is known
MAX_BATCH = 4096


class Cancelled(Exception):
    """The run was stopped (Ctrl-C, or another language failed) between two batches.

    ``finished``: what the engine had translated by then, text -> translation, so that
    the caller can keep it."""

    def __init__(self, finished: dict | None = None):
        super().__init__()
        self.finished = finished or {}


class ReportingEngine:
    """An engine wrapper that hands the engine its texts in timed batches, reports
    the units done after each one and stops between batches once ``cancel`` is set.

    The first ``units`` texts the engine is sent over all calls are the language's
    units (the enforcer and the placeholder wrapper put them first); what follows,
    glossary probes and retries, does not move the count past ``units``.
    """

    def __init__(self, engine, lang: str, units: int, cancel: threading.Event, progress=None):
        self.engine = engine
        self.info = getattr(engine, "info", None)
        self.lang, self.units, self.cancel, self.progress = lang, units, cancel, progress
        self.done = 0
        # Every text translated through this wrapper, including those of a call that
        # was stopped: after Ctrl-C the caller keeps what need not be done again.
        self.finished: dict[str, str] = {}
        self._size = FIRST_BATCH
        self._reports = takes_progress(engine)

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, texts):
        texts = list(texts)
        if self._reports:
            # The engine reports each text itself and stops when told: no batch edges.
            base = self.done

            def report(n):
                self.done = base + n
                self._report()

            try:
                out = self.engine.translate(texts, progress=report, cancel=self.cancel)
            except Cancelled as stop:
                self.finished.update(stop.finished)
                raise
            self.done = base + len(texts)
            self.finished.update(zip(texts, out))
            return out
        out = []
        while len(out) < len(texts):
            if self.cancel.is_set():
                self.finished.update(zip(texts, out))
                raise Cancelled(dict(zip(texts, out)))
            batch = texts[len(out) : len(out) + self._size]
            started = time.perf_counter()
            out += self.engine.translate(batch)
            took = time.perf_counter() - started
            if len(batch) == self._size and took > 0:
                self._size = max(FIRST_BATCH, min(MAX_BATCH, int(len(batch) * BATCH_SECONDS / took)))
            self.done += len(batch)
            self._report()
        self.finished.update(zip(texts, out))
        return out

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.lang, min(self.done, self.units), self.units)


def takes_progress(engine) -> bool:
    """The engine says it takes ``progress`` and ``cancel``, and its translate (which a
    caller may have wrapped) really does."""
    if not getattr(engine, "reports_progress", False):
        return False
    try:
        params = inspect.signature(engine.translate).parameters
    except (TypeError, ValueError):
        return False
    return "progress" in params and "cancel" in params


class TerminalBar:
    """One line on a terminal, redrawn in place:
    ``translating pt 340/900  de 900/900  [####----]  69%  0:12 elapsed, about 0:05 left``.

    Silent for the first ``delay`` seconds, so runs shorter than that print no bar;
    thread-safe (each language reports from its own thread). The time left is the units
    still to do at the pace since the first report (model loading, before it, is not
    translating). ``clock``: seconds, monotonic (tests pass their own).
    """

    def __init__(self, stream=None, delay: float = 1.0, width: int = 24, every: float = 0.1, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.delay, self.width, self.every, self.clock = delay, width, every, clock
        self.started = clock()
        self.last = 0.0
        self.first: tuple[float, int] | None = None  # (time, units done) of the first report
        self.state: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()
        self.drawn = False

    def __call__(self, lang: str, done: int, total: int) -> None:
        with self.lock:
            self.state[lang] = (done, total)
            now = self.clock()
            if self.first is None:
                self.first = (now, self._done())
            # Engines report every sentence; the terminal is redrawn at most every ``every`` s.
            if now - self.started >= self.delay and (now - self.last >= self.every or done == total):
                self.last = now
                self._draw(now)

    def _done(self) -> int:
        return sum(d for d, _ in self.state.values())

    def _draw(self, now: float) -> None:
        done = self._done()
        total = sum(t for _, t in self.state.values()) or 1
        filled = self.width * done // total
        langs = "  ".join(f"{lang} {d}/{t}" for lang, (d, t) in self.state.items())
        line = f"translating {langs}  [{'#' * filled}{'-' * (self.width - filled)}] {100 * done // total:3d}%"
        line += f"  {_clock(now - self.started)} elapsed"
        since, then = self.first
        if done < total and done > then and now > since:
            line += f", about {_clock((total - done) * (now - since) / (done - then))} left"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Clear the bar's line, so what the command prints next starts on a clean line."""
        with self.lock:
            if self.drawn:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.drawn = False


def _clock(seconds: float) -> str:
    """``0:07``, ``12:40``, ``1:02:09``."""
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
