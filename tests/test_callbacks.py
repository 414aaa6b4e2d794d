import json

from dash import no_update

from indicators.web.app import create_app
from indicators.web.callbacks import (
    CONTROLS,
    UPDATED,
    chart_updates,
    keeps_charts,
    placed,
    render_view,
    sync_url,
    years_from_relayout,
)
from indicators.web.store import DataStore


def test_create_app_builds_a_fresh_app_with_server():
    app = create_app(export_status=lambda: (True, ""))
    assert app.server is not None
    response = app.server.test_client().get("/")
    assert response.status_code == 200


def test_url_drives_controls_and_reports_notices(bundle):
    out = sync_url(bundle, None, "/corruption", "?focus=UZB&measure=rank&bad=1", [None] * 10)
    search, focus, *_rest, notice = out
    assert focus == "UZB"
    assert out[1 + [c for c, _ in CONTROLS].index("cpi-measure")] == "rank"
    # unknown parameter dropped; focus and group always written, so the link keeps its meaning
    assert search == "?focus=UZB&group=central_asia&measure=rank"
    assert notice


def test_controls_drive_url(bundle):
    by_id = {
        "focus-country": "GEO",
        "peer-group": "south_caucasus",
        "custom-peers": [],
        "peer-mode": "lines",
        "year-range": [2000, 2020],
        "show-events": ["on"],
        "event-types": [],
        "cpi-measure": "score",
        "wgi-mode": "level",
        "fdi-unit": "pct",
    }
    values = [by_id.get(c) for c, _ in CONTROLS]
    out = sync_url(bundle, "focus-country", "/governance", "", values)
    assert out[0] == "?focus=GEO&group=south_caucasus&from=2000&to=2020"
    assert all(v is no_update for v in out[1:-1])


def test_render_view_for_each_page(bundle):
    for path, needle in (
        ("/", "Overview"),
        ("/corruption", "Corruption"),
        ("/governance", "Governance"),
        ("/economy", "Business"),
    ):
        content, *links, _status = render_view(bundle, path, "?focus=ARM", (True, ""), [])
        hrefs, classes = links[:4], links[4:]
        assert classes.count("nav-link active") == 1
        assert needle in str(content)
        assert all(h.endswith("?focus=ARM&group=central_asia") for h in hrefs)


def test_render_view_without_export_shows_message(bundle):
    content, *_ = render_view(bundle, "/corruption", "", (False, "No Chromium found"), [])
    assert "No Chromium found" in str(content)


def test_zoom_sets_year_range():
    assert years_from_relayout(
        {"xaxis.range[0]": 2004.3, "xaxis.range[1]": 2015.8}, [1996, 2025]
    ) == [2005, 2015]
    assert years_from_relayout({"xaxis.range": [1980, 2030]}, [2000, 2010]) == [1990, 2025]
    assert years_from_relayout({"autosize": True}, [1996, 2025]) is None
    assert years_from_relayout({"xaxis.autorange": True}, [2000, 2010]) == [1996, 2025]


def test_broken_yaml_edit_keeps_last_good_data(tmp_path):
    import shutil

    from tests.conftest import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    store = DataStore(data, check_interval=0)
    good = store.current()
    cpi = data / "cpi.yaml"
    cpi.write_text(cpi.read_text().replace("      2013: 26\n", "      2013: [26\n", 1))
    assert store.current() is good
    assert store.errors and "cpi.yaml" in str(store.errors[0])
    cpi.write_text((DATA_DIR / "cpi.yaml").read_text())
    assert store.current() is not good and store.errors == []


def test_choosing_a_large_group_switches_to_median_and_range(bundle):
    values = ["KAZ", "oecd", [], "lines", [1996, 2025], ["on"], "score", "level", "pct", None]
    out = sync_url(bundle, "peer-group", "/corruption", "", values)
    assert "agg=aggregate" in out[0] and "group=oecd" in out[0]
    assert out[4] == "aggregate"  # the peer-mode control follows
    assert "median" in str(out[-1])


def test_a_query_change_on_the_same_chart_view_updates_charts_in_place():
    assert keeps_charts({"url.search"}, "governance", "governance")
    assert not keeps_charts({"url.pathname", "url.search"}, "governance", "economy")
    assert not keeps_charts({"url.search"}, "economy", "governance")  # page shows other charts
    assert not keeps_charts({"url.search"}, "overview", "overview")  # no charts to keep
    assert not keeps_charts({"url.search"}, None, "governance")  # first render


def test_chart_updates_match_the_charts_on_the_page_and_their_new_state(bundle):
    ids = ("wgi_va", "wgi_pv", "wgi_ge", "wgi_rq", "wgi_rl", "wgi_cc")
    out = chart_updates(bundle, "/governance", "?group=south_caucasus", (True, ""), "", ids)
    assert len(out) == len(UPDATED) and all(len(each) == 6 for each in out)
    got = dict(zip(UPDATED, out, strict=True))
    summary = json.loads(got["chart-summary", "data-summary"][0])
    assert summary["csv"] == "/export/wgi_va.summary.csv?focus=KAZ&group=south_caucasus"
    table = json.loads(got["chart-table", "data-table"][0])
    assert table["rows"] == "/table/wgi_va.json?focus=KAZ&group=south_caucasus"
    rows = create_app(export_status=lambda: (True, "")).server.test_client().get(table["rows"])
    assert rows.status_code == 200 and rows.headers["Cache-Control"] == "no-cache"
    cells = rows.get_json()["rows"]
    assert table["summary"] == f"Table ({len(cells)} values)"
    assert {"Armenia", "Georgia"} <= {row[0] for row in cells}
    for figure in got["chart-graph", "figure"]:
        metas = {t.get("meta") for t in figure["data"]}
        assert {"ARM", "AZE", "GEO"} <= metas and "TJK" not in metas
    assert all(s["height"].endswith("px") for s in got["chart-graph", "style"])
    assert "group=south_caucasus" in got["chart-details", "data-details"][0]
    # the page holds another view's charts (or none): nothing to update in place
    assert chart_updates(bundle, "/economy", "", (True, ""), "", ids) is None
    assert chart_updates(bundle, "/overview", "", (True, ""), "", ()) is None


def _outputs(ids, missing=()):
    """Dash's outputs_list for UPDATED on a page with these charts (minus `missing` outputs)."""
    return [
        [
            {"id": {"type": kind, "chart": c}, "property": prop}
            for c in ids
            if (kind, c) not in missing
        ]
        for kind, prop in UPDATED
    ]


def test_placed_gives_each_component_on_the_page_its_value_and_none_to_those_it_lacks(bundle):
    ids = ["cpi"]
    peers = chart_updates(bundle, "/corruption", "?group=south_caucasus", (True, ""), "", ids)
    assert placed(peers, ids, _outputs(ids)) == [[v[0]] for v in peers]
    # a card without a component (the map has no summary) gets no value for it
    at = {o: UPDATED.index(o) for o in UPDATED}
    sent = placed(peers, ids, _outputs(ids, {("chart-summary", "cpi")}))
    assert sent[at["chart-summary", "data-summary"]] == []
    assert sent[at["chart-graph", "figure"]] == peers[at["chart-graph", "figure"]]
    # the map's outputs: its own components only, and none for a summary it does not have
    out = chart_updates(bundle, "/map", "", (True, ""), "", ["map"])
    sent = placed(out, ["map"], _outputs(["map"], {("chart-summary", "map")}))
    assert sent[at["chart-summary", "data-summary"]] == [] and sent[at["chart-graph", "figure"]][0]
    # a value that the page asks for but the view does not have is left alone
    assert placed(out, ["map"], _outputs(["map"]))[at["chart-summary", "data-summary"]] == [
        no_update
    ]


def test_running_app_serves_a_valid_edit_and_keeps_data_through_a_broken_one(
    tmp_path, monkeypatch, caplog
):
    import logging
    import shutil

    from benchmarks.serve import render_view_body, render_view_dependency
    from indicators.web import store as store_mod
    from tests.conftest import DATA_DIR

    monkeypatch.setattr(store_mod, "CHECK_INTERVAL_S", 0)
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    client = create_app(data, export_status=lambda: (True, "")).server.test_client()
    dep = render_view_dependency(client.get("/_dash-dependencies").get_json())

    def overview() -> str:
        body = render_view_body(dep, "/overview", "?from=2012")
        response = client.post("/_dash-update-component", data=body, headers=JSON)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "CPI score was 28 in 2012" in overview()
    cpi = data / "cpi.yaml"
    good = cpi.read_text()
    assert "      2012: 28\n" in good
    cpi.write_text(good.replace("      2012: 28\n", "      2012: 27\n", 1))
    assert "CPI score was 27 in 2012" in overview()  # no restart needed
    with caplog.at_level(logging.ERROR, logger="indicators.web.store"):
        cpi.write_text(good.replace("      2012: 28\n", "      2012: 280\n", 1))
        page = overview()
    assert "CPI score was 27 in 2012" in page  # the last valid data, not half of the new
    assert "cpi.yaml:" in page and "out of range" in page  # the located error in the banner
    assert "cpi.yaml:" in caplog.text and "last valid data" in caplog.text


JSON = {"Content-Type": "application/json"}


def test_views_are_cached_as_exactly_the_json_dash_would_send(bundle):
    import json

    from dash.development.base_component import Component

    from indicators.web.viewcache import plain

    def dash_json(value):
        if isinstance(value, Component):
            out = value.to_plotly_json()
            out["props"] = {k: dash_json(v) for k, v in out["props"].items()}
            return out
        if isinstance(value, list | tuple):
            return [dash_json(v) for v in value]
        return value

    for view in ("/overview", "/governance", "/map"):
        out = render_view(bundle, view, "?group=south_caucasus", (True, ""), [], "")
        assert json.dumps(plain(out), sort_keys=True) == json.dumps(dash_json(out), sort_keys=True)


def test_table_rows_route_answers_unknown_charts_and_bad_settings_without_errors():
    client = create_app(export_status=lambda: (True, "")).server.test_client()
    assert client.get("/table/nope.json").status_code == 404
    bad = client.get("/table/cpi.json?group=%00&from=abc&focus=ZZZ&" + "x=1&" * 200)
    assert bad.status_code == 200 and bad.get_json()["rows"]  # bad settings dropped
    world = client.get("/table/map.json").get_json()
    assert world["header"][0] == "Place" and len(world["rows"]) > 100
