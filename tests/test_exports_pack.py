"""The briefing pack: contents, PPTX deck, progress and the concurrency bound."""

from __future__ import annotations

import io
import threading
import zipfile

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from indicators.charts.registry import CHARTS, charts_for_view
from indicators.exports import files, pack, start_server
from indicators.exports.pptx_deck import DeckSlide, build_deck
from indicators.render.chart import build_chart
from indicators.render.figure import untitled
from indicators.render.table import TABLE_COLUMNS
from indicators.view.state import ViewState

BASE = "https://indicators.example.org"
STATE = ViewState(view="governance", group="south_caucasus", year_from=2000)
NAME = "kaz-vs-south-caucasus-governance-2000-2025-briefing"


@pytest.fixture(scope="module")
def built(bundle):
    start_server()
    steps: list[tuple[int, int, str]] = []
    data = pack.build_pack(
        bundle,
        STATE,
        BASE,
        lambda done, total, message: steps.append((done, total, message)),
        notices=("Ignored unknown URL parameter 'utm'.",),
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, steps


def read(archive: zipfile.ZipFile, path: str) -> str:
    return archive.read(f"{NAME}/{path}").decode("utf-8")


def chart_ids() -> list[str]:
    return [c.id for c in charts_for_view("governance")]


def test_pack_filename(bundle):
    assert pack.pack_filename(bundle, STATE) == f"{NAME}.zip"
    overview = ViewState(focus="UZB", peers=("KAZ", "KGZ"), group="custom")
    assert pack.pack_filename(bundle, overview) == (
        "uzb-vs-custom-peers-all-charts-1996-2025-briefing.zip"
    )


def test_overview_pack_holds_every_chart_in_page_order():
    ids = pack.pack_chart_ids(ViewState(view="overview"))
    assert sorted(ids) == sorted(CHARTS)
    assert ids[0] == "cpi" and ids[1:7] == chart_ids()
    assert pack.pack_chart_ids(ViewState(view="corruption")) == ["cpi"]


def test_pack_contains_every_expected_file(bundle, built):
    archive, _ = built
    names = set(archive.namelist())
    basenames = [files.chart_basename(bundle, STATE, cid) for cid in chart_ids()]
    expected = {
        f"{NAME}/{p}"
        for p in ("README.md", "SOURCES.md", "ALT-TEXT.md", f"{NAME}-data.csv", f"{NAME}.pptx")
    }
    expected |= {f"{NAME}/charts/{b}.{ext}" for b in basenames for ext in ("png", "svg")}
    assert names == expected
    assert archive.testzip() is None


def test_pack_images_are_wide_pngs_with_metadata_and_svgs_with_source(bundle, built):
    archive, _ = built
    for cid in chart_ids():
        base = files.chart_basename(bundle, STATE, cid)
        image = Image.open(io.BytesIO(archive.read(f"{NAME}/charts/{base}.png")))
        assert image.size == (1600, 900)
        assert image.text["URL"] == files.chart_permalink(STATE, cid, BASE)
        assert image.text["Source"].startswith("Source: World Bank")
        svg = read(archive, f"charts/{base}.svg")
        assert "World Bank, WGI 2024 update" in svg


def test_pack_csv_holds_every_plotted_row(bundle, built):
    archive, _ = built
    table = pd.read_csv(io.StringIO(read(archive, f"{NAME}-data.csv")), keep_default_na=False)
    assert list(table.columns) == TABLE_COLUMNS
    for cid in chart_ids():
        expected = build_chart(cid, bundle, STATE).table
        rows = table[table["chart"] == cid]
        assert len(rows) == len(expected) > 0
        assert rows["value"].tolist() == pytest.approx(expected["value"].astype(float).tolist())
        assert rows["source"].tolist() == expected["source"].tolist()


def test_pack_texts_name_sources_permalinks_methods_and_alt_text(bundle, built):
    archive, _ = built
    readme = read(archive, "README.md")
    sources = read(archive, "SOURCES.md")
    alt = read(archive, "ALT-TEXT.md")
    for cid in chart_ids():
        chart = build_chart(cid, bundle, STATE)
        assert chart.title in readme
        assert chart.alt_text in alt
    assert f"Permalink: {BASE}/governance?focus=KAZ&group=south_caucasus&from=2000" in readme
    assert "## Methodology" in readme and "percentile rank" in readme.lower()
    assert "Ignored unknown URL parameter 'utm'." in readme
    assert "Kaufmann, D. and A. Kraay (2024)" in sources
    assert "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in sources
    assert "WGI 2024 update" in sources


def test_pptx_opens_with_title_key_facts_then_one_slide_per_chart(bundle, built):
    archive, _ = built
    deck = Presentation(io.BytesIO(archive.read(f"{NAME}/{NAME}.pptx")))
    assert Emu(deck.slide_width) * 9 == pytest.approx(Emu(deck.slide_height) * 16, rel=1e-3)
    slides = list(deck.slides)
    assert len(slides) == 2 + len(chart_ids())
    opening = slides[0].placeholders[1].text
    assert slides[0].shapes.title.text == "Kazakhstan against South Caucasus"
    assert "Governance" in opening and "WGI 2024 update" in opening and "generated" in opening
    assert slides[1].shapes.title.text == "Key facts"
    assert "CPI score was" in " ".join(
        s.text_frame.text for s in slides[1].shapes if s.has_text_frame
    )
    for slide, cid in zip(slides[2:], chart_ids(), strict=True):
        chart = build_chart(cid, bundle, STATE)
        assert slide.shapes.title.text == chart.title
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == chart.alt_text
        notes = slide.notes_slide.notes_text_frame.text
        assert chart.source in notes
        assert f"View: {files.chart_permalink(STATE, cid, BASE)}" in notes


def test_slide_pictures_leave_the_title_to_the_slide(bundle, built):
    archive, _ = built
    deck = Presentation(io.BytesIO(archive.read(f"{NAME}/{NAME}.pptx")))
    picture = next(s for s in deck.slides[2].shapes if s.shape_type == 13)
    chart = files.build_for_size(bundle, STATE, chart_ids()[0], 800, 450, None)
    slide_figure = untitled(chart.figure)
    assert chart.title not in slide_figure["layout"]["title"]["text"]
    assert chart.subtitle in slide_figure["layout"]["title"]["text"].replace("<br>", " ")
    assert Image.open(io.BytesIO(picture.image.blob)).size == (1600, 900)


def test_sources_cite_publishers_never_repositories_and_spell_out_abbreviations(built):
    archive, _ = built
    sources = read(archive, "SOURCES.md")
    assert "- Publisher: World Bank" in sources and "- Accessed: " in sources
    assert "- URL: https://" in sources and "- Release: WGI 2024 update" in sources
    for internal in ("GitHub", "github", "commit", "data/", ".yaml", "shared/", "sha256"):
        assert internal not in sources
    assert "- WGI: Worldwide Governance Indicators" in sources
    assert "- OECD: Organisation for Economic Co-operation and Development" in sources


def test_progress_counts_up_to_total(built):
    _, steps = built
    dones = [d for d, _, _ in steps]
    assert dones == sorted(dones) and dones[0] == 0
    assert steps[-1][0] == steps[-1][1]


def test_deck_builds_without_a_browser():
    png = io.BytesIO()
    Image.new("RGB", (1600, 900), "white").save(png, "PNG")
    data = build_deck([DeckSlide("A", png.getvalue(), "Source: X"), DeckSlide("B", png.getvalue())])
    deck = Presentation(io.BytesIO(data))
    assert [s.shapes.title.text for s in deck.slides] == ["A", "B"]
    assert deck.slides[0].notes_slide.notes_text_frame.text == "Source: X"


def test_busy_when_all_slots_are_taken(bundle, monkeypatch):
    slots = threading.BoundedSemaphore(1)
    slots.acquire()
    monkeypatch.setattr(pack, "_slots", slots)
    monkeypatch.setattr(files, "render_chart", pytest.fail)  # must not get that far
    with pytest.raises(pack.PackBusy, match="try again"):
        pack.build_pack(bundle, STATE, BASE, wait=0.05)
    slots.release()


def test_slot_is_released_after_a_failure(bundle, monkeypatch):
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(pack, "_slots", slots)

    def boom(*args, **kwargs):
        raise RuntimeError("render failed")

    monkeypatch.setattr(files, "render_chart", boom)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            pack.build_pack(bundle, STATE, BASE, wait=0.05)


@pytest.fixture(scope="module")
def overview(bundle):
    start_server()
    state = ViewState(view="overview")
    archive = zipfile.ZipFile(io.BytesIO(pack.build_pack(bundle, state, BASE)))
    return archive, pack.pack_basename(bundle, state)


def test_overview_pack_holds_the_scorecard_as_csv_and_a_slide(overview):
    archive, name = overview
    table = pd.read_csv(io.BytesIO(archive.read(f"{name}/{name}-scorecard.csv")))
    assert table["indicator"].tolist()[:2] == ["cpi_score", "wgi_va_percentile"]
    assert table.loc[0, "latest"] == 38 and str(table.loc[0, "latest_year"]) == "2025"
    deck = Presentation(io.BytesIO(archive.read(f"{name}/{name}.pptx")))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[:3] == [
        "Kazakhstan against Central Asia",
        "Key facts",
        "Scorecard: Kazakhstan against Central Asia",
    ]
    grid = next(s for s in deck.slides[2].shapes if s.has_table).table
    assert grid.cell(1, 0).text == "CPI score" and grid.cell(1, 1).text == "38 pts (2025)"
    assert len(titles) == 3 + len(CHARTS)
    sources = archive.read(f"{name}/SOURCES.md").decode()
    assert "- OED: the World Bank's code for its 'OECD members' aggregate" in sources


def test_overview_csv_values_carry_no_float_noise(overview):
    archive, name = overview
    text = archive.read(f"{name}/{name}-data.csv").decode()
    table = pd.read_csv(io.StringIO(text), dtype={"value": str}, keep_default_na=False)
    digits = table["value"].str.replace("-", "").str.replace(".", "").str.lstrip("0")
    assert digits.str.len().max() <= 7  # the publisher's precision, never 5.29999999893468
