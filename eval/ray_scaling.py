"""Ray executor scaling: the same WMT22 de-en job local (worker processes) and on Ray with 1 and 2 workers.

Each configuration runs ``mtqa run`` as users do (a subprocess, fresh output, no cache), ``--runs``
times; the table gives the median wall time and analyse time, pairs/s and Ray's overhead against the
local run with as many workers.  Every Ray run's results.json (all but the run's timings and the
execution settings), issues.jsonl and segments.parquet are compared with the local run's.

The Ray runs start their own Ray on this machine (``--ray-address local``: ``--jobs`` CPUs, bound to
this machine, shut down at the end), so the wall time includes starting it, as a user's run would.

    python eval/ray_scaling.py                     # all 9 systems, all lines, checks but the LM, BLEU + chrF, median of 3
    python eval/ray_scaling.py --lines 300 --runs 1 --disable F4,A5,A6   # a quick look, without the model-heavy checks

Data: ../shared/data/wmt22_general_test/de-en (or $MTQA_DATA_DIR/wmt22_general_test/de-en).
Writes eval/results/ray_scaling.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
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


def data_dir() -> Path:
    base = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"
    if not base.exists():
        sys.exit(f"eval: WMT22 de-en not found at {base} (set MTQA_DATA_DIR)")
    return base


def job_folder(tmp: Path, lines: int | None) -> Path:
    """The test set folder (source, reference A, every system), cut to ``lines`` lines when asked."""
    folder = tmp / "de-en"
    folder.mkdir()
    for path in sorted(data_dir().glob("generaltest2022.de-en.*")):
        if ".ref.B." in path.name:
            continue
        if lines is None:
            (folder / path.name).symlink_to(path)
        else:
            (folder / path.name).write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:lines]) + "\n", encoding="utf-8")
    return folder


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
    ap.add_argument("--lines", type=int, help="first N lines of the test set (default: all)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--disable", default="F4", help="rules switched off (default F4, the LM)")
    args = ap.parse_args()
    report: dict = {"lines": args.lines, "runs": args.runs, "disabled": args.disable, "configs": []}
    with tempfile.TemporaryDirectory(prefix="mtqa-ray-scaling-") as tmp_name:
        tmp = Path(tmp_name)
        folder = job_folder(tmp, args.lines)
        n_lines = len((folder / "generaltest2022.de-en.src.de").read_text(encoding="utf-8").splitlines())
        n_systems = len(list(folder.glob("*.hyp.*")))
        report["pairs"] = n_lines * n_systems
        reference = None
        for executor, jobs, extra in CONFIGS:
            runs = []
            for k in range(args.runs):
                out = tmp / f"{executor}{jobs}-{k}"
                runs.append(measure(folder, out, jobs, extra, args.disable))
                print(f"{executor} {jobs} worker(s), run {k + 1}: {runs[-1]}", flush=True)
                if reference is None:
                    reference = comparable(out)
                else:
                    got = comparable(out)
                    identical = got[0] == reference[0] and got[1] == reference[1] and got[2].equals(reference[2])
                    runs[-1]["identical_to_local"] = identical
            wall = statistics.median(r["wall_s"] for r in runs)
            analyse = statistics.median(r["analyse_s"] for r in runs)
            report["configs"].append({"executor": executor, "workers": jobs, "runs": runs, "wall_s": wall, "analyse_s": analyse, "pairs_per_s": round(report["pairs"] / analyse, 1)})
    local = report["configs"][0]
    for c in report["configs"][1:]:
        same = next(x for x in report["configs"] if x["executor"] == "local" and x["workers"] == c["workers"]) if c["workers"] == local["workers"] else None
        if same is not None:
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
        f"WMT22 de-en, {report['pairs']} segment pairs ({span}, every system, reference A), "
        f"all checks but {report['disabled']}, BLEU + chrF, no CIs or tests, fresh runs without cache; median of {report['runs']}. "
        f"Ray: a local Ray started by the run (--ray-address local), its start-up included. {report['machine']['cpus']} cores, load average at the end {report['machine']['load_avg_at_end']}.",
        "",
        "| executor | workers | wall s (median) | analyse s (median) | pairs/s | overhead vs local, same workers | identical outputs | runs (wall s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in report["configs"]:
        identical = "reference" if c["executor"] == "local" else ("yes" if all(r.get("identical_to_local") for r in c["runs"]) else "**no**")
        overhead = f"{c['overhead_vs_local_pct']:+.1f}%" if "overhead_vs_local_pct" in c else "-"
        lines.append(f"| {c['executor']} | {c['workers']} | {c['wall_s']} | {c['analyse_s']} | {c['pairs_per_s']} | {overhead} | {identical} | {[r['wall_s'] for r in c['runs']]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
