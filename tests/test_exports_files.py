"""One chart as a file: names, permalinks, image sizes and metadata, CSV equal to the plot.

Rendering tests share the process's one kaleido server (started once by the fixture).
"""

from __future__ import annotations

import html
import io
import re

import pandas as pd
import pytest
from PIL import Image

from indicators.charts.registry import CHARTS
from indicators.exports import PRESETS, files, start_server
from indicators.render.chart import build_chart
from indicators.render.table import TABLE_COLUMNS
from indicators.view.state import ViewState

BASE = "https://indicators.example.org/app/"


@pytest.fixture(scope="module")
def server():
    start_server()


def state_of(bundle, view: str, query: str) -> ViewState:
    parsed = files.state_from_params(
        bundle, view, [tuple(p.split("=", 1)) for p in query.split("&") if p]
    )
    assert parsed.notices == ()
    return parsed.state


def svg_text(svg: str) -> str:
    """All text content of an SVG in document order, one space between text nodes."""
    parts = [html.unescape(t) for t in re.findall(r">([^<>]+)<", svg)]
    return " ".join(" ".join(parts).split())


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(
        io.StringIO(text), keep_default_na=False, dtype={"iso3": str, "year_label": str}
    )


# --- names and links -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart_id", "query", "ext", "preset", "expected"),
    [
        ("cpi", "", "png", None, "kaz-vs-central-asia-cpi-score-1996-2025.png"),
        ("cpi", "from=2012", "png", "wide", "kaz-vs-central-asia-cpi-score-2012-2025.png"),
        (
            "cpi",
            "from=2012&measure=rank",
            "svg",
            None,
            "kaz-vs-central-asia-cpi-rank-2012-2025.svg",
        ),
        (
            "cpi",
            "focus=UZB&group=south_caucasus&from=2012",
            "png",
            "square",
            "uzb-vs-south-caucasus-cpi-score-2012-2025-square.png",
        ),
        ("wgi_cc", "", "csv", None, "kaz-vs-central-asia-wgi-cc-percentile-1996-2023.csv"),
        (
            "wgi_ge",
            "wgi=gap",
            "png",
            "print",
            "kaz-vs-central-asia-wgi-ge-gap-to-oecd-1996-2023-print.png",
        ),
        ("db_rank", "", "png", None, "kaz-vs-central-asia-db-rank-2007-2020.png"),
        (
            "fdi",
            "peers=KGZ,TJK&agg=aggregate&fdi=usd&from=2000&to=2010",
            "csv",
            None,
            "kaz-vs-custom-peers-median-fdi-usd-2000-2010.csv",
        ),
    ],
)
def test_chart_filename_is_logical(bundle, chart_id, query, ext, preset, expected):
    state = state_of(bundle, CHARTS[chart_id].view, query)
    assert files.chart_filename(bundle, state, chart_id, ext, preset) == expected


def test_filename_uses_plotted_years_not_the_selected_range(bundle):
    state = ViewState(view="governance", year_from=1996, year_to=2025)
    table = build_chart("wgi_va", bundle, state).table
    assert int(table["year"].max()) == 2023
    assert files.chart_filename(bundle, state, "wgi_va", "png").endswith("-1996-2023.png")


def test_filename_falls_back_to_state_range_when_nothing_is_plotted(bundle):
    state = ViewState(view="economy", year_from=1990, year_to=1995)  # DB starts with DB2007
    assert build_chart("db_score", bundle, state).table.empty
    assert files.chart_filename(bundle, state, "db_score", "csv").endswith("-1990-1995.csv")


def test_permalink_is_absolute_url_of_the_view(bundle):
    state = state_of(bundle, "corruption", "focus=UZB&from=2012")
    assert files.permalink(state, BASE) == (
        "https://indicators.example.org/app/corruption?focus=UZB&group=central_asia&from=2012"
    )
    # a chart's permalink shows the chart's own page, whatever page the state came from
    assert files.chart_permalink(state.with_(view="overview"), "wgi_cc", BASE).startswith(
        "https://indicators.example.org/app/governance?"
    )


def test_state_from_params_ignores_file_parameters_and_reports_bad_values(bundle):
    parsed = files.state_from_params(
        bundle, "corruption", [("preset", "square"), ("view", "x"), ("focus", "ZZZ")]
    )
    assert parsed.state.focus == "KAZ"
    assert len(parsed.notices) == 1
    assert "ZZZ" in parsed.notices[0]


def test_unknown_chart_and_preset_are_rejected(bundle):
    with pytest.raises(files.UnknownChart, match="Known charts: cpi"):
        files.chart_image(bundle, ViewState(), "nope", "png")
    with pytest.raises(ValueError, match="Unknown preset"):
        files.chart_image(bundle, ViewState(), "cpi", "png", "huge")
    with pytest.raises(ValueError, match="Unknown image format"):
        files.chart_image(bundle, ViewState(), "cpi", "gif")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_figure_is_built_to_exactly_the_preset_layout_size(bundle, preset):
    p = PRESETS[preset]
    link = "https://indicators.example.org/governance?focus=KAZ&group=south_caucasus&from=2000"
    for chart_id in CHARTS:
        state = ViewState(view=CHARTS[chart_id].view)
        chart = files.build_for_size(bundle, state, chart_id, p.width, p.height, link)
        layout = chart.figure["layout"]
        assert layout["height"] == p.height, chart_id
        assert layout.get("width", p.width) == p.width, chart_id


# --- images ------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_png_has_the_preset_pixel_size(server, bundle, preset):
    png = files.chart_image(bundle, ViewState(view="corruption"), "cpi", "png", preset, BASE)
    image = Image.open(io.BytesIO(png))
    assert image.size == PRESETS[preset].pixel_size
    if PRESETS[preset].dpi:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)


def test_png_text_metadata_carries_source_permalink_and_licence(server, bundle):
    state = state_of(bundle, "corruption", "focus=UZB&from=2012")
    png = files.chart_image(bundle, state, "cpi", "png", "wide", BASE)
    text = Image.open(io.BytesIO(png)).text
    chart = build_chart("cpi", bundle, state)
    assert text["Title"] == chart.title
    assert text["Description"] == chart.subtitle
    assert text["Source"] == chart.source
    assert text["URL"] == files.permalink(state, BASE)
    assert text["URL"].endswith("/app/corruption?focus=UZB&group=central_asia&from=2012")
    assert "Transparency International, CC BY-ND 4.0" in text["Copyright"]
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", text["Creation Time"])
    assert text["Comment"] == chart.alt_text


def test_svg_shows_title_source_line_and_permalink(server, bundle):
    state = ViewState(view="governance", focus="KGZ")
    svg = files.chart_image(bundle, state, "wgi_rl", "svg", "wide", BASE).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    chart = build_chart("wgi_rl", bundle, state)
    text = svg_text(svg)
    assert chart.title in text
    assert chart.source in text
    assert "View: https://indicators.example.org/app/governance?focus=KGZ" in text


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart_id", "query"),
    [
        ("cpi", ""),
        ("cpi", "measure=percentile&from=2012"),
        ("wgi_va", "wgi=gap&agg=aggregate"),
        ("fdi", "fdi=usd&peers=KGZ,UZB"),
        ("db_rank", "group=south_caucasus"),
    ],
)
def test_csv_is_exactly_the_plotted_table(bundle, chart_id, query):
    state = state_of(bundle, CHARTS[chart_id].view, query)
    table = build_chart(chart_id, bundle, state).table
    got = read_csv(files.chart_csv(bundle, state, chart_id))
    assert list(got.columns) == TABLE_COLUMNS
    assert len(got) == len(table) > 0
    for column in ("chart", "series", "role", "iso3", "year_label", "unit", "source"):
        assert got[column].tolist() == table[column].astype(str).tolist(), column
    assert got["year"].tolist() == table["year"].astype(int).tolist()
    assert got["value"].tolist() == pytest.approx(table["value"].astype(float).tolist())
