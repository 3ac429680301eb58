"""Bad input gets one clear line on stderr, exit code 2, no traceback and nothing written."""

import shutil

import pytest
from click.testing import CliRunner
from conftest import GLOSSARY, msgfmt_check

from transflow.cli import main

GOOD_PO_HEAD = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: pt\\n"\n\n'


def article(path, data):
    path.write_bytes(data)
    return path.name


def glossary_file(tmp, text):
    folder = tmp / "bad-glossary"
    folder.mkdir()
    (folder / "terms.yaml").write_text(text, encoding="utf-8")
    return "bad-glossary"


def po_file(tmp, data: bytes):
    target = tmp / "locales/pt/LC_MESSAGES/a.po"
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    return target


# name: (setup(tmp) -> extra CLI args, expected part of the message)
CASES = {
    "missing file": (lambda t: ["nope.txt"], "nope.txt: no such file"),
    "directory": (lambda t: [(t / "adir").mkdir() or "adir"], "adir: is a directory"),
    "binary file": (lambda t: [article(t / "a.txt", b"\x89PNG\r\n\x1a\n\0\0\0")], "looks like a binary file"),
    "invalid UTF-8": (lambda t: [article(t / "a.txt", "Caf\u00e9 is open.\n".encode("latin-1"))],
                      "not valid UTF-8 at byte 3"),
    "empty article": (lambda t: [article(t / "a.txt", b"  \n\n \n")], "the article is empty"),
    "unknown encoding": (lambda t: [article(t / "a.txt", b"Hello.\n"), "--encoding", "klingon"], "unknown encoding"),
    "glossary syntax": (lambda t: ["a.txt", "--glossary", glossary_file(t, "terms:\n  - id: [x\n")],
                        "terms.yaml:3: YAML syntax error"),
    "glossary unknown key": (lambda t: ["a.txt", "--glossary", glossary_file(t, "terms:\n  - id: a\n    source: a\n    colour: red\n    translations: {pt: b}\n")],
                             "terms.yaml:4: unknown key 'colour'"),
    "glossary duplicate term": (lambda t: ["a.txt", "--glossary", glossary_file(t, "terms:\n  - id: a\n    source: a\n    translations: {pt: b}\n  - id: a\n    source: c\n    translations: {pt: d}\n")],
                                "terms.yaml:5: term id 'a' is already defined"),
    "glossary bad language": (lambda t: ["a.txt", "--glossary", glossary_file(t, "terms:\n  - id: a\n    source: a\n    translations: {xx1: b}\n")],
                              "terms.yaml:4: 'xx1' is not an ISO 639"),
    "PO syntax error": (lambda t: [po_file(t, (GOOD_PO_HEAD + 'msgid "a\nmsgstr "b"\n').encode()) and "a.txt"],
                        "a.po:6: PO syntax error"),
    "PO not UTF-8": (lambda t: [po_file(t, (GOOD_PO_HEAD.replace("UTF-8", "ISO-8859-1") + 'msgid "a"\nmsgstr "\xe7"\n').encode("latin-1")) and "a.txt"],
                     "declares charset ISO-8859-1"),
    "unknown language": (lambda t: ["a.txt", "--to", "portuguese"], "unknown language code 'portuguese'"),
    "pair with no model": (lambda t: ["a.txt", "--to", "ko"], "no installed model translates en->ko"),
}


@pytest.fixture
def tiny_project(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Refugees crossed the border.\n", encoding="utf-8")
    shutil.copytree(GLOSSARY, tmp_path / "glossary")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder):
    return sorted((p.relative_to(folder).as_posix(), p.read_bytes() if p.is_file() else b"")
                  for p in folder.rglob("*"))


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_line_exit_2_nothing_written(tiny_project, name):
    setup, expected = CASES[name]
    args = setup(tiny_project)
    if "--to" not in args:
        args += ["--to", "pt"]
    before = snapshot(tiny_project)
    result = CliRunner().invoke(main, ["translate", *args])
    assert result.exit_code == 2, (result.output, result.exception)
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert snapshot(tiny_project) == before


def test_latin1_article_with_encoding_option(tiny_project):
    (tiny_project / "b.txt").write_bytes("Caf\u00e9 owners fled.\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["translate", "b.txt", "--to", "pt", "--encoding", "latin-1", "--no-tm"])
    assert result.exit_code == 0, result.output
    po = (tiny_project / "locales/pt/LC_MESSAGES/b.po").read_text(encoding="utf-8")
    assert 'msgid "Café owners fled."' in po


def test_bom_and_crlf_are_accepted_and_preserved_on_build(tiny_project):
    text = "A heading\r\n\r\nRefugees crossed the border. They were detained.\r\n"
    (tiny_project / "w.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert CliRunner().invoke(main, ["translate", "w.txt", "--to", "pt", "--no-tm"]).exit_code == 0
    po = tiny_project / "locales/pt/LC_MESSAGES/w.po"
    msgfmt_check(po)
    assert "\r" not in po.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "w.txt", "--to", "pt", "-o", "w.pt.txt"])
    assert result.exit_code == 0, result.output
    built = (tiny_project / "w.pt.txt").read_bytes()
    assert built.startswith(b"\xef\xbb\xbf")
    assert built.count(b"\r\n") == 3 and built.replace(b"\r\n", b"").count(b"\n") == 0


def test_po_saved_with_windows_line_ends_is_accepted(tiny_project):
    assert CliRunner().invoke(main, ["translate", "a.txt", "--to", "pt", "--no-tm"]).exit_code == 0
    po = tiny_project / "locales/pt/LC_MESSAGES/a.po"
    po.write_bytes(po.read_bytes().replace(b"\n", b"\r\n"))
    result = CliRunner().invoke(main, ["translate", "a.txt", "--to", "pt", "--no-tm"])
    assert result.exit_code == 0, result.output
    msgfmt_check(po)
    result = CliRunner().invoke(main, ["check", str(po)])
    assert result.exit_code == 0, result.output
