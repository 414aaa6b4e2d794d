"""(a) Page weight of the first load of each view, as transferred (compressed), in Chromium.

The floor is OWID's 800 kB JavaScript budget. The server is warmed first (one visit per view,
then the background recompression of static files is awaited), so the figures are what a new
visitor gets from a server that has been up for a while; each visit uses a fresh browser
context, so nothing comes from the browser's cache.
"""

from __future__ import annotations

import time

from benchmarks.common import Row, chromium, local_server

BUDGET = 800_000
VIEWS = {"overview": 0, "corruption": 1, "governance": 6, "economy": 5}


def visit(browser, url: str, charts: int) -> dict:
    context = browser.new_context()
    page = context.new_page()
    sizes: list[tuple[str, int, str]] = []

    def record(response):
        try:
            info = response.request.sizes()
        except Exception:  # a response without a body (redirects, aborted)
            return
        kind = response.request.resource_type
        sizes.append((response.url, info["responseBodySize"] + info["responseHeadersSize"], kind))

    page.on("response", record)
    start = time.perf_counter()
    page.goto(url)
    if charts:
        page.wait_for_function(
            f"() => document.querySelectorAll('.chart-graph .main-svg').length >= {charts}",
            timeout=60000,
        )
    else:
        page.wait_for_selector("#scorecard", timeout=60000)
    page.wait_for_load_state("networkidle")
    elapsed = time.perf_counter() - start
    context.close()
    return {
        "bytes": sum(s for _, s, _ in sizes),
        "script_bytes": sum(s for _, s, k in sizes if k == "script"),
        "requests": len(sizes),
        "seconds": elapsed,
        "largest": max(sizes, key=lambda s: s[1]),
    }


def run(views: dict[str, int] = VIEWS) -> list[Row]:
    from indicators.web.app import create_app

    app = create_app(export_status=lambda: (True, ""))
    rows = []
    with local_server(app) as base, chromium() as browser:
        for view, charts in views.items():
            visit(browser, f"{base}/{view}", charts)
        app.server.extensions["compressed_static"].wait()
        for view, charts in views.items():
            r = visit(browser, f"{base}/{view}", charts)
            rows.append(
                Row(
                    "a",
                    f"first load /{view}",
                    r["bytes"] / 1000,
                    "kB",
                    floor=BUDGET / 1000,
                    floor_note="OWID's JavaScript budget",
                    target="<= 800 kB",
                    met=r["bytes"] <= BUDGET,
                    note=f"scripts {r['script_bytes'] / 1000:.0f} kB, {r['requests']} requests, "
                    f"ready in {r['seconds']:.2f} s",
                )
            )
    return rows
