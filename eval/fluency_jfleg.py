"""JFLEG test: flags on learner sentences (source) vs their fluent corrections.

Positives: test.src sentences that differ from at least 3 of their 4 corrections (disfluent);
negatives: the first correction (test.ref0) of every sentence whose ref0 differs from the source
(fluent rewrites).  Detectors: the rule checks of the target-side families (F2, F3, T, L; the
source side is empty, English to English), the LM rule F401 at its calibrated threshold, and
either.  The LM runs on a random sample of --n sentence pairs (seed 1).  JFLEG is tokenized
("society ."); every sentence, source and correction alike, is detokenized with sacremoses first,
so that spacing rules see ordinary text and both sides are treated the same.

    python eval/fluency_jfleg.py [--n 300]
"""

from __future__ import annotations

import argparse
import time

from fluency_data import line_pairs, lines, load_average, rule_codes, sample, write_summary
from fluency_mqm import auroc, operating_points, prf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="sentence pairs for the LM (rules run on all)")
    args = ap.parse_args()
    from sacremoses import MosesDetokenizer

    from pipeline.checks import CheckContext, run_checks
    from pipeline.checks.lm_fluency import load_scorer

    moses = MosesDetokenizer("en")
    detok = lambda s: moses.detokenize(s.split()).replace(" n't", "n't")  # noqa: E731
    src = [detok(s) for s in lines("jfleg/test.src")]
    refs = [[detok(s) for s in lines(f"jfleg/test.ref{k}")] for k in range(4)]
    norm = lambda s: " ".join(s.split())  # noqa: E731
    items = []
    for i, s in enumerate(src):
        differing = sum(norm(r[i]) != norm(s) for r in refs)
        if differing >= 3:
            items.append((s, True))
        if norm(refs[0][i]) != norm(s):
            items.append((refs[0][i], False))
    rules = rule_codes(("F2", "F3", "T", "L"), exclude=("F401",))
    ctx = CheckContext(src_lang="en", tgt_lang="en")
    t = time.time()
    issues = run_checks([line_pairs([""] * len(items), [s for s, _ in items])], rules, ctx)
    rule_time = time.time() - t
    counts = [0] * len(items)
    for issue in issues:
        counts[issue.segment] += 1
    gold = [g for _, g in items]
    rows = {}
    p, r, f = prf([c > 0 for c in counts], gold)
    rows["rules (all)"] = (len(items), p, r, f, auroc([float(c) for c in counts], gold))

    chosen = sample(list(range(len(items))), 2 * args.n)
    scorer = load_scorer("smollm2-135m", "en", threads=2)
    t = time.time()
    results = scorer.score([items[i][0] for i in chosen])
    lm_time = time.time() - t
    g = [items[i][1] for i in chosen]
    zs = [res.z for res in results]
    lm_flag = [z > scorer.calibration.max_z for z in zs]
    p, r, f = prf(lm_flag, g)
    rows["LM F401 (sample)"] = (len(chosen), p, r, f, auroc(zs, g))
    rc = [counts[i] for i in chosen]
    p, r, f = prf([c > 0 for c in rc], g)
    rows["rules (same sample)"] = (len(chosen), p, r, f, auroc([float(c) for c in rc], g))
    p, r, f = prf([c > 0 or lf for c, lf in zip(rc, lm_flag)], g)
    rows["rules or LM (sample)"] = (len(chosen), p, r, f, float("nan"))
    md = [
        f"JFLEG test: {sum(gold)} disfluent source sentences (differ from >= 3 of 4 corrections) and {len(gold) - sum(gold)} fluent corrections (ref0). Rules on all in {rule_time:.0f} s; LM on a random sample of {len(chosen)} sentences (seed 1), {len(chosen) / lm_time:.1f} sentences/s on 2 threads (load average {load_average()}).",
        "",
        "| detector | sentences | precision | recall | F1 | AUROC |",
        "|---|---|---|---|---|---|",
    ]
    md += [f"| {k} | {n} | {p:.3f} | {r:.3f} | {f:.3f} | {a:.3f} |" for k, (n, p, r, f, a) in rows.items()]
    md += operating_points(zs, g)
    print("\n".join(md))
    write_summary("fluency_jfleg", "JFLEG test: disfluent sources vs corrections (eval/fluency_jfleg.py)", md, {k: dict(zip(("n", "precision", "recall", "f1", "auroc"), v)) for k, v in rows.items()})


if __name__ == "__main__":
    main()
