"""The reference-based metrics, each a small class over one base, built on sacrebleu.

A metric builds two sacrebleu objects: the corpus metric (with the references cached once for all
systems) and the segment metric (sentence-level settings, e.g. BLEU's effective n-gram order, as
``sacrebleu.sentence_bleu`` uses).  Both read the same sufficient statistics, so every score is
computed from one pass over the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacreMetric

from ..config import ScoringConfig
from ..errors import ConfigError


class MetricSpec:
    """Base: ``key`` names the metric in configs and results; subclasses build sacrebleu metrics."""

    key: ClassVar[str]
    higher_is_better: ClassVar[bool] = True

    def __init__(self, config: ScoringConfig, tgt_lang: str) -> None:
        self.config = config
        self.tgt_lang = tgt_lang.split("-")[0].lower()

    def _build(self, sentence_level: bool, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        raise NotImplementedError

    def corpus_metric(self, references: Sequence[Sequence[str]]) -> SacreMetric:
        return self._guarded(lambda: self._build(False, references))

    def segment_metric(self) -> SacreMetric:
        return self._guarded(lambda: self._build(True, None))

    def _guarded(self, build: Any) -> SacreMetric:
        try:
            return build()
        except (ImportError, ModuleNotFoundError) as err:
            raise ConfigError(
                f"{self.key}: the tokenizer for target language '{self.tgt_lang}' needs an extra package "
                f"({err.name or err}); install it (e.g. pip install 'sacrebleu[ja]') or set scoring.bleu.tokenize"
            ) from None
        except (KeyError, AssertionError) as err:
            raise ConfigError(f"{self.key}: invalid setting ({err})") from None


class Bleu(MetricSpec):
    key = "bleu"

    def _build(self, sentence_level: bool, references: Sequence[Sequence[str]] | None) -> SacreMetric:
        c = self.config.bleu
        return BLEU(
            lowercase=c.lowercase,
            tokenize=c.tokenize,
            smooth_method=c.smooth_method,
            smooth_value=c.smooth_value,
            max_ngram_order=c.max_ngram_order,
            effective_order=sentence_level,
            trg_lang=self.tgt_lang,
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
