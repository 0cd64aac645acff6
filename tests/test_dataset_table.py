"""segments.parquet's rows built without pandas (pipeline/io/dataset.py arrow_table)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pyarrow as pa

from pipeline.io.dataset import _schema, arrow_table


def _columns(metrics: dict[str, list]) -> dict[str, list]:
    issue = json.dumps([{"code": "N101", "message": "«Selenskyj» \"quoted\" \\ back\nslash"}], ensure_ascii=False)
    columns: dict[str, list] = {
        "system": ["sys-a", "sys-b", "日本語"],
        "document": ["d1", "d1", "ü/ß"],
        "segment": [0, 2**40, 7],
        "source": ["Der Präsident sprach.", "", "x" * 300_000],  # a long line: still one row
        "target": ["The president spoke.\u2028", "\t", "emoji 🙂 \x00 nul"],
        "references": [["ref one", "ref two"], [], ["\u200b"]],
    }
    columns.update(metrics)
    columns["adequacy"] = [-0.5, None, 1.25]
    columns.update({"n_issues": [1, 0, 2], "issue_codes": [["N101"], [], ["T101", "T101"]], "issues": [issue, "[]", "[]"]})
    return columns


def test_the_json_built_table_equals_pyarrows_own():
    schema = _schema(["bleu", "chrf", "ter"])
    columns = _columns({"bleu": [12.345678901234567, None, 0.1 + 0.2], "chrf": [1e-300, 100.0, None], "ter": [5e-324, 2.5, 1.7976931348623157e308]})
    assert arrow_table(columns, schema).equals(pa.table(columns, schema=schema))


def test_floats_json_cannot_carry_take_pyarrows_way():
    schema = _schema(["bleu"])
    columns = _columns({"bleu": [float("nan"), float("inf"), 1.0]})
    table = arrow_table(columns, schema)
    assert table.drop_columns(["bleu"]).equals(pa.table(columns, schema=schema).drop_columns(["bleu"]))
    first, second, third = table.column("bleu").to_pylist()  # NaN equals nothing, so compared one by one
    assert math.isnan(first) and second == float("inf") and third == 1.0


def test_a_run_never_imports_pandas(tmp_path):
    (tmp_path / "src.txt").write_text("Der Präsident sprach am Montag mit Selenskyj.\n", encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("The president spoke with Selenskyj on Monday.\n", encoding="utf-8")
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['mtqa', 'run', sys.argv[1], sys.argv[2], '-s', 'de', '-t', 'en', '-l', '--disable', 'F4,A5', '--quiet', '-o', sys.argv[3]]\n"
        "try:\n    runpy.run_module('pipeline', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "src.txt"), str(tmp_path / "tgt.txt"), str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert (tmp_path / "out" / "segments.parquet").exists(), out.stderr[-500:]
    assert out.stdout.strip().splitlines()[-1] == "False"  # 0.4 CPU s and tens of MB saved in every run
