"""sacrebleu's score formulas over many rows of summed statistics at once.

Resampling tests score thousands of resampled corpora per system and metric (10,000 trials twice
per system for approximate randomization); calling sacrebleu's ``_compute_score_from_stats`` per
row costs about 30 microseconds each, most of it Python object overhead.  These functions repeat
sacrebleu's arithmetic step by step, in the same order, on numpy columns; tests compare them with
sacrebleu row by row.  Settings they do not cover fall back to sacrebleu's own per-row code.
"""

from __future__ import annotations

import math

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER

_MY_LOG_ZERO = -9999999999.0  # sacrebleu.metrics.helpers.my_log(0)

# numpy's SIMD exp/log may differ from the C library's in the last bit; math's are what sacrebleu uses.
_exp = np.frompyfunc(math.exp, 1, 1)
_log = np.frompyfunc(math.log, 1, 1)


def _math(fn, x: np.ndarray) -> np.ndarray:
    return fn(x).astype(np.float64) if len(x) else x


def _bleu(metric: BLEU, s: np.ndarray) -> np.ndarray | None:
    if metric.effective_order or metric.smooth_method not in ("exp", "floor", "none"):
        return None
    n_order = metric.max_ngram_order
    smooth_value = metric.smooth_value if metric.smooth_value is not None else BLEU.SMOOTH_DEFAULTS[metric.smooth_method]
    sys_len, ref_len = s[:, 0], s[:, 1]
    correct, total = s[:, 2 : 2 + n_order], s[:, 2 + n_order : 2 + 2 * n_order]
    with np.errstate(divide="ignore", invalid="ignore"):
        short = (sys_len < ref_len) & (sys_len > 0)
        bp = np.where(sys_len < ref_len, 0.0, 1.0)
        bp[short] = _math(_exp, 1 - ref_len[short] / sys_len[short])
        smooth = np.ones(len(s))
        active = np.ones(len(s), dtype=bool)
        logsum = np.zeros(len(s))
        for n in range(n_order):
            active &= total[:, n] != 0
            zero = correct[:, n] == 0
            if metric.smooth_method == "exp":
                smooth = np.where(active & zero, smooth * 2, smooth)
                zero_prec = 100.0 / (smooth * total[:, n])
            elif metric.smooth_method == "floor":
                assert smooth_value is not None  # sacrebleu's "floor" default is 0.1
                zero_prec = 100.0 * smooth_value / total[:, n]
            else:
                zero_prec = np.zeros(len(s))
            prec = np.where(active, np.where(zero, zero_prec, 100.0 * correct[:, n] / total[:, n]), 0.0)
            logsum = logsum + np.where(prec == 0.0, _MY_LOG_ZERO, _math(_log, np.where(prec == 0.0, 1.0, prec)))
        score = bp * _math(_exp, logsum / n_order)
    return np.where(correct.any(axis=1), score, 0.0)


def _chrf(metric: CHRF, s: np.ndarray) -> np.ndarray:
    eps = 1e-16
    factor = metric.beta**2
    rows = len(s)
    score = np.zeros(rows)
    avg_prec = np.zeros(rows)
    avg_rec = np.zeros(rows)
    eff = np.zeros(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(metric.order):
            n_hyp, n_ref, n_match = s[:, 3 * i], s[:, 3 * i + 1], s[:, 3 * i + 2]
            prec = np.where(n_hyp > 0, n_match / n_hyp, eps)
            rec = np.where(n_ref > 0, n_match / n_ref, eps)
            denom = factor * prec + rec
            score = score + np.where(denom > 0, (1 + factor) * prec * rec / denom, eps)
            both = (n_hyp > 0) & (n_ref > 0)
            avg_prec = np.where(both, avg_prec + prec, avg_prec)
            avg_rec = np.where(both, avg_rec + rec, avg_rec)
            eff = eff + both
        if metric.eps_smoothing:
            return 100 * score / metric.order
        avg_prec = np.where(eff == 0, 0.0, avg_prec / eff)
        avg_rec = np.where(eff == 0, 0.0, avg_rec / eff)
        f = (1 + factor) * avg_prec * avg_rec
        f = f / ((factor * avg_prec) + avg_rec)
    return np.where(avg_prec + avg_rec != 0, 100 * f, 0.0)


def _ter(s: np.ndarray) -> np.ndarray:
    edits, ref_len = s[:, 0], s[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(ref_len > 0, edits / ref_len, np.where(edits > 0, 1.0, 0.0))
    return 100 * score


def scores_of(metric, sums: np.ndarray) -> np.ndarray:
    """The metric's score for every row of summed statistics."""
    out = None
    if type(metric) is BLEU:
        out = _bleu(metric, sums)
    elif type(metric) is CHRF:
        out = _chrf(metric, sums)
    elif type(metric) is TER:
        out = _ter(sums)
    if out is None:
        out = np.array([metric._compute_score_from_stats(row).score for row in sums])
    return out
