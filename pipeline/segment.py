"""Sentence segmentation of document inputs, keeping paragraph boundaries and file offsets.

The engine is ``sentencex`` (fast, ~300 languages), with post-rules for what it gets wrong on news
text: ordinal numbers written with a dot ("im 2. Weltkrieg", "der 1. FC") in the languages that write
ordinals that way, abbreviations before numbers ("Vol. 3") and breaks before a lower-case word.  eval/segmentation.py measures engines and rules on German and English cases.

sentencex 1.0.32 panics (a pyo3 ``PanicException``, a ``BaseException``) when a lone capital letter
A-Z is followed by whitespace whose last character is a multi-byte Unicode space and then a period:
"Vitamin A\u00a0." ("end byte index 10 is not a char boundary").  Such a space is replaced by an
ASCII one in the text sentencex sees (same length, so offsets hold), and any other panic falls back
to pysbd for that block with a logged warning.  eval/fuzz.py fuzzes this.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import sentencex

from .errors import ConfigError
from .model import Segment

# Languages writing ordinals as a number followed by a dot ("3. Liga", "24. února").
ORDINAL_DOT_LANGS = frozenset("de da no nb nn fi cs sk sl hr sr bs hu et is lv lt tr pl".split())

_ORDINAL_END = re.compile(r"(?:^|[\s(\[])\d{1,3}\.$")
_STARTS_UPPER = re.compile(r"^[\"'„“«(]*[^\W\d_]", re.UNICODE)
_WORD_DOT_END = re.compile(r"\w\.$")
_SHORT_ABBREV_END = re.compile(r"(?:^|\s)(?:[^\W\d_]{1,4}|[a-zà-ÿ]{5,6})\.$")
_STARTS_LOWER = re.compile(r"^[a-zà-ÿ]")
_STARTS_DIGIT = re.compile(r"^\d")

ENGINES = ("sentencex", "pysbd", "lines")

log = logging.getLogger(__name__)

# The characters Rust's char::is_whitespace accepts beyond ASCII (all of them 2 or 3 bytes in
# UTF-8).  Before a period they trip sentencex 1.0.32's byte arithmetic; see the module docstring.
_WIDE_SPACES = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WIDE_SPACE_BEFORE_DOT = re.compile(f"[{_WIDE_SPACES}](?=\\.)")


def sentencex_safe(text: str) -> str:
    """``text`` with every multi-byte space right before a period made an ASCII space: the same
    length and offsets, and no input that makes sentencex 1.0.32 panic."""
    return _WIDE_SPACE_BEFORE_DOT.sub(" ", text)


def _is_panic(err: BaseException) -> bool:
    # pyo3_runtime.PanicException is not importable: it is created inside the extension.
    return type(err).__name__ == "PanicException"


@dataclass(frozen=True, slots=True)
class Block:
    """A line of a document: the unit a segmenter splits; sentences never cross blocks."""

    text: str
    start: int  # offset in the file text
    line: int  # 1-based
    paragraph: int


def split_blocks(text: str, line_breaks: str = "boundary") -> list[Block]:
    """Paragraphs are separated by blank lines; with ``line_breaks="join"`` the lines of a
    paragraph are joined (hard-wrapped text), otherwise every line is its own block."""
    blocks: list[Block] = []
    paragraph = 0
    in_paragraph = False
    offset = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if in_paragraph:
                paragraph += 1
            in_paragraph = False
        else:
            lead = len(line) - len(line.lstrip())
            if line_breaks == "join" and in_paragraph and blocks:
                prev = blocks[-1]
                # same length as the file text, so segment offsets stay exact
                joined = text[prev.start : offset + lead + len(stripped)].replace("\n", " ")
                blocks[-1] = Block(joined, prev.start, prev.line, prev.paragraph)
            else:
                blocks.append(Block(stripped, offset + lead, line_no, paragraph))
            in_paragraph = True
        offset += len(line) + 1
    return blocks


class Segmenter:
    """Splits a block of text into sentence spans for one language."""

    def __init__(self, lang: str, engine: str = "sentencex") -> None:
        if engine not in ENGINES:
            raise ConfigError(f"unknown segmentation engine {engine!r} (choose {'|'.join(ENGINES)})")
        self.lang = lang.split("-")[0].lower()
        self.engine = engine
        self._split = self._make_splitter(engine)
        self._fallback: Callable[[str], list[str]] | None = None
        self.panics = 0  # blocks sentencex panicked on (split by pysbd instead)
        self._ordinal_dot = self.lang in ORDINAL_DOT_LANGS

    def _make_splitter(self, engine: str) -> Callable[[str], list[str]]:
        if engine == "lines":
            return lambda text: [text]
        if engine == "pysbd":
            import pysbd  # deferred: the other engine (sentencex is the default); about 6 ms

            try:
                seg = pysbd.Segmenter(language=self.lang, clean=False)
            except ValueError:
                seg = pysbd.Segmenter(language="en", clean=False)
            return seg.segment
        return lambda text: list(sentencex.segment(self.lang, text))  # split() passes sentencex_safe(text)

    def _pieces(self, text: str) -> list[str]:
        try:
            return self._split(text)
        except BaseException as err:
            if not _is_panic(err):
                raise
        # A sentencex panic this module does not yet prevent: split this block with pysbd.
        self.panics += 1
        log.warning("sentencex panicked on a %d-character block (%s); split it with pysbd", len(text), text[:60])
        try:
            if self._fallback is None:
                self._fallback = self._make_splitter("pysbd")
            return self._fallback(text)
        except Exception:
            return [text]

    def split(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans (start, end) in ``text``, whitespace trimmed, covering all non-space text."""
        # Pieces are looked up in the text the engine saw (same length as ``text``).
        seen = sentencex_safe(text) if self.engine == "sentencex" else text
        spans: list[tuple[int, int]] = []
        cursor = 0
        for piece in self._pieces(seen):
            piece = piece.strip()
            if not piece:
                continue
            found = seen.find(piece, cursor)
            if found < 0:  # an engine that altered the text: fall back to keeping the rest whole
                rest = seen[cursor:].strip()
                if rest:
                    start = seen.index(rest, cursor)
                    spans.append((start, start + len(rest)))
                cursor = len(seen)
                break
            spans.append((found, found + len(piece)))
            cursor = found + len(piece)
        tail = seen[cursor:].strip()
        if tail:
            start = seen.index(tail, cursor)
            spans.append((start, start + len(tail)))
        return self._merge_false_breaks(text, spans)

    def _merge_false_breaks(self, text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if len(spans) < 2:
            return spans
        merged = [spans[0]]
        for start, end in spans[1:]:
            prev_start, prev_end = merged[-1]
            if self._false_break(text[prev_start:prev_end], text[start:end]):
                merged[-1] = (prev_start, end)
            else:
                merged.append((start, end))
        return merged

    def _false_break(self, before: str, after: str) -> bool:
        if not _WORD_DOT_END.search(before):
            return False
        # News sentences do not start in lower case: "5 lbs. | and costs" is an abbreviation.
        if _STARTS_LOWER.match(after):
            return True
        # "Vol. | 3", "approx. | 300", "Nr. | 5": a short abbreviation before a number.
        if _SHORT_ABBREV_END.search(before) and _STARTS_DIGIT.match(after):
            return True
        # "Im 2. | Weltkrieg": an ordinal is followed by its noun; a sentence ending in a bare
        # one- to three-digit number is much rarer in these languages (years have four digits).
        return self._ordinal_dot and bool(_ORDINAL_END.search(before)) and bool(_STARTS_UPPER.match(after))


def segment_document(text: str, lang: str, engine: str = "sentencex", line_breaks: str = "boundary") -> list[Segment]:
    """Split a document's text into sentence segments with paragraph index, file offsets and line."""
    segmenter = Segmenter(lang, engine)
    segments: list[Segment] = []
    for block in split_blocks(text, line_breaks):
        for start, end in segmenter.split(block.text):
            segments.append(
                Segment(
                    text=block.text[start:end],
                    index=len(segments),
                    paragraph=block.paragraph,
                    start=block.start + start,
                    end=block.start + end,
                    line=block.line,
                )
            )
    return segments


def lines_to_segments(lines: list[str], first_line: int = 1) -> list[Segment]:
    """Line-aligned input: one segment per line, each its own paragraph."""
    segments = []
    offset = 0
    for i, line in enumerate(lines):
        segments.append(Segment(text=line.strip(), index=i, paragraph=i, start=offset, end=offset + len(line), line=first_line + i))
        offset += len(line) + 1
    return segments
