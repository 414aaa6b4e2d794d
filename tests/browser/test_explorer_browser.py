"""Explorer features in a real browser: the sortable summary tab and relative change."""

import re

import pytest

pytestmark = pytest.mark.browser


def numbers(texts):
    return [float(t.replace("+", "").replace(",", "")) for t in texts if t]


def test_summary_tab_sorts_by_a_column_and_follows_the_view(page):
    p = page.open("/corruption", charts=1)
    p.click(".chart-summary > summary")
    p.wait_for_selector(".summary-table td", timeout=10000)
    assert "Kazakhstan" in p.inner_text(".summary-table tbody tr:first-child")
    change = ".summary-table th:nth-child(7)"
    p.click(f"{change} button")
    assert p.get_attribute(change, "aria-sort") == "ascending"
    cells = p.locator(".summary-table tbody td:nth-child(7)").all_inner_texts()
    assert numbers(cells) == sorted(numbers(cells))
    p.click(f"{change} button")
    assert p.get_attribute(change, "aria-sort") == "descending"
    cells = p.locator(".summary-table tbody td:nth-child(7)").all_inner_texts()
    assert numbers(cells) == sorted(numbers(cells), reverse=True)
    p.evaluate("window.dash_clientside.set_props('peer-group', {value: 'south_caucasus'})")
    p.wait_for_function(
        "() => document.querySelector('.summary-table').innerText.includes('Georgia')",
        timeout=15000,
    )
    href = p.get_attribute(".chart-summary a.download-link", "href")
    assert href.startswith("/export/cpi.summary.csv?") and "south_caucasus" in href
    page.assert_clean()


def test_relative_change_redraws_every_chart_from_zero_and_is_in_the_link(page):
    p = page.open("/governance", charts=6)
    p.locator("#values-shown label", has_text="Change since first year").click()
    p.wait_for_function("() => location.search.includes('values=change')", timeout=15000)
    p.wait_for_function(
        "() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).every("
        "gd => (gd.layout.yaxis.title.text || '').startsWith('Change since'))",
        timeout=15000,
    )
    firsts = p.evaluate(
        "() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).map("
        "gd => gd.data.find(t => t.meta === 'KAZ').y.find(v => v !== null))"
    )
    assert firsts == [0] * 6
    assert re.search(r"Change since the first year", p.inner_text("#view-content"))
    page.assert_clean()


def test_play_steps_the_end_year_of_every_chart_and_the_keyboard_pauses(page):
    p = page.open("/economy?from=2010", charts=5)
    p.focus("#play-years")
    p.keyboard.press("Enter")
    assert p.get_attribute("#play-years", "aria-pressed") == "true"
    p.wait_for_function("() => /to=201[2-9]/.test(location.search)", timeout=15000)
    p.keyboard.press("Escape")
    assert p.get_attribute("#play-years", "aria-pressed") == "false"
    assert "Paused" in p.inner_text("#play-status")
    end = int(p.evaluate("() => new URLSearchParams(location.search).get('to')"))
    p.wait_for_function(
        f"() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).every("
        f"gd => gd.layout.xaxis.range[1] <= {end} + 1)",
        timeout=15000,
    )
    p.wait_for_timeout(1500)
    assert int(p.evaluate("() => new URLSearchParams(location.search).get('to')")) == end
    page.assert_clean()


def test_any_country_in_the_data_can_be_the_focus_or_a_custom_peer(page):
    p = page.open("/corruption", charts=1)
    page.open_settings()
    page.choose("#focus-country", "Germany (DEU)", search="DEU")
    p.wait_for_function("() => location.search.includes('focus=DEU')", timeout=15000)
    page.choose("#peer-group", "Custom selection")
    page.choose("#custom-peers", "Chile (CHL)", search="chile")
    p.wait_for_function("() => location.search.includes('peers=CHL')", timeout=15000)
    p.wait_for_function(
        "() => { const gd = document.querySelector('.chart-graph .js-plotly-plot');"
        " const metas = gd.data.map(t => t.meta); return metas.includes('DEU')"
        " && metas.includes('CHL'); }",
        timeout=15000,
    )
    page.assert_clean()


CHART_LAYOUT = """() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).map(
  gd => [(gd.layout.title.text.match(/<br>/g) || []).length, gd._fullLayout.showlegend,
         (gd.layout.annotations || []).filter(
           a => a.name === 'direct-label' && a.visible !== false).length])"""


def test_a_phone_layout_after_a_setting_change_gives_way_to_the_wide_one_on_resize(
    browser, base_url
):
    from tests.browser.conftest import Page

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        wide = Page(context.new_page(), base_url).open("/governance?focus=MNG", charts=6)
        wide.wait_for_timeout(1000)
        expected = wide.evaluate(CHART_LAYOUT)
        page = Page(context.new_page(), base_url)
        p = page.open("/governance", charts=None)
        p.set_viewport_size({"width": 375, "height": 800})
        page.wait_for_charts(6)
        p.evaluate("window.dash_clientside.set_props('focus-country', {value: 'MNG'})")
        p.wait_for_function("() => location.search.includes('focus=MNG')", timeout=15000)
        p.wait_for_timeout(1500)
        assert all(legend for _, legend, _ in p.evaluate(CHART_LAYOUT))  # phone: legends
        p.set_viewport_size({"width": 1440, "height": 900})
        p.wait_for_timeout(1500)
        assert p.evaluate(CHART_LAYOUT) == expected
        page.assert_clean()
    finally:
        context.close()


def test_event_types_filter_the_numbered_events_and_their_list(page):
    p = page.open("/corruption", charts=1)
    before = p.locator(".chart-events li").count()
    page.open_settings()
    page.choose("#event-types", "Anti-corruption")
    p.wait_for_function("() => location.search.includes('etypes=anti-corruption')", timeout=15000)
    p.wait_for_function(
        f"() => document.querySelectorAll('.chart-events li').length < {before}", timeout=15000
    )
    from indicators.data.loading import DATA_DIR, load_bundle

    titles = {e.title for e in load_bundle(DATA_DIR).events if e.category == "anti-corruption"}
    items = p.locator(".chart-events li").all_inner_texts()
    assert items and all(any(f": {t}." in item for t in titles) for item in items)
    page.assert_clean()
