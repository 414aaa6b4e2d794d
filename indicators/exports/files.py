"""One chart as a file: logical file names, permalinks, images with metadata and CSV data.

Shared by the dashboard's download routes, the briefing pack and the command line, so a file
exported from any of them has the same name, the same pixels and the same metadata.

    chart_filename(bundle, state, "cpi", "png")  # kaz-vs-central-asia-cpi-score-1996-2025.png
    chart_image(bundle, state, "cpi", "png", "wide", "https://example.org")  # PNG bytes
    chart_csv(bundle, state, "cpi")  # exactly the rows the chart plots
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from email.utils import formatdate
from urllib.parse import urlencode, urlsplit

import pandas as pd

from indicators.charts.registry import CHARTS
from indicators.data.loading import Bundle
from indicators.render.chart import Chart, build_chart
from indicators.view.params import CUSTOM_GROUP
from indicators.view.state import ParsedState, ViewState, read_view, to_path

from .presets import DEFAULT_PRESET, PRESETS, Preset
from .render import render_figure

IMAGE_FORMATS = ("png", "svg")
FILE_FORMATS = (*IMAGE_FORMATS, "csv")
SOFTWARE = "Kazakhstan reform indicators dashboard"
CHART_LICENCE = "Chart: CC BY 4.0, credit the data producers named in Source."
_MAX_FIT_ROUNDS = 3


class UnknownChart(KeyError):
    """No chart has this id; the message lists the known ones."""

    def __str__(self) -> str:
        return self.args[0] if self.args else "unknown chart"


def check_chart(chart_id: str) -> None:
    if chart_id not in CHARTS:
        raise UnknownChart(f"Unknown chart '{chart_id[:60]}'. Known charts: {', '.join(CHARTS)}.")


def get_preset(preset: str | Preset | None) -> Preset:
    if isinstance(preset, Preset):
        return preset
    name = preset or DEFAULT_PRESET
    if name not in PRESETS:
        raise ValueError(f"Unknown preset '{name[:40]}'. Use one of: {', '.join(PRESETS)}.")
    return PRESETS[name]


# Query parameters that select a file, not the view: kept out of parse_query's notices.
NON_VIEW_PARAMS = frozenset({"view", "preset"})


def state_from_params(bundle: Bundle, view: str, params: Iterable[tuple[str, str]]) -> ParsedState:
    """The view state from query parameters, exactly as the dashboard reads its URL.

    Never raises: unknown countries, groups or values are dropped and reported in notices.
    """
    search = urlencode([(k, v) for k, v in params if k not in NON_VIEW_PARAMS])
    return read_view(bundle, view, search)


def slugify(text: str) -> str:
    """ASCII, lower case, hyphen-separated: 'South Caucasus' -> 'south-caucasus'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def chart_state(state: ViewState, chart_id: str) -> ViewState:
    """The state as seen from the chart's own page (its permalink shows that page)."""
    check_chart(chart_id)
    return state.with_(view=CHARTS[chart_id].view)


def permalink(state: ViewState, base_url: str) -> str:
    """Absolute URL of the view: ``base_url`` (scheme, host and any path prefix) + to_path."""
    base = (base_url or "").rstrip("/")
    return f"{base}{to_path(state)}"


def chart_permalink(state: ViewState, chart_id: str, base_url: str) -> str:
    return permalink(chart_state(state, chart_id), base_url)


def peers_slug(bundle: Bundle, state: ViewState) -> str:
    """'kaz-vs-central-asia', 'kaz-vs-custom-peers'; '-median' when peers are aggregated."""
    if state.group == CUSTOM_GROUP:
        group = "custom-peers"
    else:
        group = slugify(bundle.countries.groups[state.group].title) or slugify(state.group)
    text = f"{slugify(state.focus)}-vs-{group}"
    return f"{text}-median" if state.peer_mode == "aggregate" else text


def measure_slug(state: ViewState, chart_id: str) -> str:
    """The chart id plus the measure or mode that changes what the chart plots, and how its
    values are shown (change since the first year, a log scale)."""
    base = slugify(chart_id)
    if chart_id == "cpi":
        base = f"{base}-{state.cpi_measure}"
    elif chart_id.startswith("wgi_"):
        base = f"{base}-{'gap-to-oecd' if state.wgi_mode == 'gap' else 'percentile'}"
    elif chart_id == "fdi":
        base = f"{base}-{'usd' if state.fdi_unit == 'usd' else 'pct-gdp'}"
        if state.fdi_unit == "usd" and state.scale == "log":
            base += "-log"
    return f"{base}-change" if state.values == "change" else base


def plotted_years(table: pd.DataFrame, state: ViewState) -> tuple[int, int]:
    """First and last year actually plotted; the state's range when nothing is."""
    years = pd.to_numeric(table["year"], errors="coerce").dropna() if len(table) else []
    if len(years) == 0:
        return state.year_from, state.year_to
    return int(years.min()), int(years.max())


def _years_slug(years: tuple[int, int]) -> str:
    return str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"


def chart_basename(
    bundle: Bundle,
    state: ViewState,
    chart_id: str,
    preset: str | None = None,
    chart: Chart | None = None,
) -> str:
    check_chart(chart_id)
    chart = chart or build_chart(chart_id, bundle, state)
    parts = [peers_slug(bundle, state), measure_slug(state, chart_id)]
    parts.append(_years_slug(plotted_years(chart.table, state)))
    if preset and preset != DEFAULT_PRESET:
        parts.append(slugify(preset))
    return "-".join(parts)


def chart_filename(
    bundle: Bundle,
    state: ViewState,
    chart_id: str,
    ext: str,
    preset: str | None = None,
    chart: Chart | None = None,
) -> str:
    """Logical name such as ``kaz-vs-central-asia-cpi-score-2012-2025.png``.

    Focus ISO3, peer group title (or ``custom-peers``), chart id with its measure or mode, and
    the years actually plotted (the state's range when nothing is). A non-default ``preset``
    is appended (``...-2012-2025-square.png``). Pass ``chart`` when already built.
    """
    return f"{chart_basename(bundle, state, chart_id, preset, chart)}.{ext.lstrip('.')}"


def chart_entries(bundle: Bundle, chart: Chart) -> list:
    """Catalog entries of the indicators the chart plots (from its model)."""
    return [bundle.catalog[i] for i in chart.model.indicators if i in bundle.catalog]


def licence_text(entries: Iterable) -> str:
    """'Data: Transparency International, CC BY-ND 4.0 (url). Chart: CC BY 4.0, ...'."""
    parts = []
    for entry in entries:
        origin = entry.origin
        url = f" ({origin.license_url})" if origin.license_url else ""
        parts.append(f"{origin.producer}, {origin.license}{url}")
    data = f"Data: {'; '.join(dict.fromkeys(parts))}. " if parts else ""
    return f"{data}{CHART_LICENCE}"


def png_metadata(bundle: Bundle, chart: Chart, link: str) -> dict[str, str]:
    """PNG text chunks: the standard keywords (PNG spec, section 11.3.4.2) plus the link."""
    return {
        "Title": chart.title,
        "Description": chart.subtitle,
        "Source": chart.source,
        "URL": link,
        "Copyright": licence_text(chart_entries(bundle, chart)),
        "Creation Time": formatdate(usegmt=True),  # RFC 1123, as the PNG spec suggests
        "Software": SOFTWARE,
        "Comment": chart.alt_text,
    }


_FIT_CACHE: dict[tuple, int] = {}  # (chart, state, size, link) -> height to request
_FIT_CACHE_SIZE = 512


def build_for_size(
    bundle: Bundle, state: ViewState, chart_id: str, width: int, height: int, link: str | None
) -> Chart:
    """Build the chart so that its layout is exactly ``width`` x ``height``.

    The figure builder grows the layout height for long footers (notes, source, permalink);
    the requested height is lowered by that much so the rendered image keeps the preset size
    and nothing the builder placed falls outside it. The height that worked is remembered, so
    a repeated export builds the chart once.
    """
    key = (id(bundle.frame), chart_id, state, width, height, link)
    ctx: dict = {"width": width, "height": _FIT_CACHE.get(key, height)}
    if link:
        ctx["permalink"] = link
    chart = build_chart(chart_id, bundle, state, ctx)
    for _ in range(_MAX_FIT_ROUNDS):
        actual = int(chart.figure.get("layout", {}).get("height") or height)
        if actual == height:
            break
        ctx["height"] = max(200, ctx["height"] - (actual - height))
        chart = build_chart(chart_id, bundle, state, ctx)
    if len(_FIT_CACHE) >= _FIT_CACHE_SIZE:
        _FIT_CACHE.clear()
    _FIT_CACHE[key] = ctx["height"]
    return chart


def render_chart(bundle: Bundle, chart: Chart, fmt: str, preset: Preset, link: str | None) -> bytes:
    """Render an already built chart at ``preset``; PNGs get the text metadata."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"Unknown image format '{fmt[:20]}'. Use one of: png, svg.")
    text = png_metadata(bundle, chart, link or "") if fmt == "png" else None
    if text is not None and not link:
        text.pop("URL")
    return render_figure(
        chart.figure,
        fmt,  # type: ignore[arg-type]
        preset.width,
        preset.height,
        preset.scale,
        text,
        dpi=preset.dpi if fmt == "png" else None,
    )


def chart_image(
    bundle: Bundle,
    state: ViewState,
    chart_id: str,
    fmt: str = "png",
    preset: str | Preset | None = DEFAULT_PRESET,
    base_url: str | None = None,
) -> bytes:
    """PNG or SVG bytes of one chart at a preset, with the permalink in the footer.

    Raises UnknownChart, ValueError (format or preset), and from the renderer
    ExportUnavailable (no working browser) or ExportFailed.
    """
    check_chart(chart_id)
    p = get_preset(preset)
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"Unknown image format '{fmt[:20]}'. Use one of: png, svg.")
    link = chart_permalink(state, chart_id, base_url) if base_url else None
    chart = build_for_size(bundle, chart_state(state, chart_id), chart_id, p.width, p.height, link)
    return render_chart(bundle, chart, fmt, p, link)


def chart_export(
    bundle: Bundle,
    state: ViewState,
    chart_id: str,
    fmt: str,
    preset: str | Preset | None = DEFAULT_PRESET,
    base_url: str | None = None,
) -> tuple[bytes, str]:
    """(file bytes, logical file name) for png, svg or csv, building the chart once."""
    check_chart(chart_id)
    p = get_preset(preset)
    state = chart_state(state, chart_id)
    if fmt == "csv":
        chart = build_chart(chart_id, bundle, state)
        return table_csv(chart.table).encode("utf-8"), chart_filename(
            bundle, state, chart_id, "csv", chart=chart
        )
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"Unknown format '{fmt[:20]}'. Use one of: {', '.join(FILE_FORMATS)}.")
    link = chart_permalink(state, chart_id, base_url) if base_url else None
    chart = build_for_size(bundle, state, chart_id, p.width, p.height, link)
    name = chart_filename(bundle, state, chart_id, fmt, p.name, chart=chart)
    return render_chart(bundle, chart, fmt, p, link), name


def table_csv(table: pd.DataFrame) -> str:
    """The table as CSV (no index, "\\n" line ends), safe to open in a spreadsheet.

    Formula injection (OWASP "CSV Injection", CWE-1236): a text cell (or column name) that
    begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a NUL would be run as
    a formula by Excel, LibreOffice or Google Sheets; it gets a leading single quote, which
    they show as text (``=HYPERLINK(...)`` -> ``'=HYPERLINK(...)``). Numbers are untouched,
    negative ones included (-3.5 stays -3.5), as is text that is just a number ("-3.5").
    Quoting of commas, quotes and line breaks is the csv module's (RFC 4180); a carriage
    return inside text becomes a line feed, since the csv module quotes only the characters
    of its line terminator ("\\n") and a bare one would split the row in a spreadsheet.
    """
    starts = ("=", "+", "-", "@", "\t", "\r", "\0")
    number = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")

    def neutral(value: object) -> object:
        if not isinstance(value, str):
            return value
        if value.startswith(starts) and not number.fullmatch(value):
            value = "'" + value
        return value.replace("\r\n", "\n").replace("\r", "\n")

    safe = table.rename(columns=neutral)
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutral)
    return safe.to_csv(index=False, lineterminator="\n")


def chart_csv(bundle: Bundle, state: ViewState, chart_id: str) -> str:
    """Exactly the plotted rows (Chart.table): indicator, series, iso3, country, year, value,
    unit and source."""
    check_chart(chart_id)
    return table_csv(build_chart(chart_id, bundle, chart_state(state, chart_id)).table)


def is_absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
