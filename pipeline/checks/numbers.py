"""Numbers (A2): every number of the source appears in the target with the same value, and the
target adds none.

Comparison is by value, not by string, and locale-blind on purpose: "6,3" may be 6.3 (German) and
"10.000" ten thousand, so a figure stands for every value some CLDR convention gives it and two
figures match when their readings overlap (rule L201/L202 judge the format separately).  Scale
words multiply ("6,3 Millionen" = "6.3 million" = "6,300,000"), number words are read with
``text2num`` where it knows the language ("zwei" = "two" = 2), and clock times compare as minutes
("14.30 Uhr" = "2:30 pm").  Words for one ("ein", "a", "one") are not numbers here: they are too
often articles or pronouns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..model import AlignedPair
from .registry import CheckContext, Finding, rule
from .textspans import base_lang, inside, masked_ranges, shipped

CODE_BEFORE_RE = re.compile(r"(?:[^\W\d_]-?|(?<![^\W\d_])[A-Z]{1,3}[ -])$")
FIGURE_RE = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d])|\d+(?:[.,]\d+)*)")
# Clock times: "14:30", "14.30 Uhr", "7 PM", "15h", "2:30 p.m.".
TIME_RE = re.compile(
    r"(?<![\d.,:])([0-2]?\d)(?:([:.])([0-5]\d))?\s?(Uhr\b|h\b|[ap]\.m\.|[ap]m\b|[AP]M\b|o'clock)"
    r"|(?<![\d.,:])([0-2]?\d):([0-5]\d)(?![\d:])"
)
# Dates as figures: German "16.3." / "12.12.19", and "03/16" / "1/12/21".
DOTTED_DATE_RE = re.compile(r"(?<![\d.,])([0-3]?\d)\.([01]?\d)\.(?:((?:19|20)?\d\d)(?![\d,]|\.\d))?")
SLASH_DATE_RE = re.compile(r"(?<![\d/])([0-3]?\d)/([0-3]?\d)(?:/(\d{4}|\d{2}))?(?![\d/])")
WORD_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
SCALE_TOKEN_RE = re.compile(r"[^\W\d_]+\.?")
DECADE_RE = re.compile(r"(?:er|s|'s|’s)\b")
YEAR_RANGE_RE = re.compile(r"(1[89]|20)\d\d[-–]$")
RANGE_JOINER_RE = re.compile(r"^\s*(?:-|–|bis|to|and|und|or|oder)\s*$")


READ_CACHE_SIZE = 20_000  # texts whose number mentions a reader remembers
COMPARISON_MEMO_SIZE = 10_000  # pairs whose number comparison the three number rules share


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    values: frozenset[float]
    quantity: str | None = None  # "length", "mass", ... when a unit follows
    si_value: float | None = None  # the value in the quantity's SI unit
    code: bool = False  # part of a name or model code ("E 95", "K1", "COVID-19")

    @property
    def is_figure(self) -> bool:
        return any(c.isdigit() for c in self.text)

    def matches(self, other: Mention) -> bool:
        if any(_close(a, b) for a in self.values for b in other.values):
            return True
        # Converted measurements ("25 Zentimeter" / "10 inches") agree to the rounding translators use.
        if self.quantity and self.quantity == other.quantity and self.si_value is not None and other.si_value is not None:
            if self.quantity == "temperature":
                return abs(self.si_value - other.si_value) <= 2.0
            return abs(self.si_value - other.si_value) <= 0.12 * max(abs(self.si_value), abs(other.si_value))
        return False


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def figure_values(figure: str) -> set[float]:
    """Every value some convention gives a written figure ("10.000" -> {10.0, 10000.0})."""
    compact = re.sub(r"[\u00a0\u202f ]", "", figure)
    if compact.isdigit():
        return {float(compact)}
    values: set[float] = set()
    for decimal, group in ((".", ","), (",", ".")):
        parts = compact.split(decimal)
        if len(parts) > 2:
            continue
        groups = parts[0].split(group)
        if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
            continue
        if len(parts) == 2 and group in parts[1]:
            continue
        whole = "".join(groups)
        if not whole.isdigit() or (len(parts) == 2 and not parts[1].isdigit()):
            continue
        values.add(float(whole + ("." + parts[1] if len(parts) == 2 else "")))
    return values


def _month_names(lang: str) -> dict[str, int]:
    """Wide month names of the language from CLDR (babel); none when babel lacks the locale."""
    try:
        from babel import Locale, UnknownLocaleError  # deferred: babel (CLDR) costs about 25 ms
    except ImportError:
        return {}
    try:
        months = Locale.parse(lang).months["format"]["wide"]
    except (UnknownLocaleError, ValueError):
        return {}
    return {name.casefold(): number for number, name in months.items()}


def _to_si(value: float, factor: float | str) -> float:
    if factor == "fahrenheit":
        return (value - 32) * 5 / 9
    if factor == "celsius":
        return value
    return value * float(factor)


def _hour_values(hour: int, designator: str) -> set[float]:
    d = designator.casefold().replace(".", "")
    if d == "pm":
        return {float(hour % 12 + 12)}
    if d == "am":
        return {float(hour % 12)}
    return {float(hour), float((hour + 12) % 24)}


def _year_values(year: str) -> set[float]:
    y = int(year)
    return {float(y), float(y % 100)} | ({float(2000 + y), float(1900 + y)} if len(year) == 2 else set())


def _group_mention(m: re.Match[str], group: int, values: set[float]) -> Mention:
    return Mention(m.start(group), m.end(group), m.group(group), frozenset(values))


def _date_like(m: re.Match[str], slashed: bool) -> bool:
    """Day and month in range; not a "24/7"-style ratio, whose two parts are both above 12."""
    first, second = int(m.group(1)), int(m.group(2))
    if not (1 <= first <= 31 and 1 <= second <= 31):
        return False
    return not (slashed and not m.group(3) and first > 12 and second > 12)


def _add_year_readings(text: str, m: re.Match[str], values: set[float]) -> None:
    """A figure that abbreviates a year ("1950-53") or names a decade ("20er", "1920s") also
    stands for the full year or decade."""
    figure = m.group()
    century = YEAR_RANGE_RE.search(text, max(0, m.start() - 5), m.start())
    if century and len(figure) == 2:
        values.add(float(century.group(1) + figure))  # "1950-53": 1953
    if DECADE_RE.match(text, m.end()) and len(figure) in (2, 4):
        # "20er Jahre" / "the 1920s" / "the '90s": the same decade
        year = int(figure)
        values |= {float(1900 + year), float(2000 + year)} if year < 100 else {float(year % 100)}


class NumberReader:
    """Finds number mentions in one language: figures with scale words and units, number and
    ordinal words, clock times and numeric dates (split into their parts)."""

    def __init__(self, lang: str, data: dict[str, Any]) -> None:
        self.lang = base_lang(lang)
        self.scales = {str(k).casefold(): float(v) for k, v in data["scales"].get(self.lang, {}).items()}
        self.number_words = self.lang in data["number_word_languages"]
        self.ordinals = {str(k).casefold(): float(v) for k, v in data.get("ordinals", {}).get(self.lang, {}).items()}
        self.months = data.get("months", {})
        self.units: dict[str, tuple[str, float | str]] = {}
        for quantity, table in data.get("units", {}).items():
            for word, factor in table.items():
                self.units[str(word).casefold()] = (quantity, factor if isinstance(factor, str) else float(factor))
        self._unit_re = re.compile(
            r"[ \u00a0-]?(" + "|".join(re.escape(u) for u in sorted(self.units, key=len, reverse=True)) + r")(?![^\W\d_])",
            re.IGNORECASE,
        )
        self._word_cache: dict[str, float | None] = {}
        self._read_cache: dict[str, tuple[Mention, ...]] = {}
        self._months: dict[str, int] | None = None

    def _word_value(self, word: str) -> float | None:
        if word not in self._word_cache:
            value: float | None = self.ordinals.get(word.casefold())
            if value is None and self.number_words and (word.isalpha() or "-" in word):
                # deferred: 2 ms to import, and the check modules load with the CLI; few words need it
                from text_to_num import text2num

                parts = word.split("-")
                # "twenty-three" whole; "four-years-old" by its number prefix.
                for n in range(len(parts), 0, -1):
                    try:
                        value = float(text2num("-".join(parts[:n]).casefold(), self.lang))
                        break
                    except (ValueError, TypeError):
                        continue
            self._word_cache[word] = value
        return self._word_cache[word]

    def read(self, text: str) -> tuple[Mention, ...]:
        """The number mentions of ``text``, in order (remembered: every system's pair reads the
        same source sentence)."""
        found = self._read_cache.get(text)
        if found is None:
            if len(self._read_cache) >= READ_CACHE_SIZE:
                self._read_cache.clear()
            found = self._read_cache[text] = tuple(self._read(text))
        return found

    def _read(self, text: str) -> list[Mention]:
        # Clock times, then numeric dates, then figures: each takes its spans first, so that the
        # later kinds do not read "14.30 Uhr" or "16.3." as the figures 14.30 and 16.3.
        taken: list[tuple[int, int]] = list(masked_ranges(text))
        mentions = self._time_mentions(text, taken)
        mentions += self._date_mentions(text, taken)
        mentions += self._figure_mentions(text, taken)
        mentions += self._month_mentions(text, mentions)
        mentions.sort(key=lambda x: x.start)
        mentions = self._spread_units_over_ranges(text, mentions)
        if self.number_words or self.ordinals:
            mentions += self._word_mentions(text, taken + [(x.start, x.end) for x in mentions])
        mentions.sort(key=lambda x: x.start)
        return mentions

    @staticmethod
    def _time_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Clock times as the hour and (unless :00) the minute; adds their spans to ``taken``."""
        out: list[Mention] = []
        for m in TIME_RE.finditer(text):
            if inside(taken, m.start(), m.end()):
                continue
            if m.group(1) is not None:  # with a designator: "14.30 Uhr", "7 PM", "2:30 p.m."
                hour_group, minute_group, designator = 1, 3, m.group(4)
                if m.group(2) == "." and not designator:
                    continue
            else:  # "14:30"
                hour_group, minute_group, designator = 5, 6, ""
            hour, minute = int(m.group(hour_group)), m.group(minute_group)
            if hour > 24:
                continue
            out.append(Mention(m.start(), m.end(hour_group), text[m.start() : m.end(hour_group)], frozenset(_hour_values(hour, designator))))
            if minute and int(minute):
                out.append(_group_mention(m, minute_group, {float(int(minute))}))
            taken.append((m.start(), m.end()))
        return out

    @staticmethod
    def _date_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Numeric dates as their day, month and year; adds their spans to ``taken``."""
        out: list[Mention] = []
        for regex in (DOTTED_DATE_RE, SLASH_DATE_RE):
            for m in regex.finditer(text):
                if inside(taken, m.start(), m.end()) or not _date_like(m, slashed=regex is SLASH_DATE_RE):
                    continue
                out.append(_group_mention(m, 1, {float(int(m.group(1)))}))
                out.append(_group_mention(m, 2, {float(int(m.group(2)))}))
                if m.group(3):
                    out.append(_group_mention(m, 3, _year_values(m.group(3))))
                taken.append((m.start(), m.end()))
        return out

    def _figure_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Figures outside ``taken``, each with the scale word or unit that follows it."""
        out: list[Mention] = []
        for m in FIGURE_RE.finditer(text):
            if inside(taken, m.start(), m.end()):
                continue
            values = figure_values(m.group())
            if values:
                out.append(self._figure_mention(text, m, values))
        return out

    def _figure_mention(self, text: str, m: re.Match[str], values: set[float]) -> Mention:
        _add_year_readings(text, m, values)
        start, end = m.start(), m.end()
        scale = self._scale_after(text, end)
        if scale:
            factor, end = scale
            values |= {v * factor for v in values}
        # a figure in a name or model code ("E 95", "K1") has no unit
        code = bool(CODE_BEFORE_RE.search(text[max(0, start - 4) : start]))
        unit = None if code else self._unit_after(text, end, values)
        if unit:
            quantity, si_value, end = unit
            return Mention(start, end, text[start:end], frozenset(values), quantity=quantity, si_value=si_value)
        return Mention(start, end, text[start:end], frozenset(values), code=code)

    def _month_mentions(self, text: str, figures: list[Mention]) -> list[Mention]:
        """Month names next to a figure ("December 26th", "10. Januar") stand for the month's
        number, which a numeric date on the other side ("26.12.") has as a figure."""
        if not figures:
            return []
        if self._months is None:
            self._months = _month_names(self.lang)
        out = []
        for m in WORD_TOKEN_RE.finditer(text):
            month = self._months.get(m.group().casefold().rstrip("."))
            if month is None:
                continue
            near = any(0 <= m.start() - f.end <= 3 or 0 <= f.start - m.end() <= 2 for f in figures)
            if near:
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({float(month)})))
        return out

    def _unit_after(self, text: str, pos: int, values: set[float]) -> tuple[str, float, int] | None:
        m = self._unit_re.match(text, pos)
        if not m:
            return None
        quantity, factor = self.units[m.group(1).casefold()]
        return quantity, _to_si(min(values), factor), m.end()

    def _spread_units_over_ranges(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """ "2,5 bis 10 Zentimeter": the unit of a range's end applies to its start too."""
        out = list(mentions)
        for i in range(len(out) - 2, -1, -1):
            first, second = out[i], out[i + 1]
            if first.quantity or not second.quantity or not RANGE_JOINER_RE.match(text[first.end : second.start]):
                continue
            unit = self._unit_re.search(second.text)
            if unit is None:
                continue
            quantity, factor = self.units[unit.group(1).casefold()]
            out[i] = Mention(first.start, first.end, first.text, first.values, quantity, _to_si(min(first.values), factor))
        return out

    def _scale_after(self, text: str, pos: int) -> tuple[float, int] | None:
        m = SCALE_TOKEN_RE.match(text, pos + (1 if text[pos : pos + 1] in (" ", "\u00a0") else 0))
        if not m:
            return None
        word = m.group().casefold()
        for candidate in (word, word.rstrip(".")):
            if candidate in self.scales:
                return self.scales[candidate], m.start() + len(candidate)
        return None

    def _word_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        run: list[re.Match[str]] = []

        def flush() -> None:
            if not run:
                return
            start, end = run[0].start(), run[-1].end()
            phrase = text[start:end]
            value = self._word_value(phrase) if len(run) > 1 else self._word_value(run[0].group())
            if value is None and len(run) > 1:
                for tok in run:
                    v = self._word_value(tok.group())
                    if v is not None and v >= 2:
                        out.append(Mention(tok.start(), tok.end(), tok.group(), frozenset({v})))
            elif value is not None and value >= 2:
                tail = phrase.rsplit("-", 1)[-1].casefold() if "-" in phrase else ""
                if tail in self.units:
                    quantity, factor = self.units[tail]
                    out.append(Mention(start, end, phrase, frozenset({value}), quantity, _to_si(value, factor)))
                    run.clear()
                    return
                unit = self._unit_after(text, end, {value})
                if unit:
                    out.append(Mention(start, unit[2], text[start : unit[2]], frozenset({value}), unit[0], unit[1]))
                else:
                    out.append(Mention(start, end, phrase, frozenset({value})))
            run.clear()

        word_value, known = self._word_value, self._word_cache
        for m in WORD_TOKEN_RE.finditer(text):
            word = m.group()
            value = known[word] if word in known else word_value(word)  # most words: a dict lookup
            if value is None or inside(taken, m.start(), m.end()):
                flush()
                continue
            if run and (text[run[-1].end() : m.start()].strip() or "-" in word):
                flush()
            run.append(m)
            if "-" in word:
                flush()
        flush()
        return out


def reader(ctx: CheckContext, lang: str) -> NumberReader:
    def load() -> NumberReader:
        data = shipped(ctx, "numbers.yaml")
        return NumberReader(lang, data)

    return ctx.resource(f"numbers:{base_lang(lang)}", load)


@dataclass(slots=True)
class NumberComparison:
    mismatched: list[tuple[Mention, Mention]]
    missing: list[Mention]
    added: list[Mention]


def compare_numbers(pair: AlignedPair, ctx: CheckContext) -> NumberComparison:
    """Match source to target numbers by value; what is left over is missing, added or changed."""
    key = _comparison_key(pair)
    # The three rules share one comparison per pair (bounded: A203, which drops the entry, may be
    # switched off).
    memo: dict[tuple[str, str], NumberComparison] = ctx.resource("numbers:comparisons", dict)
    found = memo.get(key)
    if found is None:
        if len(memo) >= COMPARISON_MEMO_SIZE:
            memo.clear()
        src = reader(ctx, ctx.src_lang).read(pair.source_text)
        tgt = reader(ctx, ctx.tgt_lang).read(pair.target_text)
        found = memo[key] = _compare_mentions(src, tgt, pair.source_text, pair.target_text)
    return found


def _same_text(a: Mention, b: Mention) -> bool:
    return a.text == b.text


def _same_value(a: Mention, b: Mention) -> bool:
    return any(_close(x, y) for x in a.values for y in b.values)


def _compare_mentions(src: tuple[Mention, ...], tgt: tuple[Mention, ...], src_text: str, tgt_text: str) -> NumberComparison:
    unmatched_src, unmatched_tgt = _unpaired(src, tgt)
    # A conversion given alongside ("45 miles (72 kilometers)", "$200 billion (£150 billion)")
    # restates a figure in other units: not an addition or omission.
    unmatched_src = [m for m in unmatched_src if not any(m.matches(t) for t in tgt) and not _bracketed_restatement(src_text, m)]
    unmatched_tgt = [t for t in unmatched_tgt if not any(m.matches(t) for m in src) and not _bracketed_restatement(tgt_text, t)]
    # codes last: a changed figure pairs with a changed figure before a model code
    unmatched_src = [m for m in unmatched_src if not m.code] + [m for m in unmatched_src if m.code]
    unmatched_tgt = [m for m in unmatched_tgt if not m.code] + [m for m in unmatched_tgt if m.code]
    n = min(sum(not m.code for m in unmatched_src), sum(not m.code for m in unmatched_tgt))
    # A left-over number word ("the two" for "die beiden") is too often a pronoun or an idiom
    # to report as missing or added, and so is one in any form ("1 zu 1", "Nr. 1", "1. Weltkrieg"
    # for "World War I"); they only count when paired with a changed number.
    return NumberComparison(
        list(zip(unmatched_src[:n], unmatched_tgt[:n])),
        [m for m in unmatched_src[n:] if _reportable(m)],
        [m for m in unmatched_tgt[n:] if _reportable(m)],
    )


def _unpaired(src: tuple[Mention, ...], tgt: tuple[Mention, ...]) -> tuple[list[Mention], list[Mention]]:
    """The mentions left when source and target mentions are paired off, each with the first
    unpaired one on the other side it matches."""
    unmatched_src, unmatched_tgt = list(src), list(tgt)
    # Same text first, then the same value, then converted units ("72 Kilometer" must pair
    # with "72 kilometers", not with the "45 miles" before it).
    for same in (_same_text, _same_value, Mention.matches):
        for s in list(unmatched_src):
            hit = next((t for t in unmatched_tgt if same(s, t)), None)
            if hit is not None:
                unmatched_src.remove(s)
                unmatched_tgt.remove(hit)
    return unmatched_src, unmatched_tgt


def _reportable(m: Mention) -> bool:
    return m.is_figure and not m.code and m.values != frozenset({1.0})


RESTATEMENT_RE = re.compile(r"\d[^\d()]{0,25}\(\s*[^\w\s()]{0,2}$")


def _bracketed_restatement(text: str, mention: Mention) -> bool:
    return bool(RESTATEMENT_RE.search(text, max(0, mention.start - 40), mention.start))


def _comparison_key(pair: AlignedPair) -> tuple[str, str]:
    return pair.source_text, pair.target_text


def _release(ctx: CheckContext, pair: AlignedPair) -> None:
    ctx.resource("numbers:comparisons", dict).pop(_comparison_key(pair), None)


@rule("A201", "number-mismatch", category="accuracy/mistranslation", severity="major")
def number_mismatch(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A number in the target whose value differs from the source's ("6.4 million" for "6,3
    Millionen").

    Why: a changed figure is a serious accuracy error that fluent output hides. Figures compare
    by value across conventions (6,3 = 6.3; 10.000 = 10,000; "zwei" = 2; "6,3 Millionen" =
    6,300,000), so only real differences are reported. When the source has an unmatched number
    and the target has one too, the pair is reported here, not as missing plus added.

    Example (German -> English): "rund 6,3 Millionen Menschen" / "about 6.8 million people" ->
    "6.8 million".
    Switch off: ``checks.disable: [A201]``.
    """
    if not pair.source or not pair.target:
        return
    for src, tgt in compare_numbers(pair, ctx).mismatched:
        yield Finding(tgt.start, tgt.end, f"number '{tgt.text}' does not match the source's '{src.text}'", suggestion=None, data={"source": src.text})


@rule("A202", "number-missing", category="accuracy/omission", severity="minor")
def number_missing(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A number of the source that the target does not render (reported on the source side).

    Why: dropped figures (dates, counts, amounts) are omissions. Number words count ("zwei" is
    rendered by "two" or "2"); one, in words or as "1", is not reported because it is so often
    an article or an idiom ("1 zu 1", "Nr. 1").

    Example (German -> English): "am 10. Januar in Genf" / "in Geneva in January" -> "10" in
    the source.
    Switch off: ``checks.disable: [A202]``.
    """
    if not pair.source or not pair.target:
        return
    for src in compare_numbers(pair, ctx).missing:
        yield Finding(src.start, src.end, f"source number '{src.text}' is missing in the translation", side="source")


@rule("A203", "number-added", category="accuracy/addition", severity="minor")
def number_added(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A number in the target that the source does not have.

    Why: invented figures are additions; they often come from a hallucinating MT system or from a
    misaligned segment.

    Example (German -> English): "seit Wochen" / "for 6 weeks" -> "6".
    Switch off: ``checks.disable: [A203]``.
    """
    if not pair.source or not pair.target:
        return
    try:
        for tgt in compare_numbers(pair, ctx).added:
            yield Finding(tgt.start, tgt.end, f"number '{tgt.text}' is not in the source")
    finally:
        _release(ctx, pair)
