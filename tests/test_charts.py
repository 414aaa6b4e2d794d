import json

import pytest

from indicators.charts.registry import CHARTS
from indicators.render.chart import build_chart
from indicators.render.figure import CONFIG, ChartOptions, Line, line_figure
from indicators.view.state import ViewState

STATES = [
    ViewState(),
    ViewState(peer_mode="aggregate", cpi_measure="rank", wgi_mode="gap", fdi_unit="usd"),
    ViewState(
        focus="MNG",
        group="custom",
        peers=("CHN", "RUS"),
        cpi_measure="percentile",
        year_from=1990,
        events=False,
    ),
]


@pytest.mark.parametrize("chart_id", list(CHARTS))
@pytest.mark.parametrize("state", STATES, ids=["default", "aggregate", "custom"])
def test_every_chart_builds_a_json_figure_with_title_source_and_table(bundle, chart_id, state):
    chart = build_chart(chart_id, bundle, state)
    text = json.dumps(chart.figure, allow_nan=False)
    assert chart.title in text
    assert "Source:" in chart.source and chart.source in text
    assert set(chart.table.columns) >= {
        "chart",
        "series",
        "role",
        "iso3",
        "year",
        "value",
        "unit",
        "source",
    }
    assert chart.citations and chart.alt_text


def test_cpi_score_never_joins_old_and_new_scales(bundle):
    chart = build_chart("cpi", bundle, ViewState())
    for trace in chart.figure["data"]:
        xs = [x for x in trace.get("x", []) if isinstance(x, int | float)]
        if trace.get("meta") in ("events", "event-lines") or not xs:
            continue
        assert max(xs) <= 2011 or min(xs) >= 2012, trace["name"]
    old = [t for t in chart.figure["data"] if t.get("yaxis") == "y2"]
    assert old and all(max(y for y in t["y"] if y is not None) <= 10 for t in old)
    assert any(s["name"] == "break-marker" for s in chart.figure["layout"]["shapes"])


def test_cpi_rank_mode_inverts_axis_and_labels_rank_of_total(bundle):
    chart = build_chart("cpi", bundle, ViewState(cpi_measure="rank", year_from=2012))
    low, high = chart.figure["layout"]["yaxis"]["range"]
    assert low > high  # reversed: rank 1 at the top
    kaz = next(t for t in chart.figure["data"] if t["meta"] == "KAZ")
    assert "2023: 93 of 180" in kaz["text"]


def test_cpi_percentile_uses_that_years_count(bundle):
    chart = build_chart("cpi", bundle, ViewState(cpi_measure="percentile", year_from=2012))
    kaz = next(t for t in chart.figure["data"] if t["meta"] == "KAZ")
    value = dict(zip(kaz["x"], kaz["y"], strict=True))[2023]
    assert value == pytest.approx(100 * (180 - 93) / 179, abs=0.05)  # one decimal


def test_aggregate_mode_draws_median_band_and_coverage(bundle):
    chart = build_chart("wgi_cc", bundle, ViewState(peer_mode="aggregate"))
    median = next(t for t in chart.figure["data"] if t.get("meta") == "peer-median")
    assert "4 of 4 reporting" in median["text"][-1]
    assert any(t.get("fill") == "tonexty" for t in chart.figure["data"])


def test_focus_line_is_emphasised_and_drawn_last(bundle):
    chart = build_chart("manufacturing", bundle, ViewState())
    lines = [t for t in chart.figure["data"] if t.get("meta") not in ("events", "event-lines")]
    assert lines[-1]["meta"] == "KAZ"
    assert lines[-1]["line"]["width"] > max(t["line"]["width"] for t in lines[:-1])


def test_events_toggle(bundle):
    on = build_chart("fdi", bundle, ViewState(events=True)).figure["data"]
    off = build_chart("fdi", bundle, ViewState(events=False)).figure["data"]
    assert any(t.get("meta") == "events" for t in on)
    assert any(t.get("meta") == "event-lines" for t in on)  # the dotted lines, one trace
    assert not any(t.get("meta") in ("events", "event-lines") for t in off)


def test_plotted_table_matches_figure_points(bundle):
    chart = build_chart("manufactures_exports", bundle, ViewState())
    kaz = next(t for t in chart.figure["data"] if t["meta"] == "KAZ")
    rows = chart.table[chart.table["iso3"] == "KAZ"]
    assert rows["year"].tolist() == kaz["x"] and rows["value"].tolist() == kaz["y"]


def test_line_figure_is_pure_and_config_hides_logo_and_cloud():
    options = ChartOptions(title="T", subtitle="S", source="Source: X", y_title="Y")
    lines = [Line("KAZ", "Kazakhstan", ((2020, 1.0, "a"),), role="focus")]
    assert line_figure(lines, options) == line_figure(lines, options)
    assert CONFIG["displaylogo"] is False and CONFIG["showSendToCloud"] is False


def test_missing_years_break_the_line_instead_of_joining(bundle):
    chart = build_chart("cpi", bundle, ViewState())
    kgz_old = next(t for t in chart.figure["data"] if t.get("meta") == "KGZ" and t["yaxis"] == "y2")
    points = dict(zip(kgz_old["x"], kgz_old["y"], strict=True))
    # TI did not score Kyrgyzstan in 2000-2002: the line has holes there
    assert points[1999] is not None and points[2003] is not None
    assert all(points[y] is None for y in (2000, 2001, 2002))


def test_wgi_biennial_years_before_2002_are_not_gaps(bundle):
    chart = build_chart("wgi_cc", bundle, ViewState())
    kaz = next(t for t in chart.figure["data"] if t.get("meta") == "KAZ")
    assert None not in kaz["y"]


def test_country_keeps_its_colour_when_the_focus_changes(bundle):
    def colour(focus, iso3):
        chart = build_chart("cpi", bundle, ViewState(focus=focus, year_from=2012))
        return next(t for t in chart.figure["data"] if t.get("meta") == iso3)["line"]["color"]

    assert colour("KAZ", "UZB") == colour("TKM", "UZB")


def test_band_appears_once_in_the_legend(bundle):
    chart = build_chart("cpi", bundle, ViewState(peer_mode="aggregate"))
    shown = [t["name"] for t in chart.figure["data"] if t.get("fill") and t.get("showlegend")]
    assert len(shown) == len(set(shown)) == 1


def test_rank_table_carries_number_ranked(bundle):
    chart = build_chart("cpi", bundle, ViewState(cpi_measure="rank", year_from=2012))
    kaz = chart.table[(chart.table["iso3"] == "KAZ") & (chart.table["year"] == 2025)]
    assert kaz["value"].iloc[0] == 96 and kaz["out_of"].iloc[0] == 182


def test_dataset_specific_events_only_on_their_charts(bundle):
    def labels(chart_id):
        chart = build_chart(chart_id, bundle, ViewState())
        events = [t for t in chart.figure["data"] if t.get("meta") == "events"]
        return " ".join(events[0]["text"]) if events else ""

    # the discontinuation (2021) lies after the last edition: a note, not a marker off the axis
    assert "Doing Business discontinued" not in labels("db_rank")
    assert any("discontinued" in n for n in build_chart("db_rank", bundle, ViewState()).notes)
    assert "Doing Business discontinued" not in labels("wgi_cc")
    assert "Kazakhstan 2050" in labels("wgi_cc")


def test_wgi_charts_carry_the_revision_caveat(bundle):
    chart = build_chart("wgi_rl", bundle, ViewState())
    assert any("revises the whole history" in n for n in chart.notes)
    assert "revises the whole history" in json.dumps(chart.figure)
