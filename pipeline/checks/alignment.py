"""A1 alignment checks: sentences the aligner found no counterpart for, and beads it doubts.

They read the beads of document inputs (line-aligned inputs pair every line, so they never fire
there): a 1-0 bead is a source sentence missing from the translation, a 0-1 bead a target sentence
with no source, and a bead of low confidence pairs sentences that do not look like translations of
each other.  Severities follow what a reviewer would do with the finding: a missing content sentence
is major, a stray "." is nothing to count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from ..doclength import length_mismatch
from ..model import AlignedPair, Severity
from .registry import CheckContext, Finding, RuleOptions, rule

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_WORD4 = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
SHORT_LINE_WORDS = 3


class AlignmentOptions(RuleOptions):
    # beads the aligner is less sure of are reported as doubtful (None: the run's align.min_confidence)
    min_confidence: float | None = Field(None, ge=0.0, le=1.0)


def _weight(text: str) -> str:
    """"junk" (no word of four letters), "short" (a heading or boilerplate line) or "content"."""
    if not _WORD4.search(text):
        return "junk"
    if len(_WORD.findall(text)) <= SHORT_LINE_WORDS and not text.rstrip().endswith((".", "?", "!")):
        return "short"
    return "content"


def _min_confidence(ctx: CheckContext, name: str) -> float:
    own = ctx.settings(name, AlignmentOptions).min_confidence
    return ctx.min_confidence if own is None else own


def _severity(weight: str, doubtful: bool) -> Severity:
    if weight == "junk":
        return Severity.NEUTRAL
    if weight == "short" or doubtful:
        return Severity.MINOR
    return Severity.MAJOR


def _unaligned(pair: AlignedPair, ctx: CheckContext, rule_name: str, side: str, message: str) -> Finding:
    text = pair.source_text if side == "source" else pair.target_text
    doubtful = pair.bead.confidence < _min_confidence(ctx, rule_name)
    weight = _weight(text)
    return Finding(
        start=0,
        end=len(text),
        message=message + (" (alignment unsure)" if doubtful else ""),
        severity=_severity(weight, doubtful),
        side=side,
        data={"bead": pair.bead.kind, "confidence": round(pair.bead.confidence, 3), "kind": weight},
    )


def _unaligned_sentences(pairs: list[AlignedPair], ctx: CheckContext, side: str, rule_name: str, message: str) -> Iterator[tuple[AlignedPair, Finding]]:
    """A finding for every sentence of ``side`` without a counterpart; for documents the aligner
    refused (one ten times the other's length, see pipeline/doclength.py: length_mismatch) one
    critical finding on the first sentence of the longer side instead, when that is ``side``."""
    refused = None
    if not any(p.source and p.target for p in pairs):
        refused = length_mismatch([s.text for p in pairs for s in p.source], [s.text for p in pairs for s in p.target])
    if refused:
        longer, why = refused
        if longer == side:
            first = next(p for p in pairs if (p.source if side == "source" else p.target))
            text = first.source_text if side == "source" else first.target_text
            yield first, Finding(0, len(text), why, severity=Severity.CRITICAL, side=side, data={"bead": first.bead.kind, "kind": "document"})
        return
    for pair in pairs:
        mine, other = (pair.source, pair.target) if side == "source" else (pair.target, pair.source)
        if mine and not other:
            yield pair, _unaligned(pair, ctx, rule_name, side, message)


@rule("A101", "omitted-sentence", category="accuracy/omission", severity="major", scope="document", options=AlignmentOptions)
def omitted_sentence(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A source sentence has no counterpart in the translation (a 1-0 bead).

    Why: a dropped sentence loses content without leaving a trace in the target text; only the
    alignment shows it.  Severity: major for a sentence with content; minor for a short heading or
    boilerplate line (three words or fewer, no final punctuation) or when the aligner is unsure
    (confidence below ``min_confidence``, option of this rule, default ``align.min_confidence``, 0.5: the sentence may be
    translated together with a neighbour); neutral for a line without words.
    The issue sits on the source side.  A source document more than ten times as long as its
    translation (in sentences and in characters) is not aligned at all: one critical issue on its
    first sentence says so, instead of one for every sentence (and A102 stays quiet).

    Example: source "Der Kreml in Moskau bestätigte das Telefonat." with nothing matching it in the
    English text -> omitted-sentence (major).
    """
    yield from _unaligned_sentences(pairs, ctx, "source", "omitted-sentence", "source sentence has no translation in the target")


@rule("A102", "added-sentence", category="accuracy/addition", severity="major", scope="document", options=AlignmentOptions)
def added_sentence(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A target sentence has no counterpart in the source (a 0-1 bead).

    Why: MT systems and copy-paste add text that was never in the source (hallucinations, page
    furniture, traces of the web page a text was scraped from).  Severity: major for a sentence with
    content (or minor when the aligner is unsure, confidence below ``min_confidence``, default ``align.min_confidence``, 0.5);
    minor for a short boilerplate line (three words or fewer, no final punctuation, e.g.
    "source site-34"); neutral for a line without words (a lone ".").  A target document more
    than ten times as long as its source (in sentences and in characters) is not aligned at all:
    one critical issue on its first sentence says so, instead of one for every sentence (and A101
    stays quiet).

    Example: the MT of the seed article ends with the lines "." (neutral) and "source site-34"
    (minor), which no source sentence accounts for.
    """
    yield from _unaligned_sentences(pairs, ctx, "target", "added-sentence", "target sentence has no counterpart in the source")


@rule("A104", "empty-target", category="accuracy/omission", severity="major", empty_targets=True)
def empty_target(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """The target of a source segment with text is empty: nothing was translated.

    Why: an untranslated unit of a localization file (no ``<target>``, an empty one, an empty
    ``msgstr``) shows the user the source language or nothing at all, and an empty line of a
    line-aligned MT output is a sentence the system dropped.  The other checks skip blank targets,
    so this is the one finding for them; a source without letters or digits (a lone symbol) is
    not reported.

    Example: source "Connect to VPN", target "" -> the source marked, "the target is empty".
    Switch off: ``checks.disable: [A104]``.
    """
    source = pair.source_text
    if pair.target and not pair.target_text.strip() and any(ch.isalnum() for ch in source):
        start = len(source) - len(source.lstrip())
        yield Finding(start, len(source.rstrip()), "the target is empty: the source was not translated", side="source")


@rule("A103", "unaligned-content", category="accuracy/mistranslation", severity="minor", options=AlignmentOptions)
def unaligned_content(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Source and target of a bead do not look like translations of each other.

    Why: the aligner had to pair these sentences to keep the documents in order, but their
    embeddings, lengths and shared numbers and names say they hardly correspond (bead confidence
    below ``min_confidence``, option of this rule, default ``align.min_confidence``, 0.5).  That is a mistranslation, a
    partial omission or addition, or a reordering; a reviewer should look.  Minor by default because
    the alignment, not the translation, may be what is wrong.

    A document of one sentence a side has only one alignment, certain (as in line-aligned input):
    A501 (unrelated-translation) judges whether such a pair renders its source.

    Example: source "Die Entwicklungen wecken böse Erinnerungen an 2014." paired with
    "The weather in Geneva was mild." -> unaligned-content (confidence 0.08).
    """
    if not pair.source or not pair.target:
        return
    confidence = pair.bead.confidence
    if confidence >= _min_confidence(ctx, "unaligned-content"):
        return
    text = pair.target_text
    yield Finding(
        start=0,
        end=len(text),
        message=f"target does not look like a translation of its source (alignment confidence {confidence:.2f})",
        data={"bead": pair.bead.kind, "confidence": round(confidence, 3)},
    )
