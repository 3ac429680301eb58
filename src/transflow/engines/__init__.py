"""Engine discovery: which pairs this machine can translate, and the engine for one pair.

Engine modules are imported only when needed: `transflow --help` and
`transflow status` never load CTranslate2 or a Bergamot model.
"""

from .. import langs
from ..errors import InputError, ModelNotFound
from .base import Engine, ModelInfo

ENGINES = ("argos", "bergamot", "apertium")


def _argos_models() -> list[ModelInfo]:
    from . import argos

    return argos.installed_packages()


def _bergamot_models() -> list[ModelInfo]:
    from . import bergamot

    return [info for info, _ in bergamot.available()]


def _apertium_models() -> list[ModelInfo]:
    from . import apertium

    return [info for info, _ in apertium.installed()]


def available_models(engine: str = "auto") -> list[ModelInfo]:
    """Every pair each engine can translate here, Argos first (the `auto` preference order:
    neural models before Apertium's rules)."""
    out = []
    if engine in ("auto", "argos"):
        out += _argos_models()
    if engine in ("auto", "bergamot"):
        out += _bergamot_models()
    if engine in ("auto", "apertium"):
        out += _apertium_models()
    return out


def _how_to_get(source: str, target: str, engine: str = "auto") -> str:
    if engine == "apertium":
        from .apertium import debian_package

        package = debian_package(source, target)
        get = (f"`apt install apertium {package}` installs Debian's pair" if package else
               f"Debian packages no Apertium pair for {source}-{target} (`apt-cache search apertium-` lists those it has)")
        return f"no installed Apertium pair translates {source}->{target}: {get}; `transflow models list` shows what is installed"
    flag = f" --engine {engine}" if engine != "auto" else ""
    return (
        f"no installed model translates {source}->{target}, directly or through English: "
        f"`transflow models download {source} {target}{flag}` fetches one (`transflow models available` "
        f"lists them), `transflow models install FILE.argosmodel` installs one from a file; "
        f"`transflow models list` shows what is installed"
    )


def find_model(source: str, target: str, engine: str = "auto") -> ModelInfo:
    if engine not in ("auto", *ENGINES):
        raise InputError(f"unknown engine {engine!r}: use auto, argos, bergamot or apertium")
    source, target = langs.normalize(source), langs.normalize(target)
    if langs.base(source) == langs.base(target):
        raise InputError(f"source and target language are both {source}")
    # A model for the bare language serves its regional variants (pt serves pt_BR).
    wanted = {(source, target), (langs.base(source), langs.base(target))}
    models = []
    # Engine by engine in the `auto` order, so that a pair the first ones have does not
    # wait for the others to be listed (Apertium's module alone imports in 6 ms).
    for name in ENGINES:
        if engine in ("auto", name):
            listed = available_models(name)
            for info in listed:
                if (info.source, info.target) in wanted:
                    return info
            models += listed
    # No direct model: two installed ones through English (pt->en + en->ko), named as such.
    from .pivot import find_pivot

    pivot = find_pivot(source, target, models)
    if pivot is not None:
        return pivot
    raise ModelNotFound(_how_to_get(source, target, engine))


def load_engine(info: ModelInfo, jobs: int | None = None) -> Engine:
    if info.engine == "pivot":
        from .pivot import PivotEngine

        first = load_engine(info.legs[0], jobs=jobs)
        try:
            return PivotEngine(first, load_engine(info.legs[1], jobs=jobs), info)
        except BaseException:
            getattr(first, "close", lambda: None)()
            raise
    if info.engine == "apertium":
        from . import apertium

        for candidate, mode in apertium.installed():
            if candidate == info:
                return apertium.ApertiumEngine(info, mode)
        raise ModelNotFound(_how_to_get(info.source, info.target, "apertium"))
    if info.engine == "argos":
        from . import argos

        return argos.ArgosEngine(argos.package_dir_of(info), jobs=jobs)
    from . import bergamot

    for candidate, path in bergamot.available():
        if candidate == info:
            return bergamot.BergamotEngine(info, path, jobs=jobs)
    raise ModelNotFound(_how_to_get(info.source, info.target))


def get_engine(source: str, target: str, engine: str = "auto", jobs: int | None = None) -> Engine:
    return load_engine(find_model(source, target, engine), jobs=jobs)
