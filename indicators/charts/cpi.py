"""The Corruption Perceptions Index chart: score, rank, or rank as a percentile."""

from __future__ import annotations

import math

from indicators.charts.common import (
    citations,
    events,
    events_for,
    plotted_series,
    subtitle,
    value_range,
    x_range_of,
)
from indicators.charts.model import Axis, ChartModel, Marker
from indicators.data import transforms as t
from indicators.data.catalog import combined_source_line
from indicators.data.loading import Bundle
from indicators.view.state import ViewState, peer_members

OLD_METHOD_LAST_YEAR = 2011
MEASURES = {
    "score": ("cpi_score", "cpi_score_legacy", "CPI score"),
    "rank": ("cpi_rank", "cpi_rank_legacy", "CPI rank (1 = least corrupt)"),
    "percentile": (
        "cpi_rank",
        "cpi_rank_legacy",
        "CPI rank as a percentile of that year's countries (100 = least corrupt)",
    ),
}


def cpi_chart(bundle: Bundle, state: ViewState) -> ChartModel:
    measure = state.cpi_measure
    new_id, old_id, what = MEASURES[measure]
    new, old = bundle.catalog[new_id], bundle.catalog[old_id]
    years = state.years
    kw: dict = {}
    if measure == "percentile":
        out_of = {**old.meta.out_of, **new.meta.out_of}

        def percentile(year: int, rank: float) -> float:
            n = out_of.get(year)
            # ties can put the last rank past the count: such a rank has no percentile
            return t.rank_to_percentile(rank, n) if n and 1 <= rank <= n else math.nan

        kw = {
            "transform": percentile,
            "decimals": 1,
            "transform_key": "percentile",
            "unit": "percentile of the countries ranked that year",
        }
    plotted = plotted_series(bundle, state, new, years, **kw)
    series, bands = plotted.series, plotted.bands
    entries = [new]
    markers: list[Marker] = []
    y2 = None
    if years[0] <= OLD_METHOD_LAST_YEAR:
        axis = "y2" if measure == "score" else "y"
        suffix = " (0–10 scale)" if measure == "score" else " (before 2012)"
        old_part = plotted_series(bundle, state, old, years, axis=axis, suffix=suffix, **kw)
        if any(s.role in ("focus", "peer", "aggregate") for s in old_part.series):
            series = old_part.series + series
            bands = old_part.bands + bands
            entries.insert(0, old)
            if measure == "score":
                y2 = Axis("Score before 2012 (0–10)", (0, 10))
            if years[1] > OLD_METHOD_LAST_YEAR:
                markers.append(
                    Marker(
                        OLD_METHOD_LAST_YEAR + 0.5,
                        "Method change 2012",
                        "CPI scores before 2012 (0–10) are not comparable with 2012 and later.",
                        kind="break",
                    )
                )
    if measure == "score":
        y = Axis("CPI score (0–100)", (0, 100))
    elif measure == "percentile":
        y = Axis("Percentile (100 = least corrupt)", (0, 100))
    else:
        span = value_range(series, bands)
        worst = span[1] if span else 1
        y = Axis("Rank (1 = least corrupt)", (1, math.ceil(worst * 1.05)), inverted=True)
    x_range = x_range_of(series, bands, years)
    markers = [m for m in markers if x_range[0] <= m.x <= x_range[1]]
    markers += events(bundle, state, new.dataset, x_range, series)
    members = (state.focus, *peer_members(state, bundle.countries.groups))
    notes = [n for e in entries for n in e.break_notes()]
    if any(m.kind == "break" for m in markers):  # ranks carry no break note of their own
        notes += bundle.catalog["cpi_score"].break_notes()
    if measure == "rank":
        notes.append("Ranks are read against that year's number of countries ranked.")
    return ChartModel(
        id="cpi",
        view="corruption",
        title="Corruption Perceptions Index",
        subtitle=subtitle(bundle, state, what),
        unit={"score": "score", "rank": "rank", "percentile": "percentile"}[measure],
        series=tuple(series),
        bands=tuple(bands),
        y=y,
        y2=y2,
        x_range=x_range,
        markers=tuple(markers),
        notes=tuple(dict.fromkeys(notes)),
        source=combined_source_line(entries, members),
        citations=citations(entries, members),
        indicators=tuple(e.id for e in entries),
        highlight=state.highlight,
        events_for=events_for(bundle, state),
    )
