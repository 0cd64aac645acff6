"""The shard cache: each shard's results stored as data, never as code.

An entry is one file, ``<folder>/<kind>/<key>.entry``, keyed by content (see ``engine._key``)::

    MTQA-CACHE\\n                      magic line
    {"version": 1, ...}\\n             header: kind, key, body length, arrays (dtype, shape), sha256
    <body>                            the entry's fields as UTF-8 JSON
    <array bytes>                     numeric arrays, C order, little-endian, one after another

Reading one parses JSON and copies bytes into numpy arrays of an allowed dtype (``float64``): no
pickle, no object dtype, nothing that could run code.  A file that is not such an entry for this
kind and key, or whose lengths or checksum do not add up, or whose fields do not rebuild the
expected objects, is a miss: the shard is recomputed and the entry rewritten, and the run notes it.

Entries are written to a temporary file in the same folder and renamed into place.  Temporary
files are named ``<pid>-<host>-<random>.tmp``; opening the cache removes those whose writer, on
this host, no longer runs (a killed run) and any older than an hour (another host's, or a name
we did not write), so a concurrent run's file being written is never touched.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import socket
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from typing_extensions import TypeIs  # typing.TypeIs is Python 3.13+; pydantic depends on typing_extensions

MAGIC = b"MTQA-CACHE\n"
VERSION = 1
SUFFIX = ".entry"
STALE_TMP_SECONDS = 3600
_MAX_HEADER = 1 << 20
_DTYPES = {"<f8": np.dtype("<f8")}  # the only array type entries hold
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_TMP_NAME = re.compile(r"^(\d+)-([0-9a-f]{8})-.*\.tmp$")

T = TypeVar("T", bound="Cacheable")


class Cacheable(Protocol):
    def to_cache(self) -> tuple[dict[str, Any], list[np.ndarray]]: ...

    @classmethod
    def from_cache(cls: type[T], data: dict[str, Any], arrays: list[np.ndarray]) -> T: ...


class UnreadableEntry(ValueError):
    """A cache file that is not a readable entry of the expected kind and key."""


def pack(kind: str, key: str, data: dict[str, Any], arrays: list[np.ndarray]) -> bytes:
    """An entry's bytes; TypeError or ValueError for fields JSON cannot hold or a disallowed array."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=True).encode("utf-8")
    blobs, specs = [], []
    for arr in arrays:
        arr = np.ascontiguousarray(arr)
        if arr.dtype.kind != "f" or arr.dtype.itemsize != 8:
            raise TypeError(f"cache entries hold float64 arrays, not {arr.dtype}")
        blobs.append(arr.astype("<f8", copy=False).tobytes(order="C"))
        specs.append({"dtype": "<f8", "shape": list(arr.shape)})
    payload = body + b"".join(blobs)
    header = {"version": VERSION, "kind": kind, "key": key, "body": len(body), "arrays": specs, "sha256": hashlib.sha256(payload).hexdigest()}
    return MAGIC + json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + payload


def unpack(blob: bytes, kind: str, key: str) -> tuple[dict[str, Any], list[np.ndarray]]:
    """The fields and arrays of an entry written by :func:`pack`; UnreadableEntry for anything else."""
    if not blob.startswith(MAGIC):
        raise UnreadableEntry("not an mtqa cache entry")
    end = blob.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER)
    if end < 0:
        raise UnreadableEntry("truncated")
    try:
        header = json.loads(blob[len(MAGIC) : end])
    except ValueError:
        raise UnreadableEntry("corrupted") from None
    if not isinstance(header, dict) or header.get("version") != VERSION:
        raise UnreadableEntry("another cache format version")
    if header.get("kind") != kind or header.get("key") != key:
        raise UnreadableEntry("an entry for other content")
    payload = memoryview(blob)[end + 1 :]
    body_len, specs = header.get("body"), header.get("arrays")
    if not _count(body_len) or not isinstance(specs, list):
        raise UnreadableEntry("corrupted")
    sizes = []
    for spec in specs:
        if not isinstance(spec, dict) or spec.get("dtype") not in _DTYPES:
            raise UnreadableEntry("corrupted")
        shape = spec.get("shape")
        if not isinstance(shape, list) or not all(_count(n) for n in shape):
            raise UnreadableEntry("corrupted")
        sizes.append((_DTYPES[spec["dtype"]], tuple(shape), math.prod(shape) * _DTYPES[spec["dtype"]].itemsize))
    if len(payload) != body_len + sum(n for _, _, n in sizes):
        raise UnreadableEntry("truncated" if len(payload) < body_len + sum(n for _, _, n in sizes) else "corrupted")
    if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
        raise UnreadableEntry("corrupted")
    try:
        data = json.loads(bytes(payload[:body_len]).decode("utf-8"))
    except ValueError:
        raise UnreadableEntry("corrupted") from None
    if not isinstance(data, dict):
        raise UnreadableEntry("corrupted")
    arrays, offset = [], body_len
    for dtype, shape, nbytes in sizes:
        arrays.append(np.frombuffer(payload[offset : offset + nbytes], dtype=dtype).reshape(shape).astype(np.float64))
        offset += nbytes
    return data, arrays


_TUPLE = "__tuple__"


def to_json(value: Any) -> Any:
    """Free-form data (an issue's ``data``) as JSON values, tuples marked so they come back as tuples;
    TypeError for anything else JSON cannot hold."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if isinstance(value, tuple):
        return {_TUPLE: [to_json(v) for v in value]}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value) and set(value) != {_TUPLE}:
        return {k: to_json(v) for k, v in value.items()}
    raise TypeError(f"{type(value).__name__} is not cacheable data")


def from_json(value: Any) -> Any:
    """The inverse of :func:`to_json`."""
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {_TUPLE}:
            return tuple(from_json(v) for v in value[_TUPLE])
        return {k: from_json(v) for k, v in value.items()}
    return value


def _count(value: object) -> TypeIs[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _writer_gone(name: str) -> bool:
    """Whether a temporary file's name says its writer ran on this host and has exited."""
    m = _TMP_NAME.match(name)
    if m is None or m.group(2) != _HOST:
        return False
    pid = int(m.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def remove_stale_tmp(folder: Path, max_age: float = STALE_TMP_SECONDS) -> int:
    """Remove the temporary files interrupted writers left in the cache folder; returns how many."""
    removed = 0
    now = time.time()
    try:
        kinds = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        return 0
    for sub in [folder, *kinds]:
        try:
            candidates = list(sub.glob("*.tmp"))
        except OSError:
            continue
        for path in candidates:
            try:
                if _writer_gone(path.name) or now - path.lstat().st_mtime > max_age:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    return removed


class ResultCache:
    """Shard results as data files in a folder, written atomically; a missing folder means no caching.

    ``problems`` counts, since the last :meth:`take_problems`, the entries that were ignored as
    unreadable (then recomputed) and those that could not be stored, by reason: the engine turns
    them into a note of the run.
    """

    def __init__(self, folder: str | os.PathLike[str] | None) -> None:
        self.folder = Path(folder) if folder else None
        self.hits = 0
        self.misses = 0
        self.problems: Counter[tuple[str, str]] = Counter()
        self.removed_tmp = remove_stale_tmp(self.folder) if self.folder is not None and self.folder.is_dir() else 0

    def path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / f"{key}{SUFFIX}"

    def get(self, kind: str, key: str, cls: type[T]) -> T | None:
        if self.folder is None:
            return None
        try:
            blob = self.path(kind, key).read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError:
            self.reject("unreadable file")
            return None
        try:
            value = cls.from_cache(*unpack(blob, kind, key))
        except UnreadableEntry as err:
            self.reject(str(err))
            return None
        except Exception:  # fields that do not rebuild the objects: a foreign entry
            self.reject("unexpected contents")
            return None
        self.hits += 1
        return value

    def reject(self, reason: str) -> None:
        """Count an entry that was found but cannot be used: the caller recomputes it."""
        self.misses += 1
        self.problems["ignored", reason] += 1

    def put(self, kind: str, key: str, value: Cacheable) -> None:
        if self.folder is None:
            return
        try:
            blob = pack(kind, key, *value.to_cache())
        except (TypeError, ValueError) as err:
            self.problems["unstored", type(err).__name__] += 1
            return
        folder = self.folder / kind
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{os.getpid()}-{_HOST}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            os.replace(tmp, self.path(kind, key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def take_problems(self) -> Counter[tuple[str, str]]:
        out, self.problems = self.problems, Counter()
        return out


def problem_notes(problems: Counter[tuple[str, str]], folder: str | None) -> list[str]:
    """The run's notes about cache entries it ignored or could not store."""
    notes = []
    for what, template in (
        ("ignored", "cache: ignored {n} unreadable entr{ies} in {folder} ({reasons}); recomputed"),
        ("unstored", "cache: {n} shard result{s} could not be stored in {folder} ({reasons}); a rerun recomputes them"),
    ):
        found = {reason: n for (w, reason), n in problems.items() if w == what}
        n = sum(found.values())
        if n:
            reasons = ", ".join(f"{reason}: {k}" if len(found) > 1 else reason for reason, k in sorted(found.items()))
            notes.append(template.format(n=n, ies="y" if n == 1 else "ies", s="" if n == 1 else "s", folder=folder, reasons=reasons))
    return notes
