import pytest
from click.testing import CliRunner

from transflow.cli import main
from transflow.config import load_config
from transflow.errors import InputError


def test_no_project_file_gives_empty_settings(tmp_path):
    assert load_config(tmp_path) == {}


def test_yaml_is_found_from_a_subfolder_and_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.transflow]\nskip_patterns = ["^A$"]\n')
    (tmp_path / "transflow.yaml").write_text("skip_patterns: ['^B$']\n")
    (tmp_path / "sub").mkdir()
    assert load_config(tmp_path / "sub") == {"skip_patterns": ["^B$"]}


def test_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.transflow]\nskip_patterns = ["^Menu$"]\n')
    assert load_config(tmp_path) == {"skip_patterns": ["^Menu$"]}


@pytest.mark.parametrize("text,message", [
    ("skip_patterns: '^A$'\n", "must be a list"),
    ("skip_patterns: ['(']\n", "not a valid regular expression"),
    ("skip_patterns: [\n", r"transflow.yaml:2: YAML syntax error at column 1: "),
    ("- a\n", "mapping"),
])
def test_bad_settings_name_the_file(tmp_path, text, message):
    (tmp_path / "transflow.yaml").write_text(text)
    with pytest.raises(InputError, match=message) as e:
        load_config(tmp_path)
    assert "transflow.yaml" in str(e.value)


def test_segment_skips_lines_the_project_file_names(tmp_path, monkeypatch):
    (tmp_path / "transflow.yaml").write_text("skip_patterns: ['^Follow us on']\n")
    (tmp_path / "a.txt").write_text("A title\n\nFollow us on the radio\n\nA sentence here.\n")
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["segment", "a.txt"]).output
    assert "Follow us" not in out and "A sentence here." in out
