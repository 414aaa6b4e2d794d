"""Callbacks: thin adapters between components and the pure functions, registered in one place.

The URL is the state of a view. `sync_url` is one circular callback: a URL change (load,
back/forward, shared link) sets the controls; a control change rewrites the URL. `render_view`
draws the page from the URL alone, so reloading a link reproduces the view.
"""

from __future__ import annotations

import math

import flask
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, no_update

from indicators.charts import build_chart, charts_for_view
from indicators.dashboard import layout
from indicators.dashboard.packs import PackJobs
from indicators.dashboard.routes import embed_snippet
from indicators.dashboard.store import DataStore
from indicators.scorecard import key_facts, scorecard
from indicators.viewstate import (
    CUSTOM_GROUP,
    MAX_YEAR,
    MIN_YEAR,
    VIEWS,
    ViewState,
    parse_query,
    peer_members,
    to_query,
)

LARGE_GROUP = 10
CONTROLS = [
    ("focus-country", "value"),
    ("peer-group", "value"),
    ("custom-peers", "value"),
    ("peer-mode", "value"),
    ("year-range", "value"),
    ("show-events", "value"),
    ("cpi-measure", "value"),
    ("wgi-mode", "value"),
    ("fdi-unit", "value"),
    ("highlight-country", "data"),
]

INTROS = {
    "corruption": (
        "Transparency International's CPI. Switch between the score, the rank (inverted, read "
        "against that year's number of countries) and the rank as a percentile. Scores before "
        "2012 are on a 0–10 scale and are drawn as a separate series on the right axis."
    ),
    "governance": (
        "World Bank Worldwide Governance Indicators, 2024 update: percentile ranks of the six "
        "dimensions, with the focus country's 90% interval. WGI revises its history each update."
    ),
    "economy": (
        "Doing Business ranks by edition (discontinued in 2021; not comparable across editions), "
        "FDI net inflows, manufacturing value added and manufactures' share of exports (WDI)."
    ),
}


def view_of(pathname: str | None) -> str:
    name = (pathname or "/").strip("/").split("/")[0]
    return name or "overview"


def state_from_url(bundle, pathname, search):
    codes = set(bundle.frame["iso3"].astype(str)) - set(bundle.countries.aggregates)
    return parse_query(search, view_of(pathname), codes, set(bundle.countries.groups))


def state_from_controls(view, focus, group, peers, mode, years, events, measure, wgi, fdi, hl):
    years = years or [1996, MAX_YEAR]
    return ViewState(
        view=view if view in VIEWS else "overview",
        focus=focus,
        group=group,
        peers=tuple(peers or ()) if group == CUSTOM_GROUP else (),
        peer_mode=mode,
        year_from=int(years[0]),
        year_to=int(years[1]),
        events=bool(events),
        cpi_measure=measure,
        wgi_mode=wgi,
        fdi_unit=fdi,
        highlight=hl or None,
    )


def controls_of(state: ViewState) -> list:
    return [
        state.focus,
        state.group,
        list(state.peers),
        state.peer_mode,
        [state.year_from, state.year_to],
        ["on"] if state.events else [],
        state.cpi_measure,
        state.wgi_mode,
        state.fdi_unit,
        state.highlight,
    ]


def sync_url(bundle, triggered, pathname, search, control_values):
    """Returns [search, *control values, notice children]."""
    if triggered in (None, "url"):
        parsed = state_from_url(bundle, pathname, search)
        canonical = to_query(parsed.state)
        new_search = canonical if parsed.notices and canonical != (search or "") else no_update
        return [new_search, *controls_of(parsed.state), layout.notices(parsed.notices)]
    view = view_of(pathname)
    values = list(control_values)
    if values[1] == CUSTOM_GROUP and not values[2]:
        # an empty custom group has no peers to show yet: keep the URL until one is picked
        return [no_update] * (len(CONTROLS) + 1) + [[]]
    state = state_from_controls(view, *values)
    outputs = [no_update] * len(CONTROLS)
    notice = []
    if triggered == "peer-group" and state.peer_mode == "lines":
        size = len(peer_members(state, bundle.countries.groups))
        if size > LARGE_GROUP:
            # dozens of lines are unreadable: start large groups as median + range
            state = state.with_(peer_mode="aggregate")
            outputs[3] = "aggregate"
            notice = layout.info(
                f"{size} peers: shown as median and range. Choose 'Lines' to see each one."
            )
    return [to_query(state), *outputs, notice]


def render_view(bundle, pathname, search, export_status, errors, base="http://127.0.0.1:8050"):
    parsed = state_from_url(bundle, pathname, search)
    state = parsed.state
    query = to_query(state)
    hrefs = [f"/{v}{query}" for v in VIEWS]
    classes = ["nav-link active" if v == state.view else "nav-link" for v in VIEWS]
    if state.view == "overview":
        content = layout.overview(scorecard(bundle, state), key_facts(bundle, state), state, bundle)
    else:
        charts = [build_chart(spec.id, bundle, state) for spec in charts_for_view(state.view)]
        ok, message = export_status
        snippets = {c.id: embed_snippet(c.id, state, base, title=c.title) for c in charts}
        content = layout.chart_view(charts, state, ok, message, INTROS[state.view], snippets)
    return [content, *hrefs, *classes, layout.data_status(errors)]


def years_from_relayout(relayout: dict | None, current: list[int]):
    """New [from, to] from a chart's zoom event, or None when the event is not an x zoom."""
    if not relayout:
        return None
    if relayout.get("xaxis.autorange"):
        return [1996, MAX_YEAR]
    if "xaxis.range[0]" in relayout and "xaxis.range[1]" in relayout:
        lo, hi = relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]
    elif isinstance(relayout.get("xaxis.range"), list):
        lo, hi = relayout["xaxis.range"]
    else:
        return None
    try:
        lo, hi = math.ceil(float(lo)), math.floor(float(hi))
    except (TypeError, ValueError):
        return None
    lo, hi = max(MIN_YEAR, lo), min(MAX_YEAR, hi)
    if lo > hi:
        return None
    new = [lo, hi]
    return None if new == list(current or []) else new


def base_url() -> str:
    """Root URL of the running app, for permalinks in exports (the request's own host)."""
    try:
        return flask.request.host_url.rstrip("/")
    except RuntimeError:  # outside a request (tests calling functions directly)
        return "http://127.0.0.1:8050"


def register_callbacks(app, store: DataStore, export_status) -> None:
    """Wire every callback of the app. `export_status()` -> (ok, message)."""
    jobs = PackJobs()

    @app.callback(
        Output("url", "search"),
        *[Output(i, p) for i, p in CONTROLS],
        Output("url-notice", "children"),
        Input("url", "pathname"),
        Input("url", "search"),
        *[Input(i, p) for i, p in CONTROLS],
    )
    def _sync_url(pathname, search, *values):
        trigger = ctx.triggered_id
        return sync_url(store.current(), trigger, pathname, search, values)

    @app.callback(
        Output("view-content", "children"),
        *[Output(f"nav-{v}", "href") for v in VIEWS],
        *[Output(f"nav-{v}", "className") for v in VIEWS],
        Output("data-status", "children"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def _render_view(pathname, search):
        bundle = store.current()
        return render_view(bundle, pathname, search, export_status(), store.errors, base_url())

    @app.callback(
        Output("custom-peers-control", "hidden"),
        Output("cpi-measure-control", "hidden"),
        Output("wgi-mode-control", "hidden"),
        Output("fdi-unit-control", "hidden"),
        Input("url", "pathname"),
        Input("peer-group", "value"),
    )
    def _visible_controls(pathname, group):
        view = view_of(pathname)
        return group != CUSTOM_GROUP, view != "corruption", view != "governance", view != "economy"

    @app.callback(
        Output("year-range", "value", allow_duplicate=True),
        Input({"type": "chart-graph", "chart": ALL}, "relayoutData"),
        State("year-range", "value"),
        prevent_initial_call=True,
    )
    def _zoom_sets_years(relayouts, current):
        if not ctx.triggered_id:
            return no_update
        index = [i["id"] for i in ctx.inputs_list[0]].index(ctx.triggered_id)
        new = years_from_relayout(relayouts[index], current)
        return new if new is not None else no_update

    app.clientside_callback(
        ClientsideFunction(namespace="linking", function_name="crosshair"),
        Output("crosshair-sink", "data"),
        Input({"type": "chart-graph", "chart": ALL}, "hoverData"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("pack-job", "data"),
        Output("pack-poll", "disabled"),
        Output("pack-status", "children"),
        Input("pack-button", "n_clicks"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def _start_pack(n_clicks, pathname, search):
        bundle = store.current()
        state = state_from_url(bundle, pathname, search).state
        try:
            key = jobs.start(bundle, state, base_url())
        except Exception as exc:
            return None, True, layout.pack_progress({"error": str(exc)})
        return key, False, layout.pack_progress(jobs.status(key))

    @app.callback(
        Output("pack-download", "data"),
        Output("pack-poll", "disabled", allow_duplicate=True),
        Output("pack-status", "children", allow_duplicate=True),
        Input("pack-poll", "n_intervals"),
        State("pack-job", "data"),
        prevent_initial_call=True,
    )
    def _poll_pack(n_intervals, key):
        status = jobs.status(key)
        if status is None:
            return no_update, True, no_update
        if not status["finished"]:
            return no_update, False, layout.pack_progress(status)
        data = jobs.take(key)
        if status["error"] or data is None:
            return no_update, True, layout.pack_progress(status)
        return dcc.send_bytes(data, status["filename"]), True, layout.pack_progress(status)
