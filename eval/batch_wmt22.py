"""Batch evaluation benchmark: WMT22 general test sets (de-en, ru-en, uk-en), all systems.

For each language pair, `mtqa run <wmt folder>` (scores + every check that exists, LM off) is run as
users run it, in a subprocess, with a fresh cache; the script reports wall time, the engine's stage
timings, peak memory of the whole process tree (sampled from /proc), throughput in segment pairs
per second, and a second, cached run. Memory is the sum of the proportional set sizes (PSS) of
the process and its workers, so pages the forked workers share with the parent count once. It then correlates system-level BLEU, chrF and the MQM-style
score with the WMT22 human DA z-scores (Kendall tau, Pearson r).

    python eval/batch_wmt22.py [--pairs de-en,ru-en,uk-en] [--jobs 2] [--metrics bleu,chrf,chrf++,ter]
    python eval/batch_wmt22.py --throughput      # checks + segment BLEU and chrF only (the 1,000 pairs/s target)
    python eval/batch_wmt22.py --million         # 1M-pair synthetic job (WMT22 de-en repeated), memory ceiling

Data: ../shared/data/wmt22_general_test (or $MTQA_DATA_DIR/wmt22_general_test).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "eval" / "results"


def data_dir() -> Path:
    base = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test"
    if not base.exists():
        sys.exit(f"eval: WMT22 data not found at {base} (set MTQA_DATA_DIR)")
    return base


def _pss(pid: int) -> int | None:
    """Proportional set size: pages shared by forked workers counted once across the tree."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _tree_rss(pid: int) -> int:
    """Memory (bytes) of a process and all its descendants: the sum of their proportional set
    sizes (resident size where that is not available)."""
    total = 0
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    stack = [pid]
    while stack:
        p = stack.pop()
        pss = _pss(p) if p in rss else None
        total += pss if pss is not None else rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run a command, sampling the process tree's memory every second (reading smaps every 0.2 s
    took 15% of a core, which the measured run then lacked)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"eval: {' '.join(cmd)} failed ({proc.returncode}): {err.strip()[-2000:]}")
    return {"wall_s": wall, "peak_rss_mb": peak[0] / 2**20, "stdout": out, "stderr": err}


def mtqa(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def kendall_tau(x: list[float], y: list[float]) -> float:
    n = len(x)
    concordant = discordant = 0
    for i in range(n):
        for j in range(i + 1, n):
            s = (x[i] - x[j]) * (y[i] - y[j])
            concordant += s > 0
            discordant += s < 0
    pairs = n * (n - 1) / 2
    return (concordant - discordant) / pairs if pairs else float("nan")


def pearson(x: list[float], y: list[float]) -> float:
    import numpy as np

    return float(np.corrcoef(x, y)[0, 1])


def human_z(folder: Path, pair: str) -> dict[str, float]:
    out = {}
    for line in (folder / f"humanDA.ad-sys-ranking-{pair}-z.csv").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5:
            out[parts[4].rsplit(".", 1)[0]] = float(parts[1])
    return out


def correlations(results: dict, human: dict[str, float]) -> dict:
    systems = [s for s in results["job"]["systems"] if s in human]
    table = {}
    for label, get in (
        ("BLEU", lambda s: results["systems"][s]["scores"]["bleu"]["score"]),
        ("chrF", lambda s: results["systems"][s]["scores"]["chrf"]["score"]),
        ("MQM-style", lambda s: results["systems"][s]["mqm"]["score"]),
    ):
        try:
            xs = [get(s) for s in systems]
        except KeyError:
            continue
        ys = [human[s] for s in systems]
        table[label] = {"kendall_tau": kendall_tau(xs, ys), "pearson": pearson(xs, ys), "systems": len(systems)}
    return table


def full_runs(pairs: list[str], jobs: int, metrics: str) -> dict:
    report = {}
    for pair in pairs:
        folder = data_dir() / pair
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            args = ["run", str(folder), "-o", str(out), "--jobs", str(jobs), "--metrics", metrics, "--disable", "F4", "-q"]
            first = run_measured(mtqa(args))
            results = json.loads((out / "results.json").read_text())
            again = run_measured(mtqa(args))
            n_sys = len(results["job"]["systems"])
            n_seg = len(results["documents"][0]["source"])
            timings = results["run"]["timings_s"]
            entry = {
                "systems": n_sys,
                "segments": n_seg,
                "pairs": n_sys * n_seg,
                "wall_s": round(first["wall_s"], 1),
                "analyse_s": timings.get("analyse"),
                "score_aggregate_s": timings.get("score"),
                "pairs_per_s_analyse": round(n_sys * n_seg / timings["analyse"], 1) if timings.get("analyse") else None,
                "peak_rss_mb": round(first["peak_rss_mb"]),
                "cached_rerun_wall_s": round(again["wall_s"], 1),
                "issues": len(results["issues"]),
                "issues_by_code": _count_codes(results["issues"]),
                "notes": results["notes"],
                "correlation_with_human_da": correlations(results, human_z(folder, pair)),
                "scores": {s: {k: v["score"] for k, v in results["systems"][s]["scores"].items()} | {"mqm": results["systems"][s]["mqm"].get("score")} for s in results["job"]["systems"]},
            }
            report[pair] = entry
            print(f"\n== {pair}: {n_sys} systems x {n_seg} segments, metrics {metrics}, jobs {jobs} ==")
            print(f"wall {entry['wall_s']} s (analyse {entry['analyse_s']} s = {entry['pairs_per_s_analyse']} pairs/s; comparison+significance {entry['score_aggregate_s']} s), peak RSS {entry['peak_rss_mb']} MB, cached rerun {entry['cached_rerun_wall_s']} s")
            print(f"issues: {entry['issues']} {entry['issues_by_code']}")
            for label, c in entry["correlation_with_human_da"].items():
                print(f"  {label:<10} Kendall tau {c['kendall_tau']:+.3f}   Pearson {c['pearson']:+.3f}   ({c['systems']} systems)")
    return report


def _count_codes(issues: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in issues:
        counts[i["code"]] = counts.get(i["code"], 0) + 1
    return dict(sorted(counts.items()))


def throughput(jobs: int, runs: int = 3) -> dict:
    """Checks (all but the LM) + segment BLEU and chrF on WMT22 de-en, with both references and
    with reference A only; the median of ``runs`` fresh runs (the cores are shared, so single runs
    vary by about 10%)."""
    folder = data_dir() / "de-en"
    entry: dict = {"jobs": jobs, "runs": runs}
    with tempfile.TemporaryDirectory() as tmp:
        one_ref = Path(tmp) / "de-en-refA"
        one_ref.mkdir()
        for path in folder.glob("generaltest2022.*"):
            if ".ref.B." not in path.name:
                (one_ref / path.name).symlink_to(path)
        for label, job in (("refs A+B", folder), ("ref A", one_ref)):
            measured = []
            for k in range(runs):
                out = Path(tmp) / f"out{k}"
                args = ["run", str(job), "-o", str(out), "--jobs", str(jobs), "--metrics", "bleu,chrf", "--disable", "F4", "--tests", "none", "--no-ci", "-q", "--no-cache"]
                r = run_measured(mtqa(args))
                results = json.loads((out / "results.json").read_text())
                t = results["run"]["timings_s"]
                measured.append((t["analyse"], t.get("load_resources", 0.0), r["wall_s"], r["peak_rss_mb"]))
            n = len(results["job"]["systems"]) * len(results["documents"][0]["source"])
            analyse, load, wall, rss = sorted(measured)[len(measured) // 2]
            entry[label] = {
                "pairs": n,
                "analyse_s": [round(m[0], 2) for m in measured],
                "pairs_per_s": round(n / analyse, 1),
                "load_resources_s": round(load, 2),
                "pairs_per_s_after_loading": round(n / (analyse - load), 1),
                "wall_s": round(wall, 1),
                "peak_rss_mb": round(rss),
            }
            e = entry[label]
            print(f"\nthroughput, {label} (checks + segment BLEU + chrF, WMT22 de-en, {jobs} jobs, median of {runs}): {n} pairs, analyse {e['analyse_s']} s = "
                  f"{e['pairs_per_s']} pairs/s; {e['pairs_per_s_after_loading']} pairs/s after the {load:.1f} s one-off loading (wall {e['wall_s']} s)")
    return entry


def million(jobs: int, n_target: int = 1_000_000) -> dict:
    folder = data_dir() / "de-en"
    src = (folder / "generaltest2022.de-en.src.de").read_text().splitlines()
    hyp = (folder / "generaltest2022.de-en.hyp.Online-B.en").read_text().splitlines()
    ref = (folder / "generaltest2022.de-en.ref.A.en").read_text().splitlines()
    reps = -(-n_target // len(src))
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for name, lines in (("big.src.de", src), ("big.hyp.Online-B.en", hyp), ("big.ref.A.en", ref)):
            with (t / name).open("w") as fh:
                for _ in range(reps):
                    fh.write("\n".join(lines) + "\n")
        n = reps * len(src)
        out = t / "out"
        args = ["run", str(t / "big.src.de"), str(t / "big.hyp.Online-B.en"), "--ref", str(t / "big.ref.A.en"), "-s", "de", "-t", "en", "--line-aligned",
                "-o", str(out), "--jobs", str(jobs), "--metrics", "bleu,chrf", "--disable", "F4", "--shard-size", "5000", "-q"]
        r = run_measured(mtqa(args))
        results = json.loads((out / "results.json").read_text())
        sizes = {p.name: round(p.stat().st_size / 2**20, 1) for p in out.iterdir() if p.is_file()}
    entry = {"pairs": n, "wall_s": round(r["wall_s"], 1), "peak_rss_mb": round(r["peak_rss_mb"]), "timings_s": results["run"]["timings_s"], "output_mb": sizes, "issues": len(results["issues"]), "jobs": jobs}
    print(f"\n1M-pair job: {n} pairs, wall {entry['wall_s']} s, peak RSS (process tree) {entry['peak_rss_mb']} MB, outputs {sizes}")
    return entry


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", default="de-en,ru-en,uk-en")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--metrics", default="bleu,chrf,chrf++,ter")
    ap.add_argument("--throughput", action="store_true")
    ap.add_argument("--million", action="store_true")
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "batch_wmt22.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    if args.throughput:
        report["throughput"] = throughput(args.jobs)
    elif args.million:
        report["million"] = million(args.jobs)
    else:
        report.setdefault("full", {}).update(full_runs(args.pairs.split(","), args.jobs, args.metrics))
    report["machine"] = {"cpus": os.cpu_count(), "load_avg_at_end": os.getloadavg()}
    path.write_text(json.dumps(report, indent=1))
    (RESULTS / "batch_wmt22.md").write_text(markdown(report))


def markdown(report: dict) -> str:
    lines = ["# Batch evaluation runs (eval/batch_wmt22.py)", ""]
    full = report.get("full", {})
    if full:
        lines += ["Full runs, every check except the LM, 2 worker processes, fresh cache:", "",
                  "| pair | systems x segments | wall s | analyse s | pairs/s | comparison + significance s | peak RSS MB | cached rerun s | issues |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for pair, e in full.items():
            lines.append(f"| {pair} | {e['systems']} x {e['segments']} | {e['wall_s']} | {e['analyse_s']} | {e['pairs_per_s_analyse']} | {e['score_aggregate_s']} | {e['peak_rss_mb']} | {e['cached_rerun_wall_s']} | {e['issues']} |")
        lines += ["", "System-level correlation with WMT22 human DA z-scores:", "", "| pair | metric | Kendall tau | Pearson r | systems |", "|---|---|---|---|---|"]
        for pair, e in full.items():
            for metric, c in e["correlation_with_human_da"].items():
                lines.append(f"| {pair} | {metric} | {c['kendall_tau']:+.3f} | {c['pearson']:+.3f} | {c['systems']} |")
    if "throughput" in report:
        t = report["throughput"]
        lines += ["", f"Throughput, checks (all but the LM) + segment BLEU + chrF, WMT22 de-en, {t['jobs']} workers, median of {t.get('runs', 1)} fresh runs:", "",
                  "| references | pairs | analyse s (runs) | pairs/s | one-off resource loading s | pairs/s after loading | wall s | peak memory MB |", "|---|---|---|---|---|---|---|---|"]
        for label in ("refs A+B", "ref A"):
            if label in t:
                e = t[label]
                lines.append(f"| {label} | {e['pairs']} | {e['analyse_s']} | **{e['pairs_per_s']}** | {e['load_resources_s']} | {e['pairs_per_s_after_loading']} | {e['wall_s']} | {e['peak_rss_mb']} |")
    if "million" in report:
        m = report["million"]
        lines += ["", f"1M-pair job (WMT22 de-en Online-B repeated, BLEU + chrF, all checks but the LM, {m['jobs']} workers): "
                  f"{m['pairs']} pairs, wall {m['wall_s']} s, peak RSS of the process tree **{m['peak_rss_mb']} MB**, timings {m['timings_s']}, outputs (MB) {m['output_mb']}, {m['issues']} issues."]
    load = report.get("machine", {}).get("load_avg_at_end")
    if load:
        lines += ["", f"Machine: {report['machine']['cpus']} CPUs; load average at the end {load[0]:.2f}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
