"""The issue category vocabulary: one spelling of the MQM typology for every rule, gate and report.

Categories are paths ``dimension/type`` of the MQM error typology as the WMT MQM annotations use it
(Freitag et al. 2021), extended with the locale-convention and design types of MQM Core.  Each name
is lower case with hyphens, so a category is also a stable key in JSON, SARIF and gate policies:

    accuracy/mistranslation
    locale-convention/number-format
    terminology/inappropriate-for-context

:data:`CATEGORIES` is the single list: the registry refuses a rule whose category is not in it, and a
gate policy may filter only on a known category or one of its ancestors.  Results written by older
versions of mtqa spelled some categories with spaces ("locale convention/currency format") or on
another branch ("locale/name-format"); :func:`canonical_category` maps them, so old files still read.
"""

from __future__ import annotations

import re

# Dimension -> its types.  A rule takes a leaf (or a bare dimension for issues that have no type).
TYPOLOGY: dict[str, tuple[str, ...]] = {
    "accuracy": ("addition", "omission", "mistranslation", "untranslated"),
    "fluency": ("punctuation", "spelling", "grammar", "register", "inconsistency", "character-encoding"),
    "terminology": ("inappropriate-for-context", "inconsistent"),
    "style": ("awkward",),
    "locale-convention": (
        "address-format",
        "currency-format",
        "date-format",
        "measurement-format",
        "name-format",
        "number-format",
        "telephone-format",
        "time-format",
    ),
    "design-and-markup": ("markup", "missing-text", "truncation"),
    "non-translation": (),
    "source-error": (),
    "other": (),
}

CATEGORIES: frozenset[str] = frozenset(
    list(TYPOLOGY) + [f"{dimension}/{kind}" for dimension, kinds in TYPOLOGY.items() for kind in kinds]
)

# Older spellings of a dimension, as earlier mtqa versions or MQM tools write them.
_DIMENSION_ALIASES = {
    "locale": "locale-convention",
    "locale-conventions": "locale-convention",
    "design": "design-and-markup",
    "markup": "design-and-markup",
}
_SEPARATORS = re.compile(r"[\s_]+")


def canonical_category(category: str) -> str:
    """The vocabulary's spelling of ``category`` ("Locale convention/Currency format" ->
    "locale-convention/currency-format"); a category outside the vocabulary comes back slugged."""
    parts = [_SEPARATORS.sub("-", part.strip().lower()) for part in category.strip().strip("/").split("/")]
    if parts:
        parts[0] = _DIMENSION_ALIASES.get(parts[0], parts[0])
    return "/".join(parts)


def is_category(category: str) -> bool:
    return category in CATEGORIES


def describe_vocabulary() -> str:
    """One line listing the dimensions, for error messages."""
    return ", ".join(TYPOLOGY)
