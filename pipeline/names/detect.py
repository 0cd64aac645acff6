"""Name-form analysis: which convention a spelling follows, and what the target language writes.

:class:`NameAnalyzer` holds everything for one run (conventions, lexicon, word frequencies) and
caches its verdicts per spelling, since names repeat.  It answers three questions:

* :meth:`latin_verdict` - a target token, Latin-script source: does the spelling follow the source
  language's romanization of a Cyrillic name rather than the target's?  ("Peskow" in English)
* :meth:`exonym_matches` - place names left in another language's form ("Moskau" in English).
* :meth:`cyrillic_verdict` - a target token, Cyrillic source: does it render one of the source's
  names, and under which convention?  ("Selenskyj" for Зеленський in English)
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice, pairwise
from typing import Any

from ..prepared import prepared_json
from ..wordlists import frequency_buckets, word_list, wordfreq_version
from .conventions import Convention, ReverseIndex, load_conventions, load_markers
from .lexicon import CYRILLIC_LANGS, Entry, Lexicon
from .origin import NameOrigin

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pl": "Polish", "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian",
}

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Words of targets other than English: Latin letters cut out of a line in another script ("在China的"
# -> "China", "Italy에서" -> "Italy") and a Turkish case ending after an apostrophe left off ("Italy'de").
_LATIN_LETTERS = "A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
SCRIPT_WORD = re.compile(rf"[{_LATIN_LETTERS}]+|[^\W\d_{_LATIN_LETTERS}]+")
_LATIN_WORD = re.compile(rf"[{_LATIN_LETTERS}' ’.-]+")
# Targets written in Latin letters (the others never use an English place name as a word of their own).
_NON_LATIN_TARGETS = frozenset({"ru", "uk", "be", "bg", "kk", "mk", "sr", "el", "he", "ar", "fa", "hi", "ja", "ko", "zh", "th", "ka", "hy"})


def latin_target(lang: str) -> bool:
    """Whether a target language is written in Latin letters."""
    return lang not in _NON_LATIN_TARGETS
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Letters that no romanization here writes; a token with one of them is not a romanized name.
_FOREIGN_LETTERS = re.compile(r"[äöüßàâçèéêëîïôûùÿæœåøñãõáíóúýčšžřěůľĺŕťďňąęłńśźżőű]")
_CYR_NORMAL = str.maketrans({"ё": "е", "є": "е", "э": "е", "і": "и", "ї": "и", "ы": "и", "й": "и", "ґ": "г", "ь": None, "ъ": None, "'": None, "’": None, "ʼ": None})


_SOFTENABLE = frozenset("бвдзлмнпрстфц")
_VOWELS = frozenset("аеёиоуыэюяієї")


def cyrillic_key(word: str) -> str:
    """A Cyrillic word with the letters that conventions merge or drop merged or dropped."""
    return word.lower().translate(_CYR_NORMAL)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Evidence a flag needs; word frequencies are wordfreq's (share of all words)."""

    common_word: float = 1e-5  # a target spelling this frequent in the target language is never flagged
    ratio_target: float = 3.0  # the suggested spelling must be this much more frequent in the target
    ratio_target_known: float = 20.0  # ... or this much, when the target language itself uses the spelling
    known_spelling: float = 1e-7  # from this frequency on, the target language uses a spelling itself
    ratio_source: float = 2.0  # ... and the flagged one this much more frequent in the source language
    min_suggestion: float = 5e-8  # the suggestion must be attested at least this often
    min_cyrillic: float = 1e-7  # an unmarked word copied from the source: its Cyrillic reading must be this frequent
    max_suggestion: float = 2e-5  # a suggestion this frequent is an ordinary word ("Schot" -> "shot"), not a name
    attested_cyrillic: float = 1e-8  # without a romanization marker, the Cyrillic name must be attested
    unknown_word: float = 3e-8  # rarer than this in the source language: not a native word or name there
    strong_suggestion: float = 1e-6  # a suggestion this frequent, for a spelling the target never uses, is evidence alone


@dataclass(frozen=True, slots=True)
class Verdict:
    """A spelling judged wrong for the target language, with the convention it follows."""

    spelling: str
    suggestion: str
    convention: str  # human label: "German romanization (Duden)"
    reason: str  # lexicon | frequency | attested-cyrillic | source-name | no-convention
    cyrillic: str = ""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExonymMatch:
    start: int
    end: int
    text: str
    suggestion: str
    lang: str  # the language whose form it is


def recase(template: str, word: str) -> str:
    """Give ``word`` the capitalisation pattern of ``template``."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def sentence_initial(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and (text[j].isspace() or text[j] in "\"'“”„«»‘’‚‹›([{–—-*•"):
        j -= 1
    return j < 0 or text[j] in ".!?:;…"


_GENITIVE = {"de": "s"}
# Case endings that targets which decline names add to a foreign surname (longest first).
_CASE_ENDINGS = {
    "pl": ("owi", "em", "ie", "a", "u"),
    "cs": ("ovi", "em", "a", "u"),
}
_POSSESSIVE = {"en": "'s"}


class CyrillicPrior:
    """Letter-bigram log-probabilities of Russian and Ukrainian words (from wordfreq's lists), to
    prefer "сычев" over "зыхэв" when no reading of a name is attested."""

    def __init__(self, freq: Frequencies, top: int = 30000) -> None:
        self.freq = freq
        self.top = top
        self._models: dict[str, dict[str, float]] = {}

    def _model(self, script: str) -> dict[str, float]:
        if script not in self._models:
            # prepared once per machine (0.1-0.2 CPU s a script to count, and wordfreq keeps the whole
            # list in memory afterwards)
            name = f"cyrillic-prior-{script}-{self.top}-wordfreq{wordfreq_version()}"
            self._models[script] = prepared_json("names", name, lambda: self._count(script))
        return self._models[script]

    def _count(self, script: str) -> dict[str, float]:
        counts: dict[str, float] = {}
        for word in islice(chain.from_iterable(frequency_buckets(script)), self.top):  # most frequent first
            padded = f"^{word}$"
            for a, b in pairwise(padded):
                counts[a + b] = counts.get(a + b, 0.0) + 1.0
        total = sum(counts.values()) or 1.0
        return {k: math.log(v / total) for k, v in counts.items()}

    def score(self, word: str, script: str) -> float:
        model = self._model(script)
        padded = f"^{word}$"
        # a sum, not a mean: splitting one Latin unit into more letters (т+с+х for ч) costs
        return sum(model.get(a + b, -20.0) for a, b in pairwise(padded))


@dataclass
class Frequencies:
    """wordfreq's lists, one prepared table per language (pipeline/wordlists.py: memory-mapped, shared
    by worker processes); a language wordfreq lacks has an empty table."""

    _tables: dict[str, Any] = field(default_factory=dict)

    def table(self, lang: str) -> Any:
        """The language's table: ``get(word, default)`` as a dict of word -> frequency."""
        if lang not in self._tables:
            try:
                self._tables[lang] = word_list(lang)
            except LookupError:
                self._tables[lang] = {}
        return self._tables[lang]

    def __call__(self, lang: str, word: str) -> float:
        return self.table(lang).get(word.lower(), 0.0)


class NameAnalyzer:
    """Conventions + lexicon + frequencies for one source/target language pair."""

    def __init__(
        self,
        src_lang: str,
        tgt_lang: str,
        lexicon: Lexicon,
        conventions: dict[str, Convention] | None = None,
        freq: Frequencies | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.src, self.tgt = src_lang, tgt_lang
        self.lexicon = lexicon
        self.conventions = conventions or load_conventions()
        self.freq = freq or Frequencies()
        self.th = thresholds or Thresholds()
        self.markers = load_markers()
        self.strong_markers = load_markers(key="strong_markers")
        self._prior = CyrillicPrior(self.freq)
        by_lang: dict[str, list[Convention]] = {}
        for c in self.conventions.values():
            by_lang.setdefault(c.lang, []).append(c)
        self.src_convs = by_lang.get(src_lang, [])
        self.tgt_convs = by_lang.get(tgt_lang, [])
        self.other_convs = [c for c in self.conventions.values() if c.lang != tgt_lang]
        self._src_index = ReverseIndex(self.src_convs) if self.src_convs else None
        self._all_index = ReverseIndex(self.conventions.values(), max_candidates=256)
        self._tgt_index = ReverseIndex(self.tgt_convs) if self.tgt_convs else None
        self._exonyms = self._build_exonym_index()
        self.latin_verdict = lru_cache(maxsize=None)(self._latin_verdict)
        self.origin = NameOrigin(src_lang, tgt_lang, self.reading_frequency, lambda w: self.freq(tgt_lang, w))

    def foreign_name(self, text: str, start: int, end: int, verdict: Verdict, frequencies: bool = True) -> str | None:
        """Why the flagged name is another nation's own (see :mod:`pipeline.names.origin`), or None.
        A lexicon verdict ("Juri" for Юрий) yields to the context and the rest of the name only, not
        to the spelling's own frequency; a place's form (an exonym) is not a person's name.
        ``frequencies=False``: the context alone tells (a Latin-script source writes the names
        of every nation, so word frequencies there show usage, not whose name it is: "Netanjahu")."""
        if verdict.reason == "lexicon" and verdict.convention.endswith("exonym"):
            return None
        return self.origin.foreign(text, start, end, own=verdict.reason != "lexicon", frequencies=frequencies)

    @lru_cache(maxsize=20_000)  # noqa: B019 - one analyzer per run, kept for the run: the cache dies with it
    def reading_frequency(self, low: str) -> float:
        """The frequency (Russian or Ukrainian) of the most frequent Cyrillic word that a convention
        romanizes as ``low``; 0.0 when none does."""
        if len(low) < 3 or any(ch not in self._all_index.letters for ch in low):
            return 0.0
        best = 0.0
        for cyr in self._all_index.parse(low):
            for script in CYRILLIC_LANGS:
                if any(conv.script == script and conv.produces(cyr, low) for conv in self.conventions.values()):
                    best = max(best, self.cyrillic_frequency(cyr, script))
        return best

    # ------------------------------------------------------------------ helpers
    def tgt_forms(self, cyr: str, script: str) -> dict[str, int]:
        """Target-language spellings of a Cyrillic word, with the rank of the convention (0 = first)."""
        forms: dict[str, int] = {}
        for rank, conv in enumerate(c for c in self.tgt_convs if c.script == script):
            for form in conv.romanize(cyr):
                forms.setdefault(form, rank)
        return forms

    def _best_form(self, forms: dict[str, int]) -> tuple[str, float]:
        best = max(forms, key=lambda f: (self.freq(self.tgt, f), -forms[f]))
        return best, self.freq(self.tgt, best)

    def cyrillic_frequency(self, cyr: str, script: str) -> float:
        return self.cyrillic_attested(cyr, script)[0]

    @lru_cache(maxsize=200_000)  # noqa: B019 - one analyzer per run, kept for the run: the cache dies with it
    def cyrillic_attested(self, cyr: str, script: str) -> tuple[float, str]:
        """How often the Cyrillic word occurs, and in which spelling: candidates never carry a soft
        sign, so the spellings with one after a consonant count too (архангелск -> архангельск,
        приморе -> приморье)."""
        best = (self.freq(script, cyr), cyr)
        for i in range(1, len(cyr) + 1):
            if cyr[i - 1] in _SOFTENABLE:
                variant = cyr[:i] + "ь" + cyr[i:]
                best = max(best, (self.freq(script, variant), variant))
        return best

    def _lexicon_verdict(self, token: str, entries: Sequence[Entry], lang: str) -> Verdict | None:
        for entry in entries:
            if entry.kind != "name":
                continue
            suggestion = entry.preferred(self.tgt)
            if not suggestion:
                continue
            label = self._convention_label(token, entry, lang)
            return Verdict(token, recase(token, suggestion), label, "lexicon", entry.preferred("ru") or entry.preferred("uk") or "", tuple(entry.forms[self.tgt][1:]))
        return None

    def _convention_label(self, token: str, entry: Entry, lang: str) -> str:
        low = token.lower()
        for script in CYRILLIC_LANGS:
            cyr = entry.preferred(script)
            if not cyr:
                continue
            for conv in self.conventions.values():
                if conv.lang == lang and conv.script == script and conv.produces(cyr.lower(), low):
                    return conv.label
        return f"{LANGUAGE_NAMES.get(lang, lang)} spelling"

    # ------------------------------------------------------------------ Latin-script source
    def _latin_verdict(self, token: str, in_source: bool) -> Verdict | None:
        suffix = _GENITIVE.get(self.src)
        if suffix and token.endswith(suffix) and len(token) > len(suffix) + 3 and self.freq(self.tgt, token) == 0.0:
            # a genitive copied from the source ("Jazenjuks Partei" -> "Jazenjuks party")
            stem = self._latin_core(token[: -len(suffix)], in_source)
            if stem is not None and stem.reason in ("lexicon", "frequency"):
                possessive = _POSSESSIVE.get(self.tgt, "")
                return Verdict(token, stem.suggestion + possessive, stem.convention, stem.reason, stem.cyrillic, stem.alternatives)
        found = self._latin_core(token, in_source)
        if found is None and self.tgt in _CASE_ENDINGS and not self.lexicon.is_correct(self.tgt, token):
            found = self._inflected_lexicon_verdict(token)
        return found

    def _inflected_lexicon_verdict(self, token: str) -> Verdict | None:
        """A lexicon name with a case ending of a target that declines names ("Peskovem" in Polish:
        "Pieskowem"), judged by the lexicon alone; the ending moves to the suggestion."""
        for ending in _CASE_ENDINGS[self.tgt]:
            if token.endswith(ending) and len(token) - len(ending) >= 4:
                stem = token[: -len(ending)]
                entries = self.lexicon.lookup(self.src, stem)
                if entries and not self.lexicon.is_correct(self.tgt, stem):
                    verdict = self._lexicon_verdict(stem, entries, self.src)
                    if verdict is not None:
                        return Verdict(token, verdict.suggestion + ending, verdict.convention, verdict.reason, verdict.cyrillic, verdict.alternatives)
        return None

    def _latin_core(self, token: str, in_source: bool) -> Verdict | None:
        # The evidence in order of trust: the lexicon, then word frequencies of the two spellings,
        # then (for a word copied from the source, which the target never writes) the Cyrillic
        # reading alone.
        low = token.lower()
        if self.lexicon.is_correct(self.tgt, token) or len(low) < 3:
            return None
        entries = self.lexicon.lookup(self.src, token)
        if entries:
            return self._lexicon_verdict(token, entries, self.src)
        f_tgt = self.freq(self.tgt, low)
        verified = self._cyrillic_readings(low, f_tgt)
        if not verified:
            return None
        cyr_freq = {(cyr, conv.script): self.cyrillic_frequency(cyr, conv.script) for cyr, conv in verified}
        forms = self._target_spellings(low, verified, cyr_freq)
        if not forms:
            return None
        marked = self._marked(low)
        verdict = self._frequency_verdict(token, low, f_tgt, forms, verified, marked)
        if verdict is None and f_tgt == 0.0 and in_source:
            verdict = self._copied_name_verdict(token, low, verified, cyr_freq, marked)
        return verdict

    def _cyrillic_readings(self, low: str, f_tgt: float) -> list[tuple[str, Convention]]:
        """The Cyrillic words that a source-language romanization writes as ``low``, each with that
        convention; none for a common target word or a spelling no romanization here produces."""
        index = self._src_index
        if f_tgt >= self.th.common_word or index is None or _FOREIGN_LETTERS.search(low):
            return []
        if any(ch not in index.letters for ch in low):
            return []
        # the reverse index over-generates: keep the readings a convention really turns into ``low``
        return [(cyr, conv) for cyr in index.parse(low) for conv in self.src_convs if conv.script in CYRILLIC_LANGS and conv.produces(cyr, low)]

    def _target_spellings(self, low: str, verified: list[tuple[str, Convention]], cyr_freq: dict[tuple[str, str], float]) -> dict[str, tuple[float, str, str, str]]:
        """The target language's spellings of the readings: form -> (Cyrillic frequency, Cyrillic,
        script, convention label) of its most frequent reading; empty when ``low`` is itself one."""
        plausible = 0.1 * max(cyr_freq.values())
        forms: dict[str, tuple[float, str, str, str]] = {}
        for cyr, conv in verified:
            for form in self.tgt_forms(cyr, conv.script):
                if form == low and cyr_freq[cyr, conv.script] >= plausible:
                    # also the target language's romanization of a name at least as likely as any
                    # other reading ("Dmitri"; but not "Mussorgski" read as an unattested мусоргски)
                    return {}
                score = (cyr_freq[cyr, conv.script], cyr, conv.script, conv.label)
                if form not in forms or score[0] > forms[form][0]:
                    forms[form] = score
        return forms

    def _frequency_verdict(self, token: str, low: str, f_tgt: float, forms: dict[str, tuple[float, str, str, str]], verified: list[tuple[str, Convention]], marked: bool) -> Verdict | None:
        """The target's spelling, when word frequencies show the target writes the name that way."""
        freq, th = self.freq, self.th
        usable = {
            f: v
            for f, v in forms.items()
            if freq(self.tgt, f) < th.max_suggestion
            and (marked or v[0] >= th.attested_cyrillic or (f_tgt == 0.0 and freq(self.tgt, f) >= th.strong_suggestion))
        }
        if not usable:
            return None
        # a convention's preferred spelling beats a merely accepted one unless the latter is
        # far more frequent ("Alyona", not "Alena"; but "Gorbachev", not "Gorbachyov")
        preferred_forms = {c.preferred(cyr) for cyr, conv in verified for c in self.tgt_convs if c.script == conv.script}
        best = max(usable, key=lambda f: (freq(self.tgt, f) * (1.0 if f in preferred_forms else 0.25), usable[f][0]))
        if not self._frequencies_favour(low, best, f_tgt):
            return None
        _, cyr, _, label = usable[best]
        return Verdict(token, recase(token, best), label, "frequency", cyr)

    def _frequencies_favour(self, low: str, best: str, f_tgt: float) -> bool:
        """The suggestion is attested and far more frequent in the target than ``low``, which the
        source language writes more often than the target does."""
        f_best = self.freq(self.tgt, best)
        ratio = self.th.ratio_target_known if f_tgt >= self.th.known_spelling else self.th.ratio_target
        return (
            f_best >= self.th.min_suggestion
            and f_best >= ratio * f_tgt
            and self.freq(self.src, low) >= self.th.ratio_source * f_tgt
            and not _only_doubling(low, best)
        )

    def _copied_name_verdict(self, token: str, low: str, verified: list[tuple[str, Convention]], cyr_freq: dict[tuple[str, str], float], marked: bool) -> Verdict | None:
        """No target-language evidence either way: a name copied from the source that is an attested
        Cyrillic word, written the source language's way or far more frequent in Cyrillic than in
        the source language, is still worth a flag."""
        f_src = self.freq(self.src, low)
        verdict = self._attested_reading_verdict(token, low, f_src, verified, cyr_freq, marked)
        if verdict is None and self._marked(low, strong=True) and f_src < self.th.unknown_word:
            verdict = self._pattern_verdict(token, verified)
        return verdict

    def _attested_reading_verdict(self, token: str, low: str, f_src: float, verified: list[tuple[str, Convention]], cyr_freq: dict[tuple[str, str], float], marked: bool) -> Verdict | None:
        cyr, conv = max(verified, key=lambda cv: cyr_freq[cv[0], cv[1].script])
        unknown_in_source_lang = f_src < self.th.unknown_word
        enough = self.th.attested_cyrillic if self._marked(low, strong=True) else self.th.min_cyrillic
        if cyr_freq[cyr, conv.script] < enough or f_src >= self.th.common_word or not (marked or unknown_in_source_lang):
            return None
        cyr = self.cyrillic_attested(cyr, conv.script)[1]
        preferred = self.tgt_forms(cyr, conv.script)
        first = min(preferred, key=lambda f: preferred[f]) if preferred else ""
        if first and self.freq(self.tgt, first) < self.th.max_suggestion:
            return Verdict(token, recase(token, first), conv.label, "attested-cyrillic", cyr)
        return None

    def _pattern_verdict(self, token: str, verified: list[tuple[str, Convention]]) -> Verdict | None:
        """A rare name neither word list knows, with a spelling only this romanization produces
        ("Sychew"): read it as the most Russian-looking (or Ukrainian) candidate."""
        cyr, conv = max(verified, key=lambda cv: self._prior.score(cv[0], cv[1].script))
        preferred = self.tgt_forms(cyr, conv.script)
        if not preferred:
            return None
        first = min(preferred, key=lambda f: preferred[f])
        return Verdict(token, recase(token, first), conv.label, "romanization-pattern", cyr)

    def _marked(self, low: str, strong: bool = False) -> bool:
        pattern = (self.strong_markers if strong else self.markers).get(self.src)
        return bool(pattern and pattern.search(low))

    # ------------------------------------------------------------------ exonyms
    def _build_exonym_index(self) -> dict[str, list[tuple[tuple[str, ...], Entry, str]]]:
        """First word (casefolded) -> [(phrase words, entry, language of the form)] for foreign forms."""
        index: dict[str, list[tuple[tuple[str, ...], Entry, str]]] = {}
        langs = [self.src] if self.src not in CYRILLIC_LANGS else []
        for entry in self.lexicon.entries:
            if entry.kind != "place" or not entry.preferred(self.tgt):
                continue
            for lang in langs:
                for form in entry.forms.get(lang, ()):
                    if entry.accepts(self.tgt, form) or self.lexicon.is_correct(self.tgt, form):
                        continue
                    if self.tgt == "en" and any(_plain(form) == _plain(t) for t in entry.forms[self.tgt]):
                        continue  # "São Paulo" / "Sao Paulo" in English: only diacritics differ (a language that writes "México" spells its accent)
                    words = tuple(w.casefold() for w in WORD.findall(form))
                    if words:
                        index.setdefault(words[0], []).append((words, entry, lang))
        return index

    def exonym_matches(self, text: str, source_words: frozenset[str]) -> list[ExonymMatch]:
        """Place names in ``text`` written the source language's way where the target differs."""
        tokens = [(m.start(), m.end(), m.group()) for m in (WORD if self.tgt == "en" else SCRIPT_WORD).finditer(text)]
        out: list[ExonymMatch] = []
        i = 0
        while i < len(tokens):
            start, _, word = tokens[i]
            found = self._exonym_at(tokens, i, word) if word[:1].isupper() else None
            if found is None:
                i += 1
                continue
            words, entry, lang, genitive = found
            end = tokens[i + len(words) - 1][1]
            flagged = text[start:end]
            own = entry.preferred(self.tgt) or ""
            longer = self._inside_longer_name(tokens, i, i + len(words), text, None if self.tgt == "en" else source_words)
            if not (longer or self._ambiguous_exonym(flagged, text, start, source_words, own) or self._kept_name(text, start, end, words, source_words)):
                suggestion = own + ("'s" if genitive else "")
                out.append(ExonymMatch(start, end, flagged, suggestion, lang))
            i += len(words)
        return out

    def _exonym_at(self, tokens: list[tuple[int, int, str]], i: int, word: str) -> tuple[tuple[str, ...], Entry, str, bool] | None:
        """The longest foreign place name starting at capitalised token ``i`` (its words, entry and
        language), or else a German genitive of a one-word one ("Moskaus"; the bool says which)."""
        hit = None
        for words, entry, lang in self._exonyms.get(word.casefold(), ()):
            span = tokens[i : i + len(words)]
            if len(span) == len(words) and all(t[2].casefold() == w for t, w in zip(span, words)) and (hit is None or len(words) > len(hit[0])):
                hit = (words, entry, lang)
        if hit is not None:
            return (*hit, False)
        genitive = None
        if self.src == "de" and word.endswith("s"):
            for words, entry, lang in self._exonyms.get(word[:-1].casefold(), ()):
                if len(words) == 1:
                    genitive = (words, entry, lang)
        return None if genitive is None else (*genitive, True)

    @staticmethod
    def _inside_longer_name(tokens: list[tuple[int, int, str]], first: int, stop: int, text: str, source_words: frozenset[str] | None = None) -> bool:
        """Next to another capitalised word, a place name is part of a longer name ("Europa League",
        "RedaktionsNetzwerk Deutschland", "King George Island") and keeps its form there.  With
        ``source_words`` (targets other than English) the neighbour must be a word of the source
        too: a capitalised target word ("Haziranda Singapore", "Singapore Киммен") makes no name."""

        def name_word(word: str) -> bool:
            return word[:1].isupper() and (source_words is None or word in source_words)

        if first > 0:
            p_start, p_end, p_word = tokens[first - 1]
            if name_word(p_word) and text[p_end : tokens[first][0]] == " " and not sentence_initial(text, p_start):
                return True
        if stop < len(tokens):
            n_start, _, n_word = tokens[stop]
            if name_word(n_word) and text[tokens[stop - 1][1] : n_start] == " ":
                return True
        return False

    def _kept_name(self, text: str, start: int, end: int, words: tuple[str, ...], source_words: frozenset[str]) -> bool:
        """Targets other than English: a name the translation keeps in English on purpose - the
        original given in brackets after the translation ("라파스(La Paz)"), or a name of a building
        or firm in the possessive ("St. Martin's", which the source only has so)."""
        if self.tgt == "en":
            return False
        if text[end : end + 2] in ("'s", "’s"):
            return True
        if len(words) > 1:
            last = text[start:end].split()[-1]
            if last not in source_words and (last + "'s" in source_words or last + "’s" in source_words):
                return True
        opening = text.rfind("(", 0, start)
        closing = text.find(")", end)
        return not latin_target(self.tgt) and opening >= 0 and closing >= 0 and ")" not in text[opening:start] and _LATIN_WORD.fullmatch(text[opening + 1 : closing].strip()) is not None

    def _ambiguous_exonym(self, flagged: str, text: str, start: int, source_words: frozenset[str], suggestion: str = "") -> bool:
        """A foreign place name that is also an ordinary target word ("Island" = Iceland) needs the
        source to contain it and must not open a sentence.  In a language other than English the
        word lists hold English text too ("China" in Finnish): there a Latin form is ambiguous only
        where the target writes in Latin letters and uses the form as often as its own name and at
        least a tenth as often as the source language does."""
        if " " in flagged or self.freq(self.tgt, flagged) < 1e-6:
            return False
        if self.tgt != "en":
            f_tgt = self.freq(self.tgt, flagged)
            if not _LATIN_WORD.fullmatch(flagged) or not latin_target(self.tgt) or f_tgt < self.freq(self.tgt, suggestion) or 10 * f_tgt < self.freq(self.src, flagged):
                return False
        in_source = flagged in source_words or (self.tgt != "en" and (flagged + "'s" in source_words or flagged + "’s" in source_words))
        return sentence_initial(text, start) or not in_source

    # ------------------------------------------------------------------ Cyrillic source
    def cyrillic_verdict(self, token: str, source_names: Sequence[str]) -> Verdict | None:
        """``source_names``: Cyrillic name keys (see :func:`cyrillic_key`) of the aligned source."""
        low = token.lower()
        if len(low) < 3 or self.lexicon.is_correct(self.tgt, token) or _CYRILLIC.search(low):
            return None
        if any(ch not in self._all_index.letters for ch in low):
            return None
        return self._cyrillic_cached(low, token, tuple(sorted(set(source_names))))

    @lru_cache(maxsize=200_000)  # noqa: B019 - one analyzer per run, kept for the run: the cache dies with it
    def _cyrillic_cached(self, low: str, token: str, names: tuple[str, ...]) -> Verdict | None:
        matched = self._source_name_readings(low, names)
        if not matched:
            return None
        producing = self._producing_conventions(low, matched)
        if producing is None:
            return None
        forms = self._target_forms_any_script(matched)
        if not forms:
            return None
        best, f_best = self._best_form(forms)
        f_tok = self.freq(self.tgt, low)
        if f_tok >= f_best or f_tok >= self.th.common_word:
            return None  # the spelling is at least as established in the target language
        if not self.th.min_suggestion <= f_best < self.th.max_suggestion:
            return None  # an unattested suggestion ("Erly"), or an ordinary word ("Walid" -> "valid")
        if producing:
            conv = sorted(producing, key=lambda c: (c.lang != "de", c.lang))[0]
            return Verdict(token, recase(token, best), conv.label, "source-name", matched[0])
        if f_tok == 0.0 and f_best >= 1e-7 and edit_distance(low, best) <= 2:
            return Verdict(token, recase(token, best), "no known romanization convention", "no-convention", matched[0])
        return None

    def _source_name_readings(self, low: str, names: tuple[str, ...]) -> list[str]:
        """The Cyrillic readings of ``low`` that are one of the source's names (``names``: keys)."""
        prefixes = {n[:k] for n in names for k in range(1, len(n) + 1)}

        def keep(partial: str) -> bool:
            # prune the parse to readings on their way to a source name (up to a 3-letter ending)
            key = cyrillic_key(partial)
            return key[: max(len(key) - 3, 0)] in prefixes or key in prefixes or not key

        matched: list[str] = []
        for cyr in self._all_index.parse(low, keep_prefix=keep):
            key = cyrillic_key(cyr)
            if any(_same_name(key, n) for n in names):
                matched.append(cyr)
        return matched

    def _producing_conventions(self, low: str, matched: list[str]) -> list[Convention] | None:
        """The conventions that write one of ``matched`` as ``low``; None when one of the target
        language's own does (then the spelling is right)."""
        producing: list[Convention] = []
        for cyr in matched:
            for conv in self.conventions.values():
                if conv.produces(cyr, low):
                    if conv.lang == self.tgt:
                        return None
                    producing.append(conv)
        return producing

    def _target_forms_any_script(self, matched: list[str]) -> dict[str, int]:
        """Target spellings of the readings, read as the source's script first (else Russian), then
        as the other Cyrillic languages."""
        script = self.src if self.src in CYRILLIC_LANGS else "ru"
        forms: dict[str, int] = {}
        for cyr in matched:
            for sc in (script, *[s for s in CYRILLIC_LANGS if s != script]):
                for form, rank in self.tgt_forms(cyr, sc).items():
                    forms.setdefault(form, rank)
        return forms


    def foreign_exonym_for_source(self, token: str, source_names: Sequence[str]) -> Verdict | None:
        """A lexicon spelling of another language ("Kiew") for a name of the Cyrillic source."""
        if self.lexicon.is_correct(self.tgt, token):
            return None
        for lang in LANGUAGE_NAMES:
            if lang == self.tgt or lang in CYRILLIC_LANGS:
                continue
            for entry in self.lexicon.lookup(lang, token):
                suggestion = entry.preferred(self.tgt)
                keys = [cyrillic_key(f) for s in CYRILLIC_LANGS for f in entry.forms.get(s, ())]
                if suggestion and any(_same_name(k, n) for k in keys for n in source_names):
                    kind = "exonym" if entry.kind == "place" else "spelling"
                    return Verdict(token, recase(token, suggestion), f"{LANGUAGE_NAMES[lang]} {kind}", "lexicon", keys[0])
        return None

    # ------------------------------------------------------------------ consistency
    @lru_cache(maxsize=200_000)  # noqa: B019 - one analyzer per run, kept for the run: the cache dies with it
    def target_cyrillic_keys(self, word: str) -> frozenset[str]:
        """Cyrillic keys of the names a target-language spelling can romanize."""
        return frozenset(self._verified_keys(word, self._candidate_keys(word)))

    @lru_cache(maxsize=20_000)  # noqa: B019 - up to 512 candidates a word: bounded for million-pair runs
    def _candidate_keys(self, word: str) -> dict[str, tuple[str, ...]]:
        """Cyrillic keys a target-language spelling might romanize, unverified (the reverse index
        over-generates), each with its Cyrillic candidates."""
        low = word.lower()
        if self._tgt_index is None or any(ch not in self._tgt_index.letters for ch in low):
            return {}
        out: dict[str, list[str]] = {}
        for cyr in self._tgt_index.parse(low):
            out.setdefault(cyrillic_key(cyr), []).append(cyr)
        return {k: tuple(v) for k, v in out.items()}

    def _verified_keys(self, word: str, keys: Iterable[str]) -> list[str]:
        low = word.lower()
        candidates = self._candidate_keys(word)
        convs = [c for c in self.tgt_convs if c.script in CYRILLIC_LANGS]
        return [k for k in keys if any(conv.produces(cyr, low) for cyr in candidates[k] for conv in convs)]

    def spelling_groups(self, words: Sequence[str]) -> list[list[str]]:
        """Groups of distinct spellings that romanize one Cyrillic name (two or more per group)."""
        parent = {w: w for w in words}

        def find(w: str) -> str:
            while parent[w] != w:
                parent[w] = parent[parent[w]]
                w = parent[w]
            return w

        owner: dict[str, str] = {}
        latin_source = self.src not in CYRILLIC_LANGS
        eligible = [w for w in words if not (latin_source and self.latin_verdict(w, False) is not None)]
        # Verifying a candidate is the dear step: only keys that two words might share can join
        # them, so the others are never verified (same groups as verifying every key).
        spread = Counter(k for w in eligible for k in self._candidate_keys(w) if len(k) >= 4)
        for w in eligible:
            for key in self._verified_keys(w, [k for k in self._candidate_keys(w) if spread[k] >= 2]):
                if key in owner:
                    parent[find(w)] = find(owner[key])
                else:
                    owner[key] = w
        groups: dict[str, list[str]] = {}
        for w in words:
            groups.setdefault(find(w), []).append(w)
        return [g for g in groups.values() if len({x.lower() for x in g}) > 1]

    def shared_cyrillic(self, a: str, b: str) -> str:
        common = self.target_cyrillic_keys(a) & self.target_cyrillic_keys(b)
        return min(common) if common else ""


def _only_doubling(a: str, b: str) -> bool:
    """``a`` is ``b`` with one letter doubled ("Mauss"/"Maus"): too weak a difference to flag."""
    return len(a) == len(b) + 1 and any(a[:i] + a[i + 1 :] == b and a[i] == a[i - 1] for i in range(1, len(a)))


def _plain(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def _same_name(candidate: str, source: str) -> bool:
    """Whether a candidate key and a (possibly inflected) source key are one name."""
    if len(candidate) < 3 or candidate[0] != source[0]:
        return False
    common = 0
    for a, b in zip(candidate, source):
        if a != b:
            break
        common += 1
    return common >= 3 and common >= min(len(candidate), len(source)) - 2 and len(candidate) - common <= 3




def source_cyrillic_names(text: str) -> list[str]:
    """Keys of capitalised Cyrillic words of a source text (names and sentence-initial words)."""
    return [cyrillic_key(m.group()) for m in WORD.finditer(text) if m.group()[:1].isupper() and _CYRILLIC.match(m.group()) and not m.group().isupper()]


@lru_cache(maxsize=4096)  # the name rules read the same target one after another
def candidate_tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """Capitalised words that could be names (no all-caps acronyms); possessive 's split off."""
    out = []
    for m in WORD.finditer(text):
        word = m.group()
        if not word[:1].isupper():
            continue
        for sep in ("'", "’"):
            if sep in word:
                word = word.split(sep, 1)[0]
        if len(word) >= 3 and sum(ch.isupper() for ch in word) == 1:
            out.append((m.start(), m.start() + len(word), word))
    return tuple(out)


def words_of(text: str) -> frozenset[str]:
    return frozenset(WORD.findall(text))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (a short pure-Python loop: names are short, and rapidfuzz costs start-up time)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
