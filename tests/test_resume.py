"""A run whose driver (the ``mtqa run`` process) is killed mid-run resumes from the shard cache
(issue 17): started again with the same ``--cache-dir`` it gives the outputs of an uninterrupted
run, and the shards finished before the kill are cache hits, not computed again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, assert_same_outputs

from pipeline import cache as cache_module
from pipeline.cache import SUFFIX
from pipeline.cli import main
from pipeline.engine import code_fingerprint

DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"
LINES, SHARD = 400, 20


@pytest.mark.skipif(not (DATA / "generaltest2022.de-en.src.de").is_file(), reason=f"WMT22 de-en not found in {DATA}")
def test_driver_killed_mid_run_resumes_from_the_cache_with_identical_results(tmp_path, monkeypatch):
    stem = "generaltest2022.de-en"
    files = {}
    for name in (f"{stem}.src.de", f"{stem}.hyp.Online-B.en", f"{stem}.ref.A.en"):
        files[name] = tmp_path / name
        files[name].write_text("\n".join((DATA / name).read_text(encoding="utf-8").splitlines()[:LINES]) + "\n", encoding="utf-8")
    job = [str(p) for p in files.values()]
    args = [job[0], job[1], "--ref", job[2], "-l", "-s", "de", "-t", "en", "--enable", "A104,A201,A202,N2,L", "--metrics", "bleu,chrf", "--shard-size", str(SHARD), "-q"]
    cache = tmp_path / "cache"
    checks = cache / "checks"

    def entries() -> set[str]:
        return {p.name for p in checks.glob(f"*{SUFFIX}")} if checks.is_dir() else set()

    fingerprint = code_fingerprint.__wrapped__()  # the cache keys' hash of mtqa's code, as each run computes it
    driver = subprocess.Popen([sys.executable, "-m", "pipeline", "run", *args, "-o", str(tmp_path / "killed"), "--cache-dir", str(cache)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while len(entries()) < 3 and driver.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    done = entries()
    assert driver.returncode == -signal.SIGKILL and 3 <= len(done) < LINES // SHARD, (driver.returncode, len(done))
    assert not (tmp_path / "killed" / "results.json").exists()

    looked_up: list[tuple[str, bool]] = []
    get = cache_module.ResultCache.get

    def counted(self, kind, key, cls):
        value = get(self, kind, key, cls)
        looked_up.append((kind, value is not None))
        return value

    monkeypatch.setattr(cache_module.ResultCache, "get", counted)
    assert main(["run", *args, "-o", str(tmp_path / "resumed"), "--cache-dir", str(cache)]) == 0
    if code_fingerprint.__wrapped__() != fingerprint:
        pytest.skip("mtqa's own code was edited while the test ran (its cache keys changed)")
    hits = sum(1 for kind, hit in looked_up if kind == "checks" and hit)
    assert hits == len(done), (hits, len(done))  # every shard finished before the kill, and only those
    assert sum(1 for kind, _ in looked_up if kind == "checks") == LINES // SHARD
    assert len(entries()) == LINES // SHARD

    monkeypatch.setattr(cache_module.ResultCache, "get", get)
    assert main(["run", *args, "-o", str(tmp_path / "straight"), "--no-cache"]) == 0

    assert_same_outputs(tmp_path / "resumed", tmp_path / "straight")
