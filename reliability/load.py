"""Bounded load test of the dashboard under gunicorn on loopback.

    python -m reliability.load [--duration 60] [--connections 50] [--workers 2]

Issue: "under gunicorn, run a bounded 60 s load test on loopback with 50 connections, mixing
page loads, callbacks and exports. Expect zero 5xx and bounded memory (report RSS before and
after); exports wait in a queue rather than fail."

Each connection is a thread with its own keep-alive ``http.client`` connection (gunicorn's
sync workers close after each response; the client reconnects) issuing, back to back, a
weighted mix of requests (see ``MIX``):

========  ======================================================================================
page      ``GET /`` or ``/<view>?<random valid query>`` (the HTML shell)
asset     a script, style sheet or icon the page references, or ``/_dash-layout`` and
          ``/_dash-dependencies`` (what the browser fetches next)
callback  ``POST /_dash-update-component`` for render_view, random view and query, with the
          body the Dash renderer sends (built from the server's ``/_dash-dependencies``)
csv       ``/export/<chart>.csv?<query>``
png       ``/export/<chart>.png?<query>&preset=wide|square`` (each worker starts its own
          Chromium on its first image)
embed     ``/embed/<chart>?<query>``
pack      ``/pack.zip?view=<view>&<query>`` (the briefing pack: several seconds; at most one in
          flight and one every ``pack_interval`` seconds)
========  ======================================================================================

The first requests of the connections go through every kind once, so even a short run covers
them all. A 429 or 503 carrying ``Retry-After`` is counted under its status and the request is
sent again after that many seconds (capped, and never past the end of the run): "busy, wait in
the queue" rather than a failure, as long as a retry gets through. Everything is bounded: new
requests stop at ``duration``; requests still running get ``grace`` seconds, after which their
sockets are shut. Memory (``benchmarks.serve.tree_memory``: gunicorn master + workers + their
Chromium) is read before, every second during, and after the load.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import random
import re
import socket
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):  # python reliability/load.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import (
    CALLBACK_HEADERS,
    CALLBACK_PATH,
    HOST,
    GunicornServer,
    TreeMemory,
    fetch_render_view_dependency,
    mib,
    render_view_body,
)

# kind -> weight (percent of requests); png is the 5% share the issue asks for
MIX: dict[str, float] = {
    "page": 20,
    "asset": 8,
    "callback": 40,
    "csv": 12,
    "embed": 12,
    "png": 5,
    "pack": 3,  # chosen this often, but sent only when allowed (see pack_interval)
}
KINDS = tuple(MIX)
VIEWS = ("overview", "corruption", "governance", "economy")
CHART_VIEWS = ("corruption", "governance", "economy")
PNG_PRESETS = ("wide", "wide", "square")
BROWSER_HEADERS = {
    "Accept-Encoding": "gzip, deflate, br, zstd",  # what Chromium sends
    "User-Agent": "reliability-load/1 (loopback load test)",
}
MAX_DURATION = 600.0
REQUEST_TIMEOUT = 45.0  # one request; above the app's own export watchdog (45 s)
GRACE = 30.0  # after the end, for requests still running
MAX_RETRY_WAIT = 10.0  # cap on one Retry-After wait
MAX_RETRIES = 5
PACK_INTERVAL = 10.0
SAMPLE_EVERY = 1.0
EXAMPLE_BODY = 1000  # bytes of an error answer kept as an example

# Fallback view parameters, when the app's data cannot be read here.
_COUNTRIES = ("KAZ", "UZB", "KGZ", "TJK", "TKM", "ARM", "AZE", "GEO", "RUS", "BLR", "UKR")
_GROUPS = ("central_asia", "south_caucasus", "eastern_europe", "post_soviet", "all_peers")


def _view_params() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(countries, groups, chart ids) the URLs may name, from the app's own data."""
    try:
        from indicators.charts.registry import CHARTS
        from indicators.data.loading import DATA_DIR, load_bundle

        bundle = load_bundle(DATA_DIR)
        codes = set(bundle.frame["iso3"].astype(str)) - set(bundle.countries.aggregates)
        return tuple(sorted(codes)), tuple(sorted(bundle.countries.groups)), tuple(CHARTS)
    except Exception:  # data being edited: the bundled ids still make valid URLs
        return _COUNTRIES, _GROUPS, ("cpi", "wgi_cc", "db_rank", "fdi")


def random_query(rng: random.Random, countries, groups) -> str:
    """A valid view query, e.g. '?focus=UZB&group=south_caucasus&from=2005&agg=aggregate'."""
    params = [("focus", rng.choice(countries))]
    if rng.random() < 0.8:
        params.append(("group", rng.choice(groups)))
    if rng.random() < 0.3:
        lo = rng.randint(1996, 2015)
        params += [("from", str(lo)), ("to", str(rng.randint(lo + 3, 2025)))]
    if rng.random() < 0.2:
        params.append(("agg", "aggregate"))
    if rng.random() < 0.15:
        params.append(("measure", rng.choice(("rank", "percentile"))))
    if rng.random() < 0.15:
        params.append(("wgi", "gap"))
    if rng.random() < 0.1:
        params.append(("fdi", "usd"))
    if rng.random() < 0.1:
        params.append(("events", "0"))
    return "?" + urlencode(params)


def percentile(sorted_values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.4999)))
    return sorted_values[rank - 1]


@dataclass
class LoadResult:
    """What a load run saw. Latencies in milliseconds, memory in bytes."""

    duration: float
    connections: int
    workers: int
    elapsed: float = 0.0  # from the first request to the last answer
    cold_start: float | None = None
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)  # kind -> status -> n
    errors: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> error -> n
    latency: dict[str, dict[str, float | None]] = field(default_factory=dict)  # kind -> p50...
    retries: int = 0  # requests sent again after a Retry-After
    gave_up: int = 0  # still busy (429/503) after MAX_RETRIES waits: a failure
    busy_at_end: int = 0  # busy when the run ended (no time left to wait): not a failure
    cut_at_stop: int = 0  # requests still running after the grace period (sockets shut)
    reconnects: int = 0  # requests re-sent once on a new connection (stale keep-alive)
    rss_before: int = 0
    rss_after: int = 0
    rss_peak: int = 0
    memory_before: TreeMemory | None = None
    memory_after: TreeMemory | None = None
    rss_samples: list[tuple[float, int]] = field(default_factory=list)  # (s since start, rss)
    server_problems: list[str] = field(default_factory=list)  # gunicorn log: errors, timeouts
    examples: dict[str, list[str]] = field(default_factory=dict)  # "5xx"/"error" -> requests

    @property
    def requests(self) -> int:
        """Responses received (every status) plus requests that ended in an error."""
        return sum(sum(c.values()) for c in self.statuses.values()) + self.error_count

    def count(self, kind: str) -> int:
        return sum(self.statuses.get(kind, {}).values()) + sum(self.errors.get(kind, {}).values())

    @property
    def status_totals(self) -> dict[int, int]:
        out: Counter = Counter()
        for counts in self.statuses.values():
            out.update(counts)
        return dict(sorted(out.items()))

    @property
    def five_xx(self) -> int:
        return sum(n for s, n in self.status_totals.items() if s >= 500)

    @property
    def busy(self) -> int:
        """429 answers ("busy, retry after"): expected, not failures, when retries succeed."""
        return self.status_totals.get(429, 0)

    @property
    def error_count(self) -> int:
        return sum(sum(e.values()) for e in self.errors.values())

    @property
    def failures(self) -> int:
        """5xx answers, connection errors and timeouts, and busy answers never served."""
        return self.five_xx + self.error_count + self.gave_up + self.cut_at_stop

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.elapsed:.1f} s ({self.rps:.1f}/s) over "
            f"{self.connections} connections, {self.workers} workers: {self.five_xx} 5xx, "
            f"{self.error_count} errors, {self.busy} busy (429), {self.retries} retries after "
            f"Retry-After, {self.gave_up} gave up, {self.busy_at_end} busy at the end, "
            f"{self.cut_at_stop} cut at the hard stop, {self.reconnects} stale keep-alive "
            f"reconnects; RSS {mib(self.rss_before)} before, {mib(self.rss_peak)} peak, "
            f"{mib(self.rss_after)} after"
        )


class _Request:
    __slots__ = ("body", "headers", "kind", "method", "path")

    def __init__(self, kind, method, path, body=None, headers=None):
        self.kind, self.method, self.path = kind, method, path
        self.body, self.headers = body, headers or {}

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


class _Load:
    """The shared state of one run: the request plan, the tallies and the stop signal."""

    def __init__(self, server, duration, connections, seed, pack_interval, request_timeout, grace):
        self.server = server
        self.grace = grace
        self.cut = 0  # requests whose socket was shut at the hard stop
        self.reconnects = 0  # idle keep-alive connections the server had closed
        self.busy_at_end = 0
        self.connections = connections
        self.request_timeout = request_timeout
        self.pack_interval = pack_interval
        self.rng = random.Random(seed)
        self.countries, self.groups, self.charts = _view_params()
        self.dependency = fetch_render_view_dependency(server)
        self.assets = self._page_assets()
        self.lock = threading.Lock()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.retries = self.gave_up = 0  # gave up: still busy after MAX_RETRIES retries
        self.pack_in_flight = False
        self.last_pack = -1e9
        self.first_round = list(KINDS)
        self.stop = threading.Event()
        self.duration = duration
        self.start = 0.0
        self.end = 0.0
        self.active: dict[int, http.client.HTTPConnection] = {}

    def _page_assets(self) -> list[str]:
        _status, html = self.server.get("/", timeout=30)
        found = re.findall(r'(?:src|href)="(/[^"]+)"', html.decode("utf-8", "replace"))
        return [*dict.fromkeys(found), "/_dash-layout", "/_dash-dependencies"]

    # -- the plan

    def _pick_kind(self, rng: random.Random, index: int) -> str:
        with self.lock:
            if self.first_round:  # every kind once, spread over the connections
                kind = self.first_round.pop(index % len(self.first_round))
            else:
                kind = rng.choices(KINDS, weights=[MIX[k] for k in KINDS])[0]
            if kind == "pack":
                now = time.monotonic()
                if self.pack_in_flight or now - self.last_pack < self.pack_interval:
                    return "callback"
                self.pack_in_flight, self.last_pack = True, now
            return kind

    def make(self, rng: random.Random, index: int) -> _Request:
        kind = self._pick_kind(rng, index)
        query = random_query(rng, self.countries, self.groups)
        if kind == "page":
            view = rng.choice(("", *VIEWS))
            return _Request(kind, "GET", f"/{view}{query if view else ''}", None, BROWSER_HEADERS)
        if kind == "asset":
            return _Request(kind, "GET", rng.choice(self.assets), None, BROWSER_HEADERS)
        if kind == "callback":
            body = render_view_body(self.dependency, f"/{rng.choice(VIEWS)}", query)
            return _Request(kind, "POST", CALLBACK_PATH, body, CALLBACK_HEADERS)
        chart = rng.choice(self.charts)
        if kind == "csv":
            return _Request(kind, "GET", f"/export/{chart}.csv{query}", None, BROWSER_HEADERS)
        if kind == "png":
            path = f"/export/{chart}.png{query}&preset={rng.choice(PNG_PRESETS)}"
            return _Request(kind, "GET", path, None, BROWSER_HEADERS)
        if kind == "embed":
            return _Request(kind, "GET", f"/embed/{chart}{query}", None, BROWSER_HEADERS)
        path = f"/pack.zip?view={rng.choice(CHART_VIEWS)}&{query.lstrip('?')}"
        return _Request("pack", "GET", path, None, BROWSER_HEADERS)

    # -- tallies

    def record(self, kind, status, seconds, error, req, body: bytes = b""):
        with self.lock:
            if error is not None:
                self.errors[kind][error] += 1
                if len(self.examples["error"]) < 10:
                    self.examples["error"].append(f"{req}: {error}")
                return
            self.statuses[kind][status] += 1
            self.latencies[kind].append(seconds * 1000)
            label = "5xx" if status >= 500 else "4xx" if status >= 400 and status != 429 else ""
            if label and len(self.examples[label]) < 10:
                text = body[:EXAMPLE_BODY].decode("utf-8", "replace").strip()
                self.examples[label].append(f"{req}: HTTP {status} {text!r}")

    # -- one connection

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.server.port, timeout=self.request_timeout)

    def send(self, conn, req: _Request) -> tuple[int, dict[str, str], bytes]:
        conn.request(req.method, req.path, body=req.body, headers=req.headers)
        response = conn.getresponse()
        data = response.read()
        if response.will_close:
            conn.close()
        return response.status, dict(response.getheaders()), data

    def connection_loop(self, index: int) -> None:
        rng = random.Random(self.rng.random() + index)
        conn = self._connection()
        with self.lock:
            self.active[index] = conn
        try:
            # the first round (every kind once) is sent even when the run is over
            while not self.stop.is_set() and (time.monotonic() < self.end or self.first_round):
                req = self.make(rng, index)
                try:
                    conn = self._one(conn, req, index)
                finally:
                    if req.kind == "pack":
                        with self.lock:
                            self.pack_in_flight = False
        finally:
            conn.close()
            with self.lock:
                self.active.pop(index, None)

    def _fresh(self, conn, index: int) -> http.client.HTTPConnection:
        conn.close()
        conn = self._connection()
        with self.lock:
            self.active[index] = conn
        return conn

    def _exchange(self, conn, req: _Request, index: int):
        """One request/response; a keep-alive connection the server closed while idle is
        replaced once, as browsers do. Returns (connection, (status, headers, body))."""
        reused = conn.sock is not None
        try:
            return conn, self.send(conn, req)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused or self.stop.is_set():
                raise
        with self.lock:
            self.reconnects += 1
        conn = self._fresh(conn, index)
        return conn, self.send(conn, req)

    def _one(self, conn, req: _Request, index: int):
        """Send one request, honouring Retry-After; returns the connection to use next."""
        for attempt in range(MAX_RETRIES + 1):
            t0 = time.monotonic()
            try:
                conn, (status, headers, body) = self._exchange(conn, req, index)
            except (OSError, http.client.HTTPException) as exc:
                if self.stop.is_set():  # shut at the hard stop
                    with self.lock:
                        self.cut += 1
                else:
                    self.record(req.kind, None, time.monotonic() - t0, _error_name(exc), req)
                return self._fresh(conn, index)
            self.record(req.kind, status, time.monotonic() - t0, None, req, body)
            retry_after = headers.get("Retry-After")
            if status not in (429, 503) or retry_after is None:
                return conn
            wait = min(_seconds(retry_after), MAX_RETRY_WAIT)
            if attempt == MAX_RETRIES:
                with self.lock:
                    self.gave_up += 1
                return conn
            if time.monotonic() + wait >= self.end or self.stop.is_set():
                with self.lock:
                    self.busy_at_end += 1
                return conn
            with self.lock:
                self.retries += 1
            if self.stop.wait(wait):
                with self.lock:
                    self.busy_at_end += 1
                return conn
            conn = self._fresh(conn, index)  # it sat idle: the server may have closed it
        return conn


def _error_name(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | http.client.RemoteDisconnected):
        return "connection reset/closed"
    return type(exc).__name__


def _seconds(value: str) -> float:
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0


def _server_problems(log: str) -> list[str]:
    pattern = re.compile(r"\[(ERROR|CRITICAL)\]|WORKER TIMEOUT|Traceback|Worker .* was sent")
    return [line for line in log.splitlines() if pattern.search(line)][:50]


def _latency(values: list[float]) -> dict[str, float | None]:
    values = sorted(values)
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": values[-1] if values else None,
    }


def run(
    duration: float = 60,
    connections: int = 50,
    workers: int = 2,
    *,
    seed: int = 0,
    pack_interval: float = PACK_INTERVAL,
    request_timeout: float = REQUEST_TIMEOUT,
    grace: float = GRACE,
    threads: int = 1,
    server: GunicornServer | None = None,
) -> LoadResult:
    """Start gunicorn with ``workers`` (or use ``server``), load it for ``duration`` seconds
    from ``connections`` connections, stop it. Hard limits: ``duration`` <= 10 min, then
    ``grace`` seconds for the requests still running. ``threads`` > 1 runs gunicorn's gthread
    workers (several requests at once per process) instead of the default sync workers."""
    duration = min(max(float(duration), 1.0), MAX_DURATION)
    connections = max(int(connections), 1)
    owned = server is None
    if owned:
        extra = ("--threads", str(threads)) if threads > 1 else ()
        server = GunicornServer(workers=workers, start_timeout=120, extra_args=extra)
        server.start()
    try:
        result = _run(server, duration, connections, seed, pack_interval, request_timeout, grace)
    finally:
        if owned:
            log = server.log_tail(100_000)
            server.stop()
    if owned:
        result.server_problems = _server_problems(log)
    return result


def _run(server, duration, connections, seed, pack_interval, request_timeout, grace):
    load = _Load(server, duration, connections, seed, pack_interval, request_timeout, grace)
    result = LoadResult(duration=duration, connections=connections, workers=server.workers)
    result.cold_start = server.cold_start
    result.memory_before = server.memory()
    result.rss_before = result.rss_peak = result.memory_before.rss
    samples: list[tuple[float, int]] = [(0.0, result.rss_before)]
    load.start = time.monotonic()
    load.end = load.start + duration
    threads = [
        threading.Thread(target=load.connection_loop, args=(i,), name=f"load-{i}", daemon=True)
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    hard_stop = load.end + grace
    while any(t.is_alive() for t in threads) and time.monotonic() < hard_stop:
        time.sleep(SAMPLE_EVERY)
        samples.append((time.monotonic() - load.start, server.memory().rss))
    load.stop.set()
    with load.lock:  # unblock requests still running after the grace period
        stuck = list(load.active.values())
    for conn in stuck:
        if conn.sock is not None:
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)
    for thread in threads:
        thread.join(max(0.0, min(5.0, hard_stop + 5 - time.monotonic())))
    result.elapsed = time.monotonic() - load.start
    result.memory_after = server.memory()
    result.rss_after = result.memory_after.rss
    samples.append((result.elapsed, result.rss_after))
    result.rss_samples = samples
    result.rss_peak = max(rss for _, rss in samples)
    with load.lock:
        result.statuses = {k: dict(sorted(v.items())) for k, v in load.statuses.items()}
        result.errors = {k: dict(v) for k, v in load.errors.items() if v}
        result.latency = {k: _latency(v) for k, v in load.latencies.items()}
        result.retries, result.gave_up = load.retries, load.gave_up
        result.reconnects, result.busy_at_end = load.reconnects, load.busy_at_end
        result.cut_at_stop = load.cut + sum(1 for t in threads if t.is_alive())
        result.examples = {k: list(v) for k, v in load.examples.items() if v}
    return result


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def details(result: LoadResult) -> str:
    """Status counts and latencies per kind, errors, memory: a few aligned lines."""
    statuses = sorted({s for counts in result.statuses.values() for s in counts})
    head = f"  {'kind':<9}{'requests':>9}" + "".join(f"{s:>7}" for s in statuses)
    head += f"{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    lines = [head]
    for kind in KINDS:
        counts = result.statuses.get(kind, {})
        lat = result.latency.get(kind, {})
        errors = sum(result.errors.get(kind, {}).values())
        lines.append(
            f"  {kind:<9}{result.count(kind):>9}"
            + "".join(f"{counts.get(s, 0):>7}" for s in statuses)
            + f"{errors:>8}{_ms(lat.get('p50')):>9}{_ms(lat.get('p95')):>9}"
            + f"{_ms(lat.get('p99')):>9}{_ms(lat.get('max')):>9}"
        )
    totals = result.status_totals
    lines.append(
        f"  {'all':<9}{result.requests:>9}"
        + "".join(f"{totals.get(s, 0):>7}" for s in statuses)
        + f"{result.error_count:>8}"
    )
    lines.append(f"  {result.summary()}")
    if result.cold_start is not None:
        lines.append(f"  cold start {result.cold_start:.2f} s (process start to first 200 on /)")
    if len(result.rss_samples) > 2:
        step = max(1, len(result.rss_samples) // 8)
        trend = {f"{t:.0f}s": rss for t, rss in result.rss_samples[::step]}
        trend[f"{result.rss_samples[-1][0]:.0f}s"] = result.rss_samples[-1][1]
        points = ", ".join(f"{t} {rss / 2**20:.0f}" for t, rss in trend.items())
        lines.append(f"  RSS over time: {points} MiB")
    for label, memory in (("before", result.memory_before), ("after", result.memory_after)):
        if memory is not None:
            lines.append(f"  memory {label}: {memory.describe()}")
    for kind, errors in result.errors.items():
        lines.append(f"  errors of {kind}: {dict(errors)}")
    for label, examples in result.examples.items():
        lines += [f"  {label} example: {e}" for e in examples[:5]]
    if result.server_problems:
        lines.append(f"  gunicorn log problems ({len(result.server_problems)}):")
        lines += [f"    {line[:200]}" for line in result.server_problems[:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 600)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--pack-interval",
        type=float,
        default=PACK_INTERVAL,
        help=f"seconds between briefing packs ({PACK_INTERVAL:g}; 0 = no packs after the first)",
    )
    args = parser.parse_args(argv)
    result = run(
        args.duration,
        args.connections,
        args.workers,
        seed=args.seed,
        threads=args.threads,
        pack_interval=args.pack_interval if args.pack_interval > 0 else MAX_DURATION * 10,
    )
    print(details(result))
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
