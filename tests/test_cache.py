"""The shard cache holds data, not code: planted, corrupted and foreign entries are recomputed, never run."""

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import SEED, load_json, run_cli
from test_batch import strip_run, synthetic

from pipeline.cache import _HOST, SUFFIX, ResultCache, pack, remove_stale_tmp, unpack
from pipeline.config import load_config
from pipeline.engine import SystemChecks, execute
from pipeline.io.readers import open_source
from pipeline.model import Bead, Issue, Severity
from pipeline.scoring.scorer import SystemStats

SEED_FILES = [str(SEED / "article.de.txt"), str(SEED / "article.en.mt.txt")], [str(SEED / "article.en.ref.txt")]


class Planted:
    """A pickle that creates a file when loaded: what an attacker would plant in the cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*/*{SUFFIX}"))


def split_notes(results: dict) -> tuple[dict, list[str]]:
    """The results without what differs between runs, and the cache's notes."""
    notes = results["notes"]
    return {**strip_run(results), "notes": [n for n in notes if not n.startswith("cache:")]}, [n for n in notes if n.startswith("cache:")]


def test_planted_pickles_are_never_loaded_and_are_recomputed(tmp_path):
    out = tmp_path / "out"
    (src, mt), (ref,) = SEED_FILES
    args = ["run", src, mt, "--ref", ref, "-s", "de", "-t", "en", "--disable", "F4", "-q", "-o", str(out)]
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    expected, notes = split_notes(load_json(out / "results.json"))
    assert notes == [] and expected["issues"]
    planted = entries(out / ".mtqa-cache")
    assert {p.parent.name for p in planted} == {"checks", "stats"}

    marker, control = tmp_path / "pwned", tmp_path / "control"
    pickle.loads(pickle.dumps(Planted(control)))
    assert control.exists()  # the payload does run when something unpickles it
    payload = pickle.dumps(Planted(marker))
    for path in planted:
        path.write_bytes(payload)
        path.with_suffix(".pkl").write_bytes(payload)  # nor are files under the old names read

    second = run_cli(*args)
    assert second.returncode == 0, second.stderr
    assert not marker.exists()
    results, notes = split_notes(load_json(out / "results.json"))
    assert results == expected
    assert notes == [f"cache: ignored {len(planted)} unreadable entries in {out / '.mtqa-cache'} (not an mtqa cache entry); recomputed"]
    for path in planted:  # recomputed and stored as data again
        unpack(path.read_bytes(), path.parent.name, path.stem)


def line_aligned_run(tmp_path: Path, cache: Path, checks: list[str] | None = None):
    files = synthetic(tmp_path, 120)
    overrides = {"src_lang": "de", "tgt_lang": "en", "input": {"line_aligned": True}, "checks": {"enable": checks or ["ALL"], "disable": [] if checks else ["ALL"]}}
    overrides["scoring"] = {"metrics": ["bleu", "chrf", "ter"], "significance": {"tests": ["bs", "ar"], "ar_trials": 200}, "bootstrap_samples": 200}
    config = load_config(None, overrides)
    config = config.model_copy(update={"execution": config.execution.model_copy(update={"shard_size": 50, "cache_dir": str(cache)})})
    return execute(open_source([files["src"], files["sysA"], files["sysB"]], [files["ref"]], None, config), config)


def test_corrupted_truncated_and_foreign_entries_are_recomputed_with_a_note(tmp_path):
    cache = tmp_path / "cache"
    first = line_aligned_run(tmp_path, cache)
    stats = sorted((cache / "stats").glob(f"*{SUFFIX}"))
    checks = sorted((cache / "checks").glob(f"*{SUFFIX}"))
    assert len(stats) == len(checks) == 6 and first.notes == []  # 3 shards x 2 systems
    checks[0].write_bytes(checks[0].read_bytes()[:-1])
    flipped = bytearray(stats[0].read_bytes())
    flipped[-3] ^= 0x40
    stats[0].write_bytes(bytes(flipped))
    stats[1].write_bytes(stats[1].read_bytes()[:-20])
    stats[2].write_bytes(stats[3].read_bytes())  # a valid entry, for other content
    data, arrays = unpack(stats[4].read_bytes(), "stats", stats[4].stem)
    stats[4].write_bytes(pack("stats", stats[4].stem, data, [a[:-1] for a in arrays]))  # one unit short
    stats[5].write_bytes(b'{"stats": [], "segments": []}')

    again = line_aligned_run(tmp_path, cache)
    notes = again.notes
    again.notes, again.timings, first.timings = first.notes, {}, {}
    assert again == first
    reasons = "an entry for other content: 1, an entry for other units: 1, corrupted: 1, not an mtqa cache entry: 1, truncated: 2"
    assert notes == [f"cache: ignored 6 unreadable entries in {cache} ({reasons}); recomputed"]
    third = line_aligned_run(tmp_path, cache)
    assert third.notes == []


def test_cached_reruns_equal_fresh_runs(tmp_path):
    """Document input (alignment, checks, issues with data) and line-aligned systems with references."""
    config = load_config(None, {"src_lang": "de", "tgt_lang": "en", "checks": {"disable": ["F4"]}})
    sources, refs = SEED_FILES

    def document_run():
        cached = config.model_copy(update={"execution": config.execution.model_copy(update={"cache_dir": str(tmp_path / "doc-cache")})})
        return execute(open_source(sources, refs, None, cached), cached)

    def line_run():
        return line_aligned_run(tmp_path, tmp_path / "line-cache", ["L", "T", "A", "F302"])

    for run, folder in ((document_run, "doc-cache"), (line_run, "line-cache")):
        fresh = run()
        stored = {p: p.stat().st_mtime_ns for p in entries(tmp_path / folder)}
        cached = run()
        assert stored and all(p.stat().st_mtime_ns == t for p, t in stored.items())  # every entry was a hit
        assert fresh.issues and fresh.systems[fresh.job.systems[0]].scores
        fresh.timings = cached.timings = {}
        assert cached == fresh  # exact: beads' confidences, issues and their data, scores, CIs, p-values


def test_entries_round_trip_exactly():
    beads = {"d1": [Bead((0, 1), (0,), 0.1 + 0.2, {"A": (0,)}), Bead((), (1,), 1.0)]}
    issue = Issue("F101", "accuracy", Severity.MAJOR, "m", "d1", "sys", 0, 1, 3, "ab", None, "target", 0, "fp", False, {"t": (1, "x"), "n": [np.float64(0.5), None], "b": True})
    checks = SystemChecks(beads, [issue], ["a note"], 7)
    stats = SystemStats({"bleu": np.random.default_rng(1).random((5, 9)), "ter": np.zeros((5, 3))}, {"bleu": [1 / 3, 0.0, None, 2.5e-300, float("nan")]})
    for value in (checks, stats):
        back = type(value).from_cache(*unpack(pack("k", "key", *value.to_cache()), "k", "key"))
        if value is checks:
            assert back == checks and back.issues[0].data["t"] == (1, "x")
        else:
            assert back.stats.keys() == stats.stats.keys() and all(np.array_equal(back.stats[k], stats.stats[k]) for k in stats.stats)
            assert back.segments["bleu"][:4] == stats.segments["bleu"][:4] and np.isnan(back.segments["bleu"][4])


def test_unstorable_results_are_not_cached(tmp_path):
    cache = ResultCache(tmp_path)
    issue = Issue("F101", "accuracy", Severity.MAJOR, "m", "d1", "sys", 0, 1, 3, "ab", data={"s": {1, 2}})
    cache.put("checks", "k", SystemChecks({}, [issue], [], 1))
    assert not list(tmp_path.rglob("*.entry")) and not list(tmp_path.rglob("*.tmp"))
    assert cache.take_problems() == {("unstored", "TypeError"): 1}


def test_stale_temporary_files_are_removed_when_the_cache_opens(tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "stats"
    folder.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = folder / "leftover.tmp"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * 3600,) * 2)
    killed = folder / f"{dead.pid}-{_HOST}-abc.tmp"  # its writer has exited
    live = folder / f"{os.getppid()}-{_HOST}-abc.tmp"  # its writer still runs
    other_host = folder / f"{dead.pid}-00000000-abc.tmp"  # cannot tell: kept until it is old
    young = folder / "someone-elses.tmp"
    for p in (killed, live, other_host, young):
        p.write_bytes(b"x")
    ResultCache(tmp_path / "cache")
    assert {p.name for p in folder.iterdir()} == {live.name, other_host.name, young.name}
    assert remove_stale_tmp(tmp_path / "cache", max_age=0) == 3

    # a write that fails leaves no temporary file behind
    cache = ResultCache(tmp_path / "cache")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        cache.put("stats", "k", SystemStats({"bleu": np.zeros((2, 9))}, {}))
    assert list(folder.iterdir()) == []
