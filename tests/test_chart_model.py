"""Every output of a chart comes from its model: the figure's plotted points, the table, the
CSV and the alt text agree for every chart, measure, mode, group, custom peers and years."""

import html
import io
import re
from collections import Counter

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.charts.registry import CHARTS
from indicators.exports.files import table_csv
from indicators.render import format as fmt
from indicators.render.chart import build_chart
from indicators.view.params import BY_NAME, CUSTOM_GROUP, MAX_YEAR, MIN_YEAR
from indicators.view.state import DEFAULT, link_codes
from indicators.web.layout import table_data


def figure_points(figure: dict) -> Counter:
    """(series, year, value) of every point the figure draws, bands as lower and upper."""
    out: Counter = Counter()
    data = figure["data"]
    for i, trace in enumerate(data):
        if trace.get("meta") in ("event-lines", "events"):
            continue
        name = html.unescape(trace["name"])
        if "error_y" in trace:  # a range drawn as bars (editions)
            err = trace["error_y"]
            for x, y, up, down in zip(
                trace["x"], trace["y"], err["array"], err["arrayminus"], strict=True
            ):
                out[(f"{name}, lower bound", x, round(y - down, 9))] += 1
                out[(f"{name}, upper bound", x, round(y + up, 9))] += 1
        elif trace.get("fill") == "tonexty":
            lower = data[i - 1]
            for x, y in zip(lower["x"], lower["y"], strict=True):
                out[(f"{name}, lower bound", x, round(y, 9))] += 1
            for x, y in zip(trace["x"], trace["y"], strict=True):
                out[(f"{name}, upper bound", x, round(y, 9))] += 1
        elif trace.get("legendgroup") and trace.get("hoverinfo") == "skip":
            continue  # the lower edge of a band, counted with its upper edge
        else:
            for x, y in zip(trace["x"], trace["y"], strict=True):
                if y is not None:
                    out[(name, x, round(y, 9))] += 1
    return out


def table_points(table: pd.DataFrame) -> Counter:
    return Counter(
        (s, int(y), round(float(v), 9))
        for s, y, v in zip(table["series"], table["year"], table["value"], strict=True)
    )


NUMBER = re.compile(r"(?<![\w.])[+-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?!\d)(?: (?:m|bn)\b)?")


def stated_numbers(chart) -> set[str]:
    """Every number the model states, as the formatter writes it."""
    model = chart.model
    out = set()
    for s in model.series:
        for p in s.points:
            out |= {fmt.number(p.value, s.decimals), model.year_label(p.year), str(p.year)}
            out |= {str(n) for n in (p.reporting, p.members, p.out_of) if n is not None}
            if p.members is not None:
                out.add(str(p.members - p.reporting))
    for b in model.bands:
        for year, lo, hi in b.points:
            out |= {fmt.number(lo, b.decimals), fmt.number(hi, b.decimals), str(year)}
    lo, hi = round(model.x_range[0] + 0.5), round(model.x_range[1] - 0.5)
    out |= {str(lo), str(hi)}  # the range asked for, named when nothing is plotted
    out |= set(NUMBER.findall(model.title)) | set(NUMBER.findall(model.unit))
    for b in model.bands:
        out |= set(NUMBER.findall(b.label))
    return out


@st.composite
def states(draw, codes):
    chart_id = draw(st.sampled_from(sorted(CHARTS)))
    first = draw(st.integers(MIN_YEAR, MAX_YEAR))
    last = draw(st.integers(first, MAX_YEAR))
    group = draw(st.sampled_from(["central_asia", "south_caucasus", "oecd", "all_peers", "custom"]))
    peers = ()
    if group == CUSTOM_GROUP:
        peers = tuple(draw(st.lists(st.sampled_from(codes), min_size=1, max_size=6, unique=True)))
    state = DEFAULT.with_(
        view=CHARTS[chart_id].view,
        focus=draw(st.sampled_from(codes)),
        group=group,
        peers=peers,
        peer_mode=draw(st.sampled_from(BY_NAME["peer_mode"].values)),
        year_from=first,
        year_to=last,
        events=draw(st.booleans()),
        cpi_measure=draw(st.sampled_from(BY_NAME["cpi_measure"].values)),
        wgi_mode=draw(st.sampled_from(BY_NAME["wgi_mode"].values)),
        fdi_unit=draw(st.sampled_from(BY_NAME["fdi_unit"].values)),
    )
    return chart_id, state


def check_outputs_agree(chart) -> None:
    plotted = figure_points(chart.figure)
    assert plotted == table_points(chart.table)
    csv = pd.read_csv(io.StringIO(table_csv(chart.table)), keep_default_na=False)
    assert table_points(csv) == table_points(chart.table)
    rows = table_data(chart)["rows"]
    assert len(rows) == len(chart.table)
    assert [r[0] for r in rows] == list(chart.table["series"])
    assert [float(r[3]) for r in rows] == csv["value"].astype(float).tolist()
    allowed = stated_numbers(chart)
    for token in NUMBER.findall(chart.alt_text):
        assert token in allowed, (token, chart.alt_text)


def test_every_chart_default_view_agrees(bundle):
    for chart_id, spec in CHARTS.items():
        check_outputs_agree(build_chart(chart_id, bundle, DEFAULT.with_(view=spec.view)))


def test_property_every_view_measure_and_mode_agrees(bundle):
    codes = sorted(link_codes(bundle))

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(states(codes))
    def run(case):
        chart_id, state = case
        check_outputs_agree(build_chart(chart_id, bundle, state))

    run()


def view(**changes):
    return DEFAULT.with_(**changes)


def test_wgi_gap_table_holds_the_gaps_plotted(bundle):
    chart = build_chart("wgi_cc", bundle, view(view="governance", wgi_mode="gap"))
    focus = chart.table[chart.table["role"] == "focus"]
    assert (focus["unit"] == "percentile points vs OECD average").all()
    assert (focus["value"] < 0).all() and focus["published_value"].notna().all()
    assert (focus["value"] - (focus["published_value"] - 0)).abs().max() > 10  # gaps, not levels
    assert "OECD average" not in " ".join(chart.table["series"])  # the benchmark is the zero line
    kaz = next(t for t in chart.figure["data"] if t["name"] == "Kazakhstan")
    assert "vs OECD average" in kaz["text"][0] and "Kazakhstan" in kaz["hovertemplate"]


def test_cpi_percentile_rows_are_percentiles_for_every_series(bundle):
    state = view(view="corruption", cpi_measure="percentile", group="oecd", peer_mode="aggregate")
    table = build_chart("cpi", bundle, state).table
    lines = table[table["role"] != "band"]
    assert lines["value"].between(0, 100).all()
    assert table["unit"].str.startswith("percentile of the countries ranked").all()


def test_wgi_band_is_in_the_table(bundle):
    table = build_chart("wgi_va", bundle, view(view="governance")).table
    band = table[table["role"] == "band"]
    assert len(band) > 0 and band["series"].str.contains("90% interval").all()


def test_coverage_is_per_year(bundle):
    state = view(view="economy", group="oecd", peer_mode="aggregate")
    chart = build_chart("db_score", bundle, state)
    median = chart.model.series[0]
    assert median.role == "aggregate"
    assert len({(p.reporting, p.members) for p in median.points}) >= 1
    rows = chart.table[chart.table["role"] == "aggregate"]
    assert rows["reporting"].notna().all() and rows["members"].notna().all()


def test_membership_groups_count_members_of_the_data_year(bundle):
    # DB2020 reports data of 2019: Colombia (OECD 2020) and Costa Rica (2021) not yet members
    state = view(view="economy", group="oecd", peer_mode="aggregate")
    chart = build_chart("db_score", bundle, state)
    bench = next(s for s in chart.model.series if s.role == "benchmark")
    db2020 = bench.value_at(2020)
    joined = bundle.countries.oecd_accession
    assert db2020.members == sum(1 for y in joined.values() if y <= 2019)
    median = next(s for s in chart.model.series if s.role == "aggregate").value_at(2020)
    assert median.members == sum(1 for c, y in joined.items() if y <= 2019 and c != "KAZ")
    cpi = build_chart("cpi", bundle, view(view="corruption", group="oecd", peer_mode="aggregate"))
    median = next(s for s in cpi.model.series if s.role == "aggregate" and s.legend)
    m2012 = median.value_at(2012)
    assert m2012.members == sum(1 for y in joined.values() if y <= 2012)


def test_median_half_rounds_the_same_everywhere(bundle):
    chart = build_chart("cpi", bundle, view(view="corruption", peer_mode="aggregate"))
    median = next(s for s in chart.model.series if s.role == "aggregate" and s.legend)
    point = median.value_at(2025)
    assert point.value == 22.5  # Central Asia without Kazakhstan, CPI 2025
    assert "22.5" in chart.alt_text
    trace = next(t for t in chart.figure["data"] if t["name"] == html.escape(median.label))
    assert any(text.startswith("2025: 22.5") for text in trace["text"] if text)


def test_median_says_it_leaves_out_the_focus(bundle):
    chart = build_chart("cpi", bundle, view(view="corruption", peer_mode="aggregate"))
    assert "Central Asia median (without Kazakhstan)" in set(chart.table["series"])


def test_events_stay_inside_the_plotted_years(bundle):
    for chart_id in ("db_rank", "db_score", "cpi", "wgi_cc"):
        chart = build_chart(chart_id, bundle, view(view=CHARTS[chart_id].view))
        lo, hi = chart.model.x_range
        assert all(lo <= m.x <= hi for m in chart.model.markers)


def test_empty_range_says_so(bundle):
    chart = build_chart("db_score", bundle, view(view="economy", year_from=1990, year_to=1995))
    texts = [a["text"] for a in chart.figure["layout"]["annotations"]]
    assert any("No data for" in t for t in texts)


def test_x_axis_spans_the_plotted_years(bundle):
    chart = build_chart("wgi_cc", bundle, view(view="governance"))  # data end in 2023
    assert chart.model.x_range == (1995.5, 2023.5)
    assert chart.figure["layout"]["xaxis"]["range"] == [1995.5, 2023.5]
