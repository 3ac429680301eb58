"""Hard-wrapped plain text gives the same units as the same text with one line per paragraph.

    .venv/bin/python benchmarks/wrapped.py            # every text at its own width, then the sweep
    .venv/bin/python benchmarks/wrapped.py --quick    # without the sweep and the 20,000-word text

Texts (unwrapped: one line per paragraph, and the writer's own line breaks in
headers, addresses, poems and lists):
- benchmarks/texts/*.txt, written for this benchmark in the shapes plain text arrives
  in: wire copy (headline, byline, dateline, caption and credit, bulleted facts,
  reporting credit, copyright line), an e-mail (headers, numbered list, an address,
  a signature), an RFC-style memo (two-column header, indented paragraphs, "o" bullets
  with a hanging indent, a reference), an essay (a poem, a quoted block, headings);
- the 20,000-word article benchmarks/run.py generates;
- the GPL version 3 as Debian ships it (/usr/share/common-licenses/GPL-3, filled at
  about 70 columns by its authors), when the machine has it. Its unwrapped version
  joins the lines of each blank-line-separated paragraph, except the title's two lines
  and the "Copyright (C)" lines, which the licence sets on lines of their own.

Each text is wrapped (except the GPL, which comes wrapped) by a greedy wrapper
(Python's textwrap: list items and RFC bullets get a hanging indent) or by GNU
``fmt -s`` (which balances lines against a goal of 93% of the width), then both
versions are read and segmented as `transflow segment` does. A line is the text,
its words, the width and wrapper, the units of each version, the width transflow
found in each, and the units that differ; then the wrapped version is built with each
unit "translated" as itself (each wrapped paragraph re-wrapped at the width found),
with the longest line of the result, and read again: it must give the same units.
Exit status 1 when any text differs.
"""

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import polib  # noqa: E402

from transflow.build import build  # noqa: E402
from transflow.readers import read, wrap  # noqa: E402
from transflow.segment import segment  # noqa: E402

GPL = Path("/usr/share/common-licenses/GPL-3")
# Each text of benchmarks/texts at the width and with the wrapper it is reported at first.
OWN = {"wire": (60, "greedy"), "letter": (68, "fmt"), "rfc": (72, "greedy"), "essay": (80, "fmt")}
SWEEP_WIDTHS = (60, 68, 72, 80, 100)
_HANGING = re.compile(r"^\s*(\d+[.)]|[a-z]\)|[-*•]|o(?=  ))\s+")


_COLUMNS = re.compile(r"\S {5,}\S")  # a table row or a two-column header: nobody re-fills those


def greedy(text: str, width: int) -> str:
    """Each line longer than ``width`` wrapped greedily; a list item's lines hang under its text."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width or _COLUMNS.search(line):
            out.append(line)
            continue
        lead = line[:len(line) - len(line.lstrip())]
        marker = _HANGING.match(line)
        rest = " " * len(marker.group()) if marker else lead
        out += textwrap.wrap(line.strip(), width, initial_indent=lead, subsequent_indent=rest,
                             break_long_words=False, break_on_hyphens=False)
    return "\n".join(out)


def fmt(text: str, width: int) -> str:
    def run(lines):
        return subprocess.run(["fmt", "-s", f"-w{width}"], input="\n".join(lines) + "\n", capture_output=True,
                              text=True, check=True).stdout.rstrip("\n").split("\n")

    out, chunk = [], []
    for line in text.rstrip("\n").split("\n"):
        if _COLUMNS.search(line):
            out += (run(chunk) if chunk else []) + [line]
            chunk = []
        else:
            chunk.append(line)
    return "\n".join(out + (run(chunk) if chunk else [])) + "\n"


def unwrap_gpl(text: str) -> str:
    """The GPL with each paragraph on one line (see the module docstring)."""
    groups, out = re.split(r"\n\s*\n", text.strip("\n")), []
    for k, group in enumerate(groups):
        lines = group.split("\n")
        if k == 0:
            out.append(group)
            continue
        runs, run = [], []
        for line in lines:
            if "Copyright (C)" in line:
                runs += [run, [line]] if run else [[line]]
                run = []
            else:
                run.append(line)
        runs += [run] if run else []
        out.append("\n".join(r[0].rstrip() + "".join(" " + x.strip() for x in r[1:]) for r in runs))
    return "\n\n".join(out) + "\n"


def segmented(text: str, folder: Path):
    path = folder / "article.txt"
    path.write_text(text, encoding="utf-8")
    doc = read(path)
    return doc, segment(doc)


def units(text: str, folder: Path) -> tuple[list[tuple[str, str]], int | None]:
    doc, found = segmented(text, folder)
    return [(u.kind, u.text) for u in found], doc.wrap_width


def rebuilt(text: str, folder: Path) -> tuple[str, int]:
    """The article built with each unit "translated" as itself (every wrapped paragraph
    is re-wrapped), and its longest line whose words could have been wrapped shorter."""
    doc, found = segmented(text, folder)
    po = polib.POFile()
    for u in dict.fromkeys(u.text for u in found):
        po.append(polib.POEntry(msgid=u, msgstr=u))
    out = build(doc, found, po).text
    return out, max((wrap.columns(line) for line in out.split("\n") if " " in line.strip()), default=0)


def compare(name: str, flat: str, wrapped: str, label: str, folder: Path) -> bool:
    a, wa = units(flat, folder)
    b, wb = units(wrapped, folder)
    again, longest = rebuilt(wrapped, folder)
    c, _ = units(again, folder)
    differ = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
                 if tag != "equal")
    verdict = "identical" if a == b else f"{differ} differ"
    verdict += "; rebuilt: " + ("same units" if c == b else "OTHER UNITS")
    print(f"{name:10} {len(flat.split()):6,} words  {label:12} units {len(a):4} / {len(b):4}  "
          f"width found: {wa or '-':>3} / {wb or '-':>3}  longest rebuilt line {longest:3}  {verdict}", flush=True)
    if a != b:
        for line in list(difflib.unified_diff([f"{k}\t{t}" for k, t in a], [f"{k}\t{t}" for k, t in b],
                                              "unwrapped", "wrapped", n=0, lineterm=""))[2:12]:
            print("    " + line[:150])
    return a == b == c


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="only each text at its own width")
    args = parser.parse_args(argv)
    wrappers = {"greedy": greedy, "fmt": fmt if shutil.which("fmt") else greedy}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts = {name: (HERE / "texts" / f"{name}.txt").read_text(encoding="utf-8") for name in OWN}
        print("text       words          wrapper, width  units unwrapped / wrapped  width found unwrapped / wrapped")
        for name, (width, how) in OWN.items():
            results.append(compare(name, texts[name], wrappers[how](texts[name], width), f"{how} {width}", folder))
        if GPL.exists():
            gpl = GPL.read_text(encoding="utf-8")
            results.append(compare("GPL-3", unwrap_gpl(gpl), gpl, "as shipped", folder))
        else:
            print(f"GPL-3: {GPL} is not on this machine; left out")
        if not args.quick:
            from run import generate_article

            big = generate_article()
            for width, how in ((64, "fmt"), (100, "greedy")):
                results.append(compare("generated", big, wrappers[how](big, width), f"{how} {width}", folder))
            print("sweep: every text at every width with both wrappers")
            for name, text in texts.items():
                for width in SWEEP_WIDTHS:
                    for how, wrapper in wrappers.items():
                        results.append(compare(name, text, wrapper(text, width), f"{how} {width}", folder))
    print(f"{sum(results)} of {len(results)} identical")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
