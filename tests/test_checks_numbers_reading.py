"""Number notations the number rules (A201-A203) read, added for the false-alarm classes of issue 14:
number words text2num lacks or was never given, hyphenated ordinals, Turkish case endings, Finnish
words for about so many and tens+units in one word, weekdays that look like ordinals, the 億 typo 憶,
"this century", and Celsius against a Fahrenheit figure without a unit.  Each class has a clean pair
(no flag) and the same pair with the number changed (still flagged)."""

from __future__ import annotations

import pytest
from checks_support import flagged


def _flags(src: str, tgt: str, lang: str) -> dict[str, list[str]]:
    return {code: found for code in ("A201", "A202", "A203") if (found := flagged(code, src, tgt, src_lang=lang))}


@pytest.mark.parametrize(
    "lang, src, tgt, changed_tgt, changed",
    [
        # Italian: text2num lacks "sedici" (16), and "nono"/"decimo" were never given to it
        ("it", "È la sua sedicesima stagione con la squadra.", "It is his 16th season with the team.", "It is his 18th season with the team.", "18"),
        ("it", "Il club ha chiuso al decimo posto.", "The club finished in tenth place.", "The club finished in seventh place.", "seventh"),
        # French: "quinze" and "soixante" were never given to text2num; a hyphenated ordinal is read whole
        ("fr", "Il a marqué quinze points.", "He scored 15 points.", "He scored 19 points.", "19"),
        ("fr", "Il a été élu pour la vingt-deuxième fois.", "He was elected for the 22nd time.", "He was elected for the 24th time.", "24"),
        # English: "twenty-first" is 21, not its first part
        ("de", "Die Stadt im 21. Jahrhundert.", "The city in the twenty-first century.", "The city in the twenty-second century.", "twenty-second"),
        # Turkish: case and possessive endings on the last number word ("elli sekizi": fifty-eight of them)
        ("tr", "Seçmenlerin yüzde elli sekizi adayı destekliyor.", "Fifty-eight percent of voters back the candidate.", "Fifty-nine percent of voters back the candidate.", "Fifty-nine"),
        # Finnish: about so many ("kymmenisen": about ten), tens and units in one word
        ("fi", "Hän on asunut siellä kymmenisen vuotta.", "She has lived there for about ten years.", "She has lived there for about four years.", "four"),
        ("fi", "Paikalla oli kaksikymmentäviisi ihmistä.", "There were twenty-five people there.", "There were thirty-five people there.", "thirty-five"),
        # Japanese: 億 typed as 憶 (both "oku") after a figure
        ("ja", "売上は22憶ドルだった。", "Sales were $2.2 billion.", "Sales were $2.9 billion.", "2.9 billion"),
        # a Celsius temperature given in Fahrenheit without a unit, as US English does
        ("it", "Temperature fino a 26 ºC in città.", "Temperatures in the 80s in the city.", "Temperatures in the 100s in the city.", "100"),
        ("es", "Se esperan 30 grados el domingo.", "Highs near 86 are expected on Sunday.", "Highs near 100 are expected on Sunday.", "100"),
        # a difference of temperatures has no offset: 20 degrees Fahrenheit are 11 degrees Celsius
        ("de", "Es besteht ein Temperaturunterschied von fast 12 ºC.", "There is nearly a 20-degree temperature difference.", "There is nearly a 40-degree temperature difference.", "40"),
    ],
)
def test_numbers_read_in_every_notation(lang, src, tgt, changed_tgt, changed):
    assert _flags(src, tgt, lang) == {}
    assert flagged("A201", src, changed_tgt, src_lang=lang) == [changed]


@pytest.mark.parametrize(
    "lang, src, tgt",
    [
        # weekdays that look like ordinals: Greek "την Τρίτη" (on Tuesday), Portuguese "segunda-feira" (Monday)
        # (read as "the third" and "the second", they were taken for a changed "Four" and "Three")
        ("el", "Η εκπομπή Φορ Κόρνερς προβάλλεται την Τρίτη.", "Four Corners airs on Tuesday."),
        ("pt", "Na segunda-feira, a seleção inglesa jogou bem.", "On Monday, the Three Lions played well."),
        # "double-digit" says "above 10" in other words
        ("nl", "De verkoop steeg met boven de 10 procent.", "Sales rose by a double-digit percentage."),
        # "本世纪之初" (at the beginning of this century) is the early 2000s
        ("zh", "Sainsbury's 早在本世纪之初试水与 Boots 建立了合资企业。", "Sainsbury's tested a joint venture with Boots in the early 2000s."),
    ],
)
def test_words_that_are_not_the_number_they_look_like(lang, src, tgt):
    assert _flags(src, tgt, lang) == {}


def test_an_ordinal_at_the_start_of_a_greek_sentence_is_still_read():
    # capitalised at the start of a sentence, "Τρίτη" is the ordinal (the third time), so a change is seen
    assert flagged("A201", "Τρίτη φορά φέτος.", "The fifth time this year.", src_lang="el") == ["fifth"]


def test_turkish_endings_only_on_unambiguous_number_words():
    # "onu" is "him" (not "on", ten, with an ending): the target's 5 is added, not a changed ten
    assert _flags("Onu gördüm.", "I saw him 5 times.", "tr") == {"A203": ["5"]}


@pytest.mark.parametrize(
    "lang, src, tgt, changed_tgt, changed",
    [
        # a Celsius range against a Fahrenheit span of ten without a unit ("the 80s": 80 to 89 degrees);
        # the range's unit spreads to its start over the joiner of the source language ("de 26 a 32")
        ("es", "Se esperan temperaturas de 26 a 32 grados.", "Temperatures in the widespread 80s are expected.",
         "Temperatures in the widespread 60s are expected.", "60"),
        ("ru", "Ожидается температура от 26 до 32 градусов.", "Highs in the 80s and 90s are expected.", "Highs in the 60s and 90s are expected.", "60"),
        # "mid-80s" is no model code
        ("fr", "Des températures autour de 29 degrés.", "Temperatures in the mid-80s.", "Temperatures in the mid-60s.", "60"),
        # fractions in words, as their percentages ("deux tiers": 66.7 %, "五分之一": 20 %)
        ("fr", "Les deux tiers des électeurs ont voté.", "67 percent of voters voted.", "45 percent of voters voted.", "45"),
        ("fr", "Trois quarts des électeurs ont voté.", "75% of voters voted.", "70% of voters voted.", "70"),
        ("zh", "五分之一的选民投了票。", "20 percent of voters voted.", "30 percent of voters voted.", "30"),
        ("ru", "Две трети избирателей проголосовали.", "67 percent of voters voted.", "45 percent of voters voted.", "45"),
        # a time span said in another unit ("两个月": two months = 60 days, "двух суток" = 48 hours)
        ("zh", "要求在两个月内出庭。", "They must appear in court within 60 days.", "They must appear in court within 90 days.", "90"),
        ("ru", "В течение двух суток шел снег.", "It snowed for 48 hours.", "It snowed for 36 hours.", "36"),
        ("de", "Innerhalb von 48 Stunden.", "Within two days.", "Within three days.", "three"),
        # half of a scale word, one and a half, ordinals of 21 and up, Korean native tens, Vietnamese tens
        ("de", "Eine halbe Million Menschen.", "500,000 people.", "600,000 people.", "600,000"),
        ("ru", "Полтора миллиона долларов.", "$1.5 million.", "$2.5 million.", "2.5 million"),
        ("ru", "В двадцать первом веке.", "In the 21st century.", "In the 22nd century.", "22"),
        ("cs", "Ve dvacátém prvním století.", "In the 21st century.", "In the 22nd century.", "22"),
        ("hi", "इक्कीसवीं सदी में।", "In the 21st century.", "In the 22nd century.", "22"),
        ("ko", "스물다섯 명이 사망했다.", "25 people died.", "35 people died.", "35"),
        ("vi", "Hai mươi lăm người chết.", "25 people died.", "35 people died.", "35"),
    ],
)
def test_value_preserving_renderings(lang, src, tgt, changed_tgt, changed):
    """Issue 14's classes of false A2 flags on NTREX X->en: each is a rendering that keeps the value."""
    assert _flags(src, tgt, lang) == {}
    assert flagged("A201", src, changed_tgt, src_lang=lang) == [changed]


@pytest.mark.parametrize(
    "lang, src, tgt, changed_tgt",
    [
        # "за сутки" (in a day) for "24 hours": a duration that is one of a larger unit is no added number
        ("ru", "За сутки выпало много снега.", "A lot of snow fell in 24 hours.", "A lot of snow fell in 25 hours."),
        ("fr", "Pendant une demi-heure.", "For 30 minutes.", "For 40 minutes."),
        ("es", "En un año y medio.", "In 18 months.", "In 20 months."),
    ],
)
def test_a_duration_of_one_larger_unit_is_not_added(lang, src, tgt, changed_tgt):
    assert _flags(src, tgt, lang) == {}
    assert _flags(src, changed_tgt, lang) == {"A203": [changed_tgt.split()[-2]]}


def test_counts_that_add_up():
    """'the four young men, aged 17, 18, 18 and 20' for 'a 17-year-old, two 18-year-olds and a 20-year-old':
    the count of a list and a count word before a figure said as a list; a changed count is still seen."""
    listed = "Les quatre jeunes hommes, âgés de 17, 18, 18 et 20 ans, ont été arrêtés."
    assert _flags(listed, "A 17-year-old, two 18-year-olds and a 20-year-old were arrested.", "fr") == {}
    assert _flags(listed, "A 17-year-old, three 18-year-olds and a 20-year-old were arrested.", "fr") == {"A201": ["three"]}
    counted = "Ein 17-Jähriger, zwei 18-Jährige und ein 20-Jähriger wurden festgenommen."
    assert _flags(counted, "The four young men, aged 17, 18, 18 and 20, were arrested.", "de") == {}
    assert _flags(counted, "The five young men, aged 17, 18, 18 and 20, were arrested.", "de") == {"A201": ["five"], "A203": ["18"]}
