"""`transflow check`: glossary and number findings, the CI gate, annotation."""

import json
from decimal import Decimal

import polib
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from transflow import numbers
from transflow.cli import main

STEM = EXAMPLE.stem
PO = f"locales/pt/LC_MESSAGES/{STEM}.po"


@pytest.fixture
def translated(project):
    result = CliRunner().invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"])
    assert result.exit_code == 0, result.output
    return project


def set_entry(path, startswith, msgstr, reviewed=True):
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid.startswith(startswith))
    entry.msgstr = msgstr
    if reviewed:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(path))
    return entry.msgid


def line_of(path, msgid):
    return next(e.linenum for e in polib.pofile(str(path)) if e.msgid == msgid)


def check(*args):
    return CliRunner().invoke(main, ["check", *args])


def test_fresh_drafts_pass_the_gate(translated):
    result = check("locales")
    assert result.exit_code == 0, result.output


def test_committed_locales_pass(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = check("locales")
    assert result.exit_code == 0, result.output


def test_planted_wrong_rendering_fails_with_file_line_and_term(translated):
    po = translated / PO
    msgid = set_entry(po, "One defector told", "Um trânsfuga disse aos investigadores que os guardas a acusaram de traição.")
    result = check("locales")
    assert result.exit_code == 1
    assert f"{PO}:{line_of(po, msgid)}: error: [missing] defector:" in result.stdout


def test_planted_agreement_error_fails_and_the_corrected_entry_passes(translated):
    po = translated / PO
    # A reviewer put the glossary's rendering in and left the words around it as the model
    # wrote them for "refugiados": the article and the adjective are masculine.
    wrong = ("Uma coalizão de organizações de direitos humanos pediu a Pequim que pare de enviar os pessoas "
             "refugiadas norte-coreanos de volta através da fronteira.")
    msgid = set_entry(po, "A coalition of human rights", wrong)
    result = check("locales")
    assert result.exit_code == 1
    at = f"{PO}:{line_of(po, msgid)}: error: [agreement] refugee:"
    assert f"{at} 'os' does not agree with 'pessoas refugiadas' in gender or number" in result.stdout
    assert f"{at} 'norte-coreanos' does not agree with 'pessoas refugiadas' in gender or number" in result.stdout
    set_entry(po, "A coalition of human rights", wrong.replace("os pessoas", "as pessoas").replace("norte-coreanos", "norte-coreanas"))
    result = check("locales")
    assert result.exit_code == 0, result.output
    assert "[agreement]" not in result.stdout


def test_forbidden_rendering_and_dnt(translated):
    po = translated / PO
    set_entry(po, "Under the principle of non-refoulement",
              "Segundo o princípio da não-repulsão, nenhum Estado pode devolver uma pessoa refugiada a um território onde a sua vida ou liberdade esteja ameaçada.")
    set_entry(po, '"Yoon has made', '"Em breve fez da proteção dos desertores uma prioridade", disse um assessor.')
    findings = json.loads(check("locales", "--format", "json").stdout)
    kinds = {(f["kind"], f["term"]) for f in findings if not f["fuzzy"]}
    assert ("forbidden", "non-refoulement") in kinds
    assert ("dnt", "yoon") in kinds


def test_numbers_must_match(translated):
    po = translated / PO
    set_entry(po, "Observers expect more than 600",
              "Observadores esperam que mais de 60 pessoas sejam devolvidas antes do fim do ano.")
    findings = json.loads(check("locales", "--format", "json").stdout)
    [number] = [f for f in findings if f["kind"] == "number" and not f["fuzzy"]]
    assert "missing 600" in number["message"] and "unexpected 60" in number["message"]


def test_inconsistent_rendering_across_entries(translated):
    po = translated / PO
    set_entry(po, "China treats most", "A China trata a maioria dessas pessoas como migrantes económicos e não como refugiados.")
    findings = json.loads(check("locales", "--format", "json").stdout)
    assert any(f["kind"] == "inconsistent" and f["term"] == "economic-migrant" for f in findings)


def test_a_term_inside_a_name_sets_no_precedent(translated):
    """"1951 Refugee Convention" has its official Portuguese name ("... dos Refugiados"):
    not an inconsistent rendering of "refugee" (pessoa refugiada)."""
    po = translated / PO
    set_entry(po, "China signed the 1951 Refugee Convention",
              "A China assinou a Convenção de 1951 relativa ao Estatuto dos Refugiados em 1982, mas suas "
              "autoridades descrevem as pessoas que cruzam a fronteira como migrantes econômicos.")
    set_entry(po, "China treats most", "A China trata a maioria dessas pessoas como migrantes econômicos, e não "
              "como refugiados.")
    findings = json.loads(check("locales", "--format", "json").stdout)
    flagged = {f["msgid"][:20] for f in findings if f["kind"] == "inconsistent" and f["term"] == "refugee"}
    # The plain sentence is flagged (refugiados vs pessoas refugiadas elsewhere); the name is not.
    assert flagged == {"China treats most of"}


def test_drafts_fail_only_with_strict(translated):
    set_entry(translated / PO, "One defector told", "Um trânsfuga falou.", reviewed=False)
    assert check("locales").exit_code == 0
    assert check("locales", "--strict").exit_code == 1


def test_annotate_marks_fuzzy_and_comments_without_touching_the_rest(translated):
    po_path = translated / PO
    msgid = set_entry(po_path, "One defector told", "Um trânsfuga disse aos investigadores que os guardas a acusaram de traição.")
    before = {e.msgid: (e.msgstr, e.comment, e.occurrences) for e in polib.pofile(str(po_path))}
    result = check("locales", "--annotate")
    assert result.exit_code == 1
    after = polib.pofile(str(po_path))
    entry = next(e for e in after if e.msgid == msgid)
    assert "fuzzy" in entry.flags and "transflow check: [missing] defector" in entry.tcomment
    assert {e.msgid: (e.msgstr, e.comment, e.occurrences) for e in after} == before
    # Now a draft again, so the gate passes.
    assert check("locales").exit_code == 0


def test_bad_input_exit_2(translated):
    result = check("nope/")
    assert result.exit_code == 2 and "no such PO file" in result.stderr


@pytest.mark.parametrize("text, lang, expected", [
    ("around 2,000 people", "en", [Decimal(2000)]),
    ("cerca de 2.000 pessoas", "pt", [Decimal(2000)]),
    ("3.5 percent", "en", [Decimal("3.5")]),
    ("3,5 por cento", "pt", [Decimal("3.5")]),
    ("in 1951 and 1982", "en", [Decimal(1951), Decimal(1982)]),
    ("1 234 567 Menschen", "fr", [Decimal(1234567)]),
    # Both ends of a range: a draft that changed the second must not pass the check.
    ("children aged 5-10", "en", [Decimal(5), Decimal(10)]),
    ("nos anos 2019-2021", "pt", [Decimal(2019), Decimal(2021)]),
    ("COVID-19 and -5 degrees", "en", []),
])
def test_numbers_are_read_per_language(text, lang, expected):
    assert numbers.values(text, lang) == expected
