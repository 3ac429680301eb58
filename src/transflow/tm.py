"""The translation memory: an SQLite store of MT drafts and of human-reviewed translations.

MT drafts are keyed by model, language pair, glossary version and source text,
so a re-run or another article with the same sentence never pays for MT twice,
and a changed glossary or model is never served stale drafts. Reviewed entries
harvested from PO files are the best matches and spread a translator's work
across articles.
"""

import difflib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_TM_PATH

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
    def __init__(self, path: Path | str = DEFAULT_TM_PATH):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # One writer at a time; the WAL journal keeps readers and a crash from corrupting it.
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def close(self):
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # MT drafts
    def get_mt(self, model, source_lang, target_lang, glossary, sources) -> dict[str, MTHit]:
        out = {}
        rows = self.db.execute(
            "SELECT source, target, failed FROM mt WHERE model=? AND source_lang=? AND target_lang=? AND glossary=?",
            (model, source_lang, target_lang, glossary),
        )
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

        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO mt VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(model, source_lang, target_lang, glossary, item[0], item[1], failed(item)) for item in items],
            )

    # Glossary probes: how a model translates a term alone ("refugees", "the refugee"),
    # which enforcement learns the term's inflected renderings from. They depend on the
    # model only, so every later run with the same terms skips them.
    def get_probes(self, model, source_lang, target_lang) -> dict[str, str]:
        rows = self.db.execute(
            "SELECT source, target FROM probe WHERE model=? AND source_lang=? AND target_lang=?",
            (model, source_lang, target_lang),
        )
        return dict(rows)

    def put_probes(self, model, source_lang, target_lang, probes: dict[str, str]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO probe VALUES (?, ?, ?, ?, ?)",
                [(model, source_lang, target_lang, s, t) for s, t in probes.items()],
            )

    # Risk assessments (risk/): of one draft text for one source, so that a re-run keeps
    # the assessment of an unchanged draft, and `check --risk` knows a reviewed entry
    # that is still, word for word, a draft assessed high.
    def get_risk(self, source_lang, target_lang, pairs, method=None) -> dict[tuple[str, str], tuple[str, list[str]]]:
        """(source, draft) -> (level, reasons) for the pairs assessed (by ``method``, when given)."""
        wanted = set(pairs)
        rows = self.db.execute(
            "SELECT source, target, level, reasons, method FROM risk WHERE source_lang=? AND target_lang=?",
            (source_lang, target_lang),
        )
        return {(s, t): (level, json.loads(reasons)) for s, t, level, reasons, m in rows
                if (s, t) in wanted and (method is None or m == method)}

    def put_risk(self, source_lang, target_lang, method, items) -> None:
        """``items``: (source, draft, level, reasons)."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO risk VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(source_lang, target_lang, s, t, level, json.dumps(list(r), ensure_ascii=False), method)
                 for s, t, level, r in items],
            )

    # Human translations
    def put_human(self, source_lang, target_lang, items) -> None:
        """``items``: (source, reviewed target, origin such as 'locales/pt/LC_MESSAGES/a.po')."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO human VALUES (?, ?, ?, ?, ?)",
                [(source_lang, target_lang, s, t, o) for s, t, o in items],
            )

    def get_human(self, source_lang, target_lang, sources, threshold=FUZZY_THRESHOLD) -> dict[str, HumanHit]:
        """The best reviewed translation for each source: exact, else the closest above ``threshold``."""
        out = {}
        rows = self.db.execute(
            "SELECT source, target, origin FROM human WHERE source_lang=? AND target_lang=?",
            (source_lang, target_lang),
        ).fetchall()
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
