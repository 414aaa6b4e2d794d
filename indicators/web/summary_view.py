"""A chart card's "Summary" tab: each line's first and last value in the range, its change and
its place in the group, sortable in the browser (assets/cards.js) and downloadable as the
same rows in CSV (/export/<chart>.summary.csv)."""

from __future__ import annotations

import json

from dash import html

from indicators.render.chart import Chart
from indicators.render.summary import summary_data
from indicators.view.state import ViewState
from indicators.web.links import export_url


def summary_csv(chart: Chart, state: ViewState) -> str:
    return export_url(chart.id, "summary.csv", state)


def summary_json(chart: Chart, state: ViewState) -> str:
    """The Summary's data-summary attribute: its cells and sort keys (`summary_data`) and the
    address of the same rows as CSV."""
    data = {**summary_data(chart.model), "csv": summary_csv(chart, state)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def summary_section(chart: Chart, state: ViewState) -> html.Details:
    """Closed; assets/cards.js draws the table from its data-summary when it is opened, and
    keeps the CSV link and an open table in step with the view."""
    return html.Details(
        [
            html.Summary("Summary: change and place"),
            html.Div(
                className="table-scroll summary-body",
                tabIndex="0",
                role="region",
                **{"aria-label": f"Summary: {chart.title}"},
            ),
            html.Div(
                html.A(
                    "Summary as CSV",
                    href=summary_csv(chart, state),
                    className="download-link",
                    download="",
                ),
                className="downloads",
            ),
        ],
        id={"type": "chart-summary", "chart": chart.id},
        className="chart-table chart-summary",
        **{"data-summary": summary_json(chart, state)},
    )
