"""Issue 13's flow as a new user would try it: from the first page find the map, play its
timeline, switch a chart view to relative change, copy the link and open it in a new browser
context (same view), download the map as PNG and CSV; no request leaves the server's origin."""

from pathlib import Path

import pytest

from tests.browser.conftest import Page

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(browser, base_url):
    context = browser.new_context(
        viewport={"width": 1440, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
        accept_downloads=True,
    )
    yield Page(context.new_page(), base_url)
    context.close()


def test_new_user_explores_map_timeline_relative_change_share_and_downloads(tab, browser):
    p = tab.open("/")
    p.click("#nav-map")
    p.wait_for_selector(".map-graph .choroplethlocation", state="attached", timeout=30000)

    p.click("#play-years")
    p.wait_for_function("() => /year=\\d{4}/.test(location.search)", timeout=15000)
    p.keyboard.press("Escape")
    assert "Paused" in p.inner_text("#play-status")

    for label, ext in (("PNG 1600×900", "png"), ("CSV", "csv")):
        p.click("#card-map .share > summary")
        with p.expect_download(timeout=60000) as download:
            p.locator("#card-map .download-link", has_text=label).click()
        assert download.value.suggested_filename.endswith(f".{ext}")
        head = Path(download.value.path()).read_bytes()[:8]
        assert head.startswith(b"\x89PNG") if ext == "png" else head.startswith(b"chart,")
        p.click("#card-map .share > summary")

    p.click("#nav-governance")
    tab.wait_for_charts(6)
    p.locator("#values-shown label", has_text="Change since first year").click()
    p.wait_for_function("() => location.search.includes('values=change')", timeout=15000)
    p.click(".pack-bar .share > summary")
    p.locator(".pack-bar .share-button", has_text="Copy link").click()
    p.locator(".pack-bar .share-status", has_text="Link copied").wait_for(timeout=10000)
    link = p.evaluate("() => navigator.clipboard.readText()")
    assert "values=change" in link

    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        again = Page(other.new_page(), tab.base_url)
        q = again.open(link.removeprefix(tab.base_url), charts=6)
        q.wait_for_function(
            "() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).every("
            "gd => (gd.layout.yaxis.title.text || '').startsWith('Change since'))",
            timeout=15000,
        )
        assert q.url == link
        again.assert_clean()
    finally:
        other.close()
    tab.assert_clean()
