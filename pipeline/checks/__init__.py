"""Checks: registered rules run over aligned pairs, producing MQM-typed issues.

:data:`FAMILIES` is the single list of rule families (as sacrebleu's table of metrics): a code
prefix, a title and the module that declares the family's rules.  :func:`build_registry` builds a
:class:`Registry` from it; declaring a rule (``@rule``) registers nothing by itself.
:func:`run_checks` is the stage entry point.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType

from ..errors import ResourceMissing
from ..model import AlignedPair, Issue, Severity, make_fingerprint
from . import (
    adequacy,
    alignment,
    consistency,
    entities,
    glossary,
    grammar,
    icu,
    l10n_units,
    length,
    lm_fluency,
    locale,
    markup,
    names,
    numbers,
    omission,
    placeholders,
    spelling,
    typography,
    untranslated,
    wordlevel,
)
from .registry import CheckContext, Finding, Registry, Rule, rule, to_issue

__all__ = [
    "DIMENSIONS",
    "FAMILIES",
    "CheckContext",
    "Family",
    "Finding",
    "Registry",
    "Rule",
    "build_registry",
    "load_rules",
    "rule",
    "run_checks",
]


@dataclass(frozen=True)
class Family:
    prefix: str  # every rule code of the family starts with it
    title: str
    module: ModuleType  # declares the family's rules


# The first letter of a code names the dimension (like ruff's prefixes); the docs group by it.
DIMENSIONS = {"A": "Accuracy", "F": "Fluency", "L": "Locale conventions", "M": "Markup and placeholders", "N": "Names", "T": "Typography and repetition"}

FAMILIES: tuple[Family, ...] = (
    Family("A1", "alignment: omitted, added and unaligned sentences", alignment),
    Family("A2", "numbers", numbers),
    Family("A3", "length-ratio outliers", length),
    Family("A4", "glossary terms", glossary),
    Family("A5", "semantic adequacy: targets that render something else (sentence embeddings)", adequacy),
    Family("A6", "word-level accuracy: polarity, antonyms, content words (bilingual dictionaries)", wordlevel),
    Family("A7", "omissions: content and clauses of the source without a rendering", omission),
    Family("F1", "untranslated text", untranslated),
    Family("F2", "spelling", spelling),
    Family("F3", "grammar and calques", grammar),
    Family("F4", "language-model disfluency", lm_fluency),
    Family("L", "locale conventions of the target", locale),
    Family("M1", "placeholders: printf, Qt, {0}/{name}, {{ value }}, $(VAR), %name%, #PRS_ORG# masks", placeholders),
    Family("M2", "inline tags and markup: XLIFF/TMX codes, HTML written as text", markup),
    Family("M3", "ICU messages: plural branches by CLDR, select keys, variables in every branch", icu),
    Family("M4", "localization units: copied source, edge whitespace, line breaks, URLs and e-mails", l10n_units),
    Family("M5", "consistency within a file: one source translated two ways, one translation for two sources", consistency),
    Family("N1", "names: romanizations, exonyms, consistency", names),
    Family("N2", "entities: each name of the source rendered in the target", entities),
    Family("T", "typography and repetition", typography),
)


def build_registry(families: Sequence[Family] = FAMILIES) -> Registry:
    """Every rule the families' modules declare, checked against the family's code prefix."""
    registry = Registry()
    for family in families:
        if family.prefix[0] not in DIMENSIONS:
            raise ValueError(f"family {family.prefix}: its first letter is not a dimension ({', '.join(DIMENSIONS)})")
        declared = [obj.mtqa_rule for obj in vars(family.module).values() if isinstance(getattr(obj, "mtqa_rule", None), Rule)]
        for r in declared:
            if not r.code.startswith(family.prefix):
                raise ValueError(f"rule {r.code} is declared in {family.module.__name__}, the module of family {family.prefix}")
            registry.add(r)
    return registry


@functools.cache
def load_rules() -> Registry:
    """The registry of every family, built once per process."""
    return build_registry()


def run_checks(
    documents: Sequence[Sequence[AlignedPair]],
    rules: Iterable[Rule],
    ctx: CheckContext,
    severity_overrides: dict[str, str] | None = None,
) -> list[Issue]:
    """Run ``rules`` over each document's pairs (one system's document per entry).

    A rule whose resource is missing is switched off for the rest of the run with a note, never
    faked.  Issues come back in document, segment, offset order with unique fingerprints.
    """
    overrides = {k: Severity.parse(v) for k, v in (severity_overrides or {}).items()}
    active = [r for r in rules if r.applies_to(ctx.src_lang, ctx.tgt_lang)]
    issues: list[Issue] = []
    for pairs in documents:
        # A pair rule is a pure function of the pair's texts and bead shape, so the same sentence
        # from another system (about 30% of WMT22 de-en outputs) reuses its findings.
        memo = ctx.findings_memo
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        # One memo entry per distinct pair, holding each rule's findings by rule code.
        entries = [
            memo.setdefault((p.source_text, p.target_text, tuple(p.reference_texts()), len(p.bead.source), len(p.bead.target), p.bead.confidence, _codes_key(p)), {})
            for p in pairs
        ]
        # A blank target (an untranslated unit, an empty line) gets A104's finding alone; decided
        # once per pair, not once per rule.
        blank = [bool(p.target) and not p.target_text.strip() for p in pairs]
        for r in list(active):
            severity = overrides.get(r.code) or overrides.get(r.name) or r.severity
            try:
                found = list(_apply(r, pairs, entries, blank, ctx))
            except ResourceMissing as missing:
                ctx.notes.append(f"{r.code} {r.name} switched off: {missing}")
                active.remove(r)
                continue
            issues.extend(to_issue(r, pair, f, severity) for pair, f in found)
    issues.sort(key=lambda i: (i.document, i.system, i.side != "target", i.segment, i.start, i.code))
    _disambiguate_fingerprints(issues)
    return issues


def _codes_key(pair: AlignedPair) -> tuple[tuple[str, int, int], ...]:
    """The inline codes of a localization pair: the same text with other tags has other findings."""
    return tuple((c.xml, c.start, c.end) for seg in (*pair.source, *pair.target) for c in seg.codes)


# Safety bound on remembered pairs; the engine also starts each shard with an empty memo.
_MEMO_LIMIT = 200_000


def _apply(
    r: Rule, pairs: Sequence[AlignedPair], entries: Sequence[dict[str, list[Finding]]], blank: Sequence[bool], ctx: CheckContext
) -> Iterable[tuple[AlignedPair, Finding]]:
    if r.scope == "document":
        yield from r.func(list(pairs), ctx)
        return
    code, func = r.code, r.func
    for pair, entry, is_blank in zip(pairs, entries, blank):
        if is_blank and not r.empty_targets:
            continue
        found = entry.get(code)
        if found is None:
            found = entry[code] = list(func(pair, ctx))
        for finding in found:
            yield pair, finding


def _disambiguate_fingerprints(issues: list[Issue]) -> None:
    """The same finding twice in one segment (per system) gets occurrence numbers 0, 1, ..."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for issue in issues:
        key = (issue.system, issue.document, issue.fingerprint)
        occurrence = seen[key]
        seen[key] += 1
        if occurrence:
            issue.fingerprint = make_fingerprint(issue.code, issue.text, issue.fingerprint, occurrence)
