"""sacrebleu's per-segment statistics of BLEU and chrF, with less of the n-gram matching in Python.

sacrebleu matches a hypothesis against its references with a Python loop over every hypothesis
n-gram (``min(count, ref[ngram])`` one n-gram at a time); for chrF with two references that loop
is about two thirds of a batch run's scoring time.  These functions take the n-grams sacrebleu
extracts and the reference caches it builds, and compute the same integers looping only over the
keys the two sides share (a C-level set intersection), which halves the matching time.  They
return exactly what ``_compute_segment_statistics`` returns (tests/test_scoring.py compares them
row by row, eval/sacrebleu_parity.py the scores on WMT22).  TER's edit counts come from
pipeline/scoring/ter.py: sacrebleu's shift search with a bit-parallel edit distance, the same
numbers (tests/test_ter.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.helpers import extract_all_char_ngrams, extract_word_ngrams

from .ter import Reference as TerReference
from .ter import segment_statistics as ter_segment_statistics

SegmentStats = Callable[[str, Any], list[Any]]


def _matched(hyp: Counter, ref: Counter) -> int:
    matched = 0
    for gram in hyp.keys() & ref.keys():
        h, r = hyp[gram], ref[gram]
        matched += h if h < r else r  # min(h, r) without the cost of a builtin call
    return matched


def segment_statistics(metric: Any) -> SegmentStats:
    """A function (preprocessed hypothesis, reference cache entry) -> statistics row, for ``metric``."""
    if type(metric) is BLEU:
        return _bleu_statistics(metric)
    if type(metric) is CHRF:
        return _chrf_statistics(metric)
    if type(metric) is TER:
        return _ter_statistics()
    return metric._compute_segment_statistics


def _bleu_statistics(metric: BLEU) -> SegmentStats:
    orders = range(1, metric.max_ngram_order + 1)
    closest = metric._get_closest_ref_len

    def stats(hypothesis: str, ref_kwargs: dict) -> list[int]:
        ref_ngrams = ref_kwargs["ref_ngrams"]
        tokens = hypothesis.split()
        hyp_len = len(tokens)
        correct, total = [], []
        for n in orders:
            # the same tuples sacrebleu's extract_all_word_ngrams makes: tuple(tokens[i:i + n])
            grams = Counter(zip(*(tokens[k:] for k in range(n))))
            total.append(max(0, hyp_len - n + 1))
            correct.append(_matched(grams, ref_ngrams))
        return [hyp_len, closest(hyp_len, ref_kwargs["ref_lens"]), *correct, *total]

    return stats


def _chrf_statistics(metric: CHRF) -> SegmentStats:
    char_order, word_order, whitespace = metric.char_order, metric.word_order, metric.whitespace
    f_score = metric._compute_f_score
    # id of a reference's n-gram list -> its n-gram counts; the metric's reference cache keeps the
    # lists alive (and their ids unique) for as long as this function is used with it
    ref_totals: dict[int, list[int]] = {}

    def stats(hypothesis: str, ref_kwargs: dict) -> list[int]:
        hyp_ngrams = extract_all_char_ngrams(hypothesis, char_order, whitespace)
        if word_order > 0:
            words = metric._remove_punctuation(hypothesis)
            hyp_ngrams.extend(extract_word_ngrams(words, n) for n in range(1, word_order + 1))
        hyp_counts = [sum(h.values()) for h in hyp_ngrams]
        best_stats: list[int] = []
        best_f = -1.0
        for ref_ngrams in ref_kwargs["ref_ngrams"]:
            totals = ref_totals.get(id(ref_ngrams))
            if totals is None:
                totals = ref_totals[id(ref_ngrams)] = [sum(r.values()) for r in ref_ngrams]
            row: list[int] = []
            for h, h_count, r, r_count in zip(hyp_ngrams, hyp_counts, ref_ngrams, totals):
                row += (h_count if r else 0, r_count, _matched(h, r))
            f = f_score(row)
            if f > best_f:
                best_f, best_stats = f, row
        return best_stats

    return stats


def _ter_statistics() -> SegmentStats:
    # id of a reference's word list -> its prepared form; the metric's reference cache keeps the lists
    # alive (and their ids unique) for as long as this function is used with it
    prepared: dict[int, TerReference] = {}

    def stats(hypothesis: str, ref_kwargs: dict) -> list[float]:
        refs = []
        for words in ref_kwargs["ref_words"]:
            ref = prepared.get(id(words))
            if ref is None:
                ref = prepared[id(words)] = TerReference(words)
            refs.append(ref)
        return ter_segment_statistics(hypothesis.split(), refs)

    return stats
