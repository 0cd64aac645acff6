"""Where a run's shards are analysed: the ``local`` executor or a Ray cluster (``execution.executor``).

``local`` (the default, pipeline/engine.py) analyses shards in this process, or with ``--jobs N`` in
forked worker processes.  ``ray`` submits the same shard function as Ray Core tasks:

* the cluster is the one at ``execution.ray_address`` (``--ray-address``): an address such as
  ``10.0.0.5:6379`` or ``ray://...``; ``auto`` (any running cluster); ``local`` (a new Ray on this
  machine with ``--jobs`` CPUs).  Left unset: the cluster named by ``RAY_ADDRESS`` or started last
  with ``ray start`` on this machine when there is one, else a new local Ray, shut down at the end;
* each task carries the shard's documents; the analyser (check resources: dictionaries, word lists,
  models) is built once per Ray worker process, on its first shard of the run, and reused for the
  next ones (a per-process cache keyed by the run), not rebuilt per shard;
* a worker process that dies mid-task is replaced and its task retried by Ray (``max_retries``);
  shard outputs come back in shard order, as the local executor yields them, so aggregation and
  every output are the same;
* shard outputs travel over Ray's object store.  The shard cache (pipeline/cache.py) stays what it
  is, data files on disk that workers read and write: give a ``--cache-dir`` every node reaches.

Ray is an optional dependency (``pip install 'mtqa[ray]'``): it is imported only here, and only when
the ray executor is asked for; without it, the run stops with one line (exit 2).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import MtqaError

EXECUTORS = ("local", "ray")
MAX_RETRIES = 3  # a shard's task is retried this often when its worker process dies
Progress = Callable[[str, int, int | None], None]  # (stage, done, total), as pipeline/engine.py's


def import_ray() -> Any:
    """The ``ray`` module, or an MtqaError (exit 2) saying how to install it."""
    try:
        import ray  # deferred: optional extra (mtqa[ray]); mtqa imports and runs locally without it
    except ImportError:
        raise MtqaError("--executor ray needs Ray, which is not installed: pip install 'mtqa[ray]' (or use --executor local)") from None
    return ray


def _address_file() -> Path:
    """Where ``ray start`` on this machine records its cluster's address (Ray's default temp folder)."""
    return Path(os.environ.get("RAY_TMPDIR") or tempfile.gettempdir()) / "ray" / "ray_current_cluster"


def running_cluster() -> str | None:
    """The address of the cluster a plain ``ray.init()`` would join: ``RAY_ADDRESS``, else the one
    ``ray start`` recorded on this machine; None: no cluster is running."""
    if os.environ.get("RAY_ADDRESS"):
        return os.environ["RAY_ADDRESS"]
    with contextlib.suppress(OSError):
        address = _address_file().read_text(encoding="utf-8").strip()
        if address:
            return address
    return None


@contextlib.contextmanager
def ray_session(address: str | None, cpus: int) -> Iterator[Any]:
    """Ray, connected: to the caller's own connection if there is one; else to ``address`` (None:
    the running cluster, else a new local Ray with ``cpus`` CPUs).  A Ray started here is shut down
    and its temporary folder removed at the end; a cluster joined is only disconnected from."""
    ray = import_ray()
    if ray.is_initialized():  # a notebook's, a test's or an eval script's own connection
        yield ray
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False, "include_dashboard": False}
    address = address or running_cluster() or "local"
    temp_dir = None
    try:
        if address == "local":
            # Node address 127.0.0.1: Ray advertises this machine's own address for it; nothing leaves the machine.
            temp_dir = tempfile.mkdtemp(prefix="mtqa-ray-")
            ray.init(address="local", num_cpus=cpus, _node_ip_address="127.0.0.1", _temp_dir=temp_dir, **quiet)
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, ValueError, RuntimeError) as e:
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise MtqaError(f"cannot connect to the Ray cluster at {address}: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    try:
        yield ray
    finally:
        ray.shutdown()
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)


# The shard workers of this Ray worker process: run token -> [worker, times built].  One run's at a
# time: a process that serves a second run drops the first one's resources.
_WORKERS: dict[str, list] = {}


def _ray_shard(token: str, boxed_factory: list, index: int, documents: list) -> Any:
    """One shard, in a Ray worker process: the run's shard worker (built here on the process's first
    shard of the run: ``factory()``, from the object store) analyses it.  The output records which
    process ran it and how often that process built the worker (always 1: resources load once)."""
    entry = _WORKERS.get(token)
    if entry is None:
        import ray  # deferred: runs in a Ray worker, where Ray is imported already

        _WORKERS.clear()
        entry = _WORKERS[token] = [ray.get(boxed_factory[0])(), 0]
        entry[1] += 1
    out = entry[0].analyse(index, documents)
    out.worker = {"pid": os.getpid(), "loads": entry[1]}
    return out


def in_order(
    shards: Iterator[tuple[int, list]],
    submit: Callable[[int, list], Any],
    result: Callable[[Any], Any],
    window: int,
    total: int | None,
    progress: Progress | None,
    abandon: Callable[[Any], Any] | None = None,
) -> Iterator[Any]:
    """Shard outputs in shard order from any executor: shards are submitted (``submit(index,
    documents)`` gives a handle) while fewer than ``window`` are in flight, so memory stays bounded,
    and each handle's ``result`` is yielded when its turn comes.  ``abandon`` is called on the handles
    still in flight when the consumer stops early (an interrupted run leaves no work behind)."""
    pending: dict[int, Any] = {}
    next_out = done = 0
    exhausted = False
    try:
        while pending or not exhausted:
            while not exhausted and len(pending) < window:
                item = next(shards, None)
                if item is None:
                    exhausted = True
                    break
                pending[item[0]] = submit(item[0], item[1])
            if next_out not in pending:
                break
            out = result(pending.pop(next_out))
            next_out += 1
            done += 1
            if progress:
                progress("analyse", done, total)
            yield out
    finally:
        if abandon is not None:
            for handle in pending.values():
                with contextlib.suppress(Exception):
                    abandon(handle)


def ray_shards(
    shards: Iterator[tuple[int, list]], factory: Callable[[], Any], *, address: str | None, cpus: int, total: int | None, progress: Progress | None, timings: dict[str, float] | None = None
) -> Iterator[Any]:
    """Shard outputs in shard order, each shard analysed by ``factory()``'s ``analyse(index, documents)``
    in a Ray task; at most 2 x the cluster's CPUs shards are in flight (memory stays bounded)."""
    t = time.perf_counter()
    with ray_session(address, cpus) as ray:
        if timings is not None:
            timings["ray_connect"] = time.perf_counter() - t
        task = ray.remote(num_cpus=1, max_retries=MAX_RETRIES, retry_exceptions=False)(_ray_shard)
        token = uuid.uuid4().hex
        boxed = [ray.put(factory)]  # in a list: Ray hands it over unresolved, workers fetch it once
        window = 2 * max(1, int(ray.cluster_resources().get("CPU", 1)))

        def submit(index: int, documents: list) -> Any:
            return task.remote(token, boxed, index, documents)

        yield from in_order(shards, submit, ray.get, window, total, progress, abandon=lambda ref: ray.cancel(ref, force=True))
