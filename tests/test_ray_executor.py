"""The Ray executor (pipeline/executors.py) on a real two-node Ray cluster on this machine.

The cluster: ``ray start --head`` plus a second ``ray start --address ...`` as another node, 1 CPU
each, in their own temporary folder (token authentication with a token of their own).  It is stopped
by the PIDs of its own processes (those naming its folder, and their children): ``ray stop`` would
stop every Ray on the machine.  The job: the first 150 lines of WMT22 de-en, 3 systems, every check
but the LM (F4), A5 and A6 (model-heavy, slow), BLEU + chrF.  Skipped, with the reason, when Ray is not
installed (``pip install 'mtqa[ray]'``) or the WMT22 data is missing (../shared/data or $MTQA_DATA_DIR).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, assert_same_outputs, load_json, run_cli

from pipeline import engine
from pipeline.cli import main

DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "wmt22_general_test" / "de-en"
SYSTEMS = ("Online-B", "PROMT", "LT22")
LINES = 150
RAY = Path(sys.executable).parent / "ray"


# Found, not imported: Ray reads its authentication settings when first imported, and the test that
# drives the cluster from this process sets them first.
needs_ray = pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is not installed (pip install 'mtqa[ray]')")
needs_data = pytest.mark.skipif(not (DATA / "generaltest2022.de-en.src.de").is_file(), reason=f"WMT22 de-en not found in {DATA} (set MTQA_DATA_DIR to the shared data folder)")


def job_args(folder: Path) -> list[str]:
    stem = folder / "generaltest2022.de-en"
    return [
        f"{stem}.src.de", *(f"{stem}.hyp.{s}.en" for s in SYSTEMS), "--ref", f"{stem}.ref.A.en", "--names", ",".join(SYSTEMS),
        "-s", "de", "-t", "en", "--line-aligned", "--disable", "F4,A5,A6", "--metrics", "bleu,chrf", "--shard-size", "10", "-q",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def wmt(tmp_path_factory) -> Path:
    """The first LINES lines of WMT22 de-en: source, reference A and 3 systems."""
    folder = tmp_path_factory.mktemp("wmt22")
    stem = "generaltest2022.de-en"
    for name in [f"{stem}.src.de", f"{stem}.ref.A.en", *(f"{stem}.hyp.{s}.en" for s in SYSTEMS)]:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()[:LINES]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def local_run(wmt, tmp_path_factory) -> Path:
    """The job run with the local executor: what every Ray run must equal."""
    out = tmp_path_factory.mktemp("local") / "out"
    r = run_cli("run", *job_args(wmt), "-o", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    return out


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            out[int(entry)] = (ppid, cmd)
    return out


def _has_open_file_in(pid: int, folder: str) -> bool:
    """Whether the process holds a file of the folder open (Ray's agents, renamed ``ray::...``, keep their logs there)."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}").startswith(folder.rstrip("/") + "/") for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def cluster_processes(folder: str) -> dict[int, str]:
    """The cluster's processes: those whose command line names its folder or that hold a file of it
    open, and their descendants (workers, agents); never this process or its ancestors: an agent
    whose parent died first is still found."""
    procs = _processes()
    ours, pid = set(), os.getpid()
    while pid in procs and pid not in ours:
        ours.add(pid)
        pid = procs[pid][0]
    found = {p for p, (_, cmd) in procs.items() if (folder in cmd or _has_open_file_in(p, folder)) and p not in ours}
    grew = True
    while grew:
        grew = False
        for p, (ppid, _) in procs.items():
            if ppid in found and p not in found and p not in ours:
                found.add(p)
                grew = True
    return {p: procs[p][1] for p in found}


def _stop(folder: str) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        for pid in cluster_processes(folder):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.time() + wait
        while cluster_processes(folder) and time.time() < deadline:
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request) -> dict:
    """A two-node Ray cluster (1 CPU each); the address and the environment that reaches it."""
    folder = tmp_path_factory.mktemp("ray")
    token = folder / "token"
    token.write_text(secrets.token_hex(32))
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(token))
    request.addfinalizer(lambda: _stop(str(folder)))
    common = ["--node-ip-address=127.0.0.1", "--num-cpus=1", f"--temp-dir={folder}", "--disable-usage-stats", "--object-store-memory=100000000"]
    head = [str(RAY), "start", "--head", "--port=0", "--include-dashboard=false", f"--dashboard-port={_free_port()}", *common]
    r = subprocess.run(head, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    address = (folder / "ray_current_cluster").read_text().strip()
    r = subprocess.run([str(RAY), "start", f"--address={address}", *common], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    yield {"address": address, "env": env, "folder": str(folder)}
    _stop(str(folder))
    assert not cluster_processes(str(folder)), "cluster processes left running"


def test_ray_executor_without_ray_is_one_line_exit_2(tmp_path, write):
    """A ``ray`` that cannot be imported (as when it is not installed): exit 2, one line, nothing run."""
    stub = tmp_path / "stub" / "ray"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    src, hyp = write("a.de", "Hallo Welt.\n"), write("a.en", "Hello world.\n")
    r = run_cli("run", src, hyp, "-s", "de", "-t", "en", "--line-aligned", "-o", str(tmp_path / "out"), "--executor", "ray", "-q", env={"PYTHONPATH": str(tmp_path / "stub")})
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().count("\n") == 0 and "pip install 'mtqa[ray]'" in r.stderr
    assert not (tmp_path / "out" / "results.json").exists()


@needs_ray
@needs_data
def test_two_node_cluster_gives_the_local_results(wmt, local_run, cluster, tmp_path):
    out = tmp_path / "ray"
    r = run_cli("run", *job_args(wmt), "-o", str(out), "--no-cache", "--executor", "ray", "--ray-address", cluster["address"], env=cluster["env"])
    assert r.returncode == 0, r.stderr
    assert_same_outputs(local_run, out)
    results = load_json(out / "results.json")
    assert results["config"]["execution"]["executor"] == "ray"


@needs_ray
@needs_data
def test_worker_killed_mid_run_is_retried_with_identical_results(wmt, local_run, cluster, tmp_path, monkeypatch):
    """A Ray worker process killed (SIGKILL, by its PID) while it analyses a shard: Ray retries the
    task in a new worker and the run's outputs equal the local run's.  Every worker process loads
    the check resources once (its first shard), however many shards it runs."""
    for k in ("RAY_USAGE_STATS_ENABLED", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN_PATH"):
        monkeypatch.setenv(k, cluster["env"][k])
    seen: list[dict] = []
    killed: list[int] = []
    shards_through_ray = engine.ray_shards

    def watched(*args, **kwargs):
        for out in shards_through_ray(*args, **kwargs):
            seen.append(out.worker)
            if not killed:
                deadline = time.time() + 30
                while not killed and time.time() < deadline:  # a worker busy with a shard (its task's process title)
                    busy = [p for p, cmd in cluster_processes(cluster["folder"]).items() if cmd.startswith("ray::_ray_shard")]
                    if busy:
                        os.kill(busy[0], signal.SIGKILL)
                        killed.append(busy[0])
                    else:
                        time.sleep(0.05)
            yield out

    monkeypatch.setattr(engine, "ray_shards", watched)
    out = tmp_path / "ray"
    code = main(["run", *job_args(wmt), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--executor", "ray", "--ray-address", cluster["address"]])
    assert code == 0
    assert killed, "no worker was busy with a shard to kill"
    assert len(seen) == -(-LINES // 10)
    assert all(w["loads"] == 1 for w in seen), seen
    assert len({w["pid"] for w in seen}) < len(seen)  # processes are reused: resources are not loaded per shard
    assert_same_outputs(local_run, out)
    assert json.loads((out / "results.json").read_text())["config"]["execution"]["ray_address"] == cluster["address"]


@pytest.mark.slow
@needs_ray
@needs_data
def test_driver_killed_on_ray_resumes_from_the_shared_cache(wmt, local_run, cluster, tmp_path):
    """The driver (``mtqa run --executor ray``) killed by SIGKILL once workers have stored some shards
    in the cache: run again with the same ``--cache-dir``, it gives the local run's outputs, and the
    entries stored before the kill are read, not written again (the same files: an entry is written
    to a temporary file and renamed into place, so a recomputed one would be a new file)."""
    cache = tmp_path / "cache"
    checks = cache / "checks"
    total = -(-LINES // 10) * len(SYSTEMS)

    def entries() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in checks.glob("*.entry")} if checks.is_dir() else {}

    fingerprint = engine.code_fingerprint.__wrapped__()  # the cache keys' hash of mtqa's code, as each run computes it
    cmd = [sys.executable, "-m", "pipeline", "run", *job_args(wmt), "-o", str(tmp_path / "killed"), "--cache-dir", str(cache), "--executor", "ray", "--ray-address", cluster["address"]]
    driver = subprocess.Popen(cmd, cwd=ROOT, env=cluster["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(entries()) < 2 * len(SYSTEMS) and driver.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    time.sleep(1)  # a task still running when its driver died may store its entry: it is kept too
    before = entries()
    assert driver.returncode == -signal.SIGKILL and 2 * len(SYSTEMS) <= len(before) < total, (driver.returncode, len(before))
    r = run_cli("run", *job_args(wmt), "-o", str(tmp_path / "resumed"), "--cache-dir", str(cache), "--executor", "ray", "--ray-address", cluster["address"], env=cluster["env"])
    assert r.returncode == 0, r.stderr
    if engine.code_fingerprint.__wrapped__() != fingerprint:
        pytest.skip("mtqa's own code was edited while the test ran (its cache keys changed)")
    after = entries()
    assert len(after) == total
    assert all(after[name] == inode for name, inode in before.items())  # not computed again
    assert_same_outputs(local_run, tmp_path / "resumed")
