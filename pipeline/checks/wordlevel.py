"""Word-level accuracy (A6): polarity changes, antonyms and content words without a rendering,
found with bilingual dictionaries (FreeDict, Ding) and the English WordNet, read at run time.

Polarity (A601) needs only the negation markers of the source language (pipeline/data/negation.yaml,
21 languages); antonyms (A602) need a dictionary from the source language into English
(:mod:`pipeline.checks.bilingual`).  Both are written for English targets.  Professional
translations change polarity on purpose ("remain" for "not leave", "unable" for "could not"), so the
rules flag only the clear cases, measured on NTREX-128 (eval/false_alarms.py, calib split).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import ResourceMissing
from ..model import AlignedPair
from .bilingual import UNSPACED, Lexicon, WordNet, has_lexicon, has_wordnet, load_lexicon, load_wordnet
from .registry import CheckContext, Finding, rule
from .textspans import base_lang, load_data

# Letters of words, with the combining marks of Indic, Arabic and Hebrew script (a Devanagari vowel
# sign is not \w, yet it belongs to the word before it).
_WORD_CHAR = r"[\w\u0300-\u036F\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u0900-\u0DFF\u0E00-\u0EFF\u1AB0-\u1AFF]"
_TOKEN_RE = re.compile(_WORD_CHAR + r"+")
_HYPHENATED_RE = re.compile(_WORD_CHAR + r"+(?:[-']" + _WORD_CHAR + r"+)*")


@dataclass(frozen=True, slots=True)
class NegationMarkers:
    """A language's clause-negation markers (pipeline/data/negation.yaml), compiled."""

    lang: str
    ignore: re.Pattern[str] | None
    words: re.Pattern[str] | None
    patterns: tuple[re.Pattern[str], ...]
    except_words: frozenset[str]
    clitic: re.Pattern[str] | None
    partners: frozenset[str]
    window: int
    strong: frozenset[str]
    lexical: frozenset[str]
    lexical_patterns: re.Pattern[str] | None

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of the clause negations in ``text``."""
        text = text.replace("’", "'")
        if self.ignore is not None:
            text = self.ignore.sub(lambda m: " " * len(m.group()), text)
        found: list[tuple[int, int]] = []
        if self.words is not None:
            found.extend(m.span() for m in self.words.finditer(text))
        if self.patterns:
            taken = {s for s, _ in found}
            for m in _TOKEN_RE.finditer(text):
                token = m.group().lower()
                if m.start() not in taken and token not in self.except_words and any(p.fullmatch(token) for p in self.patterns):
                    found.append(m.span())
        if self.clitic is not None:
            for m in self.clitic.finditer(text):
                following = [t.lower() for t in _TOKEN_RE.findall(text, m.end(), m.end() + 80)[: self.window]]
                if any(t in self.partners for t in following):
                    found.append(m.span())
        found.sort()
        return found

    def strong_markers(self, text: str) -> list[tuple[int, int]]:
        """The negations that are only ever clause negations ("not", "n't", "never", "cannot")."""
        if not self.strong:
            return self.find(text)
        return [(s, e) for s, e in self.find(text) if text[s:e].replace("’", "'").lower() in self.strong]

    def has_lexical_negative(self, text: str) -> bool:
        """A word whose meaning is negative without a marker ("unable", "lack", "fail")."""
        for token in _HYPHENATED_RE.findall(text.replace("’", "'")):
            low = token.lower()
            if low in self.lexical or any(part in self.lexical for part in low.split("-")):
                return True
            if self.lexical_patterns is not None and self.lexical_patterns.fullmatch(low):
                return True
        return False


def _alternation(items: list[str], bounded: bool) -> str:
    parts = []
    for item in sorted(set(items), key=len, reverse=True):
        body = re.escape(item).replace(r"\ ", r"\s+")
        if bounded:
            left = "" if item.startswith("n't") or item.startswith("'") else f"(?<!{_WORD_CHAR})"
            right = "" if item.endswith("'") else f"(?!{_WORD_CHAR})"
            body = left + body + right
        parts.append(body)
    return "|".join(parts)


def _compile(items: list[str], substrings: list[str] | None = None) -> re.Pattern[str] | None:
    alternatives = [a for a in (_alternation(items, True) if items else "", _alternation(substrings or [], False) if substrings else "") if a]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def negation_markers(lang: str) -> NegationMarkers | None:
    """The compiled markers of ``lang``, or None when pipeline/data/negation.yaml lacks it."""
    return _NEGATION_CACHE.get(base_lang(lang)) if _NEGATION_CACHE else _load_negation().get(base_lang(lang))


_NEGATION_CACHE: dict[str, NegationMarkers] = {}


def _load_negation() -> dict[str, NegationMarkers]:
    table: dict[str, Any] = load_data("negation.yaml")
    for lang, spec in table.items():
        clitic = spec.get("clitic") or {}
        _NEGATION_CACHE[lang] = NegationMarkers(
            lang=lang,
            ignore=_compile([str(x) for x in spec.get("ignore", [])], [str(x) for x in spec.get("ignore_substrings", [])]),
            words=_compile([str(x) for x in spec.get("words", [])], [str(x) for x in spec.get("substrings", [])]),
            patterns=tuple(re.compile(p) for p in spec.get("patterns", [])),
            except_words=frozenset(str(x).lower() for x in spec.get("except_words", [])),
            clitic=_compile([str(x) for x in clitic.get("words", [])]),
            partners=frozenset(str(x).lower() for x in clitic.get("partners", [])),
            window=int(clitic.get("window", 6)),
            strong=frozenset(str(x).lower() for x in spec.get("strong", [])),
            lexical=frozenset(str(x).lower() for x in spec.get("lexical", [])),
            lexical_patterns=re.compile("|".join(f"(?:{p})" for p in spec["lexical_patterns"])) if spec.get("lexical_patterns") else None,
        )
    return _NEGATION_CACHE


# ------------------------------------------------------------------------------ coverage probes


def _english_target(tgt: str) -> str | None:
    return None if base_lang(tgt) == "en" else f"written for English targets, not {tgt}"


def negation_coverage(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """A601 needs the source language's negation markers."""
    return _english_target(tgt) or (None if negation_markers(src) is not None else f"no negation markers for {src} (pipeline/data/negation.yaml)")


def antonym_coverage(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """A602 needs a dictionary from the source language into English and WordNet."""
    if (reason := _english_target(tgt)) is not None:
        return reason
    if not has_wordnet():
        return "no English WordNet (Debian: wordnet-base)"
    if base_lang(src) in ANTONYM_SILENT:
        return ANTONYM_SILENT[base_lang(src)]
    return None if has_lexicon(base_lang(src)) else f"no {src}->English dictionary (FreeDict)"


# Languages with a dictionary on which A602 raised more false alarms than the family's bound on
# NTREX-128 (calib split, eval/false_alarms.py): silent, with this note.
ANTONYM_SILENT = {"pt": "switched off for pt: 0.28 false alarms per 1,000 words on NTREX-128 pt-en"}


# ------------------------------------------------------------------------------------ A601

# A negated finite auxiliary: "was not", "will not", "can't", "cannot".  "did not" and "don't" are
# left out: English uses them where translations say "ignore", "refuse", "deny" (measured: they
# double the false alarms for a few more catches).
AUX_NEGATION_RE = re.compile(
    r"\b(?:(?:is|are|was|were|has|have|had|will|would|can|could|should|must|may|might|shall)\s+not\b"
    r"|(?:is|are|was|were|has|have|had|wo|would|ca|could|should|must|need)n['’]t\b|cannot\b)",
    re.IGNORECASE,
)


@rule("A601", "polarity-change", category="accuracy/mistranslation", severity="major", tgt_langs=["en"], coverage=negation_coverage)
def polarity_change(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Flags a negated clause in the target when the source has no negation at all.

    A negation added in translation turns the meaning around ("The bridge was not closed" for "Die
    Brücke wurde gesperrt").  The target's negated auxiliaries ("was not", "will not", "can't") are
    compared with the source language's negation markers (pipeline/data/negation.yaml: "nicht",
    "kein", "ne ... pas", "не", 不/没, 않/없, Turkish -me/-ma verb forms ...).  Only a source without
    any marker counts, and phrases such as "not only" or "nicht nur" are no negation; a negation lost
    in translation is not flagged, because translators render it with a negative word as often
    ("unable", "lack", "fail").

    Example: "Die Zahlen waren sofort verfügbar." -> "The figures were not immediately available."
    """
    source, target = pair.source_text, pair.target_text
    if not source.strip() or not target.strip():
        return
    found = AUX_NEGATION_RE.search(target)
    if found is None:
        return
    markers = negation_markers(ctx.src_lang)
    english = negation_markers("en")
    if markers is None or english is None or markers.find(source):
        return
    negated = english.find(target)  # without "not only", "whether or not" ...
    for m in AUX_NEGATION_RE.finditer(target):
        if any(s < m.end() and m.start() < e for s, e in negated):
            yield Finding(m.start(), m.end(), f"the target negates ('{m.group()}') but the source has no negation", data={"source_lang": base_lang(ctx.src_lang)})
            return


# ------------------------------------------------------------------------------------ A602

MAX_SENSES = 6  # a source word with more translations is too ambiguous to judge
MAX_SHIFT = 0.3  # how far (as a share of the text) a word and its rendering may move
# Words whose WordNet antonym is one sense among many, or that translators add and drop freely
# ("some"/"all", "back"/"front", "come"/"go"): never judged.
VAGUE = frozenset(
    "some all any more most less least few many much back front side top bottom there here ever never first second last "
    "late later latest early earlier come came comes coming go goes went going gone take took taken takes taking give gave "
    "know knew known make made get got keep kept left right down up out away off over under home big small little large "
    "long short old new same different real whole half full high low near far west east north south".split()
)
_NEGATED_BEFORE_RE = re.compile(r"\b(?:not|n't|never|no)\b[^.,;:]*$", re.IGNORECASE)
_EN_TOKEN_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


@lru_cache(maxsize=50_000)
def _forms(wordnet: WordNet, word: str) -> frozenset[str]:
    return frozenset(wordnet.base_forms(word) | {word})


def _source_words(lexicon: Lexicon, text: str) -> list[tuple[str, float, frozenset[str]]]:
    """The source's dictionary words: the word, where it is (0..1 along the text), its English translations."""
    if lexicon.lang in UNSPACED:
        spans = lexicon.segment(text)
    else:
        spans = [m.span() for m in _TOKEN_RE.finditer(text) if m.end() - m.start() >= 3 and not m.group().isdigit()]
    out = []
    size = max(len(text), 1)
    for start, end in spans:
        translations = lexicon.translations(text[start:end])
        if translations:
            out.append((text[start:end], start / size, translations))
    return out


def _lexicon(ctx: CheckContext) -> Lexicon:
    lang = base_lang(ctx.src_lang)
    if lang in ANTONYM_SILENT:
        raise ResourceMissing(ANTONYM_SILENT[lang])  # the runner switches the rule off for the run, with this note
    return ctx.resource(f"lexicon:{lang}", lambda: load_lexicon(lang))


def _wordnet(ctx: CheckContext) -> WordNet:
    return ctx.resource("wordnet", load_wordnet)


@rule("A602", "antonym", category="accuracy/mistranslation", severity="major", tgt_langs=["en"], requires=("FreeDict", "WordNet"), coverage=antonym_coverage)
def antonym(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Flags a target word that is the antonym of what a source word means.

    A target word whose WordNet antonym is a dictionary translation of a word of the source, while
    no translation of that source word is in the target and no source word translates to the target
    word itself: "prices decreased" for "die Preise stiegen" (steigen: rise, increase).  Dictionaries:
    FreeDict X->English (Debian dict-freedict-*), and Ding for German; WordNet 3.0 antonyms of
    adjectives, adverbs and verbs.

    Example: "Die Zahl der Fälle ist gestiegen." -> "The number of cases has decreased."
    """
    source, target = pair.source_text, pair.target_text
    if not source.strip() or not target.strip():
        return
    wordnet = _wordnet(ctx)
    candidates = []
    target_forms: set[str] = set()
    for m in _EN_TOKEN_RE.finditer(target):
        word = m.group().lower()
        forms = _forms(wordnet, word)
        target_forms |= forms
        if len(word) >= 3 and word not in VAGUE and not _NEGATED_BEFORE_RE.search(target, max(0, m.start() - 24), m.start()):
            opposite = frozenset(a for f in forms for a in wordnet.antonyms.get(f, ()))
            if opposite:
                candidates.append((m, forms, opposite))
    if not candidates:
        return
    markers = negation_markers(ctx.src_lang)
    if markers is not None and markers.find(source):
        return  # "nicht präsidentiell" -> "unpresidential", "onschuldig" -> "not guilty": a negation turns antonyms into renderings
    source_words = _source_words(_lexicon(ctx), source)
    rendered = set().union(*(t for _, _, t in source_words)) if source_words else set()
    size = max(len(target), 1)
    for m, forms, opposite in candidates:
        if forms & rendered or opposite & target_forms:
            continue  # a source word gives this word, or its antonym is in the target too
        where = m.start() / size
        for word, at, translations in source_words:
            hit = translations & opposite
            if hit and len(translations) <= MAX_SENSES and abs(at - where) <= MAX_SHIFT and not translations & target_forms:
                meant = sorted(hit)[0]
                yield Finding(m.start(), m.end(), f"'{m.group()}' is the opposite of '{meant}', a translation of the source word '{word}'",
                              suggestion=meant, data={"source_word": word})
                break
