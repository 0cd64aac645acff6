"""MQM-style score from the issues found: 100 * (1 - weighted penalty / target words).

As in the MQM scoring model, penalties are summed by severity weight (defaults: critical 25,
major 5, minor 1, neutral 0) and normalised by the evaluated word count; ignored issues do not count.
The score can fall below zero for very bad output, as MQM's raw score does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Issue, Job, Severity


def target_words(job: Job, system: str) -> int:
    return sum(len(seg.text.split()) for doc in job.documents for seg in doc.targets[system])


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
