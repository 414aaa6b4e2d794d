"""The events lane: a strip above the plot with a numbered marker per reform event (date and
title on hover, the same numbers in the list under the chart), and methodology breaks drawn
as a red dashed line through the plot with its own label, never as a numbered event.

The lane is its own y axis ("y9") on top of the figure; the main axes keep the rest.
"""

from __future__ import annotations

from functools import lru_cache

from indicators.charts.model import ChartModel, Marker
from indicators.render import text
from indicators.render.markup import plain, wrap

LANE_AXIS = "y9"
ROW_PX = 20
GAP_PX = 6  # between the lane and the plot
MARKER_PX = 16
MAX_ROWS = 4
EVENT_COLOUR = "#7A5200"  # dark amber: 7:1 on white, apart from every series colour
BREAK_COLOUR = "#B00020"
ASSUMED_PLOT_PX = 290  # the dashboard: markers spaced for a phone's plot, so they stay apart there


def rows(events: tuple[Marker, ...], x_range, plot_px: float) -> list[int]:
    """A row for each event (in order): the first row where it does not touch the marker
    before it; past MAX_ROWS, the least crowded row."""
    px_per_year = plot_px / max(x_range[1] - x_range[0], 1e-9)
    ends: list[float] = []
    out = []
    for m in events:
        x = (m.x - x_range[0]) * px_per_year
        row = next((r for r, end in enumerate(ends) if x - end >= MARKER_PX + 2), None)
        if row is None and len(ends) < MAX_ROWS:
            ends.append(-float("inf"))
            row = len(ends) - 1
        if row is None:
            row = min(range(len(ends)), key=lambda r: ends[r])
        ends[row] = x
        out.append(row)
    return out


def lane_height(model: ChartModel, plot_px: float) -> int:
    """Pixels the lane adds above the plot (0 without events)."""
    if not model.events:
        return 0
    return ROW_PX * (max(rows(model.events, model.x_range, plot_px)) + 1) + GAP_PX


def event_trace(model: ChartModel, plot_px: float) -> dict:
    events = model.events
    placed = rows(events, model.x_range, plot_px)
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": "Reform events",
        "x": [m.x for m in events],
        "y": [-(r + 0.5) for r in placed],
        "yaxis": LANE_AXIS,
        "text": [_hover(m) for m in events],
        "customdata": [m.number for m in events],
        "texttemplate": "%{customdata}",
        "textposition": "middle center",
        "textfont": {"size": 10, "color": "white"},
        "marker": {"size": MARKER_PX, "color": EVENT_COLOUR, "line": {"width": 0}},
        "hovertemplate": "%{text}<extra></extra>",
        "meta": "events",
        "showlegend": False,
        "cliponaxis": False,
    }


@lru_cache(maxsize=256)  # the same few events on every chart of every view
def _hover(marker: Marker) -> str:
    head, detail, source = text.event_hover(marker)
    return f"<b>{plain(head)}</b><br>{wrap(detail, 60)}<br>{wrap(source, 60)}"


def lane_axis(model: ChartModel, top: float, plot_px: float) -> dict:
    """The lane's axis: rows counted down from its top, above `top` (paper fraction)."""
    n = max(rows(model.events, model.x_range, plot_px)) + 1
    return {
        "domain": [top, 1],
        "range": [-n, 0],
        "visible": False,
        "fixedrange": True,
        "anchor": "x",
    }


def lane_title() -> dict:
    """'Events', left of the lane's first row."""
    return {
        "text": "Events",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "right",
        "yanchor": "top",
        "xshift": -6,
        "showarrow": False,
        "font": {"size": 11, "color": EVENT_COLOUR},
        "name": "lane-title",
    }


def break_shapes(model: ChartModel) -> list[dict]:
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": m.x,
            "x1": m.x,
            "y0": 0,
            "y1": 1,
            "name": "break-marker",
            "line": {"color": BREAK_COLOUR, "width": 2, "dash": "dash"},
        }
        for m in model.breaks
    ]


def break_labels(model: ChartModel, plot_top: float) -> list[dict]:
    """Each break named inside the plot's top edge, left of its line, on a white ground."""
    return [
        {
            "text": plain(m.label),
            "x": m.x,
            "xref": "x",
            "y": plot_top,
            "yref": "paper",
            "xanchor": "right",
            "yanchor": "top",
            "xshift": -3,
            "showarrow": False,
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": 11, "color": BREAK_COLOUR},
            "name": "break-label",
            "hovertext": plain(m.detail),
        }
        for m in model.breaks
    ]
