"""mtqa's checks against translate-toolkit's pofilter on the same pairs (issue 19).

WMT22 de-en (../shared/data/wmt22_general_test/de-en, or $MTQA_DATA_DIR): the source and the first
``--systems`` systems' outputs (alphabetical), distinct (source, target) pairs.  Both tools run as users
run them, each in a process of its own, interleaved, ``--rounds`` times (the median is reported):

* mtqa: ``python -m pipeline run pairs.tsv --src-lang de --tgt-lang en --disable F4,A5,A604 --jobs 1
  --no-cache -q -o OUT``: every check but the two heavy model families (the LM F4 and the
  sentence-embedding rules: A5 and A604), one process, no cache (no memo hit from an earlier run);
  no reference, so no metric is computed;
* pofilter: ``pofilter --language en pairs.po out.po``: every filter (its default), on a PO file with one
  unit per pair (msgctxt: the pair's number, so no two units are merged).

CPU time (user + system) and peak resident memory are the child process's own (``os.wait4``), so the
figures do not depend on what else the machine runs; wall time is shown beside them.  Pairs per
CPU-second = pairs / CPU seconds; the ratio = mtqa's CPU seconds / pofilter's.  Both include each
tool's start-up.  Then mtqa's checks alone, in this process, profiled (cProfile) over the same pairs
after a first pass that loads every resource: the top 10 functions by own time.

    python eval/speed_checks.py [--systems 3] [--rounds 3] [--no-write]

Needs translate-toolkit (requirements.txt pins it for this benchmark).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fluency_data import load_average, write_summary

ROOT = Path(__file__).resolve().parents[1]
HEAVY = "F4,A5,A604"  # the LM and the sentence-embedding rules (eval/speed_accuracy.py: embedding_rule)


def data_dir() -> Path:
    base = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"
    if not base.exists():
        sys.exit(f"eval: WMT22 de-en not found at {base} (set MTQA_DATA_DIR)")
    return base


def distinct_pairs(systems: int) -> list[tuple[str, str]]:
    """(source, target) of the first ``systems`` systems, each pair once, in file order."""
    base = data_dir()
    sources = (base / "generaltest2022.de-en.src.de").read_text(encoding="utf-8").splitlines()
    seen: dict[tuple[str, str], None] = {}
    for hyp in sorted(base.glob("generaltest2022.de-en.hyp.*.en"))[:systems]:
        targets = hyp.read_text(encoding="utf-8").splitlines()
        if len(targets) != len(sources):
            sys.exit(f"eval: {hyp.name} has {len(targets)} lines, the source {len(sources)}")
        for src, tgt in zip(sources, targets):
            if src.strip() and tgt.strip():
                seen.setdefault((src, tgt), None)
    return list(seen)


def write_inputs(pairs: list[tuple[str, str]], folder: Path) -> tuple[Path, Path]:
    """The same pairs as mtqa's TSV (src, tgt columns) and as a PO file for pofilter."""
    import polib

    tsv = folder / "pairs.tsv"
    with tsv.open("w", encoding="utf-8") as out:
        out.write("src\ttgt\n")
        for src, tgt in pairs:
            out.write(f"{' '.join(src.split())}\t{' '.join(tgt.split())}\n")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    for k, (src, tgt) in enumerate(pairs):
        po.append(polib.POEntry(msgctxt=str(k), msgid=src, msgstr=tgt))
    po_path = folder / "pairs.po"
    po.save(str(po_path))
    return tsv, po_path


def measured(command: list[str], cwd: Path) -> dict[str, float]:
    """Run a command; its own CPU seconds, peak resident memory (MB) and wall seconds."""
    wall = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - wall
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # mtqa exits 1 only with a failed gate (none here); pofilter 0
        sys.exit(f"eval: {' '.join(command[:3])} ... exited {code}: {stderr.strip()[-500:]}")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024, "wall_s": wall}


def profile_checks(pairs: list[tuple[str, str]], top: int = 10) -> tuple[list[str], dict]:
    """mtqa's checks (all but the heavy families) in this process over the pairs, after a first pass
    that loads the resources: the top functions by own time, and the steady pairs per CPU-second."""
    from pipeline.checks import CheckContext, load_rules, run_checks
    from pipeline.model import AlignedPair, Bead, Segment

    heavy = HEAVY.split(",")
    rules = [r for r in load_rules() if not any(r.code.startswith(h) for h in heavy)]
    docs = []
    for start in range(0, len(pairs), 20):  # documents of 20 pairs, as a tabular run without a doc column would shard them
        chunk = pairs[start : start + 20]
        docs.append([AlignedPair(document=f"d{start}", system="sys", bead_index=k, bead=Bead((k,), (k,)), source=(Segment(s, k),), target=(Segment(t, k),))
                     for k, (s, t) in enumerate(chunk)])
    ctx = CheckContext(src_lang="de", tgt_lang="en")
    run_checks(docs, rules, ctx)  # loads every resource
    ctx.findings_memo.clear()
    profiler = cProfile.Profile()
    cpu = time.process_time()
    profiler.enable()
    run_checks(docs, rules, ctx)
    profiler.disable()
    cpu = time.process_time() - cpu
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    total = sum(v[2] for v in stats.stats.values())
    lines = ["| function | where | own s | share of the profile | cumulative s |", "|---|---|---:|---:|---:|"]
    for (path, line, name), (_, _, own, cumulative, _) in rows:
        where = f"{Path(path).relative_to(ROOT) if path.startswith(str(ROOT)) else Path(path).name}:{line}"
        lines.append(f"| `{name}` | {where} | {own:.2f} | {own / total:.1%} | {cumulative:.2f} |")
    return lines, {"pairs": len(pairs), "cpu_s_profiled": cpu, "rules": len(rules)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", type=int, default=3, help="WMT22 de-en systems (alphabetical; 3: 5,952 pairs)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    pofilter = shutil.which("pofilter") or str(Path(sys.executable).parent / "pofilter")
    if not Path(pofilter).exists():
        sys.exit("eval: pofilter not found (pip install translate-toolkit, pinned in requirements.txt)")
    pairs = distinct_pairs(args.systems)
    runs: dict[str, list[dict[str, float]]] = {"mtqa": [], "pofilter": []}
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="speed_checks_") as tmp:
        folder = Path(tmp)
        tsv, po = write_inputs(pairs, folder)
        commands = {
            "mtqa": [sys.executable, "-m", "pipeline", "run", str(tsv), "--src-lang", "de", "--tgt-lang", "en", "--disable", HEAVY, "--jobs", "1", "--no-cache", "-q", "-o", str(folder / "out")],
            "pofilter": [pofilter, "--language", "en", str(po), str(folder / "out.po")],
        }
        for r in range(args.rounds):
            for tool in ("mtqa", "pofilter"):  # interleaved: the machine's load changes over a round
                runs[tool].append(measured(commands[tool], ROOT))
                print(f"round {r + 1} {tool}: {runs[tool][-1]}", flush=True)
    median = {tool: {k: statistics.median(x[k] for x in rs) for k in rs[0]} for tool, rs in runs.items()}
    n = len(pairs)
    ratio = median["mtqa"]["cpu_s"] / median["pofilter"]["cpu_s"]
    md = [f"WMT22 de-en, the first {args.systems} systems: **{n:,} distinct pairs**. Each tool in its own process, interleaved, median of {args.rounds}; "
          f"CPU seconds and peak memory of the tool's own process (os.wait4). Load average before: {load_before}, after: {load_average()}.", "",
          f"mtqa: every check but {HEAVY} (the LM and the sentence-embedding rules), one process, no cache. pofilter: every filter.", "",
          "| tool | CPU s | **pairs per CPU-second** | wall s | peak memory MB |", "|---|---:|---:|---:|---:|"]
    for tool, m in median.items():
        md.append(f"| {tool} | {m['cpu_s']:.2f} | **{n / m['cpu_s']:,.0f}** | {m['wall_s']:.2f} | {m['peak_mb']:.0f} |")
    md += ["", f"**mtqa takes {ratio:.2f}x pofilter's CPU time per pair** (goal: >= 3,000 pairs per CPU-second for mtqa's checks).", ""]
    data = {"pairs": n, "systems": args.systems, "rounds": runs, "median": median, "ratio_cpu": ratio}
    if not args.no_profile:
        lines, prof = profile_checks(pairs)
        md += [f"mtqa's checks alone ({prof['rules']} rules) in one process after a first pass that loads the resources, profiled: "
               f"{prof['cpu_s_profiled']:.1f} CPU s under cProfile ({n / prof['cpu_s_profiled']:,.0f} pairs per CPU-second with the profiler's overhead). Top 10 by own time:", "", *lines]
        data["profile"] = prof
    print("\n".join(md))
    if not args.no_write:
        write_summary("speed_checks", "mtqa's checks vs pofilter (eval/speed_checks.py)", md, data)


if __name__ == "__main__":
    main()
