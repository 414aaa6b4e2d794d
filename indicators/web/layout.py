"""Page layout: the shell (header, controls, notices) and each view's content (pure).

Text from the data files (titles, notes, sources, names) and from links (notices) is passed
to components as plain strings, which React renders as text; that includes the data tables,
which assets/tables.js builds as html.Table components from `table_data` when opened.
"""

from __future__ import annotations

from pathlib import PurePath

from dash import dcc, html

from indicators.charts.build import Chart
from indicators.render.figure import CONFIG, fmt_number
from indicators.data.loading import Bundle
from indicators.charts.scorecard import ScoreRow
from indicators.view.state import (
    CUSTOM_GROUP,
    MAX_YEAR,
    MIN_YEAR,
    VIEWS,
    ViewState,
    to_query,
)


def shell(bundle: Bundle) -> html.Div:
    countries = bundle.countries
    codes = sorted(set(bundle.frame["iso3"].astype(str)) - set(countries.aggregates))
    country_options = [{"label": f"{countries.name(c)} ({c})", "value": c} for c in codes]
    country_options.sort(key=lambda o: o["label"])
    group_options = [{"label": g.title, "value": gid} for gid, g in countries.groups.items()]
    group_options.append({"label": "Custom selection…", "value": CUSTOM_GROUP})
    return html.Div(
        className="app",
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="highlight-country"),
            dcc.Store(id="crosshair-sink"),
            dcc.Store(id="rendered-view"),
            html.Header(
                className="app-header",
                children=[
                    html.H1("Reform indicators: Kazakhstan and its neighbours"),
                    html.Nav(
                        [
                            dcc.Link(title, href=f"/{view}", id=f"nav-{view}", className="nav-link")
                            for view, title in VIEWS.items()
                        ],
                        className="nav",
                        **{"aria-label": "Views"},
                    ),
                ],
            ),
            html.Div(id="data-status", role="status"),
            # an edit of the data files shows (or clears) its banner without a page change
            dcc.Interval(id="data-check", interval=DATA_CHECK_MS),
            html.Div(id="url-notice", role="alert"),
            html.Section(
                className="controls",
                **{"aria-label": "View settings"},
                children=[
                    _control(
                        "Focus country",
                        dcc.Dropdown(
                            id="focus-country",
                            options=country_options,
                            value=countries.default_focus,
                            clearable=False,
                            searchable=True,
                        ),
                    ),
                    _control(
                        "Peer group",
                        dcc.Dropdown(
                            id="peer-group",
                            options=group_options,
                            value=countries.default_group,
                            clearable=False,
                        ),
                    ),
                    _control(
                        "Custom peers",
                        dcc.Dropdown(
                            id="custom-peers",
                            options=country_options,
                            value=[],
                            multi=True,
                            placeholder="Pick countries…",
                        ),
                        id="custom-peers-control",
                    ),
                    _control(
                        "Peers shown as",
                        dcc.RadioItems(
                            id="peer-mode",
                            inline=True,
                            value="lines",
                            options=[
                                {"label": "Lines", "value": "lines"},
                                {"label": "Median + range", "value": "aggregate"},
                            ],
                        ),
                    ),
                    _control(
                        "Years",
                        dcc.RangeSlider(
                            id="year-range",
                            min=MIN_YEAR,
                            max=MAX_YEAR,
                            step=1,
                            value=[1996, MAX_YEAR],
                            marks={y: str(y) for y in range(MIN_YEAR, MAX_YEAR + 1, 10)},
                            tooltip={"placement": "bottom", "always_visible": False},
                            allowCross=False,
                        ),
                        className="control control-wide",
                    ),
                    _control(
                        "Reform events",
                        dcc.Checklist(
                            id="show-events",
                            options=[{"label": "Show", "value": "on"}],
                            value=["on"],
                            inline=True,
                        ),
                    ),
                    _control(
                        "CPI measure",
                        dcc.RadioItems(
                            id="cpi-measure",
                            inline=True,
                            value="score",
                            options=[
                                {"label": "Score", "value": "score"},
                                {"label": "Rank", "value": "rank"},
                                {"label": "Percentile", "value": "percentile"},
                            ],
                        ),
                        id="cpi-measure-control",
                    ),
                    _control(
                        "WGI shows",
                        dcc.RadioItems(
                            id="wgi-mode",
                            inline=True,
                            value="level",
                            options=[
                                {"label": "Percentile rank", "value": "level"},
                                {"label": "Gap to OECD average", "value": "gap"},
                            ],
                        ),
                        id="wgi-mode-control",
                    ),
                    _control(
                        "FDI in",
                        dcc.RadioItems(
                            id="fdi-unit",
                            inline=True,
                            value="pct",
                            options=[
                                {"label": "% of GDP", "value": "pct"},
                                {"label": "US$", "value": "usd"},
                            ],
                        ),
                        id="fdi-unit-control",
                    ),
                ],
            ),
            html.Div(
                className="pack-bar",
                children=[
                    # a plain download link; assets/pack.js fetches it instead to show
                    # progress and to wait when the pack builders are busy
                    html.A(
                        "Download briefing pack (ZIP)",
                        id="pack-link",
                        href="/pack.zip",
                        className="button",
                        download="",
                    ),
                    html.Span(id="pack-status", role="status", className="pack-status"),
                ],
            ),
            html.Main(id="view-content", className="view"),
            html.Footer(
                className="app-footer",
                children=(
                    "Data: Transparency International (CPI), World Bank (WGI, Doing Business, "
                    "WDI). Every chart names its release and licence. "
                    "Validate edits with `python -m indicators validate`."
                ),
            ),
        ],
    )


def _control(label: str, component, id: str | None = None, className: str = "control"):
    props = {"className": className}
    if id:
        props["id"] = id
    return html.Div([html.Label(label, className="control-label"), component], **props)


def chart_details(
    chart: Chart, state: ViewState, export_ok: bool, export_message: str, snippet: str
) -> list:
    """Source line, notes, downloads, sources, embed snippet and alt text of a chart."""
    query = to_query(state)
    sep = "&" if query else "?"
    base = f"/export/{chart.id}"
    downloads = [
        ("PNG 1600×900", f"{base}.png{query}{sep}preset=wide"),
        ("PNG 1080×1080", f"{base}.png{query}{sep}preset=square"),
        ("PNG print (300 dpi)", f"{base}.png{query}{sep}preset=print"),
        ("SVG", f"{base}.svg{query}"),
        ("CSV", f"{base}.csv{query}"),
    ]
    links = [
        html.A(label, href=href, className="download-link", download="")
        for label, href in downloads
        if export_ok or label == "CSV"
    ]
    if not export_ok:
        links.append(html.Span(export_message, className="export-unavailable"))
    return [
        html.Div(
            [html.P(chart.source), *[html.P(f"Note: {n}") for n in chart.notes]],
            className="source-line chart-source",
        ),
        html.Div(
            className="chart-actions",
            children=[
                html.Details([html.Summary("Download"), html.Div(links, className="downloads")]),
                html.Details(
                    [
                        html.Summary("Sources"),
                        html.Ul([html.Li(c) for c in chart.citations]),
                        html.P(chart.source, className="source-line"),
                        *[html.P(f"Note: {n}", className="note") for n in chart.notes],
                    ],
                    className="chart-sources",
                ),
                html.Details(
                    [
                        html.Summary("Embed"),
                        html.P("Paste into a web page (responsive; resizes with the script):"),
                        dcc.Textarea(
                            value=snippet,
                            readOnly=True,
                            className="embed-snippet",
                            id={"type": "embed-snippet", "chart": chart.id},
                        ),
                    ],
                    className="chart-embed",
                ),
            ],
        ),
        html.P(chart.alt_text, className="visually-hidden"),
    ]


def graph_style(chart: Chart) -> dict:
    return {"height": f"{chart.figure['layout']['height']}px"}


def chart_card(
    chart: Chart, state: ViewState, export_ok: bool, export_message: str, snippet: str
) -> html.Section:
    """A chart and what goes with it. When only the view's settings change, the callbacks
    update the graph's figure and the details in place (Plotly.react, no remount)."""
    return html.Section(
        className="chart-card",
        id=f"card-{chart.id}",
        children=[
            dcc.Graph(
                id={"type": "chart-graph", "chart": chart.id},
                figure=chart.figure,
                config=CONFIG,
                className="chart-graph",
                style=graph_style(chart),
            ),
            html.Div(
                chart_details(chart, state, export_ok, export_message, snippet),
                id={"type": "chart-details", "chart": chart.id},
            ),
            # outside chart-details so that an open table stays open when the view changes
            html.Details(
                [
                    html.Summary(
                        table_summary(chart), id={"type": "table-summary", "chart": chart.id}
                    ),
                    dcc.Store(
                        id={"type": "table-data", "chart": chart.id}, data=table_data(chart.table)
                    ),
                    html.Div(
                        id={"type": "table-body", "chart": chart.id}, className="table-scroll"
                    ),
                ],
                id={"type": "chart-table", "chart": chart.id},
                className="chart-table",
            ),
        ],
    )


def table_summary(chart: Chart) -> str:
    return f"Table ({len(chart.table)} values)"


DATA_CHECK_MS = 15_000
SERIES_LABEL = {"focus": "Focus country", "peer": "Peer", "benchmark": "Benchmark"}
TABLE_HEADER = ["Series", "Country", "Year", "Value", "Unit"]


def table_data(table) -> dict:
    """The plotted numbers as text cells. The table itself is built in the browser when it is
    opened (assets/tables.js): hundreds of cells per chart would otherwise be components that
    every view change re-renders, for a table that is seldom open."""
    rows = [
        [SERIES_LABEL.get(s, str(s).capitalize()), str(c), str(int(y)), f"{v:,.6g}", str(u)]
        for s, c, y, v, u in zip(
            table["series"],
            table["country"],
            table["year"],
            table["value"],
            table["unit"],
            strict=True,
        )
    ]
    return {"header": TABLE_HEADER, "rows": rows, "numeric": [2, 3]}


def chart_view(
    charts: list[Chart], state: ViewState, export_ok, export_message, intro: str, snippets: dict
):
    return [
        html.H2(VIEWS[state.view]),
        html.P(intro, className="view-intro"),
        html.Div(
            [chart_card(c, state, export_ok, export_message, snippets[c.id]) for c in charts],
            className=f"chart-grid chart-grid-{state.view}",
        ),
    ]


def overview(rows: list[ScoreRow], facts: list[str], state: ViewState, bundle: Bundle):
    names = bundle.countries.name
    query = to_query(state)
    group = (
        "custom peers"
        if state.group == CUSTOM_GROUP
        else bundle.countries.groups[state.group].title
    )

    def cell(text, status, href, label):
        return html.Td(dcc.Link(text, href=href, title=label), className=f"cell cell-{status}")

    body = []
    for r in rows:
        href = f"/{r.view}{query}"
        latest = (
            f"{fmt_number(r.latest, r.decimals, r.unit)} ({r.latest_year})"
            if r.latest is not None
            else "no data"
        )
        change = (
            f"{r.change:+,.{r.decimals}f} since {r.change_from}" if r.change is not None else "–"
        )
        if r.change is not None and abs(r.change) >= 1e6:
            change = f"{fmt_number(r.change, r.decimals)} since {r.change_from}"
        rank = f"{r.peer_rank[0]} of {r.peer_rank[1]} ({r.rank_year})" if r.peer_rank else "–"
        gap = (
            f"{r.gap:+,.{r.decimals}f} vs {r.benchmark_label} ({r.gap_year})"
            if r.gap is not None
            else "–"
        )
        body.append(
            html.Tr(
                [
                    html.Th(dcc.Link(r.title, href=href), scope="row"),
                    cell(latest, "neutral", href, f"{r.title}: latest value"),
                    cell(change, r.change_status(), href, f"{r.title}: change"),
                    cell(rank, r.rank_status(), href, f"{r.title}: rank within {group}"),
                    cell(gap, r.gap_status(), href, f"{r.title}: gap to OECD"),
                ]
            )
        )
    return [
        html.H2(f"Overview: {names(state.focus)} against {group}"),
        html.Ul([html.Li(f) for f in facts], className="key-facts", id="key-facts"),
        html.Div(
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h, scope="col")
                                for h in (
                                    "Indicator",
                                    "Latest",
                                    "Change (first to latest year shown)",
                                    f"Rank in {group} + {state.focus}",
                                    "Gap to OECD",
                                )
                            ]
                        )
                    ),
                    html.Tbody(body),
                ],
                className="scorecard",
                id="scorecard",
            ),
            className="table-scroll scorecard-wrap",
        ),
        html.P(
            "Green ▲ means better and red ▼ worse, in each indicator's own direction (for "
            "ranks, lower is better). Gaps are signed so that negative means behind. Click a "
            "row to open its chart.",
            className="legend-note",
        ),
    ]


def data_status(errors) -> list:
    if not errors:
        return []
    shown = errors[:8]
    return [
        html.Div(
            className="data-errors",
            children=[
                html.Strong(
                    "The data files have errors; the dashboard keeps showing the last valid "
                    "data. Fix and save to reload:"
                ),
                html.Ul([html.Li(_error_text(e)) for e in shown]),
                html.P(f"… and {len(errors) - len(shown)} more")
                if len(errors) > len(shown)
                else None,
            ],
        )
    ]


def _error_text(error) -> str:
    """'cpi.yaml:12: field: message': the file's name only, never a server path."""
    file = getattr(error, "file", None)
    if not isinstance(file, str):
        return str(error)
    name = PurePath(file).name
    where = f"{name}:{error.line}" if getattr(error, "line", None) else name
    return f"{where}: {error.field}: {error.message}"


def info(text: str) -> list:
    return [html.Div(text, className="notice notice-info")]


def notices(items) -> list:
    if not items:
        return []
    return [
        html.Div(
            [
                html.Strong("Some link settings were not understood: "),
                html.Ul([html.Li(n) for n in items]),
            ],
            className="notice",
        )
    ]
