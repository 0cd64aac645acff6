"""Planting functions for eval/into_planted.py: errors put into a clean en->X target (issue 18's types).

Each planter takes the pair (source = English, target = translation into ``lang``) and a context
and returns (new target, what was changed), or None when the type cannot be planted in that line.
Name and place tables are the shipped ones (pipeline/data/names/lexicon.yaml and exonyms.tsv) and
CLDR's territory names (babel); quotation conventions are pipeline/data/locale/quotes.yaml's, and
CLDR's delimiters for the languages that file leaves out; decimal and group marks are CLDR's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from fluency_data import ROOT
from into_pairs import UNSPACED
from ntrex_pairs import Pair
from planted_errors import _source_span

NAMES_DIR = ROOT / "pipeline" / "data" / "names"
# Rows of exonyms.tsv that are not Russian, Ukrainian or other former-Soviet places: the "exonym"
# type (München -> Munich); the other rows belong to the "name_english" type with the people.
NOT_SOVIET = {"Munich", "Cologne", "Nuremberg", "Vienna", "Zurich", "Geneva", "Lucerne", "Prague", "Warsaw", "Krakow", "Gdansk",
              "Wroclaw", "Rome", "Milan", "Venice", "Naples", "Florence", "Genoa", "Brussels", "Antwerp", "The Hague", "Copenhagen",
              "Lisbon", "Athens", "Belgrade", "Bucharest", "Beijing", "Tehran", "Cairo", "Damascus", "London", "Strasbourg", "Nice",
              "Gothenburg", "Aachen", "Mainz", "Yugoslavia", "Swaziland"}
# Languages whose words take case endings: a name is matched with its ending ("Москве", "Saksassa").
INFLECTING = {"ru", "uk", "kk", "el", "pl", "cs", "fi", "tr"}
WRONG_QUOTES = (("„", "“"), ("“", "”"), ("«", "»"), ("「", "」"))
_QUOTED = re.compile(r"([\"“”„«»「『])([^\"“”„«»「」『』\n]{2,300}?)([\"“”«»」』])")


@dataclass
class Tables:
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # lang -> (target form, English form)
    exonyms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def is_word(token: str) -> bool:
    """Letters only, combining marks included (Devanagari vowel signs are not str.isalpha())."""
    return bool(token) and token[0].isalpha() and all(c.isalpha() or unicodedata.category(c).startswith("M") for c in token)


def _forms(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@cache
def tables() -> Tables:
    import yaml  # deferred: only the planting needs the name tables
    from babel import Locale  # deferred: CLDR territory names

    out = Tables()
    lexicon = yaml.safe_load((NAMES_DIR / "lexicon.yaml").read_text(encoding="utf-8"))["names"]
    for entry in lexicon:
        if "en" not in entry:
            continue
        english = _forms(entry["en"])
        for lang, value in entry.items():
            if lang == "en":
                continue
            for form in _forms(value):
                if form not in english:
                    out.names.setdefault(lang, []).append((form, english[0]))
    rows = [line.split("\t") for line in (NAMES_DIR / "exonyms.tsv").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = rows[0]
    for row in rows[1:]:
        english = row[0].split("|")
        kind = out.exonyms if english[0] in NOT_SOVIET else out.names
        for lang, cell in zip(header[1:], row[1:]):
            for form in cell.split("|"):
                if form and form not in english:
                    kind.setdefault(lang, []).append((form, english[0]))
    en_territories = Locale("en").territories
    for lang in ("ar", "cs", "de", "el", "es", "fi", "fr", "he", "hi", "it", "ja", "kk", "ko", "nl", "pl", "pt", "ru", "tr", "uk", "vi", "zh"):
        for code, name in Locale(lang).territories.items():
            in_english = en_territories.get(code)
            if code.isalpha() and in_english and name != in_english and len(name) >= 2 and " " not in in_english:
                out.exonyms.setdefault(lang, []).append((name, in_english))
    return out


def _name_site(text: str, form: str, lang: str) -> re.Match[str] | None:
    if lang in UNSPACED or lang == "ko":
        at = text.find(form)
        return re.compile(re.escape(form)).search(text, at) if at >= 0 else None
    stem = form
    ending = ""
    if lang in INFLECTING:
        ending = r"\w{0,3}"
        if len(form) > 4 and form[-1].lower() in "аяеоийьуыаєіaeiouyαηοςιά":
            stem = form[:-1]
    return re.search(r"(?<!\w)" + re.escape(stem) + ending + r"(?!\w)", text)


def _replace_name(p: Pair, table: list[tuple[str, str]], lang: str) -> tuple[str, str] | None:
    found = []
    for form, english in table:
        m = _name_site(p.target, form, lang)
        # The English form must be in the source: the planted name is what the source names.
        if m is not None and english in p.source and english not in p.target:
            found.append((m.start(), -len(m.group(0)), m, english))
    if not found:
        return None
    _, _, m, english = min(found, key=lambda f: (f[0], f[1]))
    return p.target[: m.start()] + english + p.target[m.end() :], f"{m.group(0)} -> {english}"


def plant_name(p: Pair, lang: str) -> tuple[str, str] | None:
    """A Russian/Ukrainian person or place in the target's form replaced by the English form (Selenskyj -> Zelensky)."""
    return _replace_name(p, tables().names.get(lang, []), lang)


def plant_exonym(p: Pair, lang: str) -> tuple[str, str] | None:
    """A place with its own name in the target language replaced by the English name (München -> Munich)."""
    return _replace_name(p, tables().exonyms.get(lang, []), lang)


def plant_english_phrase(p: Pair, lang: str) -> tuple[str, str] | None:
    """3-5 words of the English source put in place of target words (or inserted mid-line in zh/ja)."""
    span = _source_span(p, "en")
    if span is None:
        return None
    if lang in UNSPACED:
        cut = [k for k, c in enumerate(p.target) if c in "，、,"]
        at = cut[len(cut) // 2] + 1 if cut else len(p.target) // 2
        return p.target[:at] + span + p.target[at:], f"inserted '{span}'"
    words = p.target.split(" ")
    if len(words) < 8:
        return None
    at = len(words) // 2
    return " ".join([*words[:at], span, *words[at + 3 :]]), f"'{' '.join(words[at:at + 3])}' -> '{span}'"


_ENGLISH_WORD = re.compile(r"(?<![\w'-])[a-z]{6,}(?![\w'-])")


def plant_english_word(p: Pair, lang: str) -> tuple[str, str] | None:
    """One target word replaced by a long English content word of the source (in zh/ja: inserted after a comma)."""
    from wordfreq import zipf_frequency  # deferred: only this planter

    low = p.target.lower()
    choices = [w for w in _ENGLISH_WORD.findall(p.source) if w not in low and zipf_frequency(w, "en") >= 3.0]
    if not choices:
        return None
    word = max(choices, key=len)
    if lang in UNSPACED:
        cut = [k for k, c in enumerate(p.target) if c in "，、,"]
        at = cut[0] + 1 if cut else len(p.target) // 2
        return p.target[:at] + word + p.target[at:], f"inserted '{word}'"
    words = p.target.split(" ")
    sites = [k for k, w in enumerate(words) if k > 0 and is_word(w) and len(w) >= 4 and not w[0].isupper()]
    if not sites:
        return None
    k = sites[len(sites) // 2]
    return " ".join([*words[:k], word, *words[k + 1 :]]), f"'{words[k]}' -> '{word}'"


@cache
def quote_openers(lang: str) -> set[str]:
    import yaml  # deferred: only this planter

    table = yaml.safe_load((ROOT / "pipeline" / "data" / "locale" / "quotes.yaml").read_text(encoding="utf-8"))
    entry = table[lang]  # every target has its conventions there (CLDR's, and what its translators use)
    return {q[0] for q in [entry["primary"], entry["alternate"], *entry.get("accepted", [])]}


def wrong_quotes(lang: str) -> tuple[str, str]:
    """The first of „…“, “…”, «…», 「…」 whose opening mark the target language does not use."""
    openers = quote_openers(lang)
    return next(q for q in WRONG_QUOTES if q[0] not in openers)


def plant_quotes(p: Pair, lang: str) -> tuple[str, str] | None:
    """The target's first quotation (any marks, straight ones too) put in another locale's marks; a line
    without one gets 2-3 words quoted with them (Chinese/Japanese: 4 characters)."""
    start, end = wrong_quotes(lang)
    m = _QUOTED.search(p.target)
    if m:
        new = p.target[: m.start()] + start + m.group(2).strip(" \u00a0\u202f") + end + p.target[m.end() :]
        return new, f"{m.group(1)}{m.group(2)[:20]}{m.group(3)} -> {start}…{end}"
    if lang in UNSPACED:
        letters = [k for k, c in enumerate(p.target) if c.isalpha()]
        if len(letters) < 12:
            return None
        at = letters[len(letters) // 2]
        if not p.target[at : at + 4].isalpha():
            return None
        return p.target[:at] + start + p.target[at : at + 4] + end + p.target[at + 4 :], f"quoted '{p.target[at:at + 4]}' with {start}…{end}"
    words = p.target.split(" ")
    at = len(words) // 2
    if len(words) < 6 or not all(is_word(w) for w in words[at : at + 2]):
        return None
    quoted = " ".join(words[at : at + 2])
    return " ".join([*words[:at], start + quoted + end, *words[at + 2 :]]), f"quoted '{quoted}' with {start}…{end}"


@cache
def number_marks(lang: str) -> tuple[str, str]:
    from babel import Locale  # deferred: CLDR number symbols

    symbols = Locale(lang).number_symbols
    latn = symbols.get("latn", symbols)
    return latn["decimal"], latn["group"]


def _english_thousands(number: str, decimal: str, source: str) -> bool:
    """Whether a target number read as a decimal ("4,000", "20.000": three digits after the mark) is the
    source's thousands with their grouping mark: the translation kept the source's convention, and
    swapping its mark would write the target's correct form, not plant an error."""
    whole, _, fraction = number.partition(decimal)
    return len(fraction) == 3 and re.search(r"(?<![\d.,])" + whole + r"[,\u00a0\u202f ]" + fraction + r"(?!\d)", source) is not None


def plant_number_marks(p: Pair, lang: str) -> tuple[str, str] | None:
    """A decimal or grouped number of the target written in the other convention (2,5 -> 2.5 and
    1.234 -> 1,234 in German, 1 234 -> 1,234 in French, 2.5 -> 2,5 and 1,234 -> 1.234 in Chinese)."""
    decimal, group = number_marks(lang)
    other_decimal = "." if decimal == "," else ","
    groups = {group, " ", "\u00a0", "\u202f"} if group in " \u00a0\u202f" else {group}
    grouped = re.compile(r"(?<![\d.,])\d{1,3}(?:[" + re.escape("".join(groups)) + r"]\d{3})+(?![\d]|[.,]\d)")
    decimal_number = re.compile(r"(?<![\d.,])\d+" + re.escape(decimal) + r"\d+(?![\d]|[.,]\d)")
    m = decimal_number.search(p.target)
    if m and _english_thousands(m.group(0), decimal, p.source):
        m = None  # "4,000" copied from the source into a Vietnamese target is a slip already: "4.000" would be the correct form
    if m:
        new = m.group(0).replace(decimal, other_decimal)
        return p.target[: m.start()] + new + p.target[m.end() :], f"{m.group(0)} -> {new}"
    m = grouped.search(p.target)
    if m:
        # the other convention's grouping mark: a comma, or a point where the target groups with commas
        # (the target's decimal mark is no choice: German, Vietnamese ... decimal "," would leave "1.234" as it is)
        new = re.sub("[" + re.escape("".join(groups)) + "]", "." if group == "," else ",", m.group(0))
        return p.target[: m.start()] + new + p.target[m.end() :], f"{m.group(0)!r} -> {new}"
    return None


def plant_doubled(p: Pair, lang: str) -> tuple[str, str] | None:
    """A word of >= 3 letters written twice (not in zh/ja: no words between spaces to double)."""
    if lang in UNSPACED:
        return None
    words = p.target.split(" ")
    choices = [k for k, w in enumerate(words) if k > 0 and len(w) >= 3 and is_word(w) and not w[0].isupper()]
    if not choices:
        return None
    k = choices[len(choices) // 2]
    return " ".join([*words[: k + 1], words[k], *words[k + 1 :]]), f"doubled '{words[k]}'"


def plant_misspelling(p: Pair, lang: str) -> tuple[str, str] | None:
    """Two adjacent letters swapped inside the line's longest lower-case word (>= 7 letters; Korean >= 4,
    Vietnamese >= 5), or a letter dropped where swapping changes nothing (not in zh/ja).

    Vietnamese writes one syllable a word and few syllables reach 7 letters, so its longest syllable
    of 5 letters or more ("người", "trường") takes the swap: as elsewhere, a slip of the finger inside a
    word. A tone mark dropped or changed is how Vietnamese is also misspelt, but it mostly makes
    another real syllable ("người" -> "ngươi"), an error only context can tell, like English
    "form" for "from", which no language's spelling check is asked to find here."""
    if lang in UNSPACED:
        return None
    least = {"ko": 4, "vi": 5}.get(lang, 7)
    words = [(m.start(), m.group(0)) for m in re.finditer(r"[\w\u0900-\u097f]+", p.target) if is_word(m.group(0)) and len(m.group(0)) >= least and not m.group(0)[0].isupper()]
    if not words:
        return None
    at, word = max(words, key=lambda w: (len(w[1]), -w[0]))
    mid = len(word) // 2
    swapped = word[: mid - 1] + word[mid] + word[mid - 1] + word[mid + 1 :] if word[mid] != word[mid - 1] else word[:mid] + word[mid + 1 :]
    return p.target[:at] + swapped + p.target[at + len(word) :], f"{word} -> {swapped}"


PLANTERS: dict[str, Callable[[Pair, str], tuple[str, str] | None]] = {
    "name_english": plant_name,
    "exonym_english": plant_exonym,
    "english_phrase": plant_english_phrase,
    "english_word": plant_english_word,
    "quotes": plant_quotes,
    "number_marks": plant_number_marks,
    "word_doubled": plant_doubled,
    "misspelling": plant_misspelling,
}
