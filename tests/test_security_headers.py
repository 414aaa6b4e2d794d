"""Security headers, plain-text errors and debug mode of the dashboard's server."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading

import pytest

from benchmarks.serve import split_output
from indicators.web import security
from indicators.web.app import create_app
from indicators.web.routes import EMBED_CSP

from .conftest import DATA_DIR, ROOT

APP_PATHS = ("/", "/corruption?focus=UZB", "/_dash-layout", "/assets/style.css", "/export/cpi.csv")
EMBED_PATHS = ("/embed/cpi", "/embed/embed.js", "/embed/plotly.min.js")


def images_off():
    return False, "Image export is off in this test."


@pytest.fixture(scope="module")
def app():
    return create_app(DATA_DIR, export_status=images_off)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def callback_body(client, output_prefix="view-content"):
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].lstrip(".").startswith(output_prefix))
    return {
        "output": dep["output"],
        "outputs": split_output(dep["output"]),
        "inputs": [
            {"id": "url", "property": "pathname", "value": "/corruption"},
            {"id": "url", "property": "search", "value": ""},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [{**d, "value": None} for d in dep["state"]],
    }


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", APP_PATHS + EMBED_PATHS + ("/no-such-file.css", "/embed/nope"))
def test_every_response_is_nosniff_with_a_referrer_policy_and_a_csp(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in (
        security.APP_REFERRER_POLICY,
        security.EMBED_REFERRER_POLICY,
    )
    csp = directives(response.headers["Content-Security-Policy"])
    assert "default-src" in csp and "frame-ancestors" in csp


@pytest.mark.parametrize("path", APP_PATHS)
def test_the_app_may_not_be_framed(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embeds_may_be_framed_by_any_site(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["*"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_embed_page_keeps_its_own_strict_policy(client):
    csp = client.get("/embed/cpi").headers["Content-Security-Policy"]
    assert directives(csp)["default-src"] == ["'none'"]
    assert directives(csp)["script-src"] == ["'self'"]
    assert csp == EMBED_CSP


def test_app_policy_allows_exactly_the_inline_scripts_of_the_page(client):
    response = client.get("/")
    page = re.sub(r"<!--.*?-->", "", response.get_data(as_text=True), flags=re.S)  # [if IE]
    csp = directives(response.headers["Content-Security-Policy"])
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert inline, "Dash's renderer starter is an inline script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # plotly.js sets inline styles
    assert csp["connect-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert not any("http" in v or v == "*" for values in csp.values() for v in values)


def test_policy_allows_no_eval_and_names_the_inline_starter_by_hash(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    assert "'sha256-" in csp


def test_callback_responses_carry_the_headers(client):
    response = client.post("/_dash-update-component", json=callback_body(client))
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path,status",
    [
        ("GET", "/_dash-component-suites/dash/no-such.js", 404),
        ("GET", "/_dash-component-suites/no_such_package/x.js", 404),
        ("GET", "/assets/no-such-file.css", 404),
        ("GET", "/embed/fonts/app.py", 404),
        ("POST", "/", 405),
        ("PUT", "/_dash-update-component", 405),
        ("POST", "/_dash-update-component", 400),
    ],
)
def test_errors_are_short_plain_text(client, method, path, status):
    response = client.open(path, method=method, data=b"{", content_type="application/json")
    assert response.status_code == status
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert len(body) < 200
    for private in ("Traceback", 'File "', str(ROOT), "site-packages", "<html"):
        assert private not in body


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VIEWS = ("/", "/overview", "/corruption", "/governance", "/economy", "/governance/")
UNKNOWN = ("/nope", "/overview/extra", "/corruptionx", "/wp-login.php", "/.env", "/static/x.js")


@pytest.mark.parametrize("path", VIEWS)
def test_the_app_views_are_served(client, path):
    response = client.get(path + "?focus=UZB", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert b"react-entry-point" in response.data


def test_dash_and_app_routes_keep_working(client):
    page = client.get("/").get_data(as_text=True)
    suites = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert suites
    paths = [
        *suites[:3],
        "/_dash-layout",
        "/_dash-dependencies",
        "/_favicon.ico",
        "/assets/style.css",
        "/embed/cpi",
        "/embed/embed.js",
        "/export/cpi.csv",
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert client.post("/_dash-update-component", json=callback_body(client)).status_code == 200


@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_paths_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"  # scripts and other clients: plain text
    assert response.get_data(as_text=True) == "404 Not Found.\n"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("path", (*UNKNOWN, "/no/such/page/<script>alert(1)</script>"))
def test_browsers_get_a_short_not_found_page_with_the_app_headers(client, path):
    response = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert len(page) < 2000
    assert '<a href="/overview">' in page
    assert "<script" not in page and "alert" not in page and path not in page
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Accept" in response.headers["Vary"]
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"] and csp["script-src"][0] == "'self'"


def test_head_of_an_unknown_path_is_404(client):
    assert client.head("/nope").status_code == 404
    assert client.head("/overview").status_code == 200


def test_restricting_pages_twice_changes_nothing(app):
    security.restrict_pages(app, ["overview"])  # already restricted to the views: kept
    assert app.server.test_client().get("/economy").status_code == 200


def test_unexpected_exception_is_a_plain_500_and_is_logged(caplog):
    app = create_app(DATA_DIR, export_status=images_off)

    @app.server.get("/boom")
    def boom():
        raise RuntimeError(f"secret detail in {ROOT}/indicators")

    response = app.server.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "secret detail" not in body and str(ROOT) not in body and "Traceback" not in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert any("secret detail" in r.getMessage() or r.exc_info for r in caplog.records)


def test_oversized_request_gets_413(client):
    body = b'{"output": "' + b"x" * (security.MAX_REQUEST_BYTES + 10) + b'"}'
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "text/plain"


def test_callback_problem_accepts_what_the_renderer_sends(app, client):
    body = callback_body(client)
    assert security.callback_problem(body, app.callback_map) is None
    zoom = next(k for k in app.callback_map if k.startswith("year-range.value@"))
    pattern = {"chart": "cpi", "type": "chart-graph"}
    request = {
        "output": zoom,
        "outputs": {"id": "year-range", "property": zoom.split(".", 1)[1]},
        "inputs": [[{"id": pattern, "property": "relayoutData", "value": {"autosize": True}}]],
        "changedPropIds": [
            json.dumps(pattern, separators=(",", ":"), sort_keys=True) + ".relayoutData"
        ],
        "state": [{"id": "year-range", "property": "value", "value": [1996, 2025]}],
    }
    assert security.callback_problem(request, app.callback_map) is None
    request["inputs"] = [[]]  # a view without charts
    request["changedPropIds"] = []
    assert security.callback_problem(request, app.callback_map) is None


@pytest.mark.parametrize(
    "change,problem",
    [
        ({"output": "nope.children"}, "no such callback"),
        ({"output": "crosshair-sink.data"}, "runs in the browser"),
        ({"outputs": []}, "outputs"),
        ({"inputs": []}, "inputs"),
        ({"state": {"a": 1}}, "state"),
        ({"changedPropIds": ["focus-country.value"]}, "changedPropIds"),
        ({"changedPropIds": "url.pathname"}, "changedPropIds"),
    ],
)
def test_callback_problem_names_what_is_wrong(app, client, change, problem):
    body = callback_body(client) | change
    assert problem in security.callback_problem(body, app.callback_map)


# --- debug -------------------------------------------------------------------------------------


def test_debug_is_off_unless_asked_for(monkeypatch):
    for name in ("DASH_DEBUG", "FLASK_DEBUG", "DASH_PRUNE_ERRORS"):
        monkeypatch.setenv(name, "true")
    app = create_app(DATA_DIR, export_status=images_off)
    assert app.server.debug is False
    assert not app.server.config.get("PROPAGATE_EXCEPTIONS")
    assert not app._dev_tools.ui  # dev tools are set up by app.run(debug=True) only
    entry = (ROOT / "app.py").read_text()
    assert "debug=False" in entry and "debug=True" not in entry


# --- real browser: Dash 4 runs under the policy (no 'unsafe-eval') ---------------------------


@pytest.mark.browser
def test_policy_in_chromium_has_no_violations(browser):
    from werkzeug.serving import make_server

    app = create_app(DATA_DIR)
    http = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{http.server_port}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Not subject to the page's CSP (added through the DevTools protocol).
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
            "e.violatedDirective + ' ' + e.blockedURI));"
        )
        for path, charts in (("/governance?focus=UZB", 6), ("/overview", 0)):
            page.goto(base + path)
            page.locator("#view-content > *").first.wait_for(timeout=20_000)
            if charts:
                page.locator(".chart-graph .main-svg").nth(charts - 1).wait_for(timeout=30_000)
                page.locator(".chart-table summary").first.click()
                page.locator("table.data-table").first.wait_for(timeout=10_000)
            assert page.evaluate("() => window.__violations") == []
        assert errors == []
    finally:
        context.close()
        http.shutdown()
