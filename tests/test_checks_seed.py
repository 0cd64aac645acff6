"""The seed article end to end: the MT's calques are flagged, the human reference stays clean."""

from __future__ import annotations

import pytest
from conftest import SEED

from pipeline.config import load_config
from pipeline.io import read_job
from pipeline.run import run_job

OWN = ("A2", "A3", "F", "L", "T")


def _issues(target: str, enable: list[str]):
    # Lexical alignment is enough here and keeps the test fast.
    config = load_config(None, {"checks": {"enable": enable}, "scoring": {"metrics": []}, "align": {"embeddings": False}})
    job = read_job([str(SEED / "article.de.txt"), str(SEED / target)], [], None, config, "de", "en")
    result = run_job(job, config, ("align", "check"))
    assert not [n for n in result.notes if "switched off" in n], result.notes
    return result.issues


def test_seed_mt_calques_are_flagged():
    found = _issues("article.en.mt.txt", [p for p in OWN if p != "F"] + ["F1", "F2", "F3"])
    calques = [i.text for i in found if i.code == "F302"]
    assert "to “Welt”" in calques and "of the Interfax agency" in calques
    # The MT uses English quotation marks and number formats: nothing to flag there.
    assert not [i for i in found if i.code.startswith("L")]


def test_seed_reference_has_no_fluency_locale_or_number_flags():
    found = _issues("article.en.ref.txt", [p for p in OWN if p != "F"] + ["F1", "F2", "F3"])
    assert [(i.code, i.text) for i in found] == []


@pytest.mark.slow
def test_seed_reference_is_fluent_for_the_language_model():
    assert [(i.code, i.text) for i in _issues("article.en.ref.txt", ["F401"])] == []
