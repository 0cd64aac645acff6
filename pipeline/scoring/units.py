"""Scoring units: the (hypothesis, references) pairs that sacrebleu scores, shared by all systems.

Paired significance tests need every system scored on the same units.  Line-aligned documents use
their lines.  Other documents use their beads when every system's beads group the references the
same way, and otherwise count as one unit (the document-level score stays exact).
"""

from __future__ import annotations

from ..model import Bead, Job
from .scorer import ScoringInput


def _join(segments, indices) -> str:
    return " ".join(segments[i].text for i in indices)


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
            groupings = {tuple(tuple(sorted(b.references.items())) for b in beads[s][doc.id]) for s in job.systems}
            shared = len(groupings) == 1 and all(
                all(b.references.get(r) for r in job.references) for b in beads[job.systems[0]][doc.id]
            )
            if shared:
                for system in job.systems:
                    hyps[system].extend(_join(doc.targets[system], b.target) for b in beads[system][doc.id])
                for k, name in enumerate(job.references):
                    refs[k].extend(_join(doc.references[name], b.references[name]) for b in beads[job.systems[0]][doc.id])
            else:
                for system in job.systems:
                    hyps[system].append(" ".join(s.text for s in doc.targets[system]))
                for k, name in enumerate(job.references):
                    refs[k].append(" ".join(s.text for s in doc.references[name]))
        documents[doc.id] = (start, len(refs[0]))
    return ScoringInput(hyps, refs, documents)
