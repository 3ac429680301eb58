"""Issue 4: a project file (transflow.yaml or [tool.transflow]) so `transflow translate` with no
arguments runs the whole project; command-line options override it; every key is checked.

Translations use the real embedded en->pt model on two-sentence articles.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from transflow.cli import main
from transflow.config import ProjectConfig, load_project

A = "Refugees crossed the border. They were detained by guards.\n"
B = "The defector spoke to investigators. She was accused of treason.\n"


def run(*args):
    return CliRunner().invoke(main, list(args))


def ok(result):
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    return result


@pytest.fixture
def desk(project):
    """The `project` folder (glossary/ and the example article) with two tiny articles under articles/."""
    (project / "articles").mkdir()
    (project / "articles" / "a.txt").write_text(A, encoding="utf-8")
    (project / "articles" / "b.txt").write_text(B, encoding="utf-8")
    return project


def po(folder, lang, stem, locales="locales"):
    return folder / locales / lang / "LC_MESSAGES" / f"{stem}.po"


def test_translate_with_no_arguments_runs_the_project(desk):
    (desk / "transflow.yaml").write_text(
        "source: en\ntargets: [pt, pt-br]\narticles: ['articles/*.txt']\nglossary: glossary\nlocales: out\nengine: auto\n",
        encoding="utf-8")
    result = ok(run("translate", "--no-tm"))
    for lang in ("pt", "pt_BR"):
        for stem in ("a", "b"):
            text = po(desk, lang, stem, "out").read_text(encoding="utf-8")
            assert f"#: articles/{stem}.txt:1" in text and 'msgstr ""\n\n' not in text.split("\n\n", 1)[1]
    assert "glossary: defector -> desertor" in po(desk, "pt", "b", "out").read_text(encoding="utf-8")
    assert not (desk / "locales").exists()
    # Messages name the files relative to the working folder, as with paths given by hand.
    assert "out/pt/LC_MESSAGES/a.po: written" in result.stderr
    assert str(desk) not in result.stderr


def test_command_line_options_override_the_file(desk):
    (desk / "transflow.yaml").write_text(
        "targets: [pt_BR]\narticles: ['articles/*.txt']\nlocales: out\nsource: en\n", encoding="utf-8")
    ok(run("translate", "articles/a.txt", "--to", "pt", "--locales", "other", "--from", "en", "--no-tm"))
    assert po(desk, "pt", "a", "other").is_file()
    assert not po(desk, "pt", "b", "other").exists()  # ARTICLE replaces the file's articles
    assert not (desk / "out").exists() and not (desk / "other" / "pt_BR").exists()
    # --from overrides the file's source: a wrong one on the command line is what is reported.
    result = run("translate", "--from", "xx", "--no-tm")
    assert result.exit_code == 2 and "'xx'" in result.stderr


def test_pyproject_tool_table(desk):
    (desk / "pyproject.toml").write_text(
        '[project]\nname = "desk"\n\n[tool.transflow]\ntargets = ["pt"]\narticles = ["articles/a.txt"]\nlocales = "l10n"\n',
        encoding="utf-8")
    ok(run("translate", "--no-tm"))
    assert po(desk, "pt", "a", "l10n").is_file() and not po(desk, "pt", "b", "l10n").exists()


def test_paths_are_relative_to_the_project_file_from_a_subfolder(desk, monkeypatch):
    (desk / "transflow.yaml").write_text(
        "targets: [pt]\narticles: [articles/a.txt]\nlocales: out\nglossary: glossary\n", encoding="utf-8")
    deeper = desk / "sub" / "deeper"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    ok(run("translate", "--no-tm"))
    assert po(desk, "pt", "a", "out").is_file()
    assert not (deeper / "out").exists() and not (deeper / "locales").exists()
    # The other commands find the same locales and glossary from there.
    assert re.search(r"^a\s+pt\s+2\s", ok(run("status")).stdout, re.M)
    built = ok(run("build", "../../articles/a.txt", "--to", "pt")).stdout
    assert built.strip() and built != A
    assert ok(run("check", "--strict")).exit_code == 0


def test_a_run_from_a_subfolder_writes_the_same_file_and_shares_the_memory(desk, monkeypatch):
    """References are relative to the project's folder and the TM lives there, so where
    a desk member starts the run changes nothing in the PO file or the memory."""
    (desk / "transflow.yaml").write_text("targets: [pt]\narticles: [articles/a.txt]\n", encoding="utf-8")
    ok(run("translate"))
    path = po(desk, "pt", "a")
    first = path.read_bytes()
    assert b"#: articles/a.txt:1\n" in first
    assert (desk / ".transflow" / "tm.sqlite").is_file()
    (desk / "articles" / "a.txt").write_text(A + "\nThey were released a year later.\n", encoding="utf-8")
    deeper = desk / "sub" / "deeper"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    result = ok(run("translate"))
    assert "1 new MT drafts" in result.stderr and "1 from TM" not in result.stderr
    assert not (deeper / ".transflow").exists()
    second = path.read_text(encoding="utf-8")
    assert second.count("#: articles/a.txt:") == 3 and "../" not in second
    monkeypatch.chdir(desk)
    (desk / "articles" / "b.txt").write_text("They were released a year later.\n", encoding="utf-8")
    # The sentence translated from the subfolder is in the project's memory.
    assert "1 from TM" in ok(run("translate", "articles/b.txt")).stderr


def test_the_tm_key_names_the_memory(desk):
    (desk / "transflow.yaml").write_text("targets: [pt]\narticles: [articles/a.txt]\ntm: memory/desk.sqlite\n",
                                         encoding="utf-8")
    ok(run("translate"))
    assert (desk / "memory" / "desk.sqlite").is_file() and not (desk / ".transflow").exists()
    ok(run("translate", "--tm", "other.sqlite", "articles/b.txt"))
    assert (desk / "other.sqlite").is_file()


def test_glossary_validate_checks_the_projects_glossary(desk):
    (desk / "terms").mkdir()
    (desk / "terms" / "bad.yaml").write_text("terms:\n  - id: x\n    source: refugee\n    colour: red\n",
                                             encoding="utf-8")
    (desk / "transflow.yaml").write_text("targets: [pt]\nglossary: terms\n", encoding="utf-8")
    result = run("glossary", "validate")
    assert result.exit_code == 1 and "terms/bad.yaml:4:" in result.stdout
    assert ok(run("glossary", "validate", "glossary")).exit_code == 0


def test_other_commands_take_their_defaults_from_the_file(desk):
    (desk / "transflow.yaml").write_text(
        "source: en\ntargets: [pt]\narticles: ['articles/*.txt']\nlocales: l10n\n", encoding="utf-8")
    ok(run("extract"))
    assert (desk / "l10n" / "a.pot").is_file() and (desk / "l10n" / "b.pot").is_file()
    page = desk / "review.html"
    ok(run("review", "-o", str(page)))  # no PO file yet: every unit shows as missing, in pt
    assert "They were detained by guards." in page.read_text(encoding="utf-8")


def test_a_glossary_the_file_names_must_exist(desk):
    (desk / "transflow.yaml").write_text("targets: [pt]\narticles: [articles/a.txt]\nglossary: terms/\n", encoding="utf-8")
    result = run("translate", "--no-tm")
    assert result.exit_code == 2
    assert "transflow.yaml: glossary: terms does not exist" in result.stderr


@pytest.mark.parametrize("text,expected", [
    ("targets: [pt]\ntarget: [de]\n", "unknown key 'target' (did you mean 'targets'?)"),
    ("targets: pt\n", "targets must be a list of language codes"),
    ("locales: [a, b]\n", "locales must be a path"),
    ("engine: google\n", "engine: unknown engine 'google'"),
    ("targets: [pt, xx]\n", "targets: unknown language code 'xx'"),
    ("source: english\n", "source: unknown language code 'english'"),
    ("targets: [pt, no]\n", "quote it ('no')"),
    ("articles: ['drafts/*.md']\n", "articles: 'drafts/*.md' matches no file"),
    ("articles: [articles/c.txt]\n", "articles: 'articles/c.txt' matches no file"),
])
def test_a_bad_project_file_is_one_line_exit_2_naming_the_file(desk, text, expected):
    (desk / "transflow.yaml").write_text(text, encoding="utf-8")
    for args in (["translate", "articles/a.txt", "--to", "pt", "--no-tm"], ["status"]):
        result = run(*args)
        assert result.exit_code == 2, (result.output, result.exception)
        [line] = result.stderr.strip().splitlines()
        assert str(desk / "transflow.yaml") in line and expected in line
        assert not (desk / "locales").exists()


def test_a_bad_pyproject_table_names_the_table(desk):
    (desk / "pyproject.toml").write_text('[tool.transflow]\ntargest = ["pt"]\n', encoding="utf-8")
    result = run("status")
    assert result.exit_code == 2
    assert f"{desk / 'pyproject.toml'}: [tool.transflow]: unknown key 'targest' (did you mean 'targets'?)" in result.stderr


@pytest.mark.parametrize("text,expected", [
    ("", "no article given: pass one, or set `articles:` in transflow.yaml"),
    ("articles: [articles/a.txt]\n", "no target language: pass --to (e.g. --to pt,de), or set `targets:` in transflow.yaml"),
])
def test_nothing_to_translate_says_what_to_set(desk, text, expected):
    if text:
        (desk / "transflow.yaml").write_text(text, encoding="utf-8")
    result = run("translate")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"transflow: error: {expected}"


def test_without_a_project_file_the_built_in_defaults_hold(desk):
    assert load_project(desk) == ProjectConfig()
    ok(run("translate", "articles/a.txt", "--to", "pt", "--no-tm"))
    assert po(desk, "pt", "a").is_file()


def test_load_project_gives_resolved_values(desk):
    (desk / "transflow.yaml").write_text(
        "source: EN\ntargets: [pt-br, pt, pt_BR]\narticles: ['articles/b.txt', 'articles/*.txt']\n"
        "glossary: ../shared/glossary\nlocales: /srv/l10n\nskip_patterns: ['^Menu$']\n", encoding="utf-8")
    (desk / "sub").mkdir()
    assert load_project(desk / "sub") == ProjectConfig(
        path=desk / "transflow.yaml", source="en", targets=("pt_BR", "pt"),
        glossary=desk / "../shared/glossary", locales=Path("/srv/l10n"), tm=None,
        engine=None, articles=(desk / "articles/b.txt", desk / "articles/a.txt"), skip_patterns=("^Menu$",),
        article_folders=(desk / "articles",))


def test_an_article_name_with_glob_characters_is_taken_as_written(desk):
    (desk / "articles" / "[draft] c.txt").write_text(A, encoding="utf-8")
    (desk / "transflow.yaml").write_text("articles: ['articles/[draft] c.txt']\n", encoding="utf-8")
    assert load_project(desk).articles == (desk / "articles" / "[draft] c.txt",)


@pytest.mark.parametrize("pattern,new", [("articles/*.txt", "articles/c.txt"), ("articles/**/*.txt", "articles/2024/c.txt")])
def test_a_new_file_a_project_glob_matches_is_translated_by_the_next_run(desk, pattern, new):
    """The up-to-date record (uptodate.py) must not answer for a run whose glob now matches more."""
    (desk / "transflow.yaml").write_text(f"targets: [pt]\narticles: ['{pattern}']\n", encoding="utf-8")

    def translate():
        result = subprocess.run([sys.executable, "-m", "transflow", "translate", "--no-tm"], cwd=desk, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stderr

    translate()
    assert "nothing changed since the last run" in translate()
    (desk / new).parent.mkdir(exist_ok=True)
    (desk / new).write_text("A third article arrived. It is short.\n", encoding="utf-8")
    assert "c.po: written" in translate()
    assert po(desk, "pt", "c").is_file()
