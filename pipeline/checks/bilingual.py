"""Bilingual dictionaries and the English WordNet, read at run time for the word-level checks (A6).

- FreeDict X->English dictionaries in dictd format (Debian ``dict-freedict-<xxx>-eng``:
  /usr/share/dictd/freedict-<xxx>-eng.index and .dict.dz), indexed once per process into
  headword -> English words.  Indexing the large ones (German, Japanese) takes seconds, so the table
  is kept as a memory-mapped trie (pipeline/prepared.py) under ``$MTQA_CACHE_DIR/lexicon`` (default ~/.cache/mtqa/lexicon), keyed by the
  dictionary file's size and date; the dictionaries themselves are never copied into the repository.
- FreeDict English->X dictionaries (Debian ``dict-freedict-eng-<xxx>``) read backwards: every X word
  of an entry gets the English headword.  They give Russian and Hindi a table (no X->English one
  is packaged) and add many words to the X->English ones (German, French, Dutch, Finnish, Greek,
  Japanese, Czech, Italian, Spanish, Turkish, Portuguese, Polish, Arabic).
  (Ding, which the aligner reads for German, adds nothing measurable to FreeDict deu-eng + eng-deu
  for A602 on NTREX-128: one planted antonym in 156, and reading it here would tie the checks to
  pipeline.align.)
- The English WordNet 3.0 (Debian ``wordnet-base``, /usr/share/wordnet): antonym pairs of
  adjectives, adverbs and verbs, their synonyms (the words of a lemma's first synsets, and the
  head adjectives of a satellite: "huge" -> "large"), base forms ("decreased" -> "decrease") from
  its exception lists and the usual detachment rules (WordNet's "morphy").
"""

from __future__ import annotations

import gzip
import hashlib
import inspect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ResourceMissing
from ..prepared import SetTable, StringTable, prepared_json, prepared_set_table, prepared_table

FREEDICT_DIR = Path("/usr/share/dictd")
WORDNET_DIR = Path("/usr/share/wordnet")
# mtqa language code -> FreeDict's three-letter code
FREEDICT_CODES = {
    "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "nl": "nld", "pl": "pol", "cs": "ces",
    "ja": "jpn", "ar": "ara", "tr": "tur", "fi": "fin", "el": "ell", "ru": "rus", "sv": "swe", "da": "dan",
    "hi": "hin",
}
CACHE_VERSION = 3  # of the prepared tables: raise it when what they hold changes (3: PART-marked words)
MAX_REVERSE = 24  # English headwords kept per X word of an English->X dictionary
MAX_TRANSLATIONS = 12  # English words kept per headword

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_ANNOTATION = re.compile(r"\[[^\]]*\]|<[^>]*>|\([^)]*\)|\{[^}]*\}|/[^/\n]*/")
_EN_WORD = re.compile(r"[A-Za-z][a-z]+(?:-[a-z]+)*")
# English words that carry no content of their own: never evidence of a rendering.
EN_STOP = frozenset(
    "the a an and or of to in on at by for with from as into onto upon about sth someone something somebody one one's "
    "oneself sb sb's its his her their them they he she it we you i me my our your be is are was were been being that "
    "this these those which who whom what etc".split()
)


def _b64(text: str) -> int:
    value = 0
    for c in text:
        value = value * 64 + _B64[c]
    return value


def fold(word: str) -> str:
    """Lower case without accents (as :func:`pipeline.align.lexical.fold`)."""
    word = word.casefold().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# ------------------------------------------------------------------------------------- FreeDict


# A translation that is only a word of a phrasal verb ("away" of "put away" under "einräumen") or of an
# example line ("bad" of "owing to the bad weather" under "wegen") is kept with this mark: it still tells
# that a target word may render the headword (A701, A602's "rendered" test), but it is no sense of the
# headword by itself (the antonym evidence of A602 and A604: "wegen" does not mean "bad").  Lexicon.ordered
# gives the words without the mark (as before the mark), Lexicon.senses only the unmarked ones.
# NTREX-128 calib, A602 alone: clean flags in German 2 -> 0 ("wegen", "einräumen"), planted antonyms
# caught unchanged.
PART = "+"
# The particles of phrasal verbs: after the verb they make a phrase whose words have no sense of their own
# ("put away", "give up", "turn down").
_PARTICLES = frozenset("away up down out off back over around round about through along aside apart forward forth together behind ahead across".split())


def _phrasal(content: list[str]) -> bool:
    """Whether the content words of a translation are a phrasal verb or the like, whose words are no
    senses by themselves ("put away": "einräumen" means neither "put" nor "away"), unlike a word or a
    free combination ("nuclear weapon", "outside the house": each word a sense)."""
    return any(w in _PARTICLES for w in content[1:])


def _add(known: list[str], word: str, whole: bool) -> None:
    """Add a translation to a headword's list (``PART``-marked unless ``whole``); a word listed as a
    part keeps its place and loses its mark when it comes again as a whole translation."""
    if word in known:
        return
    if PART + word in known:
        if whole:
            known[known.index(PART + word)] = word
        return
    known.append(word if whole else PART + word)


def _entry_translations(entry: str) -> list[str]:
    """The English words of one dictd entry: the lines after the headword, without phonetics, labels,
    cross-references and the source-language definitions some dictionaries add.  A word that is only
    part of a phrase or of an example line ("\"wegen des schlechten Wetters\" - because of the bad
    weather") comes ``PART``-marked (see there)."""
    lines = entry.split("\n")[1:]
    found: list[tuple[str, bool]] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(("see:", "Synonym", "Note:", "Antonym")) or (line.startswith("(") and line.endswith(")")):
            continue
        example = line.startswith(('"', "“"))
        line = re.sub(r"^\d+\.\s*", "", line)
        line = _ANNOTATION.sub(" ", line)
        if not line.isascii():
            continue  # a definition in the source language ("eräs lintulaji ..."), not a translation
        for phrase in re.split(r"[,;]", line):
            words = [w.lower() for w in _EN_WORD.findall(phrase)]
            content = [w for w in words if w not in EN_STOP and len(w) >= 2]
            if 1 <= len(content) <= 3:  # a word or a short phrase, not a definition
                whole = not example and not _phrasal(content)
                found.extend((w, whole) for w in content)
        if len(found) >= MAX_TRANSLATIONS:
            break
    wholes = {w for w, whole in found if whole}
    return [w if w in wholes else PART + w for w in dict.fromkeys(w for w, _ in found)][:MAX_TRANSLATIONS]


def _dictd_entries(index: Path, data: Path) -> Iterator[tuple[str, str]]:
    """(headword, entry text) of every entry of a dictd dictionary (its .index and .dict.dz)."""
    with gzip.open(data) as fh:
        body = fh.read()
    with index.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[0].startswith("00database"):
                continue
            start, length = _b64(parts[1]), _b64(parts[2])
            yield parts[0], body[start : start + length].decode("utf-8", errors="replace")


def _index_freedict(index: Path, data: Path) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for headword, entry in _dictd_entries(index, data):
        head = headword.strip().lower()
        if not head or " " in head:
            continue  # single words only: the checks look words up one at a time
        words = _entry_translations(entry)
        if words:
            known = table.setdefault(head, [])
            for word in words:
                _add(known, word.removeprefix(PART), not word.startswith(PART))
    return table


_REVERSE_HEAD = re.compile(r"^([a-z]+(?:-[a-z]+)*)(?:\s+/.*|\s+<[^>]*>)?$")
_PLACEHOLDERS = re.compile(r"(?<!\w)(?:etw|jdn|jdm|jds|jd)\.\s*")  # German "etw. verkaufen": "sell sth."
_NUMBERED = re.compile(r"^\d+\.\s*")
_NOT_IN_WORD = frozenset(" \t~()[]<>/\"'!?:=+*&")


def _entry_words(entry: str) -> tuple[str, list[str]] | None:
    """The English headword of one English->X dictd entry and the single X words it gives, or None
    for a phrase or a name.  The translations are the numbered lines, or the first line when none
    is numbered; other lines are examples or English glosses ("relating to ...")."""
    lines = [line.strip() for line in entry.split("\n")]
    head = _REVERSE_HEAD.match(lines[0])
    if head is None or head.group(1) in EN_STOP:
        return None
    body = [line for line in lines[1:] if line]
    numbered = [_NUMBERED.sub("", line) for line in body if _NUMBERED.match(line)]
    words: list[str] = []
    for line in numbered or body[:1]:
        for phrase in re.split(r"[,;.]", _ANNOTATION.sub(" ", _PLACEHOLDERS.sub("", line))):
            phrase = phrase.strip()
            if phrase[:1].isalpha() and not any(c.isdigit() or c in _NOT_IN_WORD for c in phrase):
                words.append(phrase.lower())  # one word, not a phrase (Hindi joins its words with "~")
    return (head.group(1), words) if words else None


def _index_reverse(index: Path, data: Path) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for _, entry in _dictd_entries(index, data):
        found = _entry_words(entry)
        if found is None:
            continue
        english, words = found
        for word in words:
            known = table.setdefault(word, [])
            if english not in known and len(known) < MAX_REVERSE:
                known.append(english)
    return table


def freedict_paths(lang: str) -> tuple[Path, Path] | None:
    code = FREEDICT_CODES.get(lang)
    if code is None:
        return None
    index, data = FREEDICT_DIR / f"freedict-{code}-eng.index", FREEDICT_DIR / f"freedict-{code}-eng.dict.dz"
    return (index, data) if index.exists() and data.exists() else None


def reverse_paths(lang: str) -> tuple[Path, Path] | None:
    code = FREEDICT_CODES.get(lang)
    if code is None:
        return None
    index, data = FREEDICT_DIR / f"freedict-eng-{code}.index", FREEDICT_DIR / f"freedict-eng-{code}.dict.dz"
    return (index, data) if index.exists() and data.exists() else None


def load_freedict(lang: str, reverse: bool = False) -> StringTable:
    """Headword -> English words of the FreeDict dictionary of ``lang`` (raises ResourceMissing);
    ``reverse``: of the English->``lang`` dictionary read backwards."""
    paths = reverse_paths(lang) if reverse else freedict_paths(lang)
    code = FREEDICT_CODES.get(lang, lang)
    if paths is None:
        name = f"eng-{code}" if reverse else f"{code}-eng"
        raise ResourceMissing(f"no FreeDict {name} dictionary (Debian: apt-get install dict-freedict-{name})")
    index, data = paths
    name = f"freedict-eng-{code}.reverse" if reverse else f"freedict-{code}-eng"
    return cached_table(f"{name}.v{CACHE_VERSION}", data, lambda: (_index_reverse if reverse else _index_freedict)(index, data))


def cached_table(name: str, source: Path, build: Callable[[], dict[str, list[str]]]) -> StringTable:
    """A word table built from a dictionary file, kept in the cache folder under ``name`` and the
    file's size and time (a changed file is indexed again) as a memory-mapped trie (pipeline/prepared.py):
    a run maps it in a millisecond, and worker processes share its pages (German FreeDict both ways:
    1.7 CPU s and 220 MB as a dict of lists, 5.6 MB as a trie)."""
    return prepared_table("lexicon", name, [source], build)


# ------------------------------------------------------------------------------ the lexicon


# Inflection endings tried, longest first, when a source word is not a headword itself: the stem
# found must be a headword (or a headword minus its citation ending: French "augmenter" for
# "augmenté").  Per language; the default serves the rest.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "de": ("ungen", "ern", "en", "er", "es", "em", "e", "n", "s", "st", "t", "te", "ten"),
    "fr": ("èrent", "aient", "ait", "ées", "és", "ée", "é", "ant", "ent", "es", "e", "s", "x", "ons", "ez", "ra", "ront", "rait"),
    "es": ("aron", "ieron", "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "ando", "iendo", "ó", "ió", "an", "en", "es", "as", "os", "s"),
    "it": ("ato", "ata", "ati", "ate", "ito", "ita", "iti", "ite", "ando", "endo", "ano", "ono", "ò", "i", "e", "a", "o"),
    "pt": ("aram", "eram", "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "ando", "endo", "ou", "eu", "am", "em", "es", "as", "os", "s"),
    "nl": ("den", "ten", "de", "te", "en", "e", "s", "t", "d"),
    "pl": ("ami", "ach", "owi", "ego", "emu", "ych", "ymi", "ow", "ów", "om", "em", "a", "y", "i", "e", "u", "ą", "ę", "o", "ie", "ł", "ła", "ło", "li", "ły"),
    "fi": ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "n", "t", "a", "ä", "ja", "jä", "ien", "iden", "ista"),
    "el": ("ες", "ος", "ου", "ων", "ας", "ης", "α", "ο", "ε", "η", "ι", "ν", "ς"),
    "tr": ("ları", "leri", "lar", "ler", "ın", "in", "un", "ün", "ı", "i", "u", "ü", "da", "de", "ta", "te", "dan", "den", "a", "e"),
    "ru": ("ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ых", "их", "ой", "ей", "ый", "ий", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю",
           "ом", "ем", "ах", "ях", "ам", "ям", "ов", "ев", "ла", "ло", "ли", "ет", "ит", "ут", "ют", "ат", "ят", "ть", "а", "я", "ы", "и", "у", "ю", "е", "о", "л"),
    "hi": ("ों", "ें", "ाएं", "ाओं", "ियों", "े", "ी", "ा"),
    "cs": ("ou", "ého", "ému", "ých", "ými", "ami", "ách", "a", "y", "u", "e", "i", "í", "ě", "o"),
}
_DEFAULT_ENDINGS = ("s", "es", "e", "en", "er", "a", "o", "i")
# Citation endings that a stem may lack: the infinitive of most languages.
_CITATION: dict[str, tuple[str, ...]] = {
    "de": ("en", "n", "e"),
    "fr": ("er", "ir", "re", "e"),
    "es": ("ar", "er", "ir", "o", "a"),
    "it": ("are", "ere", "ire", "o", "a", "e"),
    "pt": ("ar", "er", "ir", "o", "a"),
    "nl": ("en", "n", "e"),
    "pl": ("ać", "ić", "yć", "eć", "a", "y", "i"),
    "fi": ("a", "ä", "i", "nen"),
    "cs": ("at", "it", "ovat", "a", "o"),
    "tr": ("mak", "mek"),
    "ru": ("ть", "ый", "ий", "ой", "а", "о"),
    "hi": ("ा", "ना"),
}
# More endings and citation forms for a word's senses (Lexicon.senses: the antonym checks), mostly of
# adjectives, whose dictionaries list the masculine singular ("nueva", "nová", "nowym", "λευκή", "grote":
# "nuevo", "nový", "nowy", "λευκός", "groot") and Turkish past and progressive verbs ("kurtardı":
# "kurtarmak").  Not in ``ordered``: A701's calibration rests on what it finds.  NTREX-128 calib, A602
# alone: planted antonyms caught in Greek 27 -> 57 of 156, Spanish 37 -> 44 (see the commit).
_SENSE_ENDINGS: dict[str, tuple[str, ...]] = {
    "es": ("a",),
    "pt": ("a",),
    "el": ("ές", "ός", "ού", "ών", "άς", "ής", "ά", "ό", "έ", "ή", "ί", "ύ"),
    "cs": ("á", "é", "ém", "ým", "ím", "ího", "ímu", "ích", "ími"),
    "pl": ("ym", "im", "ej", "ich", "iego", "iej", "iemu"),
    "tr": ("dı", "di", "du", "dü", "tı", "ti", "tu", "tü", "ıyor", "iyor", "uyor", "üyor", "yor", "mış", "miş", "muş", "müş"),
}
_SENSE_CITATION: dict[str, tuple[str, ...]] = {
    "el": ("ος", "ός", "ής", "ύς", "ο", "ό"),
    "cs": ("ý", "í"),
}
_DUTCH_VOWELS = frozenset("aeiouy")
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
# Attached pronouns ("مدرستها", her school) and the endings of feminine, plural and dual forms ("كبيرة" big,
# "المعلمات" the teachers): FreeDict's headwords are the bare masculine singular.  A word that lost a pronoun
# gets its ta marbuta back ("مدرست" + "ها" -> "مدرسة").
_ARABIC_SUFFIXES = ("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ني", "ه", "ك", "ي")
_ARABIC_ENDINGS = (("ات", "ة"), ("ات", ""), ("ون", ""), ("ين", ""), ("ان", ""), ("ة", ""))
ARABIC_MIN_STEM = 3  # letters: Arabic roots have three
_ARABIC_MARKS = re.compile("[\u064B-\u0652\u0670\u0640]")  # short vowels, shadda, tatweel: the English->Arabic dictionary writes them


def headword(lang: str, word: str) -> str:
    """The form a word is looked up in: lower case, and for Arabic without vowel marks."""
    word = word.lower()
    return _ARABIC_MARKS.sub("", word) if lang == "ar" else word


@dataclass(eq=False)  # hashed by identity: lru_cache keys (omission.word_plan)
class Lexicon:
    """English translations of the words of one source language (FreeDict both ways)."""

    lang: str
    table: StringTable | dict[str, list[str]]  # headword -> English words (a prepared table, or a dict in tests)
    _memo: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)  # word -> (ordered, senses)
    _segments: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    max_head: int = 1  # the longest headword, for segmenting unspaced text (Japanese)

    def translations(self, word: str) -> frozenset[str]:
        """English words the dictionaries give for ``word`` (inflected forms through their stems)."""
        return frozenset(self.ordered(word))

    def ordered(self, word: str) -> tuple[str, ...]:
        """The same, in the dictionaries' order: an entry's first senses first."""
        return self._lookup(word)[0]

    def senses(self, word: str) -> tuple[str, ...]:
        """The translations of ``word`` that are a sense by themselves, in order: not a word of a
        phrase or an example ("wegen": not "bad" of "because of the bad weather"; see ``PART``)."""
        return self._lookup(word)[1]

    def _lookup(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        low = headword(self.lang, word)
        found = self._memo.get(low)
        if found is not None:
            return found
        result = dict.fromkeys(self._direct(low))
        if len(result) < 3:  # "weiße": "whiteness"; its stem "weiß": "white"
            for stem in self._stems(low):
                more = dict.fromkeys(self._direct(stem))
                if more:
                    result.update(more)
                    break
        words = tuple(dict.fromkeys(w.removeprefix(PART) for w in result))
        senses = [w for w in words if w in result]
        if len(senses) < 3:  # the stems of more endings (_SENSE_ENDINGS), without the words of phrases
            for stem in self._stems(low, for_senses=True):
                whole = [w for w in self._direct(stem) if not w.startswith(PART)]
                if whole:
                    senses.extend(w for w in whole if w not in senses)
                    break
        found = (words, tuple(senses))
        if len(self._memo) < 200_000:
            self._memo[low] = found
        return found

    def known(self, word: str) -> bool:
        return word.lower() in self.table

    def _direct(self, word: str) -> Iterable[str]:
        yield from self.table.get(word, ())

    def _stems(self, word: str, for_senses: bool = False) -> Iterable[str]:
        if self.lang == "ar":
            yield from arabic_stems(word)
            return
        endings = _ENDINGS.get(self.lang, _DEFAULT_ENDINGS)
        citations = _CITATION.get(self.lang, ())
        if for_senses:
            endings = tuple(dict.fromkeys(endings + _SENSE_ENDINGS.get(self.lang, ())))
            citations = tuple(dict.fromkeys(citations + _SENSE_CITATION.get(self.lang, ())))
        for ending in sorted(endings, key=len, reverse=True):
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[: -len(ending)]
                yield stem
                for citation in citations:
                    yield stem + citation
                if for_senses and self.lang == "nl":
                    yield from _dutch_stems(stem)

    def segment(self, text: str) -> tuple[tuple[int, int], ...]:
        """Spans of dictionary words in unspaced text, longest match first (Japanese, Chinese);
        remembered per text (A6 and A7 segment the same sources)."""
        found = self._segments.get(text)
        if found is None:
            if len(self._segments) >= 20_000:
                self._segments.clear()
            found = self._segments[text] = tuple(self._segment(text))
        return found

    def _segment(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        i, n = 0, len(text)
        while i < n:
            if not text[i].isalnum():
                i += 1
                continue
            size = self._longest_word(text[i : i + self.max_head])
            if size:
                spans.append((i, i + size))
                i += size
            else:
                i += 1
        return spans

    def _longest_word(self, text: str) -> int:
        """The length of the longest headword ``text`` starts with (0: none)."""
        if isinstance(self.table, StringTable):
            return self.table.longest_prefix(text)
        return next((size for size in range(len(text), 0, -1) if text[:size] in self.table), 0)


def _dutch_stems(stem: str) -> Iterator[str]:
    """The base forms of a Dutch stem that lost its "-e"/"-en": "grot" -> "groot", "negatiev" -> "negatief",
    "algemen" -> "algemeen" (a long vowel written once in an open syllable, v and z for final f and s)."""
    voiced = {"v": "f", "z": "s"}
    bases = [stem] + ([stem[:-1] + voiced[stem[-1]]] if stem[-1] in voiced else [])
    for base in bases:
        if base != stem:
            yield base
        if len(base) >= 3 and base[-1] not in _DUTCH_VOWELS and base[-2] in "aeou" and base[-3] not in _DUTCH_VOWELS:
            yield base[:-1] + base[-2] + base[-1]


@lru_cache(maxsize=50_000)
def arabic_stems(word: str) -> tuple[str, ...]:
    """The forms an Arabic word may be looked up under, most likely first: without its article and the
    conjunction or preposition before it ("والكبيرة" -> "كبيرة"), without an attached pronoun
    ("مدرستها" -> "مدرسة"), without a feminine, plural or dual ending ("كبيرة" -> "كبير"), and last
    without a one-letter conjunction or preposition (a word's own first letter as often: "كتابه" is
    "كتاب" + "ه", not "ك" + "تابه")."""
    found: dict[str, None] = {}

    def add(base: str) -> None:
        bare = [base]
        for suffix in _ARABIC_SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= ARABIC_MIN_STEM:
                stem = base[: -len(suffix)]
                bare.append(stem[:-1] + "ة" if stem.endswith("ت") else stem)
                break
        for form in bare:
            found[form] = None
            for ending, replacement in _ARABIC_ENDINGS:
                if form.endswith(ending) and len(form) - len(ending) + len(replacement) >= ARABIC_MIN_STEM:
                    found[form[: -len(ending)] + replacement] = None

    prefixed = [p for p in _ARABIC_PREFIXES if word.startswith(p) and len(word) - len(p) >= ARABIC_MIN_STEM]
    for prefix in sorted(prefixed, key=lambda p: len(p) == 1):  # the article's prefixes first
        if len(prefix) > 1:
            found[word[len(prefix) :]] = None
    for base in [word, *(word[len(p) :] for p in prefixed if len(p) > 1)]:
        add(base)
    for prefix in prefixed:
        if len(prefix) == 1:
            add(word[1:])
    found.pop(word, None)
    return tuple(found)


def has_lexicon(lang: str) -> bool:
    return freedict_paths(lang) is not None or reverse_paths(lang) is not None


def load_lexicon(lang: str) -> Lexicon:
    """The X->English table of ``lang``: FreeDict X->English merged with English->X read backwards."""
    if not has_lexicon(lang):
        raise ResourceMissing(f"no FreeDict dictionary between {lang} and English (Debian: dict-freedict-{FREEDICT_CODES.get(lang, lang)}-eng)")
    paths = [p for p in (freedict_paths(lang), reverse_paths(lang)) if p is not None]
    if len(paths) == 1 and lang != "ar":
        table = load_freedict(lang, reverse=freedict_paths(lang) is None)
    else:  # both dictionaries merged once, kept as one table of their own
        table = prepared_table("lexicon", f"lexicon-{lang}.v{CACHE_VERSION}", [data for _, data in paths], lambda: _merged_lexicon(lang))
    max_head = max((len(h) for h in table), default=1) if lang in UNSPACED else 1
    return Lexicon(lang, table, max_head=min(max_head, 8))


def _merged_lexicon(lang: str) -> dict[str, list[str]]:
    """FreeDict X->English and English->X read backwards, under the headwords looked up (see headword)."""
    table: dict[str, list[str]] = {}
    for reverse in (False, True):
        if (reverse_paths(lang) if reverse else freedict_paths(lang)) is None:
            continue
        for word, english in load_freedict(lang, reverse).items():
            known = table.setdefault(headword(lang, word), [])
            for w in english:
                _add(known, w.removeprefix(PART), not w.startswith(PART))
    return table


UNSPACED = frozenset({"ja", "zh", "th"})


# ------------------------------------------------------------------------------------- WordNet

_MORPHY = {
    "verb": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "adj": (("er", ""), ("est", ""), ("er", "e"), ("est", "e"), ("ier", "y"), ("iest", "y")),
    "adv": (),
}


SYNONYM_SENSES = 3  # a lemma's synonyms come from its first (most frequent) senses only


@dataclass(frozen=True, eq=False)  # hashed by identity: lru_cache keys
class WordNet:
    """What the word-level checks need of WordNet: lemmas, exceptions, antonyms and synonyms."""

    lemmas: dict[str, frozenset[str]]  # pos -> lemmas
    exceptions: dict[str, dict[str, tuple[str, ...]]]  # pos -> inflected form -> base forms
    antonyms: SetTable  # lemma -> antonyms (adjectives, adverbs, verbs)
    synonyms: SetTable  # lemma -> words of its first senses (and their head adjectives)
    antonyms_by_pos: dict[str, SetTable]  # pos -> lemma -> antonyms of that part of speech
    # base forms by word, filled as words are asked for (the A6 and A7 rules ask for the same words again)
    _base_forms: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def base_forms(self, word: str) -> frozenset[str]:
        """WordNet base forms of an English word in any of the parts of speech read."""
        known = self._base_forms.get(word)
        if known is None:
            known = self._base_forms[word] = frozenset(self._find_base_forms(word))
        return known

    def _find_base_forms(self, word: str) -> set[str]:
        word = word.lower()
        found: set[str] = set()
        for pos, lemmas in self.lemmas.items():
            if word in lemmas:
                found.add(word)
            found.update(self.exceptions[pos].get(word, ()))
            for ending, replacement in _MORPHY[pos]:
                if word.endswith(ending) and len(word) > len(ending) + 1:
                    candidate = word[: -len(ending)] + replacement
                    if candidate in lemmas:
                        found.add(candidate)
        return found

    def expand(self, words: Iterable[str]) -> frozenset[str]:
        """``words`` with their base forms and the synonyms of these ("climb" -> "rise", "go up")."""
        found: set[str] = set()
        for word in words:
            found.add(word)
            for base in self.base_forms(word) | {word}:
                found.add(base)
                found.update(self.synonyms.get(base, ()))
        return frozenset(found)


def _read_senses(index: Path) -> dict[str, list[str]]:
    """Lemma -> the offsets of its first synsets (the index lists them most frequent first)."""
    senses: dict[str, list[str]] = {}
    with index.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            fields = line.split()
            if "_" not in fields[0]:
                senses[fields[0]] = fields[-int(fields[2]) :][:SYNONYM_SENSES]
    return senses


def _read_exceptions(exc: Path) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    if exc.exists():
        with exc.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2:
                    table[parts[0]] = tuple(parts[1:])
    return table


def _read_pos(folder: Path, pos: str) -> tuple[frozenset[str], dict[str, tuple[str, ...]], list[tuple[str, str]], dict[str, set[str]]]:
    """One part of speech: its lemmas, exceptions, antonym pairs and synonyms."""
    senses = _read_senses(folder / f"index.{pos}")
    table = _read_exceptions(folder / f"{pos}.exc")
    synsets: dict[str, list[str]] = {}
    heads: dict[str, list[str]] = {}  # satellite adjective synset -> its head synsets ("similar to")
    links: list[tuple[str, int, str, int]] = []
    with (folder / f"data.{pos}").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            fields = line.split(" | ", 1)[0].split()
            offset, count = fields[0], int(fields[3], 16)
            synsets[offset] = [re.sub(r"\(.*\)$", "", fields[4 + 2 * k]).lower() for k in range(count)]
            if " ! " not in line and fields[2] != "s":
                continue
            at = 4 + 2 * count
            for k in range(int(fields[at])):
                symbol, target, _, link = fields[at + 1 + 4 * k : at + 5 + 4 * k]
                if symbol == "!":
                    links.append((offset, int(link[:2], 16), target, int(link[2:], 16)))
                elif symbol == "&" and fields[2] == "s":
                    heads.setdefault(offset, []).append(target)
    pairs = []
    for offset, source, target, number in links:
        if source and number and target in synsets:
            a, b = synsets[offset][source - 1], synsets[target][number - 1]
            if "_" not in a and "_" not in b and a != b:
                pairs.append((a, b))
    synonyms: dict[str, set[str]] = {}
    for lemma, offsets in senses.items():
        words = synonyms.setdefault(lemma, set())
        for offset in offsets:
            for linked in (offset, *heads.get(offset, ())):
                words.update(w for w in synsets.get(linked, ()) if "_" not in w and w != lemma)
    return frozenset(senses), table, pairs, synonyms


def _read_wordnet(folder: Path) -> WordNet:
    if not (folder / "data.adj").exists():
        raise ResourceMissing(f"WordNet not found in {folder} (Debian: apt-get install wordnet-base)")
    # Read once per machine and kept in the cache folder (pipeline/prepared.py): parsing the data files
    # costs 0.3-0.6 CPU s a run.  Lemmas and exceptions as JSON; synonyms and antonyms, most of the data,
    # as memory-mapped tries whose sets are made as words are asked for (JSON and frozensets of it all took
    # 0.13 s of every run).  The names hold the files' sizes and times and the reading code's own hash.
    files = [folder / f"{kind}.{pos}" for pos in ("adj", "adv", "verb") for kind in ("index", "data")]
    stamp = ".".join(f"{f.stat().st_size}.{int(f.stat().st_mtime)}" for f in files)
    code = hashlib.sha1("".join(inspect.getsource(f) for f in (_read_senses, _read_exceptions, _read_pos, _wordnet_tables)).encode()).hexdigest()[:10]
    name = f"wordnet.{stamp}.{SYNONYM_SENSES}.{code}"
    lemmas, exceptions = prepared_json("wordnet", name, lambda: _wordnet_tables(folder)[:2])
    table = lambda part, pick: prepared_set_table("wordnet", f"{name}.{part}", [folder / "data.adj"], lambda: pick(_wordnet_tables(folder)))  # noqa: E731
    return WordNet(
        {pos: frozenset(words) for pos, words in lemmas.items()},
        {pos: {form: tuple(bases) for form, bases in forms.items()} for pos, forms in exceptions.items()},
        table("antonyms", lambda data: data[2]),
        table("synonyms", lambda data: data[3]),
        {pos: table(f"antonyms-{pos}", lambda data, pos=pos: data[4].get(pos, {})) for pos in ("adj", "adv", "verb")},
    )


@lru_cache(maxsize=1)
def _wordnet_tables(folder: Path) -> tuple[Any, ...]:
    """WordNet's adjectives, adverbs and verbs as JSON data: lemmas, exceptions, antonyms, synonyms
    and antonyms by part of speech (sets as sorted lists); read once per process however many of
    the prepared files are missing."""
    lemmas: dict[str, list[str]] = {}
    exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
    antonyms: dict[str, set[str]] = {}
    synonyms: dict[str, set[str]] = {}
    by_pos: dict[str, dict[str, set[str]]] = {}
    for pos in ("adj", "adv", "verb"):
        found_lemmas, exceptions[pos], pairs, found = _read_pos(folder, pos)
        lemmas[pos] = sorted(found_lemmas)
        for a, b in pairs:
            antonyms.setdefault(a, set()).add(b)
            by_pos.setdefault(pos, {}).setdefault(a, set()).add(b)
        for lemma, words in found.items():
            synonyms.setdefault(lemma, set()).update(words)
    return (
        lemmas,
        exceptions,
        {k: sorted(v) for k, v in antonyms.items()},
        {k: sorted(v) for k, v in synonyms.items() if v},
        {pos: {k: sorted(v) for k, v in table.items()} for pos, table in by_pos.items()},
    )


@lru_cache(maxsize=2)
def load_wordnet(folder: Path = WORDNET_DIR) -> WordNet:
    return _read_wordnet(folder)


def has_wordnet() -> bool:
    return (WORDNET_DIR / "data.adj").exists()
