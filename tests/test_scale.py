"""A log axis for amounts in US$ (FDI): the model, the figure and the outputs agree."""

import math

from hypothesis import HealthCheck, given, settings

from indicators.charts.registry import chart_model
from indicators.render.chart import build_chart
from indicators.view.state import DEFAULT, link_codes, read_view, to_query
from tests.test_chart_model import check_outputs_agree, states


def view(**changes):
    return DEFAULT.with_(view="economy", **changes)


def test_fdi_in_us_dollars_gets_a_log_axis_without_the_values_it_cannot_show(bundle):
    linear = chart_model("fdi", bundle, view(fdi_unit="usd", group="all_peers"))
    log = chart_model("fdi", bundle, view(fdi_unit="usd", group="all_peers", scale="log"))
    assert log.y.log and not linear.y.log
    dropped = [(s.label, p.year) for s in linear.series for p in s.points if p.value <= 0]
    assert all(p.value > 0 for s in log.series for p in s.points)
    kept = sum(len(s.points) for s in log.series)
    assert kept == sum(len(s.points) for s in linear.series) - len(dropped)
    if dropped:
        label, year = dropped[0]
        assert any(f"{label} {year}" in n for n in log.notes)
    figure = build_chart("fdi", bundle, view(fdi_unit="usd", scale="log")).figure
    yaxis = figure["layout"]["yaxis"]
    assert yaxis["type"] == "log"
    values = [y for t in figure["data"] for y in t.get("y", []) if isinstance(y, int | float)]
    lo, hi = yaxis["range"]
    assert lo <= math.log10(min(v for v in values if v > 0)) and hi >= math.log10(max(values))


def test_the_scale_leaves_charts_not_in_money_alone(bundle):
    for chart_id, state in (("fdi", view(scale="log")), ("manufacturing", view(scale="log"))):
        assert chart_model(chart_id, bundle, state) == chart_model(
            chart_id, bundle, state.with_(scale="linear")
        )


def test_scale_is_in_the_url_and_a_bad_value_is_dropped(bundle):
    parsed = read_view(bundle, "economy", "?fdi=usd&scale=log")
    assert parsed.state.scale == "log" and "scale=log" in to_query(parsed.state)
    parsed = read_view(bundle, "economy", "?scale=cubic")
    assert parsed.state.scale == "linear" and len(parsed.notices) == 1


def test_property_log_scale_outputs_agree(bundle):
    codes = sorted(link_codes(bundle))

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(states(codes))
    def run(case):
        _, state = case
        chart = build_chart("fdi", bundle, state.with_(view="economy", fdi_unit="usd", scale="log"))
        check_outputs_agree(chart)

    run()
