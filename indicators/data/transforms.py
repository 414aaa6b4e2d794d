"""Pure transforms on the tidy frame (indicator, iso3, year, value, std_error).

No function here mutates its input or reads globals; each returns a new frame or value.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable

import pandas as pd


def remembered(frame: pd.DataFrame, key: Hashable, compute: Callable[[], object]):
    """compute() once per frame and key, remembered while the frame lives.

    For results that depend only on the data, so that a view costs the same however much data
    it does not plot. Frames passed here are treated as immutable (the loaded bundle's frame is
    never changed; a reload makes a new one).
    """
    entry = _MEMO.get(id(frame))
    if entry is None or entry[0] is not frame:
        entry = (frame, {})
        _MEMO[id(frame)] = entry
        weakref.finalize(frame, _MEMO.pop, id(frame), None)
    results = entry[1]
    if key not in results:
        results[key] = compute()
    return results[key]


_MEMO: dict[int, tuple[pd.DataFrame, dict]] = {}


def by_indicator(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The tidy rows of each indicator (iso3 as str, year as int, sorted by iso3 and year)."""

    def split():
        parts = {}
        for indicator, rows in frame.groupby("indicator", observed=True, sort=False):
            rows = rows[["iso3", "year", "value", "std_error"]].copy()
            rows["iso3"] = rows["iso3"].astype(str)
            rows["year"] = rows["year"].astype(int)
            parts[str(indicator)] = rows.sort_values(["iso3", "year"], ignore_index=True)
        return parts

    return remembered(frame, "by_indicator", split)


_EMPTY = pd.DataFrame(
    {
        "iso3": pd.Series([], dtype=object),
        "year": pd.Series([], dtype=int),
        "value": pd.Series([], dtype=float),
        "std_error": pd.Series([], dtype=float),
    }
)


def series(
    frame: pd.DataFrame,
    indicator: str,
    countries: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Rows of one indicator, optionally for some countries and an inclusive year range."""
    rows = by_indicator(frame).get(indicator, _EMPTY)
    mask = None
    if countries is not None:
        mask = rows["iso3"].isin(list(countries))
    if years is not None:
        in_years = rows["year"].between(years[0], years[1])
        mask = in_years if mask is None else mask & in_years
    rows = rows if mask is None else rows[mask]
    return rows.reset_index(drop=True)


def rank_to_percentile(rank: float, n_ranked: int) -> float:
    """Percentile of a rank among n (1 = best -> 100, n = worst -> 0), as WGI defines it."""
    if n_ranked < 1 or not 1 <= rank <= n_ranked:
        raise ValueError(f"rank {rank} is outside 1..{n_ranked}")
    if n_ranked == 1:
        return 100.0
    return 100.0 * (n_ranked - rank) / (n_ranked - 1)


def gap(focus: float, benchmark: float, higher_is_better: bool) -> float:
    """Focus minus benchmark, signed so that negative always means 'behind'."""
    difference = focus - benchmark
    return difference if higher_is_better else -difference


def band_from_se(estimate: float, std_error: float, z: float = 1.645) -> tuple[float, float]:
    """Two-sided interval estimate ± z·se (z = 1.645 gives the 90% interval WGI publishes)."""
    return estimate - z * std_error, estimate + z * std_error
