"""Scoring stage: sacrebleu metrics with signatures, CIs and paired tests; MQM-style score."""

from .metrics import METRICS, MetricSpec, build_metrics
from .mqm import count_words, mqm_per_1k, mqm_score, target_words
from .scorer import ScoringInput, score_systems
from .units import scoring_input

__all__ = ["METRICS", "MetricSpec", "ScoringInput", "build_metrics", "count_words", "mqm_per_1k", "mqm_score", "score_systems", "scoring_input", "target_words"]
