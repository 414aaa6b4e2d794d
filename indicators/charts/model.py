"""The chart model: everything one chart shows, as plain data.

A chart function (data, view) -> ChartModel decides what is plotted; the figure, table, CSV,
alt text, sentences and export burn-ins are each rendered from this object alone, so they
cannot disagree. Values are in the unit plotted (a percentile, a gap, a median), already
rounded where they are derived, so every output that prints one prints the same number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

ROLES = ("focus", "peer", "aggregate", "benchmark")


@dataclass(frozen=True)
class Point:
    """One plotted value. `reporting`/`members`: how many countries an aggregate summarises
    that year and how many it should; `out_of`: countries ranked that year (ranks);
    `published`: the published value behind a derived one (the rank behind a percentile,
    the level behind a gap)."""

    year: int
    value: float
    reporting: int | None = None
    members: int | None = None
    out_of: int | None = None
    published: float | None = None


@dataclass(frozen=True)
class Series:
    id: str  # country code, or "peer-median", "oecd", ...; clicking a line highlights it
    label: str
    role: str  # one of ROLES
    points: tuple[Point, ...]
    unit: str = ""  # of the values plotted ("score (0-10)" for the old CPI scale)
    iso3: str = ""
    decimals: int = 0  # display precision of this series' values
    axis: str = "y"  # "y2": the old CPI scale
    dash: str = "solid"
    legend: bool = True  # False for a second segment of a series already in the legend
    slot: int | None = None  # the country's colour slot, the same in every view and focus
    short: str = ""  # the direct label at the line's end, when shorter than `label`

    @property
    def tag(self) -> str:
        return self.short or self.label

    def value_at(self, year: int) -> Point | None:
        return next((p for p in self.points if p.year == year), None)


@dataclass(frozen=True)
class Band:
    """A shaded interval around a series: points are (year, low, high)."""

    id: str
    label: str
    points: tuple[tuple[int, float, float], ...]
    unit: str = ""
    decimals: int = 0
    axis: str = "y"
    kind: str = "interval"  # interval (a country's 90% interval) | range (peers' min–max)
    legend: bool = True


@dataclass(frozen=True)
class Axis:
    title: str
    range: tuple[float, float] | None = None
    inverted: bool = False  # ranks: 1 (best) at the top
    zero_line: bool = False
    log: bool = False  # a logarithmic axis (money over orders of magnitude)


@dataclass(frozen=True)
class Marker:
    """A dated event, or a methodology break, at x (fractional year). Events are numbered in
    date order (1, 2, ...) on the chart and in its list; `country` is ALL for events that
    concern every series."""

    x: float
    label: str
    detail: str
    kind: str = "event"  # event | break
    date: str = ""
    number: int = 0
    country: str = ""
    source: str = ""


@dataclass(frozen=True)
class ChartModel:
    id: str
    view: str
    title: str
    subtitle: str
    unit: str  # of the values plotted
    series: tuple[Series, ...]
    y: Axis
    x_range: tuple[float, float]
    bands: tuple[Band, ...] = ()
    y2: Axis | None = None
    x_ticks: tuple[tuple[int, str], ...] = ()  # editions: (year, label)
    year_labels: dict[int, str] = field(default_factory=dict)  # years shown otherwise
    markers: tuple[Marker, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = ""
    citations: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    highlight: str | None = None
    markers_only: bool = False  # editions: points, not joined lines
    events_for: str = ""  # the focus's name when reform events are asked for, else ""

    def year_label(self, year: int) -> str:
        return self.year_labels.get(year, str(year))

    @property
    def focus(self) -> Series | None:
        """The focus's main series (not the second segment of a broken series)."""
        return next((s for s in self.series if s.role == "focus" and s.legend), None)

    # cached: a view's details, list, lane and text ask for them dozens of times
    @cached_property
    def events(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.kind == "event")

    @cached_property
    def breaks(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.kind == "break")

    def plotted_years(self) -> tuple[int, int] | None:
        years = [p.year for s in self.series for p in s.points]
        years += [b[0] for band in self.bands for b in band.points]
        return (min(years), max(years)) if years else None
