"""The map view's components: the choropleth card, its play control, details and table.

The card uses the chart cards' ids (chart-graph, chart-details, chart-table with chart
"map"), so a change of settings updates it in place like any chart (Plotly.react, no
remount) and its table is drawn by the same browser code.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash
from dash import dcc, html

from indicators.charts.map import MapModel, map_model
from indicators.data.loading import Bundle
from indicators.render import format as fmt
from indicators.render.figure import CONFIG
from indicators.render.map_figure import map_alt_text, map_figure, map_rows, place_text
from indicators.view.state import ViewState, to_query
from indicators.web.layout import details_box, details_json, table_box, table_json
from indicators.web.links import export_url
from indicators.web.timeline import play_control

MAP_ID = "map"
INTRO = (
    "One indicator for every country in the data, in one year. Click a country to make it the "
    "focus; Shift-click to add it to your custom peers. Play steps through the years with data."
)
TABLE_HEADER = ["Place", "Country", "ISO3", "Value", "Unit", "Compared as"]
ROLE_WORDS = {"focus": "Focus country", "peer": "Peer", "other": ""}


@dataclass(frozen=True)
class MapParts:
    model: MapModel
    figure: dict
    alt_text: str
    rows: list[tuple]


def map_parts(bundle: Bundle, state: ViewState) -> MapParts:
    model = map_model(bundle, state)
    return MapParts(model, map_figure(model), map_alt_text(model), map_rows(model))


def _config() -> dict:
    # the outlines are fetched from this server's assets, never from plotly's CDN
    return {**CONFIG, "topojsonURL": dash.get_asset_url("topojson/"), "scrollZoom": False}


def graph_style(parts: MapParts) -> dict:
    return {"height": f"{parts.figure['layout']['height']}px"}


def table_summary(parts: MapParts) -> str:
    return f"Table ({len(parts.model.rows)} countries, {parts.model.year_label})"


def table_data(parts: MapParts) -> dict:
    model = parts.model
    rows = [
        [
            place_text(r.place, r.tied),
            r.country,
            r.iso3,
            fmt.number(r.value, model.decimals),
            model.unit,
            ROLE_WORDS[r.role],
        ]
        for r in model.rows
    ]
    return {"header": TABLE_HEADER, "rows": rows, "numeric": [0, 3]}


def downloads(state: ViewState) -> list[tuple[str, str]]:
    return [
        ("PNG 1600×900", export_url(MAP_ID, "png", state, "wide")),
        ("PNG 1080×1080", export_url(MAP_ID, "png", state, "square")),
        ("SVG", export_url(MAP_ID, "svg", state)),
        ("CSV", export_url(MAP_ID, "csv", state)),
    ]


def details(parts: MapParts, state: ViewState) -> str:
    """The map's `details_json`: its source, notes and the countries without a value, its
    Share menu (link and downloads) and Sources."""
    model = parts.model
    query = to_query(state)
    without = (
        (f"No value in {model.year_label}: {fmt.join_words(list(model.without_data))}.",)
        if model.without_data
        else ()
    )
    return details_json(
        title=model.title,
        alt=parts.alt_text,
        source=model.source,
        notes=tuple(model.notes),
        lines=without,
        share="Share the map",
        copies=[("Copy link", "link", "", f"/map{query}#card-{MAP_ID}")],
        downloads=downloads(state),
        citations=tuple(model.citations),
    )


def map_page(parts: MapParts, state: ViewState) -> list:
    model = parts.model
    return [
        html.H2("Map"),
        html.P(INTRO, className="view-intro"),
        html.Section(
            className="chart-card map-card",
            id=f"card-{MAP_ID}",
            children=[
                play_control("map"),
                html.Div(
                    dcc.Graph(
                        id={"type": "chart-graph", "chart": MAP_ID},
                        figure=parts.figure,
                        config=_config(),
                        className="chart-graph map-graph",
                        style=graph_style(parts),
                    ),
                    role="figure",
                    className="chart-figure",
                    **{
                        "aria-labelledby": f"chart-name-{MAP_ID}",
                        "aria-describedby": f"chart-alt-{MAP_ID}",
                    },
                ),
                details_box(MAP_ID, details(parts, state)),
                table_box(MAP_ID, table_summary(parts), state, f"Table: {model.title}"),
            ],
        ),
    ]


def map_updates(parts: MapParts, state: ViewState) -> tuple:
    """The in-place outputs (figure, style, details, table), one each."""
    return (
        [parts.figure],
        [graph_style(parts)],
        [details(parts, state)],
        [table_json(MAP_ID, table_summary(parts), state)],
    )
