"""Sentence segmentation accuracy on German and English abbreviation/ordinal cases.

Cases: eval/data/segmentation_cases.tsv (written for mtqa; boundaries marked " || ").
Reports, per language and engine, the share of cases segmented exactly right and boundary P/R/F1.

    python eval/segmentation.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.segment import Segmenter

CASES = Path(__file__).parent / "data" / "segmentation_cases.tsv"


def load_cases() -> list[tuple[str, str, set[int]]]:
    cases = []
    with CASES.open(encoding="utf-8") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            parts = row["text"].split(" || ")
            text, bounds = "", set()
            for i, part in enumerate(parts):
                if i:
                    text += " "
                    bounds.add(len(text))
                text += part
            cases.append((row["lang"], text, bounds))
    return cases


def evaluate(engine: str, post_rules: bool) -> dict[str, dict[str, float]]:
    results = {}
    for lang in ("de", "en"):
        seg = Segmenter(lang, engine)
        if not post_rules:
            seg._false_break = lambda before, after: False
        exact = tp = fp = fn = 0
        cases = [c for c in load_cases() if c[0] == lang]
        failures = []
        for _, text, gold in cases:
            pred = {start for start, _ in seg.split(text)[1:]}
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
            if pred == gold:
                exact += 1
            else:
                failures.append(" | ".join(text[a:b] for a, b in seg.split(text)))
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        results[lang] = {
            "cases": len(cases),
            "exact": exact / len(cases),
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "failures": failures,
        }
    return results


def main() -> None:
    configs = [("sentencex", False), ("pysbd", False), ("sentencex", True), ("pysbd", True)]
    print(f"{'engine':<22}{'lang':<6}{'cases':>6}{'exact':>8}{'P':>8}{'R':>8}{'F1':>8}")
    md = ["# Sentence segmentation (eval/segmentation.py)", "", "Hand-written German and English cases with abbreviations, dates, ordinals (eval/data/segmentation_cases.tsv).", "",
          "| engine | lang | cases | exact | P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for engine, rules in configs:
        res = evaluate(engine, rules)
        label = engine + (" + mtqa rules" if rules else "")
        for lang, m in res.items():
            print(f"{label:<22}{lang:<6}{m['cases']:>6}{m['exact']:>8.3f}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
            md.append(f"| {label} | {lang} | {m['cases']} | {m['exact']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
        if "-v" in sys.argv:
            for lang, m in res.items():
                for f in m["failures"]:
                    print(f"    {lang} FAIL: {f}")
    print("\nmtqa default: sentencex + mtqa rules")
    md += ["", "mtqa's default is sentencex + mtqa rules."]
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "segmentation.md").write_text("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
