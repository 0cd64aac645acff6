"""Entity consistency (N2): each name, place or organisation of the source must be rendered in the
target (identical, transliterated, an exonym or a known variant).

How a name is found, per script of the source:

* Latin, Cyrillic and Greek scripts: a capitalised word that does not open a sentence, is not an
  acronym, and is not an ordinary word of the source language.  Where the source language has a
  hunspell dictionary (and does not capitalise its nouns): a word the dictionary does not know in
  lower case ("Trump", "Rangers"; not "Commissione"), and, if the dictionary lists it capitalised
  ("Británie", "Londres": local forms English renders otherwise), only with the English evidence
  below.  Otherwise (German, Finnish, Vietnamese) wordfreq: a word that its romanization makes
  more frequent in English than in the source, or one the source language never writes.
* any script: a Latin-script word inside non-Latin text ("iPhone" in Chinese);
* Japanese: a katakana run of three letters or more (foreign names are written in katakana).

Neighbouring name words form one name ("Diego Enrique Angelini"): a name counts as rendered when
one of its words is.  A source word is rendered by a target word when they compare equal after
romanization (anyascii; pipeline/names/conventions.py for Cyrillic) and folding, allowing the
source's inflection ("Trumpa", "Лондоне"), or when their consonant skeletons match (letters that
romanizations merge: p/b/f/v, k/c/q/g, s/z, t/d, l/r, m/n; only between two capitalised words:
three consonants match some ordinary word of most sentences), or when CLDR (babel) and the curated
exonyms give the target's name of the place ("Warschau" -> "Warsaw", "Неаполе" -> "Naples"), or a
short form ("Livi" for "Livingston"), or another English word of the name (entities.yaml
``equivalents``: "Wales" / "Welsh").

In entities.yaml ``anchored_languages`` (Cyrillic, Greek and uncased scripts) a name is also rendered
when the other side of its pair holds it by sound (pipeline/names/anchor.py: consonant classes, so
"Trump" t-r-n-b is 特朗普 TeLangPu, ترامب trmb, 트럼프 teureompeu), and the target's names are looked up
in uncased sources too.  In ``lexicon_languages`` a document name lexicon finds omitted names in any
script: a source form that two pairs render as an English name, in a pair whose target lacks it.

The English side's names are capitalised words that do not open a sentence and that the English
dictionary lists capitalised (all its regional dictionaries: "Boston", "Trump" below
``common_name``) or not at all, except a nation's people or adjective ("Syrians", "Scottish").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from os.path import commonprefix
from pathlib import Path
from typing import Any

from ..errors import ResourceMissing
from ..model import AlignedPair
from ..names.anchor import DocumentSounds, english_keys, first_group, text_keys, text_spans, word_keys
from ..names.detect import Frequencies, cyrillic_key, edit_distance
from ..names.lexicon import build_lexicon
from ..names.origin import FOLD_KEY, fold
from ..names.romanize import readings
from ..prepared import prepared_json
from .bilingual import EN_STOP
from .cedict import has_source_dictionary, load_source_dictionary
from .dictionaries import find_dictionary, speller
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import base_lang, load_data, sentence_initial

# letters with their combining marks ("Kapita\u0308n" is one word, not "Kapita")
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:['’][^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*)*")
KATAKANA_RUN = re.compile(r"[\u30A1-\u30FA\u30FC・]{2,}")
KATAKANA_NAME = re.compile(r"[\u30A1-\u30FA\u30FC]{2,}(?:・[\u30A1-\u30FA\u30FC]{2,})+")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_GREEK = re.compile(r"[\u0370-\u03FF\u1F00-\u1FFF]")
PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers)\b", re.IGNORECASE)
SUBJECT_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
# words that stand for a place the source names ("still living in the country" for "in Syrien")
PLACE_STAND_IN = re.compile(r"\b(?:the|this|that|our|their|its) (?:country|nation|region|city|island|state|kingdom|capital|continent|area|bloc)\b|\b(?:country|nation)['’]s\b", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’]")
_ELISION = re.compile(r"^(?:[dlnjmst]|qu|dell|all|sull|dall|nell)['’]", re.IGNORECASE)

NOUN_CAPITALISING = frozenset({"de", "lb"})  # every noun is capitalised: a name needs more evidence
CASED_SCRIPTS = ("latin", "cyrillic", "greek")
# the dictionary misses common capitalised words (Vietnamese "Tòa": tone marks placed otherwise)
SPELLER_UNRELIABLE = frozenset({"vi"})
# Scripts without capitals: names are found as Latin words inside the text (and katakana in Japanese).
UNCASED_LANGS = frozenset({"zh", "ja", "ko", "ar", "he", "fa", "ur", "hi", "bn", "ta", "th", "yi"})

# Letters romanizations merge, for the consonant skeleton ("Trump" / "トランプ" toranpu / "ترامب" trmb).
_SKELETON = str.maketrans({
    "p": "b", "f": "b", "v": "b", "b": "b",
    "k": "k", "c": "k", "q": "k", "g": "k", "x": "k",
    "z": "s", "s": "s",
    "d": "t", "t": "t",
    "l": "r", "r": "r",
    "m": "n", "n": "n",
    "j": "j",
    "w": None,
    "a": None, "e": None, "i": None, "o": None, "u": None, "y": None, "h": None, "'": None,
})
_VOWELS = frozenset("aeiouy")
_REPEATED = re.compile(r"(.)\1+")
_NOT_LOWER = re.compile(r"[^a-z]")
_DOUBLE = re.compile(r"(.)\1")
_SPELLING = (("kh", "h"), ("th", "t"), ("ph", "f"), ("wh", "w"), ("y", "i"), ("k", "c"))


@lru_cache(maxsize=100_000)
def _spelling(word: str) -> str:
    """Spellings that differ between languages folded together ("Syrians" / "sirios", "Methodist" / "metodista")."""
    for a, b in _SPELLING:
        word = word.replace(a, b)
    return _DOUBLE.sub(first_group, word)  # doubled letters: "Worrall" / "Worel", "muppets" / "Mupeti"
_DERIVATION = re.compile(r"^(.{4,}?)(?:ish|ese|ians?|ans?|ic|eans?|erns?|is?)$")
_AFFRICATES = re.compile(r"dzh|dj|zh|dz")
_SOFT_C = re.compile(r"c(?=[eiy])")


@dataclass(frozen=True, slots=True)
class Name:
    """A name of one side: its words' spans and romanized forms."""

    start: int
    end: int
    text: str
    words: tuple[str, ...]  # romanized, folded words (a Latin name: the words themselves, folded)
    script: str
    originals: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()  # more romanizations of each word
    place: Place | None = None  # a place found by its source-language name (PlaceNames): its English renderings


class EntityOptions(RuleOptions):
    # a source word is an ordinary word (not a name) when English is less frequent than this share of it
    english_share: float = 0.3
    # the same for a romanized word of another script; 0.01 would admit "Лавров" (Russian writes it ten
    # times as often as English writes "Lavrov") but raised ru/uk calib false alarms from 0.4 to 2.4 per 1k
    english_share_romanized: float = 0.3
    # a target word this frequent in English (wordfreq) is an ordinary word, not a name
    common_english: float = 1e-5
    # a word the English dictionary lists capitalised and in lower case ("Trump", "trump") is a name below this
    common_name: float = 1e-4
    # a word English writes only capitalised ("London", "American") is a name below this
    common_proper: float = 3e-4
    # N202 also without an unrendered source name, for a rare target name that the source document
    # lacks ("Saipov"): planted replacements 51% -> 64% on Latin-script NTREX calib, but es/fr/nl/pt
    # false alarms 0.19-0.28 -> 0.37-0.47 per 1k (exonyms and translated names: "Naples", "Rockies")
    rare_name_alone: bool = False
    # N202 also without an unrendered source name, for a target name that the source document lacks
    # under every rendering, in entities.yaml's absent_name_languages (they keep foreign names as they
    # are): calib replaced es/fr/it/nl/pt 52-58% -> 69-72%, their N202 0-0.09 -> 0.05-0.19 per 1k
    absent_name_alone: bool = True
    # ... whose last word English writes less often than this (wordfreq): a frequent name is more
    # often a translated one ("England", "Pacific")
    absent_name_frequency: float = 1e-4
    # N202 also without an unrendered source name, for a target place whose source-language names
    # (CLDR, the curated exonyms) the source document lacks, every language ("Prague": no "Praga",
    # "布拉格", "Прага" in the source)
    absent_place_alone: bool = True


NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october "
    "november december mr mrs ms dr sir".split()
)


@lru_cache(maxsize=8)
def _proper_nouns(names: tuple[str, ...]) -> frozenset[str]:
    """The folded stems that the hunspell dictionaries ``names`` all list capitalised ("Trump/M",
    "Boston/MS"; en_GB alone also lists "University", "Coast").  Kept per machine as prepared JSON,
    named by the files' sizes and times and the folding's key: reading the .dic files cost 0.1-0.3 s
    of every run's start."""
    files = [folder / f"{name}.dic" for name in names if (folder := find_dictionary(name)) is not None]
    try:
        stamp = ".".join(f"{f.stem}-{f.stat().st_size}-{int(f.stat().st_mtime)}" for f in files)
    except OSError:
        return _read_proper_nouns(files)
    return frozenset(prepared_json("entities", f"proper-nouns.{FOLD_KEY}.{stamp}", lambda: sorted(_read_proper_nouns(files))))


def _read_proper_nouns(files: list[Path]) -> frozenset[str]:
    found: list[set[str]] = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
        except OSError:
            continue
        out: set[str] = set()
        found.append(out)
        for line in lines:
            stem = line.split("/", 1)[0].strip()
            if stem[:1].isupper() and not stem.isupper():
                out.add(fold(stem))
    return frozenset(set.intersection(*found)) if found else frozenset()


@lru_cache(maxsize=200_000)
def _script(word: str) -> str:
    if _LATIN.match(word):
        return "latin"
    if _CYRILLIC.match(word):
        return "cyrillic"
    if _GREEK.match(word):
        return "greek"
    return "other"


@lru_cache(maxsize=200_000)
def skeleton(latin: str, w_as_v: bool = False) -> str:
    """The consonants of a folded Latin word, merged into the classes romanizations confuse
    (kh and the soft c as h and s; w as a vowel, or with ``w_as_v`` as v: Whitehall / Вайтгол)."""
    out = _SOFT_C.sub("s", _AFFRICATES.sub("j", latin).replace("kh", "h"))
    if w_as_v:
        out = out.replace("w", "v")
    out = out.translate(_SKELETON)
    return _REPEATED.sub(first_group, _NOT_LOWER.sub("", out))


@lru_cache(maxsize=100_000)
def romanized(word: str) -> str:
    """A folded ASCII romanization of a word of any script (anyascii)."""
    from anyascii import anyascii  # deferred: only the entity rules need it

    return fold(anyascii(word)).replace("'", "")


@lru_cache(maxsize=100_000)
def romanizations(word: str, lang: str) -> tuple[str, ...]:
    """The romanizations a source word may have in English: anyascii's, and for Russian and
    Ukrainian the national schemes (iuliia's Wikipedia scheme, translitua's: г is h in Ukrainian)."""
    forms = [romanized(word)]
    if lang == "el" or _GREEK.match(word):
        # foreign names in Greek: χ for h, γκ/ντ/μπ for g/d/b ("Χάλκετ" Halkett, "Ντάμφρις" Dumfries)
        low = word.lower()
        forms.append(romanized(low.replace("χ", "h")))
    elif lang == "uk":
        import translitua  # deferred: only Ukrainian sources need it

        forms.append(fold(translitua.translit(word)).replace("'", ""))
    elif lang in ("ru", "be", "kk"):
        import iuliia  # type: ignore[import-untyped]  # deferred: only Cyrillic sources need it

        # (anyascii after iuliia: the Russian scheme leaves Kazakh letters as they are: "Tekhasі", "Ueydtyң")
        forms.append(romanized(iuliia.WIKIPEDIA.translate(word)))
    forms += readings(word, lang)  # as English spells names written by sound ("Уэйн" Wayne, "Γουόρελ" Worrall)
    for stem in _name_stems(word, lang):  # a name with its endings ("Уэйдтың" Wade's, "Техасқа" to Texas)
        forms += romanizations(stem, lang)
    return tuple(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=100_000)
def _name_stems(word: str, lang: str) -> tuple[str, ...]:
    """A name of an agglutinating language without its endings (entities.yaml ``name_endings``), one at a
    time from the end, longest ending first, leaving at least three letters: "Рейнджерстердің" ->
    "Рейнджерстер" -> "Рейнджерс"; "Австриялықтарды" -> "Австриялықтар" -> "Австриялық" -> "Австрия"."""
    endings = _name_endings().get(lang)
    if not endings:
        return ()
    stems: list[str] = []
    low = word.lower()
    while len(stems) < 4:
        ending = next((e for e in endings if low.endswith(e) and len(low) - len(e) >= 3), None)
        if ending is None:
            break
        low = low[: -len(ending)]
        stems.append(word[: len(low)])
    return tuple(stems)


@lru_cache(maxsize=1)
def _name_endings() -> dict[str, tuple[str, ...]]:
    """entities.yaml ``name_endings``: per language, the endings a name takes, longest first."""
    table = load_data("entities.yaml").get("name_endings") or {}
    return {lang: tuple(sorted((str(e) for e in endings), key=len, reverse=True)) for lang, endings in table.items()}


_SOFT_G = re.compile(r"g(?=[eiy])")


@lru_cache(maxsize=100_000)
def _heard_as(tgt: str) -> str:
    """An English name as other scripts write what they hear: x as kh in names from Spanish ("Texas" /
    "Техас", "Mexico" / "Мехико") and a soft g as j ("Rangers" / "Рейнджерс", "Georgia" / "Джорджия")."""
    return _SOFT_G.sub("j", tgt.replace("x", "kh"))


@lru_cache(maxsize=200_000)
def _same_word(src: str, tgt: str, loose: bool = True, short: bool = False) -> bool:
    """Whether the romanized source word ``src`` renders the target word ``tgt`` (both folded);
    ``loose``: also by consonant skeleton (only between two names: a skeleton of three consonants
    matches some ordinary word of most sentences); ``short``: also a skeleton of one or two
    consonants with the same first letter (a name of another script and a name of the same
    sentence: "Уэйн" / "Wayne", "Муна" / "Moon"; among a document's words such pairs are chance).
    The target is also read as heard (:func:`_heard_as`)."""
    if src == tgt:
        return True
    heard = _heard_as(tgt)
    return _same_spelled(src, tgt, loose, short) or (heard != tgt and _same_spelled(src, heard, loose, short))


def _same_spelled(src: str, tgt: str, loose: bool, short: bool) -> bool:
    src, tgt = _spelling(src), _spelling(tgt)
    shorter = min(src, tgt, key=len)
    # inflection on either side: "trumpa", "londone", "helsingissa" / "helsinki" (common stem)
    common = 0
    for a, b in zip(src, tgt):
        if a != b:
            break
        common += 1
    if common >= 4 and common >= len(shorter) - 2 and len(src) - common <= 5:
        return True
    # an English derivation of the name: "Scotland" / "Scottish", "Chinach" / "Chinese", "México" / "Mexican"
    derived = _DERIVATION.match(tgt)
    if derived and common >= 4 and common >= len(derived.group(1)) - 1:
        return True
    if not loose or (src[0] in _VOWELS) != (tgt[0] in _VOWELS):
        return False  # "Rushden" is not "Arizona" (r-s-t-n, r-s-n)
    if len(skeleton(src)) < 3 and _AFFRICATES.sub("j", src)[:2] != _AFFRICATES.sub("j", tgt)[:2]:
        # two consonants say too little ("Ferrell" and "for" are both b-r; "Dzheff" is "Jeff")
        return short and _AFFRICATES.sub("j", src)[:1] == _AFFRICATES.sub("j", tgt)[:1] and skeleton(src) == skeleton(tgt) != ""
    return _same_skeleton(skeleton(src), skeleton(tgt)) or ("w" in tgt and _same_skeleton(skeleton(src), skeleton(tgt, w_as_v=True)))


@lru_cache(maxsize=200_000)
def _source_starts(word: str) -> frozenset[str]:
    """The first letters and consonant class by which :func:`_same_word` can match ``word`` as its source
    (every way it returns True needs one of them equal to one of :func:`_target_starts`)."""
    spelled = _spelling(word)
    return frozenset((word[:1], spelled[:1], _AFFRICATES.sub("j", spelled)[:1], skeleton(spelled)[:1]))


class SourceWordIndex:
    """A document's source words (:meth:`EntityModel.source_words`, "\x00" marking capitalised ones) by
    the starts :func:`_same_word` can match them by (:func:`_source_starts`): a target name is compared
    with the words that share one of its starts, not with every word of the document again."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(dict.fromkeys(words))
        self.by_start = _by_start(self.words, lambda w: _source_starts(w.lstrip("\x00")))

    def sharing(self, starts: frozenset[str]) -> list[str]:
        return _sharing(self.by_start, starts)


def _by_start(words: Iterable[str], starts_of: Callable[[str], Iterable[str]]) -> dict[str, list[str]]:
    """Distinct words by each of their starts (:func:`_source_starts` or :func:`_target_starts`)."""
    by_start: dict[str, list[str]] = {}
    for w in dict.fromkeys(words):
        for start in starts_of(w):
            by_start.setdefault(start, []).append(w)
    return by_start


@lru_cache(maxsize=4096)
def _target_index(target_words: tuple[str, ...]) -> dict[str, list[str]]:
    """A target's words (:func:`_target_words`) by :func:`_target_starts`: a source name's forms are
    compared with the words sharing one of their starts only (acronyms, marked "\x00", with every form)."""
    return _by_start(target_words, lambda t: ("\x00",) if t.startswith("\x00") else _target_starts(t.lstrip("\x01")))


@lru_cache(maxsize=4096)
def _capitalised_only(target_words: tuple[str, ...]) -> tuple[str, ...]:
    """A target's words (:func:`_target_words`) without its ordinary words: acronyms, capitalised words
    (marked "\x01") and their plain forms; once per target, however many names ask."""
    capitalised = {t[1:] for t in target_words if t.startswith("\x01")}
    return tuple(t for t in target_words if t[:1] in ("\x00", "\x01") or t in capitalised)


def _sharing(by_start: dict[str, list[str]], starts: frozenset[str]) -> list[str]:
    """The words that share one of ``starts``, and the acronyms (marked "\x00": source words never are)."""
    return list(dict.fromkeys(t for start in (*starts, "\x00") for t in by_start.get(start, ())))


@lru_cache(maxsize=100_000)
def _target_starts(word: str) -> frozenset[str]:
    """:func:`_source_starts` of a target word, also with w read as v (``skeleton(w_as_v=True)``) and as
    heard (:func:`_heard_as`: "George" as j)."""
    starts: set[str] = set()
    for form in dict.fromkeys((word, _heard_as(word))):
        spelled = _spelling(form)
        starts.update((form[:1], spelled[:1], _AFFRICATES.sub("j", spelled)[:1], skeleton(spelled)[:1], skeleton(spelled, w_as_v=True)[:1]))
    return frozenset(starts)


def _same_skeleton(s_src: str, s_tgt: str) -> bool:
    if len(s_src) < 2 or len(s_tgt) < 2 or s_src[0] != s_tgt[0]:
        return False
    # an inflection adds one consonant class at most ("Trumpovi"); two more are another word ("Marquardt" is
    # no "Mayorga": NTREX calib, N2 alone, replaced 861 -> 873 of 1512 with 2 allowed before, no clean flag more)
    if s_src == s_tgt or (s_src.startswith(s_tgt) and len(s_src) - len(s_tgt) <= 1 and len(s_tgt) >= 3):
        return True
    return len(s_tgt) >= 5 and edit_distance(s_src, s_tgt) <= 1


class EntityModel:
    """Frequencies, the English dictionary and the exonyms for one language pair."""

    def __init__(self, src: str, tgt: str, freq: Frequencies, english: Any, options: EntityOptions, source_speller: Any = None, lexicon: Any = None) -> None:
        self.src, self.tgt = src, tgt
        self.source_speller = source_speller
        self.lexicon = lexicon
        self.freq = freq
        self.english = english
        self.opt = options
        lexicon_entries = build_lexicon([src, tgt]).entries  # (built once: the exonyms and the places read it)
        self.exonyms = self._exonym_index(lexicon_entries, src, tgt)
        self.reverse_exonyms = self._reverse_exonyms(lexicon_entries, src, tgt)
        self.places = PlaceNames(lexicon_entries, src, tgt, freq)
        self.proper = _proper_nouns(tuple(getattr(english, "names", ())))
        self.last_document: tuple[Any, list[Any]] | None = None  # N201 and N202 share one document's analysis

    @staticmethod
    def _exonym_index(entries: Iterable[Any], src: str, tgt: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """First letters of a source-language place name -> (its key, the target's folded names)."""
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for entry in entries:
            if entry.kind != "place" or not entry.forms.get(tgt):
                continue
            targets = tuple(fold(w) for form in entry.forms[tgt] for w in WORD.findall(form))
            for form in entry.forms.get(src, ()):
                for w in WORD.findall(form):
                    key = cyrillic_key(fold(w)) if _script(w) != "latin" else fold(w)
                    if len(key) >= 3:
                        index.setdefault(key[:3], []).append((key, targets))
        return index

    @staticmethod
    def _reverse_exonyms(entries: Iterable[Any], src: str, tgt: str) -> dict[str, tuple[str, ...]]:
        """A target language's word of a place name -> the romanized source-language names of the
        place ("spain" -> "ispania" for Greek "Ισπανία"), to find a target name in the source."""
        index: dict[str, set[str]] = {}
        for entry in entries:
            if entry.kind != "place" or not entry.forms.get(tgt) or not entry.forms.get(src):
                continue
            forms = {romanized(w) for form in entry.forms[src] for w in WORD.findall(form)}
            for form in entry.forms[tgt]:
                for w in WORD.findall(form):
                    if w[:1].isupper():
                        index.setdefault(fold(w), set()).update(f for f in forms if len(f) >= 4)
        return {k: tuple(v) for k, v in index.items() if v}

    # ------------------------------------------------------------------ source names
    def source_names(self, text: str) -> list[Name]:
        if self.src in UNCASED_LANGS:
            return self._uncased_names(text)
        words: list[tuple[int, int, str]] = []
        for m in WORD.finditer(text):
            w = m.group()
            start = m.start()
            elided = _ELISION.match(w)
            if elided:
                start += elided.end()
                w = w[elided.end() :]
            w = _APOSTROPHE.split(w, maxsplit=1)[0]
            if w[:1].isupper() and (not _opens_sentence(text, start) or (_script(w) in CASED_SCRIPTS and len(w) >= 3 and self._name_like(w, _script(w)))):
                words.append((start, start + len(w), w))
        # every capitalised word joins a name ("Michael Henry Adams", "Donald Trump"); a name
        # needs one name-like word, and any of its words may render it
        form = lambda w: romanized(w) if _script(w) != "latin" else fold(w)  # noqa: E731
        found = []
        for group in _groups(text, words):
            named = [self._source_name_word(text, a, w) for a, _, w in group]
            if not any(named):
                continue
            # an acronym beside the name is no word of it ("ДНК Симпсона": Simpson's DNA); kept in, its
            # rendering ("DNA") would read as the name's acronym and hide the name's omission
            while len(group) > 1 and _is_acronym(group[0][2]) and any(named[1:]):
                group, named = group[1:], named[1:]
            while len(group) > 1 and _is_acronym(group[-1][2]) and any(named[:-1]):
                group, named = group[:-1], named[:-1]
            # a title before the name ("Senador Jeff Flake"): its rendering ("Senator") is not the name's
            titles = 0
            while titles < len(group) - 1 and not named[titles] and _is_title(form(group[titles][2])) and any(named[titles + 1 :]):
                titles += 1
            found.append(_with_alternatives(_name(text, group[titles:], form), self.src))
        return self._with_places(text, found)

    def _with_places(self, text: str, names: list[Name]) -> list[Name]:
        """``names`` and the places of :class:`PlaceNames` that none of them overlaps, then the
        source words the dictionary translates as English names only (:meth:`_dictionary_names`)."""
        places = [Name(a, b, text[a:b], place.renderings, "latin", (text[a:b],), place=place) for a, b, place in self.places.find(text)] if self.src not in _places_unnamed() else []
        names = names + [p for p in places if not any(p.start < n.end and n.start < p.end for n in names)]
        if self.lexicon is None or self.src in UNCASED_LANGS:
            return names
        return names + [d for d in self._dictionary_names(text) if not any(d.start < n.end and n.start < d.end for n in names)]

    def _dictionary_names(self, text: str) -> list[Name]:
        """Source words whose first translation in the source dictionary is a word English writes
        only capitalised ("británico" / British, "walisischen" / Welsh, "Pazifik" / Pacific):
        lower-case adjectives and local forms the capitalised-word search cannot see."""
        out = []
        for found in WORD.finditer(text):
            renderings = self._english_names_of(found.group().lower())
            if renderings:
                out.append(Name(found.start(), found.end(), found.group(), renderings, "latin", (found.group(),), place=Place(fold(found.group()), renderings)))
        return out

    @lru_cache(maxsize=100_000)  # noqa: B019 - one model per run: the cache dies with it
    def _english_names_of(self, word: str) -> tuple[str, ...]:
        """The English names a source word translates to, when its first translation is one."""
        if len(word) < 4 or self.lexicon is None:
            return ()
        senses = [w for w in self.lexicon.senses(word) if w.isalpha()]
        named = [w for w in senses if self._place_or_nation(w)]
        if not senses or senses[0] not in named or 2 * len(named) < len(senses):
            return ()
        # the name's own word ("británico" / British, "amerykańskiego" / American), not a sense the
        # dictionary's stems reach by chance ("mają" / Mayan, "świętym" / Christmas), nor a common
        # word of the source whose English sense is rare ("deed" / Dane)
        first = senses[0]
        if fold(word)[:2].replace("k", "c") != first[:2].replace("k", "c") or self.freq(self.src, word) > DICTIONARY_NAME_SHARE * self.freq(self.tgt, first):
            return ()
        return tuple(named)

    def _place_or_nation(self, word: str) -> bool:
        """An English word of a place, nation, faith or party, written only capitalised ("british",
        "welsh", "pacific", "methodist"; not first names, "may" or "leiden")."""
        if word in NOT_NAMES or fold(word) in _GENERIC_PLACE_WORDS:
            return False
        if self.english.known(word):  # ("pacific" is an English word too; "east", "world" are only that)
            return fold(word) in _listed_translated_names()
        return fold(word) in self.proper and (fold(word) in self.places.english or self._demonym(word) or fold(word) in _listed_translated_names())

    def _source_name_word(self, text: str, start: int, w: str) -> bool:
        if len(w) < 3 or not w[:1].isupper() or w.isupper() or _opens_sentence(text, start) or len(set(w.lower())) < 2:
            return False  # ("Mmm": an interjection)
        if w.lower().startswith(_measure_eponyms()):
            return False  # a unit or scale ("по шкале Рихтера"), not a person
        if len(w) <= 4 and text[start + len(w) : start + len(w) + 1] == ".":
            return False  # a title's abbreviation ("Dott.", "Sra.")
        script = _script(w)
        if script not in CASED_SCRIPTS:
            return False
        if self.src not in NOUN_CAPITALISING and self.src not in SPELLER_UNRELIABLE and self.source_speller is not None:
            # the source language's dictionary: a word it knows in lower case is an ordinary word
            # ("Commissione", "Fauna"); a capitalised word it does not know in lower case is a name
            # ("Trump", "Rangers", "Londres"), whatever English does with it
            if self.source_speller.known(w.lower()):
                return False
            # a name the source language's dictionary lists ("Británie", "Londres") is often a local
            # form that English renders otherwise; one it does not list is a foreign name kept as it is
            return not self.source_speller.known(w) or self._name_like(w, script, inflected=script == "latin")
        # (an English word inside a hyphenated compound is a part of it: "Pick-up", "Marken-Rollouts")
        compound = text[start + len(w) : start + len(w) + 1] in ("-", "‑") or text[max(0, start - 1) : start] in ("-", "‑")
        return self._name_like(w, script, foreign_english=not compound)

    def headline(self, text: str) -> bool:
        """Title case ("Trump Neden İkinci Kez Seçimi Kazanacak"): capitals say nothing there."""
        words = WORD.findall(text)
        return len(words) >= 4 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words)

    @lru_cache(maxsize=100_000)  # noqa: B019 - one model per run: the cache dies with it
    def _name_like(self, w: str, script: str, foreign_english: bool = False, inflected: bool = False) -> bool:
        """Not an ordinary word of the source language: English writes its romanization at least
        ``english_share`` as often, or (outside noun-capitalising languages) the source never
        writes it in lower case.  With ``foreign_english``, in a noun-capitalising language an English
        word that the source dictionary does not know is a name ("die Rangers", "die Blues"): German
        writes its own nouns capitalised, not English ones."""
        f_src = self.freq(self.src, w.casefold())  # wordfreq's keys are casefolded ("strassen" for "Straßen")
        forms = (fold(w),) if script == "latin" else romanizations(w, self.src)
        # the English spelling, allowing a short inflectional ending of the source ("Лондоне"); where
        # ``inflected``, a longer one, whose stem may also take the nominative's -a (a declined name:
        # "Trumpovi", "Arizonu", "Simpsonovu")
        reach, endings = (3, ("", "a")) if inflected else (2, ("",))
        f_en = max((self.freq(self.tgt, f[:k] + end) for f in forms for k in range(min(len(f), max(5, len(f) - reach)), len(f) + 1) for end in (endings if k < len(f) else ("",))), default=0.0)
        share = self.opt.english_share if script == "latin" else self.opt.english_share_romanized
        if f_en == 0.0 or f_en < share * f_src:
            return False
        english = forms[0]
        foreign = foreign_english and self.src in NOUN_CAPITALISING and self.source_speller is not None and not self.source_speller.known(w) and not self.source_speller.known(w.lower())
        if self.english.known(english) and self.freq(self.tgt, english) >= self.opt.common_english and not foreign:
            return False  # an ordinary English word ("Marine", "Situation", "Chance")
        if self.src in NOUN_CAPITALISING and self.source_speller is not None and self.source_speller.known(w):
            # a noun of the language ("Kind", "Land"): a name only where English knows it as one, and
            # writes it as it is more often than the source language does ("Stärke" is not "Starke")
            return self.english.known(english.capitalize()) and not self.english.known(english) and self.freq(self.tgt, english) >= f_src
        return True

    def _uncased_names(self, text: str) -> list[Name]:
        words = [(m.start(), m.end(), m.group()) for m in LATIN_RUN.finditer(text) if len(m.group()) >= 3 and m.group()[:1].isupper() and not m.group().isupper() and self._latin_in_uncased(m.group())]
        names = _chains(text, words, fold)
        if self.src == "ja":
            # a foreign person's full name: katakana parts joined by the middle dot ("ダイアン・ファインスタイン");
            # single katakana words are as often loanwords ("チーム", team)
            for m in KATAKANA_NAME.finditer(text):
                parts = tuple(p for p in m.group().split("・") if p)
                names.append(Name(m.start(), m.end(), m.group(), tuple(romanized(p) for p in parts), "katakana", parts, tuple(romanizations(p, "ja") for p in parts)))
        return self._with_places(text, names)

    def _latin_in_uncased(self, w: str) -> bool:
        """A Latin word in Chinese or Arabic text is a name unless it is an ordinary English word."""
        low = fold(w)
        return not (self.english.known(low) and self.freq(self.tgt, low) >= self.opt.common_english)

    def source_words(self, text: str) -> list[str]:
        """The source's words, romanized, to find the target's names in: every word of a cased
        script; Latin words and katakana parts of uncased text (whose other words cannot be
        compared with a romanized name).  A capitalised word (a name, or a word of one) is marked
        with a leading NUL: only those are compared by consonant skeleton."""
        return list(_source_words(text, self.src))

    def checks_target_names(self) -> bool:
        """Whether a target name can be looked up in the source (N202): cased scripts, Japanese
        katakana, and the uncased ``anchored_languages`` (by sound, pipeline/names/anchor.py)."""
        return self.src not in UNCASED_LANGS or self.src == "ja" or self.src in _anchored_languages()

    # ------------------------------------------------------------------ target names
    @lru_cache(maxsize=20_000)  # noqa: B019 - one model per run: the cache dies with it
    def target_names(self, text: str) -> tuple[Name, ...]:
        """The target's names (read for N202's pairs and again for its absent places: once)."""
        words = [(m.start(), _APOSTROPHE.split(m.group(), maxsplit=1)[0]) for m in WORD.finditer(text)]
        capitalised = [(s, s + len(w), w) for s, w in words if w[:1].isupper() and (not _opens_sentence(text, s) or self._english_name(w))]
        names = _chains(text, capitalised, fold)
        return tuple(n for n in names if any(self._target_name_word(text, text.find(w, n.start), w) for w in n.originals))

    def _target_name_word(self, text: str, start: int, w: str) -> bool:
        w = _APOSTROPHE.split(w, maxsplit=1)[0]
        if len(w) < 3 or not w[:1].isupper() or w.isupper() or _opens_sentence(text, start) or not _LATIN.match(w):
            return False
        after = text[start + len(w) : start + len(w) + 3]
        if (w.endswith("n") and after[:2] in ("'t", "’t")) or (len(w) <= 4 and after[:1] == "."):
            return False  # a contraction ("Didn't") or a title's abbreviation ("Det. Smith")
        return self.english_proper(w) and not self._demonym(w)

    def strong(self, name: Name) -> bool:
        """A target name of a rare word English never writes in lower case, and not a nation's
        people or adjective ("Saipov"; not "Boston", "Syrians", "Koreas")."""
        return any(self._english_name(w) and not self._demonym(w) for w in (_APOSTROPHE.split(x, maxsplit=1)[0] for x in name.originals) if len(w) >= 3 and not w.isupper())

    def absent_alone(self, name: Name) -> bool:
        """A target name that alone says a name was replaced: the source is of a Latin-script language
        that keeps foreign names as they are, and the name's last word is a person's or place's name
        English never writes in lower case, not a country, language, nation or holiday (those are
        translated: "Inglaterra" / "England", "espagnol" / "Spanish")."""
        if self.src not in _absent_name_languages():  # the data's list (entities.yaml) is the only one
            return False
        words = [_APOSTROPHE.split(w, maxsplit=1)[0] for w in name.originals]
        words = [w for w in words if len(w) >= 3 and not w.isupper() and self.english_proper(w)]
        if not words:
            return False
        last = words[-1]
        if self.english.known(last.lower()) or fold(last) in self.reverse_exonyms:
            return False  # a place CLDR knows under a source-language name of its own ("Naples" / "Neapol")
        return self.freq(self.tgt, last.lower()) < self.opt.absent_name_frequency

    def translated(self, name: Name) -> bool:
        """A target name whose last word is a country, language, nation or holiday: translations
        render those with a word of their own (CLDR's English names, entities.yaml ``translated_names``)."""
        words = [_APOSTROPHE.split(w, maxsplit=1)[0] for w in name.originals if w[:1].isupper()]
        return bool(words) and (fold(words[-1]) in _translated_names() or self._demonym(words[-1]))

    def _demonym(self, w: str) -> bool:
        low = fold(w)
        for suffix in ("ians", "ans", "ian", "an", "s", "ese", "ish", "ic", "ard", "er", "ers"):
            stem = low[: -len(suffix)] if low.endswith(suffix) else ""
            stems = (stem, stem[:-1]) if len(stem) >= 4 and stem[-1] == stem[-2] else (stem,)  # "Scottish"
            if len(stem) >= 3 and any(x + end in self.proper for x in stems for end in ("", "a", "e", "ia", "y", "o", "land", "ium")):
                return True
        return False

    @lru_cache(maxsize=100_000)  # noqa: B019 - one model per run: the cache dies with it
    def _english_name(self, w: str) -> bool:
        """A rare word that English does not write in lower case ("Saipov", "Pyongyang")."""
        if self.freq(self.tgt, w.lower()) >= self.opt.common_english:
            return False
        return not self.english.known(w.lower())

    @lru_cache(maxsize=100_000)  # noqa: B019 - one model per run: the cache dies with it
    def english_proper(self, w: str) -> bool:
        """A name of English, frequent or not: the dictionary lists it capitalised ("Boston", "Trump",
        "Crenshaw"; with a lower-case twin only when rarer than ``common_name``), or not at all."""
        low = w.lower()
        if low in NOT_NAMES or len(w) < 3:
            return False
        f = self.freq(self.tgt, low)
        if not self.english.known(low):
            return f < self.opt.common_proper
        return fold(low) in self.proper and f < self.opt.common_name

    # ------------------------------------------------------------------ matching
    def matches(self, name: Name, source_words: Sequence[str] | SourceWordIndex, short: bool = False) -> bool:
        """Whether a target name is found among the source's (romanized) words, by its surname (its
        last name-like word: "Elisabeth Juventus" for "Elisabeth Ferrell" is a replacement), also as a
        short form of a source word ("Livi" for "Livingston").  Names made only of ordinary words
        and acronyms ("AMs") are not looked up."""
        tokens = [w for w in name.originals if len(w) >= 3 and sum(c.isupper() for c in w) < 2 and self.english_proper(_APOSTROPHE.split(w, maxsplit=1)[0])]
        if not tokens:
            return True
        surname = fold(_APOSTROPHE.split(tokens[-1], maxsplit=1)[0])
        # (only the source words that can match: _same_word needs the same first letter or consonant class)
        starts = _target_starts(surname)
        if isinstance(source_words, SourceWordIndex):
            candidates = source_words.sharing(starts)
            source_words = source_words.words
        else:
            candidates = [s for s in source_words if not starts.isdisjoint(_source_starts(s.lstrip("\x00")))]
        if any(_same_word(s.lstrip("\x00"), surname, s.startswith("\x00"), short and s.startswith("\x00")) or (len(surname) >= 4 and s.lstrip("\x00").startswith(surname)) for s in candidates):
            return True
        # another English word of a source name ("Beijing" for "Peking", "Пекин")
        if any(w.lstrip("\x00").startswith(k) for k in _reverse_equivalents().get(surname, ()) for w in source_words):
            return True
        # the source's own name of the place, inflected ("Spain" / "Ισπανίας", "Germany" / "Niemiec")
        stems = [f[: max(4, len(f) - 1)] for f in self.reverse_exonyms.get(surname, ())]
        return any(w.lstrip("\x00").startswith(stem) for stem in stems for w in source_words)

    def rendered(self, name: Name, target_words: Sequence[str]) -> bool:
        """Whether one of the name's words is rendered by one of the target's words ("Michael Henry
        Adams" by "Mr. Adams").  Requiring the last word (the surname) would catch "Elisabeth
        Juventus" but doubled the false alarms on NTREX calib (transliterated surnames, katakana)."""
        if name.place is not None:
            return _place_rendered(name.place, target_words)
        alternatives = name.alternatives or tuple((w,) for w in name.words)
        short = name.script != "latin"
        if len(name.words) >= 2 and name.script == "latin" and self.src not in NOUN_CAPITALISING:
            # a name of several words is rendered by a capitalised word or an acronym, not by an ordinary
            # word alone ("Fox Business Network" / "networks", "The Telegraph" / "the"; German capitalises
            # its nouns, whose runs hold ordinary words: "Brexit Ende März")
            target_words = _capitalised_only(tuple(target_words))
        by_start = _target_index(tuple(target_words))
        if any(_same_word(f, t.lstrip("\x01"), t.startswith("\x01"), short and t.startswith("\x01")) for forms in alternatives for f in forms for t in _sharing(by_start, _source_starts(f))):
            return True
        # a short form of the target ("Livi" for "Livingston"); a name's other English word ("Wales" / "Welsh")
        caps = [t[1:] for t in target_words if t.startswith("\x01") and len(t) >= 5]
        if any(f.startswith(t) for forms in alternatives for f in forms for t in caps):
            return True
        # a two-letter name the source inflects ("Ri" / Czech "Riho", German "Ris")
        if any(f.startswith(t[1:]) and len(f) <= 4 for forms in alternatives for f in forms for t in target_words if t.startswith("\x01") and len(t) == 3):
            return True
        equivalents = _equivalents()
        if any(e in target_words or "\x00" + e in target_words for forms in alternatives for f in forms for k in equivalents if f.startswith(k) and len(f) - len(k) <= 3 for e in equivalents[k]):
            return True  # inflected too ("Twitterze"); as a dotted acronym too ("U.S.", "D.C.")
        if _acronym_rendered(name, target_words):
            return True
        return any(self._exonym_rendered(src, original, name, target_words) for src, original in zip(name.words, name.originals or name.words))

    def _exonym_rendered(self, src: str, original: str, name: Name, target_words: Sequence[str]) -> bool:
        if name.script not in ("latin", "katakana"):
            # and the name without an agglutinating language's endings ("Қытайдағы" -> "Қытай": China)
            return any(self._exonym_key_rendered(cyrillic_key(fold(w)), target_words) for w in (original, *_name_stems(original, self.src)))
        return self._exonym_key_rendered(src, target_words)

    def _exonym_key_rendered(self, key: str, target_words: Sequence[str]) -> bool:
        return any((k == key or (key.startswith(k[:max(3, len(k) - 1)]) and len(key) - len(k) <= 3)) and any(t in target_words for t in targets) for k, targets in self.exonyms.get(key[:3], ()))


@lru_cache(maxsize=1)
def _ordinary_name_languages() -> frozenset[str]:
    return frozenset(load_data("entities.yaml").get("ordinary_name_languages") or ())


@lru_cache(maxsize=1)
def _measure_eponyms() -> tuple[str, ...]:
    """Stems of the names in measures' names (entities.yaml ``measure_eponyms``: Richter, Celsius)."""
    return tuple(str(stem) for stem in load_data("entities.yaml").get("measure_eponyms") or ())


@lru_cache(maxsize=1)
def _absent_name_languages() -> frozenset[str]:
    """Source languages where a target name the source document lacks is alone evidence (entities.yaml)."""
    return frozenset(load_data("entities.yaml").get("absent_name_languages") or ())


@lru_cache(maxsize=1)
def _listed_translated_names() -> frozenset[str]:
    """entities.yaml ``translated_names`` alone (folded): nations, faiths, parties, oceans, holidays."""
    return frozenset(fold(w) for w in load_data("entities.yaml").get("translated_names") or [])


@lru_cache(maxsize=1)
def _dictionary_name_languages() -> frozenset[str]:
    """Source languages whose dictionary finds names (EntityModel._dictionary_names; entities.yaml)."""
    return frozenset(load_data("entities.yaml").get("dictionary_name_languages") or ())


@lru_cache(maxsize=1)
def _single_name_languages() -> frozenset[str]:
    """confirmed_only languages where a name alone in its document is reported when the target's capitals
    are all explained (entities.yaml ``single_name_languages``)."""
    return frozenset(load_data("entities.yaml").get("single_name_languages") or ())


@lru_cache(maxsize=1)
def _places_unnamed() -> frozenset[str]:
    """Source languages whose places are not looked up by name (PlaceNames; entities.yaml ``places_unnamed``)."""
    return frozenset(load_data("entities.yaml").get("places_unnamed") or ())


@lru_cache(maxsize=1)
def _anchored_languages() -> frozenset[str]:
    """Source languages where a target name is looked up by sound in the whole source document
    (pipeline/names/anchor.py) and is alone evidence where not found (entities.yaml)."""
    return frozenset(load_data("entities.yaml").get("anchored_languages") or ())


@lru_cache(maxsize=16)
def _calendar_stems(lang: str) -> tuple[str, ...]:
    """The stems of a language's day and month names (babel's CLDR data), folded: Greek
    capitalises them, and their inflected forms ("Σαββάτου") share the stem."""
    from babel import Locale  # deferred: only the capitalised counterparts need it

    try:
        locale = Locale(lang)
    except ValueError:
        return ()
    names = {fold(n) for table in (locale.days, locale.months) for context in table.values() for width in context.values() for n in width.values()}
    return tuple(sorted({n[: max(4, len(n) - 2)] for n in names if len(n) >= 4}))


@lru_cache(maxsize=1)
def _capitalised_languages() -> frozenset[str]:
    """Source languages whose capitalised words are names (entities.yaml ``capitalised_languages``):
    an unrendered one pairs with an unexplained target name (N202)."""
    return frozenset(load_data("entities.yaml").get("capitalised_languages") or ())


@lru_cache(maxsize=1)
def _lexicon_languages() -> frozenset[str]:
    """Source languages where the document's name lexicon finds omitted names (entities.yaml)."""
    return frozenset(load_data("entities.yaml").get("lexicon_languages") or ())


@lru_cache(maxsize=1)
def _pronoun_languages() -> dict[str, re.Pattern[str]]:
    """Source languages whose translations name a person where English says "he", each with a pattern
    of its own third-person pronouns (entities.yaml ``pronoun_languages``)."""
    table = load_data("entities.yaml").get("pronoun_languages") or {}
    out = {}
    for lang, words in table.items():
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        out[lang] = re.compile(alternatives if lang in ("ja", "zh") else rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return out


def _pronoun_added(lang: str, source: str, target: str) -> bool:
    """Whether an English pronoun may stand for a name the source states (a translator's explicitation of
    "he"): a subject "he"/"she" always ("По словам Трампа, его усилия" / "He said his efforts"), and
    him/his/her where the English has more of them than the source has pronouns of its own ("по его
    назначению" / "on his nomination" leaves none)."""
    if SUBJECT_PRONOUN.search(target):
        return True
    return len(PRONOUN.findall(target)) > len(_pronoun_languages()[lang].findall(source))


@lru_cache(maxsize=1)
def _translated_names() -> frozenset[str]:
    """English names that translations render with a word of their own language: CLDR's English
    territory and language names (babel) and entities.yaml ``translated_names`` (folded words)."""
    from babel import Locale  # deferred: only N202's absent-name test needs it

    en = Locale("en")
    names = [*en.territories.values(), *en.languages.values(), *(load_data("entities.yaml").get("translated_names") or [])]
    return frozenset(fold(w) for n in names for w in WORD.findall(n))


@lru_cache(maxsize=1)
def _confirmed_languages() -> frozenset[str]:
    """Where N201 reports only names another pair of the document renders (entities.yaml ``rules.N201.confirmed_only``)."""
    return frozenset(load_data("entities.yaml").get("rules", {}).get("N201", {}).get("confirmed_only") or {})


@lru_cache(maxsize=1)
def _equivalents() -> dict[str, tuple[str, ...]]:
    """English names rendered by another English word (pipeline/data/entities.yaml ``equivalents``)."""
    return {fold(k): tuple(fold(v) for v in vs) for k, vs in (load_data("entities.yaml").get("equivalents") or {}).items()}


@lru_cache(maxsize=1)
def _reverse_equivalents() -> dict[str, tuple[str, ...]]:
    """An English word -> the source names it renders (entities.yaml ``equivalents`` read backwards)."""
    out: dict[str, list[str]] = {}
    for k, vs in _equivalents().items():
        for v in vs:
            out.setdefault(v, []).append(k)
    return {k: tuple(v) for k, v in out.items()}


def _acronym_rendered(name: Name, target_acronyms: Sequence[str]) -> bool:
    """An acronym of the target renders the name: the initials of its words in any order ("Unión
    Europea" / "EU"), or a one-word name's first letter and another of its letters ("Arizona" / "AZ")."""
    words = [w for w in name.words if w]
    for a in target_acronyms:
        if not a.startswith("\x00"):
            continue
        letters = a[1:]
        if len(words) >= 2 and sorted(letters) == sorted(w[0] for w in words):
            return True
        # a one-word name, or one word of a longer run ("Grenze Arizonas" / "AZ border")
        if len(letters) == 2 and any(len(w) >= 4 and letters[0] == w[0] and letters[1] in w[1:] for w in words):
            return True
    return False


# a foreign name's inflection after an apostrophe, then a space: one name ("Jeremy’ego Corbyna")
_POSSESSIVE_GAP = re.compile(r"['’][^\W\d_]{1,4} ")


def _is_acronym(word: str) -> bool:
    """Letters all capitals, two or more ("ДНК", "NASA", "ΟΗΕ")."""
    return len(word) >= 2 and word.isupper()


def _chains(text: str, words: list[tuple[int, int, str]], form: Any) -> list[Name]:
    """Neighbouring name words (a space or hyphen between) as one name."""
    return [_name(text, group, form) for group in _groups(text, words)]


def _groups(text: str, words: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """The (start, end, word) runs of :func:`_chains`, each word with its place."""
    out: list[list[tuple[int, int, str]]] = []
    group: list[tuple[int, int, str]] = []
    for w in words:
        if group and text[group[-1][1] : w[0]] not in (" ", "-", "‑", " ") and not _POSSESSIVE_GAP.fullmatch(text[group[-1][1] : w[0]]):
            out.append(group)
            group = []
        group.append(w)
    if group:
        out.append(group)
    return out


_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,3}|[A-ZÀ-Ý])\.\s*$")


def _opens_sentence(text: str, start: int) -> bool:
    """Opens a sentence, not merely follows an abbreviation ("Sr. Clark", "Dr. Ford", "J. Smith")."""
    if _OPENS_QUOTE.search(text[max(0, start - 3) : start]) and len(WORD.findall(_QUOTED.match(text, start).group())) >= 3:  # type: ignore[union-attr]
        return True  # a quotation's or title's first word ("«Президенттік өкілеттік ...»"; not «Брайтона»)
    return sentence_initial(text, start) and not _ABBREVIATION.search(text[max(0, start - 8) : start])


_OPENS_QUOTE = re.compile(r"(?:^|\s)[“«„‹\"]$")
_QUOTED = re.compile(r"[^“”«»„‹›\"]*")  # the quotation's words, up to its closing mark


def _with_alternatives(name: Name, lang: str) -> Name:
    if name.script == "latin":
        return name
    return Name(name.start, name.end, name.text, name.words, name.script, name.originals, tuple(romanizations(w, lang) for w in name.originals))


@lru_cache(maxsize=1)
def _title_keys() -> tuple[tuple[str, str], ...]:
    """English titles that stand before a name (entities.yaml ``titles``): (first letter, consonant
    skeleton) of each, folded (skeletons of three consonants or more)."""
    titles = (fold(t) for t in load_data("entities.yaml").get("titles") or ())
    return tuple((t[:1], k) for t in titles for k in (skeleton(_spelling(t)),) if len(k) >= 3)


@lru_cache(maxsize=10_000)
def _is_title(word: str) -> bool:
    """Whether a (romanized, folded) source word is a title's cognate ("senador", "prezident", "ministro")."""
    # the title's consonants open the word's, with at most one more for an inflection ("Präsidenten",
    # "Ministerin"); a first name that shares a start is not one ("Sergio" / sergeant)
    key = skeleton(_spelling(word))
    return any(word[:1] == first and key.startswith(k) and len(key) - len(k) <= 1 for first, k in _title_keys())


def _name(text: str, group: list[tuple[int, int, str]], form: Any) -> Name:
    start, end = group[0][0], group[-1][1]
    return Name(start, end, text[start:end], tuple(form(w) for _, _, w in group), _script(group[0][2]), tuple(w for _, _, w in group))


def model(ctx: CheckContext) -> EntityModel:
    src, tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
    options = ctx.settings("entity-missing", EntityOptions)
    freq = ctx.resource("names.frequencies", Frequencies)
    english = speller(ctx, tgt)
    source_speller = _optional_speller(ctx, src) if src not in UNCASED_LANGS else None
    # the source dictionary (shared with A6 and A7) finds the names it translates as English names
    lexicon = ctx.resource(f"lexicon:{src}", lambda: load_source_dictionary(src)) if src in _dictionary_name_languages() and has_source_dictionary(src) else None
    return ctx.resource(f"entities.model:{src}:{tgt}", lambda: EntityModel(src, tgt, freq, english, options, source_speller, lexicon))


def _optional_speller(ctx: CheckContext, lang: str) -> Any:
    try:
        return speller(ctx, lang)
    except ResourceMissing:
        return None


def _gate(code: str, src: str, tgt: str) -> str | None:
    """Why rule ``code`` is silent for this language pair, or None: the rules read English targets,
    for the source languages where the rule is calibrated within the false-alarm bound on NTREX
    (pipeline/data/entities.yaml ``rules``); the others are switched off with their rate."""
    if base_lang(tgt) != "en":
        return "entity rules read English targets only (target names: English capitalisation and dictionary)"
    table = load_data("entities.yaml").get("rules", {}).get(code, {})
    lang = base_lang(src)
    held_off = table.get("held_off", {}).get(lang)
    if held_off:  # within the bound on calib, switched off for a reason the table states
        return str(held_off)
    if lang in table.get("calibrated", {}) or lang in (table.get("confirmed_only") or {}):
        return None
    rate = table.get("above_bound", {}).get(lang)
    if rate is not None:
        return f"{rate} false alarms per 1,000 words on NTREX calib, above the bound ({load_data('entities.yaml').get('bound')})"
    return "not calibrated for this source language"


def entity_coverage(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """N201's languages: calibrated on NTREX (pipeline/data/entities.yaml ``rules.N201``)."""
    return _gate("N201", src, tgt)


def replaced_coverage(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """N202's languages: calibrated on NTREX (pipeline/data/entities.yaml ``rules.N202``)."""
    return _gate("N202", src, tgt)


def _silent(ctx: CheckContext, code: str) -> bool:
    """Whether ``code`` is switched off for the run's languages (a run may force the rules on by
    putting None under the resource ``entities.coverage:<src>:<tgt>``, as the tests do)."""
    forced = f"entities.coverage:{ctx.src_lang}:{ctx.tgt_lang}"
    if forced in ctx.resources and ctx.resources[forced] is None:
        return False
    return ctx.resource(f"{forced}:{code}", lambda: _gate(code, ctx.src_lang, ctx.tgt_lang)) is not None


@dataclass(slots=True)
class _Sentence:
    """One pair's entity evidence, with the document's."""

    sources: list[Name]
    unrendered: list[Name]  # source names not rendered in the pair's target
    new_targets: list[Name]  # target names whose surname matches nothing in the source document
    unrendered_doc: list[Name] = field(default_factory=list)  # unrendered, and not a matching gap of the document
    confirmed: list[Name] = field(default_factory=list)  # unrendered_doc names that another pair of the document renders
    single: list[Name] = field(default_factory=list)  # unrendered_doc names no other source of the document holds
    surname_unrendered: list[Name] = field(default_factory=list)  # rendered by a first name only
    replaced: list[tuple[Name, Name]] = field(default_factory=list)  # (target name, source name): N202's findings
    capitalised_unrendered: list[Name] = field(default_factory=list)  # N202's counterparts only (capitalised_languages)
    absent_forms: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)  # an absent place's (N202) source-language names


def _analyse_document(pairs: Sequence[AlignedPair], ctx: CheckContext, code: str) -> list[_Sentence] | None:
    # silent where not calibrated: the coverage probe's reason is the run's note (pipeline/languages.py)
    if _silent(ctx, code):
        return None
    m = model(ctx)
    key = tuple((p.source_text, p.target_text) for p in pairs)
    if m.last_document is not None and m.last_document[0] == key:
        return m.last_document[1]
    sentences = [_analyse_pair(p, m) for p in pairs]
    doc_source_words = SourceWordIndex(w for p, s in zip(pairs, sentences) for w in m.source_words(p.source_text) + ["\x00" + x for n in s.sources for x in n.words])
    for s in sentences:
        s.new_targets = [n for n in s.new_targets if not m.matches(n, doc_source_words)]
    # a target name that the document leaves unexplained in two sentences or more is a rendering the
    # matching misses ("Pyongyang" for Czech "Pchjongjang" throughout), not a replacement
    seen: dict[str, int] = {}
    for s in sentences:
        for key_ in {_surname(n) for n in s.new_targets}:
            seen[key_] = seen.get(key_, 0) + 1
    for s in sentences:
        s.new_targets = [n for n in s.new_targets if seen[_surname(n)] < 2]
    if m.src in _anchored_languages():
        _filter_by_sound(pairs, sentences, m)
    _document_unrendered(pairs, sentences, m)
    if m.src in _lexicon_languages():
        _add_lexicon_omissions(pairs, sentences, m)
    for p, s in zip(pairs, sentences):
        _pair_up(p, s, m)
    if m.opt.absent_place_alone:
        _add_absent_places(pairs, sentences, m)
    m.last_document = (key, sentences)
    return sentences


_APPOSITION = re.compile(r"[A-Z][\w'’-]+, $")
_EVENT_YEAR = re.compile(r" \d{4}\b")  # "London 2012": the Games, which a translation names its own way


def _heard_exactly(words: Sequence[str], source: str, lang: str) -> bool:
    """Whether a word of the source has the consonant key of one of the (English) words, exactly (a
    key's start would match by chance: "Barcelona" b-r-s-r-n holds "Prague" b-r-s)."""
    keys = text_keys(source, lang)
    return any(k in keys for w in words for k in english_keys(w, lang) if len(k) >= 3)


@lru_cache(maxsize=1)
def _macro_regions() -> frozenset[str]:
    """CLDR's one-word macro-regions, folded (entities.yaml ``macro_regions``: "asia", "europe")."""
    return frozenset(fold(r) for r in load_data("entities.yaml").get("macro_regions") or ())


def _add_absent_places(pairs: Sequence[AlignedPair], sentences: list[_Sentence], m: EntityModel) -> None:
    """A target place whose source-language names the whole source document lacks is a replacement
    (N202 alone): "Six people were arrested in Prague" where the source says "Barcelona" and no
    "Praga".  Not where another target of the document has the name too (the translator renders it
    some other way throughout), nor in a title-case headline."""
    source = SourceText((p.source_text for p in pairs), m.src)
    doc_targets = [fold(p.target_text) for p in pairs]
    for i, (p, s) in enumerate(zip(pairs, sentences)):
        if title_case(p.target_text):
            continue
        taken = {(t.start, t.end) for t, _ in s.replaced}
        for t in m.target_names(p.target_text):
            words = [_APOSTROPHE.split(w, maxsplit=1)[0] for w in t.originals]
            english = fold(" ".join(words))
            forms = m.places.absent(english, source) if (t.start, t.end) not in taken and " " not in english else ()
            if not forms:
                continue
            if p.target_text[t.end : t.end + 1] == "-" or _APPOSITION.search(p.target_text, 0, t.start) or _EVENT_YEAR.match(p.target_text, t.end):
                continue  # a place in a compound ("Netherlands-based" / "z siedzibą w Hadze"), a country after its city ("Naples, Italy")
            if any(english in d for j, d in enumerate(doc_targets) if j != i) or english in _macro_regions():
                continue
            if m.src in UNCASED_LANGS and _heard_exactly(words, p.source_text, m.src):
                continue  # spelled another way than CLDR's ("프라그" / "프라하" Prague, "प्रेग" / "प्राग")
            s.replaced.append((t, Name(0, 0, "", (), "latin")))
            s.absent_forms[(t.start, t.end)] = forms


_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]+")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]{2,}")
_POSSESSIVE_S = re.compile(r"['’]s?$")


def _target_sounds(text: str, src: str) -> DocumentSounds:
    """The consonant keys of a target's capitalised words, possessives without their "'s" ("Willoughby's")."""
    return DocumentSounds(k for w in _CAPITALISED_RUN.findall(text) for k in english_keys(_POSSESSIVE_S.sub("", w), src))


def _filter_by_sound(pairs: Sequence[AlignedPair], sentences: list[_Sentence], m: EntityModel) -> None:
    """Names of either side that the other side holds by sound (pipeline/names/anchor.py): for
    ``anchored_languages``, whose names the word-by-word matching often misses."""
    # a source name whose consonants a capitalised word of the target holds is a transliteration
    # ("Джеррардом" / "Gerrard", "Синин" / "Xining")
    for p, s in zip(pairs, sentences):
        if s.unrendered or s.capitalised_unrendered:
            heard = _target_sounds(p.target_text, m.src)
            # (a Latin name is compared as it is written: its consonants would match by chance)
            s.unrendered = [n for n in s.unrendered if n.script == "latin" or not _name_heard(n, heard, m.src)]
            capitals = [fold(w) for w in _CAPITALISED_WORD.findall(p.target_text)]
            s.capitalised_unrendered = [n for n in s.capitalised_unrendered if not _name_heard(n, heard, m.src) and not _spelled_like(n, capitals)]
    # a target name one of whose words another target of the document also holds is an entity
    # of the document (a replacement brings a name from elsewhere)
    doc_targets = [set(_CAPITALISED_WORD.findall(p.target_text)) for p in pairs]
    for i, s in enumerate(sentences):
        others = set().union(*(t for j, t in enumerate(doc_targets) if j != i)) if s.new_targets else set()
        s.new_targets = [n for n in s.new_targets if not any(w in others for w in n.originals if m.english_proper(w))]
    # a target name whose consonants a word (or character run) of the pair's source holds is a
    # transliteration the word-by-word matching misses ("Marvin Cooke" / "Марвин Кук"); the
    # pair's source, not the document's: a document holds most short consonant keys by chance
    # (one that resembles an unrendered source name stays: _pair_up drops both, "Joe Worrall" / "Τζόι Ουόρελ")
    for p, s in zip(pairs, sentences):
        if s.new_targets:
            sounds = DocumentSounds(text_keys(p.source_text, m.src))
            strict = bool(s.unrendered or s.surname_unrendered or s.capitalised_unrendered)
            s.new_targets = [n for n in s.new_targets if _resembles_unrendered(n, s, p) or not _heard(n, sounds, m, strict)]


_ORDINARY_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?: (?:of |for |and |the )?[A-Z][a-z]{2,})+")


def _cognate_in(word: str, source_words: Sequence[str]) -> bool:
    """Whether a source word of five letters or more opens like an English word of five or more, two edits
    apart at most in their first six letters and with the same first letter ("technology" / "tecnologia",
    "application" / "aplicacion", "immigrant" / "imigrantes")."""
    if len(word) < 5:
        return False
    head = word[:6]
    return any(w[0] == word[0] and edit_distance(w[:6], head) <= 2 for w in source_words)


_CALENDAR_WORDS = frozenset(w.lower() for w in (*calendar.day_name, *calendar.month_name) if w)


def _placelike(word: str, m: EntityModel) -> bool:
    """A (folded) word of a place, nation, day or month, or of a name with English equivalents: translations
    render them their own way ("EE. UU." / "United States", "Oscars" / "Academy Awards")."""
    return word in m.places.english or word in _CALENDAR_WORDS or word in _translated_names() or m._demonym(word.capitalize()) or word in _equivalents() or word in _reverse_equivalents()


def _untranslated_ordinary_names(pairs: Sequence[AlignedPair], sentences: list[_Sentence], m: EntityModel, ctx: CheckContext) -> list[list[Name]]:
    """N202: a name made of ordinary English words ("Aviation Safety Network", "Secret Service"), two or more,
    none of which a word of the pair's source translates to (the source dictionary) or spells, and that no
    other target of the document has: an organisation put in for another ("el Servicio Nacional de
    Meteorología" -> "The Aviation Safety Network")."""
    out: list[list[Name]] = [[] for _ in pairs]
    if not has_source_dictionary(m.src):
        return out
    lexicon = ctx.resource(f"lexicon:{m.src}", lambda: load_source_dictionary(m.src))  # model()'s and A6's, where they load it
    doc_targets = [fold(p.target_text) for p in pairs]
    for i, (p, s) in enumerate(zip(pairs, sentences)):
        if s.replaced or title_case(p.target_text):
            continue
        found = list(_ORDINARY_NAME.finditer(p.target_text))
        if not found:
            continue
        source = fold(p.source_text)
        source_words = [fold(w).lower() for w in WORD.findall(p.source_text) if len(w) >= 5]
        rendered = {t for w in WORD.findall(p.source_text) for t in lexicon.translations(w.lower())}
        for f in found:
            start = f.start()
            if _opens_sentence(p.target_text, start):
                if not f.group().startswith("The "):
                    continue  # a heading's or a sentence's first word ("Red Tide Update:")
                start += 4  # "The Aviation Safety Network": the name after its article
            text = p.target_text[start : f.end()]
            words = [fold(w) for w in WORD.findall(text) if fold(w) not in EN_STOP]
            if len(words) < 2 or any(m.english_proper(w.capitalize()) or _placelike(w, m) for w in words):
                continue  # a name with a name's word is the other matching's (N202 above); places, days and nations are translated
            initials = "".join(w[0] for w in WORD.findall(text) if w[:1].isupper())
            if len(initials) >= 2 and re.search(rf"\b{initials}\b", p.source_text, re.IGNORECASE):
                continue  # its acronym ("DARPA")
            if any(w[:4] in source or any(t.startswith(w[: max(4, len(w) - 2)]) for t in rendered) or _cognate_in(w, source_words) for w in words):
                continue  # a word the source spells, translates or has a cognate of ("technology" / "tecnología")
            if any(fold(text) in d for j, d in enumerate(doc_targets) if j != i):
                continue  # an entity of the document
            out[i].append(Name(start, f.end(), text, tuple(words), "latin", tuple(WORD.findall(text))))
            break
    return out


def _spelled_like(name: Name, words: Sequence[str]) -> bool:
    """Whether a (folded) target word is spelled like the name, also inflected ("Ейр" / "Ayr")."""
    return any(_alike(f, w, True) or _alike_inflected(f, w) for alts in (name.alternatives or tuple((x,) for x in name.words)) for f in alts for w in words)


def _name_heard(name: Name, heard: DocumentSounds, lang: str) -> bool:
    """Whether a source name's consonants are among a target's (a key of two only exactly)."""
    return any(heard.holds(k) if len(k) >= 3 else k in heard.exact for w in (name.originals or name.words) for k in word_keys(w, lang) if len(k) >= 2)


def _document_unrendered(pairs: Sequence[AlignedPair], sentences: list[_Sentence], m: EntityModel) -> None:
    """Each pair's unrendered source names that the document's evidence leaves standing (N201's)."""
    # a source name that other sentences of the document also hold, and whose targets never render
    # it, is one the matching cannot find (a transliteration gap), not an omission
    doc_target_words = [_target_words(p.target_text) for p in pairs]
    anchored = m.src in _anchored_languages()
    heard: dict[int, DocumentSounds] = {}

    def rendered_in(n: Name, j: int) -> bool:
        if m.rendered(n, doc_target_words[j]):
            return True
        if not anchored or n.script == "latin":
            return False
        # by sound, as _filter_by_sound finds it in its own pair ("Дейли" / "Daley" elsewhere in the document)
        if j not in heard:
            heard[j] = _target_sounds(pairs[j].target_text, m.src)
        return _name_heard(n, heard[j], m.src)

    for i, s in enumerate(sentences):
        keep = []
        for n in s.unrendered:
            others = [j for j, o in enumerate(sentences) if j != i and any(set(x.words) & set(n.words) for x in o.sources)]
            rendered_elsewhere = [j for j in others if rendered_in(n, j)]
            if n.script == "latin" and n.place is None:
                # a Latin name is compared as written: another pair whose English says "he" or "she"
                # for it is no transliteration gap ("so Jankel" / "she said")
                others = [j for j in others if j in rendered_elsewhere or not PRONOUN.search(pairs[j].target_text)]
            if others and not rendered_elsewhere:
                continue
            # a name the document gave before, where the translation has a pronoun: English says "he"
            # where the source repeats the name (a translator's explicitation), not an omission
            if m.src in _pronoun_languages() and any(j < i for j in others) and _pronoun_added(m.src, pairs[i].source_text, pairs[i].target_text) and not _a_place(n, pairs[i], m):
                continue
            keep.append(n)
            if not others:
                s.single.append(n)
            # confirmed: the document's other pairs that hold the name all render it (a name two pairs leave
            # out is a rendering the matching misses: "İşçi Partisi" / "Labour", "Global Citizen" / "the group");
            # a name of another script (no place) also where two pairs or more and two thirds of them render
            # it: its transliteration is then one the matching finds, and English says "he" for it elsewhere
            # ("Том Дейли": "Tom Daley" in three pairs, "he said" in one)
            if rendered_elsewhere and (len(rendered_elsewhere) == len(others) or (n.place is None and n.script != "latin" and _most(rendered_elsewhere, others))):
                s.confirmed.append(n)
        s.unrendered_doc = keep
    # a capitalised source word that other sentences also hold, and whose targets never render it, is a
    # rendering the matching misses ("Ейр" / "Ayr"), not a counterpart of a replacement
    for i, s in enumerate(sentences):
        if s.capitalised_unrendered:
            s.capitalised_unrendered = [n for n in s.capitalised_unrendered if not _unrendered_elsewhere(n, i, pairs, doc_target_words, m)]


def _most(rendering: Sequence[int], holding: Sequence[int]) -> bool:
    """Two pairs or more, and two thirds of those holding a name, render it."""
    return len(rendering) >= 2 and 3 * len(rendering) >= 2 * len(holding)


def _unrendered_elsewhere(name: Name, here: int, pairs: Sequence[AlignedPair], doc_target_words: list[tuple[str, ...]], m: EntityModel) -> bool:
    """Whether other sources of the document hold the word (its stem) and none of their targets renders it."""
    word = name.originals[0] if name.originals else name.text
    stem = word[: max(4, len(word) - 2)].lower()
    others = [j for j, p in enumerate(pairs) if j != here and stem in p.source_text.lower()]
    return bool(others) and not any(m.rendered(name, doc_target_words[j]) or fold(word) in fold(pairs[j].target_text) for j in others)


def _add_lexicon_omissions(pairs: Sequence[AlignedPair], sentences: list[_Sentence], m: EntityModel) -> None:
    """The document lexicon's omissions join the pairs' unrendered names (N201; N202's counterparts)."""
    for s, found in zip(sentences, _lexicon_omissions(pairs, m)):
        for n in found:
            if not any(n.start < x.end and x.start < n.end for x in s.unrendered):
                s.unrendered.append(n)
                s.unrendered_doc.append(n)


def _heard(name: Name, sounds: DocumentSounds, m: EntityModel, strict: bool = False) -> bool:
    """Whether one of a target name's name words sounds like a word of the source document."""
    words = [_APOSTROPHE.split(w, maxsplit=1)[0] for w in name.originals]
    if not any(len(w) >= 3 and m.english_proper(w) for w in words):
        return True  # no name word: nothing to look for
    # its name words, names the dictionary lists capitalised ("Trump") and rare capitalised words
    # ("Coons" is an English word too; "Desert" says nothing)
    named = [w for w in words if len(w) >= 3 and w[:1].isupper() and (m.english_proper(w) or fold(w) in m.proper or m.freq(m.tgt, w.lower()) < m.opt.common_english)]
    if strict:
        keys = [[k for k in english_keys(w, m.src) if len(k) >= 2] for w in named]
        if not any(keys):
            return True
        return any(k in sounds.exact or k in sounds.prefixes or (len(k) >= 5 and sounds.holds(k)) for ks in keys for k in ks)
    keys = [[k for k in english_keys(w, m.src) if len(k) >= 3] for w in named]
    if not any(keys):
        return True  # one or two consonants say nothing ("Iran", "Mario")
    return any(sounds.holds(k) for ks in keys for k in ks)


# a pronoun that may stand for a name the source repeats (not it/they/this: they stand in every
# other sentence, and skipping them hid nearly every omission on NTREX calib)
STAND_IN = PRONOUN
# the document lexicon (NTREX calib, zh/ar/he/hi/ko): a taught key of three consonants or more (two
# between capitalised words); a form taught by two pairs at least (one: ar and ko false alarms 3 -> 7
# and 4 -> 11 for two more removals each); forms rarer than this in the source language (wordfreq)
LEXICON_KEY = 3
LEXICON_TEACHERS = 2
LEXICON_SPAN_FREQUENCY = 2e-5
_MIN_SPAN = {"zh": 2, "ja": 3, "ko": 2}  # characters of a learned source form (other scripts: 3 letters)


def _lexicon_omissions(pairs: Sequence[AlignedPair], m: EntityModel) -> list[list[Name]]:
    """Per pair, the source forms of names that the document's other pairs render, and this pair's
    target does not: a document name lexicon.  A pair teaches (source form, English word) where one
    of its target's name words and a span of its source have the same consonant key ("Trump" and
    特朗普 TeLangPu, t-r-n-b); a pair whose source holds a taught form while its target lacks the word
    (and has no pronoun or demonstrative that may stand for it) omits the name.  A form must be
    taught by at least as many pairs as lack the word, so a span that matches by chance (a common
    phrase) stays silent."""
    # the target's words and their stems ("Corbyn's", "Bolivian", "AZ": what N201's matching also accepts)
    target_words = [_target_words(p.target_text) for p in pairs]
    taught: dict[tuple[str, str], set[int]] = {}
    shortest = _MIN_SPAN.get(m.src, 3)
    uncased = m.src in UNCASED_LANGS  # a Latin word there is N201's own source name
    for i, p in enumerate(pairs):
        # the names inside a sentence, also those English writes in lower case too ("Trump"): a
        # chance match must recur in two pairs to teach anything
        spans: dict[str, frozenset[str]] | None = None  # the pair's source forms, once it has a name
        for found in re.finditer(r"\b[A-Z][a-z]+(?:['’][a-z]+)?", p.target_text):
            w = _APOSTROPHE.split(found.group(), maxsplit=1)[0]
            if len(w) < 3 or fold(w) in NOT_NAMES or _opens_sentence(p.target_text, found.start()) or not (m.english_proper(w) or fold(w) in m.proper):
                continue
            spans = spans if spans is not None else text_spans(p.source_text, m.src)
            for key in english_keys(w, m.src):
                for span in spans.get(key, ()):
                    # a key of two consonants only between two capitalised words ("Менга" / "Menga");
                    # the same Latin word is N201's own; an ordinary word of the source ("그러나",
                    # "안전") shares a short key with some name by chance
                    if len(key) < (2 if span[:1].isupper() else LEXICON_KEY) or len(span) < shortest or fold(span) == fold(w) or (uncased and span.isascii()):
                        continue
                    if m.freq(m.src, span.lower()) < LEXICON_SPAN_FREQUENCY:
                        taught.setdefault((span, fold(w)), set()).add(i)
    # a form renders as any word it taught ("切尔西" taught "Chelsea" and, by chance, another word)
    words_of: dict[str, set[str]] = {}
    for span, word in taught:
        words_of.setdefault(span, set()).add(word)
    out: list[list[Name]] = [[] for _ in pairs]
    for (span, word), teachers in taught.items():
        holders = [j for j, p in enumerate(pairs) if span in p.source_text]
        lacking = [j for j in holders if not any(_has_word(w, target_words[j]) for w in words_of[span])]
        if not lacking or len(teachers) < max(LEXICON_TEACHERS, len(lacking)):
            continue
        for j in lacking:
            if STAND_IN.search(pairs[j].target_text) or any(n.text == span for n in out[j]):
                continue
            start = pairs[j].source_text.find(span)
            out[j].append(Name(start, start + len(span), span, (word,), "other", (span,)))
    return [_longest(found) for found in out]


_ACRONYM = re.compile(r"\b[A-Z]{2,4}\b")


def _may_stand_for(name: Name, pair: AlignedPair, m: EntityModel) -> bool:
    """Whether a target may still render a name the matching missed, where N201 reports only names the
    document confirms (entities.yaml ``confirmed_only``): a pronoun ("he" for "Palinia"; in
    ``pronoun_languages`` only one the source does not have), an acronym of
    its first letter ("JE" for "Джонні Інгліша", "NYC" for "Нью-Йорктегі"), or a capitalised word spelled
    like one of its words ("Wade" for "Wayde") that renders no other word of the source ("Blair" of
    "Блэр Макферсон" does not stand for "Брюса Колвина" beside it)."""
    lang = m.src
    target = pair.target_text
    if (_pronoun_added(lang, pair.source_text, target) if lang in _pronoun_languages() else STAND_IN.search(target)) and not _a_place(name, pair, m):
        return True  # (a pronoun stands for a person, not for "Лондоне")
    forms = [f for alts in (name.alternatives or tuple((w,) for w in name.words)) for f in alts]
    # the first letter as English writes it ("Джонні" dzhonni / Johnny)
    first = {_AFFRICATES.sub("j", f)[:1] for f in (name.alternatives[0] if name.alternatives else name.words[:1])}
    if any(a.group()[0].lower() in first for a in _ACRONYM.finditer(target)):
        return True
    alike = [w for w in _CAPITALISED_WORD.findall(target) if any(_alike(f, fold(w), name.script != "latin") for f in forms)]
    return any(not _renders_other_source_word(w, name, pair, m) for w in alike)



def _a_place(name: Name, pair: AlignedPair, m: EntityModel) -> bool:
    """Whether a source name is a place that CLDR or the curated exonyms know, as a whole and spelled like
    its English name ("Лондоне" / London; not "Байден", which the place search takes for Bahia, nor
    "Ηνωμένου Βασιλείου", which English may leave to "Ukip")."""
    first = (romanized(name.text) if name.script != "latin" else fold(name.text))[:4]
    places = [name.place] if name.place is not None else [place for a, b, place in m.places.find(pair.source_text) if a == name.start and b == name.end]
    return len(first) == 4 and any(fold(r)[:4] == first for place in places for r in place.renderings)


def _renders_other_source_word(word: str, name: Name, pair: AlignedPair, m: EntityModel) -> bool:
    """Whether a target word renders source words outside ``name``, as many as the target writes it: then it
    renders those, not the name.  Other forms of the name itself do not count ("Республикандықтардың" twice
    in the source, "Republicans" once in the English: the English merged them)."""
    if not m.english_proper(word):
        return False  # an ordinary word ("Web", "Almanac") may translate the name
    stems = {o[:4].casefold() for o in name.originals if len(o) >= 4}
    target_name = Name(0, len(word), word, (fold(word),), "latin", (word,))
    source = pair.source_text
    others = 0
    for found in WORD.finditer(source):
        if name.start <= found.start() < name.end or found.group()[:4].casefold() in stems:
            continue
        others += m.matches(target_name, m.source_words(found.group()), True)
    return others > 0 and others >= len(re.findall(rf"\b{re.escape(word)}\b", pair.target_text))


def _longest(found: list[Name]) -> list[Name]:
    """One name per place: the longest form ("كافانو", not also its stem "كافان")."""
    keep: list[Name] = []
    for n in sorted(found, key=lambda x: x.start - x.end):
        if not any(n.start < k.end and k.start < n.end for k in keep):
            keep.append(n)
    return sorted(keep, key=lambda x: x.start)


def _has_word(word: str, target_words: Sequence[str]) -> bool:
    """Whether a target (its :func:`_target_words`) renders an English name word, also derived or
    inflected ("Bolivia" / "Bolivian", "Scotland" / "Scottish") or as an acronym ("Arizona" / "AZ")."""
    stem = word[: max(4, len(word) - 2)]
    name = Name(0, 0, word, (word,), "latin")
    return any(t.lstrip("\x01").startswith(stem) or _same_word(word, t.lstrip("\x01"), False) for t in target_words if not t.startswith("\x00")) or _acronym_rendered(name, target_words)


def _surname(name: Name) -> str:
    return name.words[-1] if name.words else ""


def _alike(a: str, b: str, loose: bool = False) -> bool:
    """Two romanized name words that are one name spelled two ways ("bear" / "baer", "yen" / "ian")."""
    if _same_word(a, b) or _same_word(b, a):
        return True
    short = min(len(a), len(b))
    if short >= 3 and (edit_distance(a, b) <= max(1, short // 3) or (sorted(a) == sorted(b) and a[0] == b[0])):
        return True
    return loose and _alike_by_sound(a, b)


def _alike_inflected(src: str, tgt: str) -> bool:
    """A romanized source word of another script that is an English name with an ending ("Рианнадан" /
    "Rihanna"): its first letters, as many as the name's give or take one, are alike."""
    return len(tgt) >= 4 and len(src) > len(tgt) + 1 and any(_alike(src[:k], tgt, True) for k in range(len(tgt) - 1, len(tgt) + 2))


@lru_cache(maxsize=100_000)
def _alike_by_sound(a: str, b: str) -> bool:
    """A transliterated name and its English spelling, by their consonants alone (w and h silent, j
    as g): "uilingu" / "wheeling", "rou" / "rowe", "merriuezera" / "merriweather"; only for a source
    name of another script and a target name of the same pair (a replacement brings a name of
    another document, whose consonants are rarely the same)."""
    sa, sb = (skeleton(x.replace("w", "").replace("th", "t")).replace("j", "k") for x in (a, b))
    if not sa or not sb or sa[0] != sb[0]:
        return False
    short = min(len(sa), len(sb))
    if short == 1:  # one consonant: two short words, both opening with a vowel ("eir" / "ayr")
        return sa == sb and max(len(a), len(b)) <= 4 and a[0] in _VOWELS and b[0] in _VOWELS
    if short <= 2:  # two consonants: the same two, and at most one more on the other side ("rou" / "rowe")
        return short == 2 and abs(len(sa) - len(sb)) <= 1 and (sa.startswith(sb) or sb.startswith(sa))
    return edit_distance(sa, sb) <= max(1, short // 3)


def _resembles_unrendered(t: Name, s: _Sentence, pair: AlignedPair) -> bool:
    """Whether a target name is spelled like an unrendered source name of its pair (as _pair_up pairs them)."""
    source, target = fold(pair.source_text), fold(pair.target_text)
    for n in s.unrendered + s.surname_unrendered:
        forms = [f for alts, w in zip(n.alternatives or tuple((w,) for w in n.words), n.words) if w not in target for f in alts]
        if any(_alike(f, w, n.script != "latin") for f in forms for w in t.words if w not in source):
            return True
    return False


def _pair_up(pair: AlignedPair, s: _Sentence, m: EntityModel) -> None:
    """Match the pair's unexplained target names with its unrendered source names: a pair alike in
    spelling is one name the matching missed (both dropped); a target name left over is a replacement
    when a source name is left over too, or when it is a rare name (then alone)."""
    missing = list(s.unrendered + s.surname_unrendered)
    targets = list(s.new_targets)
    loose = list(s.capitalised_unrendered)
    source, target = fold(pair.source_text), fold(pair.target_text)
    for t in list(targets):
        for n in missing:
            # the words each side lacks ("Elisabeth Juventus" / "Elisabeth Ferrell": "juventus" / "ferrell")
            forms = [f for alts, w in zip(n.alternatives or tuple((w,) for w in n.words), n.words) if w not in target for f in alts]
            if any(_alike(f, w, n.script != "latin") or (n.script != "latin" and _alike_inflected(f, w)) for f in forms for w in t.words if w not in source):
                targets.remove(t)
                missing.remove(n)
                if n in s.unrendered_doc:
                    s.unrendered_doc.remove(n)
                break
    for t in list(targets):
        for n in loose:
            if any(_alike(f, w, True) or _alike_inflected(f, w) for alts in n.alternatives for f in alts for w in t.words if w not in source):
                targets.remove(t)
                loose.remove(n)
                break
    s.new_targets = targets
    if title_case(pair.target_text):
        return  # title case says nothing
    # a country, language or nation is translated ("Ισπανία" / "Spain")
    candidates = [t for t in targets if not m.translated(t)]
    if len(candidates) > max(1, len(missing) + len(loose)):
        return  # a replaced name brings one new name: more is a sentence the matching misses as a whole ("Освенцим" / "Czechoslovak Jew", "Auschwitz", "Nazi")
    for t in candidates:
        if missing and (any(n.place is None for n in missing) or (m.src not in UNCASED_LANGS and any(m.english_proper(_APOSTROPHE.split(w, maxsplit=1)[0]) for w in t.originals))):
            # (a place alone pairs with a name only, not with ordinary capitalised words: "United Nations
            # General Assembly" is the translator's explicit "ONZ" where the place "Syrii" went into "the country")
            s.replaced.append((t, _nearest(t, pair, missing, src_side=False)))
        elif loose:
            s.replaced.append((t, _nearest(t, pair, loose, src_side=False)))
        elif (m.opt.rare_name_alone and m.strong(t)) or (m.opt.absent_name_alone and m.absent_alone(t) and not _heard_in_pair(t, pair, m)):
            s.replaced.append((t, Name(0, 0, "", (), "latin")))


def _heard_in_pair(name: Name, pair: AlignedPair, m: EntityModel) -> bool:
    """Whether a word of the pair's source has the consonant key of one of the target name's words, also
    inflected or one class more or less (a name the source language adapts: "Neapoli" / Naples, "Aljašce" /
    Alaska, "Luizjany" / Louisiana)."""
    words = [_APOSTROPHE.split(w, maxsplit=1)[0] for w in name.originals if len(w) >= 4]
    sounds = DocumentSounds(text_keys(pair.source_text, m.src))
    if any(sounds.holds(k) for w in words for k in english_keys(w, m.src) if len(k) >= 3):
        return True
    if m.src in UNCASED_LANGS:
        # an uncased source has no spelling to compare: sound is all there is, and a name too short to
        # judge by it ("Newman" n, "न्यूमैन"), or whose short keys the source holds exactly ("Ryan" r-n,
        # "Massachusetts" n-s as "मैसाचुसेट्स" writes it), may be there
        keys = [[k for k in english_keys(w, m.src) if len(k) >= 2] for w in words]
        return not any(keys) or all(any(k in sounds.exact for k in ks) for ks in keys if ks)
    return False


def title_case(text: str) -> bool:
    """An English headline in title case: every word of four letters or more capitalised."""
    long = [w for w in WORD.findall(text) if len(w) >= 4]
    return len(long) >= 3 and all(w[:1].isupper() for w in long)


@lru_cache(maxsize=20_000)
def _source_words(text: str, src: str) -> tuple[str, ...]:
    """:meth:`EntityModel.source_words`, once per text (each pair's source is read for the pair and for its document)."""
    if src in UNCASED_LANGS:
        out = ["\x00" + fold(m.group()) for m in LATIN_RUN.finditer(text)]
        if src == "ja":
            out += ["\x00" + f for m in KATAKANA_RUN.finditer(text) for p in m.group().split("・") if p for f in romanizations(p, "ja")]
        return tuple(out)
    words = [p for w in WORD.findall(text) for p in ([w, *_APOSTROPHE.split(w)] if ("'" in w or "’" in w) else [w]) if p]
    return tuple(("\x00" + f if w[:1].isupper() else f) for w in words for f in ((fold(w),) if _script(w) == "latin" else romanizations(w, src)))


@lru_cache(maxsize=20_000)
def _target_words(text: str) -> tuple[str, ...]:
    """The target's folded words, and its acronyms marked with a leading NUL ("\\x00eu")."""
    found = WORD.findall(text)
    # capitalised words are marked with a leading \x01: only those are compared by consonant skeleton
    out = [fold(w) for w in found] + [fold(p) for w in found for p in _APOSTROPHE.split(w)[:1]]
    out += ["\x01" + fold(p) for w in found if w[:1].isupper() for p in _APOSTROPHE.split(w)[:1]]
    out += ["\x00" + w.lower() for w in found if 2 <= len(w) <= 5 and w.isupper()]
    return tuple(out + ["\x00" + a.replace(".", "").lower() for a in _ACRONYM_DOTTED.findall(text) if "." in a])


def _analyse_pair(pair: AlignedPair, m: EntityModel) -> _Sentence:
    empty = _Sentence([], [], [])
    if m.src not in UNCASED_LANGS and m.headline(pair.source_text):
        return empty
    sources = m.source_names(pair.source_text)
    target_words = _target_words(pair.target_text)
    folded_target = fold(pair.target_text)
    unrendered = [n for n in sources if fold(n.text) not in folded_target and not m.rendered(n, target_words)]
    if PLACE_STAND_IN.search(pair.target_text):
        unrendered = [n for n in unrendered if n.place is None]
    new_targets: list[Name] = []
    if m.checks_target_names():
        source_words = m.source_words(pair.source_text) + ["\x00" + w for n in sources for w in n.words]
        short = m.src in UNCASED_LANGS or m.src in ("ru", "uk", "kk", "be", "el")  # a non-Latin name of the same sentence
        new_targets = [n for n in m.target_names(pair.target_text) if not m.matches(n, source_words, short)]
    # a Latin name whose surname is not rendered ("Elisabeth Ferrell" / "Elisabeth Juventus"): for N202 only
    # (other scripts: surnames are the words transliterations miss; ja/el/kk/uk calib rose 0.3-1.1 per 1k)
    partial = [n for n in sources if n.script == "latin" and n not in unrendered and len(n.words) >= 2 and not m.rendered(_last_word(n), target_words)] if new_targets else []
    capitalised = _capitalised_unrendered(pair, m, sources, target_words, folded_target) if new_targets and m.src in _capitalised_languages() else []
    return _Sentence(sources, unrendered, new_targets, surname_unrendered=partial, capitalised_unrendered=capitalised)


def _capitalised_unrendered(pair: AlignedPair, m: EntityModel, sources: list[Name], target_words: Sequence[str], folded_target: str) -> list[Name]:
    """The pair's capitalised source words (not opening a sentence, no acronym, not a word the source
    dictionary knows in lower case) that are no source name of :meth:`EntityModel.source_names` and that
    the target does not render: a local form of a name ("Неаполь", "Испании") that N201 cannot report
    (its English form is unknown) but that may pair with an unexplained target name for N202."""
    text = pair.source_text
    taken = [(n.start, n.end) for n in sources]
    out: list[Name] = []
    for found in WORD.finditer(text):
        w = _APOSTROPHE.split(found.group(), maxsplit=1)[0]
        start = found.start()
        if len(w) < 3 or not w[:1].isupper() or w.isupper() or len(set(w.lower())) < 2 or _script(w) not in ("cyrillic", "greek"):
            continue
        if _opens_sentence(text, start) or any(a <= start < b for a, b in taken):
            continue
        if m.source_speller is not None and m.source_speller.known(w.lower()):
            continue
        if any(fold(w).startswith(stem) for stem in _calendar_stems(m.src)):
            continue  # a day or month the language capitalises ("Σάββατο", "Σαββάτου")
        name = _with_alternatives(Name(start, start + len(w), w, (romanized(w),), _script(w), (w,)), m.src)
        if fold(w) in folded_target or m.rendered(name, target_words):
            continue
        out.append(name)
    return out


def _last_word(name: Name) -> Name:
    alternatives = name.alternatives[-1:] if name.alternatives else ()
    originals = name.originals[-1:] if name.originals else ()
    return Name(name.start, name.end, name.text, name.words[-1:], name.script, originals, alternatives)


def _nearest(name: Name, pair: AlignedPair, candidates: list[Name], src_side: bool) -> Name:
    """The candidate at the most similar relative position in its text."""
    here = name.start / max(1, len(pair.target_text if not src_side else pair.source_text))
    other = pair.source_text if not src_side else pair.target_text
    return min(candidates, key=lambda c: abs(c.start / max(1, len(other)) - here))


@rule("N201", "entity-missing", category="accuracy/omission", severity="major", scope="document", options=EntityOptions, requires=("wordfreq", "anyascii", "chunspell"), coverage=entity_coverage)
def entity_missing(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A name, place or organisation of the source that the translation does not render.

    Why: a dropped name changes who did what; fluent output hides it.  How: the source's names
    (capitalised words that are not ordinary words of the source language, Latin words inside
    non-Latin text, katakana runs; a title opening the run is not a word of the name: "Senador Jeff
    Flake" is "Jeff Flake") are compared with the target's words after romanization and
    folding, allowing inflection, consonant-skeleton variants of transliteration and CLDR exonyms.
    Reported on the source, unless N202 reports the pair; a source name that an unexplained target
    name of the pair resembles in spelling is a transliteration, not an omission.
    Document evidence: a name that other source sentences of the document also hold, and that
    none of their translations renders (in ``anchored_languages`` by spelling or by sound: "Дейли" /
    "Daley"), is a transliteration the matching misses, not an omission; in the languages of
    entities.yaml ``pronoun_languages`` (el, fi, ja, kk, ru, tr, uk), a name an earlier sentence of
    the document gave, where the English has he/she/him/his/her, is not either (the translator named
    the person where the English says "he"), unless it is a place spelled like its English name
    ("Лондоне").  An acronym beside a name is no word of it ("ДНК Симпсона"), and a capitalised
    target word that renders another source word does not stand for a missing name.
    Renderings also count as derivations ("Scotland" / "Scottish"), acronyms ("Arizona" / "AZ"),
    short forms ("Livingston" / "Livi") and English equivalents ("Wales" / "Welsh"), and in
    entities.yaml ``anchored_languages`` a capitalised target word with the name's consonants
    ("Джеррардом" / "Gerrard").  Document name lexicon (``lexicon_languages``: ar, hi, ja): a
    source form that two other pairs of the document render as an English name ("كافانو" /
    "Kavanaugh") is missing from a pair whose target lacks that name and has no he/she/his/her.
    Places by name: the source language's own names of places (CLDR territories and cities, the
    curated exonyms; inflected in languages that inflect them: "Китая", "Испании") and words the
    source dictionary translates as a place or nation only ("británicos" / British) are source
    names whatever their capitals say; they are rendered by their English words, derivations,
    acronyms, capitals and equivalents ("China" / "Chinese", "Estados Unidos" / "U.S.", "España" /
    "Madrid"), and reported only where the document's other pairs render them and the target has
    no "the country", "the region" standing for them (not in entities.yaml ``places_unnamed``), or,
    in a cased source, where no other pair holds the place, it is written as a name (capitalised,
    not opening the sentence, no ordinary word) and nothing in the target can stand for it: no
    acronym, no capitalised word the source lacks ("pasó un año en Irak" -> "spent a year abroad").
    In ``single_name_languages`` (confirmed_only ones) a name no other pair of the document holds is reported when
    every capitalised word of the target is found in the source (none can be the name's rendering).

    Example (ru->en): "Министр Валид аль-Муалем сообщил об этом." -> "The minister said so." ->
    "Валид аль-Муалем" is not rendered.
    """
    sentences = _analyse_document(pairs, ctx, "N201")
    if sentences is None:
        return
    replaced_on = not _silent(ctx, "N202")
    confirmed_only = base_lang(ctx.src_lang) in _confirmed_languages()
    m = model(ctx)
    for pair, s in zip(pairs, sentences):
        if s.replaced and replaced_on:
            continue  # N202 reports the pair
        # (confirmed_only: a name the document's other pairs render, or that no other pair holds where the
        # target has no word that may render it)
        if confirmed_only:
            explained = m.src in _single_name_languages() and any(n in s.single for n in s.unrendered_doc) and _target_explained(pair, m)
            found = [n for n in s.unrendered_doc if _confirmed_omission(n, s, pair, explained, m)]
        else:
            found = s.unrendered_doc
        for name in found:
            if name.place is not None and name not in s.confirmed and not (name in s.single and _named_place(name, pair, m)):
                continue  # a place found by name: only where the document's other pairs render it
            yield pair, Finding(name.start, name.end, f"source name '{name.text}' is not rendered in the translation", side="source", data={"entity": name.text})


_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _named_place(name: Name, pair: AlignedPair, m: EntityModel) -> bool:
    """A place of a cased source that only this pair of the document holds, written as a name (capitalised,
    not opening the sentence, no ordinary word of the source language: "Irak", not "Тогда" or "Bahía"),
    where the target has no word that may stand for it: no "the country", acronym ("D.C."), nor a capitalised
    word the source lacks ("the North-East club" for "dem Verein aus dem Nord-Osten Englands")."""
    if m.src in UNCASED_LANGS or not name.text[:1].isupper() or _opens_sentence(pair.source_text, name.start):
        return False
    if m.source_speller is not None and any(m.source_speller.known(w.lower()) for w in WORD.findall(name.text)):
        return False
    target = pair.target_text
    if _ACRONYM.search(target) or _ACRONYM_DOTTED.search(target) or not _target_explained(pair, m):
        return False
    # a capitalised ordinary word the source lacks may stand for the place too ("the North-East club")
    source = fold(pair.source_text)
    return all(fold(w) in source or m.english_proper(w) for w in _CAPITALISED.findall(target) if fold(w) not in NOT_NAMES and not _opens_sentence(target, target.find(w)))


def _confirmed_omission(name: Name, s: _Sentence, pair: AlignedPair, explained: bool, m: EntityModel) -> bool:
    """An unrendered name that the document confirms (its other pairs render it) or that no other pair
    holds where every capitalised word of the target is ``explained`` (:func:`_target_explained`, in
    ``single_name_languages``); neither where the target may stand for it."""
    return (name in s.confirmed or (explained and name in s.single)) and not _may_stand_for(name, pair, m)


def _target_explained(pair: AlignedPair, m: EntityModel) -> bool:
    """Whether every capitalised word of the target (not opening a sentence) is found in the pair's
    source: then no target word can be a rendering of an unrendered source name that the matching missed."""
    text = pair.target_text
    if PLACE_STAND_IN.search(text):
        return False  # "in the capital" for "в Лондоне"
    source_words = m.source_words(pair.source_text)
    for found in WORD.finditer(text):
        w = _APOSTROPHE.split(found.group(), maxsplit=1)[0]
        if len(w) < 3 or not w[:1].isupper() or w.isupper() or fold(w) in NOT_NAMES or _opens_sentence(text, found.start()):
            continue
        if fold(w) in _translated_names() or m._demonym(w):
            continue
        if not m.matches(Name(found.start(), found.start() + len(w), w, (fold(w),), "latin", (w,)), source_words, True):
            return False
    return True


_REQUIRES = ("wordfreq", "anyascii", "chunspell")


_FORMS_SHOWN = 3  # source-language names of an absent place named in N202's message


@rule("N202", "entity-replaced", category="accuracy/mistranslation", severity="major", scope="document", options=EntityOptions, requires=_REQUIRES, coverage=replaced_coverage)
def entity_replaced(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A name in the translation that the source does not have, where a source name is not rendered.

    Why: a name replaced by another ("Angelini" for "Saipov") is a serious mistranslation that
    reads fluently.  How: as N201 for the source's names; the target's names (capitalised words
    the English dictionary lists capitalised or not at all) are looked up in the source the same
    way, by surname ("Elisabeth Juventus" for "Elisabeth Ferrell" is a replacement), in the pair's
    source and then in the whole source document (a name a translator adds to a sentence is nearly
    always an entity of the document).  Evidence from both sides: a target name without a
    counterpart in the source document, while a source name of the pair is unrendered and unlike
    it in spelling ("Neal Baer" / "Neal Bear" is one name), is flagged with both names.  A target
    name the document leaves unexplained in two sentences is a rendering the matching misses, and so
    are a pair's new target names when they outnumber its unrendered source names (a replacement
    brings one name: "Освенцим" / "Czechoslovak Jew", "Auschwitz", "Nazi").
    In entities.yaml ``capitalised_languages`` (ru, uk, kk, el) the counterpart may also be a capitalised
    source word that is no source name (a local form, "Китай", "Пхеньяне"), unrendered and unlike the
    target's words; with a counterpart, the target name is looked up by sound exactly (short names too).
    Where the source language keeps foreign names as they are (entities.yaml ``absent_name_languages``:
    es, fr, it, nl, pt, cs, fi; and hi, ko, judged by sound alone), the target name alone is enough when English never writes it in lower case,
    it is rarer than ``absent_name_frequency`` and it is no country, language, nation or holiday (CLDR,
    ``translated_names``): "Ahora que China es más activa ..." -> "As Boston becomes more active ...";
    not where a word of the pair's source has its consonants, inflected or one class apart (a name the
    language adapts: Czech "v italské Neapoli" / Naples).
    In ``anchored_languages`` (Cyrillic, Greek and uncased scripts) a target name whose consonants
    the pair's source holds ("Marvin Cooke" / "马文·库克") or that another target of the document
    also has is no replacement; there the source names include the document lexicon's, so
    "وصوتت اللجنة على ترشيح كافانو" -> "The committee voted on the Rothenberg nomination" is a
    replacement where two other pairs render كافانو as "Kavanaugh".
    Places, every source language: a target place whose source-language names (CLDR, the curated
    exonyms and pipeline/data/names/lexicon.yaml ``places``) the whole source document lacks, also
    inflected, as an adjective or by its country (a capital: "Madrid" for "el gobierno español"), and
    that no other target of the document has: "Six people were arrested in Prague" for "... en
    Barcelona" (no "Praga" in the document), "布拉格" missing for Chinese; not a country after its city
    ("Naples, Italy"), a place in a compound ("Netherlands-based"), an event ("London 2012") or a
    continent (entities.yaml ``macro_regions``: translations drop and add them freely), nor in
    an uncased script a name a source word has the consonants of ("프라그" for CLDR's "프라하").
    Organisations of ordinary words (entities.yaml ``ordinary_name_languages``: es, pt): a name of two
    English words or more, none a place, nation, day or month, none of which a word of the pair's source
    translates (FreeDict) or spells, whose acronym the source lacks and that no other target of the document
    has: "El Servicio Nacional de Meteorología ..." -> "The Aviation Safety Network ...".
    Its languages are calibrated apart from N201's (entities.yaml ``rules``).

    Example (es->en): "Lo dijo Ariel Erlij." -> "Darren Drake said so." -> "Darren Drake": the
    source has "Ariel Erlij".
    """
    sentences = _analyse_document(pairs, ctx, "N202")
    if sentences is None:
        return
    m = model(ctx)
    if m.src in _ordinary_name_languages():
        for pair, names in zip(pairs, _untranslated_ordinary_names(pairs, sentences, m, ctx)):
            for name in names:
                yield pair, Finding(name.start, name.end, f"'{name.text}' is not in the source: none of its words is translated there", data={"entity": name.text})
    for pair, s in zip(pairs, sentences):
        for name, counterpart in s.replaced:
            if counterpart.text:
                message = f"'{name.text}' is not in the source, whose '{counterpart.text}' is not rendered"
                data: dict[str, Any] = {"entity": name.text, "source_entity": counterpart.text}
            elif (name.start, name.end) in s.absent_forms:
                # the place's own names in the source language: what a reviewer looks for ("Praga", "Прага")
                forms = s.absent_forms[(name.start, name.end)]
                shown = ", ".join(f"'{f}'" for f in forms[:_FORMS_SHOWN]) + (", ..." if len(forms) > _FORMS_SHOWN else "")
                message = f"'{name.text}' is not in the source document, which has none of its names ({shown})"
                data = {"entity": name.text, "source_forms": list(forms)}
            else:
                message = f"'{name.text}' is not in the source document"
                data = {"entity": name.text}
            yield pair, Finding(name.start, name.end, message, data=data)


# ---------------------------------------------------------------------------------------------------
# Places by name: the source language's own names of places (CLDR territories and cities, the curated
# exonyms of pipeline/names/lexicon.py) found in the source whatever its capitals say, with the
# English words that render them.  They find the names the capitalised-word search cannot: a place
# the source dictionary also knows in lower case (Spanish "China"), an inflected local form
# ("Китая", "Северной Кореей") and every place of an uncased script ("朝鲜", "الصين").

# English words of place names that say nothing of the place ("North Korea" is rendered by "Korean")
_GENERIC_PLACE_WORDS = frozenset("north south east west central united republic of the and islands island saint st new democratic people's sar kingdom states city".split())
_ACRONYM_DOTTED = re.compile(r"\b[A-Z](?:\.?[A-Z])+\b\.?")
# a place of an uncased script needs this many characters (one Chinese character is any word's)
_MIN_PLACE = {"zh": 2, "ja": 2, "ko": 2}
# a place of an uncased script whose name the language writes this many times as often as English writes
# the place's English name is also an ordinary word (wordfreq)
_PLACE_HOMOGRAPH = 4.0
# a source word the dictionary translates as a name is an ordinary word of its own when the source
# language writes it this many times as often as English writes the name (wordfreq)
DICTIONARY_NAME_SHARE = 5.0
# characters Chinese spells foreign names with (Xinhua's transcription table, the most frequent; not 西, 南,
# 海: also "west", "south", "sea" after a place: "中国西南部")
_TRANSLITERATION_HAN = frozenset(
    "阿埃艾安奥巴拜班邦鲍贝本比宾波伯博布查达戴丹道德迪蒂丁杜多恩法菲芬弗福盖戈格古哈汉赫亨霍基吉加贾杰卡凯坎科克库奎拉莱兰"
    "朗劳勒雷里利林琳隆卢鲁伦罗洛马迈麦曼梅门蒙米摩莫默穆纳奈尼涅纽努诺欧帕佩彭皮普奇齐恰乔切琼萨塞桑瑟森沙施斯松苏索塔泰坦"
    "汤特图托瓦威韦维温沃乌希锡夏谢辛休雅亚扬耶伊因尤约赞扎泽詹兹佐"
)
# clitics a place of these scripts carries in front ("والصين", "בסין": and China, in China)
_PLACE_PREFIXES = {"ar": ("و", "ب", "ل", "ف", "ك", "وب", "ول", "لل"), "he": ("ב", "ל", "ו", "מ", "וב", "ול", "ומ")}


@dataclass(frozen=True, slots=True)
class Place:
    form: str  # the source language's name (folded words joined by a space; uncased scripts: as written)
    renderings: tuple[str, ...]  # folded English words that render it: its distinctive words, acronyms


class PlaceNames:
    """The source language's place names and their English renderings, for one language pair."""

    def __init__(self, entries: Iterable[Any], src: str, tgt: str, freq: Frequencies) -> None:
        self.src = src
        self.uncased = src in UNCASED_LANGS
        by_form: dict[str, set[str]] = {}
        self.source_forms: dict[str, set[str]] = {}  # a place's English name (folded) -> its source-language names
        for entry in entries:
            if entry.kind != "place" or not entry.forms.get(tgt) or not entry.forms.get(src):
                continue
            renderings = set()
            for form in entry.forms[tgt]:
                words = [fold(w) for w in WORD.findall(form)]
                distinctive = [w for w in words if w not in _GENERIC_PLACE_WORDS and len(w) >= 3]
                renderings.update(distinctive or words)
                # "the North" for North Korea, "the South" for South Korea (capitalised in the target)
                renderings.update(w for w in words if w in ("north", "south"))
                if len(words) >= 2:
                    renderings.add("".join(w[0] for w in words if w not in ("of", "the", "and")))
            english = max((freq(tgt, w) for r in renderings for w in (r, *_equivalents().get(r, ()))), default=0.0)
            for form in entry.forms[tgt]:
                if form[:1].isupper():
                    self.source_forms.setdefault(fold(form), set()).update(entry.forms[src])
            for form in entry.forms[src]:
                if self.uncased and freq(src, form) > _PLACE_HOMOGRAPH * english:
                    continue  # an ordinary word of the language too (Korean 수단 "means" / Sudan, Hebrew בלם "braked" / Belém)
                key = form if self.uncased else " ".join(fold(w) for w in WORD.findall(form))
                if len(key) >= (_MIN_PLACE.get(src, 3) if self.uncased else 4):
                    by_form.setdefault(key, set()).update(renderings)
        self.places = {k: Place(k, tuple(sorted(v))) for k, v in by_form.items()}
        self.english = frozenset(r for p in self.places.values() for r in p.renderings)  # the places' English words
        self.by_start: dict[str, list[Place]] = {}
        for p in self.places.values():
            # (a cased form by its first word's start, as _find_cased looks it up: "el salvador" under "el")
            self.by_start.setdefault(p.form[:1] if self.uncased else p.form.split(" ")[0][:3], []).append(p)

    def absent(self, english: str, source: SourceText) -> tuple[str, ...]:
        """The source-language names of an English place name (folded) when the source (a
        :class:`SourceText`) holds none of them, nor the English name, nor the name of a country it
        may stand for (entities.yaml ``equivalents``: "Madrid" for Spain); () when it holds one or the
        place is not known.  Cased scripts: a name is held when a source word starts with the first
        letters of one of its words (three fifths of them and not the last three, at least three: "Praze"
        for "Praha", "argentinische" for "Argentinien", "Δανό" for "Δανία", "portoghese" for "Portogallo",
        "Monaco" for "Monaco di Baviera").  Uncased scripts: as
        written (Arabic and Hebrew without their vowel letters and alef, Hindi without virama and nukta:
        "أوزباكستان" holds "أوزبكستان")."""
        forms = set(self.source_forms.get(english, ()))
        if not forms or english in source.folded or any(e in source.folded for e in _equivalents().get(english, ())):
            return ()
        for country in _reverse_equivalents().get(english, ()):
            forms.update(self.source_forms.get(country, ()))
        for form in forms:
            if self.uncased:
                if _unvowelled(form, self.src) in source.letters:
                    return ()
            elif any(source.has_start(w[: max(3, min(len(w) - 3, -(-len(w) * 3 // 5)))]) for w in WORD.findall(fold(form).lower())):
                return ()
        return tuple(sorted(self.source_forms[english]))

    def find(self, text: str) -> list[tuple[int, int, Place]]:
        """The places of a source text: (start, end, place), the longest at each position."""
        return self._find_uncased(text) if self.uncased else self._find_cased(text)

    def _find_cased(self, text: str) -> list[tuple[int, int, Place]]:
        words = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
        out: list[tuple[int, int, Place]] = []
        taken = -1
        for i, (start, _, w) in enumerate(words):
            if start < taken or not text[start].isupper():
                continue
            best = None
            for place in self.by_start.get(w[:3], ()):
                parts = place.form.split(" ")
                matched = i + len(parts) <= len(words) and all(_inflected_as(words[i + k][2], p, self.src) for k, p in enumerate(parts))
                if matched and (best is None or len(parts) > len(best[1].form.split(" "))):
                    best = (words[i + len(parts) - 1][1], place)
            if best is not None:
                out.append((start, best[0], best[1]))
                taken = best[0]
        return out

    def _find_uncased(self, text: str) -> list[tuple[int, int, Place]]:
        out: list[tuple[int, int, Place]] = []
        prefixes = _PLACE_PREFIXES.get(self.src)
        i = 0
        while i < len(text):
            best = None
            for place in self.by_start.get(text[i], ()):
                if text.startswith(place.form, i) and (best is None or len(place.form) > len(best.form)):
                    best = place
            if best is not None and self._bounded(text, i, i + len(best.form), prefixes):
                out.append((i, i + len(best.form), best))
                i += len(best.form)
            else:
                i += 1
        return out

    def _bounded(self, text: str, start: int, end: int, prefixes: tuple[str, ...] | None) -> bool:
        """Whether a match is a word of its own: Korean, Arabic, Hebrew and Hindi write spaces (a
        particle may follow in Korean, a clitic precede in Arabic and Hebrew); Chinese and Japanese do not."""
        if self.src == "zh":
            # not inside a transliterated foreign name ("马里" in "马里奥" Mario, "西亚" in "加西亚" Garcia)
            return not (start > 0 and text[start - 1] in _TRANSLITERATION_HAN) and not (end < len(text) and text[end] in _TRANSLITERATION_HAN)
        if self.src == "ja":
            return True
        word_start = start
        while word_start > 0 and _in_word(text[word_start - 1]):
            word_start -= 1
        if text[word_start:start] not in ("", *(prefixes or ())):
            return False
        if self.src == "ko":
            return True  # a particle follows ("미국은", "미국의")
        return end == len(text) or not _in_word(text[end])


_GERESH = re.compile("[\u05f3\u05f4'’‘\"]")
_VOWEL_LETTERS = {"ar": str.maketrans("", "", "اويىأإآ"), "he": str.maketrans("", "", "ויא"), "hi": str.maketrans("", "", "\u094d\u093c")}


def _unvowelled(text: str, lang: str) -> str:
    """Arabic and Hebrew without their vowel letters (Hebrew's double vav read as v, like bet), Hindi
    without virama and nukta: the letters two spellings of one name share ("أوزباكستان" / "أوزبكستان",
    "उज़बेकिस्तान" / "उज़्बेकिस्तान", "דנוור" / "דנבר")."""
    if lang == "he":
        text = _GERESH.sub("", text.replace("וו", "ב"))  # "ג‘קרטה" / "ג׳קרטה"
    table = _VOWEL_LETTERS.get(lang)
    return text.translate(table) if table else text


class SourceText:
    """A source document as :meth:`PlaceNames.absent` searches it: folded and in lower case, its words'
    starts, and in uncased scripts its letters as written (without the letters :func:`_unvowelled` drops)."""

    def __init__(self, texts: Iterable[str], lang: str) -> None:
        joined = " ".join(texts)
        self.folded = fold(joined).lower()
        words = [part for w in WORD.findall(self.folded) for part in _APOSTROPHE.split(w) if part]  # "l'asie": "asie" too
        self.starts = {w[:k] for w in words for k in range(3, min(len(w), _START) + 1)} | {w for w in words if len(w) < 3}
        self.letters = _unvowelled(joined, lang) if lang in UNCASED_LANGS else ""

    def has_start(self, stem: str) -> bool:
        """Whether a word of the text starts with ``stem`` (compared on its first letters)."""
        return stem[:_START] in self.starts


_START = 8  # letters of a word's start that SourceText keeps


def _in_word(c: str) -> bool:
    """A letter or a combining mark (Devanagari vowel signs are marks, not letters)."""
    return unicodedata.category(c)[0] in "LM"


def _place_rendered(place: Place, target_words: Sequence[str]) -> bool:
    """Whether a target (its :func:`_target_words`) renders a place: one of its English words, also
    derived or inflected ("Korean", "Chinese"), an acronym ("U.S.", "UK") or an English equivalent
    (entities.yaml ``equivalents``: "Britain" / "British")."""
    words = {t[1:] for t in target_words if t[:1] in ("\x00", "\x01")}
    acronyms = [t[1:] for t in target_words if t[:1] == "\x00"]
    equivalents = _equivalents()
    for r in place.renderings:
        if len(r) <= 3 and any(a.startswith(r) for a in acronyms):
            return True  # "NYC" for New York
        if r in words or any(_same_word(r, w, loose=False) for w in words if w[:2] == r[:2]):
            return True
        if any(e in words for e in equivalents.get(r, ())):
            return True
    return False


# languages that inflect place names (Russian "Китая", Polish "Chin", Greek "Ισπανίας"); the others
# add at most a genitive s (German "Chinas")
_INFLECTING = frozenset("ru uk kk be pl cs sk sl hr sr bg fi et hu tr el lv lt".split())
_ENDING_LETTERS = frozenset("aeiouyаеёиоуыэюяйьіїєαεηιουωάέήίόύώ")


def _inflected_as(word: str, form: str, lang: str) -> bool:
    """Whether a folded source word is the place name's word, perhaps inflected: the form's last
    letter (a vowel, й or ь) may change and a short ending follow ("kitaia" / "kitai", "korei" / "koreia")."""
    if word == form or word in (form + "s", form + "'s", form + "’s"):
        return True
    if lang not in _INFLECTING or len(form) < 4:
        return False
    common = len(commonprefix([word, form]))  # noqa: RUF071 - words, not paths: the common letters
    if not (common == len(form) or (common == len(form) - 1 and form[-1] in _ENDING_LETTERS)):
        return False
    # a short ending, or in an agglutinating language one or two of its name endings ("қытайдағы": "in China")
    return len(word) - common <= 3 or _agglutinated(word[common:], lang)


@lru_cache(maxsize=10_000)
def _agglutinated(rest: str, lang: str) -> bool:
    """Whether (folded) letters are one or two of the language's name endings (entities.yaml ``name_endings``)."""
    endings = {fold(e) for e in _name_endings().get(lang, ())}
    return rest in endings or any(rest[: k] in endings and rest[k:] in endings for k in range(1, len(rest)))
