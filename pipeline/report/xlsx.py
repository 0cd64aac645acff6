"""The issue list as an Excel workbook (openpyxl), the exchange format of localization QA tools
such as Xbench and CheckMate: one row per issue with source, target, flagged text and a status
column for the reviewer; a sheet of the segments, least adequate first (:func:`_segments_sheet`); one
with the scores.  "Segment (0-based)" is the ``segment`` of
issues.jsonl; "Line" and "Column" are 1-based, in the file of the issue's side (as in SARIF).

The reviewer's columns flow back: "Status" (a list: open, confirmed, false positive, fixed; filled
with the issue's current decision) and "Comment", read with the "Fingerprint" column by
``mtqa review import issues.xlsx`` (pipeline/review.py).
"""

from __future__ import annotations

import io
import itertools
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .view import ReportView, build_view, segment_texts

ISSUE_COLUMNS = [
    ("#", 5),
    ("System", 16),
    ("Document", 18),
    ("Unit", 16),
    ("Segment (0-based)", 10),
    ("Line", 6),
    ("Column", 7),
    ("Side", 7),
    ("Severity", 9),
    ("Category", 20),
    ("Code", 7),
    ("Check", 20),
    ("Source", 45),
    ("Target", 45),
    ("Flagged text", 18),
    ("Message", 40),
    ("Suggestion", 18),
    ("Ignored", 8),
    ("Ignore reason", 18),
    ("Fingerprint", 18),
    ("Status", 14),
    ("Comment", 30),
]
STATUS_CHOICES = ("open", "confirmed", "false positive", "fixed")  # pipeline/review.py XLSX_STATUS reads them
_FILLS = {
    "critical": PatternFill("solid", fgColor="FFCDD2"),
    "major": PatternFill("solid", fgColor="FFE0B2"),
    "minor": PatternFill("solid", fgColor="FFF3B0"),
    "neutral": PatternFill("solid", fgColor="E3E8EB"),
}


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def _append(ws, values: list[Any], row_number: int) -> tuple:
    """Write row ``row_number`` and return its cells.  (Finding the new row through
    ``ws.max_row``, which scans every cell, made writing n issues take n^2 time.)"""
    ws.append([_cell_value(v) for v in values])
    row = tuple(ws.cell(row=row_number, column=c) for c in range(1, len(values) + 1))
    for cell in row:
        # A translation that starts with "=" is text, not a formula for Excel to run.
        if cell.data_type == "f":
            cell.data_type = "s"
    return row


def _header(ws, columns: list[tuple[str, int]]) -> None:
    ws.append([name for name, _ in columns])
    for k, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
        ws.cell(row=1, column=k).font = Font(bold=True)
    ws.freeze_panes = "A2"


def _decision(fingerprint: str, ignored: bool, reason: str | None, reviews: dict[str, dict[str, Any]]) -> list[str]:
    """The Status and Comment cells: the issue's current decision, so that a re-import keeps it."""
    if ignored:
        return ["false positive", reason or ""]
    review = reviews.get(fingerprint)
    if review:
        return [review["status"], review.get("comment") or ""]
    return ["open", ""]


def _status_list(ws, n_issues: int) -> None:
    """The Status column accepts only the listed choices (a drop-down in Excel and LibreOffice)."""
    if not n_issues:
        return
    column = get_column_letter(ISSUE_COLUMNS.index(("Status", 14)) + 1)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose open, confirmed, false positive or fixed",
        promptTitle="Status",
        prompt="false positive: ignored from the next run on (the comment is the reason); confirmed/fixed: recorded; open: no decision",
        showInputMessage=True,
    )
    validation.add(f"{column}2:{column}{n_issues + 1}")
    ws.add_data_validation(validation)


SEGMENT_COLUMNS = [
    ("System", 16),
    ("Document", 18),
    ("Segment (0-based)", 10),
    ("Adequacy", 10),
    ("Issues", 7),
    ("Codes", 14),
    ("Source", 60),
    ("Target", 60),
]
# Segments beyond this many (over all systems) are left out of the sheet, the most adequate first;
# segments.parquet holds them all.
MAX_SEGMENT_ROWS = 20_000


def _segments_sheet(wb: Workbook, data: dict[str, Any], view: ReportView) -> None:
    """Every segment (bead) of every system with its adequacy (A5's z-score, results.json 1.4) and its
    issues: a review queue, least adequate first where A5 ran (document order where it did not), that
    the reviewer can filter and sort.  No sheet where results.json has no beads."""
    documents = data["documents"]
    codes: dict[tuple[str, int, int], list[str]] = {}
    for i in view.issues:
        if not i.ignored and i.bead is not None:
            codes.setdefault((i.system, i.document_index, i.bead), []).append(i.code)
    rows = []
    for system, sr in data["systems"].items():
        beads = sr.get("beads") or {}
        for d, doc in enumerate(documents):
            target = (doc.get("targets") or {}).get(system)
            for k, bead in enumerate(beads.get(doc["id"], [])):
                found = codes.get((system, d, k), [])
                rows.append([
                    system,
                    doc["id"],
                    k,
                    bead.get("adequacy"),
                    len(found),
                    " ".join(sorted(set(found))),
                    segment_texts(doc.get("source"), bead["source"]),
                    segment_texts(target, bead["target"]),
                ])
    if not rows:
        return
    # least adequate first; segments without an adequacy after, in document order (a stable sort)
    rows.sort(key=lambda r: (r[3] is None, r[3] if r[3] is not None else 0.0))
    sheet = wb.create_sheet("Segments")
    _header(sheet, SEGMENT_COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, values in enumerate(rows[:MAX_SEGMENT_ROWS], start=2):
        for cell in _append(sheet, values, number)[-2:]:
            cell.alignment = wrap
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SEGMENT_COLUMNS))}{min(len(rows), MAX_SEGMENT_ROWS) + 1}"


def render_xlsx(data: dict[str, Any], view: ReportView | None = None) -> bytes:
    view = view or build_view(data)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has one sheet
    ws.title = "Issues"
    _header(ws, ISSUE_COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    reviews = {i["fingerprint"]: i["review"] for i in data["issues"] if i.get("review")}
    for number, i in enumerate(view.issues, start=2):
        row = _append(
            ws,
            [
                i.number,
                i.system,
                i.document,
                i.unit or "",
                i.segment,
                i.line,
                i.column,
                i.side,
                i.severity,
                i.category,
                i.code,
                i.rule,
                i.source,
                i.target,
                i.text,
                i.message,
                i.suggestion or "",
                "yes" if i.ignored else "",
                i.ignore_reason or "",
                i.fingerprint,
                *_decision(i.fingerprint, i.ignored, i.ignore_reason, reviews),
            ],
            number,
        )
        for cell in row:
            cell.alignment = wrap
        row[ISSUE_COLUMNS.index(("Severity", 9))].fill = _FILLS.get(i.severity, PatternFill())
    ws.auto_filter.ref = f"A1:{get_column_letter(len(ISSUE_COLUMNS))}{len(view.issues) + 1}"
    _status_list(ws, len(view.issues))

    _segments_sheet(wb, data, view)
    scores = wb.create_sheet("Scores")
    _header(scores, [("System", 18), ("Metric", 10), ("Score", 9), ("CI low", 9), ("CI high", 9), ("Δ vs baseline", 12), ("p (bootstrap)", 12), ("p (AR)", 10), ("Signature", 70)])
    score_rows = itertools.count(2)
    for s in view.systems:
        cells = view.comparisons.get(s.name, {})
        for m in s.metrics:
            c = cells.get(m.name)
            _append(scores, [s.name, m.name, m.score, m.low, m.high, c.delta if c else None, c.p_values.get("bs") if c else None, c.p_values.get("ar") if c else None, m.signature], next(score_rows))
        if s.mqm:
            basis = f"penalty {s.mqm.get('penalty')} / {s.mqm.get('words')} words; {s.n_issues} issues, {s.n_ignored} ignored"
            _append(scores, [s.name, "MQM", s.mqm.get("score"), None, None, None, None, None, basis], next(score_rows))
        if s.mqm.get("mqm_per_1k") is not None:
            ci = s.mqm.get("mqm_per_1k_ci") or [None, None]
            _append(scores, [s.name, "MQM penalty per 1k words", s.mqm["mqm_per_1k"], ci[0], ci[1], None, None, None, s.mqm.get("mqm_per_1k_signature", "")], next(score_rows))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
