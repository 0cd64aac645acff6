"""Does the MQM penalty per 1,000 words separate systems?  Its value and 95% interval per system
(from results.json, as `mtqa run` wrote them), and every pair of systems compared with a paired
bootstrap on the same resamples (the intervals' draw: same segments, same seed).

    python eval/mqm_per_1k.py RESULTS.json [--out eval/results/mqm_per_1k_wmt22.md]

RESULTS is a run of a line-aligned test set with segment texts kept (e.g. WMT22 de-en:
`mtqa run /work/shared/data/wmt22_general_test/de-en -o OUT --metrics chrf --disable F4 --disable A5`).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.model import Severity
from pipeline.results import load_results
from pipeline.scoring.mqm import count_words, per_1k
from pipeline.scoring.scorer import BootstrapPlan


def segment_stats(data: dict, system: str, weights: dict[str, float]) -> np.ndarray:
    """Per target segment (all documents in order): [penalty, words]."""
    offsets, words = {}, []
    for doc in data["documents"]:
        if not doc["line_aligned"]:
            raise SystemExit(f"document {doc['id']} is not line-aligned: this script maps issues to segments by index")
        offsets[doc["id"]] = len(words)
        words += [count_words(s["text"]) for s in doc["targets"][system]]
    penalties = np.zeros(len(words))
    for i in data["issues"]:
        if i["system"] == system and not i["ignored"]:
            penalties[offsets[i["document"]] + i["segment"]] += weights[i["severity"]]
    return np.column_stack([penalties, np.asarray(words, dtype=np.float64)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results")
    ap.add_argument("--out", help="also write the tables (Markdown) here")
    args = ap.parse_args()
    data = load_results(args.results)
    config = data["config"]
    weights = {Severity.parse(k).value: float(v) for k, v in config["mqm"]["weights"].items()}
    n_samples, seed = config["scoring"]["bootstrap_samples"], config["scoring"]["seed"]
    systems = sorted(data["job"]["systems"], key=lambda s: data["systems"][s]["mqm"]["mqm_per_1k"])
    stats = {s: segment_stats(data, s, weights) for s in systems}
    plan = BootstrapPlan(len(next(iter(stats.values()))), n_samples, seed)
    samples = {}
    lines = ["| system | MQM (old) | issues | MQM penalty /1k words | 95% CI |", "|---|---|---|---|---|"]
    for s in systems:
        mqm = data["systems"][s]["mqm"]
        value, ci = per_1k(stats[s][:, 0], stats[s][:, 1], n_samples, seed)
        assert value is not None and ci is not None and abs(value - mqm["mqm_per_1k"]) < 1e-3 and np.allclose(ci, mqm["mqm_per_1k_ci"], atol=1e-3), s
        sums = plan.resample_sums(stats[s])
        samples[s] = 1000 * sums[:, 0] / sums[:, 1]
        lines.append(f"| {s} | {mqm['score']:.2f} | {mqm['issues']} | {value:.2f} | [{ci[0]:.2f}, {ci[1]:.2f}] |")
    pairs = []
    for a, b in itertools.combinations(systems, 2):
        diff = samples[b] - samples[a]
        p = min(1.0, 2 * min((diff <= 0).mean(), (diff >= 0).mean()))
        lo_a, hi_a = data["systems"][a]["mqm"]["mqm_per_1k_ci"]
        lo_b, hi_b = data["systems"][b]["mqm"]["mqm_per_1k_ci"]
        pairs.append((a, b, p, hi_a < lo_b or hi_b < lo_a))
    significant = sum(p < 0.05 for _, _, p, _ in pairs)
    disjoint = sum(d for *_, d in pairs)
    lines += [
        "",
        f"{len(pairs)} pairs of systems: {disjoint} with disjoint 95% intervals; {significant} different at p < 0.05 in a paired bootstrap "
        f"({n_samples} resamples, seed {seed}, the intervals' own draw).",
        "",
        "| better | worse | paired p | intervals disjoint |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {p:.3f} | {'yes' if d else 'no'} |" for a, b, p, d in pairs],
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        job = data["job"]
        title = f"# MQM penalty per 1,000 words: {job['src_lang']}-{job['tgt_lang']}, {len(systems)} systems x {len(next(iter(stats.values())))} segments"
        checks = f"checks as of mtqa {data['versions'].get('mtqa', '?')}; disabled: {', '.join(config['checks'].get('disable') or []) or 'none'}"
        Path(args.out).write_text(f"{title}\n\n(`python eval/mqm_per_1k.py RESULTS`; {checks})\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
