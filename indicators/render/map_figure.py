"""The map's figure, table rows and alt text, each from its model alone.

The CSV download, the table under the map and the alt text hold exactly the values the
choropleth colours, formatted by the one formatter.
"""

from __future__ import annotations

from indicators.charts.map import MapModel
from indicators.render import format as fmt
from indicators.render.figure import FONT_FAMILY

# light (behind) to dark (ahead) whatever the indicator's direction: YlGnBu, colour-blind safe
SCALE = [
    [0.0, "#ffffd9"],
    [0.25, "#c7e9b4"],
    [0.5, "#41b6c4"],
    [0.75, "#225ea8"],
    [1.0, "#081d58"],
]
FOCUS_OUTLINE = "#D55E00"  # vermillion: visible on the light and the dark end of SCALE
PEER_OUTLINE = "#111111"
NO_DATA = "#e4e4e4"
HEIGHT = 520
MAP_COLUMNS = [
    "chart",
    "country",
    "iso3",
    "year",
    "year_label",
    "value",
    "unit",
    "place",
    "role",
    "source",
]


def value_text(model: MapModel, value: float) -> str:
    return fmt.number(value, model.decimals)


def place_text(place: int, tied: bool) -> str:
    return f"={place}" if tied else str(place)


def map_rows(model: MapModel) -> list[tuple]:
    """One row per country coloured, best first, as MAP_COLUMNS."""
    return [
        (
            model.id,
            r.country,
            r.iso3,
            model.year,
            model.year_label,
            r.value,
            model.unit,
            place_text(r.place, r.tied),
            r.role,
            model.source,
        )
        for r in model.rows
    ]


def _outlines(model: MapModel) -> dict | None:
    """A transparent layer drawing the focus's and the peers' borders over the colours."""
    outlined = [model.focus, *model.peers]
    if not outlined:
        return None
    return {
        "type": "choropleth",
        "locations": outlined,
        "locationmode": "ISO-3",
        "z": [1] * len(outlined),
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "showscale": False,
        "hoverinfo": "skip",
        "marker": {
            "line": {
                "color": [FOCUS_OUTLINE] + [PEER_OUTLINE] * len(model.peers),
                "width": [3] + [1.5] * len(model.peers),
            }
        },
        "name": "outlines",
    }


def _subtitle(model: MapModel) -> str:
    shown = f"{len(model.rows)} countries, {model.unit}"
    outlined = "focus outlined in orange, peers in black"
    return f"{shown}; {outlined}; grey: no data"


def map_figure(model: MapModel, height: int = HEIGHT) -> dict:
    low, high = model.colour_range
    main = {
        "type": "choropleth",
        "locations": [r.iso3 for r in model.rows],
        "locationmode": "ISO-3",
        "z": [r.value for r in model.rows],
        "text": [f"{r.country}: {value_text(model, r.value)}" for r in model.rows],
        "hovertemplate": "%{text}<extra></extra>",
        "customdata": [r.iso3 for r in model.rows],
        "colorscale": SCALE,
        "reversescale": not model.higher_is_better,
        "zmin": low,
        "zmax": high,
        "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        "colorbar": {
            "title": {"text": fmt.capitalise(model.unit), "side": "right"},
            "thickness": 12,
            "len": 0.75,
            "tickfont": {"size": 11},
        },
        "name": model.title,
    }
    outlines = _outlines(model)
    geo = {
        "projection": {"type": "natural earth"},
        "showframe": False,
        "showcoastlines": False,
        "showland": True,
        "landcolor": NO_DATA,
        "showcountries": True,
        "countrycolor": "#ffffff",
        "resolution": 110,
        "bgcolor": "rgba(0,0,0,0)",
    }
    if model.geo_range is not None:
        lon, lat = model.geo_range
        geo["projection"] = {"type": "mercator"}
        geo["lonaxis"] = {"range": list(lon)}
        geo["lataxis"] = {"range": list(lat)}
    source = model.source + "".join(f" Note: {n}" for n in model.notes)
    return {
        "data": [main] + ([outlines] if outlines else []),
        "layout": {
            "title": {
                "text": f"<b>{model.title}</b><br><span style='font-size:13px'>"
                f"{_subtitle(model)}</span>",
                "x": 0.01,
                "xanchor": "left",
            },
            "geo": geo,
            "height": height,
            "margin": {"l": 8, "r": 8, "t": 70, "b": 40},
            "font": {"family": FONT_FAMILY, "size": 12, "color": "#222"},
            "paper_bgcolor": "#ffffff",
            "dragmode": False,
            "annotations": [
                {
                    "text": source,
                    "name": "source-line",
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": -0.06,
                    "xanchor": "left",
                    "yanchor": "top",
                    "align": "left",
                    "font": {"size": 10, "color": "#555"},
                }
            ],
            "meta": {"chart": "map", "years": list(model.years)},
        },
    }


def map_alt_text(model: MapModel) -> str:
    """What the map shows, for screen readers and exports: the range, the best and worst,
    the focus's and the peers' values and places."""
    head = f"Map of {model.title}, {model.unit}."
    if not model.rows:
        return f"{head} No data."
    best, worst = model.rows[0], model.rows[-1]
    text = (
        f"{head} {len(model.rows)} countries. Best: {best.country} "
        f"({value_text(model, best.value)}); last: {worst.country} "
        f"({value_text(model, worst.value)})."
    )
    tracked = [r for r in model.rows if r.role in ("focus", "peer")]
    tracked.sort(key=lambda r: (r.role != "focus", r.place))
    if tracked:
        parts = [
            f"{r.country} {value_text(model, r.value)} "
            f"({'joint ' if r.tied else ''}{fmt.ordinal(r.place)} of {len(model.rows)})"
            for r in tracked
        ]
        text += f" {'; '.join(parts)}."
    if model.without_data:
        text += f" No data: {fmt.join_words(list(model.without_data))}."
    return text
