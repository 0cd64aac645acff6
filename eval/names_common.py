"""Shared helpers for the name-check evaluations (eval/names_*.py): data location, running only the
N rules over line pairs or documents, writing results."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.align import align_document, pairs_for  # noqa: E402
from pipeline.checks import CheckContext, load_rules, run_checks  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.model import AlignedPair, Bead, Document, Issue, Segment  # noqa: E402

RESULTS = REPO / "eval" / "results"
NAME_RULES = ("N101", "N102", "N103", "N104")


def data_dir() -> Path:
    base = Path(os.environ.get("MTQA_DATA_DIR") or REPO.parent / "shared" / "data")
    if not base.is_dir():
        sys.exit(f"gold data not found at {base} (set MTQA_DATA_DIR to the folder holding names_translit/ etc.)")
    return base


def name_rules(codes: Sequence[str] = NAME_RULES):
    import pipeline.checks.names  # noqa: F401  (registers the N rules)

    return [load_rules().get(c) for c in codes]


def line_pairs(sources: Sequence[str], targets: Sequence[str], system: str = "mt", doc: str = "doc") -> list[AlignedPair]:
    """One 1-1 pair per line, as line-aligned input gives."""
    pairs = []
    for i, (s, t) in enumerate(zip(sources, targets)):
        seg_s, seg_t = Segment(s, i, line=i + 1), Segment(t, i, line=i + 1)
        pairs.append(AlignedPair(doc, system, i, Bead((i,), (i,)), (seg_s,), (seg_t,)))
    return pairs


def document_pairs(doc: Document, system: str, src: str, tgt: str) -> list[AlignedPair]:
    """The pipeline's own alignment (sentence aligner) of one document."""
    beads = align_document(doc, system, Config().align, src, tgt)
    return pairs_for(doc, system, beads)


def paragraph_pairs(doc: Document, system: str) -> list[AlignedPair]:
    """One multi-sentence pair per paragraph: fast, and the shape the name checks must handle when
    no sentence alignment is available."""
    groups: dict[str, dict[int, list[int]]] = {"s": {}, "t": {}}
    for side, segs in (("s", doc.source), ("t", doc.targets[system])):
        for seg in segs:
            groups[side].setdefault(seg.paragraph, []).append(seg.index)
    src, tgt = list(groups["s"].values()), list(groups["t"].values())
    n = min(len(src), len(tgt))
    # surplus paragraphs on either side join the last pair, so that no text goes unchecked
    src = src[: n - 1] + [list(chain.from_iterable(src[n - 1 :]))]
    tgt = tgt[: n - 1] + [list(chain.from_iterable(tgt[n - 1 :]))]
    beads = [Bead(tuple(s), tuple(t)) for s, t in zip(src, tgt)]
    return pairs_for(doc, system, beads)


def run_names(documents: Iterable[list[AlignedPair]], src: str, tgt: str, ctx: CheckContext | None = None, codes: Sequence[str] = NAME_RULES) -> list[Issue]:
    ctx = ctx or CheckContext(src_lang=src, tgt_lang=tgt)
    return run_checks(list(documents), name_rules(codes), ctx)


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def write_results(stem: str, summary: dict, markdown: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / f"{stem}.md").write_text(markdown.rstrip() + "\n", encoding="utf-8")
    print(f"\nwrote eval/results/{stem}.md and .json")
