"""Calibrate the length-ratio rules (A301/A302) on professional translations and write
pipeline/data/length_ratios.yaml (numbers only).

Data: NTREX-128, the calibration half of the documents only (eval/ntrex_pairs.py: the English
original and professional translations into 21 languages; the test half is left for
eval/false_alarms.py), plus the WMT22 general test (source + reference A) for de-en, ru-en and
uk-en.  For each language pair and direction the median of log(target chars / source chars) and,
per source-length bucket, a robust spread (1.4826 x median absolute deviation, so misaligned lines
in the data do not widen it).  "default" pools the pairs of alphabetic scripts around a mean of 0:
it is the prior for an uncalibrated pair of such languages (A3 switches itself off, with a note,
for an uncalibrated pair where either side is written in a dense script such as Chinese).
Also prints how many pairs the threshold (|z| > 5, the rules' default) flags on the same data.

    python eval/length_calibrate.py
"""

from __future__ import annotations

import math
import statistics

from fluency_data import ROOT, wmt22, write_shipped_yaml
from ntrex_pairs import LANGUAGES
from ntrex_pairs import pairs as ntrex_pairs

EDGES = [30, 60, 100, 160, 250, 400, 10**6]
OUT = ROOT / "pipeline" / "data" / "length_ratios.yaml"


DENSE = {"zh", "ja", "ko"}  # scripts with far more information per character than alphabets


def pairs_for(lang: str) -> list[tuple[str, str]]:
    """(foreign, English) sentence pairs: NTREX calibration half, and WMT22 where it has the pair."""
    found = [(p.source, p.target) for p in ntrex_pairs(lang, "calib")]
    if lang in ("de", "ru", "uk"):
        found += list(zip(wmt22(f"{lang}-en", f"src.{lang}"), wmt22(f"{lang}-en", "ref.A.en")))
    return found


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


def flagged(pairs: list[tuple[str, str]], entry: dict, max_z: float = 5.0) -> int:
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
    for lang in sorted(LANGUAGES):
        forward_pairs = pairs_for(lang)
        backward_pairs = [(b, a) for a, b in forward_pairs]
        for key, data in ((f"{lang}-en", forward_pairs), (f"en-{lang}", backward_pairs)):
            entry = table["pairs"][key] = stats(data)
            print(f"{key}: mean log ratio {entry['mean']:+.3f} ({100 * math.exp(entry['mean']):.0f}%), "
                  f"{entry['n_pairs']} pairs, flagged at |z|>5: {flagged(data, entry)}")
        if lang not in DENSE:
            pooled += [(a, b) if i % 2 else (b, a) for i, (a, b) in enumerate(forward_pairs)]
    table["default"] = stats(pooled, center=0.0)
    print(f"default (alphabetic scripts): flagged at |z|>5 on pooled data: {flagged(pooled, table['default'])} of {len(pooled)}")
    header = ("# Length-ratio calibration for rules A301/A302, written by eval/length_calibrate.py from NTREX-128 (calibration\n"
              "# half of the documents) and WMT22 professional translations: numbers only. mean = median log(target/source chars).\n"
              "# default: the prior for uncalibrated pairs of alphabetic scripts.\n")
    write_shipped_yaml(OUT, header, table)  # language codes and numbers: the same bytes as without allow_unicode


if __name__ == "__main__":
    main()
