"""Carrying Argos packages to a machine without a network.

``export`` zips an installed package back into an ``.argosmodel`` file and records it,
with its SHA-256, in an ``index.json`` beside it: the folder is then both something
``transflow models install DIR`` takes and a mirror ``transflow models download
--index DIR`` verifies against. ``install_all`` installs every ``.argosmodel`` of a
folder through the safe installer.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from .. import atomic, inputs, langs
from ..errors import InputError, ModelNotFound, PackageError
from .base import ModelInfo

INDEX = "index.json"


def parse_pair(pair: str) -> tuple[str, str]:
    """``en-ko``, ``en_ko``, ``en->ko``, ``en:ko`` or ``translate-en_ko`` -> (en, ko)."""
    text = pair.strip().removeprefix("translate-")
    for sep in ("->", ":", "-", "_"):
        parts = text.split(sep)
        if len(parts) == 2 and all(langs.is_valid(p) for p in parts):
            return langs.normalize(parts[0]), langs.normalize(parts[1])
    raise InputError(f"{pair!r} is not a language pair: write it as SOURCE-TARGET, e.g. en-ko")


def installed_package(source: str, target: str) -> ModelInfo:
    from . import argos

    for info in argos.installed_packages():
        if (info.source, info.target) == (source, target):
            return info
    raise ModelNotFound(
        f"no Argos package for {source}->{target} is installed here, so there is nothing to export "
        f"(`transflow models list` shows what is; Bergamot models are not exported: "
        f"copy the fxtranslate cache folder {source}-{target} instead)"
    )


def export_package(source: str, target: str, out_dir: Path, force: bool = False) -> Path:
    """Write the installed package for the pair as ``<out_dir>/translate-<s>_<t>-<v>.argosmodel``
    and list it in ``<out_dir>/index.json``; return the archive's path.

    Without ``force``, an archive already there is replaced only when the folder's
    index lists it with its SHA-256 (a transflow export, from this machine or
    another), and an index.json that is not such an index is never replaced."""
    from . import argos

    info = installed_package(source, target)
    package = argos.package_dir_of(info)
    meta = argos.read_package(package)
    version = meta["package_version"]
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create {out_dir}: {e.strerror}") from None
    archive = out_dir / f"{argos.package_name(meta)}-{version.replace('.', '_')}.argosmodel"
    index = out_dir / INDEX
    entries = _entries(index, force)
    if archive.exists() and not force and not _listed(archive, entries):
        raise InputError(f"{archive} exists and is not a package transflow exported (the folder's {INDEX} does not "
                         f"list it with its checksum); pass --force to replace it, or choose another -o")
    sha = _zip_atomically(package, archive)
    entry = {k: v for k, v in meta.items() if k not in ("links", "sha256", "size")}
    entry.update(links=[archive.name], sha256=sha, size=archive.stat().st_size)
    _record(index, entries, entry)
    return archive


def _entries(index: Path, force: bool) -> list:
    """The entries of the folder's index.json ([] when there is none); one that is not
    a list of packages is refused unless ``force`` (then replaced)."""
    if not index.exists():
        return []
    try:
        entries = json.loads(index.read_bytes())
    except (OSError, ValueError):
        entries = None
    if isinstance(entries, list) and all(isinstance(e, dict) for e in entries):
        return entries
    if force:
        return []
    raise InputError(f"{index} exists and is not a package index; pass --force to replace it, or choose another -o")


def _listed(archive: Path, entries: list) -> bool:
    """Whether the index lists ``archive`` with the SHA-256 of its bytes."""
    wanted = [e.get("sha256") for e in entries if archive.name in (e.get("links") or [])]
    if not wanted:
        return False
    sha = hashlib.sha256()
    try:
        with open(archive, "rb") as f:
            while chunk := f.read(1024 * 1024):
                sha.update(chunk)
    except OSError:
        return False
    return sha.hexdigest() in wanted


def _zip_atomically(package: Path, archive: Path) -> str:
    """Zip package as ``<name>/...`` (the layout the installer wants) into a temporary
    file beside archive, then rename it into place; the archive's SHA-256."""
    # atomic.py's naming: the PID tells remove_orphans whose temporary it is.
    atomic.remove_orphans(archive)
    fd, tmp = tempfile.mkstemp(prefix=f".{archive.name}.{os.getpid()}.", suffix=".tmp", dir=archive.parent)
    try:
        with os.fdopen(fd, "w+b") as f:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(package.rglob("*")):
                    if path.is_symlink():
                        raise PackageError(f"{package}: {path.name} is a symbolic link; not exporting it")
                    name = Path(package.name, path.relative_to(package)).as_posix()
                    if path.is_dir():
                        zf.write(path, name + "/")
                    else:
                        zf.write(path, name)
            f.flush()
            os.fsync(f.fileno())
            f.seek(0)
            sha = hashlib.sha256()
            while chunk := f.read(1024 * 1024):
                sha.update(chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, archive)
    except OSError as e:
        raise InputError(f"cannot write {archive}: {e.strerror or e}") from None
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    return sha.hexdigest()


def _record(index: Path, entries: list, entry: dict) -> None:
    """Add entry to the folder's index, replacing an older one for the same pair."""
    pair = (entry["from_code"], entry["to_code"])
    entries = [e for e in entries if not (isinstance(e, dict) and (e.get("from_code"), e.get("to_code")) == pair)]
    entries.append(entry)
    entries.sort(key=lambda e: (str(e.get("from_code")), str(e.get("to_code"))))
    atomic.write_text(index, json.dumps(entries, indent=2, ensure_ascii=False) + "\n")


def archives_in(path: Path) -> list[Path]:
    """The ``.argosmodel`` files to install from path: the file itself, or every one in
    the folder (not its subfolders)."""
    path = Path(path)
    if not path.is_dir():
        # A FIFO would block the zip reader for ever: only a regular file is opened.
        inputs.check_regular(path, "an Argos package (.argosmodel)")
        return [path]  # the installer says what else is wrong with it
    found = sorted(p for p in path.iterdir() if p.suffix == ".argosmodel" and p.is_file() and not p.name.startswith("."))
    if not found:
        raise InputError(f"{path}: no .argosmodel files in this folder")
    return found
