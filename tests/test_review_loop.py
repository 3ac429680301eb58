"""Issue: re-runs keep every human edit (msgmerge semantics), and reviewed PO files become the article."""

import subprocess

import polib
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, msgfmt_check
from system_tools import need

from transflow import engines
from transflow.cli import main

STEM = EXAMPLE.stem
PO = f"locales/pt/LC_MESSAGES/{STEM}.po"
REVIEWED = "Many of them were arrested after crossing the Tumen River in the past year."
REVIEWED_2 = "What the resolution asks"
EDITED_OLD = "China treats most of these people as economic migrants rather than refugees."
EDITED_NEW = "China treats almost all of these people as economic migrants rather than refugees."
DELETED = "Former detainees describe months in a labor camp after their return."
ADDED = "Several families have since reported relatives missing."


@pytest.fixture
def mt_calls(monkeypatch):
    """Counts sentences sent to the real engine (a spy around it, not a replacement)."""
    calls = []
    real = engines.load_engine

    def spying(info, jobs=None):
        engine = real(info, jobs=jobs)
        translate = engine.translate

        def counted(texts):
            calls.append(list(texts))
            return translate(texts)

        engine.translate = counted
        return engine

    monkeypatch.setattr(engines, "load_engine", spying)
    return calls


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def review(po_path, edits):
    """What a translator does in Poedit: edit msgstr, clear fuzzy, maybe comment."""
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgid in edits:
            msgstr, comment = edits[entry.msgid]
            entry.msgstr = msgstr
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            if comment:
                entry.tcomment = comment
    po.save(str(po_path))


def edit_article(path):
    text = path.read_text(encoding="utf-8")
    assert EDITED_OLD in text and DELETED in text
    text = text.replace(EDITED_OLD, EDITED_NEW).replace(DELETED + " ", "")
    text = text.replace("What the resolution asks\n", f"What the resolution asks\n\n{ADDED}\n")
    path.write_text(text, encoding="utf-8")


def outcome_sets(po):
    live = [e for e in po if not e.obsolete]
    return {
        "reviewed": {e.msgid for e in live if e.msgstr and "fuzzy" not in e.flags},
        "fuzzy": {e.msgid for e in live if "fuzzy" in e.flags},
        "untranslated": {e.msgid for e in live if not e.msgstr},
        "obsolete": {e.msgid for e in po if e.obsolete},
    }


def test_rerun_after_edits_keeps_human_work_like_msgmerge(project, mt_calls):
    article = project / EXAMPLE.name
    run("translate", EXAMPLE.name, "--to", "pt")
    po_path = project / PO
    review(po_path, {
        REVIEWED: ("Muitos deles foram presos depois de atravessar o rio Tumen no último ano.", "check with editor"),
        REVIEWED_2: ("O que pede a resolução", None),
        EDITED_OLD: ("A China trata a maioria dessas pessoas como migrantes econômicos, e não como pessoas refugiadas.", None),
    })
    old_bytes = po_path.read_bytes()
    before = polib.pofile(str(po_path))
    old_msgstr = {e.msgid: e.msgstr for e in before}
    edit_article(article)
    mt_calls.clear()

    run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    po = polib.pofile(str(po_path))
    msgfmt_check(po_path)
    entry = {e.msgid: e for e in po}

    # Reviewed and unchanged: byte for byte, never sent to MT again.
    for msgid in (REVIEWED, REVIEWED_2):
        assert entry[msgid].msgstr == old_msgstr[msgid] and "fuzzy" not in entry[msgid].flags
    sent = {t for call in mt_calls for t in call}
    assert REVIEWED not in sent and REVIEWED_2 not in sent
    # The translator comment survives.
    assert entry[REVIEWED].tcomment == "check with editor"
    # Edited sentence: fuzzy, old translation, old source as previous msgid.
    assert "fuzzy" in entry[EDITED_NEW].flags
    assert entry[EDITED_NEW].msgstr == old_msgstr[EDITED_OLD]
    assert entry[EDITED_NEW].previous_msgid == EDITED_OLD
    # New sentence: a fresh fuzzy MT draft.
    assert entry[ADDED].msgstr and "fuzzy" in entry[ADDED].flags and ADDED in sent
    # Deleted sentence: obsolete, not gone.
    assert entry[DELETED].obsolete and entry[DELETED].msgstr == old_msgstr[DELETED]

    # The same scenario through GNU msgmerge gives the same sets.
    need("msgmerge")
    (project / "old.po").write_bytes(old_bytes)
    run("extract", EXAMPLE.name, "--locales", "pot")
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", "merged.po", "old.po", f"pot/{STEM}.pot"],
                   check=True, cwd=project)
    gnu = outcome_sets(polib.pofile(str(project / "merged.po")))
    ours = outcome_sets(po)
    assert ours["reviewed"] == gnu["reviewed"]
    assert ours["obsolete"] == gnu["obsolete"]
    # msgmerge leaves new sentences empty; transflow fills them with fuzzy drafts.
    assert ours["fuzzy"] == gnu["fuzzy"] | gnu["untranslated"]
    assert ours["untranslated"] == set()
    assert {e.msgid: e.previous_msgid for e in po if e.msgid == EDITED_NEW} == \
        {e.msgid: e.previous_msgid for e in polib.pofile(str(project / "merged.po")) if e.msgid == EDITED_NEW}


def test_unchanged_rerun_calls_mt_zero_times_and_rewrites_nothing(project, mt_calls):
    run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    po_path = project / PO
    first = po_path.read_bytes()
    assert mt_calls
    mt_calls.clear()
    result = run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    assert mt_calls == []
    assert po_path.read_bytes() == first
    assert "unchanged" in result.stderr


def test_build_keeps_the_article_structure(project):
    run("translate", EXAMPLE.name, "--to", "pt")
    review(project / PO, {REVIEWED_2: ("O que pede a resolução", None)})
    result = CliRunner().invoke(main, ["build", EXAMPLE.name, "--to", "pt", "-o", "out.pt.txt"])
    assert result.exit_code == 0, result.output
    assert "1 reviewed" in result.stderr and "still MT drafts" in result.stderr
    source = (project / EXAMPLE.name).read_text(encoding="utf-8")
    built = (project / "out.pt.txt").read_text(encoding="utf-8")
    paragraphs = lambda t: [p for p in t.split("\n\n") if p.strip()]  # noqa: E731
    assert len(paragraphs(built)) == len(paragraphs(source))
    assert built.count("\n") == source.count("\n")
    assert "O que pede a resolução\n" in built
    assert "Coreia do Sul" in built and "2.000" in built

    refused = CliRunner().invoke(main, ["build", EXAMPLE.name, "--to", "pt", "--reviewed-only", "-o", "x.txt"])
    assert refused.exit_code == 1 and "still MT drafts" in refused.stderr
    assert not (project / "x.txt").exists()


def test_extract_writes_a_template(project):
    run("extract", EXAMPLE.name)
    pot = polib.pofile(str(project / f"locales/{STEM}.pot"))
    assert len(pot) > 15 and all(e.msgstr == "" for e in pot)
    msgfmt_check(project / f"locales/{STEM}.pot")


def test_status_counts(project):
    run("translate", EXAMPLE.name, "--to", "pt")
    review(project / PO, {REVIEWED: ("Muitos deles foram presos.", None)})
    result = CliRunner().invoke(main, ["status", "--format", "json"])
    assert result.exit_code == 0
    import json

    [row] = json.loads(result.stdout)
    total = len(polib.pofile(str(project / PO)))
    assert (row["lang"], row["total"], row["reviewed"], row["fuzzy"], row["untranslated"]) == ("pt", total, 1, total - 1, 0)
    assert row["findings"] is not None
