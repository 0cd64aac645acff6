"""Evaluating a policy on a results dict (and a baseline): one outcome per rule and system."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InputError
from ..locations import IssueLocator
from .policy import MQM_KEYS, GateRule, Policy
from .regression import PairedScorer

PASS, FAIL, WARN = "pass", "fail", "warn"


@dataclass(slots=True)
class Outcome:
    rule: str
    kind: str
    system: str | None
    required: bool
    status: str  # pass | fail (required rule violated) | warn (advisory rule violated)
    message: str
    value: float | None = None
    limit: float | None = None
    p_value: float | None = None
    issues: list[dict[str, Any]] = field(default_factory=list)  # the matching issues, for issue-count rules


@dataclass(slots=True)
class GateResult:
    outcomes: list[Outcome]
    systems: list[str]
    baseline: str | None
    ignored: dict[str, int]
    policy: str = ""
    confirmed: dict[str, int] = field(default_factory=dict)  # issues a reviewer confirmed (or marked fixed): counted as any other

    @property
    def passed(self) -> bool:
        return not any(o.status == FAIL for o in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAIL]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == WARN]

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "policy": self.policy,
            "systems": self.systems,
            "baseline": self.baseline,
            "ignored": self.ignored,
            "confirmed": self.confirmed,
            "outcomes": [{k: v for k, v in asdict(o).items() if k != "issues"} for o in self.outcomes],
        }


def _status(rule: GateRule, violated: bool) -> str:
    if not violated:
        return PASS
    return FAIL if rule.required else WARN


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def gated_systems(policy: Policy, results: dict[str, Any], baseline_in_results: bool) -> list[str]:
    available = list(results["job"]["systems"])
    if policy.systems:
        unknown = [s for s in policy.systems if s not in available]
        if unknown:
            raise InputError(f"gate policy names system {unknown[0]!r}, which is not in the results ({', '.join(available)})")
        return list(policy.systems)
    if baseline_in_results:
        return [s for s in available if s != policy.baseline_system]
    return available


def _metric_value(results: dict[str, Any], system: str, key: str) -> tuple[float, str, bool]:
    sr = results["systems"][system]
    if key == "mqm":
        if "score" not in (sr.get("mqm") or {}):
            raise InputError(f"system {system!r}: no MQM-style score in the results (run the checks with `mtqa run`)")
        return float(sr["mqm"]["score"]), "MQM", True
    if key == "mqm_per_1k":
        if (sr.get("mqm") or {}).get("mqm_per_1k") is None:
            raise InputError(f"system {system!r}: no MQM penalty per 1,000 words in the results (run the checks with `mtqa run` of mtqa >= results schema 1.3)")
        return float(sr["mqm"]["mqm_per_1k"]), "MQM penalty per 1k words", False
    if key not in sr["scores"]:
        have = ", ".join(sr["scores"]) or "none"
        raise InputError(f"system {system!r}: metric {key!r} was not computed (scores in the results: {have})")
    m = sr["scores"][key]
    if m["score"] is None:
        raise InputError(f"system {system!r}: metric {key!r} has no score")
    return float(m["score"]), m["metric"], bool(m["higher_is_better"])


def _threshold(rule: GateRule, results: dict[str, Any], system: str) -> Outcome:
    assert rule.metric is not None  # a metric rule (GateRule validates one kind per rule)
    value, name, _ = _metric_value(results, system, rule.metric)
    too_low = rule.min is not None and value < rule.min
    too_high = rule.max is not None and value > rule.max
    bounds = ", ".join(b for b in (f"min {rule.min:g}" if rule.min is not None else "", f"max {rule.max:g}" if rule.max is not None else "") if b)
    verdict = "below the minimum" if too_low else "above the maximum" if too_high else "ok"
    limit = rule.min if too_low or (rule.max is None) else rule.max
    ci = (results["systems"][system].get("mqm") or {}).get("mqm_per_1k_ci") if rule.metric == "mqm_per_1k" else None
    shown = f"{_fmt(value)} (95% CI {_fmt(ci[0])}-{_fmt(ci[1])})" if ci else _fmt(value)
    return Outcome(rule.label, "metric", system, rule.required, _status(rule, too_low or too_high), f"{name} = {shown} ({bounds}): {verdict}", value, limit)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Where:
    """Issue locations for verdict messages (``hyp.en:17:5``), the input files read only when a
    rule fails and only once."""

    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results
        self._locator: IssueLocator | None = None

    def __call__(self, issue: dict[str, Any]) -> str:
        if self._locator is None:
            self._locator = IssueLocator(self.results)
        return self._locator.locate(issue).label(issue)


def _reviewed(issue: dict[str, Any]) -> str:
    review = issue.get("review")
    return f" [{review['status']} in review]" if review else ""


def _issue_count(rule: GateRule, results: dict[str, Any], system: str, where: _Where) -> Outcome:
    assert rule.issues is not None and rule.max is not None  # an issues rule has both (validated)
    matching = [i for i in results["issues"] if i["system"] == system and not i["ignored"] and rule.issues.matches(i)]
    n = len(matching)
    violated = n > rule.max
    what = rule.issues.describe()
    message = f"{n} {what} issue{'s' if n != 1 else ''} (max {rule.max:g})"
    if violated:
        examples = [f"{where(i)} ({i['code']} \"{_short(i['text'])}\": {i['message']}){_reviewed(i)}" for i in matching[:3]]
        message += ", first at " + "; ".join(examples) + (f"; and {n - 3} more" if n > 3 else "")
    return Outcome(rule.label, "issues", system, rule.required, _status(rule, violated), message, float(n), rule.max, issues=matching)


def _regression(rule: GateRule, policy: Policy, results: dict[str, Any], baseline: dict[str, Any], system: str, scorer: PairedScorer | None) -> Outcome:
    bl_system = policy.baseline_system
    assert bl_system is not None and rule.regression is not None  # _with_baseline settled the baseline system
    if rule.regression in MQM_KEYS:
        value, name, higher = _metric_value(results, system, rule.regression)
        base, _, _ = _metric_value(baseline, bl_system, rule.regression)
        delta, p, test_note = value - base, None, " (no significance test for the MQM-style score)"
    else:
        assert scorer is not None  # evaluate builds one whenever a rule needs a paired test
        paired = scorer.compare(system, rule.regression, rule.test)
        value, base, delta, p, name, higher = paired.score, paired.baseline_score, paired.delta, paired.p_value, paired.metric, paired.higher_is_better
        test_name = "paired bootstrap" if rule.test == "bs" else "approximate randomization"
        test_note = f", {test_name} p = {p:.4f}"
    too_big, limit_text = _drop_too_big(rule, -delta if higher else delta, base)
    significant = p is not None and p < policy.alpha
    violated = too_big and (significant or not rule.significant_only or p is None)
    if not too_big:
        verdict = "within the limit"
    elif violated:
        verdict = "significantly worse" if significant else "worse"
    else:
        verdict = f"drop not significant (p >= {policy.alpha:g})"
    message = (
        f"{name} {_fmt(value)} vs baseline {bl_system} {_fmt(base)}: {delta:+.2f}{f' ({delta / abs(base) * 100:+.1f}%)' if base else ''}"
        f"{test_note}; {limit_text}: {verdict}"
    )
    return Outcome(rule.label, "regression", system, rule.required, _status(rule, violated), message, value, base, p)


def _drop_too_big(rule: GateRule, drop: float, base: float) -> tuple[bool, str]:
    """Whether a score drop (positive: worse) exceeds the rule's limits, and the limits in words."""
    if rule.max_drop is None and rule.max_relative_drop is None:
        return drop > 0, "no drop allowed"
    relative = drop / abs(base) * 100 if base else (float("inf") if drop > 0 else 0.0)
    too_big = (rule.max_drop is not None and drop > rule.max_drop) or (rule.max_relative_drop is not None and relative > rule.max_relative_drop)
    limit_text = " or ".join(
        t for t in (f"max drop {rule.max_drop:g}" if rule.max_drop is not None else "", f"max relative drop {rule.max_relative_drop:g}%" if rule.max_relative_drop is not None else "") if t
    )
    return too_big, limit_text


def evaluate(policy: Policy, results: dict[str, Any], baseline: dict[str, Any] | None = None, policy_name: str = "") -> GateResult:
    """All rules for all gated systems.  ``baseline`` is a second results dict, or None when the
    baseline system is part of ``results`` (``policy.baseline_system``) or no rule needs one."""
    baseline_in_results = baseline is None and policy.baseline_system is not None
    base = baseline
    if policy.needs_baseline:
        policy, base = _with_baseline(policy, results, baseline)
    systems = gated_systems(policy, results, baseline_in_results)
    if not systems:
        raise InputError("no system left to gate (the results hold only the baseline system)")
    scorer = None
    if policy.needs_baseline and base is not None and policy.baseline_system is not None and any(r.kind == "regression" and r.regression not in MQM_KEYS for r in policy.rules):
        scorer = PairedScorer(results, base, policy.baseline_system, policy.bootstrap_samples, policy.ar_trials, policy.seed)
    where = _Where(results)
    outcomes = [
        _outcome(rule, policy, results, base, system, scorer, where)
        for rule in policy.rules
        for system in systems
        if not rule.systems or system in rule.systems
    ]
    ignored = {s: sum(1 for i in results["issues"] if i["system"] == s and i["ignored"]) for s in systems}
    confirmed = {s: sum(1 for i in results["issues"] if i["system"] == s and not i["ignored"] and i.get("review")) for s in systems}
    return GateResult(outcomes, systems, policy.baseline_system, ignored, policy_name, confirmed)


def _with_baseline(policy: Policy, results: dict[str, Any], baseline: dict[str, Any] | None) -> tuple[Policy, dict[str, Any]]:
    """The baseline results (a second file, else ``results`` itself) for a policy with regression
    rules, and the policy with its baseline system named (the baseline file's only system)."""
    if baseline is None and policy.baseline_system is None:
        raise InputError("the gate policy has regression rules: give a baseline results file (--baseline FILE or 'baseline:' in the policy)")
    base = results if baseline is None else baseline
    base_systems = list(base["job"]["systems"])
    if policy.baseline_system is None:
        if len(base_systems) != 1:
            raise InputError(f"the baseline results hold {len(base_systems)} systems ({', '.join(base_systems)}): name one with baseline_system")
        policy = policy.model_copy(update={"baseline_system": base_systems[0]})
    elif policy.baseline_system not in base_systems:
        raise InputError(f"baseline system {policy.baseline_system!r} is not in the baseline results ({', '.join(base_systems)})")
    return policy, base


def _outcome(
    rule: GateRule, policy: Policy, results: dict[str, Any], base: dict[str, Any] | None, system: str, scorer: PairedScorer | None, where: _Where
) -> Outcome:
    if rule.kind == "metric":
        return _threshold(rule, results, system)
    if rule.kind == "issues":
        return _issue_count(rule, results, system, where)
    assert base is not None  # a regression rule: evaluate() has found the baseline results
    return _regression(rule, policy, results, base, system, scorer)
