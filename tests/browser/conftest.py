"""Real browser tests: the app served in-process, driven by Playwright in Debian's Chromium."""

import threading

import pytest
from werkzeug.serving import make_server

from indicators.web.app import create_app


@pytest.fixture(scope="session")
def base_url():
    app = create_app()
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class Page:
    """A page that records console errors and any request leaving 127.0.0.1."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request):
        url = request.url
        if not (
            url.startswith(self.base_url) or url.startswith("data:") or url.startswith("blob:")
        ):
            self.external.append(url)

    def open(self, path: str, charts: int | None = None):
        self.page.goto(self.base_url + path)
        self.page.wait_for_selector("#view-content > *", timeout=20000)
        if charts:
            self.wait_for_charts(charts)
        return self.page

    def wait_for_charts(self, count: int):
        self.page.wait_for_function(
            f"() => document.querySelectorAll('.chart-graph .main-svg').length >= {count}",
            timeout=30000,
        )

    def choose(self, dropdown: str, option: str, search: str | None = None):
        """Open a dropdown, optionally filter it, and click an option once it is listed."""
        self.page.click(dropdown)
        panel = self.page.locator(".dash-dropdown-content")
        panel.wait_for(state="visible", timeout=10000)
        if search:
            panel.locator(".dash-dropdown-search-container input").fill(search)
        target = panel.locator(".dash-dropdown-option", has_text=option).first
        target.wait_for(state="visible", timeout=10000)
        target.click()

    def open_settings(self):
        """Unfold the settings panel (folded on phones) unless it is open."""
        if not self.page.locator("#settings").evaluate("d => d.open"):
            self.page.click("#settings > summary")
        self.page.locator("#settings .controls").wait_for(state="visible", timeout=10000)

    def assert_clean(self):
        assert self.errors == [], self.errors
        assert self.external == [], self.external


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = Page(context.new_page(), base_url)
    yield tab
    context.close()
