"""MQM penalty per 1,000 words with a bootstrap interval over segments (mqm_per_1k), in the run's
results, the summary, the workbook and the gate."""

import json
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from report_data import flag_rules, write_inputs

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.model import Issue, Severity
from pipeline.results import load_results
from pipeline.run import run
from pipeline.scoring import mqm_per_1k
from pipeline.scoring.mqm import per_1k
from pipeline.scoring.scorer import BootstrapPlan

WEIGHTS = {Severity.CRITICAL: 25.0, Severity.MAJOR: 5.0, Severity.MINOR: 1.0, Severity.NEUTRAL: 0.0}


def _naive_interval(penalties, words, n_samples, seed):
    """The bootstrap written out: sacrebleu's draw of segment indices, one resample at a time."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(words), size=(n_samples, len(words)), replace=True)
    p, w = np.asarray(penalties, float), np.asarray(words, float)
    ratios = [1000 * p[row].sum() / w[row].sum() for row in idx]
    return list(np.percentile(ratios, [2.5, 97.5]))


def test_per_1k_value_and_interval_equal_the_bootstrap_written_out():
    rng = np.random.default_rng(7)
    words = rng.integers(1, 40, size=300)
    penalties = rng.choice([0, 0, 0, 0, 1, 5, 25], size=300).astype(float)
    value, ci = per_1k(penalties, words, 500, 12345)
    assert value == pytest.approx(1000 * penalties.sum() / words.sum())
    assert ci == pytest.approx(_naive_interval(penalties, words, 500, 12345))
    assert ci[0] < value < ci[1]
    assert per_1k(penalties, words, 500, 12345) == (value, ci)  # seeded: reproducible
    assert per_1k(penalties, words, 500, 1)[1] != ci
    assert per_1k(penalties, words, None, 12345) == (value, None)
    assert per_1k([], [], 100, 1) == (None, None) and per_1k([3.0], [0], 100, 1) == (None, None)


@pytest.mark.parametrize("n", [1, 7, 4_000_001 // 1000 + 1])  # one row, a few, rows over a chunk of cells
def test_indexed_sums_are_the_metric_intervals_resamples(n):
    rng = np.random.default_rng(n)
    stats = np.column_stack([rng.integers(0, 6, size=n), rng.integers(1, 30, size=n)]).astype(float)
    plan = BootstrapPlan(n, 1500, 12345)
    assert np.array_equal(plan.indexed_sums(stats), plan.resample_sums(stats))


def test_systems_that_differ_separate_and_equal_ones_do_not():
    rng = np.random.default_rng(3)
    words = rng.integers(5, 30, size=2000)
    few = (rng.random(2000) < 0.02) * 5.0  # a major error in 2% of the segments
    many = (rng.random(2000) < 0.06) * 5.0  # in 6%
    also_few = (rng.random(2000) < 0.02) * 5.0
    _, ci_few = per_1k(few, words, 1000, 12345)
    _, ci_many = per_1k(many, words, 1000, 12345)
    _, ci_also = per_1k(also_few, words, 1000, 12345)
    assert ci_few[1] < ci_many[0]  # the intervals do not overlap
    assert ci_few[0] < ci_also[1] and ci_also[0] < ci_few[1]  # these do


def _issue(doc, segment, severity, side="target", bead=None, ignored=False):
    return Issue("N901", "terminology/inconsistent", severity, "m", doc, "A", segment, 0, 1, "x", side=side, bead=bead, ignored=ignored)


def test_issues_count_in_their_segment_and_ignored_ones_do_not():
    unit_words = {"d1": [10, 10, 0, 20], "d2": [], "d3": [40]}
    issues = [
        _issue("d1", 1, Severity.MAJOR),
        _issue("d1", 9, Severity.MINOR),  # past the end (a source-side index): the last segment
        _issue("d2", 0, Severity.CRITICAL, side="source"),  # a document without target segments
        _issue("d3", 0, Severity.CRITICAL, ignored=True),
    ]
    out = mqm_per_1k(issues, unit_words, lambda i: i.segment, WEIGHTS, 200, 12345)
    assert out["segments"] == 6
    assert out["mqm_per_1k"] == pytest.approx(1000 * (5 + 1 + 25) / 80, abs=1e-4)
    assert out["mqm_per_1k_signature"] == "mqm_per_1k|weights:critical=25,major=5,minor=1,neutral=0|unit:segment|words:spaces+unspaced/2|bs:200|seed:12345|version:" + out["mqm_per_1k_signature"].rsplit(":", 1)[1]
    no_ci = mqm_per_1k(issues, unit_words, lambda i: i.segment, WEIGHTS, None, 12345)
    assert no_ci["mqm_per_1k_ci"] is None and "|bs:" not in no_ci["mqm_per_1k_signature"]


def _run(tmp_path: Path, **scoring) -> dict:
    src, hyps, ref = write_inputs(tmp_path / "in")
    config = load_config(
        None,
        {
            "input": {"paths": [src, *hyps], "references": [ref], "line_aligned": True},
            "src_lang": "de",
            "tgt_lang": "en",
            "scoring": {"metrics": ["chrf"], "bootstrap_samples": 200, "significance": {"tests": []}, **scoring},
            "output": {"dir": str(tmp_path / "out")},
            "execution": {"cache": False},
        },
    )
    run(config, "run", registry=flag_rules())
    return load_results(tmp_path / "out" / "results.json")  # validated against the schema


def test_a_run_reports_mqm_per_1k_beside_the_old_score(tmp_path):
    data = _run(tmp_path)
    for name, sr in data["systems"].items():
        mqm = sr["mqm"]
        assert mqm["mqm_per_1k"] == pytest.approx(10 * (100 - mqm["score"]), abs=1e-3)  # the old score, rescaled
        low, high = mqm["mqm_per_1k_ci"]
        assert low <= mqm["mqm_per_1k"] <= high and mqm["segments"] == 5
        assert "|bs:200|seed:12345|" in mqm["mqm_per_1k_signature"]
        row = next(r for r in data["comparison_table"] if r["system"] == name)
        assert (row["mqm_per_1k"], row["mqm_per_1k_ci"]) == (mqm["mqm_per_1k"], mqm["mqm_per_1k_ci"])
    a, b = data["systems"]["A"]["mqm"], data["systems"]["B"]["mqm"]
    assert a["mqm_per_1k"] > b["mqm_per_1k"]  # A has the markup and the German names

    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "| MQM penalty /1k words |" in summary
    assert f"| {a['mqm_per_1k']:.2f} [{a['mqm_per_1k_ci'][0]:.2f}, {a['mqm_per_1k_ci'][1]:.2f}] |" in summary
    assert "signature `mqm_per_1k|weights:critical=25" in summary
    scores = list(load_workbook(tmp_path / "out" / "issues.xlsx")["Scores"].iter_rows(min_row=2, values_only=True))
    row = next(r for r in scores if r[0] == "A" and r[1] == "MQM penalty per 1k words")
    assert list(row[2:5]) == [a["mqm_per_1k"], *a["mqm_per_1k_ci"]]

    # without resampling: the value, no interval
    plain = _run(tmp_path / "no-ci", confidence=False)
    assert plain["systems"]["A"]["mqm"]["mqm_per_1k"] == a["mqm_per_1k"] and plain["systems"]["A"]["mqm"]["mqm_per_1k_ci"] is None


def test_gate_thresholds_and_regressions_on_mqm_per_1k(tmp_path, capsys):
    data = _run(tmp_path)
    results = str(tmp_path / "out" / "results.json")
    a = data["systems"]["A"]["mqm"]
    policy = tmp_path / "p.yaml"
    policy.write_text(f"rules:\n  - {{metric: mqm_per_1k, max: {a['mqm_per_1k'] - 1:.2f}, systems: A}}\n", encoding="utf-8")
    assert main(["gate", results, "-p", str(policy)]) == 1
    out = capsys.readouterr().out
    assert f"MQM penalty per 1k words = {a['mqm_per_1k']:.2f} (95% CI {a['mqm_per_1k_ci'][0]:.2f}-{a['mqm_per_1k_ci'][1]:.2f})" in out and "above the maximum" in out
    policy.write_text(f"rules:\n  - {{metric: mqm_per_1k, max: {a['mqm_per_1k'] + 1:.2f}}}\n", encoding="utf-8")
    assert main(["gate", results, "-p", str(policy), "-q"]) == 0
    # a regression: A's penalty is higher than B's, so A is worse than the baseline B (lower is better)
    policy.write_text("baseline_system: B\nrules:\n  - {regression: mqm_per_1k, max_drop: 1}\n", encoding="utf-8")
    assert main(["gate", results, "-p", str(policy)]) == 1
    assert "no significance test" in capsys.readouterr().out
    # false positives decided after the run: the gate recomputes the penalty without them (no interval: a rerun gives it)
    critical = next(i for i in data["issues"] if i["system"] == "A" and i["severity"] == "critical")
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text(f"ignore:\n  - fingerprint: {critical['fingerprint']}\n", encoding="utf-8")
    policy.write_text(f"rules:\n  - {{metric: mqm_per_1k, max: {a['mqm_per_1k'] - 1:.2f}, systems: A}}\n  - {{metric: mqm, min: 0, systems: A}}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["gate", results, "-p", str(policy), "--ignore-file", str(ignore), "-o", str(tmp_path / "gate")]) == 0
    out = capsys.readouterr().out
    lowered = 1000 * (a["penalty"] - 25) / a["words"]
    assert f"MQM penalty per 1k words = {lowered:.2f} (max" in out and f"MQM = {100 - lowered / 10:.2f}" in out
    assert "recomputed for the ignore list given now" in (tmp_path / "gate" / "summary.md").read_text(encoding="utf-8")
    assert main(["gate", results, "-p", str(policy)]) == 1  # the file itself is unchanged

    old = json.loads(Path(results).read_text())
    del old["systems"]["A"]["mqm"]["mqm_per_1k"]
    Path(results).write_text(json.dumps(old), encoding="utf-8")
    policy.write_text("rules:\n  - {metric: mqm_per_1k, max: 5}\n", encoding="utf-8")
    assert main(["gate", results, "-p", str(policy)]) == 2
    assert "no MQM penalty per 1,000 words in the results" in capsys.readouterr().err


def test_documents_aligned_by_sentence_count_their_target_sentences(tmp_path):
    """Not line-aligned: the segments resampled are each system's target sentences, and a source-side
    issue (the test omission rule) counts in its bead's target sentence."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.de").write_text("Peskow sagte nichts dazu. Das Haus ist alt.\n\nWir gehen nach Hause.\n", encoding="utf-8")
    (folder / "doc.en").write_text("Peskow said nothing. The house is old.\n\nWe are going home.\n", encoding="utf-8")
    config = load_config(
        None,
        {
            "input": {"paths": [str(folder / "doc.de"), str(folder / "doc.en")], "line_aligned": False},
            "src_lang": "de",
            "tgt_lang": "en",
            "align": {"embeddings": False, "dictionary": "off"},
            "output": {"dir": str(tmp_path / "out")},
            "execution": {"cache": False},
        },
    )
    run(config, "run", registry=flag_rules())
    data = load_results(tmp_path / "out" / "results.json")
    (system,) = data["systems"].values()
    mqm = system["mqm"]
    assert {i["code"]: i["side"] for i in data["issues"]} == {"N901": "target", "A901": "source"}
    assert mqm["segments"] == 3 and mqm["words"] == 11
    assert mqm["mqm_per_1k"] == pytest.approx(1000 * (5 + 5) / 11, abs=1e-3) and mqm["mqm_per_1k_ci"] is not None
