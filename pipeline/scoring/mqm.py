"""MQM-style score from the issues found: 100 * (1 - weighted penalty / target words).

As in the MQM scoring model, penalties are summed by severity weight (defaults: critical 25,
major 5, minor 1, neutral 0) and normalised by the evaluated word count; ignored issues do not count.
The score can fall below zero for very bad output, as MQM's raw score does.

That score sits at 99.5-99.9 for every system of a WMT test set, so it also comes as MQM's
normalised penalty, ``mqm_per_1k``: weighted penalty points per 1,000 target words (lower is
better), with a 95% bootstrap interval over segments (:func:`per_1k`): the segments are resampled
with sacrebleu's draw (pipeline/scoring/scorer.py ``BootstrapPlan``, the same seed and number of
resamples as the metrics' intervals), each resample's penalty summed and divided by its words, and
the interval is the 2.5th-97.5th percentile of those ratios.  With the same segments and seed every
system gets the same resamples, so the intervals of two systems are directly comparable.

Words are counted between spaces, except in scripts written without them (Chinese, Japanese kana,
Thai, Lao, Khmer, Myanmar), where every two characters count as one word, the usual conversion for
such texts (a Chinese word averages about 1.7 characters); counting them between spaces made a
whole Chinese sentence one "word" and the score negative.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .. import __version__
from ..config import MqmConfig
from ..model import Issue, Job, Severity
from .scorer import BootstrapPlan

# Han (with extensions A and compatibility), hiragana, katakana, Thai, Lao, Myanmar, Khmer
_UNSPACED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+")
CHARS_PER_WORD = 2  # unspaced scripts


def count_words(text: str) -> int:
    """Words of ``text`` for MQM normalisation: space-separated tokens, unspaced scripts by characters."""
    if not _UNSPACED.search(text):
        return len(text.split())
    words = 0
    for token in text.split():
        runs = _UNSPACED.findall(token)
        rest = _UNSPACED.sub(" ", token).split()
        words += len([r for r in rest if any(c.isalnum() for c in r)]) + sum(math.ceil(len(r) / CHARS_PER_WORD) for r in runs)
    return words


def target_words(job: Job, system: str) -> int:
    return sum(count_words(seg.text) for doc in job.documents for seg in doc.targets[system])


def mqm_score(issues: Iterable[Issue], words: int, weights: dict[Severity, float]) -> dict:
    counted = [i for i in issues if not i.ignored]
    by_severity = Counter(i.severity.value for i in counted)
    penalty = sum(weights.get(i.severity, 0.0) for i in counted)
    score = 100.0 * (1.0 - penalty / words) if words else 0.0
    return {
        "score": round(score, 4),
        "penalty": penalty,
        "words": words,
        "issues": len(counted),
        "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
    }


def per_1k_signature(weights: dict[Severity, float], n_samples: int | None, seed: int | None) -> str:
    """How ``mqm_per_1k`` was computed, in the form of sacrebleu's signatures."""
    w = ",".join(f"{s.value}={weights.get(s, 0.0):g}" for s in Severity)
    resampling = f"|bs:{n_samples}|seed:{str(seed).lower()}" if n_samples else ""
    return f"mqm_per_1k|weights:{w}|unit:segment|words:spaces+unspaced/{CHARS_PER_WORD}{resampling}|version:{__version__}"


def per_1k(penalties: Sequence[float] | np.ndarray, words: Sequence[int] | np.ndarray, n_samples: int | None, seed: int | None) -> tuple[float | None, list[float] | None]:
    """Penalty points per 1,000 words over all segments, and its 95% bootstrap interval [low, high]
    over segments (None without resampling, ``n_samples`` None or 0, or without words)."""
    stats = np.column_stack([np.asarray(penalties, dtype=np.float64), np.asarray(words, dtype=np.float64)])
    total_words = stats[:, 1].sum() if len(stats) else 0.0
    if total_words <= 0:
        return None, None
    value = float(1000.0 * stats[:, 0].sum() / total_words)
    if not n_samples:
        return value, None
    sums = BootstrapPlan(len(stats), n_samples, seed).indexed_sums(stats)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = 1000.0 * sums[:, 0] / sums[:, 1]  # a resample of only empty segments has no ratio (nan)
    low, high = np.nanpercentile(ratios, [2.5, 97.5])
    return value, [float(low), float(high)]


def mqm_per_1k(
    issues: Iterable[Issue],
    unit_words: dict[str, list[int]],
    unit_of: Any,
    weights: dict[Severity, float],
    n_samples: int | None,
    seed: int | None,
) -> dict[str, Any]:
    """``mqm_per_1k`` fields of one system: ``unit_words`` holds each document's words per target
    segment; ``unit_of(issue)`` gives the target segment an issue belongs to (its own, or for a
    source-side issue the target of its bead).  Documents without target segments count as one
    empty segment, so their source-side issues still count."""
    offsets: dict[str, int] = {}
    words: list[int] = []
    for doc, counts in unit_words.items():
        offsets[doc] = len(words)
        words.extend(counts or [0])
    penalties = np.zeros(len(words))
    for issue in issues:
        if not issue.ignored:
            n = max(1, len(unit_words.get(issue.document) or ()))
            penalties[offsets[issue.document] + min(max(unit_of(issue), 0), n - 1)] += weights.get(issue.severity, 0.0)
    value, ci = per_1k(penalties, words, n_samples, seed)
    return {
        "mqm_per_1k": None if value is None else round(value, 4),
        "mqm_per_1k_ci": None if ci is None else [round(x, 4) for x in ci],
        "mqm_per_1k_signature": per_1k_signature(weights, n_samples if ci is not None else None, seed),
        "segments": len(words),
    }


def refresh_mqm(data: dict[str, Any]) -> list[str]:
    """The MQM numbers of a results dict after ``mtqa gate`` or ``mtqa report`` re-applied an ignore
    list to it: each system's score, penalty and ``mqm_per_1k`` from its issues not ignored now,
    over the words the run counted (exact).  The per-1k interval needs each segment's words, which
    results.json does not keep: a system whose penalty changed loses its interval (a rerun gives
    it).  Returns the systems that changed."""
    weights = {Severity.parse(k): float(v) for k, v in ((data.get("config") or {}).get("mqm") or {}).get("weights", {}).items()} or MqmConfig().weights
    changed = []
    for name, sr in data["systems"].items():
        mqm = sr.get("mqm") or {}
        if "words" not in mqm or "penalty" not in mqm:
            continue
        counted = [i for i in data["issues"] if i["system"] == name and not i["ignored"]]
        penalty = sum(weights.get(Severity(i["severity"]), 0.0) for i in counted)
        if len(counted) == mqm.get("issues") and math.isclose(penalty, mqm["penalty"]):
            continue
        words = mqm["words"]
        by_severity = Counter(i["severity"] for i in counted)
        mqm.update(
            score=round(100.0 * (1.0 - penalty / words), 4) if words else 0.0,
            penalty=penalty,
            issues=len(counted),
            by_severity={s.value: by_severity.get(s.value, 0) for s in Severity},
        )
        if "mqm_per_1k" in mqm:
            mqm["mqm_per_1k"] = round(1000.0 * penalty / words, 4) if words else None
            mqm["mqm_per_1k_ci"] = None
        for row in data.get("comparison_table") or ():
            if row.get("system") == name:
                row["mqm"] = mqm["score"]
                if "mqm_per_1k" in row:
                    row["mqm_per_1k"], row["mqm_per_1k_ci"] = mqm.get("mqm_per_1k"), None
        changed.append(name)
    if changed:
        data.setdefault("notes", []).append(
            f"MQM scores of {', '.join(changed)} recomputed for the ignore list given now (the run counted other issues); "
            "their per-1k intervals need a rerun"
        )
    return changed
