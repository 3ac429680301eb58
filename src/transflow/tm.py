"""The translation memory: an SQLite store of MT drafts and of human-reviewed translations.

MT drafts are keyed by model, language pair, glossary version and source text,
so a re-run or another article with the same sentence never pays for MT twice,
and a changed glossary or model is never served stale drafts. Reviewed entries
harvested from PO files are the best matches and spread a translator's work
across articles.

The memory is a cache of work that can be done again, so a damaged one (not an
SQLite file, truncated, "malformed") does not stop the project: it is moved aside,
kept for whoever wants to rescue it, and a new one is started, with a warning. A
memory that cannot be written (read-only, immutable, a full disk, a file where its
folder should be) is an EnvironmentFault naming it, said before any sentence is
translated where it can be.
"""

import difflib
import errno
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_TM_PATH
from .errors import EnvironmentFault

# Close human matches at or above this similarity are offered as fuzzy drafts.
FUZZY_THRESHOLD = 0.75

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mt (
    model TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    glossary TEXT NOT NULL, source TEXT NOT NULL,
    target TEXT NOT NULL, failed TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (model, source_lang, target_lang, glossary, source)
);
CREATE TABLE IF NOT EXISTS human (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, source TEXT NOT NULL,
    target TEXT NOT NULL, origin TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source)
);
CREATE INDEX IF NOT EXISTS human_lang ON human (source_lang, target_lang, length(source));
CREATE TABLE IF NOT EXISTS risk (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    level TEXT NOT NULL, reasons TEXT NOT NULL, method TEXT NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source, target)
);
CREATE TABLE IF NOT EXISTS probe (
    model TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    PRIMARY KEY (model, source_lang, target_lang, source)
);
"""


@dataclass(frozen=True)
class MTHit:
    target: str
    failed: list[str]
    unverified: list = ()  # (term id, reason) pairs: see enforce.Draft.unverified


@dataclass(frozen=True)
class HumanHit:
    source: str
    target: str
    origin: str
    score: float  # 1.0 for an exact match


class TranslationMemory:
    def __init__(self, path: Path | str = DEFAULT_TM_PATH, warn=None):
        """``warn(message)``: told in one line when a damaged memory was moved aside
        (``moved_to`` then says where)."""
        self.path = Path(path)
        self._warn = warn
        self.moved_to: Path | None = None
        try:
            self.db = self._connect()
        except sqlite3.DatabaseError as e:
            if not _damaged(e):
                raise self._fault(e) from None
            self._set_aside(e)
            self.db = self._connect_fresh()

    def _connect(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if self.path.exists():
                    # Read-only or immutable: said now, not after the whole article is translated.
                    os.close(os.open(self.path, os.O_RDWR))
            except OSError as e:
                raise EnvironmentFault.of(e, self.path, "use the translation memory", also=_NO_TM) from None
        # One writer at a time; the WAL journal keeps readers and a crash from corrupting it.
        db = sqlite3.connect(str(self.path), timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _connect_fresh(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as e:
            raise self._fault(e) from None

    def _run(self, work):
        """``work(db)``, with a memory found damaged now moved aside and ``work`` done
        again on a new one (where it finds nothing, and stores what it was given)."""
        try:
            return work(self.db)
        except sqlite3.DatabaseError as e:
            if not _damaged(e) or self.moved_to is not None:
                raise self._fault(e) from None
            damage = e
        self.db.close()
        self._set_aside(damage)
        self.db = self._connect_fresh()
        try:
            return work(self.db)
        except sqlite3.DatabaseError as e:
            raise self._fault(e) from None

    def _set_aside(self, damage: sqlite3.DatabaseError) -> None:
        """Rename the damaged memory (and its journal) to ``<name>.corrupt-<time>``."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside, n = self.path.with_name(f"{self.path.name}.corrupt-{stamp}"), 1
        while any(os.path.lexists(f"{aside}{end}") for end in _FILES):
            aside, n = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}"), n + 1
        try:
            for end in _FILES:  # the database first: a journal alone is harmless
                if os.path.lexists(f"{self.path}{end}"):
                    os.rename(f"{self.path}{end}", f"{aside}{end}")
        except OSError as e:
            raise EnvironmentFault.of(e, self.path, f"move the damaged translation memory ({damage}) aside",
                                      also=f"move or delete it yourself, or {_NO_TM}") from None
        self.moved_to = aside
        if self._warn is not None:
            self._warn(f"the translation memory {self.path} is damaged ({damage}): it is kept as {aside} "
                       f"and a new one was started")

    def _fault(self, error: sqlite3.DatabaseError) -> EnvironmentFault:
        """The one line for a memory SQLite cannot use, with the system's own reason where
        one can be found (SQLite says "unable to open" or "disk I/O error", not why)."""
        name = error.sqlite_errorname or ""
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return EnvironmentFault(f"{self.path}: the translation memory is in use by another program ({error}); "
                                    f"try again when it has finished, or {_NO_TM}")
        if name.startswith("SQLITE_FULL"):
            cause = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        else:
            cause = _os_error(self.path)
        if cause is not None:
            return EnvironmentFault.of(cause, self.path, "write the translation memory", also=_NO_TM)
        return EnvironmentFault(f"{self.path}: the translation memory cannot be used: {error}; "
                                f"check the file and its folder, or {_NO_TM}")

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # MT drafts
    def get_mt(self, model, source_lang, target_lang, glossary, sources) -> dict[str, MTHit]:
        out = {}
        rows = self._run(lambda db: db.execute(
            "SELECT source, target, failed FROM mt WHERE model=? AND source_lang=? AND target_lang=? AND glossary=?",
            (model, source_lang, target_lang, glossary),
        ).fetchall())
        wanted = set(sources)
        for source, target, failed in rows:
            if source in wanted:
                found = json.loads(failed)
                if isinstance(found, dict):  # with the reasons the draft is not verified
                    out[source] = MTHit(target, found["failed"], [tuple(x) for x in found["unverified"]])
                else:
                    out[source] = MTHit(target, found)
        return out

    def put_mt(self, model, source_lang, target_lang, glossary, items) -> None:
        """``items``: (source, target, failed term ids[, (term id, reason) pairs not verified])."""
        def failed(item):
            # The column holds the failed ids as before, or, for a draft with reasons it
            # is not verified, both: older transflow versions read a plain list.
            return json.dumps({"failed": item[2], "unverified": item[3]} if len(item) > 3 and item[3] else item[2],
                              ensure_ascii=False)

        rows = [(model, source_lang, target_lang, glossary, item[0], item[1], failed(item)) for item in items]
        self._run(lambda db: _write(db, "INSERT OR REPLACE INTO mt VALUES (?, ?, ?, ?, ?, ?, ?)", rows))

    # Glossary probes: how a model translates a term alone ("refugees", "the refugee"),
    # which enforcement learns the term's inflected renderings from. They depend on the
    # model only, so every later run with the same terms skips them.
    def get_probes(self, model, source_lang, target_lang) -> dict[str, str]:
        return dict(self._run(lambda db: db.execute(
            "SELECT source, target FROM probe WHERE model=? AND source_lang=? AND target_lang=?",
            (model, source_lang, target_lang),
        ).fetchall()))

    def put_probes(self, model, source_lang, target_lang, probes: dict[str, str]) -> None:
        rows = [(model, source_lang, target_lang, s, t) for s, t in probes.items()]
        self._run(lambda db: _write(db, "INSERT OR IGNORE INTO probe VALUES (?, ?, ?, ?, ?)", rows))

    # Risk assessments (risk/): of one draft text for one source, so that a re-run keeps
    # the assessment of an unchanged draft, and `check --risk` knows a reviewed entry
    # that is still, word for word, a draft assessed high.
    def get_risk(self, source_lang, target_lang, pairs, method=None) -> dict[tuple[str, str], tuple[str, list[str]]]:
        """(source, draft) -> (level, reasons) for the pairs assessed (by ``method``, when given)."""
        wanted = set(pairs)
        rows = self._run(lambda db: db.execute(
            "SELECT source, target, level, reasons, method FROM risk WHERE source_lang=? AND target_lang=?",
            (source_lang, target_lang),
        ).fetchall())
        return {(s, t): (level, json.loads(reasons)) for s, t, level, reasons, m in rows
                if (s, t) in wanted and (method is None or m == method)}

    def put_risk(self, source_lang, target_lang, method, items) -> None:
        """``items``: (source, draft, level, reasons)."""
        rows = [(source_lang, target_lang, s, t, level, json.dumps(list(r), ensure_ascii=False), method)
                for s, t, level, r in items]
        self._run(lambda db: _write(db, "INSERT OR REPLACE INTO risk VALUES (?, ?, ?, ?, ?, ?, ?)", rows))

    # Human translations
    def put_human(self, source_lang, target_lang, items) -> None:
        """``items``: (source, reviewed target, origin such as 'locales/pt/LC_MESSAGES/a.po')."""
        rows = [(source_lang, target_lang, s, t, o) for s, t, o in items]
        self._run(lambda db: _write(db, "INSERT OR REPLACE INTO human VALUES (?, ?, ?, ?, ?)", rows))

    def get_human(self, source_lang, target_lang, sources, threshold=FUZZY_THRESHOLD) -> dict[str, HumanHit]:
        """The best reviewed translation for each source: exact, else the closest above ``threshold``."""
        out = {}
        rows = self._run(lambda db: db.execute(
            "SELECT source, target, origin FROM human WHERE source_lang=? AND target_lang=?",
            (source_lang, target_lang),
        ).fetchall())
        exact = {s: (t, o) for s, t, o in rows}
        for source in sources:
            if source in exact:
                t, o = exact[source]
                out[source] = HumanHit(source, t, o, 1.0)
                continue
            best = None
            matcher = difflib.SequenceMatcher(autojunk=False)
            matcher.set_seq2(source)
            for s, t, o in rows:
                # Cheap bounds first: most candidates are ruled out by length alone.
                if min(len(s), len(source)) * 2 / (len(s) + len(source)) < threshold:
                    continue
                matcher.set_seq1(s)
                if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                    continue
                score = matcher.ratio()
                if score >= threshold and (best is None or score > best.score):
                    best = HumanHit(s, t, o, score)
            if best:
                out[source] = best
        return out


_NO_TM = "pass --tm with another file, or --no-tm"
_FILES = ("", "-wal", "-shm")  # an SQLite database and its WAL journal


def _write(db: sqlite3.Connection, sql: str, rows: list) -> None:
    with db:  # one transaction: all the rows or none
        db.executemany(sql, rows)


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Not an SQLite file, or one whose pages contradict each other (truncated, overwritten)."""
    return (error.sqlite_errorname or "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _os_error(path: Path) -> OSError | None:
    """Why the system refuses to let the memory be written, found by asking it directly:
    opening the file for writing, and writing a file in its folder (SQLite keeps its
    journal there). None when both work."""
    import tempfile

    try:
        if path.exists():
            os.close(os.open(path, os.O_RDWR))
        with tempfile.TemporaryFile(dir=path.parent, buffering=0) as probe:
            probe.write(b"\0")  # a full disk refuses a byte, not an empty file
    except OSError as e:
        return e
    return None
