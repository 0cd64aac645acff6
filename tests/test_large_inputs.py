"""Large inputs (issue 17): tables streamed in record batches, compact per-unit statistics in the
driver, and the progress line.

A Parquet file or a ``datasets`` folder of more rows than results.json inlines
(``output.max_inline_segments``) is read in batches (pipeline/io/stream.py TableSource) and must give
exactly the outputs of the whole-table reader; the driver keeps BLEU/chrF statistics as int32
(pipeline/scoring/accumulate.py), which must change no score.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, load_json

from pipeline.cli import main
from pipeline.io import readers
from pipeline.io.stream import TableSource
from pipeline.scoring.accumulate import Rows, scores_list, scores_rows

DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"
needs_data = pytest.mark.skipif(not (DATA / "generaltest2022.de-en.src.de").is_file(), reason=f"WMT22 de-en not found in {DATA}")
ROWS = 300


def _lines(name: str) -> list[str]:
    return (DATA / f"generaltest2022.de-en.{name}").read_text(encoding="utf-8").splitlines()[:ROWS]


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> dict:
    """300 WMT22 de-en rows in documents of 37 rows (the last shorter), two systems, two references per row (a list column)."""
    folder = tmp_path_factory.mktemp("table")
    columns = {
        "doc_id": [f"d{i // 37}" for i in range(ROWS)],
        "source": _lines("src.de"),
        "Online-B": _lines("hyp.Online-B.en"),
        "LT22": _lines("hyp.LT22.en"),
        "references": [list(pair) for pair in zip(_lines("ref.A.en"), _lines("ref.B.en"))],
    }
    pq.write_table(pa.table(columns), folder / "job.parquet")
    config = folder / "large.yaml"
    config.write_text("output:\n  max_inline_segments: 100\n", encoding="utf-8")
    return {"folder": folder, "columns": columns, "config": config}


def _args(path: Path, out: Path, config: Path, *more: str) -> list[str]:
    return [
        "run", str(path), "-s", "de", "-t", "en", "--tgt-col", "Online-B", "--tgt-col", "LT22", "--enable", "A104,A201,A202,N2,L",
        "--metrics", "bleu,chrf", "--shard-size", "64", "-o", str(out), "--no-cache", "--config", str(config), "-q", *more,
    ]  # fmt: skip


def _same_outputs(a: Path, b: Path) -> None:
    def strip(results: dict) -> dict:
        results = dict(results)
        results.pop("run")
        results["config"] = {**results["config"], "output": {k: v for k, v in results["config"]["output"].items() if k != "dir"}}
        return results

    assert strip(load_json(a / "results.json")) == strip(load_json(b / "results.json"))
    assert (a / "issues.jsonl").read_bytes() == (b / "issues.jsonl").read_bytes()
    assert pq.read_table(a / "segments.parquet").equals(pq.read_table(b / "segments.parquet"))


def _streamed_and_whole(path: Path, table: dict, tmp_path: Path, monkeypatch) -> tuple[Path, Path, list]:
    made: list = []
    streamed_reader = readers.table_source

    def spy(*args, **kwargs):
        made.append(streamed_reader(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(readers, "table_source", spy)
    assert main(_args(path, tmp_path / "streamed", table["config"])) == 0
    monkeypatch.setattr(readers, "table_source", lambda *a, **k: None)  # the whole-table reader
    assert main(_args(path, tmp_path / "whole", table["config"])) == 0
    return tmp_path / "streamed", tmp_path / "whole", made


@needs_data
def test_parquet_streamed_in_batches_equals_the_whole_table_read(table, tmp_path, monkeypatch):
    streamed, whole, made = _streamed_and_whole(table["folder"] / "job.parquet", table, tmp_path, monkeypatch)
    source = made[0]
    assert isinstance(source, TableSource)
    assert source.n_source_segments == ROWS and source.documents[0] == ("d0", 37) and len(source.documents) == 9
    assert source.references == ["references.0", "references.1"]
    _same_outputs(streamed, whole)
    results = load_json(streamed / "results.json")
    assert results["systems"]["LT22"]["scores"]["bleu"]["score"] > 0 and len(results["systems"]["LT22"]["scores"]["bleu"]["segments"]) == ROWS


@needs_data
def test_datasets_folder_streamed_equals_the_whole_table_read(table, tmp_path, monkeypatch):
    import datasets

    folder = tmp_path / "ds"
    datasets.Dataset.from_dict(table["columns"]).save_to_disk(str(folder))
    streamed, whole, made = _streamed_and_whole(folder, table, tmp_path, monkeypatch)
    assert isinstance(made[0], TableSource)
    _same_outputs(streamed, whole)


@needs_data
def test_rows_of_a_document_apart_or_a_small_table_are_read_whole(table, tmp_path):
    config = readers.Config.model_validate({"src_lang": "de", "tgt_lang": "en", "input": {"target_columns": ["LT22"]}, "output": {"max_inline_segments": 100}})
    apart = dict(table["columns"], doc_id=[f"d{i % 5}" for i in range(ROWS)])
    pq.write_table(pa.table(apart), tmp_path / "apart.parquet")
    assert readers.table_source(str(tmp_path / "apart.parquet"), config, "de", "en", None) is None
    small = config.model_copy(update={"output": config.output.model_copy(update={"max_inline_segments": ROWS})})
    assert readers.table_source(str(table["folder"] / "job.parquet"), small, "de", "en", None) is None
    assert isinstance(readers.table_source(str(table["folder"] / "job.parquet"), config, "de", "en", None), TableSource)


@needs_data
def test_a_null_in_a_streamed_table_fails_before_any_work(table, tmp_path, capsys):
    columns = dict(table["columns"])
    columns["LT22"] = [None if i == 250 else t for i, t in enumerate(columns["LT22"])]
    pq.write_table(pa.table(columns), tmp_path / "null.parquet")
    assert main(_args(tmp_path / "null.parquet", tmp_path / "out", table["config"])) == 2
    assert "row 251, column 'LT22' is null" in capsys.readouterr().err
    assert not (tmp_path / "out" / "results.json").exists()


def test_statistics_kept_as_int32_exactly_and_float64_when_needed():
    rows = Rows(hint=4)
    rows.extend(np.array([[1.0, 2.0], [3.0, 4.0]]))
    rows.extend(np.array([[5.0, 6.0]]))
    assert rows.array().dtype == np.int32 and rows.array().tolist() == [[1, 2], [3, 4], [5, 6]]
    rows.extend(np.array([[7.5, 8.0], [9.0, 10.0], [11.0, 12.0]]))  # TER's averaged lengths: float64 from here on, past the hint
    assert rows.array().dtype == np.float64 and rows.array().tolist() == [[1, 2], [3, 4], [5, 6], [7.5, 8], [9, 10], [11, 12]]
    big = Rows()
    big.extend(np.array([[2.0**31]]))
    assert big.array().dtype == np.float64
    scores = [12.5, None, 0.0, 100.0]
    assert scores_list(scores_rows(scores)) == scores


@needs_data
def test_progress_line_gives_shards_pairs_rate_and_eta(table, tmp_path, capsys):
    assert main([*_args(table["folder"] / "job.parquet", tmp_path / "out", table["config"])[:-1], "--progress"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    last = [line for line in err if line.startswith("mtqa: shards")][-1]
    assert last.startswith("mtqa: shards 8/8, 600/600 pairs, ") and "pairs/s" in last, err
    assert main(_args(table["folder"] / "job.parquet", tmp_path / "quiet", table["config"], "--progress")) == 0  # --quiet wins
    assert "mtqa: shards" not in capsys.readouterr().err
    assert json.loads((tmp_path / "out" / "results.json").read_text())["job"]
