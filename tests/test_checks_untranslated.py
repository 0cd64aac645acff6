from __future__ import annotations

from checks_support import flagged, issues


def test_source_language_sentence_in_the_target():
    src = ["Russland weist die Vorwürfe zurück.", "Der Kreml bestätigte das Telefonat am Abend."]
    tgt = ["Russia rejects the accusations.", "Der Kreml bestätigte das Telefonat am Abend."]
    found = issues("F101", src, tgt)
    assert [i.text for i in found] == [tgt[1]] and found[0].segment == 1 and found[0].severity.value == "major"


def test_sentence_in_the_source_language_that_is_not_a_copy():
    found = flagged("F101", "Die Lage ist ernst.", "Die Lage an der Grenze bleibt weiterhin sehr angespannt.")
    assert found == ["Die Lage an der Grenze bleibt weiterhin sehr angespannt."]


def test_names_short_titles_and_english_are_not_untranslated():
    assert flagged("F101", "Biden und Putin", "Biden und Putin") == []
    assert flagged("F101", "Joe Biden, Wladimir Putin, Josep Borrell", "Joe Biden, Vladimir Putin, Josep Borrell") == []
    assert flagged("F101", "Die EU will nicht übergangen werden.", "The EU does not want to be ignored.") == []


def test_source_words_left_in_the_target():
    src = "Bei einem Gipfel am 10. Januar wird beraten, sagte er und lachte."
    assert flagged("F102", src, "A Gipfel on January 10 will discuss it, he said und lachte.") == ["Gipfel", "und lachte"]
    # Compounds are mostly names of firms and places; quoted titles keep their language.
    assert flagged("F102", "Der Truppenaufmarsch im Programm „Guten Tag, liebes Glück“", "The Truppenaufmarsch in the show “Guten Tag, liebes Glück”") == []


def test_names_and_loanwords_are_not_untranslated_words():
    src = "US-Außenminister Antony Blinken sprach mit Selenskyj in Moskau über die Angst im Kindergarten."
    tgt = "US Secretary of State Antony Blinken spoke with Selenskyj in Moskau about the Angst in the Kindergarten."
    assert flagged("F102", src, tgt) == []


def test_copies_in_a_third_language_and_name_parts_are_not_flagged():
    assert flagged("F101", "Il faut bien le faire, dit-il.", "Il faut bien le faire, dit-il.") == []
    src = "erklärte der Forscher der Stiftung Wissenschaft und Politik in Berlin"
    assert flagged("F102", src, "said the researcher of the foundation Wissenschaft und Politik in Berlin") == []


def test_english_words_inside_names_in_a_german_target():
    src = "an ATM in Newport on the Levee, said the Member of the Welsh Parliament"
    tgt = "einen Geldautomaten in Newport on the Levee, sagte das Member of the Welsh Parliament"
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="de") == []
