"""``mtqa gate`` and ``mtqa ignore`` (their arguments are declared in pipeline/cli.py; the work is in the gate and ignore modules)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

from ..checks import load_rules
from ..errors import InputError, MtqaError
from ..ignore import add_entries
from ..io.writers import prepare_outdir, write_files
from ..report import render_markdown, rule_info
from ..results import load_results, malformed_as_input_error
from ..review import apply_decision_files
from . import (
    GateResult,
    append_step_summary,
    evaluate,
    gate_files,
    in_github_actions,
    load_policy,
    verdict,
    workflow_annotations,
)

EXIT_PASS, EXIT_FAIL = 0, 1


def evaluate_policy(policy_path: str, data: dict[str, Any], baseline_path: str | None, baseline_system: str | None = None) -> GateResult:
    policy = load_policy(policy_path)
    if baseline_system:
        policy = policy.model_copy(update={"baseline_system": baseline_system})
    baseline_file = baseline_path or policy.baseline
    baseline = load_results(baseline_file) if baseline_file else None
    return evaluate(policy, data, baseline, policy_name=str(policy_path))


def report_verdict(result: GateResult, data: dict[str, Any], quiet: bool, stream: TextIO | None = None) -> int:
    stream = stream or sys.stdout
    if not quiet:
        width = shutil.get_terminal_size().columns if stream.isatty() else None
        print(verdict(result, width), file=stream)
    if in_github_actions():
        rules = rule_info()
        for line in workflow_annotations(result, data, rules):
            print(line, file=stream)
        append_step_summary(render_markdown(data, gate=result.to_dict()))
    return EXIT_PASS if result.passed else EXIT_FAIL


def cmd_gate(args: argparse.Namespace) -> int:
    data = load_results(args.results)
    with malformed_as_input_error(str(args.results)):
        return _gate(args, data)


def _gate(args: argparse.Namespace, data: dict[str, Any]) -> int:
    apply_decision_files(data, args.ignore_file)
    result = evaluate_policy(args.policy, data, args.baseline, args.baseline_system)
    targets: dict[str, str] = {}
    if args.output:
        out = prepare_outdir(args.output)
        targets = {"junit.xml": str(out / "junit.xml"), "results.sarif": str(out / "results.sarif"), "summary.md": str(out / "summary.md")}
    if args.junit:
        targets["junit.xml"] = args.junit
    if args.sarif:
        targets["results.sarif"] = args.sarif
    if args.markdown:
        targets["summary.md"] = args.markdown
    if targets:
        rules = rule_info()
        contents: dict[str, str] = gate_files(result, data, rules)
        if "summary.md" in targets:
            contents["summary.md"] = render_markdown(data, gate=result.to_dict())
        # One step: every file complete before any replaces an old one (no mix of new and old).
        write_files({Path(path): contents[name] for name, path in targets.items()})
    return report_verdict(result, data, args.quiet)


def cmd_ignore(args: argparse.Namespace) -> int:
    data = load_results(args.results)
    if not (args.fingerprint or args.code or args.all):
        raise MtqaError("mtqa ignore: choose the issues with --fingerprint FP, --code CODE or --all")
    issues = [i for i in data["issues"] if args.system is None or i["system"] == args.system]
    if args.system is not None and args.system not in data["job"]["systems"]:
        raise InputError(f"no system {args.system!r} in {args.results} ({', '.join(data['job']['systems'])})")
    known = {i["fingerprint"] for i in issues}
    missing = [fp for fp in args.fingerprint if fp.lower() not in known]
    if missing:
        raise InputError(f"no issue with fingerprint {missing[0]!r} in {args.results}")
    codes = [r.code for r in load_rules()] + [i["code"] for i in issues]
    unknown = [c for c in args.code if not c or not any(code.startswith(c) for code in codes)]
    if unknown:  # a typo must not record nothing and look like success
        raise InputError(f"mtqa ignore: --code {unknown[0]!r} is not a rule code or family (`mtqa rules` lists them)")
    wanted = {fp.lower() for fp in args.fingerprint}
    chosen = [
        i
        for i in issues
        if i["fingerprint"] in wanted or any(i["code"].startswith(c) for c in args.code) or (args.all and not i["ignored"])
    ]
    added, already = add_entries(args.file, chosen, args.reason)
    print(f"{args.file}: added {added} entr{'y' if added == 1 else 'ies'}" + (f" ({already} already listed)" if already else ""))
    return 0
