from __future__ import annotations

from checks_support import flagged, issues, make_pair

SOURCE = (
    "Biden und Putin hatten Anfang Dezember im Rahmen einer zweistündigen Videoschalte miteinander "
    "gesprochen. Als Staatschefs waren sich die beiden im Juni in Genf erstmals persönlich begegnet."
)
GOOD = (
    "Biden and Putin last spoke in early December during a two-hour video call. "
    "The two first met in person as heads of state in Geneva in June."
)


def test_a_normal_translation_is_not_flagged():
    assert flagged("A301", SOURCE, GOOD) == []
    assert flagged("A302", SOURCE, GOOD) == []


def test_omission_and_addition():
    short = issues("A301", SOURCE, "Biden and Putin spoke.")
    assert len(short) == 1 and short[0].severity.value == "major" and "possible omission" in short[0].message
    assert short[0].data["z"] < -4
    long = GOOD + " " + " ".join([GOOD] * 3)
    assert flagged("A302", SOURCE, long) == [long]
    assert flagged("A301", SOURCE, long) == []


def test_short_sources_and_empty_sides_are_left_alone():
    assert flagged("A301", "Ja.", "Yes, of course, that is absolutely right.") == []
    assert flagged("A302", "Ja, das ist so, ganz genau so.", "Yes, indeed, that is exactly how it is.") == []
    from checks_support import context

    from pipeline.checks import load_rules, run_checks

    empty = make_pair([], ["Added sentence."])
    assert run_checks([[empty]], load_rules().select(["A3"], []), context()) == []


def test_unknown_language_pair_uses_the_default_calibration():
    found = issues("A301", SOURCE, "Short.", src_lang="fr", tgt_lang="it")
    assert found and "for default" in found[0].message


ZH_SOURCE = "据报道，他同其表兄周三从相邻的云南省过来在该市场出售 15 头猪。"
ZH_TARGET = "He had reportedly travelled with his cousin from the neighboring Yunnan province Wednesday to sell 15 pigs at the market."


def test_chinese_to_english_is_calibrated_so_a_normal_translation_is_not_too_long():
    # Before the zh-en calibration, English targets (~2.9x the characters) were "too long" on every line.
    assert flagged("A302", ZH_SOURCE, ZH_TARGET, src_lang="zh", tgt_lang="en") == []
    assert flagged("A301", ZH_SOURCE, "He sold pigs.", src_lang="zh", tgt_lang="en") == ["He sold pigs."]


def test_an_uncalibrated_pair_with_a_dense_script_is_not_checked_and_says_so():
    from pipeline.checks import load_rules
    from pipeline.languages import uncovered

    rules = load_rules().select(["A3"], [])
    why = uncovered("zh", "fr", rules, {})
    assert set(why) == {"A301", "A302"} and "dense script" in why["A301"]
    assert uncovered("fr", "it", rules, {}) == {}  # alphabetic scripts: the pooled prior
    assert uncovered("zh", "en", rules, {}) == {}


def test_a_heading_is_not_judged_but_a_target_cut_short_is():
    from pipeline.checks.length import is_heading

    source = "Les États-Unis devraient doubler les financements dans le domaine de l’intelligence artificielle"
    # a headline drops what a translation spells out (NTREX-128 fr-en, the first line of a CNBC article)
    assert is_heading(source, "U.S. should double A.I. funding")
    assert flagged("A301", source, "U.S. should double A.I. funding", src_lang="fr") == []
    assert is_heading("Jumlah korban tewas tsunami Indonesia melonjak hingga lebih dari 800 orang.", "Indonesia Tsunami Toll Soars Above 800.")
    # a full sentence of the source whose target stops short is no heading, nor is a plain sentence
    assert not is_heading(source + ".", "U.S. should double")
    assert flagged("A301", source + ".", "U.S. should double", src_lang="fr") == ["U.S. should double"]
    assert not is_heading("Il est parti hier soir, sans rien dire.", "He left last night without a word.")
