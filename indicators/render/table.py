"""The table of a chart: one row per plotted value, bands included, from its model alone.

The same rows are the CSV download, the table under the chart and the pack's data file.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from indicators.charts.model import ChartModel

TABLE_COLUMNS = [
    "chart",
    "series",
    "role",
    "iso3",
    "year",
    "year_label",
    "value",
    "unit",
    "reporting",
    "members",
    "out_of",
    "published_value",
    "source",
]
_INT_COLUMNS = ("reporting", "members", "out_of")


def chart_rows(model: ChartModel) -> list[tuple]:
    """Every plotted value as a row of TABLE_COLUMNS: series label, role (focus, peer,
    aggregate, benchmark, band), year and value in the unit plotted; an aggregate's coverage
    (reporting of members), a rank's number ranked, and the published value behind a
    derived one. Plain tuples: the page's table needs no DataFrame."""
    label, source = model.year_label, model.source
    rows = [
        (
            model.id,
            s.label,
            s.role,
            s.iso3,
            p.year,
            label(p.year),
            p.value,
            s.unit,
            p.reporting,
            p.members,
            p.out_of,
            p.published,
            source,
        )
        for s in model.series
        for p in s.points
    ]
    for band in model.bands:
        for year, low, high in band.points:
            for bound, value in (("lower", low), ("upper", high)):
                series = f"{band.label}, {bound} bound"
                rows.append(
                    (
                        model.id,
                        series,
                        "band",
                        "",
                        year,
                        label(year),
                        value,
                        band.unit,
                        None,
                        None,
                        None,
                        None,
                        source,
                    )
                )
    return rows


def chart_table(model: ChartModel) -> pd.DataFrame:
    """The rows as a frame with typed columns (the CSV, the pack's data file)."""
    rows = chart_rows(model)
    if not rows:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["year"] = table["year"].astype("int64")
    table["value"] = table["value"].astype("float64")
    for column in _INT_COLUMNS:
        table[column] = table[column].astype("Int64")
    table["published_value"] = table["published_value"].astype("float64")
    return table


@lru_cache(maxsize=1 << 16, typed=True)  # a view's tables write thousands of cells, few distinct
def cell(value: object) -> str:
    """A table value as text: integers without '.0', missing as ''."""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None or value is _NA else str(value)


_NA = pd.NA
