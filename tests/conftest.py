from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as users do (python -m pipeline), capturing output."""
    full_env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def write(tmp_path):
    """write(name, text or bytes) -> path string in a temp folder."""

    def _write(name: str, content) -> str:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return str(p)

    return _write


def load_json(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def assert_same_outputs(a: Path, b: Path) -> None:
    """Two runs' results.json (all but the run's timings and execution settings), issues.jsonl and
    segments.parquet are equal (Ray against local, a resumed run against a straight one)."""
    import pyarrow.parquet as pq  # deferred: only the executor and resume tests compare tables

    def strip(results: dict) -> dict:
        results = dict(results)
        results.pop("run")
        config = dict(results.pop("config"))
        config.pop("execution")
        config["output"] = {k: v for k, v in config["output"].items() if k != "dir"}
        return {**results, "config": config}

    assert strip(load_json(a / "results.json")) == strip(load_json(b / "results.json"))
    assert (a / "issues.jsonl").read_bytes() == (b / "issues.jsonl").read_bytes()
    assert pq.read_table(a / "segments.parquet").equals(pq.read_table(b / "segments.parquet"))


def pytest_sessionfinish(session, exitstatus):
    """Every results.json the suite wrote (under pytest's temporary folders) validates against the
    schema in full: outputs are tested the way users consume them, not only where a test looks."""
    import jsonschema

    base = getattr(session.config, "_tmp_path_factory", None)
    if base is None or exitstatus not in (0, 1):
        return
    try:
        root = base.getbasetemp()
    except Exception:  # no test asked for a temporary folder
        return
    schema = json.loads((ROOT / "pipeline" / "schema" / "results.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    bad, checked = [], 0
    for path in sorted(Path(root).rglob("results.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue  # malformed-input tests write broken results files on purpose
        if not isinstance(data, dict) or data.get("schema") != "mtqa-results" or path.parent.name.startswith("bad"):
            continue
        checked += 1
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
        if error is not None:
            bad.append(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"results.json written by the tests and validated against the schema: {checked}, invalid: {len(bad)}")
        for line in bad[:20]:
            reporter.write_line(f"  invalid results: {line}")
    if bad:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
