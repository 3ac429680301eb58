"""Glossary enforcement inside machine translation.

The engine translates plain sentences; the glossary's approved rendering is put into
its output afterwards, with the words around it made to agree. Measured on the
embedded en->pt model (``benchmarks/enforcement.py``), in order of use:

1. **substitute** (no extra engine call): translate the sentence as is, find the
   model's own rendering of each term in the output and replace it with the approved
   rendering, plural where the source is plural ("defectors"), else in the number the
   model gave (a singular used as a modifier, "refugee-rights lawyers", stays plural);
   a rendering of common gender takes the gender of what it replaces. The words that
   agree with it are rewritten (``glossary/agree/<lang>.py``: determiners, adjectives,
   the predicate of its clause: "os refugiados norte-coreanos" -> "as pessoas
   refugiadas norte-coreanas"). The model's renderings are known from the glossary
   (accepted, forbidden and their inflected forms) and learned: each term as written in
   the article is translated alone and after "the", in the same batch as the article,
   and cached per model.
2. **proxy** (one extra batch, only for what 1 could not place): translate the
   sentence again with the term replaced by an English noun whose translation has the
   gender and number of the approved rendering ("women" -> "mulheres" for "pessoas
   refugiadas"), so the model itself makes the sentence agree; its translation of the
   proxy is then replaced by the rendering. Two proxies are tried; the output closest
   to the plain translation wins.
3. **mask** for do-not-translate terms and languages without agreement data: a
   name-like token the model copies verbatim ("Kowalski") stands for the term and is
   put back after translation. Placeholders like "⟦T0⟧" or XML tags do not survive
   this model, so none is used. A sentence with a name kept as written is sent masked
   in the first batch too, beside the plain one.

Every candidate is verified with the glossary's target matcher (the approved
rendering present once per source hit, no forbidden rendering) and rejected if it
keeps a placeholder or proxy or repeats a word; its grammar around each rendering is
checked (words that do not agree; words that still agree with the model's noun of
another gender or number, a pronoun of the other sex after a rendering of common
gender, words the agreement data does not know, a plural source in the singular, the
words a retranslation changed). The best candidate is the draft; what could not be
verified in it is said in ``Draft.unverified``, and when none places a term the draft
is the plain translation and the term is reported in ``failed``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from . import additions, longunits, placeholders
from .casing import SENTENCE_START, capitalize, is_upper_start
from .glossary import agree as agreement
from .glossary import inflect
from .glossary.inflect import en as english
from .glossary.match import Match, Matcher, _boundaries, in_name, normalize, source_matcher, target_matcher
from .glossary.model import Glossary, Term

TECHNIQUES = ("substitute", "proxy", "mask")

RISK_PENALTY = 0.15
_NOUNS = ("noun", "proper-noun")
# Name-like tokens this model copies verbatim (measured: 61/61 glossary contexts kept).
NAME_MASKS = ("Kowalski", "Xavierzo", "Zorbek", "Tenzin")
# What a rejected output may not keep: placeholders of any technique.
_RESIDUE = re.compile(r"[⟦⟧]|ZZQ|</?x\d")
_DUPLICATE = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)

# (engine, lang, probe text) -> translation: probes are translated once per model
# (per process; the translation memory keeps them across runs, see probes()).
_PROBES: dict[tuple, str] = {}


def probes(model_id: str, lang: str) -> dict[str, str]:
    """The probe translations this process knows for ``model_id`` into ``lang``."""
    return {text: out for (model, to, text), out in _PROBES.items() if (model, to) == (model_id, lang)}


def learn_probes(model_id: str, lang: str, known: dict[str, str]) -> None:
    """Probe translations from an earlier run (the translation memory): not asked again."""
    for text, out in known.items():
        _PROBES.setdefault((model_id, lang, text), out)


@dataclass
class Draft:
    text: str  # the draft translation to write to the PO file
    applied: list[str] = field(default_factory=list)  # term ids whose approved rendering is in the draft
    failed: list[str] = field(default_factory=list)  # term ids found in the source that could not be put in
    technique: str = "plain"  # what produced the draft: plain, substitute, proxy, mask or credit (credits.py)
    # Why the words around a placed term could not be verified, one reason in words per
    # place ("agreement not verified: 'pessoas refugiadas' ... 'foi mantido'"): the
    # draft's risk assessment reads these, and the reviewer sees them.
    unverified: list[str] = field(default_factory=list)
    # The term id of each reason in ``unverified``, for the term's `#. glossary:` line.
    unverified_terms: list[str] = field(default_factory=list)
    # A unit longer than the model's bound is translated in pieces (longunits.py), or not
    # at all when it cannot be cut: ``refused`` then says why and ``text`` is empty.
    pieces: int = 1
    refused: str = ""
    # HTML markers: what was wrong with the model's and where they were put, in words.
    markup: list[str] = field(default_factory=list)
    # What the PO entry says about the draft beside the model's name ("mt:" lines):
    # its markers repaired, a note the model added taken out.
    notes: list[str] = field(default_factory=list)


def translate_units(engine, texts: list[str], glossary: Glossary, lang: str, matcher=None, uses=None) -> list[Draft]:
    """Translate ``texts`` with ``engine`` (at most two batch calls) and enforce ``glossary``.

    ``uses``: the :func:`term_uses` of a larger set these texts are a batch of; each
    draft is then the one translating the whole set at once makes (the model's learned
    renderings of a term come from every place it is used), so a set cut into batches
    on several machines gives the same drafts as one run.

    Every machine translation of the project passes here, so this is where a text's
    length is bounded: a text over longunits.MAX_UNIT_CHARS goes to the model (and to
    enforcement, and to the placeholder wrapper) as pieces, in the same batch as the
    others, and comes back as one draft."""
    cut = [longunits.pieces(t) for t in texts]
    flat = [p for pieces in cut if pieces for p in pieces]
    drafts = iter(Enforcer(engine, glossary, lang, matcher).run(flat, uses))
    notes = getattr(engine, "markup_notes", {})
    out = []
    for text, pieces in zip(texts, cut):
        if pieces is None:
            out.append(Draft("", technique="refused", refused=longunits.REFUSAL))
            continue
        parts = [next(drafts) for _ in pieces]
        draft = parts[0] if len(parts) == 1 else _joined(pieces, parts)
        draft.markup = [note for piece in pieces for note in notes.get(piece, ())]
        _mend_markup(text, draft)
        draft.text, removed = additions.without_notes(text, draft.text, lang)
        draft.notes = [line for line in (placeholders.draft_note(draft.markup),) if line]
        if removed:
            draft.notes.append(f"taken out: {', '.join(dict.fromkeys(removed))}, which the model added (the source says no such thing)")
        out.append(draft)
    return out


def _mend_markup(source: str, draft: Draft) -> None:
    """A draft with the source's HTML markers, each once, well nested and in the pairs
    the source has them in (the engine wrapper keeps them so; enforcement and joined
    pieces are checked here)."""
    table = placeholders.unit_table(source)
    if table:
        draft.text, notes = placeholders.mend(draft.text, table, source)
        draft.markup += notes


def _joined(pieces: tuple[str, ...], parts: list[Draft]) -> Draft:
    techniques = [p.technique for p in parts if p.technique != "plain"]
    return Draft(
        longunits.join(pieces, [p.text for p in parts]),
        applied=list(dict.fromkeys(t for p in parts for t in p.applied)),
        failed=list(dict.fromkeys(t for p in parts for t in p.failed)),
        technique=techniques[0] if techniques else "plain",
        unverified=[u for p in parts for u in p.unverified],
        unverified_terms=[t for p in parts for t in p.unverified_terms],
        pieces=len(parts),
    )


def term_uses(texts: list[str], glossary: Glossary, lang: str, matcher=None) -> list[tuple[str, str]]:
    """(term id, term as written) of each glossary term ``texts`` use, once each, in order
    of first use: what decides the probes the enforcer asks and the renderings it looks
    for (translate_units ``uses``)."""
    enforcer = Enforcer(None, glossary, lang, matcher, techniques=())
    return [(term.id, written) for term, written in enforcer._uses([enforcer._hits(t) for t in texts])]


def probe_texts(uses: list[tuple[str, str]], glossary: Glossary, lang: str, matcher=None) -> list[str]:
    """The probe texts of ``uses``: the enforcer translates those that :func:`probes`
    does not know yet."""
    enforcer = Enforcer(None, glossary, lang, matcher, techniques=())  # no model, so no probe known
    return enforcer._probe_texts(enforcer._scope(uses))


@dataclass
class _Hit:
    match: Match
    term: Term
    target: str  # the rendering to put in: the preferred one, or the term itself for DNT
    dnt: bool
    plural: bool  # the source form is plural ("refugees")
    in_name: bool  # part of a capitalized name ("the 1951 Refugee Convention")
    start: int  # the span to replace when masking (without a possessive "'s")
    end: int


@dataclass
class _Candidate:
    text: str
    technique: str
    strict: int = 0  # hits with the preferred rendering (or an accepted one inside a name)
    accepted: int = 0  # hits with an accepted rendering
    applied: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    similarity: float = 1.0
    valid: bool = True
    risky: int = 0  # substitutions that changed gender with an old-gender word left later on
    errors: int = 0  # words around placed renderings that do not agree with them
    doubts: list = field(default_factory=list)  # (term id, reason): what could not be verified


@dataclass
class _Variant:
    unit: int
    source: str
    technique: str
    proxies: list = field(default_factory=list)  # (term id, (English, translation) singular proxy, count)
    masks: list = field(default_factory=list)  # (hit, token)


def _model_id(engine) -> str | None:
    return getattr(getattr(engine, "info", None), "model_id", None)


def _same_stem(a: str, b: str) -> bool:
    """Two forms of one word in another gender or number ("presos", "presas"; "os", "as")."""
    stem = re.compile(r"(?:as|os|es|a|o|e|s)$")
    a, b = a.lower(), b.lower()
    return a == b or stem.sub("", a) == stem.sub("", b) or {a, b} <= {"um", "uma", "uns", "umas"}


class Enforcer:
    """One glossary and target language; ``techniques`` selects what :meth:`run` may use
    (the benchmark measures each alone)."""

    def __init__(self, engine, glossary: Glossary, lang: str, matcher=None, techniques=TECHNIQUES):
        self.engine = engine
        self.glossary = glossary
        self.lang = lang
        self.matcher = matcher or source_matcher(glossary)
        self.techniques = tuple(techniques)
        self.rules = agreement.get(lang)
        self.boundaries = _boundaries(lang)
        self.accepted = target_matcher(glossary, lang)
        self.forbidden = target_matcher(glossary, lang, "forbidden")
        self.calls = 0
        # Probe translations are shared by every run with the same model; an engine
        # without a model id keeps its own.
        self._model = _model_id(engine) or "this engine"
        self._probes = _PROBES if _model_id(engine) else {}
        self._preferred_forms: dict[str, set[str]] = {}
        self._accepted_forms: dict[str, set[str]] = {}
        for term in glossary.terms:
            r = term.rendering(lang)
            if r is None:
                continue
            pref = r.preferred or term.source
            self._preferred_forms[term.id] = self._forms(term, [pref])
            self._accepted_forms[term.id] = self._forms(term, r.accepted(term.source))
        self.preferred = Matcher(
            [(f, t, f) for t in glossary.terms if t.id in self._preferred_forms for f in sorted(self._preferred_forms[t.id])],
            self.boundaries,
        )

    # --- public ------------------------------------------------------------------

    def run(self, texts: list[str], uses=None) -> list[Draft]:
        """The drafts of ``texts``; ``uses``: see translate_units."""
        texts = list(texts)
        hits = [self._hits(t) for t in texts]
        scope = self._uses(hits) if uses is None else self._scope(uses)
        probes = self._probe_texts(scope) if "substitute" in self.techniques else []
        # Names kept as written are masked at once, in the same batch: this model mangles
        # many of them ("Yoon" -> "Em breve"), and a second batch for one sentence costs
        # as much time as a dozen in the first.
        masked = {i: v for i, (t, h) in enumerate(zip(texts, hits)) if (v := self._mask_names(i, t, h))}
        out = self._translate(texts + probes + [v.source for v in masked.values()])
        plain, probe_out = out[: len(texts)], out[len(texts): len(texts) + len(probes)]
        masked_out = dict(zip(masked, out[len(texts) + len(probes):]))
        for p, o in zip(probes, probe_out):
            self._probes[(self._model, self.lang, p)] = o
        self.locate = self._locator(scope)

        best: list[_Candidate] = []
        variants: list[_Variant] = []
        for i, (text, unit_hits) in enumerate(zip(texts, hits)):
            cand = self._evaluate(plain[i], plain[i], unit_hits, "plain")
            risky: dict[str, list] = {}
            if unit_hits and "substitute" in self.techniques:
                sub_text, risky = self._substitute(plain[i], text, unit_hits)
                sub = self._evaluate(sub_text, plain[i], unit_hits, "substitute", risky)
                if self._better(sub, cand):
                    cand = sub
            if i in masked:
                restored = self._restore(masked[i], masked_out[i], text, unit_hits)
                if restored is not None:
                    mask = self._evaluate(restored[0], plain[i], unit_hits, "mask", restored[1])
                    if self._better(mask, cand):
                        cand = mask
            best.append(cand)
            if unit_hits and (cand.strict < len(unit_hits) or cand.risky or cand.doubts):
                variants += self._variants(i, text, unit_hits, plain[i], cand, risky)

        if variants:
            outs = self._translate([v.source for v in variants])
            for v, o in zip(variants, outs):
                restored = self._restore(v, o, texts[v.unit], hits[v.unit])
                if restored is None:
                    continue
                cand = self._evaluate(restored[0], plain[v.unit], hits[v.unit], v.technique, restored[1])
                if self._better(cand, best[v.unit]):
                    best[v.unit] = cand
        return [Draft(c.text, c.applied, c.failed, c.technique, [r for _, r in c.doubts], [t for t, _ in c.doubts])
                for c in best]

    # --- engine ------------------------------------------------------------------

    def _translate(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        self.calls += 1
        out = list(self.engine.translate(texts))
        if len(out) != len(texts):
            raise ValueError(f"the engine returned {len(out)} translations for {len(texts)} texts")
        return out

    # --- source side -------------------------------------------------------------

    def _hits(self, text: str) -> list[_Hit]:
        out = []
        for m in self.matcher.find(text):
            r = m.term.rendering(self.lang)
            if r is None:
                continue
            dnt = r.do_not_translate or m.term.do_not_translate
            start, end = m.start, m.end
            base = re.sub(r"['’]s?$", "", m.text) if m.term.pos in ("noun", "proper-noun") else m.text
            end = start + len(base)
            target = base if dnt else (r.preferred or (r.accepted(m.term.source) or [m.term.source])[0])
            out.append(_Hit(m, m.term, target, dnt, self._plural(m.term, base), in_name(text, m), start, end))
        return out

    def _plural(self, term: Term, written: str) -> bool:
        """The source names more than one: "defectors", "stateless people", also when the
        glossary lists the plural among the variants (as a desk's TBX admits it)."""
        if term.pos != "noun" or self.glossary.source_language.split("_")[0] != "en":
            return False
        norm = normalize(written, True)[0]
        singular = [term.source] + [v for v in term.variants
                                    if normalize(v, True)[0] != normalize(english.plural_phrase(term.source), True)[0]]
        return norm in {normalize(english.plural_phrase(w), True)[0] for w in singular} - {
            normalize(w, True)[0] for w in singular}

    # --- learning the model's renderings -------------------------------------------

    def _uses(self, hits: list[list[_Hit]]) -> list[tuple[Term, str]]:
        """(term, as written) of each hit to render (not kept as written), once each, in
        order: the probes and the locator depend on these alone."""
        out = {}
        for unit_hits in hits:
            for h in unit_hits:
                if h.dnt:
                    continue
                written = h.match.text[: h.end - h.start]
                if not h.term.case_sensitive and not written.isupper():
                    written = written.lower()
                out.setdefault((h.term.id, written), (h.term, written))
        return list(out.values())

    def _scope(self, uses: list[tuple[str, str]]) -> list[tuple[Term, str]]:
        terms = {t.id: t for t in self.glossary.terms}
        return [(terms[tid], written) for tid, written in uses if tid in terms]

    def _probe_texts(self, uses: list[tuple[Term, str]]) -> list[str]:
        """Each term as written in these units, alone and after "the", unless translated before."""
        wanted = []
        for term, written in uses:
            for p in self._probes_for(term, written):
                if (self._model, self.lang, p) not in self._probes and p not in wanted:
                    wanted.append(p)
        return wanted

    def _probes_for(self, term: Term, written: str) -> list[str]:
        out = [written]
        if self.rules is not None and term.pos == "noun" and self.glossary.source_language.startswith("en"):
            out.append("the " + written)
        return out

    def _learned(self, term: Term, written: str) -> list[str]:
        """The model's renderings of the term, from its probe translations."""
        out = []
        for p in self._probes_for(term, written):
            t = self._probes.get((self._model, self.lang, p), "").strip()
            t = re.sub(r"^[\"'“‘«(]+|[\"'”’».,;:!?)]+$", "", t).strip()
            if self.rules is not None:
                t = self.rules.strip_determiners(t)
            if not t or len(t.split()) > 2 * len(written.split()) + 2:
                continue
            if not term.case_sensitive and not t.split()[0].isupper():
                t = t[:1].lower() + t[1:]
            out.append(t)
        return out

    def _forms(self, term: Term, phrases) -> set[str]:
        out = set()
        for p in phrases:
            out |= {normalize(f, not term.case_sensitive)[0] for f in inflect.forms(self.lang, p, term.pos)}
        return out

    def _locator(self, uses: list[tuple[Term, str]]) -> Matcher:
        """A matcher for every way the model may have rendered the terms of these units."""
        phrases: dict[str, list[str]] = {}
        terms = {}
        for term, written in uses:
            terms[term.id] = term
            r = term.rendering(self.lang)
            ps = phrases.setdefault(term.id, [*r.accepted(term.source), *r.forbidden])
            for t in self._learned(term, written):
                for variant in sorted(self.rules.phrase_variants(t)) if self.rules else [t]:
                    if variant not in ps:
                        ps.append(variant)
        entries = []
        for tid, ps in phrases.items():
            for p in ps:
                for f in sorted(inflect.forms(self.lang, p, terms[tid].pos)):
                    entries.append((f, terms[tid], p))
        return Matcher(entries, self.boundaries)

    # --- technique 1: substitute ---------------------------------------------------

    def _substitute(self, draft: str, source: str, unit_hits: list[_Hit], only=None) -> tuple[str, dict]:
        """``draft`` with the model's renderings of the terms replaced; and, for each term whose
        change of gender or number left words later in the sentence that agree with what it
        replaced, those words ({term id: [(rendering, word)]})."""
        risky: dict[str, list] = {}
        by_term = {h.term.id: h for h in unit_hits if not h.dnt and (only is None or h.term.id in only)}
        names = {h.term.id for h in unit_hits if h.in_name}
        spans = [m for m in self.locate.find(draft) if m.term.id in by_term]
        # The k-th rendering of a term in the draft stands for its k-th place in the source
        # (each place has its own number: "a defector and two other defectors").
        places = {tid: [h for h in unit_hits if h.term.id == tid] for tid in by_term}
        placed = {tid: [m for m in spans if m.term.id == tid] for tid in by_term}
        for m in sorted(spans, key=lambda m: m.start, reverse=True):
            same, found = places[m.term.id], placed[m.term.id]
            h = same[found.index(m)] if len(same) == len(found) else by_term[m.term.id]
            key = normalize(m.text, not m.term.case_sensitive)[0]
            at_start = SENTENCE_START.match(draft).end() == m.start
            cap = m.text[:1].isupper() or (at_start and is_upper_start(source))
            if key in self._preferred_forms[m.term.id]:
                if cap and not m.text[:1].isupper():
                    draft = draft[: m.start] + capitalize(m.text) + draft[m.end:]
                continue
            if (m.term.id in names and m.text[:1].isupper() and not at_start
                    and key in self._accepted_forms[m.term.id]):
                continue  # "Convenção dos Refugiados": a name keeps its accepted rendering
            if self.rules is not None and self.rules.attributive(draft, m.start, m.end):
                continue  # "crianças refugiadas": an adjective, no place for a noun phrase
            draft, left = self._put(draft, m.start, m.end, m.text, h, cap)
            if left:
                risky.setdefault(m.term.id, []).extend(left)
        return draft, risky

    def _inflect(self, h: _Hit, number: str, gender: str | None) -> str:
        """The rendering of ``h`` in ``number``: the glossary's plural when it gives one; a
        rendering of common gender takes ``gender`` in its adjectives."""
        r = h.term.rendering(self.lang)
        if number == "p" and r is not None and r.plural and r.preferred == h.target:
            return r.plural if gender in (None, "m") else self.rules.inflect(r.plural, "p", gender)
        own = self.rules.features(h.target)[0]
        return self.rules.inflect(h.target, number, None if own is not None else gender)

    def _put(self, draft: str, start: int, end: int, old_text: str, h: _Hit, cap: bool, old=None, number=None):
        """Replace ``draft[start:end]`` with the rendering of ``h`` and make the context agree;
        also return the words later on that still agree with what was replaced (after a change
        of gender or number), as (rendering, word) pairs.

        The number is the source's when it is plural ("defectors": always plural), else the
        model's (a singular source used as a modifier, "refugee-rights lawyers", keeps the
        plural the model gave it). A rendering of common gender ("trânsfuga") takes the
        gender the model gave the noun it replaces, the generic masculine when that noun's
        gender says nothing of a person's sex ("pessoa")."""
        new = h.target
        rules = self.rules if h.term.pos != "proper-noun" else None
        if rules is not None:
            if old is None:
                g, n = rules.features(old_text)
                old = (rules.context_gender(draft, start, n) or g, n)
            number = number or ("p" if h.plural else old[1])
            own = rules.features(h.target)[0]
            context = old[0]
            if own is None and old_text.split()[0].lower() in rules.EPICENE:
                context = "m"
            new = self._inflect(h, number, context or "m")
            feats = (own if own is not None else (context or "m"), number)
        if cap and new[:1].islower():
            new = capitalize(new)
        draft = draft[:start] + new + draft[end:]
        left = []
        if rules is not None:
            draft, s, e = rules.agree(draft, start, start + len(new), old, feats)
            if (old[0] is not None and feats[0] != old[0]) or feats[1] != old[1]:
                left = [(draft[s:e], w) for w in rules.leftovers(draft, s, e, old)]
        return draft, left

    # --- techniques 2 and 3: proxy and mask -----------------------------------------

    def _variants(self, i, source, unit_hits, plain, cand, risky=()) -> list[_Variant]:
        """Sources to translate again, with the terms not yet in place replaced by proxies or masks."""
        failing = set(cand.failed) | self._short_terms(cand.text, unit_hits) | set(risky)
        use_proxy = "proxy" in self.techniques and self.rules is not None
        use_mask = "mask" in self.techniques
        # A noun stands in for a noun only: verbs and adjectives are substituted or fail.
        todo = [h for h in unit_hits if h.term.id in failing and (h.dnt or h.term.pos in _NOUNS)
                and (use_mask or (use_proxy and not h.dnt))]
        out = []
        for v in range(2):
            variant = _Variant(i, source, "mask")
            edits, used, per_term, ok = [], set(), {}, True
            for h in todo:
                if h.dnt or not use_proxy:
                    token = self._mask_token(source, plain, used, v)
                    if token is None:
                        ok = False
                        break
                    used.add(token)
                    edits.append((h.start, h.end, token))
                    variant.masks.append((h, token))
                    continue
                if h.term.id not in per_term:
                    proxy = self._proxy(h, source, plain, used, v)
                    if proxy is None:
                        ok = False
                        break
                    per_term[h.term.id] = proxy
                    used.add(proxy)
                en = self._proxy_word(h, per_term[h.term.id])
                written = source[h.start:h.end]
                edits.append((h.start, h.end, capitalize(en) if written[:1].isupper() else en))
            if not ok or not edits:
                continue
            text = source
            for s, e, r in sorted(edits, reverse=True):
                text = text[:s] + r + text[e:]
            for tid, proxy in per_term.items():
                variant.proxies.append((tid, proxy, sum(1 for h in todo if h.term.id == tid)))
                variant.technique = "proxy"
            variant.source = text
            if all(x.source != text for x in out):
                out.append(variant)
        return out

    def _mask_names(self, i: int, source: str, unit_hits: list[_Hit]) -> _Variant | None:
        """The source with each do-not-translate term masked, when it has one."""
        names = [h for h in unit_hits if h.dnt]
        if "mask" not in self.techniques or not names:
            return None
        variant, used, text = _Variant(i, source, "mask"), set(), source
        for h in sorted(names, key=lambda h: -h.start):
            token = self._mask_token(source, "", used, 0)
            if token is None:
                return None
            used.add(token)
            variant.masks.append((h, token))
            text = text[: h.start] + token + text[h.end:]
        variant.source = text
        return variant

    def _short_terms(self, text: str, unit_hits: list[_Hit]) -> set[str]:
        need: dict[str, int] = {}
        for h in unit_hits:
            need[h.term.id] = need.get(h.term.id, 0) + 1
        have = self._count_preferred(text, unit_hits)
        return {tid for tid, n in need.items() if have.get(tid, 0) < n}

    def _proxy(self, h: _Hit, source: str, plain: str, used: set, v: int):
        """An (English, translation) proxy with the gender of the rendering, unused in this sentence."""
        g, _ = self.rules.features(h.target)
        choices = list(self.rules.PROXIES[(g or "m", "s")])
        if h.term.pos == "proper-noun":
            choices = choices[1:] + choices[:1]  # things before persons for names
        free = [c for c in choices if c not in used and not self._mentions(source, plain, c)]
        return free[v % len(free)] if free else None

    def _proxy_gender(self, proxy) -> str:
        return next(g for (g, _), choices in self.rules.PROXIES.items() if proxy in choices)

    def _proxy_pair(self, proxy) -> tuple:
        """The plural (English, translation) of a singular proxy."""
        for (g, n), choices in self.rules.PROXIES.items():
            if proxy in choices and n == "s":
                return self.rules.PROXIES[(g, "p")][choices.index(proxy)]
        return proxy

    def _proxy_word(self, h: _Hit, proxy) -> str:
        return self._proxy_pair(proxy)[0] if h.plural else proxy[0]

    def _mentions(self, source: str, plain: str, proxy) -> bool:
        words = {*proxy, *self._proxy_pair(proxy)}
        return any(re.search(rf"\b{re.escape(w)}\b", s, re.IGNORECASE) for w in words for s in (source, plain))

    @staticmethod
    def _mask_token(source: str, plain: str, used: set, v: int):
        free = [t for t in NAME_MASKS if t not in used and t not in source and t not in plain]
        return free[v % len(free)] if free else None

    def _restore(self, v: _Variant, out: str, source: str, unit_hits: list[_Hit]):
        """The variant's translation with the rendering put back in place of proxies and masks."""
        text = out
        for _, token in v.masks:
            if len(re.findall(rf"\b{re.escape(token)}\b", text)) != 1:
                return None  # the model dropped or repeated the token
        for h, token in sorted(v.masks, key=lambda x: -len(x[1])):
            m = re.search(rf"\b{re.escape(token)}\b", text)
            if h.dnt:
                text = text[: m.start()] + h.target + text[m.end():]
            else:
                old = self._token_features(text, m.start(), m.end(), h)
                cap = SENTENCE_START.match(text).end() == m.start() and is_upper_start(source)
                text, _ = self._put(text, m.start(), m.end(), token, h, cap, old=old,
                                    number="p" if h.plural else "s")
        for tid, proxy, count in v.proxies:
            h = next(x for x in unit_hits if x.term.id == tid)
            target_sg = proxy[1]
            forms = [target_sg, self._proxy_pair(proxy)[1]]
            rx = re.compile(r"\b(" + "|".join(re.escape(f) for f in forms) + r")\b", re.IGNORECASE)
            found = list(rx.finditer(text))
            if len(found) != count:
                return None  # the proxy was dropped, repeated or translated otherwise
            for m in reversed(found):
                n = "s" if m.group(1).lower() == target_sg else "p"
                new = h.target if h.term.pos == "proper-noun" else self._inflect(h, n, self._proxy_gender(proxy))
                if m.group(1)[:1].isupper() and new[:1].islower():
                    new = capitalize(new)
                text = text[: m.start()] + new + text[m.end():]
        others = {h.term.id for h in unit_hits} - {tid for tid, _, _ in v.proxies} - {h.term.id for h, _ in v.masks}
        risky: dict[str, list] = {}
        if others and "substitute" in self.techniques:
            text, risky = self._substitute(text, source, unit_hits, only=others)
        return text, risky

    def _token_features(self, text: str, start: int, end: int, h: _Hit):
        """What the model made of a masked token: the number and gender its determiner shows."""
        if self.rules is None or h.term.pos == "proper-noun":
            return None
        for n in ("s", "p"):
            g = self.rules.context_gender(text, start, n)
            if g is not None:
                return (g, n)
        after = re.match(r" +(\S+)", text[end:])
        feats = self.rules.adjective_features(after.group(1)) if after else None
        return feats or (None, "s")

    # --- verification ----------------------------------------------------------------

    def _count_preferred(self, text: str, unit_hits: list[_Hit]) -> dict[str, int]:
        names = {h.term.id for h in unit_hits if h.in_name}
        have: dict[str, int] = {}
        for m in self.preferred.find(text):
            have[m.term.id] = have.get(m.term.id, 0) + 1
        for m in self.accepted.find(text):
            key = normalize(m.text, not m.term.case_sensitive)[0]
            if key in self._preferred_forms[m.term.id]:
                continue
            if (m.term.id in names and m.text[:1].isupper()) or (
                    self.rules is not None and self.rules.attributive(text, m.start, m.end)):
                have[m.term.id] = have.get(m.term.id, 0) + 1
        return have

    def _evaluate(self, text: str, plain: str, unit_hits: list[_Hit], technique: str, risky=None) -> _Candidate:
        risky = risky or {}
        cand = _Candidate(text, technique, risky=len(risky))
        if technique != "plain":
            cand.valid = not _RESIDUE.search(text) or bool(_RESIDUE.search(plain))
            if len(_DUPLICATE.findall(text)) > len(_DUPLICATE.findall(plain)):
                cand.valid = False
            cand.similarity = difflib.SequenceMatcher(None, plain.split(), text.split()).ratio()
        if not unit_hits:
            return cand
        need: dict[str, int] = {}
        for h in unit_hits:
            need[h.term.id] = need.get(h.term.id, 0) + 1
        accepted: dict[str, int] = {}
        for m in self.accepted.find(text):
            accepted[m.term.id] = accepted.get(m.term.id, 0) + 1
        forbidden = {m.term.id for m in self.forbidden.find(text)}
        strict = self._count_preferred(text, unit_hits)
        if self.rules is not None:
            self._verify(cand, plain, unit_hits, technique == "plain")
        for tid, n in need.items():
            if tid in forbidden:
                cand.failed.append(tid)
                continue
            cand.strict += min(n, strict.get(tid, 0))
            cand.accepted += min(n, accepted.get(tid, 0))
            (cand.applied if accepted.get(tid, 0) >= n else cand.failed).append(tid)
        return cand

    def _origins(self, plain: str, unit_hits: list[_Hit]) -> dict[str, tuple]:
        """The gender and number of the model's own rendering of each term in the plain
        translation (what enforcement replaces), by term id."""
        if not hasattr(self, "locate"):
            return {}
        ids = {h.term.id for h in unit_hits}
        out = {}
        for m in self.locate.find(plain):
            if m.term.id in ids and m.term.id not in out:
                g, n = self.rules.features(m.text)
                out[m.term.id] = (self.rules.context_gender(plain, m.start, n) or g, n)
        return out

    def _verify(self, cand: _Candidate, plain: str, unit_hits: list[_Hit], is_plain: bool) -> None:
        """Count the words around the placed renderings that do not agree with them, and say
        what could not be verified: words that still agree with the model's own noun that a
        rendering of another gender or number replaced (a participle, a pronoun), words the
        agreement data does not know, a pronoun of the other sex after a rendering of common
        gender, a plural source rendered in the singular, and the words of a retranslated
        sentence that differ from the plain translation. The plain translation is the
        model's own grammar: only its errors count."""
        nouns = {h.term.id: h for h in unit_hits if h.term.pos == "noun" and not h.dnt}
        plural_needed: dict[str, int] = {}
        for h in unit_hits:
            if h.term.id in nouns and h.plural:
                plural_needed[h.term.id] = plural_needed.get(h.term.id, 0) + 1
        plural_found: dict[str, int] = {}
        origins = {} if is_plain else self._origins(plain, unit_hits)
        spans = []
        for m in self.preferred.find(cand.text):
            if m.term.id not in nouns:
                continue
            shown = cand.text[m.start:m.end]
            errors, unknown = self.rules.check(cand.text, m.start, m.end)
            cand.errors += len(errors)
            if is_plain:
                continue
            spans.append((m.start, m.end))
            g, n = self.rules.features(shown)
            if n == "p":
                plural_found[m.term.id] = plural_found.get(m.term.id, 0) + 1
            doubts = []
            if not self.rules.known(shown):
                doubts.append(f"the gender and number of {shown!r} are not known")
            doubts += [f"{shown!r} ... {word!r} does not agree" for word in errors]
            doubts += [f"{shown!r} ... {word!r}" for word in unknown if word != shown.split()[0]]
            context = g if g is not None else self.rules.context_gender(cand.text, m.start, n)
            old = origins.get(m.term.id)
            if old is not None and ((old[0] is not None and context is not None and old[0] != context) or old[1] != n):
                doubts += [f"{shown!r} ... {word!r}" for word in self.rules.leftovers(cand.text, m.start, m.end, old)]
            if g is None and context in ("m", "f"):
                other = ("f" if context == "m" else "m", n)
                doubts += [f"{shown!r} ... {word!r} (the other sex)" for word in self.rules.leftovers(
                    cand.text, m.start, m.end, other, pronouns_only=True)]
            cand.doubts += [(m.term.id, "agreement not verified: " + d) for d in dict.fromkeys(doubts)]
        if is_plain:
            return
        for tid, n in plural_needed.items():
            if plural_found.get(tid, 0) < n:
                source = next(h.match.text for h in unit_hits if h.term.id == tid and h.plural)
                cand.doubts.append((tid, f"number not verified: {source!r} is plural, its rendering singular"))
        if cand.technique in ("proxy", "mask"):
            placed = [(m.start, m.end) for m in self.accepted.find(cand.text)]
            for before, after in self._rewritten(plain, cand.text, placed):
                tid = next(iter(nouns), unit_hits[0].term.id)
                cand.doubts.append((tid, f"wording not verified: translated again, {before!r} became {after!r}"))

    def _rewritten(self, plain: str, text: str, spans) -> list[tuple[str, str]]:
        """Words a retranslation changed outside the renderings and their agreement (a
        determiner, an adjective or participle in another gender or number keeps its stem)."""
        a = [(m.start(), m.group()) for m in re.finditer(r"\w+(?:-\w+)*", plain)]
        b = [(m.start(), m.group()) for m in re.finditer(r"\w+(?:-\w+)*", text)]
        out = []
        ops = difflib.SequenceMatcher(None, [w.lower() for _, w in a], [w.lower() for _, w in b], autojunk=False)
        for op, i1, i2, j1, j2 in ops.get_opcodes():
            if op == "equal":
                continue
            old = [w for _, w in a[i1:i2]]
            new = [w for _, w in b[j1:j2]]
            if i2 - i1 == j2 - j1 and all(_same_stem(x, y) for x, y in zip(old, new)):
                continue  # the same words in another gender or number
            in_span = [w for at, w in b[j1:j2] if any(s <= at < e for s, e in spans)]
            if in_span and len(new) - len(in_span) <= 2 and len(old) <= len(new) + 2:
                continue  # the model's rendering of the term, replaced, and its agreement
            out.append((" ".join(old), " ".join(new)))
        return out

    @staticmethod
    def _better(new: _Candidate, old: _Candidate) -> bool:
        if not new.valid:
            return False
        # A substitution that left an old-gender word later on loses to a retranslation that
        # changed about one word more (the model made that word agree), not to one that
        # rewrote the sentence.
        def key(c):
            return (c.strict - c.errors, c.accepted, -c.errors, -len(c.doubts), c.similarity - RISK_PENALTY * c.risky)

        return key(new) > key(old)
