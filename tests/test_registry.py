import pytest

from pipeline.checks import CheckContext, Finding, Registry, run_checks
from pipeline.checks.registry import rule
from pipeline.errors import ResourceMissing
from pipeline.model import AlignedPair, Bead, Segment, Severity, make_fingerprint


def pair(target_texts, source_texts=("Quelle.",), system="mt", doc="d"):
    tgt = tuple(Segment(t, i) for i, t in enumerate(target_texts))
    src = tuple(Segment(t, i) for i, t in enumerate(source_texts))
    bead = Bead(tuple(s.index for s in src), tuple(s.index for s in tgt))
    return AlignedPair(doc, system, 0, bead, src, tgt)


def make_registry():
    reg = Registry()

    @rule("T901", "doubled-word-test", category="fluency/grammar", severity="minor", registry=reg)
    def doubled(p, ctx):
        """Flags 'the the'."""
        text = p.target_text
        at = text.find("the the")
        while at >= 0:
            yield Finding(at, at + 7, "doubled word", suggestion="the")
            at = text.find("the the", at + 1)

    @rule("N901", "needs-model", category="fluency/grammar", tgt_langs=["en"], registry=reg)
    def needs_model(p, ctx):
        """Needs a model that is not installed."""
        raise ResourceMissing("model X is not installed")
        yield  # pragma: no cover

    @rule("L901", "german-only", category="locale-convention/number-format", tgt_langs=["de"], registry=reg)
    def german_only(p, ctx):
        """Only for German targets."""
        yield Finding(0, 1, "x")

    return reg


def test_selection_by_code_prefix_name_and_all():
    reg = make_registry()
    assert [r.code for r in reg.select(["ALL"], [])] == ["L901", "N901", "T901"]
    assert [r.code for r in reg.select(["T"], [])] == ["T901"]
    assert [r.code for r in reg.select(["ALL"], ["needs-model", "L9"])] == ["T901"]
    assert reg.known_selector("N9") and reg.known_selector("needs-model")
    assert not reg.known_selector("N1") and not reg.known_selector("bogus") and not reg.known_selector("")


def test_duplicate_codes_and_missing_docs_are_refused():
    reg = make_registry()
    def documented(p, c):
        """Has docs."""
        return iter(())

    with pytest.raises(ValueError, match="duplicate"):
        rule("T901", "other", category="fluency/grammar", registry=reg)(documented)
    with pytest.raises(ValueError, match="docstring"):
        rule("T902", "nodoc", category="fluency/grammar", registry=reg)(lambda p, c: iter(()))


def test_run_checks_maps_spans_to_segments_and_switches_off_missing_resources():
    reg = make_registry()
    ctx = CheckContext("de", "en")
    p = pair(["Go to the the shop.", "And see the the man."])
    issues = run_checks([[p]], reg.select(["ALL"], []), ctx, {"T901": "major"})
    assert [(i.segment, i.start, i.end, i.text) for i in issues] == [(0, 6, 13, "the the"), (1, 8, 15, "the the")]
    assert all(i.severity is Severity.MAJOR and i.suggestion == "the" for i in issues)
    assert ctx.notes == ["N901 needs-model switched off: model X is not installed"]
    assert len({i.fingerprint for i in issues}) == 2


def test_fingerprints_survive_unrelated_edits_and_distinguish_repeats():
    reg = make_registry()
    rules = reg.select(["T"], [])
    first = run_checks([[pair(["Intro.", "Go to the the shop."])]], rules, CheckContext("de", "en"))
    edited = run_checks([[pair(["A rewritten intro, longer.", "Go to  the the shop."])]], rules, CheckContext("de", "en"))
    assert first[0].fingerprint == edited[0].fingerprint
    twice = run_checks([[pair(["the the and the the"])]], rules, CheckContext("de", "en"))
    assert len({i.fingerprint for i in twice}) == 2


def test_fingerprint_normalisation():
    assert make_fingerprint("X1", "Kiew", "In Kiew  sagte er") == make_fingerprint("X1", "kiew", "in kiew sagte er")
    assert make_fingerprint("X1", "Kiew", "a") != make_fingerprint("X2", "Kiew", "a")


def test_a_rule_outside_the_category_vocabulary_is_refused():
    reg = make_registry()

    def documented(p, c):
        """Has docs."""
        return iter(())

    for spelling in ("locale convention/number format", "locale/name-format", "Fluency/Grammar", "x"):
        with pytest.raises(ValueError, match="MQM vocabulary"):
            rule("T903", "badly-categorised", category=spelling, registry=reg)(documented)


def test_every_registered_rule_uses_the_vocabulary_and_old_spellings_map_onto_it():
    from pipeline.categories import CATEGORIES, canonical_category
    from pipeline.checks import load_rules

    assert all(r.category in CATEGORIES for r in load_rules())
    assert canonical_category("locale convention/currency format") == "locale-convention/currency-format"
    assert canonical_category("locale/name-format") == "locale-convention/name-format"
    assert canonical_category("terminology/inappropriate for context") == "terminology/inappropriate-for-context"
    assert canonical_category("accuracy/omission") == "accuracy/omission"


def test_checks_selectors_and_options_are_validated_against_the_rules():
    from pipeline.checks import load_rules

    registry = load_rules()
    ok = registry.validate_checks(["ALL"], ["F4", "doubled-word"], ["N101", "exonym"], {"F201": {"min_zipf": 4}})
    assert ok == {"misspelling": {"min_zipf": 4}}  # a code as key is filed under the rule's name
    bad = [
        (["Z9"], [], [], {}, "checks.enable: 'Z9' selects no rule"),
        (["ALL"], ["A9"], [], {}, "checks.disable: 'A9' selects no rule"),
        (["ALL"], [], ["N"], {}, "checks.severity: 'N' is not a rule code or name"),
        (["ALL"], [], [], {"no-such-rule": {}}, "checks.options: 'no-such-rule' is not a rule"),
        (["ALL"], [], [], {"misspelling": {"min_zip": 4}}, "unknown option 'min_zip' for F201 misspelling"),
        (["ALL"], [], [], {"misspelling": {"min_zipf": "high"}}, "checks.options.misspelling.min_zipf"),
        (["ALL"], [], [], {"misspelling": 3}, "expected a mapping"),
    ]
    for enable, disable, severity, options, message in bad:
        with pytest.raises(ValueError, match=message.replace(".", r"\.")):
            registry.validate_checks(enable, disable, severity, options)


def test_the_registry_is_built_from_the_family_table_without_import_side_effects():
    from pipeline.checks import FAMILIES, Family, build_registry

    registry = build_registry()
    assert [r.code for r in registry] == [r.code for r in build_registry()]  # built afresh, same rules
    assert all(any(r.code.startswith(f.prefix) for f in FAMILIES) for r in registry)
    assert all(any(r.code.startswith(f.prefix) for r in registry) for f in FAMILIES)  # no empty family
    names = FAMILIES[[f.prefix for f in FAMILIES].index("N1")]
    assert [r.code for r in build_registry([names])] == ["N101", "N102", "N103", "N104"]
    with pytest.raises(ValueError, match="module of family A2"):  # a rule filed under the wrong prefix
        build_registry([Family("A2", "numbers", names.module)])
