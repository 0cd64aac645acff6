"""Segment scores one per bead: the per-segment scores results.json, segments.parquet and the
report show.

Corpus scores, document scores, confidence intervals and paired tests are computed from the
scoring units (units.py), and stay so.  A document's unit can hold several beads (where a
reference's alignment merges what the system keeps apart, or a 0-1 bead joins the unit before it),
so unit scores do not say how each translated sentence did.  The segment scores are therefore per
bead of each system:

* line-aligned input: a line is both a unit and a bead, so the unit's score is the line's;
* documents: the bead's target sentences, joined, scored against each reference's sentences that
  the aligner aligned to the bead's source sentences (``Bead.references``), joined, with the
  sentence-level metric of the same settings as the unit scores (``sacrebleu.sentence_bleu``
  style); a bead with no reference sentence (an insertion, 0-1) has no score (None).  An omission
  (1-0) scores its empty translation against the reference: 0 for BLEU and chrF.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Bead, Document
from .scorer import Scorer

BeadScores = dict[str, dict[str, dict[str, list[float | None]]]]  # system -> document -> metric key -> per bead


def _join(segments, indices) -> str:
    return " ".join(segments[i].text for i in indices)


def document_bead_scores(scorer: Scorer, documents: Sequence[Document], references: Sequence[str], beads: dict[str, dict[str, list[Bead]]]) -> BeadScores:
    """Per-bead scores of the documents that are not line-aligned (see the module docstring)."""
    out: BeadScores = {}
    docs = [d for d in documents if not d.line_aligned]
    if not docs or not references:
        return out
    metrics = [(spec.key, spec.segment_metric()) for spec in scorer.specs]
    memo: dict[tuple[str, tuple[str, ...]], dict[str, float]] = {}
    for system, by_doc in beads.items():
        for doc in docs:
            per_key: dict[str, list[float | None]] = {key: [] for key, _ in metrics}
            for bead in by_doc.get(doc.id, []):
                refs = tuple(_join(doc.references[r], bead.references[r]) for r in references if bead.references.get(r))
                if not refs:
                    for key, _ in metrics:
                        per_key[key].append(None)
                    continue
                hyp = _join(doc.targets[system], bead.target)
                scores = memo.get((hyp, refs))
                if scores is None:
                    scores = memo[(hyp, refs)] = {key: float(metric.sentence_score(hyp, list(refs)).score) for key, metric in metrics}
                for key, _ in metrics:
                    per_key[key].append(scores[key])
            out.setdefault(system, {})[doc.id] = per_key
    return out


def shard_segment_scores(out: Any) -> dict[str, dict[str, list[float | None]]]:
    """One engine shard's segment scores per system and metric key, one per bead, in document
    order: the unit scores of line-aligned documents, ``out.bead_scores`` of the others.  Empty
    for a system without scores (no references, or segment scores switched off)."""
    result: dict[str, dict[str, list[float | None]]] = {}
    for system, stats in out.stats.items():
        if not stats.segments:
            continue
        per_key: dict[str, list[float | None]] = {key: [] for key in stats.segments}
        for doc in out.documents:
            if doc.line_aligned:
                a, b = out.doc_units.get(doc.id, (0, 0))
                for key, scores in stats.segments.items():
                    per_key[key].extend(scores[a:b])
            else:
                scored = out.bead_scores.get(system, {}).get(doc.id, {})
                n = len(out.systems[system].beads.get(doc.id, []))
                for key in per_key:
                    per_key[key].extend(scored.get(key) or [None] * n)
        result[system] = per_key
    return result
