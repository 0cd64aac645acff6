from __future__ import annotations

import pytest
from checks_support import context, flagged, issues

from pipeline.errors import ConfigError

SEED_SOURCE = "„Wir wollen kein unbeteiligtes Publikum sein“, sagte der EU-Außenbeauftragte Josep Borrell der „Welt“."
SEED_MT = "“We do not want to be an uninvolved audience,” said EU Foreign Affairs Representative Josep Borrell to “Welt”."


def test_harper_agreement_and_articles():
    found = issues("F301", "x", "He go to school. This is a apple.")
    assert [(i.text, i.suggestion) for i in found] == [("go", "goes"), ("a", "an")]
    assert all(i.category == "fluency/grammar" for i in found)


def test_clean_english_and_style_advice_are_quiet():
    clean = "The White House said the US administration was in close contact with its European allies, partners and friends."
    assert flagged("F301", "x", clean) == []


def test_harper_rules_option_and_its_validation():
    ctx = context("de", "en", grammar={"harper_rules": ["AnA"]})
    assert [i.text for i in issues("F301", "x", "He go to school. This is a apple.", ctx=ctx)] == ["a"]
    from checks_support import make_pair

    from pipeline.checks import load_rules, run_checks

    bad = context("de", "en", grammar={"harper_rules": ["NoSuchRule"]})
    with pytest.raises(ConfigError, match="NoSuchRule"):
        run_checks([[make_pair("x", "a b")]], load_rules().select(["F301"], []), bad)


# One error per chosen Harper rule (from Harper's own rule tests), and sentences that skip Harper.
HARPER_RULE_EXAMPLES = [
    "This is an mule.",
    "We waited a hour for the bus.",
    "I likes this place.",
    "He work hard.",
    "It don't matter.",
    "They is here.",
    "He are tired.",
    "They might could finish the project by Friday.",
    "The plan is is ready.",
    "I think its a problem.",
    "She talked with they yesterday.",
    "I do not believe that there are such slackers.",
    "These kind of things happen.",
]


def test_trigger_prefilter_keeps_every_rules_findings():
    full = context("de", "en", grammar={"prefilter": False})
    for sentence in HARPER_RULE_EXAMPLES:
        with_filter = [(i.text, i.message) for i in issues("F301", "x", sentence)]
        assert with_filter, sentence
        assert with_filter == [(i.text, i.message) for i in issues("F301", "x", sentence, ctx=full)], sentence


def test_trigger_prefilter_skips_sentences_no_rule_can_fire_on():
    from pipeline.checks.grammar import _harper, triggered

    _, trigger = _harper(context("de", "en"))
    assert not triggered(trigger, "Russia denies the accusations.")
    assert not triggered(trigger, "The government said that the talks would continue next week.")
    assert all(triggered(trigger, s) for s in HARPER_RULE_EXAMPLES)
    # A user rule list with a rule that has no trigger sends every sentence.
    _, none = _harper(context("de", "en", grammar={"harper_rules": ["AnA", "Spaces"]}))
    assert none is None


def _agreement_probe() -> list[str]:
    import itertools

    subjects = "i you he she it we they this that these those me him her its us them his there".split()
    verbs = ["am", "is", "are", "was", "were", "be", "isn't", "aren't", "wasn't", "weren't", "’s", "'s", "'re"]
    out = []
    for subject, verb, between in itertools.product(subjects, verbs, ["", "really", "also"]):
        out += [f"{subject.capitalize()} {between} {verb} problems here.", f"Yesterday {subject} {between} {verb} happy.", f"{verb.capitalize()} {between} {subject} problems?"]
    return out


def _article_probe() -> list[str]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 3000) if w.isalpha()][::3] + ["hour", "honest", "heir", "one", "once", "european", "ngo", "xbox", "sos", "fbi", "nba", "x", "m", "8", "11"]
    forms = {f for w in words for f in (w, w.capitalize(), w.upper())}
    return [f"It was {article} {form} thing." for form in sorted(forms) for article in ("a", "an")]


def _object_probe() -> list[str]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 2000) if w.isalpha()]
    return [t for w in words for t in (f"Yesterday I {w} they the book.", f"The man {w} they yesterday.", f"{w.capitalize()} they were here.")]


@pytest.mark.parametrize(
    ("harper_rule", "probe"),
    [("PronounInflectionBe", _agreement_probe), ("ThereIsAgreement", _agreement_probe), ("AnA", _article_probe), ("TheyToThem", _object_probe)],
)
def test_narrow_triggers_cover_every_form_harper_flags(harper_rule, probe):
    """The narrow triggers follow what the pinned Harper flags: probe word forms and require
    every flagged sentence to pass the prefilter. Fails when a Harper upgrade widens a rule:
    widen its trigger then (and rerun eval/grammar_prefilter.py)."""
    import re

    import harper

    from pipeline.checks.grammar import _harper, triggered

    _, trigger = _harper(context("de", "en", grammar={"harper_rules": [harper_rule]}))
    linter = harper.Linter(harper.Dialect.AMERICAN)
    linter.set_lint_config({name: name == harper_rule for name in linter.get_default_lint_config()})
    flagged = [s for s in (re.sub(" +", " ", t) for t in probe()) if linter.lint(s, language="plaintext")]
    assert len(flagged) >= 3  # the probe reaches the rule
    assert [s for s in flagged if not triggered(trigger, s)] == []


def test_seed_calque_said_to_welt():
    found = issues("F302", SEED_SOURCE, SEED_MT)
    assert [i.text for i in found] == ["to “Welt”"] and "told" in found[0].suggestion
    # Idiomatic English and other source constructions are not flagged.
    assert flagged("F302", SEED_SOURCE, "“We do not want to be a bystander,” Josep Borrell told the newspaper Die Welt.") == []
    assert flagged("F302", "Er sagte, man werde reagieren.", "He said to Congress that they would respond.") == []


def test_other_calques_need_no_source_pattern():
    assert flagged("F302", "seit Wochen", "The US has accused Russia since weeks.") == ["since weeks"]
    assert flagged("F302", "im Jahr 2014", "in the year 2014 Russia annexed Crimea") == ["in the year 2014"]
    assert flagged("F302", "seit 2014", "since 2014 and for weeks") == []
    # Calque lists are per language pair.
    assert flagged("F302", "depuis des semaines", "since weeks", src_lang="fr") == []


def test_names_and_acronyms_do_not_trigger_harper():
    assert flagged("F301", "x", "Theresa May will announce it. Europa Park is putting on a SC Freiburg fan day with a 1.5 A motor.") == []
    assert flagged("F301", "x", "May he go home?") == []


def test_you_as_an_object_is_not_an_agreement_error():
    assert flagged("F301", "x", "I will not show you images here. I also sent you pictures of the package.") == []
