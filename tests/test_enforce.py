"""Glossary enforcement with the real embedded en->pt model (no mocks: a thin wrapper
only counts the engine's batch calls)."""

import re

import pytest
from conftest import EXAMPLE, GLOSSARY

from transflow import enforce
from transflow.engines import get_engine
from transflow.glossary import Glossary, Rendering, Term, load, source_matcher, target_matcher
from transflow.glossary.agree import pt
from transflow.readers import read
from transflow.segment import segment

RESIDUE = re.compile(r"⟦|⟧|ZZQ|Kowalski|Xavierzo|Zorbek|Tenzin|\bmulher(es)?\b|\bliberdades?\b|\bhomens?\b|\blivros?\b")


class Counting:
    """The real engine, counting batch calls and sentences."""

    def __init__(self, engine):
        self.engine = engine
        self.calls = 0
        self.sentences = 0

    def translate(self, texts):
        self.calls += 1
        self.sentences += len(texts)
        return self.engine.translate(texts)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    # Module-scoped, so set up before conftest's isolation: hide any downloaded model here
    # too, so the embedded one is what is measured.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRANSFLOW_BERGAMOT_CACHE", str(tmp_path_factory.mktemp("no-bergamot-cache")))
        return get_engine("en", "pt", "bergamot")


@pytest.fixture(scope="module")
def glossary():
    return load(GLOSSARY)


@pytest.fixture(scope="module")
def example(engine, glossary):
    texts = [u.text for u in segment(read(EXAMPLE))]
    counting = Counting(engine)
    drafts = enforce.translate_units(counting, texts, glossary, "pt")
    return texts, drafts, counting, engine.translate(texts)


def _rendering_only(glossary: Glossary, lang: str) -> Glossary:
    """The glossary with each term's preferred rendering as its only accepted one."""
    terms = []
    for t in glossary.terms:
        r = t.translations.get(lang)
        translations = dict(t.translations)
        if r is not None and not r.do_not_translate:
            translations[lang] = Rendering(preferred=r.preferred, forbidden=r.forbidden)
        terms.append(Term(t.id, t.source, t.variants, t.case_sensitive, t.pos, t.note, t.do_not_translate, translations))
    return Glossary(terms, glossary.source_language)


def _rate(glossary, texts, drafts, lang="pt"):
    """(hits, hits whose rendering is in the draft) counting each source match."""
    matcher = source_matcher(glossary)
    accepted = target_matcher(glossary, lang)
    forbidden = target_matcher(glossary, lang, "forbidden")
    hits = ok = 0
    for text, draft in zip(texts, drafts):
        need = {}
        for m in matcher.find(text):
            need[m.term.id] = need.get(m.term.id, 0) + 1
        have = {}
        for m in accepted.find(draft.text):
            have[m.term.id] = have.get(m.term.id, 0) + 1
        bad = {m.term.id for m in forbidden.find(draft.text)}
        for tid, n in need.items():
            hits += n
            ok += 0 if tid in bad else min(n, have.get(tid, 0))
    return hits, ok


def test_example_article_reaches_95_percent(example, glossary):
    texts, drafts, _, _ = example
    hits, ok = _rate(glossary, texts, drafts)
    assert hits >= 25
    assert ok / hits >= 0.95, f"{ok}/{hits}"
    # With the preferred rendering only (an allowed one is kept inside the name "Refugee
    # Convention"), still at least 95%.
    strict_hits, strict_ok = _rate(_rendering_only(glossary, "pt"), texts, drafts)
    assert strict_ok / strict_hits >= 0.95, f"{strict_ok}/{strict_hits}"


def test_example_article_uses_two_batch_calls(example):
    texts, drafts, counting, _ = example
    assert len(drafts) == len(texts)
    assert 1 <= counting.calls <= 2
    # The plain drafts, the term probes and a few retries: far fewer than one call per sentence.
    assert counting.sentences < 3 * len(texts)


def test_example_article_drafts_are_clean(example, glossary):
    texts, drafts, _, plain = example
    forbidden = target_matcher(glossary, "pt", "forbidden")
    for text, draft, mt in zip(texts, drafts, plain):
        assert not RESIDUE.search(draft.text) or RESIDUE.search(mt), draft.text
        assert not forbidden.find(draft.text), draft.text
        assert not re.search(r"\b(\w+) \1\b", draft.text), draft.text
        assert not draft.failed, (text, draft)
        if not source_matcher(glossary).find(text):
            assert draft.text == mt  # a unit without terms is exactly the plain MT
            assert draft.applied == [] and draft.failed == []


def test_north_korean_refugees_agree_with_pessoa_refugiada(engine, glossary, no_network):
    [d] = enforce.translate_units(engine, ["A coalition asked Beijing to stop sending North Korean refugees back across the border."], glossary, "pt")
    assert "pessoas refugiadas norte-coreanas" in d.text
    assert "norte-coreanos" not in d.text and "refugiados" not in d.text
    assert d.applied == ["refugee"] and d.failed == []


def test_determiners_agree(engine, glossary):
    texts = [
        "The refugees were detained by the police.",
        "China must halt the repatriation of refugees to the North.",
        "Two refugees arrived yesterday.",
    ]
    plain = engine.translate(texts)
    assert "Os refugiados" in plain[0] and "dos refugiados" in plain[1] and "Dois refugiados" in plain[2]
    drafts = enforce.translate_units(engine, texts, glossary, "pt")
    assert "As pessoas refugiadas foram detidas" in drafts[0].text
    assert "das pessoas refugiadas" in drafts[1].text
    assert "Duas pessoas refugiadas" in drafts[2].text


def test_do_not_translate_stays_verbatim(engine, glossary, no_network):
    text = '"Yoon should focus on making the repatriation a humanitarian issue," he said.'
    assert "Yoon" not in engine.translate([text])[0]  # the model reads it as "soon"
    counting = Counting(engine)
    [d] = enforce.translate_units(counting, [text], glossary, "pt")
    assert d.text.startswith('"Yoon deve')
    assert "breve" not in d.text and not RESIDUE.search(d.text)
    assert d.applied == ["yoon"] and d.failed == []
    # The masked sentence goes in the first batch with the plain one: no second call.
    assert counting.calls == 1 and counting.sentences == 2


def test_non_refoulement_becomes_nao_devolucao(engine, glossary):
    texts = [
        "Under the principle of non-refoulement, no state may return a refugee.",
        "Is China violating the principle of non-refoulment?",  # misspelled in the reference article
    ]
    for d in enforce.translate_units(engine, texts, glossary, "pt"):
        assert "princípio da não devolução" in d.text
        assert "repulsão" not in d.text and "refoulm" not in d.text
        assert "non-refoulement" in d.applied


def test_unit_without_terms_is_the_plain_translation(engine, glossary):
    texts = ["Observers expect more than 600 people to be returned before the end of the year.", ""]
    counting = Counting(engine)
    drafts = enforce.translate_units(counting, texts, glossary, "pt")
    assert [d.text for d in drafts] == engine.translate(texts)
    assert all(d.applied == [] and d.failed == [] for d in drafts)
    assert counting.calls == 1


def test_term_that_cannot_be_enforced_is_reported_and_draft_is_plain(engine):
    # A verb the model conjugates ("fogem"): no form of "evadir-se" can be placed, and no
    # noun may stand in for a verb, so the draft stays the plain translation.
    flee = Term("flee", "flee", pos="verb", translations={"pt": Rendering(preferred="evadir-se")})
    glossary = Glossary([flee])
    text = "They flee the country every winter."
    [d] = enforce.translate_units(engine, [text], glossary, "pt")
    assert d.text == engine.translate([text])[0]
    assert d.failed == ["flee"] and d.applied == []


def test_prebuilt_matcher_and_empty_input(engine, glossary):
    matcher = source_matcher(glossary)
    assert enforce.translate_units(engine, [], glossary, "pt", matcher=matcher) == []
    [d] = enforce.translate_units(engine, ["One defector was accused of treason."], glossary, "pt", matcher=matcher)
    assert "desertor" in d.text and "traição" in d.text
    assert sorted(d.applied) == ["defector", "treason"]


def test_a_batch_enforces_as_the_whole_set_does(engine, monkeypatch):
    """A set cut into batches (on cluster workers) gets the drafts of one run over the
    whole set, given the set's term uses and probes. The model's rendering of "camps"
    ("campos") is what finds its rendering of "prison camp" in the first sentence: a
    batch of that sentence alone places the term otherwise."""
    camp = Term("detention-centre", "detention centre", ["detention center", "prison camp", "camp"], pos="noun",
                translations={"pt": Rendering(preferred="centro de detenção")})
    glossary = Glossary([camp], "en")
    texts = ["She was sent to a prison camp in the north.", "Conditions in the camps were terrible."]
    model = engine.info.model_id
    monkeypatch.setattr(enforce, "_PROBES", {})
    whole = enforce.translate_units(engine, texts, glossary, "pt")
    probes = enforce.probes(model, "pt")

    uses = enforce.term_uses(texts, glossary, "pt")
    monkeypatch.setattr(enforce, "_PROBES", {})
    asked = enforce.probe_texts(uses, glossary, "pt")
    assert set(asked) == set(probes)  # what the whole run asked, and only that
    assert dict(zip(asked, engine.translate(asked))) == probes
    batches = []
    for text in texts:  # each batch in a fresh worker process that got the probes
        monkeypatch.setattr(enforce, "_PROBES", {})
        enforce.learn_probes(model, "pt", probes)
        batches += enforce.translate_units(engine, [text], glossary, "pt", uses=uses)
    assert batches == whole

    monkeypatch.setattr(enforce, "_PROBES", {})
    [alone] = enforce.translate_units(engine, texts[:1], glossary, "pt")
    assert alone != whole[0]  # without the set's uses, the batch is enforced otherwise


def test_language_without_agreement_data_degrades_gracefully(engine, glossary):
    # Any engine pair may come with any glossary language: with the en->pt engine and the
    # Spanish renderings there is no agreement data, so renderings are substituted as
    # written and verified with the Spanish target matcher.
    texts = [
        "An asylum seeker was held in detention.",
        '"Yoon has made the protection of defectors a priority," an adviser said.',
    ]
    counting = Counting(engine)
    drafts = enforce.translate_units(counting, texts, glossary, "es")
    assert counting.calls <= 2
    accepted = target_matcher(glossary, "es")
    for d in drafts:
        assert not RESIDUE.search(d.text)
        found = {m.term.id for m in accepted.find(d.text)}
        assert set(d.applied) <= found
    assert "solicitante de asilo" in drafts[0].text and "detención" in drafts[0].text
    assert drafts[1].text.startswith('"Yoon ')


# --- Portuguese agreement data, without the engine ---------------------------------------

@pytest.mark.parametrize("phrase, number, expected", [
    ("pessoa refugiada", "p", "pessoas refugiadas"),
    ("campo de trabalho forçado", "p", "campos de trabalho forçado"),
    ("organização de direitos humanos", "p", "organizações de direitos humanos"),
    ("não devolução", "s", "não devolução"),
    ("migrante econômico", "p", "migrantes econômicos"),
])
def test_pt_inflect(phrase, number, expected):
    assert pt.inflect(phrase, number) == expected


@pytest.mark.parametrize("before, span, new, after", [
    ("enviar os refugiados norte-coreanos de volta", "refugiados", "pessoas refugiadas",
     "enviar as pessoas refugiadas norte-coreanas de volta"),
    ("o princípio do não-refoulmentar", "não-refoulmentar", "não devolução", "o princípio da não devolução"),
    ("todos os dois refugiados que foram presos", "refugiados", "pessoas refugiadas",
     "todas as duas pessoas refugiadas que foram presas"),
    ("um requerente de asilo", "requerente de asilo", "solicitante de asilo", "um solicitante de asilo"),
    # Past an opening quote, across a prepositional phrase to the predicate, in a relative
    # clause; never the predicate of another subject.
    ('Ele disse: "Um refugiado tem direitos".', "refugiado", "pessoa refugiada", 'Ele disse: "Uma pessoa refugiada tem direitos".'),
    ("O repatriamento forçado do grupo é lícito, disse o ministério.", "repatriamento forçado", "repatriação forçada",
     "A repatriação forçada do grupo é lícita, disse o ministério."),
    ("Os refugiados, a maioria mulheres, foram presos.", "refugiados", "pessoas refugiadas",
     "As pessoas refugiadas, a maioria mulheres, foram presas."),
    ("Ele descreve um refugiado que foi espancado.", "refugiado", "pessoa refugiada", "Ele descreve uma pessoa refugiada que foi espancada."),
    ("Os corretores que ajudaram os refugiados foram presos.", "refugiados", "pessoas refugiadas",
     "Os corretores que ajudaram as pessoas refugiadas foram presos."),
    ("O testemunho de um refugiado raramente é ouvido.", "refugiado", "pessoa refugiada",
     "O testemunho de uma pessoa refugiada raramente é ouvido."),
    ("As novas casas seguras são administradas por igrejas.", "casas seguras", "abrigos clandestinos",
     "Os novos abrigos clandestinos são administrados por igrejas."),
    ("enviar os 600 refugiados de volta", "refugiados", "pessoas refugiadas", "enviar as 600 pessoas refugiadas de volta"),
])
def test_pt_agree(before, span, new, after):
    start = before.index(span)
    old = pt.features(span)
    old = (pt.context_gender(before, start, old[1]) or old[0], old[1])
    text = before[:start] + new + before[start + len(span):]
    out, s, e = pt.agree(text, start, start + len(new), old, pt.features(new))
    assert out == after
    assert out[s:e] == new
    assert pt.disagreements(out, s, e) == 0


@pytest.mark.parametrize("word, found", [
    ("trânsfuga", {"Ncs"}),  # common gender: not feminine for its -a
    ("jornalista", {"Ncs"}),
    ("pessoas", {"Nfp"}),
    ("econômicos", {"Amp"}),  # the Brazilian spelling, found through the European one
    ("sem-teto", {"Nci"}),  # invariable
    ("detidas", {"Pfp"}),
    ("kowalski", set()),
])
def test_pt_lexicon(word, found):
    from transflow.glossary.agree import pt_lexicon

    assert pt_lexicon.analyses(word) == found


def test_pt_features_from_the_lexicon():
    assert pt.features("trânsfuga") == (None, "s")
    assert pt.features("pessoa refugiada") == ("f", "s")
    assert pt.features("repatriação forçada") == ("f", "s")
    assert pt.inflect("sem-teto", "p") == "sem-teto"
    assert pt.inflect("migrante econômico", "p", "f") == "migrantes econômicas"
    assert not pt.known("xurumbela") and pt.known("trânsfuga")


def test_pt_check_reports_disagreement_and_what_it_cannot_tell():
    text = "Os pessoas refugiadas foram detidos pela polícia."
    start = text.index("pessoas")
    assert pt.check(text, start, start + len("pessoas refugiadas")) == (["Os", "detidos"], [])
    text = "As pessoas refugiadas xurumbeladas chegaram."
    assert pt.check(text, 3, 21) == ([], ["xurumbeladas"])


def test_pt_attributive_adjective_is_not_replaced():
    text = "As crianças refugiadas são frequentemente separadas."
    start = text.index("refugiadas")
    assert pt.attributive(text, start, start + len("refugiadas"))
    text = "parar de enviar refugiados de volta"
    start = text.index("refugiados")
    assert not pt.attributive(text, start, start + len("refugiados"))


# --- A desk's own glossary (issue 17) ------------------------------------------------------
# Written the way desks keep TBX files: the singular preferred, its plural admitted, a
# common-gender noun as the rendering, a name without a do-not-translate flag.

DESK_TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>desk</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
{entries}
  </body></text>
</tbx>
"""


def _entry(cid, pos, en, pt):
    def terms(items):
        return "".join(f'<termSec><term>{t}</term><termNote type="partOfSpeech">{pos}</termNote>'
                       f'<termNote type="administrativeStatus">{s}Term-admn-sts</termNote></termSec>' for t, s in items)
    pt_sec = f'<langSec xml:lang="pt-BR">{terms(pt)}</langSec>' if pt else ""
    return f'<conceptEntry id="{cid}"><langSec xml:lang="en">{terms(en)}</langSec>{pt_sec}</conceptEntry>'


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    from transflow.glossary import exchange

    entries = [
        _entry("defector", "noun", [("defector", "preferred"), ("defectors", "admitted")],
               [("trânsfuga", "preferred"), ("trânsfugas", "admitted"), ("desertor", "deprecated")]),
        _entry("refugee", "noun", [("refugee", "preferred"), ("refugees", "admitted")],
               [("pessoa refugiada", "preferred"), ("pessoas refugiadas", "admitted")]),
        _entry("asylum-seeker", "noun", [("asylum seeker", "preferred")], [("solicitante de asilo", "preferred")]),
        _entry("forced-repatriation", "noun", [("forced repatriation", "preferred")],
               [("repatriação forçada", "preferred"), ("repatriamento forçado", "deprecated")]),
        _entry("economic-migrant", "noun", [("economic migrant", "preferred"), ("economic migrants", "admitted")],
               [("migrante econômico", "preferred"), ("migrantes econômicos", "admitted")]),
        _entry("yoon", "properNoun", [("Yoon", "preferred")], []),
    ]
    path = tmp_path_factory.mktemp("desk") / "desk.tbx"
    path.write_text(DESK_TBX.format(entries="\n".join(entries)), encoding="utf-8")
    found = exchange.read(path)
    terms, _ = exchange.assemble(found.concepts, str(path), source_language=found.source_language)
    return Glossary(terms, found.source_language)


def test_desk_plurals_stay_plural(engine, desk):
    # The drafts: "citando a trânsfuga que posteriormente conseguiu" (several people
    # made one woman) and "chama a pessoa refugiada norte-coreana de".
    texts = ["The report cites defectors who subsequently managed to reach Seoul.",
             'Beijing calls North Korean refugees "economic migrants" and sends them back.']
    plain = engine.translate(texts)
    assert "os desertores que posteriormente conseguiram" in plain[0]
    assert "os refugiados norte-coreanos" in plain[1] and "os envia" in plain[1]
    cites, calls = enforce.translate_units(engine, texts, desk, "pt_BR")
    assert "os trânsfugas que posteriormente conseguiram" in cites.text  # common gender: generic masculine
    assert "as pessoas refugiadas norte-coreanas" in calls.text
    assert '"migrantes econômicos"' in calls.text
    assert "as envia" in calls.text  # the pronoun agrees too (the model, given a feminine noun, did it)
    assert cites.unverified == [] and calls.unverified == []


def test_desk_agreement_past_a_quote_and_in_the_predicate(engine, desk):
    texts = ['He said: "A refugee has rights."',
             "The forced repatriation of the group is lawful, the ministry said.",
             "The asylum seeker was held for three weeks before his release.",
             "Refugee-rights lawyers criticized the decision."]
    plain = engine.translate(texts)
    assert '"Um refugiado' in plain[0] and "é lícito" in plain[1] and "foi mantido" in plain[2]
    quote, lawful, held, lawyers = enforce.translate_units(engine, texts, desk, "pt_BR")
    assert '"Uma pessoa refugiada tem direitos' in quote.text  # was '"Um pessoa refugiada'
    assert "A repatriação forçada do grupo é lícita" in lawful.text  # was "é lícito"
    assert "O solicitante de asilo foi mantido" in held.text
    # A singular source used as a modifier keeps the model's plural: not "da pessoa refugiada".
    assert "direitos das pessoas refugiadas" in lawyers.text
    assert all(d.unverified == [] for d in (quote, lawful, held, lawyers))


def test_desk_unverified_is_said(engine, desk):
    # "her": the model wrote "Um desertor", and a rendering of common gender cannot tell the
    # sex; enforcement says so rather than hand over a fluent draft that looks verified.
    [d] = enforce.translate_units(engine, ["A defector told investigators that guards accused her of treason."],
                                  desk, "pt_BR")
    assert "Um trânsfuga" in d.text and "a acusaram" in d.text
    assert d.unverified == ["agreement not verified: 'trânsfuga' ... 'a' (the other sex)"]
    assert d.unverified_terms == ["defector"]


def test_desk_name_without_rendering_is_kept(engine, desk):
    # "Yoon" has no rendering and no do-not-translate flag: a name, kept as written.
    text = '"Yoon should focus on the fate of the defectors," he said.'
    assert "Yoon" not in engine.translate([text])[0]
    [d] = enforce.translate_units(engine, [text], desk, "pt_BR")
    assert d.text.startswith('"Yoon deve') and "dos trânsfugas" in d.text
    assert sorted(d.applied) == ["defector", "yoon"] and d.failed == []
