"""Project settings: ``transflow.yaml`` or ``[tool.transflow]`` in ``pyproject.toml``.

The nearest folder (the start folder, then its parents) holding either file is the
project; in one folder ``transflow.yaml`` wins. Every key is checked when the file is
read: an unknown key, a value of the wrong type, a language code that is not ISO 639
or an ``articles`` pattern that matches no file is an :class:`InputError` naming the
file. Relative paths are relative to the project file's folder, not to the folder
transflow runs in.

Keys (all optional; the command line overrides each):
- ``source``: language of the articles (``--from``), e.g. ``en``.
- ``targets``: list of languages to translate into (``--to``), e.g. ``[pt, de]``.
- ``glossary``: glossary file or folder (``--glossary``).
- ``locales``: folder of the PO files (``--locales``).
- ``tm``: the translation memory file (``--tm``); default ``.transflow/tm.sqlite`` in
  the project's folder, so that every subfolder shares one memory.
- ``engine``: ``auto``, ``bergamot``, ``argos`` or ``apertium`` (``--engine``).
- ``articles``: list of article paths or glob patterns (``*``, ``?``, ``[..]``, ``**``),
  what ``transflow translate`` with no ARTICLE translates.
- ``risk``: ``true`` (default) or ``false``: assess how far to trust each MT draft
  (``--risk/--no-risk``; risk/).
- ``content``: ``main`` (default) or ``all``: what of a full HTML page is translated, its
  article or every block (``--content``; readers/maincontent.py).
- ``cluster``: the address of a Dask scheduler whose workers do the MT (``--cluster``,
  ``TRANSFLOW_CLUSTER``), e.g. ``tcp://10.0.0.5:8786``, or ``local``; cluster.py.
- ``skip_patterns``: list of regular expressions; a line (plain text, Markdown) or
  block (HTML) they match is kept in the article untranslated. They add to the
  built-in defaults (``readers.lines.DEFAULT_SKIP_PATTERNS``) and to ``--skip-pattern``.
"""

import difflib
import fnmatch
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import inputs, langs
from .errors import InputError, LanguageError

FILE_NAMES = ("transflow.yaml", "pyproject.toml")
ENGINES = ("auto", "bergamot", "argos", "apertium")
_MAGIC = re.compile(r"[*?[]")  # what makes a pattern a glob
KEYS = ("source", "targets", "glossary", "locales", "tm", "engine", "articles", "skip_patterns", "risk", "cluster", "content")
CONTENT = ("main", "all")
# The translation memory when neither --tm nor `tm:` says (tm.py; here so that a run
# without one need not import sqlite3 to know its path).
DEFAULT_TM_PATH = Path(".transflow") / "tm.sqlite"


@dataclass(frozen=True)
class ProjectConfig:
    """The project file's settings; ``None`` (or empty) where the file does not set a key.

    Paths are absolute (resolved against the project file's folder); ``articles`` holds
    the files the patterns matched, in the file's order, each once.
    """

    path: Path | None = None  # the project file; None when there is none
    source: str | None = None
    targets: tuple[str, ...] = ()
    glossary: Path | None = None
    locales: Path | None = None
    tm: Path | None = None
    engine: str | None = None
    articles: tuple[Path, ...] = ()
    skip_patterns: tuple[str, ...] = ()
    risk: bool | None = None
    content: str | None = None
    cluster: str | None = None
    # The folders whose listing decides what the ``articles`` patterns match (for
    # uptodate.py: a new file there that a pattern would match means a new run).
    article_folders: tuple[Path, ...] = ()

    @property
    def label(self) -> str:
        """How a message names the place to set a key: ``transflow.yaml`` or ``[tool.transflow] in pyproject.toml``."""
        if self.path is not None and self.path.suffix == ".toml":
            return f"[tool.transflow] in {self.path.name}"
        return self.path.name if self.path is not None else "transflow.yaml"

    @property
    def root(self) -> Path | None:
        """The project's folder (the project file's), None without a project file."""
        return self.path.parent if self.path is not None else None


def find_project_file(start_dir) -> Path | None:
    here = Path(start_dir).resolve()
    for folder in (here, *here.parents):
        yaml_file = folder / "transflow.yaml"
        if yaml_file.exists():
            inputs.check_regular(yaml_file, "a project file")  # a FIFO or a device is refused, not skipped
            return yaml_file
        pyproject = folder / "pyproject.toml"
        if pyproject.exists() and _tool_table(pyproject) is not None:
            return pyproject
    return None


def load_project(start_dir) -> ProjectConfig:
    """The settings of the project that ``start_dir`` is in (all unset when there is none).

    A malformed file or a bad value is an :class:`InputError` naming the file and the key.
    """
    path = find_project_file(start_dir)
    if path is None:
        return ProjectConfig()
    raw = _read_yaml(path) if path.suffix == ".yaml" else _tool_table(path)
    where = f"{path}: [tool.transflow]" if path.suffix == ".toml" else str(path)
    for key in raw:
        if key not in KEYS:
            guess = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f" (did you mean {guess[0]!r}?)" if guess else f" (known keys: {', '.join(KEYS)})"
            raise InputError(f"{where}: unknown key {key!r}{hint}")
    folder = path.parent
    settings = {"path": path}
    if "source" in raw:
        settings["source"] = _language(where, "source", raw["source"])
    if "targets" in raw:
        if not isinstance(raw["targets"], list):
            raise InputError(f"{where}: targets must be a list of language codes, e.g. [pt, de], not {_describe(raw['targets'])}")
        codes = [_language(where, "targets", v) for v in raw["targets"]]
        settings["targets"] = tuple(dict.fromkeys(codes))
    for key in ("glossary", "locales", "tm"):
        if key in raw:
            settings[key] = folder / _string(where, key, raw[key], "a path")
    if "engine" in raw:
        engine = _string(where, "engine", raw["engine"], f"one of {', '.join(ENGINES)}")
        if engine not in ENGINES:
            raise InputError(f"{where}: engine: unknown engine {engine!r}: use {', '.join(ENGINES)}")
        settings["engine"] = engine
    if "content" in raw:
        content = _string(where, "content", raw["content"], f"one of {', '.join(CONTENT)}")
        if content not in CONTENT:
            raise InputError(f"{where}: content: {content!r} is not one of {', '.join(CONTENT)} (main: the article of a "
                             f"web page; all: every block of it)")
        settings["content"] = content
    if "articles" in raw:
        patterns = _strings(where, "articles", raw["articles"], "paths or glob patterns")
        settings["articles"], settings["article_folders"] = _articles(where, folder, patterns)
    if "skip_patterns" in raw:
        settings["skip_patterns"] = tuple(_patterns(where, raw["skip_patterns"]))
    if "risk" in raw:
        if not isinstance(raw["risk"], bool):
            raise InputError(f"{where}: risk must be true or false, not {_describe(raw['risk'])}")
        settings["risk"] = raw["risk"]
    if "cluster" in raw:
        settings["cluster"] = _string(where, "cluster", raw["cluster"], "a Dask scheduler's address, or local")
    return ProjectConfig(**settings)


def load_config(start_dir) -> dict:
    """The keys the project file sets, as a dict (``{}`` when there is none); see :func:`load_project`."""
    project = load_project(start_dir)
    out = {}
    for key in KEYS:
        value = getattr(project, key)
        if value is not None and value != ():
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


def _read_yaml(path: Path) -> dict:
    import yaml

    from . import yamlsafe

    try:
        data = yamlsafe.load(_read_text(path))
    except yamlsafe.AliasNotAllowed as e:
        raise InputError(f"{path}:{e.line}: YAML aliases are not allowed") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not valid UTF-8 at byte {e.start}") from None
    except yaml.YAMLError as e:
        from . import yamlerrors

        raise InputError(yamlerrors.describe(path, e)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of settings (key: value) at the top level")
    return data


def _tool_table(path: Path) -> dict | None:
    try:
        data = tomllib.loads(_read_text(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not valid TOML: {_first_line(e)}") from None
    table = data.get("tool", {}).get("transflow")
    if table is not None and not isinstance(table, dict):
        raise InputError(f"{path}: [tool.transflow] must be a table")
    return table


def _read_text(path: Path) -> str:
    return inputs.read_bytes(path, "a project file", inputs.PROJECT_BYTES).decode("utf-8")


def _string(where: str, key: str, value, what: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise InputError(f"{where}: {key} must be {what} (a string), not {_describe(value)}")


def _strings(where: str, key: str, value, what: str) -> list[str]:
    if not isinstance(value, list):
        raise InputError(f"{where}: {key} must be a list of {what}, not {_describe(value)}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InputError(f"{where}: {key} must be a list of {what}; {_describe(item)} is not one")
    return [item.strip() for item in value]


def _language(where: str, key: str, value) -> str:
    if isinstance(value, bool):  # YAML 1.1 reads a bare no (Norwegian) as false
        raise InputError(f"{where}: {key}: {str(value).lower()} is not a language code; quote it ('no') if you mean one")
    code = _string(where, key, value, "a language code")
    try:
        return langs.normalize(code)
    except LanguageError as e:
        raise InputError(f"{where}: {key}: {e}") from None


# The walk behind one `articles` pattern visits at most this many folder entries: a
# project of articles has thousands; `/**/*.md` from the filesystem's root, or a
# symbolic link loop under `**`, would otherwise walk for hours.
MAX_WALK_ENTRIES = 200_000


def _articles(where: str, folder: Path, patterns: list[str]) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The files the patterns match, in the file's order, each once; and the folders
    whose listing decided it (a new file there that a pattern matches means a new run)."""
    found, listed = {}, {}
    for pattern in patterns:
        literal = folder / pattern
        if literal.is_file():  # a file whose name holds glob characters ("[draft] x.md")
            matches = [literal]
        elif _MAGIC.search(pattern):
            names, folders = _glob(where, folder, pattern)
            matches = [folder / n for n in names]
            listed.update(dict.fromkeys(folders))
        else:
            matches = []
        if not matches:
            raise InputError(f"{where}: articles: {pattern!r} matches no file in {folder}")
        found.update(dict.fromkeys(matches))
    return tuple(found), tuple(listed)


def _glob(where: str, folder: Path, pattern: str) -> tuple[list[str], list[Path]]:
    """glob.glob(pattern, root_dir=folder, recursive=True)'s regular files, sorted, found
    by a bounded walk: the pattern must stay inside the project's folder (no absolute
    pattern, no ``..`` above it), a folder reached twice (a symbolic link loop) is
    walked once, and at most MAX_WALK_ENTRIES entries are looked at. Also the folders
    it listed."""
    parts = [p for p in pattern.replace(os.sep, "/").split("/") if p not in ("", ".")]
    if os.path.isabs(pattern) or pattern.startswith("~"):
        raise InputError(f"{where}: articles: {pattern!r} is an absolute pattern; patterns are relative to "
                         f"the project's folder {folder} (name a file outside it without wildcards)")
    if os.path.normpath(pattern).split(os.sep)[0] == os.pardir:
        raise InputError(f"{where}: articles: {pattern!r} climbs above the project's folder {folder}; "
                         f"patterns stay inside it (name a file outside it without wildcards)")
    fixed = next(i for i, part in enumerate(parts) if _MAGIC.search(part))
    base = folder.joinpath(*parts[:fixed])
    rest = parts[fixed:]
    listings: dict[tuple, list] = {}  # folder (device, inode) -> its entries
    listed, names, budget = [], [], [MAX_WALK_ENTRIES]

    def entries(here: Path, above: frozenset) -> tuple[list[os.DirEntry], frozenset]:
        """The folder's entries and the folders down to it, or no entries when the folder
        is one of those above it (a symbolic link loop)."""
        try:
            st = os.stat(here)
        except OSError:
            return [], above
        folder_id = (st.st_dev, st.st_ino)
        if folder_id in above:
            return [], above
        if folder_id not in listings:
            try:
                with os.scandir(here) as it:
                    listings[folder_id] = list(it)
            except OSError:
                listings[folder_id] = []
            listed.append(here)
        budget[0] -= len(listings[folder_id]) + 1
        if budget[0] < 0:
            raise InputError(f"{where}: articles: {pattern!r} looks at more than {MAX_WALK_ENTRIES:,} files and "
                             f"folders under {base}; narrow it (e.g. articles/**/*.md instead of **/*.md)")
        return listings[folder_id], above | {folder_id}

    def walk(here: Path, rel: str, i: int, above: frozenset) -> None:
        part = rest[i]
        last = i == len(rest) - 1
        if part == "**":
            if not last:
                walk(here, rel, i + 1, above)  # ** stands for no folder at all
            found, below = entries(here, above)
            for e in found:
                if e.name.startswith("."):
                    continue  # as glob: ** does not go into hidden folders
                if _is_dir(e):
                    walk(Path(e.path), rel + e.name + "/", i, below)
                elif last and _is_file(e):
                    names.append(rel + e.name)
            return
        if not _MAGIC.search(part):
            child = here / part
            if last:
                if child.is_file():
                    names.append(rel + part)
            elif child.is_dir():
                walk(child, rel + part + "/", i + 1, above)
            return
        found, below = entries(here, above)
        for e in found:
            if e.name.startswith(".") and not part.startswith("."):
                continue  # as glob: wildcards do not match hidden names
            if not fnmatch.fnmatchcase(e.name, part):
                continue
            if last:
                if _is_file(e):
                    names.append(rel + e.name)
            elif _is_dir(e):
                walk(Path(e.path), rel + e.name + "/", i + 1, below)

    prefix = "".join(p + "/" for p in parts[:fixed])
    if base.is_dir():
        walk(base, prefix, 0, frozenset())
    return sorted(dict.fromkeys(names)), listed


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a symbolic link, as glob does; loops are walked once
    except OSError:
        return False


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _patterns(where: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise InputError(f"{where}: skip_patterns must be a list of regular expressions (strings)")
    for p in value:
        try:
            re.compile(p)
        except re.error as e:
            raise InputError(f"{where}: skip_patterns: {p!r} is not a valid regular expression: {e}") from None
    return list(value)


def _describe(value) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and not value.strip():
        return "an empty string"
    kind = {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a mapping"}
    return f"{kind.get(type(value), type(value).__name__)} ({value!r})"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
