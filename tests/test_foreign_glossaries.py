"""Glossaries as termbases and MT services write them (issue 20): TBX-Basic and TBX-Min
statuses, a broken language section, fields transflow's glossary has no place for, a
termbase without parts of speech, CSV files with a header row. The files in
tests/data/interop/ are of our own writing, in the shapes of TBX-Basic and TBX-Min
files."""

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from transflow import glossary as g
from transflow.cli import main
from transflow.glossary import exchange

DATA = Path(__file__).parent / "data" / "interop"
BASIC, MIN = DATA / "tbx-basic-desk.tbx", DATA / "tbx-min-desk.tbx"


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


def imported(path, tmp_path, **options):
    result = exchange.import_file(path, tmp_path / "out.yaml", **options)
    return result, {t.source: t for t in g.load(result.path).terms}


# ---------------------------------------------------------------- statuses


def test_tbx_basic_statuses_in_every_spelling(tmp_path):
    result, terms = imported(BASIC, tmp_path)
    # usageStatus (preferred, admitted, notRecommended) as well as administrativeStatus:
    # before, "fugitivo", listed first, became the preferred rendering and the real one an allowed one.
    assert terms["refugee"].translations["pt"] == g.Rendering("pessoa refugiada", allowed=["refugiado"], forbidden=["fugitivo"])
    assert terms["non-refoulement"].translations["pt"] == g.Rendering("não devolução", forbidden=["não repulsão"])
    assert terms["asylum seeker"].translations["pt"] == g.Rendering("solicitante de asilo", allowed=["requerente de asilo"])


def test_tbx_min_usage_status(tmp_path):
    result, terms = imported(MIN, tmp_path)
    centre = terms["detention centre"]
    assert centre.variants == ["holding camp"]
    assert centre.translations["pt_BR"] == g.Rendering("centro de detenção", allowed=["centro de retenção"],
                                                       forbidden=["campo de concentração"])
    assert terms["deportee"].translations["pt_BR"] == g.Rendering("pessoa deportada", forbidden=["deportado"])
    assert result.path.read_text(encoding="utf-8").startswith("# Imported from tbx-min-desk.tbx (TBX v3)")


def test_a_status_value_nobody_knows_is_a_warning(tmp_path):
    path = tmp_path / "odd.tbx"
    path.write_text(BASIC.read_text(encoding="utf-8").replace(">admitted</termNote>", ">provisional</termNote>"), encoding="utf-8")
    result, terms = imported(path, tmp_path)
    [warning] = [w for w in result.warnings if "provisional" in w]
    assert warning.startswith(f"{path}:") and "usageStatus 'provisional' of 'refugiado' is not a status transflow knows" in warning
    assert terms["refugee"].translations["pt"].allowed == ["refugiado"]  # no status: admitted, as before


# ---------------------------------------------------------------- broken sections and what has no field


def test_a_broken_language_section_is_skipped_not_the_import(tmp_path):
    concepts = "".join(
        f'<conceptEntry id="c{i}"><langSec xml:lang="en"><termSec><term>term {i}</term></termSec></langSec>\n'
        f'<langSec xml:lang="{"---" if i == 17 else "pt"}"><termSec><term>termo {i}</term></termSec></langSec>\n'
        f'<langSec xml:lang="de"><termSec><term>Begriff {i}</term></termSec></langSec></conceptEntry>\n'
        for i in range(1, 51))
    path = tmp_path / "fifty.tbx"
    path.write_text(f'<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>\n'
                    f'{concepts}</body></text></tbx>\n', encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if 'xml:lang="---"' in text)
    result = run("glossary", "import", str(path), "-o", str(tmp_path / "fifty.yaml"))
    assert f"warning: {path}:{line}: <langSec> with xml:lang '---', not a language code; its terms are skipped" in result.stderr
    terms = g.load(tmp_path / "fifty.yaml").terms
    assert len(terms) == 50
    assert terms[16].translations.keys() == {"de"} and all(t.translations.keys() == {"pt", "de"} for t in terms[:16])


def test_fields_without_a_place_are_kept_in_the_note_or_reported(tmp_path):
    result, terms = imported(BASIC, tmp_path)
    assert terms["refugee"].note.splitlines() == [
        "A person forced to leave their country to escape persecution.",
        "Context (refugee): The refugee crossed the river at night.",
        "Source (refugee): UNHCR Master Glossary of Terms, 2006",
        "Deprecated (en): illegal refugee",  # a deprecated source term: no form to match, kept as advice
        "Subject field: migration",  # the concepts have two subject fields, so each keeps its own
    ]
    assert terms["non-refoulement"].note.splitlines() == ["See also: refugee", "Subject field: law"]
    lines = BASIC.read_text(encoding="utf-8").splitlines()
    first = {word: next(i for i, text in enumerate(lines, 1) if word in text) for word in ("customerSubset", "transactionType", "termType")}
    assert [w for w in result.warnings if "not imported" in w] == [
        f"{BASIC}:{first['customerSubset']}: 2 'customerSubset' values not imported (transflow's glossary has no field for them)",
        f"{BASIC}:{first['transactionType']}: 1 'transactionType' value not imported (transflow's glossary has no field for it)",
        f"{BASIC}:{first['transactionType'] + 1}: 1 'date' value not imported (transflow's glossary has no field for it)",
        f"{BASIC}:{first['termType']}: 1 'termType' value not imported (transflow's glossary has no field for it)",
    ]


def test_a_concept_whose_only_source_term_is_obsolete_is_imported(tmp_path):
    result, terms = imported(BASIC, tmp_path)
    assert terms["alien"].translations["pt"] == g.Rendering("pessoa estrangeira")
    assert any("concept has only deprecated en terms ('alien'); imported with 'alien' as its source" in w for w in result.warnings)


def test_no_part_of_speech_is_made_up(tmp_path):
    result, terms = imported(BASIC, tmp_path)
    assert (terms["refugee"].pos, terms["refugee"].pos_given) == ("noun", True)
    assert terms["non-refoulement"].pos_given is False  # the file gives none
    text = result.path.read_text(encoding="utf-8")
    block = text[text.index("- id: non-refoulement"):text.index("- id: alien")]
    assert "pos:" not in block
    # Exported again, only the term that had one says a part of speech.
    exchange.export(result.path, tmp_path / "again.tbx", fmt="tbx", targets=["pt"])
    again = (tmp_path / "again.tbx").read_text(encoding="utf-8")
    start = again.index('<conceptEntry id="non-refoulement">')
    entry = again[start:again.index("</conceptEntry>", start)]
    assert "<term>não devolução</term>" in entry and "partOfSpeech" not in entry
    # The terms of "refugee" (4) and "asylum seeker" (3) say noun, as the file did.
    assert again.count('<termNote type="partOfSpeech">noun</termNote>') == 7
    exchange.export(result.path, tmp_path / "again.csv", fmt="csv", targets=["pt", "de"])
    rows = list(csv.reader(io.StringIO((tmp_path / "again.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["en", "pt", "de", "pos", "description"]
    assert [row[:4] for row in rows[1:3]] == [["refugee", "pessoa refugiada", "", "noun"], ["non-refoulement", "não devolução", "", ""]]


# ---------------------------------------------------------------- CSV


def test_a_csv_header_row_is_not_a_term(tmp_path):
    path = tmp_path / "deepl.csv"
    path.write_text("source,target\nrefugee,pessoa refugiada\nasylum seeker,requerente de asilo\n", encoding="utf-8")
    result, terms = imported(path, tmp_path, target="pt")
    assert set(terms) == {"refugee", "asylum seeker"}
    assert result.warnings == [f"{path}:1: a header row ('source', 'target'), not a term; skipped"]


def test_a_csv_header_of_language_names_says_the_pair(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("English,Portuguese\ndetention centre,centro de detenção\n", encoding="utf-8")
    result, terms = imported(path, tmp_path)  # no --to needed: the header names the languages
    assert terms["detention centre"].translations == {"pt": g.Rendering("centro de detenção")}
    assert result.warnings == [f"{path}:1: a header row ('English', 'Portuguese'), not a term; skipped"]
