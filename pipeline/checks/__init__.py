"""Checks: registered rules run over aligned pairs, producing MQM-typed issues.

Check families live in their own modules (listed in ``CHECK_MODULES``); importing a module registers
its rules in :data:`REGISTRY`.  :func:`run_checks` is the stage entry point.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable, Sequence

from ..errors import ResourceMissing
from ..model import AlignedPair, Issue, Severity, make_fingerprint
from .registry import REGISTRY, CheckContext, Finding, Registry, Rule, rule, to_issue

__all__ = [
    "REGISTRY",
    "CheckContext",
    "Finding",
    "Registry",
    "Rule",
    "load_rules",
    "rule",
    "run_checks",
]

# Each family module registers its rules on import; add new families here.
CHECK_MODULES: list[str] = ["pipeline.checks.alignment", "pipeline.checks.names"]
CHECK_MODULES += [
    "pipeline.checks.untranslated",
    "pipeline.checks.locale",
    "pipeline.checks.numbers",
    "pipeline.checks.length",
    "pipeline.checks.typography",
    "pipeline.checks.spelling",
    "pipeline.checks.grammar",
    "pipeline.checks.lm_fluency",
    "pipeline.checks.glossary",
]


def load_rules() -> Registry:
    for name in CHECK_MODULES:
        importlib.import_module(name)
    return REGISTRY


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
            memo.setdefault((p.source_text, p.target_text, tuple(p.reference_texts()), len(p.bead.source), len(p.bead.target), p.bead.confidence), {})
            for p in pairs
        ]
        for r in list(active):
            severity = overrides.get(r.code) or overrides.get(r.name) or r.severity
            try:
                found = list(_apply(r, pairs, entries, ctx))
            except ResourceMissing as missing:
                ctx.notes.append(f"{r.code} {r.name} switched off: {missing}")
                active.remove(r)
                continue
            issues.extend(to_issue(r, pair, f, severity) for pair, f in found)
    issues.sort(key=lambda i: (i.document, i.system, i.side != "target", i.segment, i.start, i.code))
    _disambiguate_fingerprints(issues)
    return issues


# Safety bound on remembered pairs; the engine also starts each shard with an empty memo.
_MEMO_LIMIT = 200_000


def _apply(r: Rule, pairs: Sequence[AlignedPair], entries: Sequence[dict[str, list[Finding]]], ctx: CheckContext) -> Iterable[tuple[AlignedPair, Finding]]:
    if r.scope == "document":
        yield from r.func(list(pairs), ctx)
        return
    code, func = r.code, r.func
    for pair, entry in zip(pairs, entries):
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
