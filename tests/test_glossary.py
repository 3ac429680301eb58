import textwrap

import pytest
from conftest import GLOSSARY

from transflow import glossary as g
from transflow.errors import GlossaryError


@pytest.fixture(scope="module")
def shipped():
    return g.load(GLOSSARY)


def test_shipped_glossary_is_valid_and_complete(shipped):
    assert g.validate(GLOSSARY) == []
    ids = {t.id for t in shipped.terms}
    for required in ("non-refoulement", "economic-migrant", "defector", "refugee", "asylum-seeker",
                     "forced-repatriation", "labor-camp", "human-rights-organization", "treason", "detention"):
        assert required in ids
        term = shipped.by_id(required)
        assert {"pt", "de", "fr", "es", "ko", "zh", "ja"} <= set(term.translations), required


@pytest.mark.parametrize("text, expected", [
    ("North Korean defectors face treason charges.", [("defectors", "defector"), ("treason", "treason")]),
    ("The principle of Non-Refoulement", [("Non-Refoulement", "non-refoulement")]),
    ("the principle of non refoulement", [("non refoulement", "non-refoulement")]),
    ("Refugees' rights and a refugee's claim", [("Refugees'", "refugee"), ("refugee's", "refugee")]),
    ("human-rights organizations said", [("human-rights organizations", "human-rights-organization")]),
    ("the DPRK and North Korea", [("DPRK", "north-korea"), ("North Korea", "north-korea")]),
    ("the dprk and north korea", []),  # acronyms and this proper noun are case-sensitive
    ("North Korean refugees", [("refugees", "refugee")]),  # "North Korea" is not inside "North Korean"
    ("economic migrants rather than refugees", [("economic migrants", "economic-migrant"), ("refugees", "refugee")]),
    ("defectorship and nondetention", []),  # word boundaries
])
def test_source_matching(shipped, text, expected):
    matcher = g.source_matcher(shipped)
    assert [(m.text, m.term.id) for m in matcher.find(text)] == expected


def test_longest_match_wins():
    glossary = g.Glossary(terms=[
        g.Term(id="camp", source="camp", translations={"pt": g.Rendering("campo")}),
        g.Term(id="labor-camp", source="labor camp", translations={"pt": g.Rendering("campo de trabalho")}),
    ])
    found = g.source_matcher(glossary).find("sent to a labor camp and another camp")
    assert [(m.text, m.term.id) for m in found] == [("labor camp", "labor-camp"), ("camp", "camp")]


@pytest.mark.parametrize("lang, text, term", [
    ("pt", "As pessoas refugiadas norte-coreanas", "refugee"),
    ("pt", "os migrantes econômicos", "economic-migrant"),
    ("pt", "organizações de direitos humanos", "human-rights-organization"),
    ("de", "die Flüchtlinge aus Nordkorea", "refugee"),
    ("ko", "탈북민들은 중국에서", "defector"),
    ("zh", "中国把脱北者强制遣返", "defector"),
    ("ja", "脱北者の強制送還", "forced-repatriation"),
])
def test_target_matching_knows_inflection(shipped, lang, text, term):
    assert term in {m.term.id for m in g.target_matcher(shipped, lang).find(text)}


BROKEN = {
    "syntax": ("terms:\n  - id: a\n    source: [unclosed\n", "YAML syntax error"),
    "unknown-key": ("terms:\n  - id: a\n    source: a\n    colour: red\n    translations: {pt: b}\n", "unknown key 'colour'"),
    "missing-source": ("terms:\n  - id: a\n    translations: {pt: b}\n", "missing 'source'"),
    "missing-id": ("terms:\n  - source: a\n    translations: {pt: b}\n", "missing 'id'"),
    "duplicate-id": ("terms:\n  - id: a\n    source: a\n    translations: {pt: b}\n  - id: a\n    source: c\n    translations: {pt: d}\n", "already defined"),
    "conflicting-form": ("terms:\n  - id: a\n    source: camp\n    translations: {pt: b}\n  - id: c\n    source: Camp\n    translations: {pt: d}\n", "conflicts with term 'a'"),
    "bad-language": ("terms:\n  - id: a\n    source: a\n    translations: {portuguese: b}\n", "'portuguese' is not an ISO 639"),
    "no-translations": ("terms:\n  - id: a\n    source: a\n", "no translations"),
    "no-preferred": ("terms:\n  - id: a\n    source: a\n    translations:\n      pt: {allowed: [b]}\n", "has no 'preferred'"),
    "allowed-and-forbidden": ("terms:\n  - id: a\n    source: a\n    translations:\n      pt: {preferred: b, forbidden: [b]}\n", "both allowed and forbidden"),
    "bad-pos": ("terms:\n  - id: a\n    source: a\n    pos: thing\n    translations: {pt: b}\n", "pos 'thing'"),
    "not-a-list": ("terms: a\n", "'terms' must be a list"),
    "empty": ("", "empty"),
    "tabs": ("terms:\n\t- id: a\n", "YAML syntax error"),
    "bad-source-language": ("source_language: english\nterms: []\n", "not an ISO 639"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_glossaries_are_reported_with_file_and_line(tmp_path, name):
    text, message = BROKEN[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    problems = g.validate(path)
    assert problems, name
    assert any(message in p for p in problems), problems
    for p in problems:
        file, line, _ = p.split(":", 2)
        assert file == str(path) and int(line) >= 1
    with pytest.raises(GlossaryError):
        g.load(path)


def test_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text(textwrap.dedent("""\
        terms:
          - id: a
            source: "unterminated
    """), encoding="utf-8")
    [problem] = g.validate(path)
    assert problem.startswith(f"{path}:4:") and "column" in problem


@pytest.mark.parametrize("text", [
    "terms: !!python/object/apply:os.system ['touch {marker}']\n",
    "terms:\n  - id: !!python/object/apply:os.system ['touch {marker}']\n    source: a\n    translations: {{pt: b}}\n",
])
def test_yaml_tags_are_not_executed(tmp_path, text):
    marker = tmp_path / "hacked"
    path = tmp_path / "g.yaml"
    path.write_text(text.format(marker=marker), encoding="utf-8")
    problems = g.validate(path)
    assert problems and problems[0].startswith(f"{path}:")
    assert not marker.exists()


def test_version_changes_with_content(shipped):
    before = shipped.version
    shipped.terms[0].translations["pt"].preferred = "outra coisa"
    assert shipped.version != before


def _term_file(path, lang, term_id, source):
    path.write_text(f"source_language: {lang}\nterms:\n  - id: {term_id}\n    source: {source}\n"
                    f"    translations:\n      de: Flüchtling\n", encoding="utf-8")


def test_the_files_source_language_is_the_glossarys(tmp_path, shipped):
    assert shipped.source_language == "en"
    _term_file(tmp_path / "pt.yaml", "pt-BR", "refugiado", "refugiado")
    assert g.load(tmp_path).source_language == "pt_BR"


def test_files_of_two_source_languages_in_one_glossary_are_a_problem(tmp_path):
    _term_file(tmp_path / "a.yaml", "en", "refugee", "refugee")
    _term_file(tmp_path / "b.yaml", "pt", "refugiado", "refugiado")
    problems = g.validate(tmp_path)
    assert problems == [f"{tmp_path / 'b.yaml'}:1: source_language 'pt' differs from 'en' at {tmp_path / 'a.yaml'}:1: "
                        "a glossary holds the terms of one source language (put the others in another folder)"]


def test_a_glossary_for_other_articles_is_refused_by_translate(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from transflow.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "artigo.txt").write_text("O governo recusou os refugiados.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "artigo.txt", "--from", "pt", "--to", "en", "--glossary", str(GLOSSARY)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "is for English articles (source_language: en), these are Portuguese (--from pt)" in result.stderr
    assert not (tmp_path / "locales").exists()
