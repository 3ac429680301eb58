"""A draft starts with a capital where its source does."""

import polib

from transflow import casing, pipeline


def test_follow_source():
    assert casing.follow_source("North Korean defector: 'We are not traitors'",
                                'desertor norte-coreano: "Nós não somos traidores"', "pt") == \
        'Desertor norte-coreano: "Nós não somos traidores"'
    assert casing.follow_source('"Help is needed," he said.', '"ajuda é necessária", disse.', "pt") == \
        '"Ajuda é necessária", disse.'
    assert casing.follow_source("iPhone sales fell.", "iPhone vendas caíram.", "pt") == "iPhone vendas caíram."
    assert casing.follow_source("2,000 people crossed.", "cerca de 2.000 pessoas", "pt") == "cerca de 2.000 pessoas"
    assert casing.follow_source("In Istanbul.", "istanbul'da.", "tr") == "İstanbul'da."
    assert casing.follow_source("Seoul", "서울", "ko") == "서울"
    assert casing.follow_source("[1]North[/1] Korea", "[1]coreia[/1] do Norte", "pt") == "[1]coreia[/1] do Norte"


def test_a_headline_the_model_starts_in_lower_case_gets_its_capital(tmp_path, monkeypatch):
    """The real en->pt model writes this headline as 'desertor norte-coreano: ...'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.txt").write_text("North Korean defector: 'We are not traitors'\n\nHe spoke on Monday.\n",
                                        encoding="utf-8")
    [outcome] = pipeline.translate(["story.txt"], ["pt"], locales=tmp_path / "locales", tm=None)
    drafts = {e.msgid: e.msgstr for e in polib.pofile(str(outcome.path))}
    assert drafts["North Korean defector: 'We are not traitors'"].startswith("Desertor norte-coreano:")
