"""The HTML report at test-set size, in headless Chromium: load, filter, search, sort and system-switch times.

Builds the report of WMT22 de-en (9 systems x 1,984 segments, references A and B; `mtqa run` on the
test-set folder, LM off, A5 and F4 off to save time, or ``--results`` of such a run) and of two
~60,000-segment jobs made from it, every system, issue and segment score with them: the test set
repeated 31 times as distinct documents, and concatenated 31 times into one 61,504-line document.
Such a report is split into pages (pipeline/report/pages.py: about 100,000 texts a page, a long
document cut into parts); the script opens one page of each (its first, and one from the middle)
in Debian's Chromium (Playwright) and measures, median of 5:

* load to interactive: navigation start to the page script's ``mtqa-interactive`` mark (data parsed,
  indexes built, first page drawn, handlers attached), each time in a fresh tab;
* filter ("only this" severity, then "all"), search (plain text and a /regex/), sort (by segment
  score), system switch, the two-system view and the next page: from the input event to the next
  frame after the view is redrawn (the page's work, style, layout);
* page bytes (and bytes per segment: linear in segments x systems and issues), DOM nodes after load.

Saves screenshots of the top of the WMT22 page, its issue list and its two-system view in eval/results/.

    python eval/report_speed.py [--results WMT22_RESULTS_JSON] [--copies 31] [--runs 5]

Needs Chromium (Debian package ``chromium``) and the Python package playwright.
Writes eval/results/report_speed.md and eval/results/report_{top,issues,compare}.png.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.report import render_html_pages  # noqa: E402
from pipeline.report.browser import browser_missing, chromium  # noqa: E402

RESULTS = ROOT / "eval" / "results"
BUDGET_LOAD_MS = 800
BUDGET_ACTION_MS = 100

# One action in the page: JS run inside the page, timed from the event to the frame after the redraw.
ACTIONS: dict[str, str] = {
    "next page": "document.querySelector('#pager-top button[data-step=next]').click()",
    "filter: only minor": "document.querySelector('#f-severity button[data-only][data-value=minor]').click()",
    "filter: all severities": "document.querySelector('#f-severity button[data-all]').click()",
    "filter: all segments": "var c = document.getElementById('only-issues'); c.checked = false; c.dispatchEvent(new Event('change', {bubbles: true}))",
    "search: text": "var s = document.getElementById('search'); s.value = 'Euro'; s.dispatchEvent(new Event('input'))",
    "search: /regex/": r"var s = document.getElementById('search'); s.value = '/\\d+ ?%/'; s.dispatchEvent(new Event('input'))",
    "search: cleared": "var s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))",
    "sort: segment score": "var s = document.getElementById('sort'); s.value = 'score'; s.dispatchEvent(new Event('change'))",
    "sort: document order": "var s = document.getElementById('sort'); s.value = 'doc'; s.dispatchEvent(new Event('change'))",
    "system switch": "var s = document.getElementById('system-select'); s.value = String((+s.value + 1) % s.options.length); s.dispatchEvent(new Event('change'))",
    "issues view": "document.getElementById('view-issues').click()",
    "two-system view": "document.getElementById('view-cmp').click()",
    "segments view": "document.getElementById('view-seg').click()",
}
TIMED = """async (code) => {
  const t0 = performance.now();
  (new Function(code))();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""


def data_dir() -> Path:
    base = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"
    if not base.exists():
        sys.exit(f"eval: WMT22 data not found at {base} (set MTQA_DATA_DIR)")
    return base


def wmt22_results(out: Path) -> dict[str, Any]:
    """`mtqa run` on WMT22 de-en as a user runs it (checks but A5/F4, BLEU and chrF, LM off)."""
    args = ["run", str(data_dir()), "-o", str(out), "--metrics", "bleu,chrf", "--disable", "A5,F4", "-q"]
    r = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"eval: mtqa run failed: {r.stderr[-2000:]}")
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def repeated(data: dict[str, Any], copies: int) -> dict[str, Any]:
    """The job ``copies`` times over as distinct documents: texts, beads, segment scores, issues."""
    big = copy.deepcopy(data)
    docs = data["documents"]
    big["documents"] = [{**copy.deepcopy(doc), "id": f"{doc['id']}#{k + 1}"} for k in range(copies) for doc in docs]
    for name, sr in big["systems"].items():
        sr["beads"] = {f"{doc_id}#{k + 1}": beads for k in range(copies) for doc_id, beads in data["systems"][name]["beads"].items()}
        for score in sr["scores"].values():
            if score.get("segments"):
                score["segments"] = score["segments"] * copies
    issues = []
    for k in range(copies):
        for issue in data["issues"]:
            fp = hashlib.sha256(f"{issue['fingerprint']}:{k}".encode()).hexdigest()[:16]
            issues.append({**issue, "document": f"{issue['document']}#{k + 1}", "fingerprint": fp})
    big["issues"] = issues
    return big


def _page_segments(path: Path) -> int:
    """Source segments on one page (read back from its JSON payload)."""
    text = path.read_text(encoding="utf-8")
    start = text.index('<script id="mtqa-data" type="application/json">') + len('<script id="mtqa-data" type="application/json">')
    payload = json.loads(text[start : text.index("</script>", start)])
    return sum(len(doc["source"]) for doc in payload["documents"])


def concatenated(data: dict[str, Any], copies: int) -> dict[str, Any]:
    """The job ``copies`` times over as one long document (a 61,504-line test set): the report
    must cut the document itself into pages."""
    assert len(data["documents"]) == 1
    doc = data["documents"][0]
    big = copy.deepcopy(data)

    def side(segs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        n, lines = len(segs), max((s["line"] for s in segs), default=0)
        return [{**s, "index": s["index"] + k * n, "line": s["line"] + k * lines} for k in range(copies) for s in segs]

    big["documents"] = [
        {**doc, "source": side(doc["source"]), "targets": {n: side(t) for n, t in doc["targets"].items()}, "references": {n: side(r) for n, r in doc["references"].items()}}
    ]
    sizes = {"source": len(doc["source"]), **{f"t:{n}": len(t) for n, t in doc["targets"].items()}, **{f"r:{n}": len(r) for n, r in doc["references"].items()}}
    for name, sr in big["systems"].items():
        beads = data["systems"][name]["beads"][doc["id"]]
        sr["beads"] = {
            doc["id"]: [
                {
                    "source": [i + k * sizes["source"] for i in b["source"]],
                    "target": [i + k * sizes[f"t:{name}"] for i in b["target"]],
                    "references": {r: [i + k * sizes[f"r:{r}"] for i in idx] for r, idx in b["references"].items()},
                    "confidence": b["confidence"],
                }
                for k in range(copies)
                for b in beads
            ]
        }
        for score in sr["scores"].values():
            if score.get("segments"):
                score["segments"] = score["segments"] * copies
    issues = []
    for k in range(copies):
        for issue in data["issues"]:
            n = sizes["source"] if issue["side"] == "source" else sizes[f"t:{issue['system']}"]
            nb = len(data["systems"][issue["system"]]["beads"][doc["id"]])
            fp = hashlib.sha256(f"{issue['fingerprint']}:{k}".encode()).hexdigest()[:16]
            issues.append({**issue, "segment": issue["segment"] + k * n, "bead": None if issue.get("bead") is None else issue["bead"] + k * nb, "fingerprint": fp})
    big["issues"] = issues
    return big


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def measure(context: Any, path: Path, runs: int) -> dict[str, Any]:
    loads, problems = [], []
    page = None
    for _ in range(runs):
        if page is not None:
            page.close()
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.goto(path.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function("document.documentElement.getAttribute('data-ready') === '1'", timeout=120_000)
        loads.append(page.evaluate("performance.getEntriesByName('mtqa-interactive')[0].startTime"))
    assert page is not None
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    times: dict[str, list[float]] = {name: [] for name in ACTIONS}
    for _ in range(runs):
        for name, code in ACTIONS.items():
            times[name].append(page.evaluate(TIMED, code))
    page.close()
    return {"load_ms": median(loads), "loads": loads, "nodes": nodes, "actions": {k: median(v) for k, v in times.items()}, "worst": {k: max(v) for k, v in times.items()}, "problems": problems}


def screenshots(context: Any, path: Path) -> list[str]:
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.getAttribute('data-ready') === '1'")
    shots = []

    def shot(name: str) -> None:
        out = RESULTS / name
        page.screenshot(path=str(out))
        shots.append(f"{name} ({out.stat().st_size // 1024} kB)")

    shot("report_top.png")
    page.click("#view-issues")
    page.evaluate("document.getElementById('workbench').scrollIntoView()")
    page.evaluate("window.scrollBy(0, document.querySelector('table.rules').getBoundingClientRect().top - 60)")
    shot("report_issues.png")
    page.click("#view-cmp")
    page.select_option("#compare-select", index=4)
    page.select_option("#compare-show", "issues")
    page.set_viewport_size({"width": 1280, "height": 1150})
    page.evaluate("window.scrollBy(0, document.querySelector('#workbench .toolbar').getBoundingClientRect().top - 64)")
    shot("report_compare.png")
    page.close()
    return shots


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", help="results.json of `mtqa run` on WMT22 de-en (default: run it now)")
    ap.add_argument("--copies", type=int, default=31, help="copies of the test set in the large job (31 x 1,984 = 61,504 segments)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    missing = browser_missing()
    if missing:
        sys.exit(f"eval: {missing}")
    with tempfile.TemporaryDirectory(prefix="mtqa-report-speed-") as tmp:
        t = Path(tmp)
        data = json.loads(Path(args.results).read_text(encoding="utf-8")) if args.results else wmt22_results(t / "wmt22")
        pages = {}
        jobs = [("WMT22 de-en", lambda: data), (f"{args.copies} x WMT22 de-en, documents", lambda: repeated(data, args.copies))]
        if len(data["documents"]) == 1:
            jobs.append((f"{args.copies} x WMT22 de-en, one document", lambda: concatenated(data, args.copies)))
        for label, make in jobs:
            job = make()
            t0 = time.perf_counter()
            html = render_html_pages(job, f"report{len(pages)}.html")
            render_s = time.perf_counter() - t0
            for name, text in html.items():
                (t / name).write_text(text, encoding="utf-8")
            segments = sum(len(doc["source"]) for doc in job["documents"])
            total = sum((t / name).stat().st_size for name in html)
            names = list(html)
            info = {"bytes": total, "segments": segments, "systems": len(job["job"]["systems"]), "issues": len(job["issues"]), "render_s": render_s, "pages": len(names)}
            # a split report: its first page and one from the middle, each opened alone
            for k in sorted({0, len(names) // 2} if "documents" in label else {len(names) // 2}):
                path = t / names[k]
                sub = f" (page {k + 1} of {len(names)})" if len(names) > 1 else ""
                pages[label + sub] = {**info, "path": path, "page_bytes": path.stat().st_size, "page_segments": _page_segments(path)}
            del html, job
        with chromium() as context:
            for label, info in pages.items():
                info.update(measure(context, info["path"], args.runs))
                print(label, f"load {info['load_ms']:.0f} ms", {k: round(v, 1) for k, v in info["actions"].items()}, flush=True)
            shots = screenshots(context, next(iter(pages.values()))["path"])
    write_summary(pages, shots, args)


def write_summary(pages: dict[str, dict[str, Any]], shots: list[str], args: argparse.Namespace) -> None:
    labels = list(pages)
    ok = lambda ms, budget: f"{ms:.0f}" + ("" if ms <= budget else " **over**")  # noqa: E731
    lines = [
        "# The HTML report at test-set size (headless Chromium)",
        "",
        f"`python eval/report_speed.py{' --results ...' if args.results else ''}` — WMT22 de-en (`mtqa run` on the test-set folder, LM off, A5/F4 off), and the same",
        f"repeated {args.copies} times as distinct documents and concatenated {args.copies} times into one document (each split into pages: one page of it opened at a time);",
        f"Debian's Chromium through Playwright, 1280x900, median of {args.runs}",
        "(load: fresh tab each time; actions: from the input event to the next frame after the redraw). Budgets: load <= 800 ms, every action <= 100 ms.",
        f"Measured on a shared 2-core machine with other jobs running (load average {os.getloadavg()[0]:.1f} at the end), so the figures are upper bounds.",
        "",
        "| | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(labels),
        "| job: segments x systems | " + " | ".join(f"{p['segments']:,} x {p['systems']}" for p in pages.values()) + " |",
        "| job: issues | " + " | ".join(f"{p['issues']:,}" for p in pages.values()) + " |",
        "| report: pages, bytes | " + " | ".join(f"{p['pages']}, {p['bytes'] / 1e6:.1f} MB" for p in pages.values()) + " |",
        "| report: bytes per segment (all systems, references, issues) | " + " | ".join(f"{p['bytes'] / p['segments']:,.0f}" for p in pages.values()) + " |",
        "| this page: segments, bytes | " + " | ".join(f"{p['page_segments']:,}, {p['page_bytes'] / 1e6:.1f} MB" for p in pages.values()) + " |",
        "| render (Python) | " + " | ".join(f"{p['render_s']:.1f} s" for p in pages.values()) + " |",
        "| DOM nodes after load | " + " | ".join(f"{p['nodes']:,}" for p in pages.values()) + " |",
        "| **load to interactive, ms** | " + " | ".join(ok(p["load_ms"], BUDGET_LOAD_MS) for p in pages.values()) + " |",
    ]
    for action in ACTIONS:
        lines.append(f"| {action}, ms | " + " | ".join(ok(p["actions"][action], BUDGET_ACTION_MS) + f" (max {p['worst'][action]:.0f})" for p in pages.values()) + " |")
    lines += [
        "",
        "Before the workbench (issue 16's measurement of the WMT22 page, every check on): 3.4 MB, 46,794 DOM nodes, load 1.2 s, every filter click 1.2-1.6 s,",
        "system switch 1.4 s: every row of every document was in the DOM. Now one page of rows (50) is; a job over 100,000 texts (segments x source, systems, references)",
        "is split into pages of documents or document parts (pipeline/report/pages.py), so a page stays near 10 MB whatever the job's size.",
    ]
    problems = [f"{label}: {x}" for label, p in pages.items() for x in p["problems"]]
    lines += ["", f"Console errors or page errors: {len(problems)}." + "".join(f"\n- {x}" for x in problems[:10])]
    lines += ["", "Screenshots: " + ", ".join(shots) + "."]
    (RESULTS / "report_speed.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
