from __future__ import annotations

from checks_support import flagged, issues, make_pair


def test_doubled_word_flags_slips_but_not_grammatical_doublings_or_names():
    assert flagged("T101", "", "The talks in the the Swiss city.") == ["the the"]
    assert issues("T101", "", "The talks in the the Swiss city.")[0].suggestion == "the"
    assert flagged("T101", "", "She had had enough, and he said that that was fine.") == []
    assert flagged("T101", "", "They flew to Bora Bora.") == []
    assert flagged("T101", "", "the then minister") == []
    assert flagged("T101", "", "The IT systems for Canada plus plus, for a frictionless border.") == []  # "++" read out


def test_repeated_phrase():
    assert flagged("T102", "", "talks on security on security guarantees") == ["on security on security"]
    assert flagged("T102", "", "We talked about security and security guarantees.") == []
    assert flagged("T102", "", "from 10 to 20 to 30 percent") == []


def test_a_phrase_said_twice_with_a_comma_is_rhetoric_but_three_times_is_a_loop():
    assert flagged("T102", "", "I am so happy, so happy today.") == []
    assert flagged("T102", "", "I am so happy so happy today.") == ["so happy so happy"]
    assert flagged("T102", "", "I am so happy, so happy, so happy today.") == ["so happy, so happy"]


def test_spacing_rules_for_english():
    assert flagged("T201", "", "the  tense situation") == ["  "]
    assert flagged("T201", "", "one space only") == []
    assert flagged("T202", "", "the call , which was planned") == [" ,"]
    assert flagged("T202", "", "Is it ready ? Yes.") == [" ?"]
    assert flagged("T202", "", "at 10:30, as planned: yes.") == []
    assert flagged("T203", "", "in Geneva.The Kremlin said so,and left.") == [".", ","]
    assert flagged("T203", "", "the U.S. and Node.js at example.com, 6.3 million") == []


def test_french_punctuation_spacing():
    assert flagged("T202", "", "Pourquoi? Il a dit «oui».", src_lang="en", tgt_lang="fr") == ["?", "«", "»"]
    assert flagged("T202", "", "Pourquoi\u202f? Il a dit «\u202foui\u202f».", src_lang="en", tgt_lang="fr") == []


def test_repeated_punctuation_keeps_ellipsis():
    assert flagged("T204", "", "the call,, which.. and what?!") == [",,", "..", "?!"]
    assert flagged("T204", "", "and then... nothing…") == []


def test_unbalanced_brackets():
    assert flagged("T301", "", "the Organization for Security (OSCE said") == ["("]
    assert flagged("T301", "", "the OSCE) said") == [")"]
    assert flagged("T301", "", "the (OSCE) said [so] {x}") == []
    assert flagged("T301", "", "options: a) talks b) sanctions") == []


def test_unbalanced_quotes_accepts_every_language_pairing():
    assert flagged("T302", "", "Biden said “we are ready to respond. He also said “no”.") == ["“"]
    for ok in ("He said „ja“.", "He said “yes”.", 'He said "yes".', "Il a dit «oui».", "Er sagte »ja«."):
        assert flagged("T302", "", ok) == [], ok
    assert flagged("T302", "", "“A quotation that goes on into the next paragraph.") == []
    assert flagged("T302", "", "He said yes” and “left") == ["”", "“"]


def test_repetitions_mirrored_in_the_source_are_not_flagged():
    assert flagged("T102", "„Nein, nein, nein“", '"No, no, no"') == []
    assert flagged("T101", "Canada Plus Plus", "for Canada plus plus") == []
    assert flagged("T204", "Was soll ich machen??", "What should I do??") == []
    assert flagged("T204", "Was soll ich machen?", "What should I do??") == ["??"]


def test_emoticons_are_not_brackets_and_cross_segment_quotes_follow_the_source():
    assert flagged("T301", "Danke :)", "Thanks :) and bye (; see you") == []
    assert flagged("T301", "x", "the (OSCE); the talks") == []
    src = 'Das war ein schlechtes Spiel", sagte Kapitänin Emily Bölk.'
    assert flagged("T302", src, "That was a bad game,” said team captain Emily Bölk.") == []
    assert flagged("T302", "Das war ein schlechtes Spiel, sagte sie.", "That was a bad game,” she said.") == ["”"]


def test_double_hyphen_as_dash():
    found = issues("T205", "", "they could not escape -- leaving a shadow, and--sadly--more")
    assert [(i.text, i.suggestion) for i in found] == [(" -- ", " — "), ("--", "—"), ("--", "—")]
    assert flagged("T205", "", "a well-known fact - and a range 10-20, an arrow --> here, ---") == []


def test_idiomatic_reduplication_is_not_a_loop():
    assert flagged("T102", "", "the hole gets faster and faster and the sound louder, step by step by step") == []


def test_typography_the_source_has_too_is_not_flagged():
    uk = {"src_lang": "uk", "tgt_lang": "en"}
    assert flagged("T301", "Кава прийшла, завтра принесу)", "Your coffee has come, I can bring it tomorrow)", **uk) == []
    assert flagged("T301", "Кава (дуже смачна) прийшла", "The coffee (very tasty came", **uk) == ["("]
    assert flagged("T202", "Біля банку неможливо , з дощем", "Close to the bank is impossible , with rain", **uk) == []
    assert flagged("T203", "Привіт,друже", "Hello,friend", **uk) == []
    assert flagged("T203", "Привіт, друже", "Hello,friend", **uk) == [","]


def test_double_hyphen_spares_options_and_dashes_the_source_typed_the_same_way():
    """git's PO files: "git apply --cached" is an option, and "Patch-Blöcke -- siehe" mirrors the msgid's " -- "."""
    assert flagged("T205", "", "'git apply --cached' schlug fehl; use -- to end the options") == [" -- "]
    assert flagged("T205", "hunks -- see below", "Patch-Blöcke -- siehe unten") == []


def test_a_reduplicating_source_does_not_excuse_a_doubled_target_word():
    """Hindi doubles words as grammar ("धीरे धीरे" = "slowly"), so its doublings say nothing about the English."""
    source = "वह धीरे धीरे घर गया।"
    assert flagged("T101", source, "He walked home the the slowly.", src_lang="hi") == ["the the"]
    assert flagged("T101", "Nein nein, sagte er.", "No no, he said the the thing.", src_lang="de") == []  # German: spared


def test_runs_of_spaces_the_source_has_too_are_layout():
    source = "git bisect start [--term-(new|bad)=<term>]    [--no-checkout]"
    assert flagged("T201", source, "git bisect start [--term-(new|bad)=<Begriff>]    [--no-checkout]", src_lang="en", tgt_lang="de") == []
    assert flagged("T201", "the tense situation", "die  angespannte Lage", src_lang="en", tgt_lang="de") == ["  "]


def test_unbalanced_quotes_spanning_two_segments_of_a_document():
    # NTREX newsweek.51329, lines 14-15: the English original's quotation runs on into the next line,
    # the Czech translation closes it in the first; each segment alone would be flagged
    src = ["West pokračoval: „Chceš vidět nesprávné místo?“ a dodal, že by si „nasadil svůj oblek supermana, protože nemůžete říkat, co mám dělat.“", "Zkus lásku."]
    tgt = ['West went on: "You wanna see the sunken place?" saying that he would "put my superman cape on, because you can\'t tell me what to do.', 'Try love."']
    document = [make_pair(s, t, index=k) for k, (s, t) in enumerate(zip(src, tgt))]
    assert [i.text for i in issues("T302", document, None, src_lang="cs")] == []
    # the same first segment without the continuation: the open quotation is flagged
    assert [i.text for i in issues("T302", document[:1], None, src_lang="cs")] == ['"']
    alone = [make_pair(src[0], tgt[0]), make_pair(src[1], "Try love.", index=1)]
    assert [i.text for i in issues("T302", alone, None, src_lang="cs")] == ['"']


def test_doubled_word_not_a_piece_of_a_word_cut_at_a_vowel_sign():
    """re's \\w stops at Devanagari vowel signs and viramas: 'वोट ट्रंप' (vote Trump) read as 'ट ट'
    (NTREX en->hi: 162 such flags on calib). A real doubled Hindi word is still flagged."""
    assert flagged("T101", "They will vote for Trump.", "वे ट्रंप को वोट ट्रंप को देंगे।", src_lang="en", tgt_lang="hi") == []
    assert flagged("T101", "They will vote.", "वे वोट वोट देंगे।", src_lang="en", tgt_lang="hi") == ["वोट वोट"]


def test_same_mark_quotations_balance_in_targets_other_than_english():
    """Finnish and Swedish quote with ”…” (CLDR), and Kazakh and Hebrew translators often with ”…” or
    “…“: in those targets the mark closes the quotation it opened (NTREX en->fi/kk/he flagged them).
    English targets keep the strict pairing, and an unclosed same-mark quotation is still flagged."""
    assert flagged("T302", "He said \"it is a good day\" and left.", "Hän sanoi ”on hyvä päivä” ja lähti.", src_lang="en", tgt_lang="fi") == []
    assert flagged("T302", "He said \"it is a good day\" and left.", "Ол ”жақсы күн” деді де, кетіп қалды.", src_lang="en", tgt_lang="kk") == []
    assert flagged("T302", "He said \"it is a good day\" and left. \"Good,\" he said.", "Hän sanoi ”on hyvä päivä ja lähti. ”Hyvä” hän sanoi.", src_lang="en", tgt_lang="fi") == ["”"]
    assert flagged("T302", "", "He said ”it is a good day” and left.") == ["”"]


def test_quotes_in_targets_other_than_english_balance_by_number_and_place_not_shape():
    """NTREX en->ko/it/zh/ar translators mix a straight " with a curly mark ("…” and “…") or reverse the
    shapes (Arabic ”…", Chinese ”…“): balanced quotations, flagged before (T302 1.5 per 1k in ko).
    A quotation mark dropped on one side is still flagged."""
    src = '"We are very close to returning to the Pacific Ocean," he vowed in late August.'
    assert flagged("T302", src, '"태평양으로 돌아가는 것에 아주 가까이 왔습니다.”라고 지난 8월 그가 말했습니다.', src_lang="en", tgt_lang="ko") == []
    assert flagged("T302", src, '"Siamo molto vicini al nostro ritorno all’Oceano Pacifico”, ha promesso a fine agosto.', src_lang="en", tgt_lang="it") == []
    assert flagged("T302", src, "\"我们重返太平洋也就一步之遥了，“ 他在八月末曾信誓旦旦地说。", src_lang="en", tgt_lang="zh") == []
    assert flagged("T302", src, 'وقال” إننا قريبون جدا من العودة إلى المحيط الهادئ".', src_lang="en", tgt_lang="ar") == []
    assert flagged("T302", src, "Siamo molto vicini al nostro ritorno all’Oceano Pacifico”, ha promesso a fine agosto.", src_lang="en", tgt_lang="it") == ["”"]
    # nested quotations with the same straight marks
    assert flagged("T302", 'He said: "They told me "no" today."', 'Ha detto: "Mi hanno detto "no" oggi."', src_lang="en", tgt_lang="it") == []


def test_hebrew_gershayim_is_not_a_quotation_mark():
    """Hebrew abbreviations carry a gershayim before their last letter, typed as " or “ (ארה“ב "USA",
    מנכ“ל "CEO"); a quotation opened after a one-letter prefix (ש“לא) is still a quotation."""
    src = 'The US could use the Navy for a "blockade", said the CEO.'
    assert flagged("T302", src, "ארה“ב יכולה להשתמש בחיל הים לצורך „הסגר ימי“, אמר המנכ“ל.", src_lang="en", tgt_lang="he") == []
    assert flagged("T302", src, "הוא אמר ש“לא כולם כמוני“ ועזב.", src_lang="en", tgt_lang="he") == []
    assert flagged("T302", src, "אני לא רוצה שאף הורה ירגיש כך“, היא אמרה.", src_lang="en", tgt_lang="he") == ["“"]


def test_an_acronym_spelled_in_arabic_letter_names_is_no_doubled_word():
    """NTREX en->ar writes BBC and CNN in letter names (بي بي سي, سي إن إن): 11 T101 flags on calib."""
    assert flagged("T101", "on BBC Radio 4", "على راديو بي بي سي 4 يوم الأحد", src_lang="en", tgt_lang="ar") == []
    assert flagged("T101", "live on CNN.", "على الهواء مباشرةً على سي إن إن.", src_lang="en", tgt_lang="ar") == []
    assert flagged("T101", "in the city", "في في المدينة", src_lang="en", tgt_lang="ar") == ["في في"]


def test_repeated_phrase_reads_whole_devanagari_words():
    """textspans' words stop at vowel signs: हिप हॉप (hip hop) read as a repeated 'ह प' (NTREX en->hi T102)."""
    assert flagged("T102", "What is conscious hip hop?", "सचेत या जागरूक हिप हॉप क्या है?", src_lang="en", tgt_lang="hi") == []
    assert flagged("T102", "more power", "परिषदों को अधिक अधिकार अधिक अधिकार देना", src_lang="en", tgt_lang="hi") == ["अधिक अधिकार अधिक अधिकार"]


def test_chinese_and_japanese_put_no_space_after_marks_and_mix_bracket_widths():
    """NTREX en->zh: a half-width comma between Chinese characters is no missing space (T203 0.28 per
    1k), and a full-width bracket closed by a half-width one is balanced (T301)."""
    assert flagged("T203", "", "显然，AM将会提议改用其他称呼,对于委员会主席", src_lang="en", tgt_lang="zh") == []
    assert flagged("T203", "", "その製品にはRevlon、 Dr.PawPawのブランドも", src_lang="en", tgt_lang="ja") == ["."]
    assert flagged("T301", "to MWP (Member of the Welsh Parliament)", "改为MWP（威尔士议会议员)，这让", src_lang="en", tgt_lang="zh") == []
    assert flagged("T301", "to MWP (Member of the Welsh Parliament)", "改为MWP（威尔士议会议员，这让", src_lang="en", tgt_lang="zh") == ["（"]


def test_a_quotation_resumed_after_the_authors_words_in_the_segment_before():
    """NTREX en->uk: «…», — сказав Трамп. — / Я не йшов ні на які поступки». The closing mark of the
    resumed quotation has no opening one in its own segment."""
    src = ['"I said no," Trump said.', '"I didn\'t give up anything."']
    tgt = ["«Я сказав ні», — сказав Трамп. —", "Я не йшов ні на які поступки»."]
    document = [make_pair(s, t, index=k) for k, (s, t) in enumerate(zip(src, tgt))]
    assert [i.text for i in issues("T302", document, None, src_lang="en", tgt_lang="uk")] == []
    alone = [make_pair(src[1], tgt[1])]
    assert [i.text for i in issues("T302", alone, None, src_lang="en", tgt_lang="uk")] == ["»"]


def test_two_spaces_between_sentences_are_a_style_but_not_inside_one():
    assert flagged("T201", "", "The talks ended.  Both sides left.") == []
    assert flagged("T201", "", "The talks ended.   Both  sides left.") == ["   ", "  "]


def test_quotations_that_end_together_in_the_source_may_end_with_one_mark():
    """NTREX: "He said, "Because he makes me laugh,"" Ms. Scovell told me. Translations that close both
    quotations with one mark (20 T302 flags on calib) are not flagged; without the nesting they are."""
    src = '"He said, "Because he makes me laugh,"" Ms. Scovell told me.'
    assert flagged("T302", src, "„Řekl: „Protože je s ním legrace,“ řekla mi paní Scovellová.", src_lang="en", tgt_lang="cs") == []
    assert flagged("T302", '"He said: Because he makes me laugh," Ms. Scovell told me.', "„Řekl: „Protože je s ním legrace,“ řekla mi paní Scovellová.", src_lang="en", tgt_lang="cs") == ["„"]


def test_a_british_single_quoted_source_quotation_spanning_segments_excuses_the_target():
    """The English source closes a single-quoted quotation opened in an earlier segment; the translation
    closes it with a double mark: the imbalance is the source's too. A balanced single-quoted source is
    no excuse."""
    assert flagged("T302", "Because clearly something has gone wrong for young men.'", "Denn bei den jungen Männern ist eindeutig etwas schiefgegangen.“", src_lang="en", tgt_lang="de") == []
    assert flagged("T302", "'Our heart breaks,' he added.", "Wir sind zutiefst betroffen“, fügte er hinzu.", src_lang="en", tgt_lang="de") == ["“"]
    assert flagged("T302", "The dogs' owner said it's fine.", "Der Besitzer sagte, es sei gut“.", src_lang="en", tgt_lang="de") == ["“"]


def test_reduplication_of_the_target_language_is_no_doubled_word():
    """Turkish and Vietnamese double content words as grammar (NTREX en->tr calib: 4 of 4 T101 flags, en->vi 8 of 12);
    a doubled function word is still a slip."""
    assert flagged("T101", "The number is slowly rising.", "Sayı yavaş yavaş artıyor.", src_lang="en", tgt_lang="tr") == []
    assert flagged("T101", "at times strange", "zaman zaman garip", src_lang="en", tgt_lang="tr") == []
    assert flagged("T101", "the city and the port", "şehir ve ve liman", src_lang="en", tgt_lang="tr") == ["ve ve"]
    assert flagged("T101", "will forever regret", "sẽ mãi mãi hối tiếc", src_lang="en", tgt_lang="vi") == []
    assert flagged("T101", "to become a member of the EU", "trở thành thành viên của EU", src_lang="en", tgt_lang="vi") == []
    assert flagged("T101", "Dolly Menga's opener", "Pha dẫn trước của của Dolly Menga", src_lang="en", tgt_lang="vi") == ["của của"]
    # Not a reduplicating target: a doubled content word is flagged as before.
    assert flagged("T101", "They will vote.", "वे वोट वोट देंगे।", src_lang="en", tgt_lang="hi") == ["वोट वोट"]


def test_an_arabic_acronym_after_the_conjunction_prefix_is_no_doubled_word():
    """'وسي إن إن' is 'and CNN' (the conjunction و written onto the first letter name), 'سي ان ان' CNN without hamza."""
    src = "on CBS, ABC, NBC, CNN and Fox News"
    assert flagged("T101", src, "على قنوات سي بي أس وإيه بي سي وسي إن إن وفوكس نيوز", src_lang="en", tgt_lang="ar") == []
    assert flagged("T101", "live on CNN.", "على الهواء مباشرةً على سي ان ان.", src_lang="en", tgt_lang="ar") == []


def test_dutch_and_czech_grammatical_doublings():
    """NTREX en->nl calib 'Ik denk dat dat betekent' (that that), en->cs 'sešel se se svým' (reflexive, then 'with')."""
    assert flagged("T101", "I think that means it failed.", "Ik denk dat dat betekent dat het mislukte.", src_lang="en", tgt_lang="nl") == []
    assert flagged("T101", "reunited with his sidekick", "a sešel se se svým parťákem", src_lang="en", tgt_lang="cs") == []
    assert flagged("T101", "in the city", "in de de stad", src_lang="en", tgt_lang="nl") == ["de de"]
    assert flagged("T101", "he did not even look at them", "nawet na nie nie spojrzał", src_lang="en", tgt_lang="pl") == []
