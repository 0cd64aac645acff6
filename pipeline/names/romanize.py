"""English-like readings of names written in Cyrillic, Greek and katakana, for matching a source
name with its English spelling by consonant skeleton (pipeline/checks/entities.py).

anyascii gives one letter-by-letter romanization; English names come back in these scripts by
sound, so letter by letter misses them: Greek "ου" is u or w ("Γουόρελ" Worrall, anyascii
"Goyorel"), "γι" is y ("Γιουνάν" Yunnan), "τζ" j; Russian writes English w as "у" before a vowel
("Уэйн" Wayne, "Уилинге" Wheeling) and, in older names, h as "г" ("Гарлем" Harlem); katakana
writes w as "ウ" before a small vowel ("ウィル" Will) and a consonant with a small vowel as one
syllable ("シャキリ" Shaqiri, "ディディ" Diddy).  The readings below are only extra candidates: the
matching keeps anyascii's and the national schemes' forms too.
"""

from __future__ import annotations

import re
from functools import lru_cache

_GREEK = (
    ("γκ", "g"), ("γγ", "ng"), ("ντ", "d"), ("μπ", "b"), ("τζ", "j"), ("τσ", "ts"),
    ("αι", "e"), ("ει", "i"), ("οι", "i"), ("ευ", "ev"), ("αυ", "av"), ("χ", "h"),
)
_GREEK_W = re.compile(r"(?:^γ?|(?<=[^αεηιουω])γ)ου(?=[αεηιοωάέήίόώ])")  # "Γουίλινγκ", "Ουόρελ": w
_GREEK_Y = re.compile(r"(?:^|(?<=[^αεηιουω]))γι(?=[αεοου])|^ι(?=[αεοου])")  # "Γιουνάν": y
_GREEK_ACCENTS = str.maketrans("άέήίόύώϊϋΐΰ", "αεηιουωιυιυ")

_CYRILLIC_W = re.compile(r"(?:^|(?<=[аеёиоуыэюяьъ]))у(?=[эеиаоё])")  # "Уэйн", "Мерриуэзер": w

_KANA_SMALL = re.compile(r"([a-z]*?)[aeiou]\+([aeiou])")  # a kana's vowel replaced by the small vowel that follows it


@lru_cache(maxsize=100_000)
def readings(word: str, lang: str) -> tuple[str, ...]:
    """Extra romanizations of a name ``word`` of language ``lang`` (lower-case ASCII; may be empty)."""
    from anyascii import anyascii  # deferred: only the entity rules need it

    low = word.lower()
    out: list[str] = []
    if re.match(r"[\u0370-\u03FF\u1F00-\u1FFF]", low):
        low = low.replace("ού", "ου")
        low = _GREEK_Y.sub("y", _GREEK_W.sub("w", low))
        for a, b in _GREEK:  # before the accents go: "όι" is two vowels ("Τζόι" Joey), "οι" one
            low = low.replace(a, b)
        out.append(anyascii(low.translate(_GREEK_ACCENTS).replace("ου", "u")))
    elif re.match(r"[\u0400-\u04FF]", low):
        w = _CYRILLIC_W.sub("w", low)
        out.append(anyascii(w))
        if lang in ("ru", "kk", "be") and "г" in w:
            out.append(anyascii(w.replace("г", "h")))  # "Гарлем" Harlem, "Генри" Henry
    elif re.match(r"[\u30A1-\u30FA\u30FC]", low):
        out.append(_katakana(low))
    return tuple(dict.fromkeys(re.sub(r"[^a-z]", "", x.lower()) for x in out if x))


_SMALL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"}


def _katakana(word: str) -> str:
    """Katakana read as English spells a foreign name: a small vowel replaces the vowel of the kana
    before it ("シャ" sha, "ディ" di, "フェ" fe), "ウィ"/"ウェ"/"ウォ" are wi/we/wo, the long mark and
    the doubling sign are dropped."""
    from anyascii import anyascii  # deferred: only the entity rules need it

    out = ""
    for ch in word:
        if ch in _SMALL and out:
            small = _SMALL[ch]
            if out.endswith("u") and (len(out) == 1 or out[-2] not in "bcdfghjklmnpqrstvwxyz"):
                out = out[:-1] + "w" + small  # ウィ wi
            elif small.startswith("y") and out.endswith("i") and out[-2:-1] in ("h", "j"):
                out = out[:-1] + small[1:]  # シャ sha, ジュ ju
            elif small.startswith("y"):
                out = out[:-1] + small  # キャ kya
            elif out[-1] in "aeiou":
                # テ+ィ ti, フ+ァ fa
                out = out[:-1] + small
            else:
                out += small
        elif ch in "ーッ・":
            continue
        else:
            out += anyascii(ch).lower()
    return out
