"""Paired significance of a candidate against a baseline from two results files.

The segment-level sufficient statistics are not stored in results.json, so both runs' segments are
put back into one job (candidate and baseline as two systems on the same source and references)
and scored again with the candidate run's metric settings: the same machinery, and so the same
p-values, as a two-system ``mtqa run`` would give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..config import ScoringConfig
from ..errors import ConfigError, InputError
from ..model import Document, Job
from ..results import job_from_results
from ..scoring import score_systems, scoring_input

CANDIDATE, BASELINE = "candidate", "baseline"


@dataclass(slots=True)
class PairedResult:
    metric: str
    score: float
    baseline_score: float
    delta: float
    p_value: float
    test: str
    higher_is_better: bool


def _comparable_signature(signature: str) -> str:
    """Signatures without the resampling settings, which do not change the score."""
    return "|".join(p for p in signature.split("|") if not re.match(r"^(bs|seed|ar):", p))


def check_same_test_set(candidate: Job, baseline: Job) -> None:
    if [d.id for d in candidate.documents] != [d.id for d in baseline.documents]:
        raise InputError("baseline results cover other documents than the candidate's; a regression test needs the same test set")
    if candidate.references != baseline.references:
        raise InputError(f"baseline results use references {baseline.references}, the candidate {candidate.references}")
    for dc, db in zip(candidate.documents, baseline.documents):
        if [s.text for s in dc.source] != [s.text for s in db.source]:
            raise InputError(f"document {dc.id!r}: the baseline's source segments differ from the candidate's; a regression test needs the same test set")
        for name in candidate.references:
            if [s.text for s in dc.references[name]] != [s.text for s in db.references[name]]:
                raise InputError(f"document {dc.id!r}: reference {name!r} differs between baseline and candidate")


class PairedScorer:
    """Paired comparisons of candidate systems with one baseline system, cached per (system, metric, test)."""

    def __init__(self, candidate: dict[str, Any], baseline: dict[str, Any], baseline_system: str, samples: int, ar_trials: int, seed: int | None) -> None:
        self.candidate, self.baseline = candidate, baseline
        self.baseline_system = baseline_system
        self.samples, self.ar_trials, self.seed = samples, ar_trials, seed
        self._jobs: tuple | None = None
        self._cache: dict[tuple[str, str, str], PairedResult] = {}

    def _load(self) -> tuple:
        if self._jobs is None:
            job_c, beads_c = job_from_results(self.candidate, "candidate results")
            job_b, beads_b = job_from_results(self.baseline, "baseline results")
            if not job_c.references:
                raise InputError("the candidate results have no references: a regression test needs reference-based scores")
            check_same_test_set(job_c, job_b)
            self._jobs = (job_c, beads_c, job_b, beads_b)
        return self._jobs

    def compare(self, system: str, metric: str, test: str) -> PairedResult:
        key = (system, metric, test)
        if key not in self._cache:
            self._cache[key] = self._compare(system, metric, test)
        return self._cache[key]

    def _check_signatures(self, system: str, metric: str) -> None:
        cand = self.candidate["systems"][system]["scores"].get(metric)
        base = self.baseline["systems"][self.baseline_system]["scores"].get(metric)
        if cand and base and _comparable_signature(cand["signature"]) != _comparable_signature(base["signature"]):
            raise InputError(
                f"{cand['metric']} settings differ between candidate ({cand['signature']}) and baseline ({base['signature']}): the scores are not comparable"
            )

    def _compare(self, system: str, metric: str, test: str) -> PairedResult:
        job_c, beads_c, job_b, beads_b = self._load()
        self._check_signatures(system, metric)
        documents = [
            Document(dc.id, dc.source, {BASELINE: db.targets[self.baseline_system], CANDIDATE: dc.targets[system]}, dc.references, dc.line_aligned)
            for dc, db in zip(job_c.documents, job_b.documents)
        ]
        job = Job(job_c.src_lang, job_c.tgt_lang, documents, [BASELINE, CANDIDATE], list(job_c.references))
        beads = {BASELINE: beads_b[self.baseline_system], CANDIDATE: beads_c[system]}
        data = scoring_input(job, beads)
        if data is None:
            raise InputError("candidate and baseline results share no scoring units: nothing to compare")
        settings = dict(self.candidate["config"].get("scoring", {}))
        settings.update(
            metrics=[metric],
            segment_scores=False,
            document_scores=False,
            confidence=False,
            bootstrap_samples=self.samples,
            seed=self.seed,
            significance={"tests": [test], "baseline": BASELINE, "ar_trials": self.ar_trials},
        )
        try:
            config = ScoringConfig.model_validate(settings)
        except Exception as err:  # a results file from an incompatible mtqa version
            raise ConfigError(f"candidate results: scoring settings not understood ({err.__class__.__name__})") from None
        scores, comparisons = score_systems(data, config, job.tgt_lang)
        c = comparisons[0]
        return PairedResult(c.metric, c.score, c.baseline_score, c.delta, c.p_value, test, scores[CANDIDATE][metric].higher_is_better)
