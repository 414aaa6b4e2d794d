"""Bounded load under gunicorn on loopback, with locust (headless, as a subprocess).

    python -m reliability.load [--duration 60] [--mixed 50] [--exporting 0] [--pages 0]

Starts gunicorn (``benchmarks.serve.GunicornServer``: gunicorn.conf.py, so page workers with
their export pools), runs ``locust --headless`` with the users of reliability/locustfile.py for
``duration`` seconds (each user also stops after RELIABILITY_MAX_REQUESTS requests, and locust
gets ``STOP_GRACE`` s to finish the requests in flight), reads locust's final statistics, and
reads memory with psutil (:mod:`reliability.procs`) every second and at the end. The
subprocess is killed if it outlives its time; gunicorn is always stopped.

Failures are requests that got a 4xx/5xx (other than a waited-out 429/503 with Retry-After),
a connection error or timeout, or stayed busy after every retry.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # python reliability/load.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import GunicornServer
from reliability import procs

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "reliability" / "locustfile.py"
MAX_DURATION = 600.0
STOP_GRACE = 30  # seconds locust waits for requests in flight after -t
KINDS = ("page", "asset", "view change", "csv", "embed", "png", "pack")  # MixedUser's names
PAGE_NAMES = ("page /", "layout", "view change")  # PageUser's


@dataclass
class Stat:
    requests: int
    failures: int
    p50: float | None
    p95: float | None
    p99: float | None
    max: float | None


@dataclass
class LoadResult:
    """What a locust run saw. Latencies in ms, memory in bytes."""

    duration: float
    users: dict[str, int]
    elapsed: float = 0.0
    stats: dict[str, Stat] = field(default_factory=dict)  # name -> stat (type GET/POST)
    busy: dict[str, int] = field(default_factory=dict)  # "png 429" -> count
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)  # locust's failures, "n x name: error"
    memory_before: procs.Memory | None = None
    memory_after: procs.Memory | None = None
    peak_worker_rss: int = 0
    peak_pool_rss: int = 0
    server_problems: list[str] = field(default_factory=list)
    exit_code: int | None = None

    @property
    def requests(self) -> int:
        return sum(s.requests for s in self.stats.values()) + sum(self.busy.values())

    @property
    def failures(self) -> int:
        return sum(s.failures for s in self.stats.values()) + self.gave_up

    def count(self, name: str) -> int:
        stat = self.stats.get(name)
        return stat.requests if stat else 0

    def p95(self, names) -> float | None:
        values = [self.stats[n].p95 for n in names if n in self.stats and self.stats[n].p95]
        return max(values) if values else None

    def details(self) -> str:
        lines = [f"  {'request':<14}{'n':>7}{'fail':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8} ms"]
        for name, s in sorted(self.stats.items()):
            cells = "".join(f"{_ms(v):>8}" for v in (s.p50, s.p95, s.p99, s.max))
            lines.append(f"  {name:<14}{s.requests:>7}{s.failures:>6}{cells}")
        busy = ", ".join(f"{k} x{v}" for k, v in sorted(self.busy.items())) or "none"
        lines.append(f"  busy answers waited out (Retry-After): {busy}; gave up: {self.gave_up}")
        users = ", ".join(f"{n} {k}" for k, n in self.users.items() if n)
        lines.append(f"  {self.requests} requests in {self.elapsed:.0f} s from {users} users")
        for label, mem in (("before", self.memory_before), ("after", self.memory_after)):
            if mem is not None:
                lines.append(f"  memory {label}: {mem.describe()}")
        lines.append(
            f"  peak: page worker RSS {procs.mib(self.peak_worker_rss)}, "
            f"export pool RSS {procs.mib(self.peak_pool_rss)}"
        )
        lines += [f"  error: {e}" for e in self.errors[:8]]
        if self.server_problems:
            lines.append(f"  gunicorn log problems ({len(self.server_problems)}):")
            lines += [f"    {line[:200]}" for line in self.server_problems[:8]]
        return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def percentile(response_times: dict, pct: float) -> float | None:
    """Nearest-rank percentile from locust's histogram {rounded ms: count}."""
    counts = sorted((float(ms), n) for ms, n in response_times.items())
    total = sum(n for _, n in counts)
    if not total:
        return None
    rank, seen = max(1, round(pct / 100 * total + 0.4999)), 0
    for ms, n in counts:
        seen += n
        if seen >= rank:
            return ms
    return counts[-1][0]


def read_stats(prefix: str, result: LoadResult) -> None:
    """Locust's final statistics (``<prefix>.json``; the CSV is written before the last
    requests end) and its failures (``<prefix>_failures.csv``) into ``result``."""
    with open(f"{prefix}.json") as f:
        entries = json.load(f)
    for entry in entries:
        kind, name, n = entry["method"], entry["name"], int(entry["num_requests"])
        if name == "dependencies":
            continue
        if kind == "BUSY":
            result.busy[name] = result.busy.get(name, 0) + n
        elif kind == "GAVE_UP":
            result.gave_up += n
        else:
            times = entry.get("response_times") or {}
            result.stats[name] = Stat(
                n,
                int(entry["num_failures"]),
                percentile(times, 50),
                percentile(times, 95),
                percentile(times, 99),
                entry.get("max_response_time"),
            )
    with contextlib.suppress(FileNotFoundError), open(f"{prefix}_failures.csv", newline="") as f:
        for row in csv.DictReader(f):
            result.errors.append(f"{row['Occurrences']} x {row['Name']}: {row['Error'][:200]}")


def _server_problems(log: str) -> list[str]:
    marks = ("[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "Traceback", "was sent SIG")
    return [line for line in log.splitlines() if any(m in line for m in marks)][:50]


def locust(
    host: str,
    duration: float,
    users: dict[str, int],
    prefix: str,
    seed: int = 1,
    stop_grace: int = STOP_GRACE,
) -> subprocess.Popen:
    total = sum(users.values())
    env = {
        **os.environ,
        "RELIABILITY_SEED": str(seed),
        "RELIABILITY_PAGE_USERS": str(users.get("PageUser", 0)),
        "RELIABILITY_EXPORT_USERS": str(users.get("ExportUser", 0)),
        "RELIABILITY_MIXED_USERS": str(users.get("MixedUser", 0)),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "-u",
        str(total),
        "-r",
        str(total),
        "-t",
        f"{duration:.0f}s",
        "--stop-timeout",
        str(stop_grace),
        "--csv",
        prefix,
        "--json-file",
        prefix,  # locust adds ".json"
        "--only-summary",
        "--loglevel",
        "WARNING",
        *[name for name, n in users.items() if n],
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(
    duration: float = 60,
    users: dict[str, int] | None = None,
    workers: int = 2,
    *,
    seed: int = 1,
    env: dict[str, str] | None = None,
    server: GunicornServer | None = None,
    stop_grace: int = STOP_GRACE,
) -> LoadResult:
    """Start gunicorn (or use ``server``), load it with locust, stop it. ``users`` maps a
    locustfile class (PageUser, ExportUser, MixedUser) to how many."""
    duration = min(max(float(duration), 1.0), MAX_DURATION)
    users = users or {"MixedUser": 50}
    owned = server is None
    if owned:
        server = GunicornServer(workers=workers, start_timeout=120, env=env)
        server.start()
    result = LoadResult(duration=duration, users=dict(users))
    try:
        _run(server, result, seed, stop_grace)
    finally:
        if owned:
            result.server_problems = _server_problems(server.log_tail(100_000))
            server.stop()
    return result


def _run(server: GunicornServer, result: LoadResult, seed: int, stop_grace: int) -> None:
    result.memory_before = procs.memory(server.pid)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            mem = procs.memory(server.pid, pss=False)
            result.peak_worker_rss = max(result.peak_worker_rss, mem.max_worker_rss)
            result.peak_pool_rss = max(result.peak_pool_rss, mem.pool_rss)

    sampler = threading.Thread(target=sample, name="memory-sampler", daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="locust-") as tmp:
        prefix = str(Path(tmp) / "run")
        t0 = time.monotonic()
        process = locust(server.base_url, result.duration, result.users, prefix, seed, stop_grace)
        try:
            _out, err = process.communicate(timeout=result.duration + stop_grace + 60)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
            result.errors.append("locust outlived its time and was killed")
        finally:
            stop.set()
            sampler.join(5)
        result.elapsed = time.monotonic() - t0
        result.exit_code = process.returncode
        try:
            read_stats(prefix, result)
        except FileNotFoundError:
            result.errors.append(f"locust wrote no statistics: {err.strip()[-500:]}")
        if not result.requests and err.strip():
            result.errors.append(f"locust answered nothing; its log ends: {err.strip()[-500:]}")
    result.memory_after = procs.memory(server.pid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 600)")
    parser.add_argument("--mixed", type=int, default=50, help="MixedUser users")
    parser.add_argument("--exporting", type=int, default=0, help="ExportUser users")
    parser.add_argument("--pages", type=int, default=0, help="PageUser users")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--inline", action="store_true", help="EXPORT_JOBS=inline (no pool)")
    args = parser.parse_args(argv)
    users = {"MixedUser": args.mixed, "ExportUser": args.exporting, "PageUser": args.pages}
    env = {"EXPORT_JOBS": "inline"} if args.inline else None
    result = run(args.duration, users, args.workers, env=env)
    print(result.details())
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
