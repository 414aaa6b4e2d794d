"""The map view in a real browser: drawn from bundled geometry, clicks set the focus and the
custom peers, the timeline plays and pauses, and the link reproduces the view."""

import pytest

pytestmark = pytest.mark.browser

CLICK = """([code, shift]) => {
  const gd = document.querySelector('.map-graph .js-plotly-plot');
  gd.emit('plotly_click', {points: [{location: code}], event: {shiftKey: shift}});
}"""


def open_map(page, path="/map"):
    p = page.open(path)
    p.wait_for_selector(".map-graph .choroplethlocation", state="attached", timeout=30000)
    return p


def test_map_is_drawn_from_the_bundled_geometry_and_names_the_countries(page):
    p = open_map(page, "/map?indicator=wgi_cc&year=2025")
    assert p.locator(".map-graph .choroplethlocation").count() > 150
    title = p.locator(".map-graph .gtitle").text_content()
    assert "Control of Corruption, 2023" in title  # no 2025 data: the latest earlier year
    assert "data for 2025: showing" in p.locator(".map-graph").text_content()
    p.click("#view-content .chart-table > summary")
    p.wait_for_selector("#view-content .data-table td", timeout=10000)
    assert "Kazakhstan" in p.inner_text("#view-content .data-table")
    page.assert_clean()


def test_click_sets_focus_shift_click_adds_a_peer_and_the_link_reproduces_it(page, browser):
    p = open_map(page)
    p.evaluate(CLICK, ["KGZ", False])
    p.wait_for_function("() => location.search.includes('focus=KGZ')", timeout=10000)
    p.evaluate(CLICK, ["GEO", True])
    p.wait_for_function("() => location.search.includes('peers=GEO')", timeout=10000)
    p.wait_for_function(
        "() => document.querySelector('.map-graph .js-plotly-plot').data[1].locations"
        ".join() === 'KGZ,GEO'",
        timeout=10000,
    )
    url = p.url
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        again = other.new_page()
        again.goto(url)
        again.wait_for_selector(".map-graph .choroplethlocation", state="attached", timeout=30000)
        outlined = again.evaluate(
            "() => document.querySelector('.map-graph .js-plotly-plot').data[1].locations"
        )
        assert outlined == ["KGZ", "GEO"]
    finally:
        other.close()
    page.assert_clean()


def test_play_steps_the_years_and_escape_pauses(page):
    p = open_map(page, "/map?indicator=cpi_score")
    p.click("#play-years")
    assert p.get_attribute("#play-years", "aria-pressed") == "true"
    p.wait_for_function("() => /year=201[3-9]/.test(location.search)", timeout=15000)
    p.keyboard.press("Escape")
    assert p.get_attribute("#play-years", "aria-pressed") == "false"
    assert "Paused" in p.inner_text("#play-status")
    year = p.evaluate("() => new URLSearchParams(location.search).get('year')")
    p.wait_for_timeout(2000)
    assert p.evaluate("() => new URLSearchParams(location.search).get('year')") == year
    title = p.locator(".map-graph .gtitle").text_content()
    assert f"CPI score, {year}" in title
    page.assert_clean()
