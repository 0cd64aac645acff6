from pipeline.segment import Segmenter, segment_document, split_blocks


def texts(lang, text):
    seg = Segmenter(lang)
    return [text[a:b] for a, b in seg.split(text)]


def test_german_abbreviations_and_dates_do_not_split():
    assert texts("de", "Dr. Müller kam am 10. Januar nach Berlin. Er blieb z. B. bis Nr. 5 der Liste.") == [
        "Dr. Müller kam am 10. Januar nach Berlin.",
        "Er blieb z. B. bis Nr. 5 der Liste.",
    ]


def test_german_ordinals_before_nouns_do_not_split():
    assert texts("de", "Im 2. Weltkrieg wurde sie zerstört. Der 1. FC Köln gewann.") == [
        "Im 2. Weltkrieg wurde sie zerstört.",
        "Der 1. FC Köln gewann.",
    ]


def test_sentence_ending_in_a_year_still_splits():
    assert texts("de", "Das war im Jahr 2014. Damals annektierte Russland die Krim.") == [
        "Das war im Jahr 2014.",
        "Damals annektierte Russland die Krim.",
    ]


def test_english_abbreviations():
    assert texts("en", "The U.S. Army withdrew. Mr. Jones left at 5 p.m. yesterday. It rained.") == [
        "The U.S. Army withdrew.",
        "Mr. Jones left at 5 p.m. yesterday.",
        "It rained.",
    ]
    assert texts("en", "The package weighs 5 lbs. and costs $12. Shipping is free.") == [
        "The package weighs 5 lbs. and costs $12.",
        "Shipping is free.",
    ]


def test_paragraphs_offsets_and_lines_are_kept():
    text = "Titel\nZweite Zeile\n\nErster Satz. Zweiter Satz.\n\n\nLetzter Absatz."
    segs = segment_document(text, "de")
    assert [s.text for s in segs] == ["Titel", "Zweite Zeile", "Erster Satz.", "Zweiter Satz.", "Letzter Absatz."]
    assert [s.paragraph for s in segs] == [0, 0, 1, 1, 2]
    assert [s.line for s in segs] == [1, 2, 4, 4, 7]
    for s in segs:
        assert text[s.start : s.end] == s.text
    assert [s.index for s in segs] == list(range(5))


def test_join_mode_joins_wrapped_lines_keeping_offsets():
    text = "Ein Satz, der über\nzwei Zeilen geht. Noch einer.\n\nNeu."
    blocks = split_blocks(text, "join")
    assert len(blocks) == 2
    segs = segment_document(text, "de", line_breaks="join")
    assert [s.text for s in segs] == ["Ein Satz, der über zwei Zeilen geht.", "Noch einer.", "Neu."]
    assert text[segs[1].start : segs[1].end] == "Noch einer."


def test_pysbd_and_lines_engines():
    assert len(segment_document("One. Two.", "en", engine="pysbd")) == 2
    assert len(segment_document("One. Two.", "en", engine="lines")) == 1
