"""The overview, the settings panel and the Share menus as components (no browser)."""

from dash import dcc, html

from indicators.charts.scorecard import key_facts, scorecard
from indicators.render.chart import build_chart
from indicators.view.state import ViewState, to_query
from indicators.web import layout


def walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from walk(child)


def _overview(bundle, state):
    return html.Div(
        layout.overview(scorecard(bundle, state), key_facts(bundle, state), state, bundle)
    )


def test_rows_link_to_their_chart_with_the_same_view(bundle):
    state = ViewState(focus="GEO", group="south_caucasus", year_from=2010)
    page = _overview(bundle, state)
    heads = [n for n in walk(page) if isinstance(n, html.Th) and getattr(n, "scope", "") == "row"]
    links = [h.children[0].href for h in heads]
    assert len(links) == 12
    assert "/corruption" + to_query(state) + "#card-cpi" in links
    assert "/economy" + to_query(state) + "#card-fdi" in links


def test_each_row_has_a_sparkline_named_by_its_first_and_last_values(bundle):
    state = ViewState(year_from=2012)
    page = _overview(bundle, state)
    images = [n for n in walk(page) if isinstance(n, html.Img)]
    assert len(images) == 12 and all(i.src.startswith("data:image/svg+xml,") for i in images)
    cpi = images[0].alt
    assert cpi.startswith("Trend of CPI score. Kazakhstan: 28")
    assert "in 2012 to 38" in cpi and "in 2025" in cpi and "Central Asia median:" in cpi


def test_headline_is_the_cpi_chart_of_the_view(bundle):
    state = ViewState(focus="UZB")
    page = _overview(bundle, state)
    graphs = [n for n in walk(page) if isinstance(n, dcc.Graph)]
    assert len(graphs) == 1
    assert graphs[0].figure == build_chart("cpi", bundle, state).figure
    link = next(n for n in walk(page) if getattr(n, "className", "") == "headline-link")
    assert link.children.href == "/corruption" + to_query(state) + "#card-cpi"


def test_settings_summary_says_what_is_selected(bundle):
    assert layout.settings_summary(bundle, ViewState()) == "Kazakhstan vs Central Asia, 1996–2025"
    custom = ViewState(focus="GEO", group="custom", peers=("ARM",), year_from=2012)
    assert layout.settings_summary(bundle, custom) == "Georgia vs custom peers, 2012–2025"


def test_chart_share_menu_copies_link_and_embed_and_keeps_the_downloads(bundle):
    state = ViewState(focus="UZB")
    chart = build_chart("cpi", bundle, state)
    details = html.Div(layout.chart_details(chart, state, True, "", "<iframe src='/embed/cpi'>"))
    buttons = {b.children: b for b in walk(details) if isinstance(b, html.Button)}
    assert set(buttons) == {"Copy link", "Copy embed code"}
    link = getattr(buttons["Copy link"], "data-path")
    assert link == "/corruption" + to_query(state) + "#card-cpi"
    assert getattr(buttons["Copy embed code"], "data-text") == "<iframe src='/embed/cpi'>"
    downloads = [n for n in walk(details) if getattr(n, "className", "") == "download-link"]
    assert len(downloads) == 5 and all(isinstance(a, html.A) for a in downloads)
    assert downloads[-1].href == "/export/cpi.csv" + to_query(state)
    summary = next(n for n in walk(details) if isinstance(n, html.Summary))
    assert getattr(summary, "aria-label") == f"Share the chart {chart.title}"
    assert any(getattr(n, "role", None) == "status" for n in walk(details))
    hidden = {n.id: n.children for n in walk(details) if isinstance(n, html.P) and hasattr(n, "id")}
    assert hidden == {"chart-name-cpi": chart.title, "chart-alt-cpi": chart.alt_text}


def test_shell_has_a_settings_panel_and_a_view_share_menu(bundle, monkeypatch):
    monkeypatch.setenv("INDICATORS_PUBLIC_URL", "https://indicators.example.org/")
    shell = layout.shell(bundle)
    assert getattr(shell, "data-public-url") == "https://indicators.example.org"
    nodes = {getattr(n, "id", None): n for n in walk(shell)}
    assert isinstance(nodes["settings"], html.Details)
    assert "controls" in [getattr(n, "className", "") for n in walk(nodes["settings"])]
    share = next(n for n in walk(shell) if getattr(n, "className", "") == "share")
    assert "pack-link" in [getattr(n, "id", None) for n in walk(share)]
