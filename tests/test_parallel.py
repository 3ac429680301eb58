"""Issue: every core in use (threads, processes or CTranslate2's own threads, and
languages in parallel), one engine load per language for many articles, progress.

No timing is asserted (2 shared cores); benchmarks/run.py measures the speed.
"""

import io
import os
import threading

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, GLOSSARY, msgfmt_check, requires_gettext

from transflow import engines, pipeline
from transflow.cli import main
from transflow.engines import bergamot
from transflow.glossary import Glossary
from transflow.glossary import load as load_glossary
from transflow.progress import TerminalBar
from transflow.readers import read
from transflow.segment import segment


@pytest.fixture
def fx_cache(tmp_path, monkeypatch):
    """An fxtranslate cache holding en->pt: the embedded model's files, as `fxtranslate models add` lays them out."""
    [(_, embedded)] = [(i, d) for i, d in bergamot.embedded_models() if i.target == "pt"]
    pair = tmp_path / "fx-cache" / "en-pt"
    pair.mkdir(parents=True)
    for name in ("model.enpt.intgemm.alphas.bin", "lex.50.50.enpt.s2t.bin", "vocab.enpt.spm"):
        (pair / name).symlink_to(embedded / name)
    monkeypatch.setenv("TRANSFLOW_BERGAMOT_CACHE", str(tmp_path / "fx-cache"))
    [(info, path)] = bergamot.cached_models()
    return info, path


def test_fxtranslate_models_run_in_worker_processes(fx_cache):
    info, path = fx_cache
    texts = [u.text for u in segment(read(EXAMPLE))]
    serial = bergamot.BergamotEngine(info, path, jobs=1).translate(texts)
    engine = bergamot.BergamotEngine(info, path, jobs=2)
    try:
        assert engine.translate(texts) == serial
        workers = list(engine._pool._processes.values())
        assert len(workers) == 2 and all(p.pid != os.getpid() for p in workers)
        # The pool stays for the next batch (enforcement sends two), then close() ends it.
        assert engine.translate(texts[:3] + [""]) == serial[:3] + [""]
    finally:
        engine.close()
    assert engine._pool is None and not any(p.is_alive() for p in workers)


def test_an_fxtranslate_translator_is_used_from_other_threads(fx_cache):
    # The Translator cannot cross threads; the engine makes one per thread.
    info, path = fx_cache
    engine = bergamot.BergamotEngine(info, path, jobs=1)
    out = {}
    thread = threading.Thread(target=lambda: out.update(t=engine.translate(["The refugees arrived."])))
    thread.start()
    thread.join()
    assert out["t"] == engine.translate(["The refugees arrived."]) and out["t"][0]


@pytest.fixture
def loads(monkeypatch):
    """Model ids of every engine load, and the jobs it was given."""
    seen = []
    real = engines.load_engine

    def counting(info, jobs=None):
        seen.append((info.model_id, jobs))
        return real(info, jobs=jobs)

    monkeypatch.setattr(engines, "load_engine", counting)
    return seen


def test_many_articles_into_many_languages_load_each_engine_once(project, tmp_path, loads):
    package = build_argos_package(tmp_path / "pkg", source="en", target="de")
    assert CliRunner().invoke(main, ["models", "install", str(package)]).exit_code == 0
    units = list(dict.fromkeys(u.text for u in segment(read(EXAMPLE))))
    articles = []
    for i in range(3):
        path = project / f"article-{i}.txt"
        # Each article shares a third of the example with the others and has its own sentence.
        path.write_text("\n\n".join(units[i::3] + units[:4] + [f"Article {i} has its own closing line."]) + "\n",
                        encoding="utf-8")
        articles.append(path.name)
    (project / "no-terms").mkdir()
    result = CliRunner().invoke(main, ["translate", *articles, "--to", "pt,de", "--jobs", "2", "--no-tm",
                                       "--glossary", "no-terms"])
    assert result.exit_code == 0, result.output
    # Each once, and once the pt->en model that back-translates the pt drafts (risk/);
    # de has no reverse model here.
    assert sorted(loads) == [("argos:translate-en_de-1.0", 2), ("bergamot:enpt-1693087644", 2),
                             ("bergamot:pten-1693087646", 2)]
    for lang in ("pt", "de"):
        for name in articles:
            path = project / "locales" / lang / "LC_MESSAGES" / name.replace(".txt", ".po")
            msgfmt_check(path)
            po = polib.pofile(str(path))
            assert all(e.msgstr and "fuzzy" in e.flags for e in po)
            if lang == "de":  # the test package copies: each draft belongs to its own entry
                assert all(e.msgstr == e.msgid for e in po)
    # The summary lists languages in the order asked for, whatever finished first.
    lines = [line for line in result.stderr.splitlines() if line.startswith("locales/")]
    assert [line.split("/")[1] for line in lines] == ["pt"] * 3 + ["de"] * 3


def test_progress_reports_units_per_language_and_ends_at_the_total(project, tmp_path):
    package = build_argos_package(tmp_path / "pkg", source="en", target="de")
    assert CliRunner().invoke(main, ["models", "install", str(package)]).exit_code == 0
    calls = []
    lock = threading.Lock()

    def progress(lang, done, total):
        with lock:
            calls.append((lang, done, total))

    outcomes = pipeline.translate([project / EXAMPLE.name], ["pt", "de"], glossary=load_glossary(GLOSSARY),
                                  locales=project / "locales", progress=progress)
    for o in outcomes:
        mine = [(d, t) for lang, d, t in calls if lang == o.lang]
        assert mine[-1] == (o.translated, o.translated)
        assert [d for d, _ in mine] == sorted(d for d, _ in mine)  # never goes back
        assert all(t == o.translated for _, t in mine)


def test_shared_sentences_of_one_run_are_translated_once(project, monkeypatch):
    sent = []
    real = engines.load_engine

    class Counting:
        def __init__(self, engine):
            self.engine, self.info = engine, engine.info

        def translate(self, texts):
            sent.extend(texts)
            return self.engine.translate(texts)

    monkeypatch.setattr(engines, "load_engine", lambda info, jobs=None: Counting(real(info, jobs=jobs)))
    units = list(dict.fromkeys(u.text for u in segment(read(EXAMPLE))))
    (project / "copy.txt").write_text("\n\n".join(units) + "\n", encoding="utf-8")
    pipeline.translate([project / EXAMPLE.name, project / "copy.txt"], ["pt"], glossary=Glossary(),
                       locales=project / "locales")
    assert sorted(t for t in sent if t in units) == sorted(units)


def test_terminal_bar_draws_one_line_after_its_delay():
    out = io.StringIO()
    bar = TerminalBar(out, delay=3600)
    bar("pt", 10, 100)
    assert out.getvalue() == ""  # a short run prints no bar
    bar = TerminalBar(out, delay=0, width=10, every=0, clock=lambda: 0.0)
    bar("pt", 50, 100)
    bar("de", 100, 100)
    assert out.getvalue().split("\r")[-1] == "translating pt 50/100  de 100/100  [#######---]  75%  0:00 elapsed\x1b[K"
    bar.close()
    assert out.getvalue().endswith("\r\x1b[K")


class Clock:
    """Seconds the test sets: the bar's times come out exact."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_terminal_bar_shows_elapsed_time_and_time_left():
    out, clock = io.StringIO(), Clock()
    bar = TerminalBar(out, delay=1, width=10, every=0, clock=clock)
    clock.now = 8.0  # the model loaded: the first batch is done
    bar("pt", 100, 1000)
    assert out.getvalue().split("\r")[-1] == "translating pt 100/1000  [#---------]  10%  0:08 elapsed\x1b[K"
    clock.now = 18.0  # 200 more units in 10 s: 700 left take 35 s
    bar("pt", 300, 1000)
    assert out.getvalue().split("\r")[-1] == (
        "translating pt 300/1000  [###-------]  30%  0:18 elapsed, about 0:35 left\x1b[K")
    clock.now = 3725.0
    bar("pt", 1000, 1000)
    assert out.getvalue().split("\r")[-1] == "translating pt 1000/1000  [##########] 100%  1:02:05 elapsed\x1b[K"


def test_no_bar_when_stderr_is_not_a_terminal(project):
    result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"])
    assert result.exit_code == 0
    assert "translating" not in result.stderr and "\r" not in result.stderr


def test_a_set_cancel_stops_the_engine_between_sentences():
    from transflow.progress import Cancelled

    [(info, path)] = [(i, d) for i, d in bergamot.embedded_models() if i.target == "pt"]
    engine = bergamot.BergamotEngine(info, path, jobs=2)
    cancel = threading.Event()
    done = []

    def progress(n):
        done.append(n)
        if n == 2:
            cancel.set()

    texts = [u.text for u in segment(read(EXAMPLE))]
    with pytest.raises(Cancelled):
        engine.translate(texts, progress=progress, cancel=cancel)
    assert done == [1, 2]


@requires_gettext
def test_rerun_leaves_a_file_another_tool_rewrapped_alone(project):
    import subprocess

    runner = CliRunner()
    assert runner.invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"]).exit_code == 0
    path = project / "locales/pt/LC_MESSAGES" / f"{EXAMPLE.stem}.po"
    subprocess.run(["msgcat", "--no-wrap", "-o", str(path), str(path)], check=True)
    rewrapped = path.read_bytes()
    result = runner.invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"])
    assert result.exit_code == 0 and "unchanged" in result.stderr
    assert path.read_bytes() == rewrapped
