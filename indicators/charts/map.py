"""The map: one indicator for every country in the data, in one year (a choropleth model).

Pure: (data, view) -> MapModel. The figure, the table, the CSV and the alt text are rendered
from the model alone (render/map_figure.py), so what a user downloads is what the map shows.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from indicators.charts.common import citations, published, values_by_country
from indicators.data import transforms as t
from indicators.data.catalog import CatalogEntry
from indicators.data.loading import Bundle
from indicators.data.rounding import round_half_away
from indicators.view.params import BY_NAME
from indicators.view.state import ViewState, peer_members

# URL value -> (indicator id in the catalog, rank read as a percentile of that year's countries)
SOURCES = {
    "cpi_score": ("cpi_score", False),
    "cpi_rank": ("cpi_rank", False),
    "cpi_percentile": ("cpi_rank", True),
    "wgi_va": ("wgi_va_percentile", False),
    "wgi_pv": ("wgi_pv_percentile", False),
    "wgi_ge": ("wgi_ge_percentile", False),
    "wgi_rq": ("wgi_rq_percentile", False),
    "wgi_rl": ("wgi_rl_percentile", False),
    "wgi_cc": ("wgi_cc_percentile", False),
    "db_rank": ("db_rank", False),
    "db_score": ("db_score", False),
    "fdi_pct": ("fdi_net_inflows_pct_gdp", False),
    "fdi_usd": ("fdi_net_inflows_usd", False),
    "manufacturing": ("manufacturing_va_pct_gdp", False),
    "exports": ("manufactures_exports_pct", False),
    "growth": ("gdp_growth", False),
}
EXTENTS = {  # (longitude range, latitude range) of each extent
    "region": ((18.0, 136.0), (18.0, 62.0)),
    "world": ((-180.0, 180.0), (-58.0, 84.0)),
}
CLIP = 0.02  # colours span the 2nd-98th percentile of all years' values: outliers saturate


@dataclass(frozen=True)
class MapRow:
    iso3: str
    country: str
    value: float  # in the unit mapped, rounded to the indicator's decimals
    role: str  # focus, peer or other
    place: int  # 1 = best of the countries mapped; ties share a place
    tied: bool


@dataclass(frozen=True)
class MapModel:
    id: str
    measure: str
    title: str
    unit: str
    decimals: int
    year: int | None  # the year shown; None when the indicator has no data at all
    year_label: str
    requested_year: int
    rows: tuple[MapRow, ...]  # countries with a value, best first
    colour_range: tuple[float, float]  # the same in every year, so the timeline compares
    higher_is_better: bool
    extent: str
    focus: str
    peers: tuple[str, ...]
    without_data: tuple[str, ...]  # focus and peers with no value that year (names)
    years: tuple[int, ...]  # years with data, for the timeline
    source: str
    citations: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def geo_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return EXTENTS[self.extent]


def _values(bundle: Bundle, entry: CatalogEntry, as_percentile: bool) -> dict:
    """{year: {iso3: value}} in the unit mapped, countries only (aggregates are not mapped)."""

    def build():
        skip = set(bundle.countries.aggregates)
        out: dict[int, dict[str, float]] = {}
        for iso3, by_year in values_by_country(bundle, entry.id).items():
            if iso3 in skip:
                continue
            for year, value in by_year.items():
                if as_percentile:
                    n = entry.meta.out_of.get(year)
                    if not n or not 1 <= value <= n:
                        continue  # a tied last rank can pass the count: it has no percentile
                    value = t.rank_to_percentile(value, n)
                if math.isfinite(value):
                    out.setdefault(year, {})[iso3] = published(value)
        return dict(sorted(out.items()))

    return t.remembered(bundle.frame, ("map_values", entry.id, as_percentile), build)


def _colour_range(by_year: dict, entry: CatalogEntry, as_percentile: bool) -> tuple[float, float]:
    if as_percentile or entry.unit.startswith("percentile"):
        return 0.0, 100.0
    values = sorted(v for year in by_year.values() for v in year.values())
    if not values:
        return tuple(entry.meta.valid_range)
    lo = values[int(CLIP * (len(values) - 1))]
    hi = values[int((1 - CLIP) * (len(values) - 1))]
    return (lo, hi) if lo < hi else (values[0], values[-1] + 1)


def _shown_year(years: list[int], requested: int) -> int | None:
    earlier = [y for y in years if y <= requested]
    if earlier:
        return earlier[-1]
    return years[0] if years else None


def map_model(bundle: Bundle, state: ViewState) -> MapModel:
    indicator, as_percentile = SOURCES[state.map_measure]
    entry = bundle.catalog[indicator]
    label = dict(BY_NAME["map_measure"].choices)[state.map_measure]
    by_year = _values(bundle, entry, as_percentile)
    years = list(by_year)
    year = _shown_year(years, state.map_year)
    values = by_year.get(year, {}) if year is not None else {}
    peers = peer_members(state, bundle.countries.groups)
    roles = {**dict.fromkeys(peers, "peer"), state.focus: "focus"}
    decimals = 1 if as_percentile else entry.meta.decimals
    higher = True if as_percentile else entry.higher_is_better
    shown = sorted(
        ((c, round_half_away(v, decimals)) for c, v in values.items()),
        key=lambda cv: (-cv[1] if higher else cv[1], bundle.countries.name(cv[0])),
    )
    counts = Counter(v for _, v in shown)
    better = 0
    rows_list = []
    for i, (c, v) in enumerate(shown):
        if i and v != shown[i - 1][1]:
            better = i
        name = bundle.countries.name(c)
        rows_list.append(MapRow(c, name, v, roles.get(c, "other"), better + 1, counts[v] > 1))
    rows = tuple(rows_list)
    tracked = [state.focus, *peers]
    without = tuple(bundle.countries.name(c) for c in tracked if c not in values)
    year_label = entry.year_label(year) if year is not None else "no year"
    notes = []
    if year is None:
        notes.append(f"No data for {entry.title}.")
    elif year != state.map_year:
        notes.append(
            f"No {entry.title} data for {state.map_year}: showing {year_label}, "
            f"the {'latest earlier' if year < state.map_year else 'first'} year with data."
        )
    if as_percentile:
        notes.append("Ranks are read against that year's number of countries ranked.")
    if entry.origin.discontinued:
        notes.append(entry.origin.discontinued)
    unit = "percentile of the countries ranked that year" if as_percentile else entry.unit
    countries = [r.iso3 for r in rows]
    return MapModel(
        id="map",
        measure=state.map_measure,
        title=f"{label}, {year_label}",
        unit=unit,
        decimals=decimals,
        year=year,
        year_label=year_label,
        requested_year=state.map_year,
        rows=rows,
        colour_range=_colour_range(by_year, entry, as_percentile),
        higher_is_better=higher,
        extent=state.map_extent,
        focus=state.focus,
        peers=peers,
        without_data=without,
        years=tuple(years),
        source=entry.source_line(countries),
        citations=citations([entry], countries),
        notes=tuple(notes),
    )
