"""HTML markup markers travel through XLIFF as inline codes (<pc>/<ph> in 2.1, <g>/<x>
in 1.2), so a CAT tool shows them as tags, and come back as the same markers."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import msgfmt_check

from transflow.cli import main

ARTICLE = """<html><body>
<h1>Returns across the <em>Yalu</em> river</h1>
<p>China signed the <a href="https://www.unhcr.org/1951-convention">1951 Refugee Convention</a> in 1982.</p>
<p>Families waited at the border.<br>A map <img src="route.png" alt=""> shows the route they took.</p>
<p>Footnote [1] is text, not markup.</p>
</body></html>
"""
PO = Path("locales/pt/LC_MESSAGES/returns.po")


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


@pytest.fixture
def desk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("returns.html").write_text(ARTICLE, encoding="utf-8")
    run("translate", "returns.html", "--to", "pt", "--no-tm")
    return tmp_path


def entries():
    return {e.msgid: e for e in polib.pofile(str(PO)) if not e.obsolete}


def test_markers_are_inline_codes_and_come_back_unchanged(desk):
    before = PO.read_bytes()
    by_id = entries()
    assert "China signed the [1]1951 Refugee Convention[/1] in 1982." in by_id
    for fmt, pair, lone in (("xliff", '<pc id="1" dispStart="[1]" dispEnd="[/1]">', '<ph id="1" disp="[1/]" />'),
                            ("xliff12", '<g id="1">', '<x id="1" />')):
        run("export", "returns.html", "--to", "pt", "--format", fmt, "-o", f"r.{fmt}.xlf")
        xml = Path(f"r.{fmt}.xlf").read_text(encoding="utf-8")
        assert f"China signed the {pair}1951 Refugee Convention</" in xml
        assert lone in xml  # the <img>
        assert "Footnote [1] is text" in xml  # a bracketed number that is no marker stays text
        # The base (what the entry was at export, for import's merge) is transflow's own
        # data, never shown as a target: its markers stay text.
        shown = re.sub(r'<mda:metaGroup category="transflow-base">.*?</mda:metaGroup>|<alt-trans .*?</alt-trans>', "",
                       xml, flags=re.S)
        assert "[1]1951" not in shown and "[1]1951" in xml
        ET.fromstring(xml.encode())
        run("import", f"r.{fmt}.xlf")
        assert PO.read_bytes() == before, fmt


def test_a_tag_moved_in_the_cat_tool_lands_in_the_po_file(desk):
    run("export", "returns.html", "--to", "pt", "--format", "xliff", "-o", "r.xlf")
    xml = Path("r.xlf").read_text(encoding="utf-8")
    # The reviewer rewrites the target and puts the link around other words, as a CAT tool writes it.
    new_target = ('<target>Em 1982, a China assinou a <pc id="1" dispStart="[1]" dispEnd="[/1]">Convenção de 1951 '
                  'relativa ao Estatuto dos Refugiados</pc>.</target>')
    xml, count = re.subn(r'(<source>China signed the .*?</source>\s*)<target>.*?</target>', r"\g<1>" + new_target, xml,
                         flags=re.S)
    assert count == 1
    Path("r.xlf").write_text(xml, encoding="utf-8")
    run("import", "r.xlf")
    entry = entries()["China signed the [1]1951 Refugee Convention[/1] in 1982."]
    assert entry.msgstr == "Em 1982, a China assinou a [1]Convenção de 1951 relativa ao Estatuto dos Refugiados[/1]."
    msgfmt_check(PO)
    assert run("check", "locales").exit_code == 0
    built = run("build", "returns.html", "--to", "pt").stdout
    assert ('<a href="https://www.unhcr.org/1951-convention">Convenção de 1951 relativa ao Estatuto dos Refugiados</a>'
            in built)


def test_a_broken_translation_keeps_its_markers_as_text(desk):
    po = polib.pofile(str(PO))
    entry = next(e for e in po if e.msgid.startswith("China signed"))
    entry.msgstr = "A China assinou a [1]Convenção de 1951 em 1982."  # the closing marker is lost
    po.save(str(PO))
    run("export", "returns.html", "--to", "pt", "--format", "xliff", "-o", "r.xlf")
    xml = Path("r.xlf").read_text(encoding="utf-8")
    assert "<target>A China assinou a [1]Convenção de 1951 em 1982.</target>" in xml
    run("import", "r.xlf")
    assert entries()[entry.msgid].msgstr == "A China assinou a [1]Convenção de 1951 em 1982."


def test_translate_toolkit_reads_the_coded_xliff12(desk):
    xliff = pytest.importorskip("translate.storage.xliff")
    run("export", "returns.html", "--to", "pt", "--format", "xliff12", "-o", "r.xlf")
    store = xliff.xlifffile(Path("r.xlf").read_bytes())
    sources = [u.source for u in store.units]
    assert len(sources) == len(entries())
    assert any("1951 Refugee Convention" in s for s in sources)
