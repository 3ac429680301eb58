"""The committed catalogs: valid, gettext-canonical, and what `transflow translate` writes."""

import subprocess

import pytest

from conftest import ROOT, msgfmt_check

CATALOGS = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))


def test_there_are_committed_catalogs():
    assert any(p.suffix == ".po" for p in CATALOGS)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_msgcat_reemits_committed_catalogs_byte_for_byte(path, tmp_path):
    out = tmp_path / "out.po"
    subprocess.run(["msgcat", str(path), "-o", str(out)], check=True)
    assert out.read_bytes() == path.read_bytes()
    msgfmt_check(path)
