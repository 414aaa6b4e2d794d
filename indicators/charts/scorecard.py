"""The overview's model: a peer scorecard and key facts, as structured numbers (pure).

Judgements are honest: a change is coloured only where it is comparable (no methodology
break between its years) and, where the publisher gives an uncertainty, significant; ranks
name ties and members without data; medians say whether the focus is in them; every latest
value carries its year and every row its release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from indicators.charts.common import data_year, group_title
from indicators.charts.wgi import Z90
from indicators.data import transforms as t
from indicators.data.loading import Bundle
from indicators.view.params import CUSTOM_GROUP
from indicators.view.state import ViewState, peer_members

# indicator id -> (view of its chart, benchmark: "mean" = OECD members of each year, "OED")
SCORECARD = {
    "cpi_score": ("corruption", "mean"),
    "wgi_va_percentile": ("governance", "mean"),
    "wgi_pv_percentile": ("governance", "mean"),
    "wgi_ge_percentile": ("governance", "mean"),
    "wgi_rq_percentile": ("governance", "mean"),
    "wgi_rl_percentile": ("governance", "mean"),
    "wgi_cc_percentile": ("governance", "mean"),
    "db_rank": ("economy", None),
    "db_score": ("economy", "mean"),
    "fdi_net_inflows_pct_gdp": ("economy", "OED"),
    "manufacturing_va_pct_gdp": ("economy", "OED"),
    "manufactures_exports_pct": ("economy", "OED"),
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
class ScoreRow:
    indicator: str
    title: str
    unit: str
    view: str
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
    rows = t.series(bundle.frame, indicator.replace("_percentile", "_estimate"), [iso3])
    hit = rows[rows["year"] == year]
    if hit.empty or math.isnan(float(hit["std_error"].iloc[0])):
        return None
    return float(hit["value"].iloc[0]), float(hit["std_error"].iloc[0])


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


def _peer_rank(data, focus: str, members, year: int, higher_is_better: bool, label) -> PeerRank:
    at = data[data["year"] == year]
    values = {c: v for c, v in zip(at["iso3"], at["value"], strict=True) if c in members}
    mine = values[focus]
    better = sum(1 for v in values.values() if (v > mine if higher_is_better else v < mine))
    tied = sum(1 for v in values.values() if v == mine)
    return PeerRank(better + 1, tied, len(values), len(set(members) - set(values)), label)


def _comparison_year(data, focus: str, peers) -> int | None:
    """Latest year in which the focus and at least half of its peers report, so a rank is
    never '1 of 1' just because the peers' series end earlier."""
    needed = max(1, (len(peers) + 1) // 2)
    for year in sorted(data.loc[data["iso3"] == focus, "year"], reverse=True):
        if len(set(data.loc[data["year"] == year, "iso3"]) & set(peers)) >= needed:
            return int(year)
    return None


def _benchmark(bundle: Bundle, entry, data, how: str | None, year: int) -> float | None:
    if how is None:
        return None
    if how == "OED":
        row = data[(data["iso3"] == "OED") & (data["year"] == year)]
        return float(row["value"].iloc[0]) if not row.empty else None
    joined = {
        c: y for c, y in bundle.countries.oecd_accession.items() if y <= data_year(entry, year)
    }
    avg = t.oecd_average(data[data["year"] == year], joined)
    return float(avg["mean"].iloc[0]) if not avg.empty else None


def _row(bundle: Bundle, state: ViewState, indicator: str, view: str, how) -> ScoreRow:
    entry = bundle.catalog[indicator]
    peers = peer_members(state, bundle.countries.groups)
    data = t.series(bundle.frame, indicator, years=state.years)
    focus = data[data["iso3"] == state.focus]
    last = t.latest(focus)
    base = {
        "indicator": indicator,
        "title": entry.title,
        "unit": entry.meta.short_unit,
        "view": view,
        "release": entry.release(state.focus, last[0] if last else None).title,
        "decimals": entry.meta.decimals,
        "higher_is_better": entry.higher_is_better,
        "benchmark_label": BENCHMARK_LABELS.get(how, ""),
    }
    if last is None:
        return ScoreRow(**base)
    year, value = last
    row = {**base, "latest": value, "latest_year": entry.year_label(year)}
    row["stale"] = year < state.year_to and entry.origin.discontinued is None
    first = int(focus["year"].min())
    if first != year:
        change = t.change(focus, first, year)
        row["change"], row["change_from"] = change, entry.year_label(first)
        row["change_judgement"] = _change_judgement(bundle, entry, state.focus, first, year, change)
    rank_year = _comparison_year(data, state.focus, peers)
    if rank_year is not None:
        members = (state.focus, *peers)
        label = entry.year_label(rank_year)
        row["peer_rank"] = _peer_rank(
            data, state.focus, members, rank_year, entry.higher_is_better, label
        )
    for y in sorted(focus["year"], reverse=True):  # latest year with a benchmark
        bench = _benchmark(bundle, entry, data, how, int(y))
        if bench is not None:
            own = float(focus.loc[focus["year"] == y, "value"].iloc[0])
            gap = t.gap(own, bench, entry.higher_is_better)
            row["gap"], row["gap_year"] = gap, entry.year_label(int(y))
            row["gap_judgement"] = BETTER if gap > 0 else WORSE if gap < 0 else NEUTRAL
            break
    return ScoreRow(**row)


def scorecard(bundle: Bundle, state: ViewState) -> list[ScoreRow]:
    return [_row(bundle, state, i, view, how) for i, (view, how) in SCORECARD.items()]


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
    cpi = t.series(bundle.frame, "cpi_score", years=state.years)
    mine = cpi[cpi["iso3"] == state.focus]
    if not mine.empty:
        first, last = mine.iloc[0], mine.iloc[-1]
        year = int(last["year"])
        facts["cpi_first"] = _obs(cat["cpi_score"], int(first["year"]), float(first["value"]))
        facts["cpi_last"] = _obs(cat["cpi_score"], year, float(last["value"]))
        agg = t.peer_aggregate(cpi[cpi["year"] == year], peers)
        if not agg.empty:
            a = agg.iloc[0]
            facts["cpi_median"] = _obs(cat["cpi_score"], year, float(a["median"]), 1)
            facts["cpi_reporting"] = (int(a["n_reporting"]), int(a["n_members"]))
        bench = _benchmark(bundle, cat["cpi_score"], cpi, "mean", year)
        if bench is not None:
            facts["cpi_oecd"] = _obs(cat["cpi_score"], year, bench, 1)
    rank = t.latest(t.series(bundle.frame, "cpi_rank", [state.focus], state.years))
    if rank is not None:
        n = cat["cpi_rank"].meta.out_of.get(rank[0])
        if n:
            facts["cpi_rank"] = (str(rank[0]), int(rank[1]), n)
    cc = t.series(bundle.frame, "wgi_cc_percentile", [state.focus], state.years)
    if len(cc) >= 2:
        entry = cat["wgi_cc_percentile"]
        f0, f1 = cc.iloc[0], cc.iloc[-1]
        y0, y1 = int(f0["year"]), int(f1["year"])
        facts["wgi_cc_first"] = _obs(entry, y0, float(f0["value"]), 0)
        facts["wgi_cc_last"] = _obs(entry, y1, float(f1["value"]), 0)
        change = float(f1["value"] - f0["value"])
        facts["wgi_cc_judgement"] = _change_judgement(bundle, entry, state.focus, y0, y1, change)
    db = t.series(bundle.frame, "db_rank", [state.focus], state.years)
    if not db.empty:
        year, value = t.latest(db)
        entry = cat["db_rank"]
        n = entry.meta.out_of.get(year)
        if n:
            facts["db_rank"] = (entry.year_label(year), int(value), n)
            facts["db_last_edition"] = year == max(entry.meta.out_of)
    fdi = t.latest(t.series(bundle.frame, "fdi_net_inflows_pct_gdp", [state.focus], state.years))
    if fdi is not None:
        facts["fdi_latest"] = _obs(cat["fdi_net_inflows_pct_gdp"], fdi[0], fdi[1])
    return KeyFacts(**facts)
