"""A chart's summary table, from its model alone: each plotted line's first and last value in
the range, the absolute and relative change between them, and the country's place in the
group in the last year. The page's sortable "Summary" tab and its CSV are these rows.

Better is higher, except on an inverted axis (ranks: 1 = best). A relative change is given
only where it means something: from a positive first value, never for ranks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.charts.model import ChartModel, Series
from indicators.data.rounding import round_half_away
from indicators.render import format as fmt

SUMMARY_COLUMNS = [
    "chart",
    "series",
    "role",
    "iso3",
    "first_year",
    "first_value",
    "last_year",
    "last_value",
    "change",
    "change_pct",
    "place",
    "of",
    "unit",
    "source",
]
RELATIVE_DECIMALS = 1
HEADER = ["Series", "Role", "First", "Value", "Last", "Value", "Change", "Change %", "Place"]
NUMERIC = [3, 5, 6, 7, 8]
COUNTRY_ROLES = ("focus", "peer")
ROLE_WORDS = {
    "focus": "Focus country",
    "peer": "Peer",
    "aggregate": "Peer aggregate",
    "benchmark": "Benchmark",
}
ROLE_ORDER = {"focus": 0, "peer": 1, "aggregate": 2, "benchmark": 3}


@dataclass(frozen=True)
class SummaryRow:
    series: Series
    first_year: int
    first_value: float
    last_year: int
    last_value: float
    change: float
    change_pct: float | None
    place: int | None
    of: int | None


def _place(rows: list[SummaryRow], lower_is_better: bool) -> list[SummaryRow]:
    """Places among the countries compared in the same last year (ties share a place)."""
    countries = [r for r in rows if r.series.role in COUNTRY_ROLES and r.series.legend]
    if not countries:
        return rows
    year = max(r.last_year for r in countries)
    ranked = [r for r in countries if r.last_year == year and r.series.axis == "y"]
    sign = 1 if lower_is_better else -1
    places = {
        id(r): 1 + sum(1 for o in ranked if sign * o.last_value < sign * r.last_value)
        for r in ranked
    }
    return [
        SummaryRow(**{**r.__dict__, "place": places[id(r)], "of": len(ranked)})
        if id(r) in places
        else r
        for r in rows
    ]


def summary(model: ChartModel) -> list[SummaryRow]:
    rows = []
    for s in model.series:
        if not s.points:
            continue
        first, last = s.points[0], s.points[-1]
        change = round_half_away(last.value - first.value, s.decimals)
        relative = None
        if first.value > 0 and not model.y.inverted:
            relative = round_half_away(100 * (last.value / first.value - 1), RELATIVE_DECIMALS)
        rows.append(
            SummaryRow(
                s, first.year, first.value, last.year, last.value, change, relative, None, None
            )
        )
    placed = _place(rows, model.y.inverted)
    # the focus first, then the peers by place, then aggregates and benchmarks
    return sorted(
        placed,
        key=lambda r: (ROLE_ORDER.get(r.series.role, 9), r.place or 10**6, r.series.axis != "y"),
    )


def summary_rows(model: ChartModel) -> list[tuple]:
    """The rows as SUMMARY_COLUMNS (the CSV)."""
    return [
        (
            model.id,
            r.series.label,
            r.series.role,
            r.series.iso3,
            r.first_year,
            r.first_value,
            r.last_year,
            r.last_value,
            r.change,
            r.change_pct,
            r.place,
            r.of,
            r.series.unit,
            model.source,
        )
        for r in summary(model)
    ]


def summary_table(model: ChartModel) -> pd.DataFrame:
    table = pd.DataFrame(summary_rows(model), columns=SUMMARY_COLUMNS)
    for column in ("place", "of"):
        table[column] = table[column].astype("Int64")
    return table


def summary_data(model: ChartModel) -> dict:
    """The page's table: text cells, and per row the numbers its columns sort by."""
    rows, keys = [], []
    for r in summary(model):
        d = r.series.decimals
        rows.append(
            [
                r.series.label,
                ROLE_WORDS.get(r.series.role, r.series.role),
                model.year_label(r.first_year),
                fmt.number(r.first_value, d),
                model.year_label(r.last_year),
                fmt.number(r.last_value, d),
                fmt.signed(r.change, d),
                fmt.signed(r.change_pct, RELATIVE_DECIMALS) if r.change_pct is not None else "",
                f"{r.place} of {r.of}" if r.place is not None else "",
            ]
        )
        keys.append(
            [
                r.series.label,
                r.series.role,
                r.first_year,
                r.first_value,
                r.last_year,
                r.last_value,
                r.change,
                r.change_pct,
                r.place,
            ]
        )
    return {"header": HEADER, "rows": rows, "keys": keys, "numeric": NUMERIC}
