"""Alignment time and peak memory against document length: 1k, 4k and 16k sentences.

Documents are built from real German-English news (WMT newstest 2019-2021 and NTREX-128, in
../shared/data or $MTQA_DATA_DIR), concatenated (and cycled) to the wanted length, with the English
side perturbed so that the search has work to do: 2% of sentences dropped, 4% of adjacent pairs
joined into one sentence, 2% junk lines inserted (the gold beads follow).  Embeddings are off, as
the issue asks (embedding time is linear by construction: each sentence once, cached).  Each size
runs in a fresh process so that peak memory (tracemalloc, which sees numpy's buffers, and the
process's maximum RSS) belongs to that size alone.

    python eval/align_scaling.py                # 1000 4000 16000
    python eval/align_scaling.py --sizes 1000 2000

``--unequal`` times whole `mtqa run`s of very unequal documents instead (one sentence against
20,000, either way round, one sentence a line or a paragraph each; 1 x 2,000, 2,000 x 1 and 2,000 x
2,000), each in a child process whose wall time and peak RSS are measured, with only the alignment
rules on (``--enable A1``: every other rule costs in proportion to the sentences it reads).  Pairs
ten times unequal are refused before anything is embedded, so embeddings change only the
2,000 x 2,000 row (``--embeddings`` turns them on; cold, that row then takes minutes).

    python eval/align_scaling.py --unequal
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path(os.environ.get("MTQA_DATA_DIR", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "eval" / "results"
SOURCES = [
    ("wmt_newstest_deen/newstest2019.de-en.de", "wmt_newstest_deen/newstest2019.de-en.en"),
    ("wmt_newstest_deen/newstest2020.de-en.de", "wmt_newstest_deen/newstest2020.de-en.en"),
    ("wmt_newstest_deen/newstest2021.de-en.de", "wmt_newstest_deen/newstest2021.de-en.refA.en"),
    ("ntrex128_en_de_ru_uk/newstest2019-ref.deu.txt", "ntrex128_en_de_ru_uk/newstest2019-src.eng.txt"),
]


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def build(n: int, seed: int = 1) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    pairs: list[tuple[str, str]] = []
    for de, en in SOURCES:
        pairs += [(s, t) for s, t in zip(_lines(DATA / de), _lines(DATA / en)) if s and t]
    rng = random.Random(seed)
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    k = 0
    while len(src) < n:
        s, t = pairs[k % len(pairs)]
        k += 1
        roll = rng.random()
        if roll < 0.02:
            gold.append(((len(src),), ()))
            src.append(s)
            continue
        if roll < 0.06 and len(src) + 1 < n:
            s2, t2 = pairs[k % len(pairs)]
            k += 1
            gold.append(((len(src), len(src) + 1), (len(tgt),)))
            src += [s, s2]
            tgt.append(t + " " + t2)
            continue
        gold.append(((len(src),), (len(tgt),)))
        src.append(s)
        tgt.append(t)
        if roll > 0.98:
            gold.append(((), (len(tgt),)))
            tgt.append(rng.choice(["·", "- 12 -", "Foto: dpa", "***"]))
    return src, tgt, gold


def measure(n: int) -> dict:
    from pipeline.align import Resources, SentenceAligner
    from pipeline.align.evaluate import score_alignments
    from pipeline.config import AlignConfig

    src, tgt, gold = build(n)
    resources = Resources()
    aligner = SentenceAligner(AlignConfig(embeddings=False), "de", "en", resources)
    t0 = time.perf_counter()
    beads = aligner.align(src, tgt)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # a second run under tracemalloc (which slows allocation down) for the peak of traced memory;
    # the dictionary index is shared, so the peak is the alignment's own
    again = SentenceAligner(AlignConfig(embeddings=False), "de", "en", resources)
    tracemalloc.start()
    again.align(src, tgt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    scores = score_alignments([gold], [[(b.source, b.target) for b in beads]])
    return {
        "source_sentences": len(src),
        "target_sentences": len(tgt),
        "wall_s": round(wall, 2),
        "search_s": round(aligner.stats.search_seconds, 2),
        "cells": aligner.stats.cells,
        "peak_traced_mb": round(peak / 2**20, 1),
        "max_rss_mb": round(rss, 1),
        "f1_strict": round(scores.f1_strict, 4),
    }


# (source sentences, target sentences, form): "lines" is one sentence a line, "paragraphs" one a paragraph
UNEQUAL = [(1, 20000, "lines"), (20000, 1, "lines"), (1, 20000, "paragraphs"), (20000, 1, "paragraphs"), (1, 2000, "lines"), (2000, 1, "lines"), (2000, 2000, "lines")]
# Runs a command and prints its wall time and peak RSS: this process's only child is that command.
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(json.dumps({'rc': rc, 'wall_s': time.perf_counter() - t, 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
)


def unequal(embeddings: bool) -> int:
    import tempfile

    pairs: list[tuple[str, str]] = []
    for de, en in SOURCES:
        pairs += [(s, t) for s, t in zip(_lines(DATA / de), _lines(DATA / en)) if s and t]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "align.yaml"
        config.write_text(f"align:\n  embeddings: {str(embeddings).lower()}\n", encoding="utf-8")
        for n, m, form in UNEQUAL:
            sep = "\n" if form == "lines" else "\n\n"
            src, tgt = Path(tmp) / "src.de.txt", Path(tmp) / "tgt.en.txt"
            src.write_text(sep.join(pairs[k % len(pairs)][0] for k in range(n)) + "\n", encoding="utf-8")
            tgt.write_text(sep.join(pairs[k % len(pairs)][1] for k in range(m)) + "\n", encoding="utf-8")
            out = Path(tmp) / f"out-{n}-{m}-{form}"
            cmd = [sys.executable, "-m", "pipeline", "run", str(src), str(tgt), "-s", "de", "-t", "en", "-o", str(out), "-c", str(config), "--enable", "A1", "-q"]
            done = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            issues = (out / "issues.jsonl").read_text(encoding="utf-8").splitlines() if figures["rc"] == 0 else []
            first = json.loads(issues[0]) if len(issues) == 1 else None
            said = f"{first['code']} {first['severity']}: {first['message']}" if first else f"{len(issues)} issues"
            rows.append({"source": n, "target": m, "form": form, "rc": figures["rc"], "wall_s": round(figures["wall_s"], 2), "peak_mb": round(figures["peak_mb"], 1), "issues": said})
            r = rows[-1]
            print(f"{n:>6} x {m:<6} {form:<10} rc {r['rc']}  {r['wall_s']:6.2f} s  {r['peak_mb']:6.1f} MB  {said[:100]}", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    md = [
        "# Alignment of very unequal documents: whole `mtqa run`s",
        "",
        f"`python eval/align_scaling.py --unequal{' --embeddings' if embeddings else ''}` (German-English news; only the alignment rules, `--enable A1`; "
        f"embeddings {'on' if embeddings else 'off'}; one child process per run, its wall time and peak RSS).",
        "",
        "| source lines | target lines | form | wall s | peak RSS MB | issues |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    md += [f"| {r['source']} | {r['target']} | {r['form']} | {r['wall_s']:.2f} | {r['peak_mb']:.1f} | {r['issues']} |" for r in rows]
    (RESULTS / "align_scaling_unequal.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'align_scaling_unequal.md'}")
    return 0 if all(r["rc"] == 0 for r in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    parser.add_argument("--unequal", action="store_true", help="time whole runs of very unequal documents (1 x 20,000 and others)")
    parser.add_argument("--embeddings", action="store_true", help="with --unequal: embeddings on")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not all((DATA / de).exists() and (DATA / en).exists() for de, en in SOURCES):
        print(f"newstest/NTREX data not found under {DATA} (set MTQA_DATA_DIR)", file=sys.stderr)
        return 2
    if args.unequal:
        return unequal(args.embeddings)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'source':>7} {'target':>7} {'wall s':>7} {'search s':>8} {'s/1k sent':>9} {'cells':>9} {'traced MB':>9} {'max RSS MB':>10} {'F1 strict':>9}")
    for r in rows:
        per_k = r["wall_s"] / (r["source_sentences"] / 1000)
        print(
            f"{r['source_sentences']:>7} {r['target_sentences']:>7} {r['wall_s']:>7.2f} {r['search_s']:>8.2f} {per_k:>9.2f} "
            f"{r['cells']:>9} {r['peak_traced_mb']:>9.1f} {r['max_rss_mb']:>10.1f} {r['f1_strict']:>9.4f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "align_scaling.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    md = [
        "# Sentence alignment: time and memory against document length",
        "",
        "`python eval/align_scaling.py` (German-English news, perturbed; embeddings off; one process per size).",
        "",
        "| source sentences | target sentences | wall s | search s | s per 1k sentences | DP cells | peak traced MB | max RSS MB | F1 strict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        md.append(
            f"| {r['source_sentences']} | {r['target_sentences']} | {r['wall_s']:.2f} | {r['search_s']:.2f} | "
            f"{r['wall_s'] / (r['source_sentences'] / 1000):.2f} | {r['cells']} | {r['peak_traced_mb']:.1f} | {r['max_rss_mb']:.1f} | {r['f1_strict']:.4f} |"
        )
    (RESULTS / "align_scaling.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'align_scaling.json'} and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
