"""The overview at three widths, the settings panel on a phone, and the Share menus."""

import pytest

from tests.browser.conftest import Page

pytestmark = pytest.mark.browser

WIDTHS = {1440: 900, 768: 1024, 375: 800}
# every chart shows the nearest point on hover and lets a drag scroll the page
COMPACT = """() => [...document.querySelectorAll('.chart-graph .js-plotly-plot')].every(
    gd => gd._fullLayout.hovermode === 'closest' && gd._fullLayout.dragmode === false)"""
WIDE = """() => [...document.querySelectorAll('.chart-graph .js-plotly-plot')].every(
    gd => gd._fullLayout.hovermode === 'x unified' && gd._fullLayout.dragmode === 'zoom')"""


@pytest.fixture
def tab(browser, base_url, request):
    width = getattr(request, "param", 1440)
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS[width]},
        permissions=["clipboard-read", "clipboard-write"],
    )
    yield Page(context.new_page(), base_url)
    context.close()


def _clipboard(p) -> str:
    return p.evaluate("() => navigator.clipboard.readText()")


@pytest.mark.parametrize("tab", WIDTHS, indirect=True)
def test_overview_reads_at_every_width(tab):
    p = tab.open("/overview")
    p.wait_for_selector("#headline .main-svg", timeout=30000)
    width = p.viewport_size["width"]
    sizes = p.evaluate(
        """() => ({
        page: document.documentElement.scrollWidth,
        table: document.querySelector('#scorecard').scrollWidth,
        frame: document.querySelector('.scorecard-wrap').clientWidth,
        cells: [...document.querySelectorAll('#scorecard td, #scorecard th')]
            .filter(c => c.getBoundingClientRect().right > window.innerWidth + 1).length,
    })"""
    )
    assert sizes["page"] <= width and sizes["table"] <= sizes["frame"], sizes
    assert sizes["cells"] == 0, sizes  # nothing cut off at the right edge
    rows = p.locator("#scorecard tbody tr")
    assert rows.count() == 12
    sparks = p.locator("#scorecard img.sparkline")
    assert sparks.count() == 12 and sparks.first.is_visible()
    alt = sparks.first.get_attribute("alt")
    assert alt.startswith("Trend of CPI score. Kazakhstan:") and "Central Asia median" in alt
    # on cards (below 1000 px) each cell shows its column's name; a screen reader hears the
    # table's headers instead, and the judgement arrows as words
    labels = rows.first.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content)"
    )
    headers = ["Trend", "Latest (year)", "Change (first to latest year shown)", "Rank", "Gap"]
    for label, header in zip(labels, headers, strict=True):
        assert (header in label) == (width < 1000), (label, header)
    read = rows.first.aria_snapshot()
    assert "(better)" in read and "(worse)" in read and "Latest (year)" not in read, read
    tab.assert_clean()


@pytest.mark.parametrize("tab", [375], indirect=True)
def test_phone_first_screen_shows_a_chart_and_a_settings_summary(tab):
    p = tab.open("/corruption", charts=1)
    assert not p.locator("#settings").evaluate("d => d.open")
    summary = p.locator("#settings > summary")
    assert summary.inner_text().replace("\n", " ") == (
        "Settings: Kazakhstan vs Central Asia, 1996–2025"
    )
    # the first screen shows the chart's title and its plot, not only controls
    card = p.locator(".chart-graph").first.bounding_box()["y"]
    plot = p.locator(".chart-graph .nsewdrag").first.bounding_box()
    assert card < 800 / 2 and plot["y"] + plot["height"] / 2 < 800, (card, plot)
    # change a setting on the phone: the summary follows, the page still fits the width
    tab.open_settings()
    tab.choose("#focus-country", "Georgia", search="Geor")
    tab.choose("#peer-group", "South Caucasus")
    p.wait_for_function(
        "() => document.querySelector('#settings-summary').textContent"
        " === 'Georgia vs South Caucasus, 1996–2025'",
        timeout=10000,
    )
    p.wait_for_function(
        "() => document.querySelector('.chart-graph').innerText.includes('Georgia')",
        timeout=20000,
    )
    assert p.evaluate("document.documentElement.scrollWidth") <= 375
    p.wait_for_function(COMPACT)  # the new figure is adapted to the phone too
    # a resize to a desktop width unfolds the panel and brings back the shared hover box;
    # back to the phone width, both fold again
    p.set_viewport_size({"width": 1440, "height": 900})
    p.wait_for_function("() => document.querySelector('#settings').open")
    p.wait_for_function(WIDE)
    p.set_viewport_size({"width": 375, "height": 800})
    p.wait_for_function("() => !document.querySelector('#settings').open")
    p.wait_for_function(COMPACT)
    tab.assert_clean()


def test_scorecard_row_opens_its_chart_with_the_same_view(tab):
    p = tab.open("/overview?focus=UZB&from=2005")
    row = p.locator("#scorecard tbody tr", has_text="Control of Corruption")
    # anywhere on the row: the indicator's link covers it (force: Playwright would otherwise
    # wait for the cell itself to receive the click)
    row.locator("td").nth(2).click(force=True)
    p.wait_for_function("() => location.pathname === '/governance'", timeout=10000)
    assert "focus=UZB" in p.url and "from=2005" in p.url and p.url.endswith("#card-wgi_cc")
    tab.wait_for_charts(6)
    card = p.locator("#card-wgi_cc")
    card.locator(".main-svg").first.wait_for(timeout=20000)
    # scrolled to the card (the last of the view: as far as the page goes)
    p.wait_for_function(
        """() => {
            const top = document.querySelector('#card-wgi_cc').getBoundingClientRect().top;
            return top > -2 && top < innerHeight / 2;
        }""",
        timeout=10000,
    )
    assert "Uzbekistan" in card.inner_text()
    tab.assert_clean()


def test_share_copies_links_and_embed_code_with_announced_feedback(tab, browser):
    p = tab.open("/corruption?focus=GEO&measure=rank", charts=1)
    origin = tab.base_url
    # the chart card's menu, by keyboard: Tab to its summary, Enter, Tab to "Copy link", Enter
    summary = p.locator("#card-cpi .share > summary")
    summary.focus()
    p.keyboard.press("Enter")
    copy = p.locator("#card-cpi .share-button", has_text="Copy link")
    copy.wait_for(state="visible")
    p.keyboard.press("Tab")
    assert p.evaluate("() => document.activeElement.textContent") == "Copy link"
    p.keyboard.press("Enter")
    status = p.locator("#card-cpi .share-status")
    assert status.get_attribute("role") == "status"
    status.filter(has_text="Link copied").wait_for(timeout=10000)
    link = _clipboard(p)
    assert link.startswith(origin + "/corruption?") and link.endswith("#card-cpi")
    assert "focus=GEO" in link and "measure=rank" in link
    p.keyboard.press("Escape")  # closes the menu, back on its summary
    assert not p.locator("#card-cpi .share").evaluate("d => d.open")
    assert p.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Share")
    p.keyboard.press("Enter")
    p.locator("#card-cpi .share-button", has_text="Copy embed code").click()
    status.filter(has_text="Embed code copied").wait_for(timeout=10000)
    embed = _clipboard(p)
    assert f'src="{origin}/embed/cpi?' in embed and "embed-resize.js" in embed
    # the view's own menu copies the page's address; the link reproduces the view elsewhere
    p.click(".pack-bar .share > summary")
    p.locator(".pack-bar .share-button").click()
    p.locator(".pack-bar .share-status", has_text="Link copied").wait_for(timeout=10000)
    assert _clipboard(p) == p.url
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        again = Page(other.new_page(), tab.base_url).open(link[len(origin) :], charts=1)
        assert again.locator("#cpi-measure input[value=rank]").is_checked()
        assert "Georgia" in again.inner_text(".chart-graph")
    finally:
        other.close()
    tab.assert_clean()


def test_phone_tap_shows_one_value_inside_the_screen_and_the_page_still_scrolls(browser, base_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True
    )
    try:
        tab = Page(context.new_page(), base_url)
        p = tab.open("/governance", charts=6)
        p.wait_for_function(COMPACT)
        # Kazakhstan's 2020 point in the first chart, once the phone layout has settled
        # (the same position at two polls)
        x, y = p.wait_for_function(
            """() => {
            const gd = document.querySelector('.chart-graph .js-plotly-plot');
            const trace = gd.data.find(t => t.meta === 'KAZ');
            const i = trace.x.indexOf(2020);
            const fl = gd._fullLayout, box = gd.querySelector('.nsewdrag').getBoundingClientRect();
            const at = [box.left + fl.xaxis.l2p(2020), box.top + fl.yaxis.l2p(trace.y[i])];
            const same = String(at) === String(window.__tapAt);
            window.__tapAt = at;
            return same && at;
        }""",
            polling=250,
        ).json_value()
        p.touchscreen.tap(x, y)
        # the label's box read when it is shown, in one step: a late relayout of the settling
        # page may take it away again before a second look
        r = p.wait_for_function(
            """() => {
            const first = document.querySelector('.chart-graph');
            const label = [...first.querySelectorAll('.hoverlayer .hovertext')]
                .find(e => e.textContent.includes('Kazakhstan') && e.textContent.includes('2020'));
            const box = label && label.getBoundingClientRect();
            return box ? {x: box.x, width: box.width} : false;
        }""",
            timeout=10000,
        ).json_value()
        assert r["x"] >= 0 and r["x"] + r["width"] <= 375, r
        # a swipe that starts on a chart scrolls the page
        cdp = context.new_cdp_session(p)
        cdp.send(
            "Input.synthesizeScrollGesture",
            {"x": int(x), "y": int(y), "yDistance": -300, "speed": 2000},
        )
        p.wait_for_function("() => window.scrollY > 0")
        tab.assert_clean()
    finally:
        context.close()


def test_share_links_use_the_public_address_when_one_is_set(tab, monkeypatch):
    monkeypatch.setenv("INDICATORS_PUBLIC_URL", "https://indicators.example.org")
    p = tab.open("/corruption?focus=UZB", charts=1)
    p.click("#card-cpi .share > summary")
    p.locator("#card-cpi .share-button", has_text="Copy link").click()
    p.locator("#card-cpi .share-status", has_text="Link copied").wait_for(timeout=10000)
    link = _clipboard(p)
    assert link.startswith("https://indicators.example.org/corruption?focus=UZB")
    p.locator("#card-cpi .share-button", has_text="Copy embed code").click()
    p.locator("#card-cpi .share-status", has_text="Embed code copied").wait_for(timeout=10000)
    assert 'src="https://indicators.example.org/embed/cpi?' in _clipboard(p)
    tab.assert_clean()
