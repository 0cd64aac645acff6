"""One mtqa run in four steps, each a function of the config:

    read(config)                      -> JobSource  the inputs: layout, readers, segmentation   (pipeline/io)
    analyse(source, config, stages)   -> shards     per shard: align, check, score statistics   (pipeline/engine)
    aggregate(shards, source, config) -> RunResult  corpus scores, CIs, paired tests, MQM, ignore lists
    publish(result, config, folder)   -> Outcome    results.json, issues.jsonl, segments.parquet, reports, gate

:func:`run` chains them.  The CLI turns its arguments into a :class:`~pipeline.config.Config`
(inputs, languages, execution, outputs, gate: everything) and calls :func:`run`; tests call it too.
Data flows one way; nothing is written before every input has been read and checked.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import Registry, load_rules
from .config import Config
from .engine import STAGES, Progress, ShardOutput, aggregate, analyse, execute, with_embedding_runtime
from .errors import MtqaError
from .gate import GateResult, gate_files, load_policy
from .gate.cli import evaluate_policy
from .ignore import ignore_list_for
from .io.dataset import SegmentTableWriter, stage_dataset
from .io.l10n_input import write_back_files
from .io.readers import open_source, resolve_layout
from .io.stream import JobSource, MemorySource
from .io.writers import OutputFolder, check_outdir, clean_stale_temps, result_to_dict, write_outputs
from .model import Job, RunResult
from .report import REPORT_FILES, load_results, report_files, rule_info
from .report.pages import stale_pages
from .review import review_list_for

__all__ = ["COMMAND_STAGES", "STAGES", "Outcome", "aggregate", "analyse", "publish", "read", "run", "run_job", "versions"]

# What each command runs (pipeline/engine.py defines the stages).
COMMAND_STAGES: dict[str, tuple[str, ...]] = {"run": STAGES, "score": tuple(s for s in STAGES if s != "check")}


@dataclass
class Outcome:
    """What a run produced: the result, the files it wrote, the gate's verdict (when a policy was given)."""

    result: RunResult
    written: list[Path] = field(default_factory=list)
    gate: GateResult | None = None
    results: dict[str, Any] | None = None  # the results dict the reports and the gate were made from


def run(config: Config, command: str = "run", progress: Progress | None = None, registry: Registry | None = None) -> Outcome:
    """read -> analyse -> aggregate -> publish, with the settings of ``config`` and the rules of
    ``registry`` (default: every registered family)."""
    registry = registry if registry is not None else load_rules()
    stages = COMMAND_STAGES[command]
    config, source = read(config, command)
    if not config.output.dir:
        return Outcome(aggregate(analyse(source, config, stages, registry, progress), source, config, stages, registry, progress=progress, versions=versions()))
    with OutputFolder(config.output.dir) as folder:
        tables: list[SegmentTableWriter] = []  # filled before the table's temporary file exists: a SIGTERM anywhere is cleaned up
        try:
            if config.output.segments_table:
                SegmentTableWriter(os.path.join(folder.path, "segments.parquet"), config.scoring.metrics, register=tables.append)
            table = tables[0] if tables else None
            timings: dict[str, float] = {}
            shards = _feeding(analyse(source, config, stages, registry, progress, timings), table)
            result = aggregate(shards, source, config, stages, registry, progress=progress, versions=versions(), timings=timings)
            folder.ensure_present()
            return publish(result, config, command, folder.path, table)
        except BaseException:
            for unfinished in tables:
                unfinished.abort()
            raise


def read(config: Config, command: str = "run") -> tuple[Config, JobSource]:
    """Step 1: the inputs the config names, read (or, for streamed line-aligned text, checked).

    A manifest or test-set folder fills in languages and line alignment the config leaves open, so
    the config comes back completed.  Files read only at the end (gate policy, its baseline, ignore
    lists) are read here too, so a broken one fails in a second and leaves nothing behind.
    """
    inputs = config.input
    layout = resolve_layout(inputs.paths, inputs.references, inputs.names, config)
    config = config.model_copy(update=layout.settings)
    if not config.src_lang or not config.tgt_lang:
        raise MtqaError(f"mtqa {command}: give --src-lang and --tgt-lang (or set src_lang/tgt_lang in a config)")
    if command == "run" and not config.output.dir:
        raise MtqaError("mtqa run: give an output folder with -o OUTDIR")
    _read_run_files(config, command)
    if config.output.dir:
        check_outdir(config.output.dir)  # fail before reading the inputs; nothing is created yet
    source = open_source(layout.paths, layout.references, layout.names, config, layout.reference_names)
    if command == "score" and not source.references:
        raise MtqaError("mtqa score: no reference given (--ref FILE, or a reference column of a tabular input); scores need one")
    return with_embedding_runtime(config, source), source


def publish(result: RunResult, config: Config, command: str, outdir: Path, table: SegmentTableWriter | None) -> Outcome:
    """Step 4: reports, the gate's verdict and files, then every output replaced together."""
    extra: dict[str, str | bytes] = {}
    gate = data = None
    if command == "run" and config.output.write_back:  # first: its notes belong in the reports too
        annotated, notes = write_back_files(config.input.paths, result.issues)
        result.notes.extend(notes)
        extra.update(annotated)
        for name in annotated:  # the folders the annotated files go to (annotated/, and below it for a folder input)
            (Path(outdir) / name).parent.mkdir(parents=True, exist_ok=True)
    if command == "run":
        data = result_to_dict(result, include_segments=True)
        rules = rule_info()
        if config.gate.policy:
            gate = evaluate_policy(config.gate.policy, data, config.gate.baseline)
            extra.update(gate_files(gate, data, rules))
        extra.update(report_files(data, config.report.formats, gate=gate.to_dict() if gate else None, markdown_issues=config.report.markdown_issues, rules=rules))
    staged: dict[str, str] = {}
    if table is not None:
        staged["segments.parquet"] = table.finish()
        if config.output.dataset_dir:
            # an absolute name: write_outputs puts it in place together with the files of OUTDIR
            dataset_dir = os.path.abspath(config.output.dataset_dir)
            clean_stale_temps(os.path.dirname(dataset_dir), os.path.basename(dataset_dir))
            staged[dataset_dir] = stage_dataset(staged["segments.parquet"], dataset_dir)
    same = data if config.output.segments_in_results else None  # the reports' dict is results.json's when it keeps the segments
    written = write_outputs(result, outdir, config.output.segments_in_results, extra, staged, same)
    if "html" in config.report.formats and command == "run":  # an earlier, larger run's last report pages
        for stale in stale_pages(Path(outdir), REPORT_FILES["html"], extra):
            stale.unlink(missing_ok=True)
    return Outcome(result, written, gate, data)


def run_job(job: Job, config: Config, stages: tuple[str, ...] = STAGES, progress: Progress | None = None, registry: Registry | None = None) -> RunResult:
    """Steps 2 and 3 over a job already in memory (tests, notebooks); nothing is written."""
    return execute(MemorySource.of(job), config, stages, registry=registry, progress=progress, versions=versions())


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("mtqa", "sacrebleu", "numpy", "sentencex", "datasets", "transformers", "pydantic"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[dist] = importlib.metadata.version(dist)
    return out


def _read_run_files(config: Config, command: str) -> None:
    ignore_list_for(config)
    review_list_for(config.ignore.file)
    if command == "run" and config.gate.policy:
        policy = load_policy(config.gate.policy)
        baseline = config.gate.baseline or policy.baseline
        if baseline:
            load_results(baseline)


def _feeding(shards: Iterable[ShardOutput], table: SegmentTableWriter | None) -> Iterator[ShardOutput]:
    """The shards, each also written to the per-segment table as it passes."""
    for out in shards:
        if table is not None:
            table.add_shard(out)
        yield out

