"""Real web pages (issue 18): the article translated and the rest left as it is, words
that are not language never sent to the model, markers of any number, and a build
that keeps the page's tags, ids and nesting after real MT.

The pages in tests/data/pages are our own writing in the shapes real pages have: a
news story with a cookie banner, a menu, an ad between two chunks of the body, related
stories and a footer, and theme classes on <html> and <body> ("harbour.html"); an
encyclopedia article with citation superscripts, section edit links, a reference
list, a navigation box, categories and a language list ("lighthouse.html").
"""

import json
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from transflow import document as d
from transflow import placeholders
from transflow.additions import without_notes
from transflow.build import build
from transflow.cli import main
from transflow.nonlanguage import why_not
from transflow.readers import read
from transflow.segment import segment, segment_all

PAGES = Path(__file__).parent / "data" / "pages"


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


@pytest.fixture
def desk(tmp_path, monkeypatch):
    for page in PAGES.iterdir():
        shutil.copy(page, tmp_path / page.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


class _Tags(HTMLParser):
    """Start and end tags and ids as a browser's tokenizer sees them (not transflow's reader)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.seen = Counter()

    def handle_starttag(self, tag, attrs):
        self.seen["<" + tag] += 1
        self.seen.update(f"id={v}" for k, v in attrs if k == "id")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.seen["</" + tag] += 1


def tags(text: str) -> Counter:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.seen


def msgids(path: str) -> set[str]:
    return {e.msgid for e in polib.pofile(path) if not e.obsolete}


MENUS = ("Weather forecasts", "Opinion and letters", "Privacy policy", "Contact the newsroom",
         "Lifeboat crew rescues two fishermen off the point", "More from the coast")
ARTICLE = ("Harbour town votes to rebuild its sea wall", "By Marta Quill", "Not everyone is convinced.",
           "Waves breaking over the old sea wall at high tide",
           "Engineers expect the rebuilt wall to last at least another eighty years, longer than the stone wall it replaces.")


def test_menus_stay_untranslated_with_content_main_and_are_translated_with_content_all(desk):
    run("translate", "harbour.html", "--to", "pt", "--no-tm", "--no-risk")
    po = "locales/pt/LC_MESSAGES/harbour.po"
    ids = msgids(po)
    assert all(a in ids for a in ARTICLE)  # headline, byline, lead picture, the body after the ad
    assert not any(m in ids for m in MENUS)
    assert not any("cookies" in i or "garden furniture" in i for i in ids)
    main_page = run("build", "harbour.html", "--to", "pt").stdout
    source = (desk / "harbour.html").read_text(encoding="utf-8")
    for menu in MENUS:
        assert f">{menu}<" in main_page  # as the page has it
    assert "Not everyone is convinced." not in main_page and 'lang="pt"' in main_page
    assert tags(main_page) == tags(source)

    run("translate", "harbour.html", "--to", "pt", "--no-tm", "--no-risk", "--content", "all")
    ids = msgids(po)
    assert all(m in ids for m in MENUS) and any("garden furniture" in i for i in ids)
    all_page = run("build", "harbour.html", "--to", "pt", "--content", "all").stdout
    assert not any(f">{menu}<" in all_page for menu in MENUS)
    assert tags(all_page) == tags(source)


def test_the_project_file_says_which_content(desk):
    (desk / "transflow.yaml").write_text("content: all\n")
    assert "Weather forecasts" in run("segment", "harbour.html").stdout
    assert "Weather forecasts" not in run("segment", "harbour.html", "--content", "main").stdout
    (desk / "transflow.yaml").write_text("content: everything\n")
    result = run("segment", "harbour.html", code=2)
    assert "content: 'everything' is not one of main, all" in result.stderr and result.stderr.count("\n") == 1


def test_segment_says_what_is_left_out_and_why(desk):
    plain = run("segment", "harbour.html")
    assert "Weather forecasts" not in plain.stdout
    assert "left out:" in plain.stderr and "not the article" in plain.stderr and "--left-out lists them" in plain.stderr
    listed = run("segment", "harbour.html", "--left-out").stdout.splitlines()
    assert any(line.endswith("\tWeather forecasts") and "\tleft out: not the article" in line for line in listed)
    assert any(line.endswith("\tAdvertisement") and "\tleft out: a skip pattern matched it" in line for line in listed)
    rows = json.loads(run("segment", "harbour.html", "--left-out", "--json").stdout)
    menu = next(r for r in rows if r["text"] == "Weather forecasts")
    assert menu["translate"] is False and menu["left_out"].startswith("not the article")
    assert all("left_out" not in r for r in json.loads(run("segment", "harbour.html", "--json").stdout))


def _page(tmp_path, body: str, name="page.html", head="<title>T</title>") -> Path:
    path = tmp_path / name
    path.write_text(f"<!DOCTYPE html>\n<html class=\"no-js flag-simpleExtendedByline-on\"><head>{head}</head>\n"
                    f"{body}\n</html>\n", encoding="utf-8")
    return path


def test_a_byline_class_on_html_or_body_makes_no_byline(tmp_path):
    """Class names match whole class tokens: a theme's "author-4326" on <body> or
    "flag-simpleExtendedByline-on" on <html> made every paragraph one unsplit byline."""
    path = _page(tmp_path, '<body class="single author-4326"><article class="entry author-sarah">\n'
                           "<p>The ferry ran late again. Passengers waited an hour.</p>\n"
                           '<p class="c-byline">By Ann Lee</p>\n<div class="article__byline">Staff reporter</div>\n'
                           '<p class="caption-text">Not a caption class.</p>\n</article></body>')
    units = segment(read(path, content="all"))
    assert [(u.kind, u.text) for u in units] == [
        (d.HEADING, "T"),
        (d.PARAGRAPH, "The ferry ran late again."), (d.PARAGRAPH, "Passengers waited an hour."),
        (d.BYLINE, "By Ann Lee"), (d.BYLINE, "Staff reporter"),
        (d.PARAGRAPH, "Not a caption class."),
    ]


CITATION = '<sup id="cite_ref-2" class="reference"><a href="#cite_note-2">[2]</a></sup>'


def test_a_citation_superscript_is_one_placeholder_and_survives_real_mt(desk):
    units = [u.text for u in segment(read(desk / "lighthouse.html"))]
    lit = next(u for u in units if u.startswith("It was lit"))
    assert lit == "It was lit for the first time in 1871 and kept by three families in turn until the light was automated in 1958.[1/][2/]"
    assert "[1]History[/1]" in next(u for u in units if u.startswith("[1]History"))
    run("translate", "lighthouse.html", "--to", "pt", "--no-tm")
    po = polib.pofile("locales/pt/LC_MESSAGES/lighthouse.po")
    for entry in po:
        assert placeholders.problems(entry.msgid, entry.msgstr) == [], entry
        repaired = [line for line in entry.comment.splitlines() if line.startswith("mt: markers repaired: ")]
        assert len(repaired) <= 1
    built = run("build", "lighthouse.html", "--to", "pt").stdout
    source = (desk / "lighthouse.html").read_text(encoding="utf-8")
    assert tags(built) == tags(source)
    # each citation is still its number, never stretched around translated words
    assert built.count(CITATION) == source.count(CITATION) == 1
    for n in (1, 3, 4, 5):
        assert f">[{n}]</a></sup>" in built


def _names(count: int) -> str:
    return ", ".join(f'<a href="/people/{n}">Reader {n}</a>' for n in range(1, count + 1))


def test_a_unit_with_1200_markers(tmp_path):
    """Markers above 999 are markers: '[1000]Reader 1000[/1000]' was printed as text and
    the links past the 999th were lost."""
    source = f"<p>Thanks to {_names(1200)} for their letters.</p>\n"
    path = tmp_path / "kudos.html"
    path.write_text(source, encoding="utf-8")
    doc = read(path)
    [unit] = segment(doc)
    assert unit.text.startswith("Thanks to [1]Reader 1[/1], [2]Reader 2[/2]")
    assert "[1200]Reader 1200[/1200] for their letters." in unit.text
    po = polib.POFile()
    po.append(polib.POEntry(msgid=unit.text, msgstr="Obrigado a " + unit.text[len("Thanks to "):].replace(" for their letters.", " pelas cartas.")))
    built = build(doc, [unit], po).text
    assert built == source.replace("Thanks to", "Obrigado a").replace(" for their letters.", " pelas cartas.")
    # a translation that lost the 1000th link, doubled the 1100th and crossed two others
    broken = po[0].msgstr.replace("[1000]Reader 1000[/1000]", "Reader 1000").replace("[1100]", "[1100][1100]")
    broken = broken.replace("[/5], [6]Reader 6[/6]", ", [6]Reader 6[/5][/6]")
    po[0].msgstr = broken
    result = build(doc, [unit], po)
    assert result.repaired == 1 and tags(result.text) == tags(source)
    assert placeholders.problems(unit.text, placeholders.repair(broken, placeholders.unit_table(unit.text), unit.text)[0]) == []


def test_mended_markers_keep_the_source_nesting():
    source = "Talk to [1]Kim Jong[/1] and [2]Lee[/2] today.[3/]"
    table = placeholders.unit_table(source)
    # the model ran one link on over the other and moved the citation inside it
    text, notes = placeholders.mend("Fale com [1]Kim Jong e [2]Lee[/2] hoje.[3/][/1]", table, source)
    assert text == "Fale com [1]Kim Jong e [/1][2]Lee[/2] hoje.[3/]"
    assert notes == ["[1]...[/1] ran on over another pair: closed before it"]
    # a pair that cannot be closed early stands nowhere the source does not put it
    text, notes = placeholders.mend("Fale com [2][1]Kim Jong[/1] e Lee[/2] hoje.[3/]", table, source)
    assert placeholders.problems(source, text) == [] and text.count("[1]") == 1
    assert text.index("[/1]") < text.index("[2]")  # side by side, as in the source
    assert notes[0] == "[1]...[/1] stood inside a pair the source does not have it in"
    # lost both markers: back around the words the draft keeps as written
    text, notes = placeholders.mend("Fale com Kim Jong e [2]Lee[/2] hoje.[3/]", table, source)
    assert text == "Fale com [1]Kim Jong[/1] e [2]Lee[/2] hoje.[3/]" and notes == ["[1]...[/1] lost", "[1]...[/1] put back around 'Kim Jong'"]
    # a citation that ended the source and was lost is back at the end, without a note
    assert placeholders.mend("Fale com [1]Kim Jong[/1] e [2]Lee[/2] hoje.", table, source) == (
        "Fale com [1]Kim Jong[/1] e [2]Lee[/2] hoje.[3/]", [])
    assert placeholders.draft_note(["[1]...[/1] lost"]) == "markers repaired: [1]...[/1] lost"


def test_a_marker_the_model_invents_is_taken_out():
    """The en->pt model now and then writes a marker the source lacks ("[1][2] pode"): the
    built page would print "[2]". A bracketed number the source has as text stays."""
    source = "Starting each day with a [1]healthy breakfast[/1] might help."
    table = placeholders.unit_table(source)
    assert placeholders.mend("Começar cada dia com um [1]café da manhã[/1] [2] pode ajudar.[3/]", table, source) == (
        "Começar cada dia com um [1]café da manhã[/1] pode ajudar.", ["[2], [3/] not in the source: taken out"])
    cited = "See note [2] and [1]the report[/1]."
    assert placeholders.mend("Veja a nota [2] e [1]o relatório[/1].", placeholders.unit_table(cited), cited) == (
        "Veja a nota [2] e [1]o relatório[/1].", [])


def test_a_link_the_model_mangled_goes_around_its_words_not_the_sentence(tmp_path, monkeypatch):
    """Real MT: for both sentences the model's draft with markers invents a "[2]" and
    stretches or empties the link; the link is placed on its own words in the
    translation made without markers ("boom construção" alone, "boom da construção"
    in the sentence), never around the whole sentence, and the PO says what was done."""
    monkeypatch.chdir(tmp_path)
    Path("a.html").write_text(
        '<p>Dust from the city’s <a href="/c">construction boom</a> is also a contributor to the city’s smog.</p>\n'
        '<p>Starting each day off with a <a href="/b">healthy breakfast</a> might reduce the risk of binge eating '
        'later in the day.</p>\n', encoding="utf-8")
    run("translate", "a.html", "--to", "pt", "--no-tm", "--no-risk")
    po = polib.pofile("locales/pt/LC_MESSAGES/a.po")
    for entry in po:
        assert placeholders.problems(entry.msgid, entry.msgstr) == [], entry
        assert "[2]" not in entry.msgstr
        assert "markers repaired: [2] not in the source: taken out" in entry.comment
        inside = entry.msgstr.split("[1]")[1].split("[/1]")[0]
        assert 0 < len(inside.split()) <= 3, entry.msgstr
    assert "[1]boom da construção[/1]" in po[0].msgstr
    built = run("build", "a.html", "--to", "pt").stdout
    assert "[2]" not in built and tags(built) == tags(Path("a.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("sentence, words, placed", [
    # the shortest stretch holding the pair's words, inflected or not
    ("Se você já tem uma conta na loja, visite sua página de conta para renovar", "sua página da conta", "sua página de conta"),
    ("uma matriz fotovoltaica montada em terra de 3 GW", "arrumado em terra montado", "montada em terra"),
    ("Poeira do boom da construção da cidade", "boom construção", "boom da construção"),
    ("Estudos mostram que andar ajuda", "pequeno-almoço saudável", None),  # none of its words: no place
])
def test_where_a_lost_link_goes_in_the_translation_made_without_markers(sentence, words, placed):
    span = placeholders._window(sentence, words)
    assert (sentence[span[0]:span[1]] if span else None) == placed


def test_a_link_run_over_the_sentence_is_seen():
    source = "[1]Summary[/1] Studies show that walking after dinner may lower blood sugar."
    table = placeholders.unit_table(source)
    assert placeholders._stretched("[1]Estudos mostram que andar após o jantar pode baixar o açúcar.[/1]", source, table) == [1]
    assert placeholders._stretched("[1]Resumo[/1] Estudos mostram que andar após o jantar pode baixar o açúcar.", source, table) == []
    # a date a little longer in Portuguese is no run-over
    dated = "Posted by the desk [1]November 15, 2019[/1]"
    assert placeholders._stretched("Publicado pela redação [1]15 de novembro de 2019[/1]", dated, placeholders.unit_table(dated)) == []


@pytest.mark.parametrize("text,why", [
    ("$139.00", "no letters"),
    ("11/13/19 9:00AM", "a date or time in figures"),
    ("pic.twitter.com/3BDnrvkoms", "a web or e-mail address"),
    ("[1/] [2]https://www.example.com/news/article/Storm-hits-the-coast-14848164.php[/2]", "a web or e-mail address"),
    ("newsroom@example.org", "a web or e-mail address"),
    ("Krux('scrape', 'bounce', {seg: 'news'});", "code"),
    ("googletag.cmd.push(function() { googletag.display('ad-slot-1'); });", "code"),
    ("{* traditionalSignIn_emailAddress *} {* traditionalSignIn_password *}", "code"),
    ('{"section": "news", "tags": ["storm"]}', "code"),
    ("arrow_forward_ios", "a name in code"),
    ("ad_unit=/1234/news/coast;pos=top;kw=storm", "a configuration string"),
])
def test_what_is_not_language(text, why):
    assert why_not(text) == why


@pytest.mark.parametrize("text", [
    "The group (founded in 1951) said so.", "Email (required)", "May 2019", "News", "#TodayInSenatePlenary",
    "Read the report at https://example.org/report today.", "Call me (maybe).", "101 East", "x = y is a line of algebra, she said.",
])
def test_what_is_language(text):
    assert why_not(text) is None


def test_units_that_are_not_language_stay_as_written(tmp_path):
    source = ("<p>Prices start at $139.00 for the basic model.</p>\n<p>$139.00</p>\n"
              "<p>Krux('scrape', 'bounce', {seg: 'news'});</p>\n<p>https://t.co/XPxUJuyIAC</p>\n<p>Visit the shop.</p>\n")
    path = tmp_path / "shop.html"
    path.write_text(source, encoding="utf-8")
    doc = read(path)
    units, left_out = segment_all(doc)
    assert [u.text for u in units] == ["Prices start at $139.00 for the basic model.", "Visit the shop."]
    assert [(u.text, why) for u, why in left_out] == [
        ("$139.00", "not language: no letters"), ("Krux('scrape', 'bounce', {seg: 'news'});", "not language: code"),
        ("https://t.co/XPxUJuyIAC", "not language: a web or e-mail address")]
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Visit the shop.", msgstr="Visite a loja."))
    assert build(doc, units, po).text == source.replace("Visit the shop.", "Visite a loja.")


def test_a_hidden_copy_of_the_article_is_left_out(tmp_path):
    story = "".join(f"<p>{s}</p>" for s in (
        "The ferry to the island will run twice a day from next week, the harbour board said on Monday.",
        "Islanders have asked for a second crossing for years, since the single morning boat leaves them no way back the same day.",
        "The board said the new timetable would be tried for six months before a decision on the winter months.",
        "A survey last spring found that most of the island's workers travel to the mainland at least three times a week."))
    hidden = '<div style="display:none" itemscope><div itemprop="articleBody">The ferry to the island will run twice a day.</div></div>'
    path = _page(tmp_path, f'<body><article><h1>More ferries</h1><div class="body">{story}</div></article>{hidden}'
                           '<div hidden><p>A hidden sign-up form asks for your address.</p></div></body>')
    units, left_out = segment_all(read(path))
    assert "More ferries" in [u.text for u in units] and len([u for u in units if u.kind == d.PARAGRAPH]) == 4
    hidden_units = [u.text for u, why in left_out if why.startswith("hidden")]
    assert hidden_units == ["The ferry to the island will run twice a day.", "A hidden sign-up form asks for your address."]
    assert [u.text for u in segment(read(path, content="all"))].count("The ferry to the island will run twice a day.") == 1


def test_a_fragment_is_all_article(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text('<ul class="menu"><li>Home page</li></ul><p>One sentence here.</p>', encoding="utf-8")
    assert [u.text for u in segment(read(path))] == ["Home page", "One sentence here."]


def test_the_note_the_model_adds_is_taken_out():
    assert without_notes("Read the Guardian's report.", "Leia o relatório do Guardian (em inglês).", "pt") == (
        "Leia o relatório do Guardian.", ["(em inglês)"])
    assert without_notes("The report (in English) is online.", "O relatório (em inglês) está online.", "pt")[1] == []
    assert without_notes("A name", "Un nom (en anglais)", "fr") == ("Un nom", ["(en anglais)"])
    assert without_notes("A name", "Um nome (em inglês)", "ko") == ("Um nome (em inglês)", [])
