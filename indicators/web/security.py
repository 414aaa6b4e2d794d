"""HTTP security of the dashboard's server: headers, plain-text errors, callback validation.

``register_security(app)`` adds to the Dash app's Flask server:

* ``security_headers`` (after every request): ``X-Content-Type-Options: nosniff`` and a
  ``Referrer-Policy`` on every response; a Content-Security-Policy on every response that has
  none of its own (the app's policy, ``app_csp``, with the hashes of Dash's inline scripts
  from ``app.csp_hashes()``; the embed policy under ``/embed/``); ``frame-ancestors`` as
  ``routes.frame_headers`` sets it: ``'none'`` for the app, ``*`` for embeds.
* ``check_callback_request`` (before a request): a POST to ``/_dash-update-component`` must be
  a JSON object shaped like a request of the Dash renderer for one of the app's server-side
  callbacks (see ``callback_problem``); anything else gets a short plain-text 400 before Dash
  sees it (Dash itself answers many malformed bodies with a 500).
* request bodies: at most ``MAX_REQUEST_BYTES`` (Flask's ``MAX_CONTENT_LENGTH``, see
  "Request bodies" below).
* pages: Dash answers every path with the app's page (a catch-all route for multi-page apps);
  ``restrict_pages`` keeps that for the app's own views only, so any other path is a 404.
* error handlers: every HTTP error (400, 404, 405, 413, ...) and any unexpected exception
  (500, logged by Flask) is a short plain-text response: no traceback or path. A 404 asked
  for by a browser (``Accept`` prefers text/html: a mistyped or stale link) is instead a short
  HTML page with a link to the overview; scripts and other clients get the plain text.

The app's policy (why each source is allowed):

=================  ===========================================================================
``script-src``     ``'self'`` (Dash's bundles, the assets, plotly.js are all served locally) and
                   the sha256 of each inline script (Dash's ``new DashRenderer()`` starter).
                   No ``'unsafe-eval'``: Dash 4 and plotly.js's scatter bundle do not need
                   it (the browser tests run under this policy; their Playwright waits are
                   written as functions, since a string predicate is run with ``eval()``).
``style-src``      ``'self' 'unsafe-inline'``: plotly.js and the Dash components set inline
                   styles and inject ``<style>`` elements.
``img-src``        ``'self' data: blob:``: plotly.js's image download and data-URL icons.
``connect-src``    ``'self'``: callbacks, layout and dependencies.
everything else    ``'self'`` (fonts) or ``'none'`` (objects, framing, base URL elsewhere).
=================  ===========================================================================

Request bodies: the only body the app reads is a callback's JSON (a few kB). ``MAX_CONTENT_LENGTH``
is set to ``MAX_REQUEST_BYTES`` (Flask's default is None, no limit, so the ``setdefault`` this
module used to call never applied it). A request whose Content-Length exceeds it is answered
413 at once, unread, on any path. A chunked body (no Content-Length) is read through
Werkzeug's limited stream, which both gunicorn and Werkzeug's server allow (they set
``wsgi.input_terminated``): the read stops one byte past the limit and the request gets a 413,
so no more than the limit is ever held in memory. Other routes never read a body: the server
discards or closes on what the client keeps sending (gunicorn drains at most 64 KiB, then
closes).

Debug mode stays off unless ``app.run(debug=True)`` (or ``flask run --debug``) asks for it:
``register_security`` turns off what Flask took from ``FLASK_DEBUG``, and Dash's
``DASH_DEBUG`` is read by ``app.run`` only (the entry point, app.py, passes ``debug=False``).
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable

import flask
from dash import Dash
from dash.exceptions import DependencyException
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    NotFound,
    RequestEntityTooLarge,
)

from indicators.web.routes import EMBED_CSP, is_embed_path

CALLBACK_PATH = "/_dash-update-component"
MAX_REQUEST_BYTES = 8 * 1024 * 1024  # a real callback request is a few kB
MAX_PATTERN_ITEMS = 500  # components matched by one ALL pattern (a view has at most 12 charts)
APP_REFERRER_POLICY = "same-origin"
EMBED_REFERRER_POLICY = "strict-origin-when-cross-origin"
_WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])
_MANY = (["ALL"], ["ALLSMALLER"])  # the wildcards that match a list of components


def app_csp(script_hashes: tuple[str, ...] = ()) -> str:
    """The dashboard's Content-Security-Policy; ``script_hashes`` from ``app.csp_hashes()``."""
    script = ["script-src 'self'", *script_hashes]
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(script),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _with_frame_ancestors(csp: str, value: str) -> str:
    kept = [d.strip() for d in csp.split(";") if d.strip()]
    kept = [d for d in kept if not d.lower().startswith("frame-ancestors")]
    return "; ".join([*kept, f"frame-ancestors {value}"])


def _has_policy(csp: str) -> bool:
    """Whether a CSP says more than frame-ancestors (routes.frame_headers may have set just
    that when it ran first)."""
    return any(
        d.strip() and not d.strip().lower().startswith("frame-ancestors") for d in csp.split(";")
    )


_NOT_FOUND_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Page not found: reform indicators</title>
<style>
body {{ font-family: Inter, "Helvetica Neue", Arial, sans-serif; color: #222;
  max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; }}
a {{ color: #0B3C8C; }}
</style>
</head>
<body>
<main>
<h1>Page not found</h1>
<p>There is no page at this address. The link may be mistyped or out of date.</p>
<p><a href="{home}">Go to the overview</a></p>
</main>
</body>
</html>
"""


def not_found_page(home: str = "/overview") -> flask.Response:
    """The 404 page for browsers: no part of the request is written into it."""
    body = _NOT_FOUND_PAGE.format(home=html.escape(home, quote=True))
    response = flask.Response(body, status=404, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def wants_html(request: flask.Request) -> bool:
    """Whether the client prefers an HTML page to plain text (a browser's navigation does;
    fetch(), curl, scripts and test clients send */* or nothing and get plain text)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html"


def plain_text(message: str, status: int) -> flask.Response:
    response = flask.Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- callback requests --------------------------------------------------------------------------


def _spec_id(raw: str) -> str | dict:
    if raw.startswith("{"):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw.replace("\\.", ".")


def output_specs(output: str) -> list[tuple[str | dict, str]]:
    """Dash's output string ('..a.children...{"chart":["ALL"],...}.figure..') as
    [(id, property)]: pattern ids parsed to dicts, `@hash` suffixes (allow_duplicate) dropped."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        specs.append((_spec_id(ident), prop.split("@")[0]))
    return specs


def stringify_id(ident: str | dict) -> str:
    """A component id as Dash writes it in prop ids (dict ids: sorted compact JSON)."""
    if isinstance(ident, dict):
        items = (f"{json.dumps(k)}:{json.dumps(ident[k])}" for k in sorted(ident))
        return "{" + ",".join(items) + "}"
    return ident


def _id_fits(pattern: str | dict, value: object) -> bool:
    if isinstance(pattern, str):
        return value == pattern
    if not isinstance(value, dict) or set(value) != set(pattern):
        return False
    for key, expected in pattern.items():
        got = value[key]
        if expected in _WILDCARDS:
            if not isinstance(got, str | int | float) or (isinstance(got, str) and len(got) > 200):
                return False
        elif got != expected:
            return False
    return True


def _item_fits(item: object, ident: str | dict, prop: str) -> bool:
    return (
        isinstance(item, dict)
        and _id_fits(ident, item.get("id"))
        and isinstance(item.get("property"), str)
        and item["property"].split("@")[0] == prop
    )


def matches_many(ident: str | dict) -> bool:
    """Whether a pattern matches a list of components (ALL, ALLSMALLER); MATCH alone names one."""
    return isinstance(ident, dict) and any(v in _MANY for v in ident.values())


def _dep_fits(item: object, ident: str | dict, prop: str) -> bool:
    if matches_many(ident):
        if not isinstance(item, list) or len(item) > MAX_PATTERN_ITEMS:
            return False
        return all(_item_fits(i, ident, prop) for i in item)
    return _item_fits(item, ident, prop)


def _prop_id(text: str) -> tuple[str, str] | None:
    ident, dot, prop = text.rpartition(".")
    if not dot:
        return None
    if ident.startswith("{"):
        try:
            parsed = json.loads(ident)
        except (ValueError, RecursionError):
            return None
        if not isinstance(parsed, dict):
            return None
        return stringify_id(parsed), prop
    return ident, prop


def callback_problem(body: object, callbacks: dict) -> str | None:
    """Why ``body`` is not a callback request the Dash renderer could send, or None.

    ``callbacks`` is ``app.callback_map``. The request must name a registered server-side
    callback (``output``) and carry its outputs, inputs and state in the registered order,
    with matching ids and properties; ``changedPropIds`` must name some of those inputs. The
    values themselves are not checked here: the callbacks validate them.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        return "no such callback"
    spec = callbacks[output]
    if "callback" not in spec:
        return "that callback runs in the browser"
    outputs, specs = body.get("outputs"), output_specs(output)
    if output.startswith(".."):
        fits = isinstance(outputs, list) and len(outputs) == len(specs)
        fits = fits and all(_dep_fits(o, *s) for o, s in zip(outputs, specs, strict=True))
    else:
        fits = _dep_fits(outputs, *specs[0])
    if not fits:
        return "the outputs do not match the callback"
    for key in ("inputs", "state"):
        deps = spec.get(key) or []
        items = body.get(key, [] if key == "state" else None)
        if not isinstance(items, list) or len(items) != len(deps):
            return f"the {key} do not match the callback"
        for item, dep in zip(items, deps, strict=True):
            if not _dep_fits(item, _spec_id(dep["id"]), dep["property"]):
                return f"the {key} do not match the callback"
    known = {
        (stringify_id(i["id"]), i["property"])
        for item in body["inputs"]
        for i in (item if isinstance(item, list) else [item])
    }
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or len(changed) > len(known):
        return "changedPropIds is not a list of the callback's inputs"
    for prop_id in changed:
        if not isinstance(prop_id, str) or _prop_id(prop_id) not in known:
            return "changedPropIds names something that is not an input of the callback"
    return None


# --- pages ---------------------------------------------------------------------------------------

CATCHALL_RULE = "<path:path>"  # what Dash's Flask backend registers after routes_pathname_prefix


def restrict_pages(app: Dash, pages: Iterable[str]) -> None:
    """Keep Dash's catch-all route (``/<path:path>``: the app's page at any path, for
    multi-page apps) for ``pages`` only (``"overview"`` serves ``/overview`` and
    ``/overview/``); any other path it would have caught is a 404.

    Only the view function is wrapped: Dash still registers and serves the route, its index
    page and everything else (``/``, ``/_dash-*``, ``/assets/*``) as before; routes registered
    by the app itself match before the catch-all and are untouched.
    """
    allowed = frozenset(p.strip("/") for p in pages)
    endpoint = app.config.routes_pathname_prefix + CATCHALL_RULE
    view = app.server.view_functions.get(endpoint)
    if view is None or getattr(view, "restricted_to", None) is not None:
        return  # no catch-all (nothing to restrict), or already done

    @functools.wraps(view)
    def pages_only(*args, **kwargs):
        path = kwargs.get("path", args[0] if args else "")
        if not isinstance(path, str) or path.rstrip("/") not in allowed:
            raise NotFound()
        return view(*args, **kwargs)

    pages_only.restricted_to = allowed  # type: ignore[attr-defined]
    app.server.view_functions[endpoint] = pages_only


# --- registration -------------------------------------------------------------------------------


def register_security(app: Dash, pages: Iterable[str] = ("overview",)) -> None:
    """Add the security headers, body limit, callback validation, page restriction (to
    ``pages``, the app's views) and the error handlers (module doc)."""
    server = app.server
    pages = tuple(pages)
    if server.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit at all
        server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    restrict_pages(app, pages)
    home = app.get_relative_path("/" + (pages[0].strip("/") if pages else ""))
    # Flask takes DEBUG from FLASK_DEBUG when the server is made; a stray variable must not
    # turn debug on under a WSGI server. app.run(debug=True) and `flask run --debug` still do.
    server.debug = False

    @functools.cache
    def policy(hashes: tuple[str, ...]) -> str:
        return app_csp(hashes)

    def too_large() -> flask.Response:
        limit = server.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES
        return plain_text(f"413 Content Too Large: the limit is {limit} bytes.", 413)

    def check_body_size():
        # Any path: a declared length over the limit is refused before a byte is read.
        # (request.max_content_length is the config value; Werkzeug enforces it again, on
        # chunked bodies too, while a body is read: see check_callback_request.)
        request = flask.request
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            return too_large()
        return None

    def check_callback_request():
        request = flask.request
        if request.method != "POST" or request.path != CALLBACK_PATH:
            return None
        if not request.is_json:
            return plain_text("Malformed callback request: expected a JSON body.", 400)
        limit = request.max_content_length
        if limit is not None and request.content_length is None:
            # A chunked body is read through Werkzeug's LimitedStream, which stops at its
            # limit without an error (it raises only on a read after that): reading up to
            # one byte past the limit tells a body over the limit from one that fits, and no
            # more than that is ever held. (Set before anything opens request.stream.)
            request.max_content_length = limit + 1
        try:
            data = request.get_data(cache=True)
        except RequestEntityTooLarge:
            return too_large()
        if limit is not None and len(data) > limit:
            return too_large()
        try:
            body = request.get_json(cache=True)  # parses the data cached above
        except (BadRequest, ValueError, RecursionError):
            return plain_text("Malformed callback request: the body is not valid JSON.", 400)
        problem = callback_problem(body, app.callback_map)
        if problem:
            return plain_text(f"Malformed callback request: {problem}.", 400)
        return None

    def security_headers(response: flask.Response) -> flask.Response:
        embed = is_embed_path(flask.request.path)
        headers = response.headers
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault(
            "Referrer-Policy", EMBED_REFERRER_POLICY if embed else APP_REFERRER_POLICY
        )
        csp = headers.get("Content-Security-Policy", "")
        if not _has_policy(csp):
            csp = EMBED_CSP if embed else policy(tuple(app.csp_hashes()))
        headers["Content-Security-Policy"] = _with_frame_ancestors(csp, "*" if embed else "'none'")
        if not embed:
            headers["X-Frame-Options"] = "DENY"
        return response

    def http_error(exc: HTTPException):
        if exc.code is None:
            return exc
        if exc.code == 404:
            page = wants_html(flask.request)
            response = not_found_page(home) if page else plain_text("404 Not Found.", 404)
            response.vary.add("Accept")
            return response
        if exc.code == 413:
            return too_large()
        response = plain_text(f"{exc.code} {exc.name}.", exc.code)
        for key, value in exc.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    def internal_error(exc: Exception):
        # Flask has logged the exception with its traceback; the client gets one line.
        return plain_text("500 Internal Server Error: the error has been logged.", 500)

    def unknown_resource(exc: Exception):
        return plain_text("404 Not Found.", 404)

    server.before_request(check_body_size)
    server.before_request(check_callback_request)
    server.after_request(security_headers)
    server.register_error_handler(HTTPException, http_error)
    server.register_error_handler(InternalServerError, internal_error)
    server.register_error_handler(DependencyException, unknown_resource)


__all__ = [
    "APP_REFERRER_POLICY",
    "app_csp",
    "callback_problem",
    "not_found_page",
    "plain_text",
    "register_security",
    "restrict_pages",
    "stringify_id",
]
