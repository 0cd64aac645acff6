"""The reviewer report: one self-contained HTML file (inline CSS and JS, no network access).

The summary (scores, comparison table, charts) is rendered here with Jinja2's autoescaping; the
aligned document is drawn in the browser from a JSON payload so that the system selector and the
filters need no page reload.  Every text reaches the page either autoescaped or as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u003c``-style
escapes, and the script inserts it with ``textContent`` only: a translation holding ``<script>``
shows as text.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import __version__
from .pages import Page, Slice, page_names, plan_pages
from .view import LOWEST_MIN_WORDS, SEVERITIES, IssueRow, MetricView, ReportView, build_view

ASSETS = Path(__file__).resolve().parent / "assets"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(ASSETS)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda x, digits=2: "–" if x is None else f"{x:.{digits}f}"
    env.filters["pval"] = lambda p: "–" if p is None else ("< 0.001" if p < 0.001 else f"{p:.3f}")
    return env


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can end or break the block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _payload(data: dict[str, Any], view: ReportView, page: Page) -> dict[str, Any]:
    """What the page script needs for the page's slices (whole documents or parts of one), laid out
    once: the texts once per side, beads per system (a slice whose beads are one line each is just
    their number), the issues and the unit scores; indices count from each slice's first segment."""
    run = data.get("run") or {}
    issues = _page_issues(view, page)
    return {
        "systems": [s.name for s in view.systems],
        "references": view.references,
        "severities": SEVERITIES,
        "created": run.get("created"),
        "key": _storage_key(data),
        "rules": {code: info.get("name", "") for code, info in view.rules.items() if code in {i.code for i, _ in issues}},
        "documents": [_slice_payload(data["documents"][sl.doc], sl) for sl in page.slices],
        "beads": {name: [_slice_beads(data, name, sl) for sl in page.slices] for name in data["systems"]},
        "issues": [_issue_payload(i, page.slices[k], k) for i, k in issues],
        "unitScores": _unit_scores(data, view, page),
        "adequacy": _adequacy(data, view, page),
        "part": {"index": page.index, "count": len(page.pages)} if len(page.pages) > 1 else None,
        "minWords": LOWEST_MIN_WORDS,
    }


def _storage_key(data: dict[str, Any]) -> str:
    """What the page keys the reviewer's decisions by in localStorage: the results' creation time,
    or (older results without one) a digest of the job and its issues' fingerprints."""
    created = (data.get("run") or {}).get("created")
    if created:
        return str(created)
    digest = hashlib.sha256(json.dumps([data["job"].get("systems"), [i["fingerprint"] for i in data["issues"]]]).encode("utf-8"))
    return "sha256:" + digest.hexdigest()[:16]


def _slice_beads(data: dict[str, Any], name: str, sl: Slice) -> int | list[list[Any]]:
    """A system's beads on a slice, their indices counted from the slice's first segment on each
    side; only their number where bead k is segment k on every side with full confidence
    (line-aligned input: a test set's beads are then a few bytes instead of 40 per segment)."""
    lo, hi = sl.bead_range(name)
    beads = data["systems"][name]["beads"].get(data["documents"][sl.doc]["id"], [])[lo:hi]
    t0 = sl.targets.get(name, (0, 0))[0]
    r0 = {r: span[0] for r, span in sl.references.items()}
    if all(
        b["source"] == [sl.lo + k] and b["target"] == [t0 + k] and b["confidence"] == 1.0 and all(v == [r0.get(r, 0) + k] for r, v in b["references"].items())
        for k, b in enumerate(beads)
    ):
        return len(beads)
    return [[[i - sl.lo for i in b["source"]], [i - t0 for i in b["target"]], {r: [i - r0.get(r, 0) for i in idx] for r, idx in b["references"].items()}, b["confidence"]] for b in beads]


def _lines(segments: list[dict[str, Any]], first: int) -> list[int] | None:
    """The segments' 1-based line numbers; None when segment k is on line k + 1 (line-aligned files)."""
    lines = [s["line"] for s in segments]
    return None if lines == list(range(first + 1, first + len(lines) + 1)) else lines


def _slice_payload(doc: dict[str, Any], sl: Slice) -> dict[str, Any]:
    """A slice's texts and their line numbers, one list per side, and where each list starts."""
    source = doc.get("source", [])[sl.lo : sl.hi]
    targets = {name: segs[slice(*sl.targets.get(name, (0, 0)))] for name, segs in doc.get("targets", {}).items()}
    out: dict[str, Any] = {
        "id": doc["id"],
        "source": [s["text"] for s in source],
        "sourceLines": _lines(source, sl.lo),
        "targets": {name: [s["text"] for s in segs] for name, segs in targets.items()},
        "targetLines": {name: _lines(segs, sl.targets.get(name, (0, 0))[0]) for name, segs in targets.items()},
        "references": {name: [s["text"] for s in segs[slice(*sl.references.get(name, (0, 0)))]] for name, segs in doc.get("references", {}).items()},
    }
    if sl.part:
        out["part"] = list(sl.part)
        out["sourceFrom"] = sl.lo
        out["targetFrom"] = {name: sl.targets.get(name, (0, 0))[0] for name in targets}
    return out


def _adequacy(data: dict[str, Any], view: ReportView, page: Page) -> dict[str, list[list[float | None]]]:
    """Per system whose beads carry an adequacy (A5, results.json 1.4; the view lists its least adequate
    segments): the page's slices laid out as their beads, None where a bead has none (no text on a side)."""
    out = {}
    for sv in view.systems:
        if not sv.lowest_adequacy:
            continue
        beads = data["systems"][sv.name]["beads"]
        out[sv.name] = [[b.get("adequacy") for b in beads.get(data["documents"][sl.doc]["id"], [])[slice(*sl.bead_range(sv.name))]] for sl in page.slices]
    return out


def _unit_scores(data: dict[str, Any], view: ReportView, page: Page) -> dict[str, Any]:
    """Per system with one segment score per bead: the scores of the page's slices laid out as
    their beads, None where a bead has no score."""
    if "unit_scores" not in page.shared:  # the same for every page of the report: laid out once
        tables: dict[str, tuple[MetricView, list[list[float | None]]]] = {}
        for sv in view.systems:
            if sv.unit_beads is None:
                continue
            metric = next(m for m in sv.metrics if m.name == sv.segment_metric)
            beads = data["systems"][sv.name]["beads"]
            per_doc: list[list[float | None]] = [[None] * len(beads.get(doc["id"], [])) for doc in data["documents"]]
            for score, (d, b) in zip(data["systems"][sv.name]["scores"][metric.key]["segments"], sv.unit_beads):
                per_doc[d][b] = None if score is None else round(score, 2)
            tables[sv.name] = (metric, per_doc)
        page.shared["unit_scores"] = tables
    return {
        name: {"metric": metric.name, "higher": metric.higher_is_better, "scores": [per_doc[sl.doc][slice(*sl.bead_range(name))] for sl in page.slices]}
        for name, (metric, per_doc) in page.shared["unit_scores"].items()
    }


def _page_issues(view: ReportView, page: Page) -> list[tuple[IssueRow, int]]:
    """The issues on the page, each with the index of its slice: the slice holding its bead, or (no
    bead) the segment it flags."""
    where: dict[int, list[tuple[int, Slice]]] = {}
    for k, sl in enumerate(page.slices):
        where.setdefault(sl.doc, []).append((k, sl))
    out = []
    for i in view.issues:
        for k, sl in where.get(i.document_index, []):
            lo, hi = sl.bead_range(i.system)
            first, last = (sl.lo, sl.hi) if i.side == "source" else sl.targets.get(i.system, (0, 0))
            if (lo <= i.bead < hi) if i.bead is not None else (first <= i.segment < last or not sl.part or sl.part[0] == 1):
                out.append((i, k))
                break
    return out


def _issue_payload(i: IssueRow, sl: Slice, k: int) -> dict[str, Any]:
    first = sl.lo if i.side == "source" else sl.targets.get(i.system, (0, 0))[0]
    return {
        "n": i.number,
        "system": i.system,
        "doc": k,
        "bead": None if i.bead is None else i.bead - sl.bead_range(i.system)[0],
        "segment": i.segment - first,
        "where": i.where,
        "side": i.side,
        "start": i.start,
        "end": i.end,
        "code": i.code,
        "category": i.category,
        "severity": i.severity,
        "message": i.message,
        "suggestion": i.suggestion,
        "text": i.text,
        "fingerprint": i.fingerprint,
        "ignored": i.ignored,
        "reason": i.ignore_reason,
        "status": i.status,
        "comment": i.comment,
    }


def histogram(scores: list[float], bins: int = 10) -> list[dict[str, float]]:
    """Counts of segment scores in equal bins over [0, 100] (wider when a score lies outside)."""
    if not scores:
        return []
    low = min(0.0, min(scores))
    high = max(100.0, max(scores))
    width = (high - low) / bins
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int((s - low) / width))] += 1
    return [{"low": low + k * width, "high": low + (k + 1) * width, "count": c} for k, c in enumerate(counts)]


def render_html_pages(
    data: dict[str, Any], name: str = "report.html", title: str | None = None, view: ReportView | None = None, gate: dict[str, Any] | None = None, limit: int | None = None
) -> dict[str, str]:
    """The report as file name -> page: one page, or (a job over ``limit`` texts, default
    pages.PAGE_TEXTS) pages of documents and document parts, each with the whole job's summary and
    links to the others."""
    view = view or build_view(data)
    pages = plan_pages(data, limit)
    names = page_names(name, len(pages))
    shared: dict[str, Any] = {}
    return {names[k]: render_html(data, title, view, gate, Page(k, slices, names, pages, shared)) for k, slices in enumerate(pages)}


def render_html(data: dict[str, Any], title: str | None = None, view: ReportView | None = None, gate: dict[str, Any] | None = None, page: Page | None = None) -> str:
    """The whole report as one page (``page``: one page of a split report, render_html_pages)."""
    view = view or build_view(data)
    if page is None:
        pages = plan_pages(data, limit=1 << 62)
        page = Page(0, pages[0], ["report.html"], pages)
    if "histograms" not in page.shared:
        page.shared["histograms"] = {s.name: histogram(s.segment_scores) for s in view.systems}
    template = _environment().get_template("report.html.j2")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    return template.render(
        title=title or f"mtqa report {view.src_lang}→{view.tgt_lang}",
        view=view,
        gate=gate,
        histograms=page.shared["histograms"],
        severities=SEVERITIES,
        version=__version__,
        payload=script_json(_payload(data, view, page)),
        page=page,
        parts=page.summary() if len(page.pages) > 1 else [],
        lowest_min_words=LOWEST_MIN_WORDS,
        mqm_per_1k=any(s.mqm.get("mqm_per_1k") is not None for s in view.systems),
        css=Markup((ASSETS / "report.css").read_text(encoding="utf-8")),
        js=Markup(js),
        # The page's content security policy allows this one script and no network access at all.
        script_hash="sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii"),
    )
