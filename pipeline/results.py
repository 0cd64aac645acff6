"""results.json: its schema, reading it back validated, and rebuilding model objects from it.

One module for every reader and writer of results: :func:`pipeline.io.writers.write_outputs` checks
what it writes with :func:`schema_problem`, and the gate and the reports read through
:func:`load_results` (the same validator), so that a report made straight after ``mtqa run`` and one
made later from the file go through the same code.  The gate's significance test needs the job's
segments and beads again: :func:`job_from_results` rebuilds them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jsonschema

from .categories import canonical_category
from .errors import InputError
from .model import Bead, Document, InputFile, Job, Segment

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "results.schema.json"
_SAMPLE = 50


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_problem(data: Any) -> str | None:
    """Where and how ``data`` breaks the schema ("issues/3/category: ..."), or None when it follows it."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(sampled(data)))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "top level"
    return f"{where}: {' '.join(error.message.split())[:200]}"


def sampled(value: Any) -> Any:
    """The results with every long list cut to its first and last items.

    Lists of segments, beads and segment scores hold items of one shape; validating a sample of
    each keeps the check to a fraction of a second on a WMT-sized file instead of seconds, and the
    readers of results still turn a malformed item into an InputError.  Issues are few and of many
    kinds (every rule writes its own), so they are always checked in full.
    """
    if isinstance(value, dict):
        return {k: (v if k == "issues" and isinstance(v, list) else sampled(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = value if len(value) <= 2 * _SAMPLE else value[:_SAMPLE] + value[-_SAMPLE:]
        return [sampled(v) for v in items]
    return value


def load_results(path: str | Path) -> dict[str, Any]:
    """Read and validate a results.json; any problem is an InputError naming the file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such results file")
    if p.is_dir():
        candidate = p / "results.json"
        if not candidate.exists():
            raise InputError(f"{p}: is a directory without results.json")
        p = candidate
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None
    if not raw.strip():
        raise InputError(f"{p}: file is empty (not an mtqa results file)")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError(f"{p}: not UTF-8 text (byte offset {err.start}); not an mtqa results file") from None
    except json.JSONDecodeError as err:
        # A string without its closing quote runs to the end of the file (JSON strings hold no raw line breaks)
        truncated = " (truncated?)" if err.pos >= len(err.doc.rstrip()) or err.msg.startswith("Unterminated string") else ""
        raise InputError(f"{p}: not valid JSON{truncated} (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except RecursionError:
        raise InputError(f"{p}: not an mtqa results file (JSON nested too deeply)") from None
    upgrade_results(data)
    validate_results(data, str(p))
    return data


def upgrade_results(data: Any) -> None:
    """Bring a results file of an older mtqa up to this one's vocabulary, in place.

    Before the category vocabulary (pipeline/categories.py) some rules wrote categories with spaces
    ("locale convention/currency format") or on another branch ("locale/name-format"); a baseline
    or a reviewed run written then must still gate and report.
    """
    if not isinstance(data, dict):
        return
    for issue in data.get("issues") or ():
        if isinstance(issue, dict) and isinstance(issue.get("category"), str):
            issue["category"] = canonical_category(issue["category"])
    for row in data.get("comparison_table") or ():
        counts = row.get("issues_by_category") if isinstance(row, dict) else None
        if isinstance(counts, dict):
            merged: dict[str, Any] = {}
            for category, n in counts.items():
                key = canonical_category(category) if isinstance(category, str) else category
                merged[key] = merged.get(key, 0) + n if isinstance(n, int) else n
            row["issues_by_category"] = merged


def validate_results(data: Any, origin: str = "results") -> None:
    if not isinstance(data, dict) or data.get("schema") != "mtqa-results":
        raise InputError(f"{origin}: not an mtqa results file (no \"schema\": \"mtqa-results\")")
    version = str(data.get("schema_version", ""))
    if not version.startswith("1."):
        raise InputError(f"{origin}: results schema version {version or '?'} is not supported (this mtqa reads 1.x)")
    problem = schema_problem(data)
    if problem is not None:
        raise InputError(f"{origin}: invalid results at {problem}")


@contextmanager
def malformed_as_input_error(origin: str) -> Iterator[None]:
    """A results file that passed the sampled schema check but breaks a reader is still bad input."""
    try:
        yield
    except (KeyError, TypeError, IndexError, AttributeError, ValueError) as err:
        message = " ".join(str(err).split())[:200]
        raise InputError(f"{origin}: malformed results ({type(err).__name__}: {message})") from None


def has_segments(data: dict[str, Any]) -> bool:
    return all("source" in doc for doc in data["documents"])


def _segments(items: list[dict[str, Any]]) -> list[Segment]:
    return [Segment(s["text"], s["index"], s["paragraph"], s["start"], s["end"], s["line"], s.get("unit")) for s in items]


def _bead(b: dict[str, Any]) -> Bead:
    return Bead(
        source=tuple(b["source"]),
        target=tuple(b["target"]),
        confidence=b["confidence"],
        references={k: tuple(v) for k, v in b["references"].items()},
        adequacy=b.get("adequacy"),
    )


def job_from_results(data: dict[str, Any], origin: str = "results") -> tuple[Job, dict[str, dict[str, list[Bead]]]]:
    """The job (with every segment) and each system's beads, as the run had them."""
    with malformed_as_input_error(origin):
        return _job_from_results(data, origin)


def _job_from_results(data: dict[str, Any], origin: str) -> tuple[Job, dict[str, dict[str, list[Bead]]]]:
    if not has_segments(data):
        raise InputError(f"{origin}: written without segment texts (output.segments_in_results: false); rerun with them")
    job_info = data["job"]
    documents = [
        Document(
            id=doc["id"],
            source=_segments(doc["source"]),
            targets={name: _segments(segs) for name, segs in doc["targets"].items()},
            references={name: _segments(segs) for name, segs in doc["references"].items()},
            line_aligned=doc["line_aligned"],
        )
        for doc in data["documents"]
    ]
    inputs = [InputFile(i["role"], i["name"], i["path"], i["format"], i.get("column")) for i in job_info["inputs"]]
    job = Job(job_info["src_lang"], job_info["tgt_lang"], documents, list(job_info["systems"]), list(job_info["references"]), inputs)
    beads = {
        name: {doc: [_bead(b) for b in items] for doc, items in sr["beads"].items()}
        for name, sr in data["systems"].items()
    }
    return job, beads
