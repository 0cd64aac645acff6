"""Prepared word tables (pipeline/prepared.py): dict-of-lists behaviour from a memory-mapped trie."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.prepared import build_string_table, prepared_table

TABLE = {"haus": ["house", "home"], "weiß": ["white"], "leer": [], "straße": ["street", "road", "avenue"]}


def test_a_string_table_answers_as_the_dict_it_was_built_from():
    table = build_string_table(TABLE)
    assert len(table) == len(TABLE)
    for key, values in TABLE.items():
        assert key in table
        assert table.get(key) == tuple(values)
    assert table.get("hau") is None and "hau" not in table  # a prefix of a key is no key
    assert table.get("nichts", ()) == ()
    assert sorted(table) == sorted(TABLE)
    assert dict(table.items()) == {k: tuple(v) for k, v in TABLE.items()}


def test_a_prepared_table_is_built_once_per_source_version(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "dict.txt"
    source.write_text("one version")
    builds: list[int] = []

    def build():
        builds.append(1)
        return TABLE

    first = prepared_table("lexicon", "test", [source], build)
    again = prepared_table("lexicon", "test", [source], build)
    assert builds == [1] and again.get("straße") == first.get("straße") == ("street", "road", "avenue")
    source.write_text("another version, another size")
    prepared_table("lexicon", "test", [source], build)
    assert builds == [1, 1]
    files = sorted(p.name for p in (tmp_path / "cache" / "lexicon").iterdir())
    assert len(files) == 2 and all(f.endswith(".marisa") for f in files)


def test_a_damaged_or_unwritable_cache_still_gives_the_table(tmp_path, monkeypatch):
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "dict.txt"
    source.write_text("x")
    prepared_table("lexicon", "test", [source], lambda: TABLE)
    (written,) = (tmp_path / "cache" / "lexicon").iterdir()
    written.write_bytes(os.urandom(300))
    assert prepared_table("lexicon", "test", [source], lambda: TABLE).get("haus") == ("house", "home")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MTQA_CACHE_DIR", str(blocker))
    assert prepared_table("lexicon", "test", [source], lambda: TABLE).get("weiß") == ("white",)


def test_prepared_json_is_built_once_and_a_broken_file_again(tmp_path, monkeypatch):
    from pipeline.prepared import prepared_json

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    builds: list[int] = []

    def build():
        builds.append(1)
        return {"^a": -1.25, "b$": -3.0}

    assert prepared_json("names", "test-v1", build) == prepared_json("names", "test-v1", build) == {"^a": -1.25, "b$": -3.0}
    assert builds == [1]
    (tmp_path / "names" / "test-v1.json").write_text("{not json")
    assert prepared_json("names", "test-v1", build)["b$"] == -3.0 and builds == [1, 1]


def test_wordnet_read_from_its_prepared_copy_is_the_wordnet_read_from_the_files(tmp_path, monkeypatch):
    import pytest

    from pipeline.checks import bilingual

    if not bilingual.has_wordnet():
        pytest.skip("no WordNet (Debian: wordnet-base)")
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    fresh = bilingual._read_wordnet(bilingual.WORDNET_DIR)  # builds, and writes the JSON
    assert list((tmp_path / "wordnet").glob("wordnet.*.json"))
    again = bilingual._read_wordnet(bilingual.WORDNET_DIR)  # from the JSON
    for field in ("lemmas", "exceptions"):
        assert getattr(again, field) == getattr(fresh, field), field
    # memory-mapped tries of frozensets, holding what the files give
    _, _, antonyms, synonyms, by_pos = bilingual._wordnet_tables(bilingual.WORDNET_DIR)
    assert dict(again.antonyms.items()) == {k: frozenset(v) for k, v in antonyms.items()} == dict(fresh.antonyms.items())
    assert dict(again.synonyms.items()) == {k: frozenset(v) for k, v in synonyms.items()}
    assert {pos: dict(t.items()) for pos, t in again.antonyms_by_pos.items()} == {pos: {k: frozenset(v) for k, v in by_pos[pos].items()} for pos in ("adj", "adv", "verb")}
    assert list((tmp_path / "wordnet").glob("wordnet.*.synonyms.*.marisa"))
    assert "cold" in again.antonyms["hot"] and "went" in again.exceptions["verb"]
    assert again.synonyms["huge"] >= {"large"} and again.antonyms.get("no such word") is None


def test_longest_prefix_and_the_segmentation_it_serves():
    from pipeline.checks.bilingual import Lexicon

    words = {"東京": ["tokyo"], "東京都": ["tokyo metropolis"], "本日": ["today"], "発表": ["announcement"], "発": ["departure"]}
    table = build_string_table(words)
    assert table.longest_prefix("東京都は") == 3 and table.longest_prefix("東京に") == 2 and table.longest_prefix("は") == 0
    text = "東京都は本日、発表した。発"
    trie_spans = Lexicon("ja", table, max_head=3).segment(text)
    assert trie_spans == Lexicon("ja", words, max_head=3).segment(text) == ((0, 3), (4, 6), (7, 9), (12, 13))


def test_yaml_data_parsed_once_per_machine_gives_what_yaml_gives(tmp_path, monkeypatch):
    import glob

    import yaml

    from pipeline import yamlfile
    from pipeline.checks.textspans import DATA_DIR

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    files = sorted(glob.glob(str(DATA_DIR / "**" / "*.yaml"), recursive=True))
    assert len(files) > 20
    for f in files:
        text = Path(f).read_text(encoding="utf-8")
        assert yamlfile.load_cached(text) == yamlfile.load_cached(text) == yamlfile.safe_load(text), f
    cached = list((tmp_path / "yaml").iterdir())
    assert len(cached) == len({Path(f).read_text(encoding="utf-8") for f in files})  # every shipped file, int keys too
    # a cached copy is what a second read returns (not the YAML): here a damaged copy is parsed again
    for c in cached:
        c.write_text("{not json", encoding="utf-8")
    assert yamlfile.load_cached(Path(files[0]).read_text(encoding="utf-8")) == yamlfile.safe_load(Path(files[0]).read_text(encoding="utf-8"))
    # data JSON cannot keep unchanged (a date, a set) is parsed every time and never cached
    assert yamlfile.load_cached("when: 2024-01-02\n") == {"when": __import__("datetime").date(2024, 1, 2)}
    assert yamlfile.load_cached("a: !!set {x: null}\n") == {"a": {"x"}}
    assert len(list((tmp_path / "yaml").iterdir())) == len(cached)
    # a text that does not parse raises as safe_load does
    with pytest.raises(yaml.YAMLError):
        yamlfile.load_cached("a: [1,\n")
    # a key given twice is an error, not a silent "the last one wins"; merged keys may be overridden
    with pytest.raises(yaml.YAMLError, match="duplicate key 'places'"):
        yamlfile.load_cached("places: [fr]\nbound: 0.3\nplaces: [nl]\n")
    with pytest.raises(yaml.YAMLError, match="duplicate key 'x'"):
        yamlfile.safe_load("outer:\n  x: 1\n  x: 2\n")
    assert yamlfile.safe_load("base: &b {x: 1, y: 2}\nmore:\n  <<: *b\n  x: 3\n") == {"base": {"x": 1, "y": 2}, "more": {"x": 3, "y": 2}}


def test_cldr_places_read_from_the_prepared_copy_equal_babels(tmp_path, monkeypatch):
    from pipeline.names import lexicon

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    langs = ["de", "en", "ru", "uk"]
    fresh = lexicon._cldr_places(langs)
    first, again = lexicon.cldr_places(langs), lexicon.cldr_places(langs)
    assert [(e.forms, e.kind, e.origin) for e in first] == [(e.forms, e.kind, e.origin) for e in fresh]
    assert [(e.forms, e.kind, e.origin) for e in again] == [(e.forms, e.kind, e.origin) for e in fresh]
    assert any(e.forms.get("de") == ["Moskau"] and e.forms.get("en") == ["Moscow"] for e in again)
    assert len(list((tmp_path / "cldr").iterdir())) == 1
    # a tag that could not name a file is built in memory, not cached
    assert lexicon.cldr_places(["de", "../x"]) is not None
    assert len(list((tmp_path / "cldr").iterdir())) == 1


def test_proper_nouns_read_from_the_prepared_copy_equal_the_dictionaries(tmp_path, monkeypatch):
    from pipeline.checks import entities
    from pipeline.checks.dictionaries import find_dictionary

    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    names = tuple(n for n in ("en_US", "en_GB") if find_dictionary(n))
    if not names:
        pytest.skip("no English hunspell dictionary")
    files = [find_dictionary(n) / f"{n}.dic" for n in names]
    entities._proper_nouns.cache_clear()
    try:
        first = entities._proper_nouns(names)
        entities._proper_nouns.cache_clear()
        again = entities._proper_nouns(names)  # from the prepared file
    finally:
        entities._proper_nouns.cache_clear()
    assert first == again == entities._read_proper_nouns(files)
    assert "boston" in again and "the" not in again and "because" not in again
    assert len(list((tmp_path / "entities").iterdir())) == 1
