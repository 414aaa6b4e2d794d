"""Callbacks: thin adapters between components and the pure functions, registered in one place.

The URL is the state of a view. `sync_url` is one circular callback: a URL change (load,
back/forward, shared link) sets the controls; a control change rewrites the URL. The same
callback redraws the charts already on the page for the new state, so a change of settings
costs one round trip, not one to write the URL and another to draw it. `render_view` draws
the page from the URL alone (or only its navigation when the charts were updated in place),
so reloading a link reproduces the view.

Every pure function here accepts whatever a client may post as a component's value (numbers,
dicts, nested lists, null, huge lists, long strings): values of the wrong type or outside
their range are dropped, the view falls back to its defaults and a notice says what was
ignored; nothing raises.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from types import SimpleNamespace
from urllib.parse import urlencode

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, no_update

from indicators.charts.registry import charts_for_view
from indicators.charts.scorecard import key_facts, scorecard
from indicators.exports.pack import pack_chart_ids
from indicators.render.chart import build_chart
from indicators.view.params import (
    BY_NAME,
    CUSTOM_GROUP,
    MAX_CUSTOM_PEERS,
    MAX_YEAR,
    MIN_YEAR,
    VIEWS,
    Control,
    controls,
    params_of,
)
from indicators.view.state import (
    MAX_QUERY_CHARS,
    ParsedState,
    ViewState,
    peer_members,
    read_view,
    to_query,
)
from indicators.web import layout, map_view
from indicators.web.links import public_base_url
from indicators.web.routes import embed_snippet, pack_url
from indicators.web.store import DataStore
from indicators.web.summary_view import summary_json
from indicators.web.viewcache import ViewCache

LARGE_GROUP = 10
CONTROLS = [(c.id, c.prop) for c in controls()]
# controls shown only on some views: (control id, views); the custom-peers picker follows the group
VIEW_CONTROLS = [
    (c.id, {v for p in params_of(c) for v in p.views})
    for c in controls()
    if c.kind != "store" and set(VIEWS) - {v for p in params_of(c) for v in p.views}
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


def view_of(pathname: object) -> str:
    """The view named by the first segment of a path; anything but text is the overview."""
    if not isinstance(pathname, str):
        return "overview"
    name = pathname.strip("/").split("/")[0]
    return name or "overview"


def state_from_url(bundle, pathname, search) -> ParsedState:
    """The state a URL shows. One change of settings reads its URL three times (to sync the
    controls, to key the cache, to draw), so recent readings are kept, per data load."""
    view = view_of(pathname)
    if not isinstance(search, str | None) or len(search or "") > MAX_QUERY_CHARS:
        return read_view(bundle, view, search)
    key = (view, search)
    with _READ_LOCK:
        if _READ.bundle is not bundle:  # a data reload: readings of the old data go with it
            _READ.bundle, _READ.items = bundle, OrderedDict()
        if key in _READ.items:
            return _READ.items[key]
    parsed = read_view(bundle, view, search)
    with _READ_LOCK:
        if _READ.bundle is bundle:
            _READ.items[key] = parsed
            while len(_READ.items) > READ_CACHE:
                _READ.items.popitem(last=False)
    return parsed


READ_CACHE = 256
_READ = SimpleNamespace(bundle=None, items=OrderedDict())  # readings of one data load
_READ_LOCK = threading.Lock()


def _year(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def _control_params(control: Control, value: object) -> tuple[list, list[str]]:
    """URL parameters from one control's value, or a notice when its type is wrong."""
    params = params_of(control)
    key = params[0].url_key
    wrong = [f"Ignored the {control.label.lower() or key} setting: expected {{}}."]
    if control.kind == "range":
        pair = [_year(y) for y in value] if isinstance(value, list | tuple) else []
        if len(pair) == 2 and None not in pair:
            return [(p.url_key, str(y)) for p, y in zip(params, pair, strict=True)], []
        return [], [wrong[0].format("two years")] if value is not None else []
    if control.kind == "slider":
        year = _year(value)
        if year is not None:
            return [(key, str(year))], []
        return [], [wrong[0].format("a year")] if value is not None else []
    if control.kind == "switch":
        if isinstance(value, list | tuple) or value is None:
            return [(key, "1" if value and "on" in value else "0")], []
        return [], [wrong[0].format("a list")]
    if control.kind == "multi":
        if isinstance(value, list | tuple):
            codes = [p for p in value[: MAX_CUSTOM_PEERS * 5] if isinstance(p, str)]
            notices = []
            if len(codes) < min(len(value), MAX_CUSTOM_PEERS * 5):
                notices.append("Ignored custom peers that are not country codes.")
            return [(key, ",".join(dict.fromkeys(c[:40] for c in codes)))], notices
        return [], [wrong[0].format("a list of countries")] if value is not None else []
    if isinstance(value, str):
        return ([(key, value)] if value or control.kind != "store" else []), []
    return [], [wrong[0].format("text")] if value is not None else []


def control_params(*values) -> tuple[list[tuple[str, str]], list[str]]:
    """The controls' values (in CONTROLS order) as URL parameters, and notices for values of
    the wrong type. The parameters are then read by `parse_query` like any link, so a
    control can never set a value a URL could not."""
    params: list[tuple[str, str]] = []
    notices: list[str] = []
    values = (list(values) + [None] * len(CONTROLS))[: len(CONTROLS)]
    for control, value in zip(controls(), values, strict=True):
        if control.id == "custom-peers" and values[_GROUP] != CUSTOM_GROUP:
            continue  # custom peers count only when the custom group is chosen
        p, n = _control_params(control, value)
        params += p
        notices += n
    return params, notices


def state_from_controls(bundle, view, *values) -> ParsedState:
    """The state the controls show, validated exactly as a link would be."""
    params, notices = control_params(*values)
    view = view if view in VIEWS else "overview"
    parsed = read_view(bundle, view, urlencode(params))
    return ParsedState(parsed.state, (*notices, *parsed.notices))


def _control_value(control: Control, state: ViewState):
    values = [getattr(state, p.name) for p in params_of(control)]
    if control.kind == "range":
        return values
    if control.kind == "switch":
        return ["on"] if values[0] else []
    if control.kind == "multi":
        return list(values[0])
    return values[0]


def controls_of(state: ViewState) -> list:
    return [_control_value(c, state) for c in controls()]


_GROUP = [c.id for c in controls()].index("peer-group")
# what a change of settings updates in place on a chart view, in chart_updates' order:
# (id type, property) of a component in each chart's card
UPDATED = [
    ("chart-graph", "figure"),
    ("chart-graph", "style"),
    ("chart-details", "data-details"),
    ("chart-table", "data-table"),
    ("chart-summary", "data-summary"),
]
CHART_OUTPUTS = [Output({"type": kind, "chart": ALL}, prop) for kind, prop in UPDATED]
_PEER_MODE = [c.id for c in controls()].index("peer-mode")


def sync_url(bundle, triggered, pathname, search, control_values):
    """Returns [search, *control values, notice children]."""
    if triggered in (None, "url"):
        parsed = state_from_url(bundle, pathname, search)
        canonical = to_query(parsed.state)
        new_search = canonical if parsed.notices and canonical != (search or "") else no_update
        return [new_search, *controls_of(parsed.state), layout.notices(parsed.notices)]
    view = view_of(pathname)
    values = list(control_values) if isinstance(control_values, list | tuple) else []
    values = (values + [None] * len(CONTROLS))[: len(CONTROLS)]
    if values[_GROUP] == CUSTOM_GROUP and not values[_GROUP + 1]:
        # an empty custom group has no peers to show yet: keep the URL until one is picked
        return [no_update] * (len(CONTROLS) + 1) + [[]]
    parsed = state_from_controls(bundle, view, *values)
    state = parsed.state
    outputs = [no_update] * len(CONTROLS)
    notice = layout.notices(parsed.notices)
    if triggered == "peer-group" and state.peer_mode == "lines":
        size = len(peer_members(state, bundle.countries.groups))
        if size > LARGE_GROUP:
            # dozens of lines are unreadable: start large groups as median + range
            state = state.with_(peer_mode="aggregate")
            outputs[_PEER_MODE] = "aggregate"
            notice = layout.info(
                f"{size} peers: shown as median and range. Choose 'Lines' to see each one."
            )
    return [to_query(state), *outputs, notice]


def _nav(state: ViewState) -> list:
    """Links that follow the view: the navigation (with this view's settings) and the pack."""
    query = to_query(state)
    hrefs = [f"/{v}{query}" for v in VIEWS]
    classes = ["nav-link active" if v == state.view else "nav-link" for v in VIEWS]
    n = len(pack_chart_ids(state))
    pack = f"{n} charts as PNG and SVG, their data (CSV), sources, alt text and a PPTX deck"
    return [*hrefs, *classes, pack_url(state), pack]


def _charts_of(bundle, state: ViewState, base: str):
    charts = [build_chart(spec.id, bundle, state) for spec in charts_for_view(state.view)]
    snippets = {c.id: embed_snippet(c.id, state, base, title=c.title) for c in charts}
    return charts, snippets


def render_view(bundle, pathname, search, export_status, errors, base=""):
    state = state_from_url(bundle, pathname, search).state
    if state.view == "map":
        content = map_view.map_page(map_view.map_parts(bundle, state), state)
    elif state.view == "overview":
        content = layout.overview(scorecard(bundle, state), key_facts(bundle, state), state, bundle)
    else:
        charts, snippets = _charts_of(bundle, state, base)
        ok, message = export_status
        content = layout.chart_view(charts, state, ok, message, INTROS[state.view], snippets)
    return [content, *_nav(state), layout.data_status(errors)]


def nav_only(bundle, pathname, search, errors) -> list:
    """render_view's outputs when the charts on the page are updated in place instead."""
    state = state_from_url(bundle, pathname, search).state
    return [no_update, *_nav(state), layout.data_status(errors)]


def chart_updates(bundle, pathname, search, export_status, base, chart_ids) -> list | None:
    """A list per UPDATED output: its value for each chart on the page, in their order (a
    chart without that component, such as the map without a summary, has None), or None when
    the page holds another view's charts (render_view then draws the new view whole)."""
    state = state_from_url(bundle, pathname, search).state
    if state.view == "map":
        if list(chart_ids) != [map_view.MAP_ID]:
            return None
        figure, style, details, table = map_view.map_updates(
            map_view.map_parts(bundle, state), state
        )
        out = {
            ("chart-graph", "figure"): figure,
            ("chart-graph", "style"): style,
            ("chart-details", "data-details"): details,
            ("chart-table", "data-table"): table,
        }
        return [out.get(o, [None]) for o in UPDATED]
    expected = [spec.id for spec in charts_for_view(state.view)] if state.view in INTROS else []
    if not expected or list(chart_ids) != expected:
        return None
    charts, snippets = _charts_of(bundle, state, base)
    ok, message = export_status
    out = {
        ("chart-graph", "figure"): [c.figure for c in charts],
        ("chart-graph", "style"): [layout.graph_style(c) for c in charts],
        ("chart-details", "data-details"): [
            layout.chart_details(c, state, ok, message, snippets[c.id]) for c in charts
        ],
        ("chart-table", "data-table"): [
            layout.table_json(c.id, layout.table_summary(c), state) for c in charts
        ],
        ("chart-summary", "data-summary"): [summary_json(c, state) for c in charts],
    }
    return [out[o] for o in UPDATED]


def placed(values: list, chart_ids: list, outputs: list[list[dict]]) -> list:
    """chart_updates' values (for the charts in `chart_ids`) for the outputs on the page
    (Dash's outputs_list: each chart's components of each output), no_update where a card
    has no such component (the map has no summary)."""
    index = {c: i for i, c in enumerate(chart_ids)}
    return [
        [
            each[index[c]] if c in index and each[index[c]] is not None else no_update
            for c in (item["id"].get("chart") for item in items)
        ]
        for each, items in zip(values, outputs, strict=True)
    ]


def keeps_charts(triggered: set[str], rendered: object, view: str) -> bool:
    """Whether a URL change can update the charts already drawn (only the query changed, on
    the chart view already shown) rather than redraw the view."""
    return triggered == {"url.search"} and rendered == view and view in (*INTROS, "map")


def render_key(bundle, pathname: object, search: object) -> tuple[str, str]:
    """What of the URL decides `render_view`'s output, as a hashable key of bounded size:
    the view shown and the state read, written back as its canonical query (so two links to
    one view share a cache entry; a path or query that is not text, an unknown page or a query
    too long to be read render like none)."""
    parsed = state_from_url(bundle, pathname, search)
    return parsed.state.view, to_query(parsed.state)


def _bound(value: object) -> float | None:
    """A finite number from a zoom event's range end (plotly sends numbers or text)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str) and len(value) > 40:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def years_from_relayout(relayout: dict | None, current: list[int]):
    """New [from, to] from a chart's zoom event, or None when the event is not an x zoom
    (or is not a zoom event at all: anything but a dict of finite numbers is ignored)."""
    if not relayout or not isinstance(relayout, dict):
        return None
    if relayout.get("xaxis.autorange") is True:
        return [BY_NAME["year_from"].default, BY_NAME["year_to"].default]
    if "xaxis.range[0]" in relayout and "xaxis.range[1]" in relayout:
        lo, hi = relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]
    elif isinstance(relayout.get("xaxis.range"), list) and len(relayout["xaxis.range"]) == 2:
        lo, hi = relayout["xaxis.range"]
    else:
        return None
    lo, hi = _bound(lo), _bound(hi)
    if lo is None or hi is None:
        return None
    lo, hi = max(MIN_YEAR, math.ceil(lo)), min(MAX_YEAR, math.floor(hi))
    if lo > hi:
        return None
    new = [lo, hi]
    return None if isinstance(current, list) and new == current else new


def zoom_years(triggered_id, inputs, relayouts, current):
    """[from, to] for the chart whose zoom triggered the callback, else None.

    `inputs` is the callback's list of chart inputs (dicts with an "id"), `relayouts` their
    relayoutData in the same order; a trigger that is not one of them is ignored.
    """
    if not triggered_id or not isinstance(inputs, list) or not isinstance(relayouts, list):
        return None
    ids = [i.get("id") if isinstance(i, dict) else None for i in inputs]
    if triggered_id not in ids:
        return None
    index = ids.index(triggered_id)
    if index >= len(relayouts):
        return None
    return years_from_relayout(relayouts[index], current)


def register_callbacks(app, store: DataStore, export_status) -> None:
    """Wire every callback of the app. `export_status()` -> (ok, message)."""
    views = ViewCache()

    @app.callback(
        Output("url", "search"),
        *[Output(i, p) for i, p in CONTROLS],
        Output("url-notice", "children"),
        *CHART_OUTPUTS,
        Input("url", "pathname"),
        Input("url", "search"),
        *[Input(i, p) for i, p in CONTROLS],
    )
    def _sync_view(pathname, search, *values):
        bundle = store.current()
        synced = sync_url(bundle, ctx.triggered_id, pathname, search, values[: len(CONTROLS)])
        lists = ctx.outputs_list[len(synced) :]
        ids = tuple(str(o["id"].get("chart")) for o in lists[0])
        unchanged = [[no_update] * len(each) for each in lists]  # a list per pattern output
        from_url = ctx.triggered_id in (None, "url")
        if not ids or (synced[0] is no_update and not from_url):
            return [*synced, *unchanged]
        new_search = search if synced[0] is no_update else synced[0]
        status, base = export_status(), public_base_url()
        view, query = render_key(bundle, pathname, new_search)
        key = ("charts", view, query, status, base, ids)
        out = views.get(bundle, key, lambda: chart_updates(bundle, view, query, status, base, ids))
        if out is None:
            return [*synced, *unchanged]
        return [*synced, *placed(out, list(ids), lists)]

    @app.callback(
        Output("view-content", "children"),
        *[Output(f"nav-{v}", "href") for v in VIEWS],
        *[Output(f"nav-{v}", "className") for v in VIEWS],
        Output("pack-link", "href"),
        Output("pack-link", "title"),
        Output("data-status", "children"),
        Output("rendered-view", "data"),
        Input("url", "pathname"),
        Input("url", "search"),
        State("rendered-view", "data"),
    )
    def _render_view(pathname, search, rendered):
        bundle, status, errors, base = (
            store.current(),
            export_status(),
            store.errors,
            public_base_url(),
        )
        view, query = render_key(bundle, pathname, search)
        if keeps_charts(set(ctx.triggered_prop_ids), rendered, view):
            return [*nav_only(bundle, pathname, query, errors), no_update]
        key = (view, query, status, tuple(map(str, errors)), base)
        out = views.get(bundle, key, lambda: render_view(bundle, view, query, status, errors, base))
        return [*out, view]

    @app.callback(
        Output("data-status", "children", allow_duplicate=True),
        Input("data-check", "n_intervals"),
        prevent_initial_call=True,
    )
    def _check_data(_n):
        store.current()  # reloads if a file changed; keeps the last valid data if broken
        return layout.data_status(store.errors)

    @app.callback(
        Output("custom-peers-control", "hidden"),
        *[Output(f"{cid}-control", "hidden") for cid, _ in VIEW_CONTROLS],
        Input("url", "pathname"),
        Input("peer-group", "value"),
    )
    def _visible_controls(pathname, group):
        view = view_of(pathname)
        return [group != CUSTOM_GROUP, *[view not in views for _, views in VIEW_CONTROLS]]

    @app.callback(
        Output("year-range", "value", allow_duplicate=True),
        Input({"type": "chart-graph", "chart": ALL}, "relayoutData"),
        State("year-range", "value"),
        prevent_initial_call=True,
    )
    def _zoom_sets_years(relayouts, current):
        inputs = ctx.inputs_list[0] if ctx.inputs_list else []
        new = zoom_years(ctx.triggered_id, inputs, relayouts, current)
        return new if new is not None else no_update

    app.clientside_callback(
        ClientsideFunction(namespace="linking", function_name="crosshair"),
        Output("crosshair-sink", "data"),
        Input({"type": "chart-graph", "chart": ALL}, "hoverData"),
        prevent_initial_call=True,
    )
