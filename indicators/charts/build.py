"""Chart definitions: from the data bundle and a view state to a figure and its plotted table.

Each chart function is pure (bundle and state in, `Chart` out) and is shared by the dashboard,
the embed route and the exports, so an image always shows what the app shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from indicators.data import transforms as t
from indicators.data.catalog import combined_source_line
from indicators.render.figure import (
    PEER_BAND_COLOR,
    Band,
    ChartOptions,
    Line,
    Marker,
    fmt_number,
    line_figure,
)
from indicators.data.loading import Bundle
from indicators.view.state import CUSTOM_GROUP, ViewState, peer_members

TABLE_COLUMNS = [
    "indicator",
    "series",
    "iso3",
    "country",
    "year",
    "value",
    "n_ranked",
    "unit",
    "source",
]  # n_ranked: how many countries were ranked that year (rank indicators only)
WGI_DIMENSIONS = ["va", "pv", "ge", "rq", "rl", "cc"]
Z90 = 1.645


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    subtitle: str
    source: str
    notes: tuple[str, ...]
    figure: dict
    table: pd.DataFrame
    citations: tuple[str, ...]
    alt_text: str


@dataclass(frozen=True)
class ChartSpec:
    id: str
    view: str
    label: str
    build: Callable[[Bundle, ViewState, dict], Chart]


def group_title(bundle: Bundle, state: ViewState) -> str:
    if state.group == CUSTOM_GROUP:
        return "custom peers"
    return bundle.countries.groups[state.group].title


def _hover(entry, iso3: str, year: int, value: float, extra: str = "") -> str:
    label = entry.year_label(year)
    return f"{label}: {fmt_number(value, entry.meta.decimals, entry.meta.short_unit)}{extra}"


def _citations(entries, countries) -> tuple[str, ...]:
    out = []
    for entry in entries:
        releases = "; ".join(entry.releases[r].title for r in entry.release_ids_for(countries))
        out.append(
            f"{entry.origin.citation} Release: {releases}. Licence: {entry.origin.license}"
            + (f" ({entry.origin.license_url})" if entry.origin.license_url else "")
            + f". Accessed {entry.origin.date_accessed}."
        )
    return tuple(dict.fromkeys(out))


def _events(bundle: Bundle, state: ViewState, years: tuple[int, int], dataset: str):
    if not state.events:
        return ()
    out = []
    for event in bundle.events:
        if event.country not in (state.focus, "ALL"):
            continue
        if event.datasets and dataset not in event.datasets:
            continue
        month = int(event.date[5:7]) if len(event.date) >= 7 else 1
        x = event.year + (month - 1) / 12
        if years[0] <= x <= years[1] + 1:
            out.append(Marker(x, event.title, f"{event.date}: {event.detail} ({event.source})"))
    return tuple(out)


@dataclass(frozen=True)
class _Series:
    """The rows to draw for one indicator in the current view."""

    focus: pd.DataFrame
    peers: dict[str, pd.DataFrame]
    aggregate: pd.DataFrame
    oecd: pd.DataFrame
    members: tuple[str, ...]
    grid: tuple[int, ...] = ()  # years this indicator is published for (any country)


def _by_country(bundle: Bundle, indicator: str) -> tuple[dict[str, pd.DataFrame], tuple]:
    """Every country's rows of an indicator, and the years it is published for, split once
    per bundle (a view then only cuts the years it shows)."""

    def split():
        rows = t.series(bundle.frame, indicator)
        parts = {str(c): g.reset_index(drop=True) for c, g in rows.groupby("iso3", sort=False)}
        return parts, tuple(sorted(int(y) for y in rows["year"].unique())), rows.iloc[0:0]

    return t.remembered(bundle.frame, ("by_country", indicator), split)


def _in_years(rows: pd.DataFrame, years) -> pd.DataFrame:
    y = rows["year"].to_numpy()
    keep = (y >= years[0]) & (y <= years[1])
    return rows if keep.all() else rows[keep].reset_index(drop=True)


def _collect(bundle: Bundle, state: ViewState, indicator: str, years, oecd: str = "mean"):
    members = peer_members(state, bundle.countries.groups)
    by_country, all_years, empty = _by_country(bundle, indicator)
    focus = _in_years(by_country.get(state.focus, empty), years)
    peers = {c: _in_years(by_country.get(c, empty), years) for c in members}
    reported = [rows for rows in peers.values() if not rows.empty]
    aggregate = t.peer_aggregate(pd.concat(reported) if reported else empty, members)
    if oecd == "OED":
        oecd_rows = _in_years(by_country.get("OED", empty), years).rename(columns={"value": "mean"})
    else:
        oecd_rows = _oecd_average(bundle, indicator, years)
    grid = tuple(y for y in all_years if years[0] <= y <= years[1])
    return _Series(focus, peers, aggregate, oecd_rows, members, grid)


def _oecd_average(bundle: Bundle, indicator: str, years) -> pd.DataFrame:
    """OECD average of every year (depends on the data only), cut to the view's years."""
    full = t.remembered(
        bundle.frame,
        ("oecd_average", indicator),
        lambda: t.oecd_average(t.series(bundle.frame, indicator), bundle.countries.oecd_accession),
    )
    return full[full["year"].between(years[0], years[1])].reset_index(drop=True)


def _group_order(bundle, state: ViewState) -> dict[str, int]:
    """Colour slot of each member: its place in the group, whoever is in focus."""
    members = (
        state.peers if state.group == CUSTOM_GROUP else bundle.countries.groups[state.group].members
    )
    return {c: i for i, c in enumerate(members)}


def _with_gaps(points: list, grid: tuple[int, ...]) -> tuple:
    """Insert an empty point for each published year a country lacks between two of its
    values, so the line breaks there instead of joining across the missing years."""
    if not points or not grid:
        return tuple(points)
    have = {p[0] for p in points}
    first, last = points[0][0], points[-1][0]
    missing = [(y, None, "no data") for y in grid if first < y < last and y not in have]
    return tuple(sorted(points + missing, key=lambda p: p[0]))


def _standard_lines(
    bundle, state, entry, s: _Series, oecd_label: str, value_fn=None, hover_fn=None
) -> tuple[list[Line], list[Band]]:
    names = bundle.countries.name
    value_fn = value_fn or (lambda year, v: v)

    def hover(iso3, year, value):
        return hover_fn(iso3, year, value) if hover_fn else _hover(entry, iso3, year, value)

    def points(rows):
        return _with_gaps(
            [
                (y, value_fn(y, v), hover(c, y, v))
                for c, y, v in zip(rows["iso3"], rows["year"], rows["value"], strict=True)
            ],
            s.grid,
        )

    lines: list[Line] = []
    bands: list[Band] = []
    if state.peer_mode == "aggregate" and not s.aggregate.empty:
        agg = s.aggregate
        last = agg.iloc[-1]
        label = (
            f"{group_title(bundle, state)} median ({int(last['n_reporting'])}/"
            f"{int(last['n_members'])} reporting in {entry.year_label(int(last['year']))})"
        )
        lines.append(
            Line(
                "peer-median",
                label,
                tuple(
                    (
                        y,
                        value_fn(y, m),
                        f"median {fmt_number(value_fn(y, m), entry.meta.decimals)}"
                        f" ({n}/{k} reporting)",
                    )
                    for y, m, n, k in zip(
                        agg["year"],
                        agg["median"],
                        agg["n_reporting"],
                        agg["n_members"],
                        strict=True,
                    )
                ),
                role="aggregate",
                dash="dash",
                color="#6B6B6B",
            )
        )
        bands.append(
            Band(
                f"{group_title(bundle, state)} min–max",
                tuple(
                    (y, value_fn(y, lo), value_fn(y, hi))
                    for y, lo, hi in zip(agg["year"], agg["min"], agg["max"], strict=True)
                ),
                color=PEER_BAND_COLOR,
            )
        )
    else:
        order = _group_order(bundle, state)
        for iso3, rows in s.peers.items():
            if not rows.empty:
                lines.append(Line(iso3, names(iso3), points(rows), color_index=order[iso3]))
    if not s.oecd.empty:
        oe = s.oecd
        n_info = (
            [f" ({n}/{k} members)" for n, k in zip(oe["n_reporting"], oe["n_members"], strict=True)]
            if "n_members" in oe
            else [""] * len(oe)
        )
        lines.append(
            Line(
                "oecd",
                oecd_label,
                tuple(
                    (y, value_fn(y, m), f"{fmt_number(value_fn(y, m), entry.meta.decimals)}{info}")
                    for y, m, info in zip(oe["year"], oe["mean"], n_info, strict=True)
                ),
                role="benchmark",
                dash="dot",
            )
        )
    if not s.focus.empty:
        lines.append(Line(state.focus, names(state.focus), points(s.focus), role="focus"))
    return lines, bands


def _plotted_table(bundle, entry, s: _Series, state, source, oecd_label) -> pd.DataFrame:
    """Every plotted point as a row of TABLE_COLUMNS, built as one frame (this runs for each
    chart of each view drawn)."""
    names = bundle.countries.name
    cols: dict[str, list] = {c: [] for c in ("series", "iso3", "country", "year", "value")}

    def add(series: str, iso3s, countries, years, values) -> None:
        years, values = list(years), list(values)
        n = len(years)
        cols["series"] += [series] * n
        cols["iso3"] += list(iso3s) if not isinstance(iso3s, str) else [iso3s] * n
        cols["country"] += list(countries) if not isinstance(countries, str) else [countries] * n
        cols["year"] += years
        cols["value"] += values

    def add_rows(series: str, rows: pd.DataFrame) -> None:
        if not rows.empty:
            code = rows["iso3"].iloc[0]
            if (rows["iso3"] == code).all():
                add(series, code, names(code), rows["year"], rows["value"])
            else:
                codes = rows["iso3"].tolist()
                add(series, codes, [names(c) for c in codes], rows["year"], rows["value"])

    add_rows("focus", s.focus)
    if state.peer_mode == "aggregate":
        agg = s.aggregate
        if not agg.empty:
            reporting = "/".join(map(str, agg["n_reporting"].head(1)))
            for stat in ("median", "min", "max"):
                label = f"{group_title(bundle, state)} {stat} ({reporting} reporting)"
                add(f"peer {stat}", "", label, agg["year"], agg[stat])
    else:
        for rows in s.peers.values():
            add_rows("peer", rows)
    if not s.oecd.empty:
        add("benchmark", "", oecd_label, s.oecd["year"], s.oecd["mean"])
    if not cols["year"]:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    table = pd.DataFrame(
        {
            "indicator": entry.id,
            **cols,
            "year": pd.array(cols["year"], dtype="int64"),
            "value": pd.array(cols["value"], dtype="float64"),
        }
    )
    is_country = table["series"].isin(["focus", "peer"])
    if entry.meta.kind == "rank":
        out_of = entry.meta.out_of
        table["n_ranked"] = [
            out_of.get(int(y)) if c else None for y, c in zip(cols["year"], is_country, strict=True)
        ]
    else:
        table["n_ranked"] = None
    table["unit"] = entry.unit
    table["source"] = source
    return table.reindex(columns=TABLE_COLUMNS)


def _subtitle(bundle, state, what: str) -> str:
    names = bundle.countries.name
    mode = " (median and min–max range)" if state.peer_mode == "aggregate" else ""
    return f"{what}: {names(state.focus)} against {group_title(bundle, state)}{mode}"


def _span(entry, table: pd.DataFrame, state: ViewState) -> str:
    """The years actually plotted (the selected range when nothing is)."""
    if table.empty:
        return f"{state.year_from}–{state.year_to}"
    first, last = int(table["year"].min()), int(table["year"].max())
    return f"{entry.year_label(first)}–{entry.year_label(last)}"


def _alt(bundle, state, title, entry, s: _Series) -> str:
    names = bundle.countries.name
    if s.focus.empty:
        return f"{title}: no data for {names(state.focus)} in {state.year_from}–{state.year_to}."
    first, last = s.focus.iloc[0], s.focus.iloc[-1]
    d = entry.meta.decimals
    text = (
        f"{title}. {names(state.focus)}: {fmt_number(first['value'], d)} in "
        f"{entry.year_label(int(first['year']))}, {fmt_number(last['value'], d)} in "
        f"{entry.year_label(int(last['year']))}."
    )
    if not s.aggregate.empty:
        row = s.aggregate[s.aggregate["year"] == last["year"]]
        if not row.empty:
            text += (
                f" {group_title(bundle, state)} median that year: "
                f"{fmt_number(row['median'].iloc[0], d)}."
            )
    return text


def _finish(
    chart_id,
    bundle,
    state,
    entries,
    title,
    subtitle,
    lines,
    bands,
    options_kw,
    table,
    alt,
    ctx,
    markers=(),
) -> Chart:
    members = (state.focus, *peer_members(state, bundle.countries.groups))
    source = combined_source_line(entries, members)
    notes = tuple(entries[0].break_notes())
    notes = tuple(ctx.get("extra_notes", ())) + notes
    subtitle = f"{subtitle}, {_span(entries[0], table, state)}"
    opts = ChartOptions(
        title=title,
        subtitle=subtitle,
        source=source,
        notes=notes,
        highlight=state.highlight,
        permalink=ctx.get("permalink"),
        height=ctx.get("height", 440),
        width=ctx.get("width"),
        **options_kw,
    )
    figure = line_figure(lines, opts, bands, markers)
    return Chart(
        chart_id, title, subtitle, source, notes, figure, table, _citations(entries, members), alt
    )


# --- charts ------------------------------------------------------------------------------------


def cpi_chart(bundle: Bundle, state: ViewState, ctx: dict | None = None) -> Chart:
    ctx = dict(ctx or {})
    years = state.years
    measure = state.cpi_measure
    new_id = "cpi_score" if measure == "score" else "cpi_rank"
    old_id = "cpi_score_legacy" if measure == "score" else "cpi_rank_legacy"
    new, old = bundle.catalog[new_id], bundle.catalog[old_id]
    s_new = _collect(bundle, state, new_id, years)
    s_old = _collect(bundle, state, old_id, years)
    out_of = {**old.meta.out_of, **new.meta.out_of}

    def hover_rank(iso3, year, value):
        return f"{year}: {int(value)}/{out_of.get(year, '?')}"

    def hover_pct(iso3, year, value):
        return (
            f"{year}: {t.rank_to_percentile(value, out_of[year]):.0f}th percentile "
            f"(rank {int(value)}/{out_of[year]})"
        )

    value_fn, hover_fn, y_title, y_range, reversed_ = (
        None,
        None,
        "CPI score (0–100)",
        (0, 100),
        False,
    )
    if measure == "rank":
        hover_fn, y_title, y_range, reversed_ = hover_rank, "Rank (1 = least corrupt)", None, True
    elif measure == "percentile":

        def value_fn(year, value):
            return t.rank_to_percentile(value, out_of[year])

        hover_fn, y_title = hover_pct, "Percentile (100 = least corrupt)"
    label = "OECD average (members of each year)"
    lines, bands = _standard_lines(bundle, state, new, s_new, label, value_fn, hover_fn)
    markers: list[Marker] = []
    y2 = None
    if years[0] <= 2011 and not all(r.empty for r in [s_old.focus, *s_old.peers.values()]):
        old_lines, old_bands = _standard_lines(bundle, state, old, s_old, label, value_fn, hover_fn)
        axis = "y2" if measure == "score" else "y"
        for ln in old_lines:
            lines.append(
                Line(
                    ln.key,
                    ln.name + " (0–10)" if measure == "score" else ln.name,
                    ln.points,
                    role=ln.role,
                    dash="dot" if ln.role != "benchmark" else "dashdot",
                    yaxis=axis,
                    show_legend=False,
                    group=ln.key,
                )
            )
        bands += [Band(b.name, b.points, b.color, yaxis=axis) for b in old_bands]
        if measure == "score":
            y2 = {"title": "Score before 2012 (0–10)", "range": (0, 10)}
        markers.append(
            Marker(
                2011.5,
                "Method change 2012",
                "CPI scores before 2012 (0–10) are not comparable with 2012+",
                kind="break",
            )
        )
    markers += _events(bundle, state, years, new.dataset)
    names = bundle.countries.name
    measure_text = {
        "score": "CPI score",
        "rank": "CPI rank (inverted axis)",
        "percentile": "CPI rank as a percentile of that year's countries",
    }[measure]
    subtitle = _subtitle(bundle, state, measure_text)
    source = combined_source_line((new, old))
    table = _plotted_table(bundle, new, s_new, state, source, label)
    if years[0] <= 2011:
        table = pd.concat(
            [_plotted_table(bundle, old, s_old, state, source, label), table], ignore_index=True
        )
    if measure == "percentile":
        table = table.assign(
            value=[
                t.rank_to_percentile(v, out_of[y]) if s in ("focus", "peer") else v
                for v, y, s in zip(table["value"], table["year"], table["series"], strict=True)
            ],
            unit="percentile of countries ranked that year",
        )
    alt = _alt(bundle, state, f"Corruption Perceptions Index, {names(state.focus)}", new, s_new)
    entries = (new, old) if years[0] <= 2011 else (new,)
    ctx.setdefault("extra_notes", [])
    return _finish(
        "cpi",
        bundle,
        state,
        entries,
        "Corruption Perceptions Index",
        subtitle,
        lines,
        bands,
        {
            "y_title": y_title,
            "y_range": y_range,
            "y_reversed": reversed_,
            "y2": y2,
            "x_range": (years[0] - 0.5, years[1] + 0.5),
        },
        table,
        alt,
        ctx,
        tuple(markers),
    )


def _wgi_percentile_band(bundle, state, dim: str, years) -> tuple:
    """90% band for the focus country's percentile, from its estimate ± 1.645 SE.

    The estimate's interval is mapped to the percentile scale through that year's
    estimate -> percentile relation among the countries in the data (monotone interpolation).
    """
    full = t.remembered(
        bundle.frame,
        ("wgi_band", dim, state.focus),
        lambda: _wgi_band_all_years(bundle, state.focus, dim),
    )
    return tuple(b for b in full if years[0] <= b[0] <= years[1])


def _wgi_band_all_years(bundle, focus: str, dim: str) -> tuple:
    est = t.series(bundle.frame, f"wgi_{dim}_estimate")
    pct = t.series(bundle.frame, f"wgi_{dim}_percentile")
    both = est.merge(pct[["iso3", "year", "value"]], on=["iso3", "year"], suffixes=("", "_pct"))
    focus_years = set(both.loc[both["iso3"] == focus, "year"])
    if not focus_years:
        return ()
    both = both[both["year"].isin(focus_years)].sort_values(["year", "value"], kind="stable")
    out = []
    years_col = both["year"].to_numpy()
    iso3s, values = both["iso3"].to_numpy(), both["value"].to_numpy()
    ses, pcts = both["std_error"].to_numpy(), both["value_pct"].to_numpy()
    starts = [0, *(i for i in range(1, len(years_col)) if years_col[i] != years_col[i - 1])]
    for start, end in zip(starts, [*starts[1:], len(years_col)], strict=True):
        at = start + list(iso3s[start:end]).index(focus)
        lo, hi = t.band_from_se(float(values[at]), float(ses[at]), Z90)
        xs, ys = values[start:end].tolist(), pcts[start:end].tolist()
        out.append((int(years_col[start]), _interp(lo, xs, ys), _interp(hi, xs, ys)))
    return tuple(out)


def _interp(x: float, xs: list[float], ys: list[float]) -> float:
    if x <= xs[0]:
        return max(0.0, ys[0] - (xs[0] - x) * 20)
    if x >= xs[-1]:
        return min(100.0, ys[-1] + (x - xs[-1]) * 20)
    for i in range(1, len(xs)):
        if x <= xs[i]:
            span = xs[i] - xs[i - 1]
            w = 0 if span == 0 else (x - xs[i - 1]) / span
            return ys[i - 1] + w * (ys[i] - ys[i - 1])
    return ys[-1]


def wgi_chart(dim: str):
    def build(bundle: Bundle, state: ViewState, ctx: dict | None = None) -> Chart:
        ctx = dict(ctx or {})
        indicator = f"wgi_{dim}_percentile"
        entry = bundle.catalog[indicator]
        years = state.years
        s = _collect(bundle, state, indicator, years)
        names = bundle.countries.name
        title = entry.title.removesuffix(" (percentile rank)")
        label = "OECD average (members of each year)"
        if state.wgi_mode == "gap" and not s.oecd.empty:
            bench = dict(zip(s.oecd["year"], s.oecd["mean"], strict=True))

            def value_fn(year, v):
                return v - bench[year] if year in bench else math.nan

            def hover_fn(iso3, year, v):
                g = value_fn(year, v)
                return f"{year}: {g:+.1f} points vs OECD average ({v:.1f})"

            s_gap = replace(s, oecd=s.oecd.iloc[0:0])
            lines, bands = _standard_lines(bundle, state, entry, s_gap, label, value_fn, hover_fn)
            opts = {"y_title": "Percentile points vs OECD average", "zero_line": True}
            what = "Gap to the OECD average in percentile points (negative = behind)"
        else:
            lines, bands = _standard_lines(bundle, state, entry, s, label)
            band = _wgi_percentile_band(bundle, state, dim, years)
            if band:
                bands = [*bands, Band(f"{names(state.focus)} 90% interval", band)]
            opts = {"y_title": "Percentile rank (0–100)", "y_range": (0, 100)}
            what = "Percentile rank among all economies rated"
        opts["x_range"] = (years[0] - 0.5, years[1] + 0.5)
        source = entry.source_line()
        table = _plotted_table(bundle, entry, s, state, source, label)
        ctx.setdefault("extra_notes", [])
        if state.wgi_mode != "gap":
            ctx["extra_notes"] = [
                "Shaded: 90% interval of the focus country, from the estimate's standard error "
                "mapped onto percentiles through that year's estimates (approximate)."
            ]
        alt = _alt(bundle, state, f"{title}, percentile rank, {names(state.focus)}", entry, s)
        return _finish(
            f"wgi_{dim}",
            bundle,
            state,
            (entry,),
            title,
            _subtitle(bundle, state, what),
            lines,
            bands,
            opts,
            table,
            alt,
            ctx,
            _events(bundle, state, years, entry.dataset),
        )

    return build


def _simple_chart(
    chart_id: str,
    indicator_fn: Callable[[ViewState], str],
    oecd: str | None,
    title_fn=None,
    y_reversed=False,
    markers_only=False,
):
    def build(bundle: Bundle, state: ViewState, ctx: dict | None = None) -> Chart:
        ctx = dict(ctx or {})
        indicator = indicator_fn(state)
        entry = bundle.catalog[indicator]
        years = state.years
        s = _collect(bundle, state, indicator, years, oecd="OED" if oecd == "OED" else "mean")
        if oecd is None or indicator == "fdi_net_inflows_usd":
            # the OECD total is in trillions of US$: it would flatten every country to zero
            s = replace(s, oecd=s.oecd.iloc[0:0])
        names = bundle.countries.name
        label = (
            "OECD members (World Bank aggregate)"
            if oecd == "OED"
            else "OECD average (members of each year)"
        )
        hover_fn = None
        if entry.meta.kind == "rank":

            def hover_fn(iso3, year, v):
                return f"{entry.year_label(year)}: {int(v)}/{entry.meta.out_of.get(year, '?')}"

        lines, bands = _standard_lines(bundle, state, entry, s, label, hover_fn=hover_fn)
        title = title_fn(entry) if title_fn else entry.title
        opts: dict = {
            "y_title": entry.unit[:1].upper() + entry.unit[1:],
            "y_reversed": y_reversed,
            "markers_only": markers_only,
        }
        if entry.meta.kind == "rank" and not s.focus.empty:
            # ranks start at 1 (top of the reversed axis); leave room below the worst one
            worst = max(
                [float(r["value"].max()) for r in (s.focus, *s.peers.values()) if not r.empty]
                + [float(s.aggregate["max"].max()) if not s.aggregate.empty else 1.0]
            )
            opts["y_range"] = (1, math.ceil(worst * 1.08))
        if entry.time_unit == "edition":
            have = bundle.frame.loc[bundle.frame["indicator"] == indicator, "year"]
            lo, hi = max(years[0], int(have.min())), min(years[1], int(have.max()))
            ticks = tuple(range(lo + (hi - lo) % 3, hi + 1, 3))  # every third edition fits
            opts.update(
                x_tickvals=ticks,
                x_ticktext=tuple(entry.year_label(y) for y in ticks),
                x_range=(lo - 0.5, hi + 0.5),
            )
        else:
            opts["x_range"] = (years[0] - 0.5, years[1] + 0.5)
        if indicator == "fdi_net_inflows_usd":
            opts["y_title"] = "Current US$"
            opts["zero_line"] = True
        if indicator in ("fdi_net_inflows_pct_gdp", "gdp_growth"):
            opts["zero_line"] = True
        source = entry.source_line((state.focus, *s.members))
        table = _plotted_table(bundle, entry, s, state, source, label)
        alt = _alt(bundle, state, f"{title}, {names(state.focus)}", entry, s)
        ctx.setdefault("extra_notes", [])
        return _finish(
            chart_id,
            bundle,
            state,
            (entry,),
            title,
            _subtitle(bundle, state, entry.meta.description.rstrip(".")),
            lines,
            bands,
            opts,
            table,
            alt,
            ctx,
            _events(bundle, state, years, entry.dataset),
        )

    return build


CHARTS: dict[str, ChartSpec] = {
    "cpi": ChartSpec("cpi", "corruption", "Corruption Perceptions Index", cpi_chart),
    **{
        f"wgi_{d}": ChartSpec(f"wgi_{d}", "governance", f"WGI {d.upper()}", wgi_chart(d))
        for d in WGI_DIMENSIONS
    },
    "db_rank": ChartSpec(
        "db_rank",
        "economy",
        "Doing Business rank",
        _simple_chart("db_rank", lambda s: "db_rank", None, y_reversed=True, markers_only=True),
    ),
    "db_score": ChartSpec(
        "db_score",
        "economy",
        "Doing Business score",
        _simple_chart("db_score", lambda s: "db_score", "mean"),
    ),
    "fdi": ChartSpec(
        "fdi",
        "economy",
        "FDI net inflows",
        _simple_chart(
            "fdi",
            lambda s: "fdi_net_inflows_usd" if s.fdi_unit == "usd" else "fdi_net_inflows_pct_gdp",
            "OED",
        ),
    ),
    "manufacturing": ChartSpec(
        "manufacturing",
        "economy",
        "Manufacturing value added",
        _simple_chart("manufacturing", lambda s: "manufacturing_va_pct_gdp", "OED"),
    ),
    "manufactures_exports": ChartSpec(
        "manufactures_exports",
        "economy",
        "Manufactures exports",
        _simple_chart("manufactures_exports", lambda s: "manufactures_exports_pct", "OED"),
    ),
}


def charts_for_view(view: str) -> list[ChartSpec]:
    return [c for c in CHARTS.values() if c.view == view]


def build_chart(chart_id: str, bundle: Bundle, state: ViewState, ctx: dict | None = None) -> Chart:
    return CHARTS[chart_id].build(bundle, state, ctx)
