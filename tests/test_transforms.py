import math

import pandas as pd
import pytest

from indicators.data import transforms as t


def rows(data):
    """data: {iso3: {year: value}} -> series rows"""
    out = [(c, y, v, math.nan) for c, ys in data.items() for y, v in ys.items()]
    return pd.DataFrame(out, columns=["iso3", "year", "value", "std_error"])


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


def test_series_filters_and_does_not_mutate(bundle):
    before = bundle.frame.copy()
    out = t.series(bundle.frame, "cpi_score", ["KAZ"], (2020, 2022))
    assert out["year"].tolist() == [2020, 2021, 2022]
    pd.testing.assert_frame_equal(bundle.frame, before)


def test_band_from_se_is_90_percent_interval():
    low, high = t.band_from_se(0.0, 1.0)
    assert (round(low, 3), round(high, 3)) == (-1.645, 1.645)
