"""HTML placeholders in PO files: the `#. markup:` comment that says what [1]...[/1] stands
for, and the `markup` check of `transflow check` (lost, extra, renumbered, mis-nested)."""

import json
import shutil

import polib
import pytest
from click.testing import CliRunner
from conftest import ROOT

from transflow import numbers, placeholders
from transflow.cli import main

HTML = ROOT / "examples" / "north-korean-refugees.html"
HTML_PO = f"locales/pt/LC_MESSAGES/{HTML.stem}.po"
URL = "https://www.unhcr.org/about-unhcr/who-we-are/1951-refugee-convention"


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result


def entries(path):
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


@pytest.fixture
def html_translated(tmp_path, monkeypatch):
    shutil.copy(HTML, tmp_path / HTML.name)
    monkeypatch.chdir(tmp_path)
    result = run("translate", HTML.name, "--to", "pt", "--no-tm")
    assert result.exit_code == 0, result.output
    return tmp_path


def markup_lines(entry):
    return [line for line in entry.comment.split("\n") if line.startswith("markup: ")]


def test_example_article_says_what_each_placeholder_stands_for(html_translated):
    po = html_translated / HTML_PO
    found = {msgid: markup_lines(e) for msgid, e in entries(po).items() if markup_lines(e)}
    advice = "; keep each marker with the words it belongs to"
    assert found == {
        "Many of them were arrested after crossing the [1]Tumen River[/1] in the past year.":
            ["markup: [1]...[/1] = <em>" + advice],
        "China signed the [1]1951 Refugee Convention[/1] in 1982, yet its officials describe the border crossers as economic migrants.":
            ['markup: [1]...[/1] = <a href="https://www.unhcr.org/.../1951-refugee-convention">' + advice],
        "The [1]UNHCR[/1] has repeatedly asked for access to North Koreans held in China.":
            ["markup: [1]...[/1] = <strong>" + advice],
        "Data for this article: [1/].": ["markup: [1/] = <code>unhcr-2023-q4.csv</code>" + advice],
    }
    # the kind stays the first extracted comment, the markup line comes right after it
    text = po.read_text(encoding="utf-8")
    assert "#. paragraph\n#. markup: [1]...[/1] = <em>; keep" in text
    # entries without placeholders get none
    assert sum("#. markup: " in line for line in text.splitlines()) == 4


def test_comment_is_stable_and_follows_the_link_target(html_translated):
    po = html_translated / HTML_PO
    first = po.read_bytes()
    assert run("translate", HTML.name, "--to", "pt", "--no-tm").exit_code == 0
    assert po.read_bytes() == first  # byte-identical re-run

    # a translator reviews the entry, then the desk changes where the link points
    msgid = "China signed the [1]1951 Refugee Convention[/1] in 1982, yet its officials describe the border crossers as economic migrants."
    reviewed = "A China assinou a [1]Convenção de 1951 sobre os Refugiados[/1] em 1982, mas descreve-os como migrantes económicos."
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgid == msgid)
    entry.msgstr, entry.flags = reviewed, []
    catalog.save(str(po))
    article = html_translated / HTML.name
    article.write_text(article.read_text(encoding="utf-8").replace(URL, "https://www.refworld.org/docid/3be01b964.html"), encoding="utf-8")
    assert run("translate", HTML.name, "--to", "pt", "--no-tm").exit_code == 0
    entry = entries(po)[msgid]
    assert markup_lines(entry) == ['markup: [1]...[/1] = <a href="https://www.refworld.org/.../3be01b964.html">; '
                                   "keep each marker with the words it belongs to"]
    assert entry.msgstr == reviewed and "fuzzy" not in entry.flags  # the msgid did not change
    assert "www.unhcr.org" not in po.read_text(encoding="utf-8")
    pot = run("extract", HTML.name)
    assert pot.exit_code == 0
    assert '#. markup: [1]...[/1] = <a href="https://www.refworld.org/' in (html_translated / f"locales/{HTML.stem}.pot").read_text(encoding="utf-8")


def test_markdown_units_carry_no_markers_and_no_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "note.md").write_text("The [UNHCR](https://www.unhcr.org/) asked for *access* to the camps.\n", encoding="utf-8")
    assert run("translate", "note.md", "--to", "pt", "--no-tm").exit_code == 0
    [entry] = entries(tmp_path / "locales/pt/LC_MESSAGES/note.po").values()
    assert entry.msgid == "The [UNHCR](https://www.unhcr.org/) asked for *access* to the camps."
    assert not markup_lines(entry) and not placeholders.TOKEN.search(entry.msgstr)
    assert run("check", "locales").exit_code == 0


def test_shortened_markup():
    assert (placeholders.short_markup('<a\n  href="https://example.org/news/2024/asia/page.html?utm_source=feed">')
            == '<a href="https://example.org/.../page.html?...">')
    assert placeholders.short_markup('<a href="https://example.org/short">') == '<a href="https://example.org/short">'
    assert len(placeholders.short_markup("<code>" + "x" * 200 + "</code>")) == placeholders.MARKUP_WIDTH


# --- the check ---------------------------------------------------------------------

SOURCE = "Many were arrested after crossing the [1]Tumen River[/1] in the [2]past[/2] year.[3/]"


@pytest.mark.parametrize("translation, problem", [
    ("Muitos foram presos depois de atravessar o rio Tumen no [2]ano[/2] passado.[3/]", "[1]...[/1] missing"),
    ("Muitos foram presos depois de atravessar o [1]rio Tumen[/1] no [2]ano passado.[3/]", "[/2] missing"),
    ("Muitos foram presos depois de atravessar o [1]rio Tumen[/1] no [2]ano[/2] passado.", "[3/] missing"),
    ("Muitos foram presos depois de atravessar o [1]rio Tumen[/1] no [2]ano[/2] passado.[3/][3/]", "[3/] 2 times"),
    ("Muitos foram presos depois de atravessar o [1]rio Tumen[/1] no [2]ano[/2] passado.[3/][4/]", "[4/] not in the source"),
    ("Muitos foram presos depois de atravessar o [4]rio Tumen[/4] no [2]ano[/2] passado.[3/]", "[1]...[/1] renumbered as [4]...[/4]"),
    ("Muitos foram presos depois de atravessar o [1]rio [2]Tumen[/1] no ano[/2] passado.[3/]", "[1]...[/1] and [2]...[/2] overlap"),
    ("Muitos foram presos depois de atravessar o [/1]rio Tumen[1] no [2]ano[/2] passado.[3/]", "[/1] before [1]"),
    ("Muitos foram presos depois de atravessar o rio Tumen[1][/1] no [2]ano[/2] passado.[3/]", "nothing inside [1]...[/1]"),
])
def test_problems(translation, problem):
    assert placeholders.problems(SOURCE, translation) == [problem]


@pytest.mark.parametrize("source, translation", [
    (SOURCE, "Muitos foram presos no [2]ano[/2] passado, depois de atravessar o [1]rio Tumen[/1].[3/]"),  # moved: fine
    ("No markers here.", "Sem [1]marcadores[/1] aqui."),  # nothing to keep
    ("As reported [3], the [1]camp[/1] closed.", "Como noticiado, o [1]campo[/1] fechou [3] [3]."),  # [3] is text
])
def test_no_problems(source, translation):
    assert placeholders.problems(source, translation) == []


def test_numbers_check_ignores_placeholder_numbers():
    source, translation = placeholders.without_markers("In [1]1951[/1], see [3] [2/].", "Em 1951 [4/], ver [3].")
    assert numbers.values(source, "en") == numbers.values(translation, "pt") == [1951, 3]


def set_msgstr(path, startswith, msgstr, reviewed=True):
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgid.startswith(startswith))
    entry.msgstr = msgstr
    entry.flags = [f for f in entry.flags if f != "fuzzy"] if reviewed else ["fuzzy"]
    catalog.save(str(path))
    return entry.msgid


def markup_findings(*args):
    result = run("check", "locales", "--format", "json", *args)
    return result, [f for f in json.loads(result.stdout) if f["kind"] == "markup"]


def test_check_passes_fresh_drafts_and_right_translations(html_translated):
    po = html_translated / HTML_PO
    set_msgstr(po, "The [1]UNHCR", "O [1]ACNUR[/1] pediu repetidamente acesso aos norte-coreanos detidos na China.")
    set_msgstr(po, "A coalition", "Uma coligação de organizações de direitos humanos pediu a Pequim que pare de devolver refugiados norte-coreanos.")
    result, found = markup_findings("--strict")
    assert found == []


@pytest.mark.parametrize("msgstr, message", [
    ("O ACNUR pediu repetidamente acesso aos norte-coreanos detidos na China.", "[1]...[/1] missing"),
    ("O [1]ACNUR[/1] pediu repetidamente [1]acesso[/1] aos norte-coreanos detidos na China.", "[1] 2 times; [/1] 2 times"),
    ("O [2]ACNUR[/2] pediu repetidamente acesso aos norte-coreanos detidos na China.", "[1]...[/1] renumbered as [2]...[/2]"),
    ("O [1]ACNUR pediu[2/] repetidamente[/1] acesso aos norte-coreanos detidos na China.", "[2/] not in the source"),
])
def test_check_flags_a_reviewed_entry_with_file_line_and_exit_1(html_translated, msgstr, message):
    po = html_translated / HTML_PO
    msgid = set_msgstr(po, "The [1]UNHCR", msgstr)
    line = next(e.linenum for e in polib.pofile(str(po)) if e.msgid == msgid)
    result, [finding] = markup_findings()
    assert result.exit_code == 1
    assert (finding["line"], finding["severity"], finding["fuzzy"]) == (line, "error", False)
    assert finding["message"] == "placeholders differ: " + message
    text = run("check", "locales")
    assert text.exit_code == 1
    assert f"{HTML_PO}:{line}: error: [markup] placeholders differ: {message}" in text.stdout


def test_check_flags_mis_nesting_in_a_draft_only_with_strict(html_translated):
    po = html_translated / HTML_PO
    set_msgstr(po, "Many of them", "Muitos deles foram [1]presos depois de atravessar o [/1]rio Tumen[1] no ano passado.",
               reviewed=False)
    set_msgstr(po, "China signed", "A China assinou a [/1]Convenção de 1951[1] em 1982, mas descreve-os como migrantes económicos.",
               reviewed=False)
    result, found = markup_findings()
    assert result.exit_code == 0  # drafts are reported, the gate holds
    assert [(f["message"], f["fuzzy"]) for f in found] == [
        ("placeholders differ: [1] 2 times", True), ("placeholders differ: [/1] before [1]", True)]
    assert run("check", "locales", "--strict").exit_code == 1


def test_annotate_marks_the_entry_fuzzy_with_the_finding(html_translated):
    po = html_translated / HTML_PO
    msgid = set_msgstr(po, "The [1]UNHCR", "O ACNUR pediu repetidamente acesso aos norte-coreanos detidos na China.")
    result = run("check", "locales", "--annotate")
    assert result.exit_code == 1
    entry = entries(po)[msgid]
    assert "fuzzy" in entry.flags
    assert "transflow check: [markup] placeholders differ: [1]...[/1] missing" in entry.tcomment
    assert run("check", "locales").exit_code == 0  # a draft again


def test_status_and_review_count_markup_findings(html_translated):
    po = html_translated / HTML_PO
    set_msgstr(po, "The [1]UNHCR", "O ACNUR pediu repetidamente acesso aos norte-coreanos detidos na China.")
    shutil.copytree(ROOT / "glossary", html_translated / "glossary")
    all_findings = json.loads(run("check", "locales", "--format", "json").stdout)
    [row] = json.loads(run("status", "--format", "json").stdout)
    assert row["findings"] == len(all_findings) and any(f["kind"] == "markup" for f in all_findings)
    result = run("review", HTML.name, "--to", "pt", "-o", "review.html")
    assert result.exit_code == 0, result.output
    assert f"{len(all_findings)} findings" in result.stderr
    assert "placeholders differ: [1]...[/1] missing" in (html_translated / "review.html").read_text(encoding="utf-8")
