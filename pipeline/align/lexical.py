"""Lexical anchors: evidence that two sentences are translations that needs no model.

Numbers, acronyms and names, cognates (words sharing their first five letters once case and accents
are folded: "Expedition" / "expédition", "Ukraine" / "Ukraine"), question and exclamation marks and
parentheses, and, for German-English, words that the Ding dictionary (the Debian package trans-de-en,
read at run time from /usr/share/trans/de-en) gives as translations of each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import ResourceMissing

DING_PATH = Path("/usr/share/trans/de-en")

_TOKEN = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+")
_MARKS = {"?": "p:?", "!": "p:!", "(": "p:(", "%": "p:%", "§": "p:§"}
_ANNOTATION = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>")
_EN_STOP = frozenset(
    "the and for with from that this into onto upon out off over about sth someone something somebody "
    "one's sb's oneself its his her their are was were been being have has had not".split()
)
COGNATE_PREFIX = 5


def fold(word: str) -> str:
    """Lower case without accents: the form in which cognates and names are compared."""
    word = word.casefold().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


class Dictionary:
    """Word translations from German into English, from a Ding-format file ("de | de :: en | en").

    Indexing the 200,000 entries takes seconds, parsing them all much longer, so only headwords are
    indexed and an entry is parsed when a document asks for one of its words.
    """

    def __init__(self, lines: list[str], index: dict[str, list[int]], max_translations: int = 8) -> None:
        self._lines = lines
        self._index = index
        self._parsed: dict[str, frozenset[str]] = {}
        self.max_translations = max_translations

    def _lookup(self, word: str) -> frozenset[str] | None:
        if word in self._parsed:
            return self._parsed[word]
        rows = self._index.get(word)
        if rows is None:
            return None
        found: set[str] = set()
        for row in rows:
            german, _, english = self._lines[row].partition("::")
            de_alts, en_alts = german.split("|"), english.split("|")
            pairs = zip(de_alts, en_alts) if len(de_alts) == len(en_alts) else [(de_alts[0], en_alts[0])]
            for de_part, en_part in pairs:
                heads = {_ANNOTATION.sub(" ", item).strip().lower() for item in de_part.split(";")}
                if word in heads:
                    found.update(w for phrase in en_part.split(";") for w in _english_words(phrase))
        result = frozenset(sorted(found)[: self.max_translations * 2])
        self._parsed[word] = result
        return result

    def translations(self, word: str) -> frozenset[str]:
        found = self._lookup(word)
        if found:
            return found
        # German inflection: try the common endings so that "Präsidenten" finds "Präsident".
        for ending in ("en", "er", "es", "e", "n", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                found = self._lookup(word[: -len(ending)])
                if found:
                    return found
        return frozenset()


def _english_words(text: str) -> list[str]:
    text = _ANNOTATION.sub(" ", text).strip()
    if text.startswith("to "):
        text = text[3:]
    return [w for w in (t.lower() for t in _TOKEN.findall(text)) if len(w) >= 3 and w not in _EN_STOP and not w.isdigit()]


def load_ding(path: Path = DING_PATH) -> Dictionary:
    """Index the single-word German headwords of a Ding-format dictionary."""
    if not path.exists():
        raise ResourceMissing(f"{path} not found (install the Debian package trans-de-en for the Ding dictionary)")
    lines: list[str] = []
    index: dict[str, list[int]] = {}
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("#") or "::" not in line:
                continue
            row = len(lines)
            lines.append(line)
            for alt in line.partition("::")[0].split("|"):
                for item in alt.split(";"):
                    head, _, rest = item.strip().partition(" ")
                    if not rest or rest[0] in "{[(<":
                        index.setdefault(head.lower(), []).append(row)
    return Dictionary(lines, index)


def dictionary_direction(src_lang: str, tgt_lang: str) -> str | None:
    """Which side the Ding dictionary translates from: "source", "target" or None (not de-en)."""
    pair = (_base(src_lang), _base(tgt_lang))
    if pair == ("de", "en"):
        return "source"
    if pair == ("en", "de"):
        return "target"
    return None


def _english_stem(word: str) -> Iterable[str]:
    yield word
    for ending in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            yield word[: -len(ending)] + ("y" if ending == "ies" else "")


def anchors(
    text: str,
    dictionary: Dictionary | None = None,
    dictionary_side: str | None = None,
    folded: dict[str, str] | None = None,
) -> tuple[set[str], int]:
    """The anchors of one sentence and their count (a dictionary word counts once, whatever its
    number of translations).  ``dictionary_side`` is "from" for the language the dictionary
    translates from, "to" for the other one; ``folded`` memoises :func:`fold` across calls."""
    folded = {} if folded is None else folded
    found: set[str] = set()
    units = 0
    for number in _NUMBER.findall(text):
        found.add("n:" + (number.lstrip("0") or "0"))
    for mark, anchor in _MARKS.items():
        if mark in text:
            found.add(anchor)
    for token in _TOKEN.findall(text):
        if token.isdigit():
            continue
        form = folded.get(token)
        if form is None:
            form = folded[token] = fold(token)
        if len(form) >= COGNATE_PREFIX:
            found.add("c:" + form[:COGNATE_PREFIX])
        elif len(token) >= 2 and token.isupper() and token.isalpha():
            found.add("w:" + form)  # acronyms: EU, USA, NATO, SAC
        if dictionary is not None and len(token) >= 3 and token.isalpha():
            low = token.lower()
            if dictionary_side == "from":
                translations = dictionary.translations(low)
                if translations:
                    found.update("d:" + t for t in translations)
                    units += 1
            elif dictionary_side == "to" and len(low) >= 4 and low not in _EN_STOP:
                found.update("d:" + stem for stem in _english_stem(low))
                units += 1
    units += sum(1 for a in found if not a.startswith("d:"))
    return found, units
