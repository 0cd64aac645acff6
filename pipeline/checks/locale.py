"""Locale conventions (L) of the target language: quotation marks, number, date, time, currency and
percent formats.

The conventions come from CLDR through ``babel`` (decimal and group symbols, date and time
patterns, month names, currency and percent patterns); CLDR's quotation delimiters, which babel
does not carry, are in pipeline/data/locale/quotes.yaml.  The typical finding is a source-locale
convention that leaked into the translation: „…“ or «…» in English, "6,3 million", "10.000
soldiers", "10. Januar", "14 Uhr", "5 €".
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import ResourceMissing
from ..model import AlignedPair
from .coverage import TARGET_CLDR, TARGET_QUOTES
from .dictionaries import zipf
from .numbers import FIGURE, reader
from .registry import CheckContext, Finding, rule
from .textspans import base_lang, shipped


@dataclass(frozen=True, slots=True)
class Conventions:
    """What one locale expects, read from CLDR (babel)."""

    tag: str
    decimal: str
    group: str
    dotted_numeric_dates: bool
    day_dot_month: bool  # "10. Januar"
    months: tuple[str, ...]  # wide names, January first
    months_re: re.Pattern[str]  # any of them, anywhere (a cheap first test)
    month_lookup: dict[str, int]  # wide and abbreviated names (case-folded, no dot) -> month
    currency_before: bool
    percent_space: bool

    def month_day(self, day: int, month: int) -> str:
        from babel import dates  # deferred: babel (CLDR) costs about 25 ms; few pairs need it

        return dates.format_skeleton("MMMMd", datetime.date(2000, month, day), locale=self.tag)

    def short_time(self, hour: int, minute: int) -> str:
        from babel import dates  # deferred: babel (CLDR), see month_day

        return dates.format_time(datetime.time(hour, minute), "short", locale=self.tag)

    def number(self, value: float) -> str:
        from babel import numbers  # deferred: babel (CLDR), see month_day

        return numbers.format_decimal(value, locale=self.tag)


def _load_conventions(lang: str) -> Conventions:
    from babel import Locale, UnknownLocaleError, dates  # deferred: babel (CLDR), see month_day

    tag = lang.replace("-", "_")
    try:
        loc = Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        try:
            loc = Locale.parse(base_lang(lang))
            tag = base_lang(lang)
        except (UnknownLocaleError, ValueError):
            raise ResourceMissing(f"no CLDR locale data for '{lang}'") from None
    symbols = loc.number_symbols.get(loc.default_numbering_system, {}) if loc.default_numbering_system else {}
    decimal = symbols.get("decimal", ".")
    group = symbols.get("group", ",")
    wide = tuple(loc.months["format"]["wide"][m] for m in range(1, 13))
    lookup: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for m, name in loc.months[context][width].items():
                key = name.casefold().rstrip(".")
                if len(key) >= 3:
                    lookup.setdefault(key, m)
    long_pattern = dates.get_date_format("long", locale=loc).pattern
    currency = loc.currency_formats["standard"].pattern
    percent = loc.percent_formats[None].pattern
    return Conventions(
        tag=tag,
        decimal=decimal,
        group=group,
        dotted_numeric_dates="." in dates.get_date_format("short", locale=loc).pattern,
        day_dot_month="d." in long_pattern,
        months=wide,
        months_re=re.compile("|".join(map(re.escape, wide))),
        month_lookup=lookup,
        currency_before=currency.find("¤") < currency.find("#"),
        percent_space=any(sp in percent for sp in (" ", "\u00a0", "\u202f")),
    )


def conventions(ctx: CheckContext, lang: str) -> Conventions:
    return ctx.resource(f"locale:{lang}", lambda: _load_conventions(lang))


# ---------------------------------------------------------------------------------------- quotes

CHECKED_QUOTES = set("“”„‟«»‚‹›「」『』")
OPEN_CONTEXT = set(" \t\n([{—–-/") | {"\u00a0", "\u202f"}


@dataclass(frozen=True, slots=True)
class QuoteStyle:
    """The quotation marks one target language uses (pipeline/data/locale/quotes.yaml)."""

    openers: frozenset[str]
    closers: frozenset[str]
    primary: tuple[str, str]
    nested_openers: frozenset[str]  # accepted only inside a quotation in the primary marks
    nested_closers: frozenset[str]


def _quote_style(ctx: CheckContext) -> QuoteStyle | None:
    table = shipped(ctx, "locale/quotes.yaml")
    entry = table.get(base_lang(ctx.tgt_lang))
    if entry is None:
        return None
    pairs = [entry["primary"], entry["alternate"], *entry.get("accepted", [])]
    nested = entry.get("nested", [])
    return QuoteStyle(
        openers=frozenset(p[0] for p in pairs),
        closers=frozenset(p[1] for p in pairs),
        primary=(entry["primary"][0], entry["primary"][1]),
        nested_openers=frozenset(p[0] for p in nested),
        nested_closers=frozenset(p[1] for p in nested),
    )


def _is_opening(text: str, i: int, openers: frozenset[str], closers: frozenset[str]) -> bool:
    """Whether the quotation mark at ``text[i]`` opens, read from its neighbours; where they say both
    or neither, from the mark itself when the target's convention uses it on one side only.

    The neighbours say both in French « mot » (a no-break space on either side of either mark) and
    neither in unspaced scripts (她将“认真考虑”, 氏が「入念な準備」): there the mark's shape decides."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    # « after an apostrophe follows an elision (French d’« odieuse », l’« homme »): it opens.
    before_opens = before in OPEN_CONTEXT or before in CHECKED_QUOTES or (before in "’'" and text[i] == "«")
    after_closes = after.isspace() or after in ".,;:!?)]}"
    ch = text[i]
    if before_opens == after_closes and (ch in openers) != (ch in closers):
        return ch in openers
    if before_opens:
        return True
    return not after_closes and not before.isalnum() and before not in ".,;:!?"


@rule("L101", "quote-style", category="fluency/punctuation", severity="minor", coverage=TARGET_QUOTES)
def quote_style(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Quotation marks of another language's convention („…“ or «…» in English, “…” in German).

    Why: quotation marks are locale conventions (CLDR delimiters); MT and translators often carry
    the source's marks over. Straight typewriter quotes (") are accepted in every language.
    Whether a mark opens or closes is read from its neighbours, so German „…“ in English is
    flagged as a whole quotation with the target's marks as suggestion.

    Example (German -> English): 'told „Welt“' -> '„Welt“' (suggestion '“Welt”').
    Switch off: ``checks.disable: [L101]``.
    """
    style = _quote_style(ctx)
    if style is None:
        return
    openers, closers, (p_open, p_close) = style.openers, style.closers, style.primary
    text = pair.target_text
    marks = [i for i, ch in enumerate(text) if ch in CHECKED_QUOTES]
    depth = 0  # quotations open in the primary marks, inside which the nested marks are accepted
    k = 0
    while k < len(marks):
        i = marks[k]
        ch = text[i]
        opening = _is_opening(text, i, openers, closers)
        depth = depth + 1 if opening and ch == p_open else max(0, depth - 1) if not opening and ch == p_close else depth
        if depth and ch in (style.nested_openers if opening else style.nested_closers):
            pass  # Russian «… “…” …»
        elif opening and ch not in openers:
            j = marks[k + 1] if k + 1 < len(marks) else None
            if j is not None and not _is_opening(text, j, openers, closers) and j - i < 400:
                inner = text[i + 1 : j]
                yield Finding(i, j + 1, f"quotation marks {ch}…{text[j]} are not {ctx.tgt_lang} style; use {p_open}…{p_close}", suggestion=f"{p_open}{inner}{p_close}")
                k += 2
                continue
            yield Finding(i, i + 1, f"opening quotation mark {ch} is not {ctx.tgt_lang} style; use {p_open}", suggestion=p_open)
        elif not opening and ch not in closers:
            yield Finding(i, i + 1, f"closing quotation mark {ch} is not {ctx.tgt_lang} style; use {p_close}", suggestion=p_close)
        k += 1


INVERTED_MARKS = {"?": "¿", "!": "¡"}
# A closing ? or ! that ends a question or exclamation: not "?id=" in a URL, "Yahoo!News", "(!)"
CLOSING_MARK_RE = re.compile(r"(?<![(\s])[?!]+(?=[\s\"'”»’)\]]|$)")
SENTENCE_BREAK_RE = re.compile(r"[.?!…]\s")
WORD_RE_SIMPLE = re.compile(r"[^\W\d_]+")


@rule("L102", "inverted-question-exclamation", category="fluency/punctuation", severity="minor")
def inverted_marks(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A Spanish question or exclamation without its opening ¿ or ¡ ("Qué pasó?").

    Why: Spanish (and Asturian) open every question with ¿ and every exclamation with ¡ (RAE,
    CLDR); MT and translators working from English drop them. The opening mark may stand inside the
    sentence ("Si llueve, ¿iremos?"), so any ¿ or ¡ since the last sentence break counts. A question
    the source has word for word (an English title or slogan left in English) is not flagged.
    Other targets: not checked (pipeline/data/locale/inverted_marks.yaml lists the languages).

    Example (English -> Spanish): "Dijo: Qué pasó?" -> "?" (suggestion: "¿" before "Qué").
    Switch off: ``checks.disable: [L102]``.
    """
    text = pair.target_text
    if ("?" not in text and "!" not in text) or base_lang(ctx.tgt_lang) not in shipped(ctx, "locale/inverted_marks.yaml")["languages"]:
        return
    for m in CLOSING_MARK_RE.finditer(text):
        breaks = [b.end() for b in SENTENCE_BREAK_RE.finditer(text, 0, m.start())]
        start = breaks[-1] if breaks else 0
        needed = {INVERTED_MARKS[ch] for ch in m.group()}
        clause = text[start : m.start()]
        if any(mark in clause for mark in needed) or not clause.strip():
            continue
        tail = " ".join(WORD_RE_SIMPLE.findall(clause)[-2:])
        if tail and tail.casefold() in pair.source_text.casefold():
            continue  # "November is coming!" quoted in English, as in the source
        opening = INVERTED_MARKS[m.group()[0]]
        yield Finding(m.start(), m.end(), f"Spanish opens a question or exclamation with {opening}", suggestion=None)


# --------------------------------------------------------------------------------------- numbers

def _scale_words(ctx: CheckContext, lang: str) -> list[str]:
    return list(shipped(ctx, "numbers.yaml")["scales"].get(base_lang(lang), {}))


@rule("L201", "decimal-separator", category="locale-convention/number-format", severity="minor", coverage=TARGET_CLDR)
def decimal_separator(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A decimal number written with the wrong decimal mark for the target locale ("6,3 million").

    Why: a decimal comma in English (or point in German) is misread as a thousands separator:
    "6,3" reads as sixty-three. A comma followed by exactly three digits is a thousands separator
    and is left to rule L202, and a pair in brackets ("[1,1]") is a tuple; in decimal-comma
    targets a point is only flagged before a percent sign, a scale word, a currency, a unit symbol
    ("7.5 cm") or a unit name (CLDR's, and the case forms in pipeline/data/locale/units.yaml: Greek
    "1.98 μέτρων", Turkish "1.6 kilometrelik"), or where the decimal-point source has the same figure as a decimal (copied unchanged),
    because dates and times also use points there. A point that the target language writes by its
    own convention is not flagged (Italian "magnitudo 7.5", as the INGV writes earthquake magnitudes).

    Example (German -> English): "6,3 million" -> "6,3" (suggestion "6.3").
    Switch off: ``checks.disable: [L201]``.
    """
    conv = conventions(ctx, ctx.tgt_lang)
    text = pair.target_text
    wrong = "," if conv.decimal == "." else "."
    if conv.decimal == ".":
        pattern = re.compile(r"(?<![\d.,\[(])(\d+),(\d{1,2}|\d{4,})(?!\d|[.,]\d)")  # "7,5," ends a clause; "1,2,3" is a list
    else:
        pattern = ctx.resource(f"locale:point-decimal:{ctx.tgt_lang}", lambda: _point_decimal_pattern(ctx, ctx.tgt_lang))
    found = [(m.start(), m.end(), m.group(1), m.group(2)) for m in pattern.finditer(text)]
    if conv.decimal != "." and "." in text and _source_decimal_point(ctx):
        seen = {start for start, *_ in found}
        found += [(m.start(), m.end(), m.group(1), m.group(2)) for m in SOURCE_DECIMAL_POINT_RE.finditer(text) if m.start() not in seen and _copied_decimal(m, text, pair.source_text)]
    conventional = _point_decimal_words(ctx) if wrong == "." else frozenset()
    for start, end, whole, fraction in sorted(found):
        if conventional and _after_word(text, start, conventional):
            continue  # Italian "magnitudo 7.5": the seismologists' point (pipeline/data/locale/point_decimals.yaml)
        fixed = f"{whole}{conv.decimal}{fraction}"
        yield Finding(start, end, f"decimal mark '{wrong}' in {ctx.tgt_lang} text; {ctx.tgt_lang} writes {fixed}", suggestion=fixed)


def _point_decimal_words(ctx: CheckContext) -> frozenset[str]:
    """Words after which the target language writes a point decimal by its own convention ("magnitudo 7.5")."""
    words = shipped(ctx, "locale/point_decimals.yaml")["after_word"].get(base_lang(ctx.tgt_lang), [])
    return frozenset(str(w).casefold() for w in words)


def _after_word(text: str, start: int, words: frozenset[str]) -> bool:
    before = WORD_BEFORE_RE.search(text, max(0, start - 40), start)
    return before is not None and before.group(1).casefold() in words


def _point_decimal_pattern(ctx: CheckContext, lang: str) -> re.Pattern[str]:
    """A point decimal of a decimal-comma target before what only a quantity takes: %, a currency, a
    scale word, a unit symbol or a CLDR unit name ("1.6 Kilometer"), also as the first end of a range
    ("2.5 bis 5 cm")."""
    scales = "|".join(re.escape(w) for w in _scale_words(ctx, lang))
    unit_data = shipped(ctx, "locale/units.yaml")
    names = sorted({*_unit_names(lang), *unit_data["inflected"].get(base_lang(lang), [])}, key=len, reverse=True)
    units = f"|(?:{'|'.join(re.escape(w) for w in names)})(?![^\\W\\d_])" if names else ""
    long_units = [re.escape(w) for w in names if len(w) >= 4]
    if long_units and base_lang(lang) in unit_data["suffixed"]:  # "1.6 kilometrelik": a case suffix glued to the unit
        units += f"|(?:{'|'.join(long_units)})"
    tail = r"\s?(?:%|‰|€|\$|£|" + UNIT_SYMBOLS + (f"|(?:{scales})\\b" if scales else "") + units + ")"
    range_to = r"(?:\s?[-–]\s?|\s[^\W\d_]{1,4}\s)\d+(?:[.,]\d+)?"
    return re.compile(r"(?<![\d.,])(\d+)\.(\d{1,2})(?![\d.])(?=(?:" + range_to + ")?" + tail + ")", re.IGNORECASE)


# Units whose CLDR names (long and short, in each plural form) follow a measured figure in translations
# that convert miles and inches; not durations ("14.30 Stunden" may be a clock time).
CLDR_UNITS = ("length-kilometer", "length-centimeter", "length-millimeter", "length-meter", "length-mile", "length-inch", "length-foot",
              "mass-kilogram", "mass-gram", "mass-pound", "mass-tonne", "area-hectare", "area-square-kilometer", "volume-liter",
              "speed-kilometer-per-hour", "speed-mile-per-hour", "temperature-celsius", "temperature-fahrenheit")


def _unit_names(lang: str) -> list[str]:
    from babel import UnknownLocaleError  # deferred: babel (CLDR), see month_day
    from babel.units import UnknownUnitError, format_unit  # deferred: babel (CLDR), see month_day

    names: set[str] = set()
    for unit in CLDR_UNITS:
        for length in ("long", "short"):
            for value in (1, 2, 5, 1.5):
                try:
                    shown = format_unit(value, unit, length, locale=lang.replace("-", "_"))
                except (UnknownUnitError, UnknownLocaleError, ValueError):
                    continue
                name = re.sub(r"[\d.,\s\u00a0\u202f\u200f\u061c]+", " ", shown).strip()
                if len(name) >= 2 and any(ch.isalpha() for ch in name):
                    names.add(name)
    return sorted(names, key=len, reverse=True)


# Unit symbols after a figure (metric, as translations convert inches and miles: "7.5 cm", "1.98 m"):
# a decimal, not a date or a clock time.
UNIT_SYMBOLS = r"(?:[mck]?m|kg|km/h|°[CF]?|мм|см|км|м|кг|км/ч)(?![^\W\d_])"
SOURCE_DECIMAL_POINT_RE = re.compile(r"(?<![\d.,])(\d+)\.(\d+)(?!\d|[.,:]\d)")
# A time zone is written in capitals ("ET", "PDT"): as a lower-case word "at" is the preposition ("10.5 at Le Golf National").
CLOCK_AFTER_RE = re.compile(r"\s?(?:[ap]\.?m\b|h\b|Uhr\b|o'clock|GMT|BST|(?-i:[A-Z]{1,2}T)\b)", re.IGNORECASE)
WORD_BEFORE_RE = re.compile(r"([^\W\d_]+)[\s\u00a0]*$")


def _source_decimal_point(ctx: CheckContext) -> bool:
    try:
        return conventions(ctx, ctx.src_lang).decimal == "."
    except ResourceMissing:
        return False


def _copied_decimal(m: re.Match[str], text: str, source: str) -> bool:
    """Whether a point-decimal of a decimal-comma target ("5.6 Punkten") is the source's decimal copied
    unchanged: the same figure stands in a decimal-point source as a decimal, not as a clock time
    ("7.55am") nor followed by a dot on both sides (a date "1.5."), and not after a name that stands
    right before it in the source too (a version: "Windows 3.1"; but "Sergio Garcia 25.5 kariyer
    puanıyla" has "Garcia ... with 25.5" in the source)."""
    figure = m.group()
    before = WORD_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
    if before and before.group(1)[0].isupper() and re.search(rf"\b{re.escape(before.group(1))}[\s\u00a0]*{re.escape(figure)}(?!\d)", source):
        return False
    dotted = text.startswith(".", m.end())  # "1.5." on both sides: a German-style date, or a decimal ending a sentence
    return any(not CLOCK_AFTER_RE.match(source, s.end()) and not (dotted and source.startswith(".", s.end()))
               for s in re.finditer(rf"(?<![\d.,]){re.escape(figure)}(?!\d|[.,:]\d)", source))


GROUPED_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:([.,'\u00a0\u202f ])\d{3})(?:\1\d{3})*(?![\d]|[.,]\d)")


@rule("L202", "digit-grouping", category="locale-convention/number-format", severity="minor", coverage=TARGET_CLDR)
def digit_grouping(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Thousands written with another locale's group separator ("10.000 soldiers" in English).

    Why: "10.000" is ten thousand in German and ten in English. A single group with the target's
    own decimal mark is ambiguous, so it is only flagged when the same figure stands in the
    source written so in a language that groups with that mark ("10.000" in a German source; an
    English source's "1.234" is a decimal, copied unchanged), or stands there grouped with the
    target's mark in a language that groups with it too ("1.234" in Chinese for an English
    "1,234"), or when only the grouping reading is a value of the source's numbers (read as A201
    reads them, with the scale word or CJK counter that follows): Japanese "1.100億" (1100億) for
    "110 billion", not 1.1億; "1億2.500万" for "£125m"; French "1,000" for "1000". Two or more
    groups ("1.000.000") are flagged always. Spaces as group separators are accepted everywhere
    (the ISO/SI style).

    Example (German -> English): "10.000 soldiers" with "10.000 Soldaten" in the source ->
    "10.000" (suggestion "10,000").
    Switch off: ``checks.disable: [L202]``.
    """
    conv = conventions(ctx, ctx.tgt_lang)
    text, source = pair.target_text, pair.source_text
    for m in GROUPED_RE.finditer(text):
        sep = m.group(1)
        if sep in (conv.group, " ", "\u00a0", "\u202f") or (sep == "'" and conv.group == "’"):
            continue
        groups = m.group().count(sep)
        if sep == conv.decimal and groups < 2 and not (
            _copied_grouped(ctx, m.group(), sep, source) or _grouped_in_source(ctx, m.group(), sep, conv.group, source) or _grouped_by_value(ctx, pair, m.start(), m.end(), sep)
        ):
            continue
        value = int(re.sub(r"\D", "", m.group()))
        fixed = conv.number(value)
        yield Finding(m.start(), m.end(), f"thousands separator '{sep}' is not {ctx.tgt_lang} style; write {fixed}", suggestion=fixed)


def _copied_grouped(ctx: CheckContext, number: str, sep: str, source: str) -> bool:
    """Whether the figure stands in the source as written, grouped there: the source's language groups
    with the mark ("10.000 Soldaten" in German).  An English source's "1.234" is a decimal, which a
    Chinese target writes the same way."""
    if number not in source:
        return False
    try:
        return conventions(ctx, ctx.src_lang).group == sep
    except ResourceMissing:
        return True


def _grouped_by_value(ctx: CheckContext, pair: AlignedPair, start: int, end: int, sep: str) -> bool:
    """Whether the figure at ``start:end`` (one group after the target's decimal mark) means thousands
    by value: read with the mark as a group, together with the scale word or CJK counter that follows
    (rule A201's number reader: "1.100億" as 1100億), it is a value of a number in the source ("110
    billion"), read as a decimal (1.1億) none is.  "1億2.500万" for "£125m" likewise."""
    tgt_reader = reader(ctx, ctx.tgt_lang)
    text = pair.target_text
    mention = next((x for x in tgt_reader.read(text) if x.start <= start and end <= x.end and x.kind == FIGURE), None)
    if mention is None:
        return False
    figure = text[start:end]
    whole, fraction = figure.split(sep)
    digits = whole + fraction
    if mention.scaled is not None:
        # each reading written out unambiguously ("1100億", "1.1億") and read again as the whole number
        def scaled(written: str) -> frozenset[float] | None:
            expression = text[mention.start : start] + written + text[end : mention.end]
            again = next((x for x in tgt_reader.read(expression) if x.start == 0 and x.end == len(expression)), None)
            return None if again is None else again.scaled

        grouped = scaled(digits)
        decimal = scaled(whole + (sep + fraction.rstrip("0") if fraction.rstrip("0") else ""))
        if not grouped or not decimal:
            return False
    else:
        grouped, decimal = frozenset({float(digits)}), frozenset({float(f"{whole}.{fraction}")})
    values = [v for x in reader(ctx, ctx.src_lang).read(pair.source_text) for v in x.values | (x.scaled or frozenset())]

    def stated(readings: frozenset[float]) -> bool:
        return any(math.isclose(r, v, rel_tol=1e-9) for r in readings for v in values)

    return stated(grouped) and not stated(decimal)


def _grouped_in_source(ctx: CheckContext, number: str, sep: str, group: str, source: str) -> bool:
    """Whether the source has the figure grouped with the target's own group mark, and means thousands
    by it (its language groups with that mark too): "1,234" in an English source makes "1.234" in a
    Chinese target the wrong mark, not a decimal."""
    try:
        if conventions(ctx, ctx.src_lang).group != group:
            return False  # a German source's "1,234" is a decimal: "1.234" renders it in English
    except ResourceMissing:
        return False
    return re.search(r"(?<![\d.,])" + re.escape(number.replace(sep, group)) + r"(?![\d]|[.,]\d)", source) is not None


# ----------------------------------------------------------------------------------- dates, times

DAY_DOT_MONTH_RE = re.compile(r"\b([0-3]?\d)\.\s?([^\W\d_]{3,}\.?)")
DOTTED_DATE_RE = re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)\.(\d{4}|\d{2})(?![\d.]|\.\d)")
WORD_RE = re.compile(r"[^\W\d_]{3,}")


@rule("L301", "date-format", category="locale-convention/date-format", severity="minor", coverage=TARGET_CLDR)
def date_format(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Dates in another locale's format: "10. Januar"/"10. January" or "10.01.2022" in English,
    or a source-language month name left in the target.

    Why: the day-dot-month order and dotted numeric dates are German (and other CLDR locales')
    conventions; English writes "January 10" / "10 January" and "1/10/2022" or "10/01/2022".
    The month names and patterns come from CLDR for both locales.

    Example (German -> English): "a summit on 10. January" -> "10. January" (suggestion
    "January 10").
    Switch off: ``checks.disable: [L301]``.
    """
    tgt = conventions(ctx, ctx.tgt_lang)
    try:
        src = conventions(ctx, ctx.src_lang)
    except ResourceMissing:
        src = None
    text = pair.target_text
    flagged: list[tuple[int, int]] = []  # the dates found, whose month names are not reported again
    if not tgt.day_dot_month:
        yield from _day_dot_month_dates(text, tgt, src, ctx.tgt_lang, flagged)
    if not tgt.dotted_numeric_dates:
        yield from _dotted_dates(text, ctx.tgt_lang, flagged)
    if src is not None and base_lang(ctx.src_lang) != base_lang(ctx.tgt_lang) and src.months_re.search(text):
        yield from _source_month_names(text, tgt, src, ctx, flagged)


def _day_dot_month_dates(text: str, tgt: Conventions, src: Conventions | None, tgt_lang: str, flagged: list[tuple[int, int]]) -> Iterator[Finding]:
    for m in DAY_DOT_MONTH_RE.finditer(text):
        name = m.group(2).casefold().rstrip(".")
        month = tgt.month_lookup.get(name) or (src.month_lookup.get(name) if src else None)
        if not month or not 1 <= int(m.group(1)) <= 31:
            continue
        flagged.append((m.start(), m.end()))
        fixed = tgt.month_day(int(m.group(1)), month)
        yield Finding(m.start(), m.end(), f"day-dot-month date is not {tgt_lang} style; write {fixed}", suggestion=fixed)


def _dotted_dates(text: str, tgt_lang: str, flagged: list[tuple[int, int]]) -> Iterator[Finding]:
    for m in DOTTED_DATE_RE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            flagged.append((m.start(), m.end()))
            yield Finding(m.start(), m.end(), f"dotted numeric date is not {tgt_lang} style (day.month.year)")


def _source_month_names(text: str, tgt: Conventions, src: Conventions, ctx: CheckContext, flagged: list[tuple[int, int]]) -> Iterator[Finding]:
    for m in WORD_RE.finditer(text):
        name = m.group().casefold()
        if any(s <= m.start() < e for s, e in flagged) or name in tgt.month_lookup:
            continue
        month = src.month_lookup.get(name)
        # "Theresa May" in German: a month name that is also a common word or name of the
        # target language counts only next to a figure ("3 May 2018").
        if month and m.group() in src.months and (zipf(ctx, m.group(), ctx.tgt_lang) < 3.0 or _next_to_figure(text, m.start(), m.end())):
            yield Finding(m.start(), m.end(), f"{ctx.src_lang} month name '{m.group()}' in {ctx.tgt_lang} text", suggestion=tgt.months[month - 1])


def _next_to_figure(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d\.?\s?$", text[max(0, start - 4) : start]) or re.match(r"\s?\d", text[end : end + 3]))


UHR_RE = re.compile(r"\b([0-2]?\d)(?:[.:]([0-5]\d))?\s?Uhr\b")


@rule("L302", "time-format", category="locale-convention/time-format", severity="minor", coverage=TARGET_CLDR)
def time_format(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """German-style clock times ("14 Uhr", "14.30 Uhr") left in a non-German target.

    Why: "Uhr" is the German time designator; the target locale's short time format (CLDR) is
    the suggestion: "2:30 PM" for en/en-US, "14:30" for en-GB.

    Example (German -> English): "at 14 Uhr" -> "14 Uhr" (suggestion "2:00 PM").
    Switch off: ``checks.disable: [L302]``.
    """
    if base_lang(ctx.tgt_lang) == "de":
        return
    tgt = conventions(ctx, ctx.tgt_lang)
    for m in UHR_RE.finditer(pair.target_text):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        fixed = tgt.short_time(hour, minute) if hour < 24 else None
        yield Finding(m.start(), m.end(), f"German time format in {ctx.tgt_lang} text", suggestion=fixed)


# ------------------------------------------------------------------------------ currency, percent

CURRENCY_SYMBOLS = "€$£¥₽₴₹₩₺"
AMOUNT = r"\d+(?:[.,\u00a0\u202f]\d+)*"
SYMBOL_AFTER_RE = re.compile(rf"(?<![\w.,])({AMOUNT})([ \u00a0\u202f]?)([{CURRENCY_SYMBOLS}])")
SYMBOL_BEFORE_RE = re.compile(rf"(?<![\w])([{CURRENCY_SYMBOLS}])([ \u00a0\u202f]?)({AMOUNT})")


@rule("L401", "currency-placement", category="locale-convention/currency-format", severity="minor", coverage=TARGET_CLDR)
def currency_placement(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A currency symbol on the wrong side of the amount for the target locale ("5 €" in English).

    Why: CLDR's currency pattern puts the symbol before the amount in English ("€5") and after
    it in German, French or Russian ("5 €"). Currency words ("5 euros") are not checked.

    Example (German -> English): "a fine of 500 €" -> "500 €" (suggestion "€500").
    Switch off: ``checks.disable: [L401]``.
    """
    tgt = conventions(ctx, ctx.tgt_lang)
    text = pair.target_text
    if tgt.currency_before:
        for m in SYMBOL_AFTER_RE.finditer(text):
            yield Finding(m.start(), m.end(), f"currency symbol after the amount is not {ctx.tgt_lang} style", suggestion=f"{m.group(3)}{m.group(1)}")
    else:
        for m in SYMBOL_BEFORE_RE.finditer(text):
            yield Finding(m.start(), m.end(), f"currency symbol before the amount is not {ctx.tgt_lang} style", suggestion=f"{m.group(3)}\u00a0{m.group(1)}")


# Not a placeholder after the number: "%1 %2" (Qt), "%1$s", "%s" are not percent signs.
PERCENT_SPACED_RE = re.compile(r"(?<=\d)[ \u00a0\u202f]%(?![\d(@]|[sdfiuxc]\b|\w+%)")
PERCENT_TIGHT_RE = re.compile(r"(?<=\d)%(?![^\W\d_]|\d)")  # not German "100%ig", not "5%1"


@rule("L402", "percent-format", category="locale-convention/number-format", severity="neutral", coverage=TARGET_CLDR)
def percent_format(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """The space between number and percent sign differs from the target locale ("25 %" in
    English, "25%" in German or French).

    Why: CLDR's percent pattern has no space in English ("25%") and a no-break space in German,
    French and Russian ("25 %"). Neutral severity: a house style may differ. Where the language's own
    usage writes "25%" beside CLDR's "25 %" (Russian, Czech: pipeline/data/locale/percent.yaml),
    both are accepted.

    Example (German -> English): "25 % of the vote" -> " %" (suggestion "%").
    Switch off: ``checks.disable: [L402]``.
    """
    tgt = conventions(ctx, ctx.tgt_lang)
    text = pair.target_text
    if tgt.percent_space:
        if base_lang(ctx.tgt_lang) in shipped(ctx, "locale/percent.yaml")["tight_accepted"]:
            return
        for m in PERCENT_TIGHT_RE.finditer(text):
            yield Finding(m.start(), m.end(), f"{ctx.tgt_lang} puts a no-break space before %", suggestion="\u00a0%")
    else:
        for m in PERCENT_SPACED_RE.finditer(text):
            yield Finding(m.start(), m.end(), f"{ctx.tgt_lang} writes no space before %", suggestion="%")
