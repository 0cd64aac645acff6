"""Placeholders (M1): the parser and the four rules, on the shapes real localization files use."""

from __future__ import annotations

import pytest
from checks_support import make_pair

from pipeline.checks import CheckContext
from pipeline.checks.placeholders import compare_placeholders, find_placeholders, placeholder_added, placeholder_changed, placeholder_missing, placeholder_order


def keys(text: str) -> list[tuple[str, str]]:
    return [(p.syntax, p.key) for p in find_placeholders(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Recent %contenttypes%", [("symfony", "%contenttypes%")]),
        ("%1$@ and %2$@, then %@", [("printf", "%1$@"), ("printf", "%2$@"), ("printf", "%@")]),
        ("%(name)s has %.2f%% and %ld %<PRIuMAX>", [("python", "%(name)s"), ("printf", "%.2f"), ("printf", "%ld"), ("printf", "%<PRIuMAX>")]),
        ("Qt: %1 of %L2", [("qt", "%1"), ("qt", "%2")]),
        ("{{ value }} and {{value}}, {0}, {name}", [("twig", "{{value}}"), ("twig", "{{value}}"), ("brace", "{0}"), ("brace", "{name}")]),
        ("#PRS_ORG# met #NAME# in $(PRODUCT_NAME) ${dir}", [("mask", "#PRS_ORG#"), ("mask", "#NAME#"), ("dollar", "$(PRODUCT_NAME)"), ("dollar", "${dir}")]),
        # An ICU message is one placeholder: its branches are text (and other locales need other branches).
        ("{count, plural, one {# file in {dir}} other {# files}} left", [("icu", "{count,plural}")]),
        # Not placeholders: percentages, a lone '#', '%%', prose in braces-free text.
        ("100 % of people, 50% of them; # Heading #; 5%% off", []),
    ],
)
def test_parser_finds_each_syntax_and_nothing_in_prose(text, expected):
    assert keys(text) == expected


def test_numbered_printf_may_reorder_and_stand_for_unnumbered_ones():
    assert compare_placeholders("%s copied to %d", "%2$d Ziele für %1$s") == compare_placeholders("", "")
    assert compare_placeholders("Open %@", "%1$@ öffnen").missing == []


def run(rule, source: str, target: str) -> list:
    return list(rule(make_pair(source, target), CheckContext(src_lang="en", tgt_lang="de")))


def test_the_bolt_cms_errors_are_found():
    """The four real placeholder errors of bolt/core's German messages (../shared/data/l10n_files/SOURCE.md)."""
    [missing] = run(placeholder_missing, "Recent %contenttypes%", "Neueste Seiten")
    assert (missing.side, missing.message) == ("source", "placeholder '%contenttypes%' of the source is missing in the target")
    [changed] = run(placeholder_changed, "the link expires within %hours% hours", "der Link läuft in %Stunden% Stunden ab")
    assert changed.suggestion == "%hours%"
    assert run(placeholder_missing, "the link expires within %hours% hours", "der Link läuft in %Stunden% Stunden ab") == []
    assert run(placeholder_added, "the link expires within %hours% hours", "der Link läuft in %Stunden% Stunden ab") == []


def test_added_placeholder_and_unnumbered_printf_order():
    [added] = run(placeholder_added, "Delete file?", "Datei %s löschen?")
    assert added.message == "placeholder '%s' is not in the source"
    [order] = run(placeholder_order, "%d files in %s", "In %s: %d Dateien")
    assert "number them" in order.message
    assert run(placeholder_order, "%s in %s", "in %s: %s") == []  # the same conversions: order cannot be told
    assert run(placeholder_order, "%d files in %s", "%2$s: %1$d Dateien") == []


def test_spacing_inside_braces_does_not_count():
    assert all(run(r, "Hello {{ name }}, {0} new", "Hallo {{name}}, { 0 } neu") == [] for r in (placeholder_missing, placeholder_added, placeholder_changed))


def test_percentages_are_not_placeholders_in_any_language():
    """Turkish writes "%34" for 34 percent and German "100%ig": found as false alarms on NTREX-128."""
    assert compare_placeholders("Katılım sadece %16 oldu.", "Turnout was only 16 percent.", "tr", "en").missing == []
    assert compare_placeholders("Er ist sich 100%ig sicher.", "He is 100 percent certain.", "de", "en").missing == []
    # ... yet a Qt placeholder the Turkish translation keeps still matches, and one it drops is found on the English side.
    diff = compare_placeholders("%1 dosya silindi", "%1 files deleted, %2 left", "tr", "en")
    assert [p.text for p in diff.added] == ["%2"] and diff.missing == []


def test_lines_of_alternatives_may_differ_in_number():
    """Mozilla VPN's voice-assistant phrases: one alternative a line, fewer or more in a translation."""
    source = "Activate %@\nTurn on %@\nTurn %@ on\nSwitch on %@"
    assert compare_placeholders(source, "Activer %@\nAllumer %@") == compare_placeholders("", "")
    assert [p.text for p in compare_placeholders(source, "Activer\nAllumer le VPN").missing] == ["%@"] * 4


def test_printf_next_to_punctuation_is_not_a_symfony_name():
    """git's fr.po: "'%s' et '%s.%s'" once read as a Symfony "%s.%" placeholder."""
    assert keys("'%s' et '%s.%s', %s..%s") == [("printf", "%s")] * 5
    assert keys("%contenttypes.generic% %max-size% %s%s") == [("symfony", "%contenttypes.generic%"), ("symfony", "%max-size%"), ("printf", "%s"), ("printf", "%s")]
