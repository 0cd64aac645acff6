"""The gate policy: rules on scores, issue counts and regressions against a baseline (YAML).

See ``configs/ci-gate.yaml`` for a documented example.  Each rule has exactly one of

* ``metric: KEY`` with ``min:`` and/or ``max:`` — an absolute threshold on a corpus score
  (``bleu``, ``chrf``, ``chrf++``, ``ter``; ``mqm`` for the MQM-style score, ``mqm_per_1k`` for its
  penalty points per 1,000 target words: ``{metric: mqm_per_1k, max: 20}``);
* ``issues: {severity, category, code}`` with ``max:`` — a limit on the number of (not ignored)
  issues that match every given filter (categories and codes match by prefix);
* ``regression: KEY`` — a limit on the drop against the baseline results: ``max_drop`` (points),
  ``max_relative_drop`` (percent), ``significant_only`` (fail only when the paired test says the
  difference is significant at ``alpha``).

``required: false`` makes a rule advisory: it is reported, never fails the gate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from ..categories import CATEGORIES, canonical_category, describe_vocabulary
from ..checks import Registry, load_rules
from ..config import _read_yaml as read_yaml_mapping
from ..errors import ConfigError
from ..model import Severity

METRIC_KEYS = ("bleu", "chrf", "chrf++", "ter", "mqm", "mqm_per_1k")
MQM_KEYS = ("mqm", "mqm_per_1k")  # from the issues (results.json systems.*.mqm), not from sacrebleu: no paired test


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class IssueFilter(_Strict):
    severity: list[Severity] | None = None
    category: list[str] | None = None
    code: list[str] | None = None

    _lists = field_validator("severity", "category", "code", mode="before")(_as_list)

    # A filter that can match nothing would let the gate pass silently: every category and code
    # must name something that exists.
    @field_validator("category")
    @classmethod
    def _known_categories(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        canonical = [canonical_category(c) for c in value]
        for given, c in zip(value, canonical):
            if c not in CATEGORIES:
                raise ValueError(f"unknown issue category {given!r} (categories are MQM paths such as accuracy/omission; dimensions: {describe_vocabulary()})")
        return canonical

    @field_validator("code")
    @classmethod
    def _known_codes(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        registry: Registry | None = (info.context or {}).get("registry")
        if value is None or registry is None:
            return value
        codes = [r.code for r in registry]
        for code in value:
            if not any(c.startswith(code) for c in codes) or not code:
                raise ValueError(f"unknown rule code {code!r} (a rule code such as N101 or a family such as N or L2; `mtqa rules` lists them)")
        return value

    def matches(self, issue: dict[str, Any]) -> bool:
        if self.severity and issue["severity"] not in {s.value for s in self.severity}:
            return False
        if self.category and not any(issue["category"] == c or issue["category"].startswith(c.rstrip("/") + "/") for c in self.category):
            return False
        return not self.code or any(issue["code"].startswith(c) for c in self.code)

    def describe(self) -> str:
        parts = []
        if self.severity:
            parts.append("|".join(s.value for s in self.severity))
        if self.category:
            parts.append("|".join(self.category))
        if self.code:
            parts.append("|".join(self.code))
        return " ".join(parts) or "any"


class GateRule(_Strict):
    name: str | None = None
    required: bool = True
    systems: list[str] | None = None  # None: every gated system
    metric: str | None = None
    min: float | None = None
    max: float | None = None
    issues: IssueFilter | None = None
    regression: str | None = None
    max_drop: float | None = Field(None, ge=0)
    max_relative_drop: float | None = Field(None, ge=0)
    significant_only: bool = True
    test: Literal["bs", "ar"] = "bs"

    _systems = field_validator("systems", mode="before")(_as_list)

    @field_validator("metric", "regression")
    @classmethod
    def _known_metric(cls, v: str | None) -> str | None:
        if v is not None and v.lower() not in METRIC_KEYS:
            raise ValueError(f"unknown metric {v!r} (choose {', '.join(METRIC_KEYS)})")
        return None if v is None else v.lower()

    @model_validator(mode="after")
    def _one_kind(self) -> GateRule:
        kinds = [k for k in ("metric", "issues", "regression") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a rule needs exactly one of 'metric', 'issues' or 'regression'")
        if self.metric is not None and self.min is None and self.max is None:
            raise ValueError("a metric rule needs 'min' or 'max'")
        if self.issues is not None and (self.max is None or self.min is not None):
            raise ValueError("an issues rule needs 'max' (the most issues allowed) and no 'min'")
        if self.regression is not None and (self.min is not None or self.max is not None):
            raise ValueError("a regression rule takes 'max_drop'/'max_relative_drop', not 'min'/'max'")
        if self.kind != "regression" and (self.max_drop is not None or self.max_relative_drop is not None):
            raise ValueError("'max_drop'/'max_relative_drop' belong to regression rules")
        return self

    @property
    def kind(self) -> str:
        return "metric" if self.metric is not None else "issues" if self.issues is not None else "regression"

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.kind == "metric":
            bounds = [f">= {self.min:g}" if self.min is not None else "", f"<= {self.max:g}" if self.max is not None else ""]
            return f"{self.metric} {' and '.join(b for b in bounds if b)}"
        if self.issues is not None:  # an issues rule: its 'max' is validated present
            return f"at most {self.max:g} {self.issues.describe()} issues"
        return f"{self.regression} not {'significantly ' if self.significant_only else ''}worse than baseline"


class Policy(_Strict):
    baseline: str | None = None  # baseline results.json (or --baseline)
    baseline_system: str | None = None  # None: the baseline file's only system
    systems: list[str] | None = None  # None: every system of the results except the baseline system
    alpha: float = Field(0.05, gt=0, lt=1)
    bootstrap_samples: int = Field(1000, ge=2)
    ar_trials: int = Field(10000, ge=1)
    seed: int | None = 12345
    rules: list[GateRule] = Field(min_length=1)

    _systems = field_validator("systems", mode="before")(_as_list)

    @property
    def needs_baseline(self) -> bool:
        return any(r.kind == "regression" for r in self.rules)


def load_policy(path: str | Path, registry: Registry | None = None) -> Policy:
    """Read and validate a policy; its issue filters are checked against ``registry`` (default:
    every registered rule)."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{p}: no such gate policy file")
    raw = read_yaml_mapping(p)
    try:
        return Policy.model_validate(raw, context={"registry": registry if registry is not None else load_rules()})
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "top level"
        if first["type"] == "extra_forbidden":
            raise ConfigError(f"{p}: unknown key '{where}'") from None
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{p}: bad value at '{where}': {message}") from None
