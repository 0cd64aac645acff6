"""mtqa's TER (pipeline/scoring/ter.py) gives sacrebleu 2.6.0's numbers, segment by segment."""

import os
import random
from pathlib import Path

import pytest
from sacrebleu.metrics import TER
from sacrebleu.metrics.lib_ter import translation_edit_rate

from pipeline.config import load_config
from pipeline.scoring import ScoringInput, score_systems, ter
from pipeline.scoring.segment_stats import segment_statistics

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test"
PAIRS = ["de-en", "ru-en", "uk-en"]


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def wmt22(pair: str) -> tuple[dict[str, list[str]], list[list[str]]]:
    d = DATA / pair
    if not (d / f"generaltest2022.{pair}.ref.A.en").is_file():
        pytest.skip(f"WMT22 {pair} not found in {d}")
    hyps = {p.name.split(".hyp.")[1][:-3]: read(p) for p in sorted(d.glob(f"generaltest2022.{pair}.hyp.*.en"))}
    refs = [read(p) for p in sorted(d.glob(f"generaltest2022.{pair}.ref.*.en"))]
    return hyps, refs


def sample(pair: str, count: int) -> tuple[list[str], list[list[str]]]:
    """``count`` real segments of the pair, each from another system, with an empty hypothesis and an empty reference among them."""
    hyps, refs = wmt22(pair)
    systems = sorted(hyps)
    n = len(refs[0])
    units = random.Random(pair).sample(range(n), count)
    out_h = [hyps[systems[k % len(systems)]][i] for k, i in enumerate(units)]
    out_r = [[ref[i] for i in units] for ref in refs]
    out_h[0] = ""  # an empty hypothesis
    for ref in out_r:  # an empty reference (in every reference set)
        ref[1] = ""
    out_r[0][2] = " "  # blank after rstrip in one set only
    return out_h, out_r


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("options", [{}, {"case_sensitive": True}, {"normalized": True, "no_punct": True}], ids=["default", "cased", "norm-nopunct"])
def test_segment_statistics_equal_sacrebleu(pair, options):
    hyps, refs = sample(pair, 40)
    for ref_sets in ([refs[0]], refs):
        metric = TER(references=ref_sets, **options)
        fast = segment_statistics(metric)
        for i, hyp in enumerate(hyps):
            words = metric._preprocess_segment(hyp)
            expected = metric._compute_segment_statistics(words, metric._ref_cache[i])
            got = fast(words, metric._ref_cache[i])
            assert got == expected, (pair, options, i, hyp)
            assert [type(v) for v in got] == [type(v) for v in expected]


def test_random_word_sequences_where_the_beam_and_the_candidate_limit_matter():
    """Small vocabularies (many equal words: hundreds of shift candidates), long rotations (paths the beam cuts)."""
    rng = random.Random(7)
    for _ in range(120):
        vocab = rng.choice([2, 3, 5, 20])
        ref = [str(rng.randrange(vocab)) for _ in range(rng.randint(0, 45))]
        if ref and rng.random() < 0.5:
            cut = rng.randrange(len(ref))
            hyp = ref[cut:] + ref[:cut]
            for _ in range(rng.randint(0, 4)):
                hyp.insert(rng.randint(0, len(hyp)), str(rng.randrange(vocab)))
        else:
            hyp = [str(rng.randrange(vocab)) for _ in range(rng.randint(0, 50))]
        assert ter.edits(hyp, ter.Reference(ref)) == translation_edit_rate(hyp, ref)[0], (hyp, ref)


def test_the_beam_is_sacrebleus_not_the_full_edit_distance():
    """A rotation by 28 of 60 words: sacrebleu's beam cuts the cheapest alignment, and so must mtqa's."""
    ref = [f"w{k}" for k in range(60)]
    hyp = ref[28:] + ref[:28]
    reference = ter.Reference(ref)
    expected = translation_edit_rate(hyp, ref)[0]
    assert ter.edits(hyp, reference) == expected
    # without shifts the full edit distance would be 56 (28 deletions, 28 insertions); within the beam it is more
    assert ter._beam_rows(reference.words, reference.words[28:] + reference.words[:28], ter._beam_ranges(60, 60))[-1][-1] > 56


@pytest.mark.parametrize("pair", PAIRS)
def test_corpus_score_through_mtqa_equals_sacrebleu(pair):
    hyps, refs = wmt22(pair)
    systems = sorted(hyps)[:2]
    units = range(0, len(refs[0]), 40)
    mine = {s: [hyps[s][i] for i in units] for s in systems}
    ref_sets = [[ref[i] for i in units] for ref in refs]
    config = load_config(None, {"scoring": {"metrics": ["ter"], "segment_scores": True, "document_scores": False, "confidence": False, "significance": {"tests": []}}}).scoring
    scores, _ = score_systems(ScoringInput(mine, ref_sets, {}), config, "en")
    for s in systems:
        expected = TER().corpus_score(mine[s], ref_sets)
        assert scores[s]["ter"].score == expected.score
        assert scores[s]["ter"].segments == [TER().sentence_score(h, [r[k] for r in ref_sets]).score for k, h in enumerate(mine[s])]
