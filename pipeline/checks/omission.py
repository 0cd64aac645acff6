"""Omissions (A7): content of the source without a rendering in the target, judged clause by clause.

A dropped clause leaves a fluent target that is close to its source, so no single surface sign gives
it away; two weak signals together do:

- length: the target is shorter than translations of the language pair usually are, by about what
  the clause weighs in the source (the pair's log length ratio and its spread by source length,
  calibrated on NTREX-128; for Chinese, Japanese and Korean the source characters are weighted by
  class, a Han character more than a Latin letter, which tightens the ratio by a sixth to a quarter);
- anchors: the clause's numbers, its words written the same in English (names, Latin words in a
  Chinese source), its names (a capitalised word the dictionary does not translate, inflected or
  not, "Jones'un"; in a Cyrillic or Greek source romanized and compared by consonants, "Кавано"
  Kavanaugh), its countries and regions in any script (CLDR's names through babel, inflected:
  "Číně", "中国", "Қытайдың", rendered by the English name, its short form or demonym: "China",
  "Chinese") and its dictionary words (FreeDict X->English, both directions, CC-CEDICT for
  Chinese, and WordNet base forms) find no rendering in the target, while faithful translations of
  the pair render a calibrated share of each kind;
- clause marks: a dropped clause takes its comma with it, so the target has one clause mark fewer
  than a faithful translation would (the pair's calibrated distribution of "source marks less target
  marks": a pair whose marks agree speaks against an omission, one whose target lost a mark for it).

Each candidate clause of the source (cut at commas, semicolons and colons, their full-width,
ideographic and Arabic forms, at the end of a sentence inside the line, and at the connective
endings of languages that join clauses without a comma, pipeline/data/omission_clauses.yaml; a
source of one clause is cut in thirds; single clauses and two neighbouring ones) gets a
log-likelihood ratio "this clause is missing" against "the translation is complete"; the best
clause is reported when its ratio passes the calibrated threshold (the pair's own, where the
calibration gives one).  Languages without a dictionary
(Korean, Hebrew, Kazakh, Ukrainian, Vietnamese) rest on length, numbers, place names and identical
tokens.  Calibration per language pair (eval/omission_calibrate.py -> pipeline/data/omission.yaml);
an uncalibrated pair is not checked (a note says so).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from ..errors import ResourceMissing
from ..model import AlignedPair
from .bilingual import UNSPACED, Lexicon, WordNet, fold, has_wordnet, load_wordnet
from .cedict import has_source_dictionary, load_source_dictionary
from .dictionaries import word_zipf
from .entities import romanizations, skeleton
from .length import is_heading
from .registry import CheckContext, Finding, rule
from .textspans import base_lang, load_data

CALIBRATION_FILE = "omission.yaml"
CLAUSES_FILE = "omission_clauses.yaml"
PLACES_FILE = "omission_places.yaml"
# The kinds of anchors, each with its own calibrated rendering rate: numbers, words written as in the target,
# names known only by their inflected or romanized form (rendered less often: "Półwyspu", the peninsula, is
# no name; NTREX calib de-en 0.41 of such anchors rendered against 0.89 of words written alike), dictionary words.
KINDS = ("num", "same", "name", "dict")
MIN_SOURCE_CHARS = 20  # shorter sources vary too much in length to judge
MAX_SHARE = 0.8  # a "clause" of more than this share of the source is the sentence itself
MAX_SENSES = 12  # a source word with more dictionary translations is too ambiguous to count
MAX_ZIPF = 6.0  # source words more frequent than this ("der", "la") are not anchors

_CLAUSE_MARK = re.compile(  # clause punctuation, and the end of a sentence inside the text (a line of two sentences)
    r"[,;:，；：、،؛]\s*|(?<=[^\W\d_])[.!?](?:[\"'”’»]*\s+|[\"'”’»]+(?=\w))|[。！？।؟][\"'”’」』]*\s*"
)
_WORD = re.compile(r"[\w\u0300-\u036F\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u0900-\u0DFF]+")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_EN_WORD = re.compile(r"[A-Za-z]+")
_LATIN_RUN = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?:['-][A-Za-z]+)*")
_NON_DIGIT = re.compile(r"\D")
_OPENERS = frozenset(".!?:;\"'“”«»„‚‘’()[]-–—")  # after these a capital letter starts a sentence or a quote
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_JOINED = re.compile(r"['-]")  # inside a Latin run of a non-Latin source ("Kai-Fu", "Sainsbury's")
_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z]{2,}\b")


# ------------------------------------------------------------------------------------ calibration


# The classes of characters whose English weight differs: a Chinese character renders as about three
# English letters, a Latin name or a digit as one.  Each pair's weights are calibrated (they make the
# length ratio of faithful Chinese, Japanese and Korean translations a quarter to a third tighter).
CHAR_CLASSES: dict[str, re.Pattern[str]] = {
    "latin": re.compile(r"[A-Za-z0-9]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    "hangul": re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"),
    "space": re.compile(r"\s"),
    "punct": re.compile(r"[!-/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u060c\u061b\u061f\u066a-\u066d]"),
}
OTHER = "other"  # every other character: the letters and marks of the source's own script


def char_counts(text: str) -> dict[str, int]:
    """How many characters of each class (:data:`CHAR_CLASSES` and :data:`OTHER`) ``text`` has."""
    counts = {name: len(pattern.findall(text)) for name, pattern in CHAR_CLASSES.items()}
    counts[OTHER] = len(text) - sum(counts.values())
    return counts


@dataclass(frozen=True)
class PairModel:
    """What A701 knows of a language pair: its length ratio and how often each anchor kind is rendered."""

    mean: float  # median log(target chars / weighted source length) of faithful translations
    buckets: tuple[tuple[int, float], ...]  # (largest source length in characters, robust spread)
    rendered: dict[str, float]  # kind -> share of such anchors rendered in faithful translations
    weights: dict[str, float] | None = None  # character class -> English characters per source character
    marks: dict[int, float] | None = None  # d -> share of faithful pairs whose source has d clause marks more than the target

    def spread(self, source_chars: int) -> float:
        return next((sd for limit, sd in self.buckets if source_chars <= limit), self.buckets[-1][1])

    def units(self, text: str) -> float:
        """``text``'s length in the pair's units: characters weighted by class (plain characters without weights)."""
        if self.weights is None:
            return float(len(text))
        # the characters of the classes weighted apart, the others at the weight of OTHER
        rest = self.weights.get(OTHER, 1.0)
        return rest * len(text) + sum((w - rest) * len(CHAR_CLASSES[name].findall(text)) for name, w in self.weights.items() if name != OTHER)


@lru_cache(maxsize=1)
def _calibration() -> dict[str, Any]:
    table: dict[str, Any] = load_data(CALIBRATION_FILE)
    return table


def _model(table: dict[str, Any], src: str, tgt: str) -> PairModel | None:
    entry = table["pairs"].get(f"{base_lang(src)}-{base_lang(tgt)}")
    if entry is None:
        return None
    return model_of(entry)


def _threshold(table: dict[str, Any], src: str, tgt: str) -> float:
    """The pair's own threshold (eval/omission_calibrate.py --per-language), else the shared one."""
    entry = table["pairs"].get(f"{base_lang(src)}-{base_lang(tgt)}") or {}
    return float(entry.get("threshold", table["threshold"]))


def model_of(entry: dict[str, Any]) -> PairModel:
    """A pair's entry of pipeline/data/omission.yaml as a model."""
    length = entry["length"]
    buckets = tuple((int(b["max_source_chars"]), float(b["sd"])) for b in length["buckets"])
    weights = {str(k): float(v) for k, v in length["weights"].items()} if "weights" in length else None
    marks = {int(k): float(v) for k, v in entry["marks"].items()} if "marks" in entry else None
    return PairModel(float(length["mean"]), buckets, {k: float(v) for k, v in entry["rendered"].items()}, weights, marks)


def omission_coverage(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """A701 needs the pair's calibration (pipeline/data/omission.yaml)."""
    key = f"{base_lang(src)}-{base_lang(tgt)}"
    try:
        pairs = _calibration()["pairs"]
    except FileNotFoundError:
        return f"pipeline/data/{CALIBRATION_FILE} is missing (eval/omission_calibrate.py)"
    return None if key in pairs else f"no omission calibration for {key} (eval/omission_calibrate.py)"


@lru_cache(maxsize=64)
def connectives(lang: str) -> re.Pattern[str] | None:
    """The connective endings after which ``lang`` starts a new clause without a comma (Korean "-지만 "),
    and the words that open one (Arabic "الذي", who)."""
    spec = load_data(CLAUSES_FILE).get(base_lang(lang)) or {}
    endings = [str(e) for e in spec.get("endings", [])]
    starts = [str(e) for e in spec.get("starts", [])]
    if not endings and not starts:
        return None
    letters = str(spec.get("letters", r"\w"))
    parts = []
    if endings:
        parts.append(rf"(?<={letters})(?:{'|'.join(re.escape(e) for e in sorted(endings, key=len, reverse=True))})\s+")
    if starts:  # a word that opens a clause (Arabic "الذي", who; Chinese "但是", but): the cut before it
        opening = "|".join(re.escape(e) for e in sorted(starts, key=len, reverse=True))
        parts.append(rf"(?<=[^\W\d_])(?=(?:{opening}))" if base_lang(lang) in UNSPACED else rf"\s+(?=(?:{opening})(?!\w))")
    return re.compile("|".join(parts))


# ------------------------------------------------------------------------------------ the evidence


class Anchor(NamedTuple):
    """A source token that a faithful translation usually renders, and whether this target does."""

    start: int
    end: int
    kind: str  # one of KINDS
    rendered: bool


@dataclass(frozen=True)
class TargetIndex:
    """The target's words, their WordNet base forms and prefixes, folded words and numbers."""

    text: str
    forms: frozenset[str]
    folded: frozenset[str]  # and the first five letters of the longer ones, "~jones"
    numbers: frozenset[str]

    @cached_property
    def acronyms(self) -> frozenset[str]:
        """The target's words in capitals, dots dropped ("U.S." -> "US")."""
        return frozenset(m.group().replace(".", "") for m in _ACRONYM.finditer(self.text))

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """The first four letters of the target's words ("Chinese" -> "chin")."""
        return frozenset(w[:4] for w in self.folded if not w.startswith("~"))

    @cached_property
    def names(self) -> frozenset[str]:
        """The first three consonants of each capitalised word (:func:`entities.skeleton`; for names of another script)."""
        words = [m.group().lower() for m in _EN_WORD.finditer(self.text) if m.group()[:1].isupper()]
        return frozenset(_name_key(w) for w in words) | frozenset(_name_key(w.replace("w", "v")) for w in words if "w" in w)  # Washington / Вашингтон


def _digits(text: str) -> str:
    return _NON_DIGIT.sub("", text).lstrip("0") or "0"


@lru_cache(maxsize=100_000)
def _english_forms(wordnet: WordNet | None, word: str) -> frozenset[str]:
    forms = {word}
    if wordnet is not None:
        forms |= wordnet.base_forms(word)
    if len(word) >= 5:
        forms.add("~" + word[:5])  # "elected" and "election" share a prefix
    return frozenset(forms)


def target_index(text: str, wordnet: WordNet | None) -> TargetIndex:
    forms: set[str] = set()
    for m in _EN_WORD.finditer(text):
        forms |= _english_forms(wordnet, m.group().lower())
    folded = {_fold(w) for w in _WORD.findall(text)}
    folded |= {"~" + w[:5] for w in folded if len(w) >= 5}
    return TargetIndex(text, frozenset(forms), frozenset(folded), frozenset(_digits(m.group()) for m in _NUMBER.finditer(text)))


@lru_cache(maxsize=100_000)
def _name_key(latin: str) -> str:
    return skeleton(latin)[:3]


@lru_cache(maxsize=100_000)
def _name_keys(word: str, lang: str) -> frozenset[str]:
    """The keys of a name of another script's romanizations ("Джонс": dzhons, jons -> "jns")."""
    return frozenset(key for form in romanizations(word, lang) if len(key := _name_key(form)) >= 2)


@lru_cache(maxsize=50_000)
def _renderings(wordnet: WordNet | None, translations: frozenset[str]) -> frozenset[str]:
    """A source word's translations with their synonyms, base forms and prefixes."""
    words = set(wordnet.expand(translations)) if wordnet is not None else set(translations)
    words |= {"~" + w[:5] for w in words if len(w) >= 5}
    return frozenset(words)


def _number_rendered(value: str, numbers: frozenset[str]) -> bool:
    return value in numbers or any(len(n) >= 2 and (value in n or n in value) for n in numbers)


def _translatable(lexicon: Lexicon | None, word: str) -> bool:
    """Whether the dictionary translates ``word``, inflected forms through their stems: a capitalised
    word it knows is a noun or the first word of a title ("Miembros", "Häusern"), not a name."""
    return lexicon is not None and bool(lexicon.ordered(word))


class WordPlan(NamedTuple):
    """What a source word not written as in the target is as an anchor: the kind it counts as and what renders it."""

    kind: str | None  # None: not an anchor
    test: str  # how a rendering is looked for: "none" (never rendered), "prefix", "names" or "forms"
    keys: frozenset[str] = frozenset()  # the prefix, name keys or English forms that render it


@lru_cache(maxsize=200_000)
def _fold(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=200_000)
def same_parts(word: str, latin_source: bool) -> tuple[str, ...] | None:
    """The folded parts by which ``word`` is found written as in the target (all of them there), None when it never is:
    a number's part ("250-kilogramowa": the numbers are anchors of their own), or a short word of a Latin source."""
    if any(c.isdigit() for c in word) or not (len(word) >= 3 or (not latin_source and word.isascii())):
        return None
    return tuple(part for part in _JOINED.split(_fold(word)) if part)


@lru_cache(maxsize=200_000)
def word_plan(word: str, lang: str, lexicon: Lexicon | None, wordnet: WordNet | None, latin_source: bool, initial: bool) -> WordPlan:
    """What ``word`` is as an anchor when the target does not write it alike (cached: the same words recur
    in every text, and only the look-up of the rendering depends on the target: :func:`anchors`)."""
    if any(c.isdigit() for c in word):
        return WordPlan(None, "none")
    if not latin_source and word.isascii() and word[:1].isupper():
        return WordPlan("same", "none")  # a Latin name in a non-Latin source, not in the target
    if latin_source and not initial and len(word) >= 3 and word[:1].isupper() and not _translatable(lexicon, word):
        # a name of a Latin source ("Kavanaugha"): rendered when the target has it, inflected or not
        return WordPlan("same", "prefix", frozenset(["~" + _fold(word)[:5]])) if len(word) >= 5 else WordPlan("same", "none")
    if not latin_source and not initial and len(word) >= 3 and word[:1].isupper() and not word.isascii() and not _translatable(lexicon, word):
        # a name of a Cyrillic or Greek source ("Кавано"): rendered when a capitalised target word sounds alike
        keys = _name_keys(word, lang)
        return WordPlan("name", "names", keys) if keys else WordPlan(None, "none")
    if lexicon is None or len(word) < 2:
        return WordPlan(None, "none")
    translations = lexicon.ordered(word)
    if not translations or len(translations) > MAX_SENSES or word_zipf(lang, word.lower()) >= MAX_ZIPF:
        return WordPlan(None, "none")
    return WordPlan("dict", "forms", _renderings(wordnet, frozenset(translations)))


# Letters that Hebrew and Arabic write before a place name ("בסין", in China; "والصين"); Korean particles after one
# ("중국의") and the endings of inflecting languages ("Číně", "Китаю") are let in by _place_word; Chinese and
# Japanese names stand in unspaced text as they are.
_PLACE_PREFIXES = {"he": frozenset("ובהלמשכ"), "ar": frozenset("وفبلك")}
MIN_STEMMED = 5  # a shorter name of a cased script ends otherwise only capitalised ("Číně" China, but "malí" is not Mali)
_LONG_ENDINGS = frozenset({"kk", "tr", "fi", "hu", "et", "ko"})  # agglutinative: "Қытайдың", "Kiinassa"


def _place_word(word: str, lang: str) -> str:
    """A word of a place name as a pattern that lets it inflect."""
    if lang in UNSPACED:
        return re.escape(word)
    ending = r"\w{0,5}" if lang in _LONG_ENDINGS else r"\w{0,3}"
    if lang == "ko" or word.lower() == word.upper():  # uncased scripts: the whole name, then Korean particles
        return re.escape(word) + (ending if lang == "ko" else "")
    if len(word) <= 3:  # "Çin'de", "ABD": as written
        return f"(?-i:{re.escape(word)})"
    stem = re.escape(word[:-1]) + ending
    return stem if len(word) >= MIN_STEMMED else f"(?-i:{stem})"


class Places(NamedTuple):
    """A language's CLDR names of countries and regions: patterns by their first letters, English renderings by territory."""

    patterns: dict[str, list[tuple[re.Pattern[str], str]]]
    renderings: dict[str, frozenset[str]]
    key_size: int  # letters of the key: 1 in unspaced text, else 2


@lru_cache(maxsize=64)
def places(lang: str) -> Places:
    """The CLDR names of countries and regions in ``lang`` (babel), each as a pattern that lets it
    inflect, and each territory's English renderings: the longest word of its English name and
    pipeline/data/omission_places.yaml's short names and demonyms."""
    from babel import Locale, UnknownLocaleError  # deferred: only A701 needs it, once per language

    key_size = 1 if lang in UNSPACED else 2
    try:
        local = Locale.parse(lang).territories
    except (UnknownLocaleError, ValueError):
        return Places({}, {}, key_size)
    also = load_data(PLACES_FILE)["also"]
    patterns: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    renderings = {}
    for code, name in Locale("en").territories.items():
        words = _EN_WORD.findall(name)
        own = local.get(code, "")
        if not words or not name[:1].isupper() or not own or own == name or len(own) < (2 if lang in UNSPACED or lang in ("ko", "he", "ar") else 3):
            continue
        renderings[code] = frozenset([max(words, key=len).lower(), *(str(w) for w in also.get(code, ()))])
        body = r"\s+".join(_place_word(w, lang) for w in own.split())
        patterns.setdefault(own[:key_size].lower(), []).append((re.compile(body + ("" if lang in UNSPACED else r"(?!\w)"), re.IGNORECASE), code))
    for found in patterns.values():
        found.sort(key=lambda item: -len(item[0].pattern))  # longer names first: "Южная Корея" before "Корея"
    return Places(patterns, renderings, key_size)


def _place_rendered(renderings: frozenset[str], target: TargetIndex) -> bool:
    return any(r in target.acronyms if r.isupper() else (r[:4] in target.prefixes if len(r) >= 4 else r in target.folded) for r in renderings)


def _place_starts(source: str, lang: str) -> Iterator[int]:
    """Where a place name may start: every character of unspaced text, else each word and each word
    after its Hebrew or Arabic prefix letters."""
    if lang in UNSPACED:
        yield from range(len(source))
        return
    prefixes = _PLACE_PREFIXES.get(lang, frozenset())
    for m in _WORD.finditer(source):
        k = m.start()
        yield k
        while k < m.end() - 2 and k - m.start() < 2 and source[k] in prefixes:
            k += 1
            yield k


def place_anchors(source: str, target: TargetIndex, lang: str) -> list[Anchor]:
    """The names of countries and regions of ``source`` ("Čína", "中国", "Қытайдың"), rendered when the
    target has the English name, its short form or demonym ("China", "Chinese")."""
    table = places(lang)
    found: list[Anchor] = []
    if not table.patterns:
        return found
    end = 0
    size = table.key_size
    lower = source.lower()  # once for the text, where that lowers each key as the key alone would be
    if len(lower) != len(source) or "Σ" in source:  # "İ" lowers to two characters, "Σ" by its place in the word
        lower = ""
    for start in _place_starts(source, lang):
        if start < end:
            continue
        key = lower[start : start + size] if lower else source[start : start + size].lower()
        for pattern, code in table.patterns.get(key, ()):
            m = pattern.match(source, start)
            if m is not None:
                found.append(Anchor(start, m.end(), "same", _place_rendered(table.renderings[code], target)))
                end = m.end()
                break
    return found


def _opens(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins the text, a sentence or a quotation."""
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k < 0 or text[k] in _OPENERS


def is_latin(text: str) -> bool:
    """Whether most letters of ``text`` are Latin (with or without diacritics: Turkish, Polish, Vietnamese)."""
    return 2 * len(_LATIN_LETTER.findall(text)) >= len(_LETTER.findall(text))


def anchors(source: str, target: TargetIndex, lang: str, lexicon: Lexicon | None, wordnet: WordNet | None) -> list[Anchor]:
    """The source's anchors in text order: numbers, words written as in the target, dictionary words."""
    found = [Anchor(m.start(), m.end(), "num", _number_rendered(_digits(m.group()), target.numbers)) for m in _NUMBER.finditer(source)]
    named = place_anchors(source, target, lang)
    found += named
    spans = lexicon.segment(source) if lexicon is not None and lang in UNSPACED else [m.span() for m in _WORD.finditer(source)]
    latin_source = is_latin(source)
    if not latin_source:  # Latin words of a non-Latin source, also inside an unspaced run ("来自Aleppo的")
        spans = [m.span() for m in _LATIN_RUN.finditer(source)] + [(s, e) for s, e in spans if not source[s:e].isascii()]
    folded, forms = target.folded, target.forms
    for start, end in spans:
        if named and any(a.start < end and start < a.end for a in named):
            continue
        word = source[start:end]
        parts = same_parts(word, latin_source)
        if parts is not None and all(part in folded for part in parts):
            found.append(Anchor(start, end, "same", True))  # also a Latin acronym of a non-Latin source ("AI", "EU"), and the parts of "Kai-Fu"
            continue
        plan = word_plan(word, lang, lexicon, wordnet, latin_source, word[:1].isupper() and _opens(source, start))
        if plan.kind is not None:
            where = forms if plan.test == "forms" else folded if plan.test == "prefix" else target.names if plan.test == "names" else None
            found.append(Anchor(start, end, plan.kind, where is not None and not plan.keys.isdisjoint(where)))
    found.sort()
    return found


MAX_MARKS = 4  # differences in clause marks beyond this count as this


def clause_marks(text: str) -> int:
    """How many clause marks ``text`` has: clause punctuation and sentence ends inside it (not the final one)."""
    return len(_CLAUSE_MARK.findall(text.rstrip()))


def mark_difference(source: str, target: str) -> int:
    """The source's clause marks less the target's, clipped to +-MAX_MARKS."""
    return max(-MAX_MARKS, min(MAX_MARKS, clause_marks(source) - clause_marks(target)))


def marks_ratio(model: PairModel, d: int, k: int) -> float:
    """Log-likelihood ratio of the mark difference ``d`` when ``k`` clauses with their marks are missing
    (the target would have k marks fewer: a faithful pair's difference d - k) against none missing."""
    if model.marks is None or k == 0:
        return 0.0
    floor = min(model.marks.values())
    return math.log(model.marks.get(max(-MAX_MARKS, d - k), floor) / model.marks.get(d, floor))


@lru_cache(maxsize=256)  # asked for by candidates() and judge() for the same source
def clause_bounds(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """The clauses of ``text``: cut after clause punctuation and the language's connective endings."""
    cuts = {m.end() for m in _CLAUSE_MARK.finditer(text)}
    pattern = connectives(lang)
    if pattern is not None:
        cuts |= {m.end() for m in pattern.finditer(text)}
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    return tuple(itertools.pairwise(bounds))


def pieces(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """The parts of ``text`` that may go missing: its clauses, or its thirds when it has one clause."""
    clauses = clause_bounds(text, lang)
    if len(clauses) > 1:
        return clauses
    cuts = thirds(text, lang)
    return tuple(itertools.pairwise([0, *cuts, len(text)])) if cuts else clauses


THIRDS_WORDS = 9  # a source of one clause with this many words (3x as many characters unspaced) is cut in thirds


def thirds(text: str, lang: str) -> list[int]:
    """Cuts at a third and two thirds of a source of one clause, between words: the part a target leaves
    out need not end at a comma of the source (Kazakh "Полиция 20 жастағы ЛШУ баскетбол ойыншысы Уэйд
    Симстың ..." -> "Police have arrested a suspect in the fatal shooting death of Wayde Sims", without
    ", a 20-year-old basketball player at LSU").  NTREX calib, A701 at the same false alarms: 405 -> 415
    of 693 removed clauses."""
    if lang in UNSPACED:
        n = len(text.strip())
        return [n // 3, 2 * n // 3] if n >= 3 * THIRDS_WORDS else []
    starts = [m.start() for m in re.finditer(r"(?<=\s)\S", text)]
    words = len(starts) + 1
    if words < THIRDS_WORDS:
        return []
    return [starts[words // 3 - 1], starts[2 * words // 3 - 1]]


def candidates(text: str, lang: str) -> list[tuple[int, int]]:
    """Each clause and each two neighbouring clauses that may be missing (not the whole text, nor a scrap)."""
    clauses = pieces(text, lang)
    if len(clauses) < 2:
        return []
    spans = [*clauses, *((a, d) for (a, _), (_, d) in itertools.pairwise(clauses))]
    return [(a, b) for a, b in spans if (b - a) <= MAX_SHARE * len(text) and (len(text[a:b].split()) >= 2 or b - a >= 6)]


def worth_judging(source: str, target: str, model: PairModel, lang: str) -> bool:
    """Whether ``source`` has candidates worth the anchors' cost: clauses, or thirds when the target is
    shorter than the pair's median (a third left out of a target of usual length is rare, and judging
    every one-clause source cost A701 a sixth more time); never when the line is a heading
    (:func:`length.is_heading`: NTREX-128 calib, 8 of A701's 34 false alarms were headings, and none of
    the 937 removed clauses it caught was in one)."""
    if len(source) < MIN_SOURCE_CHARS or not target.strip() or not candidates(source, lang) or is_heading(source, target):
        return False
    return len(clause_bounds(source, lang)) > 1 or math.log(len(target) / model.units(source)) < model.mean


@dataclass(frozen=True)
class Judgement:
    """The clause that best explains a missing part, and its evidence."""

    start: int
    end: int
    score: float  # log-likelihood ratio: clause missing vs translation complete
    length: float  # its length part
    unrendered: int  # anchors of the clause without a rendering
    anchors: int
    marks: float = 0.0  # its clause-mark part


def judge(source: str, target: str, model: PairModel, found: list[Anchor], lang: str, q: float) -> Judgement | None:
    """The best candidate clause of ``source`` as missing from ``target``; ``q``: the chance that an
    anchor of a missing clause still finds a "rendering" elsewhere in the target is 1 - q."""
    spans = candidates(source, lang)
    if not spans:
        return None
    mean, sd = model.mean, model.spread(len(source))
    at = {0: 0.0}  # the weighted length of the source up to each clause boundary
    for a, b in pieces(source, lang):
        at[b] = at[a] + model.units(source[a:b])
    total = at[len(source)]
    x = math.log(len(target) / total)
    d = mark_difference(source, target)
    best: Judgement | None = None
    for a, b in spans:
        share = (at[b] - at[a]) / total
        expected = mean + math.log(max(1 - share, 0.05))  # the ratio if the clause is missing
        length = ((x - mean) ** 2 - (x - expected) ** 2) / (2 * sd * sd)
        lexical = 0.0
        inside = [anchor for anchor in found if a <= anchor.start < b]
        for anchor in inside:
            p = model.rendered.get(anchor.kind) or model.rendered["same"]  # a table calibrated before "name" was a kind
            lexical += math.log((1 - q) / p) if anchor.rendered else math.log(q / (1 - p))
        # a missing clause takes the target's mark before or after it with it (two clauses, two marks)
        marks = marks_ratio(model, d, sum(1 for c in at if a < c <= b))
        score = length + lexical + marks
        if best is None or score > best.score:
            best = Judgement(a, b, score, length, sum(not x.rendered for x in inside), len(inside), marks)
    return best


# ------------------------------------------------------------------------------------ the rule


def _lexicon(ctx: CheckContext) -> Lexicon | None:
    lang = base_lang(ctx.src_lang)
    if not has_source_dictionary(lang):
        return None
    found: Lexicon = ctx.resource(f"lexicon:{lang}", lambda: load_source_dictionary(lang))
    return found


def _wordnet(ctx: CheckContext) -> WordNet | None:
    if not has_wordnet():
        return None
    found: WordNet = ctx.resource("wordnet", load_wordnet)
    return found


def evidence(source: str, target: str, lang: str, lexicon: Lexicon | None, wordnet: WordNet | None) -> list[Anchor]:
    """The anchors of ``source`` judged against ``target`` (for the rule and the calibration)."""
    return anchors(source, target_index(target, wordnet), base_lang(lang), lexicon, wordnet)


@rule(
    "A701",
    "clause-omitted",
    category="accuracy/omission",
    severity="major",
    tgt_langs=["en"],
    requires=("FreeDict", "WordNet"),
    coverage=omission_coverage,
)
def clause_omitted(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A clause of the source that the target leaves out: the target is shorter than usual by about
    the clause's weight, and the clause's numbers, names and words have no rendering in it.

    Why: a dropped clause ("..., said the minister on Tuesday") keeps the target fluent and close to
    its source; neither the length ratio (A301 waits for far larger gaps) nor a single missing word
    is enough evidence alone.  For each clause of the source (cut at commas, semicolons, colons and
    their CJK and Arabic forms, and at Korean connective endings; one clause or two neighbouring
    ones; a line of two sentences is cut between them) two signals are weighed as log-likelihood
    ratios, "the clause is missing" against "the translation is complete": the target's length
    against the pair's calibrated ratio with and without the clause (source characters weighted by
    class where that tightens the ratio: Chinese, Japanese, Korean), and the clause's anchors
    (numbers, words written as in the target, names, romanized for Cyrillic and Greek sources,
    countries and regions by their CLDR names, dictionary words through FreeDict, CC-CEDICT for
    Chinese, and WordNet) found or not in the target, against the share of
    each kind that faithful translations of the pair render; and a third, the target's clause marks
    (commas, semicolons, ...) against the source's, which a faithful translation of the pair matches
    in a calibrated way and a dropped clause lowers by one (a source of one clause is cut in thirds
    for the candidates).  The best clause is marked in the source when its ratio passes the threshold.  Calibrated per language pair on NTREX-128
    (eval/omission_calibrate.py -> pipeline/data/omission.yaml); without a dictionary (Korean,
    Hebrew, Kazakh, ...) length, numbers, place names and identical tokens decide; an uncalibrated pair is not
    checked, nor is a heading (headlines drop what a translation spells out: :func:`length.is_heading`).  Cheap (no embeddings): A502 looks at clauses with sentence embeddings.

    Example (fr-en): "Le club a présenté ses excuses aux supporters samedi, mais il refuse de
    rembourser les 3 000 billets achetés pour le match annulé." -> "The club apologised to the fans
    on Saturday." -> "mais il refuse de rembourser les 3 000 billets achetés pour le match annulé"
    marked in the source.
    """
    source, target = pair.source_text, pair.target_text
    if len(source) < MIN_SOURCE_CHARS or not target.strip():
        return
    table = ctx.resource(f"data:{CALIBRATION_FILE}", _calibration)
    model = _model(table, ctx.src_lang, ctx.tgt_lang)
    if model is None:
        raise ResourceMissing(f"no omission calibration for {base_lang(ctx.src_lang)}-{base_lang(ctx.tgt_lang)} (eval/omission_calibrate.py)")
    lang = base_lang(ctx.src_lang)
    if not worth_judging(source, target, model, lang):
        return
    found = evidence(source, target, lang, _lexicon(ctx), _wordnet(ctx))
    best = judge(source, target, model, found, lang, float(table["q"]))
    if best is None or best.score <= _threshold(table, ctx.src_lang, ctx.tgt_lang):
        return
    clause = source[best.start : best.end]
    start = best.start + len(clause) - len(clause.lstrip())
    end = best.start + len(clause.rstrip(",;:，；：、،؛ .!?。！？\"'”»」"))
    shortfall = 1 - math.exp(math.log(len(target) / model.units(source)) - model.mean)
    length = f"it is {100 * shortfall:.0f}% shorter than usual for the pair" if shortfall >= 0.05 else "its length is usual for the pair"
    marks = ", it has fewer clause marks (commas, ...) than translations of the pair usually do" if best.marks > 0.5 else ""
    message = (
        f"the target does not seem to render '{_clip(source[start:end])}': {length}{marks}, and {best.unrendered} of the clause's"
        f" {best.anchors} anchors (numbers, names, dictionary words) have no rendering in it"
    )
    data = {"score": round(best.score, 2), "length": round(best.length, 2), "marks": round(best.marks, 2), "unrendered": best.unrendered, "anchors": best.anchors}
    yield Finding(start, end, message, side="source", data=data)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
