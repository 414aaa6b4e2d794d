"""Throughput of the main callback (render_view) under gunicorn with 2 workers, on loopback.

    python -m benchmarks.throughput [--duration 10] [--connections 16] [--view corruption]
    python -m benchmarks.throughput --queries 400     # every request a view-cache miss
    python -m benchmarks.throughput --profile 200 --view governance   # cProfile, in-process

Target (f): at least 200 requests per second with a p99 latency of at most 50 ms. The load
comes from ``wrk`` (Debian package ``wrk``, installed by ``scripts/install-system-deps.sh``):
2 threads, ``--latency``, a bounded duration, and a Lua script that POSTs the very body the Dash
renderer sends for render_view (built from the server's own ``/_dash-dependencies``). By default
the script cycles through the four views; ``--view`` pins one.

``run()`` returns a dict; when wrk is missing it returns the same keys with ``None`` values and
an ``error`` saying how to install it, so callers can print it instead of crashing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/throughput.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import (
    CALLBACK_HEADERS,
    CALLBACK_PATH,
    GunicornServer,
    fetch_render_view_dependency,
    render_view_body,
    render_view_dependency,
)

TARGET_RPS = 200.0
TARGET_P99_MS = 50.0
DEFAULT_DURATION = 10.0
DEFAULT_CONNECTIONS = 16
THREADS = 2
WORKERS = 2
WARMUP = 2.0  # seconds of the same load first, not measured (imports, caches, first renders)
MAX_DURATION = 600.0
QUERY = "?focus=UZB&group=south_caucasus"
_FOCUS = ("UZB", "KAZ", "KGZ", "TJK", "TKM", "ARM", "AZE", "GEO", "RUS", "BLR", "UKR", "TUR")
VIEWS = ("overview", "corruption", "governance", "economy")
INSTALL_HINT = (
    "wrk is not installed: run `bash scripts/install-system-deps.sh` "
    "(or `sudo apt-get install wrk`), then try again."
)

_LUA = """-- POST the render_view callback bodies in turn (written by benchmarks/throughput.py)
local bodies = {
%(bodies)s
}
local headers = {
%(headers)s
}
local n = 0
statuses = {}  -- global: done() reads it from each thread

function request()
  n = n %% #bodies + 1
  return wrk.format("POST", "%(path)s", headers, bodies[n])
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      total[status] = (total[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, status .. "=" .. count)
  end
  io.write("STATUS " .. table.concat(parts, ",") .. "\\n")
  io.write(string.format("LATENCY_US p50=%%d p90=%%d p99=%%d max=%%d\\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def distinct_queries(n: int) -> list[str]:
    """``n`` different valid view queries (focus x first year), the first being QUERY."""
    out = [QUERY]
    for i in range(n - 1):
        focus, year = _FOCUS[i % len(_FOCUS)], 1996 + (i // len(_FOCUS)) % 25
        out.append(f"?focus={focus}&group=south_caucasus&from={year}")
    return out[: max(n, 1)]


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(bodies: list[bytes], path: str = CALLBACK_PATH) -> str:
    return _LUA % {
        "bodies": ",\n".join("  " + _lua_string(b.decode()) for b in bodies),
        "headers": ",\n".join(f'  ["{k}"] = "{v}"' for k, v in CALLBACK_HEADERS.items()),
        "path": path,
    }


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    """wrk's '850.00us', '12.34ms', '1.20s', '2.00m' -> milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests/sec, latency percentiles (ms), request count, non-2xx and socket errors."""
    out: dict = {"non_2xx": 0, "socket_errors": 0, "statuses": {}}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        out["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in ([\d.]+\w+)", output):
        out["requests"] = int(m.group(1))
        out["seconds"] = _ms(m.group(2)) / 1000
    for pct in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{pct}%\s+([\d.]+\w+)\s*$", output, re.M):
            out[f"p{pct}"] = _ms(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        out["non_2xx"] = int(m.group(1))
    if m := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        out["socket_errors"] = sum(int(g) for g in m.groups())
        out["timeouts"] = int(m.group(4))
    if m := re.search(r"^STATUS (.*)$", output, re.M):
        pairs = (p.split("=") for p in m.group(1).split(",") if "=" in p)
        out["statuses"] = {int(k): int(v) for k, v in pairs}
        # wrk counts 3xx as fine; the brief counts anything outside 2xx
        out["non_2xx"] = sum(v for k, v in out["statuses"].items() if not 200 <= k < 300)
    if m := re.search(r"^LATENCY_US p50=(\d+) p90=(\d+) p99=(\d+) max=(\d+)", output, re.M):
        out["p50"], out["p90"], out["p99"], out["max"] = (int(g) / 1000 for g in m.groups())
    return out


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _wrk(url: str, script: Path, duration: float, connections: int, threads: int) -> str:
    cmd = [
        wrk_path() or "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=10s",
        "--latency",
        f"--script={script}",
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return done.stdout


def _empty(duration: float, connections: int, workers: int, error: str) -> dict:
    return {
        "rps": None,
        "p50": None,
        "p99": None,
        "non_2xx": None,
        "requests": None,
        "socket_errors": None,
        "duration": duration,
        "connections": connections,
        "workers": workers,
        "cold_start": None,
        "meets_target": None,
        "error": error,
    }


def run(
    duration: float = DEFAULT_DURATION,
    connections: int = DEFAULT_CONNECTIONS,
    *,
    workers: int = WORKERS,
    threads: int = THREADS,
    views: tuple[str, ...] = VIEWS,
    query: str = QUERY,
    queries: int = 1,
    warmup: float = WARMUP,
    server: GunicornServer | None = None,
) -> dict:
    """Load render_view with wrk for ``duration`` seconds; latencies in milliseconds.

    Keys: rps, p50, p90, p99, max, non_2xx, requests, socket_errors, statuses, duration,
    connections, workers, cold_start, meets_target, error (None unless the run was skipped),
    wrk_output. ``queries`` > 1 cycles through that many different queries per view (e.g.
    400 x 4 views, more than the app's view cache holds: every request is drawn afresh);
    the default repeats one query, as reloads and shared links do.
    ``server``: an already running GunicornServer to use instead of a new one.
    """
    duration = min(max(float(duration), 1.0), MAX_DURATION)
    connections = max(int(connections), 1)
    if wrk_path() is None:
        return _empty(duration, connections, workers, INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
        owned = server is None
        if owned:
            server = GunicornServer(workers=workers)
            server.start()
        try:
            dependency = fetch_render_view_dependency(server)
            searches = [query] if queries <= 1 else distinct_queries(queries)
            bodies = [render_view_body(dependency, f"/{v}", q) for q in searches for v in views]
            for i, body in enumerate(bodies):
                Path(tmp, f"body-{i}.json").write_bytes(body)
            script = Path(tmp, "render_view.lua")
            script.write_text(lua_script(bodies), encoding="utf-8")
            url = server.base_url + CALLBACK_PATH
            if warmup > 0:
                _wrk(url, script, warmup, connections, threads)
            output = _wrk(url, script, duration, connections, threads)
        finally:
            if owned:
                server.stop()
    result = {
        **_empty(duration, connections, server.workers, None),
        **parse_wrk(output),
        "cold_start": server.cold_start,
        "views": list(views),
        "queries": max(queries, 1),
        "wrk_output": output,
    }
    if result.get("rps") is not None and result.get("p99") is not None:
        result["meets_target"] = (
            result["rps"] >= TARGET_RPS
            and result["p99"] <= TARGET_P99_MS
            and result["non_2xx"] == 0
            and result["socket_errors"] == 0
        )
    return result


def profile(
    view: str = "governance", n: int = 200, query: str = QUERY, top: int = 25, queries: int = 1
) -> str:
    """cProfile of ``n`` render_view POSTs through the Flask test client (no server, no
    network): where a callback's time goes. ``queries`` = 1 sends the same POST every time
    (answered from the app's view cache after the first); more cycles through that many
    different queries (``queries`` > 256 makes every request a cache miss). Returns the report
    (cumulative order, the app's own code and serialisation only)."""
    import cProfile
    import io
    import pstats
    import time

    from indicators.web.app import create_app

    client = create_app().server.test_client()
    dependency = render_view_dependency(client.get("/_dash-dependencies").get_json())
    searches = [query] if queries <= 1 else distinct_queries(queries)
    bodies = [render_view_body(dependency, f"/{view}", q) for q in searches]

    def post(i: int):
        body = bodies[i % len(bodies)]
        response = client.post(CALLBACK_PATH, data=body, headers=CALLBACK_HEADERS)
        if response.status_code != 200:
            raise RuntimeError(f"render_view answered HTTP {response.status_code}")
        return response

    for i in range(5):  # lazy imports, first figures
        post(i)
    timings = []
    for i in range(min(n, 50)):
        t0 = time.perf_counter()
        post(5 + i)
        timings.append(time.perf_counter() - t0)
    timings.sort()
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        response = post(55 + i)
    profiler.disable()
    out = io.StringIO()
    out.write(
        f"render_view /{view} x {len(bodies)} queries: median "
        f"{timings[len(timings) // 2] * 1000:.1f} ms per request unprofiled "
        f"({len(response.data)} bytes {response.content_encoding or 'raw'})\n"
    )
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"indicators|flask_compress|json|plotly|dash", top)
    stats.sort_stats("tottime").print_stats(top // 2)  # own time, any library
    return out.getvalue()


def summary_line(r: dict) -> str:
    if r.get("error"):
        return f"render_view throughput: skipped. {r['error']}"
    verdict = "meets" if r["meets_target"] else "MISSES"
    bodies = f"{len(r['views'])} views x {r['queries']} queries"
    return (
        f"render_view under gunicorn ({r['workers']} workers, {r['connections']} connections, "
        f"{bodies}, {r['duration']:.0f} s): {r['rps']:.1f} req/s, p50 {r['p50']:.1f} ms, "
        f"p99 {r['p99']:.1f} ms, non-2xx {r['non_2xx']}, socket errors {r['socket_errors']}; "
        f"{verdict} target >= {TARGET_RPS:.0f} req/s, p99 <= {TARGET_P99_MS:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=DEFAULT_DURATION, help="seconds")
    parser.add_argument("--connections", type=int, default=DEFAULT_CONNECTIONS)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--view", choices=VIEWS, help="load one view only (default: all four)")
    parser.add_argument(
        "--queries",
        type=int,
        default=1,
        help="distinct queries per view, cycled (default 1; 400 defeats the app's view cache)",
    )
    parser.add_argument("--verbose", action="store_true", help="also print wrk's own output")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead: cProfile N render_view POSTs (of --view, default governance) in-process",
    )
    args = parser.parse_args(argv)
    if args.profile:
        print(profile(args.view or "governance", args.profile, queries=args.queries))
        return 0
    result = run(
        args.duration,
        args.connections,
        workers=args.workers,
        views=(args.view,) if args.view else VIEWS,
        queries=args.queries,
    )
    if args.verbose and result.get("wrk_output"):
        print(result["wrk_output"].rstrip())
    print(summary_line(result))
    return 2 if result.get("error") else 0


if __name__ == "__main__":
    sys.exit(main())
