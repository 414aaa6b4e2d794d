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
* error handlers: every HTTP error (400, 404, 405, 413, ...) and any unexpected exception
  (500, logged by Flask) is a short plain-text response: no HTML page, traceback or path.

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

Debug mode stays off unless ``app.run(debug=True)`` (or ``flask run --debug``) asks for it:
``register_security`` turns off what Flask took from ``FLASK_DEBUG``, and Dash's
``DASH_DEBUG`` is read by ``app.run`` only (the entry point, app.py, passes ``debug=False``).
"""

from __future__ import annotations

import functools
import json

import flask
from dash import Dash
from dash.exceptions import DependencyException
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from indicators.web.routes import EMBED_CSP, is_embed_path

CALLBACK_PATH = "/_dash-update-component"
MAX_REQUEST_BYTES = 8 * 1024 * 1024  # a real callback request is a few kB
MAX_PATTERN_ITEMS = 500  # components matched by one ALL pattern (a view has at most 12 charts)
APP_REFERRER_POLICY = "same-origin"
EMBED_REFERRER_POLICY = "strict-origin-when-cross-origin"
_WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])


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


def _is_pattern(ident: str | dict) -> bool:
    return isinstance(ident, dict) and any(v in _WILDCARDS for v in ident.values())


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


def _dep_fits(item: object, ident: str | dict, prop: str) -> bool:
    if _is_pattern(ident) and isinstance(item, list):
        return len(item) <= MAX_PATTERN_ITEMS and all(_item_fits(i, ident, prop) for i in item)
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


# --- registration -------------------------------------------------------------------------------


def register_security(app: Dash) -> None:
    """Add the security headers, callback validation and plain error handlers (module doc)."""
    server = app.server
    server.config.setdefault("MAX_CONTENT_LENGTH", MAX_REQUEST_BYTES)
    # Flask takes DEBUG from FLASK_DEBUG when the server is made; a stray variable must not
    # turn debug on under a WSGI server. app.run(debug=True) and `flask run --debug` still do.
    server.debug = False

    @functools.cache
    def policy(hashes: tuple[str, ...]) -> str:
        return app_csp(hashes)

    def check_callback_request():
        request = flask.request
        if request.method != "POST" or request.path != CALLBACK_PATH:
            return None
        limit = server.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES
        if request.content_length is not None and request.content_length > limit:
            return plain_text("413 Request Entity Too Large.", 413)
        if not request.is_json:
            return plain_text("Malformed callback request: expected a JSON body.", 400)
        try:
            body = request.get_json(cache=True)
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

    server.before_request(check_callback_request)
    server.after_request(security_headers)
    server.register_error_handler(HTTPException, http_error)
    server.register_error_handler(InternalServerError, internal_error)
    server.register_error_handler(DependencyException, unknown_resource)


__all__ = [
    "APP_REFERRER_POLICY",
    "app_csp",
    "callback_problem",
    "plain_text",
    "register_security",
    "stringify_id",
]
