"""eval/into_false_alarms.py: flags at hand-verified errors of the NTREX en->X translations are counted
beside the raw flags and subtracted from the false alarms, per language and per rule."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

from into_false_alarms import INTO_ERRORS, at_verified_error, table, verified_into_errors  # noqa: E402

ENTRIES = """\
ru:
- {document: d1, segment: 3, text: "  ", verdict: real, kind: spacing, rule: T201, split: calib, why: "two spaces inside the sentence"}
- {document: d1, segment: 4, text: "в в", verdict: false, kind: repetition, rule: T101, split: calib, why: "judged false"}
"""


def test_only_real_entries_of_the_right_language_count(tmp_path: Path) -> None:
    path = tmp_path / "errors.yaml"
    path.write_text(ENTRIES, encoding="utf-8")
    verified = verified_into_errors(path)
    assert verified == frozenset({("ru", "d1", 3, "  ")})
    flag = {"code": "T201", "document": "d1", "segment": 3, "text": "  ", "side": "target"}
    assert at_verified_error("ru", flag, verified)
    assert not at_verified_error("uk", flag, verified)  # another target language's translation
    assert not at_verified_error("ru", dict(flag, segment=4), verified)
    assert not at_verified_error("ru", dict(flag, side="source"), verified)


def test_table_reports_raw_verified_and_false_alarms_and_bounds_the_false_ones() -> None:
    results = [
        {"lang": "ru", "pairs": 10, "words": 1000.0, "rules": Counter({"T201": 3, "A201": 1}), "verified": Counter({"T201": 2}), "seconds": 1, "notes": []},
        {"lang": "ko", "pairs": 10, "words": 1000.0, "rules": Counter({"T201": 2}), "verified": Counter(), "seconds": 1, "notes": []},
    ]
    text = table(results, "calib", "cmd")
    assert "6 flags on 2,000 target words = 3.00 per 1,000 words; 2 at verified errors" in text
    assert "false alarms 4 = 2.00 per 1,000 words" in text
    assert "| en-ru | 10 | 1,000 | 4 | 4.00 | 2 | 2.00 |" in text  # 2.00 is not over the bound of 2.0
    assert "| en-ko | 10 | 1,000 | 2 | 2.00 | 0 | 2.00 |" in text
    assert "| T201 | 5 | 2 | 3 | 1.500 | 1.00 | 2.00 |" in text


def test_the_shipped_list_is_well_formed() -> None:
    import yaml  # deferred: only this test reads the list itself

    table_ = yaml.safe_load(INTO_ERRORS.read_text(encoding="utf-8"))
    for lang, entries in table_.items():
        for e in entries:
            assert e["verdict"] in ("real", "false"), (lang, e)
            assert {"document", "segment", "text", "kind", "why", "rule"} <= set(e), (lang, e)
