"""Hostile input: every route and callback answers bad URLs and payloads without a 5xx, a
traceback, a server path or a reflected script (reliability/fuzz.py does the checking)."""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.view.state import DEFAULT, MAX_NOTICES, MAX_QUERY_CHARS, parse_query
from indicators.web import callbacks
from reliability import fuzz

HYPOTHESIS = settings(
    max_examples=30,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ROUTES = (
    *fuzz.PAGES,
    "/nope",
    "/export/cpi.csv",
    "/export/fdi.csv",
    "/export/wgi_va.png",
    "/export/db_rank.svg",
    "/pack.zip",
    "/embed/cpi",
    "/embed/manufacturing",
)
COUNTRIES = {"KAZ", "UZB", "GEO"}
GROUPS = {"central_asia", "south_caucasus"}


@pytest.fixture(scope="module")
def target():
    return fuzz.Target()


def assert_fine(target, case, statuses=None):
    status, problems = target.run(case)
    assert problems == [], f"{case.describe()}: {problems}"
    if statuses is not None:
        assert status in statuses, f"{case.describe()}: status {status}"
    return status


# --- the report function -------------------------------------------------------------------------


def test_run_cases_50_seed_1_reports_no_failures():
    summary = fuzz.run_cases(50, seed=1)
    assert summary.cases == 50
    assert sum(summary.by_status.values()) == 50
    assert summary.failures == [], summary.report()
    assert "failures: 0" in summary.report()


def test_the_same_seed_gives_the_same_cases(target):
    import random

    first = [fuzz.random_case(random.Random(7), target).describe() for _ in range(3)]
    again = [fuzz.random_case(random.Random(7), target).describe() for _ in range(3)]
    assert first == again


# --- hypothesis ------------------------------------------------------------------------------


@HYPOTHESIS
@given(rng=st.randoms(use_true_random=False))
def test_random_cases_of_every_kind(target, rng):
    assert_fine(target, fuzz.random_case(rng, target))


keys = st.sampled_from((*fuzz.VIEW_KEYS, "preset", "view", "utm_source")) | st.text(max_size=12)
values = st.sampled_from(fuzz.HOSTILE) | st.text(max_size=40) | st.sampled_from(["KAZ", "2005"])


@HYPOTHESIS
@given(route=st.sampled_from(ROUTES), params=st.lists(st.tuples(keys, values), max_size=6))
def test_url_parameters_of_every_route(target, route, params):
    query = urlencode(params)
    kind = "page" if route in fuzz.PAGES or route == "/nope" else route.split("/")[1]
    kind = {"pack.zip": "pack"}.get(kind, kind)
    assert_fine(target, fuzz.Case(kind, "GET", route, query))
    if kind == "page":  # what the page then asks the server for that URL
        for output in ("url.search", "view-content.children"):
            dep = target.dep(output)
            body = [route, "?" + query, *target.real_values(dep)[2:]]
            assert_fine(target, target.callback_case(dep, body, ["url.pathname"]), {200, 204})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(fuzz.HOSTILE),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)


@HYPOTHESIS
@given(data=st.data())
def test_callback_values_of_any_type(target, data):
    dep = data.draw(st.sampled_from(target.server_callbacks))
    real = target.real_values(dep)
    sent = [data.draw(st.one_of(st.just(v), json_values)) for v in real]
    inputs = target.body(dep, sent)["inputs"]
    flat = [i for item in inputs for i in (item if isinstance(item, list) else [item])]
    trigger = data.draw(st.sampled_from(flat)) if flat else None
    changed = [f"{fuzz._stringify(trigger['id'])}.{trigger['property']}"] if trigger else []
    assert_fine(target, target.callback_case(dep, sent, changed), {200, 204})


@HYPOTHESIS
@given(data=st.data())
def test_malformed_callback_bodies_get_400(target, data):
    dep = data.draw(st.sampled_from(target.server_callbacks))
    body = target.body(dep, target.real_values(dep))
    key = data.draw(st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds"]))
    body[key] = data.draw(json_values.filter(lambda v: v != body[key]))
    case = fuzz.Case("malformed", "POST", fuzz.CALLBACK, body=json.dumps(body).encode())
    status = assert_fine(target, case)
    # an empty state or changedPropIds list is still a valid request
    assert status == 400 or (key in ("state", "changedPropIds") and status in (200, 204))


# --- explicit cases: each was a 500 (or worse) before ----------------------------------------

SYNC, RENDER, ZOOM = "url.search", "view-content", "year-range"


def _sync_values(target, **controls):
    dep = target.dep(SYNC)
    values = target.real_values(dep)
    names = [name for name, _ in callbacks.CONTROLS]
    for key, value in controls.items():
        values[2 + names.index(key.replace("_", "-"))] = value
    return dep, values


@pytest.mark.parametrize(
    "pathname,search",
    [
        (5, {"a": 1}),  # AttributeError: 'int' object has no attribute 'strip'
        ("/corruption", "?from=²"),  # ValueError: int('²') after '²'.isdigit()
        ("/corruption", "?to=" + "9" * 5000),  # ValueError: int() of more than 4300 digits
        ("/economy", ["?focus=UZB"]),
        (None, None),
        ("/" + fuzz.SCRIPT, "?" + fuzz.SCRIPT + "=" + fuzz.IMG),
        ("/governance", "?" + "&".join(f"k{i}=v" for i in range(3000))),  # 3000 notices
        ("/corruption", "?focus=" + fuzz.LONG),
    ],
)
def test_url_callbacks_with_hostile_urls(target, pathname, search):
    for output in (SYNC, RENDER):
        dep = target.dep(output)
        values = [pathname, search, *target.real_values(dep)[2:]]
        assert_fine(target, target.callback_case(dep, values, ["url.pathname"]), {200})


@pytest.mark.parametrize(
    "controls",
    [
        {"year_range": "abc"},  # ValueError: int('a')
        {"year_range": [1]},  # IndexError
        {"year_range": [None, None]},  # TypeError
        {"year_range": [math.inf, 2000]},
        {"focus_country": {"x": 1}},  # a dict in the URL: ?focus=%7B%27x%27...
        {"peer_group": "custom", "custom_peers": "KAZ"},  # peers ('K', 'A', 'Z')
        {"peer_group": "custom", "custom_peers": ["UZB"] * 100_000},
        {"peer_group": [["oecd"]]},  # unhashable group
        {"show_events": "yes", "highlight_country": {"k": 1}},
        {"cpi_measure": fuzz.SCRIPT, "fdi_unit": 7, "wgi_mode": None},
    ],
)
def test_sync_url_with_hostile_control_values(target, controls):
    dep, values = _sync_values(target, **controls)
    case = target.callback_case(dep, values, ["focus-country.value"])
    assert_fine(target, case, {200, 204})


@pytest.mark.parametrize(
    "relayout",
    [
        {"xaxis.range[0]": "1e400", "xaxis.range[1]": 2000},  # OverflowError: ceil(inf)
        {"xaxis.range": [1990, 2000, 2010]},  # ValueError: too many values to unpack
        {"xaxis.range": "19902000"},
        [1, 2],  # AttributeError: 'list' object has no attribute 'get'
        {"xaxis.range[0]": {"a": 1}, "xaxis.range[1]": None},
    ],
)
def test_zoom_callback_with_hostile_relayout(target, relayout):
    dep = target.dep(ZOOM)
    values = [[relayout] + [None] * (len(target.charts) - 1), [1996, 2025]]
    changed = [
        fuzz._stringify({"chart": target.charts[0], "type": "chart-graph"}) + ".relayoutData"
    ]
    assert_fine(target, target.callback_case(dep, values, changed), {200, 204})


@pytest.mark.parametrize(
    "body,content_type",
    [
        (b"{bad json", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),  # RecursionError in json
        (b'{"output": "nope.children", "inputs": []}', "application/json"),  # KeyError
        (b'{"output": "crosshair-sink.data", "inputs": []}', "application/json"),  # clientside
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (b'{"output": "url.search"}', "text/plain"),
        (b"", "application/json"),
    ],
)
def test_malformed_callback_requests_get_a_short_plain_400(target, body, content_type):
    case = fuzz.Case("malformed", "POST", fuzz.CALLBACK, body=body, content_type=content_type)
    response = target.send(case)
    assert response.status_code in (400, 415)
    assert response.mimetype == "text/plain"
    assert len(response.get_data()) < 200
    assert fuzz.check_response(case, response) == []


def test_callback_with_wrong_shapes_gets_400(target):
    dep = target.dep(SYNC)
    good = target.body(dep, target.real_values(dep))
    for change in (
        {"inputs": good["inputs"][:-1]},  # one input short: IndexError in Dash
        {"inputs": {"id": "url"}},
        {"outputs": good["outputs"][:3]},  # InvalidCallbackReturnValue in Dash
        {"changedPropIds": ['{"bad json.value']},  # JSONDecodeError in ctx.triggered_id
        {"changedPropIds": ["unknown.value"]},
        {"state": [{"id": "url", "property": "search", "value": 1}]},
    ):
        case = fuzz.Case(
            "malformed", "POST", fuzz.CALLBACK, body=json.dumps(good | change).encode()
        )
        assert_fine(target, case, {400})


@pytest.mark.parametrize(
    "path,query,status",
    [
        ("/embed/cpi", "from=²", 200),  # was a plain 500 ("Internal error ...")
        ("/export/cpi.csv", "to=" + "9" * 5000, 200),  # was a plain 500
        ("/export/fdi.png", "focus=" + fuzz.SCRIPT, 503),  # images are off in the fuzz app
        ("/pack.zip", "view=" + fuzz.IMG, 503),
        ("/export/cpi.png", "preset=" + fuzz.SCRIPT, 400),
        ("/embed/" + fuzz.IMG, "", 404),
        ("/_dash-component-suites/dash/nothing.js", "", 404),  # DependencyException: 500
        ("/_dash-component-suites/nopkg/x.js", "", 404),
        ("/no/such/page/" + fuzz.SCRIPT, "", 404),  # unknown paths are not the app shell
    ],
)
def test_routes_with_hostile_urls(target, path, query, status):
    kind = "pack" if path.startswith("/pack") else path.split("/")[1]
    assert_fine(target, fuzz.Case(kind, "GET", path, query), {status})


def test_wrong_methods_get_plain_405(target):
    for method, path in (("POST", "/"), ("PUT", fuzz.CALLBACK), ("DELETE", "/embed/cpi")):
        response = target.send(fuzz.Case("other", method, path, body=b""))
        assert response.status_code == 405
        assert response.mimetype == "text/plain"
        assert "Allow" in response.headers


def test_notices_are_plain_text_in_html_components(target):
    dep = target.dep(SYNC)
    search = "?" + urlencode({"focus": fuzz.SCRIPT, "zzz": fuzz.IMG, "from": "[x](javascript:1)"})
    values = [None] * (len(dep["inputs"]) - 2)  # the controls after pathname and search
    response = target.send(target.callback_case(dep, ["/corruption", search, *values]))
    data = response.get_json()
    notice = data["response"]["url-notice"]["children"]
    assert fuzz.component_problems(data) == []
    text = json.dumps(notice)
    assert "dash_html_components" in text and "Markdown" not in text
    assert "&lt;script" not in text  # plain text, escaped by React, not by hand


# --- the pure functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "search",
    [None, 5, {"a": 1}, ["?focus=UZB"], b"?focus=UZB", "?" + "x=1&" * 5000, "?from=²&to=١٩٩٦"],
)
def test_parse_query_takes_anything(search):
    parsed = parse_query(search, "corruption", COUNTRIES, GROUPS)
    assert parsed.state.focus == DEFAULT.focus
    assert len(parsed.notices) <= MAX_NOTICES
    assert all(len(n) < 200 for n in parsed.notices)


def test_parse_query_reads_ascii_years_only():
    parsed = parse_query("?from=２００５&to=2010", "corruption", COUNTRIES, GROUPS)
    assert parsed.state.years == (DEFAULT.year_from, 2010)
    assert any("from=" in n for n in parsed.notices)


def test_parse_query_ignores_too_long_queries_whole():
    parsed = parse_query("?focus=UZB&x=" + "a" * MAX_QUERY_CHARS, "corruption", COUNTRIES, GROUPS)
    assert parsed.state.focus == DEFAULT.focus
    assert "characters" in parsed.notices[0]


def test_notices_are_clipped_and_have_no_control_characters():
    parsed = parse_query(
        "?focus=" + "\x1b[31m" + "A" * 500 + "\u202e", "x" * 500, COUNTRIES, GROUPS
    )
    for notice in parsed.notices:
        assert len(notice) < 200
        assert not any(ord(c) < 32 or c == "\u202e" for c in notice)


def test_view_of_and_render_key_take_anything(bundle):
    assert callbacks.view_of(5) == "overview"
    assert callbacks.view_of({"a": 1}) == "overview"
    default = "?focus=KAZ&group=central_asia"
    assert callbacks.render_key(bundle, ["/x"], {"q": 1}) == ("overview", default)
    long = "?x=" + "a" * 10_000
    assert callbacks.render_key(bundle, "/governance", long) == ("governance", default)
    uzb = ("economy", "?focus=UZB&group=central_asia")
    assert callbacks.render_key(bundle, "/economy/", "?focus=UZB") == uzb
    assert callbacks.render_key(bundle, "/economy", "?group=central_asia&focus=UZB") == uzb


def test_years_from_relayout_takes_anything():
    for relayout in (None, [], "x", {"xaxis.range": [math.nan, 2000]}, {"xaxis.autorange": 1}):
        assert callbacks.years_from_relayout(relayout, [1996, 2025]) is None
    assert callbacks.years_from_relayout({"xaxis.range": ["2004.2", "1e400"]}, None) is None
    assert callbacks.years_from_relayout({"xaxis.range": [-1e308, 1e308]}, 5) == [1990, 2025]


def test_zoom_years_ignores_triggers_that_are_not_charts():
    inputs = [{"id": {"chart": "cpi", "type": "chart-graph"}}]
    zoom = {"xaxis.range": [2001, 2010]}
    assert callbacks.zoom_years({"chart": "cpi", "type": "chart-graph"}, inputs, [zoom], None) == [
        2001,
        2010,
    ]
    assert callbacks.zoom_years({"chart": "x"}, inputs, [zoom], None) is None
    assert callbacks.zoom_years(inputs[0]["id"], inputs, [], None) is None
    assert callbacks.zoom_years(inputs[0]["id"], "inputs", zoom, None) is None


def test_control_params_drop_values_of_the_wrong_type(bundle):
    parsed = callbacks.state_from_controls(
        bundle, "corruption", {"x": 1}, "custom", ["UZB", 5, None], "lines", "abc", ["on"]
    )
    assert parsed.state.focus == DEFAULT.focus
    assert parsed.state.peers == ("UZB",)
    assert parsed.state.years == DEFAULT.years
    assert any("focus country" in n for n in parsed.notices)
    assert any("years" in n for n in parsed.notices)
