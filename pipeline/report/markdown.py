"""The Markdown summary, for pull-request comments and CI job summaries (GitHub-flavoured tables).

Texts from translations are escaped so that a comment shows them literally: no markup, links,
mentions or table breaks can come from the data.
"""

from __future__ import annotations

import re
from typing import Any

from .view import SEVERITIES, ReportView, build_view

# Emphasis, code, links/images ([...]), tables, HTML, strike-through, mentions and entities; the rest
# (parentheses, #, +, !) cannot start markup inside a table cell once these are escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]|<>~@&])")


def md_text(value: Any, limit: int = 160) -> str:
    """One table cell of literal text: single line, shortened, Markdown and HTML characters escaped."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _SPECIAL.sub(r"\\\1", text)


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def gate_lines(gate: dict[str, Any]) -> list[str]:
    icon = {"pass": "✅", "fail": "❌", "warn": "⚠️", "skip": "➖"}
    lines = [f"### Quality gate: {'✅ passed' if gate['passed'] else '❌ failed'}", ""]
    rows = [
        [icon.get(o["status"], ""), md_text(o["rule"]), md_text(o.get("system") or ""), "required" if o["required"] else "advisory", md_text(o["message"], 300)]
        for o in gate["outcomes"]
    ]
    return lines + _table(["", "rule", "system", "kind", "details"], rows) + [""]


def render_markdown(data: dict[str, Any], view: ReportView | None = None, gate: dict[str, Any] | None = None, max_issues: int = 20) -> str:
    view = view or build_view(data)
    lines = _heading_lines(view)
    if gate is not None:
        lines += gate_lines(gate)
    lines += _score_lines(view)
    lines += _category_lines(view)
    lines += _issue_lines(view, max_issues)
    lines += _footer_lines(view)
    return "\n".join(lines).rstrip() + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _heading_lines(view: ReportView) -> list[str]:
    return [
        f"## mtqa report: {md_text(view.src_lang)} → {md_text(view.tgt_lang)}",
        "",
        f"{_plural(view.n_documents, 'document')} · {view.n_source_segments} source segments · "
        f"{_plural(len(view.systems), 'system')} · references: {md_text(', '.join(view.references)) or 'none'}",
        "",
    ]


def _score_lines(view: ReportView) -> list[str]:
    """One row per system: each metric (with its interval and significance mark), MQM, issues."""
    metric_names = _metric_names(view)
    per_1k = any(s.mqm.get("mqm_per_1k") is not None for s in view.systems)
    rows = []
    for s in view.systems:
        cells = view.comparisons.get(s.name, {})
        row = [md_text(s.name) + (" (baseline)" if s.name == view.baseline else "")]
        for name in metric_names:
            m = next((m for m in s.metrics if m.name == name), None)
            score, half_width = (None, None) if m is None else (m.score, m.half_width)
            row.append(_metric_cell(score, half_width, cells[name].mark if name in cells else ""))
        row += [_num(s.mqm.get("score")) if s.mqm else "–"]
        row += [_per_1k_cell(s.mqm)] if per_1k else []
        row += [str(s.n_issues), str(s.n_ignored)]
        rows.append(row)
    lines = ["### Scores", "", *_table(["system", *metric_names, "MQM", *(["MQM penalty /1k words"] if per_1k else []), "issues", "ignored"], rows)]
    if view.comparisons:
        lines += ["", f"\\* significantly different from the baseline {md_text(view.baseline)} (paired bootstrap, p < 0.05; \\*\\* p < 0.01); ± is the 95% confidence interval."]
    elif any(m.half_width is not None for s in view.systems for m in s.metrics):
        lines += ["", "± is the 95% bootstrap confidence interval."]
    if per_1k:
        signature = next(s.mqm["mqm_per_1k_signature"] for s in view.systems if s.mqm.get("mqm_per_1k_signature"))
        lines += [
            "",
            "MQM penalty /1k words: severity-weighted penalty points per 1,000 target words (lower is better), "
            f"with its 95% bootstrap interval over segments in brackets; signature `{_code(signature)}`.",
        ]
    return [*lines, ""]


def _code(value: Any, limit: int = 300) -> str:
    """Text for inside a code span (where Markdown is literal): one line, no backticks."""
    return " ".join(str(value).split())[:limit].replace("`", "'")


def _per_1k_cell(mqm: dict[str, Any]) -> str:
    """ "12.40 [10.85, 14.02]": penalty per 1,000 words and its interval."""
    value, ci = mqm.get("mqm_per_1k"), mqm.get("mqm_per_1k_ci")
    if value is None:
        return "–"
    return _num(value) + (f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "")


def _metric_names(view: ReportView) -> list[str]:
    """Every system's metrics, in the order the systems first have them."""
    metric_names: list[str] = []
    for s in view.systems:
        metric_names += [m.name for m in s.metrics if m.name not in metric_names]
    return metric_names


def _metric_cell(score: float | None, half_width: float | None, mark: str) -> str:
    """ "41.20 ± 0.85 \\*": the score, its confidence interval and its significance mark."""
    cell = _num(score)
    if half_width is not None:
        cell += f" ± {half_width:.2f}"
    return cell + (" " + mark.replace("*", "\\*") if mark else "")


def _category_lines(view: ReportView) -> list[str]:
    # with one system, its name in every row would be noise
    several = len(view.systems) > 1
    rows = [
        ([md_text(s.name)] if several else []) + [md_text(cat)] + [str(counts[sev] or "") for sev in SEVERITIES] + [str(total)]
        for s in view.systems
        for cat, counts, total in s.by_category
    ]
    if not rows:
        return []
    return ["### Issues by category", "", *_table((["system"] if several else []) + ["category", *SEVERITIES, "total"], rows), ""]


def _issue_lines(view: ReportView, max_issues: int) -> list[str]:
    """The ``max_issues`` most severe issues not ignored."""
    active = [i for i in view.issues if not i.ignored]
    if not active:
        return []
    active.sort(key=lambda i: (SEVERITIES.index(i.severity), i.system, i.document_index, i.segment))
    several = len(view.systems) > 1
    title = f"### Issues ({len(active)})" if len(active) <= max_issues else f"### Issues (the {max_issues} most severe of {len(active)})"
    rows = [
        [
            i.severity,
            f"`{i.code}`",
            *([md_text(i.system)] if several else []),
            md_text(i.where, 80),
            md_text(i.text, 60),
            md_text(i.message, 200),
            md_text(i.suggestion or "", 60),
        ]
        for i in active[:max_issues]
    ]
    header = ["severity", "code", *(["system"] if several else []), "file:line:col", "flagged", "message", "suggestion"]
    return [title, "", *_table(header, rows), ""]


def _footer_lines(view: ReportView) -> list[str]:
    lines = []
    ignored = sum(s.n_ignored for s in view.systems)
    if ignored:
        lines += [f"{_plural(ignored, 'issue')} ignored by the ignore list (not counted).", ""]
    lines += [f"> note: {md_text(note, 400)}" for note in view.notes]
    if view.notes:
        lines.append("")
    return lines
