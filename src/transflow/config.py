"""Project settings: ``transflow.yaml`` or ``[tool.transflow]`` in ``pyproject.toml``.

The nearest folder (the start folder, then its parents) holding either file is the
project; in one folder ``transflow.yaml`` wins. Only the keys this module knows are
read and checked; other keys are left for other parts of transflow to read.

Known keys:
- ``skip_patterns``: list of regular expressions; a line (plain text, Markdown) or
  block (HTML) they match is kept in the article untranslated. They add to the
  built-in defaults (``readers.lines.DEFAULT_SKIP_PATTERNS``) and to ``--skip-pattern``.
"""

import re
import tomllib
from pathlib import Path

from .errors import InputError

FILE_NAMES = ("transflow.yaml", "pyproject.toml")


def find_project_file(start_dir) -> Path | None:
    here = Path(start_dir).resolve()
    for folder in (here, *here.parents):
        yaml_file = folder / "transflow.yaml"
        if yaml_file.is_file():
            return yaml_file
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _tool_table(pyproject) is not None:
            return pyproject
    return None


def load_config(start_dir) -> dict:
    """The settings of the project that ``start_dir`` is in (``{}`` when there is none).

    A malformed file or a bad value is an :class:`InputError` naming the file.
    """
    path = find_project_file(start_dir)
    if path is None:
        return {}
    raw = _read_yaml(path) if path.suffix == ".yaml" else _tool_table(path)
    config = {}
    if "skip_patterns" in raw:
        config["skip_patterns"] = _patterns(path, raw["skip_patterns"])
    return config


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not valid YAML: {_first_line(e)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of settings (key: value) at the top level")
    return data


def _tool_table(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not valid TOML: {_first_line(e)}") from None
    table = data.get("tool", {}).get("transflow")
    if table is not None and not isinstance(table, dict):
        raise InputError(f"{path}: [tool.transflow] must be a table")
    return table


def _patterns(path: Path, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise InputError(f"{path}: skip_patterns must be a list of regular expressions (strings)")
    for p in value:
        try:
            re.compile(p)
        except re.error as e:
            raise InputError(f"{path}: skip_patterns: {p!r} is not a valid regular expression: {e}") from None
    return list(value)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
