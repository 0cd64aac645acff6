"""``mtqa report`` and the report options of ``mtqa run`` (argument wiring only)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import MtqaError
from ..ignore import apply_ignore_file
from ..io.writers import atomic_write
from ..results import load_results, malformed_as_input_error
from . import REPORT_FILES, report_files


def add_parser(sub: Any) -> None:
    p = sub.add_parser("report", help="reviewer reports from a results.json: HTML, Markdown summary, XLSX issue list")
    p.add_argument("results", metavar="RESULTS", help="results.json (or the folder holding it)")
    p.add_argument("--output", "-o", metavar="HTML", help="the HTML report (default: report.html beside RESULTS)")
    p.add_argument("--markdown", "--md", metavar="FILE", help="also write the Markdown summary here")
    p.add_argument("--xlsx", metavar="FILE", help="also write the issue list as an Excel workbook here")
    p.add_argument("--ignore-file", metavar="FILE", help="mark the issues listed in this ignore file as ignored")
    p.add_argument("--markdown-issues", type=int, default=20, metavar="N", help="issues listed in the Markdown summary (default 20)")
    p.set_defaults(handler=cmd_report)


def add_run_options(p_run: argparse.ArgumentParser) -> None:
    p_run.add_argument("--gate", metavar="POLICY", help="evaluate this gate policy on the run (exit 1 when it fails); writes junit.xml and results.sarif")
    p_run.add_argument("--gate-baseline", metavar="RESULTS", help="baseline results.json for the policy's regression rules")
    p_run.add_argument("--ignore-file", metavar="FILE", help="ignore list of issue fingerprints (default: .mtqa-ignore if present)")


def cmd_report(args: argparse.Namespace) -> int:
    data = load_results(args.results)
    apply_ignore_file(data, args.ignore_file)
    base = Path(args.results)
    folder = base if base.is_dir() else base.parent
    targets: dict[str, str] = {"html": args.output or str(folder / REPORT_FILES["html"])}
    if args.markdown:
        targets["markdown"] = args.markdown
    if args.xlsx:
        targets["xlsx"] = args.xlsx
    with malformed_as_input_error(str(args.results)):
        rendered = report_files(data, list(targets), markdown_issues=args.markdown_issues)
    for fmt, path in targets.items():
        _write(Path(path), rendered[REPORT_FILES[fmt]])
    print("wrote " + ", ".join(targets.values()))
    return 0


def _write(path: Path, content: str | bytes) -> None:
    try:
        atomic_write(path, content)
    except OSError as err:
        raise MtqaError(f"{path}: cannot write ({err.strerror})") from None
