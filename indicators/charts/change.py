"""A chart shown as change since the first year of its range: a pure map ChartModel -> ChartModel.

Amounts of money become an index (the series' first plotted year = 100); every other unit
(scores, percentiles, shares, ranks, growth rates, gaps) becomes the difference from the
first year in that unit (points, percentage points, places). Each series starts from its own
first plotted value, so a series that starts late or a segment after a methodology break is
never compared across the gap. A band moves with the line it surrounds (a country's interval
with the focus, the peers' range with their median). Values keep the published value behind
them, so the table and the CSV show both.
"""

from __future__ import annotations

from dataclasses import replace

from indicators.charts.model import Axis, Band, ChartModel, Point, Series
from indicators.data.rounding import round_half_away

INDEX_BASE = 100.0
INDEX_DECIMALS = 1
BAND_OWNER = {"peer-range": "peer-median"}  # band id -> the series it surrounds (or the focus)
EDITIONS_NOTE = (
    "Each edition ranks a different set of economies with a changed method, so its values are "
    "not shown as change over time."
)


def is_amount(unit: str) -> bool:
    """Money: shown as an index, as its changes are proportional."""
    return "US$" in unit


def _first(series: Series) -> Point | None:
    return series.points[0] if series.points else None


def _changed(value: float, base: float, index: bool, decimals: int) -> float | None:
    if index:
        if base <= 0:
            return None  # an index of a non-positive base means nothing
        return round_half_away(INDEX_BASE * value / base, INDEX_DECIMALS)
    return round_half_away(value - base, decimals)


def _series(series: Series, index: bool) -> Series:
    base = _first(series)
    if base is None:
        return series
    decimals = INDEX_DECIMALS if index else series.decimals
    points = []
    for p in series.points:
        value = _changed(p.value, base.value, index, decimals)
        if value is not None:
            published = p.published if p.published is not None else p.value
            points.append(replace(p, value=value, published=published))
    return replace(series, points=tuple(points), unit=change_unit(series.unit, index, base.year))


def _band(band: Band, bases: dict[tuple[str, str], Point], index: bool, focus: str) -> Band | None:
    owner = BAND_OWNER.get(band.id, focus if band.id == "focus-interval" else None)
    base = bases.get((owner, band.axis)) if owner else None
    if base is None:
        return None
    decimals = INDEX_DECIMALS if index else band.decimals
    points = []
    for year, low, high in band.points:
        lo = _changed(low, base.value, index, decimals)
        hi = _changed(high, base.value, index, decimals)
        if lo is not None and hi is not None:
            points.append((year, lo, hi))
    return replace(band, points=tuple(points), unit=change_unit(band.unit, index, base.year))


def change_unit(unit: str, index: bool, year: int) -> str:
    if index:
        return f"index, {year} = 100 ({unit})"
    return f"change since {year} ({unit})"


def _axis(axis: Axis, index: bool, year: int | None, values: list[float]) -> Axis:
    since = f"since {year}" if year is not None else "since the first year"
    title = f"Index, first year = 100 ({axis.title})" if index else f"Change {since} ({axis.title})"
    # the range spans the changed values and the line every series starts from (0 or 100)
    start = INDEX_BASE if index else 0.0
    lo, hi = min([start, *values]), max([start, *values])
    pad = (hi - lo) * 0.05 or 1.0
    return Axis(title, (lo - pad, hi + pad), axis.inverted, zero_line=not index)


def _values(series: tuple[Series, ...], bands: list[Band], axis: str) -> list[float]:
    values = [p.value for s in series if s.axis == axis for p in s.points]
    return values + [v for b in bands if b.axis == axis for p in b.points for v in p[1:]]


def as_change(model: ChartModel) -> ChartModel:
    """The same chart with every series and band shown as change since its first year."""
    if model.markers_only:  # editions (Doing Business): not a time series
        return replace(model, notes=(*model.notes, EDITIONS_NOTE))
    index = is_amount(model.unit) or any(is_amount(s.unit) for s in model.series)
    bases = {(s.id, s.axis): p for s in model.series if (p := _first(s)) is not None}
    focus = model.focus
    first_year = _first(focus).year if focus and focus.points else None
    bands = [_band(b, bases, index, focus.id if focus else "") for b in model.bands]
    series = tuple(_series(s, index) for s in model.series)
    kept = [b for b in bands if b is not None]
    notes = [
        "Each line is shown as "
        + (
            "an index of its first year shown (= 100)"
            if index
            else "its change since its first year shown"
        )
        + "; a line that starts later starts from its own first year, and no change is "
        "computed across a methodology break."
    ]
    if any(b is None for b in bands):
        notes.append("Shaded ranges are not shown as change.")
    if index and any(p.value <= 0 for s in model.series for p in s.points[:1]):
        notes.append("A series whose first value is zero or negative has no index.")
    shown_as = "Index, first year = 100" if index else "Change since the first year"
    return replace(
        model,
        subtitle=f"{shown_as}. {model.subtitle}",
        unit=change_unit(model.unit, index, first_year) if first_year else model.unit,
        series=series,
        bands=tuple(kept),
        y=_axis(model.y, index, first_year, _values(series, kept, "y")),
        y2=_axis(model.y2, index, None, _values(series, kept, "y2")) if model.y2 else None,
        notes=(*model.notes, *notes),
    )
