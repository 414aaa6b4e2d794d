"""Hostile input against the dashboard, through Flask's test client (no browser, no network).

    from reliability.fuzz import run_cases
    summary = run_cases(300, seed=1)
    print(summary.report())

Each case is one request, drawn with ``random.Random(seed)`` (the same seed gives the same
cases):

* ``page``: GET ``/``, ``/overview``, ``/corruption``, ``/governance``, ``/economy`` or an
  unknown page, with a hostile query string;
* ``url-callback``: the POST the page then makes, with that path and query as ``url``'s
  pathname and search (``sync_url`` and ``render_view``);
* ``export``, ``pack``, ``embed``: ``/export/<chart>.<png|svg|csv>``, ``/pack.zip``,
  ``/embed/<chart>`` with hostile chart names, formats, presets, views and view queries;
* ``callback``: a POST to ``/_dash-update-component`` shaped like the Dash renderer's (built
  from ``/_dash-layout`` and ``/_dash-dependencies``), with hostile values: numbers, dicts,
  nested lists, null, 100k-item lists, very long strings, script and ``javascript:`` payloads;
* ``malformed``: callback requests that are not the renderer's shape (unknown ids, wrong
  types or lengths, bad JSON, deep nesting, wrong content type, a clientside callback);
* ``other``: Dash's own routes and the static files, with hostile paths.

A response fails when it is a 5xx (except the 503 of an image or pack request, since image
export is switched off here), shows a traceback or a server path, lacks the security headers,
is an error that is not short plain text, reflects a script payload into HTML, or (callback
responses) puts text anywhere it could run: a Markdown component allowing HTML or holding
unescaped markup, a ``javascript:`` link, or notices that are not plain strings.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
CALLBACK = "/_dash-update-component"
IMAGES_OFF = "Image export is switched off for this fuzz run."
PAGES = ("/", "/overview", "/corruption", "/governance", "/economy")
VIEW_KEYS = ("focus", "group", "peers", "agg", "from", "to", "events", "measure", "wgi", "fdi")
VIEW_KEYS += ("hl",)
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (
    SCRIPT,
    IMG,
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "'\"><svg/onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "../../../../etc/passwd",
    "%00",
    "%",
    "%zz",
    "&&&",
    "==",
    "#frag",
    "²",
    "١٩٩٦",
    "２０１０",
    "1e400",
    "-1",
    "99999",
    "nan",
    "inf",
    "9" * 5000,
    "𝕏" * 50,
    "\u202egnp.exe",
    "{{7*7}}",
    "${7*7}",
    "KAZ," * 60,
    "kaz",
    " UZB ",
    "OED",
    "custom",
    "null",
    "[]",
    "{}",
    "true",
    "",
)
LONG = "A" * 100_000
# Markers of a leaked traceback or server path in a response body.
PRIVATE = ("Traceback", 'File "/', str(ROOT), "/work/", "site-packages", sys.prefix)
# Live markup of the payloads in HTML (as escaped text, '&lt;script&gt;', they are harmless;
# 'javascript:' as text is harmless too, only as a URL: see check_response).
SCRIPT_MARKERS = ("<script>alert(1)", "<img src=x onerror", "<svg/onload")
# For the query string of a case: keep '%', '&', '=' and friends as sent (raw), encode the rest.
RAW_SAFE = "&=%,+/?:@;$!*'()"


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    case: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.case} -> {self.status}: {self.problem}"


@dataclass
class Summary:
    """What ``run_cases`` tried and what went wrong (``failures`` empty means all good)."""

    cases: int = 0
    seed: int | None = None
    by_status: dict[str, int] = field(default_factory=dict)  # "2xx" -> count
    by_code: dict[int, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    images_off: int = 0  # the expected 503s: image or pack requests, export switched off
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, case: Case, status: int, problems: list[str]) -> None:
        self.cases += 1
        cls = f"{status // 100}xx"
        self.by_status[cls] = self.by_status.get(cls, 0) + 1
        self.by_code[status] = self.by_code.get(status, 0) + 1
        self.by_kind[case.kind] = self.by_kind.get(case.kind, 0) + 1
        self.failures += [Failure(case.describe(), status, p) for p in problems]
        if status == 503 and not problems:
            self.images_off += 1

    def report(self) -> str:
        classes = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_status.items()))
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_code.items()))
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_kind.items()))
        lines = [
            f"hostile input: {self.cases} cases (seed {self.seed}) in {self.seconds:.1f} s",
            f"  responses by class: {classes}",
            f"  by status: {codes}; {self.images_off} of them the expected 503 of an image or "
            "pack request (image export is switched off for the run)",
            f"  cases by kind: {kinds}",
            f"  failures: {len(self.failures)}",
        ]
        lines += [f"    {f}" for f in self.failures[:50]]
        if len(self.failures) > 50:
            lines.append(f"    ... and {len(self.failures) - 50} more")
        return "\n".join(lines)


# --- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One request. ``query`` is sent as the raw query string; ``body`` as the POST data."""

    kind: str
    method: str
    path: str
    query: str = ""
    body: bytes | None = None
    content_type: str = "application/json"

    def describe(self, limit: int = 160) -> str:
        text = f"[{self.kind}] {self.method} {self.path}"
        if self.query:
            text += "?" + self.query
        if self.body is not None:
            text += " " + self.body[:limit].decode("utf-8", "replace")
        text = text.replace("\n", "\\n").replace("\r", "\\r")
        return text if len(text) <= limit * 2 else text[: limit * 2] + f"... ({len(text)} chars)"


def _no_images() -> tuple[bool, str]:
    return False, IMAGES_OFF


class Target:
    """The app under test, its test client and the callback shapes read from the server."""

    def __init__(self, app=None):
        if app is None:
            from indicators.web.app import create_app

            app = create_app(export_status=_no_images)
        self.app = app
        self.client = app.server.test_client()
        self.layout = self.client.get("/_dash-layout").get_json()
        self.dependencies = self.client.get("/_dash-dependencies").get_json()
        self.server_callbacks = [d for d in self.dependencies if not d.get("clientside_function")]
        self.clientside = [d for d in self.dependencies if d.get("clientside_function")]
        self.props = _component_props(self.layout)
        from indicators.charts.registry import CHARTS
        from indicators.exports.presets import PRESETS

        self.charts = tuple(CHARTS)
        self.presets = tuple(PRESETS)
        bundle_codes = self.props.get("focus-country", {}).get("options", [])
        self.countries = tuple(o["value"] for o in bundle_codes) or ("KAZ", "UZB")
        groups = self.props.get("peer-group", {}).get("options", [])
        self.groups = tuple(o["value"] for o in groups) or ("central_asia",)

    # -- requests --

    def send(self, case: Case):
        query = quote(case.query, safe=RAW_SAFE)
        if case.method == "GET":
            return self.client.get(case.path, query_string=query)
        return self.client.open(
            case.path,
            method=case.method,
            query_string=query,
            data=case.body or b"",
            content_type=case.content_type,
        )

    def run(self, case: Case) -> tuple[int, list[str]]:
        """Send a case; (status, problems found in the response)."""
        try:
            response = self.send(case)
        except Exception as exc:  # the test client re-raises nothing normally; be sure
            return 599, [f"request raised {type(exc).__name__}: {str(exc)[:200]}"]
        return response.status_code, check_response(case, response)

    # -- callback bodies --

    def body(self, dep: dict, values: list, changed: list[str] | None = None) -> dict:
        """A request body of the Dash renderer for callback ``dep`` with input+state values.

        A pattern input (``{"chart": ["ALL"], ...}``) gets one item per chart; its value in
        ``values`` is then the list of the charts' values.
        """
        n_inputs = len(dep["inputs"])
        inputs = [_dep_item(d, v, self.charts) for d, v in zip(dep["inputs"], values, strict=False)]
        given = list(values[n_inputs:]) + [None] * len(dep["state"])  # states not given: None
        state = [_dep_item(d, v, self.charts) for d, v in zip(dep["state"], given, strict=False)]
        if changed is None:
            first = inputs[0] if inputs else None
            if isinstance(first, list):
                changed = [f"{_stringify(first[0]['id'])}.{first[0]['property']}"] if first else []
            elif first:
                changed = [f"{first['id']}.{first['property']}"]
            else:
                changed = []
        return {
            "output": dep["output"],
            "outputs": _outputs(dep["output"], self.charts),
            "inputs": inputs,
            "changedPropIds": changed,
            "state": state,
        }

    def real_values(self, dep: dict) -> list:
        """Values as the page would send them: from the layout, the URL, the charts."""
        out = []
        for d in dep["inputs"] + dep["state"]:
            ident, prop = d["id"], d["property"]
            if ident == "url":
                out.append("/corruption" if prop == "pathname" else "?focus=UZB")
            elif ident.startswith("{"):
                out.append([None] * len(self.charts))
            else:
                out.append(self.props.get(ident, {}).get(prop))
        return out

    def callback_case(self, dep: dict, values: list, changed=None, kind="callback") -> Case:
        body = json.dumps(self.body(dep, values, changed), allow_nan=True).encode()
        return Case(kind, "POST", CALLBACK, body=body)

    def dep(self, output_prefix: str) -> dict:
        for d in self.server_callbacks:
            if d["output"].lstrip(".").startswith(output_prefix):
                return d
        raise KeyError(output_prefix)


def _component_props(node, out=None) -> dict:
    out = {} if out is None else out
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), str):
                out[props["id"]] = props
            _component_props(props.get("children"), out)
    elif isinstance(node, list):
        for child in node:
            _component_props(child, out)
    return out


def _stringify(ident) -> str:
    from indicators.web.security import stringify_id  # as the server checks it

    return stringify_id(ident)


def _dep_item(dep: dict, value, charts):
    from benchmarks.serve import dependency_item

    return dependency_item(dep, value, charts)


def _outputs(output: str, charts=()):
    """The renderer's `outputs` (a single output is sent as one item, not a list)."""
    from benchmarks.serve import split_output

    items = split_output(output, charts)
    return items if output.startswith("..") else items[0]


# --- random generation ---------------------------------------------------------------------------


def hostile_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return LONG
    if roll < 0.75:
        return rng.choice(HOSTILE)
    n = rng.randint(1, 30)
    return "".join(rng.choice("<>\"'&%=?#/\\;:()[]{}aZ09 \u00e9\u2028\x7f") for _ in range(n))


def hostile_json(rng: random.Random, depth: int = 0):
    """A JSON value a client could post instead of a component's value."""
    roll = rng.randint(0, 15)
    if roll == 0:
        return None
    if roll == 1:
        return rng.choice([True, False])
    if roll == 2:
        return rng.choice([0, -1, 1, 2**63, -(2**70), 1e308, -1e308, 0.5, 2004.7])
    if roll == 3:
        return rng.choice([math.inf, -math.inf, math.nan])
    if roll in (4, 5, 6):
        return hostile_text(rng)
    if roll == 7:
        return {}
    if roll == 8 and depth < 3:
        return {hostile_text(rng)[:40]: hostile_json(rng, depth + 1)}
    if roll == 9 and depth < 3:
        return [hostile_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll == 10:
        nested: list = []
        for _ in range(rng.randint(5, 60)):
            nested = [nested]
        return nested
    if roll == 11:
        item = rng.choice(["KAZ", 1, None, SCRIPT, {"a": 1}])
        return [item] * 100_000
    if roll == 12:
        lo, hi = hostile_json(rng, 3), hostile_json(rng, 3)
        return rng.choice(
            [
                {"xaxis.range[0]": lo, "xaxis.range[1]": hi},
                {"xaxis.range": [lo, hi]},
                {"xaxis.range": [lo, hi, 3]},
                {"xaxis.autorange": lo},
                {"xaxis.range[0]": "1e400", "xaxis.range[1]": 2000},
            ]
        )
    if roll == 13:
        years = [1990, 2025, 2004.5, "2000", None, -5]
        return [rng.choice(years) for _ in range(rng.randint(0, 3))]
    if roll == 14:
        return rng.choice(["on", ["on"], ["off", "on"], [["on"]]])
    return rng.choice(["KAZ", "UZB", "custom", "lines", "aggregate", "rank", "gap", "usd", "/"])


def _real_value(rng: random.Random, key: str, target: Target) -> str:
    choices = {
        "focus": target.countries,
        "group": (*target.groups, "custom"),
        "peers": (",".join(rng.sample(target.countries, 3)),),
        "agg": ("lines", "aggregate"),
        "from": ("1996", "2005", "2012", "1990"),
        "to": ("2020", "2025", "2010"),
        "events": ("0", "1"),
        "measure": ("score", "rank", "percentile"),
        "wgi": ("level", "gap"),
        "fdi": ("usd", "pct"),
        "hl": target.countries,
        "preset": target.presets,
        "view": ("overview", "corruption", "governance", "economy"),
    }
    return rng.choice(choices.get(key, ("x",)))


def hostile_query(rng: random.Random, target: Target, extra_keys=()) -> str:
    """A query string (without '?'): known keys with real or hostile values, unknown keys,
    repeats, sometimes sent raw (unencoded '%', '&', '=')."""
    keys = (*VIEW_KEYS, *extra_keys)
    pairs = []
    for _ in range(rng.randint(0, 7)):
        roll = rng.random()
        key = rng.choice(keys) if roll < 0.8 else hostile_text(rng)[:200]
        value = _real_value(rng, key, target) if rng.random() < 0.45 else hostile_text(rng)
        pairs.append((key, value))
    if rng.random() < 0.25:
        return "&".join(f"{k}={v}" for k, v in pairs)  # raw
    return urlencode(pairs)


def _segment(rng: random.Random, real) -> str:
    return rng.choice(real) if rng.random() < 0.6 else quote(hostile_text(rng)[:300], safe="")


def random_case(rng: random.Random, target: Target) -> Case:
    """One case of a random kind (see the module docstring)."""
    kind = rng.choices(
        ["page", "url-callback", "export", "pack", "embed", "callback", "malformed", "other"],
        weights=[10, 14, 14, 5, 12, 22, 18, 5],
    )[0]
    if kind == "page":
        path = rng.choice(PAGES) if rng.random() < 0.8 else "/" + _segment(rng, ["x"])
        return Case(kind, "GET", path, hostile_query(rng, target))
    if kind == "url-callback":
        dep = target.dep(rng.choice(["url.search", "view-content.children"]))
        path = rng.choice(PAGES) if rng.random() < 0.7 else "/" + hostile_text(rng)
        search = "?" + hostile_query(rng, target)
        values = [path, search, *target.real_values(dep)[2:]]
        return target.callback_case(dep, values, ["url.pathname"], kind=kind)
    if kind == "export":
        chart = _segment(rng, target.charts)
        fmt = rng.choice(["png", "svg", "csv", "csv", "csv"]) if rng.random() < 0.85 else "pdf"
        return Case(kind, "GET", f"/export/{chart}.{fmt}", hostile_query(rng, target, ["preset"]))
    if kind == "pack":
        return Case(kind, "GET", "/pack.zip", hostile_query(rng, target, ["view", "view"]))
    if kind == "embed":
        chart = _segment(rng, target.charts)
        return Case(kind, "GET", f"/embed/{chart}", hostile_query(rng, target))
    if kind == "callback":
        dep = rng.choice(target.server_callbacks)
        values = target.real_values(dep)
        for i in rng.sample(range(len(values)), rng.randint(1, len(values))):
            values[i] = hostile_json(rng)
        changed = None
        if rng.random() < 0.3:  # a control triggered it, not the URL
            items = target.body(dep, values)["inputs"]
            flat = [i for item in items for i in (item if isinstance(item, list) else [item])]
            if flat:
                pick = rng.choice(flat)
                changed = [f"{_stringify(pick['id'])}.{pick['property']}"]
        return target.callback_case(dep, values, changed)
    if kind == "malformed":
        return malformed_case(rng, target)
    path = rng.choice(
        [
            "/_dash-layout",
            "/_dash-dependencies",
            "/_favicon.ico",
            "/_reload-hash",
            "/_dash-component-suites/dash/" + _segment(rng, ["dcc/nothing.js"]),
            "/_dash-component-suites/" + _segment(rng, ["nopkg"]) + "/x.js",
            "/assets/" + _segment(rng, ["style.css", "../app.py", "..%2fapp.py"]),
            "/embed/fonts/" + _segment(rng, ["Inter-Regular.otf", "../x"]),
            "/static/" + _segment(rng, ["x"]),
            CALLBACK,
        ]
    )
    method = rng.choice(["GET", "GET", "POST", "PUT", "DELETE"])
    return Case("other", method, path, hostile_query(rng, target), b"" if method != "GET" else None)


def malformed_case(rng: random.Random, target: Target) -> Case:
    """A callback request that the Dash renderer would never send."""
    dep = rng.choice(target.server_callbacks)
    body = target.body(dep, target.real_values(dep))
    roll = rng.randint(0, 17)
    if roll == 0:
        body["output"] = rng.choice(["nope.children", SCRIPT + ".children", "..a.b...c.d.."])
    elif roll == 1:
        body["output"] = hostile_json(rng)
    elif roll == 2:
        del body[rng.choice(["output", "outputs", "inputs"])]
    elif roll == 3:
        body["inputs"] = hostile_json(rng)
    elif roll == 4:
        body["inputs"] = body["inputs"][:-1] or [{"id": "x", "property": "y"}]
    elif roll == 5:
        body["inputs"] = [*body["inputs"], {"id": "extra", "property": "value", "value": 1}]
    elif roll == 6:
        item = {"id": hostile_json(rng), "property": hostile_json(rng), "value": 1}
        body["inputs"][rng.randrange(len(body["inputs"]))] = item
    elif roll == 7:
        body["changedPropIds"] = rng.choice(
            [
                hostile_json(rng),
                ["{bad json.relayoutData"],
                ['{"chart":"cpi"}.relayoutData'],
                [SCRIPT + ".value"],
                [1, 2],
                ["url.pathname"] * 100_000,
            ]
        )
    elif roll == 8:
        body["state"] = hostile_json(rng)
    elif roll == 9:
        body["outputs"] = hostile_json(rng)
    elif roll == 10:
        dep = rng.choice(target.clientside)
        body = target.body(dep, [None])
    elif roll == 11:
        return Case("malformed", "POST", CALLBACK, body=rng.choice(_RAW_BODIES))
    elif roll == 12:
        data = json.dumps(body).encode()
        return Case("malformed", "POST", CALLBACK, body=data, content_type="text/plain")
    elif roll == 13:
        body = hostile_json(rng)
    elif roll == 14:  # a pattern input sent as one dict, or with extra id keys
        zoom = target.dep("year-range.value")
        body = target.body(zoom, [[None], [1996, 2025]])
        body["inputs"] = rng.choice(
            [
                [{"id": {"chart": "cpi", "type": "chart-graph"}, "property": "relayoutData"}],
                [[{"id": {"chart": {"x": 1}, "type": "chart-graph"}, "property": "relayoutData"}]],
                [[{"id": {"chart": "cpi", "type": "x", "z": 1}, "property": "relayoutData"}]],
                [[{"id": "chart-graph", "property": "relayoutData"}]],
            ]
        )
    elif roll == 15:
        body["outputs"] = body["outputs"][:1] if isinstance(body["outputs"], list) else []
    elif roll == 16:
        first = body["inputs"][0]
        if isinstance(first, dict):
            first["property"] = "children"
        else:
            body["inputs"][0] = {"id": "url", "property": 1}
    else:
        body = [body]
    return Case("malformed", "POST", CALLBACK, body=json.dumps(body, allow_nan=True).encode())


_RAW_BODIES = (
    b"",
    b"{bad json",
    b"null",
    b"[]",
    b"42",
    b'"text"',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"output": ' * 5000 + b"1" + b"}" * 5000,
    b"\xff\xfe\x00garbage",
    b'{"output": "url.search", "inputs": [], "a": ' + b"9" * 5000 + b"}",
    b'{"output": NaN, "inputs": Infinity}',
)


# --- checks --------------------------------------------------------------------------------------

_MD_UNESCAPED = re.compile(r"(?<!\\)<|(?<!\\)\]\(|javascript:", re.IGNORECASE)
_BAD_URL = re.compile(r"^\s*(javascript|vbscript|data:text/html)", re.IGNORECASE)


def check_response(case: Case, response) -> list[str]:
    """Problems of one response (empty when it is fine); see the module docstring."""
    problems: list[str] = []
    status = response.status_code
    body = response.get_data()
    text = body.decode("utf-8", "replace")
    image_or_pack = case.kind == "pack" or (
        case.kind == "export" and not case.path.endswith(".csv")
    )
    if status >= 500 and not (status == 503 and image_or_pack and IMAGES_OFF in text):
        problems.append(f"server error {status}: {text[:200]!r}")
    for marker in PRIVATE:
        if marker and marker in text:
            problems.append(f"response shows {marker!r}")
            break
    headers = response.headers
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    csp = headers.get("Content-Security-Policy", "")
    if "frame-ancestors" not in csp or "default-src" not in csp:
        problems.append(f"incomplete Content-Security-Policy {csp!r}")
    mimetype = response.mimetype or ""
    if status >= 400:
        if mimetype != "text/plain":
            problems.append(f"error response is {mimetype}, not short plain text")
        elif len(text) > 2000:
            problems.append(f"error response is {len(text)} characters long")
    if mimetype == "text/html":
        for marker in SCRIPT_MARKERS:
            if marker in text:
                problems.append(f"HTML reflects {marker!r}")
        if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", text, re.IGNORECASE):
            problems.append("HTML has a javascript: URL")
    if mimetype == "application/json" and case.path == CALLBACK and status == 200:
        try:
            data = json.loads(text)
        except ValueError:
            problems.append("callback response is not JSON")
        else:
            problems += component_problems(data)
    notice = headers.get("X-View-Notice", "")
    if "\n" in notice or "\r" in notice:
        problems.append("X-View-Notice header has a line break")
    return problems


def component_problems(data) -> list[str]:
    """Where Dash components (a callback response, or a layout as JSON) could run text: a
    Markdown component allowing HTML or holding unescaped markup, a javascript: URL, a notice
    that is not plain html components. Figures are skipped (plotly.js draws text nodes)."""
    problems: list[str] = []

    def walk(node, where: str) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, where)
            return
        if not isinstance(node, dict):
            return
        props = node.get("props")
        if isinstance(props, dict) and "type" in node:
            kind = f"{node.get('namespace')}.{node['type']}"
            if props.get("dangerously_allow_html"):
                problems.append(f"{kind} allows raw HTML")
            if node["type"] == "Markdown":
                source = props.get("children")
                source = "".join(source) if isinstance(source, list) else str(source or "")
                if _MD_UNESCAPED.search(source):
                    problems.append("Markdown holds unescaped markup or a javascript: link")
            for key in ("href", "src", "action"):
                value = props.get(key)
                if isinstance(value, str) and _BAD_URL.match(value):
                    problems.append(f"{kind}.{key} is {value[:40]!r}")
            if where == "url-notice" and node.get("namespace") != "dash_html_components":
                problems.append(f"a notice is rendered by {kind}, not as plain text")
            for key, value in props.items():
                if key != "figure":
                    walk(value, where)
            return
        for key, value in node.items():
            walk(value, key if key in ("url-notice", "pack-status") else where)

    walk(data.get("response", data) if isinstance(data, dict) else data, "")
    if problems:
        return list(dict.fromkeys(problems))
    return []


# --- running -------------------------------------------------------------------------------------


def run_cases(n: int, seed: int, target: Target | None = None) -> Summary:
    """Send ``n`` random cases (``random.Random(seed)``) and check every response."""
    started = time.perf_counter()
    target = target or Target()
    rng = random.Random(seed)
    summary = Summary(seed=seed)
    for _ in range(n):
        case = random_case(rng, target)
        status, problems = target.run(case)
        summary.add(case, status, problems)
    summary.seconds = time.perf_counter() - started
    return summary


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Hostile-input fuzzing of the dashboard.")
    parser.add_argument("-n", type=int, default=300, help="number of cases (300)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    summary = run_cases(args.n, args.seed)
    print(summary.report())
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
