"""Diff a release's observations with a data file, at the precision the file stores values.

The stored precision of an indicator is the most decimals any of its stored values has (cpi 0,
wgi 6, WDI values as published). A value in the release is compared with the stored one after
rounding both (half away from zero) at that precision, or at the release's own precision when
it writes fewer decimals; so an unchanged value is never reported as a revision. A changed or
new value is stored as the release writes it, or at the stored precision when the release holds
a binary number (an xlsx cell).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from indicators.data.releases.mapping import Obs
from indicators.data.rounding import round_half_away

MAX_DECIMALS = 15


@dataclass(frozen=True)
class Change:
    indicator: str
    iso3: str
    year: int
    old: tuple[float, float | None] | None  # None for a new year
    new: tuple[float, float | None]


@dataclass
class IndicatorDiff:
    indicator: str
    decimals: int
    new: list[Change] = field(default_factory=list)
    revised: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)  # values of countries new to it
    tracked: list[str] = field(default_factory=list)  # countries with this indicator
    lacking: list[str] = field(default_factory=list)  # tracked countries the release lacks
    untracked: list[str] = field(default_factory=list)  # release countries not in the data
    without: list[str] = field(default_factory=list)  # in the data file, not for this indicator
    earlier: int = 0  # values before the indicator's first stored year (ignored)
    coarser: int | None = None  # fewest decimals the release writes, when below the stored
    out_of: dict[int, tuple[int | None, int]] = field(default_factory=dict)  # year: (old, new)


def decimals_of(value) -> int:
    if isinstance(value, int) or value is None:
        return 0
    text = repr(float(value))
    if "e" in text or "E" in text:
        return MAX_DECIMALS
    frac = text.split(".", 1)[1] if "." in text else ""
    return 0 if frac == "0" else len(frac)


def _split(stored, has_se: bool):
    if has_se and isinstance(stored, dict):
        return stored.get("value"), stored.get("se")
    return stored, None


SIGNIFICANT = 14  # WDI writes 15 significant digits; the 15th is binary-float noise


def _same(old, new, decimals) -> bool:
    if old is None:
        return new is None
    old, new = float(old), float(new)
    if abs(old - new) <= 1e-14 * max(abs(old), abs(new)):
        return True
    if old != 0 and new != 0:  # never compare beyond 14 significant digits
        decimals = min(decimals, SIGNIFICANT - 1 - math.floor(math.log10(max(abs(old), abs(new)))))
    return round_half_away(float(old), decimals) == round_half_away(float(new), decimals)


def rounded(value: float, decimals: int | None) -> float:
    return value if decimals is None else round_half_away(value, decimals)


def diff(
    doc: dict, observations: list[Obs], counts: dict[int, int], add: bool = False
) -> list[IndicatorDiff]:
    """With `add`, the values of countries without this indicator in the data (new to the file
    or only to the indicator) are `added`; without, those countries are only listed."""
    data = doc.get("data") or {}
    indicators = doc.get("indicators") or {}
    by_indicator: dict[str, list[Obs]] = {}
    for obs in observations:
        by_indicator.setdefault(obs.indicator, []).append(obs)
    out = []
    for ind_id in indicators:
        if ind_id not in by_indicator:
            continue
        meta = indicators[ind_id]
        has_se = bool(meta.get("has_std_error"))
        series = {
            iso3: block[ind_id]
            for iso3, block in data.items()
            if isinstance(block, dict) and isinstance(block.get(ind_id), dict) and block[ind_id]
        }
        values = [_split(v, has_se) for s in series.values() for v in s.values()]
        dec = max((decimals_of(v) for v, _ in values), default=meta.get("decimals", 1))
        se_dec = max((decimals_of(s) for _, s in values if s is not None), default=dec)
        first = min((min(s) for s in series.values()), default=None)
        result = IndicatorDiff(ind_id, dec)
        seen = set()
        untracked, without = set(), set()
        for obs in sorted(by_indicator[ind_id], key=lambda o: (o.iso3, o.year)):
            if obs.iso3 not in series and not add:
                (without if obs.iso3 in data else untracked).add(obs.iso3)
                continue
            v_dec = dec if obs.decimals is None else min(dec, obs.decimals)
            if v_dec < dec:
                result.coarser = min(v_dec, result.coarser if result.coarser is not None else dec)
            s_dec = se_dec if obs.se_decimals is None else min(se_dec, obs.se_decimals)
            # A binary number (xlsx) is rounded at the stored precision; a number written as
            # text keeps the digits the publisher wrote (WDI writes 15 significant digits).
            new = (
                rounded(obs.value, dec if obs.decimals is None else None),
                None
                if obs.se is None
                else rounded(obs.se, se_dec if obs.se_decimals is None else None),
            )
            if new[0] == int(new[0]) and dec == 0:
                new = (int(new[0]), new[1])
            if obs.iso3 in series:
                seen.add(obs.iso3)
            if first is not None and obs.year < first:
                result.earlier += 1
                continue
            if obs.iso3 not in series:
                result.added.append(Change(ind_id, obs.iso3, obs.year, None, new))
                continue
            stored = series[obs.iso3].get(obs.year)
            if stored is None:
                result.new.append(Change(ind_id, obs.iso3, obs.year, None, new))
                continue
            old = _split(stored, has_se)
            if _same(old[0], obs.value, v_dec) and (not has_se or _same(old[1], obs.se, s_dec)):
                continue
            result.revised.append(Change(ind_id, obs.iso3, obs.year, old, new))
        result.tracked = sorted(series)
        result.lacking = sorted(set(series) - seen)
        result.untracked = sorted(untracked)
        result.without = sorted(without)
        out_of = meta.get("out_of")
        if isinstance(out_of, dict) and counts:
            # The count of countries scored is TI's "out of" only when the file is complete: a
            # rank above it (a partial extract) leaves out_of as it is.
            top: dict[int, float] = {}
            for obs in by_indicator[ind_id]:
                top[obs.year] = max(top.get(obs.year, 0), obs.value)
            years = {c.year for c in result.new} | set(out_of)
            for year in sorted(years):
                count = counts.get(year)
                if count and out_of.get(year) != count and top.get(year, 0) <= count:
                    result.out_of[year] = (out_of.get(year), count)
        out.append(result)
    return out
