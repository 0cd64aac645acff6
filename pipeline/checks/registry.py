"""The check registry: the single list of rules (code, name, MQM category, severity, languages, docs).

A rule is a small pure function declared once with :func:`rule`:

    @rule("T101", "doubled-word", category="fluency/grammar", severity="minor")
    def doubled_word(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
        '''Flags a word repeated twice in a row ("the the").

        Example: "He said that that the call ..." -> "that that".
        '''
        ...

Pair rules see one :class:`AlignedPair` at a time; document rules (``scope="document"``) see all pairs
of one system's document and yield ``(pair, Finding)`` tuples, for consistency checks.  Findings carry
spans in ``pair.target_text`` (or ``pair.source_text`` with ``side="source"``); the runner turns them
into :class:`Issue` objects with segment-local offsets and fingerprints.

Rule code families (like ruff's prefixes):
    A  accuracy (A1 alignment omissions/additions, A2 numbers, A3 length, A4 glossary)
    N  names: transliteration, exonyms, consistency
    L  locale conventions (quotes, number and date formats, units)
    F  fluency (F1 untranslated, F2 spelling, F3 grammar, F4 language-model disfluency)
    T  typography and repetition
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import AlignedPair, Issue, Severity, make_fingerprint


@dataclass(slots=True)
class Finding:
    """What a check reports; offsets are into the pair's joined target (or source) text."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    severity: Severity | None = None  # overrides the rule's default
    side: str = "target"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CheckContext:
    """Per-run information and shared resources handed to every check (nothing global)."""

    src_lang: str
    tgt_lang: str
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Systems often produce the same sentence: pair rules' findings by (texts, bead shape) -> rule
    # code, and a document rule may keep its own entries (F301: ("F301", target text)).
    findings_memo: dict[tuple, list[Any]] = field(default_factory=dict, repr=False)

    def option(self, rule_name: str, key: str, default: Any = None) -> Any:
        return self.options.get(rule_name, {}).get(key, default)

    def resource(self, key: str, loader: Callable[[], Any]) -> Any:
        """Load a heavy resource once per run; ``loader`` may raise ResourceMissing."""
        if key not in self.resources:
            self.resources[key] = loader()
        return self.resources[key]


PairCheck = Callable[[AlignedPair, CheckContext], Iterable[Finding]]
DocumentCheck = Callable[[list[AlignedPair], CheckContext], Iterable[tuple[AlignedPair, Finding]]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    func: Callable[..., Iterable[Any]]
    scope: str = "pair"  # "pair" | "document"
    src_langs: frozenset[str] | None = None  # None: any language
    tgt_langs: frozenset[str] | None = None
    requires: tuple[str, ...] = ()  # optional packages/resources, for the docs
    # Loads the rule's heavy resource ahead of the first check; run in a thread next to the other
    # loads, so only for loaders that release the GIL (native code).
    preload: Callable[[CheckContext], Any] | None = None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0] if self.doc else ""

    def applies_to(self, src_lang: str, tgt_lang: str) -> bool:
        src_ok = self.src_langs is None or _base(src_lang) in self.src_langs
        tgt_ok = self.tgt_langs is None or _base(tgt_lang) in self.tgt_langs
        return src_ok and tgt_ok


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


class Registry:
    """All known rules, by code; the CLI, config validation and the rules docs read from here."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, new: Rule) -> None:
        for existing in self._rules.values():
            if existing.code == new.code or existing.name == new.name:
                raise ValueError(f"duplicate rule {new.code} {new.name} (have {existing.code} {existing.name})")
        self._rules[new.code] = new

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._rules)

    def get(self, code_or_name: str) -> Rule | None:
        if code_or_name in self._rules:
            return self._rules[code_or_name]
        return next((r for r in self._rules.values() if r.name == code_or_name), None)

    def select(self, enable: Iterable[str], disable: Iterable[str]) -> list[Rule]:
        """ruff-style selection: codes, code prefixes ("N", "L2"), names, or "ALL"."""
        enable, disable = list(enable), list(disable)
        return [r for r in self if _matches(r, enable) and not _matches(r, disable)]

    def known_selector(self, selector: str) -> bool:
        return selector == "ALL" or any(_matches(r, [selector]) for r in self) or _is_family(selector)


_FAMILIES = ("A", "N", "L", "F", "T")


def _is_family(selector: str) -> bool:
    return selector[:1] in _FAMILIES and selector[1:].isdigit() or selector in _FAMILIES


def _matches(r: Rule, selectors: list[str]) -> bool:
    return any(s == "ALL" or s == r.name or r.code.startswith(s) for s in selectors)


REGISTRY = Registry()


def rule(
    code: str,
    name: str,
    *,
    category: str,
    severity: str = "minor",
    scope: str = "pair",
    src_langs: Iterable[str] | None = None,
    tgt_langs: Iterable[str] | None = None,
    requires: Iterable[str] = (),
    preload: Callable[[CheckContext], Any] | None = None,
    registry: Registry = REGISTRY,
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Declare a check; see the module docstring."""
    if scope not in ("pair", "document"):
        raise ValueError(f"rule {code}: scope must be 'pair' or 'document'")

    def register(func: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        if not func.__doc__:
            raise ValueError(f"rule {code} ({name}) needs a docstring: it is the rule's documentation")
        registry.add(
            Rule(
                code=code,
                name=name,
                category=category,
                severity=Severity.parse(severity),
                func=func,
                scope=scope,
                src_langs=frozenset(src_langs) if src_langs is not None else None,
                tgt_langs=frozenset(tgt_langs) if tgt_langs is not None else None,
                requires=tuple(requires),
                preload=preload,
            )
        )
        return func

    return register


def to_issue(r: Rule, pair: AlignedPair, finding: Finding, severity: Severity) -> Issue:
    """Resolve a finding's bead-level span to a segment-local issue with a fingerprint."""
    segs = pair.source if finding.side == "source" else pair.target
    full = pair.source_text if finding.side == "source" else pair.target_text
    flagged = full[finding.start : finding.end]
    seg_index, start, end = pair.locate(finding.start, finding.end, finding.side)
    if not segs:
        seg_index = (pair.bead.target or pair.bead.source or (-1,))[0]
    context = next((s.text for s in segs if s.index == seg_index), full)
    return Issue(
        code=r.code,
        category=r.category,
        severity=finding.severity or severity,
        message=finding.message,
        document=pair.document,
        system=pair.system,
        segment=seg_index,
        start=start,
        end=end,
        text=flagged,
        suggestion=finding.suggestion,
        side=finding.side,
        bead=pair.bead_index,
        fingerprint=make_fingerprint(r.code, flagged, context),
        data=dict(finding.data),
    )

