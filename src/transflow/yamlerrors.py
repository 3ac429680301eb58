"""Where a YAML file is broken, as one line a person can act on: ``file:line: ... column``.

The project file and the glossary files report syntax errors the same way.
"""


def describe(path, error) -> str:
    """``path:line: YAML syntax error at column N: what`` for a PyYAML error (line 1 when
    PyYAML gives no position)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = getattr(error, "problem", None) or getattr(error, "context", None)
    if what is None:
        text = str(error).strip()
        what = text.splitlines()[0] if text else type(error).__name__
    return f"{path}:{line}: YAML syntax error at column {column}: {what}"
