"""The six Worldwide Governance Indicators charts: percentile rank, or gap to the OECD average."""

from __future__ import annotations

import math

from indicators.charts.common import (
    citations,
    events,
    events_for,
    oecd_mean,
    plotted_series,
    subtitle,
    x_range_of,
)
from indicators.charts.model import Axis, Band, ChartModel
from indicators.data import transforms as t
from indicators.data.loading import Bundle
from indicators.data.rounding import round_half_away
from indicators.view.state import ViewState, peer_members

DIMENSIONS = ("va", "pv", "ge", "rq", "rl", "cc")
Z90 = 1.645
GAP_DECIMALS = 1
GAP_UNIT = "percentile points vs OECD average"
BAND_NOTE = (
    "Shaded: the focus country's 90% interval, from the estimate's standard error mapped onto "
    "percentiles through that year's estimates (approximate)."
)


def wgi_chart(dim: str):
    def build(bundle: Bundle, state: ViewState) -> ChartModel:
        entry = bundle.catalog[f"wgi_{dim}_percentile"]
        years = state.years
        title = entry.title.removesuffix(" (percentile rank)")
        names = bundle.countries.name
        interval = percentile_interval(bundle, state.focus, dim, years)
        band_label = f"{names(state.focus)} 90% interval"
        notes = list(entry.break_notes())
        if state.wgi_mode == "gap":
            bench = {p.year: p.value for p in oecd_mean(bundle, entry, years, decimals=2)}

            def gap(year: int, value: float) -> float:
                return value - bench[year] if year in bench else math.nan

            plotted = plotted_series(
                bundle,
                state,
                entry,
                years,
                transform=gap,
                decimals=GAP_DECIMALS,
                benchmark=None,
                transform_key="gap",
                unit=GAP_UNIT,
            )
            interval = tuple(
                (y, round_half_away(lo - bench[y], 1), round_half_away(hi - bench[y], 1))
                for y, lo, hi in interval
                if y in bench
            )
            y = Axis("Percentile points vs OECD average", zero_line=True)
            what = "Gap to the OECD average in percentile points (negative = behind)"
            notes.append(
                "The OECD average is the simple mean of the members of each year; 0 is that "
                "average."
            )
        else:
            plotted = plotted_series(bundle, state, entry, years)
            y = Axis("Percentile rank (0–100)", (0, 100))
            what = "Percentile rank among all economies rated"
        bands = list(plotted.bands)
        if interval:
            unit = GAP_UNIT if state.wgi_mode == "gap" else entry.unit
            bands.append(Band("focus-interval", band_label, interval, unit=unit, decimals=1))
            notes.append(BAND_NOTE)
        members = (state.focus, *peer_members(state, bundle.countries.groups))
        x_range = x_range_of(plotted.series, bands, years)
        return ChartModel(
            id=f"wgi_{dim}",
            view="governance",
            title=title,
            subtitle=subtitle(bundle, state, what),
            unit="percentile points" if state.wgi_mode == "gap" else "percentile rank",
            series=tuple(plotted.series),
            bands=tuple(bands),
            y=y,
            x_range=x_range,
            markers=events(bundle, state, entry.dataset, x_range, plotted.series),
            notes=tuple(notes),
            source=entry.source_line(members),
            citations=citations([entry], members),
            indicators=(entry.id,),
            highlight=state.highlight,
            events_for=events_for(bundle, state),
        )

    return build


def percentile_interval(bundle: Bundle, focus: str, dim: str, years) -> tuple:
    """(year, low, high): the focus's 90% interval on the percentile scale, its estimate ±
    1.645 SE mapped through that year's estimate -> percentile relation among the countries
    in the data (monotone interpolation), rounded to one decimal."""
    full = t.remembered(
        bundle.frame, ("wgi_band", dim, focus), lambda: _interval_all_years(bundle, focus, dim)
    )
    return tuple(b for b in full if years[0] <= b[0] <= years[1])


def _interval_all_years(bundle: Bundle, focus: str, dim: str) -> tuple:
    est = t.series(bundle.frame, f"wgi_{dim}_estimate")
    pct = t.series(bundle.frame, f"wgi_{dim}_percentile")
    both = est.merge(pct[["iso3", "year", "value"]], on=["iso3", "year"], suffixes=("", "_pct"))
    focus_years = set(both.loc[both["iso3"] == focus, "year"])
    if not focus_years:
        return ()
    both = both[both["year"].isin(focus_years)].sort_values(["year", "value"], kind="stable")
    out = []
    years_col = both["year"].to_numpy()
    iso3s, values = both["iso3"].to_numpy(), both["value"].to_numpy()
    ses, pcts = both["std_error"].to_numpy(), both["value_pct"].to_numpy()
    starts = [0, *(i for i in range(1, len(years_col)) if years_col[i] != years_col[i - 1])]
    for start, end in zip(starts, [*starts[1:], len(years_col)], strict=True):
        at = start + list(iso3s[start:end]).index(focus)
        if math.isnan(ses[at]):
            continue
        lo, hi = t.band_from_se(float(values[at]), float(ses[at]), Z90)
        xs, ys = values[start:end].tolist(), pcts[start:end].tolist()
        low, high = _interp(lo, xs, ys), _interp(hi, xs, ys)
        out.append((int(years_col[start]), round_half_away(low, 1), round_half_away(high, 1)))
    return tuple(out)


def _interp(x: float, xs: list[float], ys: list[float]) -> float:
    if x <= xs[0]:
        return max(0.0, ys[0] - (xs[0] - x) * 20)
    if x >= xs[-1]:
        return min(100.0, ys[-1] + (x - xs[-1]) * 20)
    for i in range(1, len(xs)):
        if x <= xs[i]:
            span = xs[i] - xs[i - 1]
            w = 0 if span == 0 else (x - xs[i - 1]) / span
            return ys[i - 1] + w * (ys[i] - ys[i - 1])
    return ys[-1]
