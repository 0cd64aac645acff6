"""Command line: ``mtqa run``, ``mtqa score``, ``mtqa rules``, ``mtqa report``, ``mtqa gate``, ``mtqa ignore``, ``mtqa review``.

The CLI parses arguments into a config (files, then options; the inputs too) and calls
:func:`pipeline.run.run` (``run``, ``score``) or the command's function; it prints, nothing else.  Exit status: 0 ok, 1 quality gate failed, 2 usage or input error,
3 internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import MtqaError
from .filenames import DEFAULT_IGNORE_FILE, REVIEW_FILE_NAME

if TYPE_CHECKING:
    from .checks import Registry
    from .config import Config
    from .model import MetricScore, RunResult

# The commands' modules are imported when a command runs, not here: they load the checks, the
# scorers and the report libraries (about a second), which `mtqa --help` and a usage error never need.

EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise MtqaError(f"{self.prog}: {message} (see {self.prog} --help)")


def _split_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="SOURCE TARGET [TARGET ...] text files or folders, or one TSV/CSV/JSONL/parquet/arrow file or dataset folder")
    p.add_argument("--ref", "-r", action="append", default=[], metavar="REF", help="reference file or folder (repeat for several references)")
    p.add_argument("--src-lang", "-s", help="source language code (e.g. de)")
    p.add_argument("--tgt-lang", "-t", help="target language code (e.g. en)")
    p.add_argument("--line-aligned", "-l", action="store_true", default=None, help="text inputs hold one segment a line, paired by line number")
    p.add_argument("--names", type=_split_list, help="comma-separated system names for the TARGET inputs")
    p.add_argument("--config", "-c", action="append", default=[], metavar="FILE", help="config file or profile name (configs/NAME.yaml); repeatable, later ones win")
    p.add_argument("--format", choices=["auto", "text", "tsv", "csv", "jsonl", "hf", "xml", "xliff", "tmx", "po"], help="input format (default: from the file name; XLIFF, TMX and PO by content)")
    p.add_argument("--src-col", help="source column of a tabular input")
    p.add_argument("--tgt-col", action="append", help="target column(s) of a tabular input; each is a system")
    p.add_argument("--ref-col", action="append", help="reference column(s) of a tabular input")
    p.add_argument("--doc-col", help="document-id column of a tabular input")
    p.add_argument("--split", help="split of a dataset saved with several splits")
    p.add_argument("--metrics", type=_split_list, help="comma-separated metrics: bleu,chrf,chrf++,ter")
    p.add_argument("--baseline", help="system the others are compared against (default: the first)")
    p.add_argument("--tests", type=_split_list, help="paired significance tests: bs,ar (or 'none')")
    p.add_argument("--bootstrap", type=int, metavar="N", help="bootstrap resamples for CIs and the paired bootstrap test")
    p.add_argument("--ar-trials", type=int, metavar="N", help="approximate randomization trials")
    p.add_argument("--seed", type=int, help="seed for resampling (default 12345, as sacrebleu)")
    p.add_argument("--no-ci", action="store_true", help="skip bootstrap confidence intervals")
    p.add_argument("--jobs", "-j", type=int, help="worker processes (default 1)")
    p.add_argument("--cache-dir", help="cache of shard results (default OUTDIR/.mtqa-cache); reruns resume from it")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the shard cache")
    p.add_argument("--shard-size", type=int, help="source segments per shard (default 250)")
    p.add_argument("--save-dataset", metavar="DIR", help="also save the per-segment table as a `datasets` folder")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary")
    p.add_argument("--progress", action="store_true", help="not on a terminal too: a progress line on standard error every 10 s (shards, pairs/s, ETA)")
    p.add_argument("--json", action="store_true", help="print the results JSON to standard output")


def build_parser() -> argparse.ArgumentParser:
    """Every command's arguments, and the function that runs it (``handler``)."""
    parser = _Parser(prog="mtqa", description="Translation quality assurance: segment, align, check, score, report.")
    parser.add_argument("--version", action="version", version=f"mtqa {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add_command in (_add_run, _add_score, _add_report, _add_gate, _add_ignore, _add_review, _add_rules, _add_align):
        add_command(sub)
    return parser


def _add_run(sub: Any) -> None:
    p_run = sub.add_parser("run", help="the whole pipeline: segment, align, check, score; writes OUTDIR")
    _add_input_options(p_run)
    p_run.add_argument("--output", "-o", metavar="OUTDIR", help="output folder for results.json and issues.jsonl")
    # Repeatable and comma-separated: "--disable F4 --disable A5" switches both off (the last one must not win).
    p_run.add_argument("--enable", type=_split_list, action="extend", help="rules to run (codes, prefixes, names or ALL); comma-separated, repeatable")
    p_run.add_argument("--disable", type=_split_list, action="extend", help="rules to switch off; comma-separated, repeatable")
    p_run.add_argument("--gate", metavar="POLICY", help="evaluate this gate policy on the run (exit 1 when it fails); writes junit.xml and results.sarif")
    p_run.add_argument("--gate-baseline", metavar="RESULTS", help="baseline results.json for the policy's regression rules")
    p_run.add_argument("--ignore-file", metavar="FILE", help="ignore list of issue fingerprints (default: .mtqa-ignore if present)")
    p_run.add_argument("--write-back", action="store_true", help="XLIFF and PO input: write each file with the findings in it (ITS 2.0 quality issues, PO comments) to OUTDIR/annotated/")
    p_run.add_argument("--executor", choices=["local", "ray"], help="where shards run: local (this machine's processes, --jobs; default) or ray (Ray tasks; pip install 'mtqa[ray]')")
    p_run.add_argument("--ray-address", metavar="ADDRESS", help="Ray cluster for --executor ray (host:port, ray://..., auto, local); default: the running cluster, else a local Ray with --jobs CPUs")
    p_run.set_defaults(handler=_cmd_pipeline)


def _add_score(sub: Any) -> None:
    p_score = sub.add_parser("score", help="reference-based scores only (BLEU, chrF, chrF++, TER)")
    _add_input_options(p_score)
    p_score.add_argument("--output", "-o", metavar="OUTDIR", help="also write OUTDIR/results.json")
    p_score.set_defaults(handler=_cmd_pipeline)


def _add_report(sub: Any) -> None:
    p = sub.add_parser("report", help="reviewer reports from a results.json: HTML, Markdown summary, XLSX issue list")
    p.add_argument("results", metavar="RESULTS", help="results.json (or the folder holding it)")
    p.add_argument("--output", "-o", metavar="HTML", help="the HTML report (default: report.html beside RESULTS)")
    p.add_argument("--markdown", "--md", metavar="FILE", help="also write the Markdown summary here")
    p.add_argument("--xlsx", metavar="FILE", help="also write the issue list as an Excel workbook here")
    p.add_argument("--ignore-file", metavar="FILE", help="mark the issues listed in this ignore file as ignored")
    p.add_argument("--markdown-issues", type=int, default=20, metavar="N", help="issues listed in the Markdown summary (default 20)")
    p.set_defaults(handler=_cmd_report)


def _add_gate(sub: Any) -> None:
    p = sub.add_parser("gate", help="CI quality gate: evaluate a policy on a results.json (exit 0 pass, 1 fail, 2 error)")
    p.add_argument("results", metavar="RESULTS", help="the candidate's results.json (or its folder)")
    p.add_argument("--policy", "-p", required=True, metavar="POLICY", help="gate policy YAML (see configs/ci-gate.yaml)")
    p.add_argument("--baseline", "-b", metavar="RESULTS", help="baseline results.json for regression rules (overrides the policy's 'baseline')")
    p.add_argument("--baseline-system", metavar="NAME", help="the baseline's system (default: its only one; or a system of RESULTS)")
    p.add_argument("--output", "-o", metavar="OUTDIR", help="write junit.xml, results.sarif and summary.md into OUTDIR")
    p.add_argument("--junit", metavar="FILE", help="write the JUnit XML here")
    p.add_argument("--sarif", metavar="FILE", help="write the SARIF 2.1.0 log here")
    p.add_argument("--markdown", "--md", metavar="FILE", help="write the Markdown summary with the verdict here")
    p.add_argument("--ignore-file", metavar="FILE", help=f"ignore list of fingerprints (default: {DEFAULT_IGNORE_FILE} if present)")
    p.add_argument("--quiet", "-q", action="store_true", help="no verdict on the terminal (the exit status tells)")
    p.set_defaults(handler=_cmd_gate)


def _add_ignore(sub: Any) -> None:
    q = sub.add_parser("ignore", help="add issues of a results.json to the ignore file (reviewed false positives)")
    q.add_argument("results", metavar="RESULTS", help="results.json (or its folder)")
    q.add_argument("--fingerprint", "-f", action="append", default=[], metavar="FP", help="an issue fingerprint (repeatable)")
    q.add_argument("--code", action="append", default=[], metavar="CODE", help="every issue of this rule code or code prefix (repeatable)")
    q.add_argument("--system", metavar="NAME", help="only issues of this system")
    q.add_argument("--all", action="store_true", help="every issue not yet ignored (accept the current state as the baseline)")
    q.add_argument("--reason", "-m", metavar="TEXT", help="why these are false positives (kept in the file)")
    q.add_argument("--file", default=DEFAULT_IGNORE_FILE, metavar="FILE", help=f"the ignore file (default {DEFAULT_IGNORE_FILE})")
    q.set_defaults(handler=_cmd_ignore)


def _add_review(sub: Any) -> None:
    p = sub.add_parser("review", help="reviewer decisions: `mtqa review import FILE` (the report's decisions JSON or an edited issues.xlsx)")
    actions = p.add_subparsers(dest="review_command", metavar="ACTION", parser_class=_Parser, required=True)
    q = actions.add_parser("import", help="false positives to the ignore file, confirmed/fixed issues to the review file beside it; 'open' withdraws a decision")
    q.add_argument("file", metavar="FILE", help="mtqa-decisions.json (the report's export), an edited issues.xlsx, or an ignore file (mtqa-ignore.yaml: false positives)")
    q.add_argument("--ignore-file", metavar="FILE", help=f"the ignore file to update (default {DEFAULT_IGNORE_FILE})")
    q.add_argument("--review-file", metavar="FILE", help=f"the review file to update (default {REVIEW_FILE_NAME} beside the ignore file, where mtqa run and gate read it)")
    q.set_defaults(handler=_cmd_review_import)


def _add_rules(sub: Any) -> None:
    p_rules = sub.add_parser("rules", help="list the registered checks")
    p_rules.add_argument("--json", action="store_true", help="as JSON")
    p_rules.add_argument("--markdown", action="store_true", help="as Markdown documentation (docs/rules.md)")
    p_rules.add_argument("--lang", metavar="SRC-TGT", help="for one language pair (e.g. fr-en): which rules run, why the others do not, and their measured false-alarm rates")
    p_rules.add_argument("--support-table", action="store_true", help="the language-support table (Markdown) of every measured language pair")
    p_rules.set_defaults(handler=_cmd_rules)


def _add_align(sub: Any) -> None:
    p = sub.add_parser("align", help="sentence-align a source and a target document; write beads like [0, 1]:[2]")
    p.add_argument("source", metavar="SOURCE", help="source document (text file)")
    p.add_argument("target", metavar="TARGET", help="target document (text file)")
    p.add_argument("--src-lang", "-s", help="source language code (e.g. de)")
    p.add_argument("--tgt-lang", "-t", help="target language code (e.g. fr)")
    p.add_argument("--segmented", action="store_true", help="the files hold one sentence a line; line numbers (from 0) are the sentence ids")
    p.add_argument("--beads-out", metavar="FILE", help="write the beads here (default: standard output)")
    p.add_argument("--show", action="store_true", help="also print each bead with its texts and confidence (to standard error)")
    p.add_argument("--config", "-c", action="append", default=[], metavar="FILE", help="config file or profile name; its align: and segmentation: sections apply")
    p.add_argument("--no-embeddings", action="store_true", help="align with sentence lengths and lexical anchors only (fast, less accurate)")
    p.add_argument("--cache-dir", metavar="DIR", help="keep sentence embeddings on disk here, so reruns embed nothing")
    p.add_argument("--max-bead", type=int, metavar="N", help="most sentences on one side of a bead (default 4)")
    p.set_defaults(handler=_cmd_align)


def _cmd_report(args: argparse.Namespace) -> int:
    from .report.cli import cmd_report  # deferred: start-up (the report libraries load for `mtqa report` only)

    return cmd_report(args)


def _cmd_gate(args: argparse.Namespace) -> int:
    from .gate.cli import cmd_gate  # deferred: start-up (loads the rule registry)

    return cmd_gate(args)


def _cmd_ignore(args: argparse.Namespace) -> int:
    from .gate.cli import cmd_ignore  # deferred: start-up (loads the rule registry)

    return cmd_ignore(args)


def _cmd_review_import(args: argparse.Namespace) -> int:
    from .review import cmd_review_import  # deferred: start-up (loads the ignore and results readers)

    return cmd_review_import(args)


def _cmd_align(args: argparse.Namespace) -> int:
    from .align.cli import run_align  # deferred: start-up (loads the aligner and the config's rule registry)

    return run_align(args)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    o: dict[str, Any] = {}

    def put(path: str, value: Any) -> None:
        if value is None:
            return
        node = o
        keys = path.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value

    put("input.paths", args.inputs)
    put("input.references", args.ref or None)
    put("input.names", args.names)
    put("src_lang", args.src_lang)
    put("tgt_lang", args.tgt_lang)
    put("input.line_aligned", args.line_aligned)
    put("input.format", args.format)
    put("input.source_column", args.src_col)
    put("input.target_columns", args.tgt_col)
    put("input.reference_columns", args.ref_col)
    put("input.document_column", args.doc_col)
    put("input.split", args.split)
    put("scoring.metrics", args.metrics)
    put("scoring.significance.baseline", args.baseline)
    if args.tests is not None:
        put("scoring.significance.tests", [] if args.tests == ["none"] else args.tests)
    put("scoring.bootstrap_samples", args.bootstrap)
    put("scoring.significance.ar_trials", args.ar_trials)
    put("scoring.seed", args.seed)
    if args.no_ci:
        put("scoring.confidence", False)
    put("output.dir", getattr(args, "output", None))
    put("output.dataset_dir", args.save_dataset)
    put("execution.jobs", args.jobs)
    put("execution.cache_dir", args.cache_dir)
    put("execution.shard_size", args.shard_size)
    put("execution.executor", getattr(args, "executor", None))
    put("execution.ray_address", getattr(args, "ray_address", None))
    if args.no_cache:
        put("execution.cache", False)
    put("checks.enable", getattr(args, "enable", None))
    put("checks.disable", getattr(args, "disable", None))
    put("ignore.file", getattr(args, "ignore_file", None))
    if getattr(args, "write_back", False):
        put("output.write_back", True)
    put("gate.policy", getattr(args, "gate", None))
    put("gate.baseline", getattr(args, "gate_baseline", None))
    return o


class _Bars:
    """Progress on standard error: one bar per stage on a terminal (the "pairs" bar gives the rate
    and an ETA); elsewhere, with ``--progress``, a plain line every ``every`` seconds (shards done,
    pairs, pairs/s, ETA), and a last one when the analysis ends.  ``--quiet``: nothing."""

    def __init__(self, quiet: bool, plain: bool = False, every: float = 10.0) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.plain = not quiet and not self.enabled and plain
        self.every = every
        self.bars: dict[str, Any] = {}
        self.shards: tuple[int, int | None] = (0, None)
        self.started = self.last = time.monotonic()
        self.first: tuple[float, int] | None = None  # the first shard's end: the rate is measured from there (start-up is not work)

    def _line(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = (now, done)
        final = total is not None and done >= total
        if not final and now - self.last < self.every:
            return
        self.last = now
        elapsed = now - self.started
        t0, d0 = self.first
        rate = (done - d0) / (now - t0) if now > t0 and done > d0 else done / max(elapsed, 1e-9)
        shards = f"shards {self.shards[0]}/{self.shards[1] if self.shards[1] is not None else '?'}"
        pairs = f"{done:,}/{total:,} pairs" if total else f"{done:,} pairs"
        eta = f", ETA {_duration((total - done) / rate)}" if total and rate > 0 and not final else f", {_duration(elapsed)}" if final else ""
        print(f"mtqa: {shards}, {pairs}, {rate:,.0f} pairs/s{eta}", file=sys.stderr, flush=True)

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if self.plain:
            if stage == "analyse":
                self.shards = (done, total)
            elif stage == "pairs":
                self._line(done, total)
            return
        if not self.enabled:
            return
        from tqdm import tqdm  # deferred: only a terminal shows progress bars

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(desc=stage, total=total, unit="pair" if stage == "pairs" else "step", unit_scale=stage == "pairs", file=sys.stderr, leave=False)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _duration(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


def _fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def summary(result: RunResult) -> str:
    """What a run prints: the job, a table of scores per system, issue counts, notes, signatures."""
    job = result.job
    lines = [
        f"mtqa: {job.src_lang}->{job.tgt_lang}, {len(job.documents)} document(s), "
        f"{job.n_source_segments} source segment(s), {len(job.systems)} system(s), {len(job.references)} reference(s)"
    ]
    significant = {(c.system, c.metric) for c in result.comparisons if c.test == "bs" and c.significant()}
    lines += _score_table(result, significant)
    if significant:
        lines.append(f"* significantly different from baseline {result.comparisons[0].baseline} (paired bootstrap, p < 0.05)")
    if result.issues:
        by_category = Counter(i.category for i in result.issues if not i.ignored)
        lines.append("issues: " + ", ".join(f"{c} {n}" for c, n in sorted(by_category.items(), key=lambda kv: -kv[1])))
    lines += [f"note: {note}" for note in result.notes]
    first = next(iter(result.systems.values()), None)
    lines += [f"{m.metric} signature: {m.signature}" for m in (first.scores.values() if first else ())]
    return "\n".join(lines)


def _score_table(result: RunResult, significant: set[tuple[str, str]]) -> list[str]:
    """One row per system: each metric with its CI half-width (``*``: significant), MQM, issues."""
    metric_keys = list(dict.fromkeys(k for sr in result.systems.values() for k in sr.scores))
    header = ["system"] + [next(sr.scores[k].metric for sr in result.systems.values() if k in sr.scores) for k in metric_keys]
    has_mqm = any(sr.mqm for sr in result.systems.values())
    if has_mqm:
        header += ["MQM", "issues"]
    rows = []
    for name, sr in result.systems.items():
        row = [name] + [_score_cell(sr.scores.get(k), (name, sr.scores[k].metric) in significant if k in sr.scores else False) for k in metric_keys]
        if has_mqm:
            row += [_fmt(sr.mqm.get("score")), str(sr.mqm.get("issues", 0))]
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in [header, *rows]]


def _score_cell(m: MetricScore | None, significant: bool) -> str:
    if m is None:
        return "-"
    cell = _fmt(m.score)
    if m.ci is not None:
        cell += f" ±{m.ci.half_width:.2f}"
    return cell + (" *" if significant else "")


def _cmd_rules(args: argparse.Namespace) -> int:
    from .checks import load_rules  # deferred: start-up (imports every check module)
    from .checks.docs import rules_markdown  # deferred: start-up (with the checks)
    from .languages import measured_rates, support_markdown  # deferred: start-up (with the checks)

    registry = load_rules()
    if args.support_table:
        pairs = sorted(measured_rates().get("pairs", {}))
        sys.stdout.write(support_markdown(pairs, list(registry)) if pairs else "no measured language pairs (run eval/false_alarms.py --write-rates)\n")
        return EXIT_OK
    if args.lang:
        return _rules_for_pair(args.lang, registry, args.json)
    if args.markdown:
        sys.stdout.write(rules_markdown(registry))
        return EXIT_OK
    if args.json:
        print(json.dumps([{"code": r.code, "name": r.name, "category": r.category, "severity": r.severity.value, "scope": r.scope, "summary": r.summary} for r in registry], indent=1))
        return EXIT_OK
    if not len(registry):
        print("no rules registered")
    for r in registry:
        print(f"{r.code:<6} {r.name:<32} {r.category:<38} {r.severity.value:<8} {r.summary}")
    return EXIT_OK


def _rules_for_pair(pair: str, registry: Registry, as_json: bool) -> int:
    from .languages import measured_rates, support  # deferred: start-up (with the checks)

    src, sep, tgt = pair.partition("-")
    if not sep or not src or not tgt:
        raise MtqaError(f"mtqa rules --lang: expected SRC-TGT such as fr-en, not {pair!r}")
    found, measured = support(src, tgt, list(registry))
    if as_json:
        print(json.dumps({"pair": f"{src}-{tgt}", "measured": measured, "rules": [vars(r) for r in found]}, indent=1))
        return EXIT_OK
    rates = measured_rates()
    where = rates.get("benchmarks", {}).get(measured.get("benchmark", "X-en"), {}).get("source", "") if measured else ""
    total = f"measured false alarms: {measured['total']:.2f} per 1,000 target words ({where})" if measured else "false alarms not measured for this pair"
    print(f"{src}->{tgt}: {sum(r.runs for r in found)} of {len(found)} rules run; {total}")
    for r in found:
        rate = f"{r.false_alarms:.3f}/1k" if r.false_alarms is not None else ""
        print(f"{r.code:<6} {r.name:<32} {'runs' if r.runs else 'off':<5} {rate:>9}  {r.reason or ''}".rstrip())
    return EXIT_OK


def _check_options(args: argparse.Namespace, config: Config) -> None:
    """Options that do not apply to the input or to each other are usage errors naming the option,
    not silently ignored."""
    from .io.readers import detect_format  # deferred: start-up (the readers load pandas and pyarrow)

    cmd = f"mtqa {args.command}"
    paths, outdir = config.input.paths, config.output.dir
    fmt = detect_format(paths[0], config.input.format) if paths else "text"
    if fmt == "text":
        for option, value in (("--src-col", args.src_col), ("--tgt-col", args.tgt_col), ("--ref-col", args.ref_col), ("--doc-col", args.doc_col)):
            if value:
                raise MtqaError(f"{cmd}: {option} applies to tabular inputs (TSV, CSV, JSONL, datasets, XML), not to text files")
    if args.split and fmt != "hf":
        raise MtqaError(f"{cmd}: --split applies to datasets (parquet, arrow, save_to_disk folders, --format hf), not to {fmt} input")
    if args.line_aligned and fmt != "text":
        raise MtqaError(f"{cmd}: --line-aligned applies to text files; a {fmt.upper()} input already holds one segment a row")
    if args.save_dataset and not outdir:
        raise MtqaError(f"{cmd}: --save-dataset saves the per-segment table of -o OUTDIR; give -o OUTDIR")
    if args.save_dataset and not config.output.segments_table:
        raise MtqaError(f"{cmd}: --save-dataset needs the per-segment table (output.segments_table is off)")
    if args.cache_dir and args.no_cache:
        raise MtqaError(f"{cmd}: --cache-dir and --no-cache contradict each other")
    if args.names is not None and not args.names:
        raise MtqaError(f"{cmd}: --names is empty")
    if getattr(args, "gate_baseline", None) and not getattr(args, "gate", None):
        raise MtqaError(f"{cmd}: --gate-baseline applies with --gate POLICY")


_WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EFBIG, errno.EDQUOT, errno.EIO}


def _environment_error(err: OSError, outdir: str | None) -> MtqaError | None:
    """A write that failed for a reason outside mtqa (full disk, read-only or vanished folder)."""
    where = err.filename or outdir or "output"
    if err.errno in _WRITE_ERRNOS:
        return MtqaError(f"{where}: cannot write ({os.strerror(err.errno)})")
    if outdir and err.errno in (errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.EPERM) and err.filename:
        inside = os.path.abspath(str(err.filename)).startswith(os.path.abspath(outdir) + os.sep)
        if inside:
            return MtqaError(f"{where}: cannot write ({os.strerror(err.errno)}; was the output folder removed?)")
    return None


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so temporary files and the lock go."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _cmd_pipeline(args: argparse.Namespace) -> int:
    """``mtqa run`` and ``mtqa score``: arguments -> config -> :func:`pipeline.run.run` -> what to print."""
    from .config import load_config  # deferred: start-up (the config validates rule codes: imports every check)
    from .gate.cli import report_verdict  # deferred: start-up (with the checks)
    from .io.writers import result_to_dict  # deferred: start-up (with the readers and writers)
    from .run import run  # deferred: start-up (the engine, the scorers and the aligner)

    config = load_config(args.config, _overrides(args))
    _check_options(args, config)
    bars = _Bars(args.quiet, plain=args.progress)
    try:
        with _terminate_as_interrupt():
            outcome = run(config, args.command, progress=bars)
    except OSError as err:
        converted = _environment_error(err, config.output.dir)
        if converted is None:
            raise
        raise converted from None
    finally:
        bars.close()
    result, outdir = outcome.result, config.output.dir
    if args.json:
        json.dump(result_to_dict(result, config.output.segments_in_results), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif not args.quiet:
        print(summary(result))
        if outdir:
            names = [p.name for p in outcome.written if os.path.abspath(p.parent) == os.path.abspath(outdir)]
            print("wrote " + ", ".join(os.path.join(outdir, n) for n in names))
    if outcome.gate is not None and outcome.results is not None:
        return report_verdict(outcome.gate, outcome.results, args.quiet or args.json)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except MtqaError as err:
        print(f"mtqa: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("mtqa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except SystemExit:
        raise
    except BaseException as err:
        # BaseException, not Exception: native extensions raise BaseException subclasses (pyo3's
        # PanicException), and a crash must never reach CI as exit 1 ("quality gate failed").
        if debug:
            traceback.print_exc()
        else:
            message = " ".join(str(err).split())[:500]
            print(f"mtqa: internal error: {type(err).__name__}: {message} (rerun with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
