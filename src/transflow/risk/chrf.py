"""chrF (Popović 2015) as sacrebleu computes a sentence's score: character n-grams of
orders 1 to 6, whitespace removed, F-beta with beta 2 averaged over the orders.

Our own few lines instead of sacrebleu, whose dependencies (lxml, numpy, portalocker,
tabulate, colorama, regex) would come with every install for one function; the
benchmark (benchmarks/risk.py) compares the two on the labelled set when sacrebleu is
installed.
"""

from collections import Counter

ORDER = 6
BETA = 2


def _ngrams(text: str, n: int) -> Counter:
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def chrf(hypothesis: str, reference: str) -> float:
    """0 (nothing in common) to 100 (the same characters in the same order)."""
    hyp, ref = "".join(hypothesis.split()), "".join(reference.split())
    factor, total, orders = BETA**2, 0.0, 0
    for n in range(1, ORDER + 1):
        h, r = _ngrams(hyp, n), _ngrams(ref, n)
        nh, nr = sum(h.values()), sum(r.values())
        match = sum((h & r).values())
        precision = match / nh if nh else 1e-16
        recall = match / nr if nr else 1e-16
        denominator = factor * precision + recall
        total += (1 + factor) * precision * recall / denominator if denominator > 0 else 1e-16
        orders += 1 if nh and nr else 0
    return 100 * total / orders if orders else 0.0
