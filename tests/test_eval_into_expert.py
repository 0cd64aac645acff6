"""eval/into_expert.py (issue 18's expert figures for German targets): the MQM TED en-de span parsing and
scoring on real lines of mqm_ted_ende.tsv, the MLQE-PE word tags and token mapping on a real line of
en-de test20, and the MCC on hand-made cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

from into_expert import (  # noqa: E402
    CATEGORIES,
    MQM_FILE,
    flagged_tokens,
    fluency_label,
    gold_spans,
    load_mqm,
    mcc,
    mqm_report,
    token_offsets,
    word_tags,
)

HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment"
SRC_13 = "We might one day see a shadow a black hole can cast on a very bright background, but we haven't yet."
TGT_13 = "Wir könnten eines Tages einen Schatten sehen, den ein {}Schwarzes{} Loch auf einen sehr hellen Hintergrund {}werfen kann{}, aber wir haben es noch nicht."
SRC_10 = "Now we'd like to be able to add to a kind of glorious visual composition that we have of the universe -- a sonic composition."
TGT_10 = "Jetzt möchten wir in der Lage sein, eine Art herrliche visuelle Komposition des Universums zu ergänzen {}-{} eine Klangkomposition."
# real rows of mqm_ted_ende.tsv (HuaweiTSC and metricsystem2, talk.1), and a No-error row of the same segment
ROWS = [
    "\t".join(["HuaweiTSC", "talk.1", "13", "13", "rater1", SRC_13, TGT_13.format("<v>", "</v>", "", ""), "Fluency/Spelling", "Minor", ""]),
    "\t".join(["HuaweiTSC", "talk.1", "13", "13", "rater1", SRC_13, TGT_13.format("", "", "<v>", "</v>"), "Fluency/Grammar", "Minor", ""]),
    "\t".join(["metricsystem2", "talk.1", "10", "10", "rater4", SRC_10, TGT_10.format("<v>", "</v>"), "Fluency/Punctuation", "Minor", ""]),
    "\t".join(["ref", "talk.1", "10", "10", "rater4", SRC_10, TGT_10.format("", "").replace(" - ", " – "), "No-error", "No-error", ""]),
]
# en-de test20 line 1: the MT (Moses-tokenized) and its tags (gap, word, gap, ... word, gap)
MT_1 = "Der Sultan ernennt Richter und kann Begnadigungen und Pendelstrafen gewähren ."
TAGS_1 = "OK OK OK OK OK OK OK OK OK OK OK OK OK OK BAD OK OK BAD OK BAD OK OK OK"


@pytest.fixture
def segs(tmp_path, monkeypatch):
    path = tmp_path / MQM_FILE
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    monkeypatch.setenv("MTQA_DATA_DIR", str(tmp_path))
    return load_mqm()


def test_mqm_spans_are_offsets_in_the_unmarked_target(segs):
    assert [(s["system"], s["seg"]) for s in segs] == [("HuaweiTSC", "13"), ("metricsystem2", "10"), ("ref", "10")]
    huawei, ms2, _ = segs
    assert "<v>" not in huawei["target"]
    spelling = gold_spans(segs, ("Fluency/Spelling",))
    (a, b), = spelling[0]
    assert huawei["target"][a:b] == "Schwarzes"
    (a, b), = gold_spans(segs, ("Fluency/Punctuation",))[1]
    assert ms2["target"][a:b] == "-"
    assert 2 not in gold_spans(segs, ("",))  # No-error has no span
    assert [fluency_label(s) for s in segs] == [True, True, False]


def test_mqm_report_scores_overlapping_spans(segs):
    dash = segs[1]["target"].index(" - ")
    issues = [  # one spelling flag on the gold span, one beside it; a punctuation flag on the dash
        {"code": "F201", "side": "target", "_row": 0, "start": 54, "end": 63, "text": "Schwarzes", "message": "unknown word"},
        {"code": "F201", "side": "target", "_row": 0, "start": 64, "end": 68, "text": "Loch", "message": "unknown word"},
        {"code": "T202", "side": "target", "_row": 1, "start": dash, "end": dash + 2, "text": " -", "message": "space before '-'"},
        {"code": "T202", "side": "source", "_row": 1, "start": 0, "end": 1, "text": "N", "message": "source side: not scored"},
    ]
    assert segs[0]["target"][54:63] == "Schwarzes"
    text = mqm_report(segs, issues, 1.0, "unit", ROOT)
    assert "| Fluency/Spelling | F2 | 2 | 1 | 0.500 | 1.000 |" in text
    assert "| Fluency/Punctuation | T2, T3, L101 | 1 | 1 | 1.000 | 1.000 |" in text
    assert "| Locale convention | L | 0 | 0 | n/a | n/a (no gold) |" in text
    assert "[Loch]" in text  # the false positive is listed with its context
    # AUROC: both Fluency pairs have findings, the No-error pair none
    assert "**1.000**" in text
    assert [c.title for c in CATEGORIES] == ["Fluency/Spelling", "Fluency/Punctuation", "Locale convention", "Accuracy/Untranslated"]


def test_mlqe_word_tags_and_token_mapping_on_a_real_line():
    from sacremoses import MosesDetokenizer

    tokens = MT_1.split()
    tags = word_tags(TAGS_1)
    assert len(tags) == len(tokens) == 11
    assert [t for t, bad in zip(tokens, tags) if bad] == ["Pendelstrafen", "gewähren"]  # the gap tag before 'und' is not a word's
    text = MosesDetokenizer(lang="de").detokenize(tokens)
    assert text.endswith("gewähren.")
    spans = token_offsets(tokens, text)
    assert [text[a:b] for a, b in spans] == tokens
    start = text.index("Pendelstrafen")
    flags = flagged_tokens(spans, [(start + 3, start + 30)])  # 'delstrafen gewähren.'
    assert [t for t, f in zip(tokens, flags) if f] == ["Pendelstrafen", "gewähren", "."]
    assert flagged_tokens(spans, [(start, start)]) == [k == 8 for k in range(11)]  # an empty span marks the word it touches
    with pytest.raises(ValueError):
        word_tags("OK BAD")
    with pytest.raises(ValueError):
        token_offsets(["Der", "Kaiser"], text)


def test_mcc_on_hand_made_cases():
    assert mcc([True, False, False, False], [True, True, False, False]) == pytest.approx(2 / 12 ** 0.5)
    assert mcc([True, True, False, False], [True, False, True, False]) == 0.0
    assert mcc([True, False, True], [True, False, True]) == pytest.approx(1.0)
    assert mcc([False, True], [True, False]) == pytest.approx(-1.0)
    assert mcc([False, False], [True, False]) == 0.0  # nothing predicted: 0, as scikit-learn
