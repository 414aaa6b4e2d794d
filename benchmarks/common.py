"""Shared pieces of the benchmarks: result rows, percentiles, an in-process server, Chromium."""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # the browser tests' own launch settings

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    """One printed figure: what was measured, its value, the floor beside it, the target."""

    section: str
    what: str
    value: float | None
    unit: str
    floor: float | None = None
    floor_note: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values)


def timings(fn: Callable[[], object], calls: int, warmup: int = 2) -> list[float]:
    """Seconds taken by each of `calls` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


@contextmanager
def local_server(app) -> Iterator[str]:
    """Serve a Dash app's Flask server in a thread on a free loopback port; yields its URL."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:
            """No access log: the report prints figures only."""

    server = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
