"""Issue: Translate Toolkit's pocount reads every PO file transflow writes and counts what `transflow status` counts."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, msgfmt_check

from transflow.cli import main

PO = f"locales/pt/LC_MESSAGES/{EXAMPLE.stem}.po"
REVIEWED = {
    "Many of them were arrested after crossing the Tumen River in the past year.":
        "Muitos deles foram presos depois de atravessar o rio Tumen no ano passado.",
    "What the resolution asks": "O que a resolução pede",
}
EMPTIED = "By the transflow example desk"
EMPTIED_FUZZY = "Photo: A border fence along the Yalu River, seen from the Chinese side"
EDITED_OLD = "China treats most of these people as economic migrants rather than refugees."
EDITED_NEW = "China treats almost all of these people as economic migrants rather than refugees."


def run(*args, code=0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output + result.stderr
    return result


def pocount(path) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) as the pocount command prints them."""
    exe = Path(sys.executable).parent / "pocount"
    command = [str(exe) if exe.exists() else shutil.which("pocount"), "--csv", str(path)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    [row] = csv.DictReader(io.StringIO(out))
    return int(row["Translated Messages"]), int(row["Fuzzy Messages"]), int(row["Untranslated Messages"])


def status() -> tuple[int, int, int]:
    [row] = json.loads(run("status", "--format", "json").stdout)
    return row["reviewed"], row["fuzzy"], row["untranslated"]


def agree(path):
    counts = status()
    assert pocount(path) == counts
    msgfmt_check(path)
    return counts


def test_pocount_agrees_with_status_on_every_po_file_transflow_writes(project):
    path = project / PO
    run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    reviewed, fuzzy, untranslated = agree(path)
    assert (reviewed, untranslated) == (0, 0) and fuzzy > 20

    # A translator reviews two drafts and empties two (one left flagged fuzzy), in Poedit's stead.
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in REVIEWED:
            entry.msgstr = REVIEWED[entry.msgid]
            entry.flags.remove("fuzzy")
        elif entry.msgid == EMPTIED:
            entry.msgstr = ""
            entry.flags.remove("fuzzy")
        elif entry.msgid == EMPTIED_FUZZY:
            entry.msgstr = ""
    po.save(str(path))
    assert agree(path) == (2, fuzzy - 4, 2)

    # transflow writes it: an import that changes nothing but a comment keeps the empties.
    run("export", EXAMPLE.name, "--to", "pt", "--format", "xliff12", "-o", "pt.xlf")
    text = Path("pt.xlf").read_text(encoding="utf-8")
    Path("pt.xlf").write_text(text.replace("<note from=\"developer\">heading</note>",
                                           "<note from=\"developer\">heading</note><note from=\"translator\">seen</note>", 1),
                              encoding="utf-8")
    assert "written" in run("import", "pt.xlf").stderr
    assert agree(path) == (2, fuzzy - 4, 2)

    # check --annotate rewrites the file with findings as comments and drafts marked fuzzy
    # (a draft that lost its number gives it one).
    po = polib.pofile(str(path))
    draft = next(e for e in po if "2,000" in e.msgid)
    draft.msgstr = draft.msgstr.replace("2.000", "200")
    po.save(str(path))
    result = CliRunner().invoke(main, ["check", "locales", "--annotate"])
    assert result.exit_code in (0, 1) and "annotated" in result.stderr
    agree(path)

    # A re-run after an edit: a fuzzy match with a previous msgid, an obsolete entry, fresh drafts.
    article = project / EXAMPLE.name
    article.write_text(article.read_text(encoding="utf-8").replace(EDITED_OLD, EDITED_NEW), encoding="utf-8")
    run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    text = path.read_text(encoding="utf-8")
    assert "#~ msgid" in text or "#| msgid" in text
    reviewed, fuzzy, untranslated = agree(path)
    assert reviewed == 2


def test_pre_commit_runs_the_hook_as_a_gate(project, tmp_path):
    """pre-commit accepts the hook manifest and, with the hook's definition, hands the PO files
    to `transflow check`: green while only drafts have findings, red once a reviewed entry breaks a rule."""
    import yaml
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(ROOT / ".pre-commit-hooks.yaml")
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == ("transflow-check", "transflow check", "python", True)
    # language: python would pip-install transflow from its repository (network); the
    # transflow on PATH runs the same entry with the same file selection.
    local = {k: hook[k] for k in ("id", "name", "entry", "files", "pass_filenames", "require_serial")}
    (project / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [{**local, "language": "system"}]}]}), encoding="utf-8"
    )
    run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    run("extract", EXAMPLE.name)  # a .pot the hook must leave alone
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "NO_COLOR": "1",
    }

    def pre_commit():
        subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)
        return subprocess.run([str(Path(sys.executable).parent / "pre-commit"), "run", "--all-files", "--color", "never"],
                              cwd=project, capture_output=True, text=True, env=env)

    subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    green = pre_commit()
    assert green.returncode == 0, green.stdout + green.stderr
    assert "transflow check" in green.stdout and "Passed" in green.stdout

    po = polib.pofile(str(project / PO))
    [entry] = [e for e in po if "defector told investigators" in e.msgid]
    entry.msgstr = "Um fugitivo disse aos investigadores que os guardas a acusaram de traição por deixar o país."
    entry.flags.remove("fuzzy")
    po.save(str(project / PO))
    red = pre_commit()
    assert red.returncode == 1, red.stdout + red.stderr
    assert "Failed" in red.stdout and "[missing] defector" in red.stdout and ".pot" not in red.stdout


def findings_project(project):
    run("translate", EXAMPLE.name, "--to", "pt", "--no-tm")
    po = polib.pofile(str(project / PO))
    [entry] = [e for e in po if "defector told investigators" in e.msgid]
    entry.msgstr = "Um fugitivo disse aos investigadores que os guardas a acusaram de traição por deixar o país."
    entry.flags.remove("fuzzy")
    po.save(str(project / PO))


def test_colour_only_on_a_terminal_and_never_with_no_color(project):
    findings_project(project)
    on_terminal = CliRunner().invoke(main, ["check", "locales"], color=True)
    assert on_terminal.exit_code == 1 and "\x1b[31m" in on_terminal.stdout  # errors in red
    piped = CliRunner().invoke(main, ["check", "locales"])
    assert piped.exit_code == 1 and "\x1b[" not in piped.output and ": error: [missing]" in piped.stdout
    no_color = CliRunner(env={"NO_COLOR": "1"}).invoke(main, ["check", "locales"], color=True)
    assert no_color.exit_code == 1 and "\x1b[" not in no_color.output and ": error: [missing]" in no_color.stdout


def test_data_on_stdout_messages_on_stderr(project):
    findings_project(project)
    check = CliRunner().invoke(main, ["check", "locales", "--format", "json"])
    assert json.loads(check.stdout) and "gate failed" in check.stderr and "gate" not in check.stdout
    assert json.loads(run("status", "--format", "json").stdout)[0]["reviewed"] == 1
    built = run("build", EXAMPLE.name, "--to", "pt")
    assert built.stdout.startswith("Grupos") and "still MT drafts" in built.stderr
    segments = run("segment", EXAMPLE.name, "--json")
    assert json.loads(segments.stdout) and segments.stderr == ""
    assert run("--version").stdout.startswith("transflow, version ")


def test_shell_completion_script(tmp_path):
    exe = Path(sys.executable).parent / "transflow"
    for shell in ("bash", "zsh", "fish"):
        env = {**os.environ, "_TRANSFLOW_COMPLETE": f"{shell}_source"}
        script = subprocess.run([str(exe)], env=env, capture_output=True, text=True, check=True).stdout
        assert "_TRANSFLOW_COMPLETE" in script
    # bash asks for the words after `transflow ex`: the command is completed.
    env = {**os.environ, "_TRANSFLOW_COMPLETE": "bash_complete", "COMP_WORDS": "transflow ex", "COMP_CWORD": "1"}
    words = subprocess.run([str(exe)], env=env, capture_output=True, text=True, check=True).stdout
    assert "plain,export" in words and "plain,extract" in words
