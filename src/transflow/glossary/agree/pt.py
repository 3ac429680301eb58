"""Portuguese agreement, as data: gender and number of nouns and adjectives, the
determiners and adjectives that agree with a noun, and the rewrite of the words
around a substituted rendering.

"os refugiados norte-coreanos" with "refugiados" replaced by "pessoas refugiadas"
becomes "as pessoas refugiadas norte-coreanas": the determiners before the noun and
the adjectives after it (and a predicate adjective after a copula) follow the
gender and number of the new head.

Features are ``(gender, number)``: gender ``"m"``, ``"f"`` or ``None`` (common
gender, as "solicitante", or unknown), number ``"s"`` or ``"p"``.
"""

import re
import unicodedata

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


# --- Gender -------------------------------------------------------------------------

def word_gender(word: str) -> str | None:
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


def features(phrase: str) -> tuple[str | None, str]:
    """Gender and number of a noun phrase: "pessoas refugiadas" -> ("f", "p")."""
    head = [_strip_prefix(w) for w in _head(phrase.split())]
    if not head:
        return None, "s"
    number = word_number(head[0])
    gender = None
    for w in head:
        if w[:1].isupper() and w.isupper():
            continue  # an acronym says nothing
        gender = word_gender(w)
        if gender:
            break
    return gender, number


def inflect(phrase: str, number: str) -> str:
    """``phrase`` (a glossary rendering, singular) in ``number``: the head noun and the
    adjectives before the first preposition change ("campo de trabalho forçado" ->
    "campos de trabalho forçado")."""
    words = phrase.split(" ")
    out, in_head = [], True
    for i, w in enumerate(words):
        low = w.lower()
        if in_head and i > 0 and low in PREPOSITIONS:
            in_head = False
        if in_head and low not in FIXED and not (w.isupper() and len(w) > 1):
            current = word_number(_strip_prefix(w))
            if current != number:
                w = pluralize(w) if number == "p" else singularize(w)
        out.append(w)
    return " ".join(out)


def regender(word: str, gender: str, number: str) -> str | None:
    """An agreeing adjective in another gender and number ("norte-coreanos" -> "norte-coreanas")."""
    if "-" in word:
        head, _, last = word.rpartition("-")
        new = regender(last, gender, number)
        return None if new is None else head + "-" + new
    w = word.lower()
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


def adjective_features(word: str) -> tuple[str, str] | None:
    """(gender, number) of a word that looks like an agreeing adjective or participle."""
    w = word.lower()
    if w in NOT_ADJECTIVES or w in _DET or w in PREPOSITIONS or not word.islower():
        return None
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


def determiner_features(word: str, number: str, gender: str | None = None):
    """The row and (gender, number) of a determiner agreeing in ``number`` (and ``gender``)."""
    for row, g, n in _DET.get(word.lower(), []):
        if n == number and (gender is None or g == gender or row[0] == row[1]):
            return row, g, n
    return None


def context_gender(text: str, start: int, number: str) -> str | None:
    """The gender the determiner just before ``start`` gives the noun there ("da" -> "f")."""
    m = re.search(r"(\S+) +$", text[:start])
    if not m:
        return None
    found = determiner_features(m.group(1), number)
    if found is None:
        return None
    row, g, _ = found
    return None if row[0] == row[1] else g


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
    pg = word_gender(prev)
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


def leftover(text: str, start: int, old) -> bool:
    """After a change of gender: a word later in the sentence still agrees with the old
    noun ("pessoas refugiadas dizem que foram torturados"), which only the model can tell."""
    for m in re.finditer(_WORD, text[start:]):
        feats = adjective_features(m.group(0))
        if feats and feats == old:
            return True
    return False


def disagreements(text: str, start: int, end: int) -> int:
    """How many neighbours of the noun phrase ``text[start:end]`` do not agree with it: the
    determiner just before ("os pessoas refugiadas") and the adjective just after
    ("pessoas refugiadas norte-coreanos")."""
    feats = features(text[start:end])
    errors = 0
    m = re.search(r"(?<![\w-])(\S+) +$", text[:start])
    if m and m.group(1).lower() in _DET:
        rows = _DET[m.group(1).lower()]
        if not any(n == feats[1] and (feats[0] is None or g == feats[0] or row[0] == row[1]) for row, g, n in rows):
            errors += 1
    elif m:
        adj = adjective_features(m.group(1))  # "do norte-coreano pessoas refugiadas"
        if adj and (adj[1] != feats[1] or (feats[0] is not None and adj[0] != feats[0])):
            errors += 1
    m = re.match(r" +(" + _WORD + r")(?![\w-])", text[end:])
    if m:
        adj = adjective_features(m.group(1))
        if adj and (adj[1] != feats[1] or (feats[0] is not None and adj[0] != feats[0])):
            errors += 1
    return errors


def strip_determiners(phrase: str) -> str:
    words = phrase.split()
    while len(words) > 1 and words[0].lower() in ARTICLES:
        words = words[1:]
    return " ".join(words)


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

    # Before the noun: determiners and the adjectives listed with them ("todos os", "dos dois").
    pos = start
    old_g = old[0]
    while True:
        m = re.search(r"(\S+) +$", text[:pos])
        if not m:
            break
        word = m.group(1)
        if re.fullmatch(r"\d[\d.,]*", word) or word.lower() in TRANSPARENT:
            pos = m.start(1)
            continue
        found = determiner_features(word, old[1], old_g)
        if found is None:
            break
        row, g, _ = found
        if old_g is None and row[0] != row[1]:
            old_g = g  # "os requerentes": the article tells the gender
        replacement = row[_SLOTS.index((target_gender(g), new[1]))]
        if replacement is None:
            break
        if replacement != word.lower():
            edits.append((m.start(1), m.end(1), _like(word, replacement)))
        pos = m.start(1)
    old = (old_g, old[1])

    # After the noun: agreeing adjectives ("refugiados norte-coreanos detidos").
    pos = end
    while True:
        m = re.match(r" +(" + _WORD + r")(?![\w-])", text[pos:])
        if not m:
            break
        word = m.group(1)
        feats = adjective_features(word)
        if feats is None or not _fits(feats, old):
            break
        replacement = regender(word, target_gender(feats[0]), new[1])
        if replacement is None:
            break
        if replacement != word:
            edits.append((pos + m.start(1), pos + m.end(1), replacement))
        pos += m.end(1)

    # A predicate adjective: "refugiados (que) (raramente) foram detidos" -> "pessoas
    # refugiadas (que) (raramente) foram detidas".
    words = []  # (offset, word) up to the end of the clause
    for w in re.finditer(r" +(\S+)", text[pos:]):
        part = re.match(_WORD, w.group(1))
        if not part:
            break
        words.append((pos + w.start(1), part.group(0)))
        if part.end() < len(w.group(1)) or len(words) == 8:
            break  # punctuation ends the clause
    k = 0
    if k < len(words) and words[k][1] == "que":
        k += 1
    def following(k):
        return words[k + 1][1] if k + 1 < len(words) else ""

    while k < len(words) and _is_adverb(words[k][1], following(k)):
        k += 1
    if k < len(words) and words[k][1] in COPULAS[old[1]]:
        k += 1
        while k < len(words) and (_is_adverb(words[k][1], following(k)) or words[k][1] in AUXILIARIES):
            k += 1
        if k < len(words):
            at, word = words[k]
            feats = adjective_features(word)
            if feats and _fits(feats, old):
                replacement = regender(word, target_gender(feats[0]), new[1])
                if replacement and replacement != word:
                    edits.append((at, at + len(word), replacement))

    shift_start = 0
    for s, e, r in sorted(edits, reverse=True):
        text = text[:s] + r + text[e:]
        if s < start:
            shift_start += len(r) - (e - s)
    return text, start + shift_start, end + shift_start
