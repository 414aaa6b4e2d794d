"""What every chart model is built from: the view's rows of an indicator, turned into series.

`plotted_series` is the one place where an indicator's rows become the focus line, the peer
lines or their median and range, and the OECD benchmark, all in the unit plotted: a row-level
transform (rank -> percentile, level -> gap) is applied before anything is aggregated, so a
median of percentiles is a median of percentiles, not a percentile of a median rank.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace

from indicators.charts.model import Band, Marker, Point, Series
from indicators.data import transforms as t
from indicators.data.catalog import CatalogEntry
from indicators.data.loading import Bundle
from indicators.data.rounding import round_half_away
from indicators.view.params import BY_NAME, CUSTOM_GROUP
from indicators.view.state import ViewState, peer_members

OECD_LABEL = "OECD average (members of each year)"
OED_LABEL = "OECD members (World Bank aggregate)"
PALETTE_SIZE = 6  # = len(render.colours.PEER_COLOURS): slots past it repeat a colour dashed
Transform = Callable[[int, float], float]


def group_title(bundle: Bundle, state: ViewState) -> str:
    if state.group == CUSTOM_GROUP:
        return "custom peers"
    return bundle.countries.groups[state.group].title


def _by_country(bundle: Bundle, indicator: str):
    """Every country's rows of an indicator and the years it is published for, split once
    per bundle (a view then only cuts the years it shows)."""

    def split():
        rows = t.series(bundle.frame, indicator)
        parts = {str(c): g.reset_index(drop=True) for c, g in rows.groupby("iso3", sort=False)}
        return parts, tuple(sorted(int(y) for y in rows["year"].unique())), rows.iloc[0:0]

    return t.remembered(bundle.frame, ("by_country", indicator), split)


def values_by_country(bundle: Bundle, indicator: str, column: str = "value") -> dict:
    """{iso3: {year: value}} of an indicator (or of its standard errors), once per data load."""

    def split():
        by_country = _by_country(bundle, indicator)[0]
        return {
            c: dict(zip(rows["year"].tolist(), rows[column].tolist(), strict=True))
            for c, rows in by_country.items()
        }

    return t.remembered(bundle.frame, ("values_by_country", indicator, column), split)


def published_years(bundle: Bundle, indicator: str) -> tuple[int, ...]:
    return _by_country(bundle, indicator)[1]


SIGNIFICANT = 7  # digits a published value holds: WGI's workbook stores single-precision
# floats (7 significant digits); WDI writes 15, the last ones binary noise (5.29999999893468)


def published(value: float) -> float:
    """A published value without the float noise past the publisher's precision."""
    if value == 0 or not math.isfinite(value):
        return value
    return round_half_away(value, SIGNIFICANT - 1 - math.floor(math.log10(abs(value))))


def _published_by_country(bundle: Bundle, indicator: str) -> dict:
    """values_by_country at the publisher's precision, once per data load."""

    def clean():
        every = values_by_country(bundle, indicator)
        return {c: {y: published(v) for y, v in by_year.items()} for c, by_year in every.items()}

    return t.remembered(bundle.frame, ("published_by_country", indicator), clean)


def country_values(bundle: Bundle, indicator: str, iso3: str, years) -> list[tuple[int, float]]:
    """(year, value) of one country inside the years, in year order, at the publisher's
    precision."""
    every = _published_by_country(bundle, indicator).get(iso3, {})
    return [(y, v) for y, v in every.items() if years[0] <= y <= years[1]]


def data_year(entry: CatalogEntry, year: int) -> int:
    """The year a value describes: Doing Business edition N reports data of year N-1."""
    return year - 1 if entry.time_unit == "edition" else year


def members_in(bundle: Bundle, state: ViewState, entry: CatalogEntry, year: int) -> tuple:
    """The focus's peers that count in `year`: a membership-based group (OECD members) by
    accession date against the data year, any other group as listed."""
    peers = peer_members(state, bundle.countries.groups)
    if state.group == "oecd":
        joined = bundle.countries.oecd_accession
        return tuple(c for c in peers if joined.get(c, 9999) <= data_year(entry, year))
    return peers


@dataclass(frozen=True)
class Plotted:
    """The series and bands of one indicator in the view."""

    series: list[Series]
    bands: list[Band]


def _points(values, transform: Transform | None, decimals: int, out_of) -> tuple:
    out = []
    for year, value in values:
        shown = value if transform is None else round_half_away(transform(year, value), decimals)
        if math.isnan(shown):
            continue
        out.append(
            Point(
                year,
                shown,
                out_of=out_of.get(year),
                published=None if transform is None else value,
            )
        )
    return tuple(out)


def _aggregate(per_year: dict[int, tuple[list[float], int]], decimals: int):
    """{year: (values, members)} -> median, min and max points (with reporting counts)."""
    med, lo_hi = [], []
    for year in sorted(per_year):
        values, members = per_year[year]
        if not values:
            continue
        m = round_half_away(statistics.median(values), decimals)
        med.append(Point(year, m, reporting=len(values), members=members))
        lo_hi.append((year, min(values), max(values)))
    return tuple(med), tuple(lo_hi)


def plotted_series(
    bundle: Bundle,
    state: ViewState,
    entry: CatalogEntry,
    years: tuple[int, int],
    *,
    transform: Transform | None = None,
    decimals: int | None = None,
    benchmark: str | None = "mean",
    axis: str = "y",
    suffix: str = "",
    transform_key: str = "",
    unit: str | None = None,
) -> Plotted:
    """Focus, peers (lines, or median and min–max band) and the OECD benchmark of one
    indicator, in the unit plotted. `benchmark`: "mean" (simple mean of the OECD members of
    each year), "OED" (the World Bank's published aggregate) or None. `suffix` is added to
    labels of a second segment (the old CPI scale); `transform_key` names the transform (the
    OECD mean of each transform is remembered per data load)."""
    names = bundle.countries.name
    d = entry.meta.decimals if decimals is None else decimals
    unit = entry.unit if unit is None else unit
    out_of = entry.meta.out_of if entry.meta.kind == "rank" else {}
    segment = bool(suffix)
    series: list[Series] = []
    bands: list[Band] = []

    def shown(rows):
        return _points(rows, transform, d, out_of)

    peers = peer_members(state, bundle.countries.groups)
    if state.peer_mode == "aggregate":
        values_of = {
            iso3: {p.year: p.value for p in shown(country_values(bundle, entry.id, iso3, years))}
            for iso3 in peers
        }
        per_year: dict[int, tuple[list[float], int]] = {}
        for year in published_years(bundle, entry.id):
            if years[0] <= year <= years[1]:
                members = members_in(bundle, state, entry, year)
                reported = [values_of[c][year] for c in members if year in values_of[c]]
                per_year[year] = (reported, len(members))
        median, lo_hi = _aggregate(per_year, d + 1)
        if median:
            group = group_title(bundle, state)
            excluded = state.focus in _listed_members(bundle, state)
            label = f"{group} median" + (f" (without {names(state.focus)})" if excluded else "")
            series.append(
                Series(
                    "peer-median",
                    label + suffix,
                    "aggregate",
                    median,
                    unit=unit,
                    decimals=d + 1,
                    axis=axis,
                    dash="dash",
                    legend=not segment,
                    short="Peer median",
                )
            )
            bands.append(
                Band(
                    "peer-range",
                    f"{group} lowest to highest" + suffix,
                    lo_hi,
                    unit=unit,
                    decimals=d,
                    axis=axis,
                    kind="range",
                    legend=not segment,
                )
            )
    else:
        slots = colour_slots(bundle)
        for iso3 in peers:
            points = shown(country_values(bundle, entry.id, iso3, years))
            if points:
                series.append(
                    Series(
                        iso3,
                        names(iso3) + suffix,
                        "peer",
                        points,
                        unit=unit,
                        iso3=iso3,
                        decimals=d,
                        axis=axis,
                        dash="dot" if segment else "solid",
                        legend=not segment,
                        slot=slots.get(iso3),
                    )
                )
    bench = _benchmark(bundle, entry, years, benchmark, transform, d, axis, suffix, transform_key)
    if bench is not None:
        bench = replace(bench, unit=unit)
    if bench is not None:
        series.append(bench)
    focus_points = shown(country_values(bundle, entry.id, state.focus, years))
    if focus_points:
        series.append(
            Series(
                state.focus,
                names(state.focus) + suffix,
                "focus",
                focus_points,
                unit=unit,
                iso3=state.focus,
                decimals=d,
                axis=axis,
                dash="dot" if segment else "solid",
                legend=not segment,
            )
        )
    return Plotted(series, bands)


def _listed_members(bundle: Bundle, state: ViewState) -> tuple[str, ...]:
    if state.group == CUSTOM_GROUP:
        return state.peers
    return bundle.countries.groups[state.group].members


def _benchmark(bundle, entry, years, how, transform, d, axis, suffix, key) -> Series | None:
    if how is None:
        return None
    if how == "OED":
        points = _points(country_values(bundle, entry.id, "OED", years), transform, d, {})
        label, short = OED_LABEL, "OECD members"
    else:
        points = oecd_mean(bundle, entry, years, transform, d + 1, key)
        label, short = OECD_LABEL, "OECD average"
    if not points:
        return None
    return Series(
        "oecd",
        label + suffix,
        "benchmark",
        points,
        decimals=d if how == "OED" else d + 1,
        axis=axis,
        dash="dashdot" if suffix else "dot",
        legend=not suffix,
        short=short,
    )


def oecd_mean(bundle, entry, years, transform=None, decimals=2, key="") -> tuple[Point, ...]:
    """Simple mean over the OECD members of each data year, of the values as plotted
    (computed once per data load and transform, then cut to the view's years)."""

    def compute():
        joined = bundle.countries.oecd_accession
        by_country, published, _ = _by_country(bundle, entry.id)
        values_of = {
            c: dict(zip(rows["year"].tolist(), rows["value"].tolist(), strict=True))
            for c, rows in by_country.items()
            if c in joined
        }
        points = []
        for year in published:
            members = [c for c, y in joined.items() if y <= data_year(entry, year)]
            values = [values_of[c][year] for c in members if year in values_of.get(c, {})]
            if transform is not None:
                values = [transform(year, v) for v in values]
            values = [v for v in values if not math.isnan(v)]
            if values:
                mean = round_half_away(sum(values) / len(values), decimals)
                points.append(Point(year, mean, reporting=len(values), members=len(members)))
        return tuple(points)

    every_year = t.remembered(bundle.frame, ("oecd_mean", entry.id, key, decimals), compute)
    return tuple(p for p in every_year if years[0] <= p.year <= years[1])


def events(bundle: Bundle, state: ViewState, dataset: str, x_range, series) -> tuple[Marker, ...]:
    """The focus's (and everyone's) reform events inside the plotted x range, numbered in
    date order; none when nothing is plotted."""
    if not state.events or not series:
        return ()
    shown = []
    for event in bundle.events:
        if event.country not in (state.focus, "ALL"):
            continue
        if event.datasets and dataset not in event.datasets:
            continue
        if state.event_types and event.category not in state.event_types:
            continue
        month = int(event.date[5:7]) if len(event.date) >= 7 else 1
        x = event.year + (month - 1) / 12
        if x_range[0] <= x <= x_range[1]:
            shown.append((x, event))
    shown.sort(key=lambda pair: pair[0])
    return tuple(
        Marker(
            x,
            event.title,
            event.detail,
            date=event.date,
            number=n,
            country=event.country,
            source=event.source,
        )
        for n, (x, event) in enumerate(shown, 1)
    )


def events_for(bundle: Bundle, state: ViewState) -> str:
    """The focus's name when reform events are asked for (the chart then says when it has
    none), else ''."""
    if not state.events:
        return ""
    name = bundle.countries.name(state.focus)
    if not state.event_types:
        return name
    labels = dict(BY_NAME["event_types"].choices)
    kinds = [labels[t].lower() for t in state.event_types]
    return f"{name} ({', '.join(kinds[:-1]) + ' or ' if len(kinds) > 1 else ''}{kinds[-1]} events)"


def colour_slots(bundle: Bundle) -> dict[str, int]:
    """{iso3: colour slot} over every country of the peer groups, fixed by the data alone, so a
    country keeps its colour whatever the focus, view, selection or export. Greedy, smallest
    groups first: a country takes the lowest slot that no co-member holds, preferring a colour
    (slot modulo PALETTE_SIZE) unused in its smaller groups. The default group goes first: the
    view most people see gets the first, strongest colours."""

    def assign():
        default = bundle.countries.default_group
        groups = sorted(
            bundle.countries.groups.values(),
            key=lambda g: (g.id != default, len(g.members), g.id),
        )
        slots: dict[str, int] = {}
        for group in groups:
            for iso3 in group.members:
                if iso3 not in slots:
                    slots[iso3] = _free_slot(iso3, groups, slots)
        others = sorted(set(bundle.frame["iso3"].unique()) - set(slots))
        slots.update({c: i % PALETTE_SIZE for i, c in enumerate(others)})
        return slots

    return t.remembered(bundle.frame, ("colour_slots",), assign)


def _free_slot(iso3: str, groups, slots: dict[str, int]) -> int:
    """The lowest slot no co-member of `iso3` holds, whose colour its groups use least (a use
    in a small group counts more)."""
    mine = [g for g in groups if iso3 in g.members]
    taken = {slots[c] for g in mine for c in g.members if c in slots}

    def cost(slot: int) -> tuple[float, int]:
        colour = slot % PALETTE_SIZE
        clashes = sum(
            1 / len(g.members)
            for g in mine
            if any(c in slots and slots[c] % PALETTE_SIZE == colour for c in g.members)
        )
        return clashes, slot

    return min((s for s in range(len(taken) + PALETTE_SIZE) if s not in taken), key=cost)


def citations(entries, countries) -> tuple[str, ...]:
    out = []
    for entry in entries:
        releases = "; ".join(entry.releases[r].title for r in entry.release_ids_for(countries))
        out.append(
            f"{entry.origin.citation} Release: {releases}. Licence: {entry.origin.license}"
            + (f" ({entry.origin.license_url})" if entry.origin.license_url else "")
            + f". Accessed {entry.origin.date_accessed}."
        )
    return tuple(dict.fromkeys(out))


def subtitle(bundle: Bundle, state: ViewState, what: str) -> str:
    names = bundle.countries.name
    mode = " (median and lowest to highest)" if state.peer_mode == "aggregate" else ""
    return f"{what}: {names(state.focus)} against {group_title(bundle, state)}{mode}"


def x_range_of(series, bands, years) -> tuple[float, float]:
    """The x axis: the years plotted (half a year either side), or the years asked for when
    nothing is plotted."""
    plotted = [p.year for s in series for p in s.points] + [b[0] for d in bands for b in d.points]
    lo, hi = (min(plotted), max(plotted)) if plotted else years
    return lo - 0.5, hi + 0.5


def value_range(series, bands, axis: str = "y") -> tuple[float, float] | None:
    values = [p.value for s in series if s.axis == axis for p in s.points]
    values += [v for b in bands if b.axis == axis for p in b.points for v in p[1:]]
    return (min(values), max(values)) if values else None
