"""`-o` never replaces an input or a file transflow did not write without --force
(issue 19, item 2); PO files stay what msgfmt accepts and what the desk linked, and
two articles with one name never share a PO file silently (item 12)."""

import os
import shutil
from pathlib import Path

import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, msgfmt_check

from transflow import outputs, pofile
from transflow.cli import main
from transflow.errors import InputError

ARTICLE = EXAMPLE.name
PO = Path(f"locales/pt/LC_MESSAGES/{EXAMPLE.stem}.po")


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


@pytest.fixture
def desk(project):
    PO.parent.mkdir(parents=True)
    shutil.copy(ROOT / PO, PO)
    return project


def refused(*args, name):
    """The command exits 2 with one line naming ``name`` and the way out."""
    result = run(*args, code=2)
    assert result.stderr.count("\n") == 1 and str(name) in result.stderr, result.stderr
    assert "pass --force to replace it" in result.stderr
    return result


@pytest.mark.parametrize("how", ["plain", "dotdot", "symlink", "hardlink"])
def test_build_never_writes_over_its_article(desk, how):
    before = Path(ARTICLE).read_bytes()
    out = {"plain": ARTICLE, "dotdot": f"locales/../{ARTICLE}", "symlink": "link.txt", "hardlink": "hard.txt"}[how]
    if how == "symlink":
        os.symlink(ARTICLE, out)
    elif how == "hardlink":
        os.link(ARTICLE, out)
    result = refused("build", ARTICLE, "--to", "pt", "-o", out, name=out)
    assert "is the article this command reads" in result.stderr
    assert Path(ARTICLE).read_bytes() == before


def test_build_never_writes_over_the_po_file_or_a_file_it_did_not_write(desk):
    before = PO.read_bytes()
    refused("build", ARTICLE, "--to", "pt", "-o", str(PO), name=PO)
    assert PO.read_bytes() == before
    Path("notes.txt").write_text("someone's notes\n", encoding="utf-8")
    result = refused("build", ARTICLE, "--to", "pt", "-o", "notes.txt", name="notes.txt")
    assert "exists and transflow did not write it" in result.stderr
    run("build", ARTICLE, "--to", "pt", "-o", "notes.txt", "--force")
    assert Path("notes.txt").read_text(encoding="utf-8").startswith("Grupos de direitos")


def test_build_replaces_its_own_output_until_someone_edits_it(desk):
    run("build", ARTICLE, "--to", "pt", "-o", "out/pt.txt")
    run("build", ARTICLE, "--to", "pt", "-o", "out/pt.txt")  # its own: replaced
    Path("out/pt.txt").write_text(Path("out/pt.txt").read_text(encoding="utf-8") + "A line the editor added.\n",
                                  encoding="utf-8")
    refused("build", ARTICLE, "--to", "pt", "-o", "out/pt.txt", name="out/pt.txt")


def test_a_device_or_fifo_is_never_replaced_even_with_force(desk):
    # A FIFO stands for any device: a test must not bet /dev/null on the code it tests.
    os.mkfifo("pipe.txt")
    result = run("build", ARTICLE, "--to", "pt", "-o", "pipe.txt", "--force", code=2)
    assert "pipe.txt is not a regular file" in result.stderr
    assert Path("pipe.txt").is_fifo()


def test_an_output_that_is_a_link_stays_a_link(desk):
    run("build", ARTICLE, "--to", "pt", "-o", "site/pt.txt")
    os.symlink("site/pt.txt", "latest.txt")
    run("build", ARTICLE, "--to", "pt", "-o", "latest.txt")
    assert os.path.islink("latest.txt") and os.readlink("latest.txt") == "site/pt.txt"


def test_export_keeps_a_file_a_translator_worked_on(desk):
    refused("export", ARTICLE, "--to", "pt", "-o", str(PO), name=PO)
    run("export", ARTICLE, "--to", "pt", "-o", "pt.xlf")
    run("export", ARTICLE, "--to", "pt", "-o", "pt.xlf")
    text = Path("pt.xlf").read_text(encoding="utf-8")
    Path("pt.xlf").write_text(text.replace("<target>Grupos", "<target>Os grupos", 1), encoding="utf-8")
    refused("export", ARTICLE, "--to", "pt", "-o", "pt.xlf", name="pt.xlf")


def test_a_review_page_or_template_transflow_generated_is_replaced_on_any_machine(desk):
    run("review", ARTICLE, "--to", "pt")
    run("extract", ARTICLE)
    shutil.rmtree(outputs.records_dir())  # a fresh clone: no record of what was written here
    run("review", ARTICLE, "--to", "pt")
    run("extract", ARTICLE)
    Path("review.html").write_text("<html>the desk's own page</html>\n", encoding="utf-8")
    refused("review", ARTICLE, "--to", "pt", name="review.html")
    pot = Path(f"locales/{EXAMPLE.stem}.pot")
    pot.write_text('msgid ""\nmsgstr ""\n"X-Generator: xgettext\\n"\n', encoding="utf-8")
    result = refused("extract", ARTICLE, name=pot)
    assert "choose another -o" not in result.stderr  # extract has no -o
    run("extract", ARTICLE, "--force")
    assert "X-Generator: transflow" in pot.read_text(encoding="utf-8")


def test_glossary_export_never_replaces_a_glossary_file(desk):
    target = Path("glossary/refugee-protection.yaml")
    before = target.read_bytes()
    result = refused("glossary", "export", "glossary", "-o", str(target), name=target)
    assert "is a glossary file this command reads" in result.stderr
    assert target.read_bytes() == before


def test_the_project_file_is_an_input(desk):
    Path("transflow.yaml").write_text("targets: [pt]\n", encoding="utf-8")
    result = refused("glossary", "export", "glossary", "-o", "transflow.yaml", name="transflow.yaml")
    assert "is the project file this command reads" in result.stderr


def test_models_export_keeps_a_folder_it_did_not_write(tmp_path):
    run("models", "install", str(build_argos_package(tmp_path / "pkg", "en", "ko")))
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "index.json").write_text('{"not": "an index"}\n', encoding="utf-8")
    result = run("models", "export", "en-ko", "-o", str(usb), code=2)
    assert "index.json exists and is not a package index" in result.stderr
    (usb / "index.json").unlink()
    run("models", "export", "en-ko", "-o", str(usb))
    run("models", "export", "en-ko", "-o", str(usb))  # listed in its index with its checksum: replaced
    [archive] = usb.glob("*.argosmodel")
    archive.write_bytes(b"another file with this name")
    result = run("models", "export", "en-ko", "-o", str(usb), code=2)
    assert "is not a package transflow exported" in result.stderr
    run("models", "export", "en-ko", "-o", str(usb), "--force")


def test_guard_compares_files_not_names(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    with pytest.raises(InputError, match="is the article"):
        outputs.guard(tmp_path / "sub" / ".." / "a.txt", inputs=[(tmp_path / "a.txt", "the article")])
    outputs.guard(tmp_path / "new.txt", inputs=[(tmp_path / "a.txt", "the article")])  # nothing there yet


# ------------------------------------------------------------------ PO files (item 12)


def test_a_po_file_with_a_duplicate_msgid_is_refused_not_rewritten(desk):
    text = PO.read_text(encoding="utf-8")
    text += '\nmsgid "What the resolution asks"\nmsgstr "Outra tradução"\n'
    PO.write_text(text, encoding="utf-8")
    before = PO.read_bytes()
    result = run("translate", ARTICLE, "--to", "pt", "--no-tm", code=2)
    line = len(text.rstrip("\n").split("\n")) - 1
    assert f"{PO}:{line}: duplicate message definition: msgid 'What the resolution asks'" in result.stderr
    assert "already defined at line" in result.stderr
    assert PO.read_bytes() == before
    with pytest.raises(InputError, match="duplicate message definition"):
        pofile.load(PO)


def test_a_symlinked_po_file_stays_a_link(desk):
    real = Path("translations/pt.po")
    real.parent.mkdir()
    shutil.move(PO, real)
    os.symlink(os.path.relpath(real, PO.parent), PO)
    Path(ARTICLE).write_text(Path(ARTICLE).read_text(encoding="utf-8") + "\nA closing sentence was added.\n",
                             encoding="utf-8")
    run("translate", ARTICLE, "--to", "pt", "--no-tm", "-q")
    assert PO.is_symlink()
    assert "A closing sentence was added." in real.read_text(encoding="utf-8")
    msgfmt_check(real)


def test_two_articles_with_one_name_never_share_a_po_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder, text in (("a", "The river was cold that night.\n"), ("b", "A different story starts here.\n")):
        Path(folder).mkdir()
        Path(folder, "story.txt").write_text(text, encoding="utf-8")
    run("translate", "a/story.txt", "--to", "pt", "--no-tm", "-q")
    po = Path("locales/pt/LC_MESSAGES/story.po")
    before = po.read_bytes()
    for command in (["translate", "b/story.txt", "--to", "pt", "--no-tm"], ["build", "b/story.txt", "--to", "pt"],
                    ["export", "b/story.txt", "--to", "pt"]):
        result = run(*command, code=2)
        assert "story.po holds the translations of a/story.txt, and b/story.txt has the same file name" in result.stderr
    assert po.read_bytes() == before
    # The article moved: its old path is gone, so the PO file is the moved one's.
    Path("a/story.txt").rename("a/old-story.txt")
    run("translate", "b/story.txt", "--to", "pt", "--no-tm", "-q")
    assert "#: b/story.txt:1" in po.read_text(encoding="utf-8")
