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

Rule code families (like ruff's prefixes) are listed once, in ``pipeline.checks.FAMILIES``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..categories import CATEGORIES, describe_vocabulary
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


class RuleOptions(BaseModel):
    """A rule's settings under ``checks.options.<rule name>``: typed, with defaults, unknown keys refused.

    A rule with settings declares a subclass (``options=`` in :func:`rule`); its fields and their
    defaults appear in the rule's docs, and the config validates ``checks.options`` against it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


OptionsT = TypeVar("OptionsT", bound=RuleOptions)


@dataclass(slots=True)
class CheckContext:
    """Per-run information and shared resources handed to every check (nothing global)."""

    src_lang: str
    tgt_lang: str
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    min_confidence: float = 0.5  # align.min_confidence: beads below it are doubtful (rules may override)
    # Systems often produce the same sentence: pair rules' findings by (texts, bead shape) -> rule
    # code, and a document rule may keep its own entries (F301: ("F301", target text)).
    findings_memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    # What a rule measured of a pair besides its findings, by measure and (source text, target text):
    # A5's adequacy (the pair's similarity as z-score against faithful translations), which the engine
    # puts on the pair's bead for results.json and segments.parquet.  Cleared with the memo each shard.
    pair_measures: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict, repr=False)

    _settings: dict[str, RuleOptions] = field(default_factory=dict, repr=False)

    def settings(self, rule_name: str, model: type[OptionsT]) -> OptionsT:
        """The rule's validated options (``checks.options.<rule_name>``), built once per run."""
        found = self._settings.get(rule_name)
        if found is None:
            found = self._settings[rule_name] = model.model_validate(self.options.get(rule_name, {}))
        assert isinstance(found, model)
        return found

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
    options: type[RuleOptions] = RuleOptions  # its settings under checks.options.<name>
    # What the rule needs of a language pair beyond src_langs/tgt_langs: (src, tgt, checks.options)
    # -> why it cannot run, or None (pipeline/checks/coverage.py); None: nothing more.
    coverage: Callable[[str, str, dict[str, Any]], str | None] | None = None
    # Loads the rule's heavy resource ahead of the first check; run in a thread next to the other
    # loads, so only for loaders that release the GIL (native code).
    preload: Callable[[CheckContext], Any] | None = None
    # A pair rule sees a pair whose target is blank (an untranslated unit, an empty line) only when
    # it is about exactly that (A104); every other rule would only repeat "it is empty".
    empty_targets: bool = False

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
        """Whether ``selector`` (ALL, a name, a code or a code prefix) selects at least one rule."""
        return selector == "ALL" or (bool(selector) and any(_matches(r, [selector]) for r in self))

    def validate_checks(self, enable: Iterable[str], disable: Iterable[str], severity: Iterable[str], options: dict[str, Any]) -> dict[str, Any]:
        """Check a ``checks`` config section against the rules that exist; return its options keyed
        by rule name (a code is accepted as the key too).  Raises ValueError naming the key."""
        for key, selectors in (("enable", enable), ("disable", disable)):
            for selector in selectors:
                if not self.known_selector(selector):
                    raise ValueError(f"checks.{key}: {selector!r} selects no rule (codes such as N101, prefixes such as N or L2, rule names, or ALL; `mtqa rules` lists them)")
        for selector in severity:
            if self.get(selector) is None:
                raise ValueError(f"checks.severity: {selector!r} is not a rule code or name (`mtqa rules` lists them)")
        by_name: dict[str, Any] = {}
        for key, value in options.items():
            found = self.get(key)
            if found is None:
                raise ValueError(f"checks.options: {key!r} is not a rule code or name (`mtqa rules` lists them)")
            if not isinstance(value, dict):
                raise ValueError(f"checks.options.{key}: expected a mapping of option names to values")
            merged = {**by_name.get(found.name, {}), **value}
            try:
                found.options.model_validate(merged)
            except ValidationError as err:
                raise ValueError(_option_error(found, key, err)) from None
            by_name[found.name] = merged
        return by_name


def _option_error(r: Rule, key: str, err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    fields = ", ".join(r.options.model_fields) or "none"
    if first["type"] == "extra_forbidden":
        return f"checks.options.{key}: unknown option {where!r} for {r.code} {r.name} (its options: {fields})"
    return f"checks.options.{key}.{where}: {first['msg']} (got {first.get('input')!r})"


def _matches(r: Rule, selectors: list[str]) -> bool:
    return any(s == "ALL" or s == r.name or r.code.startswith(s) for s in selectors)


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
    options: type[RuleOptions] = RuleOptions,
    coverage: Callable[[str, str, dict[str, Any]], str | None] | None = None,
    registry: Registry | None = None,
    empty_targets: bool = False,
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Declare a check; see the module docstring.  The rule is attached to the function (``mtqa_rule``)
    for :func:`pipeline.checks.build_registry` to collect; importing a module registers nothing.
    ``registry`` adds it to that registry as well (tests build small registries this way)."""
    if scope not in ("pair", "document"):
        raise ValueError(f"rule {code}: scope must be 'pair' or 'document'")
    if category not in CATEGORIES:
        raise ValueError(f"rule {code}: category {category!r} is not in the MQM vocabulary (pipeline/categories.py: {describe_vocabulary()})")

    def register(func: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        if not func.__doc__:
            raise ValueError(f"rule {code} ({name}) needs a docstring: it is the rule's documentation")
        declared = Rule(
            code=code,
            name=name,
            category=category,
            severity=Severity.parse(severity),
            func=func,
            scope=scope,
            src_langs=frozenset(src_langs) if src_langs is not None else None,
            tgt_langs=frozenset(tgt_langs) if tgt_langs is not None else None,
            requires=tuple(requires),
            options=options,
            coverage=coverage,
            preload=preload,
            empty_targets=empty_targets,
        )
        if registry is not None:
            registry.add(declared)
        func.mtqa_rule = declared  # type: ignore[attr-defined]  # collected by build_registry
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
    segment = next((s for s in segs if s.index == seg_index), None)
    context = segment.text if segment is not None else full
    data = dict(finding.data)
    if segment is not None and segment.unit is not None:
        data["unit"] = segment.unit  # the localization unit: reports show it, write-back finds it
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
        data=data,
    )

