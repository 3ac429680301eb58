"""Issue: the translation memory means MT is never paid twice for a unit.

MT drafts are keyed by engine and model, language pair, glossary version and source
unit; reviewed entries of PO files in the same language are the best matches (exact:
reused as reviewed; close: a fuzzy draft with the score in a comment). Every test
counts the sentences that reach the real engine through a wrapper that delegates.
"""

import shutil
import sqlite3

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, GLOSSARY, msgfmt_check

from transflow import engines, pipeline
from transflow.cli import main
from transflow.glossary import Glossary
from transflow.glossary import load as load_glossary
from transflow.readers import read
from transflow.segment import segment


class CountingEngine:
    """The real engine, with every sentence it is asked to translate recorded."""

    def __init__(self, engine, log):
        self.engine, self.log = engine, log
        self.info = engine.info

    def translate(self, texts):
        self.log.append((self.info.model_id, list(texts)))
        return self.engine.translate(texts)

    def close(self):
        getattr(self.engine, "close", lambda: None)()


@pytest.fixture
def mt(monkeypatch):
    """``mt.sent(units)``: the units among the sentences sent to MT since the last ``mt.clear()``."""
    log = []
    real = engines.load_engine
    monkeypatch.setattr(engines, "load_engine", lambda info, jobs=None: CountingEngine(real(info, jobs=jobs), log))

    class Calls:
        def sent(self, units=None):
            texts = [t for _, call in log for t in call]
            return texts if units is None else [t for t in texts if t in set(units)]

        def models(self):
            return {model for model, _ in log}

        def clear(self):
            log.clear()

    return Calls()


def units_of(path):
    return [u.text for u in segment(read(path))]


def po_of(project, lang, stem):
    path = project / "locales" / lang / "LC_MESSAGES" / f"{stem}.po"
    msgfmt_check(path)
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def run(paths, langs, project, glossary, **kw):
    return pipeline.translate(paths, langs, glossary=glossary, locales=project / "locales", tm=project / "tm.sqlite", **kw)


def test_rerun_and_another_article_never_send_a_seen_unit_to_mt(project, mt):
    glossary = load_glossary(GLOSSARY)
    a = project / EXAMPLE.name
    units_a = list(dict.fromkeys(units_of(a)))
    run([a], ["pt"], project, glossary)
    assert sorted(mt.sent(units_a)) == sorted(units_a)  # each distinct unit exactly once
    first = po_of(project, "pt", a.stem)

    # The PO file is gone (a new checkout, another desk): every draft comes from the TM.
    shutil.rmtree(project / "locales")
    mt.clear()
    [outcome] = run([a], ["pt"], project, glossary)
    assert mt.sent() == []
    assert outcome.translated == 0 and outcome.from_tm == outcome.entries == len(units_a)
    again = po_of(project, "pt", a.stem)
    assert {k: (e.msgstr, e.comment) for k, e in again.items()} == {k: (e.msgstr, e.comment) for k, e in first.items()}

    # A second article sharing half its sentences: only the new half goes to MT.
    shared = units_a[::2]
    new = [f"Reporter {i} counted {i + 3} new arrivals at the shelter on day {i}." for i in range(len(units_a) - len(shared))]
    b = project / "second-article.txt"
    b.write_text("\n\n".join(shared + new) + "\n", encoding="utf-8")
    assert set(units_of(b)) == set(shared + new)
    mt.clear()
    [outcome] = run([b], ["pt"], project, glossary)
    assert sorted(mt.sent(shared + new)) == sorted(new)
    assert outcome.translated == len(new) and outcome.from_tm == len(shared)
    second = po_of(project, "pt", b.stem)
    assert all(second[s].msgstr == first[s].msgstr for s in shared)


def test_drafts_are_keyed_by_model_language_pair_and_glossary(project, mt, tmp_path):
    no_terms = Glossary()
    a = project / EXAMPLE.name
    units = list(dict.fromkeys(units_of(a)))
    run([a], ["pt"], project, no_terms, engine="bergamot")
    rows = sqlite3.connect(project / "tm.sqlite").execute(
        "SELECT DISTINCT model, source_lang, target_lang, glossary FROM mt").fetchall()
    assert rows == [("bergamot:enpt-1693087644", "en", "pt", no_terms.version)]

    # Another engine for the same pair (an Argos package that upper-cases its input):
    # the Bergamot drafts are not served as its output.
    for target in ("pt", "de"):
        package = build_argos_package(tmp_path / "pkg", source="en", target=target, upper=True)
        assert CliRunner().invoke(main, ["models", "install", str(package)]).exit_code == 0
    shutil.rmtree(project / "locales")
    mt.clear()
    run([a], ["pt"], project, no_terms, engine="argos")
    # (The embedded pt->en model back-translates the new drafts for the risk assessment.)
    assert mt.models() == {"argos:translate-en_pt-1.0", "bergamot:pten-1693087646"}
    assert sorted(mt.sent(units)) == sorted(units)
    assert all(e.msgstr == e.msgid.upper() for e in po_of(project, "pt", a.stem).values() if e.msgid.isascii())

    # Back to Bergamot: its own drafts are still there, nothing goes to MT.
    shutil.rmtree(project / "locales")
    mt.clear()
    run([a], ["pt"], project, no_terms, engine="bergamot")
    assert mt.sent() == []

    # Another target language is another key.
    mt.clear()
    run([a], ["de"], project, no_terms, engine="argos")
    assert sorted(mt.sent(units)) == sorted(units)

    # A changed glossary changes the version: drafts made with the old one are not reused.
    glossary = load_glossary(GLOSSARY)
    assert glossary.version != no_terms.version
    shutil.rmtree(project / "locales")
    mt.clear()
    run([a], ["pt"], project, glossary, engine="bergamot")
    assert sorted(mt.sent(units)) == sorted(units)


REVIEWED_EXACT = "Many of them were arrested after crossing the Tumen River in the past year."
EXACT_PT = "Muitos deles foram presos depois de atravessar o rio Tumen no último ano."
REVIEWED_CLOSE = "The UNHCR has repeatedly asked for access to North Koreans held in China."
CLOSE_PT = "O ACNUR pediu repetidas vezes acesso aos norte-coreanos detidos na China."
CLOSE_NEW = "The UNHCR has repeatedly asked for access to North Koreans detained in China."


def test_reviewed_entries_of_the_language_are_the_best_matches(project, mt):
    glossary = load_glossary(GLOSSARY)
    a = project / EXAMPLE.name
    run([a], ["pt"], project, glossary)
    # A translator reviews two entries of the first article.
    path = project / "locales/pt/LC_MESSAGES" / f"{a.stem}.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in (REVIEWED_EXACT, REVIEWED_CLOSE):
            entry.msgstr = EXACT_PT if entry.msgid == REVIEWED_EXACT else CLOSE_PT
            entry.flags.remove("fuzzy")
    po.save(str(path))

    other = "Aid workers said the new shelter in Seoul opened in March."
    c = project / "follow-up.txt"
    c.write_text(f"{REVIEWED_EXACT}\n\n{CLOSE_NEW}\n\n{other}\n", encoding="utf-8")
    mt.clear()
    [outcome] = run([c], ["pt"], project, glossary)
    # Only the sentence no one has seen goes to MT, even though the MT table also
    # holds drafts of the reviewed sentences: a human translation beats a draft.
    assert mt.sent([REVIEWED_EXACT, CLOSE_NEW, other]) == [other]
    assert outcome.from_tm == 2 and outcome.translated == 1
    entries = po_of(project, "pt", c.stem)
    origin = f"locales/pt/LC_MESSAGES/{a.stem}.po"

    exact = entries[REVIEWED_EXACT]
    assert exact.msgstr == EXACT_PT and "fuzzy" not in exact.flags
    assert f"tm: reviewed in {project.as_posix()}/{origin}" in exact.comment

    close = entries[CLOSE_NEW]
    assert close.msgstr == CLOSE_PT and "fuzzy" in close.flags
    assert close.previous_msgid == REVIEWED_CLOSE
    [note] = [line for line in close.comment.splitlines() if line.startswith("tm: ")]
    score = int(note.split("%")[0].removeprefix("tm: "))
    assert 75 <= score < 100 and note.endswith(origin)

    assert "fuzzy" in entries[other].flags and entries[other].msgstr


def test_no_tm_neither_reads_nor_writes_it(project, mt):
    runner = CliRunner()
    assert runner.invoke(main, ["translate", EXAMPLE.name, "--to", "pt"]).exit_code == 0
    assert (project / ".transflow/tm.sqlite").exists()
    shutil.rmtree(project / "locales")
    mt.clear()
    result = runner.invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm", "--tm", "other.sqlite"])
    assert result.exit_code == 0, result.output
    units = set(units_of(project / EXAMPLE.name))
    assert set(mt.sent(units)) == units
    assert not (project / "other.sqlite").exists()


def test_glossary_probes_are_remembered_across_runs(project, mt, monkeypatch):
    """How the model translates a term alone is learnt once: a later run (a new process,
    so nothing in memory) on new sentences with the same terms asks it no probe again,
    and gets the same drafts as a run that probes afresh."""
    from transflow import enforce

    glossary = load_glossary(GLOSSARY)
    a = project / "first.txt"
    a.write_text("The refugees were sent back. A defector spoke to investigators.\n", encoding="utf-8")
    monkeypatch.setattr(enforce, "_PROBES", {})
    run([a], ["pt"], project, glossary)
    with sqlite3.connect(project / "tm.sqlite") as db:
        probes = dict(db.execute("SELECT source, target FROM probe WHERE target_lang = 'pt'"))
    assert probes and set(probes) <= set(mt.sent()) and not set(probes) & set(units_of(a))

    b = project / "second.txt"
    b.write_text("Two refugees and one defector reached Seoul. The defector asked for asylum.\n", encoding="utf-8")
    monkeypatch.setattr(enforce, "_PROBES", {})
    mt.clear()
    run([b], ["pt"], project, glossary)
    assert not set(mt.sent()) & set(probes)
    remembered = po_of(project, "pt", b.stem)

    monkeypatch.setattr(enforce, "_PROBES", {})
    mt.clear()
    pipeline.translate([b], ["pt"], glossary=glossary, locales=project / "fresh", tm=None)
    assert set(mt.sent()) & set(probes)  # without the memory they are asked again
    fresh = {e.msgid: e.msgstr for e in polib.pofile(str(project / "fresh" / "pt" / "LC_MESSAGES" / "second.po"))}
    assert {k: e.msgstr for k, e in remembered.items()} == fresh
