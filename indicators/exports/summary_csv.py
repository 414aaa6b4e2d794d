"""A chart's summary table (first and last value, change, place) as a CSV file."""

from __future__ import annotations

from indicators.data.loading import Bundle
from indicators.exports.files import chart_basename, chart_state, check_chart, table_csv
from indicators.render.chart import build_chart
from indicators.render.summary import summary_table
from indicators.view.state import ViewState


def summary_export(bundle: Bundle, state: ViewState, chart_id: str) -> tuple[bytes, str]:
    """(CSV bytes, file name) of the summary rows the page's Summary tab shows."""
    check_chart(chart_id)
    state = chart_state(state, chart_id)
    chart = build_chart(chart_id, bundle, state)
    name = f"{chart_basename(bundle, state, chart_id, chart=chart)}-summary.csv"
    return table_csv(summary_table(chart.model)).encode("utf-8"), name
