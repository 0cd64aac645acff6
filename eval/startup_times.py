"""Start-up times of mtqa's commands against the sacrebleu CLI on a one-sentence input (issue 19).

Every command runs in its own process, rounds interleaved (each round runs every command once in a
fixed order), median of ``--rounds`` (5).  Measured per command: wall seconds, CPU seconds of the
process and its children, and peak resident memory (os.wait4).  The machine is shared, so the CPU
seconds are the steadier figure; the load average is printed before and after.

Commands (one sentence of the bundled seed article, examples/seed: German source, English MT, and
its reference):
- ``sacrebleu``: the sacrebleu CLI scoring the sentence (the anchor: the simplest evaluation tool);
- ``mtqa --help``;
- ``mtqa run --disable F4``: every check but the LM, and every report;
- ``mtqa run``: with the LM (F4);
- ``mtqa score``: BLEU, chrF and TER with the reference, no checks.

Prepared tables (word lists, lexicons, WordNet: pipeline/prepared.py) are built once per machine; the
first round runs with an empty cache folder of its own and is reported on its own line ("first run
on a new machine"), the median over the following rounds with the tables prepared.  mtqa's bytecode is
compiled first (``compileall``), as a wheel install does and an editable one does on its first run:
without it (PYTHONDONTWRITEBYTECODE set, as on the development machines) every start compiles about
100 modules from source, 0.4 s of it.

    python eval/startup_times.py [--rounds 5] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fluency_data import write_summary

ROOT = Path(__file__).resolve().parents[1]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measured(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall seconds, CPU seconds (the process and what it waited for) and peak memory in MB."""
    wall = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - wall
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # mtqa run exits 1 when a finding fails the default gate (none here)
        sys.exit(f"eval: {' '.join(command[:4])} ... exited {code}: {stderr.strip()[-400:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


# The seed article's (examples/seed) first sentence after the title: source, MT and reference.
SENTENCE = (
    "Bei einem Gipfel am 10. Januar soll über eine Lösung des Konflikts zwischen Russland und der Ukraine beraten werden.",
    "A solution to the conflict between Russia and Ukraine is to be discussed at a summit on January 10th.",
    "A summit on January 10 is to discuss a way out of the conflict between Russia and Ukraine.",
)


def one_sentence(folder: Path) -> tuple[Path, Path, Path]:
    paths = []
    for name, text in zip(("src.de.txt", "mt.en.txt", "ref.en.txt"), SENTENCE):
        path = folder / name
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def commands(src: Path, mt: Path, ref: Path, out: Path) -> dict[str, list[str]]:
    mtqa = [sys.executable, "-m", "pipeline"]
    sacrebleu = [str(Path(sys.executable).parent / "sacrebleu")]
    run = [*mtqa, "run", str(src), str(mt), "-s", "de", "-t", "en", "-l", "--no-cache", "--quiet"]
    return {
        "sacrebleu": [*sacrebleu, str(ref), "-i", str(mt), "-m", "bleu", "chrf", "ter"],
        "mtqa --help": [*mtqa, "--help"],
        "mtqa run --disable F4": [*run, "--disable", "F4", "-o", str(out / "run")],
        "mtqa run (with F4)": [*run, "-o", str(out / "run_lm")],
        "mtqa score": [*mtqa, "score", str(src), str(mt), "-r", str(ref), "-s", "de", "-t", "en", "-l", "--no-cache", "--quiet"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds with the tables prepared (the median); one more runs first on an empty cache")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], check=True)
    before = load_average()
    with tempfile.TemporaryDirectory(prefix="startup_") as tmp:
        folder = Path(tmp)
        src, mt, ref = one_sentence(folder)
        cmds = commands(src, mt, ref, folder)
        env = dict(os.environ, MTQA_CACHE_DIR=str(folder / "cache"), PYTHONIOENCODING="utf-8")
        first = {name: measured(cmd, env) for name, cmd in cmds.items()}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in cmds}
        for r in range(args.rounds):
            for name, cmd in cmds.items():
                runs[name].append(measured(cmd, env))
            print(f"round {r + 1}: " + ", ".join(f"{n} {runs[n][-1]['wall_s']:.2f}s" for n in cmds), flush=True)
    after = load_average()
    median = {name: {k: statistics.median(x[k] for x in rs) for k in ("wall_s", "cpu_s", "peak_mb")} for name, rs in runs.items()}
    anchor = median["sacrebleu"]
    lines = [
        "# Start-up times: mtqa's commands against the sacrebleu CLI (eval/startup_times.py)",
        "",
        f"One sentence (of the seed article, de->en, with its reference); each command in its own process, "
        f"{args.rounds} interleaved rounds after a first one on an empty cache folder; medians; bytecode compiled. Load average before: {before}, after: {after}.",
        "",
        "| command | wall s | CPU s | x sacrebleu (CPU) | peak MB | first run on a new machine: wall s / CPU s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in median.items():
        lines.append(f"| `{name}` | {m['wall_s']:.2f} | {m['cpu_s']:.2f} | {m['cpu_s'] / anchor['cpu_s']:.1f} | {m['peak_mb']:.0f} | {first[name]['wall_s']:.2f} / {first[name]['cpu_s']:.2f} |")
    lines += ["", "Goals (issue 19): `mtqa run --disable F4` <= 1.0 s wall, with F4 <= 3.0 s."]
    print("\n".join(lines))
    if not args.no_write:
        write_summary("startup_times", lines[0].removeprefix("# "), lines[2:], {"median": median, "first": first, "rounds": args.rounds, "load_before": before, "load_after": after})


if __name__ == "__main__":
    main()
