"""The overview: a peer scorecard and key-fact sentences, computed from the data (pure)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from indicators.data import transforms as t
from indicators.render.figure import fmt_number
from indicators.data.loading import Bundle
from indicators.view.state import ViewState, peer_members

# indicator id -> (chart it opens, benchmark: "mean" = OECD members of each year, "OED", None)
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


@dataclass(frozen=True)
class ScoreRow:
    indicator: str
    title: str
    unit: str
    view: str
    latest_year: str | None
    latest: float | None
    change: float | None
    change_from: str | None
    peer_rank: tuple[int, int] | None
    rank_year: str | None
    gap: float | None
    gap_year: str | None
    benchmark_label: str
    higher_is_better: bool
    decimals: int

    def status(self, value: float | None) -> str:
        """'better', 'worse' or 'neutral' for a signed change in the indicator's direction."""
        if value is None or math.isnan(value) or value == 0:
            return "neutral"
        good = value > 0 if self.higher_is_better else value < 0
        return "better" if good else "worse"

    def change_status(self) -> str:
        return self.status(self.change)

    def gap_status(self) -> str:
        # gaps are already signed so that negative means behind
        if self.gap is None or self.gap == 0:
            return "neutral"
        return "better" if self.gap > 0 else "worse"

    def rank_status(self) -> str:
        if self.peer_rank is None or self.peer_rank[1] < 2:
            return "neutral"
        position, total = self.peer_rank
        if position <= (total + 1) / 2 - 0.01:
            return "better"
        return "worse" if position > (total + 1) / 2 else "neutral"


def scorecard(bundle: Bundle, state: ViewState) -> list[ScoreRow]:
    members = peer_members(state, bundle.countries.groups)
    rows = []
    for indicator, (view, bench) in SCORECARD.items():
        entry = bundle.catalog[indicator]
        data = t.series(bundle.frame, indicator, years=state.years)
        focus = data[data["iso3"] == state.focus]
        last = t.latest(focus)
        change = change_from = None
        peer_rank = gap = rank_label = gap_label = None
        if last is not None:
            first_year = int(focus["year"].min())
            if first_year != last[0]:
                change = t.change(focus, first_year, last[0])
                change_from = entry.year_label(first_year)
            rank_year = _comparison_year(data, state.focus, members)
            if rank_year is not None:
                at = data[data["year"] == rank_year]
                values = {
                    c: v
                    for c, v in zip(at["iso3"], at["value"], strict=True)
                    if c in members or c == state.focus
                }
                peer_rank = t.rank_within(values, state.focus, entry.higher_is_better)
                rank_label = entry.year_label(rank_year)
            for year in sorted(focus["year"], reverse=True):  # latest year with a benchmark
                benchmark = _benchmark(bundle, data, bench, int(year))
                if benchmark is not None:
                    own = float(focus.loc[focus["year"] == year, "value"].iloc[0])
                    gap = t.gap(own, benchmark, entry.higher_is_better)
                    gap_label = entry.year_label(int(year))
                    break
        rows.append(
            ScoreRow(
                indicator=indicator,
                title=entry.title,
                unit=entry.meta.short_unit,
                view=view,
                latest_year=entry.year_label(last[0]) if last else None,
                latest=last[1] if last else None,
                change=change,
                change_from=change_from,
                peer_rank=peer_rank,
                rank_year=rank_label,
                gap=gap,
                gap_year=gap_label,
                benchmark_label={"mean": "OECD average", "OED": "OECD (WB aggregate)"}.get(
                    bench, ""
                ),
                higher_is_better=entry.higher_is_better,
                decimals=entry.meta.decimals,
            )
        )
    return rows


def _comparison_year(data, focus: str, members) -> int | None:
    """Latest year in which the focus country and at least half of its peers report, so a
    rank is never '1 of 1' just because the peers' series end earlier."""
    members = set(members)
    needed = max(1, (len(members) + 1) // 2)
    for year in sorted(data.loc[data["iso3"] == focus, "year"], reverse=True):
        reporting = set(data.loc[data["year"] == year, "iso3"]) & members
        if len(reporting) >= needed:
            return int(year)
    return None


def _benchmark(bundle: Bundle, data, bench: str | None, year: int) -> float | None:
    if bench is None:
        return None
    if bench == "OED":
        row = data[(data["iso3"] == "OED") & (data["year"] == year)]
        return float(row["value"].iloc[0]) if not row.empty else None
    avg = t.oecd_average(data[data["year"] == year], bundle.countries.oecd_accession)
    return float(avg["mean"].iloc[0]) if not avg.empty else None


def key_facts(bundle: Bundle, state: ViewState) -> list[str]:
    """Sentences for the overview, regenerated from the data and the view's settings."""
    names = bundle.countries.name
    focus = names(state.focus)
    members = peer_members(state, bundle.countries.groups)
    group = (
        "the custom peers"
        if state.group == "custom"
        else bundle.countries.groups[state.group].title
    )
    facts = []
    cpi = t.series(bundle.frame, "cpi_score", years=state.years)
    mine = cpi[cpi["iso3"] == state.focus]
    if len(mine) >= 1:
        first, last = mine.iloc[0], mine.iloc[-1]
        text = (
            f"{focus}'s CPI score was {int(first['value'])} in {int(first['year'])} and "
            f"{int(last['value'])} in {int(last['year'])} (0–100, higher is cleaner)."
        )
        year = int(last["year"])
        agg = t.peer_aggregate(cpi[cpi["year"] == year], members)
        if not agg.empty:
            a = agg.iloc[0]
            text += (
                f" The {group} median that year was {a['median']:g} "
                f"({int(a['n_reporting'])}/{int(a['n_members'])} reporting)"
            )
        oecd = t.oecd_average(cpi[cpi["year"] == year], bundle.countries.oecd_accession)
        if not oecd.empty:
            o = oecd.iloc[0]
            text += (
                f"; the OECD average was {o['mean']:.0f}, "
                f"{abs(last['value'] - o['mean']):.0f} points "
                f"{'above' if last['value'] > o['mean'] else 'below'} {focus}."
                if False
                else f"; the OECD average was {o['mean']:.0f}, a gap of "
                f"{last['value'] - o['mean']:+.0f} points."
            )
        else:
            text += "."
        facts.append(text)
    rank = t.series(bundle.frame, "cpi_rank", [state.focus], state.years)
    if not rank.empty:
        year, value = t.latest(rank)
        n = bundle.catalog["cpi_rank"].meta.out_of.get(year)
        facts.append(f"In {year} {focus} ranked {int(value)} of {n} countries in the CPI.")
    cc = t.series(bundle.frame, "wgi_cc_percentile", [state.focus], state.years)
    if len(cc) >= 2:
        f0, f1 = cc.iloc[0], cc.iloc[-1]
        facts.append(
            f"Control of Corruption (WGI 2024 update): {focus} was at the "
            f"{f0['value']:.0f}th percentile in {int(f0['year'])} and the {f1['value']:.0f}th in "
            f"{int(f1['year'])}; margins of error are wide."
        )
    db = t.series(bundle.frame, "db_rank", [state.focus], state.years)
    if not db.empty:
        year, value = t.latest(db)
        n = bundle.catalog["db_rank"].meta.out_of.get(year)
        facts.append(
            f"In Doing Business {year}, the last edition before the series was discontinued, "
            f"{focus} ranked {int(value)} of {n} economies."
        )
    fdi = t.series(bundle.frame, "fdi_net_inflows_pct_gdp", [state.focus], state.years)
    if not fdi.empty:
        year, value = t.latest(fdi)
        facts.append(f"FDI net inflows were {fmt_number(value, 1, '%')} of GDP in {year} (WDI).")
    return facts
