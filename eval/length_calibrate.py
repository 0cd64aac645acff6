"""Calibrate the length-ratio rules (A301/A302) on professional translations and write
pipeline/data/length_ratios.yaml (numbers only).

Data: WMT22 general test (de-en, ru-en, uk-en: source + reference A) and NTREX-128 (English
original + German, Russian, Ukrainian translations).  For each language pair the mean of
log(target chars / source chars) and, per source-length bucket, a robust spread (1.4826 x median
absolute deviation, so misaligned lines in the data do not widen it).  Both directions are
written (the reverse direction negates the mean); "default" pools all pairs around a mean of 0.
Also prints how many pairs the default threshold (|z| > 4) flags on the same data.

    python eval/length_calibrate.py
"""

from __future__ import annotations

import math
import statistics

import yaml
from fluency_data import ROOT, ntrex, wmt22

EDGES = [30, 60, 100, 160, 250, 400, 10**6]
OUT = ROOT / "pipeline" / "data" / "length_ratios.yaml"


def pairs_for(lang: str) -> list[tuple[str, str]]:
    """(foreign, English) sentence pairs; foreign is the source in WMT22, the target in NTREX."""
    wmt = list(zip(wmt22(f"{lang}-en", f"src.{lang}"), wmt22(f"{lang}-en", "ref.A.en")))
    code = {"de": "deu", "ru": "rus", "uk": "ukr"}[lang]
    return wmt + list(zip(ntrex(f"ref.{code}"), ntrex("src.eng")))


def robust_sd(xs: list[float]) -> float:
    med = statistics.median(xs)
    return 1.4826 * statistics.median(abs(x - med) for x in xs)


def stats(pairs: list[tuple[str, str]], center: float | None = None) -> dict:
    logs = [(len(a), math.log(len(b) / len(a))) for a, b in pairs if len(a) >= 10 and len(b) >= 1]
    mean = statistics.median(x for _, x in logs) if center is None else center
    buckets, lower = [], 0
    for edge in EDGES:
        xs = [x for n, x in logs if lower < n <= edge]
        lower = edge
        if len(xs) < 30:
            if buckets:
                buckets[-1]["max_source_chars"] = edge
            continue
        buckets.append({"max_source_chars": edge, "sd": round(max(robust_sd(xs), 0.05), 4), "n": len(xs)})
    return {"mean": round(mean, 4), "buckets": buckets, "n_pairs": len(logs)}


def flagged(pairs: list[tuple[str, str]], entry: dict, max_z: float = 4.0) -> int:
    n = 0
    for a, b in pairs:
        if len(a) < 20 or not b:
            continue
        sd = next((x["sd"] for x in entry["buckets"] if len(a) <= x["max_source_chars"]), entry["buckets"][-1]["sd"])
        n += abs((math.log(len(b) / len(a)) - entry["mean"]) / sd) > max_z
    return n


def main() -> None:
    table: dict = {"pairs": {}}
    pooled = []
    for lang in ("de", "ru", "uk"):
        pairs = pairs_for(lang)
        forward = stats(pairs)
        table["pairs"][f"{lang}-en"] = forward
        table["pairs"][f"en-{lang}"] = {**forward, "mean": round(-forward["mean"], 4)}
        pooled += [(a, b) if i % 2 else (b, a) for i, (a, b) in enumerate(pairs)]
        print(f"{lang}-en: mean log ratio {forward['mean']:+.3f} ({100 * math.exp(forward['mean']):.0f}%), "
              f"{forward['n_pairs']} pairs, flagged at |z|>4: {flagged(pairs, forward)}")
    table["default"] = stats(pooled, center=0.0)
    print(f"default: flagged at |z|>4 on pooled data: {flagged(pooled, table['default'])} of {len(pooled)}")
    header = ("# Length-ratio calibration for rules A301/A302, written by eval/length_calibrate.py from WMT22 and\n"
              "# NTREX-128 professional translations: numbers only. mean = median log(target/source chars).\n")
    OUT.write_text(header + yaml.safe_dump(table, sort_keys=False), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
