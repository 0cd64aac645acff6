"""The CI gate on real data: WMT22 de-en, "candidate must not be significantly worse than the
baseline in chrF" (paired bootstrap, 1000 resamples, seed 12345, alpha 0.05), every system against
Lan-Bridge; and the p-values checked against sacrebleu's own paired bootstrap.

Each system is scored on its own (``mtqa score ... -o``), so the gate works the way CI uses it: a
candidate results.json against a baseline results.json, recomputing the paired test from the two
files' segments.  Expected: JDExploreAcademy passes, LT22 fails.

    python eval/gate_wmt22.py [--data DIR]

Data: ../shared/data/wmt22_general_test/de-en (or $MTQA_DATA_DIR/wmt22_general_test/de-en).
Writes eval/results/gate_wmt22.md (and .json, the policy, results files, JUnit XML under gate_wmt22/).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from junitparser import JUnitXml  # noqa: E402
from sacrebleu.metrics import CHRF  # noqa: E402
from sacrebleu.significance import PairedTest  # noqa: E402

BASELINE = "Lan-Bridge"
SYSTEMS = ["JDExploreAcademy", "LT22", "Online-A", "Online-B", "Online-G", "Online-W", "Online-Y", "PROMT"]
POLICY = """\
# WMT22 eval: the candidate must not be significantly worse than the baseline in chrF.
alpha: 0.05
bootstrap_samples: 1000
seed: 12345
rules:
  - name: chrF not significantly worse than baseline
    regression: chrf
    significant_only: true
"""


def data_dir(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data")
    d = base / "wmt22_general_test" / "de-en"
    if not d.exists():
        sys.exit(f"eval: WMT22 data not found at {d} (set MTQA_DATA_DIR or --data)")
    return d


def mtqa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, timeout=1800)


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    args = ap.parse_args()
    d = data_dir(args.data)
    out = ROOT / "eval" / "results" / "gate_wmt22"
    out.mkdir(parents=True, exist_ok=True)
    policy = out / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    src = d / "generaltest2022.de-en.src.de"
    ref = d / "generaltest2022.de-en.ref.A.en"

    score_times = {}
    for system in [BASELINE, *SYSTEMS]:
        t0 = time.perf_counter()
        r = mtqa("score", str(src), str(d / f"generaltest2022.de-en.hyp.{system}.en"), "--ref", str(ref), "--names", system,
                 "-s", "de", "-t", "en", "--line-aligned", "--metrics", "chrf", "--no-ci", "-q", "-o", str(out / system))
        score_times[system] = time.perf_counter() - t0
        if r.returncode != 0:
            sys.exit(f"mtqa score {system} failed: {r.stderr.strip()}")

    # sacrebleu's own paired bootstrap for the same pairs (baseline first, as sacrebleu expects).
    refs = [read(ref)]
    hyps = {s: read(d / f"generaltest2022.de-en.hyp.{s}.en") for s in [BASELINE, *SYSTEMS]}
    _, sb = PairedTest([(s, hyps[s]) for s in [BASELINE, *SYSTEMS]], {"chrF2": CHRF(references=refs)}, references=None, test_type="bs", n_samples=1000)()
    sb_p = {s: sb["chrF2"][k + 1].p_value for k, s in enumerate(SYSTEMS)}

    rows = []
    print(f"gate: {policy.relative_to(ROOT)}  baseline {BASELINE}\n")
    print(f"{'candidate':<18}{'chrF2':>8}{'baseline':>10}{'delta':>8}{'p (mtqa)':>10}{'p (sacrebleu)':>15}{'exit':>6}  verdict   seconds")
    for system in SYSTEMS:
        junit = out / f"junit.{system}.xml"
        t0 = time.perf_counter()
        r = mtqa("gate", str(out / system / "results.json"), "--policy", str(policy), "--baseline", str(out / BASELINE / "results.json"), "--junit", str(junit))
        seconds = time.perf_counter() - t0
        if r.returncode not in (0, 1):
            sys.exit(f"mtqa gate {system}: exit {r.returncode}: {r.stderr.strip()}")
        cases = [c for suite in JUnitXml.fromfile(str(junit)) for c in suite]
        junit_failures = sum(1 for c in cases for res in c.result if type(res).__name__ == "Failure")
        cand = json.loads((out / system / "results.json").read_text())["systems"][system]["scores"]["chrf"]["score"]
        base = json.loads((out / BASELINE / "results.json").read_text())["systems"][BASELINE]["scores"]["chrf"]["score"]
        verdict_line = r.stdout.splitlines()[1].strip()
        p = float(verdict_line.split("paired bootstrap p = ")[1].split(";")[0])
        row = {
            "candidate": system,
            "chrF2": cand,
            "baseline_chrF2": base,
            "delta": round(cand - base, 4),
            "p_mtqa": p,
            "p_sacrebleu": round(sb_p[system], 4),
            "exit": r.returncode,
            "verdict": "PASS" if r.returncode == 0 else "FAIL",
            "junit_cases": len(cases),
            "junit_failures": junit_failures,
            "gate_seconds": round(seconds, 2),
            "verdict_line": verdict_line,
        }
        rows.append(row)
        print(f"{system:<18}{cand:>8.2f}{base:>10.2f}{cand - base:>+8.2f}{p:>10.4f}{sb_p[system]:>15.4f}{r.returncode:>6}  {row['verdict']:<9} {seconds:.1f}")

    expected = {"JDExploreAcademy": 0, "LT22": 1}
    ok = all(next(r for r in rows if r["candidate"] == s)["exit"] == code for s, code in expected.items())
    max_dp = max(abs(r["p_mtqa"] - r["p_sacrebleu"]) for r in rows)
    print(f"\nacceptance (JDExploreAcademy passes, LT22 fails): {'yes' if ok else 'NO'}; max |p(mtqa) - p(sacrebleu)| = {max_dp:.4f}")

    summary = {"baseline": BASELINE, "policy": POLICY, "rows": rows, "acceptance": ok, "max_abs_p_diff": max_dp, "score_seconds": score_times}
    (ROOT / "eval" / "results" / "gate_wmt22.json").write_text(json.dumps(summary, indent=1))
    md = [
        "# CI gate on WMT22 de-en: chrF not significantly worse than Lan-Bridge",
        "",
        "`python eval/gate_wmt22.py` — each system scored alone (`mtqa score --line-aligned --metrics chrf`, ref A, 1,984 segments),",
        "then `mtqa gate CANDIDATE/results.json --policy policy.yaml --baseline Lan-Bridge/results.json` with the policy",
        "",
        "```yaml",
        POLICY.rstrip(),
        "```",
        "",
        "| candidate | chrF2 | Lan-Bridge | Δ | p (mtqa gate) | p (sacrebleu paired-bs) | exit | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    md += [f"| {r['candidate']} | {r['chrF2']:.2f} | {r['baseline_chrF2']:.2f} | {r['delta']:+.2f} | {r['p_mtqa']:.4f} | {r['p_sacrebleu']:.4f} | {r['exit']} | {r['verdict']} |" for r in rows]
    md += [
        "",
        f"Acceptance (JDExploreAcademy passes, LT22 fails): **{'yes' if ok else 'no'}**. The gate's p-values are recomputed from the two",
        f"results files' segments; the largest difference from sacrebleu's own `PairedTest(test_type=\"bs\")` on the same pairs is {max_dp:.4f}.",
        "",
        "Verdict lines as printed by `mtqa gate`:",
        "",
        "```",
        *[f"{r['candidate']}: {r['verdict_line']}" for r in rows],
        "```",
        "",
        f"Gate time per candidate (scoring both files' segments again, 1000 paired resamples, process start included): "
        f"{min(r['gate_seconds'] for r in rows):.1f}–{max(r['gate_seconds'] for r in rows):.1f} s.",
    ]
    (ROOT / "eval" / "results" / "gate_wmt22.md").write_text("\n".join(md) + "\n")
    print(f"wrote {ROOT / 'eval' / 'results' / 'gate_wmt22.md'}")


if __name__ == "__main__":
    main()
