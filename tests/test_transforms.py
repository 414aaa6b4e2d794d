import math

import pandas as pd
import pytest

from indicators.data import transforms as t


def rows(data):
    """data: {iso3: {year: value}} -> series rows"""
    out = [(c, y, v, math.nan) for c, ys in data.items() for y, v in ys.items()]
    return pd.DataFrame(out, columns=["iso3", "year", "value", "std_error"])


def test_peer_aggregate_counts_reporting_members():
    r = rows({"A": {2020: 10, 2021: 20}, "B": {2020: 30}, "C": {2020: 50}, "Z": {2020: 999}})
    agg = t.peer_aggregate(r, ["A", "B", "C", "D"])
    first = agg[agg.year == 2020].iloc[0]
    assert (first["mean"], first["median"], first["min"], first["max"]) == (30, 30, 10, 50)
    assert (first["n_reporting"], first["n_members"]) == (3, 4)
    second = agg[agg.year == 2021].iloc[0]
    assert (second["n_reporting"], second["median"]) == (1, 20)


def test_peer_aggregate_with_no_members_is_empty():
    assert t.peer_aggregate(rows({"A": {2020: 1}}), ["B"]).empty


def test_oecd_average_uses_members_of_each_year():
    r = rows({"OLD": {2019: 80, 2021: 80}, "NEW": {2019: 20, 2021: 40}})
    avg = t.oecd_average(r, {"OLD": 1961, "NEW": 2020})
    by_year = avg.set_index("year")
    assert by_year.loc[2019, "mean"] == 80 and by_year.loc[2019, "n_members"] == 1
    assert by_year.loc[2021, "mean"] == 60 and by_year.loc[2021, "n_members"] == 2


def test_rank_to_percentile_ends_and_middle():
    assert t.rank_to_percentile(1, 180) == 100
    assert t.rank_to_percentile(180, 180) == 0
    assert t.rank_to_percentile(91, 181) == 50


@pytest.mark.parametrize("rank,n", [(0, 10), (11, 10), (1, 0)])
def test_rank_to_percentile_refuses_impossible_ranks(rank, n):
    with pytest.raises(ValueError):
        t.rank_to_percentile(rank, n)


def test_gap_is_negative_when_behind_whatever_the_direction():
    assert t.gap(40, 66, higher_is_better=True) == -26
    assert t.gap(93, 20, higher_is_better=False) == -73
    assert t.gap(10, 20, higher_is_better=False) == 10


def test_change_between_years():
    r = rows({"KAZ": {2012: 28, 2025: 38}})
    assert t.change(r, 2012, 2025) == 10
    assert t.change(r, 2011, 2025) is None


def test_latest():
    r = rows({"KAZ": {2012: 28, 2025: 38}})
    assert t.latest(r) == (2025, 38.0)
    assert t.latest(r, up_to=2020) == (2012, 28.0)


def test_series_filters_and_does_not_mutate(bundle):
    before = bundle.frame.copy()
    out = t.series(bundle.frame, "cpi_score", ["KAZ"], (2020, 2022))
    assert out["year"].tolist() == [2020, 2021, 2022]
    pd.testing.assert_frame_equal(bundle.frame, before)


def test_band_from_se_is_90_percent_interval():
    low, high = t.band_from_se(0.0, 1.0)
    assert (round(low, 3), round(high, 3)) == (-1.645, 1.645)
