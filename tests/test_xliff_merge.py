"""Import as a three-way merge: a file that comes back late never undoes work done in
the PO file since the export (issue 19, item 1), and XLIFF input that cannot become a
PO string is refused (item 10)."""

import os
import re

import polib
import pytest

from transflow import xliff, xliffmerge, xliffread
from transflow.errors import InputError

A, B, C = "The first sentence.", "The second sentence.", "The third sentence."
FORMATS = ["xliff", "xliff12"]


def catalog(*rows):
    """A PO file of (msgid, msgstr, fuzzy, tcomment) rows."""
    po = polib.POFile()
    po.metadata = {"Language": "pt", "Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr, fuzzy, comment in rows:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], tcomment=comment))
    return po


def exported(po, fmt):
    return xliff.dumps(po, source="en", target="pt", original="x.po", fmt=fmt)


def edit(text, source, target, state=None, fmt="xliff"):
    """``text`` with the target of ``source``'s unit replaced, as a CAT tool saves it."""
    if fmt == "xliff":
        # (A tool that sets a state drops the subState that qualified the old one.)
        pattern = rf'(<segment state=")[a-z]+"(?: subState="[^"]*")?(>\s*<source>{re.escape(source)}</source>\s*)(<target>.*?</target>)?'
        return re.sub(pattern, lambda m: f'{m.group(1)}{state or "translated"}"{m.group(2)}<target>{target}</target>',
                      text, count=1, flags=re.S)
    pattern = rf'(<trans-unit id="\d+" xml:space="preserve")( approved="yes")?(>\s*<source>{re.escape(source)}</source>\s*)(<target[^>]*>.*?</target>)?'
    approved = ' approved="yes"' if state == "final" else ""
    return re.sub(pattern, lambda m: f'{m.group(1)}{approved}{m.group(3)}<target state="{state or "translated"}">{target}</target>',
                  text, count=1, flags=re.S)


def merge(po, text):
    _, [file] = xliffread.parse(text.encode())
    return xliffmerge.apply(po, file.units)


def state(po, msgid):
    entry = next(e for e in po if e.msgid == msgid)
    return entry.msgstr, "fuzzy" in entry.flags, entry.tcomment


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_stale_file_never_reverts_what_was_reviewed_since(fmt):
    # Issue 19, item 1: the desk exports two drafts, reviews A in Poedit, and then the
    # CAT tool's file comes back with only B worked on.
    po = catalog((A, "Rascunho A.", True, ""), (B, "Rascunho B.", True, ""))
    text = exported(po, fmt)
    po[0].msgstr, po[0].flags = "A primeira frase.", []
    text = edit(text, B, "A segunda frase.", "final", fmt)
    result = merge(po, text)
    assert state(po, A) == ("A primeira frase.", False, "")
    assert state(po, B) == ("A segunda frase.", False, "")
    assert not result.conflicts and result.updated == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_both_sides_changed_is_a_conflict_and_the_rest_is_imported(fmt):
    po = catalog((A, "Rascunho A.", True, ""), (B, "Rascunho B.", True, ""))
    text = exported(po, fmt)
    po[0].msgstr, po[0].flags = "A primeira frase, revista.", []
    text = edit(edit(text, A, "Outra primeira frase.", "translated", fmt), B, "A segunda frase.", "final", fmt)
    result = merge(po, text)
    assert state(po, A) == ("A primeira frase, revista.", False, "")
    assert state(po, B) == ("A segunda frase.", False, "")
    [conflict] = result.conflicts
    line = conflict.describe()
    assert line.startswith(f'unit 1 ("{A}"): translation not imported, both changed since the export')
    assert '"A primeira frase, revista." (reviewed)' in line and '"Outra primeira frase." (draft)' in line


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_again_changes_nothing(fmt):
    po = catalog((A, "Rascunho A.", True, ""), (B, "", False, ""))
    text = edit(edit(exported(po, fmt), A, "A primeira frase.", "final", fmt), B, "A segunda frase.", None, fmt)
    first = merge(po, text)
    assert first.changed and not first.conflicts
    after = polib.pofile(str(po)).__unicode__()
    second = merge(po, text)
    assert not second.changed and not second.conflicts and not second.missing
    assert po.__unicode__() == after


def test_the_same_change_on_both_sides_is_no_conflict():
    po = catalog((A, "Rascunho A.", True, ""))
    text = edit(exported(po, "xliff"), A, "A primeira frase.", "final")
    po[0].msgstr, po[0].flags = "A primeira frase.", []
    result = merge(po, text)
    assert not result.conflicts and not result.changed


def test_a_reviewed_entry_made_a_draft_in_the_cat_tool_is_the_translators_call():
    # Nothing changed in the PO file since the export: the file's word counts.
    po = catalog((A, "A primeira frase.", False, ""))
    text = exported(po, "xliff").replace('state="final"', 'state="translated"')
    result = merge(po, text)
    assert state(po, A) == ("A primeira frase.", True, "") and result.fuzzy == 1


def test_without_bases_a_draft_never_replaces_a_reviewed_entry():
    po = catalog((A, "A primeira frase.", False, ""), (B, "Rascunho B.", True, ""), (C, "A terceira.", False, ""))
    text = exported(po, "xliff12")
    text = re.sub(r"\s*<alt-trans .*?</alt-trans>", "", text, flags=re.S)  # another tool's file
    text = edit(text, A, "Rascunho velho A.", "needs-review-translation", "xliff12")
    text = edit(text, B, "Outro rascunho B.", "needs-review-translation", "xliff12")
    text = edit(text, C, "A terceira frase.", "final", "xliff12")
    result = merge(po, text)
    assert state(po, A) == ("A primeira frase.", False, "")  # kept, reported
    assert state(po, B) == ("Outro rascunho B.", True, "")  # as before: a draft over a draft
    assert state(po, C) == ("A terceira frase.", False, "")  # as before: the file's reviewed target
    [conflict] = result.conflicts
    assert "a draft never replaces a reviewed entry" in conflict.describe()


@pytest.mark.parametrize("fmt", FORMATS)
def test_translator_comments_merge_three_ways(fmt):
    po = catalog((A, "A.", False, "old note"), (B, "B.", False, "note B"))
    text = exported(po, fmt)
    po[0].tcomment = "a newer note written in Poedit"
    po[1].tcomment = "Poedit's note on B"
    # The tool's file: A's note untouched, B's rewritten.
    if fmt == "xliff":
        text = text.replace('<note category="translator">note B</note>', '<note category="translator">CAT note on B</note>')
    else:
        text = text.replace('<note from="translator">note B</note>', '<note from="translator">CAT note on B</note>')
    result = merge(po, text)
    assert state(po, A)[2] == "a newer note written in Poedit"
    assert state(po, B)[2] == "Poedit's note on B"
    [conflict] = result.conflicts
    assert conflict.what == "translator comment" and '"CAT note on B"' in conflict.describe()


def test_the_po_header_unit_is_ignored_not_missing():
    # Translate Toolkit's po2xliff writes the PO header as a unit with an empty source.
    po = catalog((A, "A.", False, ""))
    text = exported(po, "xliff12").replace(
        "<body>", '<body><trans-unit id="0" approved="yes"><source></source><target>Language: pt\n</target></trans-unit>')
    result = merge(po, text)
    assert not result.missing and result.units == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_translate_toolkit_keeps_the_bases_through_an_edit(fmt):
    # Weblate and Pootle save XLIFF with Translate Toolkit: the base must survive that.
    if fmt == "xliff":
        from translate.storage.xliff2 import Xliff2File as Store
    else:
        from translate.storage.xliff import xlifffile as Store
    po = catalog((A, "Rascunho A.", True, ""), (B, "Rascunho B.", True, ""))
    store = Store.parsestring(exported(po, fmt).encode())
    po[0].msgstr, po[0].flags = "A primeira frase.", []  # reviewed in Poedit meanwhile
    unit = next(u for u in store.units if u.source == B)
    unit.target = "A segunda frase."
    _, [file] = xliffread.parse(bytes(store))
    assert all(u.base is not None for u in file.units)
    result = xliffmerge.apply(po, file.units)
    assert state(po, A) == ("A primeira frase.", False, "")
    assert state(po, B)[0] == "A segunda frase." and not result.conflicts


UNIT = ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="pt">'
        '<file id="f1" original="x.po"><unit id="u7"><segment state="final"><source>{source}</source>'
        '<target>{target}</target></segment></unit></file></xliff>')


@pytest.mark.parametrize("cp", ["D800", "dfff", "0", "110000", "zz"])
def test_a_cp_that_no_po_string_can_hold_is_refused_naming_the_unit(cp):
    data = UNIT.format(source="A.", target=f'x<cp hex="{cp}"/>y').encode()
    with pytest.raises(InputError, match=rf"x.xlf: unit u7: <cp hex='{cp}'/> is not a character a PO file can hold"):
        xliffread.parse(data, "x.xlf")


def test_a_cp_of_a_control_character_still_comes_back():
    _, [file] = xliffread.parse(UNIT.format(source="A.", target='bell<cp hex="0007"/>').encode())
    assert file.units[0].target == "bell\x07"


def test_deep_nesting_is_refused_without_a_recursion_error():
    deep = "<mrk id='m' type='term'>" * 5000 + "x" + "</mrk>" * 5000
    with pytest.raises(InputError, match="nested more than 1000 deep"):
        xliffread.parse(UNIT.format(source="A.", target=deep).encode(), "x.xlf")


def test_nesting_within_the_bound_is_read_without_recursion():
    # 990 levels: more than Python's call stack allows a recursive walk.
    deep = '<pc id="1">' + "<mrk id='m' type='term'>" * 980 + "x" + "</mrk>" * 980 + "</pc>"
    _, [file] = xliffread.parse(UNIT.format(source="A.", target=deep).encode())
    assert file.units[0].target == "[1]x[/1]"


def test_a_file_over_the_size_cap_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.xlf"
    with open(big, "wb") as f:
        f.truncate(xliffread.MAX_BYTES + 1)
    with pytest.raises(InputError, match="larger than 32 MB"):
        xliffread.read_file(big)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlf")
    with pytest.raises(InputError, match="not a regular file"):
        xliffread.read_file(tmp_path / "pipe.xlf")
