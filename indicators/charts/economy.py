"""Business and economy charts: Doing Business rank and score by edition, FDI, manufacturing."""

from __future__ import annotations

import math
from collections.abc import Callable

from indicators.charts.common import (
    citations,
    events,
    events_for,
    plotted_series,
    published_years,
    subtitle,
    value_range,
    x_range_of,
)
from indicators.charts.model import Axis, ChartModel
from indicators.data.loading import Bundle
from indicators.view.state import ViewState, peer_members

ZERO_LINE = {"fdi_net_inflows_pct_gdp", "fdi_net_inflows_usd", "gdp_growth"}


def economy_chart(
    chart_id: str, indicator_of: Callable[[ViewState], str], benchmark: str | None
) -> Callable[[Bundle, ViewState], ChartModel]:
    """A chart of one WDI or Doing Business indicator. `benchmark`: "mean" (OECD members of
    each year), "OED" (the World Bank's OECD aggregate) or None."""

    def build(bundle: Bundle, state: ViewState) -> ChartModel:
        entry = bundle.catalog[indicator_of(state)]
        years = state.years
        # the OECD total is in trillions of US$: it would flatten every country to zero
        bench = None if entry.id == "fdi_net_inflows_usd" else benchmark
        plotted = plotted_series(bundle, state, entry, years, benchmark=bench)
        editions = entry.time_unit == "edition"
        ticks: tuple = ()
        labels: dict[int, str] = {}
        if editions:
            have = published_years(bundle, entry.id)
            lo, hi = max(years[0], min(have)), min(years[1], max(have))
            x_range = (lo - 0.5, hi + 0.5)
            shown = range(lo, hi + 1)
            labels = {y: entry.year_label(y) for y in shown}
            ticks = tuple((y, labels[y]) for y in shown if (y - lo) % 3 == (hi - lo) % 3)
        else:
            x_range = x_range_of(plotted.series, plotted.bands, years)
        title = entry.title
        unit = entry.unit[:1].upper() + entry.unit[1:]
        if entry.meta.kind == "rank":
            span = value_range(plotted.series, plotted.bands)
            worst = span[1] if span else 1
            y = Axis(unit, (1, math.ceil(worst * 1.08)), inverted=True)
        else:
            title_y = "Current US$" if entry.id == "fdi_net_inflows_usd" else unit
            y = Axis(title_y, zero_line=entry.id in ZERO_LINE)
        members = (state.focus, *peer_members(state, bundle.countries.groups))
        notes = list(entry.break_notes())
        if entry.meta.kind == "rank" and editions:
            notes.append(
                "Each edition ranks a different set of economies with a changed method: read a "
                "rank against its edition, not as a change over time."
            )
        return ChartModel(
            id=chart_id,
            view="economy",
            title=title,
            subtitle=subtitle(bundle, state, entry.meta.description.rstrip(".")),
            unit="rank" if entry.meta.kind == "rank" else entry.unit,
            series=tuple(plotted.series),
            bands=tuple(plotted.bands),
            y=y,
            x_range=x_range,
            x_ticks=ticks,
            year_labels=labels,
            markers=events(bundle, state, entry.dataset, x_range, plotted.series),
            notes=tuple(dict.fromkeys(notes)),
            source=entry.source_line(members),
            citations=citations([entry], members),
            indicators=(entry.id,),
            highlight=state.highlight,
            events_for=events_for(bundle, state),
            markers_only=editions and entry.meta.kind == "rank",
        )

    return build
