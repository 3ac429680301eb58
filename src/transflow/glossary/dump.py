"""Writing terms as a glossary YAML file in transflow's own format (what ``load`` reads back).

Fields that hold their default are left out, so a written file looks like a hand-written one:
a rendering with only a preferred form is a plain string, ``case_sensitive`` appears only
when it differs from what the loader would assume for the source.
"""

import yaml

from .model import Rendering, Term


class _Flow(dict):
    """A mapping written on one line: ``{preferred: a, allowed: [b]}``."""


class _FlowList(list):
    """A list written on one line: ``[a, b]``."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))


def default_case_sensitive(source: str) -> bool:
    """What the loader assumes without ``case_sensitive``: only ALL-CAPS acronyms match in capitals."""
    return source.isupper() and len(source) > 1


def _rendering(term: Term, r: Rendering):
    if not (r.do_not_translate or r.allowed or r.forbidden or r.plural):
        return r.preferred
    out = _Flow()
    if r.preferred and not (r.do_not_translate and r.preferred == term.source):
        out["preferred"] = r.preferred
    if r.plural:
        out["plural"] = r.plural
    if r.allowed:
        out["allowed"] = _FlowList(r.allowed)
    if r.forbidden:
        out["forbidden"] = _FlowList(r.forbidden)
    if r.do_not_translate:
        out["do_not_translate"] = True
    return out


def _term(term: Term) -> dict:
    out = {"id": term.id, "source": term.source}
    if term.variants:
        out["variants"] = _FlowList(term.variants)
    if term.pos_given:
        out["pos"] = term.pos
    if term.case_sensitive != default_case_sensitive(term.source):
        out["case_sensitive"] = term.case_sensitive
    if term.do_not_translate:
        out["do_not_translate"] = True
    if term.note:
        out["note"] = term.note
    if term.translations:
        out["translations"] = {lang: _rendering(term, r) for lang, r in term.translations.items()}
    return out


def dumps(terms: list[Term], *, source_language: str = "en", domain: str | None = None, comment: str = "") -> str:
    """The YAML text of a glossary file holding ``terms``."""
    top = {}
    if domain:
        top["domain"] = domain
    top["source_language"] = source_language
    head = yaml.dump(top, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    items = [
        yaml.dump([_term(t)], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, indent=2)
        for t in terms
    ]
    # Each term is a list item of its own, indented under `terms:` and set apart by a blank line.
    body = "\n".join("".join("  " + line if line.strip() else line for line in item.splitlines(True)) for item in items)
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    return ("\n".join(lines) + "\n" if lines else "") + head + ("terms:\n" + body if items else "terms: []\n")
