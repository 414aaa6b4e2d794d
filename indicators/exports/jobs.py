"""Image and pack exports as jobs, run apart from the processes that serve pages.

``EXPORT_JOBS`` chooses where :func:`chart_file` and :func:`pack_file` run
(:mod:`.worker` does the work: it builds the chart from the view's parameters, draws it and
names the file):

``inline``  (default: ``python app.py``, tests) in the calling process, on its own
            supervised browser, with the caller's data.
``local``   (gunicorn.conf.py's default) in a pool of ``EXPORT_WORKERS`` export processes per
            page worker (:class:`concurrent.futures.ProcessPoolExecutor`, spawned, so no
            thread or browser crosses a fork). Each owns a supervised browser, runs at a lower
            CPU priority off the first cores (:mod:`.worker`) and is replaced after
            ``EXPORT_MAX_JOBS`` jobs.
``celery``  on Celery workers (:mod:`.celery_app`) through Redis at ``EXPORT_BROKER_URL``;
            ``EXPORT_WORKERS`` is then the workers' total concurrency.

The queue is bounded: at most ``EXPORT_QUEUE`` jobs waiting or running (per page worker in
``local`` mode, in all in ``celery`` mode, counted in Redis). One more raises
:class:`QueueFull`, whose ``retry_after`` is the queue's expected wait (:func:`retry_after`):
jobs queued and clients recently refused, times the mean job time, over the workers. A client
coming back after a refusal says which attempt it is (the page's downloads do); the last
:data:`RETRY_PLACES` places are kept for such clients, more of them the longer they have
waited (:func:`places_for`), so a client sent away is not sent away again by newcomers. A page
thread waits only for an admitted job, so at most ``EXPORT_QUEUE`` threads of a page worker
ever wait on exports, and a refused request costs the page worker no chart building.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import math
import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, ClassVar

from indicators.data.loading import Bundle

from .browser import ExportUnavailable

MODES = ("inline", "local", "celery")


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


WORKERS = _env_int("EXPORT_WORKERS", 1)
QUEUE = _env_int("EXPORT_QUEUE", 4)
MAX_JOBS = _env_int("EXPORT_MAX_JOBS", 200)  # then the export process (and browser) is new
WAIT_S = _env_int("EXPORT_WAIT_S", 45)  # longest wait for an admitted job (nginx: 60 s)
BROKER_URL = os.environ.get("EXPORT_BROKER_URL", "redis://127.0.0.1:6379/0")
RETRY_MAX_S = 60
FIRST_GUESS_S = 1.0  # mean job time before one has been measured
RESTART_S = 3  # a replaced export process is up again in about this long
RETRY_PLACES = 2  # queue places that only clients coming back after a refusal may take
REFUSED_WINDOW_S = 5.0


class QueueFull(RuntimeError):
    """The export queue is full; ``retry_after`` is the expected wait in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


# -- admission: how many jobs are in the system ----------------------------------------------


class _Counter:
    """Jobs admitted in this process."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._lock = threading.Lock()
        self._n = 0

    def enter(self, limit: int) -> str | None:
        with self._lock:
            if self._n >= limit:
                return None
            self._n += 1
            return "local"

    def leave(self, _token: str) -> None:
        with self._lock:
            self._n -= 1

    def size(self) -> int:
        return self._n


# KEYS[1]: sorted set of job tokens scored by when they expire (a page worker that dies with
# a job admitted leaks nothing for longer than that). Atomic, so page workers never overbook.
_ENTER = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
return 1
"""


class _RedisCounter:
    """Jobs admitted by every page worker that uses this Redis."""

    key = "indicators:export-jobs"

    def __init__(self, client: Any, capacity: int):
        self.capacity = capacity
        self._redis = client
        self._enter = client.register_script(_ENTER)

    def enter(self, limit: int) -> str | None:
        token, now = uuid.uuid4().hex, time.time()
        ok = self._enter(keys=[self.key], args=[now, limit, now + 2 * WAIT_S, token])
        return token if ok else None

    def leave(self, token: str) -> None:
        self._redis.zrem(self.key, token)

    def size(self) -> int:
        self._redis.zremrangebyscore(self.key, "-inf", time.time())
        return int(self._redis.zcard(self.key))


# -- backends: where a job runs ---------------------------------------------------------------


def _unavailable(message: str, retry_after: int = RESTART_S) -> dict[str, Any]:
    return {"status": "unavailable", "message": message, "retry_after": retry_after}


class _LocalPool:
    """A process pool of export workers owned by this (page worker) process."""

    def __init__(self, workers: int, max_jobs: int):
        self.workers = workers
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        from . import worker

        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=worker.init,
                    max_tasks_per_child=self.max_jobs,
                )
                for _ in range(self.workers):
                    self._executor.submit(worker.warm)
            return self._executor

    def _drop(self, executor: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def start(self) -> None:
        self._pool()

    def run(self, task: str, args: tuple, timeout: float) -> dict[str, Any]:
        from . import worker

        executor = self._pool()
        try:
            future = executor.submit(getattr(worker, task), *args)
            return future.result(timeout)
        except BrokenProcessPool:
            self._drop(executor)
            return _unavailable("Image export was interrupted: an export process ended.")
        except FutureTimeout:
            future.cancel()
            return _unavailable(f"Image export did not finish within {timeout:.0f} s.")

    def pids(self) -> list[int]:
        executor = self._executor
        processes = getattr(executor, "_processes", None) or {}
        return sorted(processes)

    def stop(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


class _CeleryPool:
    """Jobs sent to Celery workers (see :mod:`.celery_app`)."""

    workers = WORKERS
    poll_s = 0.02

    def __init__(self) -> None:
        from .celery_app import TASKS, app

        self._app, self._tasks = app, TASKS

    def start(self) -> None:
        pass

    def run(self, task: str, args: tuple, timeout: float) -> dict[str, Any]:
        result = self._app.send_task(self._tasks[task], args=args)
        # Polled rather than result.get(): waiting from many page threads at once on the
        # result backend's shared subscription is not thread-safe.
        deadline = time.monotonic() + timeout
        while not result.ready():
            if time.monotonic() > deadline:
                result.revoke()
                return _unavailable(f"Image export did not finish within {timeout:.0f} s.")
            time.sleep(self.poll_s)
        out = dict(result.get(timeout=1))
        result.forget()
        if "data" in out:
            out["data"] = base64.b64decode(out["data"])
        return out

    def pids(self) -> list[int]:
        return []

    def stop(self) -> None:
        pass


class _Jobs:
    mode = "inline"
    backend: _LocalPool | _CeleryPool | None = None
    admission: _Counter | _RedisCounter | None = None
    job_s = FIRST_GUESS_S  # mean job time (exponential average)
    done = 0
    refused = 0
    refused_at: ClassVar[collections.deque[float]] = collections.deque(maxlen=1000)


def configure(mode: str | None = None, threads: int | None = None) -> str:
    """Choose the mode (default: ``EXPORT_JOBS``, else inline); call it in each page worker
    after the fork (gunicorn.conf.py's post_fork). Starts the local pool's processes. With
    ``threads`` (the page worker's), at most half of them may wait on exports."""
    mode = (mode or os.environ.get("EXPORT_JOBS") or "inline").strip().lower()
    if mode not in MODES:
        raise ValueError(f"EXPORT_JOBS must be one of {', '.join(MODES)}, not {mode!r}")
    shutdown()
    _Jobs.mode = mode
    _Jobs.job_s, _Jobs.done, _Jobs.refused = FIRST_GUESS_S, 0, 0
    _Jobs.refused_at.clear()
    capacity = QUEUE if threads is None else max(1, min(QUEUE, threads // 2))
    if mode == "local":
        _Jobs.backend = _LocalPool(WORKERS, MAX_JOBS)
        _Jobs.admission = _Counter(capacity)
    elif mode == "celery":
        import redis

        _Jobs.backend = _CeleryPool()
        _Jobs.admission = _RedisCounter(redis.Redis.from_url(BROKER_URL), capacity)
    if _Jobs.backend is not None:
        _Jobs.backend.start()
    return mode


def shutdown() -> None:
    """Stop the local pool (gunicorn's worker_exit); back to inline."""
    backend, _Jobs.backend, _Jobs.admission = _Jobs.backend, None, None
    _Jobs.mode = "inline"
    if backend is not None:
        backend.stop()


def delegated() -> bool:
    """Whether images are drawn by export workers rather than in this process."""
    return _Jobs.backend is not None


def retry_after(queued: int | None = None) -> int:
    """Seconds until a place in the queue is likely free for this client: the jobs in it,
    plus the requests refused in the last REFUSED_WINDOW_S (they come back too), times the
    mean job time, over the workers (at least 1, at most RETRY_MAX_S). Counting the refused
    spreads the returns out instead of sending every client back at once."""
    if queued is None:
        queued = _Jobs.admission.size() if _Jobs.admission is not None else 0
    now = time.monotonic()
    while _Jobs.refused_at and now - _Jobs.refused_at[0] > REFUSED_WINDOW_S:
        _Jobs.refused_at.popleft()
    workers = _Jobs.backend.workers if _Jobs.backend is not None else 1
    wait = (max(queued, 1) + len(_Jobs.refused_at)) * _Jobs.job_s / max(workers, 1)
    return max(1, min(RETRY_MAX_S, math.ceil(wait)))


def places_for(attempt: int, capacity: int) -> int:
    """How full the queue may be for a request to join it: a first attempt leaves the last
    RETRY_PLACES places (fewer in a queue too small to spare them) to clients coming back
    after a refusal; each further attempt may take one more of them."""
    reserved = min(RETRY_PLACES, capacity - 1)
    return capacity - reserved + min(max(attempt - 1, 0), reserved)


@contextlib.contextmanager
def _admitted(attempt: int) -> Iterator[None]:
    admission = _Jobs.admission
    if admission is None:
        token = "inline"
    else:
        token = admission.enter(places_for(attempt, admission.capacity))
    if token is None:
        _Jobs.refused += 1
        wait = retry_after()
        _Jobs.refused_at.append(time.monotonic())
        raise QueueFull(f"The export queue is full; try again in {wait} s.", wait)
    try:
        yield
    finally:
        if admission is not None:
            admission.leave(token)


def _outcome(out: dict[str, Any]) -> tuple[bytes, str]:
    from .pack import PackBusy
    from .render import ExportFailed

    if "seconds" in out:
        _Jobs.job_s = 0.8 * _Jobs.job_s + 0.2 * float(out["seconds"])
    _Jobs.done += 1
    status = out["status"]
    if status == "ok":
        return out["data"], out["name"]
    if status == "failed":
        raise ExportFailed(out["message"])
    if status == "busy":
        raise PackBusy(out["message"])
    error = ExportUnavailable(out["message"])
    error.retry_after = int(out.get("retry_after") or RESTART_S)  # type: ignore[attr-defined]
    raise error


def _run(task: str, args: tuple, bundle: Bundle, attempt: int) -> tuple[bytes, str]:
    from . import worker

    with _admitted(attempt):
        backend = _Jobs.backend
        if backend is None:
            out = getattr(worker, task)(*args, bundle=bundle)
        else:
            out = backend.run(task, args, WAIT_S)
    return _outcome(out)


def chart_file(
    bundle: Bundle,
    data_dir: Path,
    chart_id: str,
    fmt: str,
    preset: str,
    params: Sequence[tuple[str, str]],
    base_url: str | None,
    attempt: int = 1,
) -> tuple[bytes, str]:
    """(PNG or SVG bytes, file name) of one chart; ``bundle`` is used inline only, an export
    process reads ``data_dir`` itself; ``attempt``: the client's, counting refusals (see the
    module docstring). Raises QueueFull, ExportUnavailable (with a ``retry_after``) or
    ExportFailed."""
    args = (str(data_dir), chart_id, fmt, preset, [list(p) for p in params], base_url)
    return _run("chart_file", args, bundle, attempt)


def pack_file(
    bundle: Bundle,
    data_dir: Path,
    view: str,
    params: Sequence[tuple[str, str]],
    base_url: str | None,
    attempt: int = 1,
) -> tuple[bytes, str]:
    """(ZIP bytes, file name) of a view's briefing pack; raises as :func:`chart_file`, and
    PackBusy."""
    args = (str(data_dir), view, [list(p) for p in params], base_url)
    return _run("pack_file", args, bundle, attempt)


def status() -> dict[str, Any]:
    """A snapshot for logs and the reliability suite."""
    admission = _Jobs.admission
    return {
        "mode": _Jobs.mode,
        "workers": _Jobs.backend.workers if _Jobs.backend is not None else 0,
        "capacity": admission.capacity if admission is not None else 0,
        "in_queue": admission.size() if admission is not None else 0,
        "mean_job_s": round(_Jobs.job_s, 3),
        "jobs_done": _Jobs.done,
        "refused": _Jobs.refused,
        "worker_pids": _Jobs.backend.pids() if _Jobs.backend is not None else [],
    }
