"""Per-segment results as a table: one row per segment (or bead) per system, written shard by shard.

The file is Parquet, which ``datasets.Dataset.from_parquet`` / ``load_dataset("parquet", ...)``,
pandas and DuckDB read directly; ``save_dataset`` also writes a ``datasets`` ``save_to_disk`` folder.
Columns: system, document, segment (0-based: the line index of line-aligned input, the bead index
of a document), source, target, references, one column per metric with the row's segment score (see
pipeline/scoring/beads.py; null where a bead has no reference sentence), n_issues, issue_codes,
issues (JSON).
"""

from __future__ import annotations

import io
import json
import math
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from ..model import Issue
from ..scoring.beads import shard_segment_scores
from .readers import quiet_datasets
from .writers import publish, remove_temp, temp_path, unused_temp_name, write_error, write_files

METRIC_COLUMNS = {"bleu": "bleu", "chrf": "chrf", "chrf++": "chrf_pp", "ter": "ter"}


def _schema(metric_keys: list[str]) -> pa.Schema:
    fields = [
        pa.field("system", pa.string()),
        pa.field("document", pa.string()),
        pa.field("segment", pa.int64()),
        pa.field("source", pa.string()),
        pa.field("target", pa.string()),
        pa.field("references", pa.list_(pa.string())),
    ]
    fields += [pa.field(METRIC_COLUMNS[k], pa.float64()) for k in metric_keys]
    fields += [pa.field("adequacy", pa.float64())]  # Bead.adequacy: A5's z-score, null where A5 did not run
    fields += [pa.field("n_issues", pa.int32()), pa.field("issue_codes", pa.list_(pa.string())), pa.field("issues", pa.string())]
    return pa.schema(fields)


def arrow_table(columns: dict[str, list], schema: pa.Schema) -> pa.Table:
    """The columns as an Arrow table, built by Arrow's own JSON reader: ``pa.table`` on Python lists
    makes pyarrow import pandas to see whether they hold pandas objects (0.4 CPU s and 90 MB in every
    run, for nothing: none ever does).  Columns with a float that JSON cannot carry (NaN, infinity)
    go the ``pa.table`` way."""
    names = list(columns)
    floats = [name for name in names if pa.types.is_floating(schema.field(name).type)]
    if any(isinstance(v, float) and not math.isfinite(v) for name in floats for v in columns[name]):
        return pa.table(columns, schema=schema)
    rows = (json.dumps(dict(zip(names, row)), ensure_ascii=False, allow_nan=False) for row in zip(*columns.values()))
    data = ("\n".join(rows) + "\n").encode("utf-8")
    read = pa_json.ReadOptions(use_threads=False, block_size=max(1 << 20, len(data) + 1))  # one block: a row never straddles two
    parse = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    return pa_json.read_json(io.BytesIO(data), read_options=read, parse_options=parse)


class SegmentTableWriter:
    """Streams rows to a temporary Parquet file; ``close`` renames it into place (atomic)."""

    def __init__(self, path: str | os.PathLike[str], metric_keys: Sequence[str], register: Callable[[SegmentTableWriter], object] | None = None) -> None:
        """Opens the temporary file.  ``register`` receives the writer before any file exists, so that
        a caller's cleanup can ``abort`` it after an interruption (SIGTERM raises in the main thread)
        that lands anywhere, even between this constructor's return and the caller's assignment."""
        self.path = Path(path)
        self.metric_keys = [k for k in metric_keys if k in METRIC_COLUMNS]
        self.schema = _schema(self.metric_keys)
        self._tmp = ""
        self._writer: pq.ParquetWriter | None = None
        self._closed = False
        self.rows = 0
        if register is not None:
            register(self)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = unused_temp_name(self.path)  # recorded before the file exists
            self._writer = pq.ParquetWriter(self._tmp, self.schema, compression="zstd")
        except BaseException as err:
            # Also an interruption while the writer opens: a caller without ``register`` has no
            # writer to abort yet, so the temporary file goes here.
            self.abort()
            if isinstance(err, OSError):
                raise write_error(self.path, err) from None
            raise

    def add_shard(self, out) -> None:
        """Rows of one engine ShardOutput (see pipeline.engine)."""
        columns: dict[str, list] = {f.name: [] for f in self.schema}
        segment_scores = shard_segment_scores(out)
        for system, checks in out.systems.items():
            row = 0  # this system's bead in the shard: its segment scores' position
            by_segment: dict[tuple[str, int], list[Issue]] = defaultdict(list)
            for issue in checks.issues:
                by_segment[(issue.document, issue.bead if issue.bead is not None else issue.segment)].append(issue)
            scores = segment_scores.get(system, {})
            for doc in out.documents:
                beads = checks.beads.get(doc.id, [])
                tgt = doc.targets[system]
                for k, bead in enumerate(beads):
                    row_index = doc.source[bead.source[0]].index if doc.line_aligned and bead.source else k
                    columns["system"].append(system)
                    columns["document"].append(doc.id)
                    columns["segment"].append(row_index)
                    columns["source"].append(" ".join(doc.source[i].text for i in bead.source))
                    columns["target"].append(" ".join(tgt[i].text for i in bead.target))
                    columns["references"].append([" ".join(doc.references[r][i].text for i in idx) for r, idx in bead.references.items()])
                    for key in self.metric_keys:
                        columns[METRIC_COLUMNS[key]].append(scores[key][row] if key in scores else None)
                    columns["adequacy"].append(bead.adequacy)
                    row += 1
                    found = by_segment.get((doc.id, row_index), [])
                    columns["n_issues"].append(len(found))
                    columns["issue_codes"].append([i.code for i in found])
                    columns["issues"].append(json.dumps([i.to_dict() for i in found], ensure_ascii=False))
        if columns["system"]:
            assert self._writer is not None  # opened in __init__ or the constructor raised
            try:
                self._writer.write_table(arrow_table(columns, self.schema))
            except OSError as err:  # a full disk: the temporary file goes at abort()
                raise write_error(self.path, err) from None
            self.rows += len(columns["system"])

    def finish(self) -> str:
        """Complete the temporary file and return its name, for the caller to publish together with
        the run's other outputs (:func:`pipeline.io.writers.write_files`); ``abort`` still removes it."""
        if not self._closed:
            self._closed = True
            try:
                if self._writer is not None:
                    self._writer.close()
            except OSError as err:
                raise write_error(self.path, err) from None
        return self._tmp

    def close(self) -> Path:
        tmp = self.finish()
        try:
            publish(tmp, self.path)
        except OSError as err:
            raise write_error(self.path, err) from None
        self._tmp = ""
        return self.path

    def abort(self) -> None:
        try:
            if not self._closed:
                self._closed = True
                if self._writer is not None:
                    self._writer.close()
        except OSError:
            pass  # the file is being thrown away
        finally:
            if self._tmp:
                remove_temp(self._tmp)
                self._tmp = ""


def save_dataset(parquet_path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> None:
    """The same table as a ``datasets`` folder (``datasets.load_from_disk``), replacing ``folder``
    as a whole (see :func:`stage_dataset`)."""
    tmp = stage_dataset(parquet_path, folder)
    write_files({}, {Path(folder): tmp})


def stage_dataset(parquet_path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> str:
    """Save the table as a ``datasets`` folder under a temporary name beside ``folder``; returns the
    name, for the caller to publish (:func:`pipeline.io.writers.write_files`).  On failure nothing is
    left behind."""
    import datasets  # deferred: heavy (about 0.7 s to import), needed only for output.dataset

    target = Path(folder)
    tmp = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(target, directory=True)
        with quiet_datasets(datasets):  # no progress bars on stderr: mtqa shows its own
            ds = datasets.Dataset.from_parquet(str(parquet_path), keep_in_memory=False)
            ds.save_to_disk(tmp)
    except OSError as err:
        if tmp:
            remove_temp(tmp)
        raise write_error(target, err) from None
    except BaseException:
        if tmp:
            remove_temp(tmp)
        raise
    return tmp
