"""Romanization conventions as data: forward romanization with accepted alternatives, and the reverse
(Latin -> Cyrillic candidates) that the name checks need.

The tables live in ``pipeline/data/names/conventions.yaml``; a convention may start from a library
table (iuliia's Russian schemes, translitua's Ukrainian tables) and override entries.  The rule
order is iuliia's (ending, previous-letter context, next-letter context, plain mapping), so a
convention without alternatives reproduces the library's output exactly; neither library offers
alternatives or the reverse direction, which is why this small engine exists.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product
from pathlib import Path
from typing import Any

import yaml

from .. import yamlfile
from ..errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "names"
CONVENTIONS_FILE = DATA_DIR / "conventions.yaml"

_MAP_KEYS = ("mapping", "prev_mapping", "next_mapping", "ending_mapping")
MAX_FORMS = 128  # forms of one word under one convention; more alternatives than that are never useful


def _alternatives(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a string or a list of strings, got {value!r}")


@dataclass(frozen=True)
class Convention:
    """One way of writing one Cyrillic language (``script``) in one language's Latin spelling."""

    id: str
    lang: str
    script: str
    label: str
    mapping: dict[str, tuple[str, ...]]
    prev_mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)
    next_mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ending_mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def _slots(self, word: str) -> tuple[tuple[str, ...], ...]:
        """The alternatives for each position of ``word`` (lower-case Cyrillic), in order."""
        return _slots_cached(self, word)

    def _compute_slots(self, word: str) -> tuple[tuple[str, ...], ...]:
        return tuple(self._iter_slots(word))

    def _iter_slots(self, word: str) -> Iterator[tuple[str, ...]]:
        stem, ending = (word[:-2], word[-2:]) if len(word) > 2 else (word, "")
        ending_alts = self.ending_mapping.get(ending) if ending else None
        letters = stem if ending_alts is not None else word
        mapping, prev_mapping, next_mapping = self.mapping, self.prev_mapping, self.next_mapping
        i, n = 0, len(letters)
        while i < n:
            unit = letters[i : i + 2]
            if len(unit) == 2 and unit in mapping:
                yield mapping[unit]
                i += 2
                continue
            cur = letters[i]
            prev = letters[i - 1] if i else ""
            nxt = letters[i + 1] if i + 1 < n else ""
            alts = prev_mapping.get(prev + cur)
            if alts is None:
                alts = next_mapping.get(cur + nxt)
            if alts is None:
                alts = mapping.get(cur, (cur,))
            yield alts
            i += 1
        if ending_alts is not None:
            yield ending_alts

    def romanize(self, word: str) -> tuple[str, ...]:
        """All spellings of a lower-case Cyrillic word this convention accepts, preferred first."""
        return _romanize_cached(self, word)

    def preferred(self, word: str) -> str:
        return "".join(alts[0] for alts in self._slots(word))

    def produces(self, word: str, latin: str) -> bool:
        """Whether ``latin`` (lower case) is one of this convention's spellings of ``word``."""
        # Slots are computed only as far as the search gets: most conventions fail early.
        slots: list[tuple[str, ...]] = []
        pending: Iterator[tuple[str, ...]] | None = self._iter_slots(word)
        n = len(latin)
        seen: set[tuple[int, int]] = set()
        stack = [(0, 0)]
        while stack:
            k, j = stack.pop()
            while len(slots) <= k and pending is not None:
                nxt = next(pending, None)
                if nxt is None:
                    pending = None
                else:
                    slots.append(nxt)
            if k == len(slots):
                if j == n:
                    return True
                continue
            for alt in slots[k]:
                if latin.startswith(alt, j) and (k + 1, j + len(alt)) not in seen:
                    seen.add((k + 1, j + len(alt)))
                    stack.append((k + 1, j + len(alt)))
        return False

    def __hash__(self) -> int:
        return hash(self.id)


@lru_cache(maxsize=65536)
def _slots_cached(conv: Convention, word: str) -> tuple[tuple[str, ...], ...]:
    return conv._compute_slots(word)


@lru_cache(maxsize=65536)
def _romanize_cached(conv: Convention, word: str) -> tuple[str, ...]:
    forms = ("".join(p) for p in product(*conv._slots(word)))
    return tuple(dict.fromkeys(islice(forms, MAX_FORMS)))


def _library_table(ref: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Maps of a library table: "iuliia:<schema>" or "translitua:<Class>" (lower-case keys only)."""
    kind, _, name = ref.partition(":")
    if kind == "iuliia":
        schema = getattr(importlib.import_module("iuliia"), name.upper(), None)
        if schema is None:
            raise ConfigError(f"conventions: iuliia has no schema {name!r}")
        raw = json.loads(Path(schema.path).read_text(encoding="utf-8"))
        return {k: {key: (val,) for key, val in (raw.get(k) or {}).items()} for k in _MAP_KEYS}
    if kind == "translitua":
        table = getattr(importlib.import_module("translitua"), name, None)
        if table is None:
            raise ConfigError(f"conventions: translitua has no table {name!r}")
        return _translitua_maps(table)
    raise ConfigError(f"conventions: unknown base {ref!r} (use iuliia:<schema>, translitua:<Class> or a convention id)")


def _translitua_maps(table: Any) -> dict[str, dict[str, tuple[str, ...]]]:
    mapping: dict[str, tuple[str, ...]] = {chr(k): (v,) for k, v in table.MAIN_TRANSLIT_TABLE.items() if chr(k) == chr(k).lower()}
    # translitua deletes these before transliterating; here they map to nothing
    for deleted in getattr(table, "_DELETE_CASES", []):
        mapping.setdefault(deleted.lower(), ("",))
    # word-initial letters, and the two-letter special cases as the second letter after the first
    prev: dict[str, tuple[str, ...]] = {k: (v,) for k, v in getattr(table, "FIRST_CHARACTERS", {}).items() if k == k.lower()}
    for key, value in getattr(table, "SPECIAL_CASES", {}).items():
        head = mapping.get(key[0], ("",))[0]
        if key == key.lower() and len(key) == 2 and value.startswith(head):
            prev[key] = (value[len(head) :],)
    return {"mapping": mapping, "prev_mapping": prev, "next_mapping": {}, "ending_mapping": {}}


def _read(path: Path) -> Any:
    try:
        return yamlfile.load_cached(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read romanization conventions ({err.__class__.__name__})") from None


def load_markers(path: Path = CONVENTIONS_FILE, key: str = "markers") -> dict[str, re.Pattern[str]]:
    """Per language, one pattern matching the spellings typical of its romanization of Cyrillic
    (``key="strong_markers"``: the strongest of them)."""
    data = _read(path)
    markers = (data.get(key) or {}) if isinstance(data, dict) else {}
    out = {}
    for lang, patterns in markers.items():
        try:
            out[lang] = re.compile("|".join(f"(?:{p})" for p in patterns))
        except (re.error, TypeError) as err:
            raise ConfigError(f"{path}: {key}.{lang}: invalid pattern ({err})") from None
    return out


def load_conventions(path: Path = CONVENTIONS_FILE) -> dict[str, Convention]:
    """Read and validate the conventions file; ``base`` chains are resolved in file order."""
    data = _read(path)
    entries = data.get("conventions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a 'conventions' list")
    raw_maps: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}
    out: dict[str, Convention] = {}
    for entry in entries:
        cid = entry.get("id") if isinstance(entry, dict) else None
        if not cid or any(k not in entry for k in ("lang", "script", "label")):
            raise ConfigError(f"{path}: every convention needs id, lang, script and label (got {entry!r})")
        if cid in out:
            raise ConfigError(f"{path}: convention {cid!r} defined twice")
        maps = raw_maps[cid] = _convention_maps(entry, cid, raw_maps, path)
        out[cid] = Convention(id=cid, lang=entry["lang"], script=entry["script"], label=entry["label"], **maps)
    return out


def _convention_maps(entry: dict[str, Any], cid: str, raw_maps: dict[str, dict[str, dict[str, tuple[str, ...]]]], path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """A convention's letter maps: its base's (an earlier convention or a library table, if any)
    with the entry's own letters added or (null) removed, and its ``strip`` letters deleted."""
    base = entry.get("base")
    if base is None:
        maps: dict[str, dict[str, tuple[str, ...]]] = {k: {} for k in _MAP_KEYS}
    elif base in raw_maps:
        maps = {k: dict(v) for k, v in raw_maps[base].items()}
    else:
        maps = _library_table(base)
    for key in _MAP_KEYS:
        for cyr, value in (entry.get(key) or {}).items():
            if value is None:
                maps[key].pop(cyr, None)
            else:
                maps[key][cyr] = _alternatives(value, f"{path}: {cid}.{key}.{cyr}")
    strip = entry.get("strip", "")
    if strip:
        table = str.maketrans("", "", strip)
        maps = {k: {c: tuple(dict.fromkeys(a.translate(table) for a in alts)) for c, alts in m.items()} for k, m in maps.items()}
    return maps


@dataclass(frozen=True, slots=True)
class _Edge:
    cyrillic: str
    at_end: bool  # an ending-mapping edge: only where the Latin word ends


class ReverseIndex:
    """Latin -> Cyrillic candidates under a set of conventions (over-generates; callers verify).

    Soft and hard signs are never proposed: they are silent in most conventions, and a candidate
    without them still romanizes the same way nearly everywhere.
    """

    def __init__(self, conventions: Iterable[Convention], max_candidates: int = 512) -> None:
        self.max_candidates = max_candidates
        edges: dict[str, set[_Edge]] = {}

        def add(latin: str, cyr: str, at_end: bool = False) -> None:
            if latin and cyr:
                edges.setdefault(latin, set()).add(_Edge(cyr, at_end))

        for conv in conventions:
            for cyr, alts in conv.mapping.items():
                for a in alts:
                    add(a, cyr)
            for key, alts in conv.prev_mapping.items():
                for a in alts:
                    add(a, key[-1])
            for key, alts in conv.next_mapping.items():
                for a in alts:
                    if a == "" and key in conv.prev_mapping:  # "кс" -> "" + "x": the pair is one unit
                        for b in conv.prev_mapping[key]:
                            add(b, key)
                    else:
                        add(a, key[0])
            for key, alts in conv.ending_mapping.items():
                for a in alts:
                    add(a, key, at_end=True)
        self._by_first: dict[str, list[tuple[str, tuple[_Edge, ...]]]] = {}
        # longest Latin units first: the natural reading ("tsch" = ч) is found before the capped
        # search runs out on splits such as т + ш
        for latin, es in sorted(edges.items(), key=lambda kv: (-len(kv[0]), kv[0])):
            self._by_first.setdefault(latin[0], []).append((latin, tuple(sorted(es, key=lambda e: (e.cyrillic, e.at_end)))))
        self.letters = frozenset(self._by_first)

    def parse(self, latin: str, keep_prefix=None) -> list[str]:
        """Cyrillic strings whose romanization could be ``latin`` (lower case).

        ``keep_prefix`` (optional) prunes the search: a partial candidate is extended only while
        ``keep_prefix(partial)`` is true (e.g. while it can still match a source-side name).
        """
        out: list[str] = []
        n = len(latin)

        def walk(j: int, built: str) -> None:
            if len(out) >= self.max_candidates:
                return
            if j == n:
                out.append(built)
                return
            for key, es in self._by_first.get(latin[j], ()):
                if not latin.startswith(key, j):
                    continue
                end = j + len(key)
                for e in es:
                    if e.at_end and end != n:
                        continue
                    nxt = built + e.cyrillic
                    if keep_prefix is not None and not keep_prefix(nxt):
                        continue
                    walk(end, nxt)

        walk(0, "")
        return list(dict.fromkeys(out))
