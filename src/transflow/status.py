"""Progress per article and language: how much of each PO file is reviewed."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from . import catalog, pofile, risk
from .errors import InputError


@dataclass
class Progress:
    article: str
    lang: str
    path: str
    total: int = 0
    reviewed: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    findings: int | None = None  # glossary findings, when a glossary was given
    # MT drafts by their `#. risk:` line (risk/); drafts without one are in none.
    risk_high: int = 0
    risk_medium: int = 0
    risk_low: int = 0

    @property
    def percent(self) -> float:
        return round(100.0 * self.reviewed / self.total, 1) if self.total else 100.0


def collect(locales: Path) -> list[Progress]:
    if not Path(locales).is_dir():
        # As `check` does: an empty table would read as "nothing to review".
        what = "is not a folder" if Path(locales).exists() else "no such folder"
        raise InputError(f"{locales}: {what}; run `transflow translate ARTICLE --to LANG` first, "
                         f"or pass --locales FOLDER")
    rows = []
    for path in sorted(Path(locales).glob("*/LC_MESSAGES/*.po")):
        po = pofile.load(path)
        row = Progress(path.stem, path.parent.parent.name, path.as_posix())
        for entry in po:
            if entry.obsolete:
                row.obsolete += 1
                continue
            row.total += 1
            state = catalog.state(entry)
            if state == "untranslated":
                row.untranslated += 1
            elif state == "fuzzy":
                row.fuzzy += 1
                assessed = risk.of_entry(entry)
                if assessed is not None:
                    name = f"risk_{assessed.level}"
                    setattr(row, name, getattr(row, name) + 1)
            else:
                row.reviewed += 1
        rows.append(row)
    return rows


def add_findings(rows: list[Progress], findings) -> None:
    per_file = {}
    for f in findings:
        per_file[f.file] = per_file.get(f.file, 0) + 1
    for row in rows:
        row.findings = per_file.get(row.path, per_file.get(str(Path(row.path)), 0))


def to_json(rows) -> str:
    return json.dumps([{**asdict(r), "percent": r.percent} for r in rows], indent=2, ensure_ascii=False)


def to_text(rows) -> str:
    head = (f"{'article':32} {'lang':6} {'total':>5} {'reviewed':>8} {'fuzzy':>5} {'untransl':>8} {'obsolete':>8} "
            f"{'findings':>8} {'risk h/m/l':>10} {'done':>6}")
    lines = [head]
    for r in rows:
        findings = "-" if r.findings is None else str(r.findings)
        lines.append(
            f"{r.article[:32]:32} {r.lang:6} {r.total:>5} {r.reviewed:>8} {r.fuzzy:>5} "
            f"{r.untranslated:>8} {r.obsolete:>8} {findings:>8} {f'{r.risk_high}/{r.risk_medium}/{r.risk_low}':>10} {r.percent:>5.1f}%"
        )
    return "\n".join(lines)
