"""The peer scorecard as a table: typed values for the CSV, words for a slide. Both from the
scorecard's rows (charts.scorecard) alone, every number through render.format."""

from __future__ import annotations

import pandas as pd

from indicators.charts.scorecard import ScoreRow
from indicators.render import format as fmt

COLUMNS = [
    "indicator",
    "title",
    "unit",
    "release",
    "latest",
    "latest_year",
    "change",
    "change_from",
    "change_judgement",
    "peer_position",
    "peers_tied",
    "peers_ranked",
    "peers_without_data",
    "peer_rank_year",
    "gap",
    "gap_year",
    "gap_judgement",
    "benchmark",
]
HEADERS = ("Indicator", "Latest (year)", "Change", "Rank among peers", "Gap to OECD")
JUDGEMENT_NOTES = {
    "not significant": " (not significant)",
    "not comparable": " (not comparable: method changed)",
    "untested": "",
}


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else fmt.round_half_away(value, decimals)


def scorecard_table(rows: list[ScoreRow]) -> pd.DataFrame:
    """One row per indicator, values rounded as the scorecard shows them."""
    out = []
    for r in rows:
        rank = r.peer_rank
        out.append(
            (
                r.indicator,
                r.title,
                r.unit,
                r.release,
                _rounded(r.latest, r.decimals),
                r.latest_year,
                _rounded(r.change, r.decimals),
                r.change_from,
                r.change_judgement if r.change is not None else None,
                rank.position if rank else None,
                rank.tied if rank else None,
                rank.ranked if rank else None,
                rank.without_data if rank else None,
                rank.year if rank else None,
                _rounded(r.gap, r.decimals),
                r.gap_year,
                r.gap_judgement if r.gap is not None else None,
                r.benchmark_label or None,
            )
        )
    table = pd.DataFrame(out, columns=COLUMNS)
    for column in ("peer_position", "peers_tied", "peers_ranked", "peers_without_data"):
        table[column] = table[column].astype("Int64")
    return table


def rank_text(r: ScoreRow) -> str:
    rank = r.peer_rank
    if rank is None:
        return fmt.MISSING
    position = f"={rank.position}" if rank.tied > 1 else str(rank.position)
    text = f"{position} of {rank.ranked} ({rank.year})"
    return text + (f", {rank.without_data} without data" if rank.without_data else "")


def score_cells(r: ScoreRow) -> tuple[str, str, str, str, str]:
    """The row in words, as HEADERS."""
    latest = "no data"
    if r.latest is not None:
        latest = f"{fmt.number(r.latest, r.decimals)} {r.unit}".strip() + f" ({r.latest_year})"
    change = fmt.MISSING
    if r.change is not None:
        note = JUDGEMENT_NOTES.get(r.change_judgement, "")
        change = f"{fmt.signed(r.change, r.decimals)} since {r.change_from}{note}"
    gap = fmt.MISSING
    if r.gap is not None:
        gap = f"{fmt.signed(r.gap, r.decimals)} vs {r.benchmark_label} ({r.gap_year})"
    return r.title, latest, change, rank_text(r), gap
