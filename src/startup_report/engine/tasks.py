"""Where independent tasks run: in this process (the default), on a local Dask cluster, or on a scheduler.

The training grid and scenario sweeps hand their tasks to ``task_pool``; which pool they get is a property
of the machine, not of the report, so it comes from the command line (``--workers N``, ``--scheduler
tcp://HOST:PORT``) through two environment variables the runner passes to every notebook kernel. Tasks are
pure functions of their arguments, so the pool never changes a result, only how long it takes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

SCHEDULER_ENV = "STARTUP_REPORT_SCHEDULER"
WORKERS_ENV = "STARTUP_REPORT_WORKERS"

# What every local worker process starts with: one thread per worker (two workers on two cores must not each
# spin two OpenMP threads) and deterministic hashing. The caller adds what its tasks' libraries read
# (``task_pool(env=...)``).
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OMP_WAIT_POLICY": "PASSIVE",
    "PYTHONHASHSEED": "0",
}

T = TypeVar("T")
R = TypeVar("R")


class Pool(Protocol):
    description: str

    def map(self, fn: Callable[..., R], items: Iterable[T], **shared: Any) -> Iterator[tuple[T, R]]:
        """Yield (item, fn(item, **shared)) as tasks finish; ``shared`` is sent to each worker once."""


class InProcess:
    description = "in-process"

    def map(self, fn, items, **shared):
        for item in items:
            yield item, fn(item, **shared)


class DaskPool:
    def __init__(self, client: Any, description: str) -> None:
        self.client = client
        self.description = description

    def map(self, fn, items, **shared):
        from dask.distributed import as_completed

        items = list(items)
        if not items:
            return
        scattered = {key: self.client.scatter(value, broadcast=True) for key, value in shared.items()}
        futures = {
            self.client.submit(fn, item, **scattered, key=f"{getattr(fn, '__name__', 'task')}-{i}", pure=False): item
            for i, item in enumerate(items)
        }
        for future in as_completed(futures):
            yield futures[future], future.result()


def requested() -> tuple[str | None, int | None]:
    """The scheduler address and local worker count asked for in the environment (None when unset)."""
    scheduler = os.environ.get(SCHEDULER_ENV) or None
    workers = os.environ.get(WORKERS_ENV)
    return scheduler, int(workers) if workers else None


@contextmanager
def task_pool(
    scheduler: str | None = None, workers: int | None = None, env: Mapping[str, str] | None = None
) -> Iterator[Pool]:
    """A pool for the given scheduler or worker count, else the environment's, else in-process; local workers
    start with ``WORKER_ENV`` and ``env``."""
    if scheduler is None and workers is None:
        scheduler, workers = requested()
    if not scheduler and not workers:
        yield InProcess()
        return
    from dask.distributed import Client, LocalCluster

    for name in ("distributed", "bokeh", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            count = len(client.scheduler_info()["workers"])
            yield DaskPool(client, f"Dask scheduler {scheduler} ({count} workers)")
        return
    worker_env = {**WORKER_ENV, **(env or {})}
    saved = {key: os.environ.get(key) for key in worker_env}
    os.environ.update(worker_env)  # inherited by the worker processes the cluster spawns
    try:
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield DaskPool(client, f"local Dask cluster ({workers} workers)")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
