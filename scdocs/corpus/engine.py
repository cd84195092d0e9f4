"""Running the same per-document work serially, in local processes, or on a Dask cluster.

Results always come back in input order, so every engine gives byte-identical output.
Dask is an optional extra (`pip install scdocs[dask]`), imported only when asked for.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from scdocs.errors import ScdocsError

T = TypeVar("T")
ENGINES = ("local", "dask")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity or container limit where the system says,
    else the machine's count): the default and the ceiling for --jobs."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


#: With --jobs left to scdocs, a worker process is started for every this many documents at most:
#: a worker costs its start-up (imports, model) and the documents' trip between processes. Measured
#: on two cores: the 33 corpus documents tag in 1.13 s with one process and 1.15 s with two, while
#: 2,000 synthetic documents index 1.54 times faster with two (benchmarks/scale.py).
DOCS_PER_WORKER = 32


def workers_for(jobs: int | None, items: int | None = None) -> int:
    """Local processes for `jobs`, never more than the cores available (more processes than cores
    only add switching and memory) nor than the items. `jobs` None (the default) is as many as
    there are cores, or one per DOCS_PER_WORKER items where their number is known."""
    cores = available_cores()
    if jobs is None or jobs < 1:
        n = cores if items is None else min(cores, items // DOCS_PER_WORKER)
    else:
        n = min(jobs, cores)
    return max(1, min(n, items) if items is not None else n)


def run(func: Callable[..., T], items: Iterable[Any], jobs: int | None = 1, engine: str = "local",
        scheduler: str | None = None, window: int = 64) -> Iterator[T]:
    """`func(item)` for each item, in order, consuming `items` lazily: at most `window` items are
    in flight, so memory stays flat however many documents there are."""
    if engine == "dask":
        yield from _dask(func, items, scheduler, window)
        return
    if scheduler:  # else the address would be ignored without a word
        raise ScdocsError("--scheduler is the dask scheduler's address: give it with --backend dask")
    if engine != "local":
        raise ScdocsError(f"unknown backend {engine!r}; use one of {', '.join(ENGINES)}")
    sized = len(items) if isinstance(items, Sized) else None
    jobs = workers_for(jobs, sized)
    if jobs <= 1:
        for item in items:
            yield func(item)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        pending: deque[Future[T]] = deque()
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _context() -> multiprocessing.context.BaseContext:
    """Workers start from a fork server, not by forking this process: a fork copies whatever locks
    other threads hold (an HTTP client's, a logging handler's) and can deadlock the child. The
    server imports scdocs' worker modules once, so each worker starts without importing them."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["scdocs.corpus.batch", "scdocs.corpus.tagging"])
    return ctx


def _dask(func: Callable[..., T], items: Iterable[Any], scheduler: str | None, window: int) -> Iterator[T]:
    try:
        from distributed import Client
    except ImportError:
        raise ScdocsError("the dask engine needs the optional extra: pip install 'scdocs[dask]'") from None
    if not scheduler:
        raise ScdocsError("--backend dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ScdocsError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(client.submit(func, item, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
