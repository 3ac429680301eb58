"""The HTML reader: blocks and kinds, inline tags as placeholders, build puts them back."""

import polib
import pytest

from transflow import document as d
from transflow.build import build
from transflow.placeholders import repair, unit_table
from transflow.readers import read
from transflow.readers.html import tokens
from transflow.segment import segment

PAGE = """<!DOCTYPE html>
<html><head><title>Rights &amp; wrongs</title>
<style>p { content: "Do not translate." }</style></head>
<body>
<nav><ul><li><a href="/">Home page</a></li></ul></nav>
<h1>China under <em>pressure</em></h1>
<p class="byline">By Mina Okafor</p>
<p>Dr. Lee met <a href="https://example.org/a?b=1&amp;c=2">Mr. Kim</a> at the U.S. border. <strong>They spoke briefly.</strong> Run <code>make test</code> first.<br>
Then they went home &amp; rested.</p>
<p><em>A whole paragraph in italics. It has two sentences.</em></p>
<figure><img src="a.jpg" alt="A boat"><figcaption>A boat on the river</figcaption></figure>
<ul><li>First point</li><li>Second <b>point</b></li></ul>
<blockquote><p>"We are not traitors," she said. It was late.</p></blockquote>
<script>var x = "Never. Translated.";</script>
<pre>code block stays</pre>
<p translate="no">Brand Name Inc.</p>
<table><tr><th>Year</th><td>About 2,000 people crossed.</td></tr></table>
<!-- a comment. Not text. -->
</body></html>
"""


def _segmented(folder, name: str, text: str):
    """The page read whole (--content all): these tests are about the reader, not about
    which blocks are the article (tests/test_maincontent.py)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    doc = read(path, content="all")
    return doc, segment(doc)


@pytest.fixture
def page(tmp_path):
    return _segmented(tmp_path, "page.html", PAGE)


def test_units_and_kinds(page):
    _, units = page
    assert [(u.kind, u.text) for u in units] == [
        (d.HEADING, "Rights & wrongs"),
        (d.HEADING, "China under [1]pressure[/1]"),
        (d.BYLINE, "By Mina Okafor"),
        (d.PARAGRAPH, "Dr. Lee met [1]Mr. Kim[/1] at the U.S. border."),
        (d.PARAGRAPH, "They spoke briefly."),
        (d.PARAGRAPH, "Run [1/] first."),
        (d.PARAGRAPH, "Then they went home & rested."),
        (d.PARAGRAPH, "A whole paragraph in italics."),
        (d.PARAGRAPH, "It has two sentences."),
        (d.ALT_TEXT, "A boat"),
        (d.CAPTION, "A boat on the river"),
        (d.LIST_ITEM, "First point"),
        (d.LIST_ITEM, "Second [1]point[/1]"),
        (d.QUOTE, '"We are not traitors," she said.'),
        (d.QUOTE, "It was late."),
        (d.PARAGRAPH, "Year"),
        (d.PARAGRAPH, "About 2,000 people crossed."),
    ]


def test_script_style_code_nav_and_no_translate_never_become_units(page):
    _, units = page
    text = " ".join(u.text for u in units)
    for never in ("Never", "Do not translate", "make test", "code block", "Brand Name", "Home page", "comment"):
        assert never not in text


def test_spans_and_lines_point_into_the_file(page):
    doc, units = page
    for u in units:
        assert PAGE[u.start:u.end] == doc.text[u.start:u.end]
        assert u.line == doc.text.count("\n", 0, u.start) + 1
    assert [u.line for u in units][:3] == [2, 6, 7]


def _po(pairs, fuzzy=False):
    po = polib.POFile()
    for msgid, msgstr in pairs.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else []))
    return po


def structure(text: str) -> list:
    """The start and end tags of a page, in order (with attributes)."""
    return [(t.kind, t.tag, t.attrs) for t in tokens(text) if t.kind in ("start", "end", "startend")]


def test_build_restores_tags_and_escapes_words(page):
    doc, units = page
    po = _po({
        "China under [1]pressure[/1]": "China sob [1]pressão[/1]",
        "Dr. Lee met [1]Mr. Kim[/1] at the U.S. border.": "O Dr. Lee encontrou [1]o Sr. Kim[/1] na fronteira.",
        "Run [1/] first.": "Execute [1/] primeiro.",
        "Then they went home & rested.": "Depois foram para casa & <descansaram>.",
    })
    built = build(doc, units, po).text
    assert '<h1>China sob <em>pressão</em></h1>' in built
    assert 'O Dr. Lee encontrou <a href="https://example.org/a?b=1&amp;c=2">o Sr. Kim</a> na fronteira.' in built
    assert "Execute <code>make test</code> primeiro." in built
    assert "Depois foram para casa &amp; &lt;descansaram&gt;." in built
    assert structure(built) == structure(PAGE)


def test_lost_placeholders_are_put_back_and_the_page_keeps_its_tags(page):
    doc, units = page
    po = _po({
        "China under [1]pressure[/1]": "China sob pressão",  # both lost
        "Dr. Lee met [1]Mr. Kim[/1] at the U.S. border.": "O Dr. Lee encontrou o Sr. Kim[/1] na fronteira.",  # open lost
        "Run [1/] first.": "Execute primeiro.",  # void lost
        "Second [1]point[/1]": "Segundo [/1]ponto[1]",  # crossed
    })
    result = build(doc, units, po)
    assert result.repaired == 4
    assert "<h1><em>China sob pressão</em></h1>" in result.text
    assert '<a href="https://example.org/a?b=1&amp;c=2">O Dr. Lee encontrou o Sr. Kim</a> na fronteira.' in result.text
    assert "Execute primeiro.<code>make test</code>" in result.text
    assert "<li><b>Segundo ponto</b></li>" in result.text
    assert structure(result.text) == structure(PAGE)


def test_untranslated_units_keep_the_source_exactly(page):
    doc, units = page
    assert build(doc, units, _po({})).text == PAGE


def test_identity_translation_rebuilds_the_same_page(page):
    doc, units = page
    po = _po({u.text: u.text for u in units})
    built = build(doc, units, po).text
    assert structure(built) == structure(PAGE)
    again = read_text(built, "again.html")
    assert [u.text for u in segment(again)] == [u.text for u in units]


def read_text(text, name):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return read(path, content="all")


def test_literal_brackets_in_the_text_do_not_collide_with_placeholders(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<p>See note [1] and <a href='#n'>the table</a>.</p>", encoding="utf-8")
    doc = read(path)
    [unit] = segment(doc)
    assert unit.text == "See note [1] and [2]the table[/2]."
    built = build(doc, [unit], _po({unit.text: "Ver nota [1] e [2]a tabela[/2]."})).text
    assert built == "<p>Ver nota [1] e <a href='#n'>a tabela</a>.</p>"


def test_no_sentence_is_cut_inside_an_inline_element(tmp_path):
    path = tmp_path / "a.html"
    path.write_text("<p>One. <a href='x'>Two. Three.</a> Four. <em>Five. Six</em> seven.</p>", encoding="utf-8")
    units = segment(read(path))
    # an element around whole sentences stays outside the unit
    assert [u.text for u in units] == ["One.", "Two. Three.", "Four.", "[1]Five. Six[/1] seven."]


def test_repair_keeps_a_good_translation_and_nests_a_broken_one():
    table = unit_table("Read [1]the [2]full[/2] report[/1] and [3/] now")
    assert repair("Leia [1]o relatório [2]completo[/2][/1] e [3/] já", table) == ("Leia [1]o relatório [2]completo[/2][/1] e [3/] já", False)
    # [1] closes across [2]: [1] goes around the whole, [2] stays where the translation put it
    text, changed = repair("Leia [1]o [2]relatório[/1] completo[/2] já", table)
    assert changed and text == "[1]Leia o [2]relatório completo[/2] já[/1][3/]"


def test_unclosed_and_stray_tags_are_kept_in_place(tmp_path):
    path = tmp_path / "a.html"
    source = "<p>An <b>unclosed tag here. And a stray</i> one.</p>"
    path.write_text(source, encoding="utf-8")
    doc = read(path)
    units = segment(doc)
    assert [u.text for u in units] == ["An [1/]unclosed tag here.", "And a stray[1/] one."]
    built = build(doc, units, _po({u.text: u.text.upper() for u in units})).text
    assert structure(built) == structure(source)


ATTRIBUTES_PAGE = """<!DOCTYPE html>
<html lang="en-GB" class="page"><head><title>Fences</title><link rel="alternate" title="Feed of the desk" href="/feed">
<meta name="viewport" content="width=device-width"><meta name="description" content="Refugees &amp; a fence">
<meta property="og:title" content='Fences on the Yalu'></head>
<body>
<nav><a href="/" title="Home page"><img src="logo.png" alt="The desk's logo"></a></nav>
<figure><img src="fence.jpg" alt="A border fence &amp; a &quot;watch&quot; tower"><figcaption>The fence</figcaption></figure>
<div title='Updated on Monday'><p>Refugees crossed at night. <img src="map.png" alt="A map"> Most were caught.</p></div>
<p>Read <a href="/report" title="The full report">the report</a> today.</p>
<img src=x.jpg alt=unquoted><img src="y.jpg" alt="  "><img translate="no" src="z.jpg" alt="Brand mark">
</body></html>
"""


@pytest.fixture
def attributes_page(tmp_path):
    return _segmented(tmp_path, "fences.html", ATTRIBUTES_PAGE)


def test_alt_and_title_between_blocks_are_units_of_their_own(attributes_page):
    """Alt text (what a screen reader reads for an image), tooltips and the description
    and titles search results and link previews show are read too. Inside a sentence an
    element stays whole in its placeholder; other head attributes, nav, translate="no",
    empty and unquoted values are not units."""
    doc, units = attributes_page
    assert [(u.kind, u.text) for u in units] == [
        (d.HEADING, "Fences"),
        (d.METADATA, "Refugees & a fence"),
        (d.METADATA, "Fences on the Yalu"),
        (d.ALT_TEXT, 'A border fence & a "watch" tower'),
        (d.CAPTION, "The fence"),
        (d.TOOLTIP, "Updated on Monday"),
        (d.PARAGRAPH, "Refugees crossed at night."),
        (d.PARAGRAPH, "[1/] Most were caught."),
        (d.PARAGRAPH, "Read [1]the report[/1] today."),
    ]
    alt = units[3]
    assert doc.text[alt.start:alt.end] == "A border fence &amp; a &quot;watch&quot; tower"
    assert alt.line == 7


def test_build_puts_translated_attributes_back_quoted_and_says_the_language(attributes_page):
    doc, units = attributes_page
    po = _po({
        'A border fence & a "watch" tower': 'Uma cerca de fronteira & uma torre de "vigia"',
        "Updated on Monday": "Atualizado na segunda-feira",
        "Fences on the Yalu": "Cercas no rio Yalu",
    })
    po.metadata["Language"] = "pt_BR"
    built = build(doc, units, po).text
    assert '<img src="fence.jpg" alt="Uma cerca de fronteira &amp; uma torre de &quot;vigia&quot;">' in built
    assert "<div title='Atualizado na segunda-feira'>" in built
    assert """<meta property="og:title" content='Cercas no rio Yalu'>""" in built
    assert '<meta name="viewport" content="width=device-width">' in built
    assert '<html lang="pt-BR" class="page">' in built
    assert built.replace('lang="pt-BR"', 'lang="en-GB"').replace(
        "Uma cerca de fronteira &amp; uma torre de &quot;vigia&quot;", "A border fence &amp; a &quot;watch&quot; tower").replace(
        "Atualizado na segunda-feira", "Updated on Monday").replace("Cercas no rio Yalu", "Fences on the Yalu") == ATTRIBUTES_PAGE
    again = read_text(built, "again.html")
    assert [u.text for u in segment(again)][3] == 'Uma cerca de fronteira & uma torre de "vigia"'


def test_a_page_without_lang_gets_one_and_an_untranslated_build_changes_nothing(page):
    doc, units = page
    po = _po({})
    po.metadata["Language"] = "pt"
    assert build(doc, units, po).text == PAGE  # nothing translated: still the English page
    po = _po({"First point": "Primeiro ponto"})
    po.metadata["Language"] = "pt"
    assert build(doc, units, po).text.startswith('<!DOCTYPE html>\n<html lang="pt"><head>')
