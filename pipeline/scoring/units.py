"""Scoring units: the (hypothesis, references) pairs that sacrebleu scores, shared by all systems.

Paired significance tests need every system scored on the same units.  Line-aligned documents use
their lines.  Other documents are cut into the finest partition of their source sentences that
every alignment respects: a cut between source sentences i and i+1 is allowed only where each
system's beads and each reference's alignment (carried in ``Bead.references``) have a boundary.
A unit's hypothesis is the joined target sentences of a system's beads inside it, its reference the
joined reference sentences; a 0-1 bead (a sentence with no source) goes with the unit before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from ..model import Bead, Document, Job
from .scorer import ScoringInput


def _join(segments, indices) -> str:
    return " ".join(segments[i].text for i in indices)


def _source_beads(beads: Sequence[Bead]) -> list[Bead]:
    return [b for b in beads if b.source]


def allowed_cuts(beads: Sequence[Bead], references: Sequence[str]) -> set[int]:
    """Positions p (a cut before source sentence p) where this system and every reference have a
    bead boundary.  Reference boundaries are read from the beads' reference sets: with monotone
    alignments, adjacent beads' reference sets are disjoint exactly where the reference alignment
    has a boundary too."""
    cuts: set[int] = set()
    with_source = _source_beads(beads)
    for prev, nxt in pairwise(with_source):
        if all(not set(prev.references.get(r, ())) & set(nxt.references.get(r, ())) for r in references):
            cuts.add(nxt.source[0])
    return cuts


def document_units(doc: Document, systems: Sequence[str], references: Sequence[str], beads: dict[str, list[Bead]]) -> tuple[dict[str, list[str]], list[list[str]]]:
    """Hypotheses per system and references per reference name, one entry per unit."""
    n = len(doc.source)
    cuts = set(range(1, n))
    for system in systems:
        cuts &= allowed_cuts(beads[system], references)
    starts = [0] + sorted(cuts)
    unit_of = [0] * n
    for u, start in enumerate(starts):
        end = starts[u + 1] if u + 1 < len(starts) else n
        for i in range(start, end):
            unit_of[i] = u
    n_units = len(starts) if n else 0

    hyps: dict[str, list[str]] = {}
    refs_idx: list[list[set[int]]] = [[set() for _ in range(n_units)] for _ in references]
    for system in systems:
        parts: list[list[int]] = [[] for _ in range(n_units)]
        unit = 0
        for bead in beads[system]:
            if bead.source:
                unit = unit_of[bead.source[0]]
                for k, name in enumerate(references):
                    refs_idx[k][unit].update(bead.references.get(name, ()))
            parts[unit].extend(bead.target)
        hyps[system] = [_join(doc.targets[system], sorted(p)) for p in parts]
    refs = [[_join(doc.references[name], sorted(idx)) for idx in refs_idx[k]] for k, name in enumerate(references)]
    return hyps, refs


def scoring_input(job: Job, beads: dict[str, dict[str, list[Bead]]]) -> ScoringInput | None:
    if not job.references or not job.systems:
        return None
    hyps: dict[str, list[str]] = {s: [] for s in job.systems}
    refs: list[list[str]] = [[] for _ in job.references]
    documents: dict[str, tuple[int, int]] = {}
    for doc in job.documents:
        start = len(refs[0])
        if doc.line_aligned:
            for system in job.systems:
                hyps[system].extend(s.text for s in doc.targets[system])
            for k, name in enumerate(job.references):
                refs[k].extend(s.text for s in doc.references[name])
        else:
            doc_hyps, doc_refs = document_units(doc, job.systems, job.references, {s: beads[s][doc.id] for s in job.systems})
            for system in job.systems:
                hyps[system].extend(doc_hyps[system])
            for k in range(len(job.references)):
                refs[k].extend(doc_refs[k])
        documents[doc.id] = (start, len(refs[0]))
    return ScoringInput(hyps, refs, documents)
