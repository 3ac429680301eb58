"""Issue: XLIFF 2.1 and 1.2 for CAT tools, and back into the PO file without losing anything."""

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, msgfmt_check

from transflow import pofile, xliff, xliffread
from transflow.cli import main
from transflow.errors import InputError

STEM = EXAMPLE.stem
PO = f"locales/pt/LC_MESSAGES/{STEM}.po"
X = "{urn:oasis:names:tc:xliff:document:2.0}"
X12 = "{urn:oasis:names:tc:xliff:document:1.2}"
GLS = "{urn:oasis:names:tc:xliff:glossary:2.0}"

HEADING = "Rights groups urge China to end forced returns of North Koreans"
APPEAL = "A coalition of human rights organizations has asked Beijing to stop sending North Korean refugees back across the border."
TUMEN = "Many of them were arrested after crossing the Tumen River in the past year."
YOON = "Yoon Suk Yeol raised the issue with Chinese leaders at a regional summit."
DEFECTOR = "One defector told investigators that guards accused her of treason for leaving the country."
CREDIT = "By the transflow example desk"
SOUTH = "South Korea has offered to resettle anyone China releases."
FORMATS = ["xliff", "xliff12"]


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


def entries(po):
    return {e.msgid: e for e in po if not e.obsolete}


@pytest.fixture
def desk(project):
    """The committed example PO, its entries made drafts again, after some review work:
    two entries reviewed, one with translator comments, one emptied, one draft with a previous msgid."""
    path = project / PO
    path.parent.mkdir(parents=True)
    shutil.copy(ROOT / PO, path)
    po = pofile.load(path)
    for entry in po:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
    by_id = entries(po)
    for msgid in (APPEAL, TUMEN):
        by_id[msgid].flags.remove("fuzzy")
    by_id[TUMEN].msgstr = "Muitos deles foram presos depois de atravessar o rio Tumen no ano passado."
    by_id[TUMEN].tcomment = "checked against the UN report\nsecond opinion: ok"
    by_id[CREDIT].msgstr = ""
    by_id[CREDIT].flags.remove("fuzzy")
    by_id[DEFECTOR].previous_msgid = "A defector told investigators that guards accused her of treason."
    by_id[DEFECTOR].tcomment = "names & <places> \"quoted\""
    pofile.write(po, path)
    return path


def export(fmt, *extra):
    out = f"{STEM}.{fmt}.xlf"
    run("export", EXAMPLE.name, "--to", "pt", "--format", fmt, "-o", out, *extra)
    return out


def snapshot(po):
    return {e.msgid: (e.msgstr, "fuzzy" in e.flags, e.tcomment, e.previous_msgid) for e in po if not e.obsolete}


def drop_bases(path):
    """The file as a tool that keeps no foreign data saves it: without transflow's bases."""
    text = Path(path).read_text(encoding="utf-8")
    text = re.sub(r'\s*<mda:metaGroup category="transflow-base">.*?</mda:metaGroup>|\s*<alt-trans .*?</alt-trans>', "",
                  text, flags=re.S)
    Path(path).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_loses_no_translation_comment_or_status(desk, fmt):
    before = snapshot(pofile.load(desk))
    out = export(fmt)
    drop_bases(out)
    # Strip the PO file of everything the XLIFF carries back, then import.
    po = pofile.load(desk)
    for e in po:
        e.msgstr, e.tcomment = "", ""
        e.flags = [f for f in e.flags if f != "fuzzy"]
    pofile.write(po, desk)
    result = run("import", out)
    assert "written" in result.stderr
    assert snapshot(pofile.load(desk)) == before
    msgfmt_check(desk)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_untouched_file_never_undoes_what_the_po_file_did_since(desk, fmt):
    out = export(fmt)
    po = pofile.load(desk)
    for e in po:
        e.msgstr, e.tcomment = "", ""
        e.flags = [f for f in e.flags if f != "fuzzy"]
    pofile.write(po, desk)
    data = desk.read_bytes()
    result = run("import", out)
    assert "unchanged" in result.stderr and desk.read_bytes() == data


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_an_untouched_export_changes_nothing(desk, fmt):
    data = desk.read_bytes()
    result = run("import", export(fmt))
    assert desk.read_bytes() == data
    assert "unchanged" in result.stderr and "0 not found" in result.stderr


def test_xliff21_states_notes_glossary_and_references(desk):
    root = ET.parse(export("xliff")).getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en", "pt")
    [file] = root.findall(f"{X}file")
    assert file.get("original") == PO
    units = {u.find(f"{X}segment/{X}source").text: u for u in file.findall(f"{X}unit")}
    po = entries(pofile.load(desk))
    assert set(units) == set(po)

    def state(msgid):
        segment = units[msgid].find(f"{X}segment")
        return segment.get("state"), segment.find(f"{X}target") is not None

    assert state(TUMEN) == ("final", True)
    # A draft is "initial" with its target (Translate Toolkit reads "translated" as done).
    assert state(HEADING) == ("initial", True)
    assert units[HEADING].find(f"{X}segment").get("subState") == "transflow:draft"
    assert state(CREDIT) == ("initial", False)  # the spec: only a state past initial needs a target

    def notes(msgid):
        return [(n.get("category"), n.text) for n in units[msgid].findall(f"{X}notes/{X}note")]

    assert notes(TUMEN) == [
        ("kind", "paragraph"),
        ("provenance", "mt: bergamot:enpt-1693087644"),
        ("location", "examples/north-korean-refugees.txt:5"),
        ("translator", "checked against the UN report"),
        ("translator", "second opinion: ok"),
    ]
    assert ("previous-source", po[DEFECTOR].previous_msgid) in notes(DEFECTOR)
    assert ("translator", 'names & <places> "quoted"') in notes(DEFECTOR)

    def glossary(msgid):
        return {
            g.find(f"{GLS}term").text: (
                [t.text for t in g.findall(f"{GLS}translation")],
                getattr(g.find(f"{GLS}definition"), "text", None),
            )
            for g in units[msgid].findall(f"{GLS}glossary/{GLS}glossEntry")
        }

    defector = glossary(DEFECTOR)
    assert defector["defector"][0] == ["desertor"]
    assert "fled North Korea" in defector["defector"][1]
    assert defector["treason"][0] == ["traição"]
    yoon_translations, yoon_definition = glossary(YOON)["Yoon"]
    assert yoon_translations == ["Yoon"] and yoon_definition.endswith("Do not translate.")
    refoulement = next(u for s, u in units.items() if s.startswith("Under the principle of non-refoulement"))
    [entry] = [g for g in refoulement.findall(f"{GLS}glossary/{GLS}glossEntry") if g.find(f"{GLS}term").text == "non-refoulement"]
    assert [t.text for t in entry.findall(f"{GLS}translation")][0] == "não devolução"
    assert "Never: não-repulsão, não repulsão." in entry.find(f"{GLS}definition").text
    assert units[HEADING].find(f"{GLS}glossary") is None  # no term in that heading


def test_xliff12_units_notes_and_context_groups(desk):
    root = ET.parse(export("xliff12")).getroot()
    assert root.get("version") == "1.2"
    [file] = root.findall(f"{X12}file")
    assert (file.get("source-language"), file.get("target-language"), file.get("datatype")) == ("en", "pt", "po")
    units = {u.find(f"{X12}source").text: u for u in file.iter(f"{X12}trans-unit")}
    assert units[TUMEN].get("approved") == "yes"
    assert units[HEADING].get("approved") is None
    assert units[HEADING].find(f"{X12}target").get("state") == "needs-review-translation"
    assert units[HEADING].find(f"{X12}target").get("state-qualifier") == "mt-suggestion"
    assert units[CREDIT].find(f"{X12}target") is None
    assert [(n.get("from"), n.text) for n in units[TUMEN].findall(f"{X12}note")][-2:] == [
        ("translator", "checked against the UN report"), ("translator", "second opinion: ok"),
    ]
    [group] = units[TUMEN].findall(f"{X12}context-group")
    assert group.get("purpose") == "location"
    assert [(c.get("context-type"), c.text) for c in group] == [
        ("sourcefile", "examples/north-korean-refugees.txt"), ("linenumber", "5"),
    ]


def test_translate_toolkit_reads_our_xliff12(desk):
    from translate.storage.xliff import Xliff1Unit, xlifffile

    store = xlifffile.parsefile(export("xliff12"))
    po = entries(pofile.load(desk))
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == list(po)
    for unit in units:
        entry = po[unit.source]
        assert (unit.target or "") == entry.msgstr
        assert unit.isfuzzy() == (bool(entry.msgstr) and "fuzzy" in entry.flags)
        assert unit.isapproved() == (bool(entry.msgstr) and "fuzzy" not in entry.flags)
        assert unit.getnotes("translator") == (entry.tcomment or "")
        # The references are context groups with purpose "location", unnamed: the strict
        # schema wants context-group names unique in a file, so Translate Toolkit's PO
        # reader, which looks for the name "po-reference" in each unit, does not see them;
        # its generic XLIFF reader (and other tools) go by the purpose.
        assert Xliff1Unit.getlocations(unit) == [f"{p}:{n}" for p, n in entry.occurrences]
        developer = unit.getnotes("developer").split("\n")
        assert developer[: len(entry.comment.split("\n"))] == entry.comment.split("\n")
    assert store.gettargetlanguage() == "pt"


def test_translate_toolkit_reads_our_xliff21(desk):
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsefile(export("xliff"))
    po = entries(pofile.load(desk))
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == list(po)
    for unit in units:
        entry = po[unit.source]
        assert (unit.target or "") == entry.msgstr
        assert unit.isapproved() == (bool(entry.msgstr) and "fuzzy" not in entry.flags)


def cat_edit(path, edits, ns=X):
    """Change an exported file as a CAT tool would; ``edits``: source -> function(unit element)."""
    tree = ET.parse(path)
    ET.register_namespace("", ns[1:-1])
    ET.register_namespace("gls", GLS[1:-1])
    parent = tree.getroot().find(f"{ns}file") if ns == X else tree.getroot().find(f"{ns}file/{ns}body")
    tag = "unit" if ns == X else "trans-unit"
    for unit in list(parent.iter(f"{ns}{tag}")):
        source = unit.find(f".//{ns}source").text
        if source in edits:
            if edits[source] is None:
                parent.remove(unit)
            else:
                edits[source](unit)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def test_cat_tool_work_comes_back_into_the_po_file(desk):
    out = export("xliff")
    po_before = entries(pofile.load(desk))
    notes = []

    def set_target(text, state=None):
        def edit(unit):
            segment = unit.find(f"{X}segment")
            target = segment.find(f"{X}target")
            if target is None:
                target = ET.SubElement(segment, f"{X}target")
            target.text = text
            segment.attrib.pop("subState", None)
            if state:
                segment.set("state", state)
            else:
                segment.attrib.pop("state", None)
        return edit

    def add_note(unit):
        ET.SubElement(unit.find(f"{X}notes"), f"{X}note").text = "ask the desk about this name"
        notes.append(unit)

    def resegment(unit):
        # A tool that split the unit in two segments and marked a term in the target.
        unit.remove(unit.find(f"{X}segment"))
        for source, target, state in (("Observers expect more than 600 people to be returned", "Observadores esperam que mais de ", "final"),):
            s = ET.SubElement(unit, f"{X}segment", state=state)
            ET.SubElement(s, f"{X}source").text = source
            t = ET.SubElement(s, f"{X}target")
            t.text = target
            mrk = ET.SubElement(t, f"{X}mrk", id="m1", type="term")
            mrk.text = "600 pessoas"
            mrk.tail = " sejam devolvidas"
        ignorable = ET.SubElement(unit, f"{X}ignorable")
        ET.SubElement(ignorable, f"{X}source").text = " "
        s = ET.SubElement(unit, f"{X}segment", state="reviewed")
        ET.SubElement(s, f"{X}source").text = "before the end of the year."
        ET.SubElement(s, f"{X}target").text = "antes do fim do ano."

    def change_source(unit):
        unit.find(f"{X}segment/{X}source").text = "A sentence the article no longer has."
        set_target("Uma frase que o artigo já não tem.", "final")(unit)

    observers = "Observers expect more than 600 people to be returned before the end of the year."
    fence = "Photo: A border fence along the Yalu River, seen from the Chinese side"
    cat_edit(out, {
        HEADING: set_target("Grupos de direitos humanos pedem à China o fim dos retornos forçados", "final"),
        DEFECTOR: set_target(po_before[DEFECTOR].msgstr, "reviewed"),  # the draft accepted as it is
        TUMEN: set_target("Muitos foram presos depois de cruzar o rio Tumen.", "translated"),
        APPEAL: add_note,
        YOON: set_target("Yoon Suk Yeol levantou a questão numa cimeira."),  # no state: stays a draft
        SOUTH: set_target("", "final"),  # an empty target never erases a translation
        observers: resegment,
        fence: None,  # a unit the tool dropped
        "What the resolution asks": change_source,
    })
    result = run("import", out, code=1)
    assert ": source not in" in result.stderr and "A sentence the article no longer has." in result.stderr
    assert "1 not found" in result.stderr and "1 empty targets ignored" in result.stderr
    po = entries(pofile.load(desk))
    assert (po[HEADING].msgstr, "fuzzy" in po[HEADING].flags) == ("Grupos de direitos humanos pedem à China o fim dos retornos forçados", False)
    assert "fuzzy" not in po[DEFECTOR].flags and po[DEFECTOR].previous_msgid is None
    assert po[DEFECTOR].msgstr == po_before[DEFECTOR].msgstr
    assert (po[TUMEN].msgstr, "fuzzy" in po[TUMEN].flags) == ("Muitos foram presos depois de cruzar o rio Tumen.", True)
    assert po[TUMEN].tcomment == po_before[TUMEN].tcomment  # no translator note in the unit: kept
    assert po[APPEAL].tcomment == "ask the desk about this name"
    assert "fuzzy" in po[YOON].flags and po[YOON].msgstr == "Yoon Suk Yeol levantou a questão numa cimeira."
    assert (po[SOUTH].msgstr, po[SOUTH].flags) == (po_before[SOUTH].msgstr, po_before[SOUTH].flags)
    assert po[observers].msgstr == "Observadores esperam que mais de 600 pessoas sejam devolvidas antes do fim do ano."
    assert "fuzzy" not in po[observers].flags
    assert (po[fence].msgstr, po[fence].flags) == (po_before[fence].msgstr, po_before[fence].flags)
    assert po["What the resolution asks"].msgstr == po_before["What the resolution asks"].msgstr
    # Extracted comments and references belong to the article: untouched.
    assert all((po[m].comment, po[m].occurrences) == (po_before[m].comment, po_before[m].occurrences) for m in po)
    msgfmt_check(desk)


def test_xliff12_approval_and_notes_come_back(desk):
    out = export("xliff12")

    def approve(unit):
        unit.set("approved", "yes")
        unit.find(f"{X12}target").set("state", "translated")

    def unapprove(unit):
        unit.set("approved", "no")
        unit.find(f"{X12}target").text = "Muitos foram presos."

    def note(unit):
        n = ET.SubElement(unit, f"{X12}note", {"from": "reviewer"})
        n.text = "check the river's name"

    cat_edit(out, {HEADING: approve, TUMEN: unapprove, APPEAL: note}, ns=X12)
    run("import", out)
    po = entries(pofile.load(desk))
    assert "fuzzy" not in po[HEADING].flags
    assert (po[TUMEN].msgstr, "fuzzy" in po[TUMEN].flags) == ("Muitos foram presos.", True)
    assert po[APPEAL].tcomment == "check the river's name"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="pt">
 <file id="f1" original="locales/pt/LC_MESSAGES/north-korean-refugees.po">
  <unit id="1"><segment state="final"><source>Rights groups urge China to end forced returns of North Koreans</source><target>&c;</target></segment></unit>
 </file>
</xliff>
"""


@pytest.mark.parametrize("data", [
    BOMB,
    BOMB.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
    BOMB.replace(b'"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', b'SYSTEM "file:///etc/passwd"'),
], ids=["entity-expansion", "utf16", "external-entity"])
def test_import_refuses_dtds_and_entities(desk, data):
    (desk.parent.parent.parent.parent / "bomb.xlf").write_bytes(data)
    before = desk.read_bytes()
    result = run("import", "bomb.xlf", code=2)
    assert "refusing an XML document type declaration" in result.stderr
    assert desk.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    (b"<xliff version='2.1'", "not well-formed XML"),
    (b"<html/>", "not an XLIFF document"),
    (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.1' srcLang='en' trgLang='pt'>"
     b"<file id='f1' original='elsewhere.po'><unit id='1'><segment><source>x</source></segment></unit></file></xliff>",
     "does not exist"),
    (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.1' srcLang='en' trgLang='pt'>"
     b"<file id='f1'><unit id='1'><segment><source>x</source></segment></unit></file></xliff>",
     "no 'original' attribute"),
])
def test_import_bad_input_is_one_line_and_exit_2(desk, content, message):
    (desk.parents[3] / "bad.xlf").write_bytes(content)
    result = run("import", "bad.xlf", code=2)
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_export_without_po_file_says_what_to_run(project):
    result = run("export", EXAMPLE.name, "--to", "de", code=2)
    assert "transflow translate" in result.stderr


def test_export_to_stdout_keeps_messages_on_stderr(desk):
    result = run("export", EXAMPLE.name, "--to", "pt")
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff')
    assert "XLIFF 2.1, 24 units (2 reviewed, 21 drafts, 1 untranslated)" in result.stderr
    ET.fromstring(result.stdout.encode())


TRICKY = [
    ("<b>Tom & Jerry</b> said \"hi\" & 'bye'", "<b>Tom & Jerry</b> disse \"oi\" & 'tchau'", None),
    ("  spaces kept  ", "  espaços mantidos  ", None),
    ("line one\nline two\r\nwindows", "linha um\nlinha dois\r\nwindows", None),
    ("tab\there and ]]> too", "tab\taqui e ]]> também", None),
    ("emoji 🇧🇷 and 𝄞", "emoji 🇧🇷 e 𝄞", None),
    ("same text", "mesmo texto (menu)", "menu"),
    ("same text", "mesmo texto", None),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_survives_escaping_whitespace_and_context(fmt):
    po = polib.POFile()
    po.metadata = {"Language": "pt"}
    for msgid, msgstr, ctxt in TRICKY:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=ctxt, tcomment="a & b < c"))
    data = xliff.dumps(po, source="en", target="pt", original="x.po", fmt=fmt).encode()
    _, [file] = xliffread.parse(data)
    assert [(u.source, u.target, u.msgctxt, u.notes) for u in file.units] == [
        (m, s, c, ["a & b < c"]) for m, s, c in TRICKY
    ]


def test_characters_xml_cannot_hold_travel_as_cp_in_21_and_are_refused_in_12():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="bell\x07 and \x1b escape", msgstr="sino\x07"))
    data = xliff.dumps(po, source="en", target="pt", original="x.po").encode()
    assert b'<cp hex="0007" />' in data
    _, [file] = xliffread.parse(data)
    assert (file.units[0].source, file.units[0].target) == ("bell\x07 and \x1b escape", "sino\x07")
    with pytest.raises(InputError, match="U\\+0007 cannot be written in XLIFF 1.2"):
        xliff.dumps(po, source="en", target="pt", original="x.po", fmt="xliff12")
