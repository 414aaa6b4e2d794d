"""Export jobs on Celery with a real Redis (Debian's redis-server), started and stopped here.

    python -m reliability.celery_mode

Starts ``redis-server`` on a free loopback port (no persistence), one Celery worker
(``celery -A indicators.exports.celery_app worker --concurrency 1``) and gunicorn with
``EXPORT_JOBS=celery`` and a queue of ``QUEUE`` places, all pointed at that Redis. Then:
PNG exports of new views one after another (the first waits for the worker to come up), an
SVG, a briefing pack, and a burst of ``BURST`` PNG exports at once, each refused one sent
again after its Retry-After. Passes when every request finally answered 200, the burst got
429s with a Retry-After, and no browser ran under gunicorn (the images came from Celery).
Everything is stopped however the run ends.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # python reliability/celery_mode.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import HOST, GunicornServer, free_port
from reliability import procs
from reliability.exports import Answer, NewViews, ScenarioResult, get

ROOT = Path(__file__).resolve().parents[1]
QUEUE = 2
BURST = 6
SEQUENTIAL = 4
MAX_TRIES = 10
START_TIMEOUT = 20.0
FIRST_EXPORT_TIMEOUT = 90.0  # the worker's start and its browser's


def redis_binary() -> str | None:
    return shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin:/usr/sbin")


def _stop(process: subprocess.Popen | None, timeout: float = 10.0) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def _start_redis(port: int, log) -> subprocess.Popen:
    command = [redis_binary() or "redis-server", "--port", str(port), "--bind", HOST]
    command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    import redis

    client = redis.Redis(host=HOST, port=port)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.1)


def _start_worker(env: dict[str, str], log) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "indicators.exports.celery_app", "worker"]
    command += ["--concurrency", "1", "--loglevel", "WARNING", "--without-gossip"]
    command += ["--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _until_ok(port: int, path: str, answers: list[Answer], timeout: float = 60.0) -> None:
    for _ in range(MAX_TRIES):
        answer = get(port, path, timeout)
        answers.append(answer)
        if answer.status not in (429, 503) or not answer.retry_after:
            return
        time.sleep(min(float(answer.retry_after), 10.0))


def run() -> ScenarioResult:
    result = ScenarioResult(f"Celery + Redis ({QUEUE} places, burst of {BURST})")
    if redis_binary() is None:
        raise RuntimeError("redis-server is not installed (make setup installs it)")
    port = free_port()
    url = f"redis://{HOST}:{port}/0"
    env = {"EXPORT_JOBS": "celery", "EXPORT_BROKER_URL": url, "EXPORT_WORKERS": "1"}
    env["EXPORT_QUEUE"] = str(QUEUE)
    redis_process = worker = None
    views = NewViews(5000)
    with tempfile.TemporaryFile() as log:
        try:
            redis_process = _start_redis(port, log)
            worker = _start_worker(env, log)
            with GunicornServer(workers=2, start_timeout=120, env=env) as server:
                answers: list[Answer] = []
                _until_ok(server.port, views.next(), answers, FIRST_EXPORT_TIMEOUT)
                for path in [views.next() for _ in range(SEQUENTIAL)]:
                    _until_ok(server.port, path, answers)
                _until_ok(server.port, "/export/wgi_cc.svg?focus=KGZ&from=2001", answers)
                _until_ok(server.port, "/pack.zip?view=corruption&focus=TJK", answers)
                singles = len(answers)
                burst: dict[str, list[Answer]] = {views.next(): [] for _ in range(BURST)}
                threads = [
                    threading.Thread(target=_until_ok, args=(server.port, p, a), daemon=True)
                    for p, a in burst.items()
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(MAX_TRIES * 20)
                under_gunicorn = procs.memory(server.pid, pss=False).browsers
            worker_mem = procs.Memory()
            with contextlib.suppress(Exception):
                worker_mem = procs.memory(worker.pid)
        finally:
            _stop(worker, 20)
            _stop(redis_process)
        log.seek(0)
        log_tail = log.read().decode("utf-8", "replace").splitlines()[-10:]
    every = answers + [a for tries in burst.values() for a in tries]
    refused = [a for a in every if a.status == 429]
    last = [answers[-1]] if answers else []
    finals = [tries[-1] for tries in burst.values() if tries] + last
    result.requests = len(every)
    result.tried = len(refused)
    result.lost = sum(1 for a in answers[:singles] if a.status not in (200, 429, 503))
    result.lost += sum(1 for a in finals if a.status != 200)
    result.lost += sum(1 for tries in burst.values() if not tries)
    result.survived = result.tried if not result.lost else 0
    if result.lost:
        result.failures.append(f"{result.lost} requests never answered 200")
        result.figures += [f"log: {line[:200]}" for line in log_tail]
    if not refused:
        result.failures.append(f"no 429 from a burst of {BURST} with {QUEUE} places")
    if under_gunicorn:
        result.failures.append(f"{under_gunicorn} browsers under gunicorn: images drawn there")
    first = answers[0].seconds if answers else 0
    result.figures += [
        f"first export (worker and browser starting) {first:.1f} s; then "
        + ", ".join(f"{a.status} {a.seconds:.1f}s" for a in answers[1:singles]),
        f"burst: {len(refused)} answers 429 (Retry-After "
        f"{', '.join(sorted({a.retry_after or '-' for a in refused})) or '-'} s), "
        f"final statuses {sorted(a.status for a in finals)}",
        f"browsers under gunicorn: {under_gunicorn}; "
        f"Celery worker's processes: RSS {procs.mib(worker_mem.pool_rss)}",
    ]
    return result


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    result = run()
    print(result.report())
    print("\n".join(f"  FAILED: {f}" for f in result.failures))
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
