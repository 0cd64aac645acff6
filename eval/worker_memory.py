"""Peak memory of each process of a parallel run: the driver and its workers (issue 19, item 4).

``mtqa run --jobs N`` loads the check resources in the driver, then forks its workers, which share
those pages until they write to them (pipeline/engine.py); prepared tables (pipeline/prepared.py) are
memory-mapped files that every process shares.  A worker's resident size (RSS) counts shared pages in
full, so it says little about what one more worker costs; this benchmark samples every process of
the run from /proc (``smaps_rollup``) every 0.1 s and reports per process the peaks of:

- RSS: resident pages, shared ones included (what ``top`` shows);
- PSS: proportional set size, each shared page divided among the processes that map it;
- private (USS): pages no other process maps: what one more worker costs.

Input: WMT22 de-en, the first ``--systems`` systems as one TSV of distinct pairs (the pairs of
eval/speed_checks.py), every check but the LM (F4) and the embedding rules (A5, A604), no cache.

    python eval/worker_memory.py [--systems 3] [--jobs 2] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fluency_data import write_summary
from speed_checks import HEAVY, distinct_pairs, write_inputs  # the same pairs as the speed benchmark

ROOT = Path(__file__).resolve().parents[1]


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            todo.append(child)
    return found


def memory(pid: int) -> dict[str, float] | None:
    """RSS, PSS and private memory of a process in MB (None once it has gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            kb[name] = int(rest.split()[0])
    return {"rss": kb.get("Rss", 0) / 1024, "pss": kb.get("Pss", 0) / 1024, "private": (kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pairs = distinct_pairs(args.systems)
    peaks: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="worker_memory_") as tmp:
        folder = Path(tmp)
        tsv, _ = write_inputs(pairs, folder)
        command = [sys.executable, "-m", "pipeline", "run", str(tsv), "--src-lang", "de", "--tgt-lang", "en", "--disable", HEAVY,
                   "--jobs", str(args.jobs), "--no-cache", "-q", "-o", str(folder / "out")]
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        while proc.poll() is None:
            for pid in [proc.pid, *descendants(proc.pid)]:
                found = memory(pid)
                if found is not None:
                    peak = peaks.setdefault(pid, dict.fromkeys(found, 0.0))
                    for key, value in found.items():
                        peak[key] = max(peak[key], value)
            time.sleep(0.1)
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            sys.exit(f"eval: mtqa exited {proc.returncode}: {proc.stderr.read().decode()[-400:] if proc.stderr else ''}")
    driver = peaks.pop(proc.pid)
    workers = sorted(peaks.values(), key=lambda p: -p["rss"])[: args.jobs]  # the pool's workers (a resource tracker may also show)
    lines = [
        "# Peak memory per process of a parallel run (eval/worker_memory.py)",
        "",
        f"WMT22 de-en, {len(pairs):,} distinct pairs, `mtqa run --jobs {args.jobs}`, every check but {HEAVY}, no cache; "
        f"/proc sampled every 0.1 s; {wall:.0f} s wall.  Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        "",
        "| process | peak RSS MB | peak PSS MB | peak private (USS) MB |",
        "|---|---:|---:|---:|",
        f"| driver (loads the resources, then forks) | {driver['rss']:.0f} | {driver['pss']:.0f} | {driver['private']:.0f} |",
    ]
    lines += [f"| worker {k + 1} | {w['rss']:.0f} | {w['pss']:.0f} | {w['private']:.0f} |" for k, w in enumerate(workers)]
    lines += ["", "Goal (issue 19): peak memory per worker <= 300 MB without the LM."]
    print("\n".join(lines))
    if not args.no_write:
        write_summary("worker_memory", lines[0].removeprefix("# "), lines[2:], {"driver": driver, "workers": workers, "pairs": len(pairs), "jobs": args.jobs, "wall_s": wall})


if __name__ == "__main__":
    main()
