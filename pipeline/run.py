"""Compose the stages from a config: align -> check -> score.  The CLI only builds the job and config."""

from __future__ import annotations

import importlib.metadata
import platform

from .config import Config
from .engine import STAGES, Progress, execute
from .io.stream import MemorySource
from .model import Job, RunResult

__all__ = ["STAGES", "run", "versions"]


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("mtqa", "sacrebleu", "numpy", "sentencex", "datasets", "transformers", "pydantic"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def run(
    job: Job,
    config: Config,
    stages: tuple[str, ...] = STAGES,
    progress: Progress | None = None,
    *,
    jobs: int = 1,
    cache_dir: str | None = None,
) -> RunResult:
    """Run the stages over a job that is already read (see :mod:`pipeline.engine`)."""
    return execute(MemorySource.of(job), config, stages, jobs=jobs, cache_dir=cache_dir, progress=progress, versions=versions())
