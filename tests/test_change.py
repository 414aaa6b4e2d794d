"""Relative change: every chart shown as change since the first year of its range."""

import pytest
from hypothesis import HealthCheck, given, settings

from indicators.charts.change import EDITIONS_NOTE, INDEX_BASE, as_change
from indicators.charts.registry import chart_model
from indicators.render.chart import build_chart
from indicators.view.state import DEFAULT, link_codes, read_view, to_query
from tests.test_chart_model import check_outputs_agree, states


def view(**changes):
    return DEFAULT.with_(**changes)


def test_each_series_starts_at_zero_and_keeps_its_published_values(bundle):
    state = view(view="governance", year_from=2000)
    level = chart_model("wgi_cc", bundle, state)
    change = chart_model("wgi_cc", bundle, state.with_(values="change"))
    assert change.subtitle.startswith("Change since the first year")
    for before, after in zip(level.series, change.series, strict=True):
        base = before.points[0].value
        assert after.points[0].value == 0
        for p, q in zip(before.points, after.points, strict=True):
            assert q.value == pytest.approx(p.value - base, abs=0.051)
            assert q.published == (p.published if p.published is not None else p.value)
    interval = next(b for b in change.bands if b.id == "focus-interval")
    focus_base = level.focus.points[0].value
    original = next(b for b in level.bands if b.id == "focus-interval")
    assert interval.points[0][1] == pytest.approx(original.points[0][1] - focus_base, abs=0.051)
    assert change.y.range[0] < 0 < change.y.range[1] and change.y.zero_line


def test_money_is_an_index_of_its_first_year(bundle):
    state = view(view="economy", fdi_unit="usd", year_from=2005, values="change")
    model = chart_model("fdi", bundle, state)
    assert model.unit.startswith("index, 2005 = 100")
    for s in model.series:
        if s.points:
            assert s.points[0].value == INDEX_BASE
            first = s.points[0].published
            last = s.points[-1]
            assert last.value == pytest.approx(100 * last.published / first, abs=0.051)


def test_ranks_stay_inverted_so_that_up_is_better(bundle):
    model = chart_model("cpi", bundle, view(view="corruption", cpi_measure="rank", values="change"))
    assert model.y.inverted
    lo, hi = model.y.range
    assert lo < 0 < hi


def test_doing_business_editions_are_not_shown_as_change(bundle):
    state = view(view="economy", values="change")
    level = chart_model("db_rank", bundle, state.with_(values="level"))
    model = chart_model("db_rank", bundle, state)
    assert model.series == level.series
    assert EDITIONS_NOTE in model.notes


def test_the_setting_is_in_the_url_and_a_bad_value_is_dropped(bundle):
    parsed = read_view(bundle, "economy", "?values=change")
    assert parsed.state.values == "change" and "values=change" in to_query(parsed.state)
    parsed = read_view(bundle, "economy", "?values=percent")
    assert parsed.state.values == "level" and len(parsed.notices) == 1


def test_as_change_is_pure(bundle):
    model = chart_model("wgi_va", bundle, view(view="governance"))
    before = repr(model)
    as_change(model)
    assert repr(model) == before


def test_property_change_outputs_agree_with_the_chart(bundle):
    codes = sorted(link_codes(bundle))

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(states(codes))
    def run(case):
        chart_id, state = case
        chart = build_chart(chart_id, bundle, state.with_(values="change"))
        check_outputs_agree(chart)
        for s in chart.model.series:
            if s.points and not chart.model.markers_only:
                assert s.points[0].value in (0, INDEX_BASE)

    run()
