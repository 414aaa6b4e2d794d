"""A chart's summary (first and last value, change, place): from its model, the page's rows and
the CSV agree; places respect the direction of the indicator and ties."""

import io

import pandas as pd
import pytest

from indicators.charts.model import Axis, ChartModel, Point, Series
from indicators.charts.registry import CHARTS
from indicators.render.chart import build_chart
from indicators.render.summary import summary, summary_data, summary_table
from indicators.view.state import DEFAULT


def model(values: dict[str, tuple[float, float]], inverted=False, decimals=0) -> ChartModel:
    series = tuple(
        Series(
            code,
            code,
            "focus" if i == 0 else "peer",
            (Point(2010, a), Point(2020, b)),
            unit="u",
            iso3=code,
            decimals=decimals,
        )
        for i, (code, (a, b)) in enumerate(values.items())
    )
    return ChartModel("c", "v", "t", "s", "u", series, Axis("y", inverted=inverted), (2010, 2020))


def test_places_follow_the_direction_and_ties_share_a_place():
    rows = {r.series.id: r for r in summary(model({"A": (1, 50), "B": (2, 70), "C": (3, 50)}))}
    assert (rows["B"].place, rows["A"].place, rows["C"].place) == (1, 2, 2)
    assert rows["A"].of == 3
    ranks = {r.series.id: r for r in summary(model({"A": (9, 5), "B": (9, 7)}, inverted=True))}
    assert (ranks["A"].place, ranks["B"].place) == (1, 2)
    assert ranks["A"].change_pct is None  # no relative change of a rank


def test_relative_change_only_from_a_positive_first_value():
    rows = {r.series.id: r for r in summary(model({"A": (0, 5), "B": (-2, 3), "C": (4, 5)}))}
    assert rows["A"].change_pct is None and rows["B"].change_pct is None
    assert rows["C"].change_pct == 25.0
    assert rows["B"].change == 5


def test_change_is_rounded_half_away_at_the_series_precision():
    rows = summary(model({"A": (1.0, 1.25)}, decimals=1))
    assert rows[0].change == 0.3  # 0.25 -> 0.3, never 0.2


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_page_rows_and_csv_hold_the_same_series_and_values(bundle, chart_id):
    chart = build_chart(chart_id, bundle, DEFAULT.with_(view=CHARTS[chart_id].view))
    table = summary_table(chart.model)
    data = summary_data(chart.model)
    assert [r[0] for r in data["rows"]] == list(table["series"])
    csv = pd.read_csv(io.StringIO(table.to_csv(index=False)))
    assert [k[5] for k in data["keys"]] == pytest.approx(list(csv["last_value"]))
    plotted = {s.label: s.points[-1].value for s in chart.model.series if s.points}
    assert dict(zip(table["series"], table["last_value"], strict=True)) == plotted
    focus = table[table["role"] == "focus"]
    if len(focus) and focus["place"].notna().any():
        assert focus["place"].dropna().iloc[0] >= 1


def test_summary_csv_route_and_page_section(bundle):
    from indicators.web.app import create_app

    app = create_app(export_status=lambda: (True, ""))
    client = app.server.test_client()
    response = client.get("/export/cpi.summary.csv?focus=KAZ&group=central_asia")
    assert response.status_code == 200
    assert "summary.csv" in response.headers["Content-Disposition"]
    csv = pd.read_csv(io.StringIO(response.data.decode()))
    expected = summary_table(build_chart("cpi", bundle, DEFAULT.with_(view="corruption")).model)
    assert list(csv["series"]) == list(expected["series"])
    assert client.get("/export/cpi.summary.png").status_code == 404
    assert client.get("/export/nope.summary.csv").status_code == 404
