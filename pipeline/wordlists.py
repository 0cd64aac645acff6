"""wordfreq's word lists as prepared, memory-mapped tries: the same frequencies without loading them.

wordfreq builds a Python dict of every word of a language's list on first use: 0.1-0.3 s and
30-60 MB a language, paid again by each worker process, and the checks consult up to a dozen
languages (a word of the target that is frequent in some other language; names of Polish, Czech or
Kazakh origin).  Here each list is converted once per machine into a marisa trie of word -> wordfreq's
centibel bucket (``<cache>/wordfreq/<version>/<lang>-<list>.marisa``, see pipeline/prepared.py); a run
maps the file into memory in well under a millisecond, workers share its pages, and a look-up costs
about a microsecond.  :func:`word_frequency` and :func:`zipf_frequency` give the very numbers of
wordfreq's functions of the same names (the same tokenizer, digit smoothing and rounding, only the
table is ours; tests/test_wordlists.py compares them word for word).

A trie file is data only (keys and 16-bit integers); a file that does not load is rebuilt, and where
the cache folder cannot be written the trie is built in memory.
"""

from __future__ import annotations

import importlib.metadata
import math
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .prepared import cache_home, mapped_trie

WORDLIST = "best"
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}")  # a language code (and list name) fit for a file name


MAX_BUCKETS = 1 << 12  # centibel buckets a trie's 16-bit records may hold (wordfreq's lists use about 800)


@lru_cache(maxsize=1)
def _bucket_frequencies() -> tuple[float, ...]:
    # wordfreq.cB_to_freq's formula (x centibels are a proportion of 10 ** (x / 100)), written out: importing
    # wordfreq (and langcodes' tables with it) for it cost a run that only reads the tries 0.1-0.2 s of its start
    return tuple(10 ** (-i / 100) for i in range(MAX_BUCKETS))


class WordList:
    """One language's word list: word -> frequency (a proportion, as wordfreq's get_frequency_dict)."""

    def __init__(self, lang: str, trie: Any) -> None:
        self.lang = lang
        self._trie = trie
        self._freq_of_bucket = _bucket_frequencies()

    def get(self, word: str, default: float = 0.0) -> float:
        found = self._trie.get(word)
        if not found:
            return default
        try:
            return self._freq_of_bucket[found[0][0]]
        except IndexError:  # not a bucket this module writes: a damaged file; the word counts as unknown
            return default

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._trie

    def __len__(self) -> int:
        return len(self._trie)


@cache
def wordfreq_version() -> str:
    """The installed wordfreq's version: tables prepared from its lists are named by it."""
    return importlib.metadata.version("wordfreq")


def trie_path(lang: str, wordlist: str = WORDLIST, variant: str = "") -> Path:
    return cache_home() / "wordfreq" / wordfreq_version() / f"{lang}-{wordlist}{variant}.marisa"


def _build(lang: str, wordlist: str, fold: Callable[[str], str] | None = None) -> Any:
    import marisa_trie  # deferred: only when a list is converted or read

    buckets = frequency_buckets(lang, wordlist)
    if len(buckets) > MAX_BUCKETS:
        raise ValueError(f"wordfreq's {lang} list has {len(buckets)} frequency buckets; the trie holds {MAX_BUCKETS}")
    if fold is None:
        return marisa_trie.RecordTrie("<H", ((word, (i,)) for i, bucket in enumerate(buckets) for word in bucket))
    best: dict[str, int] = {}
    for i, bucket in enumerate(buckets):  # most frequent first: a folded key keeps its most frequent word's bucket
        for word in bucket:
            best.setdefault(word if word.isascii() else fold(word), i)
    return marisa_trie.RecordTrie("<H", ((word, (i,)) for word, i in best.items()))


def frequency_buckets(lang: str, wordlist: str = WORDLIST) -> list[list[str]]:
    """wordfreq's list of ``lang`` as its file holds it: words by frequency bucket, most frequent first
    (wordfreq.get_frequency_list without its lru_cache, so the list is let go after use)."""
    from wordfreq import get_frequency_list  # deferred: wordfreq costs about 80 ms to import

    buckets: list[list[str]] = get_frequency_list.__wrapped__(lang, wordlist)
    return buckets


@cache
def word_list(lang: str, wordlist: str = WORDLIST) -> WordList:
    """The prepared list of ``lang`` (read from the cache folder, converted there on first use);
    LookupError when wordfreq has no list for the language."""
    return _prepared(lang, wordlist, None, "")


@cache
def folded_word_list(lang: str, fold: Callable[[str], str], fold_key: str, wordlist: str = WORDLIST) -> WordList:
    """The list with every non-ASCII word replaced by ``fold(word)`` (the most frequent word of a
    folded key gives its frequency); ``fold_key`` names the folding in the file name, and must change
    whenever ``fold`` does."""
    return _prepared(lang, wordlist, fold, f"-{fold_key}")


def _prepared(lang: str, wordlist: str, fold: Callable[[str], str] | None, variant: str) -> WordList:
    import marisa_trie  # deferred: only when a list is read

    if not (_SAFE_NAME.fullmatch(lang) and _SAFE_NAME.fullmatch(wordlist + variant)):
        raise LookupError(f"no word list for {lang!r}: not a language code")
    return WordList(lang, mapped_trie(trie_path(lang, wordlist, variant), lambda: marisa_trie.RecordTrie("<H"), lambda: _build(lang, wordlist, fold)))


# As wordfreq's own: a dict emptied when full is cheaper than an lru_cache for look-ups this small.
_FREQUENCIES: dict[tuple[str, str, float], float] = {}
CACHE_SIZE = 100_000


def word_frequency(word: str, lang: str, minimum: float = 0.0) -> float:
    """wordfreq.word_frequency(word, lang, "best", minimum), from the prepared table."""
    key = (word, lang, minimum)
    found = _FREQUENCIES.get(key)
    if found is None:
        if len(_FREQUENCIES) >= CACHE_SIZE:
            _FREQUENCIES.clear()
        found = _FREQUENCIES[key] = _word_frequency(word, lang, minimum)
    return found


# A word that wordfreq's preprocessing turns into one token by case folding alone: letters only, of a script
# written with spaces between words, already in normal form (NFC and NFKC: wordfreq normalises first), without
# the Arabic tatweel (which it removes).  Not in the languages whose words wordfreq segments (jieba, MeCab),
# transliterates (Serbian, Azerbaijani), folds otherwise (the dotted and dotless i of Turkish) or respells
# (Turkish and Romanian cedillas and commas).  wordfreq's lists hold folded words: "Straße" is "strasse".
_PLAIN_WORD = re.compile(r"[a-z]+")
_PLAIN_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW"})
_RESPELLED = frozenset({"zh", "ja", "ko", "sr", "az", "tr", "ro", "yue", "cmn"})


@lru_cache(maxsize=4096)
def _plain_letter(char: str) -> bool:
    return char.isalpha() and char != "\u0640" and unicodedata.name(char, "").split(" ", 1)[0] in _PLAIN_SCRIPTS


def _plain_token(word: str, lang: str) -> str | None:
    """The one token wordfreq makes of ``word`` when it is a plain word (see above), else None."""
    if lang.split("-")[0].split("_")[0] in _RESPELLED:
        return None
    if _PLAIN_WORD.fullmatch(word):
        return word
    if word and all(_plain_letter(c) for c in word) and unicodedata.normalize("NFC", word) == word == unicodedata.normalize("NFKC", word):
        return word.casefold()
    return None


def _word_frequency(word: str, lang: str, minimum: float) -> float:
    token = _plain_token(word, lang)
    if token is not None:
        # looked up directly: importing wordfreq (and langcodes' tables) to tokenize it cost 0.2-0.4 s of a run's start
        freq = word_list(lang).get(token, -1.0)
        if freq < 0:
            return minimum
        return _rounded(max(freq, minimum))
    from wordfreq import INFERRED_SPACE_FACTOR, digit_freq, get_language_info, lossy_tokenize, smash_numbers  # deferred: wordfreq costs about 80 ms to import

    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return minimum
    freqs = word_list(lang)
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        freq = freqs.get(smashed, -1.0)
        if freq < 0:
            return minimum
        if smashed != token:
            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    freq = 1.0 / one_over_result
    if get_language_info(lang)["tokenizer"] == "jieba":
        freq *= INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
    return _rounded(max(freq, minimum))


def _rounded(unrounded: float) -> float:
    """wordfreq's rounding: three significant digits."""
    if unrounded == 0.0:
        return 0.0
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(unrounded, leading_zeroes + 3)


def zipf_frequency(word: str, lang: str, minimum: float = 0.0) -> float:
    """wordfreq.zipf_frequency(word, lang, "best", minimum), from the prepared table (with wordfreq's
    freq_to_zipf and zipf_to_freq written out: log10(freq) + 9, and back)."""
    return round(math.log(word_frequency(word, lang, 10**minimum / 1e9), 10) + 9, 2)


def top_words(lang: str, n: int) -> list[str]:
    """wordfreq.top_n_list(lang, n): the ``n`` most frequent words without digit sequences, read from
    the list file and let go (wordfreq's own keeps the whole list in memory for the process)."""
    from wordfreq import has_digit_sequence  # deferred: wordfreq costs about 80 ms to import

    out: list[str] = []
    for bucket in frequency_buckets(lang):
        for word in bucket:
            if not has_digit_sequence(word):
                out.append(word)
                if len(out) >= n:
                    return out
    return out
