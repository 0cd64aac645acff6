"""sacrebleu's TER edit counts, computed faster: the same shift search, a bit-parallel edit distance.

sacrebleu 2.6.0 (``sacrebleu.metrics.lib_ter``) finds TER's edits with Tercom's greedy search: while
some shift of a hypothesis phrase lowers the edit distance, apply the best one.  Every shift
candidate costs a beam-limited Levenshtein distance in Python over tuples of (cost, operation),
which is nearly all of its time.  This module makes the same choices and returns the same numbers
(tests/test_ter.py and eval/sacrebleu_parity.py compare every WMT22 de-en, ru-en and uk-en segment):

* words become integer ids, and each hypothesis word a bit mask of the reference positions that hold
  it, so a row of the edit-distance matrix is a dozen integer operations (Hyyrö's bit-parallel
  Levenshtein) instead of a loop over the row's cells;
* the rows of the unshifted hypothesis are computed once per round, and a candidate resumes from the
  row where it first differs (sacrebleu's prefix cache, without the tuples);
* the bit-parallel distance is the *unrestricted* edit distance, while sacrebleu keeps to a beam
  around the diagonal.  The two agree whenever the unrestricted distance is below the cheapest path
  through any cell outside the beam (a bound that depends only on the two lengths); otherwise the
  candidate's distance is computed with sacrebleu's beam, exactly;
* the alignment that filters the candidates comes from sacrebleu's own beam recurrence (same
  tie-breaking), once per round, and the candidates are enumerated in sacrebleu's order, so the
  1,000-candidate limit stops at the same place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

# sacrebleu.metrics.lib_ter's constants (Tercom's limits and its own)
MAX_SHIFT_SIZE = 10
MAX_SHIFT_DIST = 50
BEAM_WIDTH = 25
MAX_SHIFT_CANDIDATES = 1000
INF = int(1e16)

# operations of the beam recurrence (sacrebleu: ' ', 's', 'd', 'i', 'x')
_NOP, _SUB, _DEL, _INS, _UNDEF = 0, 1, 2, 3, 4


class Reference:
    """One tokenised reference, prepared once for every hypothesis scored against it."""

    __slots__ = ("full", "ids", "length", "masks", "positions", "words")

    def __init__(self, words: Sequence[str]) -> None:
        self.length = len(words)
        self.ids: dict[str, int] = {}
        self.masks: dict[int, int] = {}  # word id -> bit mask of its positions
        self.positions: dict[int, list[int]] = {}  # word id -> its positions, ascending
        for j, word in enumerate(words):
            wid = self.ids.setdefault(word, len(self.ids))
            self.masks[wid] = self.masks.get(wid, 0) | (1 << j)
            self.positions.setdefault(wid, []).append(j)
        self.words = [self.ids[word] for word in words]
        self.full = (1 << self.length) - 1


def _beam_ranges(n: int, m: int) -> list[tuple[int, int]]:
    """For each hypothesis position i (1..n), the reference positions [lo, hi) inside sacrebleu's beam."""
    ratio = m / n if n else 1
    width = math.ceil(ratio / 2 + BEAM_WIDTH) if ratio / 2 > BEAM_WIDTH else BEAM_WIDTH
    out = [(0, m + 1)]  # row 0: sacrebleu's initial row, all of it
    for i in range(1, n + 1):
        diag = math.floor(i * ratio)
        out.append((max(0, diag - width), m + 1 if i == n else min(m + 1, diag + width)))
    return out


def _outside_beam_bound(n: int, m: int, ranges: list[tuple[int, int]]) -> int:
    """The fewest edits of any path through a cell outside sacrebleu's beam (INF when none is outside)."""
    best = INF
    for i in range(1, n + 1):
        lo, hi = ranges[i]
        for a, b in ((0, lo), (hi, m + 1)):  # the cells j in [a, b) are outside the beam
            if a >= b:
                continue
            # |i - j| + |(n - i) - (m - j)| is convex in j: its least value on [a, b) is at an end or a kink
            for j in {a, b - 1, min(max(i, a), b - 1), min(max(i + m - n, a), b - 1)}:
                cost = abs(i - j) + abs((n - i) - (m - j))
                if cost < best:
                    best = cost
    return best


def _beam_rows(hyp: list[int], ref: list[int], ranges: list[tuple[int, int]]) -> list[list[int]]:
    """The rows of sacrebleu's BeamEditDistance matrix (costs only; INF outside the beam)."""
    m = len(ref)
    prev = list(range(m + 1))
    rows = [prev]
    for i in range(1, len(hyp) + 1):
        lo, hi = ranges[i]
        word = hyp[i - 1]
        cur = [INF] * lo
        if lo == 0:
            cur.append(prev[0] + 1)
            lo = 1
        left = cur[-1]
        for r, diag, up in zip(ref[lo - 1 : hi - 1], prev[lo - 1 : hi - 1], prev[lo:hi]):
            # sacrebleu keeps the first of (diagonal, up, left) strictly below INF: the least, capped at INF
            if r != word:
                diag += 1
            up += 1
            if up < diag:
                diag = up
            left += 1
            if left < diag:
                diag = left
            left = diag if diag < INF else INF
            cur.append(left)
        cur.extend([INF] * (m + 1 - hi))
        rows.append(cur)
        prev = cur
    return rows


def _operation(rows: list[list[int]], hyp: list[int], ref: list[int], i: int, j: int) -> int:
    """The operation sacrebleu's recurrence stores at (i, j): no-op/substitution, then deletion, then insertion."""
    if i == 0:
        return _INS
    if j == 0:
        return _DEL
    best, op = INF, _UNDEF
    above = rows[i - 1]
    cost = above[j - 1] if hyp[i - 1] == ref[j - 1] else above[j - 1] + 1
    if best > cost:
        best, op = cost, (_NOP if hyp[i - 1] == ref[j - 1] else _SUB)
    if best > above[j] + 1:
        best, op = above[j] + 1, _DEL
    if best > rows[i][j - 1] + 1:
        op = _INS
    return op


def _alignment(rows: list[list[int]], hyp: list[int], ref: list[int]) -> tuple[list[int], list[int], list[int]]:
    """lib_ter.trace_to_alignment of the flipped trace: (align as a list over reference positions, ref_err, hyp_err)."""
    m = len(ref)
    backwards: list[int] = []
    i, j = len(hyp), m
    while i > 0 or j > 0:
        op = _operation(rows, hyp, ref, i, j)
        backwards.append(op)
        if op == _INS:
            j -= 1
        elif op == _DEL:
            i -= 1
        elif op != _UNDEF:
            i -= 1
            j -= 1
        else:
            raise ValueError("TER: undefined operation in the edit-distance trace")
    align = [0] * m
    ref_err: list[int] = []
    hyp_err: list[int] = []
    pos_h = pos_r = -1
    for op in reversed(backwards):
        if op == _DEL:  # flipped: the hypothesis word is an insertion
            pos_h += 1
            hyp_err.append(1)
        elif op == _INS:  # flipped: the reference word is deleted
            pos_r += 1
            align[pos_r] = pos_h
            ref_err.append(1)
        else:
            pos_h += 1
            pos_r += 1
            align[pos_r] = pos_h
            err = 1 if op == _SUB else 0
            hyp_err.append(err)
            ref_err.append(err)
    return align, ref_err, hyp_err


def _prefix_sums(values: list[int]) -> list[int]:
    return list(accumulate(values, initial=0))


@lru_cache(maxsize=4096)
def _beam_for(n: int, m: int) -> tuple[list[tuple[int, int]], int]:
    """The beam's rows and the outside-the-beam bound, which depend only on the two lengths (never mutated)."""
    ranges = _beam_ranges(n, m)
    return ranges, _outside_beam_bound(n, m, ranges)


def _perform_shift(words: list[int], start: int, length: int, target: int) -> list[int]:
    """lib_ter._perform_shift."""
    if target < start:
        return words[:target] + words[start : start + length] + words[target:start] + words[start + length :]
    if target > start + length:
        return words[:start] + words[start + length : target] + words[start : start + length] + words[target:]
    return words[:start] + words[start + length : length + target] + words[start : start + length] + words[length + target :]


def _states(masks: list[int], m: int, full: int) -> list[tuple[int, int, int]]:
    """Bit-parallel Levenshtein states (VP, VN, D[i][m]) after each prefix of the hypothesis."""
    vp, vn, dist = full, 0, m
    last = 1 << (m - 1)
    out = [(vp, vn, dist)]
    for eq in masks:
        d0 = ((((eq & vp) + vp) ^ vp) | eq | vn) & full
        hp = vn | (~(d0 | vp) & full)
        hn = d0 & vp
        if hp & last:
            dist += 1
        elif hn & last:
            dist -= 1
        hp = ((hp << 1) | 1) & full
        hn = (hn << 1) & full
        vp = hn | (~(d0 | hp) & full)
        vn = hp & d0
        out.append((vp, vn, dist))
    return out


def _finish(state: tuple[int, int, int], masks: list[int], m: int, full: int) -> int:
    """D[n][m] from a prefix's state and the masks of the remaining hypothesis words.

    The loop body is _states' own, written again on purpose: this is the hot loop of every shift
    candidate, and keeping no per-word states (nor calling a step function) is what makes it fast."""
    vp, vn, dist = state
    last = 1 << (m - 1)
    for eq in masks:
        d0 = ((((eq & vp) + vp) ^ vp) | eq | vn) & full
        hp = vn | (~(d0 | vp) & full)
        hn = d0 & vp
        if hp & last:
            dist += 1
        elif hn & last:
            dist -= 1
        hp = ((hp << 1) | 1) & full
        hn = (hn << 1) & full
        vp = hn | (~(d0 | hp) & full)
        vn = hp & d0
    return dist


def _shifted_pairs(hyp: list[int], ref: Reference):
    """lib_ter._find_shifted_pairs in the same order, visiting only the positions where the words match."""
    n, m = len(hyp), ref.length
    positions = ref.positions
    ref_ids = ref.words
    for start_h in range(n):
        for start_r in positions.get(hyp[start_h], ()):
            if abs(start_r - start_h) > MAX_SHIFT_DIST:
                continue
            length = 0
            while hyp[start_h + length] == ref_ids[start_r + length] and length < MAX_SHIFT_SIZE:
                length += 1
                yield start_h, start_r, length
                if n == start_h + length or m == start_r + length:
                    break


def _hypothesis_ids(words_hyp: Sequence[str], ref: Reference) -> list[int]:
    ids = ref.ids
    other = -1
    hyp: list[int] = []
    for word in words_hyp:
        wid = ids.get(word)
        if wid is None:
            # a word the reference lacks: an id of its own, never equal to a reference word's (TER only
            # ever compares hypothesis words with reference words)
            wid = other
            other -= 1
        hyp.append(wid)
    return hyp


class _Search:
    """translation_edit_rate's state for one (hypothesis, reference) pair."""

    def __init__(self, hyp: list[int], ref: Reference) -> None:
        self.ref = ref
        n, m = len(hyp), ref.length
        self.ranges, self.bound = _beam_for(n, m)
        self.checked = 0

    def distance(self, hyp: list[int]) -> int:
        return _beam_rows(hyp, self.ref.words, self.ranges)[-1][-1]

    def round(self, hyp: list[int]) -> tuple[int, tuple[int, int, int, int] | None]:
        """lib_ter._shift: the current distance and the best candidate (gain, length, -start, -target)."""
        ref = self.ref
        m, full = ref.length, ref.full
        rows = _beam_rows(hyp, ref.words, self.ranges)
        pre_score = rows[-1][-1]
        align, ref_err, hyp_err = _alignment(rows, hyp, ref.words)
        hyp_ps, ref_ps = _prefix_sums(hyp_err), _prefix_sums(ref_err)
        masks = [ref.masks.get(w, 0) for w in hyp]
        states = _states(masks, m, full)
        best: tuple[int, int, int, int] | None = None
        seen: dict[tuple[int, int, int], int] = {}
        for start_h, start_r, length in _shifted_pairs(hyp, ref):
            if hyp_ps[start_h + length] == hyp_ps[start_h] or ref_ps[start_r + length] == ref_ps[start_r]:
                continue  # the hypothesis phrase is right where it is, or the reference phrase is matched
            if start_h <= align[start_r] < start_h + length:
                continue
            prev_idx = -1
            for offset in range(-1, length):
                idx = 0 if start_r + offset == -1 else align[start_r + offset] + 1
                if idx == prev_idx:
                    continue
                prev_idx = idx
                key = (start_h, length, idx)
                dist = seen.get(key)
                if dist is None:
                    first = start_h if start_h < idx else idx
                    dist = _finish(states[first], _perform_shift(masks, start_h, length, idx)[first:], m, full)
                    if dist >= self.bound:  # the beam may cut this path: sacrebleu's own recurrence
                        dist = self.distance(_perform_shift(hyp, start_h, length, idx))
                    seen[key] = dist
                candidate = (pre_score - dist, length, -start_h, -idx)
                self.checked += 1
                if best is None or candidate > best:
                    best = candidate
            if self.checked >= MAX_SHIFT_CANDIDATES:
                break
        return pre_score, best


def edits(words_hyp: Sequence[str], ref: Reference) -> int:
    """TER's number of edits of ``words_hyp`` against ``ref`` (lib_ter.translation_edit_rate's first value)."""
    if ref.length == 0:
        return len(words_hyp)
    if not words_hyp:
        return ref.length
    hyp = _hypothesis_ids(words_hyp, ref)
    search = _Search(hyp, ref)
    shifts = 0
    while True:
        pre_score, best = search.round(hyp)
        if search.checked >= MAX_SHIFT_CANDIDATES or best is None or best[0] <= 0:
            return shifts + pre_score
        shifts += 1
        hyp = _perform_shift(hyp, -best[2], best[1], -best[3])


def segment_statistics(words_hyp: Sequence[str], refs: Sequence[Reference]) -> list[float]:
    """sacrebleu's TER._compute_segment_statistics: [fewest edits over the references, mean reference length]."""
    best = int(1e16)
    lengths = 0
    for ref in refs:
        num = edits(words_hyp, ref)
        lengths += ref.length
        if num < best:
            best = num
    return [best, lengths / len(refs)]
