"""Name knowledge as data: the curated name lexicon, exonyms (CLDR through babel plus a curated list),
and the user's own lexicon file.

A lexicon entry is one person or thing with its accepted spellings per language (the first one is
preferred) and, where known, its Cyrillic forms (``ru``, ``uk``).  An exonym entry is the same for a
place.  Spellings are compared case-insensitively.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import yamlfile
from ..errors import ConfigError
from ..prepared import prepared_json
from .conventions import DATA_DIR

LEXICON_FILE = DATA_DIR / "lexicon.yaml"
EXONYMS_FILE = DATA_DIR / "exonyms.tsv"
CYRILLIC_LANGS = ("ru", "uk")

# CLDR region names that are ordinary words or not places ("Welt" is also a newspaper)
_CLDR_SKIP_REGIONS = {"001", "ZZ"}


@dataclass(slots=True)
class Entry:
    """Spellings of one name per language; ``kind`` is "name" or "place"."""

    forms: dict[str, list[str]]
    kind: str = "name"
    origin: str = "lexicon"  # lexicon | cldr | user

    def preferred(self, lang: str) -> str | None:
        forms = self.forms.get(lang)
        return forms[0] if forms else None

    def accepts(self, lang: str, spelling: str) -> bool:
        low = spelling.casefold()
        return any(f.casefold() == low for f in self.forms.get(lang, ()))


@dataclass(slots=True)
class Lexicon:
    """Lookup tables over name and place entries."""

    entries: list[Entry] = field(default_factory=list)
    correct: dict[str, set[str]] = field(default_factory=dict)  # lang -> spellings never flagged
    _by_form: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        for lang, forms in entry.forms.items():
            for f in forms:
                bucket = self._by_form.setdefault((lang, f.casefold()), [])
                if entry not in bucket:
                    # the user's entries come first: their preferred spelling is the house style
                    bucket.insert(0, entry) if entry.origin == "user" else bucket.append(entry)

    def lookup(self, lang: str, spelling: str) -> list[Entry]:
        return self._by_form.get((lang, spelling.casefold()), [])

    def is_correct(self, lang: str, spelling: str) -> bool:
        """Spelled as an entry (or the user's ``correct`` list) accepts for ``lang``."""
        low = spelling.casefold()
        return low in self.correct.get(lang, ()) or bool(self._by_form.get((lang, low)))

    def phrases(self, lang: str, kind: str | None = None) -> Iterable[tuple[str, Entry]]:
        for entry in self.entries:
            if kind is None or entry.kind == kind:
                for f in entry.forms.get(lang, ()):
                    yield f, entry


def _forms(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split("|")]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a spelling or a list of spellings, got {value!r}")
    return [v.strip() for v in value]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yamlfile.load_cached(path.read_text(encoding="utf-8"))
    except OSError:
        raise ConfigError(f"{path}: cannot read the name lexicon") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise ConfigError(f"{path}: invalid YAML{f' at line {mark.line + 1}' if mark else ''}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'names', 'places' and/or 'correct'")
    unknown = set(data) - {"names", "places", "correct"}
    if unknown:
        raise ConfigError(f"{path}: unknown key '{sorted(unknown)[0]}' (use names, places, correct)")
    return data


def load_lexicon_file(path: Path, lexicon: Lexicon, origin: str) -> None:
    """Add a YAML lexicon (the shipped one or a user's) to ``lexicon``; errors name the file and entry."""
    data = _read_yaml(path)
    for kind, key in (("name", "names"), ("place", "places")):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise ConfigError(f"{path}: '{key}' must be a list of entries")
        for n, item in enumerate(items, 1):
            where = f"{path}: {key} entry {n}"
            if not isinstance(item, dict) or len(item) < 2:
                raise ConfigError(f"{where}: expected spellings in at least two languages, got {item!r}")
            lexicon.add(Entry({str(lang): _forms(v, f"{where}.{lang}") for lang, v in item.items()}, kind, origin))
    correct = data.get("correct") or {}
    if not isinstance(correct, dict):
        raise ConfigError(f"{path}: 'correct' must map a language code to a list of spellings")
    for lang, spellings in correct.items():
        lexicon.correct.setdefault(str(lang), set()).update(s.casefold() for s in _forms(spellings, f"{path}: correct.{lang}"))


def load_exonym_table(path: Path, lexicon: Lexicon) -> None:
    """The curated exonym table: one place a row, one language a column, '|' between spellings."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            forms = {lang: _forms(v, f"{path}: {lang}") for lang, v in row.items() if lang and v and v.strip()}
            if len(forms) >= 2:
                lexicon.add(Entry(forms, "place", "lexicon"))


def cldr_places(langs: Iterable[str]) -> list[Entry]:
    """Territory and time-zone city names from CLDR (babel) where the given languages differ.  Built
    once per machine for a set of languages and babel version (pipeline/prepared.py): reading 500
    time zones of every locale took 0.1-0.2 s of each run's start."""
    langs = list(dict.fromkeys(langs))
    if not all(_SAFE_TAG.fullmatch(lang) for lang in langs):  # a tag names the cached file: built in memory
        return _cldr_places(langs)
    tags = "-".join(langs)
    if len(tags) > 80:  # a file name must stay short
        tags = hashlib.sha256(tags.encode()).hexdigest()[:16]
    name = f"places.{importlib.metadata.version('babel')}.{tags}"
    rows = prepared_json("cldr", name, lambda: [[e.forms, e.kind, e.origin] for e in _cldr_places(langs)])
    return [Entry(forms, kind, origin) for forms, kind, origin in rows]


_SAFE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}")


def _cldr_places(langs: list[str]) -> list[Entry]:
    from babel import Locale, UnknownLocaleError  # deferred: babel (CLDR) costs about 25 ms

    locales: dict[str, Any] = {}
    for lang in langs:
        try:
            locales[lang] = Locale.parse(lang)
        except (UnknownLocaleError, ValueError):
            continue
    if len(locales) < 2:
        return []
    entries: list[Entry] = []
    codes = set().union(*(set(loc.territories) for loc in locales.values())) - _CLDR_SKIP_REGIONS
    for code in sorted(codes):
        forms = {lang: [loc.territories[code]] for lang, loc in locales.items() if code in loc.territories}
        if len({f[0] for f in forms.values()}) > 1:
            entries.append(Entry(forms, "place", "cldr"))
    return entries + _cldr_zone_cities(locales)


def _cldr_zone_cities(locales: dict[str, Any]) -> list[Entry]:
    """The exemplar cities of CLDR's time zones ("Europe/Moscow": Moskau, Moscow) where the
    languages differ; a city a locale does not name keeps the zone id's spelling."""
    entries: list[Entry] = []
    zones = set().union(*(set(loc.time_zones) for loc in locales.values()))
    for zone in sorted(zones):
        if "/" not in zone or zone.startswith("Etc/"):
            continue
        default = zone.rsplit("/", 1)[1].replace("_", " ")
        forms = {}
        for lang, loc in locales.items():
            city = (loc.time_zones.get(zone) or {}).get("city")
            forms[lang] = [city or default]
        if len({f[0] for f in forms.values()}) > 1:
            entries.append(Entry(forms, "place", "cldr"))
    return entries


def build_lexicon(langs: Iterable[str], user_files: Iterable[str | Path] = ()) -> Lexicon:
    """Shipped names, curated exonyms, CLDR places for ``langs``, then the user's files."""
    lexicon = Lexicon()
    load_lexicon_file(LEXICON_FILE, lexicon, "lexicon")
    load_exonym_table(EXONYMS_FILE, lexicon)
    for entry in cldr_places(list(langs) + list(CYRILLIC_LANGS)):
        lexicon.add(entry)
    for f in user_files:
        path = Path(f)
        if not path.exists():
            raise ConfigError(f"{path}: no such name lexicon file (checks.options: lexicon)")
        load_lexicon_file(path, lexicon, "user")
    return lexicon
