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

from ..config import AlignConfig
from ..errors import ConfigError, ResourceMissing
from ..model import Bead
from .core import EMBEDDING_WEIGHTS, NO_EMBEDDING_WEIGHTS, CostModel, CostWeights, SearchStats, Side, SpanBead, bead_types, search
from .embed import Embedder
from .lexical import Dictionary, anchors, dictionary_direction, load_ding

log = logging.getLogger(__name__)

_WORD4 = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
ANCHOR_DIM = 256


def is_junk(text: str) -> bool:
    """A line without a word of four letters: a lone ".", OCR debris, page furniture."""
    return _WORD4.search(text) is None


@dataclass
class AlignStats:
    """What one alignment (or a whole run) cost: sentences, embedded texts, seconds."""

    sentences: int = 0
    texts_embedded: int = 0
    embed_seconds: float = 0.0
    search_seconds: float = 0.0
    cells: int = 0
    documents: int = 0

    def add(self, other: AlignStats) -> None:
        for name in ("sentences", "texts_embedded", "embed_seconds", "search_seconds", "cells", "documents"):
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

    # --- resources -------------------------------------------------------------------------

    def _embedder(self) -> Embedder | None:
        if not self.config.embeddings or self.resources.embeddings_failed:
            return None
        if self.resources.embedder is None:
            self.resources.embedder = Embedder(self.config.embedding_prefix, self.config.cache_dir)
        return self.resources.embedder

    def _embed(self, texts: Sequence[str]) -> np.ndarray | None:
        embedder = self._embedder()
        if embedder is None:
            return None
        before_n, before_s = embedder.texts_embedded, embedder.seconds
        try:
            vecs = embedder.embed(texts)
        except ResourceMissing as missing:
            self.resources.embeddings_failed = True
            self.resources.note(f"alignment without embeddings: {missing}")
            return None
        self.stats.texts_embedded += embedder.texts_embedded - before_n
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
        a_src = [anchors(t, dictionary, src_side) for t in src]
        a_tgt = [anchors(t, dictionary, tgt_side) for t in tgt]
        shared = sorted(set().union(*(a for a, _ in a_src)) & set().union(*(a for a, _ in a_tgt)))
        index = {a: k % ANCHOR_DIM for k, a in enumerate(shared)}
        dim = max(1, min(len(shared), ANCHOR_DIM))

        def build(texts: Sequence[str], found: list[tuple[set[str], int]], paragraphs: Sequence[int] | None) -> Side:
            k = len(texts)
            lengths = np.array([max(len(t.strip()), 1) for t in texts], dtype=np.float64)
            junk = np.array([is_junk(t) for t in texts], dtype=bool)
            matrix = np.zeros((k, dim), dtype=np.float32)
            for row, (anchor_set, _) in enumerate(found):
                for a in anchor_set:
                    col = index.get(a)
                    if col is not None:
                        matrix[row, col] = 1.0
            para = np.zeros(k)
            if paragraphs is not None and k:
                para[0] = 1.0
                para[1:] = np.asarray(paragraphs[1:]) != np.asarray(paragraphs[:-1])
            return Side(
                lengths=lengths,
                skip_costs=np.where(junk, weights.junk_skip, weights.skip).astype(np.float64),
                sizes=np.ones(k),
                para_start=para,
                anchors=matrix,
                anchor_units=np.array([u for _, u in found], dtype=np.float64),
                weights=lengths / 4 + 2,  # roughly the token count e5 averages over
            )

        return build(src, a_src, src_par), build(tgt, a_tgt, tgt_par)

    # --- alignment -------------------------------------------------------------------------

    def align(
        self,
        src: Sequence[str],
        tgt: Sequence[str],
        src_paragraphs: Sequence[int] | None = None,
        tgt_paragraphs: Sequence[int] | None = None,
    ) -> list[Bead]:
        """Beads covering every sentence of both sides in order; confidence in [0, 1] each."""
        n, m = len(src), len(tgt)
        self.stats.sentences += n + m
        self.stats.documents += 1
        if n == 0 or m == 0:
            return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]

        src_vecs = self._embed(src)
        tgt_vecs = self._embed(tgt) if src_vecs is not None else None
        use_embeddings = src_vecs is not None and tgt_vecs is not None
        weights = self.weights or (EMBEDDING_WEIGHTS if use_embeddings else NO_EMBEDDING_WEIGHTS)
        s_side, t_side = self._sides(src, tgt, src_paragraphs, tgt_paragraphs, weights, use_embeddings)
        if use_embeddings:
            s_side.vectors, t_side.vectors = src_vecs, tgt_vecs
            if self.config.concatenations == "all":
                self._embed_all_spans(s_side, src)
                self._embed_all_spans(t_side, tgt)

        ratio = float(np.clip(t_side.lengths.sum() / max(s_side.lengths.sum(), 1.0), 0.67, 1.5))
        use_paragraphs = bool(src_paragraphs is not None and tgt_paragraphs is not None and s_side.para_start.sum() > 1 and t_side.para_start.sum() > 1)

        def refine(path: list[SpanBead], costs: list[float], model: CostModel) -> bool:
            if not use_embeddings or self.config.concatenations != "path":
                return False
            return self._embed_path_spans(path, s_side, t_side, src, tgt)

        search_stats = SearchStats()
        t0 = time.perf_counter()
        embed_before = self.stats.embed_seconds
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
        )
        self.stats.search_seconds += time.perf_counter() - t0 - (self.stats.embed_seconds - embed_before)
        self.stats.cells += search_stats.cells
        confidences = bead_confidences(path, costs, model, use_embeddings)
        return [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), c) for (i0, i1, j0, j1), c in zip(path, confidences)]

    def _embed_spans(self, side: Side, texts: Sequence[str], spans: set[tuple[int, int]]) -> bool:
        todo = sorted((s, z) for s, z in spans if z >= 2 and s + z <= len(texts) and s not in side.exact.get(z, {}))
        if not todo:
            return False
        vecs = self._embed([" ".join(texts[s : s + z]) for s, z in todo])
        if vecs is None:
            return False
        for (s, z), v in zip(todo, vecs):
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


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def bead_confidences(path: Sequence[SpanBead], costs: Sequence[float], model: CostModel, use_embeddings: bool) -> list[float]:
    """How sure the aligner is of each bead, in [0, 1].

    A bead with sentences on both sides is judged by its cost per sentence pair; a 1-0 or 0-1 bead
    by how badly the lone sentence matches its closest neighbours on the other side (a skipped
    sentence that resembles a neighbour may really belong to it).
    """
    out: list[float] = []
    for (i0, i1, j0, j1), cost in zip(path, costs):
        a, b = i1 - i0, j1 - j0
        if a and b:
            per_pair = cost / (a * b)
            out.append(_sigmoid(6.0 * ((0.65 if use_embeddings else 0.9) - per_pair)))
            continue
        # the cheapest bead that would take the skipped sentence together with a neighbour
        best = math.inf
        for da, db in ((1, 1), (2, 1), (1, 2)):
            if a:
                for start in (i0 - da + 1, i0):
                    for j in (j0 - db, j0):
                        best = min(best, _one_cost(model, start, da, j, db))
            else:
                for start in (j0 - db + 1, j0):
                    for i in (i0 - da, i0):
                        best = min(best, _one_cost(model, i, da, start, db))
        per_pair = best / 2 if math.isfinite(best) else 2.0
        out.append(_sigmoid(6.0 * (per_pair - (0.65 if use_embeddings else 0.9))))
    return out


def _one_cost(model: CostModel, i: int, a: int, j: int, b: int) -> float:
    if i < 0 or j < 0 or i + a > model.src.k or j + b > model.tgt.k:
        return math.inf
    return float(model.block(a, b, i + a, i + a + 1, j + b, j + b + 1)[0, 0]) / (a * b)
