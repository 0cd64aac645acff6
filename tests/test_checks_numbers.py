from __future__ import annotations

import pytest
from checks_support import flagged, issues

from pipeline.checks.numbers import figure_values


@pytest.mark.parametrize(
    "figure, values",
    [
        ("6,3", {6.3}),
        ("6.3", {6.3}),
        ("10.000", {10.0, 10000.0}),
        ("10,000", {10.0, 10000.0}),
        ("1.234.567,5", {1234567.5}),
        ("1,234,567.5", {1234567.5}),
        ("10 000", {10000.0}),
        ("2014", {2014.0}),
        ("1,2,3", set()),
    ],
)
def test_figure_values_are_every_convention_reading(figure, values):
    assert figure_values(figure) == values


def test_locale_aware_matching_finds_nothing_when_values_agree():
    src = "Rund 6,3 Millionen Menschen, 10.000 Soldaten, zwei Abkommen, am 10. Januar 2022 um 14.30 Uhr."
    tgt = "About 6.3 million people, 10,000 soldiers, two agreements, on January 10th, 2022 at 2:30 pm."
    for code in ("A201", "A202", "A203"):
        assert flagged(code, src, tgt) == [], code
    assert flagged("A202", "6,3 Millionen Euro", "6,300,000 euros") == []
    assert flagged("A202", "zwei Abkommen", "2 agreements") == []


def test_changed_value_is_major_and_names_the_source_number():
    found = issues("A201", "Rund 6,3 Millionen Menschen", "About 6.8 million people")
    assert [(i.text, i.severity.value) for i in found] == [("6.8 million", "major")]
    assert "6,3 Millionen" in found[0].message
    assert flagged("A201", "zwei Abkommen", "three agreements") == ["three"]


def test_missing_number_is_reported_on_the_source_side():
    found = issues("A202", "am 10. Januar in Genf", "in Geneva in January")
    assert [(i.text, i.side) for i in found] == [("10", "source")]


def test_added_number_and_number_words_that_are_pronouns():
    assert flagged("A203", "seit Wochen", "for 6 weeks") == ["6"]
    # "die beiden" -> "the two": a number word left over is not an addition.
    assert flagged("A203", "die beiden trafen sich", "the two met") == []
    # Words for one double as articles.
    assert flagged("A203", "Er hat einen Hund", "He has one dog") == []


def test_codes_and_urls():
    assert flagged("A202", "Die G7 und COVID-19", "The G7 and COVID-19") == []
    assert flagged("A203", "Siehe Webseite", "See https://example.com/page/2024") == []


def test_times_dates_and_scores_compare_by_their_parts():
    pairs = [
        ("Bereits am Mittwoch (19 Uhr) empfangen", "On Wednesday (7 PM) they host"),
        ("bei Zahlungseingang bis 14:00 Uhr", "if payment comes in before 2 PM"),
        ("Hallo, ich habe am 12.12.19 bestellt.", "Hello, I ordered on 12/12/19."),
        ("Bestellung war am 12.1.21.", "Order was on 01/12/21."),
        ("Wieso erst am 16.3. gestartet?", "Why only sent out on 03/16?"),
        ("beim 16:32 (8:13) vor 800 Zuschauern", "with 16-32 (8-13) in front of 800 spectators"),
        ("eine Verbrennung 2. Grades", "second degree burns"),
        ("Kind, 4 j., Splitter", "Child, four-years-old, splinter"),
    ]
    for src, tgt in pairs:
        for code in ("A201", "A202", "A203"):
            assert flagged(code, src, tgt) == [], (code, src)


def test_converted_measurements_match_within_rounding():
    pairs = [
        ("bis zu 25 Zentimeter Niederschlag", "up to 10 inches of rain"),
        ("Lokal können 2,5 bis 10 Zentimeter Niederschlag fallen", "Locally, 1 to 4 inches of rain will fall"),
        ("das 250 Kilo schwere Schwein", "the 550 pound hog"),
        ("Temperaturen um 27 ºC", "temperatures around 80 degrees"),
        ("136 km/h", "85 mph"),
    ]
    for src, tgt in pairs:
        assert flagged("A201", src, tgt) == [], src
    assert flagged("A201", "bis zu 25 Zentimeter Niederschlag", "up to 20 inches of rain") == ["20 inches"]


def test_model_codes_are_not_reported_when_written_differently():
    assert flagged("A202", "die E 95 02 und K1", "the E95 02 and the first child") == []
    assert flagged("A203", "Sars-CoV-2", "Sars CoV2") == []


def test_a_conversion_given_alongside_is_not_an_addition():
    src = "an dem 72 Kilometer südöstlich gelegenen Vulkan"
    tgt = "at the volcano that sits 45 miles (72 kilometers) southeast"
    assert flagged("A203", src, tgt) == []
    assert flagged("A203", src, "at the volcano that sits 45 miles (72 kilometers) and 300 feet southeast") == ["300 feet"]


def test_year_ranges_and_hyphenated_measures():
    assert flagged("A201", "der von 1950 bis 1953 geführte Krieg", "the 1950-53 war") == []
    assert flagged("A201", "mit 60 Zentimeter breitem Rand", "with a two-foot brim") == []
    assert flagged("A201", "der 1,83 m große Spieler", "the 6-foot player") == []


def test_bracketed_restatements_in_other_units_are_not_additions():
    src = "neue Strafzölle auf Güter im Wert von 200 Milliarden Dollar"
    assert flagged("A203", src, "new tariffs affecting $200 billion (£150 billion) worth of items") == []
    assert flagged("A203", src, "new tariffs affecting $200 billion worth of items and 150 more") == ["150"]


def test_month_names_next_to_figures_match_numeric_dates():
    assert flagged("A202", "Die Email wurde am 26.12. versendet.", "The email was sent on December 26th.") == []
    assert flagged("A202", "am 10. Januar", "on January 10") == []
    assert flagged("A202", "am 26.12. versendet", "sent on the 26th") == ["12"]


def test_decades_in_both_styles():
    assert flagged("A201", "Trommeln der 20er und 30er Jahre", "drums from the 1920s and 1930s") == []
    assert flagged("A201", "seit Anfang der 1990er Jahre", "since the early 90s") == []
