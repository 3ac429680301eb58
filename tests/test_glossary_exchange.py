"""Issue 3, exchange: glossaries out as TBX (v3 TBX-Basic, TBX 2 martif) and CSV/TSV (DeepL, Google), and back in."""

import textwrap
import xml.etree.ElementTree as ET
from dataclasses import asdict

import pytest
from click.testing import CliRunner
from conftest import GLOSSARY

from transflow import atomic, outputs
from transflow import glossary as g
from transflow.cli import main
from transflow.errors import InputError
from transflow.glossary import exchange, tbx

T3 = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Everything transflow's format has that the shipped glossary does not use: a per-language
# do-not-translate rendering, a DNT term with a translation, verbs, adjectives, phrases,
# a note with a line break, case sensitivity both ways, a regional code, XML and CSV
# metacharacters.
RICH = textwrap.dedent("""\
    domain: newsroom
    source_language: en
    terms:
      - id: ngo
        source: NGO
        variants: [N.G.O.]
        pos: noun
        case_sensitive: false
        note: |-
          Non-governmental organisation.
          Spell it out on first use.
        translations:
          pt: {preferred: ONG, allowed: [organização não governamental]}
          pt_BR: {preferred: ONG, forbidden: [NGO]}
          de: {preferred: NGO, do_not_translate: true}
      - id: flee
        source: flee
        pos: verb
        translations:
          pt: {preferred: fugir, allowed: [escapar], forbidden: [evadir-se]}
      - id: stateless
        source: stateless
        pos: adjective
        translations: {fr: apatride}
      - id: at-risk
        source: at risk
        pos: phrase
        translations: {es: en riesgo}
      - id: kim-jong-un
        source: Kim Jong Un
        pos: proper-noun
        case_sensitive: true
        do_not_translate: true
        translations:
          ko: 김정은
      - id: q-a
        source: Q&A
        variants: ['Q & A', 'questions, "answers"']
        pos: noun
        note: Use <b> & "quotes" as written.
        translations:
          pt: 'perguntas e respostas, "P&R"'
""")


def terms_of(glossary):
    return [{k: v for k, v in asdict(t).items() if k != "origin"} for t in glossary.terms]


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


@pytest.fixture
def rich(tmp_path):
    path = tmp_path / "src" / "newsroom.yaml"
    path.parent.mkdir()
    path.write_text(RICH, encoding="utf-8")
    assert g.validate(path) == []
    return path


@pytest.fixture(params=["shipped", "rich"])
def source_glossary(request, rich):
    return GLOSSARY if request.param == "shipped" else rich


def round_trip(path, tmp_path, fmt, ext, **kwargs):
    out = tmp_path / f"out.{ext}"
    exchange.export(path, out, fmt=fmt, targets=kwargs.pop("targets", ()))
    back = tmp_path / "back" / "imported.yaml"
    result = exchange.import_file(out, back, **kwargs)
    assert g.validate(back) == []
    return out, back, result


# ------------------------------------------------------------------ TBX round trips


@pytest.mark.parametrize("fmt", ["tbx", "tbx2"])
def test_tbx_round_trip_loses_nothing(source_glossary, tmp_path, fmt):
    _, back, result = round_trip(source_glossary, tmp_path, fmt, "tbx")
    assert result.warnings == []
    assert terms_of(g.load(back)) == terms_of(g.load(source_glossary))


def test_round_trip_keeps_domain_and_source_language(rich, tmp_path):
    _, back, result = round_trip(rich, tmp_path, "tbx", "tbx")
    text = back.read_text(encoding="utf-8")
    assert "domain: newsroom\nsource_language: en\n" in text
    assert result.kind == "TBX v3"


def test_tbx_v3_is_tbx_basic_dca(rich, tmp_path):
    out = tmp_path / "g.tbx"
    exchange.export(rich, out, fmt="tbx")
    root = ET.fromstring(out.read_bytes())
    assert root.tag == f"{T3}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    entries = {e.get("id"): e for e in root.iter(f"{T3}conceptEntry")}
    assert list(entries) == ["ngo", "flee", "stateless", "at-risk", "kim-jong-un", "q-a"]

    def terms(entry, lang):
        section = next(s for s in entry.findall(f"{T3}langSec") if s.get(XML_LANG) == lang)
        return [
            (s.find(f"{T3}term").text,
             s.find(f"{T3}termNote[@type='partOfSpeech']").text,
             s.find(f"{T3}termNote[@type='administrativeStatus']").text)
            for s in section.findall(f"{T3}termSec")
        ], section

    flee = entries["flee"]
    assert terms(flee, "pt")[0] == [
        ("fugir", "verb", "preferredTerm-admn-sts"),
        ("escapar", "verb", "admittedTerm-admn-sts"),
        ("evadir-se", "verb", "deprecatedTerm-admn-sts"),
    ]
    ngo = entries["ngo"]
    assert terms(ngo, "en")[0] == [("NGO", "noun", "preferredTerm-admn-sts"), ("N.G.O.", "noun", "admittedTerm-admn-sts")]
    assert [n.text for n in ngo.findall(f"{T3}note")] == [
        "Non-governmental organisation.\nSpell it out on first use.", "transflow: not case-sensitive"]
    assert ngo.find(f"{T3}descrip[@type='subjectField']").text == "newsroom"
    assert [s.get(XML_LANG) for s in ngo.findall(f"{T3}langSec")] == ["en", "pt", "pt-BR", "de"]
    _, german = terms(ngo, "de")
    assert german.find(f"{T3}note").text == tbx.DNT_NOTE
    kim = entries["kim-jong-un"]
    assert {n.text for n in kim.findall(f"{T3}note")} == {tbx.DNT_NOTE, tbx.CASE_NOTE}
    assert terms(kim, "en")[0] == [("Kim Jong Un", "properNoun", "preferredTerm-admn-sts")]
    assert terms(entries["at-risk"], "es")[0] == [("en riesgo", "other", "preferredTerm-admn-sts")]


def test_tbx2_is_martif_with_the_translation_needed_convention(rich, tmp_path):
    out = tmp_path / "g.tbx"
    exchange.export(rich, out, fmt="tbx2")
    root = ET.fromstring(out.read_bytes())
    assert root.tag == "martif" and root.get(XML_LANG) == "en"
    entries = root.findall("text/body/termEntry")
    assert len(entries) == 6
    assert [t.text for t in entries[1].findall("langSet/tig/term")] == ["flee", "fugir", "escapar", "evadir-se"]
    kim = entries[4]
    assert kim.find("descrip[@type='Translation needed']").text == "no"


def test_translate_toolkit_reads_our_martif(rich, tmp_path):
    from translate.storage.tbx import tbxfile

    out = tmp_path / "g.tbx"
    exchange.export(rich, out, fmt="tbx2", targets=["pt"])
    store = tbxfile.parsestring(out.read_bytes())
    units = {u.source: u for u in store.units}
    assert set(units) == {"NGO", "flee", "Kim Jong Un", "Q&A"}
    flee = units["flee"]
    assert flee.target == "fugir"
    assert [(t.text, t.deprecated) for t in flee.get_target_terms()] == [("fugir", False), ("escapar", False), ("evadir-se", True)]
    assert not units["Kim Jong Un"].istranslatable()
    assert "Spell it out on first use." in units["NGO"].getnotes()


def test_import_a_martif_file_translate_toolkit_wrote(tmp_path):
    from lxml import etree
    from translate.storage.tbx import tbxfile

    store = tbxfile(sourcelanguage="en", targetlanguage="pt")
    unit = store.addsourceunit("asylum seeker")
    unit.set_source_terms(["asylum seeker", "asylum-seeker"])
    unit.set_target_terms(["solicitante de asilo", "requerente de asilo"])
    unit.addnote("Someone whose claim has not been decided.", origin="definition")
    unit.addnote("noun", origin="pos")
    unit = store.addsourceunit("refugee")
    unit.settarget("pessoa refugiada")
    unit.addnote("ask the desk", origin="translator")
    store.addsourceunit("Yoon")  # no target: skipped, unless marked untranslatable as Weblate does
    store.addsourceunit("Seoul")
    tree = etree.fromstring(bytes(store)).getroottree()
    yoon = tree.xpath("//termEntry[langSet/tig/term='Yoon']")[0]
    etree.SubElement(yoon, "descrip", type="Translation needed").text = "no"
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    assert b"<!DOCTYPE martif" in data  # Translate Toolkit names its DTD; that is no reason to refuse
    path = tmp_path / "weblate.tbx"
    path.write_bytes(data)

    result = exchange.import_file(path, tmp_path / "glossary" / "weblate.yaml")
    assert result.kind == "TBX 2"
    assert result.warnings == [f"{path}:{_line(data, 'Seoul')}: 'Seoul' has no translation; skipped"]
    imported = g.load(result.path)
    asylum, refugee, yoon = imported.terms
    assert (asylum.id, asylum.source, asylum.variants, asylum.pos) == ("asylum-seeker", "asylum seeker", ["asylum-seeker"], "noun")
    assert asylum.translations["pt"] == g.Rendering("solicitante de asilo", allowed=["requerente de asilo"])
    assert asylum.note == "Someone whose claim has not been decided."
    assert (refugee.note, refugee.translations["pt"].preferred) == ("ask the desk", "pessoa refugiada")
    assert (yoon.source, yoon.do_not_translate, yoon.translations) == ("Yoon", True, {})


def _line(data: bytes, term: str) -> int:
    """The line of the termEntry that holds ``term``."""
    lines = data.decode().splitlines()
    at = next(i for i, line in enumerate(lines) if f"<term>{term}</term>" in line)
    return max(i for i in range(at + 1) if "<termEntry" in lines[i]) + 1


def test_tbx_v3_dct_style_and_status_spellings_are_read(tmp_path):
    path = tmp_path / "dct.tbx"
    path.write_text(textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <tbx type="TBX-Basic" style="dct" xml:lang="en-US" xmlns="urn:iso:std:iso:30042:ed-2"
             xmlns:basic="http://www.tbxinfo.net/ns/basic" xmlns:min="http://www.tbxinfo.net/ns/min">
          <text><body>
            <conceptEntry id="c1">
              <basic:subjectField>migration</basic:subjectField>
              <langSec xml:lang="en-US">
                <basic:definition>Sent back against one's will.</basic:definition>
                <termSec><term>deportation</term><basic:partOfSpeech>noun</basic:partOfSpeech></termSec>
                <termSec><term>removal</term><min:administrativeStatus>admittedTerm-admn-sts</min:administrativeStatus></termSec>
                <termSec><term>expulsion</term><min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus></termSec>
              </langSec>
              <langSec xml:lang="pt-BR">
                <termSec><term>expulsão</term><min:administrativeStatus>deprecatedTerm</min:administrativeStatus></termSec>
                <termSec><term>deportação</term><min:administrativeStatus>preferredTerm</min:administrativeStatus></termSec>
              </langSec>
            </conceptEntry>
          </body></text>
        </tbx>
    """), encoding="utf-8")
    result = exchange.import_file(path, tmp_path / "out.yaml")
    [term] = g.load(result.path).terms
    # The deprecated source term is no form to match; the desk's advice stays in the note.
    assert (term.source, term.variants, term.note) == ("deportation", ["removal"],
                                                       "Sent back against one's will.\nDeprecated (en_US): expulsion")
    assert term.translations == {"pt_BR": g.Rendering("deportação", forbidden=["expulsão"])}
    assert "source_language: en_US\n" in result.path.read_text(encoding="utf-8")
    assert "domain: migration\n" in result.path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ CSV / TSV


def test_deepl_csv_both_ways(rich, tmp_path):
    out = tmp_path / "deepl.csv"
    count, written = exchange.export(rich, out, fmt="csv", targets=["pt"])
    assert (count, written) == (4, ["pt"])
    assert out.read_text(encoding="utf-8") == (
        "NGO,ONG\n"
        "N.G.O.,ONG\n"
        "flee,fugir\n"
        "Kim Jong Un,Kim Jong Un\n"  # do not translate: itself
        'Q&A,"perguntas e respostas, ""P&R"""\n'
        "Q & A,\"perguntas e respostas, \"\"P&R\"\"\"\n"
        '"questions, ""answers""","perguntas e respostas, ""P&R"""\n'
    )
    result = exchange.import_file(out, tmp_path / "g" / "deepl.yaml", target="pt")
    assert result.warnings == []
    back = {t.source: t for t in g.load(result.path).terms}
    assert list(back) == ["NGO", "flee", "Kim Jong Un", "Q&A"]
    assert back["NGO"].variants == ["N.G.O."]  # rows with one target are one term
    assert back["Q&A"].variants == ["Q & A", 'questions, "answers"']
    assert back["Q&A"].translations["pt"].preferred == 'perguntas e respostas, "P&R"'
    assert back["flee"].translations == {"pt": g.Rendering("fugir")}


def test_deepl_export_with_language_columns_needs_no_options(tmp_path):
    path = tmp_path / "deepl-export.csv"
    path.write_text("refugee,Flüchtling,EN,DE\nasylum seeker,Asylsuchende,EN,DE\n", encoding="utf-8")
    result = exchange.import_file(path, tmp_path / "out.yaml")
    terms = g.load(result.path).terms
    assert [(t.source, t.translations["de"].preferred) for t in terms] == [("refugee", "Flüchtling"), ("asylum seeker", "Asylsuchende")]


def test_google_csv_both_ways(source_glossary, tmp_path):
    out, back, result = round_trip(source_glossary, tmp_path, "csv", "csv")
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-2:] == ["pos", "description"] and header[0] == "en"
    assert "CSV with a language header" == result.kind
    original, imported = g.load(source_glossary).terms, g.load(back).terms
    assert [t.source for t in imported] == [t.source for t in original]
    for before, after in zip(original, imported):
        # What this shape carries: the source, one rendering per language, the part of speech, the note.
        assert (after.pos, after.note) == (before.pos, before.note)
        expected = {}
        for code in header[1:-2]:
            lang = code.replace("-", "_")
            if before.rendering(lang):
                expected[lang] = g.Rendering(before.rendering(lang).preferred)
        assert after.translations == expected


def test_google_csv_with_source_other_than_english(tmp_path):
    path = tmp_path / "google.csv"
    path.write_text("pt,en,description\ndesertor,defector,fled the North\n", encoding="utf-8")
    result = exchange.import_file(path, tmp_path / "out.yaml", source="pt")
    [term] = g.load(result.path).terms
    assert (term.source, term.translations, term.note) == ("desertor", {"en": g.Rendering("defector")}, "fled the North")
    assert "source_language: pt\n" in result.path.read_text(encoding="utf-8")


def test_tsv_both_ways_and_one_pair_only(rich, tmp_path):
    out = tmp_path / "g.tsv"
    exchange.export(rich, out, fmt="tsv", targets=["pt"])
    assert out.read_text(encoding="utf-8").splitlines()[4] == 'Q&A\tperguntas e respostas, "P&R"'
    result = exchange.import_file(out, tmp_path / "out.yaml", target="pt")
    assert g.load(result.path).by_id("q-a").translations["pt"].preferred == 'perguntas e respostas, "P&R"'
    with pytest.raises(InputError, match="one language pair"):
        exchange.export(rich, tmp_path / "all.tsv", fmt="tsv")


@pytest.mark.parametrize("name, content, message", [
    ("pair.csv", "refugee,Flüchtling\nasylum seeker,Asylsuchende\n\ndetention,Haft,extra\n", "pair.csv:4: 3 columns, but line 1 has 2"),
    ("sets.csv", 'en,de,pos\nrefugee,Flüchtling,noun\n"labor\ncamp",Lager,noun\ntreason,Verrat\n', "sets.csv:5: 2 columns, but the header on line 1 has 3"),
    ("three.csv", "a,b,c\n", "three.csv:1: 3 columns; expected 2"),
    ("pair.tsv", "refugee\tFlüchtling\ntreason\n", "pair.tsv:2: 1 column, but line 1 has 2"),
    ("lang.csv", "refugee,Flüchtling,EN,DE\ntreason,Verrat,EN,XX\n", "lang.csv:2: unknown language code 'XX'"),
    ("mixed.csv", "refugee,Flüchtling,EN,DE\ntreason,trahison,EN,FR\n", "mixed.csv:2: en -> fr, but line 1 is en -> de"),
    ("latin1.csv", "refugee,réfugié\n".encode("latin-1"), "latin1.csv: not UTF-8"),
    ("quote.csv", 'refugee,"réfugié\n', "quote.csv:1: not valid CSV: unexpected end of data (a quoted field is never closed)"),
])
def test_bad_csv_is_reported_with_its_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(InputError) as e:
        exchange.read(path, target="de")
    assert str(e.value).startswith(f"{path}:") and message in str(e.value), str(e.value)


def test_an_export_with_nothing_in_it_is_refused(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - id: a\n    source: a\n    translations: {pt: b}\n", encoding="utf-8")
    with pytest.raises(InputError, match="no term has a rendering in sw; nothing to export"):
        exchange.export(path, tmp_path / "out.tbx", fmt="tbx", targets=["sw"])
    assert not (tmp_path / "out.tbx").exists()


def test_two_columns_without_languages_ask_for_to(tmp_path):
    path = tmp_path / "pair.csv"
    path.write_text("refugee,Flüchtling\n", encoding="utf-8")
    with pytest.raises(InputError, match="give --to LANG"):
        exchange.read(path)


# ------------------------------------------------------------------ hostile and broken XML

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&d;</term></termSec></langSec>
<langSec xml:lang="pt"><termSec><term>&d;</term></termSec></langSec></conceptEntry></body></text></tbx>
"""


@pytest.mark.parametrize("data", [
    BOMB,
    BOMB.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
    BOMB.replace(b'"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"', b'SYSTEM "file:///etc/passwd"'),
    b'<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "TBXcdv04.dtd">\n<martif><text><body><termEntry>'
    b'<langSet xml:lang="en"><tig><term>&undeclared;</term></tig></langSet></termEntry></body></text></martif>',
], ids=["entity-expansion", "utf16", "external-entity", "undeclared-entity"])
def test_hostile_xml_is_refused(project, data):
    (project / "bomb.tbx").write_bytes(data)
    result = run("glossary", "import", "bomb.tbx", code=2)
    assert "refusing an XML entity declaration or reference" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (project / "glossary" / "bomb.yaml").exists()


@pytest.mark.parametrize("content, message", [
    ('<tbx xml:lang="en">\n<text><body>\n<conceptEntry>\n</body></text></tbx>', "x.tbx:4: not well-formed XML: mismatched tag"),
    ("<html><body/></html>", "x.tbx: not a TBX file: the root element is <html>"),
    ('<tbx xml:lang="en"><text><body><conceptEntry>\n<langSec xml:lang="en"><termSec><term>a</term></termSec></langSec>\n'
     '<langSec xml:lang="klingon"><termSec><term>b</term></termSec></langSec></conceptEntry></body></text></tbx>',
     # A broken language section is skipped with a warning (issue 20): here nothing is left.
     "x.tbx: no term could be imported (x.tbx:3: <langSec> with xml:lang 'klingon', not a language code"),
    ('<tbx xml:lang="en"><text><body><conceptEntry>\n<langSec><termSec><term>a</term></termSec></langSec>'
     '</conceptEntry></body></text></tbx>', "x.tbx: no term could be imported (x.tbx:2: <langSec> without xml:lang"),
])
def test_broken_tbx_is_one_line_with_its_line_number(project, content, message):
    (project / "x.tbx").write_text(content, encoding="utf-8")
    result = run("glossary", "import", "x.tbx", code=2)
    assert result.stderr.startswith(f"transflow: error: {message}")
    assert result.stderr.count("\n") == 1


# ------------------------------------------------------------------ ids and conflicts


def test_ids_are_slugs_of_the_source_deduplicated_and_conflicts_left_out(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        "en,pt\n"
        "UN,ONU\n"                      # case-sensitive (an acronym): id un
        "un,des\n"                      # a different form: id un-2
        "Labor Camp,campo de trabalho\n"
        "labor camp,campo de trabalho forçado\n"   # the same form again: left out
        "human rights,direitos humanos\n",
        encoding="utf-8",
    )
    result = exchange.import_file(path, tmp_path / "out" / "g.yaml")
    assert [(t.id, t.source) for t in g.load(result.path).terms] == [
        ("un", "UN"), ("un-2", "un"), ("labor-camp", "Labor Camp"), ("human-rights", "human rights")]
    assert result.warnings == [f"{path}:5: 'labor camp' is already a form of term 'labor-camp' ({path}:4); skipped"]


def test_terms_of_the_glossary_next_to_the_output_are_not_imported_twice(project):
    (project / "extra.csv").write_text("en,pt\nrefugee,refugiado\nstateless person,apátrida\n", encoding="utf-8")
    result = run("glossary", "import", "extra.csv")
    assert "warning: extra.csv:2: 'refugee' is already a form of term 'refugee' (glossary/refugee-protection.yaml:" in result.stderr
    assert "wrote glossary/extra.yaml: 1 terms from CSV with a language header" in result.stderr
    run("glossary", "validate", "glossary")
    assert g.load("glossary").by_id("stateless-person").translations["pt"].preferred == "apátrida"


# ------------------------------------------------------------------ the command line


def test_cli_export_and_import(project, monkeypatch):
    written = []
    real = atomic.write_bytes
    monkeypatch.setattr(atomic, "write_bytes", lambda path, data: (written.append(str(path)), real(path, data)))
    result = run("glossary", "export", "glossary", "-o", "desk.tbx")
    assert result.stderr == "wrote desk.tbx: 13 terms (pt, es, fr, de, ko, zh, ja)\n"
    run("glossary", "export", "--format", "tbx2", "--to", "pt,de", "-o", "desk-martif.tbx")
    run("glossary", "export", "--format", "csv", "--to", "de", "-o", "deepl.csv")
    run("glossary", "export", "--format", "csv", "-o", "google.csv")
    result = run("glossary", "import", "desk.tbx", "-o", "imported/desk.yaml")
    assert result.stderr == "wrote imported/desk.yaml: 13 terms from TBX v3\n"
    run("glossary", "import", "deepl.csv", "--to", "de", "-o", "imported/deepl/deepl.yaml")
    assert terms_of(g.load("imported/desk.yaml")) == terms_of(g.load("glossary"))
    records = str(outputs.records_dir())  # what transflow wrote where (outputs.py), beside each export
    assert [w for w in written if not w.startswith(records)] == [
        "desk.tbx", "desk-martif.tbx", "deepl.csv", "google.csv", "imported/desk.yaml", "imported/deepl/deepl.yaml"]
    assert run("glossary", "validate", "imported/deepl").exit_code == 0


def test_cli_export_to_stdout(project):
    result = run("glossary", "export", "--format", "csv", "--to", "pt", "-o", "-")
    assert result.stdout.startswith("non-refoulement,não devolução\n") and result.stderr == ""


@pytest.mark.parametrize("args, message", [
    (["glossary", "export", "--to", "xx", "-o", "a.tbx"], "unknown language code 'xx'"),
    (["glossary", "export", "--format", "tsv", "-o", "a.tsv"], "holds one language pair"),
    (["glossary", "import", "missing.tbx"], "missing.tbx: no such file"),
    (["glossary", "import", "glossary/refugee-protection.yaml", "-o", "glossary/refugee-protection.yaml"], "exists; give --force"),
    (["glossary", "import", "pair.csv"], "give --to LANG"),
    (["glossary", "import", "pair.csv", "--to", "german"], "--to: unknown language code 'german'"),
])
def test_cli_errors_are_one_line_and_exit_2(project, args, message):
    (project / "pair.csv").write_text("refugee,Flüchtling\n", encoding="utf-8")
    before = (project / "glossary" / "refugee-protection.yaml").read_bytes()
    result = run(*args, code=2)
    assert message in result.stderr and result.stderr.count("\n") == 1 and result.stderr.startswith("transflow: error: ")
    assert (project / "glossary" / "refugee-protection.yaml").read_bytes() == before


def test_cli_import_force_replaces(project):
    run("glossary", "export", "--format", "csv", "--to", "pt", "-o", "pt.csv")
    (project / "out").mkdir()
    (project / "out" / "pt.yaml").write_text("terms: []\n", encoding="utf-8")
    run("glossary", "import", "pt.csv", "--to", "pt", "-o", "out/pt.yaml", code=2)
    run("glossary", "import", "pt.csv", "--to", "pt", "-o", "out/pt.yaml", "--force")
    assert len(g.load("out/pt.yaml")) == 13


# ------------------------------------------------------------------ a desk's plurals and names (issue 17)

DESK = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>desk</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en">
        <termSec><term>defector</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>defectors</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="pt-BR">
        <termSec><term>trânsfuga</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>trânsfugas</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        <termSec><term>desertor</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en">
        <termSec><term>Yoon</term><termNote type="partOfSpeech">properNoun</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_desk_tbx_plurals_become_plural_forms_and_names_are_kept(tmp_path):
    path = tmp_path / "desk.tbx"
    path.write_text(DESK, encoding="utf-8")
    result = exchange.import_file(path, tmp_path / "g" / "desk.yaml")
    assert result.warnings == []
    terms = {t.id: t for t in g.load(result.path).terms}
    # Not a variant and not an allowed rendering (with which "trânsfugas" stood for one person).
    assert terms["defector"].variants == []
    assert terms["defector"].translations["pt_BR"] == g.Rendering("trânsfuga", forbidden=["desertor"], plural="trânsfugas")
    assert "plural: trânsfugas" in result.path.read_text(encoding="utf-8")
    # A name the desk lists without a rendering is kept as written, not dropped.
    assert terms["yoon"].translations == {}
    assert terms["yoon"].rendering("pt") == g.Rendering("Yoon", do_not_translate=True)
    # Out and back in: the plural is an admitted term marked grammaticalNumber plural.
    out, back, again = round_trip(result.path, tmp_path, "tbx", "tbx")
    assert '<termNote type="grammaticalNumber">plural</termNote>' in out.read_text(encoding="utf-8")
    assert again.warnings == [] and terms_of(g.load(back)) == terms_of(g.load(result.path))


def test_deepl_rows_of_plurals_join_their_singular(tmp_path):
    path = tmp_path / "deepl.csv"
    path.write_text("defector,trânsfuga\ndefectors,trânsfugas\nrefugee,pessoa refugiada\nrefugees,pessoas refugiadas\n",
                    encoding="utf-8")
    result = exchange.import_file(path, tmp_path / "g" / "deepl.yaml", target="pt")
    terms = g.load(result.path).terms
    assert [(t.source, t.variants, t.translations["pt"].plural) for t in terms] == [
        ("defector", [], "trânsfugas"), ("refugee", [], "pessoas refugiadas")]


def test_a_proper_noun_rendered_otherwise_elsewhere_is_not_assumed_kept():
    unhcr = g.Term("unhcr", "UNHCR", pos="proper-noun", translations={"pt": g.Rendering("ACNUR")})
    assert unhcr.rendering("de") is None  # ACNUR in Portuguese: German may name it otherwise too
    assert g.Term("hanawon", "Hanawon", pos="proper-noun").rendering("de").do_not_translate
    assert g.Term("camp", "camp", pos="noun").rendering("de") is None
