"""Install an ``.argosmodel`` file without trusting it.

argostranslate's own installer calls ``ZipFile.extractall`` straight into its package
folder. Here every entry is checked before anything is written (no absolute or ``..``
paths, no symlinks or special files, one top-level folder, a bounded unpacked size),
the archive is unpacked into a hidden staging folder inside the packages folder, the
result is validated and run (its tokenizer and one sentence through CTranslate2: a
package whose model cannot load would otherwise break every later run for its
pair), and only then moved to its final name. On any failure the
staging folder is removed: nothing is left behind and nothing is written outside the
packages folder. The staging folder holds a lock while the install runs, so one left
by a killed process is removed by a later install (see leftovers.py).
"""

import ctypes
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

from ..errors import PackageError
from . import argos, leftovers
from .base import ModelInfo

MAX_UNPACKED_BYTES = 2 * 1024**3  # real packages are 100-500 MB
MAX_ENTRIES = 10_000  # real packages have a few dozen files
_CHUNK = 1024 * 1024
_STAGING_PREFIX = ".install-"
_LOCK = "lock"  # in the staging folder, beside "unpacked" and "previous"
_DRIVE = re.compile(r"^[A-Za-z]:")
# What reading a damaged or unusual (encrypted, unknown compression) entry can raise.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError)

Entries = list[tuple[zipfile.ZipInfo, list[str]]]  # each zip entry with its path parts


def install_package(
    archive: Path, packages_dir: Path | None = None, max_bytes: int = MAX_UNPACKED_BYTES
) -> ModelInfo:
    """Install archive as ``<packages_dir>/translate-<from>_<to>``, replacing any previous
    package for the same pair; PackageError says why an archive is refused."""
    archive = Path(archive)
    where = archive.name
    root = Path(packages_dir or argos.default_packages_dir())
    with _open_zip(archive) as zf:
        entries = _checked_entries(zf, where, max_bytes)
        try:
            root.mkdir(parents=True, exist_ok=True)
            leftovers.remove_abandoned(root, _STAGING_PREFIX, _LOCK)
            # Hidden, so `models list` never shows a half-written package.
            staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root))
        except OSError as e:
            raise PackageError(f"cannot write to {root}: {e.strerror}") from None
        lock = None
        try:
            # Held until the folder is gone: a later install knows this one is alive.
            lock = leftovers.hold(staging / _LOCK)
            # The archive's names go under "unpacked", so none can clash with ours.
            _extract(zf, entries, staging / "unpacked", where, max_bytes)
            top = entries[0][1][0]  # the one top-level folder
            package = staging / "unpacked" / top
            final = root / argos.package_name(argos.read_package(package, where))
            _try_package(package, where)
            _move_into_place(package, final, staging / "previous")
        except OSError as e:
            raise PackageError(f"{where}: cannot install into {root}: {e.strerror or e}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if lock is not None:
                os.close(lock)
    return argos.package_info(final)


# What the package is asked to translate before it is installed.
PROBE = "The test sentence."


def _try_package(package: Path, where: str) -> None:
    """Load the unpacked package and translate :data:`PROBE` with it, on one core;
    PackageError (naming the archive, not the staging folder) if anything fails."""
    from ..errors import TransflowError

    try:
        engine = argos.ArgosEngine(package, jobs=1)
        engine.translate([PROBE])
    except TransflowError as e:
        reason = str(e).replace(f"{package}: ", "").replace(str(package), where)
        raise PackageError(f"{where}: the package does not work ({reason}); nothing was installed") from None
    except Exception as e:  # native code reading an untrusted model fails in many ways
        raise PackageError(f"{where}: the package does not work ({type(e).__name__}: {e}); nothing was installed") from None


def _open_zip(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise PackageError(f"{archive}: no such file") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise PackageError(
            f"{archive.name}: not a valid .argosmodel file (it must be a zip archive)"
        ) from None


def _checked_entries(zf: zipfile.ZipFile, where: str, max_bytes: int) -> Entries:
    """Every entry with its path parts, after refusing anything that could escape or explode."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(
            f"{where}: {len(infos)} entries, more than any Argos package has; refusing to install"
        )
    entries = [(info, _path_parts(info, where)) for info in infos]
    tops = {parts[0] for _, parts in entries}
    if len(tops) != 1 or any(len(parts) == 1 and not info.is_dir() for info, parts in entries):
        raise PackageError(
            f"{where}: an Argos package must hold exactly one top-level folder "
            f"(found {', '.join(sorted(tops)) or 'nothing'})"
        )
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise PackageError(
            f"{where}: unpacks to {declared} bytes, more than the {max_bytes}-byte limit; refusing to install"
        )
    return entries


def _path_parts(info: zipfile.ZipInfo, where: str) -> list[str]:
    name = info.filename
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise PackageError(f"{where}: entry {name!r} is an absolute path; refusing to install")
    parts = name.rstrip("/").split("/")
    if "\\" in name or "\0" in name or any(p in ("", ".", "..") for p in parts):
        raise PackageError(f"{where}: entry {name!r} points outside its folder; refusing to install")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise PackageError(f"{where}: entry {name!r} is a symbolic link; refusing to install")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageError(f"{where}: entry {name!r} is a special file; refusing to install")
    return parts


def _extract(zf: zipfile.ZipFile, entries: Entries, staging: Path, where: str, max_bytes: int) -> None:
    """Write the entries under staging, counting real bytes: sizes in the zip may lie."""
    written = 0
    for info, parts in entries:
        target = staging.joinpath(*parts)
        try:
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # "x": a second entry with the same name is refused, not silently merged.
            with zf.open(info) as src, open(target, "xb") as dst:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    if written > max_bytes:
                        raise PackageError(
                            f"{where}: unpacks to more than the {max_bytes}-byte limit; refusing to install"
                        )
                    dst.write(chunk)
        except FileExistsError:
            raise PackageError(
                f"{where}: entry {info.filename!r} clashes with another entry; refusing to install"
            ) from None
        except _READ_ERRORS as e:
            raise PackageError(f"{where}: damaged archive, cannot read {info.filename!r} ({e})") from None
        except OSError as e:
            raise PackageError(f"{where}: cannot unpack {info.filename!r}: {e.strerror or e}") from None


def _move_into_place(package: Path, final: Path, previous: Path) -> None:
    """Rename package to final. A package already at final ends up in the staging
    folder (at package's old path, or at previous) and is deleted with it."""
    if not os.path.lexists(final):
        os.rename(package, final)
    elif not _exchange(package, final):
        # Two renames: for a moment there is no package at final. Put the old one
        # back if the second rename fails.
        os.rename(final, previous)
        try:
            os.rename(package, final)
        except OSError:
            os.rename(previous, final)
            raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE), so a reader always
    finds a complete package; False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:  # glibc before 2.28, or musl
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))
