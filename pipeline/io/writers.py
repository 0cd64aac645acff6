"""Serialising a run: results.json (versioned schema), issues.jsonl; all writes atomic."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Comparison, MetricScore, RunResult, Segment

SCHEMA_VERSION = "1.1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "results.schema.json"


def _num(x: float | None, digits: int = 6) -> float | None:
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return None
    return round(float(x), digits)


def segment_dict(seg: Segment) -> dict[str, Any]:
    return {"index": seg.index, "text": seg.text, "paragraph": seg.paragraph, "line": seg.line, "start": seg.start, "end": seg.end}


def metric_dict(m: MetricScore) -> dict[str, Any]:
    return {
        "metric": m.metric,
        "score": _num(m.score, 4),
        "signature": m.signature,
        "formatted": m.formatted,
        "higher_is_better": m.higher_is_better,
        "ci": None
        if m.ci is None
        else {
            "mean": _num(m.ci.mean, 4),
            "half_width": _num(m.ci.half_width, 4),
            "low": _num(m.ci.low, 4),
            "high": _num(m.ci.high, 4),
            "level": m.ci.level,
            "n_samples": m.ci.n_samples,
            "seed": m.ci.seed,
        },
        "segments": None if m.segments is None else [_num(s, 4) for s in m.segments],
        "documents": None if m.documents is None else {k: _num(v, 4) for k, v in m.documents.items()},
    }


def comparison_dict(c: Comparison) -> dict[str, Any]:
    return {
        "metric": c.metric,
        "system": c.system,
        "baseline": c.baseline,
        "test": c.test,
        "score": _num(c.score, 4),
        "baseline_score": _num(c.baseline_score, 4),
        "delta": _num(c.delta, 4),
        "p_value": _num(c.p_value, 6),
        "significant": c.significant(),
        "n_samples": c.n_samples,
        "seed": c.seed,
    }


def comparison_table(result: RunResult, issue_counts: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    """One row per system: corpus scores with CIs, deltas and p-values against the baseline, the
    MQM-style score and issue counts by category (the table reports and dashboards show)."""
    tests: dict[tuple[str, str], dict[str, float]] = {}
    baseline = None
    for c in result.comparisons:
        baseline = c.baseline
        tests.setdefault((c.system, c.metric), {})[c.test] = c.p_value
    rows = []
    for name, sr in result.systems.items():
        metrics = {}
        for key, m in sr.scores.items():
            base = result.systems[baseline].scores.get(key) if baseline and baseline != name else None
            p = tests.get((name, m.metric), {})
            metrics[key] = {
                "metric": m.metric,
                "score": _num(m.score, 4),
                "ci_low": _num(m.ci.low, 4) if m.ci else None,
                "ci_high": _num(m.ci.high, 4) if m.ci else None,
                "delta": _num(m.score - base.score, 4) if base else None,
                "p_bs": _num(p.get("bs"), 6),
                "p_ar": _num(p.get("ar"), 6),
                # the paired bootstrap decides when it ran (as in the summaries), else randomization
                "significant": p.get("bs", p.get("ar", 1.0)) < 0.05,
            }
        rows.append(
            {
                "system": name,
                "baseline": name == baseline or (baseline is None and len(result.systems) == 1),
                "metrics": metrics,
                "mqm": sr.mqm.get("score"),
                "issues": sum(issue_counts[name].values()),
                "issues_by_category": dict(sorted(issue_counts[name].items())),
            }
        )
    return rows


def result_to_dict(result: RunResult, include_segments: bool = True) -> dict[str, Any]:
    job = result.job
    issue_counts: dict[str, Counter[str]] = {s: Counter() for s in job.systems}
    for issue in result.issues:
        if not issue.ignored:
            issue_counts[issue.system][issue.category] += 1
    documents = []
    if job.segment_counts is not None:
        include_segments = False  # the texts were not kept (large job)
    for doc in job.documents:
        entry: dict[str, Any] = {"id": doc.id, "line_aligned": doc.line_aligned}
        if include_segments:
            entry["source"] = [segment_dict(s) for s in doc.source]
            entry["targets"] = {name: [segment_dict(s) for s in segs] for name, segs in doc.targets.items()}
            entry["references"] = {name: [segment_dict(s) for s in segs] for name, segs in doc.references.items()}
        else:
            entry["n_source_segments"] = job.segment_counts[doc.id] if job.segment_counts is not None else len(doc.source)
        documents.append(entry)
    return {
        "schema": "mtqa-results",
        "schema_version": SCHEMA_VERSION,
        "job": {
            "src_lang": job.src_lang,
            "tgt_lang": job.tgt_lang,
            "systems": list(job.systems),
            "references": list(job.references),
            "inputs": [asdict(i) for i in job.inputs],
        },
        "documents": documents,
        "systems": {
            name: {
                "beads": {doc: [b.to_dict() for b in beads] for doc, beads in sr.beads.items()},
                "scores": {key: metric_dict(m) for key, m in sr.scores.items()},
                "mqm": sr.mqm,
                "issue_counts": dict(sorted(issue_counts[name].items())),
            }
            for name, sr in result.systems.items()
        },
        "comparisons": [comparison_dict(c) for c in result.comparisons],
        "comparison_table": comparison_table(result, issue_counts),
        "issues": [i.to_dict() for i in result.issues],
        "config": result.config,
        "versions": result.versions,
        "notes": list(result.notes),
        "run": {"timings_s": {k: round(v, 3) for k, v in result.timings.items()}},
    }


def publish(tmp: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Rename a finished temporary file into place with the permissions a plain open() would give
    (mkstemp creates files readable by the owner only)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write via a temporary file in the same directory and rename, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(content, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
        publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prepare_outdir(outdir: str | os.PathLike[str]) -> Path:
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{out}: cannot create output directory ({err.strerror})") from None
    if not os.access(out, os.W_OK):
        raise InputError(f"{out}: output directory is not writable")
    return out


def write_outputs(
    result: RunResult,
    outdir: str | os.PathLike[str],
    include_segments: bool = True,
    extra: dict[str, str | bytes] | None = None,
) -> list[Path]:
    """results.json, issues.jsonl and ``extra`` files (reports, gate outputs: name -> content);
    everything is serialised before the first file is written."""
    out = prepare_outdir(outdir)
    data = result_to_dict(result, include_segments)
    contents: dict[str, str | bytes] = {
        "results.json": json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        "issues.jsonl": "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in data["issues"]),
        **(extra or {}),
    }
    written = []
    for name, content in contents.items():
        atomic_write(out / name, content)
        written.append(out / name)
    return written
