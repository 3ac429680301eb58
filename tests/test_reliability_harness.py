"""The reliability harness itself: it sees exit codes, hangs, memory and changed files."""

import fcntl

import pytest
from reliability import Case, run, run_case


def test_a_clean_refusal_passes(tmp_path):
    (tmp_path / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    result = run_case(Case("bad language", ["translate", "a.txt", "--to", "xx1", "--no-tm"],
                           message="unknown language code"), tmp_path)
    assert 0 < result.peak_rss_mb < 1024


def test_a_changed_file_fails_the_case_unless_the_command_may_change_it(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("One sentence.\n", encoding="utf-8")
    run(["extract", "a.txt"], tmp_path)
    article.write_text("Another sentence.\n", encoding="utf-8")
    extract = Case("extract again", ["extract", "a.txt"], exit=0)
    with pytest.raises(AssertionError, match="changed or removed: .*a.pot"):
        run_case(extract, tmp_path)
    article.write_text("A third sentence.\n", encoding="utf-8")
    extract.may_change = ("locales/*.pot",)
    run_case(extract, tmp_path)


def test_a_hang_is_killed_and_reported(tmp_path):
    # A FIFO as the article no longer hangs (issue 19): another run holding the lock for
    # longer than the case's bound does.
    (tmp_path / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    (tmp_path / "locales").mkdir()
    with open(tmp_path / "locales" / ".transflow.lock", "w") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        with pytest.raises(AssertionError, match="still running"):
            run(["translate", "a.txt", "--to", "pt", "--no-tm", "--lock-timeout", "3600"], tmp_path, timeout=3)
