"""Run the reliability checks and print one table.

    python -m reliability            # full: 200 data mutations, 300 fuzz cases, 60 s load, 50 conns
    python -m reliability --quick    # CI: 30 mutations, 100 fuzz cases, 10 s load, 10 conns

Rows: broken data (``reliability.mutations.run_cases``), hostile input
(``reliability.fuzz.run_cases``), load under gunicorn (``reliability.load.run``) and slow
clients against nginx in front of gunicorn (``reliability.front.run``: 8 slow-loris clients
for 30 s, 6 s with --quick); then the load's details (status counts and latency per kind,
memory before and after) and the front's figures. A check whose
module is not there (yet) is shown as "not available". The exit code is 1 when a check has
failures, 0 otherwise: timings never fail it.
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

FULL = {"mutations": 200, "fuzz": 300, "duration": 60.0, "connections": 50, "front": (30.0, 10.0)}
QUICK = {"mutations": 30, "fuzz": 100, "duration": 10.0, "connections": 10, "front": (6.0, 2.0)}
SLOW_CLIENTS = 8
WORKERS = 2
SEED = 1


@dataclass
class Row:
    check: str
    tried: int | None = None
    failures: int | None = None
    requests: int | None = None
    errors: int | None = None
    seconds: float = 0.0
    note: str = ""  # "not available: ..." or "crashed: ..."
    details: list[str] = field(default_factory=list)  # failure descriptions, shown below

    @property
    def failed(self) -> bool:
        return bool(self.failures) or self.note.startswith("crashed")


def _count(value) -> int | None:
    """An int field as is; a list/tuple/dict field as its length; anything else None."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple | dict | set):
        return len(value)
    return None


def _first(summary, names: tuple[str, ...]) -> int | None:
    for name in names:
        if hasattr(summary, name):
            value = _count(getattr(summary, name))
            if value is not None:
                return value
    return None


def _failure_lines(summary, limit: int = 10) -> list[str]:
    failures = getattr(summary, "failures", None)
    if isinstance(failures, list | tuple):
        return [str(f) for f in failures[:limit]]
    return []


def summary_row(check: str, summary, seconds: float) -> Row:
    """A row from a helper's summary dataclass, whatever it calls its fields."""
    requests = _first(summary, ("requests", "n_requests"))
    if requests is None and isinstance(getattr(summary, "by_code", None), dict):
        requests = sum(summary.by_code.values())  # fuzz: one request per case
    return Row(
        check,
        tried=_first(summary, ("cases", "tried", "n_cases", "total", "n")),
        failures=_first(summary, ("failures", "n_failures", "failed")),
        requests=requests,
        errors=_first(summary, ("errors", "n_errors", "crashes")),
        seconds=seconds,
        details=_failure_lines(summary),
    )


def _crashed(check: str, exc: Exception, t0: float) -> Row:
    """The row of a check that raised: one failure, the error and the end of its traceback."""
    return Row(
        check,
        failures=1,
        seconds=time.perf_counter() - t0,
        note=f"crashed: {type(exc).__name__}: {exc}"[:200],
        details=traceback.format_exc().splitlines()[-8:],
    )


def _helper_row(check: str, module: str, n: int, seed: int) -> Row:
    try:
        mod = importlib.import_module(f"reliability.{module}")
        run_cases: Callable = mod.run_cases
    except (ImportError, AttributeError) as exc:
        return Row(check, note=f"not available ({type(exc).__name__}: {exc})"[:120])
    t0 = time.perf_counter()
    try:
        summary = run_cases(n, seed)
    except Exception as exc:
        return _crashed(check, exc, t0)
    return summary_row(check, summary, time.perf_counter() - t0)


def _load_row(duration: float, connections: int, workers: int, seed: int):
    from reliability import load

    check = f"load (gunicorn, {connections} conns)"
    t0 = time.perf_counter()
    try:
        result = load.run(duration=duration, connections=connections, workers=workers, seed=seed)
    except Exception as exc:
        return _crashed(check, exc, t0), None
    row = Row(
        check,
        tried=result.requests + result.cut_at_stop,
        failures=result.failures,
        requests=sum(sum(c.values()) for c in result.statuses.values()),
        errors=result.error_count,
        seconds=time.perf_counter() - t0,
        details=[*result.examples.get("5xx", []), *result.examples.get("error", [])][:10],
    )
    return row, result


def _front_row(duration: float, baseline: float, workers: int):
    """Slow clients against nginx before gunicorn (reliability.front); "not available" when
    nginx is not installed."""
    from reliability import front

    check = f"slow clients (nginx, {SLOW_CLIENTS})"
    if front.nginx_binary() is None:
        return Row(check, note="not available (nginx is not installed: make setup)"), None
    t0 = time.perf_counter()
    try:
        result = front.run(duration, SLOW_CLIENTS, baseline=baseline, workers=workers)
    except Exception as exc:
        return _crashed(check, exc, t0), None
    row = Row(
        check,
        tried=result.requests,
        failures=len(result.failures),
        requests=result.requests,
        errors=result.errors,
        seconds=time.perf_counter() - t0,
        details=result.failures[:10],
    )
    return row, result


def _cell(value) -> str:
    return "-" if value is None else str(value)


def table(rows: list[Row]) -> str:
    """check | cases tried | failures | requests | errors | time, one line per check."""
    head = ("cases tried", "failures", "requests", "errors", "time")
    width = max(len("check"), *(len(r.check) for r in rows))
    lines = [f"{'check':<{width}}" + "".join(f"{h:>13}" for h in head)]
    lines.append("-" * len(lines[0]))
    for r in rows:
        if r.note and r.tried is None:  # not available, or crashed before counting
            lines.append(f"{r.check:<{width}}  {r.note}")
            continue
        cells = (r.tried, r.failures, r.requests, r.errors)
        time_cell = f"{r.seconds:.1f} s" if r.seconds else ""
        lines.append(
            f"{r.check:<{width}}" + "".join(f"{_cell(c):>13}" for c in cells) + f"{time_cell:>13}"
        )
        if r.note:
            lines.append(f"{'':<{width}}  {r.note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="CI size: fewer cases, 10 s load with 10 conns"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (2)")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    started = time.perf_counter()
    rows = [
        _helper_row("broken data (mutations)", "mutations", size["mutations"], args.seed),
        _helper_row("hostile input (fuzz)", "fuzz", size["fuzz"], args.seed),
    ]
    load_row, result = _load_row(size["duration"], size["connections"], args.workers, args.seed)
    rows.append(load_row)
    front_row, front_result = _front_row(*size["front"], args.workers)
    rows.append(front_row)
    print(table(rows))
    for row in rows:
        if row.details and (row.failures or row.note):
            print(f"\n{row.check}: first failures")
            print("\n".join(f"  {line}" for line in row.details))
    if result is not None:
        from reliability.load import details

        print(f"\nload details ({size['duration']:.0f} s, {size['connections']} connections):")
        print(details(result))
    if front_result is not None:
        print(f"\nslow clients against nginx ({size['front'][0]:.0f} s):")
        print(front_result.report())
    failed = [r.check for r in rows if r.failed]
    total = time.perf_counter() - started
    print(f"\n{'FAILED: ' + ', '.join(failed) if failed else 'all checks passed'} ({total:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
