"""How well inline markup survives the embedded en->pt model, per placeholder shape and
through transflow's ProtectingEngine.

    python benchmarks/placeholders.py

Sentences are the example article's units with 1-2 spans of words marked (a fixed
random choice) plus hand-written sentences with natural link and emphasis spans.
"kept" counts outputs where every marker is there exactly once and in order.
"""

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from transflow.engines import get_engine  # noqa: E402
from transflow.placeholders import TOKEN, ProtectingEngine  # noqa: E402
from transflow.readers import read  # noqa: E402
from transflow.segment import segment  # noqa: E402

NATURAL = [
    "Read {the full report} on the agency's website.", "The committee adopted {a resolution} on Monday.",
    "{Human rights groups} say returnees are punished as traitors.", "China treats them as {economic migrants} rather than refugees.",
    "She told {the newspaper} that she was afraid.", "Around {2,000 people} are being held in detention.",
    "More details are in {our earlier article} and in {the UN report}.", "Click {here} to read the statement.",
    "The resolution calls on {all states} to respect {non-refoulement}.", "It is {not} a question of money.",
    "The camp is near {the Tumen River}, which marks the border.", "{Update:} The ministry has responded to our questions.",
]
SHAPES = {
    "[1]..[/1]": (lambda i: f"[{i}]", lambda i: f"[/{i}]"),
    "<x1>..</x1>": (lambda i: f"<x{i}>", lambda i: f"</x{i}>"),
    "<1>..</1>": (lambda i: f"<{i}>", lambda i: f"</{i}>"),
    "{1}..{/1}": (lambda i: f"{{{i}}}", lambda i: f"{{/{i}}}"),
    "⟦1⟧..⟦/1⟧": (lambda i: f"⟦{i}⟧", lambda i: f"⟦/{i}⟧"),
    "%1..%/1": (lambda i: f"%{i}", lambda i: f"%/{i}"),
    "**..**": (lambda i: "**", lambda i: "**"),
}


def templates():
    rng = random.Random(7)
    out = []
    for s in NATURAL:
        out.append(s)
    for u in segment(read(ROOT / "examples" / "north-korean-refugees.txt")):
        w = u.text.split(" ")
        if len(w) < 4:
            continue
        a = rng.randrange(0, len(w) - 1)
        b = rng.randrange(a + 1, min(len(w), a + 4) + 1)
        out.append(" ".join(w[:a] + ["{" + " ".join(w[a:b]) + "}"] + w[b:]))
    return out


def mark(template, o, c):
    out, i = "", 0
    for ch in template:
        if ch == "{":
            i += 1
            out += o(i)
        elif ch == "}":
            out += c(i)
        else:
            out += ch
    return out, i


def kept(src, out, o, c, n):
    for i in range(1, n + 1):
        if out.count(o(i)) != src.count(o(i)) or out.count(c(i)) != src.count(c(i)) or out.find(o(i)) > out.find(c(i)):
            return False
    return True


def main():
    engine = get_engine("en", "pt", "bergamot")
    tpl = templates()
    for name, (o, c) in SHAPES.items():
        marked = [mark(t, o, c) for t in tpl]
        outs = engine.translate([m for m, _ in marked])
        ok = sum(kept(m, out, o, c, n) for (m, n), out in zip(marked, outs))
        print(f"{name:14} kept {ok}/{len(tpl)} (raw model)")
    o, c = SHAPES["[1]..[/1]"]
    marked = [mark(t, o, c) for t in tpl]
    wrapped = ProtectingEngine(engine)
    outs = wrapped.translate([m for m, _ in marked])
    ok = sum(kept(m, out, o, c, n) and len(TOKEN.findall(out)) == 2 * n for (m, n), out in zip(marked, outs))
    print(f"{'ProtectingEngine':14} kept {ok}/{len(tpl)}; plain translation used for {wrapped.replaced}, repaired {wrapped.repaired}")


if __name__ == "__main__":
    main()
