"""A scaling curve of a batch run's cost per pair: 5k, 50k and every distinct pair there is (issue 19).

The pairs: every distinct (source, MT, reference) of the WMT22 de/ru/uk-en systems and NTREX-128 in both
directions (eval/ray_million.py's ``distinct_pairs``: about 111k), shuffled once (seed 1) so that every size
draws the same mix of languages and lengths; each size is a prefix.  No pair repeats, so no findings memo
or cache can help a larger run.  500k distinct pairs, as the issue asks, do not exist in the shared data:
the curve ends at all of them.

Each size: ``mtqa run`` on line-aligned text declared de->en, ``--jobs 2``, every check but the LM and the
embedding rules (F4, A5, A604, as eval/speed_checks.py), BLEU and chrF with their bootstrap intervals, no
cache.  Measured: wall seconds, CPU seconds of the run and every process it waited for (os.wait4), the peak
RSS of its largest process, and the peak of all its processes' PSS summed (/proc, every 0.2 s).  The cost per
pair must stay within 15% from 5k to the largest size.

    python eval/scaling_checks.py [--sizes 5000,50000,0] [--jobs 2] [--no-write]   # 0: every distinct pair
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from fluency_data import write_summary
from ray_million import distinct_pairs
from speed_checks import HEAVY
from worker_memory import descendants, memory

ROOT = Path(__file__).resolve().parents[1]


class PssSampler(threading.Thread):
    """The peak of the summed PSS of a process and its descendants, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            found = [memory(p) for p in [self.pid, *descendants(self.pid)]]
            self.peak = max(self.peak, sum(m["pss"] for m in found if m))


def write_job(pairs: list[tuple[str, str, str]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(("src.txt", "hyp.txt", "ref.txt")):
        (folder / name).write_text("".join(p[k] + "\n" for p in pairs), encoding="utf-8")


def run_size(pairs: list[tuple[str, str, str]], folder: Path, jobs: int) -> dict[str, float]:
    write_job(pairs, folder)
    command = [sys.executable, "-m", "pipeline", "run", str(folder / "src.txt"), str(folder / "hyp.txt"), "--ref", str(folder / "ref.txt"),
               "-l", "-s", "de", "-t", "en", "--disable", HEAVY, "--metrics", "bleu,chrf", "--jobs", str(jobs), "--no-cache", "-q", "-o", str(folder / "out")]
    wall = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = PssSampler(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - wall
    sampler.stop.set()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"eval: mtqa exited {code}: {proc.stderr.read().decode()[-400:] if proc.stderr else ''}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"pairs": len(pairs), "wall_s": wall, "cpu_s": cpu, "peak_rss_mb": usage.ru_maxrss / 1024, "peak_pss_sum_mb": sampler.peak,
            "ms_cpu_per_pair": 1000 * cpu / len(pairs), "pairs_per_s": len(pairs) / wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,50000,0", help="pairs per run; 0: every distinct pair")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pool = distinct_pairs()
    random.Random(1).shuffle(pool)
    sizes = [int(s) or len(pool) for s in args.sizes.split(",")]
    before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = []
    with tempfile.TemporaryDirectory(prefix="scaling_") as tmp:
        for n in sizes:
            results.append(run_size(pool[:n], Path(tmp) / str(n), args.jobs))
            r = results[-1]
            print(f"{n:,} pairs: {r['wall_s']:.0f} s wall, {r['cpu_s']:.0f} CPU s, {r['ms_cpu_per_pair']:.2f} ms CPU a pair, peak RSS {r['peak_rss_mb']:.0f} MB, PSS sum {r['peak_pss_sum_mb']:.0f} MB", flush=True)
    base = results[0]["ms_cpu_per_pair"]
    spread = max(abs(r["ms_cpu_per_pair"] / base - 1) for r in results)
    lines = [
        f"Every distinct pair of WMT22 de/ru/uk-en and NTREX-128 both ways ({len(pool):,}), shuffled once, a prefix per size; line-aligned, "
        f"declared de->en; `mtqa run --jobs {args.jobs}`, every check but {HEAVY}, BLEU and chrF with bootstrap intervals, no cache. "
        f"Load average before: {before}, after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        "",
        "| pairs | wall s | pairs/s | CPU s | ms CPU a pair | peak RSS of the largest process MB | peak PSS of all processes MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *[f"| {r['pairs']:,} | {r['wall_s']:.0f} | {r['pairs_per_s']:.0f} | {r['cpu_s']:.0f} | {r['ms_cpu_per_pair']:.2f} | {r['peak_rss_mb']:.0f} | {r['peak_pss_sum_mb']:.0f} |" for r in results],
        "",
        f"Cost per pair (CPU) against the smallest run: at most {spread:.0%} apart (goal: within 15%). 500k distinct pairs do not exist in the shared data.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_summary("scaling_checks", "Scaling of a batch run's cost per pair (eval/scaling_checks.py)", lines, {"distinct": len(pool), "jobs": args.jobs, "runs": results, "spread": spread})


if __name__ == "__main__":
    main()
