"""eval/entity_types.py: the typed names that eval/planted_errors.py replaces and removes (issue 14: "an
entity replaced by another entity of the same type"), read from WordNet, CLDR and the en_US word list."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

import entity_types as T  # noqa: E402

pytestmark = pytest.mark.skipif(not T.available(), reason="WordNet (wordnet-base) or the en_US word list (hunspell-en-us) missing")


def typed(text: str, persons=()) -> list[tuple[str, str]]:
    return [(e.text, e.type) for e in T.entities(text, persons)]


def test_people_places_and_organisations_are_typed():
    text = "Daniel Sturridge saved Liverpool from a loss on Saturday at Stamford Bridge in London, the Premier League said."
    assert typed(text) == [("Liverpool", "place"), ("Stamford Bridge", "place"), ("London", "place"), ("Premier League", "organisation")]
    # (the sentence's first word is no run: the planter never touches it)
    assert typed("He said Daniel Sturridge and Stu Rothenberg met officials of the National Weather Service in North Korea.") == [
        ("Daniel Sturridge", "person"), ("Stu Rothenberg", "person"), ("National Weather Service", "organisation"), ("North Korea", "place")]


def test_titles_times_nations_and_common_words_are_no_names():
    # a title is not part of the name; a day, a nation's adjective and a capitalised common word are no name
    assert typed("He met President Donald Trump at their meeting on Thursday.") == [("Donald Trump", "person")]
    assert typed("He won Olympic gold, the British team said, and a Desert Southwest storm hit.") == []
    assert typed("It was a Welsh Conservative idea.") == []
    # a headline in title case says nothing
    assert typed("Why Trump Will Win a Second Term in Washington") == []


def test_a_surname_alone_is_a_person_where_the_document_names_the_person():
    texts = ["He said Daniel Sturridge scored.", "Then Sturridge left."]
    persons = T.document_persons(texts)
    assert "Sturridge" in persons
    assert typed(texts[1], persons) == [("Sturridge", "person")]
    assert typed(texts[1]) == []


def test_plants_replace_a_name_with_one_of_the_same_type_and_length():
    from ntrex_pairs import Pair
    from planted_errors import entity_pool_of, plant

    rows = [
        Pair(0, "d1", "x", "The storm hit Prague on Monday."),
        Pair(1, "d1", "x", "Officials said Daniel Sturridge arrived in Barcelona on Tuesday."),
        Pair(2, "d1", "x", "It rained."),
        Pair(3, "d2", "x", "Then Stu Rothenberg flew to Madrid."),
    ]
    pool = entity_pool_of(rows)
    assert pool[("place", 1)] == ["Barcelona", "Madrid", "Prague"]
    assert pool[("person", 2)] == ["Daniel Sturridge", "Stu Rothenberg"]
    made = plant("es", rows, ("entity_replaced",), {}, pool)
    assert [(p.row, p.change) for p in made] == [(1, "Daniel Sturridge -> Stu Rothenberg (person)")]
    assert made[0].target == "Officials said Stu Rothenberg arrived in Barcelona on Tuesday."
