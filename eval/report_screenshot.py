"""The reviewer report of the seed article in a real browser: screenshot and what a reviewer sees.

Runs the whole pipeline on examples/seed (``mtqa run``, default settings), opens OUTDIR/report.html
in headless Chromium, clicks the first highlighted issue, and saves a screenshot; prints the report's
size, the highlighted spans (and whether a names-check finding on "Selenskyj" is among them), the
console errors (must be none) and timings.

    python eval/report_screenshot.py [--out eval/results/seed_report.png] [--full]

Needs Chromium (Debian package ``chromium``) and the Python package playwright.
Writes eval/results/seed_report.png and eval/results/report_screenshot.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.cli import main as mtqa  # noqa: E402
from pipeline.report.browser import browser_missing, chromium  # noqa: E402

SEED = ROOT / "examples" / "seed"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "seed_report.png"))
    ap.add_argument("--full", action="store_true", help="the whole page, not the first screen and a half")
    args = ap.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"eval: {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        outdir = Path(tmp) / "seed"
        t0 = time.perf_counter()
        rc = mtqa(["run", str(SEED / "article.de.txt"), str(SEED / "article.en.mt.txt"), "--ref", str(SEED / "article.en.ref.txt"), "-s", "de", "-t", "en", "-o", str(outdir), "-q"])
        run_s = time.perf_counter() - t0
        if rc != 0:
            sys.exit(f"mtqa run failed (exit {rc})")
        results = json.loads((outdir / "results.json").read_text(encoding="utf-8"))
        report = outdir / "report.html"
        problems: list[str] = []
        with chromium() as browser:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            t0 = time.perf_counter()
            page.goto(report.as_uri())
            page.wait_for_selector("#document tbody tr")
            load_s = time.perf_counter() - t0
            marks = page.locator("#document mark.issue")
            highlighted = [marks.nth(k).inner_text() for k in range(marks.count())]
            selenskyj_issue = any(i["code"].startswith("N") and "Selenskyj" in i["text"] for i in results["issues"])
            selenskyj_marked = any("Selenskyj" in h for h in highlighted)
            # The reviewer's view: only the segments with issues, the Selenskyj finding opened.
            page.locator("#only-issues").check()
            target = page.locator("#document mark.issue", has_text="Selenskyj") if selenskyj_marked else marks
            if marks.count():
                target.first.scroll_into_view_if_needed()
                target.first.click()
            page.evaluate("window.scrollTo(0, 0)")
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            if args.full:
                page.screenshot(path=args.out, full_page=True)
            else:
                page.set_viewport_size({"width": 1280, "height": 1250})
                page.screenshot(path=args.out)
        size_kb = report.stat().st_size / 1024
    png_kb = Path(args.out).stat().st_size / 1024
    by_code: dict[str, int] = {}
    for i in results["issues"]:
        by_code[i["code"]] = by_code.get(i["code"], 0) + 1
    lines = [
        "# Seed article report in headless Chromium",
        "",
        "`python eval/report_screenshot.py` — `mtqa run` on examples/seed with default settings, then report.html in Debian's Chromium (Playwright).",
        "",
        "| what | value |",
        "|---|---|",
        f"| issues in results.json | {len(results['issues'])} ({', '.join(f'{k} {v}' for k, v in sorted(by_code.items())) or 'none'}) |",
        f"| highlighted spans in the page | {len(highlighted)} |",
        f"| names-check issue on \"Selenskyj\" | {'yes' if selenskyj_issue else 'no'}; highlighted: {'yes' if selenskyj_marked else 'no'} |",
        f"| console errors/warnings | {len(problems)} |",
        f"| report.html size | {size_kb:.0f} kB (self-contained) |",
        f"| mtqa run (whole pipeline, all outputs) | {run_s:.1f} s |",
        f"| page load to first row | {load_s:.2f} s |",
        f"| screenshot | {Path(args.out).name}, {png_kb:.0f} kB |",
    ]
    for line in lines[4:]:
        print(line)
    for p in problems:
        print("  problem:", p)
    (ROOT / "eval" / "results" / "report_screenshot.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
