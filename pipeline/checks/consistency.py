"""Consistency of a localization file (M5): Xbench's two reports, per document.

M501 finds a source text translated in more than one way, M502 a translation given to more than
one source text.  Both compare the units of one document (an XLIFF ``<file>``, a whole PO or TMX
file): texts with their edge whitespace trimmed and runs of whitespace collapsed, in their case.
The forms of a plural message (which differ on purpose) and units of another gettext context
(``msgctxt``: the same English word as a noun and as a verb) are kept apart, and only units of
localization files are compared (a repeated sentence of running text is translated in context).

Scope: the rules see what the engine hands a document rule, one document at a time, and the engine
cuts a long line-aligned document into pieces of ``--shard-size`` units (250 by default), so two
units further apart than that are not compared; a job-wide view is not available to rules.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator

from ..model import AlignedPair
from .markup import MESSAGE_KEY_RE
from .registry import CheckContext, Finding, rule

_PLURAL_FORM_RE = re.compile(r"\[\d+\]$")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _units(pairs: list[AlignedPair]) -> list[tuple[AlignedPair, str, str, str]]:
    """(pair, context, source, target) of the single, non-plural, translated units."""
    out = []
    for pair in pairs:
        if len(pair.source) != 1 or len(pair.target) != 1:
            continue
        unit = pair.source[0].unit
        if unit is None or _PLURAL_FORM_RE.search(unit):
            continue
        source, target = _norm(pair.source_text), _norm(pair.target_text)
        if source and target and not MESSAGE_KEY_RE.fullmatch(source):  # a key-as-source file read alone: keys are not text
            out.append((pair, unit.split("\x04", 1)[0] if "\x04" in unit else "", source, target))
    return out


def _span(pair: AlignedPair) -> tuple[int, int]:
    text = pair.target_text
    body = text.strip()
    start = text.index(body) if body else 0
    return start, start + len(body)


def _inconsistent(units: list[tuple[AlignedPair, str, str, str]]) -> Iterator[tuple[AlignedPair, str, Counter[str]]]:
    """Units are (pair, context, shared text, other text): each unit whose other text is not the most
    frequent one among the units of its context sharing its text, as (pair, the most frequent
    other text, all the other texts)."""
    groups: dict[tuple[str, str], list[tuple[AlignedPair, str, str, str]]] = defaultdict(list)
    for u in units:
        groups[(u[1], u[2])].append(u)
    for members in groups.values():
        if len(members) < 2:
            continue
        variants = Counter(m[3] for m in members)
        if len(variants) < 2:
            continue
        first: dict[str, int] = {}
        for m in members:
            first.setdefault(m[3], len(first))
        usual = min(variants, key=lambda v: (-variants[v], first[v]))
        for m in members:
            if m[3] != usual:
                yield m[0], usual, variants


@rule("M501", "source-translated-differently", category="fluency/inconsistency", severity="minor", scope="document")
def source_translated_differently(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """The same source text is translated in more than one way in one file.

    Why: a button, menu item or message that reads differently in two places makes users think
    of two functions; translation memories exist to prevent it.  The less frequent translation is
    marked, with the most frequent one as suggestion (a tie: the first one in the file).

    Example: "Save" -> "Speichern" (unit 4) and "Save" -> "Sichern" (unit 9) -> "Sichern" in unit 9.
    Switch off: ``checks.disable: [M501]``.
    """
    for pair, usual, variants in _inconsistent(_units(pairs)):
        start, end = _span(pair)
        message = f"this source is translated {len(variants)} ways in this file; '{usual}' {variants[usual]}x"
        yield pair, Finding(start, end, message, suggestion=usual, data={"variants": sorted(variants)})


@rule("M502", "translation-of-different-sources", category="fluency/inconsistency", severity="neutral", scope="document")
def translation_of_different_sources(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """The same translation is given to different source texts in one file.

    Why: two source strings are different for a reason (two functions, two states); one
    translation for both hides the difference, or one of them is a copy-paste slip.  The unit
    whose source is the less frequent one is marked, naming the other source.  Sources that differ
    only in case, spacing or final punctuation are the same text here.

    Example: "Delete" -> "Löschen" and "Remove" -> "Löschen" -> the second "Löschen".
    Switch off: ``checks.disable: [M502]``.
    """
    units = [(p, c, t, _loose(s)) for p, c, s, t in _units(pairs)]
    for pair, usual, variants in _inconsistent(units):
        start, end = _span(pair)
        yield (
            pair,
            Finding(start, end, f"this translation is also given to the source '{usual}' ({variants[usual]}x); here it translates '{_norm(pair.source_text)}'", data={"sources": sorted(variants)}),
        )


def _loose(text: str) -> str:
    return text.casefold().rstrip(".:!?…").strip()
