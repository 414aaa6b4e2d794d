import gzip
from pathlib import Path

import brotli
import pytest

from indicators.web.app import create_app
from indicators.web.static import choose_encoding

ROOT = Path(__file__).resolve().parents[1]
PLOTLY = "/assets/vendor/plotly-dashboard-4.1.1.min.js"


@pytest.fixture(scope="module")
def app():
    return create_app(export_status=lambda: (False, "no browser in this test"))


@pytest.fixture
def client(app):
    return app.server.test_client()


def test_plotly_bundle_is_served_as_brotli_that_decodes_to_the_file(client):
    original = (ROOT / PLOTLY.lstrip("/")).read_bytes()
    response = client.get(PLOTLY + "?m=1", headers={"Accept-Encoding": "gzip, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == original
    assert len(response.data) < len(original) / 3
    assert "immutable" in response.headers["Cache-Control"]
    assert "Accept-Encoding" in response.headers["Vary"]


def test_strongest_compression_replaces_the_fast_one_once_ready(app, client):
    headers = {"Accept-Encoding": "br"}
    first = client.get(PLOTLY, headers=headers).data
    app.server.extensions["compressed_static"].wait()
    second = client.get(PLOTLY, headers=headers).data
    assert len(second) <= len(first)
    assert brotli.decompress(second) == brotli.decompress(first)


def test_gzip_only_clients_get_gzip_and_others_the_plain_file(client):
    original = (ROOT / "assets" / "style.css").read_bytes()
    zipped = client.get("/assets/style.css", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == original
    plain = client.get("/assets/style.css", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.data == original


def test_dash_component_scripts_are_compressed_too(client):
    html = client.get("/").get_data(as_text=True)
    start = html.index("/_dash-component-suites/dash/dash-renderer/")
    url = html[start : html.index('"', start)]
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert b"DashRenderer" in brotli.decompress(response.data)


def test_pages_are_left_to_flask_compress_and_fonts_are_woff2(client):
    response = client.get("/", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    css = client.get("/assets/fonts/fonts.css").get_data(as_text=True)
    assert ".woff2" in css and ".otf" not in css
    font = client.get(
        "/assets/webfonts/Inter-Regular-latin.woff2", headers={"Accept-Encoding": "br"}
    )
    assert font.status_code == 200
    assert "Content-Encoding" not in font.headers  # WOFF2 is compressed already


@pytest.mark.parametrize(
    "header, expected",
    [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_choose_encoding_prefers_brotli_and_respects_q_zero(header, expected):
    assert choose_encoding(header) == expected
