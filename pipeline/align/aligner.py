"""Align two lists of sentences: build the sides, search (core.py), score each bead's confidence."""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ..config import AlignConfig
from ..doclength import length_mismatch
from ..embed import Embedder
from ..errors import ConfigError, ResourceMissing
from ..model import Bead
from .core import EMBEDDING_WEIGHTS, NO_EMBEDDING_WEIGHTS, SIMILARITY_WEIGHTS, CostModel, CostWeights, SearchStats, Side, SpanBead, bead_types, search, skip_costs
from .lexical import Dictionary, anchors, dictionary_direction, load_ding

log = logging.getLogger(__name__)

_WORD4 = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
ANCHOR_DIM = 512  # anchors shared by both sides are folded into this many columns
CENTRE_PRIOR = 8  # the centre of a side is its vectors' sum over (count + this): short documents are centred less


def is_junk(text: str) -> bool:
    """A line without a word of four letters: a lone ".", OCR debris, page furniture."""
    return _WORD4.search(text) is None


def is_fragment(text: str) -> bool:
    """Junk, or a short line (three words or fewer) without final punctuation: a caption, a
    heading, "source site-34".  Such lines are seldom half of a translated sentence."""
    if is_junk(text):
        return True
    return len(_WORD.findall(text)) <= 3 and not text.rstrip().endswith((".", "?", "!", ";", ":", ",", "»", "«", '"', "“", "”"))


@dataclass
class AlignStats:
    """What one alignment (or a whole run) cost: sentences, embedded texts, seconds."""

    sentences: int = 0
    texts: int = 0  # distinct texts that needed a vector (from the model or the disk cache)
    texts_embedded: int = 0  # of which the model computed
    embed_seconds: float = 0.0
    search_seconds: float = 0.0
    cells: int = 0
    documents: int = 0
    refused: int = 0  # pairs of documents too unequal in length to be translations (not aligned)

    def add(self, other: AlignStats) -> None:
        for name in ("sentences", "texts", "texts_embedded", "embed_seconds", "search_seconds", "cells", "documents", "refused"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Resources:
    """Heavy things shared by all alignments of a run: the embedder (and its cache), the dictionary."""

    embedder: Embedder | None = None
    dictionaries: dict[str, Dictionary | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    embeddings_failed: bool = False

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
            log.warning(text)


class SentenceAligner:
    """Aligns sentences of one language pair with one configuration."""

    def __init__(
        self,
        config: AlignConfig,
        src_lang: str,
        tgt_lang: str,
        resources: Resources | None = None,
        weights: CostWeights | None = None,
    ) -> None:
        self.config = config
        self.weights = weights  # None: the tuned defaults for the mode (with or without embeddings)
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.resources = resources if resources is not None else Resources()
        self.types = bead_types(config.max_bead, config.max_bead_total)
        self.stats = AlignStats()
        self.last: tuple | None = None  # the last search (path, costs, cost model, embeddings used), for calibration
        self.refusal: str | None = None  # why the last pair of documents was not aligned (length_mismatch)

    # --- resources -------------------------------------------------------------------------

    def _embedder(self) -> Embedder | None:
        if not self.config.embeddings or self.resources.embeddings_failed:
            return None
        if self.resources.embedder is None:
            self.resources.embedder = Embedder(self.config.embedding_prefix, self.config.cache_dir, runtime=self.config.embedding_runtime)
        return self.resources.embedder

    def _embed(self, texts: Sequence[str]) -> np.ndarray | None:
        embedder = self._embedder()
        if embedder is None:
            return None
        before_n, before_s, before_t = embedder.texts_embedded, embedder.seconds, embedder.texts_requested
        try:
            vecs = embedder.embed(texts, "align")
        except ResourceMissing as missing:
            self.resources.embeddings_failed = True
            self.resources.note(f"alignment without embeddings: {missing}")
            return None
        self.stats.texts_embedded += embedder.texts_embedded - before_n
        self.stats.texts += embedder.texts_requested - before_t
        self.stats.embed_seconds += embedder.seconds - before_s
        return vecs

    def _dictionary(self, use_embeddings: bool) -> tuple[Dictionary | None, str | None]:
        choice = self.config.dictionary
        direction = dictionary_direction(self.src_lang, self.tgt_lang)
        # Indexing the dictionary takes seconds and adds little to embeddings: "auto" uses it
        # only when aligning without them.
        if choice == "off" or direction is None or (choice == "auto" and use_embeddings):
            return None, None
        if choice not in self.resources.dictionaries:
            try:
                if choice in ("auto", "on"):
                    self.resources.dictionaries[choice] = load_ding()
                else:
                    if not Path(choice).exists():
                        raise ConfigError(f"align.dictionary: {choice}: no such file")
                    self.resources.dictionaries[choice] = load_ding(Path(choice))
            except ResourceMissing as missing:
                self.resources.note(f"alignment without a dictionary: {missing}")
                self.resources.dictionaries[choice] = None
        return self.resources.dictionaries[choice], direction

    # --- sides -----------------------------------------------------------------------------

    def _sides(self, src: Sequence[str], tgt: Sequence[str], src_par: Sequence[int] | None, tgt_par: Sequence[int] | None, weights: CostWeights, use_embeddings: bool) -> tuple[Side, Side]:
        dictionary, direction = self._dictionary(use_embeddings)
        src_side = "from" if direction == "source" else "to" if direction else None
        tgt_side = "from" if direction == "target" else "to" if direction else None
        folded: dict[str, str] = {}
        a_src = [anchors(t, dictionary, src_side, folded) for t in src]
        a_tgt = [anchors(t, dictionary, tgt_side, folded) for t in tgt]
        shared = sorted(set().union(*(a for a, _ in a_src)) & set().union(*(a for a, _ in a_tgt)))
        index = {a: k % ANCHOR_DIM for k, a in enumerate(shared)}
        dim = max(1, min(len(shared), ANCHOR_DIM))

        def build(texts: Sequence[str], found: list[tuple[set[str], int]], paragraphs: Sequence[int] | None, source: bool) -> Side:
            k = len(texts)
            lengths = np.array([max(len(t.strip()), 1) for t in texts], dtype=np.float64)
            junk = np.array([is_junk(t) for t in texts], dtype=bool)
            matrix = np.zeros((k, dim), dtype=np.float32)
            for row, (anchor_set, _) in enumerate(found):
                for a in anchor_set:
                    col = index.get(a)
                    if col is not None:
                        matrix[row, col] += 1.0  # counts: with shared buckets a sentence still matches itself fully
            para = np.zeros(k)
            if paragraphs is not None and k:
                para[0] = 1.0
                para[1:] = np.asarray(paragraphs[1:]) != np.asarray(paragraphs[:-1])
            return Side(
                lengths=lengths,
                skip_costs=skip_costs(weights, junk, source),
                sizes=np.ones(k),
                para_start=para,
                anchors=matrix,
                anchor_units=np.array([u for _, u in found], dtype=np.float64),
                fragments=np.array([is_fragment(t) for t in texts], dtype=np.float64),
                junk=junk,
                weights=lengths / 4 + 2,  # roughly the token count e5 averages over
            )

        return build(src, a_src, src_par, True), build(tgt, a_tgt, tgt_par, False)

    # --- alignment -------------------------------------------------------------------------

    def align(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        src_paragraphs: Sequence[int] | None = None,
        tgt_paragraphs: Sequence[int] | None = None,
    ) -> list[Bead]:
        """Beads covering every sentence of both sides in order; confidence in [0, 1] each.

        Documents that cannot be translations of each other (``length_mismatch``: one ten times
        the other's length) are not aligned: every sentence becomes a 1-0 or 0-1 bead, at a cost
        linear in their length, and ``refusal`` says why (the A101/A102 checks then report the
        documents once instead of every sentence)."""
        n, m = len(src), len(tgt)
        self.stats.sentences += n + m
        self.stats.documents += 1
        mismatch = length_mismatch(src, tgt)
        self.refusal = mismatch[1] if mismatch else None
        if self.refusal:
            self.stats.refused += 1
        if n == 0 or m == 0 or self.refusal:
            return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]
        if n == 1 and m == 1:
            # One sentence a side has one alignment: certain, as in line-aligned input, and found
            # without loading the embedding model (a one-sentence `mtqa run` or `mtqa score` starts
            # in a second); whether the sentence renders its source is A501's judgment.
            return [Bead((0,), (0,), 1.0)]

        src_vecs = self._embed(src)
        tgt_vecs = self._embed(tgt) if src_vecs is not None else None
        use_embeddings = src_vecs is not None and tgt_vecs is not None
        weights = self.weights or (SIMILARITY_WEIGHTS if use_embeddings else NO_EMBEDDING_WEIGHTS)
        # Bertalign's objective prices the sentence level only; the coarse levels that find the
        # band keep the distance cost.
        coarse_weights = EMBEDDING_WEIGHTS if weights.similarity else weights
        s_side, t_side = self._sides(src, tgt, src_paragraphs, tgt_paragraphs, coarse_weights, use_embeddings)
        if src_vecs is not None and tgt_vecs is not None:  # use_embeddings, spelled out for the type checker
            self._add_vectors(s_side, t_side, src_vecs, tgt_vecs, weights, src, tgt)
        use_paragraphs = bool(src_paragraphs is not None and tgt_paragraphs is not None and s_side.para_start.sum() > 1 and t_side.para_start.sum() > 1)
        path, costs, model = self._search(s_side, t_side, src, tgt, weights, coarse_weights, use_embeddings, use_paragraphs)
        with threadpool_limits(limits=1, user_api="blas"):
            confidences = bead_confidences(path, costs, model, use_embeddings, self.config.max_bead)
        return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), c) for (i0, i1, j0, j1), c in zip(path, confidences)]

    def _add_vectors(
        self, s_side: Side, t_side: Side, src_vecs: np.ndarray, tgt_vecs: np.ndarray, weights: CostWeights, src: Sequence[str], tgt: Sequence[str]
    ) -> None:
        """The sentence embeddings of both sides (centred for the similarity objective), and with
        ``concatenations: all`` those of every multi-sentence span."""
        if weights.similarity:
            s_side.centre = src_vecs.sum(axis=0) / (len(src_vecs) + CENTRE_PRIOR)
            t_side.centre = tgt_vecs.sum(axis=0) / (len(tgt_vecs) + CENTRE_PRIOR)
        s_side.vectors, t_side.vectors = centred(src_vecs, s_side.centre), centred(tgt_vecs, t_side.centre)
        if self.config.concatenations == "all":
            self._embed_all_spans(s_side, src)
            self._embed_all_spans(t_side, tgt)

    def _search(
        self,
        s_side: Side,
        t_side: Side,
        src: Sequence[str],
        tgt: Sequence[str],
        weights: CostWeights,
        coarse_weights: CostWeights,
        use_embeddings: bool,
        use_paragraphs: bool,
    ) -> tuple[list[SpanBead], list[float], CostModel]:
        """The coarse-to-fine search, timed apart from the embedding it asks for on the way."""
        ratio = float(np.clip(t_side.lengths.sum() / max(s_side.lengths.sum(), 1.0), 0.67, 1.5))

        def refine(path: list[SpanBead], costs: list[float], model: CostModel) -> bool:
            if not use_embeddings or self.config.concatenations != "path":
                return False
            return self._embed_path_spans(path, s_side, t_side, src, tgt)

        search_stats = SearchStats()
        t0 = time.perf_counter()
        embed_before = self.stats.embed_seconds
        # The search multiplies many small matrices; threaded BLAS only adds start-up and, on busy
        # cores, waiting (measured 7x slower on two shared cores), so it runs single-threaded.
        with threadpool_limits(limits=1, user_api="blas"):
            path, costs, model = search(
                s_side,
                t_side,
                weights,
                self.types,
                length_ratio=ratio,
                use_paragraphs=use_paragraphs,
                window=self.config.window,
                full_dp_cells=self.config.full_dp_cells,
                refine=refine,
                stats=search_stats,
                coarse_weights=coarse_weights,
            )
        self.stats.search_seconds += time.perf_counter() - t0 - (self.stats.embed_seconds - embed_before)
        self.stats.cells += search_stats.cells
        self.last = (path, costs, model, use_embeddings)  # for calibration and inspection
        return path, costs, model

    def _embed_spans(self, side: Side, texts: Sequence[str], spans: set[tuple[int, int]]) -> bool:
        todo = sorted((s, z) for s, z in spans if z >= 2 and s + z <= len(texts) and s not in side.exact.get(z, {}))
        if not todo:
            return False
        vecs = self._embed([" ".join(texts[s : s + z]) for s, z in todo])
        if vecs is None:
            return False
        for (s, z), v in zip(todo, centred(vecs, side.centre)):
            side.exact.setdefault(z, {})[s] = v
        return True

    def _embed_all_spans(self, side: Side, texts: Sequence[str]) -> None:
        sizes = range(2, self.config.max_bead + 1)
        self._embed_spans(side, texts, {(s, z) for z in sizes for s in range(len(texts) - z + 1)})

    def _embed_path_spans(self, path: list[SpanBead], s_side: Side, t_side: Side, src: Sequence[str], tgt: Sequence[str]) -> bool:
        """Embed the concatenations the path uses, and the merges that could replace a skip."""
        src_spans: set[tuple[int, int]] = set()
        tgt_spans: set[tuple[int, int]] = set()
        for i0, i1, j0, j1 in path:
            a, b = i1 - i0, j1 - j0
            if a >= 2:
                src_spans.add((i0, a))
            if b >= 2:
                tgt_spans.add((j0, b))
            if a and b and (a >= 2 or b >= 2):
                # the same bead one sentence larger or smaller on either side
                for spans, start, size in ((src_spans, i0, a), (tgt_spans, j0, b)):
                    spans.update({(start, size + 1), (start - 1, size + 1), (start + 1, size - 1), (start, size - 1)})
            elif a == 1 and b == 0:
                src_spans.update({(i0 - 1, 2), (i0, 2)})
            elif a == 0 and b == 1:
                tgt_spans.update({(j0 - 1, 2), (j0, 2)})
        src_spans = {(s, z) for s, z in src_spans if s >= 0 and 2 <= z <= self.config.max_bead}
        tgt_spans = {(s, z) for s, z in tgt_spans if s >= 0 and 2 <= z <= self.config.max_bead}
        changed = self._embed_spans(s_side, src, src_spans)
        changed = self._embed_spans(t_side, tgt, tgt_spans) or changed
        return changed


def centred(vecs: np.ndarray, centre: np.ndarray | None) -> np.ndarray:
    """Vectors less the side's centre, L2-normalised again (unchanged without a centre)."""
    if centre is None:
        return vecs
    out = vecs - centre[None, :]
    return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


@dataclass(frozen=True)
class Calibration:
    """Logistic maps from a bead's feature to the probability that the bead is exactly right,
    fitted on the Text+Berg dev set (eval/align_textberg.py --calibrate)."""

    pair: tuple[float, float]  # intercept, slope on the bead's cost per sentence pair
    skip: tuple[float, float]  # intercept, slope on the margin of a 1-0 / 0-1 bead


EMBEDDING_CALIBRATION = Calibration(pair=(0.077, -4.395), skip=(-0.047, 1.152))
DISTANCE_CALIBRATION = Calibration(pair=(3.964, -5.098), skip=(-1.568, 1.281))  # embeddings with the distance cost at sentence level
NO_EMBEDDING_CALIBRATION = Calibration(pair=(2.299, -1.043), skip=(-0.55, 0.19))


def _bead_cost(model: CostModel, i0: int, i1: int, j0: int, j1: int) -> float:
    a, b = i1 - i0, j1 - j0
    if i0 < 0 or j0 < 0 or i1 > model.src.k or j1 > model.tgt.k or not a or not b:
        return math.inf
    return float(model.block(a, b, i1, i1 + 1, j1, j1 + 1)[0, 0])


def bead_features(path: Sequence[SpanBead], costs: Sequence[float], model: CostModel, max_bead: int) -> list[float]:
    """A bead with sentences on both sides: its cost per sentence pair (low is good).  A 1-0 or
    0-1 bead: how much more it would cost to put the lone sentence into the bead before or after
    it instead (high is good: a skipped sentence that fits a neighbour may really belong to it)."""
    out: list[float] = []
    for k, ((i0, i1, j0, j1), cost) in enumerate(zip(path, costs)):
        a, b = i1 - i0, j1 - j0
        if a and b:
            out.append(cost / model.weights.size_factor(a, b))
            continue
        margin = 3.0
        for nb in (k - 1, k + 1):
            if not 0 <= nb < len(path):
                continue
            p0, p1, q0, q1 = path[nb]
            if p1 == p0 or q1 == q0:
                continue
            if nb < k:
                merged = (p0, p1 + a, q0, q1 + b)
            else:
                merged = (p0 - a, p1, q0 - b, q1)
            if merged[1] - merged[0] > max_bead or merged[3] - merged[2] > max_bead:
                continue
            margin = min(margin, _bead_cost(model, *merged) - (costs[nb] + cost))
        out.append(margin)
    return out


def bead_confidences(path: Sequence[SpanBead], costs: Sequence[float], model: CostModel, use_embeddings: bool, max_bead: int) -> list[float]:
    """How sure the aligner is of each bead: the calibrated probability that it is exactly right."""
    if not use_embeddings:
        cal = NO_EMBEDDING_CALIBRATION
    else:
        cal = EMBEDDING_CALIBRATION if model.weights.similarity else DISTANCE_CALIBRATION
    out = []
    for (i0, i1, j0, j1), x in zip(path, bead_features(path, costs, model, max_bead)):
        intercept, slope = cal.pair if (i1 > i0 and j1 > j0) else cal.skip
        out.append(_sigmoid(intercept + slope * x))
    return out
