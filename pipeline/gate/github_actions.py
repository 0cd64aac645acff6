"""GitHub Actions workflow commands: annotations on the changed files and the job summary.

Printed only when ``GITHUB_ACTIONS`` is set.  GitHub shows a limited number of annotations per
step, so the most severe issues come first and the rest are summed up in one notice.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .evaluate import FAIL, WARN, GateResult
from .sarif import render_sarif

MAX_ISSUE_ANNOTATIONS = 50
_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: Any) -> str:
    given = ",".join(f"{k}={_prop(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + given if given else ''}::{_data(message)}"


def in_github_actions(environ: dict[str, str] | None = None) -> bool:
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS", "").lower() == "true"


def workflow_annotations(result: GateResult | None, results: dict[str, Any], rules: dict[str, dict[str, str]] | None = None) -> list[str]:
    lines = []
    if result is not None:
        for o in result.outcomes:
            if o.status in (FAIL, WARN):
                title = f"mtqa gate: {o.rule}" + (f" [{o.system}]" if o.system else "")
                lines.append(command("error" if o.status == FAIL else "warning", o.message, title=title))
    sarif = render_sarif(results, rules, systems=result.systems if result is not None else None)["runs"][0]
    order = {"error": 0, "warning": 1, "note": 2}
    active = [r for r in sarif["results"] if not r.get("suppressions")]
    active.sort(key=lambda r: order[r["level"]])
    for r in active[:MAX_ISSUE_ANNOTATIONS]:
        loc = (r.get("locations") or [{}])[0].get("physicalLocation", {})
        uri = loc.get("artifactLocation", {}).get("uri")
        region = loc.get("region", {})
        # GitHub takes columns only on a one-line span: the same numbers as the SARIF region
        # (1-based UTF-16 columns, endColumn the column after the flagged text).
        one_line = region.get("endLine", region.get("startLine")) == region.get("startLine")
        props = {
            "file": unquote(uri) if uri and not uri.startswith("file:") else None,
            "line": region.get("startLine"),
            "endLine": region.get("endLine"),
            "col": region.get("startColumn") if one_line else None,
            "endColumn": region.get("endColumn") if one_line else None,
            "title": f"mtqa {r['ruleId']} ({r['properties']['severity']}, {r['properties']['system']})",
        }
        lines.append(command(_COMMAND[r["level"]], r["message"]["text"], **props))
    if len(active) > MAX_ISSUE_ANNOTATIONS:
        lines.append(command("notice", f"{len(active) - MAX_ISSUE_ANNOTATIONS} more issues are in the report and the SARIF file", title="mtqa"))
    return lines


def append_step_summary(markdown: str, environ: dict[str, str] | None = None) -> bool:
    """Add the Markdown summary to the job's summary page (GITHUB_STEP_SUMMARY), if there is one."""
    path = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with Path(path).open("a", encoding="utf-8") as fh:
        fh.write(markdown + "\n")
    return True
