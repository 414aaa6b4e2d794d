"""The Plotly figure of a chart model (plain dicts), and the line-chart builder it uses.

Plain dicts, not plotly.express or graph_objects: they are several times cheaper to build
(11 ms against 233 ms for six charts on this machine) and serialise as they are.
Every figure carries its title, subtitle, notes and source line, so an exported image is
self-describing.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field, replace

from indicators.charts.model import ChartModel, Marker
from indicators.render import text

# Okabe-Ito palette (colour-blind safe); the focus country always gets the first, darkest one.
FOCUS_COLOR = "#0B3C8C"
PEER_COLORS = ["#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
BENCHMARK_COLOR = "#444444"
BAND_COLOR = "rgba(11, 60, 140, 0.15)"
PEER_BAND_COLOR = "rgba(120, 120, 120, 0.18)"
EVENT_COLOR = "rgba(120, 80, 0, 0.55)"
FONT_FAMILY = (
    '"Inter", "DejaVu Sans", "Liberation Sans", Arial, sans-serif'  # = exports.fonts.FONT_STACK
)
HEIGHT = 440
MARGIN = {"l": 60, "r": 200, "t": 78, "b": 60}
LEGEND_X = 1.02
CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"],
}


@dataclass(frozen=True)
class Line:
    """One plotted series. points: [(x, y, hover text)]."""

    key: str  # country code or series id; clicking a line highlights this key everywhere
    name: str
    points: tuple
    role: str = "peer"  # focus | peer | benchmark | aggregate
    dash: str = "solid"
    color: str | None = None
    yaxis: str = "y"
    group: str | None = None  # legend group (e.g. old and new CPI series of one country)
    show_legend: bool = True
    color_index: int | None = None  # fixed colour slot (a country keeps its colour)


@dataclass(frozen=True)
class Band:
    """A shaded interval. points: [(x, low, high)]."""

    name: str
    points: tuple
    color: str = BAND_COLOR
    yaxis: str = "y"
    show_legend: bool = True


@dataclass(frozen=True)
class ChartOptions:
    title: str
    subtitle: str
    source: str
    y_title: str
    notes: tuple[str, ...] = ()
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    y_reversed: bool = False
    y2: dict | None = None  # secondary axis: {"title":..., "range": (lo, hi)}
    x_tickvals: tuple | None = None
    x_ticktext: tuple | None = None
    y_format: str = ""
    zero_line: bool = False
    highlight: str | None = None
    height: int = HEIGHT
    width: int | None = None
    permalink: str | None = None
    x_title: str = ""
    markers_only: bool = False
    extra: dict = field(default_factory=dict)


def _plain(text: object) -> str:
    """Text from the data files as literal text for plotly, whose labels understand a little
    HTML (<b>, <a href>, <span style>): `<`, `>` and `&` become entities, which plotly shows
    as the characters themselves."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, width: int, escape: bool = True) -> str:
    """Break text into lines of at most `width` characters joined by <br>; a word longer than
    a line (a permalink) is split after '&', ',', '?' or '/' so it never runs off the image.
    Each line is escaped (`_plain`) unless it already is."""
    words = []
    for word in text.split():
        while len(word) > width:
            cut = max((m.end() for m in re.finditer(r"[&,?/]", word[:width])), default=width)
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(_plain(x) if escape else x for x in lines)


def _line_trace(line: Line, color: str, highlight: str | None, markers_only: bool) -> dict:
    xs = [p[0] for p in line.points]
    ys = [p[1] for p in line.points]
    texts = [p[2] for p in line.points]
    focus = line.role == "focus"
    emphasised = highlight is None or highlight == line.key or focus
    width = 3.5 if focus else 2.0
    if highlight is not None and highlight == line.key and not focus:
        width = 3.5
    trace = {
        "type": "scatter",
        "mode": "markers" if markers_only else "lines+markers",
        "name": _plain(line.name),
        "x": xs,
        "y": ys,
        "text": [_plain(t) if t is not None else None for t in texts],
        "hovertemplate": "%{text}<extra>" + _plain(line.name) + "</extra>",
        "line": {"color": color, "width": width, "dash": line.dash},
        "marker": {"color": color, "size": 7 if focus else 5},
        "opacity": 1.0 if emphasised else 0.35,
        "meta": line.key,
        "customdata": [line.key] * len(xs),
        "connectgaps": False,
        "showlegend": line.show_legend,
        "yaxis": line.yaxis,
    }
    if line.group:
        trace["legendgroup"] = line.group
    return trace


def _band_bars(band: Band, show_legend: bool) -> dict:
    xs = [p[0] for p in band.points]
    mids = [(p[1] + p[2]) / 2 for p in band.points]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": _plain(band.name),
        "x": xs,
        "y": mids,
        "yaxis": band.yaxis,
        "marker": {"size": 0.1, "color": band.color},
        "error_y": {
            "type": "data",
            "symmetric": False,
            "thickness": 8,
            "width": 0,
            "color": band.color.replace("0.18", "0.45"),
            "array": [p[2] - m for p, m in zip(band.points, mids, strict=True)],
            "arrayminus": [m - p[1] for p, m in zip(band.points, mids, strict=True)],
        },
        "hoverinfo": "skip",
        "showlegend": show_legend,
        "legendgroup": band.name,
    }


def _band_traces(band: Band, show_legend: bool = True) -> list[dict]:
    xs = [p[0] for p in band.points]
    lows = [p[1] for p in band.points]
    highs = [p[2] for p in band.points]
    common = {
        "type": "scatter",
        "mode": "lines",
        "line": {"width": 0},
        "yaxis": band.yaxis,
        "legendgroup": band.name,
        "hoverinfo": "skip",
    }
    return [
        {**common, "name": _plain(band.name), "x": xs, "y": lows, "showlegend": False},
        {
            **common,
            "name": _plain(band.name),
            "x": xs,
            "y": highs,
            "fill": "tonexty",
            "fillcolor": band.color,
            "showlegend": show_legend,
        },
    ]


def _marker_shapes_and_trace(markers: tuple[Marker, ...]) -> tuple[list[dict], list[dict]]:
    shapes, traces = [], []
    events = [m for m in markers if m.kind == "event"]
    for m in markers:
        is_break = m.kind == "break"
        if not is_break:
            continue  # events: one line trace below (cheaper to draw than a shape each)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": m.x,
                "x1": m.x,
                "y0": 0,
                "y1": 1,
                "name": f"{m.kind}-marker",
                "line": {
                    "color": "#B00020" if is_break else EVENT_COLOR,
                    "width": 2 if is_break else 1,
                    "dash": "dash" if is_break else "dot",
                },
            }
        )
    if events:
        xs = [v for m in events for v in (m.x, m.x, None)]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "event-lines",
                "x": xs,
                "y": [v for _ in events for v in (0, 1.02, None)],
                "yaxis": "y9",
                "line": {"color": EVENT_COLOR, "width": 1, "dash": "dot"},
                "hoverinfo": "skip",
                "showlegend": False,
                "meta": "event-lines",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Reform events",
                "x": [m.x for m in events],
                "y": [1.0] * len(events),
                "yaxis": "y9",
                "marker": {"symbol": "triangle-down", "size": 10, "color": EVENT_COLOR},
                "text": [f"<b>{_plain(m.label)}</b><br>{_wrap(m.detail, 60)}" for m in events],
                "hovertemplate": "%{text}<extra></extra>",
                "meta": "events",
                "showlegend": True,
            }
        )
    return shapes, traces


def line_figure(
    lines: list[Line],
    options: ChartOptions,
    bands: list[Band] = (),
    markers: tuple[Marker, ...] = (),
) -> dict:
    """A time-series chart: bands under lines, focus drawn last (on top), markers for events."""
    data: list[dict] = []
    named: set[str] = set()
    for band in bands:
        show = band.show_legend and band.name not in named  # once per name
        if options.markers_only:  # separate editions: a range bar each, never a joined area
            data.append(_band_bars(band, show))
        else:
            data += _band_traces(band, show_legend=show)
        named.add(band.name)
    peer_index = 0
    ordered = sorted(
        lines, key=lambda ln: {"benchmark": 0, "aggregate": 1, "peer": 2}.get(ln.role, 3)
    )
    colors: dict[str, str] = {}
    cycles: dict[str, int] = {}
    for line in ordered:
        if line.color:
            color = line.color
        elif line.role == "focus":
            color = FOCUS_COLOR
        elif line.role in ("benchmark", "aggregate"):
            color = BENCHMARK_COLOR
        elif line.key in colors:
            color = colors[line.key]
        else:
            slot = line.color_index if line.color_index is not None else peer_index
            color = PEER_COLORS[slot % len(PEER_COLORS)]
            cycles[line.key] = slot // len(PEER_COLORS)
            peer_index += 1
        colors[line.key] = color
        if cycles.get(line.key) and line.dash == "solid":
            # past the seven colour-blind-safe colours, repeat them dashed instead of clashing
            line = replace(line, dash=("dash", "longdash", "dashdot")[(cycles[line.key] - 1) % 3])
        data.append(_line_trace(line, color, options.highlight, options.markers_only))
    shapes, marker_traces = _marker_shapes_and_trace(markers)
    # the dotted event lines go under the data, the event triangles on top
    data = [t for t in marker_traces if t["meta"] == "event-lines"] + data
    data += [t for t in marker_traces if t["meta"] != "event-lines"]
    if options.zero_line:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": 0,
                "y1": 0,
                "line": {"color": "#888", "width": 1},
            }
        )
    figure = {"data": data, "layout": _layout(options, shapes, markers)}
    if options.width and (options.width < NARROW_WIDTH or not _legend_fits_at_right(figure)):
        _legend_below(figure, options)
    return figure


NARROW_WIDTH = 700  # below this (the 540 px square preset) the legend goes under the plot
LEGEND_LINE_PX = 16
LEGEND_ROW_GAP_PX = 4
LEGEND_CHAR_PX = 6.8  # mean advance of a 12 px Inter character, generous
LEGEND_SYMBOL_PX = 46
TICK_AREA_PX = 36
FOOTER_LINE_PX = 14


def _legend_fits_at_right(figure: dict) -> bool:
    layout = figure["layout"]
    entries = sum(1 for t in figure["data"] if t.get("showlegend", True) and t.get("name"))
    plot_height = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    return entries * 20 <= plot_height


def _legend_below(figure: dict, options: ChartOptions) -> None:
    """Horizontal legend under the plot in as many columns as fit (at most 4), rows counted,
    footer under it, so nothing overlaps whatever the number of peers (fixed-size exports)."""
    layout, data = figure["layout"], figure["data"]
    margin = layout["margin"]
    margin["r"] = 24 + (56 if options.y2 else 0)
    available = options.width - margin["l"] - margin["r"]
    columns = max(1, min(4, available // 170))
    entry = available // columns
    chars = max(12, int((entry - LEGEND_SYMBOL_PX) / LEGEND_CHAR_PX))
    heights = []
    for trace in data:
        if trace.get("showlegend", True) and trace.get("name"):
            trace["legendrank"] = len(heights)
            trace["name"] = _wrap(trace["name"], chars, escape=False)  # escaped when made
            heights.append(trace["name"].count("<br>") + 1)
    rows = [max(heights[i : i + columns]) for i in range(0, len(heights), columns)]
    legend_px = sum(r * LEGEND_LINE_PX + LEGEND_ROW_GAP_PX for r in rows) + 6
    footer_px = (layout["annotations"][0]["text"].count("<br>") + 1) * FOOTER_LINE_PX
    bottom = TICK_AREA_PX + legend_px + 8 + footer_px + 10
    layout["height"] = options.height + (bottom - MARGIN["b"])
    margin["b"] = bottom
    plot_height = layout["height"] - margin["t"] - bottom
    layout["legend"] = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": -TICK_AREA_PX / plot_height,
        "yanchor": "top",
        "traceorder": "normal",
        "entrywidth": entry - LEGEND_SYMBOL_PX,
        "entrywidthmode": "pixels",
        "font": {"size": 12},
        "tracegroupgap": 0,
        "itemclick": "toggle",
    }
    layout["annotations"][0]["yshift"] = -(TICK_AREA_PX + legend_px + 8)
    xaxis = layout["xaxis"]
    if "tickvals" in xaxis:  # editions: at most one label per 50 px
        step = math.ceil(len(xaxis["tickvals"]) / max(1, available // 50))
        xaxis["tickvals"], xaxis["ticktext"] = xaxis["tickvals"][::step], xaxis["ticktext"][::step]


def _layout(options: ChartOptions, shapes: list[dict], markers) -> dict:
    height = options.height
    wrap = 100 if (options.width or 700) >= 700 else 70
    footer = [*(f"Note: {n}" for n in options.notes), options.source]
    if options.permalink:
        footer.append(f"View: {options.permalink}")
    footer_text = "<br>".join(_wrap(t, wrap) for t in footer)
    footer_lines = footer_text.count("<br>") + 1
    bottom = MARGIN["b"] + footer_lines * 14
    height += bottom - MARGIN["b"]
    subtitle = _wrap(options.subtitle, wrap)
    xaxis = {
        "title": {"text": _plain(options.x_title)},
        "showgrid": False,
        "ticks": "outside",
        "linecolor": "#888",
        "showspikes": True,
        "spikemode": "across",
        "spikethickness": 1,
        "spikecolor": "#666",
        "spikedash": "solid",
        "spikesnap": "cursor",
        "hoverformat": "d",
    }
    if options.x_range:
        xaxis["range"] = list(options.x_range)
    if options.x_tickvals:
        xaxis["tickvals"] = list(options.x_tickvals)
        xaxis["ticktext"] = list(options.x_ticktext or options.x_tickvals)
        xaxis["tickangle"] = 0
    else:
        xaxis["tickformat"] = "d"
    yaxis = {
        "title": {"text": _plain(options.y_title)},
        "gridcolor": "#e6e6e6",
        "zeroline": False,
        "tickformat": options.y_format,
    }
    if options.y_range:
        yaxis["range"] = list(options.y_range)
    if options.y_reversed:
        yaxis["autorange"] = "reversed" if not options.y_range else None
        if options.y_range:
            yaxis["range"] = [options.y_range[1], options.y_range[0]]
    layout = {
        "title": {
            "text": f"<b>{_plain(options.title)}</b><br><span style='font-size:13px;color:#555'>"
            f"{subtitle}</span>",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 12 / height,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 12, "l": 12},
            "font": {"size": 18},
        },
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#222"},
        "height": height,
        "margin": {
            **MARGIN,
            "b": bottom,
            "t": MARGIN["t"] + 24 * subtitle.count("<br>"),
            "r": MARGIN["r"] + (56 if options.y2 else 0),
        },
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "x unified",
        "hoverlabel": {"namelength": -1},
        "xaxis": xaxis,
        "yaxis": yaxis,
        "legend": {
            "orientation": "v",
            "x": LEGEND_X + (0.1 if options.y2 else 0),
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "font": {"size": 12},
            "itemclick": "toggle",
        },
        "shapes": shapes,
        "annotations": [
            {
                "text": footer_text,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yshift": -36,
                "showarrow": False,
                "align": "left",
                "font": {"size": 11, "color": "#555"},
                "name": "source-line",
            }
        ],
        "meta": {"title": options.title, "source": options.source},
    }
    layout["annotations"] += [
        {
            "text": _plain(m.label),
            "x": m.x,
            "xref": "x",
            "y": 1,
            "yref": "paper",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 11, "color": "#B00020"},
            "xanchor": "left",
        }
        for m in markers
        if m.kind == "break"
    ]
    if any(m.kind == "event" for m in markers):
        layout["yaxis9"] = {
            "overlaying": "y",
            "range": [0, 1.02],
            "visible": False,
            "fixedrange": True,
        }
    if options.y2:
        layout["yaxis2"] = {
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "title": {"text": _plain(options.y2.get("title", ""))},
            "range": list(options.y2["range"]),
            "zeroline": False,
        }
    if options.width:
        layout["width"] = options.width
    layout.update(options.extra)
    return layout


def _with_gaps(points: list, grid: list[int]) -> list:
    """An empty point for each year of the chart that a series lacks between two of its
    values, so the line breaks there instead of joining across the missing years."""
    if not points:
        return points
    have = {p[0] for p in points}
    first, last = points[0][0], points[-1][0]
    missing = [(y, None, "no data") for y in grid if first < y < last and y not in have]
    return sorted(points + missing, key=lambda p: p[0])


def chart_figure(
    model: ChartModel,
    *,
    width: int | None = None,
    height: int = HEIGHT,
    permalink: str | None = None,
) -> dict:
    """The figure of a chart model: every series and band as plotted, hover text, axes,
    markers, title, subtitle with the years plotted, notes and source burned in."""
    grid = sorted({p.year for s in model.series for p in s.points})
    lines = []
    for s in model.series:
        points = [(p.year, p.value, text.hover_text(model, s, p)) for p in s.points]
        lines.append(
            Line(
                s.id,
                s.label,
                tuple(_with_gaps(points, grid)),
                role=s.role,
                dash=s.dash,
                yaxis=s.axis,
                show_legend=s.legend,
                group=s.id,
                color_index=s.slot,
                color="#6B6B6B" if s.role == "aggregate" else None,
            )
        )
    bands = [
        Band(
            b.label,
            tuple(b.points),
            PEER_BAND_COLOR if b.kind == "range" else BAND_COLOR,
            yaxis=b.axis,
            show_legend=b.legend,
        )
        for b in model.bands
    ]
    y2 = {"title": model.y2.title, "range": model.y2.range} if model.y2 else None
    options = ChartOptions(
        title=model.title,
        subtitle=text.subtitle(model),
        source=model.source,
        y_title=model.y.title,
        notes=model.notes,
        x_range=model.x_range,
        y_range=model.y.range,
        y_reversed=model.y.inverted,
        y2=y2,
        x_tickvals=tuple(y for y, _ in model.x_ticks) or None,
        x_ticktext=tuple(label for _, label in model.x_ticks) or None,
        zero_line=model.y.zero_line,
        highlight=model.highlight,
        height=height,
        width=width,
        permalink=permalink,
        markers_only=model.markers_only,
    )
    figure = line_figure(lines, options, bands, model.markers)
    if not model.series:
        figure["layout"]["annotations"].append(
            {
                "text": _plain(text.empty_message(model)),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 14, "color": "#555"},
                "name": "empty-message",
            }
        )
    return figure
