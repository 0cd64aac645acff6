"""Calibrate A7 (omissions, rule A701) per language pair on the NTREX-128 calib split.

    python eval/omission_calibrate.py                      # all 21 languages -> pipeline/data/omission.yaml
    python eval/omission_calibrate.py --no-write --langs fr,zh
    python eval/omission_calibrate.py --check              # the shipped thresholds on these pairs (also --split test)

Per language X (source: the professional translation, target: the English original):

- the length model: the median of log(target chars / source chars) and a robust spread (1.4826 x
  median absolute deviation) per source-length bucket, from the clean pairs (NTREX only: the WMT22
  pairs that A3's table adds for de, ru and uk shift the median of NTREX);
- the share of each anchor kind (numbers, words written as in the target, dictionary words) that the
  clean targets render;
- A701's score of every clean pair and of every pair that eval/planted_errors.py can remove a clause
  from (its clause_removed, applied to every such line rather than every third).

The threshold (shared by all pairs) is the lowest whose clean flags stay within ``--budget`` per
1,000 target words over all languages and ``--budget-each`` for every language; the report gives
the share of removed clauses it catches per language.  Only numbers are written.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import Counter

import numpy as np
from fluency_data import ROOT, write_shipped_yaml
from ntrex_pairs import LANGUAGES, Pair, english_words, pairs

sys.path.insert(0, str(ROOT))

from pipeline import yamlfile
from pipeline.checks.bilingual import has_lexicon, has_wordnet, load_lexicon, load_wordnet
from pipeline.checks.omission import CALIBRATION_FILE, KINDS, MIN_SOURCE_CHARS, PairModel, candidates, evidence, judge

OUT = ROOT / "pipeline" / "data" / CALIBRATION_FILE
EDGES = (40, 80, 140, 220, 10**6)  # source characters
MIN_BUCKET = 40
Q = 0.85  # chance that an anchor of a missing clause finds no rendering (measured: 0.75-0.93 change little)


def robust_sd(xs: list[float]) -> float:
    med = statistics.median(xs)
    return 1.4826 * statistics.median(abs(x - med) for x in xs)


def length_model(rows: list[Pair]) -> tuple[float, list[tuple[int, float]]]:
    logs = [(len(p.source), math.log(len(p.target) / len(p.source))) for p in rows if len(p.source) >= 10]
    mean = statistics.median(x for _, x in logs)
    buckets: list[tuple[int, float]] = []
    lower = 0
    for edge in EDGES:
        xs = [x for n, x in logs if lower < n <= edge]
        lower = edge
        if len(xs) < MIN_BUCKET:
            if buckets:
                buckets[-1] = (edge, buckets[-1][1])
            continue
        buckets.append((edge, max(robust_sd(xs), 0.05)))
    return mean, buckets


def language(lang: str, split: str, table: dict | None) -> dict:
    """Calibration (or, with ``table``, the shipped model) and the scores of clean and planted pairs."""
    from planted_errors import _remove_clause  # deferred: planted_errors loads its tables at import

    rows = pairs(lang, split)
    lexicon = load_lexicon(lang) if has_lexicon(lang) else None
    wordnet = load_wordnet() if has_wordnet() else None
    clean = [evidence(p.source, p.target, lang, lexicon, wordnet) for p in rows]
    if table is None:
        mean, buckets = length_model(rows)
        counts, rendered = Counter[str](), Counter[str]()
        for found in clean:
            for anchor in found:
                counts[anchor.kind] += 1
                rendered[anchor.kind] += anchor.rendered
        rates = {k: round(min(max(rendered[k] / counts[k], 0.05), 0.95), 4) if counts[k] else 0.5 for k in KINDS}
        model = PairModel(mean, tuple(buckets), rates)
        q = Q
    else:
        entry = table["pairs"][f"{lang}-en"]
        model = PairModel(entry["length"]["mean"], tuple((b["max_source_chars"], b["sd"]) for b in entry["length"]["buckets"]), entry["rendered"])
        q = table["q"]

    def score(source: str, target: str, found: list) -> float:
        if len(source) < MIN_SOURCE_CHARS or not candidates(source, lang):
            return -math.inf
        best = judge(source, target, model, found, lang, q)
        return best.score if best is not None else -math.inf

    clean_scores = np.array([score(p.source, p.target, f) for p, f in zip(rows, clean)])
    planted = [(p, made[0]) for p in rows if (made := _remove_clause(p, {})) is not None]
    planted_scores = np.array([score(p.source, t, evidence(p.source, t, lang, lexicon, wordnet)) for p, t in planted])
    return {"lang": lang, "model": model, "words": sum(english_words(p.target) for p in rows), "n": len(rows), "clean": clean_scores, "planted": planted_scores}


def choose(results: list[dict], budget: float, budget_each: float) -> float:
    words = sum(r["words"] for r in results)
    for th in np.arange(3.0, 20.01, 0.25):
        fa = [int((r["clean"] > th).sum()) for r in results]
        if 1000 * sum(fa) / words <= budget and all(1000 * n / r["words"] <= budget_each for n, r in zip(fa, results)):
            return round(float(th), 2)
    raise SystemExit("no threshold within the budget")


def report(results: list[dict], th: float) -> None:
    words = sum(r["words"] for r in results)
    print(f"threshold {th}")
    print(f"{'pair':<6} {'flags':>5} {'per1k':>6} {'caught':>6}")
    fa_all = 0
    caught = []
    for r in results:
        fa = int((r["clean"] > th).sum())
        fa_all += fa
        hit = r["planted"] > th
        caught.append(float(hit.mean()))
        print(f"{r['lang']}-en {fa:5d} {1000 * fa / r['words']:6.2f} {hit.mean():6.3f}")
    print(f"all    {fa_all:5d} {1000 * fa_all / words:6.3f} {np.mean(caught):6.3f} (mean over languages)")


def write(results: list[dict], th: float, out) -> None:
    table = {
        "data": "NTREX-128 X->en, calib split (eval/omission_calibrate.py): length = median and robust spread of "
        "log(target/source characters) by source length; rendered = share of each anchor kind the English original renders",
        "q": Q,
        "threshold": th,
        "pairs": {
            f"{r['lang']}-en": {
                "length": {"mean": round(r["model"].mean, 4), "buckets": [{"max_source_chars": e, "sd": round(sd, 4)} for e, sd in r["model"].buckets]},
                "rendered": r["model"].rendered,
                "n": r["n"],
            }
            for r in sorted(results, key=lambda r: r["lang"])
        },
    }
    header = "# A7 omission calibration: written by eval/omission_calibrate.py, do not edit by hand.\n"
    write_shipped_yaml(out, header, table)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--split", default="calib", choices=["calib", "test"])
    ap.add_argument("--budget", type=float, default=0.05, help="A701 false alarms per 1,000 target words, all languages")
    ap.add_argument("--budget-each", type=float, default=0.2, help="... and for each language")
    ap.add_argument("--check", action="store_true", help="report the shipped calibration on these pairs instead of calibrating")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    langs = [x for x in args.langs.split(",") if x]
    if args.split == "test" and not args.check:
        ap.error("calibrate on the calib split; --split test only with --check")
    table = yamlfile.safe_load(OUT.read_text(encoding="utf-8")) if args.check else None
    results = []
    for lang in langs:
        t0 = time.perf_counter()
        results.append(language(lang, args.split, table))
        print(f"{lang}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    if table is not None:
        report(results, float(table["threshold"]))
        return
    th = choose(results, args.budget, args.budget_each)
    report(results, th)
    if not args.no_write:
        write(results, th, OUT)


if __name__ == "__main__":
    main()
