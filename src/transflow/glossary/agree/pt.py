"""Portuguese agreement: gender and number of nouns and adjectives, the words that
agree with a noun, the rewrite of those words around a substituted rendering, and
the check of a sentence around a rendering.

"os refugiados norte-coreanos" with "refugiados" replaced by "pessoas refugiadas"
becomes "as pessoas refugiadas norte-coreanas": the determiners before the noun (also
past an opening quote, and contracted: "dos" -> "das"), the adjectives before and
after it, and the predicate of the clause it is the subject of ("A repatriação forçada
do grupo é lícita", "que foram detidas") follow the gender and number of the new head.

Gender and number come from data: the pt_PT Hunspell dictionary's morphology
(pt_lexicon.py), so "trânsfuga" and "jornalista" are of common gender (they take the
gender the context gives), "sem-teto" is invariable, and a word ending in -a is not
taken for a feminine one. Words the table lacks fall back to their endings, and
:func:`check` reports them as not verified rather than guess.

Features are ``(gender, number)``: gender ``"m"``, ``"f"`` or ``None`` (common
gender, as "solicitante", or unknown), number ``"s"`` or ``"p"``.
"""

import re
import unicodedata

from . import pt_lexicon

# --- Words before a noun that agree with it: (masc. sg., fem. sg., masc. pl., fem. pl.).
DETERMINERS = [
    ("o", "a", "os", "as"),
    ("um", "uma", "uns", "umas"),
    ("do", "da", "dos", "das"),
    ("no", "na", "nos", "nas"),
    ("ao", "à", "aos", "às"),
    ("pelo", "pela", "pelos", "pelas"),
    ("num", "numa", "nuns", "numas"),
    ("dum", "duma", "duns", "dumas"),
    ("este", "esta", "estes", "estas"),
    ("deste", "desta", "destes", "destas"),
    ("neste", "nesta", "nestes", "nestas"),
    ("esse", "essa", "esses", "essas"),
    ("desse", "dessa", "desses", "dessas"),
    ("nesse", "nessa", "nesses", "nessas"),
    ("aquele", "aquela", "aqueles", "aquelas"),
    ("daquele", "daquela", "daqueles", "daquelas"),
    ("naquele", "naquela", "naqueles", "naquelas"),
    ("àquele", "àquela", "àqueles", "àquelas"),
    ("meu", "minha", "meus", "minhas"),
    ("teu", "tua", "teus", "tuas"),
    ("seu", "sua", "seus", "suas"),
    ("nosso", "nossa", "nossos", "nossas"),
    ("vosso", "vossa", "vossos", "vossas"),
    ("todo", "toda", "todos", "todas"),
    ("outro", "outra", "outros", "outras"),
    ("muito", "muita", "muitos", "muitas"),
    ("pouco", "pouca", "poucos", "poucas"),
    ("tanto", "tanta", "tantos", "tantas"),
    ("quanto", "quanta", "quantos", "quantas"),
    ("certo", "certa", "certos", "certas"),
    ("vário", "vária", "vários", "várias"),
    ("diverso", "diversa", "diversos", "diversas"),
    ("algum", "alguma", "alguns", "algumas"),
    ("nenhum", "nenhuma", "nenhuns", "nenhumas"),
    ("próprio", "própria", "próprios", "próprias"),
    ("mesmo", "mesma", "mesmos", "mesmas"),
    ("novo", "nova", "novos", "novas"),
    ("antigo", "antiga", "antigos", "antigas"),
    ("primeiro", "primeira", "primeiros", "primeiras"),
    ("último", "última", "últimos", "últimas"),
    ("demais", "demais", "demais", "demais"),
    (None, None, "ambos", "ambas"),
    (None, None, "dois", "duas"),
    (None, None, "duzentos", "duzentas"),
    (None, None, "trezentos", "trezentas"),
    (None, None, "quatrocentos", "quatrocentas"),
    (None, None, "quinhentos", "quinhentas"),
    (None, None, "seiscentos", "seiscentas"),
    (None, None, "setecentos", "setecentas"),
    (None, None, "oitocentos", "oitocentas"),
    (None, None, "novecentos", "novecentas"),
]
# What a probe translation is stripped of: "the refugees" -> "os refugiados", "DPRK" -> "da RPDC".
ARTICLES = {"o", "a", "os", "as", "um", "uma", "uns", "umas", "do", "da", "dos", "das", "no", "na", "nos",
            "nas", "ao", "à", "aos", "às", "de", "em"}
# Words that may stand between a determiner and the noun without agreeing ("os 600 refugiados").
TRANSPARENT = {"cada", "mais", "menos"}

_SLOTS = [("m", "s"), ("f", "s"), ("m", "p"), ("f", "p")]
_DET: dict[str, list[tuple[tuple, str, str]]] = {}
for _row in DETERMINERS:
    for (_g, _n), _w in zip(_SLOTS, _row):
        if _w:
            _DET.setdefault(_w, []).append((_row, _g, _n))

# --- Words a rendering does not inflect, and the prepositions that end its head.
FIXED = {"não", "e", "ou", "nem"}
PREPOSITIONS = {
    "de", "do", "da", "dos", "das", "em", "no", "na", "nos", "nas", "a", "ao", "à", "aos", "às",
    "para", "com", "sem", "por", "pelo", "pela", "pelos", "pelas", "contra", "sobre", "entre",
}
PREFIXES = {"não", "ex", "pré", "pós", "anti", "vice", "auto", "co", "sub", "super", "neo"}

# --- Gender of nouns and adjectives by ending, with the exceptions.
MASCULINE = {
    "homem", "jovem", "dia", "mapa", "problema", "sistema", "programa", "tema", "clima", "idioma", "poema", "dilema",
    "esquema", "trauma", "drama", "diploma", "planeta", "cometa", "regime", "grupo",
}
FEMININE = {"mulher", "criança", "foto", "tribo", "moto", "mão", "dor", "cor", "flor", "lei", "vez", "paz", "voz", "luz", "cruz"}
FEMININE_ENDINGS = ("ção", "são", "zão", "gião", "nião", "dade", "tude", "gem", "ise", "eza", "esa", "ez", "ora", "eia")
COMMON_ENDINGS = ("ista", "ante", "ente", "inte", "cida", "ta", "e", "al", "il", "ar", "ul", "z")

# --- Adjectives (and participles) that follow a noun and agree with it, by stem ending.
_ADJ = re.compile(
    r"^(?:..+(?:ad|id|an|ic|iv|os|ári|eir|in|ens|ít|ul|ôm|ôn|gr|ort|ert|ers|ex|ent|eg|ég)(?:o|a|os|as)"
    r"|..+(?:ês|esa|eses|esas)|..+(?:eu|eia|eus|eias))$"
)
# Participles with irregular stems ("foi preso" -> "foi presa"), masculine singular.
IRREGULAR_PARTICIPLES = {
    "preso", "morto", "feito", "dito", "posto", "visto", "escrito", "eleito", "expulso", "solto",
    "aceito", "pago", "gasto", "suspenso", "aberto", "coberto", "impresso", "submisso", "envolto",
    "junto", "salvo", "extinto", "isento", "omisso", "tinto", "roto", "bento", "benquisto",
}
NOT_ADJECTIVES = {
    "ano", "anos", "dano", "danos", "plano", "planos", "pedido", "pedidos", "partido", "partidos",
    "sentido", "sentidos", "estado", "estados", "lado", "lados", "mercado", "resultado", "passado",
    "caso", "casos", "uso", "acesso", "processo", "progresso", "congresso", "momento", "depois",
    "mês", "país", "através", "inglês", "francês", "português", "japonês", "chinês", "holandês",
    "pois", "ideia", "ideias", "europeu", "europeus", "museu", "museus", "seu", "seus", "meu", "teu",
    "deus", "dentro", "ensino", "destino", "destinos", "caminho", "vizinho", "vizinhos",
    "desde", "ontem", "hoje", "como", "contra", "fora", "agora", "ainda", "outrora", "logo",
    "cedo", "sobretudo", "junto", "acima", "abaixo", "adiante", "quanto", "tanto", "muito", "pouco",
}
COPULAS = {
    "s": {"é", "foi", "era", "será", "seria", "está", "estava", "esteve", "ficou", "fica", "continua",
          "permanece", "parece", "tem", "teria", "estaria"},
    "p": {"são", "foram", "eram", "serão", "seriam", "estão", "estavam", "estiveram", "ficaram", "ficam",
          "continuam", "permanecem", "parecem", "têm", "teriam", "estariam"},
}
AUXILIARIES = {"sendo", "sido", "ser", "estar", "ficado", "mais", "muito", "tão", "menos", "bem", "mal"}
ADVERBS = {"não", "já", "ainda", "também", "sempre", "nunca", "jamais", "só", "quase", "logo", "agora", "hoje",
           "ontem", "depois", "antes", "então", "talvez", "apenas"}


# "muitas vezes", "às vezes": the first word is skipped when "vezes" follows.
_BEFORE_VEZES = {"muitas", "às", "por", "algumas", "várias", "poucas"}


def _is_adverb(word: str, following: str = "") -> bool:
    w = word.lower()
    if w == "vezes" or (w in _BEFORE_VEZES and following == "vezes"):
        return True
    return w in ADVERBS or (w.endswith("mente") and len(w) > 7 and w.isalpha())

# English nouns whose Portuguese translation has a known gender and number: translating the
# source with the term replaced by one lets the model do the agreement; the proxy's
# translation is then replaced by the rendering. Persons first, then things.
PROXIES = {
    ("f", "s"): [("woman", "mulher"), ("freedom", "liberdade"), ("house", "casa")],
    ("f", "p"): [("women", "mulheres"), ("freedoms", "liberdades"), ("houses", "casas")],
    ("m", "s"): [("man", "homem"), ("book", "livro"), ("car", "carro")],
    ("m", "p"): [("men", "homens"), ("books", "livros"), ("cars", "carros")],
}

_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*"


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def _like(model: str, word: str) -> str:
    """``word`` with the capitalization of ``model``."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _last(word: str) -> str:
    return word.rsplit("-", 1)[-1]


# --- Number -------------------------------------------------------------------------

_SINGULAR_S = {"lápis", "vírus", "ônibus", "atlas", "tênis", "pires", "mais", "menos", "pois", "depois",
               "antes", "após", "apenas", "através", "status", "campus", "bônus", "ânus", "óculos"}


def word_number(word: str) -> str:
    w = _last(word.lower())
    if len(w) < 3 or not w.endswith("s") or w in _SINGULAR_S:
        return "s"
    if w[-2] in "áéíóúâêô":  # país, português, através
        return "s"
    return "p"


def pluralize(word: str) -> str:
    if "-" in word:
        head, _, last = word.rpartition("-")
        return head + "-" + pluralize(last)
    w = word.lower()
    irregular = {"mão": "mãos", "cidadão": "cidadãos", "irmão": "irmãos", "cristão": "cristãos",
                 "órgão": "órgãos", "alemão": "alemães", "cão": "cães", "pão": "pães",
                 "capitão": "capitães", "país": "países", "mês": "meses", "gás": "gases"}
    if w in irregular:
        out = irregular[w]
    elif w.endswith("ão"):
        out = w[:-2] + "ões"
    elif w[-1] in "aeiouáéíóúâêôã":
        out = w + "s"
    elif w.endswith("al"):
        out = w[:-2] + "ais"
    elif w.endswith("el"):
        out = w[:-2] + ("eis" if _strip_accents(w) != w else "éis")
    elif w.endswith("ol"):
        out = w[:-2] + "óis"
    elif w.endswith("ul"):
        out = w[:-2] + "uis"
    elif w.endswith("il"):
        out = w[:-2] + ("eis" if _strip_accents(w) != w else "is")
    elif w.endswith("m"):
        out = w[:-1] + "ns"
    elif w.endswith(("r", "z", "n")):
        out = w + "es"
    elif w.endswith("ês"):
        out = w[:-2] + "eses"
    elif w.endswith(("ás", "ís", "ós", "ús")):
        out = w[:-2] + _strip_accents(w[-2]) + "ses"
    else:
        out = w  # -s, -x: invariable
    return _like(word, out)


def singularize(word: str) -> str:
    if "-" in word:
        head, _, last = word.rpartition("-")
        return head + "-" + singularize(last)
    w = word.lower()
    if word_number(w) == "s":
        return word
    rules = [("ões", "ão"), ("ães", "ão"), ("ãos", "ão"), ("ais", "al"), ("éis", "el"), ("óis", "ol"),
             ("uis", "ul"), ("eses", "ês"), ("ns", "m")]
    for suffix, repl in rules:
        if w.endswith(suffix):
            return _like(word, w[: -len(suffix)] + repl)
    if re.search(r"[aeiouáéíóúâêô][rz]es$", w):
        return _like(word, w[:-2])
    if w.endswith("is") and len(w) > 4:
        return _like(word, w[:-2] + "il")
    return _like(word, w[:-1])


# --- The lexicon -------------------------------------------------------------------------

# Nouns whose gender is grammatical only, not the sex of a person they name: a common-gender
# rendering that replaces one takes the generic masculine ("a pessoa apátrida" -> "o apátrida").
EPICENE = {"pessoa", "pessoas", "vítima", "vítimas", "criança", "crianças", "testemunha", "testemunhas",
           "indivíduo", "indivíduos", "membro", "membros", "ser", "seres"}


def lexicon(word: str) -> set[tuple[str, str | None, str | None]]:
    """(category, gender, number) of a word: category N, A or P; gender None for common
    gender; number None for an invariable word. Empty: not in the table."""
    found = pt_lexicon.analyses(word)
    if not found and "-" in word:
        first, _, rest = word.partition("-")
        if first.lower() in PREFIXES or first.lower() in ("norte", "sul", "ex"):
            found = pt_lexicon.analyses(rest)
    return {(a[0], None if a[1] == "c" else a[1], None if a[2] == "i" else a[2]) for a in found}


def _noun(word: str):
    """(gender, number, known) of a noun from the table, else from its ending."""
    found = [(g, n) for c, g, n in lexicon(_strip_prefix(word)) if c == "N"]
    if found:
        genders = {g for g, _ in found}
        numbers = {n for _, n in found}
        g = genders.pop() if len(genders) == 1 else None
        n = numbers.pop() if len(numbers) == 1 else word_number(word)
        return g, n or "s", True
    return word_gender(word), word_number(word), False


def invariable(word: str) -> bool:
    return any(c == "N" and n is None for c, _, n in lexicon(word))


def word_gender(word: str) -> str | None:
    """Gender by the ending, for words the table lacks."""
    w = _last(word.lower())
    s = singularize(w) if word_number(w) == "p" else w
    if s in MASCULINE:
        return "m"
    if s in FEMININE:
        return "f"
    if s.endswith(FEMININE_ENDINGS):
        return "f"
    if s.endswith("ão") or s.endswith(("or", "ês", "eu")):
        return "m"
    if s.endswith(COMMON_ENDINGS):
        return None
    if s.endswith("o"):
        return "m"
    if s.endswith("a"):
        return "f"
    return None


def _head(words: list[str]) -> list[str]:
    """The words of a noun phrase before its first preposition, without fixed words."""
    out = []
    for w in words:
        if w.lower() in PREPOSITIONS and out:
            break
        if w.lower() in FIXED:
            continue
        out.append(w)
    return out


def _strip_prefix(word: str) -> str:
    first, _, rest = word.partition("-")
    return rest if rest and first.lower() in PREFIXES else word


def _phrase_head(phrase: str) -> str | None:
    for w in _head(phrase.split()):
        if not (w[:1].isupper() and w.isupper() and len(w) > 1):  # an acronym says nothing
            return w
    return None


def features(phrase: str) -> tuple[str | None, str]:
    """Gender and number of a noun phrase: "pessoas refugiadas" -> ("f", "p")."""
    head = _phrase_head(phrase)
    if head is None:
        return None, "s"
    g, n, _ = _noun(head)
    return g, n


def known(phrase: str) -> bool:
    """The gender and number of the phrase's head noun are in the table."""
    head = _phrase_head(phrase)
    return head is not None and _noun(head)[2]


def inflect(phrase: str, number: str, gender: str | None = None) -> str:
    """``phrase`` (a glossary rendering, singular) in ``number``: the head noun and the
    adjectives before the first preposition change ("campo de trabalho forçado" ->
    "campos de trabalho forçado"); an invariable noun keeps its form ("sem-teto").
    ``gender``: the gender the context gives a rendering of common gender, which its
    adjectives take ("migrante econômica")."""
    words = phrase.split(" ")
    out, in_head = [], True
    for i, w in enumerate(words):
        low = w.lower()
        if in_head and i > 0 and low in PREPOSITIONS:
            in_head = False
        if in_head and low not in FIXED and not (w.isupper() and len(w) > 1) and not invariable(w):
            current = word_number(_strip_prefix(w))
            if current != number:
                w = pluralize(w) if number == "p" else singularize(w)
            if i > 0 and gender is not None and adjective_features(w):
                w = regender(w, gender, number) or w
        out.append(w)
    return " ".join(out)


def regender(word: str, gender: str, number: str) -> str | None:
    """An agreeing adjective in another gender and number ("norte-coreanos" -> "norte-coreanas")."""
    if "-" in word:
        head, _, last = word.rpartition("-")
        new = regender(last, gender, number)
        return None if new is None else head + "-" + new
    w = word.lower()
    found = lexicon(w)
    if found and all(g is None for c, g, _ in found if c in "AP"):
        # Of common gender ("ilegal", "vinculante"): only the number changes.
        return _like(word, pluralize(w) if number == "p" and word_number(w) == "s" else
                     singularize(w) if number == "s" and word_number(w) == "p" else w)
    for masc, fem in (("ês", "esa"), ("eu", "eia"), ("o", "a")):
        for stem_end in (masc, fem, (masc + "s" if masc != "ês" else "eses"), fem + "s"):
            if w.endswith(stem_end):
                stem = w[: -len(stem_end)]
                if masc == "ês":
                    forms = {("m", "s"): stem + "ês", ("f", "s"): stem + "esa",
                             ("m", "p"): stem + "eses", ("f", "p"): stem + "esas"}
                else:
                    forms = {("m", "s"): stem + masc, ("f", "s"): stem + fem,
                             ("m", "p"): stem + masc + "s", ("f", "p"): stem + fem + "s"}
                return _like(word, forms[(gender, number)])
    return None


def _looks_adjective(word: str) -> tuple[str, str] | None:
    """(gender, number) of a word the table lacks that ends like an agreeing adjective."""
    w = word.lower()
    last = _last(w)
    stem = re.sub(r"(o|a|os|as)$", "o", last)
    if last in NOT_ADJECTIVES or not (_ADJ.match(last if "-" in w else w) or stem in IRREGULAR_PARTICIPLES):
        return None
    for end, feats in (("eses", ("m", "p")), ("esas", ("f", "p")), ("ês", ("m", "s")), ("esa", ("f", "s")),
                       ("eias", ("f", "p")), ("eus", ("m", "p")), ("eia", ("f", "s")), ("eu", ("m", "s")),
                       ("os", ("m", "p")), ("as", ("f", "p")), ("o", ("m", "s")), ("a", ("f", "s"))):
        if last.endswith(end):
            return feats
    return None


def adjective_features(word: str) -> tuple[str | None, str] | None:
    """(gender, number) of a word that is an agreeing adjective or participle (gender None:
    of common gender, as "ilegal"); None for other words."""
    w = word.lower()
    if w in NOT_ADJECTIVES or w in _DET or w in PREPOSITIONS or not word.islower() or w in _NOT_HEADS:
        return None
    found = lexicon(w)
    if found:
        feats = {(g, n or "s") for c, g, n in found if c in "AP"}
        if len(feats) == 1:
            return feats.pop()
        return None
    return _looks_adjective(word)


def _unknown_adjective(word: str) -> bool:
    """A word the table lacks that looks like an agreeing adjective: its agreement cannot be checked."""
    return word.islower() and not lexicon(word) and _looks_adjective(word) is not None


def determiner_features(word: str, number: str, gender: str | None = None):
    """The row and (gender, number) of a determiner agreeing in ``number`` (and ``gender``)."""
    for row, g, n in _DET.get(word.lower(), []):
        if n == number and (gender is None or g == gender or row[0] == row[1]):
            return row, g, n
    return None


# --- Reading the sentence around a rendering ------------------------------------------------

# What may stand between a determiner and its noun besides spaces: opening quotes
# ('disse: "Um refugiado', 'chama os "migrantes').
_QUOTES = "\"“”«»‘’'"
_TOKEN = re.compile(_WORD)


def _before(text: str, pos: int):
    """The word just before ``pos`` (start, end, word) when only spaces, quotes and numbers
    stand between ("os 600 refugiados")."""
    m = re.search(r"(?<![\w-])(" + _WORD + r")([ " + _QUOTES + r"]+(?:\d[\d.,]*[ " + _QUOTES + r"]+)*)$", text[:pos])
    return (m.start(1), m.end(1), m.group(1)) if m else None


def _after(text: str, pos: int):
    """The word just after ``pos`` when only spaces stand between."""
    m = re.match(r" +(" + _WORD + r")(?![\w-])", text[pos:])
    return (pos + m.start(1), pos + m.end(1), m.group(1)) if m else None


def context_gender(text: str, start: int, number: str) -> str | None:
    """The gender the determiner just before ``start`` gives the noun there ("da" -> "f")."""
    prev = _before(text, start)
    if not prev:
        return None
    found = determiner_features(prev[2], number)
    if found is None:
        return None
    row, g, _ = found
    return None if row[0] == row[1] else g


def _left(text: str, start: int, number: str, gender: str | None):
    """The determiners and adjectives before a noun that agree with it: [(start, end, word,
    kind, row-or-None)], nearest first, and where the noun phrase starts."""
    out, pos = [], start
    while True:
        prev = _before(text, pos)
        if not prev:
            break
        s, e, word = prev
        low = word.lower()
        if low in TRANSPARENT:
            pos = s
            continue
        found = determiner_features(word, number, gender)
        if found is not None:
            out.append((s, e, word, "det", found[0]))
            if gender is None and found[0][0] != found[0][1]:
                gender = found[1]
            pos = s
            continue
        feats = adjective_features(word)
        cats = {c for c, _, _ in lexicon(word)}
        if feats and "N" not in cats and "P" not in cats and _fits(feats, (gender, number)):
            out.append((s, e, word, "adj", None))  # "as novas casas"
            pos = s
            continue
        break
    return out, pos


def _right(text: str, end: int, number: str, gender: str | None):
    """The adjectives right after a noun that agree with it (start, end, word), and where they end."""
    out, pos = [], end
    while True:
        nxt = _after(text, pos)
        if not nxt:
            break
        feats = adjective_features(nxt[2])
        if feats is None or not _fits(feats, (gender, number)):
            break
        out.append(nxt)
        pos = nxt[1]
    return out, pos


# What may open a clause whose subject the noun phrase is.
_SUBJECT_OPENERS = {"que", "e", "mas", "quando", "porque", "se", "como", "onde", "enquanto", "embora", "pois",
                    "ou", "nem", "porém", "contudo", "entretanto"}
# "tem sido", "têm estado": a form of "ter" is a copula only before these.
_PERFECT = ({"tem", "tinha", "teria", "terá"}, {"têm", "tinham", "teriam", "terão"}, {"sido", "estado", "ficado"})
_COPULA_PAIRS = [("é", "são"), ("foi", "foram"), ("era", "eram"), ("será", "serão"), ("seria", "seriam"),
                 ("está", "estão"), ("estava", "estavam"), ("esteve", "estiveram"), ("ficou", "ficaram"),
                 ("fica", "ficam"), ("continua", "continuam"), ("permanece", "permanecem"), ("parece", "parecem"),
                 ("estaria", "estariam"), ("fora", "foram"),
                 ("ficaria", "ficariam"), ("seja", "sejam"), ("fosse", "fossem"), ("esteja", "estejam")]


def _is_subject(text: str, np_start: int) -> bool:
    """The noun phrase starting at ``np_start`` opens a clause (its subject), not an object
    or the complement of a preposition."""
    before = text[:np_start].rstrip(" " + _QUOTES)
    if not before or before[-1] in ",:;(—–":
        return True
    m = re.search(r"(" + _WORD + r")$", before)
    return bool(m) and m.group(1).lower() in _SUBJECT_OPENERS


def _clause_words(text: str, pos: int, limit: int = 14):
    """(start, end, word, gap) of the words after ``pos`` up to the end of the sentence:
    gap is the text between the previous word and this one."""
    out, at = [], pos
    for m in _TOKEN.finditer(text, pos):
        gap = text[at:m.start()]
        if re.search(r"[.!?;:]", gap):
            break
        out.append((m.start(), m.end(), m.group(), gap))
        at = m.end()
        if len(out) == limit:
            break
    return out


def predicate(text: str, np_start: int, end: int, number: str):
    """The predicative adjective or participle of the clause whose subject is the noun phrase
    ``text[np_start:end]`` (start, end, word): of a relative clause right after it ("uma
    pessoa refugiada que foi espancada"), or, when the phrase opens its clause, across a
    prepositional phrase, an apposition between commas and adverbs ("A repatriação
    forçada do grupo é lícita", "Os refugiados, a maioria mulheres, foram presos"). None
    when there is none or the clause is not that simple."""
    words = _clause_words(text, end)
    relative = bool(words) and words[0][2].lower() == "que" and "," not in words[0][3]
    if not relative and not _is_subject(text, np_start):
        return None
    k = 1 if relative else 0
    in_commas = False
    copulas = {pair[0 if number == "s" else 1] for pair in _COPULA_PAIRS}
    perfect = _PERFECT[0 if number == "s" else 1]
    while k < len(words):
        s, e, word, gap = words[k]
        low = word.lower()
        if "," in gap and not relative:
            in_commas = not in_commas  # an apposition or relative clause opens or closes
        if in_commas:
            k += 1
            continue
        if low in copulas or (low in perfect and k + 1 < len(words) and words[k + 1][2].lower() in _PERFECT[2]):
            k += 1
            while k < len(words) and (_is_adverb(words[k][2], words[k + 1][2] if k + 1 < len(words) else "")
                                      or words[k][2].lower() in AUXILIARIES or words[k][2].lower() in _PERFECT[2]):
                k += 1
            if k < len(words) and "," not in words[k][3]:
                s, e, word, _ = words[k]
                if adjective_features(word) is not None or _unknown_adjective(word):
                    return s, e, word
            return None
        if relative:
            if _is_adverb(word, words[k + 1][2] if k + 1 < len(words) else ""):
                k += 1
                continue
            return None
        if low in ("e", "ou", "nem") and k == 0:
            return None  # a coordinated subject
        if (low == "que" or low in PREPOSITIONS or low in _DET or _is_adverb(word)
                or (word[:1].isupper() and k > 0) or any(c in "NA" for c, _, _ in lexicon(word))
                or re.fullmatch(r"\d", word[:1])):
            k += 1
            continue
        return None  # a verb: the clause goes on without a copula
    return None


def _fits(feats, old) -> bool:
    g, n = feats
    return n == old[1] and (old[0] is None or g is None or g == old[0])


def agree(text: str, start: int, end: int, old, new) -> tuple[str, int, int]:
    """Rewrite the words around ``text[start:end]`` (a noun phrase that had features
    ``old`` and now has ``new``) so they agree; returns the text and the new span."""
    if old == new or (new[0] is None and old[1] == new[1]):
        return text, start, end
    edits = []  # (start, end, replacement)

    def target_gender(word_gender):
        return new[0] if new[0] is not None else word_gender

    left, np_start = _left(text, start, old[1], old[0])
    old_g = old[0]
    for s, e, word, kind, row in left:
        if kind == "det":
            g = next(g for r, g, n in _DET[word.lower()] if r is row and n == old[1])
            if old_g is None and row[0] != row[1]:
                old_g = g  # "os requerentes": the article tells the gender
            replacement = row[_SLOTS.index((target_gender(g), new[1]))]
            if replacement is None:
                break
            if replacement != word.lower():
                edits.append((s, e, _like(word, replacement)))
        else:
            replacement = regender(word, target_gender(adjective_features(word)[0] or old_g or "m"), new[1])
            if replacement and replacement != word:
                edits.append((s, e, replacement))
    old = (old_g, old[1])

    right, pos = _right(text, end, old[1], old[0])
    for s, e, word in right:
        feats = adjective_features(word)
        replacement = regender(word, target_gender(feats[0] or old[0] or "m"), new[1])
        if replacement and replacement != word:
            edits.append((s, e, replacement))

    found = predicate(text, np_start, pos, old[1])
    if found:
        s, e, word = found
        feats = adjective_features(word)
        if feats and _fits(feats, old):
            replacement = regender(word, target_gender(feats[0] or old[0] or "m"), new[1])
            if replacement and replacement != word:
                edits.append((s, e, replacement))

    shift_start = 0
    for s, e, r in sorted(edits, reverse=True):
        text = text[:s] + r + text[e:]
        if s < start:
            shift_start += len(r) - (e - s)
    return text, start + shift_start, end + shift_start


def check(text: str, start: int, end: int, feats=None) -> tuple[list[str], list[str]]:
    """The words around the rendering ``text[start:end]`` that do not agree with it, and
    those whose agreement cannot be told (a gender or number not in the data): the
    determiners and adjectives before it, the adjectives after it and the predicate of
    its clause."""
    g, n = feats or features(text[start:end])
    head = _phrase_head(text[start:end])
    errors, unknown = [], []
    if head is not None and not lexicon(head):
        unknown.append(head)
    if head is not None and invariable(head):
        prev = _before(text, start)  # "os sem-teto": the determiner tells the number
        n = next((nn for _, _, nn in _DET.get(prev[2].lower(), [])), n) if prev else n
    if g is None:
        g = context_gender(text, start, n)
    # Before: every determiner of the phrase (across quotes) agrees.
    pos = start
    while True:
        prev = _before(text, pos)
        if not prev:
            break
        s, e, word = prev
        low = word.lower()
        if low in TRANSPARENT:
            pos = s
            continue
        if low in _DET:
            if low == "a" and n == "p":
                break  # the preposition: "ajudar a pessoas refugiadas"
            if determiner_features(word, n, g) is None:
                errors.append(word)
            pos = s
            continue
        feats_word = adjective_features(word)
        cats = {c for c, _, _ in lexicon(word)}
        if feats_word and cats and "N" not in cats and "P" not in cats:
            if not _fits(feats_word, (g, n)):
                errors.append(word)
            pos = s
            continue
        break
    np_start = pos
    # After: adjectives right after the phrase.
    pos = end
    while True:
        nxt = _after(text, pos)
        if not nxt:
            break
        word = nxt[2]
        feats_word = adjective_features(word)
        if feats_word is None:
            if _unknown_adjective(word):
                unknown.append(word)
            break
        if not _fits(feats_word, (g, n)):
            if any(c == "N" for c, _, _ in lexicon(word)):
                break  # a noun that happens to look like an adjective ("direitos")
            errors.append(word)
            break
        if not lexicon(word):
            unknown.append(word)  # agrees by its ending only
        pos = nxt[1]
    found = predicate(text, np_start, pos, n)
    if found:
        word = found[2]
        feats_word = adjective_features(word)
        if feats_word is None:
            unknown.append(word)
        elif not _fits(feats_word, (g, n)):
            errors.append(word)
    return errors, unknown


def disagreements(text: str, start: int, end: int) -> int:
    """How many words around the noun phrase ``text[start:end]`` do not agree with it."""
    return len(check(text, start, end)[0])


# Words before a noun that show it is not an attributive adjective's head.
_NOT_HEADS = {"que", "como", "se", "é", "são", "foi", "foram", "era", "eram", "ser", "ele", "ela", "eles",
              "elas", "nós", "isso", "isto", "também", "não", "mais", "menos", "e", "ou", "nem", "mas"}


def attributive(text: str, start: int, end: int) -> bool:
    """The span is an adjective after a noun it agrees with ("crianças refugiadas"): a noun
    phrase ("pessoas refugiadas") cannot replace it."""
    m = re.search(r"(?<![\w-])(" + _WORD + r") +$", text[:start])
    if not m:
        return False
    prev = m.group(1)
    low = prev.lower()
    if (not prev.islower() or low in _DET or low in PREPOSITIONS or low in _NOT_HEADS or low in FIXED
            or low.endswith("mos") or any(low in c for c in COPULAS.values())):
        return False
    g, n = features(text[start:end])
    if word_number(prev) != n:
        return False
    cats = {c for c, _, _ in lexicon(prev)}
    if cats and "N" not in cats:
        return False  # a verb's participle or an adjective: no head for an adjective
    pg = _noun(prev)[0]
    return pg == g if pg is not None else (n == "p" and g is not None)


def phrase_variants(phrase: str) -> set[str]:
    """A learned rendering with its preposition contracted or not ("grupo dos direitos
    humanos", "grupo de direitos humanos")."""
    out = {phrase}
    for contracted in ("do", "da", "dos", "das"):
        if f" {contracted} " in f" {phrase} ":
            out.add(f" {phrase} ".replace(f" {contracted} ", " de ").strip())
    if " de " in f" {phrase} ":
        for contracted in ("do", "da", "dos", "das"):
            out.add(f" {phrase} ".replace(" de ", f" {contracted} ", 1).strip())
    return out


_PRONOUNS = {("m", "s"): {"ele"}, ("f", "s"): {"ela"}, ("m", "p"): {"eles"}, ("f", "p"): {"elas"}}
_CLITICS = {("m", "s"): {"o", "lo", "no"}, ("f", "s"): {"a", "la", "na"}, ("m", "p"): {"os", "los", "nos"},
            ("f", "p"): {"as", "las", "nas"}}


def leftovers(text: str, start: int, end: int, old, pronouns_only: bool = False) -> list[str]:
    """After a change of gender or number of the noun at ``text[start:end]``: the words after
    it that still agree with the old noun and may refer to it ("pessoas refugiadas dizem
    que foram torturados"; a pronoun "eles", a clitic "os envia"); only the model can tell.
    When the noun is not the subject of its clause ("o testemunho de um refugiado é ouvido"),
    words up to a following "que" belong to another noun."""
    out = []
    np_start = _left(text, start, old[1], old[0])[1]
    skip_to = end
    if not _is_subject(text, np_start):
        m = re.search(r"\bque\b", text[end:])
        skip_to = end + m.start() if m else len(text)
    for m in _TOKEN.finditer(text, end):
        word = m.group(0)
        low = word.lower()
        if m.start() >= skip_to and not pronouns_only:
            feats = adjective_features(word)
            cats = {c for c, _, _ in lexicon(word)}
            prev = _before(text, m.start())
            # An adjective right after another noun is that noun's ("ao trabalho forçado").
            after_noun = prev is not None and {c for c, _, _ in lexicon(prev[2])} == {"N"}
            if feats and _fits(feats, old) and feats[0] is not None and ("P" in cats or not cats) and not after_noun:
                out.append(word)
                continue
        if old in _PRONOUNS and low in _PRONOUNS[old]:
            out.append(word)
        elif old in _CLITICS and low in _CLITICS[old] and _clitic(text, m):
            out.append(word)
    return out


def _clitic(text: str, m) -> bool:
    """An object pronoun ("e os envia", "enviou-os"), not an article: a verb follows or it is hyphenated."""
    if text[m.start() - 1: m.start()] == "-":
        return True
    nxt = _after(text, m.end())
    if not nxt:
        return False
    word = nxt[2]
    # A finite verb follows ("a acusaram"); before an infinitive "a" is the preposition ("autorizado a sair").
    return word.islower() and not lexicon(word) and word.lower() not in _DET and word.lower() not in PREPOSITIONS \
        and not _looks_adjective(word) and word.lower() not in FIXED and not word.endswith("r")




def strip_determiners(phrase: str) -> str:
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in ARTICLES:
        words = words[1:]
    return " ".join(words)
