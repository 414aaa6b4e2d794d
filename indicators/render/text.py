"""The words of a chart, each from its model alone: subtitle span, hover text, alt text and the
message of an empty chart. Every number goes through render.format."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.charts.model import ChartModel, Marker, Point, Series
from indicators.charts.scorecard import KeyFacts
from indicators.render import format as fmt


def span(model: ChartModel) -> str:
    """The years plotted ('2012–2025', 'DB2016–DB2020'), or the range asked for when none."""
    years = model.plotted_years()
    if years is None:
        lo, hi = round(model.x_range[0] + 0.5), round(model.x_range[1] - 0.5)
        return fmt.year_span(str(lo), str(hi))
    return fmt.year_span(model.year_label(years[0]), model.year_label(years[1]))


def subtitle(model: ChartModel) -> str:
    return f"{model.subtitle}, {span(model)}"


def value(series: Series, point: Point) -> str:
    return fmt.number(point.value, series.decimals)


def coverage(point: Point) -> str:
    """'3 of 5 reporting (2 without data)' for an aggregate's point, else ''."""
    if point.reporting is None or point.members is None:
        return ""
    without = point.members - point.reporting
    return fmt.reporting(point.reporting, point.members, without)


def point_text(year: str, unit: str, decimals: int, point: Point) -> str:
    """What a point's tooltip says (its year, value and what stands behind it), from what it
    depends on: the point's year label, the unit plotted and the series' precision."""
    text = f"{year}: {fmt.number(point.value, decimals)}"
    if point.out_of and point.published is None:
        text += f" of {point.out_of}"
    elif unit == "percentile" and point.published is not None:
        text = f"{year}: {fmt.percentile(point.value)} (rank {fmt.number(point.published, 0)}" + (
            f" of {point.out_of})" if point.out_of else ")"
        )
    elif unit == "percentile points" and point.published is not None:
        text = (
            f"{year}: {fmt.signed(point.value, decimals)} "
            f"points vs OECD average (level {fmt.number(point.published, 1)})"
        )
    extra = coverage(point)
    return f"{text}, {extra}" if extra else text


@dataclass(frozen=True)
class EventRow:
    """An event of the chart as listed under it: the number on its marker, date, title,
    detail and source."""

    number: int
    date: str
    title: str
    detail: str
    source: str

    @property
    def text(self) -> str:
        """The event in words, as listed under the chart (numbered by the list)."""
        return f"{self.date}: {self.title}. {self.detail} ({self.source})"

    @property
    def line(self) -> str:
        return f"{self.number}. {self.text}"


def event_rows(model: ChartModel) -> list[EventRow]:
    return [EventRow(m.number, m.date, m.label, m.detail, m.source) for m in model.events]


def event_hover(marker: Marker) -> tuple[str, str, str]:
    """The lines of an event's tooltip: number, title and date; detail; source."""
    return f"{marker.number}. {marker.label} ({marker.date})", marker.detail, marker.source


def events_note(model: ChartModel) -> str:
    """What the chart says when reform events are asked for and the focus has none in the
    years plotted ('' otherwise)."""
    if not model.events_for or any(m.country not in ("ALL", "") for m in model.events):
        return ""
    return f"No reform events recorded for {model.events_for} in {span(model)}."


def event_pointer(model: ChartModel, linked: bool) -> str:
    """What an image (no hover, no list under it) says of its numbered event markers."""
    where = "at the link below" if linked else "in the dashboard and the briefing pack"
    return f"Markers 1–{len(model.events)}: reform events, listed with this chart {where}."


def _latest_line(model: ChartModel, series: Series, year: int) -> str:
    point = series.value_at(year)
    if point is None:
        return ""
    extra = coverage(point)
    return f"{series.label}: {value(series, point)}" + (f", {extra}" if extra else "")


def empty_message(model: ChartModel) -> str:
    return f"No data for {model.title} in {span(model)} for these countries."


def alt_text(model: ChartModel) -> str:
    """A description of the chart for screen readers and exports: the focus's first and last
    plotted values, and the aggregates' and benchmark's values in the focus's last year."""
    head = f"{model.title}, {model.unit}, {span(model)}."
    focus = model.focus
    if focus is None or not focus.points:
        return f"{head} {empty_message(model) if not model.series else 'No focus data.'}"
    first, last = focus.points[0], focus.points[-1]
    text = (
        f"{head} {focus.label}: "
        + fmt.first_and_last(
            value(focus, first),
            model.year_label(first.year),
            value(focus, last),
            model.year_label(last.year),
        )
        + "."
    )
    others = [
        _latest_line(model, s, last.year)
        for s in model.series
        if s.role in ("aggregate", "benchmark") and s.legend
    ]
    others = [o for o in others if o]
    if others:
        text += f" In {model.year_label(last.year)}: {'; '.join(others)}."
    peers = [s for s in model.series if s.role == "peer" and s.legend]
    if peers:
        text += f" Peers drawn: {fmt.join_words([s.label for s in peers])}."
    for band in model.bands:
        at = next((b for b in band.points if b[0] == last.year), None)
        if at is not None and band.kind == "interval":
            text += (
                f" {band.label} in {model.year_label(last.year)}: "
                f"{fmt.number(at[1], band.decimals)} to {fmt.number(at[2], band.decimals)}."
            )
    return text


JUDGEMENT_WORDS = {
    "not significant": "no significant change (inside the 90% intervals)",
    "not comparable": "not comparable across a methodology break",
    "untested": "not tested for significance",
}


def key_fact_sentences(facts: KeyFacts) -> list[str]:
    """The overview's sentences, each number from the key facts through the formatter."""
    out = []
    focus = facts.focus
    if facts.cpi_last is not None:
        first, last = facts.cpi_first, facts.cpi_last
        text = (
            f"{focus}'s CPI score was "
            + fmt.first_and_last(
                fmt.number(first.value, first.decimals),
                first.year,
                fmt.number(last.value, last.decimals),
                last.year,
            )
            + " (0–100, higher is cleaner)."
        )
        if facts.cpi_median is not None:
            median = facts.cpi_median
            whose = fmt.definite(f"{facts.group} median")
            if facts.focus_in_group:
                whose += f" (without {focus})"
            n, m = facts.cpi_reporting
            text += (
                f" {fmt.capitalise(whose)} that year was "
                f"{fmt.number(median.value, median.decimals)} ({fmt.reporting(n, m, m - n)})."
            )
        if facts.cpi_oecd is not None:
            oecd = facts.cpi_oecd
            gap = fmt.round_half_away(last.value - oecd.value, oecd.decimals)
            text += (
                f" The OECD average was {fmt.number(oecd.value, oecd.decimals)}, a gap of "
                f"{fmt.signed(gap, oecd.decimals)} points."
            )
        out.append(text)
    if facts.cpi_rank is not None:
        year, rank, n = facts.cpi_rank
        out.append(f"In {year} {focus} ranked {rank} of {n} countries in the CPI.")
    if facts.wgi_cc_last is not None:
        a, b = facts.wgi_cc_first, facts.wgi_cc_last
        judgement = JUDGEMENT_WORDS.get(facts.wgi_cc_judgement, "")
        out.append(
            f"Control of Corruption (WGI): {focus} was at the {fmt.percentile(a.value)} in "
            f"{a.year} and the {fmt.percentile(b.value)} in {b.year}"
            + (f": {judgement}." if judgement else ".")
        )
    if facts.db_rank is not None:
        edition, rank, n = facts.db_rank
        last = ", the last edition before the series was discontinued," * facts.db_last_edition
        out.append(f"In Doing Business {edition[2:]}{last} {focus} ranked {rank} of {n} economies.")
    if facts.fdi_latest is not None:
        fdi = facts.fdi_latest
        out.append(
            f"FDI net inflows were {fmt.number(fdi.value, fdi.decimals, '%')} of GDP in "
            f"{fdi.year} (WDI)."
        )
    return out
