"""The flows users care about, in a real browser."""

import pytest

pytestmark = pytest.mark.browser

VIEWS = {"overview": 0, "corruption": 1, "governance": 6, "economy": 5}


@pytest.mark.parametrize("view,charts", VIEWS.items())
def test_each_view_renders_real_data_without_errors_or_external_requests(page, view, charts):
    p = page.open(f"/{view}", charts=charts or None)
    if view == "overview":
        assert "Kazakhstan's CPI score was 28 in 2012" in p.inner_text("#key-facts")
        assert p.locator("#scorecard tbody tr").count() >= 10
    else:
        assert p.locator(".chart-graph .main-svg").count() >= charts
        legend = p.inner_text(".chart-graph")
        assert "Kazakhstan" in legend
    page.assert_clean()


def test_cpi_chart_shows_break_marker_and_source_line(page):
    p = page.open("/corruption", charts=1)
    text = p.inner_text(".chart-graph")
    assert "Method change 2012" in text
    assert "Source: Transparency International" in text


def test_url_sets_focus_and_peer_group_in_every_chart(page):
    p = page.open("/economy?focus=UZB&group=south_caucasus", charts=5)
    for graph in p.locator(".chart-graph").all():
        text = graph.inner_text()
        assert "Uzbekistan" in text
        assert "Georgia" in text or "Armenia" in text or "Azerbaijan" in text
    assert "Uzbekistan" in p.inner_text("#focus-country")
    page.assert_clean()


def test_changing_focus_country_updates_every_chart_and_url(page):
    p = page.open("/governance", charts=6)
    page.choose("#focus-country", "Mongolia", search="Mongol")
    p.wait_for_function("() => location.search.includes('focus=MNG')", timeout=10000)
    p.wait_for_function(
        "() => Array.from(document.querySelectorAll('.chart-graph')).every("
        "g => g.innerText.includes('Mongolia'))",
        timeout=20000,
    )
    assert p.locator(".chart-graph").count() == 6
    page.assert_clean()


def test_changing_peer_group_updates_every_chart_in_place(page):
    p = page.open("/governance", charts=6)
    p.evaluate("() => document.querySelectorAll('.js-plotly-plot').forEach(g => g.__mark = 1)")
    p.locator("#card-wgi_va details.share > summary").click()  # a menu open during the change
    page.choose("#peer-group", "South Caucasus")
    p.wait_for_function("() => location.search.includes('group=south_caucasus')", timeout=10000)
    p.wait_for_function(
        "() => Array.from(document.querySelectorAll('.chart-graph')).every("
        "g => g.innerText.includes('Georgia') && !g.innerText.includes('Tajikistan'))",
        timeout=20000,
    )
    # the same plots were updated (Plotly.react), not new ones mounted
    assert p.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g.__mark)"
    )
    # and each chart's downloads follow the new view
    links = p.locator(".chart-card .download-link")
    assert all("group=south_caucasus" in a.get_attribute("href") for a in links.all())
    # the details under each chart are drawn again from the new view (assets/cards.js): the
    # copied link and the plot's description follow it, and the open Share menu stays open
    copy = p.locator(".chart-card .share-button[data-share=link]")
    assert copy.count() == 6
    assert all("group=south_caucasus" in b.get_attribute("data-path") for b in copy.all())
    assert (
        "Peers drawn: Armenia, Azerbaijan and Georgia."
        in p.locator("#chart-alt-wgi_va").text_content()
    )
    assert p.locator("#card-wgi_va details.share").evaluate("d => d.open")
    page.assert_clean()


def test_hover_shows_crosshair_in_every_chart(page):
    p = page.open("/governance", charts=6)
    first = p.locator(".chart-graph .nsewdrag").first
    box = first.bounding_box()
    p.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
    p.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.5)
    p.wait_for_function(
        "() => document.querySelectorAll('.chart-graph .crosshair').length === 6 && "
        "Array.from(document.querySelectorAll('.chart-graph .crosshair'))"
        ".every(c => c.style.display === 'block')",
        timeout=10000,
    )
    # every chart shows that year's values in its hover label
    p.wait_for_function(
        "() => Array.from(document.querySelectorAll('.chart-graph')).filter("
        "g => g.querySelector('.hoverlayer') && g.querySelector('.hoverlayer').children.length > 0"
        ").length === 6",
        timeout=10000,
    )
    page.assert_clean()


def test_url_round_trip_reproduces_the_view(page, browser, base_url):
    path = "/corruption?focus=GEO&group=eastern_europe&agg=aggregate&from=2012&measure=rank"
    p = page.open(path, charts=1)
    first = p.inner_text(".chart-graph")
    assert "Georgia" in first and "median" in first
    again = browser.new_page()
    again.goto(p.url)
    again.wait_for_function("() => document.querySelectorAll('.chart-graph .main-svg').length >= 1")
    again.wait_for_timeout(500)
    assert again.inner_text(".chart-graph") == first
    assert again.locator("#cpi-measure input[value=rank]").is_checked()
    again.close()


def test_back_button_restores_previous_view_state(page):
    p = page.open("/corruption", charts=1)
    p.locator("#cpi-measure input[value=rank]").check()
    p.wait_for_function("() => location.search.includes('measure=rank')", timeout=10000)
    p.wait_for_function("() => document.querySelector('.chart-graph').innerText.includes('Rank')")
    p.go_back()
    p.wait_for_function("() => !location.search.includes('measure=rank')", timeout=10000)
    p.wait_for_function(
        "() => document.querySelector('#cpi-measure input[value=score]').checked", timeout=10000
    )


def test_bad_url_parameters_show_a_notice_not_an_error(page):
    p = page.open("/corruption?focus=XXX&from=abc&measure=bogus&zzz=1", charts=1)
    notice = p.inner_text("#url-notice")
    assert "Unknown country 'XXX'" in notice
    assert "from='abc'" in notice and "measure='bogus'" in notice
    assert "zzz" in notice
    assert "Kazakhstan" in p.inner_text(".chart-graph")
    page.assert_clean()


def test_phone_width_keeps_charts_readable(browser, base_url):
    from tests.browser.conftest import Page

    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = Page(context.new_page(), base_url)
    p = tab.open("/economy", charts=5)
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways at 375 px ({width} px)"
    assert p.locator(".chart-source").first.is_visible()
    tab.assert_clean()
    context.close()


def test_briefing_pack_link_shows_progress_and_downloads_zip(page, tmp_path):
    import zipfile

    p = page.open("/governance?focus=GEO", charts=6)
    p.click(".pack-bar .share summary")  # the pack is in the view's Share menu
    link = p.locator("#pack-link")
    assert "view=governance" in link.get_attribute("href")
    assert "focus=GEO" in link.get_attribute("href")
    assert link.get_attribute("title").startswith("6 charts")
    with p.expect_download(timeout=60000) as info:
        link.click()
        p.wait_for_selector("#pack-status progress", timeout=10000)
        assert "Building the briefing pack (6 charts)" in p.inner_text("#pack-status")
    download = info.value
    assert download.suggested_filename.startswith("geo-vs-central-asia")
    assert download.suggested_filename.endswith(".zip")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    names = zipfile.ZipFile(target).namelist()
    assert sum(n.endswith(".png") for n in names) == 6
    assert any(n.endswith(".pptx") for n in names)
    p.wait_for_function("() => document.querySelector('#pack-status').innerText.includes('ready')")
    page.assert_clean()


def test_embed_snippet_never_names_the_request_host(page, base_url):
    # without INDICATORS_PUBLIC_URL the snippet is relative: a Host header is never trusted
    p = page.open("/corruption", charts=1)
    p.click(".chart-embed summary")
    snippet = p.input_value(".embed-snippet")
    assert 'src="/embed/cpi' in snippet and base_url not in snippet
    assert "embed-resize.js" in snippet


def test_page_uses_the_partial_plotly_bundle_compressed(page):
    requests = []
    page.page.on("response", lambda r: requests.append((r.url, r.headers.get("content-encoding"))))
    page.open("/corruption", charts=1)
    scripts = [(u, enc) for u, enc in requests if "plotly" in u and u.split("?")[0].endswith(".js")]
    assert any("plotly-dashboard-" in u for u, _ in scripts)
    assert not any(u.split("?")[0].endswith("/plotly.min.js") for u, _ in scripts)
    assert all(enc in ("br", "zstd", "gzip", "deflate") for _, enc in scripts)


def test_clicking_a_line_highlights_that_country_in_every_chart(page):
    p = page.open("/governance?from=2012", charts=6)
    # pixel position of Kyrgyzstan's 2020 point in the first chart
    x, y = p.evaluate(
        """() => {
        const gd = document.querySelector('.chart-graph .js-plotly-plot');
        const trace = gd.data.find(t => t.meta === 'KGZ');
        const i = trace.x.indexOf(2020);
        const fl = gd._fullLayout, box = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [box.left + fl.xaxis.l2p(2020), box.top + fl.yaxis.l2p(trace.y[i])];
    }"""
    )
    p.mouse.move(x, y)
    p.mouse.click(x, y)
    p.wait_for_function("() => location.search.includes('hl=KGZ')", timeout=10000)
    p.wait_for_function(
        """() => Array.from(document.querySelectorAll('.chart-graph .js-plotly-plot')).every(gd => {
            const k = gd.data.find(t => t.meta === 'KGZ'), u = gd.data.find(t => t.meta === 'UZB');
            return k && u && k.opacity === 1 && u.opacity < 1;
        })""",
        timeout=20000,
    )
    page.assert_clean()


def test_focus_country_and_cpi_measure_can_be_changed_by_keyboard(page):
    p = page.open("/corruption", charts=1)
    p.locator("#focus-country").focus()
    p.keyboard.press("Enter")
    p.wait_for_selector(".dash-dropdown-content .dash-dropdown-option", timeout=10000)
    p.keyboard.type("Geor", delay=80)  # a loaded machine drops keys typed at full speed
    p.wait_for_function(
        "() => document.activeElement.classList.contains('dash-dropdown-search') && "
        "Array.from(document.querySelectorAll('.dash-dropdown-option'))"
        ".every(o => o.innerText.includes('Georgia'))",
        timeout=10000,
    )
    p.keyboard.press("ArrowDown")
    p.keyboard.press("Enter")
    p.wait_for_function("() => location.search.includes('focus=GEO')", timeout=10000)
    p.locator("#cpi-measure input[value=score]").focus()
    p.keyboard.press("ArrowRight")
    p.wait_for_function("() => location.search.includes('measure=rank')", timeout=10000)
    page.assert_clean()


def test_typing_a_year_and_enter_sets_the_range(page):
    p = page.open("/corruption", charts=1)
    box = p.locator("#year-range input").first
    box.fill("2005")
    box.press("Enter")
    p.wait_for_function("() => location.search.includes('from=2005')", timeout=10000)
    page.assert_clean()


def test_opening_a_table_shows_the_plotted_numbers_and_follows_the_view(page):
    p = page.open("/corruption?from=2012", charts=1)
    details = p.locator(".chart-table").first
    summary = details.locator("summary")
    count = int(summary.inner_text().split("(")[1].split()[0])
    summary.click()
    rows = details.locator("table.data-table tbody tr")
    rows.first.wait_for(timeout=10000)
    assert rows.count() == count
    assert "Kazakhstan" in details.inner_text() and "2012" in details.inner_text()
    page.choose("#focus-country", "Georgia", search="Geor")
    p.wait_for_function(
        "() => document.querySelector('.chart-table table.data-table')"
        " && document.querySelector('.chart-table').innerText.includes('Georgia')",
        timeout=20000,
    )
    # and the summary line counts the new view's rows, as the table holds them
    count = int(summary.inner_text().split("(")[1].split()[0])
    p.wait_for_function(
        f"() => document.querySelectorAll('.chart-table table.data-table tbody tr').length"
        f" === {count}",
        timeout=10000,
    )
    page.assert_clean()


def test_a_table_whose_rows_cannot_be_fetched_says_so_and_tries_again_when_reopened(page):
    p = page.open("/corruption", charts=1)
    p.route("**/table/**", lambda route: route.fulfill(status=503, body="busy"))
    details = p.locator(".chart-table").first
    details.locator("summary").click()
    note = details.locator(".table-scroll p.note")
    note.wait_for(timeout=10000)
    assert "could not be loaded (HTTP 503)" in note.inner_text()
    p.unroute("**/table/**")
    details.locator("summary").click()  # closed
    details.locator("summary").click()  # opened again: fetched again
    details.locator("table.data-table tbody tr").first.wait_for(timeout=10000)
    assert not note.count()


def test_resize_after_a_setting_change_keeps_the_new_subtitle(page):
    def subtitle():
        return page.page.evaluate(
            "() => document.querySelector('.chart-graph .js-plotly-plot').layout.title.text"
        )

    p = page.open("/corruption", charts=1)
    p.set_viewport_size({"width": 375, "height": 800})
    p.wait_for_function(
        "() => document.querySelector('.chart-graph .js-plotly-plot').layout.legend.orientation"
        " === 'h'"
    )
    page.open_settings()  # folded on the phone width
    p.click("#cpi-measure label:has-text('Rank')")
    p.wait_for_function(
        "() => document.querySelector('.chart-graph .js-plotly-plot').layout.title.text"
        ".includes('CPI rank')"
    )
    # the new figure is adapted to the phone width too, not left in the desktop layout
    p.wait_for_function(
        "() => document.querySelector('.chart-graph .js-plotly-plot').layout.legend.orientation"
        " === 'h'"
    )
    p.set_viewport_size({"width": 1440, "height": 900})
    p.wait_for_function(
        "() => document.querySelector('.chart-graph .js-plotly-plot').layout.legend.orientation"
        " === 'v'"
    )
    assert "CPI rank" in subtitle() and "CPI score" not in subtitle()
    page.assert_clean()
