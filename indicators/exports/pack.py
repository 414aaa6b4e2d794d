"""The briefing pack: one ZIP with everything needed to quote the current view's charts.

    data = build_pack(bundle, state, "https://example.org", progress=print)
    name = pack_filename(bundle, state)  # kaz-vs-central-asia-governance-1996-2025-briefing.zip

Contents, under one top-level folder named like the ZIP:

=====================================  ========================================================
``charts/<chart>.png``                 every chart at the "wide" preset (1600 x 900) with PNG
                                       text metadata (title, source, permalink, licence)
``charts/<chart>.svg``                 the same charts as SVG (text stays editable)
``<name>-data.csv``                    every plotted row of every chart, with a ``chart``
                                       column in front of Chart.table's columns
``<name>-scorecard.csv``               the overview pack only: its scorecard, one row per
                                       indicator
``<name>.pptx``                        16:9 deck: title (view, date, releases), key facts, the
                                       scorecard (overview), then one chart per slide without
                                       its title line (the slide's title says it), source and
                                       permalink in the notes
``SOURCES.md``                         the publishers to cite (title, release, URL, licence,
                                       access date), the reform events' sources and the
                                       abbreviations used, spelt out
``ALT-TEXT.md``                        generated alt text per chart
``README.md``                          what is inside, the view's settings, permalinks per
                                       chart, methodology and break notes
=====================================  ========================================================

Which charts: those of ``state.view``. The overview page has no charts of its own, so the pack
of the overview holds every chart of every view (the "all charts" pack), in page order.

At most :data:`MAX_CONCURRENT_PACKS` packs are built at once per process (each takes several
seconds of the single export browser); a further request waits :data:`BUSY_WAIT` seconds for a
slot and then raises :class:`PackBusy`.
"""

from __future__ import annotations

import html
import io
import re
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pandas as pd

from indicators.charts.common import group_title
from indicators.charts.registry import CHARTS, charts_for_view
from indicators.charts.scorecard import key_facts, scorecard
from indicators.data.loading import Bundle
from indicators.render import scorecard as score_table
from indicators.render.chart import Chart
from indicators.render.figure import untitled
from indicators.render.table import TABLE_COLUMNS
from indicators.render.text import key_fact_sentences
from indicators.view.params import VIEWS
from indicators.view.state import ViewState, peer_members

from . import files
from .pptx_deck import TableSlide, TextSlide, TitleSlide, build_deck, chart_slide
from .presets import PRESETS

MAX_CONCURRENT_PACKS = 2
BUSY_WAIT = 3.0  # seconds a request waits for a free slot before PackBusy
PACK_PRESET = "wide"
ALL_CHARTS_VIEW = "overview"

Progress = Callable[[int, int, str], None]

_slots = threading.BoundedSemaphore(MAX_CONCURRENT_PACKS)


class PackBusy(RuntimeError):
    """All pack-building slots are taken; try again shortly."""


@dataclass(frozen=True)
class PackedChart:
    id: str
    chart: Chart
    link: str | None
    basename: str
    png: bytes
    svg: bytes
    slide_png: bytes  # without the title line: the slide's title says it


def pack_chart_ids(state: ViewState) -> list[str]:
    """The charts of the view; for the overview (no charts of its own) every chart."""
    if state.view == ALL_CHARTS_VIEW or not charts_for_view(state.view):
        order = list(VIEWS)
        return [c.id for c in sorted(CHARTS.values(), key=lambda c: order.index(c.view))]
    return [c.id for c in charts_for_view(state.view)]


def pack_basename(bundle: Bundle, state: ViewState) -> str:
    """Focus and peers, the view ('all-charts' for the overview), the chosen years."""
    view = "all-charts" if state.view == ALL_CHARTS_VIEW else files.slugify(state.view)
    years = f"{state.year_from}-{state.year_to}"
    return f"{files.peers_slug(bundle, state)}-{view}-{years}-briefing"


def pack_filename(bundle: Bundle, state: ViewState) -> str:
    """``kaz-vs-central-asia-governance-1996-2025-briefing.zip``: the state's year range (the
    charts inside are named by the years each actually plots)."""
    return f"{pack_basename(bundle, state)}.zip"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _md_escape(text: object) -> str:
    """Text from the data files or a link as literal Markdown: emphasis, code and link syntax
    are backslash-escaped and `<`, `>`, `&` become entities, so a `[x](javascript:...)` or a
    `<script>` in a data file shows as text in any Markdown viewer."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _view_lines(bundle: Bundle, state: ViewState) -> list[str]:
    names = bundle.countries.name
    peers = peer_members(state, bundle.countries.groups)
    mode = "median and min–max range" if state.peer_mode == "aggregate" else "one line each"
    lines = [
        f"- Page: {VIEWS.get(state.view, state.view)}"
        + (" (all charts of all pages)" if state.view == ALL_CHARTS_VIEW else ""),
        f"- Focus country: {_md_escape(names(state.focus))} ({state.focus})",
        f"- Peers: {_md_escape(group_title(bundle, state))}: "
        + (", ".join(f"{_md_escape(names(c))} ({c})" for c in peers) or "none")
        + f"; shown as {mode}",
        f"- Years: {state.year_from}–{state.year_to}",
        f"- Reform events drawn: {'yes' if state.events else 'no'}",
        f"- CPI measure: {state.cpi_measure}; WGI: {state.wgi_mode}; FDI unit: {state.fdi_unit}",
    ]
    if state.highlight:
        lines.append(f"- Highlighted: {_md_escape(names(state.highlight))} ({state.highlight})")
    return lines


def _entries(bundle: Bundle, packed: Sequence[PackedChart]) -> list:
    out: dict[str, object] = {}
    for item in packed:
        for entry in files.chart_entries(bundle, item.chart):
            out.setdefault(entry.id, entry)
    return list(out.values())


def _readme(
    bundle: Bundle,
    state: ViewState,
    packed: Sequence[PackedChart],
    name: str,
    base_url: str | None,
    notices: Sequence[str],
    generated: str,
) -> str:
    out = [
        f"# Briefing pack: {_md_escape(bundle.countries.name(state.focus))} against "
        f"{_md_escape(group_title(bundle, state))}",
        "",
        f"Generated {generated} by the Kazakhstan reform indicators dashboard.",
    ]
    if base_url:
        out.append(f"Interactive view: {files.permalink(state, base_url)}")
    out += ["", "## The view", "", *_view_lines(bundle, state)]
    if notices:
        out += ["", "Adjusted from the requested link:", ""]
        out += [f"- {_md_escape(n)}" for n in notices]
    out += [
        "",
        "## What is inside",
        "",
        f"- `charts/`: every chart as PNG ({'x'.join(map(str, PRESETS[PACK_PRESET].pixel_size))}"
        " px, with title, source, licence and permalink in the PNG text metadata) and as SVG.",
        f"- `{name}-data.csv`: every plotted value of every chart; the `chart` column names the "
        f"chart, then {', '.join(f'`{c}`' for c in TABLE_COLUMNS)}.",
        f"- `{name}.pptx`: 16:9 slides: the view, date and releases; key facts"
        + (", the scorecard" if state.view == ALL_CHARTS_VIEW else "")
        + "; then a slide per chart, its source line and permalink in the slide notes.",
        *(
            [
                f"- `{name}-scorecard.csv`: the overview's scorecard, one row per indicator "
                "(latest value, change, rank among the peers, gap to the OECD benchmark)."
            ]
            if state.view == ALL_CHARTS_VIEW
            else []
        ),
        "- `SOURCES.md`: the publishers to cite (title, release, address, licence, access "
        "date) and the abbreviations used, spelt out.",
        "- `ALT-TEXT.md`: alt text for each chart, for web pages and documents.",
        "",
        "## Charts",
        "",
    ]
    for i, item in enumerate(packed, 1):
        out.append(f"{i}. **{_md_escape(item.chart.title)}**: {_md_escape(item.chart.subtitle)}")
        out.append(f"   - Files: `charts/{item.basename}.png`, `charts/{item.basename}.svg`")
        if item.link:
            out.append(f"   - Permalink: {item.link}")
        out.append(f"   - {_md_escape(item.chart.source)}")
        out += [f"   - Note: {_md_escape(n)}" for n in item.chart.notes]
        if item.chart.events_note:
            out.append(f"   - {_md_escape(item.chart.events_note)}")
        out += [f"   - Event {_md_escape(row.line)}" for row in item.chart.events]
    out += ["", "## Methodology", ""]
    # Indicators of one dataset often share their text (the six WGI dimensions): once each.
    shared: dict[tuple, list] = {}
    for entry in _entries(bundle, packed):
        key = (entry.meta.methodology.strip(), entry.unit, tuple(entry.break_notes()))
        shared.setdefault(key, []).append(entry)
    for (methodology, unit, breaks), entries in shared.items():
        out += ["### " + "; ".join(f"{_md_escape(e.title)} (`{e.id}`)" for e in entries), ""]
        out += [f"Unit: {_md_escape(unit)}.", "", _md_escape(methodology), ""]
        if breaks:
            out += ["Breaks and caveats:", ""]
            out += [f"- {_md_escape(b)}" for b in breaks]
            out.append("")
    out += [
        "## Using these files",
        "",
        "Quote the source line with every chart. The data keep their producers' licences "
        "(see SOURCES.md); some (e.g. CC BY-ND) do not allow modified versions of the data, so "
        "republish values as they are.",
        "",
    ]
    return "\n".join(out)


GLOSSARY = {
    "CPI": "Corruption Perceptions Index, published every year by Transparency International.",
    "TI": "Transparency International, the publisher of the CPI.",
    "WGI": "Worldwide Governance Indicators, published by the World Bank.",
    "WDI": "World Development Indicators, the World Bank's collection of development data.",
    "DB": "Doing Business, the World Bank's report series (editions DB2006 to DB2020; each "
    "edition reports data of the year before).",
    "IFC": "International Finance Corporation, part of the World Bank Group.",
    "OECD": "Organisation for Economic Co-operation and Development. 'OECD average' is the "
    "simple mean of the countries that were members in each year.",
    "OED": "the World Bank's code for its 'OECD members' aggregate: one value for all OECD "
    "members together, weighted by the World Bank (not a simple mean of the members).",
    "FDI": "foreign direct investment.",
    "GDP": "gross domestic product.",
    "US$": "United States dollars.",
    "iso3": "the three-letter country code of ISO 3166-1 (KAZ: Kazakhstan).",
}


def _glossary(*texts: str) -> list[str]:
    """'## Abbreviations' with each abbreviation that the texts use, spelt out."""
    text = " ".join(texts)
    used = [
        (abbr, meaning)
        for abbr, meaning in GLOSSARY.items()
        if re.search(rf"(?<![A-Za-z]){re.escape(abbr)}(?![a-z])", text)
    ]
    if not used:
        return []
    return ["## Abbreviations", "", *(f"- {abbr}: {meaning}" for abbr, meaning in used), ""]


def _releases(bundle: Bundle, state: ViewState, entries) -> list[str]:
    """Titles of the releases the values were read from, with their publication dates."""
    members = (state.focus, *peer_members(state, bundle.countries.groups))
    out: dict[str, str] = {}
    for entry in entries:
        for rid in entry.release_ids_for(members):
            release = entry.releases[rid]
            when = f", published {release.date_published}" if release.date_published else ""
            out.setdefault(rid, f"{release.title}{when}")
    return list(out.values())


def _sources(bundle: Bundle, state: ViewState, packed: Sequence[PackedChart]) -> str:
    """The publishers to cite: per dataset its producer, title, releases, address, licence and
    access date, then the reform events' sources and where names and groups come from."""
    out = ["# Sources", "", "Cite the producers below with any value from this pack.", ""]
    by_dataset: dict[str, list] = {}
    for entry in _entries(bundle, packed):
        by_dataset.setdefault(entry.dataset, []).append(entry)
    for entries in by_dataset.values():
        origin = entries[0].origin
        licence = origin.license + (f" ({origin.license_url})" if origin.license_url else "")
        out += [f"## {_md_escape(entries[0].dataset_title)}", ""]
        out.append(f"- Publisher: {_md_escape(origin.producer)}")
        out.append(f"- Title: {_md_escape(origin.title)}")
        releases = _releases(bundle, state, entries)
        out.append(f"- Release{'s' * (len(releases) > 1)}: " + "; ".join(map(_md_escape, releases)))
        if origin.url:
            out.append(f"- URL: {origin.url}")
        out.append(f"- Licence: {_md_escape(licence)}")
        out.append(f"- Accessed: {origin.date_accessed}")
        if origin.discontinued:
            out.append(f"- Discontinued: {_md_escape(origin.discontinued)}")
        out.append(
            "- Indicators: "
            + "; ".join(f"{_md_escape(e.title)} ({_md_escape(e.unit)})" for e in entries)
        )
        out += ["", f"Citation: {_md_escape(origin.citation)}", ""]
    events = {
        (row.date, row.title, row.source): None for item in packed for row in item.chart.events
    }
    if events:
        out += ["## Reform events drawn on the charts", ""]
        out += [f"- {date}, {_md_escape(title)}: {_md_escape(src)}" for date, title, src in events]
        out.append("")
    names = bundle.countries.name
    peers = ", ".join(_md_escape(names(c)) for c in peer_members(state, bundle.countries.groups))
    out += [
        "## Country names and groups",
        "",
        "Country names and OECD accession years: the country table of country_converter "
        "(Stadler, K. (2017), The country converter coco, Journal of Open Source Software "
        f"2(16), 332). Peers compared, as grouped by this dashboard: "
        f"{_md_escape(group_title(bundle, state))} ({peers or 'none'}).",
        "",
    ]
    return "\n".join(out)


def _alt_text(packed: Sequence[PackedChart]) -> str:
    out = ["# Alt text", "", "Generated descriptions for each chart image, in pack order.", ""]
    for item in packed:
        out += [
            f"## {_md_escape(item.chart.title)}",
            "",
            f"Files: `charts/{item.basename}.png`, `charts/{item.basename}.svg`",
            "",
            _md_escape(item.chart.alt_text),
            "",
        ]
    return "\n".join(out)


def _all_data(packed: Sequence[PackedChart]) -> str:
    frames = [item.chart.table for item in packed if len(item.chart.table)]
    columns = TABLE_COLUMNS
    table = (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )
    return files.table_csv(table)


def _opening_slides(bundle, state, packed, title, now, base_url, rows) -> list:
    """Title (view, date, releases), key facts and, for the overview, the scorecard."""
    view = VIEWS.get(state.view, state.view)
    lines = [
        view + (" (all charts of all pages)" if state.view == ALL_CHARTS_VIEW else ""),
        f"Years {state.year_from}–{state.year_to}; generated {now:%-d %B %Y}",
        "Data: " + "; ".join(_releases(bundle, state, _entries(bundle, packed))),
    ]
    if base_url:
        lines.append(files.permalink(state, base_url))
    slides: list = [TitleSlide(title, tuple(lines))]
    facts = key_fact_sentences(key_facts(bundle, state))
    if facts:
        slides.append(TextSlide("Key facts", tuple(facts)))
    if rows:
        cells = tuple(score_table.score_cells(r) for r in rows)
        group = group_title(bundle, state)
        slides.append(
            TableSlide(
                f"Scorecard: {bundle.countries.name(state.focus)} against {group}",
                score_table.HEADERS,
                cells,
                "Latest value of each indicator in the years shown, change since the first, "
                "rank among the peers and gap to the OECD benchmark.",
            )
        )
    return slides


def _acquire(wait: float) -> None:
    if not _slots.acquire(timeout=max(wait, 0)):
        raise PackBusy(
            f"{MAX_CONCURRENT_PACKS} briefing packs are being built already; "
            "try again in a few seconds."
        )


def build_pack(
    bundle: Bundle,
    state: ViewState,
    base_url: str | None = None,
    progress: Progress | None = None,
    *,
    notices: Sequence[str] = (),
    wait: float | None = None,
) -> bytes:
    """The briefing pack (ZIP bytes) of ``state``'s view; see the module docstring.

    ``base_url`` (scheme, host, prefix) makes permalinks; without it there are none.
    ``progress(done, total, message)`` is called after each step. ``notices`` (from
    parse_query) are listed in README.md. Raises PackBusy when no slot frees up within
    ``wait`` seconds (default BUSY_WAIT), and ExportUnavailable / ExportFailed from rendering.
    """
    _acquire(BUSY_WAIT if wait is None else wait)
    try:
        return _build(bundle, state, base_url, progress, notices)
    finally:
        _slots.release()


def _build(bundle, state, base_url, progress, notices) -> bytes:
    chart_ids = pack_chart_ids(state)
    preset = PRESETS[PACK_PRESET]
    total = 3 * len(chart_ids) + 3
    done = 0

    def step(message: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, message)

    if progress:
        progress(0, total, "Starting")
    packed: list[PackedChart] = []
    for chart_id in chart_ids:
        link = files.chart_permalink(state, chart_id, base_url) if base_url else None
        view_state = files.chart_state(state, chart_id)
        chart = files.build_for_size(
            bundle, view_state, chart_id, preset.width, preset.height, link
        )
        basename = files.chart_basename(bundle, view_state, chart_id, chart=chart)
        png = files.render_chart(bundle, chart, "png", preset, link)
        step(f"{chart.title}: PNG")
        svg = files.render_chart(bundle, chart, "svg", preset, link)
        step(f"{chart.title}: SVG")
        on_slide = replace(chart, figure=untitled(chart.figure))
        slide_png = files.render_chart(bundle, on_slide, "png", preset, link)
        step(f"{chart.title}: slide")
        packed.append(PackedChart(chart_id, chart, link, basename, png, svg, slide_png))

    name = pack_basename(bundle, state)
    now = datetime.now(UTC)
    generated = now.strftime("%Y-%m-%d %H:%M UTC")
    title = f"{bundle.countries.name(state.focus)} against {group_title(bundle, state)}"
    rows = scorecard(bundle, state) if state.view == ALL_CHARTS_VIEW else None
    opening = _opening_slides(bundle, state, packed, title, now, base_url, rows)
    deck = build_deck(
        [*opening, *(chart_slide(p.chart, p.slide_png, p.link) for p in packed)],
        title=f"{title}: {VIEWS.get(state.view, state.view)}",
        subject="Reform indicators briefing",
        author="Kazakhstan reform indicators dashboard",
    )
    step("Slides")
    texts = {
        "README.md": _readme(bundle, state, packed, name, base_url, notices, generated),
        "SOURCES.md": _sources(bundle, state, packed),
        "ALT-TEXT.md": _alt_text(packed),
        f"{name}-data.csv": _all_data(packed),
    }
    if rows is not None:
        texts[f"{name}-scorecard.csv"] = files.table_csv(score_table.scorecard_table(rows))
    texts["SOURCES.md"] += "\n" + "\n".join(_glossary(*texts.values()))
    step("Notes and data")
    out = io.BytesIO()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(out, "w") as archive:

        def add(path: str, data: bytes | str, compress: bool) -> None:
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)

        for filename, text in texts.items():
            add(filename, text, True)
        add(f"{name}.pptx", deck, False)  # already a ZIP
        for item in packed:
            add(f"charts/{item.basename}.png", item.png, False)  # already deflated
            add(f"charts/{item.basename}.svg", item.svg, True)
    step("Done")
    return out.getvalue()
