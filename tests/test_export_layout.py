"""Exports look designed: in each preset's SVG no text box touches another, none but a break's
label lies on the plot, everything stays inside a safe margin, and an export that crosses a
methodology break states it.

The boxes are exact: the SVG (with its embedded fonts) is opened in headless Chromium and each
text element's rendered bounding box is read.
"""

from __future__ import annotations

import itertools

import pytest

from indicators.exports import PRESETS, files
from indicators.exports.render import start_server
from indicators.view.state import ViewState

SAFE_PX = 8  # CSS px of blank edge kept on every side
TOUCH_PX = 0.5  # boxes may share this much (anti-aliased edges)
CASES = {
    "cpi-score": ("cpi", ViewState()),
    "cpi-rank": ("cpi", ViewState(cpi_measure="rank")),
    "wgi": ("wgi_va", ViewState()),
    "wgi-many-peers": ("wgi_cc", ViewState(group="all_peers", peer_mode="lines")),
    "wgi-gap-median": ("wgi_ge", ViewState(wgi_mode="gap", peer_mode="aggregate")),
    "db-rank": ("db_rank", ViewState()),
    "fdi-custom": ("fdi", ViewState(focus="UZB", group="custom", peers=("KAZ", "GEO", "TUR"))),
    "empty": ("wgi_rl", ViewState(year_from=2024, year_to=2025)),
}
BOXES_JS = """() => [...document.querySelectorAll('svg text')]
    .filter(t => t.textContent.trim())
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })
    .filter(b => b.x1 > b.x0)"""


@pytest.fixture(scope="module")
def page(browser):
    start_server()
    page = browser.new_page()
    yield page
    page.close()


def text_boxes(page, svg: bytes, width: int, height: int) -> list[dict]:
    """Each text element's box in the figure's CSS px."""
    page.set_viewport_size({"width": width, "height": height})
    body = svg.decode("utf-8")
    page.set_content(f"<html><body style='margin:0'>{body}</body></html>")
    page.evaluate(
        "([w, h]) => { const s = document.querySelector('svg');"
        " s.setAttribute('width', w); s.setAttribute('height', h); }",
        [width, height],
    )
    return page.evaluate(BOXES_JS)


def plot_box(layout: dict) -> tuple[float, float, float, float]:
    """The main plot's rectangle (x0, y0, x1, y1) in CSS px, the events lane left out."""
    m, w, h = layout["margin"], layout["width"], layout["height"]
    plot_h = h - m["t"] - m["b"]
    top = m["t"] + plot_h * (1 - layout["yaxis"]["domain"][1])
    return m["l"], top, w - m["r"], h - m["b"]


def overlap(a, b, slack: float = TOUCH_PX) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def box(b: dict) -> tuple:
    return b["x0"], b["y0"], b["x1"], b["y1"]


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_export_text_never_overlaps_and_stays_inside_safe_margins(bundle, page, preset, case):
    chart_id, state = CASES[case]
    p = PRESETS[preset]
    link = files.chart_permalink(state, chart_id, "https://example.org")
    state = files.chart_state(state, chart_id)
    chart = files.build_for_size(bundle, state, chart_id, p.width, p.height, link)
    svg = files.render_chart(bundle, chart, "svg", p, link)
    boxes = text_boxes(page, svg, p.width, p.height)
    assert len(boxes) >= 3  # title, message and footer at least
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(box(a), box(b)), (a["text"][:40], b["text"][:40])
    inside = {m.label for m in chart.model.breaks} | {chart.model.title}
    plot = plot_box(chart.figure["layout"])
    for b in boxes:
        x0, y0, x1, y1 = box(b)
        assert x0 >= SAFE_PX and y0 >= SAFE_PX, b
        assert x1 <= p.width - SAFE_PX and y1 <= p.height - SAFE_PX, b
        empty = b["text"].startswith("No data for")
        if b["text"] not in inside and not empty:
            assert not overlap(box(b), plot, 1), b["text"][:40]
    text = " ".join(b["text"] for b in boxes)
    if chart.model.breaks:
        assert "TI changed the method in 2012" in text


def test_rank_export_carries_the_break_note(bundle):
    chart = files.build_for_size(
        bundle, ViewState(view="corruption", cpi_measure="rank"), "cpi", 800, 450, None
    )
    footer = chart.figure["layout"]["annotations"][0]["text"].replace("<br>", " ")
    assert "TI changed the method in 2012" in footer
