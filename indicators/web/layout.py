"""Page layout: the shell (header, controls, notices) and each view's content (pure).

Text from the data files (titles, notes, sources, names) and from links (notices) is passed
to components as plain strings, which React renders as text; what a card shows under its
plot (details, data table, Summary) goes as JSON in data attributes, which assets/cards.js
draws with text nodes.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from dash import dcc, html

from indicators.charts.common import group_title
from indicators.charts.scorecard import KeyFacts, ScoreRow
from indicators.data.loading import Bundle
from indicators.render import format as fmt
from indicators.render.chart import Chart, build_chart
from indicators.render.figure import CONFIG
from indicators.render.format import number as fmt_number
from indicators.render.sparkline import sparkline_uri
from indicators.render.table import TABLE_COLUMNS, cell
from indicators.render.text import EventRow, key_fact_sentences
from indicators.view.params import (
    CUSTOM_GROUP,
    MAX_YEAR,
    MIN_YEAR,
    VIEWS,
    Control,
    controls,
    params_of,
)
from indicators.view.state import ViewState, default_state, link_codes, to_query
from indicators.web.links import export_url, public_base_url
from indicators.web.summary_view import summary_section
from indicators.web.timeline import play_control


def shell(bundle: Bundle) -> html.Div:
    start = default_state(bundle)
    return html.Div(
        className="app",
        # the base of shared links (assets/share.js); empty: the page's own address
        **{"data-public-url": public_base_url()},
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
            html.Div(
                className="toolbar",
                children=[
                    # folded on phones (assets/settings.js), so that the first screen shows a chart;
                    # its summary says what is selected (kept current by settings.js)
                    html.Details(
                        [
                            html.Summary(
                                [
                                    html.Span("Settings: ", className="settings-word"),
                                    html.Span(
                                        settings_summary(bundle, start),
                                        id="settings-summary",
                                        **{"data-custom": CUSTOM_LABEL},
                                    ),
                                ],
                                className="settings-summary",
                            ),
                            html.Section(
                                className="controls",
                                **{"aria-label": "View settings"},
                                children=[
                                    _control(c, bundle, start)
                                    for c in controls()
                                    if c.kind != "store"
                                ],
                            ),
                        ],
                        id="settings",
                        className="settings",
                    ),
                    html.Section(
                        className="pack-bar",
                        **{"aria-label": "Share this view"},
                        children=share_menu(
                            "Share this view",
                            [copy_button("Copy link", "link")],
                            [
                                # a plain download link; assets/pack.js fetches it instead to show
                                # progress and to wait when the pack builders are busy
                                html.A(
                                    "Briefing pack (ZIP)",
                                    id="pack-link",
                                    href="/pack.zip",
                                    className="button",
                                    download="",
                                ),
                                html.Span(id="pack-status", role="status", className="pack-status"),
                            ],
                        ),
                    ),
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


CUSTOM_LABEL = "Custom selection…"


def settings_summary(bundle: Bundle, state: ViewState) -> str:
    """'Kazakhstan vs Central Asia, 1996–2025': what the settings panel holds, for its summary
    line (assets/settings.js writes the same from the controls as they change)."""
    return (
        f"{bundle.countries.name(state.focus)} vs {group_title(bundle, state)}, "
        f"{state.year_from}–{state.year_to}"
    )


def copy_button(label: str, what: str, text: str = "", path: str = "") -> html.Button:
    """A button that copies a link (`what` "link": `path`, or the page's address) or `text`
    (`what` "embed"); assets/share.js completes relative links and reports the copy."""
    data = {"data-share": what}
    if text:
        data["data-text"] = text
    if path:
        data["data-path"] = path
    return html.Button(label, type="button", className="share-button", **data)


def share_menu(label: str, buttons: list, downloads: list) -> list:
    """A Share disclosure named `label` ('Share this view'): copy buttons, downloads and a
    status line that announces a copy."""
    return [
        html.Details(
            [
                html.Summary("Share", **{"aria-label": label}),
                html.Div(
                    [
                        html.Div(buttons, className="share-buttons"),
                        html.Div(
                            [html.Span("Download:", className="downloads-label"), *downloads],
                            className="downloads",
                        ),
                        html.P(className="share-status", role="status"),
                    ],
                    className="share-body",
                ),
            ],
            className="share",
        )
    ]


def _component(control: Control, start: ViewState, options: list[dict]):
    """The Dash component of a control, showing the start view's value."""
    params = params_of(control)
    default = getattr(start, params[0].name)
    if control.kind == "dropdown":
        return dcc.Dropdown(
            id=control.id, options=options, value=default, clearable=False, searchable=True
        )
    if control.kind == "multi":
        kinds = params[0].kind == "choices"  # several of a list (none: all), else countries
        return dcc.Dropdown(
            id=control.id,
            options=options,
            value=list(default) if kinds else [],
            multi=True,
            placeholder="All kinds" if kinds else "Pick countries…",
        )
    if control.kind == "radio":
        choices = [{"label": label, "value": v} for v, label in params[0].choices]
        return dcc.RadioItems(id=control.id, inline=True, value=default, options=choices)
    if control.kind == "switch":
        return dcc.Checklist(
            id=control.id,
            options=[{"label": "Show", "value": "on"}],
            value=["on"] if default else [],
            inline=True,
        )
    if control.kind == "slider":
        return dcc.Slider(
            id=control.id,
            min=MIN_YEAR,
            max=MAX_YEAR,
            step=1,
            value=default,
            marks={y: str(y) for y in range(MIN_YEAR, MAX_YEAR + 1, 10)},
            tooltip={"placement": "bottom", "always_visible": False},
        )
    if control.kind == "range":
        return dcc.RangeSlider(
            id=control.id,
            min=MIN_YEAR,
            max=MAX_YEAR,
            step=1,
            value=[getattr(start, p.name) for p in params],
            marks={y: str(y) for y in range(MIN_YEAR, MAX_YEAR + 1, 10)},
            tooltip={"placement": "bottom", "always_visible": False},
            allowCross=False,
        )
    raise ValueError(f"no component for control kind {control.kind!r}")


def _control(control: Control, bundle: Bundle, start: ViewState):
    countries = bundle.countries
    if control.kind in ("dropdown", "multi") and params_of(control)[0].kind == "group":
        options = [{"label": g.title, "value": gid} for gid, g in countries.groups.items()]
        options.append({"label": CUSTOM_LABEL, "value": CUSTOM_GROUP})
    elif control.kind in ("dropdown", "multi") and params_of(control)[0].choices:
        options = [{"label": label, "value": v} for v, label in params_of(control)[0].choices]
    elif control.kind in ("dropdown", "multi"):
        codes = sorted(link_codes(bundle))
        options = sorted(
            ({"label": f"{countries.name(c)} ({c})", "value": c} for c in codes),
            key=lambda o: o["label"],
        )
    else:
        options = []
    component = _component(control, start, options)
    wide = control.kind in ("range", "slider")
    # The label names the control: a dropdown's id is on its button (a labelable element);
    # radio items, checkboxes and the year boxes take it from assets/a11y.js, which points
    # their group at this label's id (Dash 4 gives them no aria props).
    target = {"htmlFor": control.id} if control.kind in ("dropdown", "multi") else {}
    label = html.Label(control.label, className="control-label", id=f"{control.id}-label", **target)
    return html.Div(
        [label, component],
        className="control control-wide" if wide else "control",
        id=f"{control.id}-control",
    )


EMBED_LABEL = "Paste into a web page (responsive; resizes with the script):"
EVENTS_LABEL = "Reform events on this chart, numbered as its markers"
RELATIVE_EMBED = (
    "Its links are relative to this site: put the site's address in front of each /embed "
    "path (the operator can set INDICATORS_PUBLIC_URL to have them written in full)."
)


def details_json(
    *,
    title: str,
    alt: str,
    source: str,
    notes: tuple[str, ...] = (),
    lines: tuple[str, ...] = (),
    events: tuple[EventRow, ...] = (),
    events_note: str = "",
    share: str,
    copies: list[tuple[str, str, str, str]],
    downloads: list[tuple[str, str]],
    unavailable: str = "",
    citations: tuple[str, ...] = (),
    snippet: str = "",
) -> str:
    """What goes under a chart or the map, as the JSON text that assets/cards.js draws: the
    source line with its notes (and further `lines`), the reform events, the Share menu
    (`copies`: label, what, text, path of each copy button; `downloads`: label, href), the
    Sources, the embed snippet, and the plot's accessible name (`title`) and description
    (`alt`). A change of settings then updates one attribute per card: drawn as Dash
    components, the 23 parts of each card's details were most of what the page re-rendered
    with every change."""
    return json.dumps(
        {
            "title": title,
            "alt": alt,
            "source": source,
            "notes": list(notes),
            "lines": list(lines),
            "events": [[e.number, e.text] for e in events],
            "eventsLabel": EVENTS_LABEL,
            "eventsNote": events_note,
            "share": share,
            "copies": [list(c) for c in copies],
            "downloads": [list(d) for d in downloads],
            "unavailable": unavailable,
            "citations": list(citations),
            "snippet": snippet,
            "embedLabel": EMBED_LABEL,
            "embedNote": RELATIVE_EMBED if 'src="/' in snippet else "",
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def details_box(card: str, data: str) -> html.Div:
    """The box under a card's plot, drawn from its `details_json` by assets/cards.js: its
    children are never Dash components, so a change of settings re-renders none of them."""
    return html.Div(
        id={"type": "chart-details", "chart": card},
        className="chart-details",
        **{"data-details": data},
    )


def chart_details(
    chart: Chart, state: ViewState, export_ok: bool, export_message: str, snippet: str
) -> str:
    """A chart's `details_json`."""
    query = to_query(state)
    downloads = [
        ("PNG 1600×900", export_url(chart.id, "png", state, "wide")),
        ("PNG 1080×1080", export_url(chart.id, "png", state, "square")),
        ("PNG print (300 dpi)", export_url(chart.id, "png", state, "print")),
        ("SVG", export_url(chart.id, "svg", state)),
        ("CSV", export_url(chart.id, "csv", state)),
    ]
    return details_json(
        title=chart.title,
        alt=chart.alt_text,
        source=chart.source,
        notes=chart.notes,
        events=tuple(chart.events),
        events_note=chart.events_note,
        share=f"Share the chart {chart.title}",
        copies=[
            ("Copy link", "link", "", f"/{chart.model.view}{query}#card-{chart.id}"),
            ("Copy embed code", "embed", snippet, ""),
        ],
        downloads=[(label, href) for label, href in downloads if export_ok or label == "CSV"],
        unavailable="" if export_ok else export_message,
        citations=chart.citations,
        snippet=snippet,
    )


def graph_style(chart: Chart) -> dict:
    return {"height": f"{chart.figure['layout']['height']}px"}


def chart_figure(chart: Chart, kind: str = "chart-graph") -> html.Div:
    """The plot, named and described by the chart's title and alt text (paragraphs with the
    ids chart-name-<id> and chart-alt-<id>, written beside it). `kind` is the type of its
    id: the callbacks update every "chart-graph" with its card's details."""
    # role "figure", not "img": the plot holds the mode bar's buttons, which an image
    # would hide from assistive technology (axe: nested-interactive)
    return html.Div(
        dcc.Graph(
            id={"type": kind, "chart": chart.id},
            figure=chart.figure,
            config=CONFIG,
            className="chart-graph",
            style=graph_style(chart),
        ),
        role="figure",
        className="chart-figure",
        **{
            "aria-labelledby": f"chart-name-{chart.id}",
            "aria-describedby": f"chart-alt-{chart.id}",
        },
    )


def chart_card(
    chart: Chart, state: ViewState, export_ok: bool, export_message: str, snippet: str
) -> html.Section:
    """A chart and what goes with it. When only the view's settings change, the callbacks
    update the graph's figure and the details in place (Plotly.react, no remount)."""
    return html.Section(
        className="chart-card",
        id=f"card-{chart.id}",
        children=[
            chart_figure(chart),
            details_box(chart.id, chart_details(chart, state, export_ok, export_message, snippet)),
            # outside chart-details so that an open table stays open when the view changes
            table_box(chart.id, table_summary(chart), state, f"Table: {chart.title}"),
            summary_section(chart, state),
        ],
    )


def table_box(card: str, summary: str, state: ViewState, label: str) -> html.Details:
    """A card's data table, closed: its `summary` line, and in the data-table attribute
    (`table_json`) that line and where its rows are. assets/cards.js fetches the rows and
    draws them when the table is opened (and again while it is open when the view changes):
    a change of settings then carries no rows for a table seldom open (they were 40% of a
    governance change's response)."""
    return html.Details(
        [
            html.Summary(summary),
            # a scrolling box takes focus, so that keyboard users can scroll it
            html.Div(
                className="table-scroll", tabIndex="0", role="region", **{"aria-label": label}
            ),
        ],
        id={"type": "chart-table", "chart": card},
        className="chart-table",
        **{"data-table": table_json(card, summary, state)},
    )


def table_json(card: str, summary: str, state: ViewState) -> str:
    """A table's data-table attribute: its summary line, and the address of its rows
    (routes: /table/<card>.json, `table_data` of the same view)."""
    rows = f"/table/{card}.json{to_query(state)}"
    return json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, separators=(",", ":"))


def table_summary(chart: Chart) -> str:
    return f"Table ({len(chart.rows)} values)"


DATA_CHECK_MS = 15_000
TABLE_HEADER = ["Series", "Role", "Year", "Value", "Unit", "Reporting"]
ROLE_WORDS = {
    "focus": "Focus country",
    "peer": "Peer",
    "aggregate": "Peer aggregate",
    "benchmark": "Benchmark",
    "band": "Interval",
}


def table_data(chart: Chart) -> dict:
    """The chart's table (the CSV's rows and values) as text cells, as /table/<chart>.json
    sends them."""
    at = {c: i for i, c in enumerate(TABLE_COLUMNS)}
    rows = [
        [
            str(r[at["series"]]),
            ROLE_WORDS.get(r[at["role"]], r[at["role"]]),
            str(r[at["year_label"]]),
            cell(r[at["value"]]),
            str(r[at["unit"]]),
            f"{r[at['reporting']]} of {r[at['members']]}" if r[at["members"]] else "",
        ]
        for r in chart.rows
    ]
    return {"header": TABLE_HEADER, "rows": rows, "numeric": [2, 3]}


def chart_view(
    charts: list[Chart], state: ViewState, export_ok, export_message, intro: str, snippets: dict
):
    return [
        html.H2(VIEWS[state.view]),
        html.P(intro, className="view-intro"),
        play_control("range"),
        html.Div(
            [chart_card(c, state, export_ok, export_message, snippets[c.id]) for c in charts],
            className=f"chart-grid chart-grid-{state.view}",
        ),
    ]


JUDGEMENT_NOTES = {
    "not significant": " (not significant)",
    "not comparable": " (not comparable: method changed)",
    "untested": " (significance not tested)",
}


def _rank_text(r: ScoreRow) -> str:
    rank = r.peer_rank
    if rank is None:
        return "–"
    position = f"={rank.position}" if rank.tied > 1 else str(rank.position)
    text = f"{position} of {rank.ranked} ({rank.year})"
    if rank.without_data:
        text += f", {rank.without_data} without data"
    return text


def _score_cells(r: ScoreRow) -> tuple[str, str, str]:
    latest = (
        f"{fmt_number(r.latest, r.decimals, r.unit)} ({r.latest_year})"
        if r.latest is not None
        else "no data"
    )
    change = "–"
    if r.change is not None:
        change = (
            f"{fmt.signed(r.change, r.decimals)} since "
            f"{r.change_from}{JUDGEMENT_NOTES.get(r.change_judgement, '')}"
        )
    gap = "–"
    if r.gap is not None:
        gap = f"{fmt.signed(r.gap, r.decimals)} vs {r.benchmark_label} ({r.gap_year})"
    return latest, change, gap


SCORE_HEADERS = (
    "Indicator (release)",
    "Trend",
    "Latest (year)",
    "Change (first to latest year shown)",
    "Rank",
    "Gap to OECD",
)


def _trend_label(r: ScoreRow, focus: str, group: str) -> str:
    """The sparkline's text: first and last values of the focus and of the peer median."""

    def span(points) -> str:
        first, last = points[0], points[-1]
        text = f"{fmt_number(first.value, r.decimals, r.unit)} in {first.label}"
        if last is not first:
            text += f" to {fmt_number(last.value, r.decimals, r.unit)} in {last.label}"
        return text

    parts = [f"{focus}: {span(r.trend)}" if r.trend else f"{focus}: no data"]
    if r.peer_median:
        parts.append(f"{group} median: {span(r.peer_median)}")
    return f"Trend of {r.title}. " + "; ".join(parts) + "."


def _trend_cell(r: ScoreRow, focus: str, group: str):
    uri = sparkline_uri(
        [(p.year, p.value) for p in r.trend],
        [(p.year, p.value) for p in r.peer_median],
        r.higher_is_better,
    )
    if not uri:
        return "–"
    return html.Img(src=uri, alt=_trend_label(r, focus, group), className="sparkline")


def _score_row(r: ScoreRow, href: str, focus: str, group: str) -> html.Tr:
    latest, change, gap = _score_cells(r)
    # explicit table roles: the cards that rows become on phones (display: grid) keep them;
    # the indicator's link covers the row (style.css), one tab stop per row
    cells = [
        (_trend_cell(r, focus, group), "neutral"),
        (latest, "neutral"),
        (change, r.change_judgement),
        (_rank_text(r), r.rank_judgement()),
        (gap, r.gap_judgement),
    ]
    return html.Tr(
        [
            html.Th(
                [dcc.Link(r.title, href=href), html.Span(r.release, className="release")],
                scope="row",
                role="rowheader",
            ),
            *[
                html.Td(
                    content,
                    className=f"cell cell-{status if status in ('better', 'worse') else 'neutral'}",
                    role="cell",
                    # the card a row becomes on phones shows it (style.css), hidden from AT
                    **{"data-label": header},
                )
                for header, (content, status) in zip(SCORE_HEADERS[1:], cells, strict=True)
            ],
        ],
        role="row",
    )


def headline(chart: Chart, state: ViewState) -> html.Section:
    """The overview's first chart: the same figure as on its own view, linking there."""
    return html.Section(
        className="chart-card headline",
        id="headline",
        **{"aria-labelledby": f"chart-name-{chart.id}"},
        children=[
            chart_figure(chart, "headline-graph"),
            html.P(
                dcc.Link(
                    "Open this chart with its table, sources and downloads",
                    href=f"/{chart.model.view}{to_query(state)}#card-{chart.id}",
                ),
                className="headline-link",
            ),
            html.P(chart.title, className="visually-hidden", id=f"chart-name-{chart.id}"),
            html.P(chart.alt_text, className="visually-hidden", id=f"chart-alt-{chart.id}"),
        ],
    )


def overview(rows: list[ScoreRow], facts: KeyFacts, state: ViewState, bundle: Bundle):
    names = bundle.countries.name
    query = to_query(state)
    group = facts.group
    focus = names(state.focus)
    headers = [*SCORE_HEADERS]
    headers[4] = f"Rank among {focus} and {group}"
    return [
        html.H2(f"Overview: {focus} against {group}"),
        html.Div(
            [
                headline(build_chart(HEADLINE_CHART, bundle, state), state),
                html.Ul(
                    [html.Li(f) for f in key_fact_sentences(facts)],
                    className="key-facts",
                    id="key-facts",
                ),
            ],
            className="overview-top",
        ),
        html.Div(
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [html.Th(h, scope="col", role="columnheader") for h in headers],
                            role="row",
                        ),
                        className="scorecard-head",
                    ),
                    html.Tbody(
                        [
                            _score_row(r, f"/{r.view}{query}#card-{r.chart}", focus, group)
                            for r in rows
                        ]
                    ),
                ],
                className="scorecard",
                id="scorecard",
                role="table",
                **{"aria-label": f"Scorecard: {focus} against {group}"},
            ),
            className="scorecard-wrap",
        ),
        html.P(
            "Trend: the focus country (solid, dot at its latest value) and the peer median "
            "(dashed), better upwards. Green ▲ means better and red ▼ worse, in each "
            "indicator's own direction (for ranks, lower is better), shown only where a change "
            "is comparable and, for WGI, outside the 90% intervals. Gaps are signed so that "
            "negative means behind; ties are marked '='. Each indicator opens its chart.",
            className="legend-note",
        ),
    ]


HEADLINE_CHART = "cpi"


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
