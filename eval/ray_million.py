"""A 1M-pair job through Ray on this machine: driver and whole-job memory (issue 17, large inputs).

The job is line-aligned text (source, one system, one reference) built from every distinct pair the
shared data holds: WMT22 general test {de,ru,uk}-en (every system against reference A) and NTREX-128
(each of its languages into English: the translation as source, the English original as target and
reference; and English into each language: the original as source, the translation as target and
reference).  Those are repeated, each repetition with " (k)" appended to source, target and
reference, until the job has ``--pairs`` lines.  Every pair is declared de->en (one job has one
language pair): the checks run on text that is not German on the source side, which is what a
memory figure needs (the findings are not the point).

``mtqa run`` runs as a user runs it (a subprocess); a sampler reads every 0.5 s with psutil the
resident memory (RSS) of the driver (the ``mtqa run`` process) and of the whole job: the driver and
every process under it (Ray's GCS, raylet and worker processes, which a local Ray started by the
driver runs as its descendants).  RSS counts shared pages once per process, so the whole-job sum is
an upper bound.

    python eval/ray_million.py --pairs 100000 --executor local --jobs 1    # the probe
    python eval/ray_million.py --pairs 1000000 --enable A104 --progress                   # the figure: memory of the machinery
    python eval/ray_million.py --pairs 1000000 --progress --name ray_million_checks        # with six cheap families' issues

Writes eval/results/ray_million.json and .md.
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

import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "eval" / "results"


def _data() -> Path:
    return Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data")


def _lines(path: Path) -> list[str]:
    return [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]


def distinct_pairs() -> list[tuple[str, str, str]]:
    """Every distinct (source, target, reference) the WMT22 and NTREX-128 files hold, in a fixed order."""
    pairs: list[tuple[str, str, str]] = []
    for lp in ("de-en", "ru-en", "uk-en"):
        folder = _data() / "wmt22_general_test" / lp
        src_lang = lp.split("-")[0]
        src = _lines(folder / f"generaltest2022.{lp}.src.{src_lang}")
        ref = _lines(folder / f"generaltest2022.{lp}.ref.A.en")
        for hyp_path in sorted(folder.glob(f"generaltest2022.{lp}.hyp.*.en")):
            pairs += zip(src, _lines(hyp_path), ref)
    ntrex = _data() / "ntrex128_multi"
    english = _lines(ntrex / "newstest2019-src.eng.txt")
    for path in sorted(ntrex.glob("newstest2019-ref.*.txt")):
        other = _lines(path)
        pairs += zip(other, english, english)  # X -> en
        pairs += zip(english, other, other)  # en -> X
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in pairs:
        if p[0] and p[1] and p not in seen:
            seen.add(p)
            out.append(p)
    return out


def build(folder: Path, n: int) -> dict:
    base = distinct_pairs()
    folder.mkdir(parents=True, exist_ok=True)
    files = [open(folder / name, "w", encoding="utf-8") for name in ("src.txt", "hyp.txt", "ref.txt")]  # noqa: SIM115
    try:
        for i in range(n):
            k, j = divmod(i, len(base))
            for fh, text in zip(files, base[j]):
                fh.write((text if k == 0 else f"{text} ({k})") + "\n")
    finally:
        for fh in files:
            fh.close()
    return {"distinct": len(base), "pairs": n, "repetitions": -(-n // len(base))}


class Sampler(threading.Thread):
    """Peak RSS of a process (the driver) and of it with every descendant, every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.every = every
        self.driver_peak = self.total_peak = 0
        self.most_processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                if p.pid == self.proc.pid:
                    self.driver_peak = max(self.driver_peak, rss)
            self.total_peak = max(self.total_peak, total)
            self.most_processes = max(self.most_processes, len(procs))
            self.stop.wait(self.every)


def run_job(folder: Path, out: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, "-m", "pipeline", "run", str(folder / "src.txt"), str(folder / "hyp.txt"), "--ref", str(folder / "ref.txt"), "-l", "-s", "de", "-t", "en",
           "-o", str(out), "--metrics", args.metrics, "--jobs", str(args.jobs), "--executor", args.executor, "--no-cache"] + (["--progress"] if args.progress else [])
    if args.executor == "ray":
        cmd += ["--ray-address", "local"]
    if args.enable:
        cmd += ["--enable", args.enable]
    if args.no_ci:
        cmd += ["--no-ci"]
    cmd += args.extra
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    t = time.perf_counter()
    # python -m pipeline in ROOT: this checkout's code, in the driver and (Ray puts the driver's folder on their path) in the workers
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - t
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"mtqa run failed ({proc.returncode}):\n{stderr[-3000:]}")
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    return {
        "command": " ".join(cmd), "wall_s": round(wall, 1), "driver_peak_mb": round(sampler.driver_peak / 2**20), "job_peak_mb": round(sampler.total_peak / 2**20),
        "processes": sampler.most_processes, "issues": len(results["issues"]) if "issues" in results else None, "timings": results["run"].get("timings_s"),
        "output_bytes": sizes, "progress_tail": stderr.strip().splitlines()[-3:],
    }


def markdown(f: dict) -> str:
    job = f["job"]
    t = f.get("timings") or {}
    lines = [
        "# A 1M-pair job through Ray on this machine (eval/ray_million.py)",
        "",
        f"Job: {job.get('pairs', 0):,} line-aligned pairs, {job.get('distinct', 111271):,} distinct (WMT22 general test de/ru/uk-en, every system against reference A; "
        "NTREX-128 into and out of English), repeated with a \" (k)\" suffix to reach the count; declared de->en.",
        f"Checks: {f['enable']}; metrics {f['metrics']} with 1,000-resample bootstrap intervals (and paired tests when there are several systems); executor {f['executor']} "
        f"({f['jobs']} workers, a local Ray started by the run); {f['cpus']} CPUs, load average {f['load']:.1f} at the start.",
        "",
        "| driver peak RSS | whole job peak RSS (driver + Ray's processes + workers) | processes | wall | analyse | score | issues |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {f['driver_peak_mb']} MB | {f['job_peak_mb']} MB | {f['processes']} | {f['wall_s']} s | {t.get('analyse', 0):.0f} s | {t.get('score', 0):.0f} s | {f['issues']} |",
        "",
        "Outputs: " + ", ".join(f"{name} {size / 2**20:.1f} MB" for name, size in sorted(f["output_bytes"].items())),
        "",
        "Command: `" + f["command"] + "`",
        "",
        "RSS sampled every 0.5 s with psutil; the whole-job figure sums the RSS of every process, so pages they share count more than once.",
    ]
    if f.get("note"):
        lines += ["", f["note"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1_000_000)
    ap.add_argument("--executor", default="ray", choices=["local", "ray"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--enable", default="A104,A201,A202,A203,N2,L", help="the checks (cheap ones by default)")
    ap.add_argument("--metrics", default="bleu,chrf")
    ap.add_argument("--no-ci", action="store_true")
    ap.add_argument("--progress", action="store_true", help="pass --progress (a plain progress line every few seconds)")
    ap.add_argument("--work", help="keep the job and its outputs here")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("extra", nargs="*", help="more mtqa run options (after --)")
    ap.add_argument("--render", action="store_true", help="only write eval/results/NAME.md from its .json")
    ap.add_argument("--name", default="ray_million", help="the results' file name, without extension (default ray_million)")
    args = ap.parse_args()
    if args.render:
        (RESULTS / f"{args.name}.md").write_text(markdown(json.loads((RESULTS / f"{args.name}.json").read_text(encoding="utf-8"))), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="mtqa-million-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        data = work / "job"
        built = build(data, args.pairs) if not (data / "src.txt").exists() else {"pairs": args.pairs, "distinct": len(distinct_pairs()), "reused": str(data)}
        figures = {"job": built, "executor": args.executor, "jobs": args.jobs, "enable": args.enable, "metrics": args.metrics, "cpus": os.cpu_count(), "load": os.getloadavg()[0]}
        figures.update(run_job(data, work / "out", args))
    print(json.dumps(figures, indent=1))
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{args.name}.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        (RESULTS / f"{args.name}.md").write_text(markdown(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
