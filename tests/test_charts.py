import html
import itertools
import json
import re

import pytest

from indicators.charts.registry import CHARTS
from indicators.render.chart import build_chart
from indicators.render.colours import ACCENT
from indicators.render.figure import CONFIG, chart_figure
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
        if trace.get("meta") == "events" or not xs:
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
    lines = [t for t in chart.figure["data"] if t.get("meta") != "events"]
    assert lines[-1]["meta"] == "KAZ"
    assert lines[-1]["line"]["width"] > max(t["line"]["width"] for t in lines[:-1])


def test_events_toggle(bundle):
    on = build_chart("fdi", bundle, ViewState(events=True)).figure["data"]
    off = build_chart("fdi", bundle, ViewState(events=False)).figure["data"]
    assert any(t.get("meta") == "events" for t in on)
    assert not any(t.get("meta") == "events" for t in off)


def test_plotted_table_matches_figure_points(bundle):
    chart = build_chart("manufactures_exports", bundle, ViewState())
    kaz = next(t for t in chart.figure["data"] if t["meta"] == "KAZ")
    rows = chart.table[chart.table["iso3"] == "KAZ"]
    assert rows["year"].tolist() == kaz["x"] and rows["value"].tolist() == kaz["y"]


def test_chart_figure_is_pure_and_config_hides_logo_and_cloud(bundle):
    model = build_chart("cpi", bundle, ViewState()).model
    assert chart_figure(model) == chart_figure(model)
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


def _labels(figure):
    return [a for a in figure["layout"]["annotations"] if a.get("name") == "direct-label"]


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_lines_are_named_by_direct_labels_not_a_legend(bundle, chart_id):
    chart = build_chart(chart_id, bundle, ViewState())
    layout = chart.figure["layout"]
    named = [re.sub("</?b>", "", a["text"]).replace("<br>", " ") for a in _labels(chart.figure)]
    assert sorted(html.unescape(n) for n in named) == sorted(
        {s.id: s.tag for s in chart.model.series}.values()
    )
    assert layout["showlegend"] is False
    # the column the dashboard needs, at most 15% of a 658 px card (1440 px screen, two columns)
    assert 0 < layout["meta"]["labels"] <= 0.15 * 658


def test_direct_labels_never_overlap(bundle):
    chart = build_chart("wgi_va", bundle, ViewState(group="all_peers", peer_mode="lines"))
    layout = chart.figure["layout"]
    plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    spans = sorted(
        ((1 - a["y"]) * plot, (a["text"].count("<br>") + 1) * a["font"]["size"] * 1.3)
        for a in _labels(chart.figure)
    )
    assert len(spans) >= 10
    for (y0, h0), (y1, h1) in itertools.pairwise(spans):
        assert y1 - y0 >= (h0 + h1) / 2 - 1e-6


@pytest.mark.parametrize("width", [800, 540])
def test_exports_label_lines_or_draw_a_legend_within_15_percent(bundle, width):
    chart = build_chart("cpi", bundle, ViewState(), {"width": width})
    layout = chart.figure["layout"]
    if _labels(chart.figure):
        assert layout["meta"]["labels"] <= 0.15 * width and layout["showlegend"] is False
    else:
        assert layout["legend"]["orientation"] == "h"  # under the plot, full width


def test_colours_are_stable_across_views_selection_order_and_focus(bundle):
    def colour(chart_id, state, iso3):
        chart = build_chart(chart_id, bundle, state)
        return next(t for t in chart.figure["data"] if t.get("meta") == iso3)["line"]["color"]

    kgz = {
        colour("cpi", ViewState(), "KGZ"),
        colour("wgi_cc", ViewState(), "KGZ"),
        colour("fdi", ViewState(focus="UZB"), "KGZ"),
        colour("cpi", ViewState(group="custom", peers=("KGZ", "ARM")), "KGZ"),
        colour("cpi", ViewState(group="custom", peers=("ARM", "RUS", "KGZ")), "KGZ"),
        colour("cpi", ViewState(group="all_peers"), "KGZ"),
    }
    assert len(kgz) == 1


def test_group_members_get_distinct_colours_and_the_focus_the_accent(bundle):
    for group in ("central_asia", "south_caucasus", "eastern_europe", "wider_neighbours"):
        chart = build_chart("wgi_cc", bundle, ViewState(group=group, focus="MNG"))
        members = bundle.countries.groups[group].members
        peers = [t for t in chart.figure["data"] if t.get("meta") in members]
        colours = [t["line"]["color"] for t in peers if t["meta"] != "MNG"]
        assert len(colours) == len(set(colours)), group
    chart = build_chart("wgi_cc", bundle, ViewState(focus="UZB"))
    uzb = next(t for t in chart.figure["data"] if t.get("meta") == "UZB")
    assert uzb["line"]["color"] == ACCENT and uzb["line"]["width"] > 2
    others = [t for t in chart.figure["data"] if t.get("meta") not in ("UZB", "events")]
    assert all(t["line"]["color"] != ACCENT for t in others if t["line"].get("color"))


def test_events_are_numbered_markers_in_a_lane_listed_under_the_chart(bundle):
    chart = build_chart("wgi_cc", bundle, ViewState())
    lane = next(t for t in chart.figure["data"] if t.get("meta") == "events")
    layout = chart.figure["layout"]
    assert lane["yaxis"] == "y9" and layout["yaxis9"]["domain"][0] >= layout["yaxis"]["domain"][1]
    rows = chart.events
    numbers = list(range(1, len(rows) + 1))
    assert lane["customdata"] == [r.number for r in rows] == numbers
    assert lane["texttemplate"] == "%{customdata}"  # the number on the marker
    for row, hover in zip(rows, lane["text"], strict=True):
        assert row.date in hover and html.escape(row.title, quote=False) in hover
    assert "Kazakhstan 2050" in " ".join(r.line for r in rows)
    assert not any(s.get("name") == "event-lines" for s in layout["shapes"])  # no lines across
    assert chart.events_note == ""


def test_a_focus_without_events_says_so(bundle):
    chart = build_chart("wgi_cc", bundle, ViewState(focus="UZB"))
    assert chart.events == []
    assert chart.events_note == "No reform events recorded for Uzbekistan in 1996–2023."
    assert chart.events_note in json.dumps(chart.figure, ensure_ascii=False)
    assert build_chart("wgi_cc", bundle, ViewState(focus="UZB", events=False)).events_note == ""


def test_breaks_are_drawn_apart_from_events(bundle):
    chart = build_chart("cpi", bundle, ViewState())
    layout = chart.figure["layout"]
    labels = [a for a in layout["annotations"] if a.get("name") == "break-label"]
    assert [a["text"] for a in labels] == ["Method change 2012"]
    assert [s["x0"] for s in layout["shapes"] if s.get("name") == "break-marker"] == [2011.5]
    lane = next(t for t in chart.figure["data"] if t.get("meta") == "events")
    assert 2011.5 not in lane["x"]


def test_an_empty_range_hides_the_axes_and_says_what_is_missing(bundle):
    chart = build_chart("wgi_cc", bundle, ViewState(year_from=2024, year_to=2025))
    layout = chart.figure["layout"]
    assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False
    message = next(a for a in layout["annotations"] if a.get("name") == "empty-message")
    assert message["text"] == "No data for Control of Corruption in 2024–2025 for these countries."


def test_rank_axes_are_inverted_and_say_1_is_best(bundle):
    for chart_id, state in (("cpi", ViewState(cpi_measure="rank")), ("db_rank", ViewState())):
        layout = build_chart(chart_id, bundle, state).figure["layout"]
        low, high = layout["yaxis"]["range"]
        assert low > high and "1 = " in layout["yaxis"]["title"]["text"]


def test_an_empty_chart_draws_no_events(bundle):
    chart = build_chart("wgi_rl", bundle, ViewState(year_from=2024, year_to=2025))
    assert chart.model.markers == () and chart.events == []
    assert not any(t.get("meta") == "events" for t in chart.figure["data"])
