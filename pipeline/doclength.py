"""Documents too unequal in length to be translations of each other.

The aligner refuses such a pair before embedding or searching anything (pipeline/align/aligner.py),
and rules A101/A102 (pipeline/checks/alignment.py) report it once; both ask :func:`length_mismatch`,
which lives here, below both packages, so that the checks need not import the aligner.
"""

from __future__ import annotations

from collections.abc import Sequence

# Two documents are not aligned when one has more than MAX_LENGTH_RATIO times the other's sentences
# (plus LENGTH_RATIO_SLACK, so that short documents always are) and more than MAX_LENGTH_RATIO times
# its characters.  A translation, even one that leaves out or adds a good part, stays inside both
# (characters differ by about 4x at most, between Chinese and English); beyond them nine tenths of
# the longer side would be unaligned anyway, and embedding, searching and reporting its sentences
# one by one cost minutes for nothing: one sentence against 2,000 embedded 4,000 texts (each
# sentence, and the concatenations around every 0-1 bead) and raised 2,000 A102 issues.
MAX_LENGTH_RATIO = 10.0
LENGTH_RATIO_SLACK = 50


def length_mismatch(src: Sequence[str], tgt: Sequence[str]) -> tuple[str, str] | None:
    """Whether two documents (their sentences) are too unequal in length to be translations of
    each other: None, or the longer side ("source" or "target") and a message saying why."""
    n, m = len(src), len(tgt)
    if not n or not m:
        return None  # an empty side: every sentence of the other is unaligned, nothing to refuse
    cs, ct = (sum(max(len(t.strip()), 1) for t in side) for side in (src, tgt))
    (k_long, c_long, longer), (k_short, c_short, shorter) = sorted([(n, cs, "source"), (m, ct, "target")], reverse=True)
    if k_long <= MAX_LENGTH_RATIO * k_short + LENGTH_RATIO_SLACK or c_long <= MAX_LENGTH_RATIO * c_short:
        return None
    return longer, (
        f"the {longer} document is {c_long / c_short:,.0f} times as long as the {shorter} "
        f"({k_long:,} sentences and {c_long:,} characters against {k_short:,} and {c_short:,}): "
        "they cannot be translations of each other, and their sentences were not aligned"
    )
