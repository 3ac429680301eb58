"""A sentence of thousands of links, translated and built: time linear in the links.

    .venv/bin/python benchmarks/links.py                 # 500, 1,000, 2,000 and 4,000 links
    .venv/bin/python benchmarks/links.py 250 4000 8000   # other counts

A page's "kudos" list is one sentence of linked names ("Thanks to Reader 1, Reader 2,
... for their letters."): one unit with a pair of markers per link. Before issue 18,
50/100/200/400 links took 5/12/44/126 s to translate (the model got the whole sentence
and placeholder handling was quadratic) and markers past 999 were printed as text.
For each count this runs `transflow translate` (embedded en->pt model, --no-tm, the
risk assessment on, as a user runs it) and `transflow build` in a fresh process, and
prints the seconds of each, the seconds per 1,000 links, the peak memory, and whether
the built page has exactly the source's tags (each tag name as often, every link with
its address once; the model may put the names in another order).
"""

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSFLOW = ROOT / ".venv" / "bin" / "transflow"


def page(links: int) -> str:
    names = ", ".join(f'<a href="/people/{n}">Reader {n}</a>' for n in range(1, links + 1))
    return (f"<!DOCTYPE html>\n<html><head><title>Letters</title></head>\n<body>\n<h1>Our readers</h1>\n"
            f"<p>Thanks to {names} for their letters.</p>\n</body></html>\n")


def timed(args, cwd) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run([str(TRANSFLOW), *args], cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - started, result


def tags(text: str) -> Counter:
    """Each tag by name, and each link with its address: every link kept, once."""
    return Counter(re.findall(r"</?[a-z][a-z0-9]*", text)) + Counter(re.findall(r'<a href="[^"]*">', text))


def main() -> int:
    counts = [int(a) for a in sys.argv[1:]] or [500, 1000, 2000, 4000]
    print(f"{'links':>6} {'translate s':>11} {'s per 1,000':>11} {'build s':>8} {'peak MB':>8}  tags")
    failed = False
    for links in counts:
        with tempfile.TemporaryDirectory(prefix="transflow-links-") as folder:
            source = page(links)
            Path(folder, "kudos.html").write_text(source, encoding="utf-8")
            seconds, result = timed(["translate", "kudos.html", "--to", "pt", "--no-tm"], folder)
            if result.returncode:
                print(f"{links:6} translate failed: {result.stderr.strip()}")
                failed = True
                continue
            build_s, built = timed(["build", "kudos.html", "--to", "pt", "-o", "kudos.pt.html"], folder)
            out = Path(folder, "kudos.pt.html").read_text(encoding="utf-8") if not built.returncode else ""
            same = tags(out) == tags(source)
            failed |= not same
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{links:6} {seconds:11.1f} {seconds / links * 1000:11.1f} {build_s:8.1f} {peak:8.0f}  "
                  f"{'same as the source' if same else 'DIFFERENT'}")
    return 1 if failed else 0


if __name__ == "__main__":
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() and "TRANSFLOW_BENCH_REEXEC" not in os.environ:
        os.environ["TRANSFLOW_BENCH_REEXEC"] = "1"
        os.execv(str(ROOT / ".venv" / "bin" / "python"), [str(ROOT / ".venv" / "bin" / "python"), *sys.argv])
    sys.exit(main())
