"""Text from the data files is shown as text, never run as HTML, wherever it appears.

A copy of data/ gets script, image-handler and javascript: link payloads in an indicator's
title, unit, description and break note, a citation and a release note, an event's title,
detail and source, a country name and a peer group title. Then the layout (shell, every view,
a callback response), the embed page and snippet, the CSV and the SVG export are checked, and
(browser tests) the rendered pages show the payloads as text with nothing executed.
"""

from __future__ import annotations

import json
import re
import shutil
import threading

import pytest
import yaml
from plotly.io.json import to_json_plotly

from benchmarks.serve import split_output
from indicators.data.loading import load_bundle
from indicators.view.state import ViewState
from indicators.web import layout, routes
from indicators.web.app import create_app
from indicators.web.callbacks import render_view
from reliability.fuzz import component_problems

from .conftest import DATA_DIR

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
HOSTILE = f"{SCRIPT} {IMG} {LINK}"
LIVE = (SCRIPT, IMG, "<img src=x", "<script>")
VIEWS = ("/", "/corruption", "/governance", "/economy")
FOCUS = ""  # Kazakhstan (its events are drawn); Uzbekistan, with a hostile name, is a peer


class _Quoted(yaml.SafeDumper):
    """Every string double-quoted, as the data files write dates ("2008-09")."""


_Quoted.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)


def _edit(path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    text = yaml.dump(data, Dumper=_Quoted, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def _cpi(data) -> None:
    score = data["indicators"]["cpi_score"]
    score["title"] = f"CPI score {SCRIPT}"
    score["unit"] = f"score (0-100) {LINK}"
    score["description"] = f"Perceived corruption. {HOSTILE}"
    score["breaks"][0]["note"] = f"Method change. {HOSTILE}"
    data["origin"]["citation"] += f" {HOSTILE}"
    for release in data["releases"].values():
        release["notes"] = f"Release note {HOSTILE}"


def _events(data) -> None:
    for event in data["events"]:
        if event["country"] in ("KAZ", "UZB", "ALL"):
            event["title"] = f"Event {IMG}"
            event["detail"] = f"Detail {HOSTILE}"
            event["source"] = f"Source {LINK}"


def _countries(data) -> None:
    data.setdefault("name_overrides", {})["UZB"] = f"Uzbekistan {IMG}"
    data["groups"]["central_asia"]["title"] = f"Central Asia {SCRIPT}"


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA_DIR, data)
    _edit(data / "cpi.yaml", _cpi)
    _edit(data / "events.yaml", _events)
    _edit(data / "countries.yaml", _countries)
    return data


@pytest.fixture(scope="module")
def bundle(hostile_data):
    return load_bundle(hostile_data)


@pytest.fixture(scope="module")
def client(hostile_data):
    return create_app(hostile_data, export_status=lambda: (False, "no images here")).server


def as_json(components) -> dict | list:
    return json.loads(to_json_plotly(components))


def table_addresses(node) -> list[str]:
    """Where the page's data tables fetch their rows from (data-table: /table/<chart>.json)."""
    found = []
    if isinstance(node, dict):
        data = node.get("props", {}).get("data-table")
        if data:
            found.append(json.loads(data)["rows"])
        for value in node.values():
            found += table_addresses(value)
    elif isinstance(node, list):
        for child in node:
            found += table_addresses(child)
    return found


def figure_texts(node) -> list[str]:
    """Every string inside the figures of a layout (as JSON)."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("figure"), dict):
            found += re.findall(r'"((?:[^"\\]|\\.)*)"', json.dumps(node["figure"]))
        for key, value in node.items():
            if key != "figure":
                found += figure_texts(value)
    elif isinstance(node, list):
        for child in node:
            found += figure_texts(child)
    return found


def test_the_payloads_reach_the_bundle(bundle):
    entry = bundle.catalog["cpi_score"]
    assert SCRIPT in entry.meta.description
    assert any(SCRIPT in e.detail for e in bundle.events)
    assert IMG in bundle.countries.name("UZB")


def test_shell_and_every_view_render_yaml_text_as_plain_strings(bundle, client):
    trees = [as_json(layout.shell(bundle))]
    for path in VIEWS:
        content, *_ = render_view(bundle, path, FOCUS, (True, ""), [])
        trees.append(as_json(content))
    text = json.dumps(trees)
    assert SCRIPT in text and IMG in text  # shown, as text children of html components
    for tree in trees:
        assert component_problems(tree) == []
    # table cells are plain strings too, which assets/cards.js puts in text nodes
    test = client.test_client()
    tables = [test.get(address) for t in trees for address in table_addresses(t)]
    assert tables and all(r.status_code == 200 and r.mimetype == "application/json" for r in tables)
    cells = [c for r in tables for row in r.get_json()["rows"] for c in row]
    assert any(LINK in c for c in cells)  # the unit, as text
    assert any(IMG in c for c in cells)  # a country name, as text


def test_figures_get_yaml_text_for_plotly_to_draw_as_text(bundle):
    content, *_ = render_view(bundle, "/corruption", FOCUS, (True, ""), [])
    texts = figure_texts(as_json(content))
    # plotly.js draws these with text nodes (its markup is limited to b, i, br, sup, sub,
    # span style and http(s) links); see the browser test below for what the page shows.
    assert any("Detail" in t and "alert(1)" in t for t in texts)
    # plotly's labels understand <a href> and <span style>: data-file text reaches them as
    # entities, which plotly shows as the characters
    assert not any("<script" in t or "<img" in t for t in texts)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in texts)
    assert not any(re.search(r"<a\s[^>]*href=.javascript:", t, re.I) for t in texts)


def test_data_errors_banner_names_files_without_server_paths(hostile_data):
    from indicators.data.loading import DataError

    error = DataError(str(hostile_data / "cpi.yaml"), 12, "indicators.cpi_score", SCRIPT)
    text = json.dumps(as_json(layout.data_status([error])))
    assert str(hostile_data) not in text
    assert "cpi.yaml:12: indicators.cpi_score" in text


def test_callback_response_keeps_yaml_text_inert(client):
    test = client.test_client()
    deps = test.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("..view-content"))
    body = {
        "output": dep["output"],
        "outputs": split_output(dep["output"]),
        "inputs": [
            {"id": "url", "property": "pathname", "value": "/corruption"},
            {"id": "url", "property": "search", "value": FOCUS},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [{**d, "value": None} for d in dep["state"]],
    }
    response = test.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert component_problems(response.get_json()) == []


def test_embed_page_escapes_yaml_text(client):
    response = client.test_client().get(f"/embed/cpi{FOCUS}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for live in LIVE:
        assert live not in page
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", page, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the title, subtitle, notes
    named = client.test_client().get("/embed/cpi?focus=UZB").get_data(as_text=True)
    assert "Uzbekistan &lt;img src=x onerror=alert(1)&gt;" in named  # in the subtitle
    assert IMG not in named
    island = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>', page)
    assert island and "<" not in island.group(1)  # the figure's JSON cannot close its tag
    assert "Detail" in json.loads(island.group(1))["data"][-1]["text"][0]


def test_embed_snippet_escapes_the_title(bundle):
    snippet = routes.embed_snippet("cpi", ViewState(), "https://example.org", title=SCRIPT)
    assert SCRIPT not in snippet
    assert 'title="&lt;script&gt;alert(1)&lt;/script&gt;"' in snippet


def test_csv_export_is_an_attachment_not_a_page(client):
    response = client.test_client().get(f"/export/cpi.csv{FOCUS}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- real browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_svg_export_has_no_markup_from_yaml_text(bundle):
    from indicators.exports import export_available, files

    ok, message = export_available()
    if not ok:
        pytest.skip(message)
    svg = files.chart_image(bundle, ViewState(focus="UZB"), "cpi", "svg").decode()
    tags = re.findall(r"<[^>]*>", svg)
    names = {re.match(r"</?([\w:-]+)", t).group(1) for t in tags if not t.startswith("<?")}
    assert names <= {"svg", "g", "path", "rect", "text", "tspan", "defs", "clipPath", "style"}
    assert not any(re.search(r"\son\w+\s*=|javascript:", t, re.I) for t in tags)
    assert "&#60;script&#62;alert(1)&#60;/script&#62;" in svg  # drawn as text
    assert "Uzbekistan &#60;img src=x onerror=alert(1)&#62;" in svg


@pytest.fixture(scope="module")
def live_url(hostile_data):
    from werkzeug.serving import make_server

    http = make_server("127.0.0.1", 0, create_app(hostile_data).server, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


LIVE_MARKUP_JS = """() => ({
    images: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
    scripts: Array.from(document.scripts).filter(s => !/json/.test(s.type))
        .filter(s => s.textContent.includes('alert(1)')).length,
    links: document.querySelectorAll('a[href^="javascript"]').length,
    svgMarkup: document.querySelectorAll('svg script, svg img, svg foreignObject').length,
    text: document.body.innerText,
})"""


HOVER_EVENT_JS = """() => {
    const gd = document.querySelector('.chart-graph .js-plotly-plot');
    const events = gd.data.findIndex(t => t.meta === 'events');
    Plotly.Fx.hover(gd, [{curveNumber: events, pointNumber: 0}], 'xy9');  // the events lane
    return gd.querySelector('.hoverlayer').textContent;
}"""


@pytest.mark.browser
def test_pages_show_yaml_text_as_text_and_run_nothing(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{live_url}/corruption{FOCUS}")
        page.locator(".chart-graph .main-svg").first.wait_for(timeout=30_000)
        for summary in page.locator(".chart-card details summary").all():
            summary.click()
        page.locator("table.data-table").first.wait_for(timeout=10_000)
        # the label of a reform event's marker holds its title, detail and source
        hover = page.evaluate(HOVER_EVENT_JS)
        assert SCRIPT in hover and IMG in hover  # plotly.js drew the tags as text
        found = page.evaluate(LIVE_MARKUP_JS)
        assert (found["images"], found["scripts"], found["links"], found["svgMarkup"]) == (0,) * 4
        assert SCRIPT in found["text"] and LINK in found["text"]  # shown literally
        page.goto(f"{live_url}/embed/cpi{FOCUS}")
        page.locator("#chart .main-svg").first.wait_for(timeout=30_000)
        found = page.evaluate(LIVE_MARKUP_JS)
        assert (found["images"], found["scripts"], found["links"], found["svgMarkup"]) == (0,) * 4
        assert SCRIPT in found["text"]
        assert dialogs == []
    finally:
        context.close()


def test_briefing_pack_texts_show_yaml_markup_as_literal_markdown(bundle):
    import io
    import zipfile

    from indicators.exports.pack import build_pack
    from indicators.view.state import ViewState

    state = ViewState(view="corruption", focus="UZB")
    pack = zipfile.ZipFile(io.BytesIO(build_pack(bundle, state, "https://example.org")))
    for name in pack.namelist():
        if not name.endswith(".md"):
            continue
        text = pack.read(name).decode("utf-8")
        assert "<script" not in text and "<img" not in text, name
        assert not re.search(r"(?<!\\)\]\(javascript:", text), name  # only as \](...)
    readme = pack.read(next(n for n in pack.namelist() if n.endswith("README.md"))).decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in readme  # Uzbekistan's hostile name, as text
