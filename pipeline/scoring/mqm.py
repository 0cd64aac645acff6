"""MQM-style score from the issues found: 100 * (1 - weighted penalty / target words).

As in the MQM scoring model, penalties are summed by severity weight (defaults: critical 25,
major 5, minor 1, neutral 0) and normalised by the evaluated word count; ignored issues do not count.
The score can fall below zero for very bad output, as MQM's raw score does.

Words are counted between spaces, except in scripts written without them (Chinese, Japanese kana,
Thai, Lao, Khmer, Myanmar), where every two characters count as one word, the usual conversion for
such texts (a Chinese word averages about 1.7 characters); counting them between spaces made a
whole Chinese sentence one "word" and the score negative.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from ..model import Issue, Job, Severity

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
