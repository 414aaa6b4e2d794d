"""(c) Interaction latency in Chromium: change the peer group until every chart is redrawn.

The change goes in as a user's would (the peer-group dropdown's value, set through Dash's
`dash_clientside.set_props`), then through the URL callback, the server's render_view and
React, until every chart on the page holds the new group's lines; the clock runs inside the
page (performance.now), checked every animation frame. The floor is `Plotly.react` of the same
figures with the data already in the page, timed the same way.
"""

from __future__ import annotations

from benchmarks.common import Row, chromium, local_server, median, percentile

GROUPS = {  # groups small enough to be drawn as lines (larger ones switch to median + range)
    "central_asia": ["UZB", "KGZ", "TJK", "TKM"],
    "south_caucasus": ["ARM", "AZE", "GEO"],
    "eastern_europe": ["RUS", "BLR", "UKR"],
    "wider_neighbours": ["TUR", "CHN", "MNG"],
}
TARGET_RATIO = 1.3  # p95 of the change against p95 of Plotly.react alone, same run

CHANGE = """async ([group, expected, charts]) => {
  const done = () => {
    const graphs = Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot'));
    return graphs.length === charts && graphs.every(gd => {
      const metas = new Set((gd.data || []).map(t => t.meta));
      return gd._fullLayout && expected.every(c => metas.has(c));
    });
  };
  const t0 = performance.now();
  window.dash_clientside.set_props('peer-group', {value: group});
  return await new Promise((resolve, reject) => {
    const check = () => {
      if (done()) return resolve(performance.now() - t0);
      if (performance.now() - t0 > 30000) return reject(new Error('charts not redrawn in 30 s'));
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}"""

SNAPSHOT = """() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).map(
  gd => JSON.parse(JSON.stringify({data: gd.data, layout: gd.layout})))"""

REACT = """async (figures) => {
  const graphs = Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot'));
  const t0 = performance.now();
  await Promise.all(graphs.map((gd, i) => Plotly.react(gd, figures[i].data, figures[i].layout)));
  return await new Promise(resolve => requestAnimationFrame(() => resolve(performance.now() - t0)));
}"""


def run(changes: int = 20, view: str = "governance", charts: int = 6) -> list[Row]:
    from indicators.web.app import create_app

    app = create_app(export_status=lambda: (True, ""))
    names = list(GROUPS)
    with local_server(app) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/{view}")
        page.wait_for_function(
            f"() => document.querySelectorAll('.chart-graph .main-svg').length >= {charts}",
            timeout=60000,
        )
        page.wait_for_load_state("networkidle")
        latencies, snapshots = [], {}
        for i in range(changes + 2):
            group = names[(i + 1) % len(names)]
            ms = page.evaluate(CHANGE, [group, GROUPS[group], charts])
            page.wait_for_load_state("networkidle")
            if i >= 2:  # the first changes load lazy component code
                latencies.append(ms)
            snapshots.setdefault(group, page.evaluate(SNAPSHOT))
        floor = []
        for i in range(changes):
            floor.append(page.evaluate(REACT, snapshots[names[i % len(names)]]))
        context.close()
    p50, p95, f50 = median(latencies), percentile(latencies, 95), median(floor)
    f95 = percentile(floor, 95)
    ratio = p95 / f95 if f95 else float("inf")
    return [
        Row(
            "c",
            f"peer group change, /{view} ({charts} charts), p95",
            p95,
            "ms",
            floor=f95,
            floor_note="Plotly.react p95, data in page",
            target=f"<= {TARGET_RATIO:g}x floor",
            met=ratio <= TARGET_RATIO,
            note=f"{ratio:.2f}x floor; p50 {p50:.0f} ms (floor {f50:.0f} ms), n={len(latencies)}",
        )
    ]
