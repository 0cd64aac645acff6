"""Name checks (N1): romanization conventions, exonyms, consistency of names.

All four rules share one :class:`~pipeline.names.detect.NameAnalyzer` per run (conventions, the
curated lexicon, CLDR places through babel, wordfreq lists), built through ``ctx.resource``.

Options (``checks.options.<rule name>``; a lexicon named for any of the four rules applies to all):
    lexicon: path (or list of paths) of a user lexicon, see configs/names-lexicon.example.yaml
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..model import AlignedPair
from ..names.conventions import ReverseIndex, load_conventions
from ..names.detect import (
    LANGUAGE_NAMES,
    Frequencies,
    NameAnalyzer,
    Verdict,
    candidate_tokens,
    cyrillic_key,
    latin_target,
    recase,
    sentence_initial,
    source_cyrillic_names,
    words_of,
)
from ..names.lexicon import CYRILLIC_LANGS, build_lexicon
from .coverage import LATIN_SOURCE_CLDR, LATIN_SOURCE_ROMANIZATION, TARGET_ROMANIZATION
from .registry import CheckContext, Finding, RuleOptions, rule

RULE_NAMES = ("foreign-romanization", "exonym", "cyrillic-name-rendering", "name-inconsistent")
CATEGORY = "locale-convention/name-format"


class NameOptions(RuleOptions):
    # user name lexicon file(s), see configs/names-lexicon.example.yaml; any of the name rules may hold it
    lexicon: str | list[str] | None = None


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def _user_lexicons(ctx: CheckContext) -> tuple[str, ...]:
    paths: list[str] = []
    for name in RULE_NAMES:
        value = ctx.settings(name, NameOptions).lexicon
        if isinstance(value, str):
            paths.append(value)
        elif isinstance(value, list):
            paths += value
    return tuple(dict.fromkeys(paths))


def analyzer(ctx: CheckContext) -> NameAnalyzer:
    """The run's name analyzer (built once per language pair and lexicon set)."""
    src, tgt = _base(ctx.src_lang), _base(ctx.tgt_lang)
    user = ctx.resource("names.user_lexicons", lambda: _user_lexicons(ctx))
    key = f"names.analyzer:{src}:{tgt}:{'|'.join(user)}"
    freq = ctx.resource("names.frequencies", Frequencies)

    def load() -> NameAnalyzer:
        # Every word list the checks may consult, loaded now: the engine builds the analyzer before
        # it forks its workers, which then share the tables instead of each reading its own.
        for lang in dict.fromkeys([src, tgt, *CYRILLIC_LANGS]):
            freq.table(lang)
        return NameAnalyzer(src, tgt, build_lexicon([src, tgt], user), freq=freq)

    return ctx.resource(key, load)


def _in_source(word: str, source_words: frozenset[str]) -> bool:
    """Copied from the source, allowing a short inflectional ending there ("Selenskyjs")."""
    if word in source_words:
        return True
    return any(w.startswith(word) and len(w) - len(word) <= 2 for w in source_words)


def _message(v: Verdict, tgt: str) -> str:
    lang = LANGUAGE_NAMES.get(tgt, tgt)
    if v.reason == "no-convention":
        return f"'{v.spelling}' follows no known romanization convention; {lang} writes '{v.suggestion}'"
    return f"'{v.spelling}': {v.convention}; {lang} writes '{v.suggestion}'"


def _finding(v: Verdict, start: int, end: int, tgt: str) -> Finding:
    data: dict[str, Any] = {"convention": v.convention, "evidence": v.reason}
    if v.cyrillic:
        data["cyrillic"] = v.cyrillic
    if v.alternatives:
        data["accepted"] = list(v.alternatives)
    return Finding(start, end, _message(v, tgt), suggestion=v.suggestion, data=data)


def _rendered_elsewhere(suggestion: str, text: str) -> bool:
    """The target also writes the place as the target language does ("Napoli ... in Naples"): the
    foreign form names something else there (the football club SSC Napoli)."""
    return bool(suggestion) and re.search(rf"\b{re.escape(suggestion)}\b", text) is not None


QUOTATION_RE = re.compile(r"[«“„\"]([^«»“”„\"]{2,200})[»”“\"]")


def _copied_quotations(text: str, source: str) -> list[tuple[int, int]]:
    """Spans of quotations in the target copied letter for letter from the source (titles kept in English)."""
    return [m.span(1) for m in QUOTATION_RE.finditer(text) if m.group(1).strip() in source]


def _target_uses(names: NameAnalyzer, tgt: str, src: str, form: str, own: str) -> bool:
    """Whether a Latin-script target language writes the source's form of a place itself: at least
    0.3 times as often as its own name, and not only as English quoted in its texts (at least 0.15
    times as often as the source language writes it; wordfreq); never a form that only lacks the
    diacritics of the target's own name."""
    if _plain(form) == _plain(own):
        return False  # only the target's diacritics left out ("Taiwan" for "Taïwan"): its word list counts its own name typed without them
    f_form = names.freq(tgt, form)
    # (a form the word list does not hold, as every name of two words or more, is no evidence of use:
    # "The Hague" in a French text was let through as 0 >= 0.3 * 0)
    return f_form > 0 and f_form >= 0.3 * names.freq(tgt, own) and f_form >= 0.15 * names.freq(src, form)


def _plain(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Homonym:
    """A source-language place name that the target language writes for another place: English
    "Mexico" is French "Mexique", and French "Mexico" is Mexico City."""

    form: str
    suggestion: str  # the target's name of the place the source means
    other: tuple[str, ...]  # the source language's names of the place the target's form names
    pattern: re.Pattern[str]


def _homonyms(names: NameAnalyzer) -> list[Homonym]:
    """Source forms of places (CLDR, exonyms.tsv) that the exonym index leaves out because the target
    writes the same form for a place the source language names otherwise."""
    src, tgt = names.src, names.tgt
    by_target_form: dict[str, list[Any]] = {}
    for entry in names.lexicon.entries:
        if entry.kind == "place":
            for form in entry.forms.get(tgt, ()):
                by_target_form.setdefault(form.casefold(), []).append(entry)
    found: dict[str, Homonym] = {}
    for entry in names.lexicon.entries:
        own = entry.preferred(tgt) if entry.kind == "place" else None
        if not own:
            continue
        for form in entry.forms.get(src, ()):
            others = by_target_form.get(form.casefold(), [])
            if entry.accepts(tgt, form) or not others or any(o.accepts(src, form) or not o.forms.get(src) for o in others):
                continue
            other = tuple(dict.fromkeys(f for o in others for f in o.forms[src]))
            found.setdefault(form, Homonym(form, own, other, re.compile(rf"(?<![^\W\d_]){re.escape(form)}(?![^\W\d_])")))
    return list(found.values())


def _homonym_matches(homonyms: list[Homonym], pair: AlignedPair, titles: list[tuple[int, int]]) -> Iterator[tuple[int, int, Homonym]]:
    """A homonym in the target where the source names the place it means and never the other one
    ("Mexico" for "across Mexico", not for "Mexico City"), standing alone in the target (not in a
    longer name) and outside a quotation copied from the source."""
    text, source = pair.target_text, pair.source_text
    for h in homonyms:
        if h.form not in text or h.form not in source or any(o in source for o in h.other):
            continue
        if not h.pattern.search(source):
            continue
        for m in h.pattern.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in titles) or _next_to_capitalised(text, m.start(), m.end()):
                continue
            yield m.start(), m.end(), h


_CAPITALISED_AFTER = re.compile(r"[ -][A-Z]")


def _next_to_capitalised(text: str, start: int, end: int) -> bool:
    """A capitalised word right before (not opening the sentence) or after: part of a longer name."""
    before = text[max(0, start - 40) : start]
    m = re.search(r"([^\W\d_]+)[ -]$", before)
    if m and m.group(1)[:1].isupper() and not sentence_initial(text, start - len(before) + m.start(1)):
        return True
    return _CAPITALISED_AFTER.match(text, end) is not None


def _latin_source(ctx: CheckContext) -> bool:
    return _base(ctx.src_lang) not in CYRILLIC_LANGS


# A Latin-script name left in a Russian or Ukrainian target ("Kryuchkov также отметил"): flagged when
# the source has it, a source-language romanization of the target's script reads it as a Cyrillic
# word the target language writes (wordfreq) at least this often ...
LEFT_LATIN_MIN_CYRILLIC = 1e-7
# ... and the target language writes the Latin form itself at most this share as often (Russian texts
# keep "Lidl" and "Anadolu" in Latin letters: both spellings are common there).
LEFT_LATIN_MAX_SHARE = 0.02
# A name copied into another Latin-script target: its Cyrillic reading must be this many times as frequent
# (in Russian or Ukrainian) as the spelling is in the source language, a Russian or Ukrainian name more
# than a name of the source's own ("Georgy" 66x, "Borisov" 24x; "Ian", "Khan", "Alvin", "Tania" <= 10x).
COPIED_CYRILLIC_RATIO = 20.0
_QUOTES = "\"'«»“”„‘’"
_LATIN_RUN = re.compile(r"[A-Za-z]+(?:[-'’.&][A-Za-z]+)*(?:\s+[A-Za-z]+(?:[-'’.&][A-Za-z]+)*)*")


class ReadBack:
    """A source-language romanization read back into Cyrillic (Russian, Ukrainian or both), one verdict
    per word and run: the most frequent attested reading, with the convention that produces it."""

    def __init__(self, names: NameAnalyzer, scripts: tuple[str, ...]) -> None:
        self.names = names
        self.by_script = {s: [c for c in names.src_convs if c.script == s] for s in scripts}
        self.index = {s: ReverseIndex(convs) for s, convs in self.by_script.items() if convs}
        self._cache: dict[str, Verdict | None] = {}

    def verdict(self, word: str) -> Verdict | None:
        if word not in self._cache:
            low = word.lower()
            self._cache[word] = self._judge(word, low, self.reading(low)) if low.isascii() and low.isalpha() and not self._skip(low) else None
        return self._cache[word]

    def reading(self, low: str) -> tuple[float, str, str, str]:
        """(frequency, Cyrillic spelling, script, convention label) of the best reading; frequency 0: none."""
        best: tuple[float, str, str, str] = (0.0, "", "", "")
        for script, index in self.index.items():
            for cyr in index.parse(low):
                producing = next((c for c in self.by_script[script] if c.produces(cyr, low)), None)
                if producing is not None:
                    freq, spelled = self.names.cyrillic_attested(cyr, script)
                    best = max(best, (freq, spelled, script, producing.label))
        return best

    def _skip(self, low: str) -> bool:
        """Cheap reasons to judge no further (before the reading is searched)."""
        return False

    def _judge(self, word: str, low: str, reading: tuple[float, str, str, str]) -> Verdict | None:
        raise NotImplementedError


class LeftInLatin(ReadBack):
    """Latin-script names of the source left in a Cyrillic target, read back into the target's script
    by the source language's romanizations of it (English: BGN/PCGN, press style, passport, KMU 2010)."""

    def __init__(self, names: NameAnalyzer, tgt: str) -> None:
        super().__init__(names, (tgt,))
        self.tgt = tgt

    def _judge(self, word: str, low: str, reading: tuple[float, str, str, str]) -> Verdict | None:
        freq, spelled, _, label = reading
        if freq < LEFT_LATIN_MIN_CYRILLIC or self.names.freq(self.tgt, low) > LEFT_LATIN_MAX_SHARE * freq:
            return None
        return Verdict(word, recase(word, spelled), label, "left-in-latin", spelled)


class CopiedRomanization(ReadBack):
    """Latin-script targets other than English: a name copied from the source in the source language's
    romanization ("Georgy" in a German text) where the target language romanizes the Cyrillic name its
    own way ("Georgi", Duden) and writes that spelling at least as often (wordfreq).  The lexicon and
    frequency evidence of :meth:`NameAnalyzer.latin_verdict` needs the target's spelling far more
    frequent; a name the source has is evidence enough that it was copied."""

    def __init__(self, names: NameAnalyzer, tgt: str) -> None:
        super().__init__(names, CYRILLIC_LANGS)
        self.tgt = tgt

    def _skip(self, low: str) -> bool:
        return self.names.freq(self.tgt, low) >= self.names.th.common_word  # a common word of the target ("Hotel")

    def _judge(self, word: str, low: str, reading: tuple[float, str, str, str]) -> Verdict | None:
        freq, spelled, script, label = reading
        f_word = self.names.freq(self.tgt, low)
        if freq < LEFT_LATIN_MIN_CYRILLIC or f_word >= self.names.th.common_word or freq < COPIED_CYRILLIC_RATIO * self.names.freq(self.names.src, low):
            return None
        forms = self.names.tgt_forms(spelled, script)
        if not forms or low in forms:
            return None
        best = max(forms, key=lambda f: (self.names.freq(self.tgt, f), -forms[f]))
        if self.names.freq(self.tgt, best) < max(f_word, self.names.th.min_suggestion):
            return None
        return Verdict(word, recase(word, best), label, "copied-romanization", spelled)


def _lone_latin_words(text: str) -> set[int]:
    """Starts of Latin-script words that stand alone among Cyrillic ones: not in a run of Latin words
    (a foreign name or brand the target keeps: "New Shepard", "France-Presse", "Nika Lerman"), not a
    web address ("Ura.ru") and not a single quoted word (a product's name: "Eren")."""
    starts: set[int] = set()
    for m in _LATIN_RUN.finditer(text):
        if not re.fullmatch(r"[A-Za-z]+", m.group()):
            continue
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 2]
        if (before and before in _QUOTES and after[:1] in _QUOTES):
            continue
        starts.add(m.start())
    return starts


@lru_cache(maxsize=1)
def _romanized_scripts() -> frozenset[tuple[str, str]]:
    """(language, Cyrillic script) of every romanization convention (conventions.yaml)."""
    return frozenset((c.lang, c.script) for c in load_conventions().values())


def _romanization_coverage(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """N101 into Russian or Ukrainian needs the source language's romanizations of that script (names
    left in them are read back into Cyrillic); into other targets, conventions of both languages."""
    if _base(tgt) in CYRILLIC_LANGS and _base(src) not in CYRILLIC_LANGS:
        return None if (_base(src), _base(tgt)) in _romanized_scripts() else f"no {_base(src)} romanization of {_base(tgt)}"
    return LATIN_SOURCE_ROMANIZATION(src, tgt, options)


@rule("N101", "foreign-romanization", category=CATEGORY, severity="minor", requires=("wordfreq", "iuliia", "translitua"), options=NameOptions, coverage=_romanization_coverage)
def foreign_romanization(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A name in the target keeps the source language's romanization of a Cyrillic name.

    Why: machine translation copies names such as "Selenskyj" or "Peskow" from a German source;
    English readers expect "Zelensky" and "Peskov", and reference-based metrics barely notice.
    How: each capitalised target word is transliterated back to Cyrillic candidates under the
    source language's conventions (pipeline/data/names/conventions.yaml), re-romanized under the
    target's, and flagged only with evidence: the curated lexicon, the target form being far more
    frequent in the target language (wordfreq), or - for a word copied from the source - the
    Cyrillic name being attested.  A spelling the target's own conventions produce is never
    flagged (Putin, Dmitri, Kyiv), nor is a common target-language word (Wagner, Klitschko).
    Into Russian and Ukrainian, a Latin-script word copied from the source and standing alone among
    Cyrillic words is read back into Cyrillic by the source language's romanizations of that
    script, and flagged when the target language writes that Cyrillic word (wordfreq) and hardly
    ever the Latin one (brands such as "Lidl" or "Sputnik" stay in Latin letters there).  Into
    other Latin-script targets, a name copied from the source in the source's romanization and
    in no list ("Georgy" in German) is flagged with the target's own romanization ("Georgi") when
    the Cyrillic name is far more frequent than the source language's use of the spelling and the
    target writes its own spelling at least as often; a German genitive of such a form counts too
    ("Zelenskys" -> "Selenskyjs").

    Example (de->en): "... said spokesman Dmitri Peskow" -> "Peskow": German romanization
    (Duden); English writes "Peskov".  Example (en->ru): "Kryuchkov также отметил ..." ->
    "Kryuchkov": suggestion "Крючков".
    """
    if not _latin_source(ctx):
        return
    names = analyzer(ctx)
    text = pair.target_text
    source_words = words_of(pair.source_text)
    tgt = _base(ctx.tgt_lang)
    left = ctx.resource(f"names.left_in_latin:{id(names)}", lambda: LeftInLatin(names, tgt)) if tgt in CYRILLIC_LANGS else None
    lone = _lone_latin_words(text) if left is not None else set()
    copied = ctx.resource(f"names.copied_romanization:{id(names)}", lambda: CopiedRomanization(names, tgt)) if tgt != "en" and latin_target(tgt) else None
    for start, end, word in candidate_tokens(text):
        verdict = names.latin_verdict(word, _in_source(word, source_words))
        if verdict is not None and not names.foreign_name(text, start, end, verdict, frequencies=False):
            yield _finding(verdict, start, end, tgt)
            continue
        found = None
        if _glued(text, start, end):
            pass  # part of an identifier ("2I/Borisov", a comet; "@Navalny"), not a name in running text
        elif not _in_source(word, source_words):
            found = _target_genitive(names, copied, word, source_words, tgt) if verdict is None else None
        elif left is not None:
            found = left.verdict(word) if start in lone else None
        elif copied is not None and verdict is None:
            found = copied.verdict(word)
        if found is not None and not (found.reason == "copied-romanization" and names.foreign_name(text, start, end, found, frequencies=False)):
            yield _finding(found, start, end, tgt)


def _glued(text: str, start: int, end: int) -> bool:
    """The word is glued to an identifier mark (a slash, @, #, _)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before in _IDENTIFIER_MARKS or after in _IDENTIFIER_MARKS


_IDENTIFIER_MARKS = "/\\@#_"


# Targets that add a genitive ending to a foreign name ("Zelenskys Rede": German writes "Selenskyjs").
TARGET_GENITIVE = {"de": "s"}


def _target_genitive(names: NameAnalyzer, copied: CopiedRomanization | None, word: str, source_words: frozenset[str], tgt: str) -> Verdict | None:
    """A source name with the target's genitive ending, judged as the name itself: the ending goes onto
    the suggestion ("Zelenskys" -> "Selenskyjs")."""
    ending = TARGET_GENITIVE.get(tgt)
    if not ending or not word.endswith(ending) or len(word) - len(ending) < 4:
        return None
    stem = word[: -len(ending)]
    if names.freq(tgt, word) >= names.th.common_word or not _in_source(stem, source_words):
        return None
    found = names.latin_verdict(stem, True)
    if found is None and copied is not None and stem in source_words | {w.split("'")[0].split("’")[0] for w in source_words}:
        found = copied.verdict(stem)
    if found is None or found.reason not in ("lexicon", "frequency", "copied-romanization"):
        return None
    return Verdict(word, found.suggestion + ending, found.convention, found.reason, found.cyrillic, tuple(a + ending for a in found.alternatives))


@rule("N102", "exonym", category=CATEGORY, severity="minor", requires=("babel",), options=NameOptions, coverage=LATIN_SOURCE_CLDR)
def exonym(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A place name left in the source language's form where the target has its own name.

    Why: "Moskau", "Kiew" or "Genf" in an English text (or "Moscou" from French) is a translation
    error readers notice at once.  Place names come from CLDR through babel (countries,
    territories and the cities CLDR names) and from a curated list for cities CLDR lacks
    (pipeline/data/names/exonyms.tsv).  A foreign form that is also a common target word
    ("Island", German for Iceland) is flagged only when it was copied from the source and does
    not open a sentence.  Into other Latin-script targets a form the target language writes itself
    (wordfreq) is left alone ("Beijing" in Spanish), but not one that only lacks the diacritics of
    the target's own name ("Taiwan" in French).  A source form that the target writes for another
    place (French "Mexico" is Mexico City) is flagged where the source names the place and never
    the other one ("across Mexico" rendered "le Mexico").

    Example (de->en): "a meeting planned in Genf" -> "Genf": suggestion "Geneva".
    """
    if not _latin_source(ctx):
        return
    names = analyzer(ctx)
    lang_name = LANGUAGE_NAMES.get(_base(ctx.tgt_lang), ctx.tgt_lang)
    tgt = _base(ctx.tgt_lang)
    english = tgt == "en"
    titles = [] if english else _copied_quotations(pair.target_text, pair.source_text)
    seen: set[int] = set()
    for m in names.exonym_matches(pair.target_text, words_of(pair.source_text)):
        if english and _rendered_elsewhere(m.suggestion, pair.target_text):
            continue  # other targets: a name inside a longer one is already left out, and "Russia ... Russie" in one line is a slip
        if any(a <= m.start and m.end <= b for a, b in titles):
            continue  # an English title quoted as the source has it ("AI Superpowers: China, Silicon Valley ...")
        if not english and latin_target(tgt) and _target_uses(names, tgt, _base(ctx.src_lang), m.text, m.suggestion):
            continue  # the target language writes the form itself ("Beijing" in Spanish, "Madrid" in Portuguese)
        yield _exonym_finding(m.start, m.end, m.text, m.suggestion, LANGUAGE_NAMES.get(m.lang, m.lang), lang_name)
        seen.add(m.start)
    if not english:
        homonyms = ctx.resource(f"names.homonyms:{id(names)}", lambda: _homonyms(names))
        for start, end, h in _homonym_matches(homonyms, pair, titles):
            if start not in seen:
                yield _exonym_finding(start, end, h.form, h.suggestion, LANGUAGE_NAMES.get(_base(ctx.src_lang), ctx.src_lang), lang_name)
                seen.add(start)
    if tgt in TARGET_GENITIVE:
        yield from _exonym_genitives(names, pair, ctx, seen)


def _exonym_finding(start: int, end: int, text: str, suggestion: str, src_name: str, lang_name: str) -> Finding:
    return Finding(start, end, f"'{text}' is the {src_name} name of the place; {lang_name} writes '{suggestion}'", suggestion=suggestion, data={"convention": f"{src_name} exonym"})


def _exonym_genitives(names: NameAnalyzer, pair: AlignedPair, ctx: CheckContext, seen: set[int]) -> Iterator[Finding]:
    """A source place name with the target's genitive ending ("Moscows Bürgermeister": German writes "Moskaus")."""
    tgt, src = _base(ctx.tgt_lang), _base(ctx.src_lang)
    ending = TARGET_GENITIVE[tgt]
    source_words = words_of(pair.source_text)
    for start, end, word in candidate_tokens(pair.target_text):
        stem = word[: -len(ending)]
        if start in seen or not word.endswith(ending) or len(stem) < 4 or names.freq(tgt, word) >= names.th.common_word or not _in_source(stem, source_words):
            continue
        for m in names.exonym_matches(stem, source_words):
            if m.start == 0 and m.end == len(stem) and not _target_uses(names, tgt, src, m.text, m.suggestion):
                yield _exonym_finding(start, end, word, m.suggestion + ending, LANGUAGE_NAMES.get(m.lang, m.lang), LANGUAGE_NAMES.get(tgt, tgt))


@rule(
    "N103",
    "cyrillic-name-rendering",
    category=CATEGORY,
    severity="minor",
    src_langs=CYRILLIC_LANGS,
    requires=("wordfreq", "iuliia", "translitua"),
    options=NameOptions,
    coverage=TARGET_ROMANIZATION,
)
def cyrillic_name_rendering(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A Cyrillic source name rendered under another language's convention, or under none.

    Why: systems trained on mixed data write Зеленський as "Selenskyj" (German) or "Zelenski"
    (French/Polish) in English.  How: each capitalised target word is transliterated back under
    every known convention; candidates that match a name of the aligned source segment
    (inflection allowed: Зеленського) tell which conventions produce the rendering.  A rendering
    the target language's conventions produce, or one at least as frequent in the target
    language as the suggestion, is left alone; renderings of a source place in another
    language's exonym ("Kiew") are flagged too.

    Example (uk->en): source "Володимир Зеленський", target "Wolodymyr Selenskyj" -> two flags,
    suggestions "Volodymyr" and "Zelensky".
    """
    names = analyzer(ctx)
    source_names = source_cyrillic_names(pair.source_text)
    if not source_names:
        return
    text = pair.target_text
    tgt = _base(ctx.tgt_lang)
    for start, end, word in candidate_tokens(text):
        verdict = names.foreign_exonym_for_source(word, source_names) or names.cyrillic_verdict(word, source_names)
        if verdict is None or names.foreign_name(text, start, end, verdict):
            continue
        if verdict.reason == "lexicon" and _rendered_elsewhere(verdict.suggestion, text):
            continue
        yield _finding(verdict, start, end, tgt)


@rule("N104", "name-inconsistent", category="terminology/inconsistent", severity="minor", scope="document", requires=("iuliia", "translitua"), options=NameOptions, coverage=TARGET_ROMANIZATION)
def name_inconsistent(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """The same name spelled two ways in one document ("Zelensky" ... "Zelenskyy").

    Why: a reader cannot tell whether two spellings are one person; style guides pick one.  Two
    capitalised words are taken as one name when they romanize the same Cyrillic word under the
    target language's conventions; the less frequent spelling is flagged with the more frequent
    one as suggestion (ties: the later one).  Spellings that N101/N103 already flag, and common
    words, are left out.

    Example (en): "Sergei Lavrov ... Sergey Lavrov said" -> "Sergey": suggestion "Sergei".
    """
    names = analyzer(ctx)
    tgt = _base(ctx.tgt_lang)
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    places: list[tuple[AlignedPair, int, int, str]] = []
    for pair in pairs:
        text = pair.target_text
        for start, end, word in candidate_tokens(text):
            if sentence_initial(text, start) or names.freq(tgt, word) >= names.th.common_word:
                continue
            counts[word] += 1
            first_seen.setdefault(word, len(first_seen))
            places.append((pair, start, end, word))
    groups = names.spelling_groups(list(counts))
    replacement: dict[str, str] = {}
    for group in groups:
        ranked = sorted(group, key=lambda w: (-counts[w], first_seen[w]))
        for w in ranked[1:]:
            replacement[w] = ranked[0]
    for pair, start, end, word in places:
        if word in replacement:
            keep = replacement[word]
            yield pair, Finding(
                start,
                end,
                f"'{word}' and '{keep}' spell the same name in this document; '{keep}' is used {counts[keep]}x",
                suggestion=keep,
                data={"variants": sorted({word, keep}), "key": cyrillic_key(names.shared_cyrillic(word, keep))},
            )
