"""Export, pack and embed routes on a bare Flask app (and the Dash server when it builds).

The browser test at the end loads the embed page inside an iframe in headless Chromium.
"""

from __future__ import annotations

import html
import io
import threading
import zipfile

import flask
import pytest
from PIL import Image

from indicators.exports import ExportUnavailable, files, pack, start_server
from indicators.exports import browser as browser_mod
from indicators.exports import render as render_mod
from indicators.render.chart import build_chart
from indicators.view.state import ViewState, to_query
from indicators.web import routes
from indicators.web.store import DataStore

from .conftest import DATA_DIR

NO_BROWSER = "Image export is unavailable: no Chromium or Chrome was found (test)."
PUBLIC_URL = "https://indicators.example.org"


@pytest.fixture(autouse=True)
def public_url(monkeypatch):
    """Links come from INDICATORS_PUBLIC_URL (indicators.web.links), read on each request."""
    monkeypatch.setenv("INDICATORS_PUBLIC_URL", PUBLIC_URL)


def make_app() -> flask.Flask:
    app = flask.Flask("embed-test")
    routes.register_routes(app, DataStore(DATA_DIR))

    @app.get("/")
    def home():
        return "main app"

    @app.get("/parent")
    def parent():
        snippet = routes.embed_snippet("cpi", ViewState(), "")  # same server: relative
        return (
            '<!doctype html><html><head><link rel="icon" href="data:,"></head>'
            f'<body><div style="width:720px">{snippet}</div></body></html>'
        )

    return app


@pytest.fixture(scope="module")
def client():
    return make_app().test_client()


@pytest.fixture(scope="module")
def server():
    start_server()


# --- framing headers -----------------------------------------------------------------------------


def test_embed_page_has_source_line_and_may_be_framed_anywhere(client, bundle):
    response = client.get("/embed/cpi?focus=UZB&from=2012")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    state = ViewState(view="corruption", focus="UZB", year_from=2012)
    chart = build_chart("cpi", bundle, state)
    assert f'<p class="source-line">{html.escape(chart.source)}</p>' in page
    link = files.permalink(state, PUBLIC_URL)  # https://indicators.example.org/corruption?...
    assert link.startswith(f"{PUBLIC_URL}/corruption?focus=UZB") and "from=2012" in link
    assert f'<link rel="canonical" href="{html.escape(link)}">' in page
    assert html.escape(chart.alt_text) in page
    assert "X-Frame-Options" not in response.headers
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp
    assert "script-src 'self'" in csp and "connect-src 'none'" in csp


def test_embed_page_loads_nothing_from_elsewhere(client):
    page = client.get("/embed/wgi_cc").get_data(as_text=True)
    sources = [s.split('"')[0] for s in page.split('src="')[1:]]
    version = routes.PLOTLY_VERSION
    assert sources == [f"plotly.min.js?v={version}", f"embed.js?v={version}"]
    assert "cdn" not in page.lower()
    assert '"displaylogo":false' in page and '"showSendToCloud":false' in page


def test_main_app_paths_must_not_be_framed(client):
    for path in ("/", "/export/cpi.csv", "/nowhere"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_existing_csp_keeps_its_directives():
    app = flask.Flask("csp")
    routes.register_routes(app, DataStore(DATA_DIR))

    @app.get("/x")
    def x():
        return flask.Response("x", headers={"Content-Security-Policy": "default-src 'self'"})

    csp = app.test_client().get("/x").headers["Content-Security-Policy"]
    assert csp == "default-src 'self'; frame-ancestors 'none'"


def test_embed_with_bad_query_still_renders(client):
    response = client.get("/embed/cpi?focus=XXX&from=abc&group=nope&measure=zzz")
    assert response.status_code == 200
    assert "Corruption Perceptions Index" in response.get_data(as_text=True)


def test_unknown_embed_chart_is_a_short_404(client):
    response = client.get("/embed/nope")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert "Unknown chart 'nope'" in response.get_data(as_text=True)


def test_snippet_has_iframe_and_resize_script():
    state = ViewState(focus="UZB")
    snippet = routes.embed_snippet("wgi_va", state, "https://x.org/")
    assert to_query(state).startswith("?focus=UZB")
    assert f'<iframe src="https://x.org/embed/wgi_va{html.escape(to_query(state))}"' in snippet
    assert 'title="WGI VA"' in snippet
    assert '<script src="https://x.org/embed/embed-resize.js" async></script>' in snippet


# --- static files ----------------------------------------------------------------------------


def test_plotly_js_is_served_locally_compressed_and_cached(client):
    url = f"/embed/plotly.min.js?v={routes.PLOTLY_VERSION}"
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert len(response.data) < 2_000_000
    etag = response.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    plain = client.get("/embed/plotly.min.js")
    assert plain.data.startswith(b"/**") or b"plotly" in plain.data[:2000].lower()
    assert "Content-Encoding" not in plain.headers


def test_resize_script_and_fonts_are_served(client):
    js = client.get("/embed/embed-resize.js")
    assert js.status_code == 200 and routes.EMBED_MESSAGE.encode() in js.data
    assert client.get("/embed/embed.js").status_code == 200
    assert client.get("/embed/fonts/Inter-Regular.otf").status_code == 200
    assert client.get("/embed/fonts/passwd").status_code == 404


# --- export routes ---------------------------------------------------------------------------


def test_csv_download_is_an_attachment_with_the_logical_name(client, bundle):
    response = client.get("/export/cpi.csv?from=2012&measure=rank")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    state = ViewState(view="corruption", year_from=2012, cpi_measure="rank")
    assert (
        'filename="kaz-vs-central-asia-cpi-rank-2012-2025.csv"'
        in (response.headers["Content-Disposition"])
    )
    assert response.get_data(as_text=True) == files.chart_csv(bundle, state, "cpi")


def test_png_download_has_preset_size_and_permalink(client, server):
    response = client.get("/export/wgi_cc.png?focus=UZB&preset=square")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="uzb-vs-central-asia-wgi-cc-percentile-1996-2023-square.png"'
    )
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (1080, 1080)
    link = files.chart_permalink(ViewState(focus="UZB"), "wgi_cc", PUBLIC_URL)
    assert link.startswith(f"{PUBLIC_URL}/governance?focus=UZB")
    assert image.text["URL"] == link


def test_svg_download(client, server):
    response = client.get("/export/fdi.svg?fdi=usd")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"World Bank, WDI" in response.data


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/export/nope.png", 404, "Unknown chart 'nope'"),
        ("/export/cpi.gif", 404, "Unknown format 'gif'"),
        ("/export/cpi", 404, "Use /export/<chart>.<png|svg|csv>"),
        ("/export/cpi.png?preset=huge", 400, "Unknown preset 'huge'"),
    ],
)
def test_bad_export_requests_get_short_plain_text(client, path, status, text):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert text in body
    assert "Traceback" not in body


def test_missing_browser_gives_503_with_install_message(client, monkeypatch, tmp_path):
    # No browser anywhere, as on a machine without Chromium (the shared server lives on).
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(browser_mod, "FALLBACK_PATHS", ())
    monkeypatch.setattr(render_mod._Server, "started", False)
    monkeypatch.setattr(render_mod, "start_server", pytest.fail)
    for path in ("/export/cpi.png", "/export/cpi.svg", "/pack.zip?view=corruption"):
        response = client.get(path)
        assert response.status_code == 503, path
        body = response.get_data(as_text=True)
        assert "no Chromium or Chrome was found" in body
        assert "sudo apt-get install chromium" in body
    assert client.get("/export/cpi.csv").status_code == 200  # CSV needs no browser


def test_browser_failing_during_render_gives_503(client, monkeypatch):
    monkeypatch.setattr(routes, "export_available", lambda: (True, "ok"))

    def unavailable(*args, **kwargs):
        raise ExportUnavailable(NO_BROWSER)

    monkeypatch.setattr(files, "chart_export", unavailable)
    response = client.get("/export/cpi.png")
    assert response.status_code == 503
    assert NO_BROWSER in response.get_data(as_text=True)


def test_unexpected_error_is_a_plain_500_without_traceback(client, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("internal detail")

    monkeypatch.setattr(files, "chart_export", broken)
    response = client.get("/export/cpi.csv")
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert "internal detail" not in response.get_data(as_text=True)


# --- pack route ------------------------------------------------------------------------------


def test_pack_route_returns_the_zip(client, server):
    response = client.get("/pack.zip?view=corruption&focus=KGZ&utm_source=x")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    name = "kgz-vs-central-asia-corruption-1996-2025-briefing"
    assert f'filename="{name}.zip"' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert f"{name}/{name}.pptx" in archive.namelist()
    readme = archive.read(f"{name}/README.md").decode()
    # the notice comes from the link, so it is written as literal Markdown (\_ shows as _)
    assert "Ignored unknown URL parameter 'utm\\_source'" in readme


def test_pack_route_is_429_when_busy(client, monkeypatch):
    slots = threading.BoundedSemaphore(1)
    slots.acquire()
    monkeypatch.setattr(pack, "_slots", slots)
    monkeypatch.setattr(pack, "BUSY_WAIT", 0.05)
    monkeypatch.setattr(routes, "export_available", lambda: (True, "ok"))
    response = client.get("/pack.zip?view=governance")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(routes.PACK_RETRY_AFTER_S)
    assert "try again" in response.get_data(as_text=True)


# --- the Dash server, when the app builds -------------------------------------------------------


def test_dash_app_pages_are_not_framable_and_embeds_are():
    try:
        from indicators.web.app import create_app

        app = create_app(DATA_DIR, export_status=lambda: (True, "ok"))
    except Exception as exc:  # the app is assembled by other modules
        pytest.skip(f"Dash app not available: {exc}")
    test = app.server.test_client()
    home = test.get("/")
    assert home.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    embed = test.get("/embed/cpi")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]


# --- real browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_url():
    from werkzeug.serving import make_server

    http = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.mark.browser
def test_embed_renders_inside_an_iframe_and_resizes_it(live_url, browser):
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        errors: list[str] = []
        foreign: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "request",
            lambda r: None if r.url.startswith((live_url, "data:")) else foreign.append(r.url),
        )
        page.goto(f"{live_url}/parent")
        frame = page.frame_locator("iframe")
        frame.locator(".main-svg").first.wait_for(timeout=20_000)
        source = frame.locator(".source-line").inner_text()
        assert "Source: Transparency International" in source
        page.wait_for_function(
            "() => document.querySelector('iframe').style.height !== '560px'", timeout=10_000
        )
        height = page.locator("iframe").evaluate("e => e.getBoundingClientRect().height")
        content = frame.locator("#embed").evaluate("e => e.getBoundingClientRect().height")
        assert abs(height - content) <= 2
        assert errors == []
        assert foreign == []
    finally:
        page.close()


def test_dropped_link_settings_are_reported_by_embed_and_export(client):
    page = client.get("/embed/cpi?focus=XXX")
    assert page.status_code == 200
    assert "Unknown country &#x27;XXX&#x27;" in page.get_data(as_text=True)
    csv = client.get("/export/cpi.csv?focus=XXX")
    assert csv.status_code == 200 and "XXX" in csv.headers["X-View-Notice"]
