"""Placeholders (M1): the variables a program fills in must survive translation unchanged.

A placeholder is text the software replaces at run time: printf (``%s``, ``%1$s``, ``%.2f``,
``%@``, git's ``%<PRIuMAX>``), Python (``%(name)s``), Qt (``%1``), ICU/.NET/Python format
(``{0}``, ``{name}``), Twig/Angular/Handlebars (``{{ value }}``), shell and build variables
(``${var}``, ``$(PRODUCT_NAME)``), Symfony (``%name%``) and the masks WMT test sets put in place of
personal data (``#PRS_ORG#``, ``#NAME#``).  A missing one loses information, an added or renamed
one shows the raw code or crashes the program, and unnumbered printf arguments in another order
pass the wrong value.

The rules compare what the source and the target contain, so they hold for any language pair and
are silent on text without placeholders.  :func:`find_placeholders` is the parser; ICU plural and
select messages (``{n, plural, one {...} other {...}}``) are left to their own rule: their branches
are text to translate.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from ..model import AlignedPair
from .registry import CheckContext, Finding, rule

# One alternation, tried left to right at each position, so "%name%" is Symfony, not printf "%n".
_PLACEHOLDER_RE = re.compile(
    r"(?P<escape>%%)"
    r"|(?P<mask>#[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*#)"
    r"|(?P<twig>\{\{-?\s*(?P<twig_body>[^{}]+?)\s*-?\}\})"
    r"|(?P<dollar>\$\{\s*[A-Za-z_][\w.]*\s*\}|\$\([A-Za-z_][\w.]*\))"
    r"|(?P<brace>\{\s*(?P<brace_name>\d+|[A-Za-z_][\w.]*)\s*(?:[,:][^{}]*)?\})"
    r"|(?P<python>%\((?P<python_name>[A-Za-z_]\w*)\)[-+ 0#]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])"
    r"|(?P<symfony>%[A-Za-z_]\w+(?:[.-]\w+)*%(?!%))"
    r"|(?P<printf>%(?:(?P<position>[1-9]\d?)\$)?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?(?P<conversion>[diouxXeEfFgGaAcspn@])"
    r"|%<PRI[a-zA-Z0-9]+>)"
    r"|(?P<qt>%L?(?P<qt_number>[1-9]\d?)(?!\d))"
)
# Characters without which no placeholder can occur: most text is skipped after one scan.
_TRIGGERS = frozenset("%{#$")
_ICU_START_RE = re.compile(r"\{\s*(?P<name>[^\s,{}]+)\s*,\s*(?P<type>plural|selectordinal|select)\s*,")


def icu_messages(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, argument, type) of each top-level ICU plural/select message in ``text``; an
    unbalanced one runs to the end of the text."""
    found: list[tuple[int, int, str, str]] = []
    pos = 0
    while (m := _ICU_START_RE.search(text, pos)) is not None:
        depth, end = 0, len(text)
        for i in range(m.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                end = i + 1
                break
        found.append((m.start(), end, m.group("name"), m.group("type")))
        pos = end
    return found


@dataclass(frozen=True, slots=True)
class Placeholder:
    start: int
    end: int
    text: str
    syntax: str  # icu | mask | twig | dollar | brace | python | symfony | printf | qt
    key: str  # what must be equal on both sides (spacing inside "{{ }}" and "{ }" does not count)
    position: int | None = None  # printf: the explicit argument number ("%2$s"), None when unnumbered
    conversion: str = ""  # printf: the conversion with its modifiers ("ld", "@", ".2f")
    uncertain: bool = False  # may be ordinary text ("%34" in Turkish): matched, never reported alone


@functools.cache
def percent_before_number(lang: str) -> bool:
    """The language writes percentages with the sign first (Turkish "%34", Basque "% 34"; CLDR)."""
    try:
        from babel import Locale  # deferred: CLDR data, needed only when a text has a Qt-like "%N"

        return str(Locale.parse(lang.replace("-", "_")).percent_formats[None].pattern).startswith("%")
    except (ValueError, LookupError, TypeError):  # an unknown or malformed language code
        return False


def find_placeholders(text: str, lang: str = "") -> list[Placeholder]:
    """Every placeholder of ``text`` in order (an ICU plural/select message is not one).  In a
    language that writes "%34" for 34 percent, a Qt-like "%N" is ``uncertain``: it matches a "%N" of
    the other side but is never reported as missing or added by itself."""
    if not _TRIGGERS.intersection(text):
        return []
    # An ICU message counts as one placeholder (its argument and type); its branches are text to
    # translate, and the target locale may need other branches (M3's concern).
    icu = icu_messages(text) if "{" in text else []
    found = [Placeholder(s, e, text[s:e], "icu", f"{{{name},{kind}}}") for s, e, name, kind in icu]
    for m in _PLACEHOLDER_RE.finditer(text):
        kind = m.lastgroup or ""  # the outer group: it closes after the groups nested in it
        if kind == "escape" or any(s <= m.start() < e for s, e, _, _ in icu):
            continue
        if kind in ("printf", "qt") and m.start() > 0 and text[m.start() - 1].isdigit():
            continue  # "100%ig", "5%s": a percent sign after a number
        raw = m.group()
        if kind == "twig":
            key = "{{" + re.sub(r"\s+", "", m.group("twig_body")) + "}}"
        elif kind == "brace":
            key = "{" + re.sub(r"\s+", "", raw[1:-1]) + "}"
        elif kind == "dollar":
            key = re.sub(r"\s+", "", raw)
        elif kind == "qt":
            key = "%" + m.group("qt_number")
            if lang and percent_before_number(lang):
                found.append(Placeholder(m.start(), m.end(), raw, kind, key, uncertain=True))
                continue
        else:
            key = raw
        if kind == "printf":
            position = int(m.group("position")) if m.group("position") else None
            body = raw[len(m.group("position")) + 2 :] if position is not None else raw[1:]
            found.append(Placeholder(m.start(), m.end(), raw, kind, key, position, body))
        else:
            found.append(Placeholder(m.start(), m.end(), raw, kind, key))
    return sorted(found, key=lambda p: p.start) if icu else found


def _printf_keys(source: list[Placeholder], target: list[Placeholder]) -> tuple[list[str], list[str]]:
    """Keys of the printf placeholders of both sides.  When either side numbers its arguments
    ("%2$s"), the unnumbered ones of the other side stand for positions 1, 2, ... in order, so
    "%s ... %d" -> "%2$d ... %1$s" is the same set (a translator may reorder numbered arguments)."""

    def keys(items: list[Placeholder], numbered: bool) -> list[str]:
        out, implied = [], 0
        for p in items:
            if p.text.startswith("%<"):
                out.append(p.text)
            elif numbered:
                implied += p.position is None
                out.append(f"%{p.position or implied}${p.conversion}")
            else:
                out.append(f"%{p.conversion}")
        return out

    numbered = any(p.position is not None for p in source + target)
    return keys(source, numbered), keys(target, numbered)


@dataclass(frozen=True, slots=True)
class PlaceholderDiff:
    missing: list[Placeholder]  # in the source, not in the target
    added: list[Placeholder]  # in the target, not in the source
    changed: list[tuple[Placeholder, Placeholder]]  # (source, target): one renamed into the other
    reordered: list[Placeholder]  # target's unnumbered printf placeholders, when their order differs


def compare_placeholders(source_text: str, target_text: str, src_lang: str = "", tgt_lang: str = "") -> PlaceholderDiff:
    """What differs between the placeholders of a source and its translation."""
    source, target = find_placeholders(source_text, src_lang), find_placeholders(target_text, tgt_lang)
    if not source and not target:
        return PlaceholderDiff([], [], [], [])
    src_printf = [p for p in source if p.syntax == "printf"]
    tgt_printf = [p for p in target if p.syntax == "printf"]
    src_keys, tgt_keys = _printf_keys(src_printf, tgt_printf)
    key_of = {id(p): k for p, k in zip(src_printf, src_keys)} | {id(p): k for p, k in zip(tgt_printf, tgt_keys)}
    missing = [p for p in _unmatched(source, target, key_of) if not p.uncertain]
    added = [p for p in _unmatched(target, source, key_of) if not p.uncertain]
    per_line = _alternatives(source, source_text, key_of)
    if per_line is not None and _lines(target_text) != _lines(source_text):
        # Lines of alternatives ("Turn on %@" / "Switch on %@", voice-assistant phrases), each with the
        # same placeholders: a translation may offer more or fewer of them, so each line of the target
        # is held to one line of the source.
        line_missing, added = _line_diff(per_line, target, target_text, key_of)
        present = {key_of.get(id(p), p.key) for p in target}
        # a placeholder the target lacks on every line is reported at each of its source places
        missing = [p for p in source if not p.uncertain and key_of.get(id(p), p.key) not in present]
        missing += [p for p in line_missing if key_of.get(id(p), p.key) in present]
    # the same kind of placeholder in its place: renamed or translated ("%hours%" -> "%Stunden%")
    changed = pair_renamed(missing, added, lambda p: p.syntax)
    reordered: list[Placeholder] = []
    if not any(p.position is not None for p in src_printf + tgt_printf) and Counter(src_keys) == Counter(tgt_keys) and src_keys != tgt_keys:
        reordered = [p for p in tgt_printf if not p.text.startswith("%<")]
    return PlaceholderDiff(missing, added, changed, reordered)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line with visible text."""
    out, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _alternatives(source: list[Placeholder], text: str, key_of: dict[int, str]) -> list[Placeholder] | None:
    """The placeholders of the first line when the source is several lines with the same
    placeholders each (a list of alternatives), else None."""
    lines = _lines(text)
    if len(lines) < 2 or not source:
        return None
    keys = [sorted(key_of.get(id(p), p.key) for p in source if s <= p.start < e) for s, e in lines]
    if any(k != keys[0] for k in keys[1:]):
        return None
    first = [p for p in source if lines[0][0] <= p.start < lines[0][1]]
    return first


def _line_diff(per_line: list[Placeholder], target: list[Placeholder], text: str, key_of: dict[int, str]) -> tuple[list[Placeholder], list[Placeholder]]:
    """Each target line against one line of alternatives: what it lacks, what it has in excess."""
    missing: list[Placeholder] = []
    added: list[Placeholder] = []
    for start, end in _lines(text):
        inside = [p for p in target if start <= p.start < end]
        for p in _unmatched(per_line, inside, key_of):
            if not p.uncertain and p not in missing:
                missing.append(p)
        added += [p for p in _unmatched(inside, per_line, key_of) if not p.uncertain]
    return missing, added


T = TypeVar("T")


def pair_renamed(missing: list[T], added: list[T], kind: Callable[[T], str]) -> list[tuple[T, T]]:
    """Pairs (source item, target item) of the same kind, one missing and one added, taken in order
    out of both lists: one thing renamed is one finding, not a missing and an added one."""
    by_kind: dict[str, list[T]] = defaultdict(list)
    for item in added:
        by_kind[kind(item)].append(item)
    changed: list[tuple[T, T]] = []
    for s in list(missing):
        candidates = by_kind.get(kind(s))
        if candidates:
            t = candidates.pop(0)
            changed.append((s, t))
            missing.remove(s)
            added.remove(t)
    return changed


def _unmatched(side: list[Placeholder], other: list[Placeholder], key_of: dict[int, str]) -> list[Placeholder]:
    available = Counter(key_of.get(id(p), p.key) for p in other)
    out = []
    for p in side:
        key = key_of.get(id(p), p.key)
        if available[key] > 0:
            available[key] -= 1
        else:
            out.append(p)
    return out


@functools.lru_cache(maxsize=4096)
def _compared(source_text: str, target_text: str, src_lang: str, tgt_lang: str) -> PlaceholderDiff:
    return compare_placeholders(source_text, target_text, src_lang, tgt_lang)


def _diff(pair: AlignedPair, ctx: CheckContext) -> PlaceholderDiff:
    # The four rules share one comparison per pair (a pure function of the texts and languages).
    return _compared(pair.source_text, pair.target_text, ctx.src_lang, ctx.tgt_lang)


@rule("M101", "placeholder-missing", category="design-and-markup/markup", severity="major")
def placeholder_missing(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder of the source is not in the target.

    Why: the value the program fills in (a name, a count, a file) never appears to the user, and
    with printf a missing argument shifts the ones after it.  Any placeholder syntax counts:
    printf, Qt, ``{0}``/``{name}``, ``{{ value }}``, ``$(VAR)``, ``%name%``, ``#PRS_ORG#``.

    Example: "Recent %contenttypes%" -> "Neueste Seiten" -> "%contenttypes%" marked in the source.
    Switch off: ``checks.disable: [M101]``.
    """
    for p in _diff(pair, ctx).missing:
        yield Finding(p.start, p.end, f"placeholder '{p.text}' of the source is missing in the target", side="source")


@rule("M102", "placeholder-added", category="design-and-markup/markup", severity="major")
def placeholder_added(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """The target has a placeholder the source does not have.

    Why: the program either shows the raw code to the user or, with printf, reads an argument it
    was never given (a crash or garbage).  Often a placeholder typed wrongly ("% s", "{O}").

    Example: "Delete file?" -> "Datei %s löschen?" -> "%s" marked.
    Switch off: ``checks.disable: [M102]``.
    """
    for p in _diff(pair, ctx).added:
        yield Finding(p.start, p.end, f"placeholder '{p.text}' is not in the source")


@rule("M103", "placeholder-changed", category="design-and-markup/markup", severity="major")
def placeholder_changed(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A placeholder of the source appears renamed or translated in the target.

    Why: placeholder names are code; a translated name ("%hours%" -> "%Stunden%") is not filled
    in, so the user sees it raw.  Reported once, with the source's placeholder as the suggestion,
    instead of one missing and one added placeholder.

    Example: "within %hours% hours" -> "innerhalb von %Stunden% Stunden" -> "%Stunden%" (suggestion
    "%hours%").
    Switch off: ``checks.disable: [M103]``.
    """
    for s, t in _diff(pair, ctx).changed:
        yield Finding(t.start, t.end, f"placeholder '{t.text}' should be the source's '{s.text}'", suggestion=s.text)


@rule("M104", "placeholder-order", category="design-and-markup/markup", severity="major")
def placeholder_order(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Unnumbered printf placeholders in another order than in the source.

    Why: ``%s`` and ``%d`` take the program's arguments in order, so "%d files in %s" translated as
    "in %s: %d Dateien" passes a number where text is expected.  A translation that must reorder
    numbers them ("%2$s: %1$d Dateien"), which this rule accepts.

    Example: "%d files in %s" -> "In %s: %d Dateien" -> both placeholders marked (suggestion: number
    them, "%2$s ... %1$d").
    Switch off: ``checks.disable: [M104]``.
    """
    reordered = _diff(pair, ctx).reordered
    if reordered:
        order = ", ".join(p.text for p in reordered)
        yield Finding(reordered[0].start, reordered[-1].end, f"printf placeholders in another order than the source's ({order}): number them (%1$s, %2$d)")
