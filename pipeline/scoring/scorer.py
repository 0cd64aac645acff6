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

@dataclass
class ScoringInput:
    """Scoring units shared by all systems: hypotheses per system, references as sacrebleu streams."""

    hypotheses: dict[str, list[str]]
    references: list[list[str]]  # references[k][i]: reference k of unit i
    documents: dict[str, tuple[int, int]]  # document id -> unit range [start, end)

    @property
    def n_units(self) -> int:
        return len(self.references[0]) if self.references else 0


# Bootstrap resampling is done with count matrices (how often each segment is drawn in each sample)
# multiplied with the statistics; up to this many matrix cells are held at once, so memory stays
# bounded on large test sets.
_MAX_CELLS = 50_000_000


class BootstrapPlan:
    """The resampling indices of sacrebleu's bootstrap, as count matrices.

    sacrebleu draws ``rng.choice(n, size=(n_samples, n))`` once from a fresh seeded generator; the
    same draw serves the confidence intervals and the paired bootstrap test.  Summing statistics via
    counts (a matrix product) gives the same sums as indexing, for integer statistics exactly.
    Beyond ``_MAX_CELLS`` the draw is made in row chunks (still seeded, no longer sacrebleu's stream).
    """

    def __init__(self, n: int, n_samples: int, seed: int | None) -> None:
        self.n, self.n_samples, self.seed = n, n_samples, seed
        self._cached = self._chunks() if n * n_samples <= _MAX_CELLS else None

    def _chunks(self) -> list[np.ndarray]:
        rng = np.random.default_rng(self.seed)
        rows = max(1, _MAX_CELLS // max(1, self.n))
        out = []
        for a in range(0, self.n_samples, rows):
            idx = rng.choice(self.n, size=(min(rows, self.n_samples - a), self.n), replace=True)
            flat = (idx + (np.arange(idx.shape[0]) * self.n)[:, None]).ravel()
            out.append(np.bincount(flat, minlength=idx.size).reshape(idx.shape).astype(np.float64))
        return out

    def resample_sums(self, stats: np.ndarray) -> np.ndarray:
        chunks = self._cached if self._cached is not None else self._chunks()
        return np.concatenate([w @ stats for w in chunks])


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
    plan = None
    if config.confidence or "bs" in config.significance.tests:
        plan = BootstrapPlan(n, config.bootstrap_samples, seed)

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
            if plan is not None:
                resampled[system] = _scores_from(corpus_metric, plan.resample_sums(arr))
                if config.confidence:
                    mean, half = estimate_ci(resampled[system])
                    ci = ConfidenceInterval(float(mean), float(half), plan.n_samples, seed)
            if config.confidence:
                corpus_metric.n_bootstrap = config.bootstrap_samples
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
    rows = max(1, _MAX_CELLS // max(1, pos.shape[1]))
    for a in range(0, pos.shape[0], rows):
        sel = pos[a : a + rows]
        neg = ~sel
        shuf_a = sel @ bl + neg @ sy
        shuf_b = neg @ bl + sel @ sy
        scores_a[a : a + rows] = _scores_from(metric, shuf_a)
        scores_b[a : a + rows] = _scores_from(metric, shuf_b)
    return _compute_p_value(np.abs(scores_a - scores_b), diff)
