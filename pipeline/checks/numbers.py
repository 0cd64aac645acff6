"""Numbers (A2): every number of the source appears in the target with the same value, and the
target adds none.

Comparison is by value, not by string, and locale-blind on purpose: "6,3" may be 6.3 (German) and
"10.000" ten thousand, so a figure stands for every value some CLDR convention gives it and two
figures match when their readings overlap (rule L201/L202 judge the format separately).  Every
notation of a number is read: digits of any script (Arabic-Indic, Devanagari, full-width), scale
words ("6,3 Millionen" = "6.3 million" = "6,300,000"), CJK numerals and units ("326万" = 3.26
million, "1億2千万", Korean "1억 2000만"), number words and ordinals of every NTREX language
(``text2num`` where it knows the language, pipeline/data/numbers_words.yaml for the others: "tres"
= "three" = 3, "XIX" = "19th"), clock times as hours and minutes ("14.30 Uhr" = "2:30 pm", "12h00",
"下午3点" = "3 p.m.") and measurements converted to other units ("65 kilómetros" ~ "40 miles"; a
Celsius range against a Fahrenheit span without a unit: "26 a 32 grados" = "in the 80s"), fractions
as their percentages ("deux tiers" = "67 %", "五分之一" = "20 %"), half of a scale word ("eine halbe
Million" = 500,000), and English durations in their other units ("60 days" = "两个月", two months).

Not every number is reported alone.  A number word left over is too often a pronoun or an idiom
("the two" for "die beiden"), so words only count when paired with a changed number; words for one
("ein", "a", "one") are not numbers here; months and words like "both", "decade" or "noon" only
absorb a number of the other side; a dropped day of the month is not missing when the target
names the weekday instead; a duration of one unit said in a smaller one ("24 hours" for "за сутки")
is not missing or added; counts said as a list ("the four young men, aged 17, 18, 18 and 20" for
"zwei 18-Jährige") add up; and a target figure with no source counterpart is only reported as
added when every number-like word of the source was read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from ..model import AlignedPair
from .dictionaries import word_zipf
from .registry import CheckContext, Finding, rule
from .textspans import base_lang, inside, masked_ranges, shipped

CODE_BEFORE_RE = re.compile(r"(?:[^\W\d_]-?|(?<![^\W\d_])[A-Z]{1,3}[ -]|\+)$")
FIGURE_RE = re.compile(r"(?<!\d)(?<!\d[.,])(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d])|\d+(?:[.,]\d+)*)")
# Clock times: "14:30", "14.30 Uhr", "7 PM", "15h", "12h00", "2:30 p.m.".
TIME_RE = re.compile(
    r"(?<![\d.,:])([0-2]?\d)(?:([:.])([0-5]\d))?\s?(Uhr\b|h(?=[0-5]\d\b)|h\b|[ap]\.m\.|[ap]m\b|[AP]M\b|o'clock)([0-5]\d\b)?"
    r"|(?<![\d.,:])([0-2]?\d):([0-5]\d)(?![\d:])"
)
# A figure that may be a clock time written with a point ("17.30", "4.40 giờ sáng").
DAY_MONTH_RE = re.compile(r"(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])")
MONTH_YEAR_RE = re.compile(r"(?:1[0-2]|0?[1-9])\.(?:1[5-9]|20)\d\d")  # "9.1918": September 1918
TIMELIKE_RE = re.compile(r"([0-2]?\d)[.:]([0-5]\d)")
# Dates as figures: German "16.3." / "12.12.19", and "03/16" / "1/12/21".
DOTTED_DATE_RE = re.compile(r"(?<![\d.,])([0-3]?\d)\.([01]?\d)\.(?:((?:19|20)?\d\d)(?![\d,]|\.\d))?")
SLASH_DATE_RE = re.compile(r"(?<![\d/])([0-3]?\d)/([0-3]?\d)(?:/(\d{4}|\d{2}))?(?![\d/])")
# Letters with their combining marks (Devanagari vowel signs, Arabic and Hebrew points are not \w).
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
WORD_TOKEN_RE = re.compile(rf"(?<!\d)(?:[^\W\d_]|[{_MARKS}])+(?:['’ʼ-](?:[^\W\d_]|[{_MARKS}])+)*")
DECADE_RE = re.compile(r"(?:er|s|'s|’s)\b")
CENTURY_AFTER_RE = re.compile(r"-?(?:[^\W\d_]|年代)")
YEAR_RANGE_RE = re.compile(r"(1[89]|20)\d\d[-–/]$")
RANGE_JOINER_RE = re.compile(r"^\s*(?:-|–|bis|to|and|und|or|oder)\s*$")
# what joins the two ends of a range in the NTREX languages ("de 26 a 32 grados", "от 26 до 32 градусов")
TEMPERATURE_RANGE_JOINER_RE = re.compile(
    r"^\s*(?:-|–|—|~|〜|～|bis|to|and|und|or|oder|a|à|al|y|e|et|ou|o|tot|en|of|do|až|i|ja|ve|ile|ila|до|и|і|та|або|или|έως|ως|μέχρι|και|עד|ו|إلى|و|से|đến|tới|và|至|到|から)\s*$"
)
FOOT_INCH_RE = re.compile(r"(?<![\d.,])(\d)(?:-foot-| foot |\s(?:foot|feet)\s(?=\d{1,2}\s?(?:inch|inches|in\.)))(\d{1,2})\b")
MID_BEFORE_RE = re.compile(r"\b[Mm]id-$")  # "the mid-80s", "mid-2019": no model code
ROMAN_RE = re.compile(r"(?<![\w.])(?=[MDCLXVI])(M{0,3})(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?:e|er|ème|º|-?th)?(?![\w])")
ROMAN_HINT_RE = re.compile(r"[MDCLXVI]{2}")
DIGIT_RE = re.compile(r"\d")
ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# Roman-looking abbreviations that are not numerals.
NOT_ROMAN = frozenset({"CD", "DC", "MD", "MC", "CV", "CC", "MM", "DL", "LI", "MI", "DI", "CI", "XL", "CM", "LC", "ID", "MIX", "DIV", "VI", "CCC", "LL"})
# A capitalised word (not the first of the sentence) right before a figure: "Nord Stream 2", "Livi 11".
NAME_BEFORE_RE = re.compile(r"(?<=[\w,;:)] )[A-Z][a-z]+ $")
HUNDRED_PERCENT_RE = re.compile(r"(?<![\d.,])100\s?%")
# A full stop after a score ends the sentence ("2:2."); one before a digit makes a decimal.
TIED_SCORE_RE = re.compile(r"(?<![\d.,:/-])(\d{1,2})(?:\s?[-–:対比대]\s?|\s(?:a|à|to|zu|tegen|contro|na|do)\s)(\1)(?![\d:/]|[.,]\d|-\d)")
ONE_UNIT_RE = re.compile(r"\b(?:a|an|one)\s+(mile|inch|foot|pound|yard|gallon|acre)\b", re.IGNORECASE)
WEEKDAY_RE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")

# CJK numerals and units (Chinese, Japanese; Korean units after digits).
CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "两": 2, "兩": 2}
CJK_SMALL = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}
# 憶 ("memory") is a common typo for 億 (both "oku"): after a figure ("22憶ドル") it can only be the unit
CJK_BIG = {"万": 1e4, "萬": 1e4, "億": 1e8, "憶": 1e8, "亿": 1e8, "兆": 1e12, "만": 1e4, "억": 1e8, "조": 1e12}
_NUMERAL_CLASS = "〇零一二三四五六七八九两兩十百千万萬億亿兆"
_FIG = r"(?<![\d.,])\d+(?:[.,]\d+)*"
# A figure before a unit ("326万", "550多万"), or CJK numerals ("二十三", "两"); Korean: units after figures only.
_CJK_PART = rf"(?:{_FIG}\s?[多余餘]?[十百千万萬億憶亿兆]|[{_NUMERAL_CLASS}])"
CJK_NUMBER_RE = re.compile(rf"{_CJK_PART}(?:\s?{_CJK_PART})*(?:(?<=[万萬億亿兆])\d+(?:,\d{{3}})*(?![\d.]))?")
# Korean writes the rest after the last 만 in figures: "37만 5,000달러" is $375,000 (not a year: "3만 2018년").
KO_NUMBER_RE = re.compile(rf"{_FIG}\s?여?[십백천만억조]+(?:\s?\d+(?:[.,]\d+)*\s?여?[십백천만억조]+)*(?:(?<=[만억조])\s?(?:\d{{1,3}},\d{{3}}|\d{{1,4}})(?![\d.,]|\s?[년월일]))?")
CJK_TIME_RE = re.compile(
    rf"(上午|下午|早上|晚上|凌晨|中午|午前|午後|夜|朝|오전|오후|아침|저녁|밤)?\s?(?<![\d.,])(\d{{1,2}}|[{_NUMERAL_CLASS}]{{1,3}})\s?(点|點|時(?!間)|时(?!间)|시(?!간))"
    rf"(?:\s?(\d{{1,2}}|[{_NUMERAL_CLASS}]{{1,3}})\s?(分|분)|(半|반))?(?![\d{_NUMERAL_CLASS}])"
)
CJK_PM = frozenset({"下午", "晚上", "午後", "夜", "오후", "저녁", "밤"})
CJK_AFTER_MONTH = re.compile(r"\s?(?:月|월)")
CJK_AFTER_DAY = re.compile(r"\s?(?:日|号|號|일)")
CJK_AFTER_CENTURY = re.compile(r"\s?(?:世纪|世紀|세기)")
CJK_AFTER_DECADE = re.compile(r"\s?(?:年代|년대)")
CJK_AFTER_AGE = re.compile(r"\s?(?:代|대)")  # "10代": in one's teens, "40代": in one's 40s
CJK_AFTER_TIMES = re.compile(r"\s?(?:倍|배|번)")  # "2倍": double ("3回の会談" are three meetings)
# Counters after a CJK number make it a count, never an ordinal ("2つの店" is not "the second"), unless 第 comes first.
CJK_COUNTER_RE = re.compile(r"\s?(?:つ|個|个|人|名|件|回|本|台|枚|匹|頭|軒|店|社|家|只|条|條|座|次|개|명|곳|가지|마리|권|채|군데|カ国|か国|ヶ国|ヵ国)")
CJK_ORDINAL_BEFORE = re.compile(r"第\s?$")
CJK_AFTER_TENTHS = re.compile(r"成(?!为|為|立|功|长|長|員|员)|割")  # tenths: "三成" (zh), "3割" (ja) = 30 %
CJK_WEEKDAY_BEFORE = re.compile(r"(?:周|週|星期|礼拜|禮拜)$")
VI_MONTH_RE = re.compile(r"\b[Tt]háng\s+(\d{1,2})\b")
CJK_LANGS = frozenset({"zh", "ja"})

READ_CACHE_SIZE = 20_000  # texts whose number mentions a reader remembers
COMPARISON_MEMO_SIZE = 10_000  # pairs whose number comparison the three number rules share

ONE = frozenset({1.0})
# Kinds of mention: how far a left-over one counts.
FIGURE, TIME, DATE, WORD, SOFT = "figure", "time", "date", "word", "soft"


def _digit_table() -> dict[int, str]:
    """Decimal digits of every script (and the Arabic decimal and group marks) -> ASCII, one
    character for one, so offsets stay valid."""
    zeros = (0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040,
             0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0xA8D0, 0xA900, 0xA9D0, 0xAA50, 0xABF0, 0xFF10)
    table = {zero + k: str(k) for zero in zeros for k in range(10)}
    table.update({0x066B: ".", 0x066C: ",", 0xFF0E: ".", 0xFF05: "%"})
    return table


DIGIT_TABLE = _digit_table()
ARABIC_GROUP_RE = re.compile(r"(?<=\d)،(?=\d{3}\b)")


def normalize_digits(text: str) -> str:
    """``text`` with digits of every script as ASCII digits (same length, same offsets)."""
    if text.isascii():
        return text
    out = text.translate(DIGIT_TABLE)
    return ARABIC_GROUP_RE.sub(",", out) if "،" in out else out


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    values: frozenset[float]
    quantity: str | None = None  # "length", "mass", ... when a unit follows
    si_value: float | None = None  # the value in the quantity's SI unit
    code: bool = False  # part of a name or model code ("E 95", "K1", "COVID-19")
    kind: str = FIGURE  # figure, time, date (part of a date), word, soft (only absorbs a number)
    parts: tuple[Mention, ...] = ()  # a time's hour and minute, matched separately if the whole does not match
    imperial: bool = False  # the unit is not metric: the other side may give the metric value without a unit
    unit_factor: float = 1.0  # the SI factor of the unit (for rounding tolerance)
    ordinal: bool | None = None  # a word known to be an ordinal (True) or a cardinal (False)
    scaled: frozenset[float] | None = None  # the values with a scale word ("20 Millionen": 2e7), when it has one
    century: bool = False  # names a century ("20世纪", "XXI wieku"): paired after the other numbers
    named: bool = False  # follows a capitalised word ("Nord Stream 2", "Radio 4"): part of a name
    decade: bool = False  # a two-digit figure naming a span of ten ("the 80s", "highs in the 90s")
    # an English duration in its other units that give a round number ("60 days": 2 months, "24 hours": 1 day)
    durations: frozenset[float] = frozenset()

    @property
    def is_figure(self) -> bool:
        return any(c.isdigit() for c in self.text)

    def matches(self, other: Mention) -> bool:
        if _same_value(self, other):
            return True
        # Converted measurements ("25 Zentimeter" / "10 inches") agree to the rounding translators use.
        if self.quantity and self.quantity == other.quantity and self.si_value is not None and other.si_value is not None:
            if self.unit_factor == other.unit_factor and self.imperial == other.imperial:
                return False  # the same unit: "12 miles" is not "10 Meilen" rounded
            return _converted(self, other.si_value, _rounding(other)) or _converted(other, self.si_value, _rounding(self))
        # "in the 80s" or "highs near 90" (Fahrenheit, no unit) for "26 ºC" / "27 gradi"
        if _celsius(self) and other.quantity is None:
            return _as_fahrenheit(self, other)
        if _celsius(other) and self.quantity is None:
            return _as_fahrenheit(other, self)
        # "within 60 days" for "两个月内" (two months), "48 hours" for "двух суток" (two days)
        if self.durations and other.quantity is None and any(_close(x, y) for x in self.durations for y in other.values):
            return True
        if other.durations and self.quantity is None and any(_close(x, y) for x in other.durations for y in self.values):
            return True
        # "40 miles" for "65 kilómetros" whose unit this reader does not know (or "19 Kilometern
        # pro Stunde" for "12 miles per hour", read as a length): the metric value.
        if self.imperial:
            return _implied(self, other)
        if other.imperial:
            return _implied(other, self)
        return False


METRIC_FACTORS = {
    "length": (1000.0, 1.0, 0.01, 0.001),
    "mass": (1.0, 0.001, 1000.0),
    "speed": (0.27778, 1.0),
    "volume": (0.001, 1.0),
    "area": (10000.0, 1000000.0, 1.0, 1000.0),
    "temperature": (1.0,),
}


def _granularity(value: float, largest: float = 10.0) -> float:
    """The rounding step of a written value: 40 -> 10, 45 -> 1, 2.5 -> 0.1 (at most ``largest``)."""
    if value != int(value):
        decimals = len(f"{value:.6f}".rstrip("0").split(".")[1])
        return 10.0 ** -decimals
    step, v = 1.0, int(abs(value))
    while v and v % 10 == 0 and step < largest:
        v //= 10
        step *= 10
    return step


def _rounding(m: Mention) -> float:
    """Half the rounding step of a measurement, in SI units ("300 km": 50 km)."""
    if m.quantity == "temperature":
        return _degree_rounding(m)
    return 0.5 * _granularity(min(m.values), 100) * m.unit_factor


def _degree_rounding(m: Mention) -> float:
    """Half the rounding step of a temperature in degrees Celsius ("80 degrees" Fahrenheit: 2.8,
    "30 gradi": 5)."""
    return 0.5 * _granularity(min(m.values)) * (5 / 9 if m.imperial else 1.0)


def _converted(m: Mention, si: float, other_rounding: float = 0.0) -> bool:
    """Whether ``si`` (a value in SI units, rounded to ``other_rounding``) rounds to mention
    ``m``'s measurement: "200 miles" for "321 km" or for "300 km"."""
    assert m.si_value is not None
    if m.quantity == "temperature":
        tolerance = max(2.0, _degree_rounding(m), other_rounding)
        if abs(m.si_value - si) <= tolerance:
            return True
        # a difference of temperatures ("10 degrees above average" = "6 Grad"): no offset
        fahrenheit = m.imperial and min(m.values) * 5 / 9
        return bool(fahrenheit) and abs(fahrenheit - si) <= max(1.0, 0.12 * abs(si))
    tolerance = max(0.06 * max(abs(m.si_value), abs(si)), 0.5 * _granularity(min(m.values)) * m.unit_factor, other_rounding)
    return abs(m.si_value - si) <= tolerance


def _celsius(m: Mention) -> bool:
    return m.quantity == "temperature" and not m.imperial and m.si_value is not None


FAHRENHEIT_RANGE = (-20.0, 130.0)  # plain numbers read as a weather temperature in Fahrenheit


def _as_fahrenheit(celsius: Mention, plain: Mention) -> bool:
    """A plain figure that gives a Celsius temperature of the other side in Fahrenheit, as US
    English does without a unit ("temperatures in the 80s" for "26 ºC"), or a difference of
    temperatures, which has no offset ("a 20-degree temperature difference" for "12 ºC")."""
    if plain.code or not plain.is_figure:
        return False
    low, high = FAHRENHEIT_RANGE
    if plain.decade:  # "in the 80s": any of 80 to 89 degrees, which a range "26 to 32 degrees" gives at both ends
        return any(low <= v <= high and _converted(celsius, (v + k - 32) * 5 / 9, 0.5 * 5 / 9) for v in _own_values(plain) for k in range(10))
    rounding = [(v, 0.5 * _granularity(v) * 5 / 9) for v in plain.values if low <= v <= high]
    return any(_converted(celsius, (v - 32) * 5 / 9, r) or (v > 0 and _converted(celsius, v * 5 / 9, r)) for v, r in rounding)


def _implied(imperial: Mention, plain: Mention) -> bool:
    assert imperial.quantity is not None
    for factor in METRIC_FACTORS.get(imperial.quantity, ()):
        for v in plain.values:
            si = v if imperial.quantity == "temperature" else v * factor
            rounding = 0.5 * (_granularity(v) if imperial.quantity == "temperature" else _granularity(v, 100) * factor)  # a plain temperature is Celsius
            if v and _converted(imperial, si, rounding):
                return True
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


def cjk_value(expression: str) -> float | None:
    """The value of a number in CJK notation: "326万" -> 3,260,000; "1億2千万" -> 120,000,000;
    "二十三" -> 23; "二〇一八" -> 2018; Korean "1억 2000만" -> 120,000,000."""
    total, section, number, last_digit, seen = 0.0, 0.0, None, False, False
    for m in re.finditer(r"\d+(?:[.,]\d+)*|\S", expression):
        tok = m.group()
        seen = seen or tok not in "多余餘여"
        if tok in "多余餘여":
            continue
        if tok[0].isdigit():
            values = figure_values(tok)
            if not values:
                return None
            number, last_digit = max(values) if "," in tok and len(values) > 1 else min(values), False
        elif tok in CJK_DIGITS:
            number = number * 10 + CJK_DIGITS[tok] if last_digit and number is not None else CJK_DIGITS[tok]
            last_digit = True
        elif tok in CJK_SMALL:
            section += (1 if number is None else number) * CJK_SMALL[tok]
            number, last_digit = None, False
        elif tok in CJK_BIG:
            chunk = section + (number or 0)
            total += (chunk or 1) * CJK_BIG[tok]
            section, number, last_digit = 0.0, None, False
        else:
            return None
    return total + section + (number or 0) if seen else None


def _cjk_unit(unit: str) -> bool:
    return any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7a3" or c in "℃℉" for c in unit)


def _month_names(lang: str) -> dict[str, int]:
    """Month names of the language from CLDR (babel: wide, format and stand-alone); none when
    babel lacks the locale."""
    try:
        from babel import Locale, UnknownLocaleError  # deferred: babel (CLDR) costs about 25 ms
    except ImportError:
        return {}
    try:
        months = Locale.parse(lang).months
    except (UnknownLocaleError, ValueError):
        return {}
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in months.get(context, {}).get(width, {}).items():
                name = name.casefold()
                if not any(c.isdigit() for c in name) and len(name) >= 3:
                    # an abbreviation only with its dot ("Oct.", "dez."): "Dez anos" is ten years
                    out.setdefault(name if width == "wide" else name.rstrip(".") + ".", number)
    if lang == "en":
        out["sept."] = 9
    return out


def _to_si(value: float, factor: float | str) -> float:
    if factor == "fahrenheit":
        return (value - 32) * 5 / 9
    if factor == "celsius":
        return value
    return value * float(factor)


def _clock_values(hour: int, minute: int) -> set[float]:
    """A clock time in both 12-hour readings, as hour + minute / 100 ("5.30 pm" = 17.30 = 5.30)."""
    h = hour % 12
    return {h + minute / 100, h + 12 + minute / 100}


def _year_values(year: str) -> set[float]:
    y = int(year)
    return {float(y), float(y % 100)} | ({float(2000 + y), float(1900 + y)} if len(year) == 2 else set())


_EN_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_EN_PARTS = {"quarter": 4, "third": 3, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
EN_SHARE_HINT_RE = re.compile(r"(?:quarter|third|fifth|sixth|seventh|eighth|ninth|tenth|\bin\b|out of)", re.IGNORECASE)
# "a third of", "two-thirds", "the top third of": a fraction, which a percentage may give ("33 %")
EN_FRACTION_RE = re.compile(
    r"\b(?:(a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?(quarter|third|fifth|sixth|seventh|eighth|ninth|tenth)(s)?\b(?=(\s+of\b)?)", re.IGNORECASE
)
# "seven in ten", "one out of five": a share, which a percentage may give ("70 %")
EN_RATIO_RE = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|\d)\s+(?:in|out of)\s+(two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\b", re.IGNORECASE)


def _percentages(share: float) -> set[float]:
    """A share as the percentages translators write for it (1/3: 33, 33.3, 34)."""
    pct = 100 * share
    return {share, float(int(pct)), float(round(pct)), round(pct, 1)}


def _english_shares(text: str, mentions: list[Mention]) -> list[Mention]:
    """English fractions ("a third of", "two-thirds") and shares ("seven in ten") also stand for
    their percentages; they replace the number words they are made of."""
    found: list[Mention] = []
    for m in EN_FRACTION_RE.finditer(text):
        numerator = _EN_SMALL.get((m.group(1) or "").casefold())
        if numerator is None and not m.group(4):
            continue  # "the third time": an ordinal
        part = _EN_PARTS[m.group(2).casefold()]
        if part == 4 and numerator is None:
            continue  # "the second quarter of 2018": a quarter of the year, as "the fourth quarter" of a game
        values = _percentages((numerator or 1) / part) | {float(part)} | ({float(numerator)} if numerator and numerator > 1 else set())  # "dwóch trzecich"
        values |= {15.0} if part == 4 and (numerator or 1) == 1 else set()  # "a quarter of an hour"
        found.append(Mention(m.start(), m.end(), m.group(), frozenset(values), kind=WORD, ordinal=True))
    for m in EN_RATIO_RE.finditer(text):
        k, n = (float(g) if g.isdigit() else float(_EN_SMALL[g.casefold()]) for g in (m.group(1), m.group(2)))
        if 0 < k < n:
            found.append(Mention(m.start(), m.end(), m.group(), frozenset(_percentages(k / n) | {k, n}), kind=SOFT))
    if not found:
        return mentions
    spans = [(f.start, f.end) for f in found]
    return [x for x in mentions if not any(x.start < e and s < x.end for s, e in spans)] + found


# English units of time after a number ("60 days", "a 24-hour period"; not an age: "10-year-old", "40 years old")
DURATION_AFTER_RE = re.compile(r"[\s\u00a0-]?(second|minute|hour|day|week|fortnight|month|year)s?\b(?!-old|\s+old)", re.IGNORECASE)
DURATION_HOURS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "fortnight": 336.0, "month": 730.0, "year": 8760.0}


def _duration_values(value: float, unit: str) -> frozenset[float]:
    """A duration in the other units of time where it is a round number (to the half, within 2 %:
    a month is 30 days, a year 12 months, 52 weeks or 365 days): "60 days" -> 2 (months), 1440 (hours)."""
    hours = value * DURATION_HOURS[unit]
    out: set[float] = set()
    for other, size in DURATION_HOURS.items():
        if other == unit or other == "fortnight":
            continue
        r = hours / size
        rounded = round(r * 2) / 2
        if 0.5 <= rounded <= 10000 and abs(r - rounded) <= 0.02 * rounded:
            out.add(rounded)
    return frozenset(out)


def _with_durations(text: str, m: Mention) -> Mention:
    """An English number of a unit of time, with its values in the other units of time."""
    if m.quantity or m.kind not in (FIGURE, WORD):
        return m
    unit = DURATION_AFTER_RE.match(text, m.end)
    if unit is None and "-" in m.text:
        unit = DURATION_AFTER_RE.fullmatch(m.text, m.text.rfind("-"))
    if unit is None:
        return m
    durations = frozenset(d for v in _own_values(m) if v > 0 for d in _duration_values(v, unit.group(1).casefold()))
    return replace(m, durations=durations) if durations else m


def _one_of_a_unit(m: Mention) -> bool:
    """A duration that is one, a half or one and a half of a larger unit ("24 hours", "18 months",
    "30 minutes"): the other side may say "a day", "un año y medio", "une demi-heure"."""
    return any(_close(d, x) for d in m.durations for x in (0.5, 1.0, 1.5))


# CJK fractions: "五分之一" (one fifth), "3分の1", "3분의 1"; "百分之二十" is 20 %
CJK_FRACTION_RE = re.compile(rf"(\d+|[{_NUMERAL_CLASS}]+)\s?(?:分之|分の|분의)\s?(\d+(?:[.,]\d+)?|[{_NUMERAL_CLASS}]+)(?!\d|[.,]\d|\s?[分秒時时日月年人個个])")


def _fraction_values(numerator: float, denominator: float) -> frozenset[float]:
    """A fraction as its share and percentages ("deux tiers": 0.667, 66.7 %, 67 %), which the English
    fractions have too (_english_shares); not its parts, which a changed fraction of the target would
    match ("three-quarters": 3); a quarter is also 15 (minutes)."""
    if denominator == 100:
        return frozenset({numerator})
    return frozenset(_percentages(numerator / denominator) | ({15.0} if (numerator, denominator) == (1, 4) else set()))


def _cjk_count(text: str, start: int, end: int) -> bool | None:
    """False (not an ordinal) for a CJK number before a counter ("2つ", "两家", "세 명") without 第."""
    counter = CJK_COUNTER_RE.match(text, end)
    if counter is None or CJK_ORDINAL_BEFORE.search(text, max(0, start - 2), start) or text.startswith("目", counter.end()):
        return None  # "第2", "2つ目": the second
    return False


def _group_mention(m: re.Match[str], group: int, values: set[float], kind: str = DATE) -> Mention:
    return Mention(m.start(group), m.end(group), m.group(group), frozenset(values), kind=kind)


def _date_like(m: re.Match[str], slashed: bool) -> bool:
    """Day and month in range; not a "24/7"-style ratio, whose two parts are both above 12."""
    first, second = int(m.group(1)), int(m.group(2))
    if not (1 <= first <= 31 and 1 <= second <= 31):
        return False
    return not (slashed and not m.group(3) and first > 12 and second > 12)


def _add_year_readings(text: str, m: re.Match[str], values: set[float]) -> None:
    """A figure that abbreviates a year ("1950-53") or names a decade ("20er", "1920s") or a
    century ("the 2000s", "1800-luvulla") also stands for the full year, decade or century."""
    figure = m.group()
    century = YEAR_RANGE_RE.search(text, max(0, m.start() - 5), m.start())
    if century and len(figure) == 2:
        values.add(float(century.group(1) + figure))  # "1950-53": 1953
    decade = DECADE_RE.match(text, m.end())
    if decade and len(figure) in (2, 4):
        # "20er Jahre" / "the 1920s" / "the '90s": the same decade
        year = int(figure)
        values |= {float(1900 + year), float(2000 + year)} if year < 100 else {float(year % 100), float(year // 100 + 1)}
    if len(figure) == 4 and figure.endswith("00") and (decade or CENTURY_AFTER_RE.match(text, m.end())):
        values.add(float(int(figure) // 100 + 1))  # "the early 2000s": the 21st century


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral ("XIX" -> 19), None for anything else."""
    total = 0
    for i, ch in enumerate(numeral):
        v = ROMAN_VALUES[ch]
        total += -v if i + 1 < len(numeral) and ROMAN_VALUES[numeral[i + 1]] > v else v
    return total or None


@dataclass(slots=True)
class WordData:
    """One language's number words, compiled once (pipeline/data/numbers_words.yaml)."""

    forms: dict[str, float]
    ordinal_forms: frozenset[str]
    excluded: frozenset[str]
    soft: dict[str, frozenset[float]]
    soft_phrases: re.Pattern[str] | None
    multipliers: dict[str, float]
    prefixes: list[tuple[str, float]]
    prefix_starts: tuple[str, ...]
    tails: tuple[str, ...]
    clitics: tuple[str, ...]
    joiners: frozenset[str]
    skip_after: frozenset[str]
    tens_multiply: bool
    units_first: int  # the smallest ten that may follow a unit (Arabic "three and twenty", Czech "dva|a|třiceti"); 0: none
    century_words: tuple[str, ...]
    idioms: re.Pattern[str] | None  # figures in set phrases that only absorb ("100 percent certain")
    duals: tuple[tuple[str, ...], str, float] | None = None  # endings, what the stem takes back, the stem's least Zipf frequency
    ordinal_after: re.Pattern[str] | None = None  # what makes a cardinal word before it an ordinal (Korean "두 번째": second)
    cardinals_as_ordinals: bool = False  # a cardinal word may be an ordinal (Vietnamese "hiệp hai": the second half)
    # words that are numbers only before one of some words (Vietnamese "năm tuần": five weeks, but "năm nay": this year)
    before: dict[str, tuple[float, tuple[str, ...]]] = field(default_factory=dict)
    # ordinal words that are weekdays when capitalised inside a sentence (Greek "την Τρίτη": on Tuesday)
    weekdays: frozenset[str] = frozenset()
    # fraction words -> (numerator, denominator, whether a numerator must come first): "tiers" (a third), "terzi"
    fractions: dict[str, tuple[float, float, bool]] = field(default_factory=dict)
    fraction_ones: frozenset[str] = frozenset()  # words for one before a fraction word ("un tiers", "ein Drittel")

    @classmethod
    def compile(cls, spec: dict[str, Any]) -> WordData:
        forms: dict[str, float] = {}
        ordinals: set[str] = set()
        for table in ("cardinals", "ordinals", "approximate"):  # approximate: "kymmenisen" (about ten) counts as ten
            for value, words in (spec.get(table) or {}).items():
                for w in words:
                    forms[_fold(str(w))] = float(value)
                    if table == "ordinals":
                        ordinals.add(_fold(str(w)))
        stems = spec.get("stems") or {}
        for value, roots in (stems.get("values") or {}).items():
            for root in roots:
                for ending in stems.get("endings", []):
                    form = _fold(str(root) + str(ending))
                    if form not in forms:
                        forms[form] = float(value)
                        ordinals.add(form)
        _add_joined(forms, spec.get("joined"))
        _add_endings(forms, ordinals, spec.get("endings"))
        for w in spec.get("exclude") or ():
            forms.pop(_fold(str(w)), None)
        soft = {_fold(str(k)): _soft_values(v) for k, v in (spec.get("soft") or {}).items()}
        phrases = [k for k in soft if " " in k or any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7a3" for c in k)]  # CJK and Hangul: inside words too (Korean "후반전에")
        soft_re = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)), re.IGNORECASE) if phrases else None
        prefixes = sorted(((_fold(str(k)), float(v)) for k, v in (spec.get("prefixes") or {}).items()), key=lambda kv: -len(kv[0]))
        return cls(
            forms, frozenset(ordinals), frozenset(_fold(str(w)) for w in spec.get("exclude") or ()), soft, soft_re,
            {_fold(str(k)): float(v) for k, v in (spec.get("multipliers") or {}).items()}, prefixes, tuple(p for p, _v in prefixes),
            tuple(_fold(str(t)) for t in spec.get("tails") or ()), tuple(spec.get("clitics") or ()),
            frozenset(_fold(str(j)) for j in spec.get("joiners") or ()), frozenset(_fold(str(s)) for s in spec.get("skip_after") or ()),
            bool(spec.get("tens_multiply")), int(spec.get("units_first") or 0), tuple(_fold(str(c)) for c in spec.get("century") or ()),
            re.compile("|".join(str(i) for i in spec["idioms"]), re.IGNORECASE) if spec.get("idioms") else None,
            _duals(spec.get("duals")),
            re.compile(r"\s?(?:" + "|".join(re.escape(str(w)) for w in spec["ordinal_after"]) + ")") if spec.get("ordinal_after") else None,
            bool(spec.get("cardinals_as_ordinals")),
            {_fold(str(w)): (float(v), tuple(_fold(str(n)) for n in nexts)) for v, entry in (spec.get("before") or {}).items() for w in entry["words"] for nexts in [entry["next"]]},
            frozenset(_fold(str(w)) for w in spec.get("weekdays") or ()),
            _fractions(spec.get("fractions")),
            frozenset(_fold(str(w)) for w in (spec.get("fractions") or {}).get("ones") or ()),
        )

    def compound(self, word: str) -> float | None:
        """A compound whose first parts are numbers ("czterdziestojednoletni" = 41, "nelikymmenvuotias"
        = 40, "двухлетний" = 2): read only when the rest starts with a known tail ("letni", "vuotias")."""
        if not word.startswith(self.prefix_starts):
            return None
        values: list[float] = []
        rest = word
        while True:
            hit = next(((p, v) for p, v in self.prefixes if rest.startswith(p) and len(rest) > len(p)), None)
            if hit is None:
                break
            values.append(hit[1])
            rest = rest[len(hit[0]) :]
        if not values or not rest.startswith(self.tails):
            return None
        return compose(values, self.tens_multiply, self.units_first)


def _add_joined(forms: dict[str, float], spec: dict[str, Any] | None) -> None:
    """Tens and units written as one word (Finnish "kaksikymmentäviisi" = 25, Turkish "otuzsekiz" = 38)."""
    if not spec:
        return
    for first, tens in (spec.get("first") or {}).items():
        for second, units in (spec.get("second") or {}).items():
            forms.setdefault(_fold(str(first) + str(second)), float(tens) + float(units))


def _add_endings(forms: dict[str, float], ordinals: set[str], spec: dict[str, Any] | None) -> None:
    """Number words with case and possessive endings (Turkish "elli sekizi" = 58 of them, "dördünde"):
    the listed words only (not "on", "yüz", "bin", "altı": "onu" is him, "yüzde" percent, "altında" under)."""
    if not spec:
        return
    for word in spec.get("words") or ():
        stem = _fold(str(word))
        base_word = _fold(str(spec.get("base", {}).get(word, word)))
        base = forms.get(base_word)
        if base is None:
            continue
        for ending in spec.get("suffixes") or ():
            form = stem + _fold(str(ending))
            if form not in forms:
                forms[form] = base
                if base_word in ordinals:
                    ordinals.add(form)


def _fractions(spec: dict[str, Any] | None) -> dict[str, tuple[float, float, bool]]:
    """Fraction words: nouns that are one part alone ("tiers", "Drittel", "треть"; a key "2/3" for a
    word that says its numerator too, Arabic "ثلثي"), and ordinal forms that are a fraction only after a
    numerator ("due terzi", "dwie trzecie")."""
    out: dict[str, tuple[float, float, bool]] = {}
    for table, needs in (("nouns", False), ("after_numerator", True)):
        for key, words in ((spec or {}).get(table) or {}).items():
            numerator, _, denominator = str(key).rpartition("/")
            for w in words:
                out[_fold(str(w))] = (float(numerator or 1), float(denominator), needs)
    return out


def _duals(spec: dict[str, Any] | None) -> tuple[tuple[str, ...], str, float] | None:
    if not spec:
        return None
    return tuple(_fold(str(e)) for e in spec["endings"]), _fold(str(spec.get("stem", ""))), float(spec.get("min_zipf", 3.0))


def _soft_values(spec: Any) -> frozenset[float]:
    """The values of an absorbing word: one or a list ("decades": 20, 30, ...); a fraction also
    as a percentage ("half" absorbs "50 %")."""
    values = {float(v) for v in (spec if isinstance(spec, list) else [spec])}
    return frozenset(values | {round(v * 100, 6) for v in values if 0 < v < 1})


ARABIC_POINTS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")


ARABIC_ALEF = str.maketrans("أإآٱ", "اااا")


def _fold(word: str) -> str:
    folded = word.casefold().replace("’", "'").replace("ʼ", "'")
    if folded and "\u0600" <= max(folded) <= "\u06ff":
        return ARABIC_POINTS_RE.sub("", folded).translate(ARABIC_ALEF)
    return folded


def compose(values: list[float], tens_multiply: bool = False, units_first: int = 0) -> float | None:
    """Number words in a row as one number ("twenty three" = 23, "trois cent" = 300, Arabic "three
    and twenty" = 23, Finnish "neli|kymmen" = 40); None when they do not form one number."""
    total, current = 0.0, 0.0
    for v in values:
        if v >= 1000 and v in (1e3, 1e5, 1e6, 1e7, 1e9, 1e12):
            total += (current or 1) * v
            current = 0.0
        elif (v == 100 or (v == 10 and tens_multiply)) and 1 < current < 10:
            current *= v  # "trois cent", Finnish "neli|kymmen"
        elif current == 0 or _smaller_place(v, current):
            current += v
        elif units_first and current < 10 and v % 10 == 0 and units_first <= v < 100:
            current += v  # unit before ten: Arabic "three and twenty", "ثلاثة عشر" (13)
        else:
            return None
    return total + current


def _smaller_place(v: float, current: float) -> bool:
    """Whether ``v`` fills a place below every non-zero digit of ``current`` (100 + 20 + 3)."""
    if v != int(v) or current != int(current):
        return False
    step = 1
    c = int(current)
    while c % 10 == 0:
        c //= 10
        step *= 10
    return v < step


class Token(NamedTuple):
    folded: str
    number: tuple[float, bool | None] | None  # value, ordinal
    soft: frozenset[float] | None
    month: int | None
    abbreviation: int | None  # a month's abbreviation: only with its dot ("Oct.")


class NumberReader:
    """Finds number mentions in one language: figures with scale words and units, number and
    ordinal words, CJK and Roman numerals, clock times and numeric dates (split into their parts)."""

    def __init__(self, lang: str, data: dict[str, Any], words: dict[str, Any]) -> None:
        self.lang = base_lang(lang)
        scales = {str(k).casefold(): float(v) for k, v in data["scales"].get(self.lang, {}).items()}
        self.scales = scales
        # scale words with case endings ("1,05 milyonu", "20 миллионнан"): the full words only
        endings = [str(e) for e in (words.get("languages", {}).get(self.lang) or {}).get("scale_endings") or ()]
        self._inflected_scales = tuple(sorted((w for w in scales if len(w) >= 5 and w.isalpha()), key=len, reverse=True)) if endings else ()
        inflected = (
            "(?:" + "|".join(re.escape(w) for w in self._inflected_scales) + ")(?:" + "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True)) + ")|"
            if self._inflected_scales else ""
        )
        self._scale_re = (
            re.compile(r"[ \u00a0]?(" + inflected + "|".join(re.escape(s) for s in sorted(scales, key=len, reverse=True)) + r")(?![^\W\d_])", re.IGNORECASE)
            if scales else None
        )
        self.text2num = self.lang in data["number_word_languages"]
        self.words = WordData.compile(words.get("languages", {}).get(self.lang) or {})
        self.units: dict[str, tuple[str, float | str]] = {}
        for quantity, table in data.get("units", {}).items():
            for word, factor in table.items():
                self.units[str(word).casefold()] = (quantity, factor if isinstance(factor, str) else float(factor))
        self.imperial = frozenset(str(u).casefold() for u in data.get("imperial", ()))
        # a unit ends at the end of a word, except one in CJK or Hangul, which the next word follows unspaced ("27度的")
        self._unit_re = re.compile(
            r"[ \u00a0-]?((?:" + "|".join(re.escape(u) for u in sorted(self.units, key=len, reverse=True) if not _cjk_unit(u)) + r")(?![^\W\d_])"
            # "2도움" are 2 assists, "2度目" the second time
            + "".join("|" + re.escape(u) + {"도": "(?!움)", "度": "(?!目)"}.get(u, "") for u in sorted(self.units, key=len, reverse=True) if _cjk_unit(u)) + ")",
            re.IGNORECASE,
        )
        self.read_words = self.text2num or bool(self.words.forms)
        halves = (words.get("languages", {}).get(self.lang) or {}).get("halves") or ()
        # "eine halbe Million", "полмиллиона", "half a million": half of the scale word
        self._half_re = (
            re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(str(h)) for h in halves) + r")[\s\u00a0-]?(?:an?\s)?("
                       + "|".join(re.escape(w) for w in sorted(scales, key=len, reverse=True) if scales[w] >= 1e6) + r")(?![^\W\d_])", re.IGNORECASE)
            if halves and any(v >= 1e6 for v in scales.values()) else None
        )
        self.spelled_starts = frozenset(str(x) for x in (words.get("languages", {}).get(self.lang) or {}).get("spelled_starts") or ())
        self._word_cache: dict[str, tuple[float, bool | None] | None] = {}
        self._tokens: dict[str, Token] = {}
        self._read_cache: dict[str, tuple[Mention, ...]] = {}
        self._months: dict[str, int] | None = None

    # ------------------------------------------------------------------------------ words
    def _word_value(self, word: str) -> tuple[float, bool | None] | None:
        """The value of a number word and whether it is an ordinal (None: not a number word)."""
        found = self._word_cache.get(word, False)
        if found is not False:
            return found  # type: ignore[return-value]
        w = _fold(word)
        value = self._lookup(w)
        if value is None and "-" in w and w not in self.words.excluded:
            value = self._lookup(w.split("-")[0])  # "fifth-floor", "second-degree"
        self._word_cache[word] = value
        return value

    def _lookup(self, w: str) -> tuple[float, bool | None] | None:
        forms = self.words.forms
        if w in self.words.excluded:
            return None
        if w in forms:
            return forms[w], w in self.words.ordinal_forms
        for clitic in self.words.clitics:
            if w.startswith(clitic) and len(w) - len(clitic) >= 2 and w[len(clitic) :] in forms:
                return forms[w[len(clitic) :]], w[len(clitic) :] in self.words.ordinal_forms
        if self.words.prefixes:
            value = self.words.compound(w)
            if value is not None:
                return value, None
        if self.words.duals is not None and self._dual(w):
            return 2.0, False
        return None

    def _dual(self, w: str) -> bool:
        """Whether ``w`` is a noun in the dual (Arabic "سيدتان": two women), behind a clitic or not."""
        assert self.words.duals is not None
        endings, stem_ending, min_zipf = self.words.duals
        ending = next((e for e in endings if w.endswith(e)), None)
        if ending is None or len(w) - len(ending) < 2:
            return False
        stems = [w[: -len(ending)]] + [w[len(c) : -len(ending)] for c in self.words.clitics if w.startswith(c) and len(w) - len(c) - len(ending) >= 2]
        # the ending's first letter is the feminine ة written open (ت) before the dual suffix
        try:
            return any(word_zipf(self.lang, stem + stem_ending) >= min_zipf for stem in stems)
        except ImportError:  # only Arabic words with a dual ending ask wordfreq
            return False

    def read(self, text: str) -> tuple[Mention, ...]:
        """The number mentions of ``text``, in order (remembered: every system's pair reads the
        same source sentence)."""
        found = self._read_cache.get(text)
        if found is None:
            if len(self._read_cache) >= READ_CACHE_SIZE:
                self._read_cache.clear()
            found = self._read_cache[text] = tuple(self._read(text))
        return found

    def _read(self, original: str) -> list[Mention]:
        # Clock times, then numeric dates, then figures: each takes its spans first, so that the
        # later kinds do not read "14.30 Uhr" or "16.3." as the figures 14.30 and 16.3.
        text = normalize_digits(original)
        taken: list[tuple[int, int]] = list(masked_ranges(text))
        mentions: list[Mention] = []
        if self.lang in CJK_LANGS or self.lang == "ko":
            mentions += self._cjk_mentions(text, taken)
        if DIGIT_RE.search(text):
            mentions += self._idiom_mentions(text, taken)
            mentions += self._time_mentions(text, taken)
            mentions += self._date_mentions(text, taken)
            mentions += self._foot_inch_mentions(text, taken)
            mentions += self._tied_score_mentions(text, taken)
            mentions += self._figure_mentions(text, taken)
            mentions.sort(key=lambda x: x.start)
            mentions = self._spread_units_over_ranges(text, mentions)
        mentions += self._one_unit_mentions(text)
        if self._half_re is not None:
            mentions += self._half_mentions(text, taken)
        if ROMAN_HINT_RE.search(text):
            mentions += self._roman_mentions(text, taken)
        # (Chinese and Japanese words are runs of characters: their numbers are read above)
        tokens = [] if self.lang in CJK_LANGS else [(m, self._token(m.group())) for m in WORD_TOKEN_RE.finditer(text)]
        mentions += self._month_mentions(text, tokens, mentions)
        spans = taken + [(x.start, x.end) for x in mentions]
        if self.read_words:
            words = self._word_mentions(text, tokens, spans)
            mentions += words
            spans += [(x.start, x.end) for x in words]  # "two decades" is one mention, "decades" in it no other
        mentions += self._soft_mentions(text, tokens, spans)
        if self.words.century_words or self.lang in CJK_LANGS or self.lang == "ko":
            mentions = [replace(x, century=True) if self._names_century(text, x) else x for x in mentions]
        if self.lang == "en" and EN_SHARE_HINT_RE.search(text):
            mentions = _english_shares(text, mentions)
        if self.lang == "en":
            mentions = [_with_durations(text, x) for x in mentions]
        elif self.words.fractions and tokens:
            mentions = self._fraction_mentions(text, tokens, mentions)
        mentions.sort(key=lambda x: x.start)
        if text is not original:
            mentions = [replace(x, text=original[x.start : x.end]) for x in mentions]
        return mentions

    def _half_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Half of a scale word ("eine halbe Million" = 500,000), as one number."""
        assert self._half_re is not None
        out = []
        for m in self._half_re.finditer(text):
            if not inside(taken, m.start(), m.end()):
                value = 0.5 * self.scales[m.group(1).casefold()]
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({value}), kind=WORD, scaled=frozenset({value})))
                taken.append((m.start(), m.end()))
        return out

    def _idiom_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Figures in set phrases ("100 percent certain", "à 100 %"): they only absorb."""
        out = []
        found = list(HUNDRED_PERCENT_RE.finditer(text)) if "100" in text else []
        if self.words.idioms is not None:
            found += self.words.idioms.finditer(text)
        for m in found:
            figure = re.search(r"\d+", m.group())
            if figure and not inside(taken, m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({float(figure.group())}), kind=SOFT))
                taken.append((m.start(), m.end()))
        return out

    def _fraction_mentions(self, text: str, tokens: list[tuple[re.Match[str], Token]], mentions: list[Mention]) -> list[Mention]:
        """Fractions in words ("deux tiers", "ein Drittel", "две трети"): one mention with their
        percentages, for the number word before the fraction word and the fraction word itself."""
        found: list[Mention] = []
        drop: set[int] = set()
        for k, (m, token) in enumerate(tokens):
            spec = self.words.fractions.get(token.folded)
            if spec is None:
                continue
            numerator, denominator, needs = spec
            start = m.start()
            before = next((i for i, x in enumerate(mentions) if i not in drop and x.end <= m.start() and not text[x.end : m.start()].strip()
                           and x.kind in (WORD, FIGURE) and not x.quantity and len(_own_values(x)) == 1), None)
            if before is not None and 2 <= min(_own_values(mentions[before])) < denominator and numerator == 1:
                numerator, start = min(_own_values(mentions[before])), mentions[before].start
                drop.add(before)
            elif k and tokens[k - 1][1].folded in self.words.fraction_ones and not text[tokens[k - 1][0].end() : m.start()].strip():
                start = tokens[k - 1][0].start()
            elif needs:
                continue
            drop |= {i for i, x in enumerate(mentions) if x.start < m.end() and m.start() < x.end}
            values = _fraction_values(numerator, denominator)
            if numerator == 1:
                # one part only absorbs, as its share is not taken for a fraction the target changed: Czech
                # "třetina" is a hockey period, French "un tiers" a third party, "quart" a watch
                values, kind = frozenset(v for v in values if v >= 1), SOFT
            else:
                kind = WORD
            found.append(Mention(start, m.end(), text[start : m.end()], values, kind=kind))
        if not found:
            return mentions
        return [x for i, x in enumerate(mentions) if i not in drop] + found

    def _names_century(self, text: str, m: Mention) -> bool:
        """Whether a century word follows the number or comes right before it ("XIXe siècle",
        "siglo XV", "20. století", "20世纪")."""
        if CJK_AFTER_CENTURY.match(text, m.end):
            return True
        after = WORD_TOKEN_RE.search(text, m.end, m.end + 20)
        before = text[max(0, m.start - 14) : m.start].split()
        words = self.words.century_words
        return bool((after and _fold(after.group()).startswith(words)) or (before and _fold(before[-1]).startswith(words)))

    # ------------------------------------------------------------------------------ CJK
    def _cjk_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Clock times ("下午3点", "오후 5시 30분"), then numbers with CJK numerals or units ("326万",
        "1억 2000만", "二十三"); a number before 月/월 is a month, before 日/일 a day."""
        out: list[Mention] = []
        for m in CJK_FRACTION_RE.finditer(text):
            denominator, numerator = cjk_value(m.group(1)), cjk_value(m.group(2))
            if denominator and numerator and not inside(taken, m.start(), m.end()) and numerator < denominator:
                out.append(Mention(m.start(), m.end(), m.group(), _fraction_values(numerator, denominator), kind=WORD))
                taken.append((m.start(), m.end()))
        for m in CJK_TIME_RE.finditer(text):
            hour, minute = cjk_value(m.group(2)), (cjk_value(m.group(4)) if m.group(4) else (30 if m.group(6) else 0))
            if hour is None or minute is None or hour > 24 or minute > 59:
                continue
            start = m.start(2) if not m.group(1) else m.start(1)
            h = int(hour) % 12 + 12 if m.group(1) in CJK_PM else int(hour)
            out.append(Mention(start, m.end(), m.group().strip(), frozenset(_clock_values(h, int(minute))), kind=TIME))
            taken.append((start, m.end()))
        pattern = KO_NUMBER_RE if self.lang == "ko" else CJK_NUMBER_RE
        for m in pattern.finditer(text):
            if inside(taken, m.start(), m.end()) or m.group().replace(" ", "").replace(",", "").replace(".", "").isdigit():
                continue
            if CJK_WEEKDAY_BEFORE.search(text, max(0, m.start() - 2), m.start()):
                continue  # "周六" is Saturday
            mention = self._cjk_mention(text, m)
            if mention is not None:
                out.append(mention)
                taken.append((m.start(), m.end()))
        return out

    def _cjk_mention(self, text: str, m: re.Match[str]) -> Mention | None:
        expression = m.group().strip()
        value = cjk_value(expression)
        if value is None or value == 1:
            return None
        digits = any(c.isdigit() for c in expression)
        kind = FIGURE if digits else WORD
        if expression != "十" and all(c in CJK_SMALL or c in CJK_BIG for c in expression):
            kind = SOFT  # "千万" (by all means), "百" alone: idioms as often as numbers
        if CJK_AFTER_MONTH.match(text, m.end()) and 1 <= value <= 12:
            kind = SOFT
        elif CJK_AFTER_DAY.match(text, m.end()) and 1 <= value <= 31:
            kind = DATE
        big = any(c in CJK_BIG for c in expression)
        values = {value, value * 10} if CJK_AFTER_TENTHS.match(text, m.end()) and value <= 10 else {value}  # "三成": 30 %
        return Mention(m.start(), m.end(), expression, frozenset(values), kind=kind, scaled=frozenset({value}) if big else None, ordinal=_cjk_count(text, m.start(), m.end()))

    # ------------------------------------------------------------------------------ times, dates
    @staticmethod
    def _time_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Clock times as one value per 12-hour reading, with the hour and the minute as parts
        (matched alone when the whole does not match: "16:32" may be a score "16-32")."""
        out: list[Mention] = []
        for m in TIME_RE.finditer(text):
            if inside(taken, m.start(), m.end()):
                continue
            if m.group(1) is not None:  # with a designator: "14.30 Uhr", "7 PM", "2:30 p.m.", "12h00"
                hour_group, minute_group = 1, (3 if m.group(3) else 5)
                if m.group(2) == "." and not m.group(4):
                    continue
            else:  # "14:30"
                hour_group, minute_group = 6, 7
            hour, minute = int(m.group(hour_group)), int(m.group(minute_group) or 0)
            if hour > 24 and hour_group == 6:
                # a game clock ("on 27:37"): the minute, or the next one that the 28th minute counts
                clock = (Mention(m.start(6), m.end(6), m.group(6), frozenset({float(hour)})), _group_mention(m, 7, {float(minute)}, FIGURE))
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({float(hour), float(hour + 1)}), parts=clock))
                taken.append((m.start(), m.end()))
                continue
            if hour > 24:
                continue
            parts: tuple[Mention, ...] = (Mention(m.start(hour_group), m.end(hour_group), m.group(hour_group), frozenset(_clock_values(hour, 0)), kind=TIME),)
            if minute:
                parts += (_group_mention(m, minute_group, {float(minute)}, TIME),)
            out.append(Mention(m.start(), m.end(), m.group(), frozenset(_clock_values(hour, minute)), kind=TIME, parts=parts))
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
                out.append(_group_mention(m, 1, {float(int(m.group(1)))}, FIGURE))
                out.append(_group_mention(m, 2, {float(int(m.group(2)))}, FIGURE))
                if m.group(3):
                    out.append(_group_mention(m, 3, _year_values(m.group(3)), FIGURE))
                taken.append((m.start(), m.end()))
        return out

    def _foot_inch_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """ "6-foot-6": a height in feet and inches."""
        out = []
        for m in FOOT_INCH_RE.finditer(text):
            feet, inches = int(m.group(1)), int(m.group(2))
            si = feet * 0.3048 + inches * 0.0254
            out.append(Mention(m.start(), m.end(), m.group(), frozenset({feet + inches / 12, float(feet), float(f"{feet}.{inches}")}), "length", si, imperial=True, unit_factor=0.0254))
            taken.append((m.start(), m.end()))
        return out

    @staticmethod
    def _tied_score_mentions(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """A tied score ("the 2-2 draw") is one number: "empate a dois golos" says it once."""
        out = []
        for m in TIED_SCORE_RE.finditer(text):
            if not inside(taken, m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({float(m.group(1))})))
                taken.append((m.start(), m.end()))
        return out

    def _one_unit_mentions(self, text: str) -> list[Mention]:
        """ "about a mile away": one of a unit, which may render "1,6 Kilometer" (it only absorbs)."""
        if self.lang != "en":
            return []
        out = []
        for m in ONE_UNIT_RE.finditer(text):
            quantity, factor = self.units[m.group(1).casefold()]
            out.append(Mention(m.start(), m.end(), m.group(), frozenset({1.0}), quantity, _to_si(1.0, factor), kind=SOFT, imperial=True,
                               unit_factor=factor if isinstance(factor, float) else 1.0))
        return out

    # ------------------------------------------------------------------------------ figures
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
        clock = TIMELIKE_RE.fullmatch(m.group())
        if clock and int(clock.group(1)) <= 24:
            values |= _clock_values(int(clock.group(1)), int(clock.group(2)))  # "klo 17.30" = "5.30pm"
        start, end = m.start(), m.end()
        scale = self._scale_after(text, end)
        scaled = None
        if scale:
            factor, end = scale
            scaled = frozenset(v * factor for v in values)
            values |= scaled
        # a figure in a name or model code ("E 95", "K1") has no unit
        code = (bool(CODE_BEFORE_RE.search(text[max(0, start - 4) : start])) and not (self.lang in CJK_LANGS or self.lang == "ko")
                and not MID_BEFORE_RE.search(text, max(0, start - 5), start))
        if code and len(m.group()) == 2:
            values |= _year_values(m.group())  # "SS19": the 2019 collection
        unit = None if code else self._unit_after(text, end, values)
        if unit:
            quantity, si_value, end, imperial, factor = unit
            return Mention(start, end, text[start:end], frozenset(values), quantity, si_value, imperial=imperial, unit_factor=factor, scaled=scaled)
        cjk = self.lang in CJK_LANGS or self.lang == "ko"
        kind = self._cjk_kind(text, end, values) if cjk else FIGURE
        named = bool(NAME_BEFORE_RE.search(text, max(0, start - 30), start)) and not self._months_before(text, start)
        # digits in groups may be a phone number whose groups a right-to-left text reorders, and
        # "30.9" a date without its last dot (Finnish "sunnuntaina 30.9")
        parts: tuple[Mention, ...] = ()
        if " " in m.group() or ((DAY_MONTH_RE.fullmatch(m.group()) or MONTH_YEAR_RE.fullmatch(m.group())) and not scale):
            parts = tuple(Mention(g.start() + start, g.end() + start, g.group(), frozenset({float(g.group())})) for g in re.finditer(r"\d+", m.group()))
        ordinal = _cjk_count(text, start, end) if cjk else None
        decade = len(m.group()) == 2 and not scale and bool(DECADE_RE.match(text, end))
        return Mention(start, end, text[start:end], frozenset(values), code=code, kind=kind, parts=parts, scaled=scaled, named=named, ordinal=ordinal, decade=decade)

    def _months_before(self, text: str, start: int) -> bool:
        before = text[max(0, start - 14) : start].split()
        if self._months is None:
            self._months = _month_names(self.lang)
        return bool(before) and before[-1].casefold().rstrip(".,") in self._months

    @staticmethod
    def _cjk_kind(text: str, end: int, values: set[float]) -> str:
        """A figure before 月 is a month (it only absorbs), before 日 a day, before 世纪 a century."""
        low = min(values)
        if CJK_AFTER_MONTH.match(text, end) and 1 <= low <= 12:
            return SOFT
        if CJK_AFTER_DAY.match(text, end) and 1 <= low <= 31:
            return DATE
        if CJK_AFTER_CENTURY.match(text, end):
            values.add((low - 1) * 100)  # "20世纪" = the 1900s
        if CJK_AFTER_DECADE.match(text, end) and low < 100:
            values |= {1900 + low, 2000 + low}  # "80年代" = the 1980s
        elif CJK_AFTER_AGE.match(text, end) and low < 100:
            return SOFT
        if CJK_AFTER_TIMES.match(text, end):
            return SOFT  # "2倍": double
        if CJK_AFTER_TENTHS.match(text, end) and low <= 10:
            values.add(low * 10)  # "3割", "三成": 30 %
        return FIGURE

    def _roman_mentions(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Roman numerals of two letters or more ("siglo XV", "XXI wieku", "Louis XIV")."""
        out: list[Mention] = []
        for m in ROMAN_RE.finditer(text):
            numeral = "".join(m.group(i) for i in range(1, 5))
            if len(numeral) < 2 or numeral in NOT_ROMAN or inside(taken, m.start(), m.end()):
                continue
            value = roman_value(numeral)
            if value:
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({float(value)}), kind=WORD))
        return out

    def _token(self, word: str) -> Token:
        """What a word is to this reader (remembered: most words are seen many times)."""
        found = self._tokens.get(word)
        if found is None:
            if len(self._tokens) >= READ_CACHE_SIZE * 5:
                self._tokens.clear()
            if self._months is None:
                self._months = _month_names(self.lang)
            folded = _fold(word)
            soft_key = folded if folded in self.words.soft or "-" not in folded else folded.split("-")[0]  # "double-move"
            last = word.casefold().rsplit("-", 1)[-1]  # "mid-September"
            soft = self.words.soft.get(soft_key) or self._soft_with_clitic(folded)
            number = None if soft is not None else (self._word_value(word) or (self._spelled_value(folded) if self.text2num else None))
            found = self._tokens[word] = Token(folded, number, soft, self._months.get(last), self._months.get(last + "."))
        return found

    def _soft_with_clitic(self, folded: str) -> frozenset[float] | None:
        """An absorbing word behind a clitic (Arabic "النصف", Hebrew "במחצית")."""
        for clitic in self.words.clitics:
            if folded.startswith(clitic) and len(folded) - len(clitic) >= 2 and folded[len(clitic) :] in self.words.soft:
                return self.words.soft[folded[len(clitic) :]]
        return None

    def _month_mentions(self, text: str, tokens: list[tuple[re.Match[str], Token]], figures: list[Mention]) -> list[Mention]:
        """Month names ("December", "10. Januar", "6月", "tháng 6") stand for the month's number,
        which a numeric date on the other side ("26.12.") has as a figure; they only absorb."""
        out = []
        if self.lang == "vi":
            out += [Mention(m.start(), m.end(), m.group(), frozenset({float(m.group(1))}), kind=SOFT) for m in VI_MONTH_RE.finditer(text)]
        for m, token in tokens:
            month = token.month if token.month is not None else (token.abbreviation if text[m.end() : m.end() + 1] == "." else None)
            if month is not None:
                out.append(Mention(m.start(), m.end(), m.group(), frozenset({float(month)}), kind=SOFT))
        if out and figures:
            # the months' own figures ("tháng 6") are not numbers of their own
            spans = [(x.start, x.end) for x in out]
            figures[:] = [f for f in figures if not inside(spans, f.start, f.end)]
        return out

    def _unit_after(self, text: str, pos: int, values: set[float]) -> tuple[str, float, int, bool, float] | None:
        m = self._unit_re.match(text, pos)
        if not m:
            return None
        unit = m.group(1).casefold()
        quantity, factor = self.units[unit]
        return quantity, _to_si(min(values), factor), m.end(), unit in self.imperial, factor if isinstance(factor, float) else 1.0

    def _spread_units_over_ranges(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """ "2,5 bis 10 Zentimeter": the unit of a range's end applies to its start too."""
        out = list(mentions)
        for i in range(len(out) - 2, -1, -1):
            first, second = out[i], out[i + 1]
            # (a plain number matches a length or weight of the other side loosely, in any metric unit, but a
            # plain Fahrenheit figure only a Celsius temperature: "de 26 a 32 grados" for "in the 80s")
            joiner = TEMPERATURE_RANGE_JOINER_RE if second.quantity == "temperature" else RANGE_JOINER_RE
            if first.quantity or not second.quantity or not joiner.match(text[first.end : second.start]):
                continue
            unit = self._unit_re.search(second.text)
            if unit is None:
                continue
            quantity, factor = self.units[unit.group(1).casefold()]
            out[i] = replace(first, quantity=quantity, si_value=_to_si(min(first.values), factor), imperial=second.imperial, unit_factor=second.unit_factor)
        return out

    def _scale_after(self, text: str, pos: int) -> tuple[float, int] | None:
        if self._scale_re is None:
            return None
        m = self._scale_re.match(text, pos)
        if not m:
            return None
        word = m.group(1).casefold()
        factor = self.scales.get(word)
        if factor is None:
            factor = self.scales[next(w for w in self._inflected_scales if word.startswith(w))]
        return factor, m.end()

    # ------------------------------------------------------------------------------ words
    def _word_mentions(self, text: str, tokens: list[tuple[re.Match[str], Token]], taken: list[tuple[int, int]]) -> list[Mention]:
        out: list[Mention] = []
        run: list[tuple[re.Match[str], tuple[float, bool | None]]] = []
        words = self.words
        previous = ""
        for k, (m, token) in enumerate(tokens):
            word = m.group()
            value = token.number
            if value is None and token.folded in words.before:
                value = self._number_before(text, token.folded, tokens[k + 1][0] if k + 1 < len(tokens) else None)
            if value is not None and previous in words.skip_after and not word[0].islower():
                value = None  # Hebrew "יום חמישי", Vietnamese "thứ Sáu": weekdays (but "thứ tư" is fourth)
            if value is not None and token.folded in words.weekdays and word[0].isupper() and not _sentence_start(text, m.start()):
                value = None  # Greek "την Τρίτη": on Tuesday, not the third
            previous = token.folded
            if value is None or inside(taken, m.start(), m.end()):
                if run and token.folded in words.joiners and not text[run[-1][0].end() : m.start()].strip():
                    continue  # "one hundred and five": the joiner stays inside the run
                self._flush(text, run, out)
                continue
            if run and (any(g not in words.joiners for g in _fold(text[run[-1][0].end() : m.start()]).split()) or "-" in word):
                self._flush(text, run, out)
            run.append((m, value))
            if "-" in word:
                self._flush(text, run, out)
        self._flush(text, run, out)
        return out

    def _number_before(self, text: str, folded: str, following: re.Match[str] | None) -> tuple[float, bool | None] | None:
        """A word that is a number only right before one of its words ("năm tuần": five weeks)."""
        value, nexts = self.words.before[folded]
        if following is None or not following.group().casefold().startswith(nexts) or text[following.start() - 1] != " ":
            return None
        return value, False

    def _spelled_value(self, folded: str) -> tuple[float, bool | None] | None:
        """A number word text2num reads ("vingt-trois", "quatrième", "fifth-floor")."""
        if folded in self.words.excluded or not (folded[:3] in self.spelled_starts or folded[:2] in self.spelled_starts):
            return None
        if not (folded.isalpha() or "-" in folded):
            return None
        found = _text2num(folded, self.lang)
        if found is None and "-" in folded and folded.split("-")[0] not in self.words.excluded:
            found = _text2num(folded.split("-")[0], self.lang)
        return found

    def _flush(self, text: str, run: list[tuple[re.Match[str], tuple[float, bool | None]]], out: list[Mention]) -> None:
        if not run:
            return
        start, end = run[0][0].start(), run[-1][0].end()
        phrase = text[start:end]
        ordinal = run[-1][1][1]
        if ordinal is False and (self.words.cardinals_as_ordinals or (self.words.ordinal_after is not None and self.words.ordinal_after.match(text, end))):
            ordinal = None if self.words.cardinals_as_ordinals else True
        value = run[0][1][0] if len(run) == 1 else self._phrase_value(phrase, [v for _, (v, _o) in run])
        if value is None and len(run) > 2:
            # the longest start that is one number, and the rest ("dvacátém prvním | století": 21st | century)
            for k in range(len(run) - 1, 1, -1):
                if self._phrase_value(text[start : run[k - 1][0].end()], [v for _, (v, _o) in run[:k]]) is not None:
                    head, tail = run[:k], run[k:]
                    self._flush(text, head, out)
                    self._flush(text, tail, out)
                    run.clear()
                    return
        if value is None:
            out.extend(Mention(m.start(), m.end(), m.group(), frozenset({v}), kind=WORD, ordinal=o) for m, (v, o) in run if v >= 2)
        elif value >= 2 or value == 0:
            mention = self._word_mention(text, start, end, phrase, value)
            last = run[-1][1][0]
            if len(run) > 1 and last in (1e3, 1e5, 1e6, 1e7, 1e9, 1e12):
                # "six million": also the "six" that a source with an unknown scale word has
                raw = compose([v for _, (v, _o) in run[:-1]], self.words.tens_multiply, self.words.units_first)
                if raw is not None:
                    mention = replace(mention, values=mention.values | {raw}, scaled=frozenset({value}))
            # a scale word alone ("millions of", "milhões") is a size more often than a number
            out.append(replace(mention, ordinal=ordinal, kind=SOFT if len(run) == 1 and value >= 1e6 else mention.kind))
        run.clear()

    def _phrase_value(self, phrase: str, values: list[float]) -> float | None:
        if self.text2num:
            read = _text2num(phrase.casefold(), self.lang)
            if read is not None:
                return read[0]
        return compose(values, self.words.tens_multiply, self.words.units_first)

    def _word_mention(self, text: str, start: int, end: int, phrase: str, value: float) -> Mention:
        values = {value}
        multiplier = re.match(r"\s+([^\W\d_]+)", text[end:])
        if multiplier and _fold(multiplier.group(1)) in self.words.multipliers:
            values.add(value * self.words.multipliers[_fold(multiplier.group(1))])  # "two decades" = 20
            end += multiplier.end()
        tail = phrase.rsplit("-", 1)[-1].casefold() if "-" in phrase else ""
        if tail in self.units:
            quantity, factor = self.units[tail]
            return Mention(start, end, phrase, frozenset(values), quantity, _to_si(value, factor), kind=WORD, imperial=tail in self.imperial,
                           unit_factor=factor if isinstance(factor, float) else 1.0)
        unit = self._unit_after(text, end, values)
        if unit:
            return Mention(start, unit[2], text[start : unit[2]], frozenset(values), unit[0], unit[1], kind=WORD, imperial=unit[3], unit_factor=unit[4])
        return Mention(start, end, text[start:end], frozenset(values), kind=WORD)

    def _soft_mentions(self, text: str, tokens: list[tuple[re.Match[str], Token]], taken: list[tuple[int, int]]) -> list[Mention]:
        """Words that only absorb a number of the other side ("both", "decade", "noon")."""
        soft = self.words.soft
        if not soft:
            return []
        out = [
            Mention(m.start(), m.end(), m.group(), token.soft, kind=SOFT)
            for m, token in tokens
            if token.soft is not None and not inside(taken, m.start(), m.end())
        ]
        if self.words.soft_phrases is not None:
            for m in self.words.soft_phrases.finditer(text):
                value = soft.get(_fold(m.group()))
                if value is not None:
                    out.append(Mention(m.start(), m.end(), m.group(), value, kind=SOFT))
        return out

    def hides_numbers(self, text: str, mentions: tuple[Mention, ...]) -> bool:
        """Whether ``text`` has number-like material this reader could not read: a word that
        starts with a number word of the language, or CJK numerals outside every mention."""
        spans = [(m.start, m.end) for m in mentions]
        if self.lang in CJK_LANGS:
            return any(c in _NUMERAL_CLASS and not inside(spans, i, i + 1) for i, c in enumerate(text))
        stems = self._number_stems()
        if not stems:
            return not self.read_words
        for m in WORD_TOKEN_RE.finditer(text):
            if inside(spans, m.start(), m.end()):
                continue
            w = _fold(m.group())
            if len(w) > 4 and w not in self.words.excluded and (w.startswith(stems) or any(len(st) >= 5 and st in w for st in stems)) and self._word_value(m.group()) is None:
                return True
        return False

    def _number_stems(self) -> tuple[str, ...]:
        stems = getattr(self, "_stems", None)
        if stems is None:
            words = [w for w, v in self.words.forms.items() if v >= 2 and len(w) >= 4]
            stems = tuple(sorted({w[: max(4, len(w) - 2)] for w in words}))
            self._stems = stems
        return stems


ORDINAL_DIGITS_RE = re.compile(r"(\d+)(?:e|er|ème|º|ª|st|nd|rd|th|\.)$")


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \u00a0\"'«“‘(")
    return not before or before[-1] in ".!?:;"


def _text2num(phrase: str, lang: str) -> tuple[float, bool] | None:
    """A cardinal ("vingt-trois") with text2num, or an ordinal ("quatrième") with alpha2digit."""
    from text_to_num import alpha2digit, text2num  # deferred: 2 ms to import, and the check modules load with the CLI

    try:
        return float(text2num(phrase, lang)), False
    except (ValueError, TypeError):
        pass
    if "-" in phrase and " " not in phrase:
        # a hyphenated ordinal as a whole ("twenty-first", "dix-septième"), before its first part ("twenty")
        digits = ORDINAL_DIGITS_RE.match(alpha2digit(phrase, lang, threshold=0))
        if digits:
            return float(digits.group(1)), True
    parts = phrase.split("-")
    for n in range(len(parts) - 1, 0, -1):  # "four-years-old" by its number prefix
        try:
            return float(text2num("-".join(parts[:n]), lang)), False
        except (ValueError, TypeError):
            continue
    if " " in phrase:
        return None
    digits = ORDINAL_DIGITS_RE.match(alpha2digit(phrase, lang, threshold=0))
    return (float(digits.group(1)), True) if digits else None


def reader(ctx: CheckContext, lang: str) -> NumberReader:
    def load() -> NumberReader:
        return NumberReader(lang, shipped(ctx, "numbers.yaml"), shipped(ctx, "numbers_words.yaml"))

    return ctx.resource(f"numbers:{base_lang(lang)}", load)


@dataclass(slots=True)
class NumberComparison:
    mismatched: list[tuple[Mention, Mention]]
    missing: list[Mention]
    added: list[Mention]
    guessed: list[tuple[Mention, Mention]]  # changes found only by a second look (_pair_second_chance)


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
        src_reader = reader(ctx, ctx.src_lang)
        src = src_reader.read(pair.source_text)
        tgt = reader(ctx, ctx.tgt_lang).read(pair.target_text)
        found = _compare_mentions(src, tgt, pair.source_text, pair.target_text)
        if (found.added or found.guessed) and src_reader.hides_numbers(pair.source_text, src):
            found.added = []  # the source may say it in a way this reader does not know
        else:
            found.mismatched += found.guessed
        memo[key] = found
    return found


def _same_text(a: Mention, b: Mention) -> bool:
    return a.text == b.text


def _same_value_and_form(a: Mention, b: Mention) -> bool:
    """The same value, both in figures or both in words (Italian "2.000 $" pairs with "$2,000"
    before "secondo grado" does)."""
    return a.is_figure == b.is_figure and _same_value_and_kind(a, b)


def _same_value_and_kind(a: Mention, b: Mention) -> bool:
    """The same value, and not one an ordinal and the other a cardinal word ("toinen" pairs
    with "second" before "kahdessa" (in two) does)."""
    return _may_be_changed(a, b) and _same_value(a, b)


def _same_value(a: Mention, b: Mention) -> bool:
    """Some reading of ``a`` is some reading of ``b``; with a scale word on both sides, the
    scaled values ("20 Millionen" is not "20 billion")."""
    if a.scaled is not None and b.scaled is not None:
        return any(_close(x, y) for x in a.scaled for y in b.scaled)
    if (a.scaled is None) != (b.scaled is None):
        # a figure with a scale word against one without: the plain figure's own readings ("20
        # Millionen" is not the 20th century that "the 1980s" also names), and never an ordinal
        plain, other = (a, b) if a.scaled is None else (b, a)
        return not plain.ordinal and any(_close(x, y) for x in other.values for y in _own_values(plain))
    if a.quantity and a.quantity == b.quantity and a.si_value is not None and b.si_value is not None and a.unit_factor != b.unit_factor:
        return _converted(a, b.si_value, _rounding(b)) or _converted(b, a.si_value, _rounding(a))  # "5 cm" is not "5 inches"
    return any(_close(x, y) for x in a.values for y in b.values)


def _own_values(m: Mention) -> frozenset[float]:
    """The readings of a plain figure as written, without the years, decades, centuries and clock
    times it may also stand for."""
    if m.kind != FIGURE or not m.is_figure:
        return m.values
    figure = FIGURE_RE.search(normalize_digits(m.text))
    own = figure_values(figure.group()) if figure else set()
    return frozenset(own) if own else m.values


def _compare_mentions(src: tuple[Mention, ...], tgt: tuple[Mention, ...], src_text: str, tgt_text: str) -> NumberComparison:
    unmatched_src, unmatched_tgt, weak = _unpaired(src, tgt)
    src_parts, tgt_parts = _parts_needed(unmatched_src, unmatched_tgt), _parts_needed(unmatched_tgt, unmatched_src)
    if src_parts or tgt_parts:
        # a time that matched nothing as a whole: its hour and minute alone ("16:32" / "16-32")
        unmatched_src, unmatched_tgt, weak_parts = _unpaired(_explode(unmatched_src) if src_parts else unmatched_src, _explode(unmatched_tgt) if tgt_parts else unmatched_tgt)
        weak += weak_parts
    all_src, all_tgt = src + tuple(_explode(src)), tgt + tuple(_explode(tgt))
    fractions = [m for m in unmatched_src if m.kind == SOFT and min(m.values) < 1]
    # A conversion given alongside ("45 miles (72 kilometers)", "$200 billion (£150 billion)")
    # restates a figure in other units: not an addition or omission.
    unmatched_src = [m for m in unmatched_src if m.kind != SOFT and not _restated(m, all_tgt) and not _bracketed_restatement(src_text, m)]
    unmatched_tgt = [t for t in unmatched_tgt if t.kind != SOFT and not _restated(t, all_src) and not _bracketed_restatement(tgt_text, t)]
    # the seconds of a game clock ("27:37" for "27分37秒") or a group of a phone number
    unmatched_src = [m for m in unmatched_src if not _in_parts(m, tgt)]
    unmatched_tgt = [t for t in unmatched_tgt if not _in_parts(t, src)]
    unmatched_src, unmatched_tgt = _counts_that_add_up(src, tgt, src_text, tgt_text, unmatched_src, unmatched_tgt)
    pairs, rest_src, rest_tgt = _pair_changed(unmatched_src, unmatched_tgt)
    guessed = _pair_second_chance(weak, fractions, rest_tgt)
    # A left-over number word ("the two" for "die beiden") is too often a pronoun or an idiom
    # to report as missing or added, and so is one in any form ("1 zu 1", "Nr. 1", "1. Weltkrieg"
    # for "World War I"); they only count when paired with a changed number.
    # a small count ("2개", "2 goles") is rephrased ("a brace", "the return match") more often than dropped
    missing = [m for m in rest_src if _reportable(m) and (m.quantity or m.scaled or m.kind == TIME or max(m.values) >= 10) and not _one_of_a_unit(m)]
    if missing and WEEKDAY_RE.search(tgt_text):
        missing = [m for m in missing if not _day_of_month(src, m)]  # "le 29 septembre" for "on Saturday"
    # A count of two with a CJK counter ("2개의 금메달", "2人", "2つに割れ") renders a word of the source
    # ("the pair", "both", "divided") far more often than it adds a number, as a small count left out
    # is not reported missing either.
    added = [m for m in rest_tgt if _reportable(m) and not (max(m.values) <= 2 and CJK_COUNTER_RE.match(tgt_text, m.end)) and not _one_of_a_unit(m)]
    if added and WEEKDAY_RE.search(src_text):
        added = [m for m in added if not _day_of_month(tgt, m)]  # the other way: "on Saturday" dated "le 29 septembre"
    return NumberComparison(pairs, missing, added, guessed)


LIST_SEPARATOR_RE = re.compile(r"\s*(?:,|;)?\s*(?:(?:and|und|et|y|e|i|или|и|і|та|ve|ja|en|och|και|ו|و|và)\s+)?")


def _counted_figures(mentions: tuple[Mention, ...], text: str) -> list[tuple[Mention, Mention]]:
    """A count word right before a figure, which the other side may give as a list ("two 18-year-olds"
    for "18, 18"): (count, figure)."""
    out = []
    for a, b in itertools.pairwise(mentions):
        if a.kind == WORD and not a.is_figure and not a.ordinal and len(a.values) == 1 and 2 <= min(a.values) <= 9 and b.is_figure and b.kind == FIGURE and not text[a.end : b.start].strip():
            out.append((a, b))
    return out


def _listed(mentions: tuple[Mention, ...], text: str, count: Mention) -> bool:
    """Whether the numbers right after a count word in the same sentence are a list of that many
    figures ("the four young men, aged 17, 18, 18 and 20"), a count word before a figure counting as its number."""
    after = [m for m in mentions if m.start >= count.end and "." not in text[count.end : m.start].replace("..", "")]
    n, previous = 0.0, None
    for m in after:
        if previous is not None and LIST_SEPARATOR_RE.fullmatch(text, previous.end, m.start) is None:
            break
        if m.kind == WORD and not m.is_figure and len(m.values) == 1 and not text[m.end : m.end + 1].strip() and any(x.start == m.end + 1 and x.is_figure for x in after):
            n += min(m.values) - 1  # "two 18-year-olds": the 18 follows
            previous = m
            continue
        if not m.is_figure or m.kind != FIGURE:
            break
        n += 1
        previous = m
    return n >= 2 and n == min(count.values)


def _counts_that_add_up(src: tuple[Mention, ...], tgt: tuple[Mention, ...], src_text: str, tgt_text: str,
                        unmatched_src: list[Mention], unmatched_tgt: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Counts said as a list on one side: "zwei 18-Jährige" for "18, 18" (the count word and the
    repeated figure), and "the four young men, aged 17, 18, 18 and 20" (the count of the list)."""
    drop: set[int] = set()
    unlisted: dict[int, int] = {}  # side -> its left-over count words that count no list
    for k, (mentions, text, own) in enumerate(((src, src_text, unmatched_src), (tgt, tgt_text, unmatched_tgt))):
        for m in own:
            if m.kind == WORD and not m.is_figure and not m.ordinal and len(m.values) == 1 and 2 <= min(m.values) <= 12:
                if _listed(mentions, text, m):
                    drop.add(id(m))
                else:
                    unlisted[k] = unlisted.get(k, 0) + 1
    for k, (mentions, text, own, other) in enumerate(((src, src_text, unmatched_src, unmatched_tgt), (tgt, tgt_text, unmatched_tgt, unmatched_src))):
        for count, figure in _counted_figures(mentions, text):
            repeats = [o for o in other if id(o) not in drop and o.kind == FIGURE and _same_value(o, figure)]
            # as often as the count says, and not when the other side has a count of its own left ("five young
            # men, aged 17, 18, 18 and 20" for "zwei 18-Jährige": "zwei" is then the changed count)
            if len(repeats) == min(count.values) - 1 and any(x is count for x in own) and not unlisted.get(1 - k):
                drop |= {id(count)} | {id(o) for o in repeats}
    if not drop:
        return unmatched_src, unmatched_tgt
    return [m for m in unmatched_src if id(m) not in drop], [t for t in unmatched_tgt if id(t) not in drop]


def _pair_second_chance(weak: list[tuple[Mention, Mention]], fractions: list[Mention], rest_tgt: list[Mention]) -> list[tuple[Mention, Mention]]:
    """Changed numbers that only a loose reading hid, paired with a number the target has left
    over (taken out of ``rest_tgt``; only kept when the source hides no number, as for A203): a
    source cardinal that an absorbing word or an ordinal of the target took ("vor zwei Jahren" /
    "both chains five years ago": "zwei" is not "both", "five" is its change; "ve dvou
    prodejnách" / "five stores ... a second"), with a left-over cardinal in the same form (a CJK
    count in any: "2つ" / "five") away from that word ("tens of thousands" is one phrase), and a fraction of the source left over against
    a fraction of the target ("die obere Hälfte" / "the top third of")."""
    pairs: list[tuple[Mention, Mention]] = []
    for s, taker in weak:
        hit = next((t for t in rest_tgt if not (t.code or t.century or t.ordinal) and (t.is_figure == s.is_figure or (s.is_figure and s.ordinal is False)) and t.values != frozenset({0.0})
                    and (t.end <= taker.start - 5 or t.start >= taker.end + 5) and _may_be_changed(s, t)), None)
        if hit is not None:
            pairs.append((s, hit))
            rest_tgt.remove(hit)
    for s in fractions:
        # a fraction of the target, or an ordinal word that may name one ("the second third" for "drugą połowę"; not "second")
        hit = next((t for t in rest_tgt if t.kind == WORD and t.ordinal and (min(t.values) < 1 or (not t.is_figure and 3 <= min(t.values) <= 10))), None)
        if hit is not None:
            pairs.append((s, hit))
            rest_tgt.remove(hit)
    return pairs


def _pair_changed(src: list[Mention], tgt: list[Mention]) -> tuple[list[tuple[Mention, Mention]], list[Mention], list[Mention]]:
    """Pairs of left-over source and target numbers, in order: one was changed into the other.
    Model codes do not pair, and neither do an ordinal word and a cardinal word ("the final
    third" is no changed "otuz" (thirty))."""
    pairs: list[tuple[Mention, Mention]] = []
    rest_src: list[Mention] = []
    free = [t for t in tgt if not t.code and t.values != frozenset({0.0})]
    for s in src:
        hit = None if s.code or s.values == frozenset({0.0}) else next((t for t in free if _may_be_changed(s, t)), None)
        if hit is None:
            rest_src.append(s)
        else:
            pairs.append((s, hit))
            free.remove(hit)
    return pairs, rest_src, [t for t in tgt if t.code or t in free]


def _may_be_changed(s: Mention, t: Mention) -> bool:
    """Not an ordinal word of the target for a cardinal word of the source ("the final third"
    for "son otuz dakika"; the other way round translators do write: "čtvrtý" for "four of"),
    and a one only with a figure (the source's "1つ" is no changed "a second"); nor a cardinal word of
    the target for an ordinal word of the source ("a fourth meeting between the sides": "los dos
    equipos", "Oba týmy"), as the translation's "two" or "both" renders another word."""
    if ONE in (s.values, t.values) and not (s.is_figure and t.is_figure):
        return False
    if s.ordinal and t.ordinal is False and not (s.is_figure or t.is_figure):
        return False
    return not (t.ordinal and s.ordinal is False)


def _restated(m: Mention, other_side: Iterable[Mention]) -> bool:
    """A measurement the other side gives too, in its own units as well as converted."""
    return any((m.quantity or o.quantity) and m.matches(o) for o in other_side)


def _in_parts(m: Mention, other_side: Iterable[Mention]) -> bool:
    return any(o.kind == FIGURE and any(_same_value(m, p) for p in o.parts) for o in other_side)


def _parts_needed(side: list[Mention], other: list[Mention]) -> bool:
    """Whether a left-over time or grouped figure should be matched by its parts: when the other
    side has left-over numbers that are not whole times ("16-32" for "16:32")."""
    return any(m.parts for m in side) and any(o.kind not in (SOFT, TIME) for o in other)


def _explode(mentions: Iterable[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        out.extend(m.parts or (m,))
    return out


def _day_of_month(mentions: tuple[Mention, ...], m: Mention) -> bool:
    """Whether ``m`` is the day next to a month name (or a numeric date's day or month)."""
    if m.kind == DATE:
        return True
    return any(x.kind == SOFT and (0 <= x.start - m.end <= 4 or 0 <= m.start - x.end <= 4) for x in mentions) and min(m.values) <= 31


def _unpaired(src: Iterable[Mention], tgt: Iterable[Mention]) -> tuple[list[Mention], list[Mention], list[tuple[Mention, Mention]]]:
    """The mentions left when source and target mentions are paired off, each with the first
    unpaired one on the other side it matches (absorbing words last), and the source numbers
    that only an absorbing word or an ordinal of the target took, each with what took it
    ("dvou prodejnách" and "a second opens")."""
    unmatched_src = sorted(src, key=lambda m: (m.kind == SOFT, m.century))
    unmatched_tgt = sorted(tgt, key=lambda m: (m.kind == SOFT, m.century))
    weak: list[tuple[Mention, Mention]] = []
    # Same text first, then the same value, then converted units ("72 Kilometer" must pair
    # with "72 kilometers", not with the "45 miles" before it).
    for same in (_same_text, _same_value_and_form, _same_value_and_kind, _same_value, Mention.matches):
        for s in list(unmatched_src):
            hit = next((t for t in unmatched_tgt if same(s, t)), None)
            if hit is not None:
                unmatched_src.remove(s)
                unmatched_tgt.remove(hit)
                if (hit.kind == SOFT or (hit.ordinal and s.ordinal is False)) and s.kind in (WORD, FIGURE) and not (s.code or s.century or s.quantity or s.ordinal):
                    weak.append((s, hit))
    return sorted(unmatched_src, key=lambda m: m.start), sorted(unmatched_tgt, key=lambda m: m.start), weak


def _reportable(m: Mention) -> bool:
    """Whether a left-over mention is reported alone (as missing or added): a figure, not one,
    zero, a code, a name's number ("Nord Stream 2", "Livi 11") or a century."""
    return m.kind in (FIGURE, TIME) and m.is_figure and not (m.code or m.named or m.century) and m.values not in (frozenset({1.0}), frozenset({0.0}))


RESTATEMENT_RE = re.compile(r"(?:\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|million|billion))[^\d()]{0,25}\(\s*[^\w\s()]{0,2}$", re.IGNORECASE)


def _bracketed_restatement(text: str, mention: Mention) -> bool:
    return bool(RESTATEMENT_RE.search(text, max(0, mention.start - 40), mention.start))


def _comparison_key(pair: AlignedPair) -> tuple[str, str]:
    return pair.source_text, pair.target_text


def _release(ctx: CheckContext, pair: AlignedPair) -> None:
    ctx.resource("numbers:comparisons", dict).pop(_comparison_key(pair), None)


@rule("A201", "number-mismatch", category="accuracy/mistranslation", severity="major")
def number_mismatch(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A number in the target whose value differs from the source's ("6.4 million" for "6,3
    Millionen", "nine days" for "tres días").

    Why: a changed figure is a serious accuracy error that fluent output hides. Numbers compare
    by value across conventions and notations (6,3 = 6.3; 10.000 = 10,000; "zwei" = 2;
    "6,3 Millionen" = 6,300,000; "326万" = 3.26 million; "siglo XV" = "15th century"; "17.30" =
    "5.30pm"; "65 kilómetros" ~ "40 miles"), so only real differences are reported. When the
    source has an unmatched number and the target has one too, the pair is reported here, not
    as missing plus added.

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
    rendered by "two" or "2") but are not reported alone, and one, in words or as "1", is not
    reported because it is so often an article or an idiom ("1 zu 1", "Nr. 1"); nor is a day of
    the month when the target names the weekday instead.

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
    misaligned segment. Only reported when the source has no number-like word the reader could
    not read (a compound such as Polish "trzydziestoletni" or a CJK numeral outside every number
    found), so that a number said another way is not taken for an addition.

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
