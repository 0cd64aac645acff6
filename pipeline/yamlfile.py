"""YAML parsing of mtqa's data files with libyaml's C parser where PyYAML has it.

The shipped data (romanization conventions, lexicon, word lists) is parsed in every run before the
first segment is checked; the C parser does that ten times faster than PyYAML's pure-Python one
and builds the same objects (both use the safe constructor).  Even so, the objects are built in
Python: about 26,000 nodes, 0.1-0.2 s of a one-sentence run's start.  :func:`load_cached` keeps
what a text parses to as JSON in the per-machine cache (pipeline/prepared.py), named by the text's
digest, and reads that instead (json's C decoder); only data that JSON holds unchanged is kept
(string keys, no dates or sets), the rest is parsed every time.  Reading JSON runs no code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Any

import yaml

from .prepared import cache_home, write_atomically

CACHE_FORMAT = 2  # part of every cached file's name: change it when what is kept changes (2: duplicate keys refused)
# A mapping with keys other than strings (numbers_words.yaml's ordinals 1, 2, 3; omission.yaml's
# offsets -4) is kept as {PAIRS: [[key, value], ...]}: JSON object keys are strings only.
PAIRS = "\u0000pairs"

class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (C or Python) that refuses a mapping with a key twice: YAML keeps the last value
    silently, so a stray second ``places_unnamed:`` or ``threshold:`` would replace the first unseen."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # "<<: *defaults": merged keys may be overridden, that is what merging is for
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the constructor below says so
                break
            if duplicate:
                raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark)
        return super().construct_mapping(node, deep)


_LOADER = _UniqueKeyLoader


def safe_load(stream: str | bytes | IO[str]) -> Any:
    """YAML with the safe constructor (no tags that build objects or run code), refusing duplicate keys."""
    return yaml.load(stream, Loader=_LOADER)  # a subclass of the safe loader, C or Python


def load_cached(text: str) -> Any:
    """``safe_load(text)``, read from the per-machine cache when an earlier run parsed the same text
    (a YAML error is raised as by safe_load: a text that does not parse is never cached)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    path = cache_home() / "yaml" / f"{digest}.v{CACHE_FORMAT}.json"
    try:
        return json.loads(path.read_bytes(), object_hook=_from_pairs)
    except (OSError, ValueError):  # not cached yet, or a damaged file: parsed again
        pass
    data = safe_load(text)
    try:
        dumped = json.dumps(_json_ready(data), ensure_ascii=False, separators=(",", ":"))
        unchanged = json.loads(dumped, object_hook=_from_pairs) == data
    except (TypeError, ValueError):  # dates, sets, keys JSON cannot write
        unchanged = False
    if unchanged:
        write_atomically(path, lambda tmp: Path(tmp).write_text(dumped, encoding="utf-8"))
    return data


def _json_ready(data: Any) -> Any:
    if isinstance(data, dict):
        if all(isinstance(k, str) for k in data):
            return {k: _json_ready(v) for k, v in data.items()}
        return {PAIRS: [[k, _json_ready(v)] for k, v in data.items()]}
    if isinstance(data, list):
        return [_json_ready(v) for v in data]
    return data


def _from_pairs(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and PAIRS in obj:
        return dict(obj[PAIRS])
    return obj
