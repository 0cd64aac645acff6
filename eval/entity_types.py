"""Names in English text with their type (person, place, organisation), for eval/planted_errors.py's
entity plants: issue 14 asks for "an entity replaced by another entity of the same type", and a
capitalised run alone is often no entity at all ("Thursday's", "Olympic", "Class B", a headline's
"Is Very Bad").

How a run is typed (no NER model works offline; this is eval code, tuned for precision, not recall):
- **place**: WordNet lists it as a location (noun.location: "London", "Kansas City", "Scotland") or
  CLDR names it as a territory ("North Korea", "Bolivia");
- **organisation**: its last word is the head of an organisation's name ("Fox Business Network",
  "Somerset Police", "National Weather Service"), or WordNet lists it as a group ("Labour Party");
- **person**: two or three words, none of them a place or organisation word and the first no adjective ("German Industries"), whose last word English
  does not write in lower case ("Daniel Sturridge", "Stu Rothenberg"; not "Desert Southwest", "Welsh
  Conservative") or whose first is a name English writes capitalised only ("Donald Trump"); or WordNet
  lists it as a person ("Theresa May"); one word is a person where the document names someone with it
  as the last word ("Trump" after "Donald Trump"); a title before a name is not part of it;
- **place** also: two words or more ending in a place's head word ("Stamford Bridge", "John Street")
  or opening with a place's word ("Lake Titicaca");
- anything else (times, events, nations and directions (WordNet adjectives: "Korean", "West"), titles, common words, headline words) has no type.

Reads WordNet's noun data (Debian wordnet-base) and the en_US hunspell word list (hunspell-en-us) at
run time; without them every run is untyped (and nothing is planted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.checks.entities import title_case as headline  # (the same test as N2's: a headline in title case says nothing)

WORDNET_NOUNS = Path("/usr/share/wordnet/data.noun")
WORDNET_ADJECTIVES = Path("/usr/share/wordnet/index.adj")
EN_US_WORDS = Path("/usr/share/hunspell/en_US.dic")

# WordNet's lexicographer files: noun.group, noun.location, noun.object (seas, rivers, mountains), noun.person, noun.time
_LEXNAMES = {"14": "organisation", "15": "place", "17": "place", "18": "person", "28": "time"}
# the last word of an organisation's name
ORGANISATION_HEADS = frozenset(
    "Agency Assembly Association Authority Bank Board Bureau Center Centre Church Club College Commission Committee "
    "Company Corporation Council Court Department Federation Festival Foundation Group Institute League Ministry "
    "Museum Network News Office Organization Organisation Parliament Party Police Press Service Society Team Trust "
    "Union United University Airlines Airways Motors Hospital School Academy FC".split()
)
# capitalised words that open a name without being part of it, and words of no name
NOT_NAMES = frozenset(
    "I Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Mr Mrs Ms Dr The A An It He She They We This That But And In On At For "
    "President Minister Prime Senator Governor King Queen Prince Sir Lord Chief Director Judge Inspector Detective "
    "Rep Sen Gov Coach Captain Officer Professor Father Mother Pope Bishop Mayor Secretary Chancellor Hurricane "
    "Storm Typhoon Tropical Cyclone".split()
)
# the last word of a place's name, and of an event's (no entity of the three types)
PLACE_HEADS = frozenset(
    "Street Road Avenue Lane Square Park Bridge Stadium Arena Province County State Island Islands Bay River Lake "
    "Mountain Mountains Valley Airport Station Hall Beach Coast Desert Sea Ocean Gulf Canyon Rim Town City Village".split()
)
PLACE_OPENERS = frozenset("Lake Mount Cape Port Fort San Santa Los Las Puerto Punta Lago Monte".split())
EVENT_HEADS = frozenset("Cup Games Championship Championships Open Olympics Week Day Prize Award Awards Act".split())
_LETTERS = r"[a-zà-öø-ÿ]"
_WORD = rf"(?:O'|Mc|Mac|D')?[A-Z]{_LETTERS}+(?:-[A-Z]{_LETTERS}+)?"
# a capitalised run not at the start of the sentence, without a possessive 's (the name is the run before it)
ENTITY_RUN = re.compile(rf"(?<=[\w,;:)] ){_WORD}(?: {_WORD})*(?![\w-])")


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    type: str


@lru_cache(maxsize=1)
def _wordnet_types() -> dict[str, frozenset[str]]:
    """WordNet's capitalised noun lemmas ("Kansas City") -> the types their senses have."""
    types: dict[str, set[str]] = {}
    if not WORDNET_NOUNS.exists():
        return {}
    with WORDNET_NOUNS.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("  "):
                continue  # the licence
            fields = line.split(" ", 4)
            kind = _LEXNAMES.get(fields[1])
            if kind is None:
                continue
            count = int(fields[3], 16)
            lemmas = line.split(" ")[4 : 4 + 2 * count : 2]
            for lemma in lemmas:
                if lemma[:1].isupper():
                    types.setdefault(lemma.replace("_", " "), set()).add(kind)
    return {k: frozenset(v) for k, v in types.items()}


@lru_cache(maxsize=1)
def _adjectives() -> frozenset[str]:
    """WordNet's adjectives ("korean", "western", "brown")."""
    if not WORDNET_ADJECTIVES.exists():
        return frozenset()
    with WORDNET_ADJECTIVES.open(encoding="utf-8", errors="replace") as f:
        return frozenset(line.split(" ", 1)[0] for line in f if not line.startswith(" "))


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    from babel import Locale  # deferred: only the typing needs CLDR

    return frozenset(Locale("en").territories.values())


@lru_cache(maxsize=1)
def _en_us_words() -> tuple[str, ...]:
    """The en_US dictionary's words (hunspell-en-us), as written."""
    if not EN_US_WORDS.exists():
        return ()
    lines = EN_US_WORDS.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    return tuple(w for line in lines if (w := line.split("/", 1)[0]))


@lru_cache(maxsize=1)
def _lower_case_words() -> frozenset[str]:
    """Words the en_US dictionary lists in lower case (English writes them so)."""
    return frozenset(w for w in _en_us_words() if w[:1].islower())


@lru_cache(maxsize=1)
def _capitalised_words() -> frozenset[str]:
    """Words the en_US dictionary lists capitalised (names English knows: "Christine", "Donald")."""
    return frozenset(w for w in _en_us_words() if w[:1].isupper())


def _known_proper(word: str) -> bool:
    return word in _capitalised_words() and word.lower() not in _lower_case_words()


def available() -> bool:
    return bool(_wordnet_types()) and bool(_lower_case_words())


def _proper(word: str) -> bool:
    """A word English does not write in lower case (a name's own word)."""
    return all(part.lower() not in _lower_case_words() for part in word.split("-"))


def run_type(run: str, persons: Iterable[str] = ()) -> str | None:
    """The type of a capitalised run (see the module's docstring); ``persons``: the last words of the
    document's person names."""
    words = run.split()
    if words[0] in NOT_NAMES or len(run) < 3:
        return None
    wordnet = _wordnet_types().get(run, frozenset())
    if "time" in wordnet or words[-1] in EVENT_HEADS or words[-1].lower() in _adjectives():
        return None  # a time, an event, a nation or direction ("Korean", "Republican", "West")
    if run in _territories() or ("place" in wordnet and (len(words) >= 2 or _proper(run))):
        return "place"
    if len(words) >= 2 and (words[-1] in PLACE_HEADS or words[0] in PLACE_OPENERS):
        return "place"
    if (len(words) >= 2 and words[-1] in ORGANISATION_HEADS) or "organisation" in wordnet:
        return "organisation"
    if "person" in wordnet and len(words) >= 2:
        return "person"
    # a person's name: its last word no English word ("Stu Rothenberg"), or its first a given name English
    # writes capitalised only ("Donald Trump", "Christine Blasey Ford")
    shaped = 2 <= len(words) <= 3 and (_proper(words[-1]) or _known_proper(words[0])) and words[0].lower() not in _adjectives()
    if shaped and not any(w in ORGANISATION_HEADS or w in NOT_NAMES or w in _territories() or "place" in _wordnet_types().get(w, ()) for w in words):
        return "person"
    if len(words) == 1 and run in persons:
        return "person"
    return None




def document_persons(texts: Iterable[str]) -> frozenset[str]:
    """The last words of the person names of a document's texts ("Sturridge" of "Daniel Sturridge")."""
    out = set()
    for text in texts:
        if headline(text):
            continue
        for e in entities(text):
            words = e.text.split()
            if len(words) >= 2 and e.type == "person":
                out.add(words[-1])
    return frozenset(out)


def entities(text: str, persons: Iterable[str] = ()) -> list[Entity]:
    """The typed names of one English text (none in a title-case headline)."""
    if headline(text):
        return []
    persons = frozenset(persons)
    found = []
    for m in ENTITY_RUN.finditer(text):
        start, run = m.start(), m.group()
        while " " in run and run.split(" ", 1)[0] in NOT_NAMES:  # a title before the name ("President Donald Trump")
            head, run = run.split(" ", 1)
            start += len(head) + 1
        kind = run_type(run, persons)
        if kind is not None:
            found.append(Entity(start, m.end(), run, kind))
    return found
