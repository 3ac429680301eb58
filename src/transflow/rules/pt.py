"""Portuguese: what pysbd's rules miss in news text (lower-case, without the dot)."""

from . import Rules

RULES = Rules(
    titles=frozenset({"sr", "sra", "srta", "dr", "dra", "prof", "profa", "eng", "gen", "cel", "dom", "sto", "sta"}),
    before_number=frozenset({
        "n", "nº", "no", "art", "arts", "p", "pp", "pág", "págs", "vol", "cap", "fig", "tel", "aprox",
        "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez",
    }),
    starters=frozenset({
        "O", "A", "Os", "As", "Ele", "Ela", "Eles", "Elas", "Isso", "Este", "Esta", "Mas", "E",
        "No", "Na", "Em", "Um", "Uma", "Segundo", "Depois", "Quando", "Se",
    }),
)
