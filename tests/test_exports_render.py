"""Image export engine: sizes, metadata, fonts and the missing-browser path.

All rendering tests share one export browser (started once by the module fixture).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from indicators.exports import (
    FONT_FAMILY,
    FONT_STACK,
    FONTS_CSS,
    FONTS_DIR,
    PRESETS,
    ExportUnavailable,
    export_available,
    find_browser,
    render_figure,
    start_server,
)
from indicators.exports import browser as browser_mod
from indicators.exports import render as render_mod
from indicators.exports.fonts import FONT_FILES, FONT_LICENSE
from indicators.exports.png import add_png_metadata

ROOT = Path(__file__).resolve().parents[1]
SOURCE_LINE = "Source: World Bank WGI 2024 – Қазақстан"


def line_chart(font_family: str = FONT_STACK) -> dict:
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"Country {i}",
                "x": [1, 2, 3],
                "y": [i, i + 1, i + 3],
            }
            for i in range(3)
        ],
        "layout": {
            "title": {"text": "Voice and Accountability — Kazakhstan"},
            "font": {"family": font_family},
            "annotations": [
                {
                    "text": SOURCE_LINE,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": -0.2,
                    "showarrow": False,
                }
            ],
        },
    }


def pixels(png: bytes) -> bytes:
    return Image.open(io.BytesIO(png)).convert("RGBA").tobytes()


@pytest.fixture(scope="module")
def server():
    start_server()
    return render_mod


@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    """An environment in which no browser can be found (the shared server keeps running)."""
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(browser_mod, "FALLBACK_PATHS", ())


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_png_has_exact_pixel_size_of_each_preset(server, name):
    p = PRESETS[name]
    png = render_figure(line_chart(), "png", p.width, p.height, p.scale, dpi=p.dpi)
    assert Image.open(io.BytesIO(png)).size == PRESETS[name].pixel_size


def test_preset_pixel_sizes_are_the_documented_ones():
    sizes = {name: p.pixel_size for name, p in PRESETS.items()}
    assert sizes == {"wide": (1600, 900), "square": (1080, 1080), "print": (3200, 1800)}


def test_print_preset_png_declares_300_dpi(server):
    p = PRESETS["print"]
    png = render_figure(line_chart(), "png", p.width, p.height, p.scale, dpi=p.dpi)
    dpi = Image.open(io.BytesIO(png)).info["dpi"]
    assert dpi == pytest.approx((300, 300), abs=0.1)


def test_png_text_metadata_round_trips_through_pillow(server):
    text = {
        "Title": "Voice and Accountability — Kazakhstan",
        "Source": "World Bank, Worldwide Governance Indicators",
        "URL": "https://example.org/indicators/wgi-va?country=KAZ",
        "Description": "Қазақстан: estimate 1996–2023",  # not Latin-1: goes into iTXt
    }
    png = render_figure(line_chart(), "png", 800, 450, 2, png_text=text)
    image = Image.open(io.BytesIO(png))
    assert image.text == text
    assert image.size == (1600, 900)


def test_png_metadata_leaves_pixels_unchanged(server):
    png = render_figure(line_chart(), "png", 400, 300)
    tagged = add_png_metadata(png, {"Title": "T", "Source": "Ә"}, dpi=300)
    assert tagged != png
    assert pixels(tagged) == pixels(png)


def test_svg_contains_source_annotation_text(server):
    svg = render_figure(line_chart(), "svg", 800, 450).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert SOURCE_LINE in svg


def test_svg_references_project_font_family(server):
    svg = render_figure(line_chart(), "svg", 800, 450).decode("utf-8")
    assert f"font-family: {FONT_FAMILY}," in svg


def test_pdf_embeds_project_font(server):
    pdf = render_figure(line_chart(), "pdf", 800, 450)
    assert pdf.startswith(b"%PDF")
    assert b"+Inter-Regular" in pdf


def test_project_font_is_used_for_rendering_not_a_fallback(server):
    # Same fallback chain with Inter swapped for a missing family: if fontconfig could not
    # find Inter, both would render with the same fallback font and give identical pixels.
    with_inter = render_figure(line_chart(FONT_STACK), "png", 600, 300)
    missing = FONT_STACK.replace(FONT_FAMILY, "No Such Font")
    fallback = render_figure(line_chart(missing), "png", 600, 300)
    assert pixels(with_inter) != pixels(fallback)
    fontconfig = Path(os.environ["FONTCONFIG_FILE"]).read_text(encoding="utf-8")
    assert f"<dir>{FONTS_DIR}</dir>" in fontconfig


def test_font_files_licence_and_css_are_shipped():
    files = [*FONT_FILES.values(), FONT_LICENSE, FONTS_CSS]
    assert all(f.is_file() for f in files)
    assert sum(f.stat().st_size for f in FONTS_DIR.iterdir()) < 2_000_000
    css = FONTS_CSS.read_text(encoding="utf-8")
    assert f'font-family: "{FONT_FAMILY}"' in css
    for weight in ("Regular", "Bold"):
        for script in ("latin", "cyrillic"):
            name = f"Inter-{weight}-{script}.woff2"
            assert f'url("../webfonts/{name}")' in css
            assert (FONTS_DIR.parent / "webfonts" / name).is_file()
    assert "Open Font License" in FONT_LICENSE.read_text(encoding="utf-8")


def test_plain_dict_without_data_key_renders(server):
    png = render_figure({"layout": {"title": {"text": "Empty"}}}, "png", 300, 200)
    assert Image.open(io.BytesIO(png)).size == (300, 200)


def test_graph_objects_figure_renders(server):
    fig = go.Figure(go.Bar(x=["KAZ", "UZB"], y=[1, 2]))
    png = render_figure(fig, "png", 300, 200, scale=2)
    assert Image.open(io.BytesIO(png)).size == (600, 400)


def test_concurrent_renders_each_get_their_own_image(server):
    sizes = [(200 + 10 * i, 100 + 10 * i) for i in range(4)]
    results: dict[int, tuple[int, int]] = {}

    def work(i: int) -> None:
        png = render_figure(line_chart(), "png", *sizes[i])
        results[i] = Image.open(io.BytesIO(png)).size

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(sizes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == dict(enumerate(sizes))


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError, match="fmt must be one of"):
        render_figure(line_chart(), "gif", 100, 100)  # type: ignore[arg-type]


def test_missing_browser_path_message_says_how_to_install(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ExportUnavailable) as err:
        find_browser()
    message = str(err.value)
    assert "/nonexistent/chromium" in message
    assert "no Chromium or Chrome was found" in message
    assert "sudo apt-get install chromium" in message
    assert "make setup" in message
    assert "BROWSER_PATH" in message


def test_no_browser_anywhere_message_says_how_to_install(no_browser):
    with pytest.raises(ExportUnavailable) as err:
        find_browser()
    message = str(err.value)
    assert "no Chromium or Chrome was found" in message
    assert "sudo apt-get install chromium" in message
    assert "make setup" in message


def test_export_available_reports_missing_browser_without_starting_one(no_browser, monkeypatch):
    monkeypatch.setattr(render_mod._Server, "started", False)
    monkeypatch.setattr(render_mod, "start_server", pytest.fail)  # must not be reached
    ok, message = export_available()
    assert not ok
    assert "no Chromium or Chrome was found" in message


def test_export_available_is_true_when_a_browser_exists(server):
    ok, message = export_available()
    assert ok, message


def test_browser_path_override_wins_over_path(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert find_browser() == str(fake)


def test_browser_that_fails_to_start_raises_quickly_instead_of_hanging(tmp_path):
    # Own process: the export browser is per process, and the shared one must live on.
    script = (
        "from indicators.exports import ExportUnavailable, export_available, render_figure\n"
        "try:\n"
        "    render_figure({'data': []}, 'png', 100, 100)\n"
        "except ExportUnavailable as exc:\n"
        "    print('unavailable:', exc)\n"
        "print('available:', export_available()[0])\n"
    )
    env = {**os.environ, "BROWSER_PATH": "/bin/false", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=90
    )
    assert "unavailable: Image export is unavailable" in done.stdout, done.stderr
    assert "failed to start" in done.stdout
    assert "available: False" in done.stdout


def test_a_failed_warm_up_is_retried_and_a_failure_does_not_last(monkeypatch):
    from indicators.exports import supervisor

    render_mod.stop_server()
    real = supervisor.ExportBrowser.render
    calls = {"n": 0}

    def failing_twice(self, fig, opts, timeout):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise RuntimeError("ReferenceError: simulated late page")
        return real(self, fig, opts, timeout)

    monkeypatch.setattr(supervisor.ExportBrowser, "render", failing_twice)
    figure = {"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1]}], "layout": {}}
    with pytest.raises(ExportUnavailable, match="warm-up render failed"):
        render_figure(figure, "png", 100, 80)
    assert calls["n"] == 2  # the warm-up was tried twice
    with pytest.raises(ExportUnavailable, match="tried again in"):  # held off: no new browser
        render_figure(figure, "png", 100, 80)
    assert calls["n"] == 2
    assert render_mod.export_available()[0] is False
    # The hold-off is short (RETRY_FIRST_S, doubling while starts keep failing); skip it.
    assert render_mod._Server.retry_at - time.monotonic() <= render_mod.RETRY_FIRST_S * 2
    render_mod._Server.retry_at = 0.0
    assert render_mod.export_available()[0] is True
    png = render_figure(figure, "png", 100, 80)
    assert Image.open(io.BytesIO(png)).size == (100, 80)
    assert render_mod._Server.failures == 0  # a success clears the failure count
