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
    n_sys = len(view.systems)
    lines = [
        f"## mtqa report: {md_text(view.src_lang)} → {md_text(view.tgt_lang)}",
        "",
        f"{view.n_documents} document{'s' if view.n_documents != 1 else ''} · {view.n_source_segments} source segments · "
        f"{n_sys} system{'s' if n_sys != 1 else ''} · references: {md_text(', '.join(view.references)) or 'none'}",
        "",
    ]
    if gate is not None:
        lines += gate_lines(gate)

    metric_names: list[str] = []
    for s in view.systems:
        metric_names += [m.name for m in s.metrics if m.name not in metric_names]
    header = ["system", *metric_names, "MQM", "issues", "ignored"]
    rows = []
    for s in view.systems:
        cells = view.comparisons.get(s.name, {})
        row = [md_text(s.name) + (" (baseline)" if s.name == view.baseline else "")]
        for name in metric_names:
            m = next((m for m in s.metrics if m.name == name), None)
            cell = "–" if m is None else _num(m.score)
            if m is not None and m.half_width is not None:
                cell += f" ± {m.half_width:.2f}"
            mark = cells[name].mark if name in cells else ""
            row.append(cell + (" " + mark.replace("*", "\\*") if mark else ""))
        row += [_num(s.mqm.get("score")) if s.mqm else "–", str(s.n_issues), str(s.n_ignored)]
        rows.append(row)
    lines += ["### Scores", ""] + _table(header, rows)
    if view.comparisons:
        lines += ["", f"\\* significantly different from the baseline {md_text(view.baseline)} (paired bootstrap, p < 0.05; \\*\\* p < 0.01); ± is the 95% confidence interval."]
    elif any(m.half_width is not None for s in view.systems for m in s.metrics):
        lines += ["", "± is the 95% bootstrap confidence interval."]
    lines.append("")

    cat_rows = []
    for s in view.systems:
        for cat, counts, total in s.by_category:
            cat_rows.append(([md_text(s.name)] if n_sys > 1 else []) + [md_text(cat)] + [str(counts[sev] or "") for sev in SEVERITIES] + [str(total)])
    if cat_rows:
        lines += ["### Issues by category", ""]
        lines += _table((["system"] if n_sys > 1 else []) + ["category", *SEVERITIES, "total"], cat_rows) + [""]

    active = [i for i in view.issues if not i.ignored]
    if active:
        active.sort(key=lambda i: (SEVERITIES.index(i.severity), i.system, i.document_index, i.segment))
        shown = active[:max_issues]
        title = f"### Issues ({len(active)})" if len(active) <= max_issues else f"### Issues (the {max_issues} most severe of {len(active)})"
        rows = [
            [
                i.severity,
                f"`{i.code}`",
                *([md_text(i.system)] if n_sys > 1 else []),
                md_text(i.where, 80),
                md_text(i.text, 60),
                md_text(i.message, 200),
                md_text(i.suggestion or "", 60),
            ]
            for i in shown
        ]
        lines += [title, ""]
        lines += _table(["severity", "code", *(["system"] if n_sys > 1 else []), "file:line:col", "flagged", "message", "suggestion"], rows) + [""]
    ignored = sum(s.n_ignored for s in view.systems)
    if ignored:
        lines += [f"{ignored} issue{'s' if ignored != 1 else ''} ignored by the ignore list (not counted).", ""]
    for note in view.notes:
        lines.append(f"> note: {md_text(note, 400)}")
    if view.notes:
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
