"""The README's GitHub Actions recipe, step by step, on a real WMT22 slice.

Main branch: Online-B's translation of the first N lines of WMT22 de-en; pull request: LT22's.
Every check but the LM runs (--disable F4). The steps are the README's, run as processes:

1. baseline: ``mtqa run src main.en --ref ref.A -s de -t en --line-aligned --names main -o baseline -q``
2. candidate: ``mtqa run src pr.en ... --names pr -o out --gate configs/ci-gate.yaml --gate-baseline baseline/results.json``
   (exit 0 passed, 1 failed; GITHUB_ACTIONS=true so the annotations are printed as on GitHub)
3. ``mtqa report`` and ``mtqa ignore`` on both results files, then the gate again with the ignore file.

Every results.json is validated against the schema in full.  Prints one JSON object with each
step's exit status, the verdict and counts; ``--summary`` writes eval/results/ci_recipe.md.

    python eval/ci_recipe.py [--lines 300] [--workdir DIR] [--summary]

Data: ../shared/data/wmt22_general_test/de-en (or $MTQA_DATA_DIR/wmt22_general_test/de-en).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "pipeline" / "schema" / "results.schema.json").read_text(encoding="utf-8"))
PREFIX = "generaltest2022.de-en"


def data_dir() -> Path:
    return Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"


def _head(path: Path, n: int, out: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()[:n]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(out)


def _mtqa(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=1800,
    )


def _validate(results: Path) -> int:
    data = json.loads(results.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    if errors:
        raise SystemExit(f"{results}: {len(errors)} schema errors, first: {errors[0].message[:200]}")
    return len(data["issues"])


def run_recipe(lines: int, work: Path) -> dict:
    src_dir = data_dir()
    if not src_dir.exists():
        raise SystemExit(f"WMT22 de-en not found under {src_dir} (set MTQA_DATA_DIR)")
    translations = work / "translations"
    translations.mkdir(parents=True, exist_ok=True)
    src = _head(src_dir / f"{PREFIX}.src.de", lines, translations / "src.de")
    ref = _head(src_dir / f"{PREFIX}.ref.A.en", lines, translations / "ref.en")
    main = _head(src_dir / f"{PREFIX}.hyp.Online-B.en", lines, translations / "hyp.base.en")
    pr = _head(src_dir / f"{PREFIX}.hyp.LT22.en", lines, translations / "hyp.en")
    common = ["--ref", ref, "-s", "de", "-t", "en", "--line-aligned", "--disable", "F4"]
    steps: dict[str, dict] = {}

    def step(name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        r = _mtqa(*args, cwd=work, env=env)
        steps[name] = {"exit": r.returncode, "stderr": r.stderr.strip()[-500:]}
        return r

    step("baseline run", "run", src, main, *common, "--names", "main", "-o", "baseline", "-q")
    gate = step(
        "candidate run + gate",
        "run", src, pr, *common, "--names", "pr", "-o", "out",
        "--gate", os.path.relpath(ROOT / "configs" / "ci-gate.yaml", work), "--gate-baseline", "baseline/results.json",
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(work / "step_summary.md")},
    )
    issues = {name: _validate(work / name / "results.json") for name in ("baseline", "out") if (work / name / "results.json").exists()}
    for name in ("baseline", "out"):
        step(f"report {name}", "report", f"{name}/results.json", "-o", f"{name}/review.html", "--md", f"{name}/review.md", "--xlsx", f"{name}/review.xlsx")
        step(f"ignore {name}", "ignore", f"{name}/results.json", "--code", "A2", "--reason", "numbers reviewed", "--file", ".mtqa-ignore")
    regate = step("gate with ignore file", "gate", "out/results.json", "--policy", os.path.relpath(ROOT / "configs" / "ci-gate.yaml", work), "--baseline", "baseline/results.json", "--ignore-file", ".mtqa-ignore")
    verdict = next((line for line in gate.stdout.splitlines() if line.startswith("mtqa gate:")), "")
    return {
        "lines": lines,
        "steps": steps,
        "verdict": verdict,
        "verdict_lines": [line.strip() for line in gate.stdout.splitlines() if line.strip().startswith(("PASS", "FAIL", "WARN"))],
        "regate_verdict": next((line for line in regate.stdout.splitlines() if line.startswith("mtqa gate:")), ""),
        "annotations": sum(1 for line in gate.stdout.splitlines() if line.startswith(("::error", "::warning", "::notice"))),
        "issues": issues,
        "outputs": sorted(p.name for p in (work / "out").iterdir()) if (work / "out").exists() else [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--workdir", help="keep the files here (default: a temporary folder)")
    parser.add_argument("--summary", action="store_true", help="write eval/results/ci_recipe.md")
    args = parser.parse_args()
    if args.workdir:
        work = Path(args.workdir)
        work.mkdir(parents=True, exist_ok=True)
        out = run_recipe(args.lines, work)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = run_recipe(args.lines, Path(tmp))
    print(json.dumps(out, indent=1, ensure_ascii=False))
    if args.summary:
        rows = "\n".join(f"| {name} | {s['exit']} |" for name, s in out["steps"].items())
        (ROOT / "eval" / "results" / "ci_recipe.md").write_text(
            f"# The README's CI recipe on WMT22 de-en (first {out['lines']} lines; main = Online-B, PR = LT22; all checks but the LM)\n\n"
            f"Command: `python eval/ci_recipe.py --lines {out['lines']} --summary`\n\n| step | exit |\n|---|---|\n{rows}\n\n"
            f"- verdict: `{out['verdict']}`\n" + "".join(f"  - `{line}`\n" for line in out["verdict_lines"]) + f"- after `mtqa ignore --code A2`: `{out['regate_verdict']}`\n"
            f"- issues (results.json validated in full against the schema): {out['issues']}\n"
            f"- GitHub annotations printed: {out['annotations']}\n- outputs: {', '.join(out['outputs'])}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
