"""sacrebleu parity and overhead: mtqa's scoring vs sacrebleu's own Python API on WMT22 de-en.

For the 9 systems, against ref A and against refs A+B:
  * BLEU, chrF, chrF++ and TER corpus scores through mtqa (``mtqa score`` machinery) and through
    ``sacrebleu.metrics.*.corpus_score``: must agree to 0.01;
  * paired bootstrap p-values (and bootstrap CIs) vs ``sacrebleu.significance.PairedTest(test_type="bs")``,
    the code behind ``sacrebleu --paired-bs``, with the same seed: must agree;
  * overhead: wall time of mtqa's scoring of the 9 systems (corpus scores + paired bootstrap, the same
    work sacrebleu's PairedTest does) divided by sacrebleu's time, median over several runs.

    python eval/sacrebleu_parity.py [--runs 3] [--data DIR]

TER segment parity and speed (``--ter-only`` runs just this part, results in eval/results/ter_parity.*):
  * every distinct (unit, hypothesis) of every system of WMT22 de-en, ru-en and uk-en, against ref A
    and (de-en) refs A+B, and case-sensitive against ref A: mtqa's per-segment TER statistics
    (pipeline/scoring/ter.py through segment_stats) vs sacrebleu's ``TER._compute_segment_statistics``:
    rows that differ, max |segment TER difference|, and the corpus score per system through
    ``score_systems`` vs sacrebleu's aggregate of its own rows;
  * speed: both per-segment statistics on the same tokenised segments (the first ``--ter-timing-units``
    units of each pair, every system), alternating sacrebleu and mtqa, ``--runs`` times: the median
    ratio sacrebleu time / mtqa time (same machine, same load in each run).

Data: ../shared/data/wmt22_general_test (or $MTQA_DATA_DIR/wmt22_general_test).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sacrebleu.metrics import BLEU, CHRF, TER  # noqa: E402
from sacrebleu.significance import PairedTest  # noqa: E402

from pipeline.config import load_config  # noqa: E402
from pipeline.scoring import ScoringInput, score_systems  # noqa: E402
from pipeline.scoring.segment_stats import segment_statistics  # noqa: E402

SYSTEMS = ["JDExploreAcademy", "LT22", "Lan-Bridge", "Online-A", "Online-B", "Online-G", "Online-W", "Online-Y", "PROMT"]
KEYS = {"bleu": "BLEU", "chrf": "chrF2", "chrf++": "chrF2++", "ter": "TER"}


def data_dir(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data")
    d = base / "wmt22_general_test" / "de-en"
    if not d.exists():
        sys.exit(f"eval: WMT22 data not found at {d} (set MTQA_DATA_DIR)")
    return d


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def sacrebleu_metrics(refs):
    return {"BLEU": BLEU(references=refs), "chrF2": CHRF(references=refs), "chrF2++": CHRF(word_order=2, references=refs), "TER": TER(references=refs)}


def run_sacrebleu(hyps: dict[str, list[str]], refs: list[list[str]], metrics_subset=None, test: str = "bs"):
    """sacrebleu's own API: PairedTest = corpus scores + CIs + paired p-values (--paired-bs / --paired-ar)."""
    metrics = sacrebleu_metrics(refs)
    if metrics_subset:
        metrics = {k: v for k, v in metrics.items() if k in metrics_subset}
    named = [(s, hyps[s]) for s in SYSTEMS]
    _, scores = PairedTest(named, metrics, references=None, test_type=test, n_samples=1000 if test == "bs" else 10000)()
    return scores


def run_mtqa(hyps, refs, keys, test: str = "bs"):
    config = load_config(None, {"scoring": {"metrics": keys, "segment_scores": False, "document_scores": False, "confidence": test == "bs", "significance": {"tests": [test]}}})
    return score_systems(ScoringInput(hyps, refs, {}), config.scoring, "en")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data")
    ap.add_argument("--skip-ter-timing", action="store_true", help="time BLEU/chrF/chrF++ only")
    ap.add_argument("--skip-ar", action="store_true", help="skip the approximate randomization parity check")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--ter-only", action="store_true", help="only TER's segment parity and speed (eval/results/ter_parity.*)")
    ap.add_argument("--ter-pairs", default="de-en,ru-en,uk-en")
    ap.add_argument("--ter-timing-units", type=int, default=200, help="units per pair in the TER speed runs")
    ap.add_argument("--ter-units", type=int, default=0, help="parity on the first N units of each pair only (0: all)")
    args = ap.parse_args()
    if args.ter_only:
        ter_parity(args)
        return
    d = data_dir(args.data)
    hyps = {s: read(d / f"generaltest2022.de-en.hyp.{s}.en") for s in SYSTEMS}
    ref_a = read(d / "generaltest2022.de-en.ref.A.en")
    ref_b = read(d / "generaltest2022.de-en.ref.B.en")
    report: dict = {"parity": {}, "timing": {}}
    worst = {"score": 0.0, "p_value": 0.0, "ci": 0.0}

    for label, refs in (("refA", [ref_a]), ("refA+B", [ref_a, ref_b])):
        t0 = time.perf_counter()
        sb = run_sacrebleu(hyps, refs)
        t_sb = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours, comps = run_mtqa(hyps, refs, list(KEYS))
        t_ours = time.perf_counter() - t0
        print(f"\n== {label}: sacrebleu {t_sb:.1f}s, mtqa {t_ours:.1f}s ==")
        print(f"{'system':<18}" + "".join(f"{m:>22}" for m in KEYS.values()))
        pvals = {(c.system, c.metric): c.p_value for c in comps if c.test == "bs"}
        rows = []
        for i, s in enumerate(SYSTEMS):
            cells = []
            for key, name in KEYS.items():
                ref_res = sb[name][i]
                mine = ours[s][key]
                dscore = abs(ref_res.score - mine.score)
                dci = abs(ref_res.ci - mine.ci.half_width) if ref_res.ci is not None else 0.0
                dp = abs((ref_res.p_value or 0.0) - pvals.get((s, name), 0.0)) if i else 0.0
                worst["score"] = max(worst["score"], dscore)
                worst["ci"] = max(worst["ci"], dci)
                worst["p_value"] = max(worst["p_value"], dp)
                cells.append(f"{mine.score:6.2f}/{ref_res.score:6.2f} p={pvals.get((s, name), float('nan')):.3f}")
                rows.append({"refs": label, "system": s, "metric": name, "mtqa": mine.score, "sacrebleu": ref_res.score, "p_mtqa": pvals.get((s, name)), "p_sacrebleu": ref_res.p_value, "ci_mtqa": mine.ci.half_width, "ci_sacrebleu": ref_res.ci})
            print(f"{s:<18}" + "".join(f"{c:>22}" for c in cells))
        report["parity"][label] = rows

    print(f"\nmax |score diff| = {worst['score']:.6f}   max |CI diff| = {worst['ci']:.6f}   max |p diff| = {worst['p_value']:.6f}")
    report["max_abs_diff"] = worst

    if not args.skip_ar:
        t0 = time.perf_counter()
        sb = run_sacrebleu(hyps, [ref_a], test="ar")
        t_sb = time.perf_counter() - t0
        t0 = time.perf_counter()
        _, comps = run_mtqa(hyps, [ref_a], list(KEYS), test="ar")
        t_ours = time.perf_counter() - t0
        pvals = {(c.system, c.metric): c.p_value for c in comps}
        worst_ar = max(abs(sb[name][i].p_value - pvals[(s, name)]) for i, s in enumerate(SYSTEMS) if i for name in KEYS.values())
        print(f"\npaired AR (10,000 trials, ref A): max |p diff| vs sacrebleu = {worst_ar:.6f}; sacrebleu {t_sb:.1f}s, mtqa {t_ours:.1f}s")
        report["ar"] = {"max_abs_p_diff": worst_ar, "sacrebleu_s": t_sb, "mtqa_s": t_ours, "p_values": {f"{s}|{m}": p for (s, m), p in pvals.items()}}
    if args.skip_timing:
        _save(report)
        return

    # Overhead: same work on both sides, ref A, median of several runs, alternating order.
    keys = ["bleu", "chrf", "chrf++"] if args.skip_ter_timing else list(KEYS)
    names = [KEYS[k] for k in keys]
    ratios, t_sbs, t_ours = [], [], []
    for run in range(args.runs):
        t0 = time.perf_counter()
        run_sacrebleu(hyps, [ref_a], names)
        a = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_mtqa(hyps, [ref_a], keys)
        b = time.perf_counter() - t0
        ratios.append(b / a)
        t_sbs.append(a)
        t_ours.append(b)
        print(f"run {run + 1}: sacrebleu {a:.2f}s  mtqa {b:.2f}s  ratio {b / a:.3f}")
    report["timing"] = {"metrics": names, "sacrebleu_s": t_sbs, "mtqa_s": t_ours, "ratios": ratios, "median_ratio": statistics.median(ratios)}
    print(f"median ratio mtqa/sacrebleu = {statistics.median(ratios):.3f} (target <= 1.2)")
    _save(report)


def _save(report: dict) -> None:
    out = ROOT / "eval" / "results"
    out.mkdir(parents=True, exist_ok=True)
    # sacrebleu reports its CIs as numpy float32
    (out / "sacrebleu_parity.json").write_text(json.dumps(report, indent=1, default=float))
    (out / "sacrebleu_parity.md").write_text(_markdown(report))


def _markdown(report: dict) -> str:
    worst = report["max_abs_diff"]
    lines = [
        "# sacrebleu parity and overhead (eval/sacrebleu_parity.py)",
        "",
        "WMT22 de-en, 9 systems, 1,984 segments; mtqa's scoring vs sacrebleu 2.6.0's Python API (PairedTest).",
        "",
        f"- max |score difference| over BLEU, chrF2, chrF2++, TER, refs A and A+B: {worst['score']:.6f}",
        f"- max |95% CI half-width difference|: {worst['ci']:.6f} (sacrebleu resamples in float32, mtqa in float64)",
        f"- max |paired bootstrap p-value difference| (seed 12345, 1,000 resamples): {worst['p_value']:.6f}",
    ]
    if "ar" in report:
        ar = report["ar"]
        lines.append(f"- max |approximate randomization p-value difference| (10,000 trials, ref A): {ar['max_abs_p_diff']:.6f}")
    lines += ["", "| refs | system | metric | mtqa | sacrebleu | p (mtqa) | p (sacrebleu) |", "|---|---|---|---|---|---|---|"]
    for label, rows in report["parity"].items():
        for r in rows:
            p1 = "" if r["p_mtqa"] is None else f"{r['p_mtqa']:.4f}"
            p2 = "" if r["p_sacrebleu"] is None else f"{r['p_sacrebleu']:.4f}"
            lines.append(f"| {label} | {r['system']} | {r['metric']} | {r['mtqa']:.2f} | {r['sacrebleu']:.2f} | {p1} | {p2} |")
    t = report.get("timing")
    if t:
        lines += ["", f"Overhead ({', '.join(t['metrics'])}, corpus scores + CIs + paired bootstrap for 9 systems, ref A):", ""]
        lines += [f"- run {i + 1}: sacrebleu {a:.1f} s, mtqa {b:.1f} s, ratio {r:.3f}" for i, (a, b, r) in enumerate(zip(t["sacrebleu_s"], t["mtqa_s"], t["ratios"]))]
        lines.append(f"- median ratio mtqa / sacrebleu: **{t['median_ratio']:.3f}** (target <= 1.2)")
    return "\n".join(lines) + "\n"


def _ter_pair(base: Path, pair: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    d = base / pair
    hyps = {p.name.split(".hyp.")[1][: -len(".en")]: read(p) for p in sorted(d.glob(f"generaltest2022.{pair}.hyp.*.en"))}
    refs = {p.name.split(".ref.")[1][: -len(".en")]: read(p) for p in sorted(d.glob(f"generaltest2022.{pair}.ref.*.en"))}
    return hyps, refs


def _ter_units(hyps: dict[str, list[str]]) -> list[tuple[int, str]]:
    """Distinct (unit, hypothesis) pairs over all systems, in system then unit order."""
    seen: dict[tuple[int, str], None] = {}
    for lines in hyps.values():
        for i, h in enumerate(lines):
            seen.setdefault((i, h), None)
    return list(seen)


def ter_parity(args) -> None:
    base = data_dir(args.data).parent
    report: dict = {"parity": [], "timing": []}
    worst = 0.0
    differing = 0
    for pair in args.ter_pairs.split(","):
        hyps, refs = _ter_pair(base, pair)
        settings = [("A", [refs["A"]], False), ("A", [refs["A"]], True)]
        if "B" in refs:
            settings.append(("A+B", [refs["A"], refs["B"]], False))
        units = _ter_units({s: lines[: args.ter_units] if args.ter_units else lines for s, lines in hyps.items()})
        for label, ref_sets, cased in settings:
            metric = TER(references=ref_sets, case_sensitive=cased)
            fast = segment_statistics(metric)
            theirs, ours = {}, {}
            for i, h in units:
                words = metric._preprocess_segment(h)
                theirs[(i, h)] = metric._compute_segment_statistics(words, metric._ref_cache[i])
                ours[(i, h)] = fast(words, metric._ref_cache[i])
            rows_differ = sum(theirs[k] != ours[k] for k in units)
            diff = max(abs(metric._compute_score_from_stats(theirs[k]).score - metric._compute_score_from_stats(ours[k]).score) for k in units)
            config = load_config(None, {"scoring": {"metrics": ["ter"], "segment_scores": False, "document_scores": False, "confidence": False, "significance": {"tests": []}, "ter": {"case_sensitive": cased}}})
            n = args.ter_units or len(ref_sets[0])
            part = {s: lines[:n] for s, lines in hyps.items()}
            mtqa_scores, _ = score_systems(ScoringInput(part, [r[:n] for r in ref_sets], {}), config.scoring, "en")
            corpus = {s: (mtqa_scores[s]["ter"].score, metric._aggregate_and_compute([theirs[(i, h)] for i, h in enumerate(lines)]).score) for s, lines in part.items()}
            corpus_diff = max(abs(a - b) for a, b in corpus.values())
            worst = max(worst, diff, corpus_diff)
            differing += rows_differ
            case = "cased" if cased else "lowercased"
            print(f"{pair} refs {label} {case}: {len(units)} distinct segments, rows differing {rows_differ}, max |segment TER diff| {diff:.6g}, max |corpus TER diff| {corpus_diff:.6g} ({len(hyps)} systems)", flush=True)
            report["parity"].append({"pair": pair, "refs": label, "case_sensitive": cased, "segments": len(units), "systems": len(hyps), "rows_differing": rows_differ, "max_abs_segment_diff": diff, "max_abs_corpus_diff": corpus_diff, "corpus": corpus})
    report["max_abs_diff"] = worst
    report["rows_differing"] = differing

    # speed: the same tokenised segments through both, alternating, ref A
    for pair in args.ter_pairs.split(","):
        hyps, refs = _ter_pair(base, pair)
        metric = TER(references=[refs["A"]])
        items = [(metric._preprocess_segment(h), metric._ref_cache[i]) for lines in hyps.values() for i, h in enumerate(lines[: args.ter_timing_units])]
        runs = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            for words, cache in items:
                metric._compute_segment_statistics(words, cache)
            t_sb = time.perf_counter() - t0
            fast = segment_statistics(metric)  # a new one each run: its reference preparation is timed too
            t0 = time.perf_counter()
            for words, cache in items:
                fast(words, cache)
            t_ours = time.perf_counter() - t0
            runs.append({"sacrebleu_s": t_sb, "mtqa_s": t_ours, "speedup": t_sb / t_ours})
            print(f"{pair} speed: {len(items)} segments, sacrebleu {t_sb:.2f}s, mtqa {t_ours:.2f}s, x{t_sb / t_ours:.2f}", flush=True)
        report["timing"].append({"pair": pair, "segments": len(items), "runs": runs, "median_speedup": statistics.median(r["speedup"] for r in runs)})
    print(f"\nTER: {differing} rows differ, max |TER diff| {worst:.6g}; speed-up (median of {args.runs}): " + ", ".join(f"{t['pair']} x{t['median_speedup']:.2f}" for t in report["timing"]))
    out = ROOT / "eval" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ter_parity.json").write_text(json.dumps(report, indent=1))
    (out / "ter_parity.md").write_text(_ter_markdown(report, args.runs))


def _ter_markdown(report: dict, runs: int) -> str:
    lines = [
        "# TER: mtqa (pipeline/scoring/ter.py) vs sacrebleu 2.6.0, segment by segment (eval/sacrebleu_parity.py --ter-only)",
        "",
        "Every distinct (unit, hypothesis) of every WMT22 system; per-segment statistics [edits, mean reference length].",
        "",
        f"- rows that differ: **{report['rows_differing']}**; max |TER difference| (segments and corpus scores): **{report['max_abs_diff']:.6g}**",
        "",
        "| pair | refs | case | systems | distinct segments | rows differing | max segment diff | max corpus diff |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["parity"]:
        case = "cased" if r["case_sensitive"] else "lc"
        lines.append(f"| {r['pair']} | {r['refs']} | {case} | {r['systems']} | {r['segments']} | {r['rows_differing']} | {r['max_abs_segment_diff']:.6g} | {r['max_abs_corpus_diff']:.6g} |")
    lines += ["", f"Speed, ref A, per-segment statistics on the same tokenised segments, alternating (median of {runs}):", ""]
    lines += ["| pair | segments | sacrebleu s | mtqa s | speed-up |", "|---|---|---|---|---|"]
    for t in report["timing"]:
        for r in t["runs"]:
            lines.append(f"| {t['pair']} | {t['segments']} | {r['sacrebleu_s']:.2f} | {r['mtqa_s']:.2f} | x{r['speedup']:.2f} |")
        lines.append(f"| **{t['pair']} median** | | | | **x{t['median_speedup']:.2f}** |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
