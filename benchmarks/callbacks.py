"""(b) Server time of the main callbacks, next to the floor: serialising the same response
with the standard library's json alone.

Each callback is POSTed through the Flask test client exactly as the browser sends it, so the
time includes Dash's request handling, the callback, and the response serialisation (but not
the network or compression). `render_view` is timed twice: on a view already drawn since the
data last changed (the usual case: shared links, reloads, other visitors), and with a new peer
group every call, so that nothing can be reused. `update_charts` is what a change of the
view's settings runs (new figures for the charts already on the page), timed with a new state
every call.
"""

from __future__ import annotations

import json
import time

from benchmarks.common import Row, median, percentile
from benchmarks.serve import (
    dependency_item,
    render_view_body,
    render_view_dependency,
    split_output,
)

PATH = "/_dash-update-component"
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
VIEWS = ["/governance", "/economy", "/corruption", "/overview"]
GROUPS = [
    "central_asia",
    "south_caucasus",
    "eastern_europe",
    "wider_neighbours",
    "post_soviet",
    "all_peers",
]
TARGET_RATIO = {"repeat": 2.0, "new": 5.0}  # x json.dumps of the same response


def _client(app):
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    return client, render_view_dependency(deps), update_charts_dependency(deps)


def update_charts_dependency(deps: list[dict]) -> dict:
    """The callback that updates the charts already on the page (a query change on the
    same view: what a user's change of peer group, focus or years runs)."""
    return next(d for d in deps if '"type":"chart-graph"}.figure' in d["output"])


def update_charts_body(dep: dict, view: str, search: str) -> bytes:
    """The body of a URL change on the view already drawn (a link followed, back/forward);
    the controls' values are left unset, so the state is read from the URL alone."""
    from indicators.charts.registry import charts_for_view

    charts = [spec.id for spec in charts_for_view(view.strip("/"))]
    url = {"pathname": view, "search": search}
    body = {
        "output": dep["output"],
        "outputs": split_output(dep["output"], charts),
        "inputs": [
            {**i, "value": url.get(i["property"]) if i["id"] == "url" else None}
            for i in dep["inputs"]
        ],
        "changedPropIds": ["url.search"],
        "state": [dependency_item(d, None, charts) for d in dep.get("state", [])],
    }
    return json.dumps(body, separators=(",", ":")).encode()


def time_calls(client, bodies: list[bytes]) -> tuple[list[float], list[float], list[dict]]:
    """Seconds per POST, seconds to json.dumps each decoded response (the floor), and the
    decoded responses."""
    served, floor, payloads = [], [], []
    for body in bodies:
        start = time.perf_counter()
        response = client.post(PATH, data=body, headers=HEADERS)
        served.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        payload = json.loads(response.data)
        start = time.perf_counter()
        json.dumps(payload)
        floor.append(time.perf_counter() - start)
        payloads.append(payload)
    return served, floor, payloads


def dash_alone(payloads: list[dict]) -> list[float]:
    """Seconds for a bare Dash app to serve each of these responses again: one callback with
    as many outputs, returning the values it is handed. Dash's request handling and
    serialisation of the same values, with none of our work: the part a callback cannot lose."""
    import dash
    from dash import Input, Output, dcc, html

    values = [[v for props in p["response"].values() for v in props.values()] for p in payloads]
    n = max(map(len, values))
    app = dash.Dash(__name__)
    app.layout = html.Div([dcc.Location(id="url"), *[html.Div(id=f"o{i}") for i in range(n)]])

    @app.callback(
        *[Output(f"o{i}", "children") for i in range(n)],
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def echo(_pathname, search):
        answer = values[int(search)]
        return [*answer, *[dash.no_update] * (n - len(answer))]

    client = app.server.test_client()
    dep = client.get("/_dash-dependencies").get_json()[0]
    bodies = [render_view_body(dep, "/", str(i)) for i in range(len(values))]
    return time_calls(client, bodies)[0]


def rows_for(app, calls: int = 50, label: str = "") -> list[Row]:
    client, dep, update = _client(app)
    rows = []
    for view in VIEWS[:2] if label else VIEWS:
        same = [render_view_body(dep, view, "?group=central_asia")] * (calls + 2)
        served, floor, _ = time_calls(client, same)
        served, floor = served[2:], floor[2:]
        rows.append(_row(f"render_view {view}{label}, repeat view", served, floor, len(same) - 2))
        fresh = [
            render_view_body(dep, view, f"?group={GROUPS[i % len(GROUPS)]}&from={1996 + i % 20}")
            for i in range(calls)
        ]
        served, floor, payloads = time_calls(client, fresh)
        rows.append(
            _row(
                f"render_view {view}{label}, new state each call",
                served,
                floor,
                calls,
                dash_alone(payloads),
            )
        )
        if view == "/overview":
            continue
        fresh = [
            update_charts_body(
                dep=update, view=view, search=f"?group={GROUPS[i % 4]}&from={1990 + i}"
            )
            for i in range(calls)
        ]
        served, floor, payloads = time_calls(client, fresh)
        rows.append(
            _row(
                f"update_charts {view}{label}, new state each call",
                served,
                floor,
                calls,
                dash_alone(payloads),
            )
        )
    return rows


def _row(what: str, served: list[float], floor: list[float], n: int, alone=()) -> Row:
    p50, p95, f50 = median(served) * 1e3, percentile(served, 95) * 1e3, median(floor) * 1e3
    ratio = p50 / f50 if f50 else float("inf")
    note = f"p95 {p95:.1f} ms, {ratio:.1f}x floor, n={n}"
    if alone:
        a50 = median(alone) * 1e3
        note += f"; Dash alone serving it {a50:.2f} ms ({a50 / f50:.1f}x floor)"
    target = TARGET_RATIO["repeat" if what.endswith("repeat view") else "new"]
    return Row(
        "b",
        what,
        p50,
        "ms",
        floor=f50,
        floor_note="json.dumps of the response",
        target=f"<= {target:g}x floor",
        met=ratio <= target,
        note=note,
    )


def run(calls: int = 50) -> list[Row]:
    from indicators.web.app import create_app

    app = create_app(export_status=lambda: (True, ""))
    return rows_for(app, calls)
