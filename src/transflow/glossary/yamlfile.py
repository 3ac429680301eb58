"""Loading and validating glossary YAML files, reporting every problem as ``file:line: message``.

Only ``yaml.SafeLoader`` is used: a glossary can come from anyone.
"""

from pathlib import Path

import yaml

from .. import inputs, langs, yamlerrors, yamlsafe
from ..errors import GlossaryError
from .model import POS_VALUES, Glossary, Rendering, Term, glossary_files

TOP_KEYS = {"domain", "description", "source_language", "terms"}
TERM_KEYS = {"id", "source", "variants", "case_sensitive", "pos", "note", "do_not_translate", "translations"}
RENDERING_KEYS = {"preferred", "plural", "allowed", "forbidden", "do_not_translate"}


def validate(path) -> list[str]:
    """Every problem in the glossary at ``path`` (a file or a directory), as ``file:line: message``."""
    problems: list[str] = []
    _load(path, problems)
    return problems


def load(path) -> Glossary:
    """The glossary at ``path``; raise :class:`GlossaryError` naming the first problem (all are in ``.problems``)."""
    problems: list[str] = []
    glossary = _load(path, problems)
    if problems:
        more = f" (and {len(problems) - 1} more; run `transflow glossary validate`)" if len(problems) > 1 else ""
        raise GlossaryError(problems[0] + more, problems)
    return glossary


def empty() -> Glossary:
    return Glossary()


def _load(path, problems) -> Glossary:
    glossary = Glossary()
    seen_ids: dict[str, str] = {}
    seen_forms: dict[tuple[str, bool], tuple[str, str]] = {}
    declared = None  # (source language, where the first file says it)
    for file in glossary_files(path):
        glossary.files.append(str(file))
        terms, language = _load_file(file, problems)
        if language is not None:
            code, where = language
            if declared is None:
                declared = language
                glossary.source_language = code
            elif langs.base(code) != langs.base(declared[0]):
                problems.append(f"{where}: source_language {code!r} differs from {declared[0]!r} at {declared[1]}: "
                                f"a glossary holds the terms of one source language (put the others in another folder)")
        for term in terms:
            where = term.origin
            if term.id in seen_ids:
                problems.append(f"{where}: term id {term.id!r} is already defined at {seen_ids[term.id]}")
                continue
            seen_ids[term.id] = where
            clash = _form_clash(term, seen_forms)
            if clash:
                problems.append(f"{where}: {clash}")
                continue
            glossary.terms.append(term)
    return glossary


def _form_clash(term, seen_forms):
    for form in [term.source, *term.variants]:
        key = (form if term.case_sensitive else form.lower(), term.case_sensitive)
        if key in seen_forms and seen_forms[key][0] != term.id:
            other, where = seen_forms[key]
            return f"source form {form!r} of term {term.id!r} conflicts with term {other!r} at {where}"
        seen_forms[key] = (term.id, term.origin)
    return None


def _line(node) -> int:
    return node.start_mark.line + 1


def _load_file(file: Path, problems) -> tuple[list[Term], tuple[str, str] | None]:
    """The file's terms, and its source language with where it says so (None when it does not)."""
    try:
        text = inputs.read_bytes(file, "a glossary file", inputs.GLOSSARY_BYTES).decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"{file}:1: not valid UTF-8 at byte {e.start}")
        return [], None
    except inputs.Refused as e:
        problems.append(f"{file}:1: {e.reason}")
        return [], None
    try:
        root = yamlsafe.compose(text)
    except yamlsafe.AliasNotAllowed as e:
        problems.append(f"{file}:{e.line}: YAML aliases are not allowed")
        return [], None
    except yaml.MarkedYAMLError as e:
        problems.append(yamlerrors.describe(file, e))
        return [], None
    except yaml.YAMLError as e:
        problems.append(f"{file}:1: YAML error: {e}")
        return [], None
    if root is None:
        problems.append(f"{file}:1: the glossary file is empty")
        return [], None
    if not isinstance(root, yaml.MappingNode):
        problems.append(f"{file}:{_line(root)}: expected a mapping with a 'terms' list at the top")
        return [], None
    top = _mapping(file, root, TOP_KEYS, problems, "top level")
    terms_node = top.get("terms")
    if terms_node is None:
        problems.append(f"{file}:{_line(root)}: missing 'terms' list")
        return [], None
    if not isinstance(terms_node[1], yaml.SequenceNode):
        problems.append(f"{file}:{_line(terms_node[1])}: 'terms' must be a list")
        return [], None
    language = None
    if "source_language" in top:
        lang = _scalar(file, top["source_language"][1], problems, "source_language")
        where = f"{file}:{_line(top['source_language'][1])}"
        if lang is not None and not langs.is_valid(lang):
            problems.append(f"{where}: source_language {lang!r} is not an ISO 639 code")
        elif lang is not None:
            language = (langs.normalize(lang), where)
    out = []
    for node in terms_node[1].value:
        term = _term(file, node, problems)
        if term:
            out.append(term)
    return out, language


def _mapping(file, node, allowed, problems, what) -> dict:
    """{key: (key_node, value_node)}, reporting unknown and duplicate keys."""
    out = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in allowed:
            hint = ", ".join(sorted(allowed))
            problems.append(f"{file}:{_line(key_node)}: unknown key {key!r} in {what} (known keys: {hint})")
            continue
        if key in out:
            problems.append(f"{file}:{_line(key_node)}: key {key!r} given twice in {what}")
            continue
        out[key] = (key_node, value_node)
    return out


class _UnsupportedTag(Exception):
    pass


def _construct(node):
    try:
        return yaml.SafeLoader("").construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        # SafeLoader refuses python/* and other tags: report, never construct.
        raise _UnsupportedTag(node.tag) from None


def _scalar(file, node, problems, what, kind=str):
    if not isinstance(node, yaml.ScalarNode):
        problems.append(f"{file}:{_line(node)}: {what} must be a {'string' if kind is str else kind.__name__}")
        return None
    try:
        value = _construct(node)
    except _UnsupportedTag as e:
        problems.append(f"{file}:{_line(node)}: {what} uses the unsupported YAML tag {e}")
        return None
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = node.value
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        problems.append(f"{file}:{_line(node)}: {what} must be a non-empty {'string' if kind is str else kind.__name__}")
        return None
    return value.strip() if kind is str else value


def _strings(file, node, problems, what) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(file, node, problems, what)
        return [value] if value else []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(f"{file}:{_line(node)}: {what} must be a list of strings")
        return []
    return [v for v in (_scalar(file, n, problems, what) for n in node.value) if v]


def _term(file, node, problems) -> Term | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{file}:{_line(node)}: each term must be a mapping with at least 'id' and 'source'")
        return None
    where = f"{file}:{_line(node)}"
    fields = _mapping(file, node, TERM_KEYS, problems, "a term")
    missing = [k for k in ("id", "source") if k not in fields]
    if missing:
        problems.append(f"{where}: term is missing {' and '.join(repr(m) for m in missing)}")
        return None
    term_id = _scalar(file, fields["id"][1], problems, "id")
    source = _scalar(file, fields["source"][1], problems, "source")
    if not term_id or not source:
        return None
    term = Term(id=term_id, source=source, origin=where)
    if "variants" in fields:
        term.variants = _strings(file, fields["variants"][1], problems, "variants")
    if "case_sensitive" in fields:
        value = _scalar(file, fields["case_sensitive"][1], problems, "case_sensitive", bool)
        term.case_sensitive = bool(value)
    else:
        # An all-caps acronym (UN, DPRK) only matches in capitals unless told otherwise.
        term.case_sensitive = source.isupper() and len(source) > 1
    term.pos_given = "pos" in fields
    if "pos" in fields:
        pos = _scalar(file, fields["pos"][1], problems, "pos")
        if pos and pos not in POS_VALUES:
            problems.append(f"{file}:{_line(fields['pos'][1])}: pos {pos!r} is not one of {', '.join(POS_VALUES)}")
        elif pos:
            term.pos = pos
    if "note" in fields:
        term.note = _scalar(file, fields["note"][1], problems, "note") or ""
    if "do_not_translate" in fields:
        term.do_not_translate = bool(_scalar(file, fields["do_not_translate"][1], problems, "do_not_translate", bool))
    if "translations" in fields:
        term.translations = _translations(file, fields["translations"][1], term, problems)
    if not term.translations and not term.do_not_translate and term.pos != "proper-noun":
        # A proper noun without translations is kept as written (Term.keeps_name).
        problems.append(f"{where}: term {term_id!r} has no translations and is not do_not_translate")
    return term


def _translations(file, node, term, problems) -> dict[str, Rendering]:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{file}:{_line(node)}: translations must map language codes to renderings")
        return {}
    out = {}
    for key_node, value_node in node.value:
        code = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if not langs.is_valid(code):
            problems.append(f"{file}:{_line(key_node)}: {code!r} is not an ISO 639 language code (term {term.id!r})")
            continue
        lang = langs.normalize(code)
        if lang in out:
            problems.append(f"{file}:{_line(key_node)}: language {code!r} given twice for term {term.id!r}")
            continue
        rendering = _rendering(file, value_node, term, lang, problems)
        if rendering:
            out[lang] = rendering
    return out


def _rendering(file, node, term, lang, problems) -> Rendering | None:
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(file, node, problems, f"the {lang} rendering of {term.id!r}")
        return Rendering(preferred=value) if value else None
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{file}:{_line(node)}: the {lang} rendering of {term.id!r} must be a string or a mapping")
        return None
    fields = _mapping(file, node, RENDERING_KEYS, problems, f"the {lang} rendering of {term.id!r}")
    r = Rendering()
    if "do_not_translate" in fields:
        r.do_not_translate = bool(_scalar(file, fields["do_not_translate"][1], problems, "do_not_translate", bool))
    if "preferred" in fields:
        r.preferred = _scalar(file, fields["preferred"][1], problems, "preferred")
    elif not r.do_not_translate:
        problems.append(f"{file}:{_line(node)}: the {lang} rendering of {term.id!r} has no 'preferred'")
        return None
    if "plural" in fields:
        r.plural = _scalar(file, fields["plural"][1], problems, "plural")
    if "allowed" in fields:
        r.allowed = _strings(file, fields["allowed"][1], problems, "allowed")
    if "forbidden" in fields:
        r.forbidden = _strings(file, fields["forbidden"][1], problems, "forbidden")
    clash = set(r.forbidden) & {*r.accepted(term.source), r.plural}
    if clash:
        problems.append(
            f"{file}:{_line(node)}: {', '.join(sorted(clash))!r} is both allowed and forbidden for {term.id!r} in {lang}"
        )
    if r.do_not_translate and r.preferred is None:
        r.preferred = term.source
    return r
