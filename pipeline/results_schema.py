"""The results.json schema, checked on the way out (:func:`pipeline.io.writers.write_outputs`) and on
the way in (:func:`pipeline.report.results.validate_results`): one validator for both."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema

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
