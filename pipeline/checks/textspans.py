"""Word spans and small text predicates shared by the fluency, locale and accuracy checks.

Checks report character spans, so everything here works on ``(start, end, text)`` triples of the
string it was given rather than on bare token lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from .. import yamlfile
from .placeholders import find_placeholders
from .registry import CheckContext

# Letters of words, with the combining marks of Indic, Arabic and Hebrew script (a Devanagari vowel
# sign is not \w, yet it belongs to the word before it).
WORD_CHAR = r"[\w\u0300-\u036F\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u0900-\u0DFF\u0E00-\u0EFF\u1AB0-\u1AFF]"
WORD_TOKEN = re.compile(WORD_CHAR + r"+")


def _combining_marks() -> str:
    """The combining marks of the Basic Multilingual Plane as a character-class body (ranges):
    re's \\w lacks them, so a Devanagari word stops at its first vowel sign ("वोट" reads as "व", "ट")."""
    ranges: list[list[int]] = []
    for c in range(0x300, 0x10000):
        if unicodedata.category(chr(c)).startswith("M"):
            if ranges and ranges[-1][1] == c - 1:
                ranges[-1][1] = c
            else:
                ranges.append([c, c])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


# Every combining mark, for word patterns that must keep a word's vowel signs and points (T101).
# WORD_RE below does not include them yet, nor do the hand-listed classes of numbers.py (_MARKS) and
# wordlevel.py (_WORD_CHAR): moving those onto this one changes what their rules read.
COMBINING_MARKS = _combining_marks()

# Letters, digits and inner hyphens/apostrophes: "ex-Soviet", "NATO's", "don't".
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# The same with each letter's combining marks: a Devanagari word keeps its vowel signs, which WORD_RE
# splits it at ("वोट" as "व", "ट"; हिप हॉप as a repeated "ह प"). Used by F201 and T102.
_MARKED_LETTER = rf"[^\W_][{COMBINING_MARKS}]*"
MARKED_WORD_RE = re.compile(rf"(?:{_MARKED_LETTER})+(?:[-'’](?:{_MARKED_LETTER})+)*")
URLISH_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|#\w+|@\w+")
SENTENCE_END = ".!?…"


DIGIT_RE = re.compile(r"\d")


class Word(NamedTuple):
    """A word of a text and where it is (a tuple: rules build hundreds of thousands of these)."""

    start: int
    end: int
    text: str

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def has_digit(self) -> bool:
        return DIGIT_RE.search(self.text) is not None

    @property
    def is_upper(self) -> bool:
        if not self.text.isupper():  # a lower-case letter, or no cased letter at all
            return False
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) > 1 and all(c.isupper() for c in letters)


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[Word, ...]:
    """The words of a text (cached: most rules read the same target)."""
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a third faster on long texts
    return tuple([_new_tuple(Word, (m.start(), m.end(), m.group())) for m in WORD_RE.finditer(text)])


_new_tuple = tuple.__new__


def marked_words(text: str) -> list[Word]:
    """The words of a text with their combining marks (MARKED_WORD_RE)."""
    return [Word(m.start(), m.end(), m.group()) for m in MARKED_WORD_RE.finditer(text)]


# Code in software strings: command-line options ("--cached", "-f"), identifiers ("make_cache_entry",
# "macOS", "core.editor"), metavariables and tags ("<pathspec>"), git revisions ("HEAD^{tree}"),
# dot-files and paths (".keep", "refs/remotes/<name>/HEAD").
CODE_RE = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*(?:=\S+)?"
    r"|\b[A-Za-z]\w*_\w+\b"
    r"|\b[a-z]+[A-Z][A-Za-z0-9]*\b"
    r"|\b[a-z]\w*(?:\.[a-z_]\w*)+\(\)"
    r"|<[^<>\s]{1,40}>"
    r"|\S*[\^@]\{[^}\s]*\}"
    r"|(?<![\w/.])\.[a-z][\w-]*(?:/[\w.-]+)*"
    r"|\b(?=[\w./<>-]*[A-Za-z]{4})[a-z][\w.-]*/(?:[\w.-]+|<[^<>\s]+>)(?:/(?:[\w.-]+|<[^<>\s]+>))*"  # not "km/h", "and/or"
)


def masked_ranges(text: str) -> list[tuple[int, int]]:
    """Spans that no fluency check should read as prose: URLs, e-mail addresses, handles, code
    (options, identifiers, metavariables) and placeholders ("%s", "{name}")."""
    return list(_masked(text))


@lru_cache(maxsize=4096)
def _masked(text: str) -> tuple[tuple[int, int], ...]:
    # Several rules ask for the same text's spans (spelling, untranslated words, typography, numbers).
    spans = [(m.start(), m.end()) for m in URLISH_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in CODE_RE.finditer(text)]
    # Not Qt's "%1": in Turkish "%34" is a percentage, a number the number checks must read.
    spans += [(p.start, p.end) for p in find_placeholders(text) if p.syntax != "qt"]
    return tuple(spans)


def inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def base_lang(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def region(lang: str) -> str | None:
    parts = lang.replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else None


def sentence_initial(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence (only quotes/brackets before it)."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“”„‘’‚«»‹›([{-–—"):
        i -= 1
    return i < 0 or text[i] in SENTENCE_END or text[i] in ":;"


@lru_cache(maxsize=1024)
def source_vocabulary(*texts: str) -> frozenset[str]:
    """Case-folded words of the source (and references): such a word in the target is never a typo.
    (Cached: every system's output of a segment has the same source and references.)"""
    return frozenset(w.text.casefold() for text in texts for w in words(text))


DATA_DIR = Path(str(resources.files("pipeline"))) / "data"


def load_data(relative: str) -> Any:
    """A YAML data file shipped under pipeline/data (parsed once per machine: yamlfile.load_cached)."""
    return yamlfile.load_cached((DATA_DIR / relative).read_text(encoding="utf-8"))


def shipped(ctx: CheckContext, relative: str) -> Any:
    """A shipped data file, read once per run through the run's resource cache (treat as read-only)."""
    return ctx.resource(f"data:{relative}", lambda: load_data(relative))


def iter_segments(pair_text: str, segment_texts: list[str]) -> Iterator[tuple[int, str]]:
    """Offsets of each segment within the pair's joined text (segments are joined by one space)."""
    offset = 0
    for seg in segment_texts:
        yield offset, seg
        offset += len(seg) + 1
