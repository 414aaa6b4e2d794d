"""Links come from INDICATORS_PUBLIC_URL (indicators.web.links), never from the Host header.

A client can send any Host (and X-Forwarded-Host); with the variable set or unset, nothing it
sends appears in the embed page, the embed snippet, a downloaded file's metadata or its CSV,
and the embed page (publicly cacheable) is the same whatever Host asked for it.
"""

from __future__ import annotations

import inspect
import io
import logging
import zipfile

import pytest
from PIL import Image

from benchmarks.serve import split_output
from indicators.exports import files, pack, start_server
from indicators.view.state import ViewState
from indicators.web import callbacks, links, routes
from indicators.web.app import create_app

from .conftest import DATA_DIR

PUBLIC = "https://indicators.example.org"
FORGED = "evil.example"
FORGED_HEADERS = {
    "Host": FORGED,
    "X-Forwarded-Host": f"{FORGED}.fwd",
    "X-Forwarded-Proto": "http",
    "Forwarded": f"host={FORGED}.fwd2",
}
MODES = {"set": PUBLIC, "unset": None}


@pytest.fixture(autouse=True)
def fresh_resolver():
    links._resolve.cache_clear()
    yield
    links._resolve.cache_clear()


@pytest.fixture(params=list(MODES))
def public(request, monkeypatch):
    """INDICATORS_PUBLIC_URL set to PUBLIC, or unset (relative links)."""
    if MODES[request.param] is None:
        monkeypatch.delenv(links.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(links.ENV_VAR, MODES[request.param])
    return MODES[request.param]


@pytest.fixture(scope="module")
def app():
    return create_app(DATA_DIR, export_status=lambda: (True, "ok"))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def forged_get(client, path: str):
    return client.get(path, headers=FORGED_HEADERS, base_url=f"http://{FORGED}/")


def assert_clean(data: bytes | str) -> None:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    assert FORGED not in text


# --- the resolver -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        ("https://indicators.example.org", PUBLIC),
        ("https://indicators.example.org/", PUBLIC),
        ("  HTTPS://Indicators.Example.org//  ", PUBLIC),
        ("http://127.0.0.1:8050", "http://127.0.0.1:8050"),
        ("https://example.org/indicators/", "https://example.org/indicators"),
        ("http://[::1]:8050/", "http://[::1]:8050"),
    ],
)
def test_valid_values_are_normalised(monkeypatch, value, expected):
    monkeypatch.setenv(links.ENV_VAR, value)
    assert links.public_base_url() == expected


@pytest.mark.parametrize(
    "value",
    [
        "indicators.example.org",
        "ftp://indicators.example.org",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://example.org/?a=1",
        "https://example.org/#top",
        "https://example.org?",
        "https://user:pw@example.org",
        "https://example.org:99999",
        "https://exa mple.org",
        'https://example.org/"><script>',
        "https://example.org/\r\nX-Header: 1",
    ],
)
def test_invalid_values_are_logged_once_and_treated_as_unset(monkeypatch, caplog, value):
    monkeypatch.setenv(links.ENV_VAR, value)
    with caplog.at_level(logging.WARNING, logger=links.__name__):
        assert links.public_base_url() == ""
        assert links.public_base_url() == ""
        assert links.public_base_url() == ""
    warnings = [r for r in caplog.records if r.name == links.__name__]
    assert len(warnings) == 1 and links.ENV_VAR in warnings[0].getMessage()
    with pytest.raises(ValueError):
        links.check_base_url(value)


def test_unset_or_empty_means_relative_links(monkeypatch, caplog):
    monkeypatch.delenv(links.ENV_VAR, raising=False)
    assert links.public_base_url() == ""
    monkeypatch.setenv(links.ENV_VAR, "  ")
    with caplog.at_level(logging.WARNING):
        assert links.public_base_url() == ""
    assert not caplog.records


def test_the_resolver_reads_no_request(app, monkeypatch):
    monkeypatch.setenv(links.ENV_VAR, PUBLIC)
    with app.server.test_request_context("/", headers=FORGED_HEADERS):
        assert links.public_base_url() == PUBLIC
    assert "flask" not in inspect.getsource(links)
    source = inspect.getsource(routes)
    for name in ("host_url", "url_root", "request.host", "HTTP_HOST", "X-Forwarded"):
        assert name not in source, name


# --- pages, embeds and files with a forged Host -------------------------------------------------


def test_embed_page(client, public):
    response = forged_get(client, "/embed/cpi?focus=UZB")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert_clean(page)
    assert_clean(str(response.headers))
    if public:
        assert f'<link rel="canonical" href="{PUBLIC}/corruption?focus=UZB' in page
        assert f'href="{PUBLIC}/export/cpi.csv?' in page
    else:
        assert '<link rel="canonical" href="/corruption?focus=UZB' in page
        assert 'href="/export/cpi.csv?' in page


def test_embed_page_is_the_same_whatever_the_host(client, public):
    # it is served "public, max-age=300": a shared cache may give one answer to everyone
    first = forged_get(client, "/embed/wgi_cc?focus=KGZ")
    second = client.get("/embed/wgi_cc?focus=KGZ", base_url="http://localhost/")
    assert "public" in first.headers["Cache-Control"]
    assert first.get_data() == second.get_data()


def test_embed_snippet(public):
    snippet = routes.embed_snippet("cpi", ViewState(focus="UZB"), links.public_base_url())
    assert_clean(snippet)
    src = f"{PUBLIC}/embed/cpi?" if public else '"/embed/cpi?'
    assert src in snippet


@pytest.mark.xfail(
    "host_url" in inspect.getsource(callbacks),
    reason="callbacks.py still builds the snippet's base URL from request.host_url; it should "
    "call indicators.web.links.public_base_url()",
    strict=True,
)
def test_embed_snippet_in_the_dashboard_callback(client, public):
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].lstrip(".").startswith("view-content"))
    body = {
        "output": dep["output"],
        "outputs": split_output(dep["output"]),
        "inputs": [
            {"id": "url", "property": "pathname", "value": "/corruption"},
            {"id": "url", "property": "search", "value": "?focus=UZB"},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [{**d, "value": None} for d in dep["state"]],
    }
    response = client.post(
        "/_dash-update-component", json=body, headers=FORGED_HEADERS, base_url=f"http://{FORGED}/"
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "data-indicators-embed" in text
    assert_clean(text)


def test_csv_download(client, public):
    response = forged_get(client, "/export/cpi.csv?focus=UZB")
    assert response.status_code == 200
    assert_clean(response.get_data())
    assert_clean(str(response.headers))


def test_image_and_pack_routes_pass_the_public_base_only(client, public, monkeypatch):
    seen = []

    def fake_export(bundle, state, chart_id, fmt, preset, base_url):
        seen.append(base_url)
        return b"\x89PNG fake", "file.png"

    def fake_pack(bundle, state, base_url, notices=()):
        seen.append(base_url)
        return b"PK fake"

    monkeypatch.setattr(files, "chart_export", fake_export)
    monkeypatch.setattr(pack, "build_pack", fake_pack)
    for path in ("/export/cpi.png?focus=UZB", "/export/fdi.svg", "/pack.zip?view=economy"):
        response = forged_get(client, path)
        assert response.status_code == 200, path
        assert_clean(str(response.headers))
    assert seen == [public or ""] * 3


@pytest.fixture(scope="module")
def export_browser():
    start_server()


@pytest.mark.parametrize("mode", ["set", "unset"])
def test_png_metadata_and_pack_readme(client, monkeypatch, export_browser, mode):
    if MODES[mode]:
        monkeypatch.setenv(links.ENV_VAR, PUBLIC)
    else:
        monkeypatch.delenv(links.ENV_VAR, raising=False)
    response = forged_get(client, "/export/cpi.png?focus=UZB&preset=square")
    assert response.status_code == 200
    assert_clean(response.get_data())
    image = Image.open(io.BytesIO(response.data))
    assert all(FORGED not in str(v) for v in image.text.values())
    if MODES[mode]:
        assert image.text["URL"].startswith(f"{PUBLIC}/corruption?focus=UZB")
    else:
        assert "URL" not in image.text
    response = forged_get(client, "/pack.zip?view=corruption&focus=UZB")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    for name in archive.namelist():
        if name.endswith((".md", ".csv")):
            assert_clean(archive.read(name))
    readme = next(archive.read(n).decode() for n in archive.namelist() if n.endswith("README.md"))
    assert (f"{PUBLIC}/corruption?focus=UZB" in readme) == bool(MODES[mode])
