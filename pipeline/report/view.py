"""What every report shows, computed once from a results dict: the HTML, Markdown and XLSX
writers only lay it out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..checks import load_rules
from ..locations import IssueLocator
from ..model import Severity

SEVERITIES = [s.value for s in Severity]
# Preferred metric for per-segment views: chrF is meaningful on single sentences, BLEU is not.
SEGMENT_METRIC_ORDER = ("chrf", "chrf++", "bleu", "ter")


@dataclass(slots=True)
class MetricView:
    key: str
    name: str
    score: float | None
    low: float | None
    high: float | None
    half_width: float | None
    higher_is_better: bool
    signature: str


@dataclass(slots=True)
class IssueRow:
    """One issue with what a reviewer needs beside it (source and target of its bead, place in the file).

    ``segment`` is the 0-based index of results.json; ``line``/``column`` are 1-based (columns in
    UTF-16 code units) in the file of the issue's side, and ``where`` names that place
    (``hyp.en:17:5``), all from pipeline/locations.py as in SARIF and the gate verdict.
    """

    number: int
    system: str
    document: str
    unit: str | None  # the localization unit (XLIFF, TMX, PO input); None for other input
    document_index: int
    bead: int | None
    segment: int
    line: int | None
    column: int | None
    where: str
    side: str
    severity: str
    category: str
    code: str
    rule: str
    text: str
    message: str
    suggestion: str | None
    source: str
    target: str
    fingerprint: str
    ignored: bool
    ignore_reason: str | None
    start: int
    end: int
    status: str = "open"  # a reviewer's decision: open, confirmed, false_positive (ignored), fixed
    comment: str | None = None  # its comment (the ignore reason of a false positive)


@dataclass(slots=True)
class SystemView:
    name: str
    metrics: list[MetricView]
    mqm: dict[str, Any]
    n_issues: int
    n_ignored: int
    by_severity: dict[str, int]
    by_category: list[tuple[str, dict[str, int], int]]  # category, counts by severity, total
    segment_metric: str | None = None
    segment_scores: list[float] = field(default_factory=list)
    unit_beads: list[tuple[int, int]] | None = None  # segment score -> (document index, bead index)
    lowest: list[dict[str, Any]] = field(default_factory=list)
    lowest_adequacy: list[dict[str, Any]] = field(default_factory=list)  # the beads A5 found least adequate (results.json 1.4)
    reviewed: dict[str, int] = field(default_factory=dict)  # reviewer decisions recorded in the results: status -> issues


@dataclass(slots=True)
class ComparisonCell:
    score: float | None
    delta: float | None
    p_values: dict[str, float]
    mark: str
    direction: str = ""  # "better" or "worse" than the baseline where the difference is significant
    p: float | None = None  # the p-value the mark follows


@dataclass(slots=True)
class ReportView:
    src_lang: str
    tgt_lang: str
    systems: list[SystemView]
    references: list[str]
    n_documents: int
    n_source_segments: int
    baseline: str | None
    comparison_metrics: list[str]
    comparisons: dict[str, dict[str, ComparisonCell]]  # system -> metric name -> cell
    issues: list[IssueRow]
    notes: list[str]
    versions: dict[str, str]
    rules: dict[str, dict[str, str]]
    alpha: float = 0.05

    def system(self, name: str) -> SystemView:
        return next(s for s in self.systems if s.name == name)


def significance_mark(p: float | None, alpha: float = 0.05) -> str:
    if p is None:
        return ""
    if p < alpha / 5:
        return "**"
    return "*" if p < alpha else ""


def rule_info() -> dict[str, dict[str, str]]:
    return {r.code: {"name": r.name, "summary": r.summary, "category": r.category} for r in load_rules()}


def _bead_index(beads: list[dict[str, Any]], side: str, segment: int) -> int | None:
    key = "source" if side == "source" else "target"
    return next((k for k, b in enumerate(beads) if segment in b[key]), None)


def segment_texts(segments: list[dict[str, Any]] | None, indices: list[int]) -> str:
    """The texts of a bead's segments on one side (results.json documents), one space between."""
    if not segments:
        return ""
    return " ".join(segments[i]["text"] for i in indices if 0 <= i < len(segments))


def build_view(data: dict[str, Any], rules: dict[str, dict[str, str]] | None = None) -> ReportView:
    rules = rule_info() if rules is None else rules
    documents = data["documents"]
    doc_index = {doc["id"]: k for k, doc in enumerate(documents)}
    systems = list(data["job"]["systems"])

    locator = IssueLocator(data)
    issues = [_issue_row(n, issue, data, doc_index, locator, rules) for n, issue in enumerate(data["issues"], start=1)]
    system_views = [_system_view(name, data, issues) for name in systems]
    higher = {m.name: m.higher_is_better for sv in system_views for m in sv.metrics}
    comparisons, metrics_order, baseline = _comparison_cells(data.get("comparisons", []), higher)
    return ReportView(
        src_lang=data["job"]["src_lang"],
        tgt_lang=data["job"]["tgt_lang"],
        systems=system_views,
        references=list(data["job"]["references"]),
        n_documents=len(documents),
        n_source_segments=sum(len(doc.get("source", [])) or doc.get("n_source_segments", 0) for doc in documents),
        baseline=baseline,
        comparison_metrics=metrics_order,
        comparisons=comparisons,
        issues=issues,
        notes=list(data.get("notes", [])),
        versions=dict(data.get("versions", {})),
        rules=rules,
    )


def _issue_row(
    n: int, issue: dict[str, Any], data: dict[str, Any], doc_index: dict[str, int], locator: IssueLocator, rules: dict[str, dict[str, str]]
) -> IssueRow:
    """Issue number ``n`` with its place in the file and the source and target of its bead."""
    documents = data["documents"]
    d = doc_index.get(issue["document"], 0)
    doc = documents[d] if documents else {}
    beads = data["systems"].get(issue["system"], {}).get("beads", {}).get(issue["document"], [])
    bead = issue.get("bead")
    if bead is None or not 0 <= bead < len(beads):
        bead = _bead_index(beads, issue["side"], issue["segment"])
    loc = locator.locate(issue)
    source = target = ""
    if bead is not None:
        source = segment_texts(doc.get("source"), beads[bead]["source"])
        target = segment_texts(doc.get("targets", {}).get(issue["system"]), beads[bead]["target"])
    return IssueRow(
        number=n,
        system=issue["system"],
        document=issue["document"],
        unit=(issue.get("data") or {}).get("unit"),
        document_index=d,
        bead=bead,
        segment=issue["segment"],
        line=loc.line,
        column=loc.column,
        where=loc.label(issue),
        side=issue["side"],
        severity=issue["severity"],
        category=issue["category"],
        code=issue["code"],
        rule=rules.get(issue["code"], {}).get("name", ""),
        text=issue["text"],
        message=issue["message"],
        suggestion=issue.get("suggestion"),
        source=source,
        target=target,
        fingerprint=issue["fingerprint"],
        ignored=bool(issue.get("ignored")),
        ignore_reason=(issue.get("data") or {}).get("ignore_reason"),
        start=issue["start"],
        end=issue["end"],
        status="false_positive" if issue.get("ignored") else (issue.get("review") or {}).get("status", "open"),
        comment=(issue.get("data") or {}).get("ignore_reason") if issue.get("ignored") else (issue.get("review") or {}).get("comment"),
    )


def _comparison_cells(rows: list[dict[str, Any]], higher_is_better: dict[str, bool]) -> tuple[dict[str, dict[str, ComparisonCell]], list[str], str | None]:
    """results.json's comparisons (one row per system, metric and test) as system -> metric ->
    cell with every test's p-value, the metrics in order, and the baseline; a significant cell says
    whether the system is better or worse than the baseline (``higher_is_better`` by metric name)."""
    comparisons: dict[str, dict[str, ComparisonCell]] = {}
    metrics_order: list[str] = []
    baseline = None
    for c in rows:
        baseline = c["baseline"]
        if c["metric"] not in metrics_order:
            metrics_order.append(c["metric"])
        cell = comparisons.setdefault(c["system"], {}).setdefault(c["metric"], ComparisonCell(c["score"], c["delta"], {}, ""))
        cell.p_values[c["test"]] = c["p_value"]
    for cells in comparisons.values():
        for metric, cell in cells.items():
            # the mark follows the paired bootstrap test where it ran
            cell.p = cell.p_values.get("bs", cell.p_values.get("ar"))
            cell.mark = significance_mark(cell.p)
            if cell.mark and cell.delta:
                cell.direction = "better" if (cell.delta > 0) == higher_is_better.get(metric, True) else "worse"
    return comparisons, metrics_order, baseline


def _system_view(name: str, data: dict[str, Any], issues: list[IssueRow]) -> SystemView:
    sr = data["systems"].get(name, {"scores": {}, "mqm": {}, "beads": {}})
    metrics = []
    for key, m in sr["scores"].items():
        ci = m.get("ci") or {}
        metrics.append(MetricView(key, m["metric"], m["score"], ci.get("low"), ci.get("high"), ci.get("half_width"), m["higher_is_better"], m["signature"]))
    mine = [i for i in issues if i.system == name]
    active = [i for i in mine if not i.ignored]
    severity_counts = Counter(i.severity for i in active)
    view = SystemView(
        name=name,
        metrics=metrics,
        mqm=dict(sr.get("mqm") or {}),
        n_issues=len(active),
        n_ignored=len(mine) - len(active),
        by_severity={s: severity_counts.get(s, 0) for s in SEVERITIES},
        by_category=_category_rows(active),
        reviewed=dict(Counter(i.status for i in mine if i.status != "open")),
    )
    key = next((k for k in SEGMENT_METRIC_ORDER if k in sr["scores"] and sr["scores"][k].get("segments")), None)
    if key is not None:
        _add_segment_scores(view, sr["scores"][key], sr["beads"], data["documents"])
    view.lowest_adequacy = _lowest_adequacy(sr["beads"], data["documents"])
    return view


def _lowest_adequacy(beads: dict[str, Any], documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The beads of the lowest adequacy (A5's z-score; a reference-free ranking), as :func:`_lowest` picks them."""
    scored = [(b["adequacy"], (d, k)) for d, doc in enumerate(documents) for k, b in enumerate(beads.get(doc["id"], [])) if "adequacy" in b]
    scored.sort(key=lambda su: su[0])
    return _lowest(scored, beads, documents)


def _category_rows(active: list[IssueRow]) -> list[tuple[str, dict[str, int], int]]:
    """(category, counts by severity, total) per category, the most frequent first."""
    by_category: dict[str, Counter[str]] = {}
    for i in active:
        by_category.setdefault(i.category, Counter())[i.severity] += 1
    return sorted(
        ((cat, {s: c.get(s, 0) for s in SEVERITIES}, sum(c.values())) for cat, c in by_category.items()),
        key=lambda r: (-r[2], r[0]),
    )


# The lowest-scoring list leaves out segments shorter than this (source words): on a test set the
# lowest chrF is otherwise "Sincerely," and "Thanks!", whose scores say little.
LOWEST_MIN_WORDS = 5


def _add_segment_scores(view: SystemView, m: dict[str, Any], beads: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    """The segment scores of metric score ``m``, and the ten lowest of the segments with at least
    LOWEST_MIN_WORDS source words (all segments where none is that long), with their beads."""
    view.segment_metric = m["metric"]
    view.segment_scores = [s for s in m["segments"] if s is not None]
    units = [(d, b) for d, doc in enumerate(documents) for b in range(len(beads.get(doc["id"], [])))]
    # One segment score per bead (pipeline/scoring/beads.py); not so in results.json of a large
    # job, whose beads are left out, or of an older mtqa that scored documents per unit.
    if len(units) == len(m["segments"]):
        view.unit_beads = units
        scored = [(s, u) for s, u in zip(m["segments"], units) if s is not None]
        scored.sort(key=lambda su: su[0], reverse=not m["higher_is_better"])
        view.lowest = _lowest(scored, beads, documents)


def _lowest(scored: list[tuple[float, tuple[int, int]]], beads: dict[str, Any], documents: list[dict[str, Any]], n: int = 10) -> list[dict[str, Any]]:
    """The first ``n`` of ``scored`` ((score, (document index, bead index)), worst first) of at least
    LOWEST_MIN_WORDS source words (the first ``n`` of all where none is that long)."""
    lowest = []
    for s, (d, b) in scored:
        if _bead_words(documents[d], beads.get(documents[d]["id"], [])[b]) >= LOWEST_MIN_WORDS:
            lowest.append((s, (d, b)))
            if len(lowest) == n:
                break
    return [{"score": s, "document": d, "bead": b} for s, (d, b) in (lowest or scored[:n])]


def _bead_words(doc: dict[str, Any], bead: dict[str, Any]) -> int:
    """Words on the source side of a bead (0 when results.json left the texts out)."""
    return len(segment_texts(doc.get("source"), bead["source"]).split())
