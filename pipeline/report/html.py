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
from .view import LOWEST_MIN_WORDS, SEVERITIES, ReportView, build_view

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


def _payload(data: dict[str, Any], view: ReportView) -> dict[str, Any]:
    """What the page script needs, laid out once: the texts once per side, beads per system (a
    document whose beads are one line each is just its length), the issues and the unit scores."""
    beads = {
        name: [[[b["source"], b["target"], b["references"], b["confidence"]] for b in sr["beads"].get(doc["id"], [])] for doc in data["documents"]]
        for name, sr in data["systems"].items()
    }
    run = data.get("run") or {}
    return {
        "systems": [s.name for s in view.systems],
        "references": view.references,
        "severities": SEVERITIES,
        "created": run.get("created"),
        "key": _storage_key(data),
        "rules": {code: info.get("name", "") for code, info in view.rules.items() if code in {i.code for i in view.issues}},
        "documents": [_document_payload(doc) for doc in data["documents"]],
        "beads": {name: [_compact_beads(doc_beads) for doc_beads in per_doc] for name, per_doc in beads.items()},
        "issues": _issues_payload(view),
        "unitScores": _unit_scores(data, view, beads),
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



def _unit_scores(data: dict[str, Any], view: ReportView, beads: dict[str, list[list[Any]]]) -> dict[str, Any]:
    """Per system with one segment score per bead: the scores laid out as the beads (document,
    bead), None where a bead has no score."""
    unit_scores: dict[str, Any] = {}
    for sv in view.systems:
        if sv.unit_beads is None:
            continue
        metric = next(m for m in sv.metrics if m.name == sv.segment_metric)
        key = metric.key
        per_doc: list[list[float | None]] = [[None] * len(b) for b in beads[sv.name]]
        for score, (d, b) in zip(data["systems"][sv.name]["scores"][key]["segments"], sv.unit_beads):
            per_doc[d][b] = None if score is None else round(score, 2)
        unit_scores[sv.name] = {"metric": sv.segment_metric, "higher": metric.higher_is_better, "scores": per_doc}
    return unit_scores


def _issues_payload(view: ReportView) -> list[dict[str, Any]]:
    return [
        {
            "n": i.number,
            "system": i.system,
            "doc": i.document_index,
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
        for i in view.issues
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


def render_html(data: dict[str, Any], title: str | None = None, view: ReportView | None = None, gate: dict[str, Any] | None = None) -> str:
    view = view or build_view(data)
    template = _environment().get_template("report.html.j2")
    js = (ASSETS / "report.js").read_text(encoding="utf-8")
    return template.render(
        title=title or f"mtqa report {view.src_lang}→{view.tgt_lang}",
        view=view,
        gate=gate,
        histograms={s.name: histogram(s.segment_scores) for s in view.systems},
        severities=SEVERITIES,
        version=__version__,
        payload=script_json(_payload(data, view)),
        lowest_min_words=LOWEST_MIN_WORDS,
        mqm_per_1k=any(s.mqm.get("mqm_per_1k") is not None for s in view.systems),
        css=Markup((ASSETS / "report.css").read_text(encoding="utf-8")),
        js=Markup(js),
        # The page's content security policy allows this one script and no network access at all.
        script_hash="sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii"),
    )
