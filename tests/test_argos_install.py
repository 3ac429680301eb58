"""install_package refuses hostile or broken archives and leaves no trace when it does."""

import json
import os
import stat
import uuid
import warnings
import zipfile
from pathlib import Path

import pytest
from argos_fixture import build_argos_package, build_package_dir

from transflow.engines import argos_install
from transflow.engines.argos import installed_packages
from transflow.engines.argos_install import install_package
from transflow.errors import PackageError

TOP = "translate-en_de-1_0"


@pytest.fixture(scope="module")
def good_files(tmp_path_factory) -> list[tuple[str, bytes]]:
    """(zip name, content) of every file in a valid package, to build archives from."""
    package = build_package_dir(tmp_path_factory.mktemp("good") / TOP)
    return [
        (p.relative_to(package.parent).as_posix(), p.read_bytes())
        for p in sorted(package.rglob("*"))
        if p.is_file()
    ]


@pytest.fixture
def packages_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRANSFLOW_ARGOS_DIR", str(tmp_path / "default-packages"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    (tmp_path / "packages").mkdir()
    return tmp_path / "packages"


def make_zip(path: Path, entries) -> Path:
    """entries: (name, content) or (name, content, unix mode) tuples, written as given."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data, *mode in entries:
                info = zipfile.ZipInfo(name)
                if mode:
                    info.external_attr = mode[0] << 16
                zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    return path


def replace_file(files, name, data):
    return [(n, data if n == f"{TOP}/{name}" else d) for n, d in files]


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


OUTSIDE = f"/tmp/transflow-evil-{uuid.uuid4().hex}"

HOSTILE = {
    "zip slip": (lambda f: f + [("../evil", b"x")], "points outside"),
    "zip slip inside the folder": (lambda f: f + [(f"{TOP}/../../evil", b"x")], "points outside"),
    "backslash path": (lambda f: f + [(f"{TOP}\\..\\..\\evil", b"x")], "points outside"),
    "absolute path": (lambda f: f + [(OUTSIDE, b"x")], "absolute path"),
    "drive letter": (lambda f: f + [("C:/evil", b"x")], "absolute path"),
    "symlink": (
        lambda f: f + [(f"{TOP}/link", b"/etc/passwd", stat.S_IFLNK | 0o777)],
        "symbolic link",
    ),
    "fifo": (lambda f: f + [(f"{TOP}/pipe", b"", stat.S_IFIFO | 0o644)], "special file"),
    "missing metadata.json": (
        lambda f: [e for e in f if not e[0].endswith("metadata.json")],
        "no metadata.json",
    ),
    "malformed metadata.json": (
        lambda f: replace_file(f, "metadata.json", b'{"from_code": "en",'),
        "metadata.json is not valid JSON",
    ),
    "metadata.json not an object": (
        lambda f: replace_file(f, "metadata.json", b'["en", "de"]'),
        "must hold a JSON object",
    ),
    "bad language code": (
        lambda f: replace_file(
            f,
            "metadata.json",
            json.dumps({"from_code": "e1", "to_code": "de", "package_version": "1.0"}).encode(),
        ),
        "from_code 'e1' is not an ISO 639-1 language code",
    ),
    "not a translation package": (
        lambda f: replace_file(
            f,
            "metadata.json",
            json.dumps({"type": "sbd", "from_code": "en", "to_code": "de", "package_version": "1"}).encode(),
        ),
        "not a translation package",
    ),
    "no model": (
        lambda f: [e for e in f if not e[0].endswith("model.bin")],
        "model/model.bin is missing",
    ),
    "two top-level folders": (
        lambda f: f + [("translate-en_fr/metadata.json", b"{}")],
        "exactly one top-level folder",
    ),
    "file beside the folder": (lambda f: f + [("README.md", b"hi")], "exactly one top-level folder"),
    "empty archive": (lambda f: [], "exactly one top-level folder"),
    "duplicate entry": (lambda f: f + [f[0]], "clashes with another entry"),
    # Well-formed, but its model or tokenizer cannot load: every run for the pair would fail.
    "model that cannot load": (
        lambda f: replace_file(f, "model/model.bin", b"not a CTranslate2 model" * 40),
        r"the package does not work \(cannot load the CTranslate2 model: .*\); nothing was installed",
    ),
    "model config that cannot load": (
        lambda f: replace_file(f, "model/config.json", b"{"),
        r"the package does not work \(cannot load the CTranslate2 model: .*\); nothing was installed",
    ),
    "tokenizer that cannot load": (
        lambda f: replace_file(f, "sentencepiece.model", b"not a SentencePiece model"),
        r"the package does not work \(cannot load the tokenizer: .*\); nothing was installed",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_or_broken_archive_is_refused_without_trace(case, good_files, tmp_path, packages_dir):
    entries, message = HOSTILE[case]
    archive = make_zip(tmp_path / "bad.argosmodel", entries(good_files))
    before = tree(tmp_path)

    with pytest.raises(PackageError, match=message) as refused:
        install_package(archive, packages_dir)

    assert "\n" not in str(refused.value)
    assert str(refused.value).startswith("bad.argosmodel: ")
    assert tree(tmp_path) == before, "something was written outside packages_dir"
    assert list(packages_dir.iterdir()) == [], "a partial install was left behind"
    assert not os.path.lexists(OUTSIDE)


def test_zip_bomb_is_refused_by_declared_size(tmp_path, packages_dir, good_files):
    # 64 MiB of zeros compress to about 64 KiB.
    archive = make_zip(tmp_path / "bomb.argosmodel", good_files + [(f"{TOP}/zeros", bytes(64 << 20))])
    assert archive.stat().st_size < 5 << 20
    with pytest.raises(PackageError, match="more than the 10000000-byte limit"):
        install_package(archive, packages_dir, max_bytes=10_000_000)
    assert list(packages_dir.iterdir()) == []


def lie_about_size(archive: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size of entry name in its local and central headers."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        local = zf.getinfo(name).header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = size.to_bytes(4, "little")
    archive.write_bytes(data)


def test_zip_with_lying_sizes_is_refused(tmp_path, packages_dir, good_files):
    """An entry that claims to be smaller than it is never unpacks past its claim."""
    archive = make_zip(tmp_path / "liar.argosmodel", good_files + [(f"{TOP}/zeros", bytes(8 << 20))])
    lie_about_size(archive, f"{TOP}/zeros", 10)
    with zipfile.ZipFile(archive) as zf:
        assert zf.getinfo(f"{TOP}/zeros").file_size == 10
    with pytest.raises(PackageError, match="damaged archive|limit"):
        install_package(archive, packages_dir, max_bytes=6 << 20)
    assert list(packages_dir.iterdir()) == []


def test_extraction_counts_real_bytes(tmp_path, good_files):
    """Whatever the headers declare, unpacking stops at the limit."""
    archive = make_zip(tmp_path / "pkg.argosmodel", good_files)
    staging = tmp_path / "staging"
    with zipfile.ZipFile(archive) as zf:
        entries = argos_install._checked_entries(zf, "pkg.argosmodel", max_bytes=1 << 30)
        with pytest.raises(PackageError, match="more than the 1000-byte limit"):
            argos_install._extract(zf, entries, staging, "pkg.argosmodel", max_bytes=1000)
    assert sum(p.stat().st_size for p in staging.rglob("*") if p.is_file()) <= 1000


def test_not_a_zip_is_refused(tmp_path, packages_dir):
    archive = tmp_path / "model.argosmodel"
    archive.write_bytes(b"this is not a zip archive at all")
    with pytest.raises(PackageError, match="model.argosmodel: not a valid .argosmodel file"):
        install_package(archive, packages_dir)
    assert list(packages_dir.iterdir()) == []


def test_missing_file_is_refused(tmp_path, packages_dir):
    with pytest.raises(PackageError, match="no such file"):
        install_package(tmp_path / "nope.argosmodel", packages_dir)


def test_good_package_installs(tmp_path, packages_dir):
    info = install_package(build_argos_package(tmp_path / "src", "en", "ko"), packages_dir)
    final = packages_dir / "translate-en_ko"
    assert (info.engine, info.source, info.target) == ("argos", "en", "ko")
    assert info.model_id == "argos:translate-en_ko-1.0"
    assert info.origin == str(final)
    assert (final / "metadata.json").is_file() and (final / "model" / "model.bin").is_file()
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_ko"]
    assert installed_packages(packages_dir) == [info]


def test_installs_into_the_default_folder(tmp_path, packages_dir):
    info = install_package(build_argos_package(tmp_path / "src"))
    assert Path(info.origin).parent == tmp_path / "default-packages"


def test_reinstalling_replaces_the_package(tmp_path, packages_dir):
    install_package(build_argos_package(tmp_path / "v1", version="1.0"), packages_dir)
    again = install_package(build_argos_package(tmp_path / "v1", version="1.0"), packages_dir)
    newer = install_package(build_argos_package(tmp_path / "v2", version="1.1"), packages_dir)
    assert again.origin == newer.origin
    assert newer.model_id == "argos:translate-en_de-1.1"
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_de"]
    assert installed_packages(packages_dir) == [newer]


def test_replacing_works_without_atomic_exchange(tmp_path, packages_dir, monkeypatch):
    """Where renameat2 is missing, the old package is renamed away, then the new one in."""
    install_package(build_argos_package(tmp_path / "v1", version="1.0"), packages_dir)
    monkeypatch.setattr(argos_install, "_exchange", lambda a, b: False)
    newer = install_package(build_argos_package(tmp_path / "v2", version="2.0"), packages_dir)
    assert newer.model_id == "argos:translate-en_de-2.0"
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_de"]


def test_a_refused_reinstall_keeps_the_installed_package(tmp_path, packages_dir, good_files):
    installed = install_package(build_argos_package(tmp_path / "v1"), packages_dir)
    bad = make_zip(tmp_path / "bad.argosmodel", replace_file(good_files, "metadata.json", b"{"))
    with pytest.raises(PackageError):
        install_package(bad, packages_dir)
    assert installed_packages(packages_dir) == [installed]


def _age(folder: Path, seconds: float) -> None:
    then = folder.stat().st_mtime - seconds
    os.utime(folder, (then, then))


def test_an_install_killed_earlier_is_cleaned_up_a_running_or_recent_one_is_not(tmp_path, packages_dir):
    import fcntl
    import signal
    import subprocess
    import sys

    from transflow.engines import leftovers

    archive = build_argos_package(tmp_path / "src", "en", "ko")
    # SIGKILL just before the package is moved into place: the staging folder stays.
    code = ("import os, signal, sys\n"
            "from transflow.engines import argos_install\n"
            "argos_install._move_into_place = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
            "argos_install.install_package(sys.argv[1], sys.argv[2])\n")
    proc = subprocess.run([sys.executable, "-c", code, str(archive), str(packages_dir)])
    assert proc.returncode == -signal.SIGKILL
    [killed] = packages_dir.iterdir()
    assert killed.name.startswith(".install-") and (killed / "unpacked" / "translate-en_ko-1_0").is_dir()
    running, recent, legacy = (packages_dir / f".install-{n}" for n in ("running", "recent", "legacy"))
    for folder in (running, recent):
        folder.mkdir()
        (folder / "lock").touch()
    legacy.mkdir()  # made by a transflow that took no lock
    (legacy / "translate-en_ko-1_0").mkdir()
    for folder in (killed, running, legacy):
        _age(folder, leftovers.STALE_AFTER + 60)
    # A recent unlocked folder may be an install that has not taken its lock yet.
    with open(running / "lock", "rb") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # as the process installing it holds it
        info = install_package(archive, packages_dir)
        assert sorted(p.name for p in packages_dir.iterdir()) == [".install-recent", ".install-running", "translate-en_ko"]
    assert installed_packages(packages_dir) == [info]


def test_a_running_install_holds_the_lock_on_its_folder(tmp_path, packages_dir, monkeypatch):
    from transflow.engines import leftovers

    seen = []
    real = argos_install._move_into_place

    def looking(package, final, previous):
        [staging] = [p for p in packages_dir.iterdir() if p.name.startswith(".install-")]
        seen.append(leftovers.unlocked(staging / "lock"))
        _age(staging, leftovers.STALE_AFTER + 60)
        assert leftovers.remove_abandoned(packages_dir, ".install-", "lock") == []
        return real(package, final, previous)

    monkeypatch.setattr(argos_install, "_move_into_place", looking)
    install_package(build_argos_package(tmp_path / "src", "en", "ko"), packages_dir)
    assert seen == [False]
    assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_ko"]


@pytest.mark.parametrize("exchange", [True, False])
def test_a_package_whose_folder_has_the_staging_names_installs(tmp_path, packages_dir, good_files, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(argos_install, "_exchange", lambda a, b: False)
    for top in ("lock", "previous", "unpacked"):
        files = [(top + n[len(TOP):], d) for n, d in good_files]
        install_package(make_zip(tmp_path / f"{top}.argosmodel", files), packages_dir)
        install_package(make_zip(tmp_path / f"{top}.argosmodel", files), packages_dir)  # replacing one
        assert sorted(p.name for p in packages_dir.iterdir()) == ["translate-en_de"]
