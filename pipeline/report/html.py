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
from .view import LOWEST_MIN_WORDS, SEVERITIES, IssueRow, ReportView, build_view

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


def _payload(data: dict[str, Any], view: ReportView, docs: list[int], part: dict[str, Any] | None) -> dict[str, Any]:
    """What the page script needs for documents ``docs`` (indices into results.json's), laid out
    once: the texts once per side, beads per system (a document whose beads are one line each is
    just its length), the issues (``doc`` counting the page's documents) and the unit scores."""
    documents = [data["documents"][d] for d in docs]
    beads = {
        name: [[[b["source"], b["target"], b["references"], b["confidence"]] for b in sr["beads"].get(doc["id"], [])] for doc in documents]
        for name, sr in data["systems"].items()
    }
    local = {d: k for k, d in enumerate(docs)}
    issues = [i for i in view.issues if i.document_index in local]
    run = data.get("run") or {}
    return {
        "systems": [s.name for s in view.systems],
        "references": view.references,
        "severities": SEVERITIES,
        "created": run.get("created"),
        "key": _storage_key(data),
        "rules": {code: info.get("name", "") for code, info in view.rules.items() if code in {i.code for i in issues}},
        "documents": [_document_payload(doc) for doc in documents],
        "beads": {name: [_compact_beads(doc_beads) for doc_beads in per_doc] for name, per_doc in beads.items()},
        "issues": _issues_payload(issues, local),
        "unitScores": _unit_scores(data, view, docs),
        "part": part,
    }


def _storage_key(data: dict[str, Any]) -> str:
    """What the page keys the reviewer's decisions by in localStorage: the results' creation time,
    or (older results without one) a digest of the job and its issues' fingerprints."""
    created = (data.get("run") or {}).get("created")
    if created:
        return str(created)
    digest = hashlib.sha256(json.dumps([data["job"].get("systems"), [i["fingerprint"] for i in data["issues"]]]).encode("utf-8"))
    return "sha256:" + digest.hexdigest()[:16]


def _compact_beads(doc_beads: list[list[Any]]) -> int | list[list[Any]]:
    """A document's beads; only their number where bead k is line k on every side with full confidence
    (line-aligned input: a test set's beads are then a few bytes instead of 40 per segment)."""
    if all(b[0] == [k] and b[1] == [k] and all(v == [k] for v in b[2].values()) and b[3] == 1.0 for k, b in enumerate(doc_beads)):
        return len(doc_beads)
    return doc_beads


def _lines(segments: list[dict[str, Any]]) -> list[int] | None:
    """The segments' 1-based line numbers; None when segment k is on line k + 1 (line-aligned files)."""
    lines = [s["line"] for s in segments]
    return None if lines == list(range(1, len(lines) + 1)) else lines


def _document_payload(doc: dict[str, Any]) -> dict[str, Any]:
    """A document's texts and their line numbers, one list per side."""
    return {
        "id": doc["id"],
        "source": [s["text"] for s in doc.get("source", [])],
        "sourceLines": _lines(doc.get("source", [])),
        "targets": {name: [s["text"] for s in segs] for name, segs in doc.get("targets", {}).items()},
        "targetLines": {name: _lines(segs) for name, segs in doc.get("targets", {}).items()},
        "references": {name: [s["text"] for s in segs] for name, segs in doc.get("references", {}).items()},
    }



def _unit_scores(data: dict[str, Any], view: ReportView, docs: list[int]) -> dict[str, Any]:
    """Per system with one segment score per bead: the scores of documents ``docs`` laid out as
    the beads (document, bead), None where a bead has no score."""
    unit_scores: dict[str, Any] = {}
    for sv in view.systems:
        if sv.unit_beads is None:
            continue
        metric = next(m for m in sv.metrics if m.name == sv.segment_metric)
        beads = data["systems"][sv.name]["beads"]
        per_doc: list[list[float | None]] = [[None] * len(beads.get(doc["id"], [])) for doc in data["documents"]]
        for score, (d, b) in zip(data["systems"][sv.name]["scores"][metric.key]["segments"], sv.unit_beads):
            per_doc[d][b] = None if score is None else round(score, 2)
        unit_scores[sv.name] = {"metric": sv.segment_metric, "higher": metric.higher_is_better, "scores": [per_doc[d] for d in docs]}
    return unit_scores


def _issues_payload(issues: list[IssueRow], local: dict[int, int]) -> list[dict[str, Any]]:
    return [
        {
            "n": i.number,
            "system": i.system,
            "doc": local[i.document_index],
            "bead": i.bead,
            "segment": i.segment,
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
        for i in issues
    ]


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


# A report whose aligned documents hold more texts than this (segments x (source, every system,
# every reference)) is split into pages of whole documents: one page of 60,000 segments x 9 systems
# would be 80 MB, and no browser opens that in under a second.  WMT22 de-en is 24,000 texts.
PAGE_TEXTS = 100_000


def report_pages(data: dict[str, Any], limit: int | None = None) -> list[list[int]]:
    """The documents of each page: consecutive documents, each page under ``limit`` texts (default
    PAGE_TEXTS; a document larger than that alone on its page); one page for a job under the limit."""
    limit = PAGE_TEXTS if limit is None else limit
    per_segment = 1 + len(data["job"]["systems"]) + len(data["job"].get("references", []))
    pages: list[list[int]] = [[]]
    size = 0
    for d, doc in enumerate(data["documents"]):
        n = max(len(doc.get("source", [])), *(len(t) for t in doc.get("targets", {}).values()), 0) * per_segment
        if pages[-1] and size + n > limit:
            pages.append([])
            size = 0
        pages[-1].append(d)
        size += n
    return pages


def page_names(name: str, count: int) -> list[str]:
    """File names of a split report's pages: report.html, report-2.html, ..."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, "html"
    return [name] + [f"{stem}-{k}.{ext}" for k in range(2, count + 1)]


def render_html_pages(
    data: dict[str, Any], name: str = "report.html", title: str | None = None, view: ReportView | None = None, gate: dict[str, Any] | None = None, limit: int | None = None
) -> dict[str, str]:
    """The report as file name -> page: one page, or (a job over ``limit`` texts) pages of whole
    documents, each with the whole job's summary and links to the others."""
    view = view or build_view(data)
    pages = report_pages(data, limit)
    names = page_names(name, len(pages))
    where = {d: (k, local) for k, docs in enumerate(pages) for local, d in enumerate(docs)}
    segments = [sum(len(data["documents"][d].get("source", [])) for d in docs) for docs in pages]
    parts = [{"name": names[k], "documents": len(docs), "segments": segments[k], "first": sum(segments[:k]) + 1} for k, docs in enumerate(pages)]
    return {names[k]: render_html(data, title, view, gate, _Page(k, docs, parts, where)) for k, docs in enumerate(pages)}


class _Page:
    """One page of a split report: its documents and how to link to a segment on any page."""

    def __init__(self, index: int, docs: list[int], parts: list[dict[str, Any]], where: dict[int, tuple[int, int]]) -> None:
        self.index, self.docs, self.parts, self.where = index, docs, parts, where

    def href(self, system: int, document: int, bead: int) -> str:
        k, local = self.where[document]
        page = "" if k == self.index else self.parts[k]["name"]
        return f"{page}#s={system}&seg={local}-{bead}"


def render_html(data: dict[str, Any], title: str | None = None, view: ReportView | None = None, gate: dict[str, Any] | None = None, page: _Page | None = None) -> str:
    """The whole report as one page (``page``: one page of a split report, render_html_pages)."""
    view = view or build_view(data)
    if page is None:
        page = _Page(0, list(range(len(data["documents"]))), [], {d: (0, d) for d in range(len(data["documents"]))})
    template = _environment().get_template("report.html.j2")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    part = {"index": page.index, "count": len(page.parts)} if len(page.parts) > 1 else None
    return template.render(
        title=title or f"mtqa report {view.src_lang}→{view.tgt_lang}",
        view=view,
        gate=gate,
        histograms={s.name: histogram(s.segment_scores) for s in view.systems},
        severities=SEVERITIES,
        version=__version__,
        payload=script_json(_payload(data, view, page.docs, part)),
        page=page,
        parts=page.parts if part else [],
        lowest_min_words=LOWEST_MIN_WORDS,
        mqm_per_1k=any(s.mqm.get("mqm_per_1k") is not None for s in view.systems),
        css=Markup((ASSETS / "report.css").read_text(encoding="utf-8")),
        js=Markup(js),
        # The page's content security policy allows this one script and no network access at all.
        script_hash="sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii"),
    )
