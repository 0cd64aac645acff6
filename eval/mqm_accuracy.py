"""Accuracy flags against expert MQM annotations: WMT21 TED talks, Chinese -> English (Google's MQM data).

Gold: ../shared/data/wmt_mqm_google/mqm_ted_zhen.tsv, 15 systems x 529 segments, each rated by
professional translators; every error is a row with its span marked <v>...</v> in the target
(omissions: in the source), a category and a severity.  mtqa runs once over all systems (a tabular
input, one target column per system; every check but the LM) and is scored on:
- span precision: the share of mtqa's accuracy/mistranslation and accuracy/omission flags that
  overlap a gold Accuracy/* span of any rater in the same segment and side;
- span recall: the share of gold Accuracy/Mistranslation and Accuracy/Omission spans (distinct
  spans, any rater) that an mtqa accuracy flag overlaps (a flag covering the whole target counts);
- segment AUROC: how well the weighted count of mtqa's accuracy flags on a segment (major 5, minor 1)
  ranks segments with a major accuracy error (by any rater) above those without; and how well the
  beads' adequacy (results.json, the source-target similarity as a z-score; lower = riskier) does.

    python eval/mqm_accuracy.py                 # writes eval/results/mqm_accuracy.md
    python eval/mqm_accuracy.py --root /tmp/base --label before --no-write   # an older checkout
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fluency_data import ROOT, require, run_mtqa_table

GOLD_CATEGORIES = ("Accuracy/Mistranslation", "Accuracy/Omission")
OURS = ("accuracy/mistranslation", "accuracy/omission")
_SPAN = re.compile(r"<v>(.*?)</v>", re.S)


@dataclass
class Segment:
    source: str
    target: str
    spans: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=lambda: {"source": [], "target": []})  # (start, end, category, severity)
    major_accuracy: bool = False


def _unmark(text: str) -> tuple[str, tuple[int, int] | None]:
    m = _SPAN.search(text)
    clean = _SPAN.sub(lambda x: x.group(1), text)
    if not m:
        return clean, None
    start = m.start()
    return clean, (start, start + len(m.group(1)))


def load_gold() -> tuple[list[str], list[int], dict[tuple[str, int], Segment]]:
    path = require("wmt_mqm_google/mqm_ted_zhen.tsv")
    segments: dict[tuple[str, int], Segment] = {}
    systems: list[str] = []
    seg_ids: set[int] = set()
    with path.open(encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for system, _doc, _doc_id, seg_id, _rater, source, target, category, severity in rows:
            seg = int(seg_id)
            src, src_span = _unmark(source)
            tgt, tgt_span = _unmark(target)
            entry = segments.setdefault((system, seg), Segment(src, tgt))
            if system not in systems:
                systems.append(system)
            seg_ids.add(seg)
            if category.startswith("Accuracy/"):
                if severity == "Major":
                    entry.major_accuracy = True
                span, side = (tgt_span, "target") if tgt_span else (src_span, "source")
                if span:
                    entry.spans[side].append((*span, category, severity))
    return systems, sorted(seg_ids), segments


def run_mtqa(root: Path, systems: list[str], seg_ids: list[int], gold: dict[tuple[str, int], Segment], work: Path) -> tuple[dict[tuple[str, int], list[dict]], dict[tuple[str, int], float]]:
    tsv = work / "ted_zhen.tsv"
    columns = [f"sys_{k}" for k in range(len(systems))]
    with tsv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["doc", "src", *columns])
        for seg in seg_ids:
            first = next(gold[(s, seg)] for s in systems if (s, seg) in gold)
            w.writerow(["ted", first.source, *[gold[(s, seg)].target if (s, seg) in gold else "" for s in systems]])
    found: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for issue in run_mtqa_table(tsv, "zh", work / "out", work / "cache", targets=columns, root=root, label="TED zh-en"):
        system = systems[columns.index(issue["system"])]
        found[(system, seg_ids[issue["segment"]])].append(issue)
    # each line's adequacy (results.json beads, schema 1.4; absent in older versions and where A5 did not run)
    adequacy: dict[tuple[str, int], float] = {}
    results = json.loads((work / "out" / "results.json").read_text(encoding="utf-8"))
    for column, system_result in results["systems"].items():
        for beads in system_result["beads"].values():
            for k, bead in enumerate(beads):
                if "adequacy" in bead:
                    adequacy[(systems[columns.index(column)], seg_ids[k])] = bead["adequacy"]
    return found, adequacy


def auroc(scores: list[float], labels: list[bool]) -> float:
    """Probability that a positive outranks a negative (ties count half)."""
    order = sorted(range(len(scores)), key=lambda k: scores[k])
    ranks = [0.0] * len(scores)
    k = 0
    while k < len(order):
        j = k
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[k]]:
            j += 1
        for m in range(k, j + 1):
            ranks[order[m]] = (k + j) / 2 + 1
        k = j + 1
    pos = sum(labels)
    neg = len(labels) - pos
    if not pos or not neg:
        return float("nan")
    return (sum(r for r, y in zip(ranks, labels) if y) - pos * (pos + 1) / 2) / (pos * neg)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(gold: dict[tuple[str, int], Segment], found: dict[tuple[str, int], list[dict]], adequacy: dict[tuple[str, int], float] | None = None) -> dict:
    predicted = hits = 0
    gold_total = dict.fromkeys(GOLD_CATEGORIES, 0)
    gold_hit = dict.fromkeys(GOLD_CATEGORIES, 0)
    scores, labels = [], []
    for key, seg in gold.items():
        flags = [i for i in found.get(key, []) if i["category"] in OURS]
        for issue in flags:
            predicted += 1
            spans = seg.spans.get(issue["side"], [])
            hits += any(_overlaps((issue["start"], issue["end"]), (s, e)) for s, e, _, _ in spans)
        for side, spans in seg.spans.items():
            for start, end, category, _ in set(spans):
                if category in gold_total:
                    gold_total[category] += 1
                    gold_hit[category] += any(i["side"] == side and _overlaps((i["start"], i["end"]), (start, end)) for i in flags)
        scores.append(sum(5 if i["severity"] in ("major", "critical") else 1 for i in flags))
        labels.append(seg.major_accuracy)
    # the beads' adequacy as a score: the lower, the riskier (segments without one rank in the middle: 0)
    adequacy_scores = [-(adequacy or {}).get(key, 0.0) for key in gold]
    return {"predicted": predicted, "precision": hits / predicted if predicted else float("nan"),
            "recall": {c: (gold_hit[c], gold_total[c]) for c in GOLD_CATEGORIES}, "auroc": auroc(scores, labels),
            "auroc_adequacy": auroc(adequacy_scores, labels) if adequacy else float("nan"), "with_adequacy": sum(k in (adequacy or {}) for k in gold),
            "segments": len(labels), "positives": sum(labels),
            "by_code": sorted({(i["code"], sum(1 for v in found.values() for j in v if j["code"] == i["code"])) for v in found.values() for i in v if i["category"] in OURS})}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=str(ROOT), help="the mtqa checkout to run (default: this one)")
    ap.add_argument("--label", default="after")
    ap.add_argument("--work", help="keep the input, the outputs and the embedding cache here")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    systems, seg_ids, gold = load_gold()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        found, adequacy = run_mtqa(Path(args.root), systems, seg_ids, gold, work)
    r = evaluate(gold, found, adequacy)
    lines = [f"## {args.label}", "",
             f"Segments (system x segment): {r['segments']:,}, with a major accuracy error: {r['positives']:,}.", "",
             f"- mtqa accuracy/mistranslation + accuracy/omission flags: {r['predicted']} "
             f"({', '.join(f'{c} {n}' for c, n in r['by_code'])}); span precision {r['precision']:.3f}",
             *[f"- recall of gold {c} spans: {h}/{n} = {h / max(n, 1):.3f}" for c, (h, n) in r["recall"].items()],
             f"- segment AUROC (major accuracy error): {r['auroc']:.3f}",
             f"- segment AUROC of the beads' adequacy (results.json 1.4, lower = riskier; {r['with_adequacy']:,} segments have one): "
             + (f"{r['auroc_adequacy']:.3f}" if r["with_adequacy"] else "none (no adequacy in this version's results)"), ""]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        path = ROOT / "eval" / "results" / "mqm_accuracy.md"
        head = ("# Accuracy flags vs. expert MQM, WMT21 TED zh-en\n\nCommand: `python eval/mqm_accuracy.py` "
                "(`--root <checkout> --label before` for an older version). Every check but the LM.\n\n")
        old = path.read_text(encoding="utf-8") if path.exists() else head
        kept = [b for b in old.split("\n## ")[1:] if not b.startswith(args.label + "\n")]
        path.write_text(head + "".join("## " + b.rstrip("\n") + "\n\n" for b in kept) + text, encoding="utf-8")


if __name__ == "__main__":
    main()
