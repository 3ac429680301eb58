"""Loss-free segmentation (generated articles) and markup that survives translate + build.

Property: for plain text, Markdown and HTML, the units' spans and the text between
them are the source; every word of a translatable block is in exactly one unit;
building with no translation gives the source byte for byte, and building with each
unit "translated" as itself gives an article that segments into the same units.

Round trip: the Markdown and HTML versions of the example article are translated
with the real embedded en->pt model into a temporary locales folder and built; the
built article has the same headings, list items, links, code and tags.
"""

import re
import shutil

import polib
import pytest
from click.testing import CliRunner
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transflow.build import build
from transflow.cli import main
from transflow.placeholders import TOKEN
from transflow.readers import html as html_reader
from transflow.readers import markdown as md_reader
from transflow.readers import read
from transflow.readers.html import tokens
from transflow.segment import segment, segment_all

WORDS = ["the", "border", "Dr.", "U.S.", "No. 5", "2,000", "3.5", "refugees", "Kim", "e.g.", "said", "Jan.",
         "J. R.", "court", "'no'", "\"yes\"", "(in 2019)", "—", "a.m.", "Seoul", "its", "don't", "…", "D.P.R.K."]
ENDS = [".", "?", "!", "...", ".\"", "?'", ":", ""]


@st.composite
def sentence(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    first = words[0][:1].upper() + words[0][1:]
    return " ".join([first, *words[1:]]) + draw(st.sampled_from(ENDS))


@st.composite
def paragraph(draw, inline=lambda s: s):
    sentences = [inline(s) for s in draw(st.lists(sentence(), min_size=1, max_size=4))]
    joiners = draw(st.lists(st.sampled_from([" ", "  ", "\n", " \n"]), min_size=len(sentences), max_size=len(sentences)))
    return "".join(s + j for s, j in zip(sentences, joiners)).rstrip()


@st.composite
def text_article(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["para", "para", "heading", "list", "caption", "skip", "byline"]))
        body = draw(paragraph())
        blocks.append({
            "para": body, "heading": body.rstrip(".?!:\"'"), "list": "- " + body.replace("\n", " "),
            "caption": "Photo: " + body.replace("\n", " "), "skip": "Skip to content", "byline": "By " + body.split()[0],
        }[kind])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return (newline + newline).join(blocks).replace("\n", newline) + draw(st.sampled_from(["", newline]))


def _md_inline(draw):
    def inline(s):
        words = s.split(" ")
        i = draw(st.integers(0, len(words) - 1))
        mark = draw(st.sampled_from(["*{}*", "**{}**", "[{}](https://example.org/a_b)", "`{}`", "{}"]))
        words[i] = mark.format(words[i].strip("*_`[]()")) if words[i].strip("*_`[]()") else words[i]
        return " ".join(words)
    return inline


@st.composite
def md_article(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["para", "para", "heading", "list", "quote", "fence"]))
        body = draw(paragraph(_md_inline(draw)))
        blocks.append({
            "para": body, "heading": "## " + body.replace("\n", " "), "list": "- " + body.replace("\n", "\n  "),
            "quote": "> " + body.replace("\n", "\n> "), "fence": "```\n" + body + "\n```",
        }[kind])
    return "\n\n".join(blocks) + "\n"


def _html_inline(draw):
    def inline(s):
        s = s.replace("&", "&amp;").replace("<", "&lt;")
        words = s.split(" ")
        i = draw(st.integers(0, len(words) - 1))
        j = draw(st.integers(i, len(words) - 1))
        mark = draw(st.sampled_from(["<em>{}</em>", "<a href=\"/x?a=1&amp;b=2\">{}</a>", "{} <code>x < y</code>", "{}<br>", "{} &amp; more", "{}"]))
        return " ".join(words[:i] + [mark.format(" ".join(words[i:j + 1]))] + words[j + 1:])
    return inline


@st.composite
def html_article(draw):
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(["p", "p", "h2", "li", "blockquote", "figcaption", "td", "script", "pre"]))
        body = draw(paragraph(_html_inline(draw)))
        blocks.append(f"<{tag}>{body}</{tag}>")
    return "<html><body>\n" + "\n".join(blocks) + "\n</body></html>\n"


def _words(text: str) -> str:
    return "".join(text.split())


def _within(short: str, long: str) -> bool:
    """``short``'s characters appear in ``long`` in order (what a placeholder stands for left out)."""
    rest = iter(long)
    return all(ch in rest for ch in short)


def _check_loss_free(tmp_path, source: str, name: str):
    path = tmp_path / name
    path.write_bytes(source.encode("utf-8"))
    doc = read(path)
    units, left_out = segment_all(doc)
    # a unit that is not language ("2,000.") is left out, and stays as it is
    not_language = [u for u, why in left_out if why.startswith("not language")]
    # spans in order, inside their blocks, never overlapping
    cursor = 0
    for u in units:
        block = doc.blocks[u.block]
        assert cursor <= u.start < u.end <= len(doc.text)
        assert block.start <= u.start and u.end <= block.end
        cursor = u.end
    # every word of a translatable block is in exactly one unit
    for index, block in enumerate(doc.blocks):
        if not block.translate:
            continue
        mine = sorted((u for u in units + not_language if u.block == index), key=lambda u: u.start)
        if doc.format == "html":
            expected = html_reader.plain_text(doc.text, block.start, block.end)
            # the words of each unit's span: an element without words ("<em>—</em>", a
            # citation) is one placeholder in the unit's text, its characters inside it
            got = "".join(html_reader.plain_text(doc.text, u.start, u.end) for u in mine)
            for u in mine:
                assert _within(_words(TOKEN.sub("", u.text)), _words(html_reader.plain_text(doc.text, u.start, u.end)))
        else:
            body = doc.text[block.start:block.end]
            expected = md_reader.mask(body) if doc.format == "markdown" else body
            got = "".join(u.text for u in mine)
        assert _words(got) == _words(expected)
    # no translation: the source, byte for byte
    assert build(doc, units, polib.POFile()).text == source
    # each unit "translated" as itself: the same units again
    po = polib.POFile()
    for u in {u.text for u in units}:
        po.append(polib.POEntry(msgid=u, msgstr=u))
    rebuilt = tmp_path / ("again-" + name)
    rebuilt.write_text(build(doc, units, po).text, encoding="utf-8", newline="")
    assert [u.text for u in segment(read(rebuilt))] == [u.text for u in units]
    if doc.format == "html":
        assert _tags(build(doc, units, po).text) == _tags(source)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(text_article())
def test_text_reader_is_loss_free(tmp_path, source):
    _check_loss_free(tmp_path, source, "a.txt")


@SETTINGS
@given(md_article())
def test_markdown_reader_is_loss_free(tmp_path, source):
    _check_loss_free(tmp_path, source, "a.md")


@SETTINGS
@given(html_article())
def test_html_reader_is_loss_free(tmp_path, source):
    _check_loss_free(tmp_path, source, "a.html")


# --- translate and build with the real model ------------------------------------


def _tags(text: str, ignore=()) -> list:
    return [(t.kind, t.tag, tuple(a for a in t.attrs if a[0] not in ignore))
            for t in tokens(text) if t.kind in ("start", "end", "startend")]


def _md_structure(text: str) -> dict:
    lines = text.splitlines()
    return {
        "headings": [re.match(r"#+", line).group() for line in lines if line.startswith("#")],
        "list items": sum(1 for line in lines if line.startswith("- ")),
        "quotes": sum(1 for line in lines if line.startswith(">")),
        "links": re.findall(r"\]\(([^)]+)\)", text),
        "strong": len(re.findall(r"\*\*\S", text)),
        "emphasis": len(re.findall(r"(?<!\*)\*[^*\s]", text)),
        "blank lines": sum(1 for line in lines if not line.strip()),
    }


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """Both example articles translated once with the embedded en->pt model, then built."""
    folder = tmp_path_factory.mktemp("roundtrip")
    for suffix in ("md", "html"):
        shutil.copy(ROOT / "examples" / f"north-korean-refugees.{suffix}", folder / f"north-korean-refugees.{suffix}")
    runner = CliRunner()
    built = {}
    import os

    old = os.getcwd()
    os.chdir(folder)
    try:
        for suffix in ("md", "html"):
            # same stem, so one locales folder each
            article, locales, out = f"north-korean-refugees.{suffix}", f"loc-{suffix}", folder / f"built.pt.{suffix}"
            result = runner.invoke(main, ["translate", article, "--to", "pt", "--engine", "bergamot", "--no-tm", "--jobs", "1", "--locales", locales, "-q"])
            assert result.exit_code == 0, result.output
            result = runner.invoke(main, ["build", article, "--to", "pt", "--locales", locales, "-o", str(out)])
            assert result.exit_code == 0, result.output
            built[suffix] = (folder / f"north-korean-refugees.{suffix}").read_text(encoding="utf-8"), out.read_text(encoding="utf-8")
    finally:
        os.chdir(old)
    built["po"] = polib.pofile(str(folder / "loc-html" / "pt" / "LC_MESSAGES" / "north-korean-refugees.po"))
    return built


def test_markdown_example_keeps_its_structure(translated):
    source, built = translated["md"]
    assert _md_structure(built) == _md_structure(source)
    assert "Tumen" in built
    assert built != source


def test_html_example_keeps_its_tags(translated):
    source, built = translated["html"]
    # The same tags with the same attributes, but the language and the alt text.
    assert _tags(built, ignore=("lang", "alt")) == _tags(source, ignore=("lang", "alt"))
    assert '<html lang="pt">' in built and 'alt="A border fence"' in source and 'alt="A border fence"' not in built
    assert '<a href="https://www.unhcr.org/about-unhcr/who-we-are/1951-refugee-convention">' in built
    assert "<code>unhcr-2023-q4.csv</code>" in built
    assert 'window.analytics = "Do not translate this.";' in built
    assert built != source


def test_html_drafts_carry_every_placeholder(translated):
    for entry in translated["po"]:
        if entry.msgid and TOKEN.search(entry.msgid):
            assert sorted(TOKEN.findall(entry.msgstr)) == sorted(TOKEN.findall(entry.msgid)), entry.msgid
