"""The overview's model: a peer scorecard and key facts, as structured numbers (pure).

Judgements are honest: a change is coloured only where it is comparable (no methodology
break between its years) and, where the publisher gives an uncertainty, significant; ranks
name ties and members without data; medians say whether the focus is in them; every latest
value carries its year and every row its release. Each row carries the trend behind its
numbers (the focus and the peer median, year by year) for the overview's sparklines.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from indicators.charts.common import group_title, oecd_mean, values_by_country
from indicators.charts.registry import CHARTS
from indicators.charts.wgi import Z90
from indicators.data import transforms as t
from indicators.data.loading import Bundle
from indicators.data.rounding import round_half_away
from indicators.view.params import CUSTOM_GROUP
from indicators.view.state import ViewState, peer_members

# indicator id -> (its chart, benchmark: "mean" = OECD members of each year, "OED")
SCORECARD = {
    "cpi_score": ("cpi", "mean"),
    "wgi_va_percentile": ("wgi_va", "mean"),
    "wgi_pv_percentile": ("wgi_pv", "mean"),
    "wgi_ge_percentile": ("wgi_ge", "mean"),
    "wgi_rq_percentile": ("wgi_rq", "mean"),
    "wgi_rl_percentile": ("wgi_rl", "mean"),
    "wgi_cc_percentile": ("wgi_cc", "mean"),
    "db_rank": ("db_rank", None),
    "db_score": ("db_score", "mean"),
    "fdi_net_inflows_pct_gdp": ("fdi", "OED"),
    "manufacturing_va_pct_gdp": ("manufacturing", "OED"),
    "manufactures_exports_pct": ("manufactures_exports", "OED"),
}
BENCHMARK_LABELS = {"mean": "OECD average", "OED": "OECD (World Bank aggregate)"}

# what a change or gap is judged to be
BETTER, WORSE, NEUTRAL = "better", "worse", "neutral"
NOT_SIGNIFICANT = "not significant"  # inside the publisher's 90% interval
NOT_COMPARABLE = "not comparable"  # a methodology break lies between the two years
UNTESTED = "untested"  # the data hold no uncertainty for this estimate


@dataclass(frozen=True)
class PeerRank:
    position: int  # 1 = best; tied countries share the best position of the tie
    tied: int  # how many countries share that position (1 = no tie)
    ranked: int  # members with a value that year, focus included
    without_data: int  # members with no value that year
    year: str


@dataclass(frozen=True)
class TrendPoint:
    year: int
    label: str  # the year as the publisher names it ("2023", "DB2020")
    value: float


@dataclass(frozen=True)
class ScoreRow:
    indicator: str
    title: str
    unit: str
    view: str
    chart: str
    release: str
    decimals: int
    higher_is_better: bool
    latest: float | None = None
    latest_year: str | None = None
    stale: bool = False  # the latest value is older than the view's last year
    change: float | None = None
    change_from: str | None = None
    change_judgement: str = NEUTRAL
    peer_rank: PeerRank | None = None
    gap: float | None = None  # signed so that negative means behind
    gap_year: str | None = None
    gap_judgement: str = NEUTRAL
    benchmark_label: str = ""
    trend: tuple[TrendPoint, ...] = ()  # the focus in the view's years
    peer_median: tuple[TrendPoint, ...] = ()  # the median of the peers reporting each year

    def rank_judgement(self) -> str:
        r = self.peer_rank
        if r is None or r.ranked < 2:
            return NEUTRAL
        middle = (r.ranked + 1) / 2
        if r.position + r.tied - 1 < middle:
            return BETTER
        return WORSE if r.position > middle else NEUTRAL


def _direction(value: float, higher_is_better: bool) -> str:
    if value == 0 or math.isnan(value):
        return NEUTRAL
    return BETTER if (value > 0) == higher_is_better else WORSE


def _breaks_between(entry, first: int, last: int) -> bool:
    if entry.time_unit == "edition" and entry.meta.kind == "rank":
        return True  # every edition changed method and country set
    return any(first < b.year <= last for b in entry.meta.breaks)


def _estimate(bundle: Bundle, indicator: str, iso3: str, year: int):
    """(estimate, standard error) behind a WGI percentile, or None."""
    estimate = indicator.replace("_percentile", "_estimate")
    value = values_by_country(bundle, estimate).get(iso3, {}).get(year)
    se = values_by_country(bundle, estimate, "std_error").get(iso3, {}).get(year)
    if value is None or se is None or math.isnan(se):
        return None
    return value, se


def _change_judgement(bundle, entry, focus: str, first: int, last: int, change: float) -> str:
    if _breaks_between(entry, first, last):
        return NOT_COMPARABLE
    if entry.id.startswith("wgi_"):
        a, b = _estimate(bundle, entry.id, focus, first), _estimate(bundle, entry.id, focus, last)
        if a is None or b is None:
            return UNTESTED
        # the World Bank's rule: a change is significant when the 90% intervals do not overlap
        if abs(b[0] - a[0]) <= Z90 * (a[1] + b[1]):
            return NOT_SIGNIFICANT
    elif entry.dataset == "cpi":
        return UNTESTED  # the bundled CPI data hold no standard errors yet
    return _direction(change, entry.higher_is_better)


def _peer_rank(values: dict, focus: str, members, year: int, higher: bool, label) -> PeerRank:
    at = {c: values[c][year] for c in members if year in values.get(c, {})}
    mine = at[focus]
    better = sum(1 for v in at.values() if (v > mine if higher else v < mine))
    tied = sum(1 for v in at.values() if v == mine)
    return PeerRank(better + 1, tied, len(at), len(set(members) - set(at)), label)


def _comparison_year(values: dict, focus_years, peers) -> int | None:
    """Latest year in which the focus and at least half of its peers report, so a rank is
    never '1 of 1' just because the peers' series end earlier."""
    needed = max(1, (len(peers) + 1) // 2)
    for year in sorted(focus_years, reverse=True):
        if sum(1 for c in peers if year in values.get(c, {})) >= needed:
            return year
    return None


def _benchmarks(bundle: Bundle, entry, how: str | None, years) -> dict[int, float]:
    """{year: benchmark} as the charts draw it: the OECD mean of each data year's members, or
    the World Bank's OECD aggregate."""
    if how is None:
        return {}
    if how == "OED":
        return values_by_country(bundle, entry.id).get("OED", {})
    return {
        p.year: p.value for p in oecd_mean(bundle, entry, years, decimals=entry.meta.decimals + 1)
    }


def _peer_median(values: dict, peers, years, entry) -> tuple[TrendPoint, ...]:
    """The peers' median in each year of the view in which any of them reports."""
    points = []
    for year in sorted({y for c in peers for y in values.get(c, {}) if years[0] <= y <= years[1]}):
        reported = [values[c][year] for c in peers if year in values.get(c, {})]
        points.append(TrendPoint(year, entry.year_label(year), statistics.median(reported)))
    return tuple(points)


def _row(bundle: Bundle, state: ViewState, indicator: str, chart: str, how) -> ScoreRow:
    entry = bundle.catalog[indicator]
    peers = peer_members(state, bundle.countries.groups)
    values = values_by_country(bundle, indicator)
    lo, hi = state.years
    focus = {y: v for y, v in values.get(state.focus, {}).items() if lo <= y <= hi}
    last = max(focus) if focus else None
    base = {
        "indicator": indicator,
        "title": entry.title,
        "unit": entry.meta.short_unit,
        "view": CHARTS[chart].view,
        "chart": chart,
        "release": entry.release(state.focus, last).title,
        "decimals": entry.meta.decimals,
        "higher_is_better": entry.higher_is_better,
        "benchmark_label": BENCHMARK_LABELS.get(how, ""),
        "peer_median": _peer_median(values, peers, state.years, entry),
    }
    if last is None:
        return ScoreRow(**base)
    row = {**base, "latest": focus[last], "latest_year": entry.year_label(last)}
    row["trend"] = tuple(TrendPoint(y, entry.year_label(y), focus[y]) for y in sorted(focus))
    row["stale"] = last < state.year_to and entry.origin.discontinued is None
    first = min(focus)
    if first != last:
        change = focus[last] - focus[first]
        row["change"], row["change_from"] = change, entry.year_label(first)
        row["change_judgement"] = _change_judgement(bundle, entry, state.focus, first, last, change)
    rank_year = _comparison_year(values, focus, peers)
    if rank_year is not None:
        row["peer_rank"] = _peer_rank(
            values,
            state.focus,
            (state.focus, *peers),
            rank_year,
            entry.higher_is_better,
            entry.year_label(rank_year),
        )
    bench = _benchmarks(bundle, entry, how, state.years)
    with_bench = [y for y in focus if y in bench]
    if with_bench:  # the latest year with a benchmark
        y = max(with_bench)
        gap = t.gap(focus[y], bench[y], entry.higher_is_better)
        row["gap"], row["gap_year"] = gap, entry.year_label(y)
        row["gap_judgement"] = BETTER if gap > 0 else WORSE if gap < 0 else NEUTRAL
    return ScoreRow(**row)


def scorecard(bundle: Bundle, state: ViewState) -> list[ScoreRow]:
    return [_row(bundle, state, i, chart, how) for i, (chart, how) in SCORECARD.items()]


# --- key facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    year: str
    value: float
    decimals: int


@dataclass(frozen=True)
class KeyFacts:
    """The numbers the overview's sentences state (each None when the data lack it)."""

    focus: str
    group: str  # "Central Asia", "custom peers"
    focus_in_group: bool
    cpi_first: Observation | None = None
    cpi_last: Observation | None = None
    cpi_median: Observation | None = None
    cpi_reporting: tuple[int, int] | None = None  # (reporting, members)
    cpi_oecd: Observation | None = None
    cpi_rank: tuple[str, int, int] | None = None  # (year, rank, out of)
    wgi_cc_first: Observation | None = None
    wgi_cc_last: Observation | None = None
    wgi_cc_judgement: str = NEUTRAL
    db_rank: tuple[str, int, int] | None = None  # (edition, rank, out of)
    db_last_edition: bool = False
    fdi_latest: Observation | None = None


def _obs(entry, year: int, value: float, decimals: int | None = None) -> Observation:
    d = entry.meta.decimals if decimals is None else decimals
    return Observation(entry.year_label(year), value, d)


def key_facts(bundle: Bundle, state: ViewState) -> KeyFacts:
    names = bundle.countries.name
    peers = peer_members(state, bundle.countries.groups)
    listed = state.peers if state.group == CUSTOM_GROUP else bundle.countries.groups[state.group]
    listed = listed if isinstance(listed, tuple) else listed.members
    facts: dict = {
        "focus": names(state.focus),
        "group": group_title(bundle, state),
        "focus_in_group": state.focus in listed,
    }
    cat = bundle.catalog
    cpi = values_by_country(bundle, "cpi_score")
    lo, hi = state.years
    mine = {y: v for y, v in cpi.get(state.focus, {}).items() if lo <= y <= hi}
    if mine:
        first, year = min(mine), max(mine)
        facts["cpi_first"] = _obs(cat["cpi_score"], first, mine[first])
        facts["cpi_last"] = _obs(cat["cpi_score"], year, mine[year])
        reported = [cpi[c][year] for c in peers if year in cpi.get(c, {})]
        if reported:
            median = round_half_away(statistics.median(reported), 1)
            facts["cpi_median"] = _obs(cat["cpi_score"], year, median, 1)
            facts["cpi_reporting"] = (len(reported), len(peers))
        bench = _benchmarks(bundle, cat["cpi_score"], "mean", state.years)
        if year in bench:
            facts["cpi_oecd"] = _obs(cat["cpi_score"], year, bench[year], 1)

    def focus_values(indicator: str) -> dict[int, float]:
        every = values_by_country(bundle, indicator).get(state.focus, {})
        return {y: v for y, v in every.items() if lo <= y <= hi}

    rank = focus_values("cpi_rank")
    if rank:
        year = max(rank)
        n = cat["cpi_rank"].meta.out_of.get(year)
        if n:
            facts["cpi_rank"] = (str(year), int(rank[year]), n)
    cc = focus_values("wgi_cc_percentile")
    if len(cc) >= 2:
        entry = cat["wgi_cc_percentile"]
        y0, y1 = min(cc), max(cc)
        facts["wgi_cc_first"] = _obs(entry, y0, cc[y0], 0)
        facts["wgi_cc_last"] = _obs(entry, y1, cc[y1], 0)
        change = cc[y1] - cc[y0]
        facts["wgi_cc_judgement"] = _change_judgement(bundle, entry, state.focus, y0, y1, change)
    db = focus_values("db_rank")
    if db:
        entry, year = cat["db_rank"], max(db)
        n = entry.meta.out_of.get(year)
        if n:
            facts["db_rank"] = (entry.year_label(year), int(db[year]), n)
            facts["db_last_edition"] = year == max(entry.meta.out_of)
    fdi = focus_values("fdi_net_inflows_pct_gdp")
    if fdi:
        year = max(fdi)
        facts["fdi_latest"] = _obs(cat["fdi_net_inflows_pct_gdp"], year, fdi[year])
    return KeyFacts(**facts)
