"""Browser tests against an app made for the test: a data file edited while the dashboard is
open (the located error shows without a click, the last valid data stays, the banner clears once
fixed), and briefing-pack builders that are busy (the page waits and tries again)."""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from indicators.data.loading import DATA_DIR
from indicators.web import layout
from indicators.web.app import create_app


@pytest.fixture
def edited(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    monkeypatch.setattr(layout, "DATA_CHECK_MS", 500)
    app = create_app(data, export_status=lambda: (False, "no images in this test"))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield data, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_broken_edit_shows_located_banner_without_a_click_and_clears_when_fixed(browser, edited):
    data, base = edited
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/corruption")
        page.wait_for_function(
            "() => document.querySelectorAll('.chart-graph .main-svg').length >= 1",
            timeout=30000,
        )
        cpi = data / "cpi.yaml"
        good = cpi.read_text(encoding="utf-8")
        cpi.write_text(good.replace("      2012: 28\n", "      2012: 280\n", 1), encoding="utf-8")
        page.wait_for_function(
            "() => document.querySelector('#data-status').innerText.includes('cpi.yaml:')",
            timeout=15000,
        )
        banner = page.inner_text("#data-status")
        assert "last valid data" in banner and "out of range" in banner
        assert "Kazakhstan" in page.inner_text(".chart-graph")  # still drawn from valid data
        cpi.write_text(good, encoding="utf-8")
        page.wait_for_function(
            "() => document.querySelector('#data-status').innerText.trim() === ''",
            timeout=15000,
        )
        assert errors == []
    finally:
        context.close()


def test_pack_link_waits_when_builders_are_busy_then_downloads(browser, monkeypatch, tmp_path):
    import io
    import zipfile

    from indicators.exports import pack
    from indicators.web import routes

    calls = []

    def busy_once(bundle, state, base_url=None, **kwargs):
        calls.append(state.view)
        if len(calls) == 1:
            raise pack.PackBusy("Two briefing packs are being built; try again shortly.")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("README.md", "pack")
        return out.getvalue()

    monkeypatch.setattr(pack, "build_pack", busy_once)
    monkeypatch.setattr(routes, "PACK_RETRY_AFTER_S", 1)
    app = create_app(DATA_DIR, export_status=lambda: (True, "test"))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/corruption")
        page.wait_for_function(
            "() => document.querySelectorAll('.chart-graph .main-svg').length >= 1",
            timeout=30000,
        )
        page.click(".pack-bar .share > summary")  # the pack is in the view's Share menu
        with page.expect_download(timeout=30000) as info:
            page.click("#pack-link")
            page.wait_for_function(
                "() => document.querySelector('#pack-status').innerText.includes('busy')",
                timeout=10000,
            )
        assert info.value.suggested_filename.endswith(".zip")
        assert calls == ["corruption", "corruption"]
        page.wait_for_function(
            "() => document.querySelector('#pack-status').innerText.includes('ready')"
        )
    finally:
        context.close()
        server.shutdown()
