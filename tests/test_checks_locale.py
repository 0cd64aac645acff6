from __future__ import annotations

from checks_support import flagged, issues

SRC = "Der EU-Außenbeauftragte sagte der „Welt“, es gebe 10.000 Soldaten und 6,3 Millionen Euro."


def test_german_quotes_in_english_are_flagged_as_one_quotation_with_a_suggestion():
    found = issues("L101", SRC, "Borrell told „Welt“ that it was so.")
    assert [(i.text, i.suggestion) for i in found] == [("„Welt“", "“Welt”")]
    assert flagged("L101", SRC, "Borrell told «Welt» that it was so.") == ["«Welt»"]
    assert flagged("L101", SRC, "Borrell told “Die Welt” and 'Le Monde' that it's \"so\".") == []


def test_english_quotes_in_german_target():
    assert flagged("L101", "He said “yes”.", "Er sagte “ja”.", src_lang="en", tgt_lang="de") == ["“ja”"]
    assert flagged("L101", "He said “yes”.", "Er sagte „ja“ und »nein«.", src_lang="en", tgt_lang="de") == []


def test_decimal_comma_in_english():
    found = issues("L201", SRC, "There are 6,3 million euros and 2,5% more.")
    assert [(i.text, i.suggestion) for i in found] == [("6,3", "6.3"), ("2,5", "2.5")]
    assert flagged("L201", SRC, "There are 6,300 soldiers, 6.3 million euros and 1,234,567 votes.") == []


def test_decimal_point_in_german_only_before_units_or_scale_words():
    assert flagged("L201", "6.3 million", "6.3 Millionen Euro und 2.5 %", src_lang="en", tgt_lang="de") == ["6.3", "2.5"]
    assert flagged("L201", "on 1.5.", "am 1.5. um 14.30 Uhr", src_lang="en", tgt_lang="de") == []


def test_digit_grouping():
    found = issues("L202", SRC, "There are 10.000 soldiers.")
    assert [(i.text, i.suggestion) for i in found] == [("10.000", "10,000")]
    # Without the same figure in the source, one group with a point may be an English decimal.
    assert flagged("L202", "Es gibt 3 Werte.", "The value is 10.000 exactly.") == []
    assert flagged("L202", "Es gibt 3 Werte.", "The value is 1.000.000 euros.") == ["1.000.000"]
    assert flagged("L202", SRC, "There are 10,000 or 10 000 soldiers.") == []


def test_dates():
    found = issues("L301", "am 10. Januar", "at a summit on 10. January and on 10. Januar")
    assert [(i.text, i.suggestion) for i in found] == [("10. January", "January 10"), ("10. Januar", "January 10")]
    assert [i.suggestion for i in issues("L301", "am 10. Januar", "on 10. January", tgt_lang="en-GB")] == ["10 January"]
    assert flagged("L301", "am 10.01.2022", "on 10.01.2022") == ["10.01.2022"]
    assert [(i.text, i.suggestion) for i in issues("L301", "im Dezember", "early in Dezember")] == [("Dezember", "December")]
    assert flagged("L301", "am 10. Januar", "on January 10 and in April, August or May.") == []


def test_time_format():
    found = issues("L302", "um 14.30 Uhr", "at 14.30 Uhr")
    assert [(i.text, i.suggestion) for i in found] == [("14.30 Uhr", "2:30\u202fPM")]
    assert [i.suggestion for i in issues("L302", "um 14 Uhr", "at 14 Uhr", tgt_lang="en-GB")] == ["14:00"]
    assert flagged("L302", "at 2 pm", "um 14 Uhr", src_lang="en", tgt_lang="de") == []


def test_currency_and_percent():
    found = issues("L401", "500 €", "a fine of 500 € and $20")
    assert [(i.text, i.suggestion) for i in found] == [("500 €", "€500")]
    assert flagged("L401", "€500", "eine Strafe von €500 und 20 $", src_lang="en", tgt_lang="de") == ["€500"]
    assert flagged("L402", "25 %", "25 % of the vote, 30% of seats") == [" %"]
    assert flagged("L402", "25%", "25% der Stimmen, 30\u00a0% der Sitze", src_lang="en", tgt_lang="de") == ["%"]


def test_unknown_target_locale_switches_the_rule_off_with_a_note():
    from checks_support import context, make_pair

    from pipeline.checks import load_rules, run_checks

    ctx = context("de", "qq")
    run_checks([[make_pair("a", "b")]], load_rules().select(["L201"], []), ctx)
    assert ctx.notes and "no CLDR locale data for 'qq'" in ctx.notes[0]


def test_bracketed_tuples_are_not_decimals():
    assert flagged("L201", "x", "the input [1,1] gives 0 and (0,0) gives 1") == []


def test_month_names_that_are_names_in_the_target():
    assert flagged("L301", "Theresa May said", "Premierministerin Theresa May sagte", src_lang="en", tgt_lang="de") == []
    assert flagged("L301", "on 3 May 2018", "am 3 May 2018", src_lang="en", tgt_lang="de") == ["May"]
    assert flagged("L402", "100% sure", "100%ig sicher", src_lang="en", tgt_lang="de") == []


def test_a_placeholder_after_a_number_is_not_a_percent_sign():
    """Mozilla VPN uk: "%1 %2" (Qt placeholders) once read as "1 %"."""
    assert flagged("L402", "%1 %2", "%1 %2", src_lang="en", tgt_lang="uk") == []
    assert flagged("L402", "25% of the vote", "25 % of the vote", src_lang="de", tgt_lang="en") == [" %"]


def test_quote_direction_from_the_mark_where_spacing_says_both_or_neither():
    """French « mot » has a no-break space on both sides of both marks, and Chinese or Japanese
    quotations stand between letters with no space at all: the mark's own side in the target's
    convention decides (NTREX en->fr/zh/ja flagged every such quotation before)."""
    assert flagged("L101", 'He said it was done "deliberately".', "Il a déclaré que c’était fait « intentionnellement », ajoutant qu’il regrettait.", src_lang="en", tgt_lang="fr") == []
    assert flagged("L101", 'She will "seriously consider" running.', "她将“认真考虑竞选总统”。", src_lang="en", tgt_lang="zh") == []
    assert flagged("L101", 'He is in "careful preparation".', "氏が大統領選に向けて「入念な準備」をしている。", src_lang="en", tgt_lang="ja") == []
    # the marks of another convention are still flagged in those scripts
    assert flagged("L101", 'He said it was done "deliberately".', "Il a déclaré que c’était fait „intentionnellement“, ajoutant.", src_lang="en", tgt_lang="fr") == ["„intentionnellement“"]
    assert flagged("L101", 'He is in "careful preparation".', "氏が大統領選に向けて“入念な準備”をしている。", src_lang="en", tgt_lang="ja") != []


def test_quote_conventions_of_every_ntrex_target_from_cldr_and_the_translations():
    """CLDR's delimiters for Greek, Finnish, Hebrew, Korean ... (and what NTREX translators use beside
    them: Finnish “…”, Hebrew „…“): another locale's marks are flagged there too."""
    src = 'He said it was "a good day".'
    assert flagged("L101", src, "Είπε ότι ήταν «μια καλή μέρα».", src_lang="en", tgt_lang="el") == []
    assert flagged("L101", src, "Είπε ότι ήταν „μια καλή μέρα“.", src_lang="en", tgt_lang="el") == ["„μια καλή μέρα“"]
    assert flagged("L101", src, "Hän sanoi, että se oli ”hyvä päivä”, ja “hyvä ilta”.", src_lang="en", tgt_lang="fi") == []
    assert flagged("L101", src, "Hän sanoi, että se oli «hyvä päivä».", src_lang="en", tgt_lang="fi") != []
    assert flagged("L101", src, "הוא אמר שזה היה „יום טוב“.", src_lang="en", tgt_lang="he") == []
    assert flagged("L101", src, "그는 “좋은 날”이었다고 말했다.", src_lang="en", tgt_lang="ko") == []
    assert flagged("L101", src, "그는 „좋은 날“이었다고 말했다.", src_lang="en", tgt_lang="ko") != []


def test_russian_nests_english_quotes_inside_guillemets_but_not_at_the_top():
    src = 'He said it was time "to fix" the government.'
    assert flagged("L101", src, "Он сказал, что пришло время «женщинам “починить” правительство».", src_lang="en", tgt_lang="ru") == []
    assert flagged("L101", src, "Он сказал, что пришло время “починить” правительство.", src_lang="en", tgt_lang="ru") == ["“починить”"]


def test_french_guillemet_after_an_elision_opens():
    src = 'describing it as "heinous, cruel and depraved."'
    assert flagged("L101", src, "qualifiant la méthode d’« odieuse, cruelle et dépravée ».", src_lang="en", tgt_lang="fr") == []


def test_a_decimal_point_copied_from_an_english_source_into_a_decimal_comma_target():
    """NTREX en->de/it/nl/tr planted "5,6" -> "5.6" went unseen (only a point before %, a scale word or a
    currency was read); the figure the English source has as a decimal is a copied decimal mark.
    A clock time ("7.55am": Finnish klo 7.55) and a version after a name the source has ("Windows 3.1") are not."""
    src = "He averaged 5.6 points and 2.6 rebounds a game last season."
    found = issues("L201", src, "Er erzielte 5.6 Punkte und 2,6 Rebounds pro Spiel.", src_lang="en", tgt_lang="de")
    assert [(i.text, i.suggestion) for i in found] == [("5.6", "5,6")]
    assert flagged("L201", "The fall of 1.8 per cent.", "Odnotowany 1.8-procentowy spadek.", src_lang="en", tgt_lang="pl") == ["1.8"]
    assert flagged("L201", "He was found at 7.55am.", "Hänet löydettiin klo 7.55.", src_lang="en", tgt_lang="fi") == []
    assert flagged("L201", "It runs on Windows 3.1 only.", "Es läuft nur unter Windows 3.1.", src_lang="en", tgt_lang="de") == []
    assert flagged("L201", "on 5 June", "am 5.6. um 14.30 Uhr", src_lang="en", tgt_lang="de") == []


def test_russian_and_czech_write_percent_both_ways():
    """CLDR writes "25 %" for ru and cs; the Russian press writes "25%" (NTREX en->ru: 9 of 9), and Czech
    "25%" is the adjective "25-percent". German still takes the space."""
    assert flagged("L402", "up 2.7%", "выросли на 2,7%, а в ресторанах", src_lang="en", tgt_lang="ru") == []
    assert flagged("L402", "a 14% rise", "Čína uvádí 14% nárůst", src_lang="en", tgt_lang="cs") == []
    assert flagged("L402", "a 14% rise", "ein Anstieg um 14%", src_lang="en", tgt_lang="de") == ["%"]


def test_a_decimal_point_before_a_unit_symbol_in_a_decimal_comma_target():
    """Translations convert inches and miles, so the figure is not in the source: "7.5 cm" is a decimal."""
    assert flagged("L201", "3 inches", "von 7.5 cm bis 15 cm, 1.98 m groß, am 5.6. um 14.30 Uhr", src_lang="en", tgt_lang="de") == ["7.5", "1.98"]
    assert flagged("L201", "the magnitude 7.5 quake", "le séisme de magnitude 7.5", src_lang="en", tgt_lang="fr") == ["7.5"]


def test_a_decimal_comma_before_a_clause_comma_in_a_decimal_point_target():
    """NTREX en->he planted "7.5" -> "7,5" before a comma went unseen; a list "1,2,3" is still no decimal."""
    assert flagged("L201", "the magnitude 7.5, quake", "רעידת האדמה בעוצמה של 7,5, היו", src_lang="en", tgt_lang="he") == ["7,5"]
    assert flagged("L201", SRC, "items 1,2,3 and [1,1] and 6,300, fine") == []


def test_a_decimal_point_before_a_cldr_unit_name_or_a_range_in_a_decimal_comma_target():
    """Converted units in NTREX en->de/uk/fr: "etwa 1.6 Kilometer", "2.5 bis 5 Zentimeter", "від 5.08 до
    10,16 см" (the unit's CLDR name, or a range ending in a unit); a clock time stays unflagged."""
    assert flagged("L201", "a mile away", "etwa 1.6 Kilometer entfernt, 2.5 bis 5 Zentimeter, um 14.30 Uhr", src_lang="en", tgt_lang="de") == ["1.6", "2.5"]
    assert flagged("L201", "2 to 4 inches", "від 5.08 до 10,16 см", src_lang="en", tgt_lang="uk") == ["5.08"]


def test_spanish_questions_and_exclamations_open_with_inverted_marks():
    """NTREX en->es: 17 of 17 ¿/¡ removed from the calib translations are found; the clean calib has no flag."""
    found = issues("L102", "He asked: 'Did you do it?'", "Le pregunté: 'Lo hiciste?'", src_lang="en", tgt_lang="es")
    assert [i.text for i in found] == ["?"]
    assert flagged("L102", "What a day! Did it rain?", "Dijo: ¿Qué pasó? Y, si llueve, ¿iremos? ¡Qué día!", src_lang="en", tgt_lang="es") == []
    # an English slogan quoted as in the source, a URL, a brand, a bracketed (!)
    assert flagged("L102", 'They chanted "November is coming!"', 'Entonaban "November is coming!" (¡noviembre se acerca!)', src_lang="en", tgt_lang="es") == []
    assert flagged("L102", "Yahoo! News", "Yahoo!News y http://x.com/?id=3 dijo (!) algo.", src_lang="en", tgt_lang="es") == []
    assert flagged("L102", "What happened?", "Qu'est-ce qui s'est passé?", src_lang="en", tgt_lang="fr") == []


def test_italian_earthquake_magnitude_keeps_its_point():
    """Italian writes earthquake magnitudes as the INGV does, "magnitudo 7.5"; any other point decimal is still flagged."""
    src = "The 7.5 magnitude quake struck on Friday, and 7.5 cm of rain fell."
    assert flagged("L201", src, "Il terremoto di magnitudo 7.5 ha colpito venerdì.", src_lang="en", tgt_lang="it") == []
    assert flagged("L201", src, "Sono caduti 7.5 cm di pioggia.", src_lang="en", tgt_lang="it") == ["7.5"]
    assert flagged("L201", src, "Động đất có cường độ 7.5 độ richter.", src_lang="en", tgt_lang="vi") == ["7.5"]


def test_a_decimal_point_before_an_inflected_unit_in_greek_and_turkish():
    """NTREX en->el calib: a Greek figure stands before a genitive ("1.98 μέτρων", "1.6 χιλιομέτρων"),
    which CLDR's unit names lack (pipeline/data/locale/units.yaml); Turkish glues case suffixes to
    the unit ("1.6 kilometrelik"). A clock time stays unflagged."""
    src = "The 6-foot-6 forward lived about a mile away."
    tgt = "Ο φόργουορντ ύψους 1.98 μέτρων ζούσε περίπου 1.6 χιλιομέτρων μακριά, στις 14.30 το απόγευμα."
    assert flagged("L201", src, tgt, src_lang="en", tgt_lang="el") == ["1.98", "1.6"]
    assert flagged("L201", src, "yaklaşık 1.6 kilometrelik bir mesafede, saat 14.30'da", src_lang="en", tgt_lang="tr") == ["1.6"]
    assert flagged("L201", src, "yaklaşık 1,6 kilometrelik bir mesafede", src_lang="en", tgt_lang="tr") == []


def test_a_copied_point_decimal_after_a_name_or_before_at_in_a_decimal_comma_target():
    """A name before the figure marks a version only where the source has the two together ("Windows
    3.1"); "at" after the source's figure is the preposition, not a time zone ("ET")."""
    src = "Team Europe won by 16.5 to 10.5 at Le Golf National, and Sergio Garcia now has 25.5 career points."
    tgt = "Avrupa Takımı 10.5'e karşı 16,5 ile kazandı; Sergio Garcia 25.5 kariyer puanına ulaştı."
    assert flagged("L201", src, tgt, src_lang="en", tgt_lang="tr") == ["10.5", "25.5"]
    assert flagged("L201", "Microsoft released Windows 3.1 in 1992.", "Microsoft, 1992'de Windows 3.1'i yayımladı.", src_lang="en", tgt_lang="tr") == []
    assert flagged("L201", "The game starts at 7.30 ET.", "Maç 7.30'da başlıyor.", src_lang="en", tgt_lang="tr") == []


def test_thousands_with_a_point_in_a_decimal_point_target_where_the_source_groups_them():
    """'1.234' in Chinese (a decimal point target) for an English '1,234': the wrong grouping mark;
    for a German source's '1,234' (a decimal) the English '1.234' is right."""
    assert flagged("L202", "About 1,234 people came.", "大约有1.234人来了。", src_lang="en", tgt_lang="zh") == ["1.234"]
    assert flagged("L202", "About 1,234 people came.", "לפחות 1,234 אנשים הגיעו.", src_lang="en", tgt_lang="he") == []
    assert flagged("L202", "Der Wert ist 1,234.", "The value is 1.234.", src_lang="de", tgt_lang="en") == []


def test_a_point_grouping_thousands_before_a_cjk_counter_read_by_value():
    """One group after the target's own decimal mark, before 億/万: read as a group ("1.100億" = 1100億)
    it is the source's "110 billion", read as a decimal (1.1億) nothing in the source."""
    src = "The pipeline doubles the capacity to 110 billion cubic meters."
    assert flagged("L202", src, "容量を2倍の1.100億立方メートルに拡大する。", src_lang="en", tgt_lang="ja") == ["1.100"]
    assert flagged("L202", "It sold the business for £125m.", "事業を1億2.500万ポンドで売却した。", src_lang="en", tgt_lang="ja") == ["2.500"]
    assert flagged("L202", "It sold the business for £125m.", "사업을 1억 2.500만 파운드에 팔았다.", src_lang="en", tgt_lang="ko") == ["2.500"]
    assert flagged("L202", "almost 1000 people were injured", "près de 1,000 personnes ont été blessées", src_lang="en", tgt_lang="fr") == ["1,000"]
    # the decimal reading is the source's value: right
    assert flagged("L202", "It cost 112.5 million.", "1.125億円かかった。", src_lang="en", tgt_lang="ja") == []
    assert flagged("L202", src, "容量を2倍の1,100億立方メートルに拡大する。", src_lang="en", tgt_lang="ja") == []


def test_a_decimal_copied_from_an_english_source_is_no_grouping():
    """An English '1.234' is a decimal: a Chinese target writes it the same way; a German source's '10.000' groups."""
    assert flagged("L202", "The index rose 1.234 points.", "指数上涨了1.234点。", src_lang="en", tgt_lang="zh") == []
    assert flagged("L202", "Es gab 10.000 Soldaten.", "There were 10.000 soldiers.", src_lang="de", tgt_lang="en") == ["10.000"]
