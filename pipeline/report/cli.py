"""``mtqa report``: reports from a results.json (its arguments are declared in pipeline/cli.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import MtqaError
from ..ignore import apply_ignore_file
from ..io.writers import atomic_write
from ..results import load_results, malformed_as_input_error
from ..review import apply_review_file
from . import REPORT_FILES, report_files


def cmd_report(args: argparse.Namespace) -> int:
    data = load_results(args.results)
    apply_ignore_file(data, args.ignore_file)
    apply_review_file(data, args.ignore_file)
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
