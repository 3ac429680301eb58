"""transflow.merge against the real thing: every scenario also runs GNU msgmerge.

Each comparison writes the old PO and the template with polib's ``save()``, runs
``msgmerge --previous --no-wrap`` on them, reads its output back with polib and
asserts that :func:`transflow.merge.merge` produced the same entries (msgid,
msgctxt, msgstr, flags, previous msgid, translator and extracted comments,
references, obsolete or not, in the same order) and the same header.
"""

import subprocess
import time
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from system_tools import requires

from transflow.errors import InputError
from transflow.merge import FUZZY_THRESHOLD, MergeResult, fstrcmp, merge, merge_files, read_po

needs_msgmerge = requires("msgmerge")


# --------------------------------------------------------------------------
# Building catalogs and running msgmerge


def header(created="2026-01-01 10:00+0000", **extra):
    meta = {
        "Project-Id-Version": "article",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": "2026-01-02 11:00+0000",
        "Last-Translator": "Ana Reviewer <ana@example.org>",
        "Language-Team": "Portuguese",
        "Language": "pt",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": "transflow 0.1.0",
    }
    meta.update(extra)
    return meta


def catalog(entries, metadata=None):
    po = polib.POFile(wrapwidth=79, encoding="utf-8")
    po.metadata = header() if metadata is None else metadata
    for entry in entries:
        po.append(entry)
    return po


def template(sentences, created="2026-03-03 12:00+0000", path="article.md"):
    pot = polib.POFile(wrapwidth=79, encoding="utf-8")
    pot.metadata = {
        "Project-Id-Version": "article",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": created,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for line, text in enumerate(sentences, 1):
        pot.append(polib.POEntry(msgid=text, msgstr="", comment="paragraph", occurrences=[(path, str(line))]))
    return pot


def reviewed(msgid, msgstr, **kw):
    return polib.POEntry(msgid=msgid, msgstr=msgstr, comment="paragraph", occurrences=[("article.md", "1")], **kw)


def draft(msgid, msgstr, **kw):
    """An MT draft: fuzzy, with the engine noted in an extracted comment, no previous msgid."""
    return polib.POEntry(
        msgid=msgid, msgstr=msgstr, flags=["fuzzy"], comment="paragraph\nmt: bergamot en-pt",
        occurrences=[("article.md", "1")], **kw,
    )


def run_msgmerge(tmp_path: Path, old: polib.POFile, pot: polib.POFile) -> polib.POFile:
    old_path, pot_path, out_path = tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "merged.po"
    old.save(str(old_path))
    pot.save(str(pot_path))
    done = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", "-o", str(out_path), str(old_path), str(pot_path)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    return read_po(out_path)


def roundtrip(po: polib.POFile, path: Path) -> polib.POFile:
    po.save(str(path))
    return read_po(path)


def shape(entry: polib.POEntry) -> tuple:
    """Everything msgmerge decides about an entry, as read back from the file."""
    return (
        bool(entry.obsolete),
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
        frozenset(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.tcomment,
        "" if entry.obsolete else entry.comment,
        () if entry.obsolete else tuple(entry.occurrences),
    )


def classify(po: polib.POFile, old: polib.POFile) -> dict:
    """kept / fuzzy / untranslated / obsolete, told apart by the (unique) old msgstrs."""
    def first(e):
        return e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr

    source_of = {first(e): (e.msgctxt, e.msgid) for e in old if first(e)}
    out = {"kept": set(), "fuzzy": {}, "untranslated": set(), "obsolete": set(), "fuzzy_flag": set()}
    for e in po:
        if e.obsolete:
            out["obsolete"].add(e.msgid)
        elif not first(e):
            out["untranslated"].add(e.msgid)
        elif source_of.get(first(e)) == (e.msgctxt, e.msgid):
            out["kept"].add(e.msgid)
        else:
            out["fuzzy"][e.msgid] = (source_of.get(first(e)), e.previous_msgid)
        if e.fuzzy and not e.obsolete:
            out["fuzzy_flag"].add(e.msgid)
    return out


def compare(tmp_path: Path, old: polib.POFile, pot: polib.POFile) -> tuple[MergeResult, polib.POFile]:
    """Merge both ways; assert the same entries, order and header.  Returns (ours, msgmerge's)."""
    theirs = run_msgmerge(tmp_path, old, pot)
    result = merge(old, pot)
    ours = roundtrip(result.po, tmp_path / "ours.po")
    assert [shape(e) for e in ours] == [shape(e) for e in theirs]
    assert ours.metadata == theirs.metadata
    assert classify(ours, old) == classify(theirs, old)
    # The result's own bookkeeping agrees with what is in the file.
    seen = classify(ours, old)
    assert set(result.obsoleted) | set(result.still_obsolete) == seen["obsolete"]
    assert set(result.fuzzy_matched) == set(seen["fuzzy"])
    assert set(result.untranslated) == seen["untranslated"]
    assert set(result.kept) | set(result.fuzzy_matched) | set(result.new) == {
        e.msgid for e in ours if not e.obsolete
    }
    return result, theirs


# --------------------------------------------------------------------------
# fstrcmp itself


def test_fstrcmp_is_twice_the_lcs_over_the_total_length_in_bytes():
    assert fstrcmp("", "") == 1.0
    assert fstrcmp("abc", "") == 0.0
    assert fstrcmp("same", "same") == 1.0
    # LCS("abcdefghij", "abcdefKLMN") = 6  ->  12 / 20
    assert fstrcmp("abcdefghij", "abcdefKLMN") == 0.6
    # Bytes, not characters: "é" is two bytes in UTF-8 and shares none with "e".
    assert fstrcmp("café", "cafe") == 2 * 3 / 9
    # Order matters, as in a diff: a transposition costs two edits per moved byte.
    assert fstrcmp("ab", "ba") == 0.5
    assert fstrcmp("abcdefghij", "abcdefKLMN", lower_bound=0.9) == 0.0


# --------------------------------------------------------------------------
# The article scenario


OLD_ARTICLE = [
    # 1. reviewed, hand-edited, then slightly edited in the article
    reviewed("North Korean refugees often travel through China first.",
             "Os refugiados norte-coreanos muitas vezes passam primeiro pela China."),
    # 2. reviewed, hand-edited, unchanged
    reviewed("Many of them are women.", "Muitas delas são mulheres."),
    draft("The journey can take months.", "A viagem pode levar meses."),
    draft("Brokers charge high fees for each stage.", "Os corretores cobram taxas altas por cada etapa."),
    draft("Some refugees reach South Korea through Thailand.",
          "Alguns refugiados chegam à Coreia do Sul através da Tailândia.",
          tcomment="check with editor"),
    draft("Others remain in hiding for years.", "Outros permanecem escondidos durante anos."),
    draft("Arrests by the Chinese police are common.", "As prisões pela polícia chinesa são comuns."),
    draft("Those who are returned face prison camps.", "Os que são devolvidos enfrentam campos de prisioneiros."),
    draft("Aid organizations provide shelter and food.", "As organizações de ajuda fornecem abrigo e comida."),
    draft("This sentence will be deleted from the article.", "Esta frase será apagada do artigo."),
    draft("Resettlement brings its own difficulties.", "O reassentamento traz as suas próprias dificuldades."),
    draft("Language and job training help newcomers adapt.",
          "A língua e a formação profissional ajudam os recém-chegados a adaptar-se."),
]

NEW_ARTICLE = [
    "North Korean refugees usually travel through China first.",  # edited slightly
    "Many of them are women.",
    "The journey can take months.",
    "Brokers charge high fees for each stage.",
    "Some refugees reach South Korea through Thailand.",
    "Others remain in hiding for years.",
    "Arrests by the Chinese police are common.",
    "Those who are returned face prison camps.",
    "A few cross the border by bribing guards.",  # added
    "Aid organizations provide shelter and food.",
    "Resettlement brings its own difficulties.",
    "Language and job training help newcomers adapt.",
]


@needs_msgmerge
def test_article_update_matches_msgmerge(tmp_path):
    old = catalog(OLD_ARTICLE)
    pot = template(NEW_ARTICLE)
    result, theirs = compare(tmp_path, old, pot)

    edited = "North Korean refugees usually travel through China first."
    assert result.fuzzy_matched == [edited]
    assert result.sources == {edited: OLD_ARTICLE[0].msgid}
    assert result.new == ["A few cross the border by bribing guards."]
    assert result.obsoleted == ["This sentence will be deleted from the article."]
    assert len(result.kept) == 10

    merged = {e.msgid: e for e in result.po}
    # A reviewed source becomes fuzzy, keeps its hand edit and shows the old msgid.
    assert merged[edited].fuzzy
    assert merged[edited].previous_msgid == OLD_ARTICLE[0].msgid
    assert merged[edited].msgstr == OLD_ARTICLE[0].msgstr
    # The reviewed, unchanged one stays reviewed and byte-for-byte the same.
    assert not merged["Many of them are women."].fuzzy
    assert merged["Many of them are women."].msgstr == "Muitas delas são mulheres."
    # MT drafts stay drafts; the translator's note survives.
    assert merged["The journey can take months."].fuzzy
    assert merged["Some refugees reach South Korea through Thailand."].tcomment == "check with editor"
    # The new sentence waits for an MT draft.
    assert merged["A few cross the border by bribing guards."].msgstr == ""
    # The deleted sentence is kept as #~ with its translation and without references.
    gone = merged["This sentence will be deleted from the article."]
    assert gone.obsolete and gone.msgstr == "Esta frase será apagada do artigo." and not gone.occurrences
    # Order and references come from the template.
    assert [e.msgid for e in result.po if not e.obsolete] == NEW_ARTICLE
    assert merged["A few cross the border by bribing guards."].occurrences == [("article.md", "9")]
    # Header: the old one, with the template's POT-Creation-Date.
    assert result.po.metadata["POT-Creation-Date"] == "2026-03-03 12:00+0000"
    assert result.po.metadata["Last-Translator"] == "Ana Reviewer <ana@example.org>"
    assert result.po.metadata["PO-Revision-Date"] == "2026-01-02 11:00+0000"
    assert theirs.metadata == result.po.metadata


@needs_msgmerge
def test_edited_mt_draft_is_fuzzy_matched_without_previous_msgid(tmp_path):
    """msgmerge copies the *old entry's* #| when that entry was fuzzy, and an MT draft has none."""
    old = catalog(OLD_ARTICLE)
    sentences = list(NEW_ARTICLE)
    sentences[2] = "The journey can take many months."
    result, theirs = compare(tmp_path, old, template(sentences))
    merged = {e.msgid: e for e in result.po}
    assert "The journey can take many months." in result.fuzzy_matched
    assert merged["The journey can take many months."].previous_msgid is None
    assert merged["The journey can take many months."].msgstr == "A viagem pode levar meses."


@needs_msgmerge
def test_fuzzy_with_previous_keeps_the_original_previous_msgid(tmp_path):
    old = catalog([
        reviewed("Unrelated sentence number one.", "Frase um."),
        draft("The cat sat on the warm mat.", "O gato sentou no tapete quente.",
              previous_msgid="The cat sat on the mat."),
    ])
    pot = template(["The cat sat on the warm mat.", "The cat sat on the warm red mat.", "Unrelated sentence number one."])
    result, _ = compare(tmp_path, old, pot)
    merged = {e.msgid: e for e in result.po}
    # Exact match of a fuzzy entry: stays fuzzy, keeps its #|.
    assert merged["The cat sat on the warm mat."].previous_msgid == "The cat sat on the mat."
    assert result.kept == ["The cat sat on the warm mat.", "Unrelated sentence number one."]
    # Fuzzy match from a fuzzy entry: inherits that entry's #|, not its msgid.
    assert merged["The cat sat on the warm red mat."].previous_msgid == "The cat sat on the mat."
    # Exact match of a reviewed entry: no #| at all.
    assert merged["Unrelated sentence number one."].previous_msgid is None


# --------------------------------------------------------------------------
# Threshold, obsolete entries, near-duplicates


@needs_msgmerge
def test_too_different_edit_becomes_new_and_old_obsolete(tmp_path):
    old = catalog([reviewed("The border is closely guarded at night.", "A fronteira é muito vigiada à noite.")])
    pot = template(["Soldiers patrol the river bank after dark."])
    assert fstrcmp(old[0].msgid, pot[0].msgid) < FUZZY_THRESHOLD
    result, _ = compare(tmp_path, old, pot)
    assert result.new == ["Soldiers patrol the river bank after dark."]
    assert result.obsoleted == ["The border is closely guarded at night."]
    assert result.fuzzy_matched == []


@needs_msgmerge
def test_exactly_at_the_threshold_matches_just_below_does_not(tmp_path):
    # 2 * LCS / total: 2 * 6 / 20 == 0.6 exactly, plus the 0.00001 context bonus.
    old = catalog([reviewed("abcdefghij", "um"), reviewed("zyxwvutsrqponm", "dois")])
    pot = template(["abcdefKLMN", "zyxwvuABCDEFGHIJ"])
    assert fstrcmp("abcdefghij", "abcdefKLMN") == 0.6
    assert fstrcmp("zyxwvutsrqponm", "zyxwvuABCDEFGHIJ") < 0.6
    result, _ = compare(tmp_path, old, pot)
    assert result.fuzzy_matched == ["abcdefKLMN"]
    assert result.new == ["zyxwvuABCDEFGHIJ"]


@needs_msgmerge
def test_obsolete_entry_that_comes_back_is_resurrected(tmp_path):
    old = catalog([
        reviewed("Kept sentence stays here.", "Frase mantida."),
        polib.POEntry(msgid="A sentence that was removed last time.", msgstr="Uma frase removida da última vez.",
                      tcomment="checked by Ana", obsolete=True),
        polib.POEntry(msgid="An old fuzzy sentence that was removed.", msgstr="Uma frase fuzzy antiga.",
                      flags=["fuzzy"], obsolete=True),
        polib.POEntry(msgid="Obsolete and never coming back.", msgstr="Obsoleta para sempre.", obsolete=True),
    ])
    pot = template([
        "Kept sentence stays here.",
        "A sentence that was removed last time.",
        "An old fuzzy sentence that was removed!",
    ])
    result, _ = compare(tmp_path, old, pot)
    merged = {e.msgid: e for e in result.po}
    back = merged["A sentence that was removed last time."]
    assert not back.obsolete and not back.fuzzy and back.tcomment == "checked by Ana"
    assert back.occurrences == [("article.md", "2")]
    assert "A sentence that was removed last time." in result.kept
    # Obsolete entries are fuzzy-match candidates too.
    assert result.sources == {"An old fuzzy sentence that was removed!": "An old fuzzy sentence that was removed."}
    assert set(result.resurrected) == {"A sentence that was removed last time.", "An old fuzzy sentence that was removed!"}
    assert result.still_obsolete == ["Obsolete and never coming back."]


@needs_msgmerge
def test_untranslated_old_entries_are_dropped_not_obsoleted(tmp_path):
    old = catalog([
        reviewed("Stays.", "Fica."),
        reviewed("Never translated and now deleted.", ""),
        polib.POEntry(msgid="Obsolete and untranslated.", msgstr="", obsolete=True),
    ])
    result, _ = compare(tmp_path, old, template(["Stays."]))
    assert result.obsoleted == []
    assert result.dropped == ["Never translated and now deleted.", "Obsolete and untranslated."]


@needs_msgmerge
def test_near_duplicate_sentences(tmp_path):
    # Two old sentences close to each other and to the new one: the most similar
    # wins, and one old entry may serve several new sentences.
    old = catalog([
        reviewed("The refugees crossed the river at night.", "Os refugiados atravessaram o rio à noite."),
        reviewed("The refugees crossed the river by night.", "Os refugiados atravessaram o rio de noite."),
        draft("Refugees crossed the river at dawn.", "Os refugiados atravessaram o rio de madrugada."),
    ])
    pot = template([
        "The refugees crossed the rivers at night.",
        "The refugees crossed the river at nights.",
        "The refugees crossed a river by night.",
        "Refugees crossed the river at dusk.",
    ])
    result, theirs = compare(tmp_path, old, pot)
    assert result.new == []
    assert result.sources["The refugees crossed the rivers at night."] == "The refugees crossed the river at night."
    assert result.sources["The refugees crossed a river by night."] == "The refugees crossed the river by night."
    assert result.sources["Refugees crossed the river at dusk."] == "Refugees crossed the river at dawn."
    # Old entries used only as fuzzy sources do not become obsolete.
    assert result.obsoleted == []


@needs_msgmerge
def test_tie_between_equally_similar_candidates(tmp_path):
    # "xxxx ab" vs "xxxx ac" and "xxxx ad": equal similarity; msgmerge's 4-gram
    # order (more shared 4-grams, then earlier in the file) decides.
    old = catalog([
        reviewed("one two three four five", "A"),
        reviewed("one two three four fivx", "B"),
        reviewed("one two three four fivy", "C"),
        reviewed("zne two three four five", "D"),
    ])
    pot = template(["one two three four fivz", "one two three four fiv"])
    compare(tmp_path, old, pot)


@needs_msgmerge
def test_context_gets_a_bonus_but_is_not_required(tmp_path):
    old = catalog([
        polib.POEntry(msgctxt="menu", msgid="Open the file", msgstr="Abrir o ficheiro (menu)"),
        polib.POEntry(msgctxt="button", msgid="Open the file", msgstr="Abrir o ficheiro (botão)"),
        polib.POEntry(msgctxt="title", msgid="Save a copy", msgstr="Guardar uma cópia"),
    ])
    pot = template([])
    pot.append(polib.POEntry(msgctxt="button", msgid="Open the files", msgstr=""))
    pot.append(polib.POEntry(msgctxt="other", msgid="Open the files!", msgstr=""))
    pot.append(polib.POEntry(msgctxt="dialog", msgid="Save a copy", msgstr=""))
    result, theirs = compare(tmp_path, old, pot)
    merged = {e.msgid: e for e in result.po}
    assert merged["Open the files"].msgstr == "Abrir o ficheiro (botão)"
    assert merged["Save a copy"].previous_msgctxt == "title"


@needs_msgmerge
def test_short_msgids_and_non_ascii(tmp_path):
    old = catalog([
        reviewed("Yes", "Sim"), reviewed("No!", "Não!"), reviewed("Café", "Café"),
        reviewed("Ação rápida é necessária.", "Quick action is needed."),
        reviewed("日本語の文です。", "Uma frase japonesa."),
    ])
    pot = template(["Yes!", "No", "Cafe", "Ação rápida não é necessária.", "日本語の文でした。", "Ok"])
    compare(tmp_path, old, pot)


@needs_msgmerge
def test_header_without_language_and_without_old_header(tmp_path):
    meta = header()
    del meta["Language"]
    result, theirs = compare(tmp_path, catalog([reviewed("Hello there.", "Olá.")], metadata=meta), template(["Hello there."]))
    assert result.po.metadata["Language"] == ""
    result, theirs = compare(tmp_path, catalog([reviewed("Hello there.", "Hi.")], metadata={}), template(["Hello there."]))
    assert result.po.metadata == {"Report-Msgid-Bugs-To": "", "POT-Creation-Date": "2026-03-03 12:00+0000"}


@needs_msgmerge
def test_plural_forms_appearing_and_disappearing(tmp_path):
    old = catalog([
        polib.POEntry(msgid="One file was saved.", msgstr="Um ficheiro foi guardado."),
        polib.POEntry(msgid="%d item", msgid_plural="%d items", msgstr_plural={0: "%d item", 1: "%d itens"}),
        polib.POEntry(msgid="A day", msgid_plural="Days", msgstr_plural={0: "Um dia", 1: "Dias"}),
    ])
    pot = template([])
    pot.append(polib.POEntry(msgid="One file was saved.", msgid_plural="%d files were saved.", msgstr_plural={0: "", 1: ""}))
    pot.append(polib.POEntry(msgid="%d item", msgstr=""))
    pot.append(polib.POEntry(msgid="A day", msgid_plural="Some days", msgstr_plural={0: "", 1: ""}))
    pot.append(polib.POEntry(msgid="Brand new", msgid_plural="Brand news", msgstr_plural={0: "", 1: ""}))
    result, _ = compare(tmp_path, old, pot)
    assert all(e.fuzzy for e in result.po if e.msgid != "Brand new")


def test_inputs_are_not_modified_and_duplicates_are_refused():
    old = catalog(OLD_ARTICLE)
    before = old.__unicode__()
    pot = template(NEW_ARTICLE)
    merge(old, pot)
    assert old.__unicode__() == before
    with pytest.raises(InputError, match="twice"):
        merge(old, template(["Same.", "Same."]))


@needs_msgmerge
def test_merge_files_restores_previous_msgids_of_obsolete_entries(tmp_path):
    """polib skips ``#~|`` lines; msgmerge brings them back with the entry."""
    (tmp_path / "old.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\n#~| msgid "The guards were "\n#~| "bribed."\n'
        '#~ msgid "The guards had been bribed."\n#~ msgstr "Os guardas tinham sido subornados."\n\n'
        '#, fuzzy\n#~| msgid "Stays obsolete before."\n'
        '#~ msgid "Stays obsolete."\n#~ msgstr "Fica obsoleta."\n',
        encoding="utf-8",
    )
    template(["The guards had been bribed."]).save(str(tmp_path / "new.pot"))
    result = merge_files(tmp_path / "old.po", tmp_path / "new.pot")
    out = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "-q", "--previous", "-o", str(out), str(tmp_path / "old.po"), str(tmp_path / "new.pot")], check=True)
    theirs = read_po(out)
    assert theirs[0].previous_msgid == "The guards were bribed."
    assert [shape(e) for e in roundtrip(result.po, tmp_path / "ours.po")] == [shape(e) for e in theirs]
    assert result.po[1].obsolete and result.po[1].previous_msgid == "Stays obsolete before."


@needs_msgmerge
def test_merge_files(tmp_path):
    old, pot = catalog(OLD_ARTICLE), template(NEW_ARTICLE)
    old.save(str(tmp_path / "a.po"))
    pot.save(str(tmp_path / "a.pot"))
    result = merge_files(tmp_path / "a.po", tmp_path / "a.pot")
    assert result.kept == merge(old, pot).kept
    with pytest.raises(InputError, match="does not exist"):
        merge_files(tmp_path / "missing.po", tmp_path / "a.pot")


# --------------------------------------------------------------------------
# Random catalogs and random edits


WORDS = (
    "the a of to and in refugees border China Korea night river guards brokers camp "
    "food shelter police months years journey women children family escape hidden "
    "cross crossed travel reach help aid new old long short fast slow many few"
).split()

sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(lambda ws: " ".join(ws).capitalize() + ".")


@st.composite
def edited(draw, text):
    """A word deleted, inserted or replaced, a few times over; sometimes left alone."""
    words = text[:-1].split()
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["delete", "insert", "replace"]))
        if op == "delete" and len(words) > 1:
            del words[draw(st.integers(0, len(words) - 1))]
        elif op == "insert":
            words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(WORDS)))
        else:
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
    return " ".join(words) + "."


@st.composite
def scenarios(draw):
    texts = draw(st.lists(sentence, min_size=1, max_size=8, unique=True))
    old_entries = []
    for i, text in enumerate(texts):
        state = draw(st.sampled_from(["reviewed", "draft", "draft-prev", "untranslated", "obsolete"]))
        msgstr = "" if state == "untranslated" else f"T{i}: {text[::-1]}"
        entry = polib.POEntry(msgid=text, msgstr=msgstr, occurrences=[("a.md", str(i + 1))], comment="paragraph")
        if state.startswith("draft"):
            entry.flags = ["fuzzy"]
        if state == "draft-prev":
            entry.previous_msgid = draw(sentence)
        if draw(st.booleans()):
            entry.tcomment = "check with editor"
        if state == "obsolete":
            entry.obsolete = True
            entry.occurrences = []
            entry.comment = ""
        old_entries.append(entry)
    new_texts = []
    for text in texts:
        fate = draw(st.sampled_from(["keep", "keep", "edit", "edit", "delete"]))
        if fate == "keep":
            new_texts.append(text)
        elif fate == "edit":
            new_texts.append(draw(edited(text)))
    new_texts += draw(st.lists(sentence, max_size=3))
    new_texts = list(dict.fromkeys(new_texts))
    if draw(st.booleans()):
        new_texts = draw(st.permutations(new_texts))
    return old_entries, new_texts


@needs_msgmerge
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenarios())
def test_random_catalogs_match_msgmerge(tmp_path, scenario):
    old_entries, new_texts = scenario
    old = catalog(old_entries)
    note(f"old PO:\n{old.__unicode__()}\nnew sentences: {new_texts!r}")
    compare(tmp_path, old, template(new_texts))


# --------------------------------------------------------------------------
# Speed


def test_two_thousand_entries_merge_fast():
    import random

    rng = random.Random(7)
    vocab = WORDS + [f"w{i}" for i in range(300)]
    texts = list(dict.fromkeys(" ".join(rng.choice(vocab) for _ in range(rng.randint(6, 25))) + "." for _ in range(2100)))[:2000]
    old = catalog([draft(t, f"T{i} {t[::-1]}") for i, t in enumerate(texts)])
    new_texts = list(texts)
    for i in rng.sample(range(2000), 60):  # 3% edited
        words = new_texts[i].split()
        words.insert(rng.randrange(len(words)), rng.choice(vocab))
        new_texts[i] = " ".join(words)
    for i in rng.sample(range(2000), 20):  # 1% deleted
        new_texts[i] = None
    new_texts = [t for t in new_texts if t] + [
        " ".join(rng.choice(vocab) for _ in range(12)) + "." for _ in range(20)  # 1% new
    ]
    pot = template(new_texts)
    start = time.perf_counter()
    result = merge(old, pot)
    elapsed = time.perf_counter() - start
    assert len(result.fuzzy_matched) >= 55
    assert elapsed < 1.0, f"2,000-entry merge took {elapsed:.2f}s"
