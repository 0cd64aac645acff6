"""Alignment stage: beads between source, target and reference segments.

Line-aligned documents pair segments by position.  Other documents are aligned sentence by
sentence (n-m beads, insertions and deletions; see aligner.py and core.py): the source against each
system's target and against each reference.  A system bead's ``references`` are the reference
sentences aligned to its source sentences (a reference sentence with no source counterpart goes
with the source sentence before it), so that the scoring units (pipeline/scoring/units.py) can be
cut where every alignment agrees.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import AlignConfig
from ..model import AlignedPair, Bead, Document, Job
from .aligner import AlignStats, Resources, SentenceAligner

__all__ = [
    "AlignStats",
    "Resources",
    "SentenceAligner",
    "align_document",
    "align_job",
    "align_references",
    "attach_references",
    "pairs_for",
    "positional_beads",
]


def positional_beads(doc: Document, system: str) -> list[Bead]:
    n = len(doc.source)
    return [
        Bead(source=(i,), target=(i,), confidence=1.0, references=dict.fromkeys(doc.references, (i,)))
        for i in range(n)
    ]


def _paragraphs(segments) -> list[int]:
    return [s.paragraph for s in segments]


def _align_pair(aligner: SentenceAligner, doc: Document, other) -> list[Bead]:
    return aligner.align(
        [s.text for s in doc.source],
        [s.text for s in other],
        _paragraphs(doc.source),
        _paragraphs(other),
    )


def reference_map(beads: Sequence[Bead], n_source: int) -> list[tuple[int, ...]]:
    """For each source sentence, the reference sentences aligned to it; an inserted reference
    sentence goes with the source sentence before it (the first one at the start)."""
    out: list[list[int]] = [[] for _ in range(n_source)]
    last = 0
    for bead in beads:
        if bead.source:
            for i in bead.source:
                out[i].extend(bead.target)
            last = bead.source[-1]
        elif n_source:
            out[last].extend(bead.target)
    return [tuple(sorted(set(x))) for x in out]


def attach_references(beads: Sequence[Bead], ref_maps: dict[str, list[tuple[int, ...]]]) -> list[Bead]:
    """Fill each bead's ``references`` from per-source-sentence reference maps."""
    return [
        Bead(
            source=b.source,
            target=b.target,
            confidence=b.confidence,
            references={name: tuple(sorted({r for i in b.source for r in m[i]})) for name, m in ref_maps.items()},
        )
        for b in beads
    ]


def align_references(doc: Document, aligner: SentenceAligner) -> dict[str, list[tuple[int, ...]]]:
    """Reference sentences per source sentence, for every reference (shared by all systems)."""
    if doc.line_aligned:
        return {}
    return {name: reference_map(_align_pair(aligner, doc, segs), len(doc.source)) for name, segs in doc.references.items()}


def align_document(
    doc: Document,
    system: str,
    config: AlignConfig,
    src_lang: str,
    tgt_lang: str,
    aligner: SentenceAligner | None = None,
    reference_maps: dict[str, list[tuple[int, ...]]] | None = None,
) -> list[Bead]:
    """One system's beads for one document (references attached)."""
    if doc.line_aligned:
        return positional_beads(doc, system)
    aligner = aligner or SentenceAligner(config, src_lang, tgt_lang)
    if reference_maps is None:
        reference_maps = align_references(doc, aligner)
    return attach_references(_align_pair(aligner, doc, doc.targets[system]), reference_maps)


def align_job(
    job: Job,
    config: AlignConfig,
    stats: AlignStats | None = None,
    notes: list[str] | None = None,
) -> dict[str, dict[str, list[Bead]]]:
    """Beads for every system and document: ``{system: {document id: [Bead, ...]}}``.

    ``stats`` and ``notes``, when given, receive what the alignment cost and anything it had to do
    without (no embedding model, no dictionary).
    """
    resources = Resources()
    aligner = SentenceAligner(config, job.src_lang, job.tgt_lang, resources)
    out: dict[str, dict[str, list[Bead]]] = {system: {} for system in job.systems}
    for doc in job.documents:
        ref_maps = align_references(doc, aligner)
        for system in job.systems:
            out[system][doc.id] = align_document(doc, system, config, job.src_lang, job.tgt_lang, aligner, ref_maps)
    if stats is not None:
        stats.add(aligner.stats)
    if notes is not None:
        notes.extend(resources.notes)
    return out


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
