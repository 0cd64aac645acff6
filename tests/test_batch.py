"""Batch execution: shards, cache, resume after a kill, parallel workers, layouts, per-segment table."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, load_json, run_cli

from pipeline.config import load_config
from pipeline.engine import execute
from pipeline.errors import InputError
from pipeline.io.readers import open_source
from pipeline.io.stream import LineFilesSource, MemorySource, count_lines

WORDS = "the a house tree river city talks summit government minister said on Thursday in of and to".split()


def synthetic(tmp_path: Path, n: int, systems=("sysA", "sysB"), seed: int = 1) -> dict:
    """A line-aligned test set written for the tests: deterministic pseudo-sentences."""
    import random

    rng = random.Random(seed)
    ref = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))).capitalize() + "." for _ in range(n)]
    src = [f"Satz {i}: " + r for i, r in enumerate(ref)]
    files = {"src": tmp_path / "t.src.de", "ref": tmp_path / "t.ref.A.en"}
    files["src"].write_text("\n".join(src) + "\n")
    files["ref"].write_text("\n".join(ref) + "\n")
    for k, name in enumerate(systems):
        hyp = []
        for r in ref:
            words = r.split()
            if rng.random() < 0.3 + 0.2 * k:
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            hyp.append(" ".join(words))
        files[name] = tmp_path / f"t.hyp.{name}.en"
        files[name].write_text("\n".join(hyp) + "\n")
    return {k: str(v) for k, v in files.items()}


def strip_run(results: dict) -> dict:
    """Drop what legitimately differs between equivalent runs: timings, output folder, execution."""
    results = dict(results)
    results.pop("run")
    config = dict(results.pop("config"))
    config.pop("execution")
    config["output"] = {k: v for k, v in config["output"].items() if k not in ("dir", "dataset_dir")}
    results["config"] = config
    return results


def args_for(files, systems=("sysA", "sysB")):
    return [files["src"], *(files[s] for s in systems), "--ref", files["ref"], "-s", "de", "-t", "en", "--line-aligned"]


def test_shards_and_workers_do_not_change_results(tmp_path):
    files = synthetic(tmp_path, 600)
    base = args_for(files) + ["--disable", "ALL", "--metrics", "bleu,chrf,ter", "--ar-trials", "300", "-q"]
    r1 = run_cli("run", *base, "-o", str(tmp_path / "one"), "--no-cache")
    r2 = run_cli("run", *base, "-o", str(tmp_path / "sharded"), "--shard-size", "70", "--jobs", "2")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    a, b = load_json(tmp_path / "one" / "results.json"), load_json(tmp_path / "sharded" / "results.json")
    assert strip_run(a) == strip_run(b)
    assert len(a["systems"]["sysA"]["scores"]["bleu"]["segments"]) == 600
    assert (tmp_path / "sharded" / ".mtqa-cache" / "stats").is_dir()
    assert not (tmp_path / "one" / ".mtqa-cache").exists()


def test_rerun_after_one_system_changed_recomputes_only_that_system(tmp_path):
    files = synthetic(tmp_path, 300)
    cache = str(tmp_path / "cache")
    config = load_config(None, {"src_lang": "de", "tgt_lang": "en", "input": {"line_aligned": True}, "checks": {"disable": ["ALL"]}, "scoring": {"metrics": ["bleu"], "significance": {"tests": ["bs"]}}, "execution": {"shard_size": 100, "cache_dir": cache}})

    def run_once():
        source = open_source([files["src"], files["sysA"], files["sysB"]], [files["ref"]], None, config)

        stats_before = set((tmp_path / "cache" / "stats").glob("*.entry")) if (tmp_path / "cache" / "stats").exists() else set()
        result = execute(source, config)
        stats_after = set((tmp_path / "cache" / "stats").glob("*.entry"))
        return result, len(stats_after - stats_before)

    first, new_entries = run_once()
    assert new_entries == 6  # 3 shards x 2 systems
    again, new_entries = run_once()
    assert new_entries == 0
    assert again.systems["sysA"].scores["bleu"].score == first.systems["sysA"].scores["bleu"].score
    lines = Path(files["sysB"]).read_text().splitlines()
    lines[150] = "Something else entirely."
    Path(files["sysB"]).write_text("\n".join(lines) + "\n")
    changed, new_entries = run_once()
    assert new_entries == 1  # only sysB's middle shard
    assert changed.systems["sysA"].scores["bleu"].score == first.systems["sysA"].scores["bleu"].score
    assert changed.systems["sysB"].scores["bleu"].score != first.systems["sysB"].scores["bleu"].score


def test_killed_run_resumes_and_equals_an_uninterrupted_run(tmp_path):
    files = synthetic(tmp_path, 600)
    out = tmp_path / "out"
    base = args_for(files) + ["--disable", "ALL", "--metrics", "bleu,ter", "--tests", "bs", "--shard-size", "50", "-q"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", *base, "-o", str(out)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stats = out / ".mtqa-cache" / "stats"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        done = len(list(stats.glob("*.entry"))) if stats.exists() else 0
        if done >= 4:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; make the job larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "results.json").exists()
    done_before = len(list(stats.glob("*.entry")))
    assert 4 <= done_before < 24
    resumed = run_cli("run", *base, "-o", str(out))
    assert resumed.returncode == 0, resumed.stderr
    fresh = run_cli("run", *base, "-o", str(tmp_path / "fresh"), "--no-cache")
    assert fresh.returncode == 0, fresh.stderr
    a, b = load_json(out / "results.json"), load_json(tmp_path / "fresh" / "results.json")
    assert strip_run(a) == strip_run(b)
    assert not list(stats.glob("*.tmp"))


def test_segments_table_and_dataset_folder(tmp_path):
    datasets = pytest.importorskip("datasets")
    files = synthetic(tmp_path, 50)
    out = tmp_path / "out"
    r = run_cli("run", *args_for(files), "--metrics", "bleu,chrf", "--tests", "bs", "-o", str(out), "--save-dataset", str(tmp_path / "ds"), "-q")
    assert r.returncode == 0, r.stderr
    table = pq.read_table(out / "segments.parquet")
    assert table.num_rows == 100
    assert {"system", "document", "segment", "source", "target", "references", "bleu", "chrf", "n_issues", "issue_codes", "issues"} <= set(table.column_names)
    results = load_json(out / "results.json")
    rows = table.to_pylist()
    sys_a = [row for row in rows if row["system"] == "sysA"]
    assert [row["bleu"] for row in sys_a] == pytest.approx(results["systems"]["sysA"]["scores"]["bleu"]["segments"], abs=1e-4)
    assert sys_a[7]["target"] == Path(files["sysA"]).read_text().splitlines()[7]
    assert sum(row["n_issues"] for row in rows) == len(results["issues"])
    ds = datasets.load_from_disk(str(tmp_path / "ds"))
    assert len(ds) == 100 and ds[0]["system"] == "sysA"


def test_wmt_folder_layout_and_manifest(tmp_path):
    folder = tmp_path / "wmt"
    folder.mkdir()
    synthetic(folder, 40)
    r = run_cli("score", str(folder), "--metrics", "bleu", "--json", "--tests", "bs")
    assert r.returncode == 0, r.stderr
    results = json.loads(r.stdout)
    assert results["job"]["src_lang"] == "de" and results["job"]["tgt_lang"] == "en"
    assert results["job"]["systems"] == ["sysA", "sysB"] and results["job"]["references"] == ["A"]
    manifest = tmp_path / "job.yaml"
    manifest.write_text("src_lang: de\ntgt_lang: en\nline_aligned: true\nsource: wmt/t.src.de\nreferences: {A: wmt/t.ref.A.en}\nsystems: 'wmt/t.hyp.*.en'\n")
    r2 = run_cli("score", str(manifest), "--metrics", "bleu", "--json", "--tests", "bs")
    assert r2.returncode == 0, r2.stderr
    assert json.loads(r2.stdout)["systems"]["sysB"]["scores"]["bleu"]["score"] == results["systems"]["sysB"]["scores"]["bleu"]["score"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: wmt/t.src.de\nsystems: 'wmt/nothing.*'\n")
    r3 = run_cli("score", str(bad), "-s", "de", "-t", "en")
    assert r3.returncode == 2 and "matches no file" in r3.stderr


def test_streaming_source_validates_before_work(tmp_path):
    files = synthetic(tmp_path, 20)
    Path(files["sysB"]).write_text("\n".join(Path(files["sysB"]).read_text().splitlines()[:19]) + "\n")
    config = load_config(None, {"src_lang": "de", "tgt_lang": "en", "input": {"line_aligned": True}})
    with pytest.raises(InputError, match="19 lines, but the source"):
        open_source([files["src"], files["sysA"], files["sysB"]], [files["ref"]], None, config)
    bad = tmp_path / "bad.en"
    bad.write_bytes(b"ok\n" * 5 + b"caf\xe9\n")
    with pytest.raises(InputError, match="not valid UTF-8 at byte offset 18"):
        count_lines(str(bad))
    assert count_lines(files["src"]) == 20
    source = open_source([files["src"], files["sysA"]], [files["ref"]], None, config)
    assert isinstance(source, LineFilesSource)
    shards = list(source.shards(7))
    assert [len(s[0].source) for s in shards] == [7, 7, 6]
    assert shards[1][0].source[0].index == 7 and shards[1][0].source[0].line == 8


def test_memory_source_cuts_long_line_aligned_documents(write):
    from pipeline.io.readers import read_job

    src = write("s.de", "".join(f"Zeile {i}.\n" for i in range(25)))
    tgt = write("t.en", "".join(f"Line {i}.\n" for i in range(25)))
    job = read_job([src, tgt], [], None, load_config(None, {"input": {"line_aligned": True}}), "de", "en")
    shards = list(MemorySource.of(job).shards(10))
    assert [sum(len(d.source) for d in s) for s in shards] == [10, 10, 5]


def test_large_job_keeps_texts_out_of_results(tmp_path):
    import jsonschema

    from pipeline.io.writers import SCHEMA_PATH

    files = synthetic(tmp_path, 30)
    cfg = tmp_path / "big.yaml"
    cfg.write_text("output:\n  max_inline_segments: 10\n")
    out = tmp_path / "out"
    r = run_cli("run", *args_for(files), "-c", str(cfg), "--metrics", "bleu", "--tests", "bs", "--disable", "F4", "-o", str(out), "-q")
    assert r.returncode == 0, r.stderr
    results = load_json(out / "results.json")
    jsonschema.validate(results, json.loads(SCHEMA_PATH.read_text()))
    assert results["documents"] == [{"id": "t.src.de", "line_aligned": True, "n_source_segments": 30}]
    assert results["systems"]["sysA"]["beads"] == {"t.src.de": []}
    assert any("not repeated in results.json" in n for n in results["notes"])
    assert pq.read_table(out / "segments.parquet").num_rows == 60


def _worker_pid(index, documents):
    return os.getpid()


def test_worker_processes_are_renewed_after_their_share_of_shards():
    """execution.worker_shards: a pool of fresh workers after every jobs x worker_shards shards (memory
    stays flat on long runs); 0 keeps the same workers for the whole run."""
    import multiprocessing

    from pipeline.engine import _RenewedPools

    def pids(worker_shards):
        pools = _RenewedPools(2, multiprocessing.get_context("fork"), worker_shards, work=_worker_pid)
        try:
            return [f.result() for f in [pools.submit(i, []) for i in range(8)]], len(pools.pools)
        finally:
            pools.close()

    renewed, n_pools = pids(1)
    assert n_pools == 4 and len(set(renewed)) >= 4
    kept, n_pools = pids(0)
    assert n_pools == 1 and len(set(kept)) <= 2


def test_renewed_workers_find_what_one_process_finds(tmp_path):
    files = synthetic(tmp_path, 120)
    (tmp_path / "renew.yaml").write_text("execution:\n  worker_shards: 1\n")
    base = args_for(files) + ["--disable", "F4,A5,A604", "--metrics", "bleu", "-q", "--no-cache"]
    r1 = run_cli("run", *base, "-o", str(tmp_path / "one"))
    r2 = run_cli("run", *base, "-o", str(tmp_path / "renewed"), "--shard-size", "30", "--jobs", "2", "--config", str(tmp_path / "renew.yaml"))
    assert r1.returncode == r2.returncode and r1.returncode in (0, 1), r1.stderr + r2.stderr
    a, b = load_json(tmp_path / "one" / "results.json"), load_json(tmp_path / "renewed" / "results.json")
    assert a["issues"] and strip_run(a) == strip_run(b)


def test_only_a_run_of_several_shards_freezes_its_loaded_objects(tmp_path, monkeypatch):
    """The collection and freeze after the first shard pay off on the shards that follow; a run of one
    shard (a sentence checked from the command line) skips them."""
    import gc

    import pipeline.engine as engine

    files = synthetic(tmp_path, 30)
    freezes: list[int] = []
    monkeypatch.setattr(engine.gc, "freeze", lambda: freezes.append(1))
    monkeypatch.setattr(engine.gc, "unfreeze", lambda: None)
    for shard_size, expected in ((100, 0), (10, 1)):
        freezes.clear()
        config = load_config(None, {"src_lang": "de", "tgt_lang": "en", "input": {"line_aligned": True}, "checks": {"disable": ["ALL"]}, "scoring": {"metrics": ["bleu"]}, "execution": {"shard_size": shard_size}})
        execute(open_source([files["src"], files["sysA"]], [files["ref"]], None, config), config)
        assert len(freezes) == expected, shard_size
    assert gc.isenabled()
