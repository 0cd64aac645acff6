"""English names looked up by sound in a source text of any script (N202's target-anchored test).

A name of the English target is "present" in a source document when the consonants of one of its
words, merged into the classes that transliterations confuse, occur in the source:

* cased scripts (Latin, Cyrillic, Greek) and spaced uncased ones (Arabic, Hebrew, Devanagari,
  Hangul): any word, romanized by anyascii, and its prefix-stripped forms (Arabic al-, wa-, bi-;
  Hebrew one-letter prefixes), allowing an inflectional ending ("Трампа", "트럼프는");
* Chinese and Japanese (no spaces): every run of one to six characters ("特朗普" TeLangPu, "トランプ").

The classes (``_CLASSES``): p/b/f/v, k/g/q (and a hard c), every sibilant and affricate (s, z, sh,
ch, j, zh, ts; pinyin x, q, c), t/d/th, l/r, m/n/ng; vowels, h, w and y are dropped ("Trump" is
t-r-n-b, and so are "trmb" (ترامب), "TeLangPu" and "teureompeu" (트럼프)).  A replacement planted
from another document is a name whose consonants the document does not hold; a name translated
by meaning (White House / Белый дом) or left out is what this cannot see, so callers keep it to
rare names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from operator import methodcaller

from .origin import fold

_CLASSES = str.maketrans({
    "p": "b", "b": "b", "f": "b", "v": "b",
    "k": "k", "g": "k", "q": "k", "c": "k",
    "s": "s", "z": "s", "j": "s", "S": "s",
    "t": "t", "d": "t",
    "l": "r", "r": "r",
    "m": "n", "n": "n",
})
_NOT_CONSONANT = re.compile(r"[^bkstrn]")
_REPEAT = re.compile(r"(.)\1+")
# a function, not the template r"\1": Python 3.11 parses a replacement template on every call
first_group = methodcaller("group", 1)
_HANGUL = re.compile(r"[\uAC00-\uD7A3]+")
_KATAKANA = re.compile(r"[\u30A1-\u30FA\u30FC]+")
_HAN_OR_KANA = re.compile(r"[\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF]+")
# a letter and what follows it up to a space, digit or punctuation: the combining vowel signs of
# Devanagari (and Arabic and Hebrew points) are no word characters to ``\w``
_WORD = re.compile(r"[^\W\d_][^\s\d.,;:!?\"'()\[\]«»“”„‘’—–…،؛؟।/-]*")
_ARABIC_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|و|ب|ل|ف|ك)(?=\w{3})")
_HEBREW_PREFIX = re.compile(r"^(?:[הובלמשכ]{1,2})(?=\w{3})")
# the patterns of the key functions, compiled once (they run for every span of every source text)
_NOT_LETTER = re.compile(r"[^a-zS]")
_NG = re.compile(r"ng(?![aeiouy])")
_SOFT_G = re.compile(r"g(?=[eiy])")
_PINYIN_SIBILANT = re.compile(r"zh|[qx]")
_CODA_R = re.compile(r"(?<=[aeiouy])[rl](?![aeiouy])")
_T_BY_S = re.compile(r"(?<=s)t|t(?=s)")
_SILENT_GH = re.compile(r"(?<=.)gh")
_CH_AS_K = re.compile(r"^ch(?=[rl])")
_MAC = re.compile(r"^(?:mc|mac(?=[^aeiouy]))")  # "Mc" before any letter ("McIlroy": no soft c)
_SOFT_C = re.compile(r"c(?=[eiy])")
_ZH_SIBILANT = re.compile(r"zh|ch|sh|[xqcjz]")
_SINGLE_V = re.compile(r"(?<!v)v(?!v)")
UNSPACED = frozenset({"zh", "ja"})
# the character runs a name may be: Japanese writes foreign names in katakana (anyascii reads kanji
# as Mandarin, which matches English names by chance)
CODA_R_DROPPED = frozenset({"zh", "ja", "ko"})
W_AS_V = frozenset({"hi"})
_RUNS = {"zh": _HAN_OR_KANA, "ja": _KATAKANA, "ko": _HANGUL}
MAX_SPAN = 6  # characters of a Chinese or Japanese name (特朗普, 蓬佩奥, "ダイアン")


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", text)


@lru_cache(maxsize=200_000)
def english_keys(word: str, lang: str = "") -> tuple[str, ...]:
    """The consonant classes of an English name word ("Kavanaugh" k-b-n, "Chozick" s-s-k); a g
    before e, i or y both ways ("Gerrard" s-r-t, "Gibson" k-b-s-n); for Chinese, Japanese and
    Korean also without an r or l that closes a syllable ("Marvin" 马文 MaWen, "Derby" 德比)."""
    w = fold(word).replace("'", "")
    w = _NG.sub("n", w)  # "Livingston" / 利文斯顿 LiWenSiDun
    forms = [w]
    if _SOFT_G.search(w):
        forms.append(_SOFT_G.sub("j", w))
    if lang == "ar":  # ج for g ("جيبسون" Gibson)
        forms += [f.replace("g", "j") for f in forms if "g" in f]
    if "th" in w:  # th as s ("Rutherford" 卢瑟福 LuSeFu, "Rothenberg" 罗森伯格)
        forms += [f.replace("th", "s") for f in forms]
    if lang in ("zh", "ko"):  # an English name written in pinyin ("Qinghai", "Xining"; Korean "시닝" reads it so)
        forms += [_PINYIN_SIBILANT.sub("S", f) for f in forms if _PINYIN_SIBILANT.search(f)]
    if lang in CODA_R_DROPPED:
        forms += [_CODA_R.sub("", f) for f in forms]
    if lang in W_AS_V:  # Devanagari writes w with व, a v ("वाटसन" Watson, "वुडवर्ड" Woodward)
        forms += [f.replace("w", "v") for f in forms if "w" in f]
    keys = [_english_key(f) for f in forms]
    return tuple(dict.fromkeys(keys + [_without_stops(k) for k in keys]))


@lru_cache(maxsize=200_000)
def _span_keys(span: str, lang: str) -> tuple[str, ...]:
    """A span's keys, also without the stops next to a sibilant (see :func:`_without_stops`)."""
    return tuple({k for key in _keys_of(span, lang) if key for k in (key, _without_stops(key))})


def _without_stops(key: str) -> str:
    """A key without the t next to a sibilant: scripts that write "tts" and "st" as one affricate
    ("Massachusetts" n-s-t-s, 메사추세츠 mesachusecheu n-s)."""
    return _REPEAT.sub(first_group, _T_BY_S.sub("", key))


def english_key(word: str) -> str:
    """The first of :func:`english_keys`."""
    return english_keys(word)[0]


def _english_key(w: str) -> str:
    w = _SILENT_GH.sub("", w)  # silent ("Kavanaugh", "Hugh")
    w = _CH_AS_K.sub("k", w)  # "Chris", "Chloe"
    w = _MAC.sub("mak", w)  # "McIlroy" 麦克罗伊
    for a, b in (("tch", "S"), ("sch", "S"), ("ph", "f"), ("ck", "k"), ("ch", "S"), ("sh", "S"), ("th", "t"), ("qu", "k"), ("x", "ks"), ("dg", "S")):
        w = w.replace(a, b)
    w = _SOFT_C.sub("s", w)
    return _key(w)


# one table for _letters, _CLASSES and _NOT_CONSONANT together: an ASCII character becomes its class
# or nothing (a sequence table leaves characters past its end as they are: those take the long way)
_ASCII_KEY = tuple(_CLASSES.get(i) if chr(i) in "abcdefghijklmnopqrstuvwxyzS" else None for i in range(128))


def _key(latin: str) -> str:
    if latin.isascii():
        return _REPEAT.sub(first_group, latin.translate(_ASCII_KEY))
    return _REPEAT.sub(first_group, _NOT_CONSONANT.sub("", _letters(latin).translate(_CLASSES)))


@lru_cache(maxsize=200_000)
def source_key(romanized: str, lang: str) -> str:
    """The consonant classes of a romanized (anyascii) source word, read the way ``lang`` writes
    foreign names (pinyin x/q/c and zh/ch/sh are sibilants, "ng" is n; Greek "nt", "mp", "gk" are
    d, b, g; Devanagari c is ch)."""
    w = _NG.sub("n", romanized.lower())  # as english_keys ("Ливингстон" / "Livingston")
    if lang == "zh":
        w = w.replace("ng", "n")
        w = _ZH_SIBILANT.sub("S", w)
    elif lang == "el":
        w = w.replace("mp", "b").replace("nt", "d").replace("gk", "g").replace("gg", "g")
    elif lang == "hi":
        w = w.replace("c", "S")
    w = w.replace("kh", "h")  # х, خ: the h of English names ("Khan" is also read without it)
    for a, b in (("shch", "S"), ("tsh", "S"), ("ts", "S"), ("tz", "S"), ("dz", "S"), ("zh", "S"), ("ch", "S"), ("sh", "S"), ("th", "t"), ("ph", "f"), ("x", "ks")):
        w = w.replace(a, b)
    w = _SOFT_C.sub("s", w)
    return _key(w)


@lru_cache(maxsize=200_000)
def _romanized(text: str) -> str:
    # anyascii reads each character alone: one call per distinct character, not per span (a Chinese
    # run's spans share their characters; the same strings as anyascii(text) on every NTREX source)
    return "".join(map(_romanized_character, text))


@lru_cache(maxsize=50_000)
def _romanized_character(character: str) -> str:
    from anyascii import anyascii  # deferred: only the entity rules need it

    return anyascii(character)


def _word_forms(word: str, lang: str) -> list[str]:
    forms = [word]
    if lang == "ar":
        forms.append(_ARABIC_PREFIX.sub("", word))
    elif lang == "he":
        forms += [word[1:], word[2:]] if _HEBREW_PREFIX.match(word) else []
    return forms


@lru_cache(maxsize=20_000)
def text_spans(text: str, lang: str) -> dict[str, frozenset[str]]:
    """The consonant keys of a source text's words (and of their first letters: "Трампа", "트럼프는";
    every run of up to six characters in Chinese and Japanese), each with the spans that have it."""
    found: dict[str, set[str]] = {}

    def add(span: str) -> None:
        for k in _span_keys(span, lang):
            found.setdefault(k, set()).add(span)

    if lang in UNSPACED or lang == "ko":
        for m in _RUNS[lang].finditer(text):
            run = m.group()
            # a Korean name opens its word (particles follow it: "트럼프는")
            for i in range(len(run)) if lang != "ko" else (0,):
                for j in range(i + 1, min(len(run), i + MAX_SPAN) + 1):
                    add(run[i:j])
    words = _WORD.findall(text)
    if lang in UNSPACED:  # a "word" there is a whole clause: only its Latin words
        words = [w for w in words if w.isascii()]
    for w in words:
        for form in _word_forms(w, lang):
            if form:
                add(form)
                if form[:1].isupper() and len(form) >= 5:  # cased scripts only
                    add(form[:-1])  # an inflected name's stem ("Трампа", "Лондоне")
                    add(form[:-2])
    # two neighbouring words as one name ("Ри Ён Хо" for "Ri Yong-ho" is one English word in places)
    for a, b in pairwise(words):
        add(a + b)
    return {k: frozenset(v) for k, v in found.items()}


@lru_cache(maxsize=100_000)
def word_keys(word: str, lang: str) -> frozenset[str]:
    """The consonant keys of one whole source word (a name's word: no shorter run of it)."""
    keys = {k for form in _word_forms(word, lang) if form for key in _keys_of(form, lang) for k in (key, _without_stops(key))}
    keys.discard("")
    return frozenset(keys)


def text_keys(text: str, lang: str) -> frozenset[str]:
    """The consonant keys of a source text's words (or character runs, in Chinese and Japanese)."""
    return frozenset(text_spans(text, lang))


@lru_cache(maxsize=200_000)
def _keys_of(word: str, lang: str) -> tuple[str, ...]:
    latin = _romanized(word)
    if lang == "zh":
        # 瓦 wa and 文 wen are also va and ven ("Kavanaugh" 卡瓦诺, "Devon" 德文); 加 jia is also ga
        # ("Alaska" 阿拉斯加): anyascii capitalises each syllable
        return tuple(dict.fromkeys((source_key(latin, lang), source_key(latin.replace("W", "v"), lang), source_key(latin.replace("J", "g"), lang))))
    if lang != "he":
        return (source_key(latin, lang),)
    # Hebrew: ו is v, o or u (וו is v); ג׳ ז׳ צ׳ are j, zh, ch ("קוואנו" Kavanaugh, "ג׳ונס" Jones)
    latin = latin.lower().replace("g'", "j").replace("z'", "zh").replace("ts'", "ch").replace("'", "")
    return (source_key(latin, lang), source_key(_SINGLE_V.sub("", latin).replace("vv", "v"), lang))


class DocumentSounds:
    """The consonant keys of one source document, indexed for exact, inflected (the source adds up
    to two classes at the end) and one-edit lookups."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.exact: set[str] = set()
        self.prefixes: set[str] = set()
        self.deletions: set[str] = set()
        for k in keys:
            self.exact.add(k)
            for cut in (1, 2):
                if len(k) - cut >= 3:
                    self.prefixes.add(k[:-cut])
            if len(k) >= 4:
                self.deletions.update(k[:i] + k[i + 1 :] for i in range(len(k)))

    def holds(self, key: str, min_len: int = 3) -> bool:
        """Whether the document holds an English word of consonant key ``key`` (a key shorter
        than ``min_len`` is held: two consonants say too little)."""
        if len(key) < min_len or key in self.exact or key in self.prefixes:
            return True
        if len(key) < 4:
            return False
        # one class more or less on either side ("Livingston" r-b-n-k-s-t-n / 利文斯顿 r-b-n-s-t-n)
        return key in self.deletions or any(key[:i] + key[i + 1 :] in self.exact for i in range(len(key)))
