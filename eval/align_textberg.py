"""Sentence alignment accuracy and speed on Text+Berg German-French (Sennrich & Volk 2010).

Data: ../shared/data/textberg_sentalign_defr (or $MTQA_DATA_DIR/textberg_sentalign_defr): test0..test6
pooled (991 de / 1011 fr sentences, 916 gold beads) and dev (tuning only).  Scoring as in its
SOURCE.md and the Vecalign scorer (pipeline/align/evaluate.py); the script first checks that gold
scored against itself gives 1.0.  Reports strict and lax P/R/F1 with and without embeddings, texts
embedded against sentences, search time (everything except embedding) and total wall time.  The row
"emb. distance cost" is the Vecalign-like cost at every level (the default before the sentence level
took Bertalign's objective), kept for comparison.

Embedding is slow on two cores (5-10 texts a second), so vectors are cached on disk
(--cache-dir, default ~/.cache/mtqa): the first run embeds, reruns take seconds.

    python eval/align_textberg.py                 # test0..6, with and without embeddings
    python eval/align_textberg.py --split dev     # the tuning set
    python eval/align_textberg.py --no-embeddings # quick: lengths and lexical anchors only
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from pipeline.align import AlignStats, Resources, SentenceAligner  # noqa: E402
from pipeline.align.aligner import bead_features  # noqa: E402
from pipeline.align.core import EMBEDDING_WEIGHTS, CostWeights  # noqa: E402
from pipeline.align.evaluate import read_beads, score_alignments  # noqa: E402
from pipeline.config import AlignConfig  # noqa: E402

DATA = Path(os.environ.get("MTQA_DATA_DIR", ROOT.parent / "shared" / "data")) / "textberg_sentalign_defr"
RESULTS = ROOT / "eval" / "results"
PUBLISHED = {
    "Gale-Church (SOURCE.md)": (None, None, 0.675, None, None, 0.791),
    "Vecalign (LASER)": (0.899, 0.904, 0.902, 0.985, 0.987, 0.986),
    "Bertalign (LaBSE)": (0.932, 0.941, 0.936, 0.987, 0.991, 0.989),
}


def read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.strip() for line in lines]


def load(split: str) -> list[tuple[str, list[str], list[str], list]]:
    names = ["dev"] if split == "dev" else [f"test{i}" for i in range(7)]
    return [
        (name, read_lines(DATA / f"{name}.de"), read_lines(DATA / f"{name}.fr"), read_beads(DATA / f"{name}.defr"))
        for name in names
    ]


CONFIDENCE_BINS = [(0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.0001)]


def evaluate(docs, config: AlignConfig, weights: CostWeights | None = None) -> tuple[dict, AlignStats, float, list[dict]]:
    aligner = SentenceAligner(config, "de", "fr", Resources(), weights=weights)
    t0 = time.perf_counter()
    beads = [aligner.align(de, fr) for _, de, fr, _ in docs]
    wall = time.perf_counter() - t0
    hyps = [[(b.source, b.target) for b in doc_beads] for doc_beads in beads]
    scores = score_alignments([gold for *_, gold in docs], hyps).as_dict()
    # is the confidence a probability? share of exactly right beads per confidence bin
    conf = np.array([b.confidence for doc_beads in beads for b in doc_beads])
    right = np.array([(b.source, b.target) in set(gold) for doc_beads, (*_, gold) in zip(beads, docs) for b in doc_beads])
    bins = []
    for lo, hi in CONFIDENCE_BINS:
        m = (conf >= lo) & (conf < hi)
        if m.any():
            bins.append({"bin": f"{lo:g}-{min(hi, 1):g}", "beads": int(m.sum()), "mean_confidence": round(float(conf[m].mean()), 3), "exactly_right": round(float(right[m].mean()), 3)})
    return scores, aligner.stats, wall, bins


def fit_logistic(x: list[float], y: list[bool]) -> tuple[float, float]:
    """Intercept and slope of P(y | x) by Newton's method (a little ridge keeps it finite)."""
    X = np.column_stack([np.ones(len(x)), np.asarray(x, dtype=float)])
    t = np.asarray(y, dtype=float)
    w = np.zeros(2)
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - t) + 1e-3 * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + 1e-3 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return round(float(w[0]), 3), round(float(w[1]), 3)


def calibrate(docs, config: AlignConfig) -> dict:
    """Fit the confidence calibration (pipeline/align/aligner.py) on these documents."""
    aligner = SentenceAligner(config, "de", "fr", Resources())
    feats: dict[str, tuple[list[float], list[bool]]] = {"pair": ([], []), "skip": ([], [])}
    for _, de, fr, gold in docs:
        beads = aligner.align(de, fr)
        path, costs, model, _ = aligner.last
        gold_set = set(gold)
        for bead, x in zip(beads, bead_features(path, costs, model, config.max_bead)):
            kind = "pair" if bead.source and bead.target else "skip"
            feats[kind][0].append(x)
            feats[kind][1].append((bead.source, bead.target) in gold_set)
    return {kind: {"fit": fit_logistic(x, y), "beads": len(y), "right": int(sum(y))} for kind, (x, y) in feats.items() if y}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--no-embeddings", action="store_true", help="only the run without embeddings")
    parser.add_argument("--cache-dir", default="~/.cache/mtqa", help="embedding cache folder ('' for none)")
    parser.add_argument("--concatenations", choices=["approximate", "path", "all"], default=None)
    parser.add_argument("--calibrate", action="store_true", help="fit the bead confidence calibration on this split (use dev)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"Text+Berg data not found at {DATA} (set MTQA_DATA_DIR to the folder holding textberg_sentalign_defr)", file=sys.stderr)
        return 2

    docs = load(args.split)
    golds = [gold for *_, gold in docs]
    self_check = score_alignments(golds, golds)
    assert all(v == 1.0 for v in self_check.as_dict().values()), self_check
    n_sentences = sum(len(de) + len(fr) for _, de, fr, _ in docs)
    print(f"Text+Berg de-fr {args.split}: {len(docs)} documents, {n_sentences} sentences, {sum(len(g) for g in golds)} gold beads; gold vs gold F1 = 1.0")

    modes = [False] if args.no_embeddings else [True, False]
    extra = {"concatenations": args.concatenations} if args.concatenations else {}
    if args.calibrate:
        for embeddings in modes:
            config = AlignConfig(embeddings=embeddings, cache_dir=args.cache_dir or None, **extra)
            print("embeddings" if embeddings else "no embeddings", calibrate(docs, config))
        return 0

    runs = []
    # The distance cost at every level (Vecalign-like, the default before Bertalign's objective
    # priced the sentence level) stays in the table for comparison.
    systems = [("mtqa embeddings", True, None), ("mtqa emb. distance cost", True, EMBEDDING_WEIGHTS), ("mtqa no embeddings", False, None)]
    for name, embeddings, weights in systems:
        if embeddings not in modes:
            continue
        config = AlignConfig(embeddings=embeddings, cache_dir=args.cache_dir or None, **extra)
        scores, stats, wall, bins = evaluate(docs, config, weights)
        runs.append(
            {
                "system": name,
                **{k: round(v, 4) for k, v in scores.items()},
                "sentences": stats.sentences,
                "texts_embedded": stats.texts,
                "texts_computed": stats.texts_embedded,
                "search_s": round(stats.search_seconds, 2),
                "embed_s": round(stats.embed_seconds, 2),
                "wall_s": round(wall, 2),
                "confidence_bins": bins,
                "config": config.model_dump(mode="json"),
            }
        )

    header = f"{'system':<26} {'P strict':>8} {'R strict':>8} {'F1 strict':>9} {'P lax':>6} {'R lax':>6} {'F1 lax':>6}  {'texts/sents':>11} {'search s':>8} {'embed s':>8} {'wall s':>7}"
    print(header)
    for r in runs:
        print(
            f"{r['system']:<26} {r['precision_strict']:8.3f} {r['recall_strict']:8.3f} {r['f1_strict']:9.3f} "
            f"{r['precision_lax']:6.3f} {r['recall_lax']:6.3f} {r['f1_lax']:6.3f}  "
            f"{r['texts_embedded']:>5}/{r['sentences']:<5} {r['search_s']:8.2f} {r['embed_s']:8.2f} {r['wall_s']:7.2f}"
        )
    if args.split == "test":
        for name, (ps, rs, fs, pl, rl, fl) in PUBLISHED.items():
            fmt = lambda x, w: f"{x:{w}.3f}" if x is not None else " " * (w - 1) + "-"  # noqa: E731
            print(f"{name:<26} {fmt(ps, 8)} {fmt(rs, 8)} {fmt(fs, 9)} {fmt(pl, 6)} {fmt(rl, 6)} {fmt(fl, 6)}  (published)")
    for r in runs:
        print(f"{r['system']}: confidence bin -> beads, mean confidence, share exactly right: " + "; ".join(f"{b['bin']}: {b['beads']}, {b['mean_confidence']:.2f}, {b['exactly_right']:.2f}" for b in r["confidence_bins"]))
    print("texts/sents: distinct texts embedded (singles and concatenations, cached or computed) / sentences;")
    print("search s: everything but embedding; embed s: embedding incl. cache look-ups; wall s: the whole alignment")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"align_textberg_{args.split}"
    (RESULTS / f"{stem}.json").write_text(json.dumps({"split": args.split, "runs": runs}, indent=1), encoding="utf-8")
    md = [
        f"# Text+Berg de-fr sentence alignment ({args.split})",
        "",
        f"`python eval/align_textberg.py --split {args.split}` ({len(docs)} documents, {n_sentences} sentences, pooled counts).",
        "",
        "| system | P strict | R strict | F1 strict | P lax | R lax | F1 lax | texts / sentences | search s | embed s | wall s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in runs:
        md.append(
            f"| {r['system']} | {r['precision_strict']:.3f} | {r['recall_strict']:.3f} | {r['f1_strict']:.3f} | "
            f"{r['precision_lax']:.3f} | {r['recall_lax']:.3f} | {r['f1_lax']:.3f} | {r['texts_embedded']} / {r['sentences']} | "
            f"{r['search_s']:.2f} | {r['embed_s']:.2f} | {r['wall_s']:.2f} |"
        )
    md += ["", "Bead confidence against the share of beads that are exactly right (calibrated on dev):", ""]
    md += ["| system | confidence bin | beads | mean confidence | exactly right |", "| --- | --- | --- | --- | --- |"]
    for r in runs:
        md += [f"| {r['system']} | {b['bin']} | {b['beads']} | {b['mean_confidence']:.2f} | {b['exactly_right']:.2f} |" for b in r["confidence_bins"]]
    md += [
        "",
        "Embedding times depend on the disk cache: a first run computes every vector (about 5-10 texts/s on the",
        "two shared cores), reruns read them.  `--cache-dir /tmp/empty-folder` times a cold run.",
    ]
    (RESULTS / f"{stem}.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
