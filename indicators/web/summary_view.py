"""A chart card's "Summary" tab: each line's first and last value in the range, its change and
its place in the group, sortable in the browser (assets/summary.js) and downloadable as the
same rows in CSV (/export/<chart>.summary.csv)."""

from __future__ import annotations

from dash import dcc, html

from indicators.render.chart import Chart
from indicators.render.summary import summary_data
from indicators.view.state import ViewState, to_query


def summary_link(chart: Chart, state: ViewState) -> html.A:
    return html.A(
        "Summary as CSV",
        href=f"/export/{chart.id}.summary.csv{to_query(state)}",
        className="download-link",
        download="",
    )


def summary_section(chart: Chart, state: ViewState) -> html.Details:
    ident = chart.id
    return html.Details(
        [
            html.Summary("Summary: change and place"),
            dcc.Store(id={"type": "summary-data", "chart": ident}, data=summary_data(chart.model)),
            html.Div(
                id={"type": "summary-body", "chart": ident},
                className="table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-label": f"Summary: {chart.title}"},
            ),
            html.Div(
                summary_link(chart, state),
                id={"type": "summary-link", "chart": ident},
                className="downloads",
            ),
        ],
        id={"type": "chart-summary", "chart": ident},
        className="chart-table chart-summary",
    )
