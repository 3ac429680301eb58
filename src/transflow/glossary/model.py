"""The terminology model: a Term with its source forms and per-language renderings."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import GlossaryError

POS_VALUES = ("noun", "proper-noun", "verb", "adjective", "phrase")


@dataclass
class Rendering:
    """How one target language renders a term."""

    preferred: str | None = None
    allowed: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    do_not_translate: bool = False
    # The plural of the preferred rendering when the glossary gives it ("sem-teto" stays
    # "sem-teto"); otherwise the language's rules make it.
    plural: str | None = None

    def accepted(self, source: str) -> list[str]:
        """Every rendering a reviewed translation may use."""
        if self.do_not_translate:
            return [source]
        return [r for r in [self.preferred, *self.allowed] if r]


@dataclass
class Term:
    id: str
    source: str
    variants: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    pos: str = "noun"
    note: str = ""
    do_not_translate: bool = False
    translations: dict[str, Rendering] = field(default_factory=dict)
    # Where the term is defined, for messages: "glossary/refugees.yaml:12".
    origin: str = ""
    # Matching and enforcement read an unknown part of speech as a noun; pos_given says
    # whether the glossary said it, so that files written from the term do not state a
    # "noun" nobody decided (glossary YAML without pos:, a TBX file without partOfSpeech).
    pos_given: bool = True

    def rendering(self, lang: str) -> Rendering | None:
        """The rendering for ``lang`` (``pt_BR`` falls back to ``pt``); DNT terms render as themselves,
        and so does a name no language renders otherwise (:meth:`keeps_name`)."""
        r = self.translations.get(lang) or self.translations.get(lang.split("_")[0])
        if r is None and (self.do_not_translate or self.keeps_name()):
            return Rendering(preferred=self.source, do_not_translate=True)
        return r

    def keeps_name(self) -> bool:
        """A proper noun the glossary gives no other rendering in any language ("Yoon"): a
        desk lists it so that it is kept as written, which is what enforcement and `check`
        do without a do-not-translate flag. A name rendered otherwise somewhere (UNHCR ->
        ACNUR) is not assumed to stay as it is in a language the glossary does not give."""
        return self.pos == "proper-noun" and self.source[:1].isupper() and all(
            r.do_not_translate or r.preferred in (None, self.source) for r in self.translations.values())

    def label(self, lang: str) -> str:
        """``defector -> desertor`` for PO comments."""
        r = self.rendering(lang)
        if r is None:
            return self.source
        if r.do_not_translate:
            return f"{self.source} (do not translate)"
        return f"{self.source} -> {r.preferred}"


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)
    source_language: str = "en"
    files: list[str] = field(default_factory=list)

    @property
    def version(self) -> str:
        """A short content hash: it changes when any term changes, so TM entries made
        with an older glossary are not reused."""
        payload = json.dumps(
            [{k: v for k, v in asdict(t).items() if k not in ("origin", "pos_given")} for t in self.terms],
            sort_keys=True,
            ensure_ascii=False,
        )
        import hashlib  # OpenSSL: 3 ms of start-up, for the runs that need a version

        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    def by_id(self, term_id: str) -> Term:
        return next(t for t in self.terms if t.id == term_id)

    def __len__(self):
        return len(self.terms)


def glossary_files(path) -> list[Path]:
    """The YAML files that make up the glossary at ``path`` (a file, or a folder's files)."""
    path = Path(path)
    if path.is_dir():
        # Every one, whatever its kind: a FIFO or device named *.yaml is reported when read.
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.exists() and not p.is_dir())
    if path.exists():
        return [path]
    raise GlossaryError(f"{path}: no such glossary file or directory")
