"""Spelling (F2): hunspell dictionaries of the target locale, with care for names.

A word is not reported when hunspell knows it, when it is frequent in the language (wordfreq
Zipf >= ``min_zipf``, default 3.3: recent words such as "covid" that dictionaries lack; typical
misspellings stay below 3), when it occurs in the source or a reference of the same pair (names,
codes, brands are copied through), when it is an acronym, has digits, or sits in a URL or handle.
Capitalised words are names more often than typos, and names are rule N's business
(transliteration), so by default they are not checked: set
``checks.options.misspelling.capitalised: true`` to check them too.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import AlignedPair
from .coverage import TARGET_SPELLING, spelling_held_off
from .dictionaries import Speller, load_speller, speller, zipf
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import Word, base_lang, inside, masked_ranges, region, source_vocabulary, words


class MisspellingOptions(RuleOptions):
    capitalised: bool = False  # also check capitalised words (names are left to rule N)
    min_zipf: float = 3.3  # words at least this frequent (wordfreq Zipf) are never reported
    # A word this frequent in one of these languages is a quotation or a loanword ("Il faut", "coup
    # d'état"), not a typo: typos are rare strings in every language (untranslated source words are F102's).
    foreign_min_zipf: float = 4.0
    foreign_languages: tuple[str, ...] = ("de", "fr", "es", "it", "pt", "nl", "ca", "sv", "da", "nb", "pl", "cs", "ro", "hu", "fi", "tr")


# A known word behind one of these is a coinage ("unpresidential", "overtourism"), not a typo.
DERIVATION_PREFIXES = ("un", "non", "anti", "pre", "post", "re", "over", "under", "counter", "mis", "dis", "semi", "super", "ultra", "mega", "micro")


def _coinage(word: str, spell: Speller) -> bool:
    lower = word.lower()
    return any(lower.startswith(p) and len(lower) - len(p) >= 4 and spell.known(lower[len(p):]) for p in DERIVATION_PREFIXES)


def _foreign_word(ctx: CheckContext, word: str, settings: MisspellingOptions) -> bool:
    own = base_lang(ctx.tgt_lang)
    return any(lang != own and zipf(ctx, word, lang) >= settings.foreign_min_zipf for lang in settings.foreign_languages)


def _unknown_part(word: Word, spell: Speller, ctx: CheckContext, min_zipf: float) -> tuple[int, int, str] | None:
    """The span of the misspelt word, or of its misspelt part for a hyphenated compound."""
    if spell.known(word.text) or zipf(ctx, word.text, ctx.tgt_lang) >= min_zipf:
        return None
    if word.is_capitalised and spell.known(word.text.lower()):
        return None
    if "-" not in word.text:
        return word.start, word.end, word.text
    offset = word.start
    for part in word.text.split("-"):
        if len(part) > 2 and not part[0].isupper() and not spell.known(part) and zipf(ctx, part, ctx.tgt_lang) < min_zipf:
            return offset, offset + len(part), part
        offset += len(part) + 1
    return None


def _typo_suggestion(word: str, spell: Speller) -> str | None:
    """The intended word when ``word`` looks like a typo of a frequent word: at most one edit
    away for words up to five letters, two for longer ones. A word that splits into two known
    words ("warzone") or is far from every frequent word ("denuclearization") is a compound or a
    word the dictionary lacks, not a misspelling."""
    if spell.splits_into_words(word):
        return None
    found = spell.nearest(word, max_distance=1 if len(word) <= 5 else 2)
    if found is None or found[1] == 0:
        return None
    return found[0].capitalize() if word[:1].isupper() else found[0]


@rule("F201", "misspelling", category="fluency/spelling", severity="minor", requires=("chunspell", "hunspell dictionary of the target"), options=MisspellingOptions, coverage=TARGET_SPELLING)
def misspelling(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A word the target locale's hunspell dictionary does not know, with the intended word.

    Why: typos and non-words in MT output or post-edits ("goverment", "recieve"). Words of the
    source or a reference, frequent words (wordfreq), acronyms and capitalised words (names, see
    rule N) are not reported, nor words that are not within one or two edits of a frequent
    dictionary word (the suggestion) or that split into two words ("warzone"): those are
    compounds and new words, not typos.  Nor are coinages (a known word behind a prefix:
    "unpresidential") and foreign words (frequent in another language, wordfreq Zipf >= 4:
    "Il faut", "coup d'état"): quotations and loanwords, not typos.
    Options ``capitalised`` (default false), ``min_zipf`` (3.3), ``foreign_min_zipf`` (4.0) and
    ``foreign_languages``.

    Example: "the goverment said" -> "goverment" (suggestion "government").
    Switch off: ``checks.disable: [F201]``.
    """
    if spelling_held_off(ctx.src_lang, ctx.tgt_lang, {}) is not None:
        return  # too noisy on clean text of this target; the run's coverage note gives the measured reason
    spell = speller(ctx, ctx.tgt_lang)
    settings = ctx.settings("misspelling", MisspellingOptions)
    check_capitalised, min_zipf = settings.capitalised, settings.min_zipf
    text = pair.target_text
    vocab = source_vocabulary(pair.source_text, *pair.reference_texts())
    masked = masked_ranges(text)
    for word in words(text):
        if len(word.text) < 4 or word.has_digit or word.is_upper or word.text.casefold() in vocab:
            continue
        if any(c.isupper() for c in word.text[1:]):  # "mAh", "iPhone": units, brands, codes
            continue
        if word.is_capitalised and not check_capitalised:
            continue
        if inside(masked, word.start, word.end):
            continue
        hit = _unknown_part(word, spell, ctx, min_zipf)
        if hit is None:
            continue
        start, end, flagged = hit
        if _coinage(flagged, spell) or _foreign_word(ctx, flagged, settings):
            continue  # before the nearest-word search: these lookups are cheap
        suggestion = _typo_suggestion(flagged, spell)
        if suggestion is None:
            continue
        yield Finding(start, end, f"unknown word '{flagged}' ({'/'.join(spell.names)} dictionary)", suggestion=suggestion)


def _other_region_speller(ctx: CheckContext) -> Speller | None:
    other = {"US": "en-GB", "GB": "en-US", "CA": "en-GB", "AU": "en-US"}.get(region(ctx.tgt_lang) or "")
    if other is None:
        return None
    return ctx.resource(f"hunspell:{other}", lambda: load_speller(other))


@rule("F202", "spelling-variant", category="fluency/spelling", severity="neutral", tgt_langs=["en"])
def spelling_variant(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A word spelt in another regional variety than the target locale ("colour" in en-US text).

    Why: consistent regional spelling is a locale requirement; mixing British and American
    forms looks careless. Runs only when the target names a region (en-US, en-GB, en-CA, en-AU).

    Example (target en-US): "the colour of the flag" -> "colour" (suggestion "color").
    Switch off: ``checks.disable: [F202]``.
    """
    if region(ctx.tgt_lang) is None or base_lang(ctx.tgt_lang) != "en":
        return
    spell = speller(ctx, ctx.tgt_lang)
    other = _other_region_speller(ctx)
    if other is None:
        return
    text = pair.target_text
    for word in words(text):
        if len(word.text) < 4 or word.has_digit or word.is_upper or word.is_capitalised:
            continue
        if not spell.known(word.text) and other.known(word.text):
            near = spell.nearest(word.text)
            yield Finding(word.start, word.end, f"'{word.text}' is {other.lang} spelling, the target is {ctx.tgt_lang}", suggestion=near[0] if near else None)
