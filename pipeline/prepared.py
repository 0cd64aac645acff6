"""Where mtqa keeps what it prepares once per machine: ``$MTQA_CACHE_DIR`` (default ~/.cache/mtqa).

Prepared tables (word lists and lexicons as tries, WordNet and letter statistics as JSON) are data derived from
installed packages; each lives in its own folder below this one, keyed so that a new version of the
package it came from gets a new file.  Files are written to a temporary name in the same folder
and renamed into place, so a reader never sees half a file and concurrent runs never clash.
When the folder cannot be written (a read-only home), callers build the table in memory instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any


def cache_home() -> Path:
    """The root of mtqa's per-machine cache: ``$MTQA_CACHE_DIR``, else ~/.cache/mtqa."""
    return Path(os.environ.get("MTQA_CACHE_DIR") or Path.home() / ".cache" / "mtqa")


def write_atomically(path: Path, write: Callable[[str], object]) -> bool:
    """Have ``write(temporary_name)`` write a file, then rename it to ``path``; False (and nothing
    left behind) when the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


# ------------------------------------------------------------------------------------------------
# Word tables: word -> strings, as memory-mapped tries

_SEPARATOR = "\x1f"  # between a key's strings: a control character no dictionary word holds


class StringTable:
    """A read-only word -> tuple of strings table in a marisa trie: what a dict of lists gives
    (``get``, ``in``, ``items``) in a tenth of the memory, shared between worker processes."""

    def __init__(self, trie: Any) -> None:
        self._trie = trie

    def get(self, key: str, default: Any = None) -> Any:
        found = self._trie.get(key)
        if not found:
            return default
        value = found[0].decode("utf-8")
        return tuple(value.split(_SEPARATOR)) if value else ()

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._trie

    def __len__(self) -> int:
        return len(self._trie)

    def __iter__(self) -> Iterator[str]:
        return iter(self._trie.keys())

    def longest_prefix(self, text: str) -> int:
        """The length of the longest key that ``text`` starts with (0: none); one walk down the trie
        instead of a look-up for every length."""
        return max(map(len, self._trie.prefixes(text)), default=0)

    def items(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        for key, value in self._trie.items():
            text = value.decode("utf-8")
            yield key, tuple(text.split(_SEPARATOR)) if text else ()


class SetTable(StringTable):
    """A :class:`StringTable` whose values are frozensets: what a dict of frozensets gives (``get``,
    ``[]``, ``in``), each value made when it is asked for instead of all of them at start-up."""

    def get(self, key: str, default: Any = None) -> Any:
        found = self._trie.get(key)
        if not found:
            return default
        value = found[0].decode("utf-8")
        return frozenset(value.split(_SEPARATOR)) if value else frozenset()

    def __getitem__(self, key: str) -> frozenset[str]:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def items(self) -> Iterator[tuple[str, frozenset[str]]]:  # type: ignore[override]
        for key, values in super().items():
            yield key, frozenset(values)


def build_string_table(table: Mapping[str, Sequence[str]]) -> StringTable:
    return StringTable(_string_trie(table))


def _string_trie(table: Mapping[str, Sequence[str]]) -> Any:
    import marisa_trie  # deferred: only when a table is built or read

    return marisa_trie.BytesTrie((key, _SEPARATOR.join(values).encode("utf-8")) for key, values in table.items())


def mapped_trie(path: Path, empty: Callable[[], Any], build: Callable[[], Any]) -> Any:
    """A marisa trie kept at ``path``: the file memory-mapped when it loads, else ``build()``'s trie
    written there atomically and mapped, or kept in memory where the folder cannot be written.
    ``empty()`` makes an unloaded trie of the file's kind (``marisa_trie.BytesTrie()``, ...)."""
    if path.exists():
        try:
            return empty().mmap(str(path))
        except (RuntimeError, OSError):  # marisa's format and I/O errors: a file that does not load is built again
            pass
    trie = build()
    if write_atomically(path, trie.save):
        try:
            return empty().mmap(str(path))
        except (RuntimeError, OSError):  # keep the one in memory
            pass
    return trie


def prepared_table(folder: str, name: str, sources: Sequence[Path], build: Callable[[], Mapping[str, Sequence[str]]]) -> StringTable:
    """The table ``build()`` makes from the files ``sources``, kept in ``<cache>/<folder>/`` under
    ``name`` and each source's size and time (a changed file gives a new table); a file that does
    not load is built again, and without a writable cache the table stays in memory."""
    return StringTable(_prepared_trie(folder, name, sources, build))


def prepared_set_table(folder: str, name: str, sources: Sequence[Path], build: Callable[[], Mapping[str, Sequence[str]]]) -> SetTable:
    """:func:`prepared_table` with frozenset values (:class:`SetTable`)."""
    return SetTable(_prepared_trie(folder, name, sources, build))


def _prepared_trie(folder: str, name: str, sources: Sequence[Path], build: Callable[[], Mapping[str, Sequence[str]]]) -> Any:
    import marisa_trie  # deferred: only when a table is built or read

    stamp = ".".join(f"{s.st_size}.{int(s.st_mtime)}" for s in (Path(p).stat() for p in sources))
    path = cache_home() / folder / f"{name}.{stamp}.marisa"
    return mapped_trie(path, marisa_trie.BytesTrie, lambda: _string_trie(build()))


def prepared_json(folder: str, name: str, build: Callable[[], Any]) -> Any:
    """What ``build()`` returns (JSON data: dicts, lists, strings, numbers), kept as
    ``<cache>/<folder>/<name>.json``; ``name`` must change whenever what ``build`` reads or does
    changes (put the versions of its sources in it).  Reading JSON runs no code; a file that does not
    parse is built again."""
    path = cache_home() / folder / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = build()
    write_atomically(path, lambda tmp: Path(tmp).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"))
    return data
