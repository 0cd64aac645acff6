import numpy as np
import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from pipeline.config import load_config
from pipeline.scoring import ScoringInput, score_systems
from pipeline.scoring.scorer import BootstrapPlan

HYP_A = [
    "The cat sat on the mat.",
    "Biden and Putin talk about the conflict in Ukraine.",
    "The EU does not want to be ignored.",
    "It was planned for the late evening.",
    "Russia rejects the accusations.",
    "A summit on 10 January is to discuss a solution.",
    "The talks are planned in Geneva.",
    "He said he was ready.",
]
HYP_B = [
    "A cat was sitting on the mat.",
    "Biden and Putin speak over Ukraine conflict.",
    "The EU will not be passed over.",
    "It is planned for late evening.",
    "Russia rejects allegations.",
    "At a summit on January 10 a solution shall be discussed.",
    "The talks are planned in Genf.",
    "He said that he was prepared.",
]
REF_1 = [
    "The cat sat on the mat.",
    "Biden and Putin to discuss Ukraine conflict.",
    "The EU does not want to be sidelined.",
    "It is scheduled for late in the evening.",
    "Russia rejects accusations.",
    "A summit on January 10 is to discuss a way out.",
    "The talks are planned in Geneva.",
    "He said he was prepared.",
]
REF_2 = [
    "A cat sat on the mat.",
    "Biden and Putin will talk about the Ukraine conflict.",
    "The EU doesn't want to be ignored.",
    "It is planned for the late evening.",
    "Russia denies the accusations.",
    "A summit on 10 January will discuss a solution.",
    "Talks are planned in Geneva.",
    "He said that he was ready.",
]


def scoring_config(**over):
    base = {"scoring": {"significance": {"tests": ["bs", "ar"], "ar_trials": 500}, "bootstrap_samples": 200}}
    base["scoring"].update(over)
    return load_config(None, base).scoring


@pytest.mark.parametrize("refs", [[REF_1], [REF_1, REF_2]])
def test_corpus_scores_and_signatures_equal_sacrebleu(refs):
    data = ScoringInput({"A": HYP_A, "B": HYP_B}, refs, {"d1": (0, 4), "d2": (4, 8)})
    scores, _ = score_systems(data, scoring_config(), "en")
    for system, hyps in (("A", HYP_A), ("B", HYP_B)):
        expected = {
            "bleu": BLEU().corpus_score(hyps, refs),
            "chrf": CHRF().corpus_score(hyps, refs),
            "chrf++": CHRF(word_order=2).corpus_score(hyps, refs),
            "ter": TER().corpus_score(hyps, refs),
        }
        for key, exp in expected.items():
            got = scores[system][key]
            assert got.score == pytest.approx(exp.score, abs=1e-9), key
            assert got.metric == exp.name
            assert f"nrefs:{len(refs)}" in got.signature and "version:2.6.0" in got.signature
    assert scores["A"]["ter"].higher_is_better is False


def test_segment_scores_equal_sacrebleu_sentence_scores():
    data = ScoringInput({"A": HYP_A}, [REF_1, REF_2], {})
    scores, _ = score_systems(data, scoring_config(), "en")
    for i, hyp in enumerate(HYP_A):
        refs = [REF_1[i], REF_2[i]]
        assert scores["A"]["bleu"].segments[i] == pytest.approx(sacrebleu.sentence_bleu(hyp, refs).score)
        assert scores["A"]["chrf"].segments[i] == pytest.approx(sacrebleu.sentence_chrf(hyp, refs).score)
        assert scores["A"]["ter"].segments[i] == pytest.approx(sacrebleu.sentence_ter(hyp, refs).score)


def test_document_scores_are_corpus_scores_of_their_segments():
    data = ScoringInput({"A": HYP_A}, [REF_1], {"d1": (0, 3), "d2": (3, 8)})
    scores, _ = score_systems(data, scoring_config(), "en")
    assert scores["A"]["bleu"].documents["d1"] == pytest.approx(BLEU().corpus_score(HYP_A[:3], [REF_1[:3]]).score)
    assert scores["A"]["chrf"].documents["d2"] == pytest.approx(CHRF().corpus_score(HYP_A[3:], [REF_1[3:]]).score)


def test_confidence_interval_and_paired_tests_equal_sacrebleu():
    refs = [REF_1]
    data = ScoringInput({"A": HYP_A, "B": HYP_B}, refs, {})
    ours, comparisons = score_systems(data, scoring_config(), "en")
    metrics = {"BLEU": BLEU(references=refs), "chrF2": CHRF(references=refs)}
    named = [("A", HYP_A), ("B", HYP_B)]
    _, bs = PairedTest(named, metrics, None, test_type="bs", n_samples=200)()
    metrics = {"BLEU": BLEU(references=refs), "chrF2": CHRF(references=refs)}
    _, ar = PairedTest(named, metrics, None, test_type="ar", n_samples=500)()
    by_key = {(c.metric, c.test): c for c in comparisons}
    for name, key in (("BLEU", "bleu"), ("chrF2", "chrf")):
        assert by_key[(name, "bs")].p_value == pytest.approx(bs[name][1].p_value)
        assert by_key[(name, "ar")].p_value == pytest.approx(ar[name][1].p_value)
        for i, system in enumerate(("A", "B")):
            assert ours[system][key].ci.half_width == pytest.approx(bs[name][i].ci)
            assert ours[system][key].ci.mean == pytest.approx(bs[name][i].mean)
    assert "bs:200" in ours["A"]["bleu"].signature and "seed:12345" in ours["A"]["bleu"].signature


def test_bootstrap_plan_matches_index_sums_also_when_chunked(monkeypatch):
    stats = np.arange(40, dtype=np.float64).reshape(10, 4)
    idx = np.random.default_rng(5).choice(10, size=(30, 10), replace=True)
    direct = stats[idx].sum(axis=1)
    assert np.array_equal(BootstrapPlan(10, 30, 5).resample_sums(stats), direct)
    import pipeline.scoring.scorer as scorer

    monkeypatch.setattr(scorer, "_MAX_CELLS", 25)  # forces row chunks: a seeded, valid resampling still
    monkeypatch.setattr(scorer, "_CHUNK_CELLS", 40)
    plan = BootstrapPlan(10, 30, 5)
    assert plan._cached is None  # drawn lazily, chunk by chunk, at each use
    weights = list(plan.weights())
    assert len(weights) == 8 and sum(w.shape[0] for w in weights) == 30
    assert all((w.sum(axis=1) == 10).all() for w in weights)  # each sample draws n segments
    chunked = plan.resample_sums(stats)
    assert chunked.shape == (30, 4)
    assert np.array_equal(chunked, BootstrapPlan(10, 30, 5).resample_sums(stats))


def test_baseline_choice_and_unknown_baseline():
    data = ScoringInput({"A": HYP_A, "B": HYP_B}, [REF_1], {})
    cfg = scoring_config()
    cfg.significance.baseline = "B"
    _, comps = score_systems(data, cfg, "en")
    assert {c.baseline for c in comps} == {"B"} and {c.system for c in comps} == {"A"}
    cfg.significance.baseline = "C"
    with pytest.raises(Exception, match="baseline system 'C'"):
        score_systems(data, cfg, "en")


def test_tokenizer_follows_target_language():
    data = ScoringInput({"A": ["猫坐在垫子上。"]}, [["猫坐在垫子上。"]], {})
    scores, _ = score_systems(data, scoring_config(metrics=["bleu"], confidence=False), "zh")
    assert "tok:zh" in scores["A"]["bleu"].signature
    assert scores["A"]["bleu"].score == pytest.approx(100.0)


def test_vectorized_scores_equal_sacrebleu_row_by_row():
    from pipeline.scoring.vectorized import scores_of

    rng = np.random.default_rng(3)
    for metric in (BLEU(), BLEU(smooth_method="floor"), BLEU(smooth_method="none"), CHRF(), CHRF(word_order=2), CHRF(eps_smoothing=True), TER()):
        stats = np.asarray(metric._extract_corpus_statistics(HYP_A + HYP_B + ["", "x"], [REF_1 + REF_2 + ["y", ""]]), dtype=np.float64)
        rows = np.vstack([stats, rng.integers(0, 3, size=(200, len(stats))) @ stats])
        expected = [metric._compute_score_from_stats(list(r)).score for r in rows]
        assert scores_of(metric, rows).tolist() == expected, type(metric).__name__


def test_randomization_sums_equal_sacrebleu_swaps():
    from pipeline.scoring.scorer import RandomizationPlan

    bl = np.arange(24, dtype=np.float64).reshape(8, 3)
    sy = bl[::-1] * 2
    plan = RandomizationPlan(8, 50, 7)
    pos = np.random.default_rng(7).integers(2, size=(50, 8), dtype=bool)
    a, b = plan.shuffled_sums(bl, sy)
    assert np.array_equal(a, pos @ bl + ~pos @ sy)
    assert np.array_equal(b, ~pos @ bl + pos @ sy)


EDGE_HYPS = ["", "x", "the the the the", "Ünïcödé straße — „quoted“ 6,3 Mio.", "a b a b a b a", "  spaced   out  "]
EDGE_REFS = ["y", "", "the the cat", "Unicode Strasse “quoted” 6.3 million", "a b a b", "spaced out"]


@pytest.mark.parametrize(
    "metric",
    [BLEU(), BLEU(lowercase=True), BLEU(max_ngram_order=2), BLEU(tokenize="char"), CHRF(), CHRF(word_order=2), CHRF(whitespace=True), CHRF(lowercase=True, char_order=3)],
    ids=lambda m: f"{type(m).__name__}",
)
@pytest.mark.parametrize("n_refs", [1, 2])
def test_fast_segment_statistics_equal_sacrebleu_rows(metric, n_refs):
    from pipeline.scoring.segment_stats import segment_statistics

    hyps = HYP_A + HYP_B + EDGE_HYPS
    refs = [REF_1 + REF_2 + EDGE_REFS, REF_2 + REF_1 + EDGE_REFS[::-1]][:n_refs]
    metric._ref_cache = metric._cache_references(refs)
    fast = segment_statistics(metric)
    assert fast is not metric._compute_segment_statistics  # the fast path is the one under test
    for i, hyp in enumerate(hyps):
        pre = metric._preprocess_segment(hyp)
        assert fast(pre, metric._ref_cache[i]) == metric._compute_segment_statistics(pre, metric._ref_cache[i]), (i, hyp)


def test_mqm_word_count_for_unspaced_scripts():
    from pipeline.scoring import count_words

    assert count_words("Biden and Putin spoke on Monday.") == 6
    # Chinese and Japanese have no spaces: two characters count as a word, so one sentence is not one word
    # (which made the MQM score of any flagged Chinese line negative).
    assert count_words("据报道，他同其表兄周三从相邻的云南省过来在该市场出售 15 头猪。") >= 14
    assert count_words("東京で3日、会議が開かれた。") >= 6
    assert count_words("Apple의 새로운 제품") == 3  # Korean writes spaces
