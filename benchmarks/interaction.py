"""(c) Interaction latency in Chromium: change the peer group until every chart is redrawn.

The change goes in as a user's would (the peer-group dropdown's value, set through Dash's
`dash_clientside.set_props`), then through the URL callback, the server's render_view and
React, until every chart on the page holds the new group's lines; the clock runs inside the
page (performance.now), checked every animation frame. The floor is `Plotly.react` of the same
figures with the data already in the page, timed the same way.

Beside it, the same changes on a bare Dash app: one dropdown, the same figures in as many
dcc.Graphs, and one callback that returns them. What Dash itself adds to Plotly.react, with
none of our page around it: how near to the floor a Dash page can come on this machine.
"""

from __future__ import annotations

from benchmarks.common import ROOT, Row, chromium, local_server, median, percentile

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
        floor = [page.evaluate(REACT, snapshots[names[i % len(names)]]) for i in range(changes)]
        context.close()
    bare, bare_floor = dash_alone(snapshots, changes, charts)
    p50, p95, f50 = median(latencies), percentile(latencies, 95), median(floor)
    f95 = percentile(floor, 95)
    ratio = p95 / f95 if f95 else float("inf")
    b95, bf95 = percentile(bare, 95), percentile(bare_floor, 95)
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
            note=(
                f"{ratio:.2f}x floor; p50 {p50:.0f} ms (floor {f50:.0f} ms), n={len(latencies)}; "
                f"bare Dash app with the same figures: p95 {b95:.0f} ms, {b95 / bf95:.2f}x its "
                f"Plotly.react p95 {bf95:.0f} ms, p50 {median(bare):.0f} ms"
            ),
        )
    ]


def _height(figure: dict) -> dict:
    """The graph's box as our page sizes it (dcc.Graph's own default is 450 px)."""
    height = figure["layout"].get("height")
    return {"height": f"{height}px"} if height else {}


def dash_alone(snapshots: dict, changes: int, charts: int) -> tuple[list[float], list[float]]:
    """Milliseconds per change of a bare Dash app that shows these figures (snapshots: group ->
    one figure per chart) in as many dcc.Graphs, switched by a dropdown through one callback;
    and of Plotly.react of the same figures in its page."""
    import dash
    from dash import Input, Output, dcc, html

    from indicators.render.figure import CONFIG

    names = list(snapshots)
    first = snapshots[names[0]]
    app = dash.Dash(__name__, assets_folder=str(ROOT / "benchmarks" / "no-assets"))
    app.layout = html.Div(
        [
            dcc.Dropdown(id="peer-group", options=names, value=names[0]),
            *[
                html.Div(
                    dcc.Graph(id=f"g{i}", figure=figure, config=CONFIG, style=_height(figure)),
                    className="chart-graph",
                )
                for i, figure in enumerate(first)
            ],
        ]
    )

    @app.callback(
        *[Output(f"g{i}", "figure") for i in range(charts)],
        Input("peer-group", "value"),
        prevent_initial_call=True,
    )
    def show(group):
        return snapshots[group]

    with local_server(app) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(base)
        page.wait_for_function(
            f"() => document.querySelectorAll('.chart-graph .main-svg').length >= {charts}",
            timeout=60000,
        )
        page.wait_for_load_state("networkidle")
        latencies = []
        for i in range(changes + 2):
            group = names[(i + 1) % len(names)]
            ms = page.evaluate(CHANGE, [group, GROUPS[group], charts])
            page.wait_for_load_state("networkidle")
            if i >= 2:
                latencies.append(ms)
        floor = [page.evaluate(REACT, snapshots[names[i % len(names)]]) for i in range(changes)]
        context.close()
    return latencies, floor
