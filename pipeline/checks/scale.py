"""Scale words (pipeline/data/scale_words.yaml): the two ends of a scale ("more"/"less", "many"/"few",
"first"/"last") found in a text, for rule A605 (:func:`pipeline.checks.wordlevel.scale_reversed`).

A language's words are matched as whole words (phrases as word sequences) where it is written with
spaces, as substrings in Japanese and Chinese; at one place the longest item wins ("ít hơn", not "hơn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .textspans import WORD_TOKEN, load_data

DATA = "scale_words.yaml"
UNSPACED = frozenset({"ja", "zh"})
# Arabic and Hebrew vowel marks, written now and then ("يُقلل" is "يقلل"): not part of a word's spelling here
_VOWEL_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0591-\u05C7]")


@dataclass(frozen=True, slots=True)
class ScaleWord:
    """One end word found in a text: where, which end, and the text as written."""

    start: int
    end: int
    end_of_scale: str  # "up" or "down"
    text: str


@dataclass(frozen=True, slots=True)
class ReadText:
    """A text read once for all the scales of its language: case-folded (:func:`fold`) with the phrases
    where an end word is no end blanked out (offsets kept), and split into words without Arabic and Hebrew vowel marks."""

    text: str  # as written
    low: str
    tokens: tuple[tuple[int, int, str], ...]  # (start, end, word)
    words: frozenset[str]  # the tokens' words


def fold(text: str) -> str:
    """Case-folded letter by letter, keeping the text's length (and so its offsets): a letter whose
    folding is longer stays in lower case ("ß", not "ss"); "İ" stays as it is."""
    low = text.casefold()
    if len(low) == len(text):  # (casefold never shortens: every letter folded to one)
        return low
    return "".join(f if len(f := c.casefold()) == 1 else (c.lower() if len(c.lower()) == 1 else c) for c in text)


def read_text(text: str, ignore: re.Pattern[str] | None) -> ReadText:
    low = fold(text)
    if ignore is not None:
        low = ignore.sub(lambda m: " " * len(m.group()), low)
    if _VOWEL_MARKS.search(low):
        tokens = tuple((m.start(), m.end(), _VOWEL_MARKS.sub("", m.group())) for m in WORD_TOKEN.finditer(low))
    else:
        tokens = tuple((m.start(), m.end(), m.group()) for m in WORD_TOKEN.finditer(low))
    return ReadText(text, low, tokens, frozenset(t[2] for t in tokens))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's words of one scale, compiled."""

    words: dict[tuple[str, ...], str]  # word sequence -> end ("up"/"down")
    substrings: dict[str, str]  # text -> end, for unspaced writing (and ko's substrings)
    stems: tuple[tuple[str, str], ...]  # (word start, end), longest first: inflected verbs and nouns ("aument": aumento, aumentó)
    prefixes: tuple[str, ...]  # clitics written onto the first word (Arabic, Hebrew)
    # what a match can open with, for skipping the other words at once: the items' first words,
    # the stems (also after a clitic), the longest item's length in words
    firsts: frozenset[str] = frozenset()
    starts: tuple[str, ...] = ()
    longest: int = 1

    @classmethod
    def build(cls, words: dict[tuple[str, ...], str], substrings: dict[str, str], stems: tuple[tuple[str, str], ...], prefixes: tuple[str, ...]) -> Lexicon:
        starts = tuple(p + stem for stem, _ in stems for p in ("", *prefixes))
        return cls(words, substrings, stems, prefixes, frozenset(k[0] for k in words), starts, max((len(k) for k in words), default=1))

    def _may_open(self, word: str) -> bool:
        """Whether a match can start at this word (every way :meth:`_match` finds one needs this)."""
        return word in self.firsts or word.startswith(self.starts) or any(word.startswith(p) and word[len(p) :] in self.firsts for p in self.prefixes)

    def find(self, read: ReadText) -> list[ScaleWord]:
        text, low = read.text, read.low
        found: list[ScaleWord] = []
        taken = bytearray(len(low) + 1)
        for item in sorted(self.substrings, key=len, reverse=True):
            for m in re.finditer(re.escape(item), low):
                if not any(taken[m.start() : m.end()]):
                    taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
                    found.append(ScaleWord(m.start(), m.end(), self.substrings[item], text[m.start() : m.end()]))
        if self.words or self.stems:
            tokens = read.tokens
            if self.starts or self.prefixes:
                openings = [i for i, t in enumerate(tokens) if self._may_open(t[2])]
            else:  # (whole words only: a set lookup each)
                openings = [i for i, t in enumerate(tokens) if t[2] in self.firsts] if not self.firsts.isdisjoint(read.words) else []
            used = [False] * len(tokens)
            for size in range(self.longest if openings else 0, 0, -1):
                for i in openings:
                    if i + size > len(tokens):
                        break
                    if any(used[i : i + size]) or any(taken[tokens[i][0] : tokens[i][1]]):
                        continue
                    end = self._match(tuple(t[2] for t in tokens[i : i + size]))
                    if end is not None:
                        used[i : i + size] = [True] * size
                        found.append(ScaleWord(tokens[i][0], tokens[i + size - 1][1], end, text[tokens[i][0] : tokens[i + size - 1][1]]))
        return sorted(found, key=lambda w: w.start)

    def _match(self, words: tuple[str, ...]) -> str | None:
        if words in self.words:
            return self.words[words]
        if len(words) == 1:
            for stem, end in self.stems:
                if words[0].startswith(stem) or any(words[0].startswith(p + stem) for p in self.prefixes):
                    return end
        for p in self.prefixes:
            if words[0].startswith(p) and len(words[0]) > len(p) + 1 and (words[0][len(p) :], *words[1:]) in self.words:
                return self.words[(words[0][len(p) :], *words[1:])]
        return None


@cache
def scale_names() -> tuple[str, ...]:
    return tuple(load_data(DATA)["scales"])


@cache
def lexicon(scale: str, lang: str) -> Lexicon | None:
    """The language's words of a scale, or None where the data has none."""
    data = load_data(DATA)
    spec = data["scales"][scale].get(lang)
    if spec is None:
        return None
    words: dict[tuple[str, ...], str] = {}
    substrings: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for end in ("up", "down"):
        stems += [(fold(stem), end) for stem in spec.get(f"{end}_stems") or ()]
        for item in spec.get(end) or ():
            item = fold(item)
            if lang in UNSPACED:
                substrings[item] = end
            else:
                words[tuple(WORD_TOKEN.findall(item))] = end
        for item in spec.get(f"{end}_substrings") or ():
            substrings[fold(item)] = end
    return Lexicon.build(words, substrings, tuple(sorted(stems, key=lambda x: -len(x[0]))), tuple(sorted(data.get("prefixes", {}).get(lang) or (), key=len, reverse=True)))


@cache
def source_ignore(lang: str) -> re.Pattern[str] | None:
    """The source language's phrases where an end word is no end ("primer ministro"), for read_text."""
    phrases = sorted((fold(p) for p in (load_data(DATA).get("ignore", {}).get(lang) or ())), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)") if phrases else None


@cache
def _english_ignore() -> re.Pattern[str]:
    phrases = sorted(load_data(DATA)["en"]["ignore"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def english_masked(text: str) -> str:
    """The English text with the phrases where an end word does not stand for its end ("at least",
    "a few") blanked out, offsets kept."""
    return _english_ignore().sub(lambda m: " " * len(m.group()), text.replace("’", "'"))


def opposite(word: str) -> str | None:
    """The English word at the other end ("less" -> "more"), in the word's case."""
    other = load_data(DATA)["en"]["opposite"].get(word.lower())
    if other is None:
        return None
    return other.capitalize() if word[:1].isupper() else other


def has_scales(lang: str) -> bool:
    return any(lexicon(s, lang) is not None for s in scale_names())
