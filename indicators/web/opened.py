"""Tables and summaries drawn in the browser only while open.

A chart's data table and its summary are drawn by assets/tables.js and summary.js from a
store of their rows. The rows are fetched when one is opened and sent with a change of
settings only while it is open: six tables' rows would otherwise cross the wire, and each
store's update cost the page a render, on every change of settings, for tables seldom open.
"""

from __future__ import annotations

from dash import dcc

KINDS = ("table", "summary")


def drawn_when_open(kind: str, chart_id: str) -> list:
    """The stores of a chart's table or summary (`kind`): its rows, and whether it is open
    (written by the script that draws it)."""
    if kind not in KINDS:
        raise ValueError(f"no {kind!r} is drawn when open; only {KINDS}")
    return [
        dcc.Store(id={"type": f"{kind}-data", "chart": chart_id}),
        dcc.Store(id={"type": f"{kind}-open", "chart": chart_id}, data=False),
    ]
