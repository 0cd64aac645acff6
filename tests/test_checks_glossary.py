from __future__ import annotations

import pytest
from checks_support import context, issues

from pipeline.errors import ConfigError


@pytest.fixture
def glossary(write):
    return write(
        "terms.tsv",
        "source\ttarget\tnote\nSicherheitsgarantie\tsecurity guarantee|security assurance\tNATO talks\nNationaler Sicherheitsrat\tNational Security Council\n",
    )


def test_missing_required_rendering_is_flagged_on_the_source_term(glossary):
    ctx = context("de", "en", **{"glossary-term": {"file": glossary}})
    found = issues("A401", "Moskau fordert Sicherheitsgarantien der NATO.", "Moscow demands safety pledges from NATO.", ctx=ctx)
    assert [(i.text, i.side, i.suggestion) for i in found] == [("Sicherheitsgarantien", "source", "security guarantee")]
    assert "NATO talks" in found[0].message


def test_inflected_and_alternative_renderings_pass(glossary):
    ctx = context("de", "en", **{"glossary-term": {"file": glossary}})
    assert issues("A401", "Sicherheitsgarantien", "Security guarantees were demanded.", ctx=ctx) == []
    assert issues("A401", "die Sicherheitsgarantie", "a security assurance", ctx=ctx) == []
    assert issues("A401", "Der Nationale Sicherheitsrat teilte mit", "The National Security Council said", ctx=ctx) == []
    assert [i.text for i in issues("A401", "Der Nationale Sicherheitsrat teilte mit", "The security council said", ctx=ctx)] == ["Nationale Sicherheitsrat"]


def test_no_glossary_no_findings_and_bad_files_are_config_errors(write):
    assert issues("A401", "Sicherheitsgarantien", "pledges") == []
    bad = write("bad.tsv", "Sicherheitsgarantie\n")
    from checks_support import make_pair

    from pipeline.checks import load_rules, run_checks

    with pytest.raises(ConfigError, match="needs a source term and at least one target term"):
        run_checks([[make_pair("Sicherheitsgarantie", "x")]], load_rules().select(["A401"], []), context("de", "en", **{"glossary-term": {"file": bad}}))
