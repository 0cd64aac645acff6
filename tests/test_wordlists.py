"""Prepared word lists (pipeline/wordlists.py): wordfreq's numbers from memory-mapped tries."""

from __future__ import annotations

import random

import pytest
import wordfreq

from pipeline import wordlists
from pipeline.names.origin import FOLD_KEY, fold

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    """A fresh cache folder and fresh per-process tables (word_list is cached per language)."""
    monkeypatch.setenv("MTQA_CACHE_DIR", str(tmp_path))
    wordlists.word_list.cache_clear()
    wordlists.folded_word_list.cache_clear()
    wordlists._FREQUENCIES.clear()
    yield tmp_path
    wordlists.word_list.cache_clear()
    wordlists.folded_word_list.cache_clear()
    wordlists._FREQUENCIES.clear()


# Words of the list itself, and what a check asks about that is not one plain list word: capitals,
# digits (wordfreq smooths digit sequences), several tokens, punctuation, CJK that jieba splits.
ODD_WORDS = ["", " ", "Haus", "2024", "3.5", "New York", "l'homme", "Zelensky", "xqzzv", "don't", "e-mail", "中华人民共和国", "東京都", "Москва"]


@pytest.mark.parametrize("lang", ["en", "de", "ru", "zh"])
def test_frequencies_equal_wordfreq(cache_home, lang):
    table = wordfreq.get_frequency_dict(lang, "best")
    words = random.Random(7).sample(sorted(table), 1500) + ODD_WORDS
    prepared = wordlists.word_list(lang)
    assert len(prepared) == len(table)
    for word in words:
        assert prepared.get(word) == table.get(word, 0.0), word
        assert wordlists.zipf_frequency(word, lang) == wordfreq.zipf_frequency(word, lang), word
        assert wordlists.word_frequency(word, lang, 1e-8) == wordfreq.word_frequency(word, lang, "best", 1e-8), word


def test_the_trie_is_written_once_and_mapped_after(cache_home):
    wordlists.word_list("fi")
    path = wordlists.trie_path("fi")
    assert path.exists() and path.stat().st_size > 100_000
    written = path.stat().st_mtime_ns
    wordlists.word_list.cache_clear()
    assert wordlists.word_list("fi").get("talo") > 1e-5  # "house"
    assert path.stat().st_mtime_ns == written
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]


def test_a_damaged_file_is_rebuilt(cache_home):
    path = wordlists.trie_path("nl")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a trie" * 100)
    assert wordlists.word_list("nl").get("huis") == wordfreq.get_frequency_dict("nl")["huis"]
    wordlists.word_list.cache_clear()
    assert wordlists.word_list("nl").get("huis") > 0  # the rewritten file loads
    assert path.read_bytes()[:10] != b"not a trie"


def test_an_unwritable_cache_builds_in_memory(cache_home, monkeypatch):
    blocker = cache_home / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MTQA_CACHE_DIR", str(blocker))  # a file where the folder should be
    assert wordlists.word_list("it").get("casa") == wordfreq.get_frequency_dict("it")["casa"]


def test_a_language_code_never_names_a_path(cache_home):
    with pytest.raises(LookupError):
        wordlists.word_list("../../x")
    assert not list(cache_home.rglob("*x*"))


def test_a_language_without_a_list_is_a_lookup_error(cache_home):
    with pytest.raises(LookupError):
        wordlists.word_list("zxx")  # "no linguistic content": wordfreq matches no list


def test_the_folded_list_keeps_the_most_frequent_spelling(cache_home):
    table = wordfreq.get_frequency_dict("pl", "best")
    folded = wordlists.folded_word_list("pl", fold, FOLD_KEY)
    expected: dict[str, float] = {w: f for w, f in table.items() if w.isascii()}
    for w, f in table.items():
        if not w.isascii():
            k = fold(w)
            expected[k] = max(expected.get(k, 0.0), f)
    assert len(folded) == len(expected)
    for key in random.Random(3).sample(sorted(expected), 2000) + ["jablonski", "lodz"]:
        assert folded.get(key) == expected.get(key, 0.0), key


@pytest.mark.parametrize("lang", ["en", "de", "zh"])
def test_top_words_are_wordfreqs_top_n_list(lang):
    assert wordlists.top_words(lang, 60000) == wordfreq.top_n_list(lang, 60000)
    assert wordlists.top_words(lang, 5) == wordfreq.top_n_list(lang, 5)


def test_bucket_frequencies_are_wordfreqs_centibels():
    # the formula is written out so that a run reading the tries does not import wordfreq (and langcodes)
    assert wordlists._bucket_frequencies() == tuple(wordfreq.cB_to_freq(-i) for i in range(wordlists.MAX_BUCKETS))


def test_reading_a_prepared_list_does_not_import_wordfreq(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from pipeline import wordlists; "
        "assert wordlists.word_list('en').get('the') > 0.01; "
        "assert wordlists.zipf_frequency('house', 'en') > 4.5; "
        "print('wordfreq' in sys.modules)"
    )
    env = {"MTQA_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)  # builds the trie
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.strip() == "True"  # converting the list reads wordfreq's file
    assert again.stdout.strip() == "False"  # mapping the prepared trie does not


# Words wordfreq's preprocessing changes: ß and the Greek final sigma (case folding), decomposed letters (NFC),
# a ligature (NFKC), the Arabic tatweel, Turkish and Romanian cedillas and commas, Serbian Cyrillic.
EDGE_WORDS = ["straße", "Straße", "GROSSE", "Größte", "Hammel", "Ärzte", "Λέξις", "λέξις", "Москва", "Київ", "İstanbul", "Ισλανδία", "nat\u00fcrlich", "natu\u0308rlich", "ﬁle", "الحمــد", "kișinin", "acelaşi", "схваташ", "Word", "don't", "e-mail"]


@pytest.mark.parametrize("lang", ["en", "de", "fr", "tr", "ro", "pl", "ar", "ru", "uk", "el", "vi", "fi", "he", "hi", "sr"])
def test_plain_words_are_looked_up_without_tokenizing_and_equal_wordfreq(cache_home, lang):
    # a word wordfreq would leave as it is skips its tokenizer (no import of wordfreq at run time)
    table = wordfreq.get_frequency_dict(lang, "best")
    plain = sorted(w for w in table if wordlists._plain_token(w, lang))
    assert plain or lang in ("tr", "ro", "sr")
    words = random.Random(3).sample(plain, min(300, len(plain))) + ["xqzzv", "internet", "the", "a", "zzzzzzzzzzz"] + EDGE_WORDS
    words += [w.capitalize() for w in words[:100]] + [w.upper() for w in words[:50]]
    for word in words:
        assert wordlists.word_frequency(word, lang) == wordfreq.word_frequency(word, lang, "best"), word
        assert wordlists.word_frequency(word, lang, 1e-8) == wordfreq.word_frequency(word, lang, "best", 1e-8), word
        assert wordlists.zipf_frequency(word, lang) == wordfreq.zipf_frequency(word, lang), word
        assert wordlists.zipf_frequency(word, lang, 2.5) == wordfreq.zipf_frequency(word, lang, minimum=2.5), word


def test_wordfreq_languages_are_what_wordfreq_lists_without_importing_it():
    from pipeline.checks.coverage import wordfreq_languages

    assert wordfreq_languages() == frozenset(wordfreq.available_languages())
    assert {"en", "de", "ru", "zh", "ar"} <= wordfreq_languages()
