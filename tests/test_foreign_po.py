"""PO files as other projects write them (issue 20): a web framework's admin catalogue
(python-format, python-brace-format, plurals, msgctxt), a GNU tool's (c-format, previous
msgids, obsolete entries with flags, a plural with msgctxt) and a manual page's (po4a:
``#. type:``, no-wrap, versions, dates, times, ordinals). The files in tests/data/interop/
are of our own writing, in the shapes those producers write; each is msgcat's own output.

transflow must read them, count them as gettext and Translate Toolkit do, check them
without false findings, and rewrite them byte for byte as msgcat would."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from system_tools import need

from transflow import catalog, check, numbers, pofile
from transflow.cli import main
from transflow.glossary import Glossary
from transflow.glossary import load as load_glossary

DATA = Path(__file__).parent / "data" / "interop"
ADMIN, GNU, MANPAGE = DATA / "webapp-admin-pt.po", DATA / "gnu-tool-pt.po", DATA / "manpage-pt_BR.po"
SHAPES = [ADMIN, GNU, MANPAGE]


def msgcat(path: Path) -> bytes:
    need("msgcat")
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout


def pocount(path) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) as Translate Toolkit's pocount counts them."""
    exe = Path(sys.executable).parent / "pocount"
    command = [str(exe) if exe.exists() else shutil.which("pocount"), "--csv", str(path)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    [row] = csv.DictReader(io.StringIO(out))
    return int(row["Translated Messages"]), int(row["Fuzzy Messages"]), int(row["Untranslated Messages"])


def msgfmt_statistics(path) -> tuple[int, int, int]:
    need("msgfmt")
    out = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True, check=True, env={"LC_ALL": "C"}).stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, word in (part.strip().split(" ")[:2] for part in out.strip().rstrip(".").split(",")):
        counts[word] = int(number)
    return counts["translated"], counts["fuzzy"], counts["untranslated"]


def in_project(tmp_path, monkeypatch, source: Path, lang: str) -> Path:
    """``source`` as the PO file of an article in a project folder."""
    path = tmp_path / "locales" / lang / "LC_MESSAGES" / source.name
    path.parent.mkdir(parents=True)
    shutil.copy(source, path)
    monkeypatch.chdir(tmp_path)
    return path


def glossary(tmp_path, terms: str):
    folder = tmp_path / "glossary"
    folder.mkdir(exist_ok=True)
    (folder / "terms.yaml").write_text("domain: test\nsource_language: en\nterms:\n" + terms, encoding="utf-8")
    return load_glossary(folder)


# ---------------------------------------------------------------- rewriting


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.stem)
def test_every_shape_is_rewritten_as_msgcat_writes_it(path):
    assert msgcat(path) == path.read_bytes()  # the fixtures are msgcat's own output
    assert pofile.dumps(pofile.load(path)).encode() == path.read_bytes()


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.stem)
def test_a_file_with_windows_line_ends_reads_as_the_same_file(path, tmp_path):
    crlf = tmp_path / path.name
    crlf.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert pofile.dumps(pofile.load(crlf)).encode() == path.read_bytes()


def test_obsolete_entries_keep_their_format_flags():
    text = pofile.dumps(pofile.load(GNU))
    assert '#, c-format\n#~ msgid "cannot access %s"' in text
    assert '#, fuzzy, c-format\n#~| msgid "failed to get attributes of %s"' in text
    assert '#, c-format, no-wrap\n#~ msgid "Usage: %s [OPTION]... [FILE]... a usage line that is far longer' in text
    assert '#, python-format\n#~ msgid "%(count)s object"' in pofile.dumps(pofile.load(ADMIN))


def test_check_annotate_changes_only_the_entries_it_annotates(tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, GNU, "pt")
    glossary(tmp_path, "  - id: system-error\n    source: system error\n    translations:\n      pt: erro do sistema\n")
    before = path.read_text(encoding="utf-8").splitlines()
    result = CliRunner().invoke(main, ["check", "locales", "--annotate"])
    assert result.exit_code == 1, result.output
    after = path.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    removed = [line for line in before if line not in after]
    assert added == ["# transflow check: [missing] system-error: source has 'system error', translation lacks 'erro do sistema'",
                     "#, fuzzy"]
    assert removed == []
    assert msgcat(path) == path.read_bytes()


# ---------------------------------------------------------------- plural entries


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.stem)
def test_status_counts_plural_entries_as_msgfmt_and_pocount_do(path, tmp_path, monkeypatch):
    in_project(tmp_path, monkeypatch, path, "pt")
    result = CliRunner().invoke(main, ["status", "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    counts = row["reviewed"], row["fuzzy"], row["untranslated"]
    assert counts == msgfmt_statistics(path) == pocount(path)
    assert row["total"] == sum(counts)


def test_status_of_the_admin_catalogue_in_figures(tmp_path, monkeypatch):
    # 5 live plural entries: 4 translated, 1 with empty forms; before, the 4 translated ones
    # read as untranslated too (34 reviewed, 2 fuzzy, 6 untranslated).
    in_project(tmp_path, monkeypatch, ADMIN, "pt")
    [row] = json.loads(CliRunner().invoke(main, ["status", "--format", "json"]).stdout)
    assert (row["total"], row["reviewed"], row["fuzzy"], row["untranslated"], row["obsolete"]) == (42, 38, 2, 2, 3)


def test_check_reads_every_plural_form(tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, ADMIN, "pt")
    terms = glossary(tmp_path, "  - id: error\n    source: error\n    translations:\n      pt: {preferred: erro, forbidden: [falha]}\n")
    text = path.read_text(encoding="utf-8").replace('msgstr[1] "Corrija os erros abaixo."', 'msgstr[1] "Corrija as falhas abaixo."')
    path.write_text(text, encoding="utf-8")
    findings = check.check([path], terms)
    assert [(f.kind, f.term, f.message) for f in findings] == [
        ("forbidden", "error", "msgstr[1]: 'falhas' is forbidden; use 'erro'"),
        ("missing", "error", "msgstr[1]: source has 'errors', translation lacks 'erro'"),
    ]
    assert all(f.msgid == "Please correct the error below." and not f.fuzzy for f in findings)


def test_forms_of_a_plural_entry_and_what_each_translates():
    po = pofile.load(GNU)
    entry = next(e for e in po if e.msgid == "%zu file removed")
    assert catalog.translations(entry) == ["%zu ficheiro removido", "%zu ficheiros removidos"]
    assert catalog.sources(entry) == ["%zu file removed", "%zu files removed"]
    entry.msgstr_plural = {0: "%zu ファイルを削除しました"}  # a language of one form
    assert catalog.sources(entry) == ["%zu files removed"]
    entry.msgstr_plural = {0: "x", 1: ""}
    assert catalog.state(entry) == "untranslated"  # a form left empty still needs a translator


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.stem)
def test_no_false_number_finding_in_correct_translations(path):
    findings = [f for f in check.check([path], Glossary()) if f.kind == "number"]
    # The one number finding is true: a draft whose translation predates "2003".
    expected = ["numbers differ: missing 2003"] if path == MANPAGE else []
    assert [f.message for f in findings] == expected


SAME = [
    ("Linux 2.6.32 and glibc 2.17", "Linux 2.6.32 e glibc 2.17"),
    ("before version 1.17", "antes da versão 1.17"),
    ("version 9.4 or 1.17.2", "versão 9.4 ou 1.17.2"),
    ("on 2023-08-29", "em 29/08/2023"),
    ("on 2023-08-29", "em 29 de agosto de 2023"),
    ("the archive of 08/29/2023", "o arquivo de 29/08/2023"),
    ("until 31.12.2024", "até 31/12/2024"),
    ("between 10:30 and 14:45", "entre 10h30 e 14h45"),
    ("at 3 p.m.", "às 15h"),
    ("at 3 p.m.", "às 15:00"),
    ("the 1st, 2nd and 3rd pass", "a 1.ª, a 2ª e a 3.º passagem"),
    ("the 21st century", "o século XXI"),
    ("the 1990s", "os anos 1990"),
    # The model's own draft of a sentence of ours (benchmarks/risk-set, chatbots).
    ("banned the tools outright for under-13s", "teria banido as ferramentas de forma direta para menores de 13 anos"),
    ("a discount for the over-65s", "um desconto para maiores de 65 anos"),
    ("versions 4.0-4.9, pages 12–14", "versões 4.0-4.9, páginas 12 a 14"),
    ("2,147,483,647 bytes", "2.147.483.647 bytes"),
    ("1.5 GiB in 0.25 s", "1,5 GiB em 0,25 s"),
    ("2,000 people", "2 000 personnes"),
]


@pytest.mark.parametrize("source,translation", SAME)
def test_the_same_figures_written_the_target_way(source, translation):
    lang = "fr" if "personnes" in translation else "pt"
    assert numbers.differences(numbers.values(source, "en"), numbers.values(translation, lang)) == ([], [])


DIFFERENT = [
    ("600 people", "60 pessoas", "missing 600; unexpected 60"),
    ("version 1.17", "versão 117", "missing 1.17; unexpected 117"),
    ("Linux 2.6.32", "Linux 2.6.31", "missing 2.6.32; unexpected 2.6.31"),
    ("on 2023-08-29", "em 29/09/2023", "missing 2023-08-29; unexpected 29/09/2023"),
    ("on 2023-08-29", "em 28 de agosto de 2023", "missing 2023-08-29; unexpected 28, 2023"),
    ("at 10:30", "às 10h45", "missing 10:30; unexpected 10:45"),
    ("at 3 p.m.", "às 14h", "missing 15:00; unexpected 14:00"),
    ("the 1st pass", "a 2.ª passagem", "missing 1; unexpected 2"),
    ("1.5 GiB", "15 GiB", "missing 1.5; unexpected 15"),
    ("for under-13s", "para menores de 16 anos", "missing 13; unexpected 16"),
]


@pytest.mark.parametrize("source,translation,message", DIFFERENT)
def test_different_figures_are_still_found(source, translation, message):
    lost, extra = numbers.differences(numbers.values(source, "en"), numbers.values(translation, "pt"))
    parts = [f"missing {', '.join(map(str, lost))}" if lost else "", f"unexpected {', '.join(map(str, extra))}" if extra else ""]
    assert "; ".join(p for p in parts if p) == message


def test_annotate_leaves_a_manual_page_with_correct_figures_alone(tmp_path, monkeypatch):
    # Before: 9 of the 10 number findings on this file were false, and --annotate made those entries fuzzy.
    path = in_project(tmp_path, monkeypatch, MANPAGE, "pt_BR")
    result = CliRunner().invoke(main, ["check", "locales", "--annotate"])
    assert result.exit_code == 0, result.output  # the one finding is in a draft
    text = path.read_text(encoding="utf-8")
    assert text.count("transflow check:") == 1 and text.count("#, fuzzy") == 1


# ---------------------------------------------------------------- placeholders


PLACEHOLDER_TERMS = """\
  - id: article
    source: article
    translations:
      pt: artigo
  - id: name
    source: name
    translations:
      pt: {preferred: nome, forbidden: [designação]}
  - id: count
    source: count
    translations:
      pt: contagem
  - id: file
    source: file
    translations:
      pt: ficheiro
  - id: object
    source: object
    translations:
      pt: objeto
"""


def test_no_glossary_match_inside_format_placeholders(tmp_path):
    terms = glossary(tmp_path, PLACEHOLDER_TERMS)
    findings = check.check([ADMIN, GNU], terms)
    # %(article)s, {article}, %(name)s, {name}, %(count)d and %(object_name)s are code; the
    # words "object" and "file" in prose are terms, and their renderings are there.
    assert [(f.file, f.line, f.kind, f.term) for f in findings] == []


def test_a_term_outside_the_placeholders_is_still_checked(tmp_path):
    terms = glossary(tmp_path, PLACEHOLDER_TERMS)
    path = tmp_path / "admin.po"
    path.write_text(ADMIN.read_text(encoding="utf-8").replace(
        'msgstr "Adicionado “%(article)s”."', 'msgstr "Adicionado “%(article)s” (designação)."').replace(
        'msgid "Added “%(article)s”."', 'msgid "Added the article “%(article)s”."'), encoding="utf-8")
    findings = check.check([path], terms)
    assert [(f.kind, f.term) for f in findings] == [("forbidden", "name"), ("missing", "article")]


def test_format_flags_say_which_directives_to_skip(tmp_path):
    from transflow import formats

    assert formats.mask("Added %(name)s and {name}", ["python-format"]) == "Added " + formats.MASK * 8 + " and {name}"
    assert formats.mask("Added %(name)s and {name}", ["python-brace-format"]) == "Added %(name)s and " + formats.MASK * 6
    assert formats.mask("%s: %'-10jd of %<PRIuMAX>", ["c-format"]) == formats.MASK * 2 + ": " + formats.MASK * 7 + " of " + formats.MASK * 10
    assert formats.mask("100% sure %s", ["no-c-format"]) == "100% sure %s"
    assert formats.mask("[1]the name[/1] in <b>bold</b>") == formats.MASK * 3 + "the name" + formats.MASK * 4 + " in " + formats.MASK * 3 + "bold" + formats.MASK * 4


def test_the_review_page_shows_a_plural_entry_with_its_forms(tmp_path, monkeypatch):
    in_project(tmp_path, monkeypatch, ADMIN, "pt")
    Path("webapp-admin-pt.txt").write_text(
        "Please correct the error below.\n\n%(count)s article was archived.\n\nDate:\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["review", "webapp-admin-pt.txt", "--to", "pt", "-o", "page.html"])
    assert result.exit_code == 0, result.output
    page = Path("page.html").read_text(encoding="utf-8")
    assert '<span class="form">msgstr[0]</span> Corrija o erro abaixo.' in page
    assert '<span class="form">msgstr[1]</span> Corrija os erros abaixo.' in page
    # The translated plural entry counts as reviewed, the one with empty forms as missing.
    assert "pt: 3 article units: 2 reviewed, 0 drafts, 1 missing" in result.stderr
