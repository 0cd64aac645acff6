"""Reviewer reports from a results dict: self-contained HTML, Markdown summary, XLSX issue list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..results import job_from_results, load_results, validate_results
from .html import render_html, render_html_pages
from .markdown import render_markdown
from .view import ReportView, build_view, rule_info
from .xlsx import render_xlsx

REPORT_FILES = {"html": "report.html", "markdown": "summary.md", "xlsx": "issues.xlsx"}

__all__ = [
    "REPORT_FILES",
    "ReportView",
    "build_view",
    "job_from_results",
    "load_results",
    "render_html",
    "render_html_pages",
    "render_markdown",
    "render_xlsx",
    "report_files",
    "rule_info",
    "validate_results",
]


def report_files(
    data: dict[str, Any],
    formats: Sequence[str] = ("html", "markdown", "xlsx"),
    gate: dict[str, Any] | None = None,
    markdown_issues: int = 20,
    rules: dict[str, dict[str, str]] | None = None,
    html_name: str = REPORT_FILES["html"],
) -> dict[str, str | bytes]:
    """Every requested report rendered in memory, by file name (nothing written yet); the HTML
    report as ``html_name``, and beside it ``<stem>-2.html``... where a large job is split into pages."""
    view = build_view(data, rules)
    out: dict[str, str | bytes] = {}
    if "html" in formats:
        out.update(render_html_pages(data, html_name, view=view, gate=gate))
    if "markdown" in formats:
        out[REPORT_FILES["markdown"]] = render_markdown(data, view=view, gate=gate, max_issues=markdown_issues)
    if "xlsx" in formats:
        out[REPORT_FILES["xlsx"]] = render_xlsx(data, view=view)
    return out
