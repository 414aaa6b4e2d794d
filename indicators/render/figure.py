"""The Plotly figure of a chart model (plain dicts).

Plain dicts, not plotly.express or graph_objects: they are several times cheaper to build
(11 ms against 233 ms for six charts on this machine) and serialise as they are.
Every figure carries its title, subtitle, notes and source line, so an exported image is
self-describing. Lines are named by direct labels at their right end (render.labels); a legend
is drawn only where the labels cannot serve: too many to stack, or a figure too narrow for
their column (a known width here; the dashboard's in assets/responsive.js, from layout.meta).
"""

from __future__ import annotations

import math
from functools import lru_cache

from indicators.charts.model import ChartModel, Series
from indicators.render import colours, labels, lane, text
from indicators.render.markup import plain, wrap

BAND_COLOUR = "rgba(11, 60, 140, 0.15)"
PEER_BAND_COLOUR = "rgba(120, 120, 120, 0.18)"
PEER_BAR_COLOUR = "rgba(120, 120, 120, 0.45)"
FONT_FAMILY = (
    '"Inter", "DejaVu Sans", "Liberation Sans", Arial, sans-serif'  # = exports.fonts.FONT_STACK
)
HEIGHT = 440
MARGIN = {"l": 68, "r": 24, "t": 78, "b": 60}
LEGEND_R = 200  # right margin of a vertical legend (dashboard, labels that cannot stack)
Y2_PX = 52  # the right axis' ticks and title
SAFE_PX = 12  # blank edge kept around everything drawn
TICK_AREA_PX = 36
FOOTER_LINE_PX = 14.5  # an 11 px line as plotly spaces it, rounded up
FOOTER_CHAR_PX = 6.2  # mean advance of an 11 px Inter character, generous
SUBTITLE_CHAR_PX = 7.4  # the same at 13 px
WEB_WRAP = 100  # footer characters per line when the width is not known
SUBTITLE_LINE_PX = 24
TITLE_LINE_PX = 26  # the 18 px bold title line
AXIS_LINE_PX = 17
LEGEND_LINE_PX = 16
LEGEND_ROW_GAP_PX = 4
LEGEND_CHAR_PX = 6.8
LEGEND_SYMBOL_PX = 46
CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"],
}


def _with_gaps(points: list, grid: list[int]) -> list:
    """An empty point for each year of the chart that a series lacks between two of its
    values, so the line breaks there instead of joining across the missing years."""
    if not points:
        return points
    have = {p[0] for p in points}
    first, last = points[0][0], points[-1][0]
    missing = [(y, None, "no data") for y in grid if first < y < last and y not in have]
    return sorted(points + missing, key=lambda p: p[0])


def _emphasised(model: ChartModel, s: Series) -> bool:
    return model.highlight is None or model.highlight == s.id or s.role == "focus"


def _line_trace(model: ChartModel, s: Series, grid: list[int], dash: str) -> dict:
    look = colours.style(s.role, s.slot, dash)
    points = _with_gaps([(p.year, p.value, _tooltip(model, s, p)) for p in s.points], grid)
    highlighted = model.highlight == s.id and s.role != "focus"
    width = colours.FOCUS_WIDTH if highlighted else look.width
    trace = {
        "type": "scatter",
        "mode": "markers" if model.markers_only else "lines+markers",
        "name": plain(s.label),
        "x": [p[0] for p in points],
        "y": [p[1] for p in points],
        "text": [p[2] for p in points],
        "hovertemplate": "%{text}<extra>" + plain(s.label) + "</extra>",
        "line": {"color": look.colour, "width": width, "dash": look.dash},
        "marker": {"color": look.colour, "size": 7 if s.role == "focus" else 5},
        "opacity": 1.0 if _emphasised(model, s) else 0.35,
        "meta": s.id,
        "customdata": [s.id] * len(points),
        "connectgaps": False,
        "showlegend": s.legend,
        "legendgroup": s.id,
        "yaxis": s.axis,
    }
    return trace


def _tooltip(model: ChartModel, s: Series, p) -> str:
    return _escaped(model.year_label(p.year), model.unit, s.decimals, p)


# a point's tooltip as plotly gets it, remembered: a view writes hundreds, nearly all written
# before (one lookup per point)
@lru_cache(maxsize=1 << 16)
def _escaped(year: str, unit: str, decimals: int, point) -> str:
    return plain(text.point_text(year, unit, decimals, point))


def _dashes(model: ChartModel) -> dict[str, str]:
    """Each series' dash: its own, or the next free one where two peers of this chart share a
    colour slot (custom peers from outside one group), so no two lines look the same."""
    seen: set[tuple] = set()
    out = {}
    for s in model.series:
        dash = s.dash
        if s.role == "peer" and s.legend:
            look = colours.style(s.role, s.slot, dash)
            cycle = [look.dash, *colours.REPEAT_DASHES, "dot"]
            dash = next((d for d in cycle if (look.colour, d) not in seen), look.dash)
            seen.add((look.colour, dash))
        out[s.id, s.axis] = dash
    return out


def _band_traces(model: ChartModel) -> list[dict]:
    out: list[dict] = []
    named: set[str] = set()
    for band in model.bands:
        show = band.legend and band.label not in named  # once per name
        named.add(band.label)
        xs = [p[0] for p in band.points]
        colour = PEER_BAND_COLOUR if band.kind == "range" else BAND_COLOUR
        common = {"type": "scatter", "yaxis": band.axis, "legendgroup": band.label}
        if model.markers_only:  # separate editions: a range bar each, never a joined area
            mids = [(p[1] + p[2]) / 2 for p in band.points]
            out.append(
                {
                    **common,
                    "mode": "markers",
                    "name": plain(band.label),
                    "x": xs,
                    "y": mids,
                    "marker": {"size": 0.1, "color": colour},
                    "error_y": {
                        "type": "data",
                        "symmetric": False,
                        "thickness": 8,
                        "width": 0,
                        "color": PEER_BAR_COLOUR,
                        "array": [p[2] - m for p, m in zip(band.points, mids, strict=True)],
                        "arrayminus": [m - p[1] for p, m in zip(band.points, mids, strict=True)],
                    },
                    "hoverinfo": "skip",
                    "showlegend": show,
                }
            )
            continue
        edge = {**common, "mode": "lines", "line": {"width": 0}, "hoverinfo": "skip"}
        out += [
            {**edge, "name": plain(band.label), "x": xs, "y": [p[1] for p in band.points]},
            {
                **edge,
                "name": plain(band.label),
                "x": xs,
                "y": [p[2] for p in band.points],
                "fill": "tonexty",
                "fillcolor": colour,
                "showlegend": show,
            },
        ]
        out[-2]["showlegend"] = False
    return out


def _value_range(model: ChartModel, axis: str) -> tuple[float, float] | None:
    values = [p.value for s in model.series if s.axis == axis for p in s.points]
    values += [v for b in model.bands if b.axis == axis for p in b.points for v in p[1:]]
    return (min(values), max(values)) if values else None


def y_range(model: ChartModel, axis: str = "y") -> list[float] | None:
    """The axis range drawn, bottom to top: the model's (a rank's reversed), or the values'
    padded by 5% (with 0 when the axis draws a zero line)."""
    spec = model.y if axis == "y" else model.y2
    if spec is not None and spec.log:
        return _log_range(model, axis)
    if spec is not None and spec.range is not None:
        lo, hi = spec.range
        return [hi, lo] if spec.inverted else [lo, hi]
    span = _value_range(model, axis)
    if span is None:
        return None
    lo, hi = span
    if spec is not None and spec.zero_line:
        lo, hi = min(lo, 0), max(hi, 0)
    pad = (hi - lo) * 0.05 or abs(hi) * 0.05 or 1
    return [lo - pad, hi + pad]


def _log_range(model: ChartModel, axis: str) -> list[float] | None:
    """A log axis's range, in powers of ten as plotly takes it, padded by 5% of its span."""
    span = _value_range(model, axis)
    if span is None or span[0] <= 0:
        return None
    lo, hi = math.log10(span[0]), math.log10(span[1])
    pad = (hi - lo) * 0.05 or 0.1
    return [lo - pad, hi + pad]


def _direct_labels(model: ChartModel, plot_px: float, size: int, ranges: dict) -> list[tuple]:
    """(label, series) for each line (a series and its second segment share one), wanted at
    its last value (px from the plot's top)."""
    last: dict[str, Series] = {}
    for s in model.series:
        if s.points and (s.id not in last or s.points[-1].year > last[s.id].points[-1].year):
            last[s.id] = s
    out = []
    for s in last.values():
        bottom, top = ranges[s.axis] or (0, 1)
        spec = model.y if s.axis == "y" else model.y2
        value = s.points[-1].value
        if spec is not None and spec.log:  # the range is in powers of ten
            value = math.log10(value) if value > 0 else bottom
        wanted = (top - value) / ((top - bottom) or 1) * plot_px
        lines = labels.wrap(s.tag)
        out.append((labels.Label(s.id, lines, wanted, s.role == "focus", size), s))
    return out


def _label_annotations(
    model: ChartModel, placed: list[tuple], plot_px: float, lane_px: float, right_axis: int
) -> list[dict]:
    """The labels as annotations, in the column right of the plot; a crowded column may rise
    beside the events lane."""
    centres = labels.place([label for label, _ in placed], -lane_px, plot_px)
    plot_top = plot_px / (plot_px + lane_px)  # paper units: the axes would hide a label
    out = []  # placed beyond their range, as one beside the lane is
    for (label, s), centre in zip(placed, centres, strict=True):
        look = colours.style(s.role, s.slot, s.dash)
        body = "<br>".join(plain(line) for line in label.lines)
        out.append(
            {
                "text": f"<b>{body}</b>" if label.bold else body,
                "xref": "paper",
                "x": 1,
                "xanchor": "left",
                "xshift": labels.GAP_PX + right_axis,
                "yref": "paper",
                "y": plot_top * (1 - centre / plot_px),
                "yanchor": "middle",
                "align": "left",
                "showarrow": False,
                "font": {"size": label.size, "color": colours.text_colour(look.colour)},
                "opacity": 1.0 if _emphasised(model, s) else 0.5,
                "name": "direct-label",
            }
        )
    return out


def _footer_lines(model: ChartModel, permalink: str | None, exported: bool) -> list[str]:
    lines = [f"Note: {n}" for n in model.notes]
    note = text.events_note(model)
    if note:
        lines.append(note)
    if exported and model.events:
        lines.append(text.event_pointer(model, bool(permalink)))
    lines.append(model.source)
    if permalink:
        lines.append(f"View: {permalink}")
    return lines


def _axis_title(title: str, length_px: float) -> str:
    """An axis title broken into lines no longer than the axis."""
    return wrap(title, max(10, int(length_px / SUBTITLE_CHAR_PX)))


def _axes(model: ChartModel, plot_top: float, length_px: float, ranges: dict) -> dict:
    empty = not model.series
    xaxis = {
        "title": {"text": ""},
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
        "range": list(model.x_range),
        "visible": not empty,
    }
    if model.x_ticks:
        xaxis["tickvals"] = [y for y, _ in model.x_ticks]
        xaxis["ticktext"] = [label for _, label in model.x_ticks]
        xaxis["tickangle"] = 0
    else:
        xaxis["tickformat"] = "d"
    yaxis = {
        "title": {"text": _axis_title(model.y.title, length_px)},
        "gridcolor": "#e6e6e6",
        "zeroline": False,
        "domain": [0, plot_top],
        "visible": not empty,
    }
    span = ranges["y"]
    if span is not None:
        yaxis["range"] = span
    if model.y.log:
        yaxis["type"] = "log"
    out = {"xaxis": xaxis, "yaxis": yaxis}
    if model.y2:
        out["yaxis2"] = {
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "title": {"text": _axis_title(model.y2.title, length_px)},
            "range": ranges["y2"],
            "zeroline": False,
        }
    return out


def _zero_line() -> dict:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": 0,
        "y1": 0,
        "line": {"color": "#888", "width": 1},
    }


def _empty_message(model: ChartModel) -> dict:
    return {
        "text": plain(text.empty_message(model)),
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 14, "color": "#555"},
        "name": "empty-message",
    }


def chart_figure(
    model: ChartModel,
    *,
    width: int | None = None,
    height: int = HEIGHT,
    permalink: str | None = None,
) -> dict:
    """The figure of a chart model: every series and band as plotted, hover text, axes, the
    events lane and breaks, direct labels (or a legend), title, subtitle with the years
    plotted, notes and source burned in. `width`: the exported image's (None: the dashboard,
    which sizes the figure to its card)."""
    wrap_at = WEB_WRAP if width is None else int((width - 2 * SAFE_PX) / FOOTER_CHAR_PX)
    footer = "<br>".join(
        wrap(line, wrap_at) for line in _footer_lines(model, permalink, width is not None)
    )
    subtitle_at = WEB_WRAP if width is None else int((width - 2 * SAFE_PX) / SUBTITLE_CHAR_PX)
    subtitle = wrap(text.subtitle(model), subtitle_at)
    margin = dict(MARGIN)
    margin["t"] += SUBTITLE_LINE_PX * subtitle.count("<br>")
    lines = footer.count("<br>") + 1
    margin["b"] = math.ceil(TICK_AREA_PX + FOOTER_LINE_PX * lines + SAFE_PX)
    plot_width = width - margin["l"] - MARGIN["r"] if width else lane.ASSUMED_PLOT_PX
    lane_px = lane.lane_height(model, plot_width)
    total = height + (margin["b"] - MARGIN["b"]) + lane_px
    plot_px = total - margin["t"] - margin["b"]
    plot_top = 1 - lane_px / plot_px
    main_px = plot_px - lane_px
    # a title on more lines needs more room beside its axis
    margin["l"] += AXIS_LINE_PX * _axis_title(model.y.title, main_px).count("<br>")
    right_axis = 0
    if model.y2:
        right_axis = Y2_PX + AXIS_LINE_PX * _axis_title(model.y2.title, main_px).count("<br>")
    margin["r"] += right_axis

    ranges = {"y": y_range(model), "y2": y_range(model, "y2") if model.y2 else None}
    grid = sorted({p.year for s in model.series for p in s.points})
    dashes = _dashes(model)
    ordered = sorted(
        model.series, key=lambda s: {"benchmark": 0, "aggregate": 1, "peer": 2}.get(s.role, 3)
    )
    data = _band_traces(model)
    data += [_line_trace(model, s, grid, dashes[s.id, s.axis]) for s in ordered]
    shapes = lane.break_shapes(model) + ([_zero_line()] if model.y.zero_line else [])
    annotations = [
        {
            "text": footer,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "top",
            "xshift": SAFE_PX - margin["l"],
            "yshift": -TICK_AREA_PX,
            "showarrow": False,
            "align": "left",
            "font": {"size": 11, "color": "#555"},
            "name": "source-line",
        },
        *lane.break_labels(model, plot_top),
    ]
    layout = {
        "title": {
            "text": f"<b>{plain(model.title)}</b><br><span style='font-size:13px;color:#555'>"
            f"{subtitle}</span>",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - (SAFE_PX + 4) / total,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": SAFE_PX, "l": SAFE_PX},
            "font": {"size": 18},
        },
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#222"},
        "height": total,
        "margin": margin,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "x unified",
        "hoverlabel": {"namelength": -1},
        **_axes(model, plot_top, main_px, ranges),
        "legend": {
            "orientation": "v",
            "x": 1.02 + (0.1 if model.y2 else 0),
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "font": {"size": 12},
            "itemclick": "toggle",
        },
        "shapes": shapes,
        "annotations": annotations,
        "meta": {"title": model.title, "source": model.source, "labels": 0},
    }
    if model.events:
        data.append(lane.event_trace(model, plot_width))
        layout[f"yaxis{lane.LANE_AXIS[1:]}"] = lane.lane_axis(model, plot_top, plot_width)
        annotations.append(lane.lane_title())
    if width:
        layout["width"] = width
    if not model.series:
        annotations.append(_empty_message(model))
    figure = {"data": data, "layout": layout}
    _name_lines(figure, model, width, (main_px, lane_px), right_axis, ranges)
    return figure


def _name_lines(
    figure: dict,
    model: ChartModel,
    width: int | None,
    px: tuple[float, float],
    right_axis: int,
    ranges: dict,
) -> None:
    """Direct labels where they fit, at the largest size that does; else a legend (under the
    plot when the width is known). `px`: heights of the main plot and of the events lane."""
    layout = figure["layout"]
    plot_px, lane_px = px
    for size in labels.SIZES:
        placed = _direct_labels(model, plot_px, size, ranges)
        wanted = [label for label, _ in placed]
        if labels.stacks(wanted, plot_px + lane_px) and (
            width is None or labels.fits(wanted, width)
        ):
            break
    else:
        if width is None:
            layout["margin"]["r"] = LEGEND_R + right_axis
        elif placed:
            _legend_below(figure, width)
        return
    if placed:
        column = math.ceil(labels.column_width(wanted))
        layout["annotations"] += _label_annotations(model, placed, plot_px, lane_px, right_axis)
        layout["margin"]["r"] = column + right_axis + SAFE_PX
        layout["meta"]["labels"] = column
        layout["showlegend"] = False


def _legend_below(figure: dict, width: int) -> None:
    """Horizontal legend under the plot in as many columns as fit (at most 4), rows counted,
    footer under it, so nothing overlaps whatever the number of peers (fixed-size exports)."""
    layout, data = figure["layout"], figure["data"]
    margin = layout["margin"]
    available = width - margin["l"] - margin["r"]
    columns = max(1, min(4, available // 170))
    entry = available // columns
    chars = max(12, int((entry - LEGEND_SYMBOL_PX) / LEGEND_CHAR_PX))
    heights = []
    for trace in data:
        if trace.get("showlegend", True) and trace.get("name") and trace.get("meta") != "events":
            trace["legendrank"] = len(heights)
            trace["name"] = wrap(trace["name"], chars, escape=False)  # escaped when made
            heights.append(trace["name"].count("<br>") + 1)
    rows = [max(heights[i : i + columns]) for i in range(0, len(heights), columns)]
    legend_px = sum(r * LEGEND_LINE_PX + LEGEND_ROW_GAP_PX for r in rows) + 6
    margin["b"] += legend_px + 8
    layout["height"] += legend_px + 8  # files.build_for_size asks for less to keep its size
    plot_height = layout["height"] - margin["t"] - margin["b"]
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


def untitled(figure: dict) -> dict:
    """The figure without its title line, for a slide whose own title says it: the subtitle
    on top and the plot that much taller."""
    layout = dict(figure["layout"])
    layout["title"] = {**layout["title"], "text": layout["title"]["text"].split("<br>", 1)[1]}
    layout["margin"] = {**layout["margin"], "t": layout["margin"]["t"] - TITLE_LINE_PX}
    return {**figure, "layout": layout}
