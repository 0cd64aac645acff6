"""The negation markers of pipeline/data/negation.yaml as A601 (polarity-change) reads them: source
negations written in a verb or a conjunction (Finnish "ettemme", Turkish -mAmA), "not just" on the
English side (what "not only" of the source says), and source words of negative meaning that English
renders with a negated verb (French "inapte")."""

from __future__ import annotations

import pytest
from checks_support import flagged

from pipeline.checks.wordlevel import negation_markers


@pytest.mark.parametrize(
    ("src_lang", "source", "target"),
    [
        # "not only" of the source ("niet alleen", "không chỉ") is "can't just" in English
        ("nl", "Dit is een krachtige herinnering dat we niet alleen op Engels kunnen vertrouwen.", "This is a powerful reminder that we can't just rely on English."),
        ("vi", "Đây là lời nhắn đầy thuyết phục rằng chúng ta không chỉ dựa dẫm vào tiếng Anh.", "This is a powerful reminder that we can't just rely on English."),
        # Finnish: the negative verb joined to "että" (that): "ettemme" = "that we do not"
        ("fi", "Tämä on vahva muistutus siitä, ettemme voi turvautua vain englannin kieleen.", "This is a powerful reminder that we can't rely on English alone."),
        ("fi", "Lähde sanoi: ellemme saa rahoitusta, hanke loppuu.", "The source said: if we don't get funding, the project cannot continue."),
        # Turkish: the negative verbal noun -mAmA ("olmaması gerektiğini": that he should not be)
        ("tr", "Seçmenlerin yüzde elli sekizi, senatörün aday olmaması gerektiğini belirtti.", "Fifty-eight percent of voters said the senator should not run."),
        # French "inapte à siéger" (unfit to sit) is "could not serve"
        ("fr", "Pelosi a déclaré que le témoignage démontrait qu'il était inapte à siéger à la Cour suprême.", "Pelosi said the testimony proved that he could not serve on the Supreme Court."),
    ],
)
def test_a601_reads_these_negations(src_lang, source, target):
    assert flagged("A601", source, target, src_lang=src_lang) == []


@pytest.mark.parametrize(
    ("src_lang", "source", "target", "negation"),
    [
        # the same sources without the negation: the English negation is added
        ("nl", "Dit is een krachtige herinnering dat we op Engels kunnen vertrouwen.", "This is a reminder that we can't rely on English.", "can't"),
        ("fi", "Tämä on vahva muistutus siitä, että voimme turvautua englannin kieleen.", "This is a reminder that we can't rely on English.", "can't"),
        # the positive verbal noun ("yapması gerekiyor": he has to do it) is no negation
        ("tr", "Senatörün aday olması gerektiğini belirtti.", "They said the senator should not run.", "should not"),
        ("fr", "Pelosi a déclaré qu'il était apte à siéger à la Cour suprême.", "Pelosi said that he could not serve on the Supreme Court.", "could not"),
    ],
)
def test_a601_still_flags_an_added_negation(src_lang, source, target, negation):
    assert flagged("A601", source, target, src_lang=src_lang) == [negation]


@pytest.mark.parametrize(
    ("lang", "text", "negated"),
    [
        # Japanese polite forms: "かもしれません" is "may", "なければなりません" "must"; "ありませんでした" negates
        ("ja", "私は調子が良かったかもしれません。", False),
        ("ja", "明日までに行かなければなりません。", False),
        ("ja", "私は調子が良くありませんでした。", True),
        # Chinese idioms with 不 that do not negate: 乐此不疲 ("never tire of it"), 不遗余力 ("spare no effort")
        ("zh", "他对这份工作乐此不疲。", False),
        ("zh", "政府不遗余力地推动改革。", False),
        ("zh", "他不喜欢这份工作。", True),
    ],
)
def test_negation_markers_of_polite_forms_and_idioms(lang, text, negated):
    markers = negation_markers(lang)
    assert markers is not None
    assert bool(markers.find(text)) is negated
