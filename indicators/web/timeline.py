"""The timeline's Play control: assets/timeline.js steps the years, one per step.

On the map it steps the map's year through the years with data (from the figure's meta); on
a chart view it steps the end of the year range from a few years after its start to the end
the view had, redrawing every chart. Space or Escape pauses; the status line says where it is.
"""

from __future__ import annotations

from dash import html

from indicators.view.params import BY_NAME

MIN_SPAN = 2  # a chart view starts playing with at least this many years after its start


def play_control(target: str) -> html.Div:
    """`target`: "map" (the map's year) or "range" (the end of the year range)."""
    return html.Div(
        [
            html.Button(
                "Play years",
                id="play-years",
                className="button play-years",
                type="button",
                **{
                    "aria-pressed": "false",
                    "aria-describedby": "play-status",
                    "data-target": target,
                    "data-from": str(BY_NAME["year_from"].default),
                    "data-to": str(BY_NAME["year_to"].default),
                    "data-span": str(MIN_SPAN),
                },
            ),
            html.Span(
                "Steps through the years; Space or Escape pauses.",
                id="play-status",
                className="note",
                role="status",
            ),
        ],
        className="timeline",
    )
