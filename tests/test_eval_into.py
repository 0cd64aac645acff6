"""The en->X measuring ground of issue 18 (eval/into_pairs.py, eval/into_planting.py, eval/into_planted.py):
target word counting and the planting functions, on real NTREX-128 lines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

from into_pairs import target_words  # noqa: E402
from into_planted import CLAIMS, detected, plant_dense, plant_rotation  # noqa: E402
from into_planting import PLANTERS, wrong_quotes  # noqa: E402
from ntrex_pairs import Pair  # noqa: E402

MOSCOW = Pair(1, "d1", "Moscow has repeatedly stressed that the $11 billion Nord Stream 2 pipeline, which is set to double the existing pipeline "
              "capacity to 110 billion cubic meters, is a purely economic project.",
              "Moskau hat mehrmals betont, dass es sich bei der Nord Stream 2-Pipeline im Wert von 11 Milliarden US-Dollar, die die vorhandene "
              "Pipeline-Kapazität auf 110 Milliarden Kubikmeter verdoppeln soll, um ein ausschließlich wirtschaftliches Projekt handelt.")
MOSCOW_RU = Pair(2, "d1", "For that effect, the Trump administration officials, including US President Donald Trump himself, try to persuade Germany to "
                 "pull out of the \"inappropriate\" Nord Stream 2 pipeline project, which according to Trump, made Berlin Moscow's \"captive.\"",
                 "Для этого чиновники администрации Трампа, включая самого президента США Дональда Трампа, пытаются убедить Германию выйти из "
                 "«неуместного» проекта трубопровода «Северный поток-2», который, по словам Трампа, сделал Берлин «пленником» Москвы.")
SINGAPORE_ZH = Pair(3, "d2", "He noted that Kim is interested in a second meeting after their initial meeting in Singapore in June was hailed by Trump "
                    "as a big step toward denuclearization of North Korea.",
                    "特朗普指出，他将与金正恩于 6 月份在新加坡的首次会谈称赞为是迈向朝鲜无核化的重要一步后，金正恩有意进行第二次会谈。")
BEAUTY_DE = Pair(4, "d3", "As part of a substantial push into the UK's £2.8bn beauty market, which is continuing to grow while fashion and homeware "
                 "sales fall back, the larger beauty aisles will be tested out in 11 stores around the country.",
                 "Im Rahmen eines groß angelegten Vorstoßes auf den 2,8\u00a0Milliarden britische Pfund umfassenden Kosmetikmarkt im Vereinigten "
                 "Königreich, der weiter wächst, während Mode- und Haushaltswarenumsätze zurückgehen, werden die größeren Kosmetikabteilungen in "
                 "elf Filialen landesweit getestet.")
PHARMACY_ZH = Pair(5, "d3", "The new strategy comes after Sainsbury's sold its 281-store pharmacy business to Celesio, the owner of the Lloyds "
                   "Pharmacy chain, for £125m, three years ago.",
                   "三年前，Sainsbury's 将其拥有的 281 家药店的业务以 1.25 亿英镑的价格出售给了 Lloyds Pharmacy 连锁所有人 Celesio 后，新的策略腾空出世。")
WELSH_FR = Pair(6, "d4", "For non-Welsh readers: In Welsh twp means daft and pwp means poo.",
                "Pour les lecteurs non originaires du Pays de Galles : en gallois, « twp » signifie stupide et « pwp » signifie caca.")


def test_target_words_spaced_and_unspaced() -> None:
    assert target_words("Moskau hat mehrmals betont, dass", "de") == 5
    assert target_words("Ми   тут", "uk") == 2
    assert target_words("三年前，新的策略", "zh") == 4  # 8 characters / 2
    assert target_words("新加坡 首次", "ja") == 2.5  # spaces are not counted
    assert target_words("웨일스 외의 지역에", "ko") == 3  # Korean is spaced: words


@pytest.mark.parametrize(("kind", "pair", "lang", "removed", "added"), [
    ("name_english", MOSCOW, "de", "Moskau", "Moscow"),
    ("name_english", MOSCOW_RU, "ru", "Москвы", "Moscow"),
    ("exonym_english", SINGAPORE_ZH, "zh", "新加坡", "Singapore"),
    ("number_marks", BEAUTY_DE, "de", "2,8", "2.8"),
    ("number_marks", PHARMACY_ZH, "zh", "1.25", "1,25"),
    ("quotes", WELSH_FR, "fr", "« twp »", "„twp“"),
])
def test_planter_makes_the_change_it_claims(kind: str, pair: Pair, lang: str, removed: str, added: str) -> None:
    before = pair.target
    made = PLANTERS[kind](pair, lang)
    assert made is not None
    new, _ = made
    assert removed in before and removed not in new and added in new
    assert kind == "quotes" or new.replace(added, removed, 1) == before
    assert pair.target == before  # the control line is untouched


def test_english_words_left_in() -> None:
    new, _ = PLANTERS["english_phrase"](MOSCOW, "de")  # type: ignore[misc]
    added = [w for w in new.split() if w not in MOSCOW.target.split()]
    assert len(added) >= 3 and all(w.strip(",.") in MOSCOW.source for w in added)
    new, change = PLANTERS["english_word"](MOSCOW, "de")  # type: ignore[misc]
    word = change.split("'")[3]
    assert word == "repeatedly" and word in new and word not in MOSCOW.target and len(new.split()) == len(MOSCOW.target.split())
    new, _ = PLANTERS["english_word"](SINGAPORE_ZH, "zh")  # type: ignore[misc]
    assert len(new) > len(SINGAPORE_ZH.target) and any(w in new for w in ("denuclearization", "interested", "meeting"))


def test_doubled_word_and_misspelling() -> None:
    new, change = PLANTERS["word_doubled"](MOSCOW, "de")  # type: ignore[misc]
    word = change.split("'")[1]
    # "die die" is in the clean line already (a relative pronoun after an article): one more word, the doubled one
    assert f"{word} {word}" in new and new.split().count(word) == MOSCOW.target.split().count(word) + 1
    new, change = PLANTERS["misspelling"](MOSCOW, "de")  # type: ignore[misc]
    old, wrong = change.split(" -> ")
    assert old == "wirtschaftliches" and wrong != old and sorted(wrong) == sorted(old) and wrong in new
    for kind in ("word_doubled", "misspelling"):
        assert PLANTERS[kind](SINGAPORE_ZH, "zh") is None  # no spaced words to double or misspell


def test_no_plant_without_a_site() -> None:
    assert PLANTERS["name_english"](SINGAPORE_ZH, "zh") is None  # no Russian or Ukrainian name
    assert PLANTERS["number_marks"](WELSH_FR, "fr") is None
    # the English form must be what the source says: Moskau is not planted where the source has no "Moscow"
    assert PLANTERS["name_english"](Pair(0, "d", "The capital said no.", "Moskau sagte nein."), "de") is None


def test_wrong_quotes_are_wrong_for_the_locale() -> None:
    assert wrong_quotes("de")[0] == "“"  # „ is German
    assert wrong_quotes("fr")[0] == "„"
    assert wrong_quotes("ru")[0] == "“"
    assert wrong_quotes("fi")[0] == "„"  # Finnish writes ”…” (CLDR) and “…”


def test_rotation_plants_every_third_line_and_dense_keeps_whole_documents() -> None:
    rows = [Pair(k, "doc", p.source, p.target) for k, p in enumerate([MOSCOW, BEAUTY_DE, MOSCOW, BEAUTY_DE])]
    planted = plant_rotation("de", rows, ("quotes", "misspelling"))
    assert [p.row for p in planted] == [1]
    subset, dense = plant_dense("de", rows, ("name_english", "number_marks"))
    assert len(subset) == 4 and {p.kind for p in dense} == {"name_english", "number_marks"} and len(dense) == 4


def test_detection_needs_a_new_flag_of_a_claiming_family() -> None:
    clean = [{"code": "F201", "side": "target", "text": "Kosmetikmarkt"}]
    assert detected("misspelling", clean, clean + [{"code": "F201", "side": "target", "text": "ausschleißlich"}])
    assert not detected("misspelling", clean, clean)
    assert not detected("misspelling", clean, clean + [{"code": "T101", "side": "target", "text": "die die"}])
    assert CLAIMS["name_english"] == ("N1",)


def test_rates_of_one_direction_keep_the_other_directions_pairs(tmp_path: Path) -> None:
    """eval/false_alarms.py and eval/into_false_alarms.py share pipeline/data/false_alarm_rates.yaml:
    writing en->X replaces the en->X pairs only, and `mtqa rules` reads each pair's own benchmark."""
    from collections import Counter

    import yaml
    from false_alarms import write_rates

    path = tmp_path / "rates.yaml"
    write_rates([{"lang": "fr", "words": 2000, "rules": Counter({"A201": 1})}], "X-en", path)
    write_rates([{"lang": "de", "words": 1000, "rules": Counter({"F201": 2, "T302": 1})}], "en-X", path)
    write_rates([{"lang": "ru", "words": 4000, "rules": Counter()}], "en-X", path)  # a new en->X run replaces en-de
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert sorted(table["pairs"]) == ["en-ru", "fr-en"]
    assert table["pairs"]["fr-en"] == {"benchmark": "X-en", "words": 2000, "total": 0.5, "rules": {"A201": 0.5}}
    assert table["pairs"]["en-ru"]["total"] == 0.0 and table["pairs"]["en-ru"]["benchmark"] == "en-X"
    assert "into_false_alarms.py" in table["benchmarks"]["en-X"]["command"]
    # a run of some rules only (-- --enable N2,A601) replaces those rules' rates and keeps the others
    write_rates([{"lang": "fr", "words": 2000, "rules": Counter({"A201": 1, "N201": 4, "N202": 2})}], "X-en", path)
    write_rates([{"lang": "fr", "words": 2000, "rules": Counter({"N201": 2})}], "X-en", path, only=("N2", "A601"))
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert table["pairs"]["fr-en"]["rules"] == {"A201": 0.5, "N201": 1.0} and table["pairs"]["fr-en"]["total"] == 1.5
    assert table["benchmarks"]["X-en"]["partial_updates"] == ["python eval/false_alarms.py --write-rates -- --enable N2,A601"]
    assert sorted(table["pairs"]) == ["en-ru", "fr-en"]  # the en->X pairs stay
    with pytest.raises(SystemExit, match="no full run"):  # a pair never measured in full is not half-written
        write_rates([{"lang": "de", "words": 100, "rules": Counter()}], "X-en", path, only=("N2",))
    from false_alarms import enabled_only

    assert enabled_only(["--enable", "N2,A601"]) == ("N2", "A601") and enabled_only(["--disable", "A5"]) == ()
