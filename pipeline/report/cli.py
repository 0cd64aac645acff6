"""``mtqa report``: reports from a results.json (its arguments are declared in pipeline/cli.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import MtqaError
from ..io.writers import atomic_write
from ..results import load_results, malformed_as_input_error
from ..review import apply_decision_files
from . import REPORT_FILES, report_files
from .pages import stale_pages


def cmd_report(args: argparse.Namespace) -> int:
    data = load_results(args.results)
    with malformed_as_input_error(str(args.results)):
        apply_decision_files(data, args.ignore_file)
    base = Path(args.results)
    folder = base if base.is_dir() else base.parent
    targets: dict[str, str] = {"html": args.output or str(folder / REPORT_FILES["html"])}
    if args.markdown:
        targets["markdown"] = args.markdown
    if args.xlsx:
        targets["xlsx"] = args.xlsx
    with malformed_as_input_error(str(args.results)):
        html = Path(targets["html"])
        rendered = report_files(data, list(targets), markdown_issues=args.markdown_issues, html_name=html.name)
    written = []
    for fmt, path in targets.items():
        _write(Path(path), rendered.pop(html.name if fmt == "html" else REPORT_FILES[fmt]))
        written.append(path)
    for name, content in rendered.items():  # the further pages of a split HTML report, beside the first
        _write(html.parent / name, content)
        written.append(str(html.parent / name))
    for stale in stale_pages(html.parent, html.name, [html.name, *rendered]):  # an earlier, larger report's last pages
        stale.unlink(missing_ok=True)
    print("wrote " + ", ".join(written))
    return 0


def _write(path: Path, content: str | bytes) -> None:
    try:
        atomic_write(path, content)
    except OSError as err:
        raise MtqaError(f"{path}: cannot write ({err.strerror})") from None
