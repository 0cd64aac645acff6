"""Corpus, document and segment scores, bootstrap confidence intervals and paired significance tests.

Every number comes from sacrebleu's per-segment sufficient statistics, extracted once per system and
metric.  The resampling follows sacrebleu's own procedure (the same RNG calls, the same
``estimate_ci`` and ``_compute_p_value``), so with the same seed the confidence intervals and p-values
equal ``sacrebleu --confidence`` and ``--paired-bs`` / ``--paired-ar``; eval/sacrebleu_parity.py checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sacrebleu.significance import _compute_p_value, estimate_ci

from ..config import ScoringConfig
from ..errors import InputError
from ..model import Comparison, ConfidenceInterval, MetricScore
from .metrics import MetricSpec, build_metrics

# Resampled statistics are summed in chunks of at most this many numbers, so memory stays bounded
# on large test sets.
_CHUNK_ELEMENTS = 32_000_000


@dataclass
class ScoringInput:
    """Scoring units shared by all systems: hypotheses per system, references as sacrebleu streams."""

    hypotheses: dict[str, list[str]]
    references: list[list[str]]  # references[k][i]: reference k of unit i
    documents: dict[str, tuple[int, int]]  # document id -> unit range [start, end)

    @property
    def n_units(self) -> int:
        return len(self.references[0]) if self.references else 0


@dataclass
class _MetricRun:
    spec: MetricSpec
    name: str
    stats: dict[str, np.ndarray]
    scores: dict[str, MetricScore]


def _resample_sums(stats: np.ndarray, idx: np.ndarray) -> np.ndarray:
    n_samples, n = idx.shape
    rows = max(1, _CHUNK_ELEMENTS // max(1, n * stats.shape[1]))
    out = np.empty((n_samples, stats.shape[1]), dtype=np.float64)
    for a in range(0, n_samples, rows):
        out[a : a + rows] = stats[idx[a : a + rows]].sum(axis=1)
    return out


def _scores_from(metric, sums: np.ndarray) -> np.ndarray:
    return np.array([metric._compute_score_from_stats(row).score for row in sums])


def score_systems(
    data: ScoringInput,
    config: ScoringConfig,
    tgt_lang: str,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, dict[str, MetricScore]], list[Comparison]]:
    """Scores per system and metric key, and comparisons of every system against the baseline."""
    systems = list(data.hypotheses)
    if not systems or data.n_units == 0:
        return {}, []
    for name, hyps in data.hypotheses.items():
        if len(hyps) != data.n_units:
            raise InputError(f"system {name!r}: {len(hyps)} segments to score, the references have {data.n_units}")
    if not data.references:
        return {}, []

    n = data.n_units
    seed = config.seed
    bootstrap_idx = None
    if config.confidence or "bs" in config.significance.tests:
        # sacrebleu draws the resampling indices once from a fresh seeded generator; the same
        # draw serves the CIs and the paired bootstrap test (sacrebleu's --paired-bs does too).
        bootstrap_idx = np.random.default_rng(seed).choice(n, size=(config.bootstrap_samples, n), replace=True)

    baseline = config.significance.baseline or systems[0]
    if baseline not in systems:
        raise InputError(f"baseline system {baseline!r} is not among the systems ({', '.join(systems)})")

    results: dict[str, dict[str, MetricScore]] = {s: {} for s in systems}
    comparisons: list[Comparison] = []
    for spec in build_metrics(config, tgt_lang):
        corpus_metric = spec.corpus_metric(data.references)
        segment_metric = spec.segment_metric() if config.segment_scores else None
        stats: dict[str, np.ndarray] = {}
        resampled: dict[str, np.ndarray] = {}
        for system in systems:
            if progress:
                progress(f"{spec.key} {system}")
            raw = corpus_metric._extract_corpus_statistics(data.hypotheses[system], None)
            corpus = corpus_metric._aggregate_and_compute(raw)
            arr = np.asarray(raw, dtype=np.float64)
            stats[system] = arr
            ci = None
            if bootstrap_idx is not None:
                resampled[system] = _scores_from(corpus_metric, _resample_sums(arr, bootstrap_idx))
                if config.confidence:
                    mean, half = estimate_ci(resampled[system])
                    ci = ConfidenceInterval(float(mean), float(half), bootstrap_idx.shape[0], seed)
            if config.confidence:
                corpus_metric.n_bootstrap = bootstrap_idx.shape[0]
                corpus_metric.seed = str(seed).lower()
            signature = corpus_metric.get_signature().format()
            segments = [segment_metric._compute_score_from_stats(row).score for row in raw] if segment_metric else None
            documents = None
            if config.document_scores and data.documents:
                documents = {
                    doc: corpus_metric._compute_score_from_stats(arr[a:b].sum(axis=0)).score
                    for doc, (a, b) in data.documents.items()
                    if b > a
                }
            results[system][spec.key] = MetricScore(
                metric=corpus.name,
                score=float(corpus.score),
                signature=signature,
                formatted=corpus.format(width=2, score_only=False, signature=""),
                higher_is_better=spec.higher_is_better,
                ci=ci,
                segments=segments,
                documents=documents,
            )
        if len(systems) > 1:
            comparisons += _compare(spec, corpus_metric, baseline, systems, stats, resampled, results, config)
    return results, comparisons


def _compare(
    spec: MetricSpec,
    metric,
    baseline: str,
    systems: Sequence[str],
    stats: dict[str, np.ndarray],
    resampled: dict[str, np.ndarray],
    results: dict[str, dict[str, MetricScore]],
    config: ScoringConfig,
) -> list[Comparison]:
    out: list[Comparison] = []
    sig = config.significance
    bl_score = results[baseline][spec.key].score
    name = results[baseline][spec.key].metric
    ar_sel = None
    if "ar" in sig.tests:
        ar_sel = np.random.default_rng(config.seed).integers(2, size=(sig.ar_trials, stats[baseline].shape[0]), dtype=bool)
    for system in systems:
        if system == baseline:
            continue
        sys_score = results[system][spec.key].score
        diff = abs(bl_score - sys_score)
        if "bs" in sig.tests:
            sample_diffs = np.abs(resampled[system] - resampled[baseline])
            p = _compute_p_value(sample_diffs - sample_diffs.mean(), diff)
            out.append(Comparison(name, system, baseline, "bs", sys_score, bl_score, sys_score - bl_score, float(p), len(sample_diffs), config.seed))
        if ar_sel is not None:
            p = _approximate_randomization(metric, stats[baseline], stats[system], ar_sel, diff)
            out.append(Comparison(name, system, baseline, "ar", sys_score, bl_score, sys_score - bl_score, float(p), ar_sel.shape[0], config.seed))
    return out


def _approximate_randomization(metric, bl: np.ndarray, sy: np.ndarray, pos: np.ndarray, diff: float) -> float:
    """sacrebleu's paired AR: swap each segment's statistics between the systems at random."""
    scores_a = np.empty(pos.shape[0])
    scores_b = np.empty(pos.shape[0])
    rows = max(1, _CHUNK_ELEMENTS // max(1, pos.shape[1]))
    for a in range(0, pos.shape[0], rows):
        sel = pos[a : a + rows]
        neg = ~sel
        shuf_a = sel @ bl + neg @ sy
        shuf_b = neg @ bl + sel @ sy
        scores_a[a : a + rows] = _scores_from(metric, shuf_a)
        scores_b[a : a + rows] = _scores_from(metric, shuf_b)
    return _compute_p_value(np.abs(scores_a - scores_b), diff)
