"""Serialising a run: results.json (versioned schema), issues.jsonl; all writes atomic."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO, TypeAlias

from ..errors import InputError, MtqaError
from ..model import Comparison, MetricScore, RunResult, Segment
from ..results import SCHEMA_PATH, schema_problem  # noqa: F401 - SCHEMA_PATH: still importable from here

try:
    import fcntl
except ImportError:  # not POSIX: output folders are not locked
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = "1.4"  # 1.2: segments may name their localization unit ("unit"); 1.3: issues' "review", mqm_per_1k (+ CI); 1.4: beads' "adequacy"


def _num(x: float | None, digits: int = 6) -> float | None:
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return None
    return round(float(x), digits)


def segment_dict(seg: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {"index": seg.index, "text": seg.text, "paragraph": seg.paragraph, "line": seg.line, "start": seg.start, "end": seg.end}
    if seg.unit is not None:
        out["unit"] = seg.unit
    return out


def metric_dict(m: MetricScore) -> dict[str, Any]:
    return {
        "metric": m.metric,
        "score": _num(m.score, 4),
        "signature": m.signature,
        "formatted": m.formatted,
        "higher_is_better": m.higher_is_better,
        "ci": None
        if m.ci is None
        else {
            "mean": _num(m.ci.mean, 4),
            "half_width": _num(m.ci.half_width, 4),
            "low": _num(m.ci.low, 4),
            "high": _num(m.ci.high, 4),
            "level": m.ci.level,
            "n_samples": m.ci.n_samples,
            "seed": m.ci.seed,
        },
        "segments": None if m.segments is None else [_num(s, 4) for s in m.segments],
        "documents": None if m.documents is None else {k: _num(v, 4) for k, v in m.documents.items()},
    }


def comparison_dict(c: Comparison) -> dict[str, Any]:
    return {
        "metric": c.metric,
        "system": c.system,
        "baseline": c.baseline,
        "test": c.test,
        "score": _num(c.score, 4),
        "baseline_score": _num(c.baseline_score, 4),
        "delta": _num(c.delta, 4),
        "p_value": _num(c.p_value, 6),
        "significant": c.significant(),
        "n_samples": c.n_samples,
        "seed": c.seed,
    }


def comparison_table(result: RunResult, issue_counts: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    """One row per system: corpus scores with CIs, deltas and p-values against the baseline, the
    MQM-style score and issue counts by category (the table reports and dashboards show)."""
    tests: dict[tuple[str, str], dict[str, float]] = {}
    baseline = None
    for c in result.comparisons:
        baseline = c.baseline
        tests.setdefault((c.system, c.metric), {})[c.test] = c.p_value
    rows = []
    for name, sr in result.systems.items():
        metrics = {}
        for key, m in sr.scores.items():
            base = result.systems[baseline].scores.get(key) if baseline and baseline != name else None
            p = tests.get((name, m.metric), {})
            metrics[key] = {
                "metric": m.metric,
                "score": _num(m.score, 4),
                "ci_low": _num(m.ci.low, 4) if m.ci else None,
                "ci_high": _num(m.ci.high, 4) if m.ci else None,
                "delta": _num(m.score - base.score, 4) if base else None,
                "p_bs": _num(p.get("bs"), 6),
                "p_ar": _num(p.get("ar"), 6),
                # the paired bootstrap decides when it ran (as in the summaries), else randomization
                "significant": p.get("bs", p.get("ar", 1.0)) < 0.05,
            }
        rows.append(
            {
                "system": name,
                "baseline": name == baseline or (baseline is None and len(result.systems) == 1),
                "metrics": metrics,
                "mqm": sr.mqm.get("score"),
                "mqm_per_1k": sr.mqm.get("mqm_per_1k"),
                "mqm_per_1k_ci": sr.mqm.get("mqm_per_1k_ci"),
                "issues": sum(issue_counts[name].values()),
                "issues_by_category": dict(sorted(issue_counts[name].items())),
            }
        )
    return rows


def result_to_dict(result: RunResult, include_segments: bool = True) -> dict[str, Any]:
    job = result.job
    issue_counts: dict[str, Counter[str]] = {s: Counter() for s in job.systems}
    for issue in result.issues:
        if not issue.ignored:
            issue_counts[issue.system][issue.category] += 1
    documents = _document_dicts(result, include_segments and job.segment_counts is None)  # no texts kept: a large job
    return {
        "schema": "mtqa-results",
        "schema_version": SCHEMA_VERSION,
        "job": {
            "src_lang": job.src_lang,
            "tgt_lang": job.tgt_lang,
            "systems": list(job.systems),
            "references": list(job.references),
            "inputs": [asdict(i) for i in job.inputs],
        },
        "documents": documents,
        "systems": {
            name: {
                "beads": {doc: [b.to_dict() for b in beads] for doc, beads in sr.beads.items()},
                "scores": {key: metric_dict(m) for key, m in sr.scores.items()},
                "mqm": sr.mqm,
                "issue_counts": dict(sorted(issue_counts[name].items())),
            }
            for name, sr in result.systems.items()
        },
        "comparisons": [comparison_dict(c) for c in result.comparisons],
        "comparison_table": comparison_table(result, issue_counts),
        "issues": [i.to_dict() for i in result.issues],
        "config": result.config,
        "versions": result.versions,
        "notes": list(result.notes),
        "run": {"timings_s": {k: round(v, 3) for k, v in result.timings.items()}},
    }


def _document_dicts(result: RunResult, include_segments: bool) -> list[dict[str, Any]]:
    """The documents of results.json: their segments on every side, or only their number."""
    job = result.job
    documents = []
    for doc in job.documents:
        entry: dict[str, Any] = {"id": doc.id, "line_aligned": doc.line_aligned}
        if include_segments:
            entry["source"] = [segment_dict(s) for s in doc.source]
            entry["targets"] = {name: [segment_dict(s) for s in segs] for name, segs in doc.targets.items()}
            entry["references"] = {name: [segment_dict(s) for s in segs] for name, segs in doc.references.items()}
        else:
            entry["n_source_segments"] = job.segment_counts[doc.id] if job.segment_counts is not None else len(doc.source)
        documents.append(entry)
    return documents


def os_error_text(err: BaseException) -> str:
    """The reason of an OSError on one line ("No space left on device")."""
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return " ".join(str(reason).split())


def write_error(path: str | os.PathLike[str], err: BaseException) -> MtqaError:
    """A failed write (full disk, read-only or vanished folder) as a one-line usage/environment error."""
    return MtqaError(f"{path}: cannot write ({os_error_text(err)})")


# A file's content: text, bytes, or a function that writes the text to an open file (a large job's
# results.json and issues.jsonl go to disk piece by piece instead of being held as one string).
Content: TypeAlias = str | bytes | Callable[[TextIO], None]

TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # what mkstemp/mkdtemp(prefix=".NAME.", suffix=".tmp") make


def temp_path(path: Path, directory: bool = False) -> str:
    """A new temporary file (or folder) beside ``path``, named ``.NAME.XXXXXXXX.tmp``."""
    if directory:
        return tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return tmp


def unused_temp_name(path: Path) -> str:
    """A name beside ``path`` in temp_path's pattern (``.NAME.XXXXXXXX.tmp``) that no file has, not
    created: a caller that records it before the file exists can remove whatever an interruption
    (SIGTERM raises in the main thread between any two steps) leaves behind."""
    while True:
        name = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        if not name.exists():
            return str(name)


def remove_temp(tmp: str | os.PathLike[str]) -> None:
    """Remove a temporary file or folder; never fails (it is cleanup on an error path)."""
    try:
        if Path(tmp).is_dir() and not Path(tmp).is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass


def publish(tmp: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Rename a finished temporary file into place with the permissions a plain open() would give
    (mkstemp creates files readable by the owner only).  A temporary folder replaces ``path``
    (the old folder is moved aside first and removed after)."""
    umask = os.umask(0)
    os.umask(umask)
    if Path(tmp).is_dir():
        os.chmod(tmp, 0o777 & ~umask)
        target = Path(path)
        old = None
        if target.exists():
            old = temp_path(target, directory=True)
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(tmp, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
            raise
        if old is not None:
            remove_temp(old)
        return
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def _stage(path: Path, content: Content) -> str:
    """Write ``content`` to a temporary file beside ``path``; returns its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        if isinstance(content, bytes):
            with open(tmp, "wb") as fh:
                fh.write(content)
        else:
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                if isinstance(content, str):
                    fh.write(content)
                else:
                    content(fh)
    except BaseException:
        remove_temp(tmp)
        raise
    return tmp


def atomic_write(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write via a temporary file in the same directory and rename, so no reader sees half a file.
    A failed write (full disk, read-only folder) leaves no temporary file and raises MtqaError."""
    write_files({Path(path): content})


def write_files(files: dict[Path, Content], staged: dict[Path, str] | None = None) -> list[Path]:
    """Write several files as one step: every file goes to a temporary file first, and only when all
    are complete are they renamed into place.  ``staged`` adds temporary files (or folders) already
    written by the caller.  On any failure no temporary file is left and no file is replaced."""
    temps: dict[Path, str] = {}
    pending = dict(staged or {})
    current: Path | None = None
    try:
        for path, content in files.items():
            current = path
            temps[path] = _stage(path, content)
        temps.update(pending)
        for path, tmp in temps.items():
            current = path
            publish(tmp, path)
            pending.pop(path, None)
            temps[path] = ""
    except OSError as err:
        raise write_error(current or next(iter(files), ""), err) from None
    finally:
        for tmp in [*temps.values(), *pending.values()]:
            if tmp:
                remove_temp(tmp)
    return list(temps)


def clean_stale_temps(folder: str | os.PathLike[str], name: str | None = None) -> list[str]:
    """Remove temporary files and folders that a killed run left in ``folder`` (names as
    :func:`temp_path` makes them; only those of ``name`` when given).  Call only while holding the
    folder's lock."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if TEMP_NAME.match(entry.name) and (name is None or entry.name[1 : -len(".XXXXXXXX.tmp")] == name):
            remove_temp(entry.path)
            removed.append(entry.name)
    return removed


def check_outdir(outdir: str | os.PathLike[str]) -> Path:
    """Check, without creating anything, that ``outdir`` is or can be made a writable folder."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    probe = out
    while not probe.exists():
        if probe.is_symlink():
            raise InputError(f"{out}: cannot create output directory ({probe} is a dangling link: its target vanished)")
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise InputError(f"{out}: cannot create output directory ({probe} is not a directory)")
    if not os.access(probe, os.W_OK | os.X_OK):
        reason = "read-only file system" if _read_only(probe) else "permission denied"
        what = "output directory is not writable" if probe == out else f"cannot create output directory in {probe}"
        raise InputError(f"{out}: {what} ({reason})")
    return out


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def prepare_outdir(outdir: str | os.PathLike[str]) -> Path:
    out = check_outdir(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{out}: cannot create output directory ({os_error_text(err)})") from None
    if not os.access(out, os.W_OK):
        raise InputError(f"{out}: output directory is not writable")
    return out


LOCK_NAME = ".mtqa.lock"


class OutputFolder:
    """The output folder of a run, held for the run's length.

    Entering creates the folder (and missing parents), takes an exclusive lock on
    ``OUTDIR/.mtqa.lock`` (``fcntl.flock``: the kernel drops it when the process dies, even by
    SIGKILL, so a stale lock never blocks) and removes temporary files a killed run left behind.
    A second run on the same folder is refused with one line naming it.  Leaving releases the lock
    and removes the lock file; after a failure, folders the run created are removed again when
    they are empty.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_path = self.path / LOCK_NAME
        self.created: list[Path] = []
        self._fd: int | None = None

    def __enter__(self) -> OutputFolder:
        check_outdir(self.path)
        missing = []
        probe = self.path
        while not probe.exists() and probe.parent != probe:
            missing.append(probe)
            probe = probe.parent
        try:
            for folder in reversed(missing):
                folder.mkdir(exist_ok=True)
                self.created.append(folder)
            self._lock()
            clean_stale_temps(self.path)
        except BaseException as err:
            self._release()
            self._remove_created()
            if isinstance(err, OSError):
                raise InputError(f"{self.path}: cannot create output directory ({os_error_text(err)})") from None
            raise
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._release()
        if exc_type is not None:
            self._remove_created()

    def _lock(self) -> None:
        if fcntl is None:  # not POSIX: no lock
            return
        for _ in range(10):
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError as err:
                raise InputError(f"{self.path}: cannot write into the output directory ({os_error_text(err)})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                raise InputError(
                    f"{self.path}: another mtqa run{holder} is writing into this output folder; "
                    "wait for it to finish or choose another -o"
                ) from None
            except OSError:  # no locking on this file system (some network mounts): go on unlocked
                self._fd = fd
                return
            try:
                same = os.stat(self.lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                try:
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()}\n".encode())
                except OSError:
                    pass  # the pid is a courtesy for the message above; a full disk must not stop here
                return
            os.close(fd)  # the holder removed the file while we waited for it: lock the new one
        raise InputError(f"{self.path}: cannot lock the output directory (its lock file keeps changing)")

    def ensure_present(self) -> None:
        """Fail if the folder was removed or replaced during the run (before anything is written)."""
        if self._fd is None:
            if not self.path.is_dir():
                raise InputError(f"{self.path}: the output folder vanished during the run; nothing was written")
            return
        try:
            same = os.stat(self.lock_path).st_ino == os.fstat(self._fd).st_ino
        except OSError:
            same = False
        if not same:
            raise InputError(f"{self.path}: the output folder was removed or replaced during the run; nothing was written")

    def _release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            if os.stat(self.lock_path).st_ino == os.fstat(self._fd).st_ino:
                os.unlink(self.lock_path)  # unlink before unlocking: a waiter re-checks the inode
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None

    def _remove_created(self) -> None:
        for folder in reversed(self.created):
            try:
                folder.rmdir()  # only when empty: a cache that a later run can resume from stays
            except OSError:
                break
        self.created = []


def _read_pid(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except (OSError, AttributeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


def write_outputs(
    result: RunResult,
    outdir: str | os.PathLike[str],
    include_segments: bool = True,
    extra: dict[str, str | bytes] | None = None,
    staged: dict[str, str] | None = None,
    data: dict[str, Any] | None = None,
) -> list[Path]:
    """results.json, issues.jsonl and ``extra`` files (reports, gate outputs: name -> content);
    every file is written to a temporary file before any replaces an old one, and the files (with ``staged``
    temporary files: name -> temporary path, e.g. segments.parquet) replace the old ones together.
    ``data`` is ``result_to_dict(result, include_segments)`` when the caller has it already (a large
    job's dict is big: building it twice would double the driver's peak)."""
    out = prepare_outdir(outdir)
    data = data if data is not None else result_to_dict(result, include_segments)
    problem = schema_problem(data)
    if problem is not None:  # a bug in mtqa: better no results than results no reader accepts
        raise RuntimeError(f"results do not follow their schema ({problem}); nothing was written")
    def results_json(fh: TextIO) -> None:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")

    def issues_jsonl(fh: TextIO) -> None:
        for issue in data["issues"]:
            fh.write(json.dumps(issue, ensure_ascii=False) + "\n")

    contents: dict[str, Content] = {"results.json": results_json, "issues.jsonl": issues_jsonl, **(extra or {})}
    return write_files({out / name: content for name, content in contents.items()}, {out / name: tmp for name, tmp in (staged or {}).items()})
