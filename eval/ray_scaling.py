"""Ray executor scaling: the same WMT22 X->en jobs local (worker processes) and on Ray with 1 and 2 workers.

The job is every distinct pair of the WMT22 general test into English that the shared data holds:
de-en (9 systems, and reference B as a tenth "system", scored against reference A), ru-en and uk-en
(10 systems each): 60,180 segment pairs in three test sets.  (The issue asked for 60,000 distinct pairs
of the 9 de-en systems; those are 17,856, so the other two X->en sets make up the count.)  One mtqa run
has one language pair, so a configuration's time is the sum of its three runs.

Each configuration runs ``mtqa run`` as users do (a subprocess, fresh output, no cache), ``--runs``
times; the rounds are interleaved (local, Ray 1, Ray 2, then again) so that a change in the machine's
load falls on every configuration alike.  The table gives the median wall and analyse time, pairs/s and
Ray's overhead against the local run with as many workers.  Every Ray run's results.json (all but the
run's timings and the execution settings), issues.jsonl and segments.parquet are compared with the
first local run's.

The Ray runs start their own Ray on this machine (``--ray-address local``: ``--jobs`` CPUs, bound to
this machine, shut down at the end), so the wall time includes starting it, as a user's run would.

    python eval/ray_scaling.py                     # all three sets, all lines, checks but the LM, BLEU + chrF, median of 3
    python eval/ray_scaling.py --sets de-en --lines 300 --runs 1 --disable F4,A5,A6   # a quick look

Data: ../shared/data/wmt22_general_test/{de,ru,uk}-en (or $MTQA_DATA_DIR/wmt22_general_test/...).
Writes eval/results/ray_scaling.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "eval" / "results"
CONFIGS = [("local", 2, ["--executor", "local"]), ("ray", 1, ["--executor", "ray", "--ray-address", "local"]), ("ray", 2, ["--executor", "ray", "--ray-address", "local"])]


def data_dir(pair: str) -> Path:
    base = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / pair
    if not base.exists():
        sys.exit(f"eval: WMT22 {pair} not found at {base} (set MTQA_DATA_DIR)")
    return base


def job_folder(tmp: Path, pair: str, lines: int | None) -> tuple[Path, int]:
    """The test set folder (source, reference A, every system; a reference B as one more system),
    cut to ``lines`` lines when asked, and its number of segment pairs."""
    folder = tmp / pair
    folder.mkdir()
    for path in sorted(data_dir(pair).glob(f"generaltest2022.{pair}.*")):
        name = path.name.replace(".ref.B.", ".hyp.reference-B.")  # a distinct human translation, scored like a system
        if lines is None:
            (folder / name).symlink_to(path)
        else:
            (folder / name).write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:lines]) + "\n", encoding="utf-8")
    n_lines = len(next(folder.glob("*.src.*")).read_text(encoding="utf-8").splitlines())
    return folder, n_lines * len(list(folder.glob("*.hyp.*")))


def comparable(out: Path) -> tuple:
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    results.pop("run")
    results["config"].pop("execution")
    results["config"]["output"].pop("dir")
    return results, (out / "issues.jsonl").read_bytes(), pq.read_table(out / "segments.parquet")


def measure(folder: Path, out: Path, jobs: int, extra: list[str], disable: str) -> dict:
    args = [sys.executable, "-m", "pipeline", "run", str(folder), "-o", str(out), "--jobs", str(jobs), "--metrics", "bleu,chrf", "--disable", disable, "--tests", "none", "--no-ci", "-q", "--no-cache", *extra]
    t = time.perf_counter()
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, RAY_USAGE_STATS_ENABLED="0"))
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"eval: mtqa run failed ({' '.join(extra)}): {r.stderr[-2000:]}")
    timings = json.loads((out / "results.json").read_text(encoding="utf-8"))["run"]["timings_s"]
    return {"wall_s": round(wall, 2), "analyse_s": timings["analyse"], "ray_connect_s": timings.get("ray_connect")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="de-en,ru-en,uk-en", help="WMT22 test sets (default: the three into English)")
    ap.add_argument("--lines", type=int, help="first N lines of each test set (default: all)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--disable", default="F4", help="rules switched off (default F4, the LM)")
    args = ap.parse_args()
    sets = args.sets.split(",")
    report: dict = {"sets": sets, "lines": args.lines, "runs": args.runs, "disabled": args.disable, "configs": []}
    with tempfile.TemporaryDirectory(prefix="mtqa-ray-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        folders = {pair: job_folder(tmp, pair, args.lines) for pair in sets}
        report["pairs_per_set"] = {pair: n for pair, (_, n) in folders.items()}
        report["pairs"] = sum(report["pairs_per_set"].values())
        runs: dict[tuple[str, int], list[dict]] = {(executor, jobs): [] for executor, jobs, _ in CONFIGS}
        reference: dict[str, tuple] = {}
        for k in range(args.runs):  # interleaved: every configuration once per round
            for executor, jobs, extra in CONFIGS:
                total = {"wall_s": 0.0, "analyse_s": 0.0, "identical_to_local": True}
                for pair, (folder, _) in folders.items():
                    out = tmp / f"{executor}{jobs}-{k}-{pair}"
                    one = measure(folder, out, jobs, extra, args.disable)
                    total["wall_s"] += one["wall_s"]
                    total["analyse_s"] += one["analyse_s"]
                    if pair not in reference:
                        reference[pair] = comparable(out)
                    else:
                        got, ref = comparable(out), reference[pair]
                        total["identical_to_local"] &= got[0] == ref[0] and got[1] == ref[1] and got[2].equals(ref[2])
                    shutil.rmtree(out)
                total = {key: round(value, 2) if isinstance(value, float) else value for key, value in total.items()}
                runs[executor, jobs].append(total)
                print(f"round {k + 1}: {executor} {jobs} worker(s): {total}", flush=True)
        for (executor, jobs), done in runs.items():
            wall = statistics.median(r["wall_s"] for r in done)
            analyse = statistics.median(r["analyse_s"] for r in done)
            report["configs"].append({"executor": executor, "workers": jobs, "runs": done, "wall_s": wall, "analyse_s": analyse, "pairs_per_s": round(report["pairs"] / analyse, 1)})
    for c in report["configs"]:
        same = next((x for x in report["configs"] if x["executor"] == "local" and x["workers"] == c["workers"]), None)
        if c["executor"] != "local" and same is not None:
            c["overhead_vs_local_pct"] = round(100 * (c["wall_s"] - same["wall_s"]) / same["wall_s"], 1)
    report["machine"] = {"cpus": os.cpu_count(), "load_avg_at_end": [round(x, 1) for x in os.getloadavg()]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ray_scaling.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (RESULTS / "ray_scaling.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))


def markdown(report: dict) -> str:
    span = "all lines" if report["lines"] is None else f"first {report['lines']} lines"
    lines = [
        "# Ray executor scaling (eval/ray_scaling.py)",
        "",
        f"WMT22 {', '.join(f'{pair} ({n})' for pair, n in report['pairs_per_set'].items())}: {report['pairs']} distinct segment pairs "
        f"({span}, every system and a reference B as one more, scored against reference A; one run per set, a configuration's time is their sum), "
        f"all checks but {report['disabled']}, BLEU + chrF, no CIs or tests, fresh runs without cache; median of {report['runs']} interleaved rounds. "
        f"Ray: a local Ray started by the run (--ray-address local), its start-up included. {report['machine']['cpus']} cores, load average at the end {report['machine']['load_avg_at_end']}.",
        "",
        "| executor | workers | wall s (median) | analyse s (median) | pairs/s | overhead vs local, same workers | identical to the first local run | runs (wall s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in report["configs"]:
        identical = "yes" if all(r["identical_to_local"] for r in c["runs"]) else "**no**"
        overhead = f"{c['overhead_vs_local_pct']:+.1f}%" if "overhead_vs_local_pct" in c else "-"
        lines.append(f"| {c['executor']} | {c['workers']} | {c['wall_s']} | {c['analyse_s']} | {c['pairs_per_s']} | {overhead} | {identical} | {[r['wall_s'] for r in c['runs']]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
