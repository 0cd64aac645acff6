"""Fluency error detection on expert MQM annotations: WMT21 TED talks, Chinese -> English
(../shared/data/wmt_mqm_google/mqm_ted_zhen.tsv; the targets are English).

Segment level: positives are (system, segment) pairs where any rater marked a Fluency/* error;
negatives are pairs every rater marked No-error; pairs with only other errors are left out.
Reported for the rule checks (any finding of the target-side families F1-F3, L, T; score for
AUROC = number of findings) and for the LM rule F401 (flag = z above the calibrated max_z; score
for AUROC = the segment's highest sentence z), on a random sample of --sample pairs (seed 1; the
LM is slow on shared CPUs, the rule checks also run on all pairs).  Span level: predicted spans of
the spelling rules (F2) against gold Fluency/Spelling spans, and of the punctuation-category rules
(T2, T3, L101) against gold Fluency/Punctuation spans; a span counts when it overlaps one of the
other side's spans in the same segment.

    python eval/fluency_mqm.py [--sample 600] [--no-lm]
"""

from __future__ import annotations

import argparse
import time

from fluency_data import line_pairs, load_average, mqm_segments, rule_codes, sample, write_summary

TARGET_FAMILIES = ("F1", "F2", "F3", "L", "T")
SPELLING = ("F2",)
PUNCTUATION = ("T2", "T3", "L101")


def auroc(scores: list[float], labels: list[bool]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    pairs = sorted(zip(scores, labels))
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + j + 1) / 2
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    p = tp / max(1, sum(pred))
    r = tp / max(1, sum(gold))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def operating_points(zs: list[float], gold: list[bool], thresholds=(0.0, 1.0, 2.0)) -> list[str]:
    """Markdown rows: precision and recall of the LM flag at lower z thresholds than the default."""
    rows = ["", "LM flag at other thresholds (the default is the calibrated max_z; lower ones trade false alarms on fluent text for recall):", "", "| z above | flagged | precision | recall |", "|---|---|---|---|"]
    for th in thresholds:
        pred = [z > th for z in zs]
        p, r, _ = prf(pred, gold)
        rows.append(f"| {th:.1f} | {sum(pred)} | {p:.3f} | {r:.3f} |")
    return rows


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span_scores(pred: dict[int, list[tuple[int, int]]], gold: dict[int, list[tuple[int, int]]]) -> dict:
    n_pred = sum(len(v) for v in pred.values())
    n_gold = sum(len(v) for v in gold.values())
    hit_pred = sum(any(overlaps(p, g) for g in gold.get(k, [])) for k, v in pred.items() for p in v)
    hit_gold = sum(any(overlaps(g, p) for p in pred.get(k, [])) for k, v in gold.items() for g in v)
    return {"predicted": n_pred, "gold": n_gold, "precision": hit_pred / max(1, n_pred), "recall": hit_gold / max(1, n_gold)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=600, help="segments for the LM (and the sampled rule figures)")
    ap.add_argument("--no-lm", action="store_true")
    args = ap.parse_args()

    from pipeline.checks import CheckContext, run_checks

    segs = mqm_segments()
    for s in segs:
        cats = {e["category"] for e in s["errors"]}
        s["label"] = True if any(c.startswith("Fluency") for c in cats) else False if cats == {"No-error"} else None
    usable = [s for s in segs if s["label"] is not None]
    print(f"{len(segs)} (system, segment) pairs; {sum(s['label'] for s in usable)} with a Fluency error, {sum(not s['label'] for s in usable)} No-error")

    rules = rule_codes(TARGET_FAMILIES, exclude=("F401",))
    ctx = CheckContext(src_lang="zh", tgt_lang="en")
    t = time.time()
    pairs = line_pairs([s["source"] for s in segs], [s["target"] for s in segs])
    issues = run_checks([pairs], rules, ctx)
    rule_time = time.time() - t
    by_seg: dict[int, list] = {}
    for issue in issues:
        if issue.side == "target":
            by_seg.setdefault(issue.segment, []).append(issue)
    index = {id(s): i for i, s in enumerate(segs)}
    counts = [len(by_seg.get(index[id(s)], [])) for s in usable]
    labels = [s["label"] for s in usable]
    p, r, f = prf([c > 0 for c in counts], labels)
    rows = {"rules (all pairs)": {"n": len(usable), "precision": p, "recall": r, "f1": f, "auroc": auroc([float(c) for c in counts], labels)}}

    gold_spell: dict[int, list] = {}
    gold_punct: dict[int, list] = {}
    for i, s in enumerate(segs):
        for e in s["errors"]:
            if e["span"] and e["category"] == "Fluency/Spelling":
                gold_spell.setdefault(i, []).append(e["span"])
            if e["span"] and e["category"] == "Fluency/Punctuation":
                gold_punct.setdefault(i, []).append(e["span"])
    gold_spell = {k: sorted(set(v)) for k, v in gold_spell.items()}
    gold_punct = {k: sorted(set(v)) for k, v in gold_punct.items()}
    pred_spell = {k: [(i.start, i.end) for i in v if i.code.startswith(SPELLING)] for k, v in by_seg.items()}
    pred_punct = {k: [(i.start, i.end) for i in v if i.code.startswith(PUNCTUATION)] for k, v in by_seg.items()}
    spans = {"Fluency/Spelling vs F2": span_scores(pred_spell, gold_spell), "Fluency/Punctuation vs T2/T3/L101": span_scores(pred_punct, gold_punct)}

    per_rule: dict[str, list[bool]] = {}
    for s in usable:
        for code in {i.code for i in by_seg.get(index[id(s)], [])}:
            per_rule.setdefault(code, []).append(s["label"])

    sampled = sample(usable, args.sample)
    lm_note = ""
    if not args.no_lm:
        from pipeline.checks.lm_fluency import load_scorer
        from pipeline.segment import Segmenter

        scorer = load_scorer("smollm2-135m", "en", threads=2)
        seg = Segmenter("en")
        texts, owner = [], []
        for k, s in enumerate(sampled):
            for a, b in seg.split(s["target"]):
                texts.append(s["target"][a:b])
                owner.append(k)
        t = time.time()
        results = scorer.score(texts)
        lm_time = time.time() - t
        best = [float("-inf")] * len(sampled)
        for k, res in zip(owner, results):
            best[k] = max(best[k], res.z)
        s_labels = [s["label"] for s in sampled]
        p, r, f = prf([z > scorer.calibration.max_z for z in best], s_labels)
        rows["LM F401 (sample)"] = {"n": len(sampled), "precision": p, "recall": r, "f1": f, "auroc": auroc(best, s_labels)}
        s_counts = [len(by_seg.get(index[id(s)], [])) for s in sampled]
        p, r, f = prf([c > 0 for c in s_counts], s_labels)
        rows["rules (same sample)"] = {"n": len(sampled), "precision": p, "recall": r, "f1": f, "auroc": auroc([float(c) for c in s_counts], s_labels)}
        p, r, f = prf([c > 0 or z > scorer.calibration.max_z for c, z in zip(s_counts, best)], s_labels)
        rows["rules or LM (sample)"] = {"n": len(sampled), "precision": p, "recall": r, "f1": f, "auroc": float("nan")}
        lm_note = f"LM: {len(texts)} sentences in {lm_time:.0f} s ({len(texts) / lm_time:.1f}/s on 2 threads, load average {load_average()})."

    base = sum(labels) / len(labels)
    md = [
        f"Data: mqm_ted_zhen.tsv, {len(usable)} (system, segment) pairs used: {sum(labels)} with a Fluency/* error by any rater (base rate {base:.1%}), {len(labels) - sum(labels)} No-error. Rule checks ({', '.join(TARGET_FAMILIES)}) on all pairs in {rule_time:.0f} s; LM on a random sample of {len(sampled)} pairs (seed 1). {lm_note}",
        "",
        "| detector | pairs | precision | recall | F1 | AUROC |",
        "|---|---|---|---|---|---|",
    ]
    md += [f"| {k} | {v['n']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['auroc']:.3f} |" for k, v in rows.items()]
    if not args.no_lm:
        md += operating_points(best, s_labels)
    md += ["", "Span level (a predicted span counts when it overlaps a gold span of the category in the same segment, and the reverse for recall):", "", "| gold category vs rules | predicted spans | gold spans | precision | recall |", "|---|---|---|---|---|"]
    md += [f"| {k} | {v['predicted']} | {v['gold']} | {v['precision']:.3f} | {v['recall']:.3f} |" for k, v in spans.items()]
    md += ["", "Per rule (segments flagged among the used pairs; precision = share with a Fluency error):", "", "| rule | flagged | precision |", "|---|---|---|"]
    md += [f"| {code} | {len(v)} | {sum(v) / len(v):.3f} |" for code, v in sorted(per_rule.items())]
    print("\n".join(md))
    write_summary("fluency_mqm", "MQM TED zh-en fluency detection (eval/fluency_mqm.py)", md, {"rows": rows, "spans": spans, "per_rule": {k: [len(v), sum(v)] for k, v in per_rule.items()}})


if __name__ == "__main__":
    main()
