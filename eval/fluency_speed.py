"""Throughput of the fluency, locale and accuracy checks.

Rule checks (A2, A3, F1-F3, L, T; not the LM rule) over WMT22 de-en system output (1,984
segment pairs, line-aligned), single-threaded: a first pass over Online-A that also loads the
dictionaries, Harper, language ID and word lists, then a steady-state pass over Online-B with an
empty findings memo (another system's output, so no finding is replayed).  The LM rule F401 (SmolLM2-135M, batch 16) on a random
sample of --lm sentences of the same output, once per --threads setting (default 1 and 2).  The machine's cores
are shared with other work, so the script reports wall time, this process's CPU time and the
load average: pairs per CPU-second is what one dedicated core would do.

    python eval/fluency_speed.py [--lm 300] [--threads 1,2]
"""

from __future__ import annotations

import argparse
import collections
import resource
import time

from fluency_data import line_pairs, load_average, rule_codes, sample, sentences, wmt22, write_summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lm", type=int, default=300, help="sentences for the LM measurement (0: skip)")
    ap.add_argument("--threads", default="1,2", help="comma-separated torch thread counts to measure")
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()
    from pipeline.checks import CheckContext, run_checks

    src = wmt22("de-en", "src.de")
    # Three systems: one to load the resources, one for the steady-state pass, one for the
    # per-rule times; each pass starts with an empty findings memo, so nothing is replayed.
    tgt = wmt22("de-en", "hyp.Online-A.en")
    warm, pairs, per_rule_pairs = (line_pairs(src, wmt22("de-en", f"hyp.{s}.en")) for s in ("Online-A", "Online-B", "Online-G"))
    rules = rule_codes(("A2", "A3", "F", "L", "T"), exclude=("F401",))
    ctx = CheckContext(src_lang="de", tgt_lang="en")
    cold_wall, cold_cpu = time.perf_counter(), time.process_time()
    run_checks([warm], rules, ctx)  # first pass: loads every resource
    cold_wall, cold_cpu = time.perf_counter() - cold_wall, time.process_time() - cold_cpu
    load_before = load_average()
    ctx.findings_memo.clear()
    wall, cpu = time.perf_counter(), time.process_time()
    found = run_checks([pairs], rules, ctx)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    per_rule = collections.Counter()
    ctx.findings_memo.clear()
    for r in rules:
        t = time.process_time()
        run_checks([per_rule_pairs], [r], ctx)
        per_rule[r.code] = time.process_time() - t
    md = [
        f"Rule checks ({len(rules)} rules) on WMT22 de-en, {len(pairs)} pairs, one thread: resources loaded on Online-A, steady state on Online-B ({len(found)} findings), per-rule times on Online-G. Load average before/after: {load_before} / {load_average()}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| first pass (Online-A), with loading dictionaries, Harper, language ID, word lists | wall {cold_wall:.2f} s, CPU {cold_cpu:.2f} s = {len(pairs) / cold_cpu:.0f} pairs per CPU-second |",
        f"| steady state (Online-B, resources loaded, nothing memoised): wall time | {wall:.2f} s = {len(pairs) / wall:.0f} pairs/s |",
        f"| steady state: CPU time (one core) | {cpu:.2f} s = **{len(pairs) / cpu:.0f} pairs per CPU-second** |",
        "",
        "CPU seconds per rule over all pairs (run one at a time):",
        "",
        "| rule | CPU s | pairs/s alone |",
        "|---|---|---|",
    ]
    md += [f"| {code} | {sec:.2f} | {len(pairs) / max(sec, 1e-9):.0f} |" for code, sec in per_rule.most_common()]
    data = {"pairs": len(pairs), "wall_s": wall, "cpu_s": cpu, "cold_wall_s": cold_wall, "cold_cpu_s": cold_cpu, "per_rule_cpu_s": dict(per_rule)}
    if args.lm:
        from pipeline.checks.lm_fluency import load_scorer

        texts = sample([s for s in sentences(tgt) if len(s.split()) >= 4], args.lm)
        md += [
            "",
            f"LM rule F401: SmolLM2-135M (float32), {len(texts)} sentences of the same output (random sample seed 1), batch {args.batch_size}. "
            "The cores are shared with other work (see the load average): wall time is what this run got; sentences per CPU-second is what "
            "each dedicated core would deliver. pipeline/lm.py sets OMP_WAIT_POLICY=PASSIVE, without which a second thread spun while "
            "waiting for a busy core and two threads ran slower than one.",
            "",
            "| threads | model load | wall time | sentences/s (wall) | tokens/s | CPU-ms per sentence | sentences per CPU-second (x cores when dedicated) | load average before / after |",
            "|---|---|---|---|---|---|---|---|",
        ]
        data["lm"] = []
        for threads in [int(t) for t in str(args.threads).split(",")]:
            t = time.perf_counter()
            scorer = load_scorer("smollm2-135m", "en", threads=threads)
            load_s = time.perf_counter() - t
            scorer.score(texts[:16], batch_size=args.batch_size)  # warm-up
            load_before = load_average()
            wall, cpu = time.perf_counter(), time.process_time()
            results = scorer.score(texts, batch_size=args.batch_size)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            tokens = sum(r.lm.n_tokens for r in results)
            md.append(
                f"| {threads} | {load_s:.1f} s | {wall:.1f} s | **{len(texts) / wall:.1f}** | {tokens / wall:.0f} | {cpu / len(texts) * 1000:.0f} | "
                f"{len(texts) / cpu:.1f} | {load_before} / {load_average()} |"
            )
            data["lm"].append({"threads": threads, "sentences": len(texts), "tokens": tokens, "wall_s": wall, "cpu_s": cpu, "load_s": load_s})
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        md += ["", f"Peak resident memory of the process (rules and LM loaded): {rss_mb:.0f} MB."]
        data["rss_mb"] = rss_mb
    print("\n".join(md))
    write_summary("fluency_speed", "Throughput of the fluency, locale and accuracy checks (eval/fluency_speed.py)", md, data)


if __name__ == "__main__":
    main()
