"""Picture credits keep their names: only the label goes through the engine."""

import polib

from transflow import credits, pipeline

ARTICLE = """Rights groups urge China to end forced returns

Photo: A boat on the Yalu River at dawn
Image: ASSOCIATED PRESS/picture alliance

A coalition of human rights organizations has asked Beijing to stop the returns.

Credit: Reuters/Kim Hong-Ji
"""


def test_split_finds_the_label_of_credit_lines_only():
    assert credits.split("Image: ASSOCIATED PRESS/picture alliance") == ("Image", ": ", "ASSOCIATED PRESS/picture alliance")
    assert credits.split("Photo credit: Jane Doe/AFP") == ("Photo credit", ": ", "Jane Doe/AFP")
    assert credits.split("Credits:  dpa, Reuters") == ("Credits", ":  ", "dpa, Reuters")
    assert credits.split("Photo: A boat on the river") is None  # a caption: all of it is words
    assert credits.split("Image hosting is cheap: everyone uses it") is None
    assert credits.split("Image: ") is None


def test_the_engine_translates_the_label_and_the_names_stay(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    [outcome] = pipeline.translate(["story.txt"], ["pt"], locales=tmp_path / "locales", tm=tmp_path / "tm.sqlite")
    po = polib.pofile(str(outcome.path))
    drafts = {e.msgid: e.msgstr for e in po}
    assert drafts["Image: ASSOCIATED PRESS/picture alliance"] == "Imagem: ASSOCIATED PRESS/picture alliance"
    assert drafts["Credit: Reuters/Kim Hong-Ji"] == "Crédito: Reuters/Kim Hong-Ji"
    caption = drafts["Photo: A boat on the Yalu River at dawn"]
    assert caption.startswith("Foto:") and "barco" in caption  # a caption is translated whole
    assert outcome.translated == len(po)

    # The memory keeps the credit drafts: a second article with the same credit makes no MT call for it.
    (tmp_path / "other.txt").write_text("Image: ASSOCIATED PRESS/picture alliance\n", encoding="utf-8")
    [again] = pipeline.translate(["other.txt"], ["pt"], locales=tmp_path / "locales", tm=tmp_path / "tm.sqlite")
    assert (again.translated, again.from_tm) == (0, 1)
    assert polib.pofile(str(again.path))[0].msgstr == "Imagem: ASSOCIATED PRESS/picture alliance"
