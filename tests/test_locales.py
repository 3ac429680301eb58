"""The committed catalogs: valid, gettext-canonical, and what `transflow translate` writes."""

import subprocess

import pytest
from conftest import ROOT, msgfmt_check
from system_tools import need

CATALOGS = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))


def test_there_are_committed_catalogs():
    assert any(p.suffix == ".po" for p in CATALOGS)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_msgcat_reemits_committed_catalogs_byte_for_byte(path, tmp_path):
    need("msgcat")
    out = tmp_path / "out.po"
    subprocess.run(["msgcat", str(path), "-o", str(out)], check=True)
    assert out.read_bytes() == path.read_bytes()
    msgfmt_check(path)


def test_the_reviewed_example_builds_into_a_portuguese_article_of_the_same_shape(tmp_path, monkeypatch):
    """The committed example PO, reviewed, becomes the article: the same paragraphs and
    headings, every unit a reviewed translation (so --reviewed-only accepts it)."""
    import shutil

    import polib
    from click.testing import CliRunner
    from conftest import EXAMPLE

    from transflow.cli import main

    po_path = ROOT / "locales" / "pt" / "LC_MESSAGES" / f"{EXAMPLE.stem}.po"
    po = polib.pofile(str(po_path))
    assert po.percent_translated() == 100 and not po.fuzzy_entries()
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "examples" / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", f"examples/{EXAMPLE.name}", "--to", "pt", "--reviewed-only",
                                       "-o", "built.pt.txt"])
    assert result.exit_code == 0, result.output
    source = EXAMPLE.read_text(encoding="utf-8")
    built = (tmp_path / "built.pt.txt").read_text(encoding="utf-8")

    def blocks(text):
        return [b for b in text.split("\n\n") if b.strip()]

    assert len(blocks(built)) == len(blocks(source))
    assert built.count("\n") == source.count("\n")
    headings = [i for i, b in enumerate(blocks(source)) if "\n" not in b.strip() and not b.rstrip().endswith(".")]
    assert [blocks(built)[i] for i in headings][:2] == [
        "Grupos de direitos humanos pedem que a China ponha fim aos retornos forçados de norte-coreanos",
        "Repatriação forçada e o princípio da não devolução"]
    for entry in po:
        assert entry.msgstr in built
