"""XLIFF with other tools (issue 20): transflow's exports valid against the OASIS schemas,
plural entries as groups, Translate Toolkit's po2xliff output and files that name no PO
file imported, units matched by msgctxt and refused when the file lost it.

Translate Toolkit's files are made here by Translate Toolkit itself (its po2xliff
command, its XLIFF API); the Symfony- and Angular-shaped files in tests/data/interop/
are of our own writing, in the shapes those frameworks write."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from xliff_schemas import errors

from transflow import catalog, pofile, xliff, xliffmerge, xliffread
from transflow.cli import main

DATA = Path(__file__).parent / "data" / "interop"
ADMIN, GNU, MANPAGE = DATA / "webapp-admin-pt.po", DATA / "gnu-tool-pt.po", DATA / "manpage-pt_BR.po"
VERSIONS = {"xliff": "2.1", "xliff12": "1.2"}


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


def in_project(tmp_path, monkeypatch, source: Path, lang="pt") -> Path:
    path = tmp_path / "locales" / lang / "LC_MESSAGES" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, path)
    monkeypatch.chdir(tmp_path)
    return path


def entry(po, msgid, msgctxt=None):
    return next(e for e in po if e.msgid == msgid and e.msgctxt == msgctxt and not e.obsolete)


def po2xliff(po_path: Path, out: Path) -> Path:
    exe = Path(sys.executable).parent / "po2xliff"
    subprocess.run([str(exe) if exe.exists() else shutil.which("po2xliff"), str(po_path), str(out)],
                   check=True, capture_output=True)
    return out


# ---------------------------------------------------------------- schemas


def rich_catalog() -> polib.POFile:
    """Every kind of entry an export holds: markup codes, risk and glossary notes,
    references, msgctxt, a previous msgid, a CR, a control character (2.1 <cp>), plurals."""
    po = polib.POFile()
    po.metadata = {"Language": "pt", "Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.append(polib.POEntry(
        msgid="China signed the [1]1951 Refugee Convention[/1] in 1982.[2/]",
        msgstr="A China assinou a [1]Convenção de 1951[/1] em 1982.[2/]",
        comment="paragraph\nmarkup: [1]...[/1] = <a href=\"x\">; [2/] = <br>\nglossary: refugee -> refugiado\nmt: bergamot:enpt\nrisk: high: unknown word \"x\"",
        flags=["fuzzy"], occurrences=[("returns.html", "3"), ("returns.html", "9")], tcomment="check the date"))
    po.append(polib.POEntry(msgid="Line one\rline two", msgstr="Linha um\rlinha dois", msgctxt="caption",
                            previous_msgid="Line one", occurrences=[("a.txt", "1")]))
    po.append(polib.POEntry(msgid="Bell \x07 here", msgstr="", occurrences=[("a.txt", "2")]))
    po.append(polib.POEntry(msgid="%d refugee", msgid_plural="%d refugees", msgstr_plural={0: "%d refugiado", 1: "%d refugiados"},
                            msgctxt="count", flags=["c-format"], occurrences=[("a.txt", "3")], tcomment="plural"))
    return po


@pytest.mark.parametrize("fmt", VERSIONS)
@pytest.mark.parametrize("path", [ADMIN, GNU, MANPAGE], ids=lambda p: p.stem)
def test_exports_of_every_shape_are_schema_valid(path, fmt):
    text = xliff.dumps(pofile.load(path), source="en", target="pt", original=path.name, fmt=fmt)
    assert errors(text, VERSIONS[fmt]) == []


def test_an_export_with_markup_notes_glossary_and_plurals_is_schema_valid(tmp_path):
    from transflow.glossary import load

    (tmp_path / "g.yaml").write_text("domain: t\nsource_language: en\nterms:\n  - id: refugee\n    source: refugee\n"
                                     "    note: A person who fled.\n    translations:\n      pt: {preferred: refugiado, forbidden: [fugitivo]}\n",
                                     encoding="utf-8")
    po = rich_catalog()
    v21 = xliff.dumps(po, source="en", target="pt", original="x.po", fmt="xliff21", glossary=load(tmp_path / "g.yaml"))
    assert "<gls:glossEntry>" in v21 and '<pc id="1"' in v21 and '<cp hex="0007"' in v21 and 'type="x-gettext:plurals"' in v21
    assert errors(v21, "2.1") == []
    po[2].msgid = "Bell here"  # 1.2 cannot hold the control character at all
    v12 = xliff.dumps(po, source="en", target="pt", original="x.po", fmt="xliff12")
    assert '<g id="1">' in v12 and 'restype="x-gettext-plurals"' in v12
    assert errors(v12, "1.2") == []


def test_the_schemas_do_find_what_is_invalid():
    # What the 1.2 export wrote before: context groups named alike in one file.
    po = rich_catalog()
    po[2].msgid = "Bell here"
    v12 = xliff.dumps(po, source="en", target="pt", original="x.po", fmt="xliff12")
    old = v12.replace('<context-group purpose="location">', '<context-group name="po-reference" purpose="location">')
    assert any("U_context-group_name" in e for e in errors(old, "1.2"))
    v21 = xliff.dumps(po, source="en", target="pt", original="x.po", fmt="xliff")
    assert errors(v21.replace('<mda:meta type="state">', "<mda:meta>"), "2.1")  # metadata.xsd: type is required
    assert errors(v21.replace(' canResegment="no"', ' canResegment="never"'), "2.1")


def test_xliff21_is_a_name_for_the_default_format(tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, ADMIN)
    Path("webapp-admin-pt.txt").write_text("x\n", encoding="utf-8")
    out = run("export", "webapp-admin-pt.txt", "--to", "pt", "--format", "xliff21", "-o", "a.xlf", "--force")
    assert "XLIFF 2.1, 42 units (38 reviewed, 2 drafts, 2 untranslated)" in out.stderr
    assert errors(Path("a.xlf").read_bytes(), "2.1") == []
    assert path.read_bytes() == ADMIN.read_bytes()


# ---------------------------------------------------------------- drafts and plurals with Translate Toolkit


def test_translate_toolkit_reads_a_draft_as_fuzzy_in_xliff21():
    from translate.storage.xliff2 import Xliff2File

    po = pofile.load(ADMIN)
    store = Xliff2File.parsestring(xliff.dumps(po, source="en", target="pt", original="a.po", fmt="xliff").encode())
    units = {u.source: u for u in store.units}
    assert units["Currently:"].isfuzzy() and not units["Currently:"].isapproved()  # a draft (fuzzy in the PO file)
    assert not units["Date:"].isfuzzy() and units["Date:"].isapproved()  # reviewed
    assert units["Items must be selected in order to perform actions on them."].target in (None, "")


@pytest.mark.parametrize("fmt", VERSIONS)
def test_plural_entries_go_out_as_groups_and_come_back(fmt, tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, ADMIN)
    Path("webapp-admin-pt.txt").write_text("x\n", encoding="utf-8")
    run("export", "webapp-admin-pt.txt", "--to", "pt", "--format", fmt, "-o", "a.xlf", "--force")
    text = Path("a.xlf").read_text(encoding="utf-8")
    # A CAT tool fills the forms of the untranslated plural entry and accepts them.
    source_one, source_many = "%(count)s article was archived.", "%(count)s articles were archived."
    if fmt == "xliff":
        from translate.storage.xliff2 import Xliff2File as Store
    else:
        from translate.storage.xliff import xlifffile as Store
    store = Store.parsestring(text.encode())
    if fmt == "xliff12":
        [unit] = [u for u in store.units if u.hasplural() and u.source.strings[0] == source_one]
        assert unit.source.strings == [source_one, source_many]
        from translate.misc.multistring import multistring

        unit.target = multistring(["%(count)s artigo foi arquivado.", "%(count)s artigos foram arquivados."])
        unit.markapproved(True)
    else:
        forms = {u.source: u for u in store.units}
        for source, target in ((source_one, "%(count)s artigo foi arquivado."), (source_many, "%(count)s artigos foram arquivados.")):
            forms[source].target = target
            forms[source].markapproved(True)
    Path("a.xlf").write_bytes(bytes(store))
    result = run("import", "a.xlf")
    assert "1 translations updated, 0 marked reviewed" in result.stderr
    changed = entry(pofile.load(path), source_one)
    assert changed.msgstr_plural == {0: "%(count)s artigo foi arquivado.", 1: "%(count)s artigos foram arquivados."}
    assert "fuzzy" not in changed.flags
    # Nothing else changed: the file is the fixture with that entry's two forms filled.
    expected = ADMIN.read_text(encoding="utf-8").replace(
        'msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "%(count)s artigo foi arquivado."\nmsgstr[1] "%(count)s artigos foram arquivados."')
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [x for x in lines if not x.startswith('"PO-Revision-Date')] == [x for x in expected.splitlines() if not x.startswith('"PO-Revision-Date')]
    run("import", "a.xlf")  # the second time, nothing to do
    assert entry(pofile.load(path), source_one).msgstr_plural == changed.msgstr_plural


def test_a_plural_group_of_another_size_is_refused(tmp_path, monkeypatch):
    po = pofile.load(ADMIN)
    text = xliff.dumps(po, source="en", target="pt", original="a.po", fmt="xliff12")
    _, [file] = xliffread.parse(text.encode())
    plural = next(u for u in file.units if u.source == "%(counter)s result")
    plural.target, plural.base = ("um", "dois", "três"), None
    result = xliffmerge.apply(po, [plural])
    assert [r.unit.id for r in result.refused] == [plural.id] and "3 plural forms" in result.refused[0].describe()
    assert not result.changed


# ---------------------------------------------------------------- po2xliff and msgctxt


def test_translate_toolkit_po2xliff_output_imports_and_exits_0(tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, GNU)
    xlf = po2xliff(path, tmp_path / "gnu.xlf")
    assert b'restype="x-gettext-domain-header"' in xlf.read_bytes()  # the header as a unit of its own
    from translate.storage.xliff import xlifffile

    store = xlifffile.parsefile(str(xlf))
    units = {u.source: u for u in store.units if not u.isheader()}
    units["cannot un-backup %s"].target = "impossível desfazer a cópia de segurança de %s"
    units["cannot un-backup %s"].markfuzzy(False)
    units["cannot un-backup %s"].markapproved(True)
    xlf.write_bytes(bytes(store))
    result = run("import", str(xlf))  # exit 0: header and obsolete entries are no missing units
    assert "1 translations updated, 1 marked reviewed" in result.stderr and "0 not found" in result.stderr
    changed = entry(pofile.load(path), "cannot un-backup %s")
    assert changed.msgstr == "impossível desfazer a cópia de segurança de %s" and "fuzzy" not in changed.flags
    assert changed.previous_msgid is None


def test_po2xliff_output_of_a_file_with_msgctxt_refuses_the_units_it_made_ambiguous(tmp_path, monkeypatch):
    # po2xliff drops msgctxt: the month "May" and the verb "May" become two units with the
    # same source. Before, one unit's translation went into the other entry, reviewed.
    path = in_project(tmp_path, monkeypatch, ADMIN)
    xlf = po2xliff(path, tmp_path / "admin.xlf")
    from translate.storage.xliff import xlifffile

    store = xlifffile.parsefile(str(xlf))
    for unit in store.units:
        if unit.source == "May":
            unit.target = "Maio (mês)" if unit.target == "Maio" else "Pode (verbo)"
        if unit.source == "Time:":
            unit.target = "Horas:"
    xlf.write_bytes(bytes(store))
    result = run("import", str(xlf), code=1)
    refused = [line for line in result.stderr.splitlines() if ": unit " in line]
    assert len(refused) == 2 and all('("May")' in line and 'msgctxt "month name", "auxiliary verb"' in line for line in refused)
    po = pofile.load(path)
    assert (entry(po, "May", "month name").msgstr, entry(po, "May", "auxiliary verb").msgstr) == ("Maio", "Pode")
    assert entry(po, "Time:").msgstr == "Horas:"  # the rest is imported


def test_transflow_exports_land_by_msgctxt(tmp_path, monkeypatch):
    po = pofile.load(ADMIN)
    text = xliff.dumps(po, source="en", target="pt", original="a.po", fmt="xliff")
    _, [file] = xliffread.parse(text.encode())
    verb = next(u for u in file.units if u.source == "May" and u.msgctxt == "auxiliary verb")
    verb.target = "Poderá"
    result = xliffmerge.apply(po, file.units)
    assert (result.updated, result.refused, result.missing) == (1, [], [])
    assert (entry(po, "May", "month name").msgstr, entry(po, "May", "auxiliary verb").msgstr) == ("Maio", "Poderá")


def test_units_that_lost_their_metadata_are_not_guessed(tmp_path):
    # A tool that strips XLIFF 2 modules (Okapi's filter, known to) loses the msgctxt and
    # the base: the two "May" units could each be either entry.
    po = pofile.load(ADMIN)
    text = xliff.dumps(po, source="en", target="pt", original="a.po", fmt="xliff")
    import re

    stripped = re.sub(r"<mda:metadata>.*?</mda:metadata>", "", text, flags=re.S)
    _, [file] = xliffread.parse(stripped.encode())
    for u in file.units:
        if u.source == "May":
            u.target = "Mai"
    result = xliffmerge.apply(po, file.units)
    assert sorted(r.unit.source for r in result.refused) == ["May", "May"]
    assert (entry(po, "May", "month name").msgstr, entry(po, "May", "auxiliary verb").msgstr) == ("Maio", "Pode")


def test_two_units_for_one_entry_are_both_refused():
    po = pofile.load(ADMIN)
    first = xliffread.Unit("a", "Date:", "Data de hoje:", status="reviewed")
    second = xliffread.Unit("b", "Date:", "Dia:", status="reviewed")
    result = xliffmerge.apply(po, [first, second])
    assert [r.unit.id for r in result.refused] == ["a", "b"] and entry(po, "Date:").msgstr == "Data:"


# ---------------------------------------------------------------- files that name no PO file


def test_a_file_without_original_needs_po_and_imports_with_it(tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, ADMIN)
    shutil.copy(DATA / "symfony-style-pt.xlf", "messages.pt.xlf")
    result = run("import", "messages.pt.xlf", code=2)
    assert "has no 'original' attribute" in result.stderr and "--po PATH" in result.stderr
    assert path.read_bytes() == ADMIN.read_bytes()
    result = run("import", "messages.pt.xlf", "--po", str(path))
    assert "2 translations updated, 1 marked reviewed" in result.stderr
    po = pofile.load(path)
    current = entry(po, "Currently:")
    assert (current.msgstr, "fuzzy" in current.flags, current.tcomment) == ("Neste momento:", False, "file input widget")
    items = entry(po, "Items must be selected in order to perform actions on them.")
    assert (items.msgstr, "fuzzy" in items.flags) == ("Tem de selecionar itens para executar ações sobre eles.", True)
    assert entry(po, "Date:").msgstr == "Data:"


def test_a_file_whose_original_is_not_a_po_file_imports_with_po(tmp_path, monkeypatch):
    path = in_project(tmp_path, monkeypatch, ADMIN)
    shutil.copy(DATA / "angular-style-pt.xlf", "messages.pt.xlf")
    assert "no target language" in run("import", "messages.pt.xlf", code=2).stderr
    run("import", "messages.pt.xlf", "--po", str(path))
    po = pofile.load(path)
    items = entry(po, "Items must be selected in order to perform actions on them.")
    assert (items.msgstr, "fuzzy" in items.flags) == ("Selecione itens para executar ações sobre eles.", True)
    # Its note is the developer's description (Angular's from="description"), not a translator's.
    assert items.tcomment == ""
    assert catalog.state(entry(po, "Popup closing…")) == "reviewed"


def test_po_outside_the_locales_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "elsewhere" / "admin.po"
    target.parent.mkdir()
    shutil.copy(ADMIN, target)
    shutil.copy(DATA / "symfony-style-pt.xlf", "m.xlf")
    run("import", "m.xlf", "--po", str(target))
    assert entry(pofile.load(target), "Currently:").msgstr == "Neste momento:"
    assert not (tmp_path / "locales").exists()  # no locales folder made just to lock it


def test_the_glossary_module_lists_no_term_of_a_placeholder(tmp_path):
    from transflow.glossary import load

    (tmp_path / "g.yaml").write_text("domain: t\nsource_language: en\nterms:\n  - id: article\n    source: article\n"
                                     "    translations:\n      pt: artigo\n", encoding="utf-8")
    text = xliff.dumps(pofile.load(ADMIN), source="en", target="pt", original="a.po", fmt="xliff",
                       glossary=load(tmp_path / "g.yaml"))
    # "%(article)s" in "Added “%(article)s”." is code; "article id" and the plural entry's two
    # forms have the word.
    assert text.count("<gls:term source=\"transflow-glossary\">article</gls:term>") == 3
    assert errors(text, "2.1") == []
