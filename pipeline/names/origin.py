"""Whose name is it?  A Latin spelling that some convention produces from a Cyrillic name may as
well be another nation's own name: "Pawel Jablonski" (Polish), "Juri Ratas" (Estonian),
"Kassym-Jomart Tokayev" (Kazakh), "Elisabeth" or "Alisson".  N101 and N103 ask :class:`NameOrigin`
before they flag a romanization; it answers with the evidence that the name belongs elsewhere:

* **frequency** - the spelling (diacritics folded: "jablonski" is Polish "jabłoński") is at least
  ``ratio`` times as frequent in another nation's language (wordfreq) as its Cyrillic reading is in
  Russian or Ukrainian.  Polish press writes "Ławrow" 60 times less often than Russian writes
  "Лавров", so Lawrow stays Russian; Polish writes "Kaczyński" 140 times as often as Russian writes
  "Качиньский".
* **the rest of the name** - a first name both nations use ("Pawel": Paweł / Павел) belongs to the
  nation of the surname next to it ("Jablonski"), when no part of the name reads as Russian.
* **context** - a nation named next to the name ("Estonian Prime Minister Juri Ratas", "Juri Ratas
  of Estonia"): the CLDR names (babel) of the nation's language and territories in the target
  language; the nations are listed in pipeline/data/names/origins.yaml.  A Russian, Ukrainian or
  Belarusian cue nearer to the name keeps the flag.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import yamlfile
from ..errors import ConfigError
from ..wordlists import folded_word_list
from .conventions import DATA_DIR

ORIGINS_FILE = DATA_DIR / "origins.yaml"
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_FOLD_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th"}
_FOLD = str.maketrans(_FOLD_LETTERS)
# Names the folding in the prepared tables' file names (pipeline/wordlists.py): a new letter or
# Unicode version gives new tables.  Change it too when fold() changes otherwise.
FOLD_KEY = "fold1-" + hashlib.sha1(f"{sorted(_FOLD_LETTERS.items())}{unicodedata.unidata_version}".encode()).hexdigest()[:10]
_NAME_JOINERS = (" ", "-", "‑")
_PHRASE_BREAK = re.compile(r"[^\w\s'’-]")


@lru_cache(maxsize=200_000)  # every name and entity rule folds the same words again
def fold(word: str) -> str:
    """A lower-case word without diacritics ("Jabłoński" -> "jablonski")."""
    if word.isascii():
        return word.lower()  # nothing to fold (most words of an English target)
    low = word.lower().translate(_FOLD)
    return "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class OriginSettings:
    ratio: float = 3.0  # native frequency / Cyrillic frequency for a spelling to belong to the nation
    min_native: float = 1e-7  # a native spelling must be at least this frequent
    common_word: float = 1e-5  # target words this frequent are titles ("Minister"), not parts of a name
    before: int = 5  # words before the name searched for a nation cue
    after: int = 2  # words after it ("of Estonia")


@dataclass(frozen=True, slots=True)
class Origins:
    """The data file: wordfreq lists per origin language, cue stems per target language."""

    lists: tuple[tuple[str, str, str], ...]  # (origin language, wordfreq language, list)
    cues: dict[str, bool]  # lower-case stem -> True for another nation, False for a Cyrillic one


def _stem(name: str) -> str:
    low = name.lower()
    return low[: max(5, len(low) - 2)]


def _nation_names(tgt: str, lang: str, entry: dict[str, Any], locale: Any) -> list[str]:
    names = [str(d) for d in (entry.get("demonyms") or {}).get(tgt, [])]
    if locale is not None:
        if lang in locale.languages:
            names.append(locale.languages[lang])
        names += [locale.territories[t] for t in entry.get("territories", []) if t in locale.territories]
    return names


@lru_cache(maxsize=8)
def load_origins(tgt: str, path: Path = ORIGINS_FILE) -> Origins:
    from babel import Locale, UnknownLocaleError  # deferred: babel (CLDR) costs about 25 ms

    try:
        raw = yamlfile.load_cached(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigError(f"{path}: {err}") from err
    try:
        locale = Locale.parse(tgt)
    except (UnknownLocaleError, ValueError):
        locale = None
    lists: list[tuple[str, str, str]] = []
    cues: dict[str, bool] = {}
    for key, other in (("origins", True), ("cyrillic_nations", False)):
        for lang, entry in (raw.get(key) or {}).items():
            if other and entry.get("wordfreq"):
                lists.append((lang, entry["wordfreq"], entry.get("list", "small")))
            for name in _nation_names(tgt, lang, entry, locale):
                for word in WORD.findall(name):
                    if len(word) >= 4 and word[:1].isupper():
                        cues[_stem(word)] = other
    return Origins(tuple(lists), cues)


class NativeSpellings:
    """wordfreq lists of the origin languages, with diacritics folded, loaded on first use."""

    def __init__(self, lists: Iterable[tuple[str, str, str]], skip: Iterable[str] = ()) -> None:
        self._lists = [(lang, wf, kind) for lang, wf, kind in lists if wf not in set(skip)]
        self._tables: list[tuple[str, Any]] | None = None  # (language, its folded prepared table)

    def _load(self) -> list[tuple[str, Any]]:
        if self._tables is None:
            tables = []
            for lang, wf, kind in self._lists:
                try:
                    tables.append((lang, folded_word_list(wf, fold, FOLD_KEY, kind)))
                except LookupError:
                    continue
            self._tables = tables
        return self._tables

    def best(self, word: str) -> tuple[float, str]:
        """The highest frequency of the folded word in an origin language, and that language."""
        key = fold(word)
        best = (0.0, "")
        for lang, table in self._load():
            f = table.get(key, 0.0)
            if f > best[0]:
                best = (f, lang)
        return best


# (Cyrillic reading frequency of a lower-case Latin word, over Russian and Ukrainian)
CyrillicFrequency = Callable[[str], float]
TargetFrequency = Callable[[str], float]


class NameOrigin:
    """Decides whether a flagged spelling is another nation's name (see the module docstring)."""

    def __init__(self, src: str, tgt: str, cyrillic_freq: CyrillicFrequency, tgt_freq: TargetFrequency, settings: OriginSettings | None = None) -> None:
        self.tgt = tgt
        self.origins = load_origins(tgt)
        # The source language writes the names it romanizes: its frequencies are no evidence of
        # whose name it is ("Selenskyj", "Scheich" in German).
        self.native = NativeSpellings(self.origins.lists, skip=[tgt, src])
        self.cyrillic_freq = cyrillic_freq
        self.tgt_freq = tgt_freq
        self.s = settings or OriginSettings()
        self._leaning = lru_cache(maxsize=50_000)(self._compute_leaning)

    def _compute_leaning(self, word: str) -> tuple[int, str]:
        """+1 with the language when the spelling is another nation's, -1 when it reads as Russian
        or Ukrainian, 0 when the frequencies do not tell."""
        native, lang = self.native.best(word)
        cyr = self.cyrillic_freq(word.lower())
        if native >= self.s.min_native and native >= self.s.ratio * cyr:
            return 1, lang
        if cyr >= self.s.min_native and cyr >= self.s.ratio * native:
            return -1, ""
        return 0, ""

    def foreign(self, text: str, start: int, end: int, own: bool = True, frequencies: bool = True) -> str | None:
        """Why the name at ``text[start:end]`` is another nation's (a short reason), or None.
        ``own``: whether the spelling's own frequencies may tell (not for a curated Russian name);
        ``frequencies``: whether word frequencies may tell at all (else the context alone)."""
        tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        at = next((i for i, t in enumerate(tokens) if t[0] <= start < t[1]), None)
        if at is None:
            return None
        first, last = self._chain(text, tokens, at)
        cue = self._context(text, tokens, first, last)
        if cue is not None or not frequencies:
            return cue or None
        word = text[start:end]
        lean, lang = self._leaning(word) if own else (0, "")
        if lean > 0:
            return f"frequency: {lang}"
        if lean < 0 or self.native.best(word)[0] < self.s.min_native:
            return None  # Russian, or a spelling no nation writes: the rest of the name cannot tell
        others = [self._leaning(tokens[i][2]) for i in range(first, last + 1) if i != at and self._name_part(tokens[i][2])]
        if others and not any(lean < 0 for lean, _ in others):
            lang = next((lang for lean, lang in others if lean > 0), "")
            if lang:
                return f"rest of the name: {lang}"
        return None

    def _name_part(self, word: str) -> bool:
        return word[:1].isupper() and self.tgt_freq(word) < self.s.common_word

    @staticmethod
    def _chain(text: str, tokens: list[tuple[int, int, str]], at: int) -> tuple[int, int]:
        """The run of capitalised words around token ``at`` joined by a space or hyphen."""
        first = last = at
        while first > 0 and tokens[first - 1][2][:1].isupper() and text[tokens[first - 1][1] : tokens[first][0]] in _NAME_JOINERS:
            first -= 1
        while last + 1 < len(tokens) and tokens[last + 1][2][:1].isupper() and text[tokens[last][1] : tokens[last + 1][0]] in _NAME_JOINERS:
            last += 1
        return first, last

    def _context(self, text: str, tokens: list[tuple[int, int, str]], first: int, last: int) -> str | None:
        """A nation named next to the name, in the same phrase (no punctuation between): its
        reason, "" for a Cyrillic nation (keep the flag), None for no cue.  The nearest cue decides."""
        cues = self.origins.cues
        window = [(first - i, i) for i in range(max(0, first - self.s.before), first)]
        window += [(i - last, i) for i in range(last + 1, min(len(tokens), last + 1 + self.s.after))]
        # inside the chain too: "Estonian Prime Minister Juri Ratas" is one capitalised run
        chain = [(0, i) for i in range(first, last + 1)]
        for _, i in sorted(chain + window):
            word = tokens[i][2]
            if not word[:1].isupper() or len(word) < 4:
                continue
            gap = text[tokens[i][1] : tokens[first][0]] if i < first else text[tokens[last][1] : tokens[i][0]]
            if _PHRASE_BREAK.search(gap):
                continue
            low = word.lower()
            for stem, other in cues.items():
                if low.startswith(stem):
                    return f"context: {word}" if other else ""
        return None
