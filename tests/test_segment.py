import pysbd
import pytest
from conftest import EXAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st
from test_segment_cases import CASES

from transflow import document as d
from transflow.readers import read
from transflow.segment import _segmenter, segment, split_sentences


def units_of(tmp_path, text, name="a.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    doc = read(p)
    return doc, segment(doc)


def test_example_units_map_back_to_their_lines():
    doc = read(EXAMPLE)
    units = segment(doc)
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert len(units) >= 15
    for u in units:
        assert doc.text[u.start:u.end].split() == u.text.split()
        assert u.text.split()[0] in lines[u.line - 1]


def test_heading_caption_byline_are_their_own_units(tmp_path):
    _, units = units_of(tmp_path, (
        "China under pressure\n\n"
        "South Korea demanded that Beijing halts the returns. It asked for more.\n\n"
        "Photo from 2010: A boat on the Yalu River\n"
        "A caption sentence about refugeesImage: AP/picture alliance\n\n"
        "Edited by: Jane Doe\n"
    ))
    kinds = [(u.kind, u.text) for u in units]
    assert kinds == [
        (d.HEADING, "China under pressure"),
        (d.PARAGRAPH, "South Korea demanded that Beijing halts the returns."),
        (d.PARAGRAPH, "It asked for more."),
        (d.CAPTION, "Photo from 2010: A boat on the Yalu River"),
        (d.CAPTION, "A caption sentence about refugees"),
        (d.CREDIT, "Image: AP/picture alliance"),
        (d.BYLINE, "Edited by: Jane Doe"),
    ]


def test_navigation_lines_are_kept_but_not_translated(tmp_path):
    doc, units = units_of(tmp_path, "1. Skip to content\n  2. Skip to main menu\nReal heading\n\nA sentence here.\n")
    assert [u.text for u in units] == ["Real heading", "A sentence here."]
    assert [b.kind for b in doc.blocks][:2] == [d.BOILERPLATE, d.BOILERPLATE]


def test_abbreviations_and_numbers_do_not_split():
    text = 'Dr. Park said 2,000 people, about 3.5 percent, crossed the U.S. border. "We are not traitors," she said.'
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Dr. Park said 2,000 people, about 3.5 percent, crossed the U.S. border.",
        '"We are not traitors," she said.',
    ]


def test_hard_wrapped_paragraph_joins_into_sentences(tmp_path):
    _, units = units_of(tmp_path, "The committee released a draft resolution\nexpressing deep concern. It passed.\n")
    assert [u.text for u in units] == [
        "The committee released a draft resolution expressing deep concern.",
        "It passed.",
    ]


def test_markdown_structure(tmp_path):
    _, units = units_of(tmp_path, (
        "# Rights groups urge China\n\n"
        "A coalition has asked Beijing to *stop* returns. It met on [Monday](http://x).\n\n"
        "- First point here\n- Second point\n\n"
        "> A quote that matters.\n\n"
        "```\ncode stays\n```\n"
    ), name="a.md")
    assert [(u.kind, u.text) for u in units] == [
        (d.HEADING, "Rights groups urge China"),
        (d.PARAGRAPH, "A coalition has asked Beijing to *stop* returns."),
        (d.PARAGRAPH, "It met on [Monday](http://x)."),
        (d.LIST_ITEM, "First point here"),
        (d.LIST_ITEM, "Second point"),
        (d.QUOTE, "A quote that matters."),
    ]


def test_a_markdown_image_alone_is_alt_text(tmp_path):
    """Not a heading (a short line without a period): the translator is told it is an image's alt text."""
    _, units = units_of(tmp_path, (
        '![A border fence along the river](fence.jpg "The fence")\n\n'
        "[![A map of the route](map.png)](https://example.org/map)\n\n"
        "See ![a map](map.png) for the route.\n\n"
        "![x](a.png) and a caption\n"
    ), name="a.md")
    assert [(u.kind, u.text) for u in units] == [
        (d.ALT_TEXT, '![A border fence along the river](fence.jpg "The fence")'),
        (d.ALT_TEXT, "[![A map of the route](map.png)](https://example.org/map)"),
        (d.PARAGRAPH, "See ![a map](map.png) for the route."),
        (d.HEADING, "![x](a.png) and a caption"),
    ]


def test_repeated_sentences_are_separate_units(tmp_path):
    _, units = units_of(tmp_path, "Help is needed.\n\nSomething else happened.\n\nHelp is needed.\n")
    assert [u.line for u in units if u.text == "Help is needed."] == [1, 5]


# --- the abbreviation shortcut gives pysbd's own sentences ----------------------

_PIECES = ["Dr", "dr", "DR", "St", "st", "No", "no", "Gen", "Prof", "Capt", "etc", "vs", "U.S", "e.g", "i.e", "Jan",
           "Inc", "Corp", "a.m", "p.m", "first", "ſt", "\u212ao", "\u0130nc", "\u0131nc", "ſT", "N", "2", "10", "3.5"]
_GLUE = [". ", ".", " ", ", ", "? ", "! ", ". The ", ".\n", " (", ") ", ': "', '." ', " - ", "... "]


def _stock(lang: str, text: str) -> list[str]:
    return pysbd.Segmenter(language=lang, clean=False).processor(text).process()


def _ours(lang: str, text: str) -> list[str]:
    return _segmenter(lang).processor(text).process()


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "it", "nl", "ru", "pl"])
def test_the_abbreviation_shortcut_splits_the_hard_cases_as_pysbd_does(lang):
    for text, _ in CASES:
        assert _ours(lang, text) == _stock(lang, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + _GLUE), min_size=1, max_size=40), st.sampled_from(["en", "de", "es"]))
def test_the_abbreviation_shortcut_splits_any_text_as_pysbd_does(pieces, lang):
    text = "".join(pieces)
    assert _ours(lang, text) == _stock(lang, text)
