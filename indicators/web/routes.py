"""Download, briefing-pack and embed routes on the dashboard's Flask server.

=======================================================  =========================================
``GET /export/<chart>.<png|svg|csv>?<view query>``       one chart as a file (attachment, logical
``      &preset=wide|square|print``                      name); PNG/SVG need the export browser
``GET /pack.zip?view=<view>&<view query>``               the briefing pack (ZIP) of a view; the
                                                         overview gives every chart
``GET /embed/<chart>?<view query>``                      standalone responsive page for an iframe
``GET /embed/plotly.min.js``, ``/embed/embed.js``,       its scripts and fonts, served locally
``/embed/embed-resize.js``, ``/embed/fonts/<file>``      (the page makes no external request)
=======================================================  =========================================

The view query is the dashboard's own (``?focus=UZB&group=south_caucasus&from=2005``) and is
read by ``parse_query``: unknown countries or values are dropped, never an error page. Errors
are short plain-text responses: 404 unknown chart or format, 400 bad preset, 503 when image
export is unavailable here (the message says how to install the browser), 429 when the export
queue (:mod:`indicators.exports.jobs`) or the pack builders are full. Both carry a Retry-After
computed from the export side: the queue's expected wait, or the time until the export browser
is back. A client that comes back after one sends ``X-Export-Attempt: <n>`` (n = 2, 3, ...;
the page's downloads do), and the queue keeps its last places for such clients.

Framing: ``/embed/...`` responses may be framed by any site (``frame-ancestors *``, no
X-Frame-Options); every other response of the server gets ``X-Frame-Options: DENY`` and
``frame-ancestors 'none'``.

Links (permalinks, the embed page's canonical, CSV and PNG links, PNG metadata, the pack's
README) start with ``links.public_base_url()``: ``INDICATORS_PUBLIC_URL`` when it is set and
valid, otherwise nothing (relative links; files then carry no permalink). Never the request's
Host header, so no client can put its own address into a page or file, and a response shared
by a cache (embeds are ``public, max-age=300``) is the same whatever Host it was asked for.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import flask
import plotly
from plotly.io.json import to_json_plotly

from indicators.charts.registry import CHARTS
from indicators.exports import files, jobs
from indicators.exports.browser import ExportUnavailable
from indicators.exports.fonts import FONT_FILES, FONT_STACK
from indicators.exports.map_export import MAP_ID, map_export
from indicators.exports.presets import DEFAULT_PRESET, PRESETS
from indicators.exports.render import ExportFailed, export_available, retry_after
from indicators.exports.summary_csv import summary_export
from indicators.exports.supervisor import PLOTLY_JS
from indicators.render.chart import Chart, build_chart
from indicators.render.figure import CONFIG
from indicators.view.state import ViewState, to_query
from indicators.web import layout, map_view
from indicators.web.links import export_url, public_base_url
from indicators.web.store import DataStore

_log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
RESIZE_JS = ROOT / "assets" / "embed-resize.js"
PLOTLY_VERSION = plotly.__version__
EMBED_PREFIX = "/embed/"
ATTEMPT_HEADER = "X-Export-Attempt"
EMBED_CONFIG = {**CONFIG, "displaylogo": False, "showSendToCloud": False, "responsive": True}
EMBED_MESSAGE = "indicators-embed:height"  # postMessage type understood by embed-resize.js
LONG_CACHE = "public, max-age=31536000, immutable"  # versioned URLs (?v=...)
SHORT_CACHE = "public, max-age=3600"
PAGE_CACHE = "public, max-age=300"  # data can be reloaded; keep embeds fresh
EMBED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",  # Flask adds "; charset=utf-8" to text types
}
PACK_RETRY_AFTER_S = 5  # at least, when the pack builders are busy: a pack takes 3-7 s


# --- helpers -------------------------------------------------------------------------------------


def _text(message: str, status: int, **headers: str) -> flask.Response:
    response = flask.Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    for key, value in headers.items():
        response.headers[key.replace("_", "-")] = value
    return response


def _busy(exc: jobs.QueueFull) -> flask.Response:
    return _text(str(exc), 429, Retry_After=str(exc.retry_after))


def _unavailable(message: str, exc: Exception | None = None) -> flask.Response:
    """503 with the wait the export side reported (a browser restart, a hold-off)."""
    wait = getattr(exc, "retry_after", None) or retry_after()
    return _text(message, 503, Retry_After=str(wait))


def _attachment(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _plain_errors(view):
    """Any unexpected failure becomes a short plain-text 500, logged here, never a traceback."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Exception:
            _log.exception("%s failed for %s", view.__name__, flask.request.full_path)
            return _text("Internal error while preparing this file; it has been logged.", 500)

    return wrapper


def is_embed_path(path: str) -> bool:
    return path.startswith(EMBED_PREFIX)


def _set_frame_ancestors(csp: str, value: str) -> str:
    kept = [d.strip() for d in csp.split(";") if d.strip()]
    kept = [d for d in kept if not d.lower().startswith("frame-ancestors")]
    return "; ".join([*kept, f"frame-ancestors {value}"])


def frame_headers(response: flask.Response) -> flask.Response:
    """after_request: embeds may be framed anywhere; nothing else may be framed at all."""
    csp = response.headers.get("Content-Security-Policy", "")
    if is_embed_path(flask.request.path):
        response.headers.pop("X-Frame-Options", None)
        response.headers["Content-Security-Policy"] = _set_frame_ancestors(csp, "*")
    else:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = _set_frame_ancestors(csp, "'none'")
    return response


def _args() -> list[tuple[str, str]]:
    return list(flask.request.args.items(multi=True))


def _attempt() -> int:
    """The client's attempt at this download (``X-Export-Attempt``), 1 unless it says so."""
    raw = flask.request.headers.get(ATTEMPT_HEADER, "")
    # isascii: str.isdigit also accepts "²", which int() refuses
    ok = raw.isascii() and raw.isdigit() and len(raw) < 4 and int(raw) > 0
    return min(int(raw), 99) if ok else 1


def pack_url(state: ViewState) -> str:
    query = to_query(state).lstrip("?")
    return f"/pack.zip?view={state.view}" + (f"&{query}" if query else "")


def embed_url(chart_id: str, state: ViewState, base_url: str = "") -> str:
    return f"{base_url.rstrip('/')}{EMBED_PREFIX}{chart_id}{to_query(state)}"


def embed_snippet(
    chart_id: str, state: ViewState, base_url: str, title: str | None = None, height: int = 560
) -> str:
    """HTML to paste into a web page: the iframe plus the script that resizes it to fit.

    ``title`` (the iframe's accessible name) defaults to the chart's label.
    """
    files.check_chart(chart_id)
    base = base_url.rstrip("/")
    label = title or CHARTS[chart_id].label
    src = html.escape(embed_url(chart_id, state, base), quote=True)
    return (
        f'<iframe src="{src}" title="{html.escape(label, quote=True)}" width="100%" '
        f'height="{int(height)}" style="width:100%;height:{int(height)}px;border:0" '
        'loading="lazy" referrerpolicy="strict-origin-when-cross-origin" '
        "data-indicators-embed></iframe>\n"
        f'<script src="{html.escape(base)}{EMBED_PREFIX}embed-resize.js" async></script>'
    )


# --- embed page ----------------------------------------------------------------------------------


def embed_figure(chart: Chart) -> dict:
    """The chart's figure for a responsive page: title, subtitle and footer move into HTML
    (they wrap there at any width), the plot keeps everything else."""
    layout = dict(chart.figure.get("layout") or {})
    layout.pop("width", None)
    layout.pop("height", None)
    layout["title"] = {"text": ""}
    # the direct labels need the figure's right margin: an embed names its lines in a legend
    layout["annotations"] = [
        a
        for a in layout.get("annotations", [])
        if a.get("name") not in ("source-line", "direct-label")
    ]
    layout["showlegend"] = True
    layout["margin"] = {"l": 8, "r": 8, "t": 28, "b": 8, "pad": 0}
    layout["autosize"] = True
    # At the bottom of the page's plot box, below the tick labels: plotly reserves the room it
    # needs; "normal" order keeps a horizontal legend in rows even when traces have groups.
    layout["legend"] = {
        **{k: v for k, v in (layout.get("legend") or {}).items() if k == "font"},
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "xref": "container",
        "y": 0,
        "yanchor": "bottom",
        "yref": "container",
        "traceorder": "normal",
    }
    for axis in ("xaxis", "yaxis", "yaxis2"):
        if axis in layout:
            layout[axis] = {**layout[axis], "automargin": True}
    return {"data": chart.figure.get("data", []), "layout": layout, "config": EMBED_CONFIG}


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{page_title}</title>
<link rel="canonical" href="{link}">
<style>
@font-face {{ font-family: "Inter"; font-weight: 400; font-display: swap;
  src: url("fonts/Inter-Regular.otf?v={version}") format("opentype"); }}
@font-face {{ font-family: "Inter"; font-weight: 700; font-display: swap;
  src: url("fonts/Inter-Bold.otf?v={version}") format("opentype"); }}
html, body {{ margin: 0; padding: 0; background: #fff; }}
body {{ font-family: {font}; color: #222; }}
.embed {{ margin: 0; padding: 12px 12px 8px; }}
.chart-title {{ font-size: 18px; font-weight: 700; margin: 0; line-height: 1.25; }}
.chart-subtitle {{ font-size: 13px; color: #555; margin: 4px 0 0; line-height: 1.35; }}
.chart {{ width: 100%; min-height: 300px; }}
.chart-footer {{ font-size: 12px; color: #555; line-height: 1.4; }}
.chart-footer p {{ margin: 4px 0 0; }}
.chart-footer a {{ color: #0B3C8C; }}
.no-script {{ font-size: 13px; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
</style>
</head>
<body>
<main>
<figure class="embed" id="embed" aria-labelledby="chart-title" aria-describedby="chart-alt">
<h1 class="chart-title" id="chart-title">{title}</h1>
<p class="chart-subtitle">{subtitle}</p>
<p class="visually-hidden" id="chart-alt">{alt}</p>
<div class="chart" id="chart" data-chart="{chart_id}"></div>
<noscript><p class="no-script">{alt}</p></noscript>
<figcaption class="chart-footer">
{notes}<p class="source-line">{source}</p>
<p><a href="{link}" target="_blank" rel="noopener">Explore this chart on the dashboard</a>
· <a href="{csv}" rel="nofollow">Data (CSV)</a>
· <a href="{png}" rel="nofollow">Image (PNG)</a></p>
</figcaption>
</figure>
</main>
<script type="application/json" id="figure-data">{figure}</script>
<script src="plotly.min.js?v={version}"></script>
<script src="embed.js?v={version}"></script>
</body>
</html>
"""

# Served as /embed/embed.js (not inline, so the page's CSP allows scripts from 'self' only).
EMBED_JS = """(function () {
  "use strict";
  var el = document.getElementById("chart");
  var box = document.getElementById("embed");
  var fig = JSON.parse(document.getElementById("figure-data").textContent);
  var last = 0;
  function plotHeight() {
    // The plotting area scales with the width; the legend's rows come on top of it.
    var w = el.clientWidth || 600;
    var legend = el.querySelector(".legend");
    var rows = legend ? Math.ceil(legend.getBoundingClientRect().height) : 60;
    return Math.round(Math.min(360, Math.max(220, w * 0.45))) + rows + 64;
  }
  function post() {
    var h = Math.ceil(box.getBoundingClientRect().height);
    if (h && h !== last && window.parent !== window) {
      last = h;
      window.parent.postMessage({type: "__TYPE__", chart: el.dataset.chart, height: h}, "*");
    }
  }
  var timer = null;
  function resized() {
    clearTimeout(timer);
    timer = setTimeout(fit, 120);
  }
  function fit() {
    var h = plotHeight();
    if (el._fullLayout && Math.abs(el._fullLayout.height - h) > 2) {
      return Plotly.relayout(el, {height: h}).then(post);
    }
    post();
    return Promise.resolve();
  }
  fig.layout.height = plotHeight();
  Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(fit);
  window.addEventListener("resize", resized);
  window.addEventListener("load", post);
  if (window.ResizeObserver) { new ResizeObserver(post).observe(box); }
})();
""".replace("__TYPE__", EMBED_MESSAGE)


def _json_for_script(value: object) -> str:
    # to_json_plotly escapes < > & and turns NaN into null; also escape the JS line separators.
    return to_json_plotly(value).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def embed_page(bundle, state: ViewState, chart_id: str, base_url: str, notices=()) -> str:
    """The standalone HTML page of one chart for an iframe (see module docstring)."""
    files.check_chart(chart_id)
    state = files.chart_state(state, chart_id)
    chart = build_chart(chart_id, bundle, state)
    link = files.permalink(state, base_url)
    esc = functools.partial(html.escape, quote=True)
    notes = "".join(f'<p class="note">Note: {esc(n)}</p>\n' for n in chart.notes)
    notes += "".join(f'<p class="note url-notice">Link: {esc(n)}</p>\n' for n in notices)
    names = bundle.countries.name
    return _PAGE.format(
        page_title=esc(f"{chart.title}: {names(state.focus)}"),
        title=esc(chart.title),
        subtitle=esc(chart.subtitle),
        alt=esc(chart.alt_text),
        chart_id=esc(chart_id),
        notes=notes,
        source=esc(chart.source),
        link=esc(link),
        csv=esc(f"{base_url}{export_url(chart_id, 'csv', state)}"),
        png=esc(f"{base_url}{export_url(chart_id, 'png', state)}"),
        figure=_json_for_script(embed_figure(chart)),
        version=esc(PLOTLY_VERSION),
        font=FONT_STACK,
    )


# --- static files of the embed page ----------------------------------------------------------


class _Gzipped:
    """A static file kept in memory, raw and gzip-compressed once (plotly.min.js: 4.8 MB raw,
    about 1.4 MB compressed), so no request pays for compression."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._data: tuple[bytes, bytes] | None = None

    def get(self) -> tuple[bytes, bytes]:
        if self._data is None:
            with self._lock:
                if self._data is None:
                    raw = self.path.read_bytes()
                    self._data = (raw, gzip.compress(raw, compresslevel=6, mtime=0))
        return self._data


_PLOTLY = _Gzipped(PLOTLY_JS)


def _static(body: bytes, mimetype: str, etag: str, gz: bytes | None = None) -> flask.Response:
    request = flask.request
    versioned = request.args.get("v") == PLOTLY_VERSION
    if etag in request.if_none_match:
        response = flask.Response(status=304)
    else:
        use_gzip = gz is not None and "gzip" in request.accept_encodings
        response = flask.Response(gz if use_gzip else body, mimetype=mimetype)
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
    if gz is not None:
        response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(etag)
    response.headers["Cache-Control"] = LONG_CACHE if versioned else SHORT_CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


# --- routes ------------------------------------------------------------------------------------


def register_routes(
    server: flask.Flask,
    store: DataStore,
    export_status: Callable[[], tuple[bool, str]] | None = None,
) -> None:
    """Add the export, pack and embed routes and the framing headers to ``server``.

    ``export_status() -> (ok, message)`` says whether images can be rendered here (default:
    the export engine's own check); the dashboard passes the same one its callbacks use.
    """
    bp = flask.Blueprint("indicators_exports", __name__)

    def images_available() -> tuple[bool, str]:
        return (export_status or export_available)()

    @bp.get("/export/<path:filename>")
    @_plain_errors
    def export_file(filename: str):
        chart_id, dot, fmt = filename.rpartition(".")
        chart_id, summary = chart_id.removesuffix(".summary"), chart_id.endswith(".summary")
        if not dot or "/" in filename:
            return _text("Use /export/<chart>.<png|svg|csv>, e.g. /export/cpi.png.", 404)
        is_map = chart_id == MAP_ID and not summary
        if chart_id not in CHARTS and not is_map:
            known = ", ".join([*CHARTS, MAP_ID])
            return _text(f"Unknown chart '{chart_id[:60]}'. Known: {known}.", 404)
        if fmt not in files.FILE_FORMATS or (summary and fmt != "csv"):
            return _text(f"Unknown format '{fmt[:20]}'. Use png, svg or csv.", 404)
        preset = flask.request.args.get("preset", DEFAULT_PRESET)
        if preset not in PRESETS:
            return _text(f"Unknown preset '{preset[:40]}'. Use {', '.join(PRESETS)}.", 400)
        bundle = store.current()
        view = "map" if is_map else CHARTS[chart_id].view
        parsed = files.state_from_params(bundle, view, _args())
        state = parsed.state
        if fmt != "csv":
            ok, message = images_available()
            if not ok:
                return _unavailable(message)
        try:
            if summary:
                body, name = summary_export(bundle, state, chart_id)
            elif fmt == "csv" and is_map:
                body, name = map_export(bundle, state, fmt)
            elif fmt == "csv":
                body, name = files.chart_export(
                    bundle, state, chart_id, fmt, preset, public_base_url()
                )
            else:  # a job: the chart is built and drawn by an export process (see jobs)
                body, name = jobs.chart_file(
                    bundle,
                    store.data_dir,
                    chart_id,
                    fmt,
                    preset,
                    _args(),
                    public_base_url(),
                    _attempt(),
                )
        except jobs.QueueFull as exc:
            return _busy(exc)
        except ExportUnavailable as exc:
            return _unavailable(str(exc), exc)
        except ExportFailed as exc:
            _log.warning("export of %s failed: %s", flask.request.full_path, exc)
            return _text(str(exc)[:300], 500)
        response = flask.Response(body, mimetype=MIME[fmt])
        response.headers["Content-Disposition"] = _attachment(name)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if parsed.notices:  # the file was made with the bad settings dropped: say which
            response.headers["X-View-Notice"] = quote(" ".join(parsed.notices)[:500], safe=" ,.'=:")
        return response

    @bp.get("/pack.zip")
    @_plain_errors
    def pack_zip():
        from indicators.exports.pack import PackBusy

        bundle = store.current()
        view = flask.request.args.get("view", "overview")
        ok, message = images_available()
        if not ok:
            return _unavailable(message)
        try:
            data, name = jobs.pack_file(
                bundle, store.data_dir, view, _args(), public_base_url(), _attempt()
            )
        except jobs.QueueFull as exc:
            return _busy(exc)
        except PackBusy as exc:
            wait = max(PACK_RETRY_AFTER_S, jobs.retry_after())
            return _text(str(exc), 429, Retry_After=str(wait))
        except ExportUnavailable as exc:
            return _unavailable(str(exc), exc)
        except ExportFailed as exc:
            return _text(str(exc)[:300], 500)
        response = flask.Response(data, mimetype="application/zip")
        response.headers["Content-Disposition"] = _attachment(name)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @bp.get("/embed/plotly.min.js")
    def embed_plotly_js():
        raw, gz = _PLOTLY.get()
        return _static(raw, "text/javascript", f"plotly-{PLOTLY_VERSION}", gz)

    @bp.get("/embed/embed.js")
    def embed_js():
        return _static(EMBED_JS.encode(), "text/javascript", f"embed-{_digest(EMBED_JS)}")

    @bp.get("/embed/embed-resize.js")
    def embed_resize_js():
        text = RESIZE_JS.read_text(encoding="utf-8")
        response = _static(text.encode(), "text/javascript", f"resize-{_digest(text)}")
        response.headers["Cache-Control"] = SHORT_CACHE  # the snippet's URL has no version
        return response

    @bp.get("/embed/fonts/<name>")
    def embed_font(name: str):
        fonts = {p.name: p for p in FONT_FILES.values()}
        if name not in fonts:
            return _text("Unknown font file.", 404)
        return _static(fonts[name].read_bytes(), "font/otf", f"font-{name}")

    @bp.get("/table/<chart_id>.json")
    @_plain_errors
    def table_rows(chart_id: str):
        """A chart's (or the map's) data table as text cells, for the page's table when it is
        opened (assets/cards.js): the rows a change of settings no longer carries."""
        is_map = chart_id == MAP_ID
        if chart_id not in CHARTS and not is_map:
            return _text(f"Unknown chart '{chart_id[:60]}'. Known: {', '.join(CHARTS)}.", 404)
        bundle = store.current()
        view = "map" if is_map else CHARTS[chart_id].view
        state = files.state_from_params(bundle, view, _args()).state
        if is_map:
            data = map_view.table_data(map_view.map_parts(bundle, state))
        else:
            data = layout.table_data(build_chart(chart_id, bundle, state))
        response = flask.Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @bp.get("/embed/<chart_id>")
    @_plain_errors
    def embed(chart_id: str):
        if chart_id not in CHARTS:
            return _text(f"Unknown chart '{chart_id[:60]}'. Known: {', '.join(CHARTS)}.", 404)
        bundle = store.current()
        parsed = files.state_from_params(bundle, CHARTS[chart_id].view, _args())
        page = embed_page(bundle, parsed.state, chart_id, public_base_url(), parsed.notices)
        response = flask.Response(page, mimetype="text/html")
        response.headers["Content-Security-Policy"] = EMBED_CSP
        response.headers["Cache-Control"] = PAGE_CACHE
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response

    server.register_blueprint(bp)
    server.after_request(frame_headers)


@functools.cache
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = [
    "EMBED_MESSAGE",
    "embed_figure",
    "embed_page",
    "embed_snippet",
    "embed_url",
    "export_url",
    "frame_headers",
    "is_embed_path",
    "pack_url",
    "register_routes",
]
