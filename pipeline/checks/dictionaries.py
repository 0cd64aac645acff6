"""Hunspell dictionaries (through ``chunspell``) and word frequencies (``wordfreq``) for the checks.

Dictionaries are looked up by locale in the system's hunspell folders (Debian: hunspell-en-us,
hunspell-en-gb, hunspell-de-de, hunspell-fr ...), then in the folders named by ``MTQA_HUNSPELL_PATH``
(colon-separated).  A target language without a region ("en") accepts a word that any installed
regional dictionary of the language accepts, so "colour" and "color" both pass; "en-US" or
"en-GB" picks one dictionary.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ResourceMissing
from ..wordlists import top_words, zipf_frequency
from .registry import CheckContext
from .textspans import base_lang, region

SYSTEM_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts", "/usr/local/share/hunspell")
# Which regional dictionary stands for a bare language code, most common first.
DEFAULT_REGIONS = {
    "en": ["US", "GB", "CA", "AU"], "de": ["DE", "AT", "CH"], "fr": ["FR"], "es": ["ES"], "pt": ["PT", "BR"], "nl": ["NL"], "it": ["IT"],
    "ru": ["RU"], "uk": ["UA"], "cs": ["CZ"], "el": ["GR"], "he": ["IL"], "hi": ["IN"], "kk": ["KZ"], "vi": ["VN"], "ar": ["SA"],
    "ko": ["KR"], "sv": ["SE"], "da": ["DK"], "nb": ["NO"], "sl": ["SI"], "et": ["EE"],
}  # the region of each language's main dictionary file (Debian names them xx_RR), tried in order


def _spell(dictionary: Any, word: str) -> bool:
    # A dictionary in a legacy encoding (el_GR is ISO-8859-7) cannot hold some words ("µg"): unknown.
    try:
        return bool(dictionary.spell(word))
    except UnicodeError:
        return False


def _letters_only(word: str) -> bool:
    """Letters and combining marks only: Devanagari vowel signs are marks, so str.isalpha() refuses "सरकार"."""
    return bool(word) and word[0].isalpha() and all(c.isalpha() or unicodedata.category(c).startswith("M") for c in word)


def _script(char: str) -> str:
    """ "CYRILLIC", "GREEK", "LATIN", "DEVANAGARI": the first word of the character's Unicode name."""
    return unicodedata.name(char, "").split(" ", 1)[0]


def _search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("MTQA_HUNSPELL_PATH", "").split(":") if p]
    return [p for p in (*extra, *map(Path, SYSTEM_DIRS)) if p.is_dir()]


def find_dictionary(name: str) -> Path | None:
    """The folder holding hunspell's ``name.dic`` and ``name.aff`` (e.g. "en_US"), or None."""
    return next((d for d in _search_dirs() if (d / f"{name}.dic").exists() and (d / f"{name}.aff").exists()), None)


@dataclass(slots=True)
class Speller:
    """One or more hunspell dictionaries of one language."""

    lang: str
    names: list[str]
    dictionaries: list[Any]
    _known: dict[str, bool] = field(default_factory=dict)
    _vocabulary: list[str] | None = None
    _alphabet: str | None = None
    _frequent: frozenset[str] | None = None
    _by_length: dict[int, tuple[list[str], list[int]]] | None = None

    def known(self, word: str) -> bool:
        word = word.replace("’", "'")
        hit = self._known.get(word)
        if hit is None:
            hit = any(_spell(d, word) for d in self.dictionaries)
            if len(self._known) < 200_000:
                self._known[word] = hit
        return hit

    def nearest(self, word: str, max_distance: int = 2) -> tuple[str, int] | None:
        """The closest frequent dictionary word and its edit distance (OSA), or None beyond
        ``max_distance``. Hunspell's own suggest() takes a good fraction of a second per word;
        this looks through the 60,000 most frequent words (wordfreq) for the nearest ones, closest
        and most frequent first, and takes the first the dictionary knows."""
        from rapidfuzz import process  # deferred: about 20 ms to import; only suggestions need it
        from rapidfuzz.distance import OSA  # deferred: as above

        query = word.casefold().replace("’", "'")
        # Only words whose length is within max_distance can be that near (an edit changes the length
        # by one at most): a fifth of the list for most words.
        near = []
        for length in range(len(query) - max_distance, len(query) + max_distance + 1):
            words, ranks = self._frequent_by_length().get(length, ((), ()))
            near += [(int(distance), ranks[k], found) for found, distance, k in process.extract(query, words, scorer=OSA.distance, score_cutoff=max_distance, limit=None)]
        # Sorted by distance, ties in list (frequency) order; checking the dictionary only for these
        # few near words, not for the whole list up front, saves each process half a second.
        for distance, _, found in sorted(near):
            if self.known(found):
                return found, distance
        return None

    def _frequent_by_length(self) -> dict[int, tuple[list[str], list[int]]]:
        """The frequent words by length, each with its rank in the list."""
        if self._by_length is None:
            self._by_length = {}
            for rank, w in enumerate(self._frequent_words()):
                words, ranks = self._by_length.setdefault(len(w), ([], []))
                words.append(w)
                ranks.append(rank)
        return self._by_length

    def one_edit_corrections(self, word: str) -> list[str]:
        """The words the dictionary knows one edit away from ``word`` (two neighbours swapped, one
        letter dropped, added or replaced: how typos arise), swaps and drops first. Asked only for
        words that pass every other test."""
        query = word.replace("’", "'")
        cut = [(query[:i], query[i:]) for i in range(len(query) + 1)]
        cheap = [a + b[1] + b[0] + b[2:] for a, b in cut if len(b) > 1 and b[0] != b[1]] + [a + b[1:] for a, b in cut if b]
        found = [c for c in dict.fromkeys(cheap) if len(c) > 2 and any(_spell(d, c) for d in self.dictionaries)]
        if found:
            return found
        # A letter added or replaced: thirty times as many candidates, so only frequent words
        # (wordfreq's 60,000) are asked of hunspell, whose compounding makes a German lookup cost 0.2 ms.
        letters, frequent = self.alphabet(), self._frequent_set()
        costly = [a + c + b for a, b in cut for c in letters] + [a + c + b[1:] for a, b in cut if b for c in letters if c != b[0]]
        return [c for c in dict.fromkeys(costly) if c in frequent and any(_spell(d, c) for d in self.dictionaries)]

    def _frequent_set(self) -> frozenset[str]:
        if self._frequent is None:
            self._frequent = frozenset(self._frequent_words())
        return self._frequent

    def alphabet(self) -> str:
        """The language's letters (and combining marks), most frequent first: those of its main
        script seen at least ten times in its 10,000 most frequent words (wordfreq)."""
        if self._alphabet is None:
            counts = Counter(c for w in self._frequent_words()[:10000] for c in w.lower())
            letters = [c for c, n in counts.most_common() if n >= 10 and c not in "'’-"]
            script = _script(letters[0]) if letters else ""
            self._alphabet = "".join(c for c in letters if _script(c) == script)  # not the Latin letters of "iPhone" in Russian text
        return self._alphabet

    def splits_into_words(self, word: str) -> bool:
        """ "warzone" = "war" + "zone": a closed compound the dictionary lacks, not a typo."""
        return any(self.known(word[:i]) and self.known(word[i:]) for i in range(3, len(word) - 2))

    def _frequent_words(self) -> list[str]:
        if self._vocabulary is None:
            try:
                self._vocabulary = [w for w in top_words(base_lang(self.lang), 60000) if _letters_only(w)]
            except ImportError:
                raise ResourceMissing("wordfreq is not installed (pip install wordfreq)") from None
            except LookupError:
                self._vocabulary = []
        return self._vocabulary

    def is_proper_name(self, word: str) -> bool:
        """Hunspell morphology (where the dictionary has it) gives proper names only capitalised
        stems ("st:Moskau"); a common noun has a lower-case one too ("st:gipfel")."""
        try:
            analyses = self.dictionaries[0].analyze(word)
        except UnicodeError:  # a word the dictionary's legacy encoding cannot hold
            return False
        stems = [part[3:] for analysis in analyses for part in analysis.split() if part.startswith("st:")]
        return bool(stems) and all(stem[:1].isupper() for stem in stems)


# Languages whose spell checker is libvoikko, not hunspell: Finnish has no good hunspell dictionary
# (Debian has none), and Voikko's (voikko-fi) is the one LibreOffice uses.
VOIKKO_LANGUAGES = ("fi",)


class VoikkoDictionary:
    """libvoikko's speller (Debian: libvoikko1 and voikko-fi; pip: libvoikko) behind the two
    methods of a hunspell dictionary that Speller calls."""

    def __init__(self, lang: str) -> None:
        try:
            from libvoikko import Voikko  # type: ignore[import-untyped, import-not-found, unused-ignore]  # deferred: optional (libvoikko); missing, Finnish spelling is off
        except ImportError:
            raise ResourceMissing("libvoikko is not installed (pip install libvoikko; Debian: apt-get install libvoikko1 voikko-fi)") from None
        try:
            self._voikko = Voikko(lang)
        except OSError as err:  # no libvoikko.so.1, or no dictionary for the language
            raise ResourceMissing(f"no Voikko dictionary for '{lang}' ({err}; on Debian: apt-get install libvoikko1 voikko-{lang})") from None

    def spell(self, word: str) -> bool:
        return bool(self._voikko.spell(word))

    def analyze(self, word: str) -> list[str]:
        """hunspell's "st:" stems, from Voikko's base forms ("Helsingissä": "st:Helsinki")."""
        return [f"st:{a['BASEFORM']}" for a in self._voikko.analyze(word) if a.get("BASEFORM")]


def _uses_voikko(lang: str) -> bool:
    return base_lang(lang) in VOIKKO_LANGUAGES and find_dictionary(f"{base_lang(lang)}_{(region(lang) or 'FI')}") is None


def load_target_speller(lang: str) -> Speller:
    """The spell checker of a target language: hunspell, or Voikko for Finnish."""
    if _uses_voikko(lang):
        return Speller(lang, [f"voikko-{base_lang(lang)}"], [VoikkoDictionary(base_lang(lang))])
    return load_speller(lang)


def target_speller(ctx: CheckContext, lang: str) -> Speller:
    """The run's spell checker of a target language.  A hunspell one is the run's ``hunspell:<lang>``
    resource, which the untranslated and entity rules read too: the English dictionaries (four
    regions) were loaded twice in every run, 0.1-0.2 s of a one-sentence run's start."""
    if _uses_voikko(lang):
        return ctx.resource(f"spelling:{lang}", lambda: load_target_speller(lang))
    return speller(ctx, lang)


def has_voikko(lang: str) -> bool:
    """Voikko can check ``lang`` here (loads it once, about 50 ms)."""
    return base_lang(lang) in VOIKKO_LANGUAGES and _voikko_loads(base_lang(lang))


@lru_cache(maxsize=8)
def _voikko_loads(lang: str) -> bool:
    try:
        VoikkoDictionary(lang)
    except ResourceMissing:
        return False
    return True


def load_speller(lang: str) -> Speller:
    try:
        from hunspell import Hunspell  # deferred: optional (chunspell); missing, the rules switch off
    except ImportError:
        raise ResourceMissing("chunspell is not installed (pip install chunspell)") from None
    base, reg = base_lang(lang), region(lang)
    candidates = [f"{base}_{reg}"] if reg else [f"{base}_{r}" for r in DEFAULT_REGIONS.get(base, [base.upper()])]
    candidates.append(base)
    names, dictionaries = [], []
    for name in candidates:
        folder = find_dictionary(name)
        if folder is None or name in names:
            continue
        names.append(name)
        dictionaries.append(Hunspell(name, hunspell_data_dir=str(folder)))
        if reg:
            break
    if not dictionaries:
        raise ResourceMissing(
            f"no hunspell dictionary for '{lang}' (looked for {', '.join(candidates)} in "
            f"{', '.join(SYSTEM_DIRS)} and $MTQA_HUNSPELL_PATH; on Debian: apt-get install hunspell-{base})"
        )
    return Speller(lang, names, dictionaries)


def speller(ctx: CheckContext, lang: str) -> Speller:
    return ctx.resource(f"hunspell:{lang}", lambda: load_speller(lang))


@lru_cache(maxsize=100_000)
def word_zipf(lang: str, word: str) -> float:
    """wordfreq's Zipf frequency of one word, cached (wordfreq tokenizes the word on every call): for the
    rules that ask about the same dictionary words again (A6, A7, the Arabic dual of the number rules)."""
    return float(zipf_frequency(word, lang))


def zipf(ctx: CheckContext, word: str, lang: str) -> float:
    """wordfreq's Zipf frequency (0 = unseen, 3 = once per million words, 7 = "the")."""

    def load() -> Any:
        if importlib.util.find_spec("wordfreq") is None:  # a probe that does not import it (0.2-0.4 s with langcodes)
            raise ResourceMissing("wordfreq is not installed (pip install wordfreq)")
        logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)  # no "Building prefix dict" chatter
        return zipf_frequency

    try:
        return ctx.resource("wordfreq", load)(word, base_lang(lang))
    except LookupError:  # a language wordfreq does not cover: no frequency evidence
        return 0.0
    except ImportError as err:  # wordfreq splits zh with jieba, ja and ko with MeCab
        raise ResourceMissing(f"wordfreq needs {err.name or err} to split '{lang}' text into words (pip install 'wordfreq[cjk]')") from None
