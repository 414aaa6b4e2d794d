"""The map as a file: PNG or SVG at a preset (title, source, notes and link burned in) or the
CSV of the values it colours. The image is drawn by the export browser from the same model as
the page, with the outlines read from assets/topojson on disk (no request leaves the server).
"""

from __future__ import annotations

from email.utils import formatdate

import pandas as pd

from indicators.charts.map import map_model
from indicators.data.loading import Bundle
from indicators.exports.files import (
    FILE_FORMATS,
    SOFTWARE,
    get_preset,
    permalink,
    slugify,
    table_csv,
)
from indicators.exports.render import render_figure
from indicators.render.map_figure import MAP_COLUMNS, map_alt_text, map_figure, map_rows
from indicators.view.state import ViewState

MAP_ID = "map"


def map_filename(state: ViewState, year_label: str, ext: str, preset: str | None = None) -> str:
    """'kaz-map-cpi-score-2025.png'; a non-default preset is appended."""
    parts = [slugify(state.focus), "map", slugify(state.map_measure), slugify(year_label)]
    if state.map_extent == "world":
        parts.append("world")
    if preset and preset != "wide":
        parts.append(slugify(preset))
    return "-".join(parts) + f".{ext}"


def map_export(
    bundle: Bundle,
    state: ViewState,
    fmt: str,
    preset: str | None = None,
    base_url: str | None = None,
) -> tuple[bytes, str]:
    """(file bytes, file name) of the map for png, svg or csv. Raises ValueError for an
    unknown format or preset; the renderer's ExportUnavailable or ExportFailed for images."""
    if fmt not in FILE_FORMATS:
        raise ValueError(f"Unknown format '{fmt[:20]}'. Use one of: {', '.join(FILE_FORMATS)}.")
    state = state.with_(view="map")
    model = map_model(bundle, state)
    if fmt == "csv":
        table = pd.DataFrame(map_rows(model), columns=MAP_COLUMNS)
        return table_csv(table).encode("utf-8"), map_filename(state, model.year_label, "csv")
    p = get_preset(preset)
    link = permalink(state, base_url) if base_url else None
    figure = map_figure(model, height=p.height, width=p.width, permalink=link)
    text = None
    if fmt == "png":
        text = {
            "Title": model.title,
            "Source": model.source,
            "Creation Time": formatdate(usegmt=True),
            "Software": SOFTWARE,
            "Comment": map_alt_text(model),
        }
        if link:
            text["URL"] = link
    image = render_figure(
        figure,
        fmt,  # type: ignore[arg-type]
        p.width,
        p.height,
        p.scale,
        text,
        dpi=p.dpi if fmt == "png" else None,
    )
    return image, map_filename(state, model.year_label, fmt, p.name)
