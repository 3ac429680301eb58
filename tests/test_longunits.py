"""Units too long for the model are cut into pieces at clause boundaries (longunits.py)."""

from transflow import longunits
from transflow.longunits import MAX_UNIT_CHARS, join, pieces

CLAUSE = "the officials said that the families who crossed the river at night had waited for days"


def test_a_unit_within_the_bound_is_one_piece():
    text = "Refugees crossed the border at night. " * 10
    assert len(text) < MAX_UNIT_CHARS
    assert pieces(text) == (text,)


def test_markdown_links_count_as_what_the_model_sees():
    url = "https://example.org/" + "a" * 700
    text = f"The [report]({url}) says the border is closed."
    assert len(text) > MAX_UNIT_CHARS
    assert pieces(text) == (text,)


def test_pieces_end_at_clause_boundaries_best_first():
    text = "; ".join([CLAUSE] * 12) + "."
    cut = pieces(text)
    assert len(cut) > 1 and all(len(p) <= MAX_UNIT_CHARS for p in cut)
    assert all(p.endswith(";") for p in cut[:-1])  # after the semicolons, though commas and spaces were nearer
    assert " ".join(cut) == text


def test_commas_then_conjunctions_then_spaces():
    commas = ", ".join([CLAUSE] * 12)
    assert all(p.endswith(",") for p in pieces(commas)[:-1])
    words = " ".join(["the guards watched the border while the families waited"] * 20)
    cut = pieces(words)
    assert all(p.split()[0] in {"while", "and", "but", "which", "who", "that", "when", "after", "before"} for p in cut[1:])
    plain = " ".join(["refugee"] * 400)
    assert " ".join(pieces(plain)) == plain and all(len(p) <= MAX_UNIT_CHARS for p in pieces(plain))


def test_no_cut_inside_a_link_or_a_placeholder_pair_when_another_place_will_do():
    link = "[a long report by the commission on the situation at the border, " + "with many words " * 8 + "in it](https://example.org/r)"
    text = "Read this, " + " ".join(["the guards watched"] * 22) + " " + link + " and then " + " ".join(["more words"] * 40)
    for p in pieces(text):
        assert p.count("[") == p.count("]")
    html = "Words " * 60 + "[1]" + "inside the emphasis, " * 10 + "[/1] " + "after " * 60
    for p in pieces(html):
        assert ("[1]" in p) == ("[/1]" in p)


def test_a_stretch_without_spaces_cannot_be_cut():
    blob = "A picture: " + "QUJD" * 1000 + " end."
    assert pieces(blob) is None
    assert "not machine-translated" in longunits.REFUSAL


def test_a_long_word_under_the_stretch_bound_stays_whole_when_it_is_a_link():
    text = " ".join(["words"] * 100) + " https://example.org/" + "x" * 900 + " " + " ".join(["words"] * 100)
    cut = pieces(text)
    assert cut is not None and any("https://example.org/" in p for p in cut)


def test_join_puts_back_the_case_and_punctuation_of_the_source_pieces():
    sources = ("The families waited,", "and the guards watched;", "nobody spoke")
    drafts = ["As famílias esperaram.", "E os guardas assistiram.", "Ninguém falou."]
    assert join(sources, drafts) == "As famílias esperaram, e os guardas assistiram; ninguém falou"
    assert join(("It ended.", "UN staff left."), ["Acabou.", "ONU saiu."]) == "Acabou. ONU saiu."


def test_a_2_6_mb_line_is_cut_in_linear_time():
    line = " ".join(["refugees crossed the river at night and guards watched"] * 47_000)
    cut = pieces(line)
    assert len(cut) > 4000 and max(map(len, cut)) <= MAX_UNIT_CHARS
