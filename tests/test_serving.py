"""The app under gunicorn: start, serve, stop cleanly; a short locust run without failures."""

import json

from benchmarks.serve import GunicornServer, is_alive, render_view_dependency, split_output
from benchmarks.throughput import parse_wrk
from reliability.load import LoadResult, read_stats, run


def test_gunicorn_serves_home_page_then_stops_leaving_no_process_behind():
    with GunicornServer(workers=1) as server:
        assert server.cold_start is not None and 0 < server.cold_start < 60
        status, body = server.get("/")
        assert status == 200 and b"react-entry-point" in body
        status, png = server.get("/export/cpi.png?focus=UZB")  # starts the worker's Chromium
        assert status == 200 and png.startswith(b"\x89PNG")
        memory = server.memory()
        kinds = memory.count_by_kind
        assert kinds["master"] == 1 and kinds["worker"] == 1 and kinds.get("browser", 0) >= 1
        assert memory.rss > 100 * 2**20
        pids = {pid: server._known.get(pid) for pid in server.all_pids()}
        assert server.pid in pids and len(pids) >= 3
    assert server.all_pids() == []
    assert not [pid for pid, started in pids.items() if is_alive(pid, started)]


def test_short_locust_run_has_no_failures_and_reads_memory():
    result = run(duration=10, users={"MixedUser": 4}, workers=1)
    assert result.exit_code == 0 and not result.errors, result.errors
    assert result.failures == 0
    assert result.requests >= 4, result.stats
    assert all(s.p50 is not None for s in result.stats.values())
    assert len(result.memory_after.workers_rss) == 1
    assert result.memory_after.workers_rss[0] > 50 * 2**20


def test_locust_statistics_are_read_with_busy_answers_apart(tmp_path):
    entry = {"method": "GET", "name": "export png", "num_requests": 10, "num_failures": 1}
    entry |= {"max_response_time": 900.0, "response_times": {"100": 5, "120": 4, "900": 1}}
    busy = {"method": "BUSY", "name": "export png 429", "num_requests": 4, "num_failures": 0}
    gave_up = {"method": "GAVE_UP", "name": "export png", "num_requests": 1, "num_failures": 1}
    (tmp_path / "run.json").write_text(json.dumps([entry, busy, gave_up]))
    result = LoadResult(duration=1, users={})
    read_stats(str(tmp_path / "run"), result)
    stat = result.stats["export png"]
    assert (stat.p50, stat.p95, stat.max, stat.failures) == (100, 900, 900, 1)
    assert result.busy == {"export png 429": 4} and result.gave_up == 1
    assert result.requests == 14 and result.failures == 2


def test_render_view_request_is_built_from_the_dash_dependencies():
    deps = [
        {"output": "url.search", "inputs": []},
        {
            "output": "..view-content.children...nav-overview.href..",
            "inputs": [
                {"id": "url", "property": "pathname"},
                {"id": "url", "property": "search"},
            ],
        },
    ]
    dep = render_view_dependency(deps)
    assert split_output(dep["output"]) == [
        {"id": "view-content", "property": "children"},
        {"id": "nav-overview", "property": "href"},
    ]


def test_wrk_output_is_read_as_requests_per_second_and_milliseconds():
    output = """Running 10s test @ http://127.0.0.1:1/_dash-update-component
  Latency Distribution
     50%  583.68ms
     75%  693.21ms
     90%    1.10s
     99%  850.00us
  232 requests in 10.04s, 2.31MB read
  Non-2xx or 3xx responses: 3
Requests/sec:     23.10
STATUS 200=229,500=3
"""
    r = parse_wrk(output)
    assert r["rps"] == 23.10 and r["requests"] == 232
    assert r["p50"] == 583.68 and r["p90"] == 1100.0 and r["p99"] == 0.85
    assert r["non_2xx"] == 3 and r["statuses"] == {200: 229, 500: 3}
