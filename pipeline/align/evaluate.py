"""Beads in the gold format "[0, 1]:[2]" and their strict and lax precision, recall and F1.

Scoring as in Sennrich & Volk (2010) and the Vecalign scorer: precision counts every hypothesis
bead (beads empty on both sides dropped); a bead identical to a gold bead is a strict (and lax)
true positive, otherwise it is a lax true positive when one of its source sentences is linked in
gold to one of its target sentences.  Recall is the same computation with gold and hypothesis
swapped, after dropping insertions and deletions from both.  Counts are pooled over documents.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def format_bead(source: Sequence[int], target: Sequence[int]) -> str:
    return f"{list(source)}:{list(target)}"


def parse_beads(text: str, origin: str = "beads") -> list[Pair]:
    beads: list[Pair] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        left, sep, right = line.partition(":")
        try:
            src, tgt = ast.literal_eval(left.strip()), ast.literal_eval(right.split(":")[0].strip())
            beads.append((tuple(int(x) for x in src), tuple(int(x) for x in tgt)))
        except (ValueError, SyntaxError, TypeError):
            raise InputError(f"{origin}:{number}: expected a bead like [0, 1]:[2], got {line[:60]!r}") from None
        if not sep:
            raise InputError(f"{origin}:{number}: expected a bead like [0, 1]:[2], got {line[:60]!r}")
    return beads


def read_beads(path: str | Path) -> list[Pair]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    return parse_beads(p.read_text(encoding="utf-8"), str(p))


@dataclass
class Counts:
    strict_tp: int = 0
    strict_fp: int = 0
    lax_tp: int = 0
    lax_fp: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.strict_tp += other.strict_tp
        self.strict_fp += other.strict_fp
        self.lax_tp += other.lax_tp
        self.lax_fp += other.lax_fp
        return self


def _precision_counts(gold: Iterable[Pair], hyp: Iterable[Pair]) -> Counts:
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    hyp_set = {(tuple(s), tuple(t)) for s, t in hyp if s or t}
    linked: dict[int, set[int]] = {}
    for s, t in gold_set:
        for i in s:
            linked.setdefault(i, set()).update(t)
    c = Counts()
    for s, t in hyp_set:
        if (s, t) in gold_set:
            c.strict_tp += 1
            c.lax_tp += 1
            continue
        c.strict_fp += 1
        if any(j in linked.get(i, ()) for i in s for j in t):
            c.lax_tp += 1
        else:
            c.lax_fp += 1
    return c


@dataclass
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(golds: Sequence[Sequence[Pair]], hyps: Sequence[Sequence[Pair]]) -> Scores:
    """Pooled strict/lax P, R, F1 of hypothesis bead lists against gold bead lists (one per document)."""
    if len(golds) != len(hyps):
        raise ValueError("one hypothesis alignment per gold alignment")
    p, r = Counts(), Counts()
    for gold, hyp in zip(golds, hyps):
        p += _precision_counts(gold, hyp)
        r += _precision_counts([b for b in hyp if b[0] and b[1]], [b for b in gold if b[0] and b[1]])
    ps, rs = _ratio(p.strict_tp, p.strict_fp), _ratio(r.strict_tp, r.strict_fp)
    pl, rl = _ratio(p.lax_tp, p.lax_fp), _ratio(r.lax_tp, r.lax_fp)
    return Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))
