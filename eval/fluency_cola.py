"""CoLA in-domain dev: how well the LM rule's acceptability flag separates unacceptable from
acceptable English sentences, without any fine-tuning.

Flag = the SLOR-style z-score of rule F401 above the calibrated max_z (the threshold the check
uses on MT output; calibrated on WMT22 references, not on CoLA).  Reported: Matthews correlation
(MCC, CoLA's metric) of that flag, AUROC of the z-score, and for reference the MCC at the best
threshold chosen on this same dev set (an oracle, optimistic by construction); also the raw
perplexity's AUROC, to show what the unigram normalisation adds.  Published (GLUE test, after
fine-tuning): BERT-base 52.1, BERT-large 60.5.

    python eval/fluency_cola.py [--n N]
"""

from __future__ import annotations

import argparse
import csv
import math
import time

from fluency_data import load_average, require, sample, write_summary
from fluency_mqm import auroc, operating_points


def mcc(pred: list[bool], gold: list[bool]) -> float:
    tp = sum(p and g for p, g in zip(pred, gold))
    tn = sum(not p and not g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(not p and g for p, g in zip(pred, gold))
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=None, help="sample size (default: all 527)")
    args = ap.parse_args()
    from pipeline.checks.lm_fluency import load_scorer

    with require("cola/in_domain_dev.tsv").open(encoding="utf-8") as fh:
        rows = [(r[3], r[1] == "0") for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) >= 4]
    rows = sample(rows, args.n)
    scorer = load_scorer("smollm2-135m", "en", threads=2)
    t = time.time()
    results = scorer.score([s for s, _ in rows])
    elapsed = time.time() - t
    gold = [bad for _, bad in rows]
    zs = [r.z for r in results]
    flag = [z > scorer.calibration.max_z for z in zs]
    best = max((mcc([z > th for z in zs], gold), th) for th in sorted(set(zs)))
    md = [
        f"CoLA in_domain_dev.tsv: {len(rows)} sentences ({sum(gold)} unacceptable). LM SmolLM2-135M, no fine-tuning; {len(rows) / elapsed:.1f} sentences/s on 2 threads (load average {load_average()}).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| MCC of the F401 flag (z > {scorer.calibration.max_z:.2f}, calibrated on WMT22 refs) | {mcc(flag, gold):.3f} |",
        f"| flagged / precision / recall | {sum(flag)} / {sum(f and g for f, g in zip(flag, gold)) / max(1, sum(flag)):.3f} / {sum(f and g for f, g in zip(flag, gold)) / max(1, sum(gold)):.3f} |",
        f"| AUROC of the z-score | {auroc(zs, gold):.3f} |",
        f"| AUROC of raw log-perplexity | {auroc([r.lm.log_perplexity for r in results], gold):.3f} |",
        f"| oracle MCC (best threshold z > {best[1]:.2f}, chosen on this dev set) | {best[0]:.3f} |",
        "",
        "Published (GLUE test, fine-tuned): BERT-base 52.1, BERT-large 60.5 MCC (x100).",
    ]
    md += operating_points(zs, gold)
    print("\n".join(md))
    write_summary("fluency_cola", "CoLA in-domain dev, LM acceptability flag (eval/fluency_cola.py)", md, {"n": len(rows), "mcc": mcc(flag, gold), "auroc": auroc(zs, gold), "oracle_mcc": best[0], "oracle_threshold": best[1]})


if __name__ == "__main__":
    main()
