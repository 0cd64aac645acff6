"""Sentence alignment of two documents: n-m beads by dynamic programming, coarse to fine.

With embeddings, the sentence level is priced as Bertalign does (Liu & Zhu 2022): a bead earns the
similarity of its two sides' vectors times their length agreement log2(1 + shorter/longer), and a
1-0 or 0-1 bead costs a small constant; the path with the most similarity wins.  A bead's reward is
not multiplied by its size, so a merge wins only where its concatenations match better than the
beads it replaces together.  e5 vectors share a large common component (unrelated sentences score
~0.75 cosine), so each side's vectors are centred first (the side's mean vector subtracted); this
also makes the length-weighted mean of two vectors, which stands in for the vector of their
concatenation until that is embedded, about as similar to the other side as the real one (without
centring the mean scores higher than any real vector).

The coarse levels, and alignment without embeddings, use a cost that combines
  * embeddings: cosine distance of the two sides' vectors, normalised as Vecalign does by the
    distance of each side to random sentences of the other document (the margin: with e5 even
    unrelated sentences score ~0.75 cosine, so raw cosine says little),
  * length: Gale and Church's character-length model,
  * lexical anchors (numbers, names, cognates, punctuation, dictionary words; see lexical.py),
  * paragraph boundaries as soft anchors,
and is multiplied by the bead's sentence counts, so that a merge is never cheaper than the 1-1
beads it replaces (what made the difference in Vecalign).  Skipping a sentence (1-0, 0-1) costs a
constant, less for junk lines without words (".", "- _-", page furniture).

Search is linear in document length: the documents are coarsened by averaging adjacent sentences
until a full DP is cheap, and each finer level searches only a band around the path found one
level up (Vecalign's approximation).  The DP itself is vectorised row by row with numpy.  The
vector of a concatenation is first approximated by the length-weighted mean of its sentences'
vectors; concatenations that the path may use are then embedded for real and the last level is
searched again (Bertalign's two steps), so the model embeds little more than each sentence once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

INF = np.inf
_GC_VARIANCE = 6.8  # Gale & Church (1993): variance of the target/source length ratio per character


@dataclass(frozen=True)
class CostWeights:
    """The bead cost model's constants (tuned on the Text+Berg dev set only)."""

    embedding: float = 0.75
    length: float = 0.1
    lexical: float = 0.0
    skip: float = 0.8  # a 1-0 or 0-1 bead of a sentence with words
    junk_skip: float = 0.4  # ... of a line without words
    paragraph: float = 0.15  # a bead's start disagrees with the paragraph starts, or crosses one
    merge: float = 0.05  # every extra sentence in a bead
    fragment_merge: float = 0.3  # every fragment (junk line, caption, heading) inside a merge
    member: float = 1.0  # a merged sentence that does not itself resemble the other side ...
    member_margin: float = 0.75  # ... (normalised distance above this: junk and captions stay out of merges)
    product: bool = True  # multiply by a*b (Vecalign); otherwise by (a+b)/2
    deletion: float = 0.0  # added to a 1-0 bead: translators seldom drop a source sentence
    similarity: float = 0.0  # > 0: Bertalign's objective (a bead earns this times its similarity)

    def size_factor(self, a: int, b: int) -> float:
        return float(a * b if self.product else (a + b) / 2)


EMBEDDING_WEIGHTS = CostWeights()  # the coarse levels with embeddings
# The sentence level with embeddings: Bertalign's skip cost (0.1) for a 0-1 bead; tuned on the
# Text+Berg dev set: a 1-0 bead costs 0.2 more (dev gold: 1 deletion to 40 insertions), a line
# without words nothing beyond the reward it forgoes.  A paragraph mismatch (Text+Berg has no
# paragraphs; the seed article has) costs about a third of a good bead's reward.
SIMILARITY_WEIGHTS = CostWeights(embedding=0.0, length=0.0, member=0.0, merge=0.0, fragment_merge=0.0, similarity=1.0, skip=0.1, junk_skip=0.0, deletion=0.2, paragraph=0.15)
NO_EMBEDDING_WEIGHTS = CostWeights(embedding=0.0, length=0.3, lexical=1.0, skip=1.6, junk_skip=0.6, paragraph=0.5, merge=0.02, fragment_merge=0.6, member=0.0)


@dataclass
class Side:
    """One document side at one resolution: units are sentences (level 0) or blocks of them."""

    lengths: np.ndarray  # characters per unit
    skip_costs: np.ndarray  # cost of leaving each unit unaligned
    sizes: np.ndarray  # sentences per unit
    para_start: np.ndarray  # 1.0 where a unit starts a paragraph
    anchors: np.ndarray  # (k, H) counts of shared anchors
    anchor_units: np.ndarray  # anchors per unit, shared or not
    fragments: np.ndarray  # 1.0 for a line that is no full sentence (junk, caption, heading)
    vectors: np.ndarray | None = None  # (k, d) unit vectors, L2-normalised
    weights: np.ndarray | None = None  # token-count proxy used to average vectors
    junk: np.ndarray | None = None  # True for a line without words (level 0 only)
    centre: np.ndarray | None = None  # subtracted from this side's vectors, embedded later ones too
    exact: dict[int, dict[int, np.ndarray]] = field(default_factory=dict)  # size -> start -> embedded concatenation
    _spans: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)

    @property
    def k(self) -> int:
        return len(self.lengths)

    def span(self, name: str, size: int) -> np.ndarray:
        """Per-span sums of a one-dimensional attribute (cached)."""
        key = (name, size)
        if key not in self._spans:
            self._spans[key] = span_sum(getattr(self, name), size)
        return self._spans[key]

    def span_rows(self, name: str, size: int, start: int, stop: int) -> np.ndarray:
        """Rows ``start..stop-1`` of the span matrix of ``vectors`` or ``anchors``, computed on
        demand so that memory stays linear in document length."""
        if name == "anchors":
            out = self.anchors[start:stop].astype(np.float32)
            for k in range(1, size):
                out = out + self.anchors[start + k : stop + k]
            return out
        assert self.vectors is not None and self.weights is not None
        if size == 1:
            return self.vectors[start:stop]
        out = np.zeros((stop - start, self.vectors.shape[1]), dtype=np.float32)
        for k in range(size):
            out += self.vectors[start + k : stop + k] * self.weights[start + k : stop + k, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
        exact = self.exact.get(size)
        if exact:
            for pos in range(start, stop):
                vec = exact.get(pos)
                if vec is not None:
                    out[pos - start] = vec
        return out

    def forget_spans(self) -> None:
        self._spans.clear()

    def coarsen(self) -> Side:
        """Pairs of adjacent units become one unit."""

        def pair(x: np.ndarray) -> np.ndarray:
            even = x[0::2].astype(np.float64)
            odd = x[1::2]
            out = even.copy()
            out[: len(odd)] += odd
            return out

        vectors = weights = None
        if self.vectors is not None and self.weights is not None:
            weights = pair(self.weights)
            summed = pair(self.vectors * self.weights[:, None])
            vectors = (summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-9)).astype(np.float32)
        return Side(
            lengths=pair(self.lengths),
            skip_costs=pair(self.skip_costs),
            sizes=pair(self.sizes),
            para_start=self.para_start[0::2].copy(),
            anchors=pair(self.anchors).astype(np.float32),
            anchor_units=pair(self.anchor_units),
            fragments=pair(self.fragments),
            vectors=vectors,
            weights=weights,
        )


def skip_costs(weights: CostWeights, junk: np.ndarray, source: bool) -> np.ndarray:
    """Cost of leaving each sentence of one side unaligned."""
    return np.where(junk, weights.junk_skip, weights.skip) + (weights.deletion if source else 0.0)


def span_sum(x: np.ndarray, size: int) -> np.ndarray:
    """Sums over every window of ``size`` consecutive rows (row s: rows s..s+size-1)."""
    if len(x) < size:
        return np.zeros((0,) + x.shape[1:], dtype=np.float64)
    zero = np.zeros((1,) + x.shape[1:], dtype=np.float64)
    c = np.concatenate([zero, np.cumsum(x, axis=0, dtype=np.float64)])
    return c[size:] - c[:-size]


def neg_log_erfc(z: np.ndarray) -> np.ndarray:
    """-log(erfc(z)) for z >= 0, stable for large z (Numerical Recipes' erfcc, error < 1.2e-7)."""
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    return -(np.log(t) - z * z + poly)


@dataclass
class CostModel:
    """Bead costs between a source and a target side at one resolution."""

    src: Side
    tgt: Side
    weights: CostWeights
    length_ratio: float
    use_paragraphs: bool
    norms_src: dict[int, np.ndarray] = field(default_factory=dict)
    norms_tgt: dict[int, np.ndarray] = field(default_factory=dict)
    samples: tuple[np.ndarray, np.ndarray] | None = None

    def __post_init__(self) -> None:
        if self.src.vectors is not None and self.tgt.vectors is not None and (self.weights.embedding or self.weights.similarity):
            rng = np.random.default_rng(0)
            pick_t = rng.choice(self.tgt.k, size=min(self.tgt.k, 64), replace=False) if self.tgt.k else np.zeros(0, int)
            pick_s = rng.choice(self.src.k, size=min(self.src.k, 64), replace=False) if self.src.k else np.zeros(0, int)
            self.samples = (self.src.vectors[pick_s], self.tgt.vectors[pick_t])

    def refresh(self) -> None:
        self.norms_src.clear()
        self.norms_tgt.clear()
        self.src.forget_spans()
        self.tgt.forget_spans()

    def _norm(self, side: str, size: int) -> np.ndarray:
        """Mean cosine distance of each span to random sentences of the other document."""
        assert self.samples is not None
        cache = self.norms_src if side == "src" else self.norms_tgt
        if size not in cache:
            this = self.src if side == "src" else self.tgt
            other_sample = self.samples[1] if side == "src" else self.samples[0]
            count = max(this.k - size + 1, 0)
            norms = np.ones(count)
            if len(other_sample):
                for start in range(0, count, 4096):
                    stop = min(count, start + 4096)
                    vecs = this.span_rows("vectors", size, start, stop)
                    norms[start:stop] = np.maximum(1.0 - (vecs @ other_sample.T).mean(axis=1), 0.05)
            cache[size] = norms
        return cache[size]

    def _member_misfit(self, a: int, b: int, s: slice, t: slice, src_vecs, tgt_vecs, norm_s, norm_t) -> np.ndarray:
        """For a merge: how far each single sentence of one side is from the other side's span,
        beyond ``member_margin`` (summed).  A caption or a stray line averaged into a merge hardly
        moves the merged vector, but on its own it resembles nothing on the other side."""
        margin = self.weights.member_margin
        total = np.zeros((s.stop - s.start, t.stop - t.start))
        if b > 1:
            assert self.tgt.vectors is not None  # merges are priced by vectors only when both sides have them
            n1 = self._norm("tgt", 1)
            for k in range(b):
                single = self.tgt.vectors[t.start + k : t.stop + k]
                e = (1.0 - src_vecs @ single.T) / ((norm_s[:, None] + n1[t.start + k : t.stop + k][None, :]) / 2)
                total += np.maximum(e - margin, 0.0)
        if a > 1:
            assert self.src.vectors is not None
            n1 = self._norm("src", 1)
            for k in range(a):
                single = self.src.vectors[s.start + k : s.stop + k]
                e = (1.0 - single @ tgt_vecs.T) / ((n1[s.start + k : s.stop + k][:, None] + norm_t[None, :]) / 2)
                total += np.maximum(e - margin, 0.0)
        return total

    def block(self, a: int, b: int, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """Costs of a-b beads ending at DP states (i, j), i in [r0, r1), j in [c0, c1)."""
        out = np.full((r1 - r0, c1 - c0), INF)
        rs, cs = max(r0, a), max(c0, b)
        if rs >= r1 or cs >= c1:
            return out
        s = slice(rs - a, r1 - a)
        t = slice(cs - b, c1 - b)
        w = self.weights
        src, tgt = self.src, self.tgt
        evidence = np.zeros((r1 - rs, c1 - cs))
        ls = src.span("lengths", a)[s][:, None] * self.length_ratio
        lt = tgt.span("lengths", b)[t][None, :]

        if (w.embedding or w.similarity) and self.samples is not None:
            src_vecs = src.span_rows("vectors", a, s.start, s.stop)
            tgt_vecs = tgt.span_rows("vectors", b, t.start, t.stop)
            norm_s, norm_t = self._norm("src", a)[s], self._norm("tgt", b)[t]
            distance = (1.0 - src_vecs @ tgt_vecs.T) / ((norm_s[:, None] + norm_t[None, :]) / 2)
            if w.similarity:
                # Bertalign: similarity times length agreement, a reward; nothing else counts
                # but the paragraphs.
                cost = -w.similarity * (1.0 - distance) * np.log2(1.0 + np.minimum(ls, lt) / np.maximum(ls, lt))
                out[rs - r0 :, cs - c0 :] = cost + self._paragraph_cost(a, b, s, t)
                return out
            evidence += w.embedding * distance
            if w.member and (a > 1 or b > 1):
                evidence += w.member * self._member_misfit(a, b, s, t, src_vecs, tgt_vecs, norm_s, norm_t) / w.size_factor(a, b)

        if w.length:
            delta = np.abs(lt - ls) / np.sqrt(_GC_VARIANCE * np.maximum((ls + lt) / 2, 1.0))
            evidence += w.length * np.minimum(neg_log_erfc(delta / math.sqrt(2)), 50.0)

        if w.lexical:
            us = src.span("anchor_units", a)[s][:, None]
            ut = tgt.span("anchor_units", b)[t][None, :]
            matched = src.span_rows("anchors", a, s.start, s.stop) @ tgt.span_rows("anchors", b, t.start, t.stop).T
            total = us + ut
            matched = np.minimum(matched, np.minimum(us, ut))
            dice = np.where(total > 0, 2 * matched / np.maximum(total, 1), 0.0)
            # Evidence grows with the anchors per sentence, not per bead, so that merging cannot buy
            # it; and it is never a reward (costs are multiplied by bead size, a reward would favour
            # merges).  Sentences without anchors cost nothing here.
            strength = np.minimum(total / (2.0 * (a + b)), 1.0)
            evidence += w.lexical * strength * (1.0 - dice)

        scale = (src.span("sizes", a)[s][:, None] + tgt.span("sizes", b)[t][None, :]) / (a + b)
        mult = w.size_factor(a, b)
        cost = evidence * (mult * scale) + w.merge * (a + b - 2) * scale
        if w.fragment_merge and (a > 1 or b > 1):
            inside = (src.span("fragments", a)[s][:, None] if a > 1 else 0.0) + (tgt.span("fragments", b)[t][None, :] if b > 1 else 0.0)
            cost = cost + w.fragment_merge * inside

        out[rs - r0 :, cs - c0 :] = cost + self._paragraph_cost(a, b, s, t)
        return out

    def _paragraph_cost(self, a: int, b: int, s: slice, t: slice) -> np.ndarray | float:
        """A bead whose start disagrees with the paragraph starts, or that crosses one."""
        if not (self.use_paragraphs and self.weights.paragraph):
            return 0.0
        src, tgt = self.src, self.tgt
        ps = src.para_start[s][:, None]
        pt = tgt.para_start[t][None, :]
        inner_s = (src.span("para_start", a)[s] - src.para_start[s])[:, None] > 0
        inner_t = (tgt.span("para_start", b)[t] - tgt.para_start[t])[None, :] > 0
        return self.weights.paragraph * ((ps != pt) + inner_s + inner_t)


def bead_types(max_bead: int, max_total: int) -> list[tuple[int, int]]:
    return [(a, b) for a in range(1, max_bead + 1) for b in range(1, max_bead + 1) if a + b <= max_total]


SpanBead = tuple[int, int, int, int]  # source [i0, i1), target [j0, j1)


def _shifted(row: np.ndarray, lo_p: int, hi_p: int, lo: int, hi: int, b: int) -> np.ndarray:
    """Values of a previous DP row at columns j - b for j in [lo, hi) (inf outside its band)."""
    out = np.full(hi - lo, INF)
    start, end = max(lo - b, lo_p), min(hi - b, hi_p)
    if start < end:
        out[start - (lo - b) : end - (lo - b)] = row[start - lo_p : end - lo_p]
    return out


def band_dp(model: CostModel, types: Sequence[tuple[int, int]], lo: np.ndarray, hi: np.ndarray) -> tuple[list[SpanBead], list[float]]:
    """Cheapest monotone path of beads from (0, 0) to (n, m) within the band lo[i] <= j < hi[i].

    Returns the beads and each bead's cost.
    """
    n, m = model.src.k, model.tgt.k
    n_types = len(types)
    deletion, insertion = n_types, n_types + 1
    ins_cum = np.concatenate([[0.0], np.cumsum(model.tgt.skip_costs)])
    dels = model.src.skip_costs
    rows: list[np.ndarray] = [np.zeros(0)] * (n + 1)
    back: list[np.ndarray] = [np.zeros(0, dtype=np.int8)] * (n + 1)
    r0 = 0
    while r0 <= n:
        r1, c0, c1 = _block_extent(lo, hi, r0, n)
        blocks = [model.block(a, b, r0, r1, c0, c1) for a, b in types]
        for i in range(r0, r1):
            l, h = int(lo[i]), int(hi[i])  # noqa: E741 - l(ow)/h(igh) of the band row, as in the DP literature
            cands = np.full((n_types + 1, h - l), INF)
            for t, (a, b) in enumerate(types):
                if i - a >= 0:
                    cands[t] = _shifted(rows[i - a], int(lo[i - a]), int(hi[i - a]), l, h, b) + blocks[t][i - r0, l - c0 : h - c0]
            if i >= 1:
                cands[deletion] = _shifted(rows[i - 1], int(lo[i - 1]), int(hi[i - 1]), l, h, 0) + dels[i - 1]
            best = np.argmin(cands, axis=0)
            x = cands[best, np.arange(h - l)]
            if i == 0 and l == 0:
                x[0] = 0.0
            p = ins_cum[l:h]
            y = x - p
            r = np.minimum.accumulate(y)
            rows[i] = r + p
            back[i] = np.where(r < y, insertion, best).astype(np.int16)
        r0 = r1

    if not (lo[n] <= m < hi[n]) or not np.isfinite(rows[n][m - lo[n]]):
        raise RuntimeError("alignment band does not reach the end of the documents")
    return _trace_back(rows, back, lo, types, n, m)


def _block_extent(lo: np.ndarray, hi: np.ndarray, r0: int, n: int, budget: int = 250_000) -> tuple[int, int, int]:
    """The rows [r0, r1) and columns [c0, c1) of the next dense block of bead costs."""
    # on a diagonal band a block of many rows would be mostly outside the band, so blocks stop at
    # about twice the band's cells
    r1 = r0 + 1
    c0, c1 = int(lo[r0]), int(hi[r0])
    band_cells = c1 - c0
    while r1 <= n:
        n0, n1 = min(c0, int(lo[r1])), max(c1, int(hi[r1]))
        block_cells = (r1 - r0 + 1) * (n1 - n0)
        if block_cells > budget or block_cells > 2 * (band_cells + int(hi[r1] - lo[r1])) + 4096:
            break
        c0, c1 = n0, n1
        band_cells += int(hi[r1] - lo[r1])
        r1 += 1
    return r1, c0, c1


def _trace_back(
    rows: list[np.ndarray], back: list[np.ndarray], lo: np.ndarray, types: Sequence[tuple[int, int]], n: int, m: int
) -> tuple[list[SpanBead], list[float]]:
    """The beads of the cheapest path, from the back pointers (a bead type, or deletion and
    insertion after the types), and each bead's cost."""
    deletion, insertion = len(types), len(types) + 1
    beads: list[SpanBead] = []
    costs: list[float] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i][j - lo[i]])
        if t == insertion:
            a, b = 0, 1
        elif t == deletion:
            a, b = 1, 0
        else:
            a, b = types[t]
        here = rows[i][j - lo[i]]
        there = rows[i - a][j - b - lo[i - a]]
        beads.append((i - a, i, j - b, j))
        costs.append(float(here - there))
        i, j = i - a, j - b
    beads.reverse()
    costs.reverse()
    return beads, costs


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64)


def band_around(path: Sequence[SpanBead], n: int, m: int, window: int, factor: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The band of a finer level: every cell within ``window`` rows and columns of the coarse path
    projected down (each coarse unit is ``factor`` finer units; a bead's cells follow a straight line)."""
    row_min = np.full(n + 1, m + 1, dtype=np.int64)
    row_max = np.full(n + 1, -1, dtype=np.int64)

    def visit(i: int, j: int) -> None:
        if j < row_min[i]:
            row_min[i] = j
        if j > row_max[i]:
            row_max[i] = j

    visit(0, 0)
    for i0, i1, j0, j1 in path:
        fi0, fi1 = min(i0 * factor, n), min(i1 * factor, n)
        fj0, fj1 = min(j0 * factor, m), min(j1 * factor, m)
        steps = max(fi1 - fi0, fj1 - fj0, 1)
        for k in range(steps + 1):
            visit(fi0 + round((fi1 - fi0) * k / steps), fj0 + round((fj1 - fj0) * k / steps))
    visit(n, m)
    # every cell within ``window`` rows and columns of a path cell
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.full(n + 1, -1, dtype=np.int64)
    for d in range(-window, window + 1):
        src = np.arange(n + 1) + d
        ok = (src >= 0) & (src <= n)
        idx = np.nonzero(ok)[0]
        lo[idx] = np.minimum(lo[idx], row_min[src[ok]])
        hi[idx] = np.maximum(hi[idx], row_max[src[ok]])
    lo = np.clip(lo - window, 0, m)
    hi = np.clip(hi + window + 1, 1, m + 1)
    # the band must be monotone so that every row can be reached from the previous one
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


@dataclass
class SearchStats:
    levels: int = 0
    cells: int = 0
    seconds: float = 0.0


def search(
    src: Side,
    tgt: Side,
    weights: CostWeights,
    types: Sequence[tuple[int, int]],
    *,
    length_ratio: float,
    use_paragraphs: bool,
    window: int,
    full_dp_cells: int,
    refine: Callable[[list[SpanBead], list[float], CostModel], bool] | None = None,
    stats: SearchStats | None = None,
    coarse_weights: CostWeights | None = None,
) -> tuple[list[SpanBead], list[float], CostModel]:
    """Coarse-to-fine alignment of two level-0 sides; ``refine`` may add exact concatenation
    vectors after the first pass at level 0 and return True to search that level again.  The
    coarse levels use ``coarse_weights`` (default ``weights``; the sides' skip costs must be
    theirs), the sentence level ``weights``."""
    coarse_weights = coarse_weights or weights
    stats = stats if stats is not None else SearchStats()
    t0 = time.perf_counter()
    levels = [(src, tgt)]
    while (levels[-1][0].k + 1) * (levels[-1][1].k + 1) > full_dp_cells and min(levels[-1][0].k, levels[-1][1].k) > 8:
        s, t = levels[-1]
        levels.append((s.coarsen(), t.coarsen()))
    stats.levels = len(levels)
    coarse_types = [(1, 1), (1, 2), (2, 1), (2, 2)]
    path: list[SpanBead] | None = None
    model: CostModel | None = None
    costs: list[float] = []
    for depth in range(len(levels) - 1, -1, -1):
        s, t = levels[depth]
        if depth == 0 and coarse_weights != weights and s.junk is not None and t.junk is not None:
            s.skip_costs = skip_costs(weights, s.junk, source=True)
            t.skip_costs = skip_costs(weights, t.junk, source=False)
        if path is None:
            lo, hi = full_band(s.k, t.k)
        else:
            lo, hi = band_around(path, s.k, t.k, window)
        stats.cells += int((hi - lo).sum())
        model = CostModel(s, t, weights if depth == 0 else coarse_weights, length_ratio, use_paragraphs and depth == 0)
        level_types = types if depth == 0 else coarse_types
        path, costs = band_dp(model, level_types, lo, hi)
        if depth == 0 and refine is not None and refine(path, costs, model):
            model.refresh()
            path, costs = band_dp(model, level_types, lo, hi)
    stats.seconds += time.perf_counter() - t0
    assert path is not None and model is not None
    return path, costs, model
