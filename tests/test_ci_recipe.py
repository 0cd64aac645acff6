"""The README's GitHub Actions recipe on a real WMT22 slice: baseline run, candidate run gated
against it, then `report` and `ignore` on both results files (eval/ci_recipe.py, as processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
from ci_recipe import data_dir  # noqa: E402

pytestmark = pytest.mark.skipif(not data_dir().exists(), reason=f"WMT22 de-en not found under {data_dir()}")


def test_the_readme_ci_recipe_ends_with_a_verdict_and_its_results_are_readable(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "eval" / "ci_recipe.py"), "--lines", "40", "--workdir", str(tmp_path)], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]  # the script also validates both results.json in full
    out = json.loads(r.stdout)
    steps = {name: s["exit"] for name, s in out["steps"].items()}
    assert steps["baseline run"] == 0
    assert steps["candidate run + gate"] in (0, 1), out["steps"]["candidate run + gate"]["stderr"]
    assert steps["gate with ignore file"] in (0, 1)
    assert all(steps[f"{cmd} {name}"] == 0 for cmd in ("report", "ignore") for name in ("baseline", "out")), out["steps"]
    assert out["verdict"].startswith(("mtqa gate: PASSED", "mtqa gate: FAILED"))
    assert out["annotations"] > 0  # GITHUB_ACTIONS=true: workflow commands for the issues
    assert {"results.json", "results.sarif", "junit.xml", "summary.md", "report.html", "issues.jsonl"} <= set(out["outputs"])
    assert "numbers reviewed" in (tmp_path / ".mtqa-ignore").read_text(encoding="utf-8") or not any(
        i["code"].startswith("A2") for name in ("baseline", "out") for i in json.loads((tmp_path / name / "results.json").read_text())["issues"]
    )
