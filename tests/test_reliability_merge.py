"""Reliability table, issue 19: a translator's work is never lost (import as a merge,
`-o` never overwriting, PO files kept as msgfmt and the desk have them) and XLIFF
import is bounded. Every case runs the CLI in a subprocess under the harness's limits
(tests/reliability.py): the outcome the README's Reliability section promises, no
traceback, and no byte of a file changed that the command had no job to change."""

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, msgfmt_check
from reliability import Case, run_case

from transflow.cli import main

ART = EXAMPLE.name
PO = f"locales/pt/LC_MESSAGES/{EXAMPLE.stem}.po"
HEADING = "Rights groups urge China to end forced returns of North Koreans"
TUMEN = "Many of them were arrested after crossing the Tumen River in the past year."
LOCK = "locales/.transflow.lock"  # import takes it, as translate does
SMALL = 300  # MB: an import or a refusal needs the interpreter and transflow, not a model


def cli(project: Path, *args):
    """A step of a case's setup, in-process."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def entry(project: Path, msgid: str) -> polib.POEntry:
    return next(e for e in polib.pofile(str(project / PO)) if e.msgid == msgid)


def set_po(project: Path, msgid: str, msgstr: str) -> None:
    """The desk's reviewer changes an entry in Poedit (reviewed)."""
    path = project / PO
    po = polib.pofile(str(path))
    e = next(e for e in po if e.msgid == msgid)
    e.msgstr, e.flags = msgstr, [f for f in e.flags if f != "fuzzy"]
    po.save(str(path))


def set_target(path: Path, msgid: str, target: str, state: str = "final") -> None:
    """The CAT tool's translator changes a unit of an exported XLIFF 2.1 file."""
    text = path.read_text(encoding="utf-8")
    pattern = rf'<segment state="[a-z]+">(\s*<source>{re.escape(msgid)}</source>\s*)<target>.*?</target>'
    text, n = re.subn(pattern, lambda m: f'<segment state="{state}">{m.group(1)}<target>{target}</target>', text,
                      flags=re.S)
    assert n == 1
    path.write_text(text, encoding="utf-8")


def exported(project: Path, *edits, name="pt.xlf", bases=True):
    cli(project, "export", ART, "--to", "pt", "-o", name)
    for msgid, target, state in edits:
        set_target(project / name, msgid, target, state)
    if not bases:  # a file from an older transflow or another tool
        text = (project / name).read_text(encoding="utf-8")
        text = re.sub(r'\s*<mda:metaGroup category="transflow-base">.*?</mda:metaGroup>', "", text, flags=re.S)
        (project / name).write_text(text, encoding="utf-8")


def xliff_with_target(project: Path, target: str) -> None:
    """pt.xlf whose heading unit has ``target`` (raw XML) as its target."""
    exported(project)
    path = project / "pt.xlf"
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"(<source>{re.escape(HEADING)}</source>\s*)<target>.*?</target>",
                  lambda m: m.group(1) + f"<target>{target}</target>", text, count=1, flags=re.S)
    path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ checks


def po_has(msgid, msgstr, reviewed=True):
    def check(project, result):
        e = entry(project, msgid)
        assert (e.msgstr, "fuzzy" not in e.flags) == (msgstr, reviewed)
        msgfmt_check(project / PO)

    return check


def both(*checks):
    def check(project, result):
        for c in checks:
            c(project, result)

    return check


def still_a_link(project, result):
    assert (project / PO).is_symlink()
    assert "A closing sentence was added." in (project / "translations/pt.po").read_text(encoding="utf-8")
    msgfmt_check(project / "translations/pt.po")


# ------------------------------------------------------------------ setups


def stale_after_review(project):
    # Issue 19, item 1: the heading goes out as an MT draft, the desk reviews it in
    # Poedit meanwhile, and the CAT tool's file comes back with other work in it.
    path = project / PO
    po = polib.pofile(str(path))
    heading = next(e for e in po if e.msgid == HEADING)
    heading.msgstr, heading.flags = "Um rascunho da máquina", ["fuzzy"]
    po.save(str(path))
    exported(project, (TUMEN, "Muitos foram presos.", "final"))
    set_po(project, HEADING, "Grupos de direitos humanos pedem à China o fim dos repatriamentos forçados")


def conflicting(project):
    exported(project, (HEADING, "Grupos pedem o fim dos retornos", "final"), (TUMEN, "Muitos foram presos.", "final"))
    set_po(project, HEADING, "Grupos de direitos humanos pedem à China o fim dos repatriamentos forçados")


def imported_once(project):
    exported(project, (HEADING, "Grupos pedem o fim dos retornos", "final"))
    cli(project, "import", "pt.xlf")


def baseless_draft_over_reviewed(project):
    exported(project, (HEADING, "Um rascunho antigo", "translated"), bases=False)


def header_unit(project):
    # Translate Toolkit's po2xliff writes the PO header as a unit with an empty source.
    exported(project)
    path = project / "pt.xlf"
    text = path.read_text(encoding="utf-8")
    header = '<unit id="0"><segment state="final"><source></source><target>Language: pt</target></segment></unit>'
    path.write_text(text.replace('canResegment="no">', 'canResegment="no">' + header, 1), encoding="utf-8")


def huge(project):
    exported(project)
    with open(project / "pt.xlf", "ab") as f:
        f.truncate(33 * 1024 * 1024)  # past the 32 MB cap


def fifo(project):
    os.mkfifo(project / "pt.xlf")


def with_project_file(project):
    (project / "transflow.yaml").write_text("targets: [pt]\n", encoding="utf-8")


def foreign_file(name, text="someone's own file\n"):
    def setup(project):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")

    return setup


def links(project):
    os.symlink(ART, project / "link.txt")
    os.link(project / ART, project / "hard.txt")


def transflow_pot(project):
    cli(project, "extract", ART)
    shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "transflow" / "outputs")  # as on a fresh clone


def duplicate_msgid(project):
    with open(project / PO, "a", encoding="utf-8") as f:
        f.write('\nmsgid "What the resolution asks"\nmsgstr "Outra tradução"\n')


def symlinked_po(project):
    real = project / "translations/pt.po"
    real.parent.mkdir()
    shutil.move(project / PO, real)
    os.symlink(os.path.relpath(real, (project / PO).parent), project / PO)
    with open(project / ART, "a", encoding="utf-8") as f:
        f.write("\nA closing sentence was added.\n")


def same_name(project):
    for folder, text in (("a", "The river was cold that night.\n"), ("b", "A different story starts here.\n")):
        (project / folder).mkdir()
        (project / folder / "story.txt").write_text(text, encoding="utf-8")
    cli(project, "translate", "a/story.txt", "--to", "pt", "--no-tm", "-q")


def argos_folder_with_foreign_index(project):
    cli(project, "models", "install", str(build_argos_package(project.parent / "pkg", "en", "ko")))
    (project / "usb").mkdir()
    (project / "usb/index.json").write_text('{"not": "an index"}\n', encoding="utf-8")


def mrk_nest(depth):
    return "<mrk id='m' type='term'>" * depth + "x" + "</mrk>" * depth


FORCE = "pass --force to replace it, or choose another -o"

CASES = [
    # Item 1: import is a three-way merge.
    Case("import of a stale file keeps what was reviewed since", ["import", "pt.xlf"], stale_after_review, exit=0,
         message="written; 24 units, 1 translations updated", may_change=(PO, LOCK), rss_mb=SMALL,
         check=both(po_has(HEADING, "Grupos de direitos humanos pedem à China o fim dos repatriamentos forçados"),
                    po_has(TUMEN, "Muitos foram presos."))),
    Case("import: both sides changed is a conflict, the rest imported", ["import", "pt.xlf"], conflicting, exit=1,
         message=r"conflict in locales/pt/LC_MESSAGES/north-korean-refugees.po: unit \d+ \(\"Rights groups urge.*"
                 r"PO file \"Grupos de direitos humanos pedem à China o fim do…\" \(reviewed\), "
                 r"XLIFF file \"Grupos pedem o fim dos retornos\" \(reviewed\)",
         may_change=(PO, LOCK), rss_mb=SMALL,
         check=both(po_has(HEADING, "Grupos de direitos humanos pedem à China o fim dos repatriamentos forçados"),
                    po_has(TUMEN, "Muitos foram presos."))),
    Case("import of the same file again writes nothing", ["import", "pt.xlf"], imported_once, exit=0,
         message="unchanged", may_change=(LOCK,), rss_mb=SMALL),
    Case("import without bases never makes a reviewed entry a draft", ["import", "pt.xlf"],
         baseless_draft_over_reviewed, exit=1, message="a draft never replaces a reviewed entry", rss_mb=SMALL),
    Case("import ignores the PO header's unit", ["import", "pt.xlf"], header_unit, exit=0,
         message="unchanged; 24 units.* 0 not found", rss_mb=SMALL),
    # Item 10: XLIFF import bounds.
    Case("import refuses <cp hex=D800>", ["import", "pt.xlf"],
         lambda p: xliff_with_target(p, 'a<cp hex="D800"/>b'), message=r"pt.xlf: unit 1: <cp hex='D800'/> is not a character",
         rss_mb=SMALL),
    Case("import refuses <cp hex=0>: no NUL into a msgstr", ["import", "pt.xlf"],
         lambda p: xliff_with_target(p, 'a<cp hex="0"/>b'), message=r"pt.xlf: unit 1: <cp hex='0'/> is not a character",
         rss_mb=SMALL),
    Case("import refuses 5,000 nested <mrk>", ["import", "pt.xlf"], lambda p: xliff_with_target(p, mrk_nest(5000)),
         message="nested more than 1000 deep", rss_mb=SMALL),
    Case("import reads 900 nested <mrk> without recursion", ["import", "pt.xlf"],
         lambda p: xliff_with_target(p, mrk_nest(900)), exit=0, may_change=(PO, LOCK), rss_mb=SMALL,
         check=po_has(HEADING, "x")),
    Case("import refuses a file over 32 MB", ["import", "pt.xlf"], huge, message="larger than 32 MB", rss_mb=SMALL),
    Case("import refuses a FIFO without waiting", ["import", "pt.xlf"], fifo, message="not a regular file",
         rss_mb=SMALL, timeout=20),
    # Item 2: -o overwrites nothing it should not.
    Case("build -o the article", ["build", ART, "--to", "pt", "-o", ART],
         message=f"{ART} is the article this command reads; {FORCE}", rss_mb=SMALL),
    Case("build -o the article through a symlink", ["build", ART, "--to", "pt", "-o", "link.txt"], links,
         message="link.txt is the article", rss_mb=SMALL),
    Case("build -o the article through a hard link", ["build", ART, "--to", "pt", "-o", "hard.txt"], links,
         message="hard.txt is the article", rss_mb=SMALL),
    Case("build -o the article through ..", ["build", ART, "--to", "pt", "-o", f"locales/../{ART}"],
         message="is the article", rss_mb=SMALL),
    Case("build -o the PO file", ["build", ART, "--to", "pt", "-o", PO], message=f"{PO} is the PO file", rss_mb=SMALL),
    Case("build -o a file transflow did not write", ["build", ART, "--to", "pt", "-o", "out.txt"],
         foreign_file("out.txt"), message=f"out.txt exists and transflow did not write it .*; {FORCE}", rss_mb=SMALL),
    Case("build -o with --force replaces it", ["build", ART, "--to", "pt", "-o", "out.txt", "--force"],
         foreign_file("out.txt"), exit=0, may_change=("out.txt",), rss_mb=SMALL),
    # A FIFO stands for any device: a test must not bet /dev/null on the code it tests.
    Case("build -o a FIFO --force", ["build", ART, "--to", "pt", "-o", "pipe.txt", "--force"],
         lambda p: os.mkfifo(p / "pipe.txt"), message="pipe.txt is not a regular file", rss_mb=SMALL, timeout=20),
    Case("export -o the project file", ["export", ART, "--to", "pt", "-o", "transflow.yaml"], with_project_file,
         message="transflow.yaml is the project file", rss_mb=SMALL),
    Case("review -o a file transflow did not write", ["review", ART, "--to", "pt", "-o", "notes.html"],
         foreign_file("notes.html"), message="notes.html exists and transflow did not write it", rss_mb=SMALL),
    Case("glossary export -o a glossary file",
         ["glossary", "export", "glossary", "-o", "glossary/refugee-protection.yaml"],
         message="glossary/refugee-protection.yaml is a glossary file this command reads", rss_mb=SMALL),
    Case("extract over a template transflow did not write", ["extract", ART],
         foreign_file(f"locales/{EXAMPLE.stem}.pot", 'msgid ""\nmsgstr ""\n"X-Generator: xgettext\\n"\n'),
         message="exists and transflow did not write it .*; pass --force to replace it$", rss_mb=SMALL),
    Case("extract replaces a template transflow wrote, on a fresh clone too", ["extract", ART], transflow_pot,
         exit=0, may_change=("locales/*.pot",), rss_mb=SMALL),
    Case("models export into a folder whose index.json is not transflow's", ["models", "export", "en-ko", "-o", "usb"],
         argos_folder_with_foreign_index, message="usb/index.json exists and is not a package index", rss_mb=SMALL),
    # Item 12: PO files as msgfmt and the desk have them; one PO file per article.
    Case("a PO file with a duplicate msgid is refused at file:line", ["translate", ART, "--to", "pt", "--no-tm"],
         duplicate_msgid, message=rf"{PO}:\d+: duplicate message definition: msgid 'What the resolution asks'"),
    Case("a symlinked PO file stays a link", ["translate", ART, "--to", "pt", "--no-tm", "-q"], symlinked_po, exit=0,
         may_change=("translations/pt.po",), check=still_a_link),
    Case("two articles with one name never share a PO file", ["translate", "b/story.txt", "--to", "pt", "--no-tm"],
         same_name, message="story.po holds the translations of a/story.txt, and b/story.txt has the same file name"),
]


@pytest.fixture
def desk(project):
    (project / PO).parent.mkdir(parents=True)
    shutil.copy(ROOT / PO, project / PO)
    return project


@pytest.mark.parametrize("case", CASES, ids=str)
def test_reliability(case, desk):
    run_case(case, desk)
