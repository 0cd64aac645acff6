"""Calibrate the LM fluency check (rule F401) on fluent reference English and write the numbers to
pipeline/data/lm_calibration.yaml (numbers only, no text).

Fluent text: WMT22 ru-en and uk-en reference A (English, professional translations), split into
sentences; a random sample of --n sentences (seed 1).  These are NOT the sets that
eval/fluency_fp.py measures false positives on (WMT22 de-en ref A, NTREX English).  For each
token-count bucket the script stores the mean and standard deviation of the SLOR-style excess
surprisal, and max_z = the --quantile of the z-scores (so about 1 - quantile of fluent sentences
are flagged).

    python eval/lm_calibrate.py [--model smollm2-135m] [--lang en] [--n 1500] [--quantile 0.995]
"""

from __future__ import annotations

import argparse
import statistics
import time

import yaml
from fluency_data import ROOT, sample, sentences, wmt22

BUCKET_EDGES = [8, 12, 16, 20, 25, 32, 45, 64, 10**6]
OUT = ROOT / "pipeline" / "data" / "lm_calibration.yaml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--quantile", type=float, default=0.995)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    from pipeline.checks.lm_fluency import Calibration, FluencyScorer
    from pipeline.lm import load_causal_lm

    texts = sentences(wmt22("ru-en", "ref.A.en") + wmt22("uk-en", "ref.A.en"))
    texts = sample([t for t in texts if len(t.split()) >= 4], args.n)
    lm = load_causal_lm(args.model, threads=args.threads)
    dummy = Calibration({"buckets": [{"max_tokens": 10**6, "mean": 0.0, "sd": 1.0}], "max_z": 0})
    scorer = FluencyScorer(lm, dummy, args.lang)
    t = time.time()
    scores = scorer.score(texts)
    elapsed = time.time() - t
    buckets = []
    lower = 0
    for edge in BUCKET_EDGES:
        xs = [s.excess for s in scores if lower < s.lm.n_tokens <= edge]
        lower = edge
        if len(xs) < 20:  # too few to estimate: merge into the previous bucket
            if buckets:
                buckets[-1]["max_tokens"] = edge
            continue
        buckets.append({"max_tokens": edge, "mean": round(statistics.fmean(xs), 4), "sd": round(statistics.stdev(xs), 4), "n": len(xs)})
    calib = Calibration({"buckets": buckets, "max_z": 0})
    zs = sorted(calib.z(s.excess, s.lm.n_tokens) for s in scores)
    max_z = zs[min(len(zs) - 1, int(args.quantile * len(zs)))]
    table = yaml.safe_load(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    table = table or {}
    table.setdefault("models", {}).setdefault(args.model, {})[args.lang] = {
        "max_z": round(max_z, 3),
        "quantile": args.quantile,
        "n_sentences": len(scores),
        "data": "WMT22 ru-en + uk-en reference A (English), sentences of >= 4 words, random sample seed 1",
        "buckets": buckets,
    }
    header = "# LM fluency calibration (rule F401), written by eval/lm_calibrate.py: numbers only.\n"
    OUT.write_text(header + yaml.safe_dump(table, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"{len(scores)} sentences in {elapsed:.0f} s ({len(scores) / elapsed:.1f}/s); max_z={max_z:.3f}")
    for b in buckets:
        print(f"  <= {b['max_tokens']:>7} tokens: mean {b['mean']:+.3f} sd {b['sd']:.3f} (n={b['n']})")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
