"""CI quality gate: a policy of rules evaluated on a results dict, with JUnit XML, SARIF 2.1.0,
GitHub Actions annotations and a one-screen verdict.  Exit status: 0 passed, 1 failed, 2 usage or
input error (raised as MtqaError before any verdict).
"""

from __future__ import annotations

import json
from typing import Any

from .evaluate import FAIL, PASS, WARN, GateResult, Outcome, evaluate
from .github_actions import append_step_summary, in_github_actions, workflow_annotations
from .junit import render_junit
from .policy import GateRule, IssueFilter, Policy, load_policy
from .sarif import render_sarif

__all__ = [
    "GateResult",
    "GateRule",
    "IssueFilter",
    "Outcome",
    "Policy",
    "append_step_summary",
    "evaluate",
    "gate_files",
    "in_github_actions",
    "load_policy",
    "render_junit",
    "render_sarif",
    "verdict",
    "workflow_annotations",
]

_TAG = {PASS: "PASS", FAIL: "FAIL", WARN: "WARN"}


def verdict(result: GateResult, width: int | None = None) -> str:
    """The terminal verdict: one line per rule and system; shortened only to a ``width`` given
    (CI logs keep the whole message)."""
    required = [o for o in result.outcomes if o.required]
    head = "PASSED" if result.passed else "FAILED"
    counts = f"{len(result.failures)} of {len(required)} required rule checks failed" if result.failures else f"{len(required)} required rule checks passed"
    if result.warnings:
        counts += f", {len(result.warnings)} advisory warning{'s' if len(result.warnings) != 1 else ''}"
    lines = [f"mtqa gate: {head} ({counts})" + (f" — policy {result.policy}" if result.policy else "")]
    label_width = min(40, max((len(_label(o)) for o in result.outcomes), default=10))
    for o in result.outcomes:
        line = f"  {_TAG[o.status]}  {_label(o).ljust(label_width)}  {o.message}"
        lines.append(line if width is None or len(line) <= width else line[: max(20, width - 1)] + "…")
    ignored = sum(result.ignored.values())
    if ignored:
        lines.append(f"  ignored issues: {ignored} (listed in the ignore file; not counted)")
    confirmed = sum(result.confirmed.values())
    if confirmed:
        lines.append(f"  confirmed issues: {confirmed} (confirmed or fixed in review; counted)")
    return "\n".join(lines)


def _label(o: Outcome) -> str:
    return o.rule + (f" [{o.system}]" if o.system else "")


def gate_files(result: GateResult, results: dict[str, Any], rules: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """The gate's files by their default names, all rendered before any is written."""
    return {
        "junit.xml": render_junit(result),
        "results.sarif": json.dumps(render_sarif(results, rules, systems=result.systems), ensure_ascii=False, indent=1) + "\n",
    }
