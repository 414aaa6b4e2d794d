"""The overview, the settings panel and the Share menus as components (no browser)."""

import json

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


def test_chart_details_hold_the_share_links_embed_downloads_and_accessible_texts(bundle):
    state = ViewState(focus="UZB")
    chart = build_chart("cpi", bundle, state)
    snippet = '<iframe src="/embed/cpi">'
    box = layout.details_box("cpi", layout.chart_details(chart, state, True, "", snippet))
    assert box.id == {"type": "chart-details", "chart": "cpi"}
    d = json.loads(getattr(box, "data-details"))
    assert d["copies"] == [
        ["Copy link", "link", "", "/corruption" + to_query(state) + "#card-cpi"],
        ["Copy embed code", "embed", snippet, ""],
    ]
    assert len(d["downloads"]) == 5
    assert d["downloads"][-1] == ["CSV", "/export/cpi.csv" + to_query(state)]
    assert d["share"] == f"Share the chart {chart.title}" and d["snippet"] == snippet
    assert (d["title"], d["alt"]) == (chart.title, chart.alt_text)
    assert d["source"] == chart.source and d["citations"] == list(chart.citations)
    assert [n for n, _ in d["events"]] == [e.number for e in chart.events]
    assert d["embedNote"] == layout.RELATIVE_EMBED  # a relative embed says how to complete it
    # with exports unavailable: the CSV only, and why
    d = json.loads(layout.chart_details(chart, state, False, "Images are paused.", snippet))
    assert [label for label, _ in d["downloads"]] == ["CSV"]
    assert d["unavailable"] == "Images are paused."


def test_shell_has_a_settings_panel_and_a_view_share_menu(bundle, monkeypatch):
    monkeypatch.setenv("INDICATORS_PUBLIC_URL", "https://indicators.example.org/")
    shell = layout.shell(bundle)
    assert getattr(shell, "data-public-url") == "https://indicators.example.org"
    nodes = {getattr(n, "id", None): n for n in walk(shell)}
    assert isinstance(nodes["settings"], html.Details)
    assert "controls" in [getattr(n, "className", "") for n in walk(nodes["settings"])]
    share = next(n for n in walk(shell) if getattr(n, "className", "") == "share")
    assert "pack-link" in [getattr(n, "id", None) for n in walk(share)]
