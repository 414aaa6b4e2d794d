"""assets/downloads.js and assets/pack.js in Chromium: a full export queue (429 with
Retry-After) is shown as such, counted down and tried again, saying which attempt it is (the
queue keeps places for clients coming back), and the file then downloads."""

from __future__ import annotations

import threading
from pathlib import Path

import flask
import pytest
from werkzeug.serving import make_server

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(scope="module")
def queue_server():
    """A page with a download link and a pack link; each file answers 429 (Retry-After: 1)
    the first time it is asked for, then the file; ``asked`` records each request's
    X-Export-Attempt."""
    app = flask.Flask("download-queue")
    asked: dict[str, list] = {}

    @app.get("/")
    def page():
        return (
            '<!doctype html><html><head><link rel="icon" href="data:,"></head><body>'
            '<div class="downloads"><a class="download-link" download="" '
            'href="/export/cpi.png?preset=wide">PNG 1600×900</a></div>'
            '<a id="pack-link" href="/pack.zip?view=economy" title="6 charts">Pack</a>'
            '<span id="pack-status" role="status"></span>'
            '<script src="/assets/downloads.js"></script><script src="/assets/pack.js"></script>'
            "</body></html>"
        )

    @app.get("/assets/<name>")
    def asset(name):
        return flask.send_from_directory(ASSETS, name)

    def once_busy(key: str, body: bytes, mimetype: str, filename: str):
        asked.setdefault(key, []).append(flask.request.headers.get("X-Export-Attempt"))
        if len(asked[key]) == 1:
            return flask.Response("The export queue is full.", 429, {"Retry-After": "1"})
        response = flask.Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @app.get("/export/cpi.png")
    def png():
        return once_busy("png", PNG, "image/png", "kaz-cpi.png")

    @app.get("/pack.zip")
    def pack():
        return once_busy("pack", b"PK\x05\x06" + b"\x00" * 18, "application/zip", "pack.zip")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()


def test_full_queue_is_shown_counted_down_and_retried(browser, queue_server):
    url, asked = queue_server
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(url)
        with page.expect_download(timeout=15000) as download:
            page.click("a.download-link")
            status = page.locator(".download-status")
            status.filter(has_text="export queue is full").wait_for(timeout=5000)
        assert download.value.suggested_filename == "kaz-cpi.png"
        assert "downloaded: kaz-cpi.png" in status.inner_text()
        assert asked["png"] == [None, "2"]

        with page.expect_download(timeout=15000) as download:
            page.click("#pack-link")
            pack_status = page.locator("#pack-status")
            pack_status.filter(has_text="export queue is full").wait_for(timeout=5000)
        assert download.value.suggested_filename == "pack.zip"
        assert asked["pack"] == [None, "2"]
    finally:
        page.close()
