"""Run the reliability scenarios and print one table, then each scenario's figures.

    python -m reliability            # full: every scenario at full size (about 8 minutes)
    python -m reliability --quick    # CI: every scenario, smaller and shorter (a few minutes)

Scenarios (columns: faults tried, survived, requests, lost = failed or never served):

======================================  ==========================================================
broken data (mutations)                 mutated data files load or give a located error
hostile input (fuzz)                    fuzzed URLs, callbacks, routes: no 5xx, no traceback
load (locust, mixed)                    pages, callbacks, CSV, PNG, embeds, packs under gunicorn
page-worker memory after load           each page worker <= 300 MB RSS after that load; the
                                        export pool's total is reported
24 exporting clients                    PNGs of new views back to back; pages (/, layout, view
                                        change) keep p95 <= 500 ms
export browser killed                   then ten exports: all after the first answer 200 in 5 s
queue full                              429 with a Retry-After from the queue; all served later
Celery + Redis                          the same exports through Celery and a real Redis
slow clients (nginx)                    8 slow-loris clients; pages keep p95 <= 500 ms
======================================  ==========================================================

A scenario whose tool is missing (nginx, redis-server) is shown as "not available". The exit
code is 1 when a scenario failed (a request lost, a wrong answer) or crashed, and, in a full
run, when a timing target was missed (page p95, recovery time, worker memory). With --quick
(CI, on a machine of any load) a missed timing target is printed as "over limit" only.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # python reliability/__main__.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FULL = {
    "mutations": 200,
    "fuzz": 300,
    "load": (60.0, 50),
    "exporting": (60.0, 24),
    "front": (30.0, 10.0),
    "stop_grace": 30,
}
QUICK = {
    "mutations": 30,
    "fuzz": 100,
    "load": (20.0, 10),
    "exporting": (10.0, 24),
    "front": (6.0, 2.0),
    "stop_grace": 20,  # requests still running then are cut, not counted
}
SLOW_CLIENTS = 8
PAGE_USERS = 2  # readers measured while the exporting clients run
PAGE_P95_MS = 500.0
WORKER_RSS_LIMIT = 300 * 2**20
WORKERS = 2
SEED = 1


@dataclass
class Row:
    check: str
    tried: int | None = None
    survived: int | None = None
    requests: int | None = None
    lost: int | None = None
    failures: int = 0
    over_limit: list[str] = field(default_factory=list)  # timing targets missed
    seconds: float = 0.0
    note: str = ""  # "not available: ..." or "crashed: ..."
    figures: list[str] = field(default_factory=list)  # printed below the table
    details: list[str] = field(default_factory=list)  # failure descriptions

    @property
    def failed(self) -> bool:
        return bool(self.failures) or self.note.startswith("crashed")


def _crashed(check: str, exc: Exception, t0: float) -> Row:
    """The row of a check that raised: one failure, the error and the end of its traceback."""
    return Row(
        check,
        failures=1,
        seconds=time.perf_counter() - t0,
        note=f"crashed: {type(exc).__name__}: {exc}"[:200],
        details=traceback.format_exc().splitlines()[-8:],
    )


def _timed(check: str, build: Callable[[], Row]) -> Row:
    t0 = time.perf_counter()
    try:
        row = build()
    except Exception as exc:
        return _crashed(check, exc, t0)
    row.seconds = time.perf_counter() - t0
    return row


def _cases_row(check: str, module: str, n: int, seed: int) -> Row:
    def build() -> Row:
        summary = importlib.import_module(f"reliability.{module}").run_cases(n, seed)
        failures = list(summary.failures)
        requests = sum(summary.by_code.values()) if hasattr(summary, "by_code") else None
        return Row(
            check,
            tried=summary.cases,
            survived=summary.cases - len(failures),
            requests=requests,
            lost=len(failures),
            failures=len(failures),
            details=[str(f) for f in failures[:10]],
        )

    return _timed(check, build)


def _load_rows(duration: float, users: int, workers: int, seed: int, grace: int) -> list[Row]:
    from reliability import load, procs

    check = f"load (locust, {users} mixed users)"
    memory_check = "page-worker memory after load"
    t0 = time.perf_counter()
    try:
        result = load.run(duration, {"MixedUser": users}, workers, seed=seed, stop_grace=grace)
    except Exception as exc:
        return [_crashed(check, exc, t0), Row(memory_check, note="not run: the load crashed")]
    lost = result.failures
    row = Row(
        check,
        tried=result.requests,
        survived=result.requests - lost,
        requests=result.requests,
        lost=lost,
        failures=lost + (not result.requests),  # a load that sent nothing measured nothing
        seconds=time.perf_counter() - t0,
        figures=result.details().splitlines(),
        details=result.errors[:10],
    )
    after = result.memory_after or procs.Memory()
    over = [r for r in after.workers_rss if r > WORKER_RSS_LIMIT]
    memory = Row(
        memory_check,
        tried=len(after.workers_rss),
        survived=len(after.workers_rss) - len(over),
        failures=int(not after.workers_rss),
        over_limit=[f"a page worker holds {procs.mib(r)}" for r in over],
        figures=[
            f"after {duration:.0f} s of load: {after.describe()}",
            f"limit per page worker {procs.mib(WORKER_RSS_LIMIT)}; peak during the load "
            f"{procs.mib(result.peak_worker_rss)}; export pool peak RSS "
            f"{procs.mib(result.peak_pool_rss)}",
        ],
    )
    return [row, memory]


def _exporting_row(duration: float, users: int, workers: int, seed: int, grace: int) -> Row:
    from reliability import load

    check = f"{users} exporting clients (page p95)"

    def build() -> Row:
        mix = {"ExportUser": users, "PageUser": PAGE_USERS}
        result = load.run(duration, mix, workers, seed=seed, stop_grace=grace)
        slow = {
            name: result.stats[name].p95
            for name in load.PAGE_NAMES
            if name in result.stats and (result.stats[name].p95 or 0) > PAGE_P95_MS
        }
        lost = result.failures
        exported = result.stats.get("export png")
        measured = [n for n in load.PAGE_NAMES if n in result.stats]
        return Row(
            check,
            tried=result.count("export png") + sum(result.busy.values()),
            survived=exported.requests - exported.failures if exported else 0,
            requests=result.requests,
            lost=lost,
            failures=lost + (not exported) + (len(measured) < len(load.PAGE_NAMES)),
            over_limit=[f"{n} p95 {v:.0f} ms (limit {PAGE_P95_MS:.0f})" for n, v in slow.items()],
            figures=[
                f"page p95 (limit {PAGE_P95_MS:.0f} ms): "
                + ", ".join(f"{n} {_ms(result.stats.get(n))}" for n in load.PAGE_NAMES),
                *result.details().splitlines(),
            ],
            details=result.errors[:8] or ["no export or page request was answered"],
        )

    return _timed(check, build)


def _ms(stat) -> str:
    return "-" if stat is None or stat.p95 is None else f"{stat.p95:.0f} ms"


def _scenario_row(check: str, run: Callable[[], object]) -> Row:
    def build() -> Row:
        result = run()
        return Row(
            check,
            tried=result.tried,
            survived=result.survived,
            requests=result.requests,
            lost=result.lost,
            failures=len(result.failures),
            over_limit=list(result.over_limit),
            figures=result.report().splitlines()[1:],
            details=result.failures[:10],
        )

    return _timed(check, build)


def _celery_row() -> Row:
    from reliability import celery_mode

    check = "Celery + Redis"
    if celery_mode.redis_binary() is None:
        return Row(check, note="not available (redis-server is not installed: make setup)")
    return _scenario_row(check, celery_mode.run)


def _front_row(duration: float, baseline: float, workers: int) -> Row:
    from reliability import front

    check = f"slow clients (nginx, {SLOW_CLIENTS})"
    if front.nginx_binary() is None:
        return Row(check, note="not available (nginx is not installed: make setup)")

    def build() -> Row:
        result = front.run(duration, SLOW_CLIENTS, baseline=baseline, workers=workers)
        return Row(
            check,
            tried=result.slow_opened,
            survived=result.slow_opened if result.passed else 0,
            requests=result.requests,
            lost=result.errors,
            failures=len(result.failures),
            figures=result.report().splitlines(),
            details=result.failures[:10],
        )

    return _timed(check, build)


def _cell(value) -> str:
    return "-" if value is None else str(value)


def table(rows: list[Row]) -> str:
    """check | faults tried | survived | requests | lost | time, one line per scenario."""
    head = ("faults tried", "survived", "requests", "lost", "time")
    width = max(len("check"), *(len(r.check) for r in rows))
    lines = [f"{'check':<{width}}" + "".join(f"{h:>14}" for h in head)]
    lines.append("-" * len(lines[0]))
    for r in rows:
        if r.note and r.tried is None:
            lines.append(f"{r.check:<{width}}  {r.note}")
            continue
        cells = (r.tried, r.survived, r.requests, r.lost)
        time_cell = f"{r.seconds:.1f} s" if r.seconds else ""
        status = "  FAILED" if r.failed else "  over limit" if r.over_limit else ""
        lines.append(
            f"{r.check:<{width}}"
            + "".join(f"{_cell(c):>14}" for c in cells)
            + f"{time_cell:>14}{status}"
        )
        if r.note:
            lines.append(f"{'':<{width}}  {r.note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="CI size: smaller and shorter")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (2)")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    started = time.perf_counter()
    from reliability import exports

    rows = [
        _cases_row("broken data (mutations)", "mutations", size["mutations"], args.seed),
        _cases_row("hostile input (fuzz)", "fuzz", size["fuzz"], args.seed),
        *_load_rows(*size["load"], args.workers, args.seed, size["stop_grace"]),
        _exporting_row(*size["exporting"], args.workers, args.seed, size["stop_grace"]),
        _scenario_row("export browser killed", lambda: exports.browser_kill(args.workers)),
        _scenario_row("queue full (429)", exports.queue_full),
        _celery_row(),
        _front_row(*size["front"], args.workers),
    ]
    print(table(rows))
    for row in rows:
        if row.figures:
            print(f"\n{row.check}:")
            print("\n".join(f"  {line.strip()}" for line in row.figures))
        if row.details and row.failed:
            print(f"  first failures of {row.check}:")
            print("\n".join(f"    {line}" for line in row.details))
        if row.over_limit:
            print(f"  over limit: {'; '.join(row.over_limit)}")
    failed = [r.check for r in rows if r.failed or (r.over_limit and not args.quick)]
    total = time.perf_counter() - started
    print(f"\n{'FAILED: ' + ', '.join(failed) if failed else 'all checks passed'} ({total:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
