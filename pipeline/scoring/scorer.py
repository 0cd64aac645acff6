"""Corpus, document and segment scores, bootstrap confidence intervals and paired significance tests.

Every number comes from sacrebleu's per-segment sufficient statistics, extracted once per system and
metric.  The resampling follows sacrebleu's own procedure (the same RNG calls, the same
``estimate_ci`` and ``_compute_p_value``), so with the same seed the confidence intervals and p-values
equal ``sacrebleu --confidence`` and ``--paired-bs`` / ``--paired-ar``; eval/sacrebleu_parity.py checks it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sacrebleu.metrics.base import Metric as SacreMetric
from sacrebleu.significance import _compute_p_value, estimate_ci

from ..config import ScoringConfig
from ..errors import InputError
from ..model import Comparison, ConfidenceInterval, MetricScore
from .metrics import MetricSpec, build_metrics
from .segment_stats import segment_statistics
from .vectorized import scores_of


@dataclass
class ScoringInput:
    """Scoring units shared by all systems: hypotheses per system, references as sacrebleu streams."""

    hypotheses: dict[str, list[str]]
    references: list[list[str]]  # references[k][i]: reference k of unit i
    documents: dict[str, tuple[int, int]]  # document id -> unit range [start, end)

    @property
    def n_units(self) -> int:
        return len(self.references[0]) if self.references else 0


# Resampling is done with weight matrices (how often each unit counts in each sample) multiplied
# with the per-unit statistics.  Up to _MAX_CELLS cells the whole draw is made at once, as sacrebleu
# makes it (same stream, same numbers) and kept; larger draws are made and used in chunks of
# _CHUNK_CELLS, so memory stays bounded (tens of MB) on test sets of millions of segments.
_MAX_CELLS = 20_000_000
_CHUNK_CELLS = 4_000_000


class _WeightPlan:
    """Seeded resampling weights, drawn in row chunks; a single chunk reproduces sacrebleu's draw."""

    def __init__(self, n: int, n_samples: int, seed: int | None) -> None:
        self.n, self.n_samples, self.seed = n, n_samples, seed
        self._cached: list[np.ndarray] | None = None  # drawn on first use (indexed_sums never needs them)

    def _draw(self, rng: np.random.Generator, rows: int) -> np.ndarray:
        raise NotImplementedError

    def _chunks(self, step: int) -> Iterator[np.ndarray]:
        rng = np.random.default_rng(self.seed)
        for a in range(0, self.n_samples, step):
            yield self._draw(rng, min(step, self.n_samples - a))

    def weights(self) -> Iterable[np.ndarray]:
        step = max(1, _CHUNK_CELLS // max(1, self.n))
        if self._cached is None and self.n * self.n_samples <= _MAX_CELLS:
            self._cached = list(self._chunks(step))  # reused by every metric; drawn in chunks, the same numbers
        if self._cached is not None:
            return self._cached
        return self._chunks(step)


class BootstrapPlan(_WeightPlan):
    """sacrebleu's bootstrap: ``rng.choice(n, size=(n_samples, n))`` from a fresh seeded generator,
    as counts.  The same draw serves the confidence intervals and the paired bootstrap test
    (sacrebleu's --paired-bs does the same); sums via counts equal sums via indexing, exactly for
    integer statistics."""

    def _draw(self, rng: np.random.Generator, rows: int) -> np.ndarray:
        idx = rng.choice(self.n, size=(rows, self.n), replace=True)
        flat = (idx + (np.arange(rows) * self.n)[:, None]).ravel()
        return np.bincount(flat, minlength=idx.size).reshape(idx.shape).astype(np.float64)

    def resample_sums(self, stats: np.ndarray) -> np.ndarray:
        return np.concatenate([w @ stats for w in self.weights()])

    def indexed_sums(self, stats: np.ndarray) -> np.ndarray:
        """:meth:`resample_sums` for statistics of a few columns (the MQM penalty and words):
        the drawn unit indices summed directly, about twice as fast as counting them, in chunks of
        ``_CHUNK_CELLS`` (numpy's generator gives the same numbers drawn in chunks or at once, so
        these are the resamples of the metrics' intervals)."""
        rng = np.random.default_rng(self.seed)
        step = max(1, _CHUNK_CELLS // max(1, self.n))
        out = []
        for a in range(0, self.n_samples, step):
            idx = rng.choice(self.n, size=(min(step, self.n_samples - a), self.n), replace=True)
            out.append(np.stack([stats[:, k][idx].sum(axis=1) for k in range(stats.shape[1])], axis=1))
        return np.concatenate(out)


class RandomizationPlan(_WeightPlan):
    """sacrebleu's approximate randomization: ``rng.integers(2, size=(trials, n), dtype=bool)``
    chooses, per trial and unit, whether the two systems swap their statistics."""

    def _draw(self, rng: np.random.Generator, rows: int) -> np.ndarray:
        return rng.integers(2, size=(rows, self.n), dtype=bool).astype(np.float64)

    def shuffled_sums(self, baseline: np.ndarray, system: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Summed statistics of both pseudo-systems per trial: kept units from one system, swapped
        ones from the other (pos @ bl + neg @ sys, computed as pos @ (bl - sys) + sum(sys))."""
        diff = baseline - system
        a = np.concatenate([w @ diff for w in self.weights()])
        return a + system.sum(axis=0), baseline.sum(axis=0) - a


def _scores_from(metric, sums: np.ndarray) -> np.ndarray:
    return scores_of(metric, sums)


@dataclass
class SystemStats:
    """One system's per-unit sufficient statistics for each metric, and its segment scores."""

    stats: dict[str, np.ndarray]
    segments: dict[str, list[float | None]]  # None: no segment score (sacrebleu gives none)

    @staticmethod
    def concat(parts: Sequence[SystemStats]) -> SystemStats:
        keys = parts[0].stats.keys() if parts else ()
        return SystemStats(
            {k: np.concatenate([p.stats[k] for p in parts]) for k in keys},
            {k: [x for p in parts for x in p.segments.get(k, [])] for k in keys},
        )

    def to_cache(self) -> tuple[dict, list[np.ndarray]]:
        """Metric keys as JSON, statistics and segment scores as float64 arrays (a cache entry); the
        positions of missing segment scores (None) are listed."""
        keys, seg_keys = list(self.stats), list(self.segments)
        for k, scores in self.segments.items():
            if k not in self.stats or not all(isinstance(x, float) or x is None for x in scores):
                raise TypeError(f"segment scores of {k!r} are not floats of a metric with statistics")
        nulls = {k: [i for i, x in enumerate(v) if x is None] for k, v in self.segments.items()}
        segments = [np.array([np.nan if x is None else x for x in self.segments[k]], dtype=np.float64) for k in seg_keys]
        return {"stats": keys, "segments": seg_keys, "nulls": nulls}, [self.stats[k] for k in keys] + segments

    @classmethod
    def from_cache(cls, data: dict, arrays: list[np.ndarray]) -> SystemStats:
        """The inverse of :meth:`to_cache`; ValueError for data it did not write."""
        keys, seg_keys, nulls = data["stats"], data["segments"], data["nulls"]
        rows = {a.shape[0] for a in arrays if a.ndim}
        if (
            set(data) != {"stats", "segments", "nulls"}
            or not all(isinstance(k, str) for k in keys + seg_keys)
            or len(set(keys)) != len(keys) or len(set(seg_keys)) != len(seg_keys) or not set(seg_keys) <= set(keys)
            or set(nulls) != set(seg_keys) or len(arrays) != len(keys) + len(seg_keys) or len(rows) > 1
            or any(a.ndim != 2 for a in arrays[: len(keys)]) or any(a.ndim != 1 for a in arrays[len(keys) :])
        ):
            raise ValueError("not the statistics of one system")
        segments = {k: a.tolist() for k, a in zip(seg_keys, arrays[len(keys) :])}
        for k, positions in nulls.items():
            for i in positions:
                segments[k][i] = None
        return cls(dict(zip(keys, arrays)), segments)

    @property
    def n_units(self) -> int:
        return next(iter(self.stats.values())).shape[0] if self.stats else 0


class Scorer:
    """Extracts statistics (per shard of units) and aggregates them into scores and comparisons.

    Extraction is the expensive part (tokenising, n-gram matching, TER's edit distance) and is
    independent per unit, so it can run per shard, in parallel and cached; aggregation is exact
    over any split because corpus scores are functions of summed statistics.
    """

    def __init__(self, config: ScoringConfig, tgt_lang: str) -> None:
        self.config = config
        self.tgt_lang = tgt_lang
        self.specs = build_metrics(config, tgt_lang)

    def extract(self, hypotheses: dict[str, list[str]], references: list[list[str]]) -> dict[str, SystemStats]:
        """Statistics for each system on the same units (references cached once per metric)."""
        out = {name: SystemStats({}, {}) for name in hypotheses}
        n = len(references[0]) if references else 0
        for name, hyps in hypotheses.items():
            if len(hyps) != n:
                raise InputError(f"system {name!r}: {len(hyps)} segments to score, the references have {n}")
        for spec in self.specs:
            corpus_metric = spec.corpus_metric(references)
            segment_metric = spec.segment_metric() if self.config.segment_scores else None
            statistics = segment_statistics(corpus_metric)
            preprocess, ref_cache = corpus_metric._preprocess_segment, corpus_metric._ref_cache
            # Systems often produce the same sentence for a unit: its statistics are computed once
            # (sacrebleu's own per-segment steps: preprocess, then match against the cached refs).
            seen: dict[tuple[int, str], tuple[list, float | None]] = {}
            for name, hyps in hypotheses.items():
                rows, scores = [], []
                for i, hyp in enumerate(hyps):
                    hit = seen.get((i, hyp))
                    if hit is None:
                        row = statistics(preprocess(hyp), ref_cache[i])
                        score = segment_metric._compute_score_from_stats(row).score if segment_metric is not None else None
                        hit = seen[(i, hyp)] = (row, score)
                    rows.append(hit[0])
                    scores.append(hit[1])
                out[name].stats[spec.key] = np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)
                if segment_metric is not None:
                    out[name].segments[spec.key] = scores
        return out

    def aggregate(
        self,
        systems: dict[str, SystemStats],
        n_refs: int,
        documents: dict[str, tuple[int, int]] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> tuple[dict[str, dict[str, MetricScore]], list[Comparison]]:
        config = self.config
        names = list(systems)
        if not names:
            return {}, []
        n = next(iter(systems[names[0]].stats.values())).shape[0] if systems[names[0]].stats else 0
        if n == 0:
            return {}, []
        baseline = config.significance.baseline or names[0]
        if baseline not in names:
            raise InputError(f"baseline system {baseline!r} is not among the systems ({', '.join(names)})")
        seed = config.seed
        plan = BootstrapPlan(n, config.bootstrap_samples, seed) if config.confidence or "bs" in config.significance.tests else None

        results: dict[str, dict[str, MetricScore]] = {s: {} for s in names}
        comparisons: list[Comparison] = []
        for spec in self.specs:
            metric = spec.corpus_metric(None)
            metric.num_refs = n_refs
            if config.confidence:
                metric.n_bootstrap = config.bootstrap_samples
                metric.seed = str(seed).lower()
            signature = metric.get_signature().format()
            stats = {s: np.asarray(systems[s].stats[spec.key], dtype=np.float64) for s in names}  # one metric at a time (the driver keeps int32: accumulate.py)
            resampled: dict[str, np.ndarray] = {}
            for system in names:
                if progress:
                    progress(f"{spec.key} {system}")
                score, samples = self._metric_score(spec, metric, signature, stats[system], plan, documents, systems[system].segments.get(spec.key))
                results[system][spec.key] = score
                if samples is not None:
                    resampled[system] = samples
            if len(names) > 1:
                comparisons += _compare(spec, metric, baseline, names, stats, resampled, results, config)
        return results, comparisons

    def _metric_score(
        self,
        spec: MetricSpec,
        metric: SacreMetric,
        signature: str,
        arr: np.ndarray,
        plan: BootstrapPlan | None,
        documents: dict[str, tuple[int, int]] | None,
        segments: list[float | None] | None,
    ) -> tuple[MetricScore, np.ndarray | None]:
        """One system's score of one metric from its per-unit statistics ``arr``: corpus score,
        confidence interval, document scores; and its bootstrap resample scores (None without
        a ``plan``), which the paired test reuses."""
        config = self.config
        corpus = metric._compute_score_from_stats(arr.sum(axis=0))
        ci = None
        resampled = None
        if plan is not None:
            resampled = _scores_from(metric, plan.resample_sums(arr))
            if config.confidence:
                mean, half = estimate_ci(resampled)
                ci = ConfidenceInterval(float(mean), float(half), plan.n_samples, config.seed)
        doc_scores = None
        if config.document_scores and documents:
            doc_scores = {
                doc: metric._compute_score_from_stats(arr[a:b].sum(axis=0)).score
                for doc, (a, b) in documents.items()
                if b > a
            }
        score = MetricScore(
            metric=corpus.name,
            score=float(corpus.score),
            signature=signature,
            formatted=corpus.format(width=2, score_only=False, signature=""),
            higher_is_better=spec.higher_is_better,
            ci=ci,
            segments=segments if config.segment_scores else None,
            documents=doc_scores,
        )
        return score, resampled


def score_systems(
    data: ScoringInput,
    config: ScoringConfig,
    tgt_lang: str,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, dict[str, MetricScore]], list[Comparison]]:
    """Scores per system and metric key, and comparisons of every system against the baseline."""
    if not data.hypotheses or data.n_units == 0 or not data.references:
        return {}, []
    scorer = Scorer(config, tgt_lang)
    stats = scorer.extract(data.hypotheses, data.references)
    return scorer.aggregate(stats, len(data.references), data.documents, progress)


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
    ar_plan = None
    if "ar" in sig.tests:
        ar_plan = RandomizationPlan(stats[baseline].shape[0], sig.ar_trials, config.seed)
    for system in systems:
        if system == baseline:
            continue
        sys_score = results[system][spec.key].score
        diff = abs(bl_score - sys_score)
        if "bs" in sig.tests:
            sample_diffs = np.abs(resampled[system] - resampled[baseline])
            p = _compute_p_value(sample_diffs - sample_diffs.mean(), diff)
            out.append(Comparison(name, system, baseline, "bs", sys_score, bl_score, sys_score - bl_score, float(p), len(sample_diffs), config.seed))
        if ar_plan is not None:
            shuf_a, shuf_b = ar_plan.shuffled_sums(stats[baseline], stats[system])
            p = _compute_p_value(np.abs(_scores_from(metric, shuf_a) - _scores_from(metric, shuf_b)), diff)
            out.append(Comparison(name, system, baseline, "ar", sys_score, bl_score, sys_score - bl_score, float(p), ar_plan.n_samples, config.seed))
    return out
