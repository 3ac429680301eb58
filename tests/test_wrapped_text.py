"""Hard-wrapped plain text (licences, wire copy, e-mail): a paragraph's lines are one
block, its units are those of the same paragraph on one line, and a build re-wraps
the translation at the source's width. Fixtures are our own writing in the shapes
of a licence filled at 70 columns, wire copy and an e-mail.
"""

import textwrap

import polib

from transflow import document as d
from transflow.build import build
from transflow.readers import read
from transflow.segment import segment

# Shaped like the GPL's definitions: a quoted term opens a line, and the lines end
# in "this" and "and" while the next ones start with "Agreement." and a quote.
LICENCE = """\
                      THE OPEN PRINTING AGREEMENT
                         Version 2, 4 May 2026

  "This Agreement" refers to version 2 of the Open Printing Agreement,
as published by the printers' guild for its members and their clients.

  "The Work" refers to any printable design distributed under this
Agreement.  Each recipient is addressed as "you".  "Recipients" and
"licensees" may be individuals or organizations.  This
requirement applies to every copy, whether printed on paper or on
cloth, and to every copy made from those copies.

  To "adapt" a work means to copy from or change all or part of the
work in a fashion requiring permission, other than the making of an
exact copy.  The resulting work is called an "adapted version" of
the earlier work or a work "based on" the earlier work.

  1. Permissions.

  You may print, bind and hand out copies of the Work in any medium,
provided that you keep intact every notice that refers to this
Agreement and give each recipient a copy of it along with the Work.

    a) The copy must carry a prominent notice stating that you adapted
    it, and giving a relevant date.

    b) The copy must state that it is released under this Agreement
    and any further conditions that the printer adds under section
    7.  This requirement changes the requirement in section 4.
"""


def flat(text: str) -> str:
    """``text`` with each paragraph's lines joined: what the same article looks like unwrapped."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(p if i == 0 else p.split("\n")[0] + "".join(" " + x.strip() for x in p.split("\n")[1:])
                       for i, p in enumerate(paragraphs))


def units(tmp_path, text, name="a.txt"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    doc = read(path)
    return doc, segment(doc)


def kinds_and_texts(found):
    return [(u.kind, u.text) for u in found]


def test_a_wrapped_licence_gives_the_units_of_its_unwrapped_text(tmp_path):
    doc, wrapped = units(tmp_path, LICENCE)
    _, unwrapped = units(tmp_path, flat(LICENCE), "b.txt")
    assert doc.wrap_width is not None
    assert kinds_and_texts(wrapped) == kinds_and_texts(unwrapped)
    texts = [u.text for u in wrapped]
    # The fragments: a wrapped line read as a heading, line ends as units of their own.
    assert '"The Work" refers to any printable design distributed under this Agreement.' in texts
    assert "Agreement." not in texts and "This" not in texts
    assert not any(u.kind == d.HEADING and u.text.startswith('"The Work"') for u in wrapped)
    assert ("This requirement applies to every copy, whether printed on paper or on cloth, "
            "and to every copy made from those copies.") in texts


def test_structure_in_a_wrapped_licence_stays_apart(tmp_path):
    _, found = units(tmp_path, LICENCE)
    by_text = {u.text: u.kind for u in found}
    assert by_text["THE OPEN PRINTING AGREEMENT"] == d.HEADING
    assert by_text["Version 2, 4 May 2026"] == d.HEADING
    assert by_text["Permissions."] == d.LIST_ITEM
    assert by_text["The copy must carry a prominent notice stating that you adapted it, and giving a relevant date."] == d.LIST_ITEM
    # "7." starts a wrapped line inside item b), whose marker is a letter: not an item of its own.
    assert any(t.startswith("The copy must state") and t.endswith("in section 4.") for t in by_text)


# One line per paragraph; WIRE is the same article wrapped at 64 columns.
WIRE_FLAT = """\
Flood waters recede as river towns begin the clean-up

By Ana Ribeiro, Transflow Wire
December 6, 2026

PORTO ALEGRE, Dec 6 (Transflow Wire) - Residents of a dozen river towns began returning home on Sunday as the water that had covered their streets for nine days started to fall, leaving behind mud and broken furniture. Officials said the damage would run into billions.

Photo: Volunteers carry a sofa out of a flooded house in Eldorado
Image: Transflow Wire/M. Costa

Rescue teams in boats and helicopters had pulled more than 6,000 people from rooftops and upper floors since the first week of the flood. The federal government sent soldiers, field kitchens and water purification units.

Engineers began inspecting pumping stations on Saturday, and officials warned that tap water in several towns would not be safe to drink for at least another week.

The key figures released by the state government on Sunday:

- 41 people confirmed dead, most of them in the towns along the lower stretch of the river
- 80,000 people forced from their homes at the peak of the flood, of whom 23,000 were still in shelters

The river keeps no memory of the boat,
it closes up behind us like a door,
and what we carried over stays afloat.

Terminology group
Rua das Flores 123
1200-195 Lisboa

Copyright 2026 Transflow Wire. All rights reserved.
"""


def wrapped_at(text: str, width: int) -> str:
    """Each line longer than ``width`` wrapped greedily, a list item's lines under its text."""
    out = []
    for line in text.split("\n"):
        hang = "  " if line.startswith("- ") else ""
        out += textwrap.wrap(line, width, subsequent_indent=hang) if len(line) > width else [line]
    return "\n".join(out)


WIRE = wrapped_at(WIRE_FLAT, 64)


def test_wire_copy_keeps_byline_dateline_credit_list_poem_and_address(tmp_path):
    doc, found = units(tmp_path, WIRE)
    assert doc.wrap_width is not None
    got = kinds_and_texts(found)
    assert (d.HEADING, "Flood waters recede as river towns begin the clean-up") in got
    assert (d.BYLINE, "By Ana Ribeiro, Transflow Wire") in got
    assert (d.BYLINE, "December 6, 2026") in got
    assert (d.PARAGRAPH, "Officials said the damage would run into billions.") in got
    assert (d.CREDIT, "Image: Transflow Wire/M. Costa") in got
    assert (d.LIST_ITEM, "41 people confirmed dead, most of them in the towns along the lower stretch of the river") in got
    assert (d.LIST_ITEM, "80,000 people forced from their homes at the peak of the flood, of whom 23,000 were still in shelters") in got
    # A poem's short lines, an address: each line its own unit.
    for line in ("The river keeps no memory of the boat,", "it closes up behind us like a door,",
                 "Terminology group", "Rua das Flores 123", "1200-195 Lisboa"):
        assert line in [t for _, t in got]
    assert kinds_and_texts(found) == kinds_and_texts(units(tmp_path, WIRE_FLAT, "b.txt")[1])


def test_units_of_a_wrapped_paragraph_refer_to_its_first_line(tmp_path):
    _, found = units(tmp_path, WIRE)
    lines = {u.text: u.line for u in found}
    assert "Officials said" in WIRE.split("\n")[8]
    assert lines["Officials said the damage would run into billions."] == 6  # the paragraph's line, not the sentence's (9)
    assert lines["By Ana Ribeiro, Transflow Wire"] == 3


def test_a_text_of_one_line_paragraphs_is_not_wrapped(tmp_path):
    # An article of one-line paragraphs with a stanza whose lines go on in lower case:
    # not hard-wrapped, and the stanza keeps its lines.
    doc, found = units(tmp_path, WIRE_FLAT)
    assert doc.wrap_width is None
    assert "it closes up behind us like a door," in [u.text for u in found]


def _translated(found, translate):
    po = polib.POFile()
    po.metadata = {"Language": "pt"}
    for text in dict.fromkeys(u.text for u in found):
        po.append(polib.POEntry(msgid=text, msgstr=translate(text)))
    return po


def test_build_rewraps_a_translated_paragraph_at_the_source_width(tmp_path):
    doc, found = units(tmp_path, LICENCE)
    # A translation a third longer than its source, as Portuguese often is.
    built = build(doc, found, _translated(found, lambda t: t.replace(" ", " mais ", 3))).text
    start = built.index('  "The mais Work"')
    paragraph = built[start:built.index("\n\n", start)].split("\n")
    assert max(len(line) for line in paragraph) <= doc.wrap_width
    assert len(paragraph) > 5  # longer than the source's five lines: re-wrapped, not cut
    assert not paragraph[1].startswith(" ")  # the source's indentation: the first line's only
    item = built[built.index("    a) The mais copy"):].split("\n")
    assert item[1].startswith("    ") and not item[1].startswith("     ")  # the item's continued lines stay under it
    # Read again, the built article has the translated units.
    again = tmp_path / "built.txt"
    again.write_text(built, encoding="utf-8")
    assert [u.text for u in segment(read(again))] == [t.replace(" ", " mais ", 3) for t in (u.text for u in found)]


def test_build_keeps_crlf_and_an_untranslated_build_is_the_source(tmp_path):
    source = LICENCE.replace("\n", "\r\n")
    doc, found = units(tmp_path, source)
    assert build(doc, found, polib.POFile()).text == source
    built = build(doc, found, _translated(found, lambda t: t.upper())).text
    assert "\r\n" in built and "\n" not in built.replace("\r\n", "")


def test_a_wrapped_line_never_starts_with_a_list_marker_after_a_build(tmp_path):
    doc, found = units(tmp_path, LICENCE)
    # A dash between words must not land at the start of a line, where it reads as a bullet.
    built = build(doc, found, _translated(found, lambda t: textwrap.shorten(t, 400).replace(" ", " - ", 8))).text
    assert not any(line.lstrip().startswith("- ") for line in built.split("\n"))
