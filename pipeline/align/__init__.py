"""Alignment stage: beads between source, target and reference segments.

Line-aligned documents pair segments by position.  For documents, this first version aligns by
paragraph when every side has the same number of paragraphs, and otherwise treats the whole
document as one bead (scores stay correct at document level; segment-level detail needs the
sentence aligner).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import AlignConfig
from ..model import AlignedPair, Bead, Document, Job, Segment


def positional_beads(doc: Document, system: str) -> list[Bead]:
    n = len(doc.source)
    return [
        Bead(source=(i,), target=(i,), confidence=1.0, references={r: (i,) for r in doc.references})
        for i in range(n)
    ]


def _paragraphs(segments: Sequence[Segment]) -> list[tuple[int, ...]]:
    groups: dict[int, list[int]] = {}
    for seg in segments:
        groups.setdefault(seg.paragraph, []).append(seg.index)
    return [tuple(v) for _, v in sorted(groups.items())]


def paragraph_beads(doc: Document, system: str) -> list[Bead]:
    src = _paragraphs(doc.source)
    tgt = _paragraphs(doc.targets[system])
    refs = {name: _paragraphs(segs) for name, segs in doc.references.items()}
    if len(tgt) == len(src) and all(len(r) == len(src) for r in refs.values()):
        return [
            Bead(source=s, target=t, confidence=1.0, references={n: r[i] for n, r in refs.items()})
            for i, (s, t) in enumerate(zip(src, tgt))
        ]
    return [
        Bead(
            source=tuple(s.index for s in doc.source),
            target=tuple(s.index for s in doc.targets[system]),
            confidence=0.0,
            references={n: tuple(s.index for s in segs) for n, segs in doc.references.items()},
        )
    ]


def align_document(doc: Document, system: str, config: AlignConfig, src_lang: str, tgt_lang: str) -> list[Bead]:
    if doc.line_aligned:
        return positional_beads(doc, system)
    return paragraph_beads(doc, system)


def align_job(job: Job, config: AlignConfig) -> dict[str, dict[str, list[Bead]]]:
    """Beads for every system and document: ``{system: {document id: [Bead, ...]}}``."""
    return {
        system: {doc.id: align_document(doc, system, config, job.src_lang, job.tgt_lang) for doc in job.documents}
        for system in job.systems
    }


def pairs_for(doc: Document, system: str, beads: Sequence[Bead]) -> list[AlignedPair]:
    """Resolve bead indices to segments, for the checks and for scoring."""
    src, tgt = doc.source, doc.targets[system]
    return [
        AlignedPair(
            document=doc.id,
            system=system,
            bead_index=k,
            bead=bead,
            source=tuple(src[i] for i in bead.source),
            target=tuple(tgt[i] for i in bead.target),
            references={name: tuple(doc.references[name][i] for i in idx) for name, idx in bead.references.items()},
        )
        for k, bead in enumerate(beads)
    ]
