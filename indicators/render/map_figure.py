"""The map's figure, table rows and alt text, each from its model alone.

The CSV download, the table under the map and the alt text hold exactly the values the
choropleth colours, formatted by the one formatter.
"""

from __future__ import annotations

import textwrap

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
WEB_WIDTH = 1100  # the footer's wrap width on the page, where the figure's width is not known
MARGIN_X = 12
TOP_PX = 96
TITLE_TOP_PX = 16
FOOTER_PAD_PX = 14
FOOTER_LINE_PX = 13
FOOTER_CHAR_PX = 5.6  # mean advance of a 10 px Inter character, generous
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
    """Two short lines, so that they fit the square export as well as the page."""
    return (
        f"{len(model.rows)} countries, {model.unit}<br>"
        "Focus outlined in orange, peers in black; grey: no data"
    )


def footer_lines(model: MapModel, width: int, permalink: str | None = None) -> list[str]:
    """The source, notes and link under the map, wrapped to the figure's width."""
    text = model.source + "".join(f" Note: {n}" for n in model.notes)
    per_line = max(40, int((width - 2 * MARGIN_X) / FOOTER_CHAR_PX))
    lines = textwrap.wrap(text, per_line)
    if permalink:
        lines.append(permalink)
    return lines


def map_figure(
    model: MapModel, height: int = HEIGHT, width: int | None = None, permalink: str | None = None
) -> dict:
    """The choropleth; with a `width` (exports), the footer is wrapped to it and the figure
    sized exactly, the map taking what the title and footer leave."""
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
        "fitbounds": False,  # the extent asked for, never plotly's fit to the data
    }
    lon, lat = model.geo_range
    if model.extent == "region":
        geo["projection"] = {"type": "mercator"}
    geo["lonaxis"] = {"range": list(lon)}
    geo["lataxis"] = {"range": list(lat)}
    lines = footer_lines(model, width or WEB_WIDTH, permalink)
    bottom = FOOTER_PAD_PX + FOOTER_LINE_PX * len(lines)
    layout = {
        "title": {
            "text": f"<b>{model.title}</b><br><span style='font-size:13px'>"
            f"{_subtitle(model)}</span>",
            "x": 0,
            "xanchor": "left",
            "y": 1 - TITLE_TOP_PX / height,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": MARGIN_X, "l": MARGIN_X},
            "font": {"size": 17},
        },
        "geo": geo,
        "height": height,
        "margin": {"l": MARGIN_X, "r": MARGIN_X, "t": TOP_PX, "b": bottom},
        "font": {"family": FONT_FAMILY, "size": 12, "color": "#222"},
        "paper_bgcolor": "#ffffff",
        "dragmode": False,
        "annotations": [
            {
                "text": "<br>".join(lines),
                "name": "source-line",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -(FOOTER_PAD_PX / 2) / max(1, height - TOP_PX - bottom),
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "font": {"size": 10, "color": "#555"},
            }
        ],
        "meta": {"chart": "map", "years": list(model.years)},
    }
    if width:
        layout["width"] = width
    return {"data": [main] + ([outlines] if outlines else []), "layout": layout}


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
