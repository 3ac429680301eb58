"""The risk assessment of MT drafts (src/transflow/risk/): the signals, and the same
assessment in the PO file, the translation memory, the XLIFF export, `status`,
`check --risk` and the review page (in a real headless Chromium).

The known-bad drafts are real outputs of the embedded en->pt model on sentences of our
own (benchmarks/risk-set/articles): "stateless people" came out as "as pessoas
apáless", a word Portuguese does not have.
"""

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GLOSSARY

from transflow import catalog, pipeline, pofile, review, risk, status, xliff, xliffread
from transflow import glossary as g
from transflow.cli import main
from transflow.risk import Assessment, Item, assess, signals
from transflow.risk.backtranslation import differing
from transflow.risk.chrf import chrf
from transflow.tm import TranslationMemory

# Observed: the embedded model writes "as pessoas apáless" for "stateless people".
APALESS = "Without papers, stateless people often cannot go to school, open a bank account, marry or get a job legally."
BENIGN = "The government said it would not comment on individual cases."


def _po(locales, stem="news", lang="pt"):
    return pofile.load(Path(locales) / lang / "LC_MESSAGES" / f"{stem}.po")


def _entry(po, prefix):
    return next(e for e in po if e.msgid.startswith(prefix))


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """Two sentences of our own through the real pipeline, with a translation memory."""
    root = tmp_path_factory.mktemp("risk")
    article = root / "news.txt"
    article.write_text(f"{APALESS}\n\n{BENIGN}\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1764316800")
        pipeline.translate([article], ["pt"], locales=root / "locales", tm=root / "tm.sqlite")
    return root


# --- signals ------------------------------------------------------------------------------


def test_known_bad_draft_is_high_with_its_reason_in_the_po_file(translated):
    entry = _entry(_po(translated / "locales"), "Without papers")
    assert "apáless" in entry.msgstr  # the model's real output, as observed
    assessed = risk.of_entry(entry)
    assert assessed.level == risk.HIGH
    assert 'unknown word "apáless"' in assessed.reasons
    lines = catalog.comment_lines(entry)
    assert lines[-1].startswith('risk: high: unknown word "apáless"') and lines[-2].startswith(catalog.MT_PREFIX)


def test_a_faithful_draft_is_low(translated):
    assert risk.of_entry(_entry(_po(translated / "locales"), "The government")) == Assessment(risk.LOW)


@pytest.mark.parametrize("source, draft, reason", [
    ("Julian Ryall", "Julian Ryall (em inglês)", '"(em inglês)" added; the source has no such words'),
    ('"Nobody gets on these boats," a caseworker said.', '"Ninguém entra nesses barcos", disse um caseworker.',
     '"caseworker" left untranslated'),
    ("As many as 600 people were sent back.", "Até 60 pessoas foram enviadas de volta.", "numbers differ: missing 600, unexpected 60"),
    ("Critics say officials have leaned on outdated reports.", "Os críticos dizem que se apoiaram em relatórios desatualados.",
     'unknown word "desatualados"'),
    # The model's drafts of our headline and sentence: English words that Portuguese
    # uses a tenth as often or less, just inside the loanword line.
    ("Late header sends underdogs into cup final", "Cabeçalho tardio envia underdogs para a final da xícara",
     '"underdogs" left untranslated'),
    ("Bookmakers had given Harbour Town a one-in-fifteen chance of reaching the final before the draw.",
     "Bookmakers tinha dado a Harbour Town uma chance one-in-fif de chegar à final antes do empate.",
     '"Bookmakers" left untranslated'),
])
def test_cheap_signals_make_a_draft_high(source, draft, reason):
    [assessed] = assess([Item(source, draft)], "pt", "en")
    assert assessed.level == risk.HIGH and reason in assessed.reasons


def test_enforcement_reports_make_a_draft_high():
    [assessed] = assess([Item("A refugee spoke.", "Uma pessoa refugiada falou.", failed=("refugee",),
                              unverified=("agreement not verified: 'pessoa refugiada' ... 'falou'",))], "pt", "en")
    assert assessed.level == risk.HIGH
    assert assessed.reasons == ('glossary term "refugee" not placed', "agreement not verified: 'pessoa refugiada' ... 'falou'")


def test_a_link_put_back_by_guess_makes_a_draft_high():
    """The model dropped the link's word in both translations ("[1]Summary[/1] Studies
    show" -> "Estudos mostram"): the markers are whole, so `check` is content, but the
    built page links the whole sentence. The PO's repair note says so, and so does the risk."""
    source = "[1]Summary[/1] Studies show that walking after dinner may lower blood sugar."
    draft = "[1]Estudos mostram que andar após o jantar pode baixar o açúcar no sangue.[/1]"
    guessed = ("markers repaired: [1]...[/1] lost; [1]...[/1] put back around the whole text",)
    [assessed] = assess([Item(source, draft, markup=guessed)], "pt", "en")
    assert assessed.level == risk.HIGH
    assert assessed.reasons == ("markers placed by guess: [1]...[/1] put back around the whole text",)
    # placed where the translation made without markers has the link's words: no guess
    placed = ("markers repaired: [1]...[/1] lost; [1]...[/1] put back around 'Resumo'",)
    [assessed] = assess([Item(source, "[1]Resumo[/1] Estudos mostram que andar após o jantar pode baixar o açúcar no sangue.",
                              markup=placed)], "pt", "en")
    assert assessed == Assessment(risk.LOW)


def test_a_loanword_in_use_is_not_left_untranslated():
    # The model's draft of our headline keeps "chatbots", as Portuguese news writes it.
    [assessed] = assess([Item("Lawmakers agree rules for chatbots in schools",
                              "Os legisladores concordam com regras para chatbots nas escolas")], "pt", "en")
    assert assessed == Assessment(risk.LOW)


def test_an_age_group_is_its_number():
    # The model's draft: "under-13s" became "menores de 13 anos", the same figure.
    [assessed] = assess([Item("Tech companies lobbied hard against an earlier draft that would have banned the tools outright for under-13s.",
                              "As empresas de tecnologia pressionaram duramente contra um rascunho anterior que teria banido as "
                              "ferramentas de forma direta para menores de 13 anos.")], "pt", "en")
    assert assessed == Assessment(risk.LOW)


def test_rare_inflections_of_real_words_are_not_unknown():
    # wordfreq lacks these forms; their stems are known words.
    [assessed] = assess([Item("They may deteriorate.", "Caso se deteriorem ainda mais.")], "pt", "en")
    assert assessed == Assessment(risk.LOW)


def test_back_translation_far_from_the_source_names_the_words():
    from transflow import engines

    reverse = engines.load_engine(engines.find_model("pt", "en"))
    # Observed en->pt draft of a sentence of ours: "lawmakers seized on the ruling" became
    # "took the decision", which comes back as another sentence.
    source = "Opposition lawmakers seized on the ruling to renew their call for an overhaul of the asylum system."
    draft = "Os legisladores da oposição tomaram a decisão para renovar o seu pedido de revisão do sistema de asilo."
    [assessed] = assess([Item(source, draft)], "pt", "en", reverse)
    assert assessed.level == risk.HIGH
    assert re.match(r'back-translation ".+" differs from the source \(source: ".+"\)', assessed.reasons[0])


# Observed: the model renders "defector" with the glossary's "desertor" on its own, and
# the reverse model takes "desertor" back as "Deserter".
DEFECTOR = ("Russian defector speaks out", "O desertor russo fala")


def test_a_glossary_rendering_that_comes_back_as_another_word_is_no_difference():
    from transflow import engines

    reverse = engines.load_engine(engines.find_model("pt", "en"))
    [plain] = assess([Item(*DEFECTOR)], "pt", "en", reverse)
    assert plain.reasons == ('back-translation "Deserter" differs from the source (source: "defector")',)
    [held] = assess([Item(*DEFECTOR, terms=("defector",))], "pt", "en", reverse)
    assert held == Assessment(risk.LOW)


def test_the_glossary_lines_of_the_entry_say_which_terms_the_draft_holds(tmp_path):
    article = tmp_path / "news.txt"
    article.write_text(DEFECTOR[0] + "\n", encoding="utf-8")
    pipeline.translate([article], ["pt"], glossary=g.load(GLOSSARY), locales=tmp_path / "locales", tm=None)
    entry = _entry(_po(tmp_path / "locales"), "Russian")
    assert entry.msgstr == DEFECTOR[1] and "glossary: defector -> desertor" in catalog.comment_lines(entry)
    assert risk.of_entry(entry) == Assessment(risk.LOW)


def test_neutralised_puts_back_only_what_stands_for_the_term():
    from transflow.risk.backtranslation import neutralised

    assert neutralised("A defector's lawyer spoke.", "A deserter's lawyer spoke.", ["defector"], "en") == "A defector's lawyer spoke ."
    # Words the back-translation changed around the term still differ.
    assert neutralised("Army defector tells of hunger", "The Army Desert Talks of Hunger", ["defector"], "en") == \
        "The Army Desert Talks of Hunger"
    assert neutralised("Nothing here.", "Nothing there.", ["defector"], "en") == "Nothing there."


def test_a_back_translation_lacking_the_source_words_makes_a_literal_idiom_high():
    from transflow import engines

    reverse = engines.load_engine(engines.find_model("pt", "en"))
    # Observed draft of a sentence of ours: the idiom taken word for word ("gave us a
    # prayer": "nos deu uma oração"). Its back-translation keeps a chrF of 66, medium by
    # chrF alone; it lacks three of the source's content words.
    source = '"Nobody gave us a prayer, and that suits us fine," he said.'
    draft = '"Ninguém nos deu uma oração, e isso nos convém bem", disse ele.'
    [assessed] = assess([Item(source, draft)], "pt", "en", reverse)
    assert assessed.level == risk.HIGH
    assert assessed.reasons[0].endswith(', lacking "Nobody", "gave", "fine"')


def test_lacking_counts_content_words_the_back_translation_has_no_word_for():
    from transflow.risk.backtranslation import lacking

    # "on", "the", "to", "their" are function words.
    missing, content = lacking("Lawmakers seized on the ruling to renew their call.",
                               "Legislators made the decision to renew their request.", "en")
    assert missing == ["Lawmakers", "seized", "ruling", "call"] and content == 5
    # The reverse model writes American spelling; a word with the same start is the same word.
    assert lacking("Volunteers stop the mould", "The volunteers stop the mold", "en") == ([], 3)
    assert lacking("Some words", "Palavras", "xx") == ([], 0)  # no word list for the language


def test_chrf_matches_its_definition():
    assert chrf("the same words", "the same words") == pytest.approx(100)
    assert chrf("xyz", "abc") == pytest.approx(0, abs=1e-9)
    # sacrebleu 2.6 gives 67.1727 for this pair (measured when choosing our own few lines).
    assert chrf("The cat sat on the mat.", "The cat is on the mat.") == pytest.approx(67.1727, abs=0.01)


def test_differing_quotes_the_back_translation_and_the_source():
    assert differing('reports were "utterly groundless."', 'reports were "absolutely based."') == ("absolutely based", "utterly groundless")
    assert differing("Same words.", "Same words.") is None


def test_comment_line_round_trip():
    a = Assessment(risk.HIGH, ('unknown word "Reemificou"', 'back-translation "x" differs from the source'))
    assert a.line() == 'risk: high: unknown word "Reemificou"; back-translation "x" differs from the source'
    assert risk.parse(a.line()) == a
    assert risk.parse("risk: low") == Assessment(risk.LOW)
    assert risk.parse("mt: bergamot") is None and risk.parse("risk: extreme") is None


def test_every_signal_is_in_one_severity_group():
    names = [s.__name__ for s in signals.HIGH + signals.MEDIUM]
    assert len(names) == len(set(names))
    assert set(signals.CHEAP) < set(signals.HIGH + signals.MEDIUM)


# --- stored with the draft ------------------------------------------------------------------


def test_the_translation_memory_keeps_the_assessment_for_the_re_run(translated, tmp_path):
    with TranslationMemory(translated / "tm.sqlite") as tm:
        stored = tm.get_risk("en", "pt", [(e.msgid, e.msgstr) for e in _po(translated / "locales")])
    entry = _entry(_po(translated / "locales"), "Without papers")
    level, reasons = stored[(entry.msgid, entry.msgstr)]
    assert level == "high" and 'unknown word "apáless"' in reasons
    # A fresh PO file from the memory: the same draft and the same assessment, no MT.
    locales = tmp_path / "locales"
    shutil.copy(translated / "tm.sqlite", tmp_path / "tm.sqlite")
    [outcome] = pipeline.translate([translated / "news.txt"], ["pt"], locales=locales, tm=tmp_path / "tm.sqlite")
    assert outcome.translated == 0 and outcome.from_tm == 2 and outcome.risk == {"high": 1, "low": 1}
    assert risk.of_entry(_entry(_po(locales), "Without papers")) == risk.of_entry(entry)


def test_a_reviewed_entry_carries_no_risk(translated, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(translated, root)
    path = root / "locales" / "pt" / "LC_MESSAGES" / "news.po"
    po = pofile.load(path)
    _entry(po, "Without papers").flags.remove("fuzzy")
    pofile.write(po, path)
    pipeline.translate([root / "news.txt"], ["pt"], locales=root / "locales", tm=root / "tm.sqlite")
    po = _po(root / "locales")
    assert risk.of_entry(_entry(po, "Without papers")) is None
    assert risk.of_entry(_entry(po, "The government")) == Assessment(risk.LOW)


def test_no_risk_writes_no_line(tmp_path):
    article = tmp_path / "news.txt"
    article.write_text(f"{APALESS}\n", encoding="utf-8")
    pipeline.translate([article], ["pt"], locales=tmp_path / "locales", risk=False)
    assert all(risk.of_entry(e) is None for e in _po(tmp_path / "locales"))


def test_project_key_switches_it_off(project):
    (project / "news.txt").write_text(f"{APALESS}\n", encoding="utf-8")
    (project / "transflow.yaml").write_text("targets: [pt]\nrisk: false\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "news.txt", "--no-tm"])
    assert result.exit_code == 0, result.output
    assert "risk:" not in (project / "locales/pt/LC_MESSAGES/news.po").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "news.txt", "--no-tm", "--risk"])
    assert result.exit_code == 0 and "1 high-risk drafts" in result.stderr
    (project / "transflow.yaml").write_text("targets: [pt]\nrisk: maybe\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", "news.txt"])
    assert result.exit_code == 2 and "risk must be true or false" in result.stderr


# --- the same assessment wherever a reviewer looks ------------------------------------------


def test_status_counts_drafts_by_risk(translated):
    [row] = status.collect(translated / "locales")
    assert (row.risk_high, row.risk_medium, row.risk_low) == (1, 0, 1)
    assert "1/0/1" in status.to_text([row])


def test_xliff_carries_the_risk_as_a_note_with_a_priority(translated):
    po = _po(translated / "locales")
    v2 = xliff.dumps(po, source="en", target="pt", original="news.txt")
    assert re.search(r'<note category="risk" priority="1">risk: high: unknown word "apáless"', v2)
    assert '<note category="risk" priority="10">risk: low</note>' in v2
    v12 = xliff.dumps(po, source="en", target="pt", original="news.txt", fmt="xliff12")
    assert re.search(r'<note from="developer" priority="1">risk: high: unknown word "apáless"', v12)
    # Import leaves it alone: it is transflow's own note, not a translator's.
    [f] = xliffread.parse(v2.encode())[1]
    assert all(u.notes is None for u in f.units)


def test_check_risk_fails_on_a_high_risk_draft_cleared_without_editing(translated, tmp_path, monkeypatch):
    root = tmp_path / "p"
    shutil.copytree(translated, root)
    monkeypatch.chdir(root)
    path = Path("locales/pt/LC_MESSAGES/news.po")
    runner = CliRunner()
    assert runner.invoke(main, ["check", "locales", "--risk", "--tm", "tm.sqlite"]).exit_code == 0  # drafts only
    po = pofile.load(path)
    for e in po:
        e.flags = [f for f in e.flags if f != "fuzzy"]  # the reviewer clears both, changing nothing
    pofile.write(po, path)
    result = runner.invoke(main, ["check", "locales", "--risk", "--tm", "tm.sqlite"])
    assert result.exit_code == 1
    assert '[risk] high-risk MT draft cleared without editing: unknown word "apáless"' in result.output
    assert "The government" not in result.output  # low risk: no finding
    assert runner.invoke(main, ["check", "locales"]).exit_code == 0  # without --risk, as before
    po = pofile.load(path)
    entry = _entry(po, "Without papers")
    entry.msgstr = entry.msgstr.replace("as pessoas apáless", "as pessoas apátridas")
    pofile.write(po, path)
    assert runner.invoke(main, ["check", "locales", "--risk", "--tm", "tm.sqlite"]).exit_code == 0
    result = runner.invoke(main, ["check", "locales", "--risk", "--tm", "missing.sqlite"])
    assert result.exit_code == 2 and "no translation memory" in result.stderr


def risk_page(locales, article, out: Path) -> str:
    """The review page of ``article`` (the benign sentence moved first, so that ordering
    by risk has something to move), written to ``out``."""
    arts = pipeline.load_articles([article], "en")
    catalogs = review.gather(arts, ["pt"], locales)
    arts[0].units.reverse()
    html = review.render(arts, catalogs, g.load(GLOSSARY), [])
    out.write_text(html, encoding="utf-8")
    return html


def test_review_page_shows_the_risk_and_its_reasons(translated, tmp_path):
    html = risk_page(translated / "locales", translated / "news.txt", tmp_path / "review.html")
    assert '<span class="badge risk high">high risk</span>' in html
    assert '<ul class="risk-reasons high" aria-label="why this draft is high risk"><li>unknown word &quot;apáless&quot;</li>' in html
    assert '<span class="n high-risk">1 high-risk draft</span>' in html
