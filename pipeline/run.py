"""Compose the stages from a config: align -> check -> score.  The CLI only builds the job and config."""

from __future__ import annotations

import importlib.metadata
import platform
import time
from collections.abc import Callable

from .align import align_job, pairs_for
from .checks import CheckContext, load_rules, run_checks
from .config import Config
from .ignore import ignore_list_for
from .model import Bead, Issue, Job, RunResult, SystemResult
from .scoring import mqm_score, score_systems, scoring_input, target_words

STAGES = ("align", "check", "score")


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("mtqa", "sacrebleu", "numpy", "sentencex", "datasets", "transformers", "pydantic"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def check_job(job: Job, beads: dict[str, dict[str, list[Bead]]], config: Config) -> tuple[list[Issue], list[str]]:
    registry = load_rules()
    rules = registry.select(config.checks.enable, config.checks.disable)
    ctx = CheckContext(src_lang=job.src_lang, tgt_lang=job.tgt_lang, options=config.checks.options)
    per_document = [pairs_for(doc, system, beads[system][doc.id]) for system in job.systems for doc in job.documents]
    severities = {k: v.value for k, v in config.checks.severity.items()}
    return run_checks(per_document, rules, ctx, severities), ctx.notes


def run(
    job: Job,
    config: Config,
    stages: tuple[str, ...] = STAGES,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    timings: dict[str, float] = {}
    notes: list[str] = []

    t = time.perf_counter()
    beads = align_job(job, config.align)
    timings["align"] = time.perf_counter() - t

    issues: list[Issue] = []
    if "check" in stages:
        t = time.perf_counter()
        issues, check_notes = check_job(job, beads, config)
        notes += check_notes
        ignore_list = ignore_list_for(config)
        if len(ignore_list):
            n = ignore_list.apply(issues)
            notes.append(f"{n} issue(s) ignored as listed in {', '.join(ignore_list.sources)} (not counted)")
        timings["check"] = time.perf_counter() - t

    scores: dict = {}
    comparisons: list = []
    if "score" in stages:
        t = time.perf_counter()
        data = scoring_input(job, beads)
        if data is None:
            notes.append("no references given: reference-based metrics (BLEU, chrF, TER) were not computed")
        else:
            scores, comparisons = score_systems(data, config.scoring, job.tgt_lang, progress)
        timings["score"] = time.perf_counter() - t

    weights = config.mqm.weights
    systems = {
        name: SystemResult(
            name=name,
            beads=beads[name],
            scores=scores.get(name, {}),
            mqm=mqm_score((i for i in issues if i.system == name), target_words(job, name), weights) if "check" in stages else {},
        )
        for name in job.systems
    }
    return RunResult(
        job=job,
        systems=systems,
        issues=issues,
        comparisons=comparisons,
        config=config.to_dict(),
        versions=versions(),
        notes=notes,
        timings=timings,
    )
