"""Static image rendering through one persistent kaleido server per process.

The server (a headless Chromium driven by kaleido) starts on first use, with MathJax off (it
would be fetched from a CDN), the project font reachable through fontconfig and the browser
found by :func:`~indicators.exports.browser.find_browser`. It stops at exit. Under gunicorn it
starts in each worker on first export; a server started before a fork is refused.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any, Literal

import kaleido

from .browser import ExportUnavailable, find_browser
from .fonts import use_project_fonts
from .png import add_png_metadata
from .presets import PRESETS, Preset
from .svgfont import embed_fonts

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

RENDER_TIMEOUT = 30.0  # kaleido's own limit per image
START_TIMEOUT = 60.0  # browser launch plus the first (warm-up) image
CALL_TIMEOUT = 45.0  # our watchdog per call; above RENDER_TIMEOUT so kaleido's fires first
RETRY_AFTER_S = 30.0  # after a failure, the next export after this long starts a new browser
WARMUP_TRIES = 2  # under heavy load kaleido's page can be late for the first render

_log = logging.getLogger(__name__)
_WARMUP_FIGURE = {"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1]}], "layout": {}}


_FORKED = (
    "Image export is unavailable in this process: the export server was started before a "
    "fork. Start it in each worker (no gunicorn --preload)."
)


class ExportFailed(RuntimeError):
    """The browser is there but this image could not be rendered (e.g. an invalid figure)."""


class _Server:
    # kaleido's sync server keeps one task queue and one result queue: two threads calling it
    # at once could receive each other's images, so every call holds this lock.
    lock = threading.RLock()
    started = False
    browser: str | None = None
    pid: int | None = None
    failure: str | None = None
    failed_at = 0.0
    atexit_registered = False


def _fail(message: str) -> str:
    _Server.failure, _Server.failed_at = message, time.monotonic()
    _log.error("%s", message)
    return message


def _retry_due() -> bool:
    return _Server.failure is not None and time.monotonic() - _Server.failed_at >= RETRY_AFTER_S


def _reset_after_failure() -> None:
    """Forget a failed server so that the next start launches a new browser. kaleido's own
    stop may hang on a stuck worker, so it gets a few seconds in a thread of its own."""
    stopper = threading.Thread(
        target=lambda: kaleido.stop_sync_server(silence_warnings=True), daemon=True
    )
    stopper.start()
    stopper.join(5.0)
    _Server.started, _Server.failure = False, None


def _server_thread_alive() -> bool:
    # kaleido exposes no health check; its worker thread dies if Chromium fails to launch.
    thread = getattr(kaleido._global_server, "_thread", None)
    return thread is None or thread.is_alive()


def _call(
    figure: dict[str, Any], opts: dict[str, Any], timeout: float, starting: bool = False
) -> bytes:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = kaleido.calc_fig_sync(figure, opts=opts)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="kaleido-call", daemon=True)
    worker.start()
    deadline = time.monotonic() + timeout
    while worker.is_alive():
        worker.join(min(0.25, max(deadline - time.monotonic(), 0)))
        if worker.is_alive() and (time.monotonic() >= deadline or not _server_thread_alive()):
            if _server_thread_alive():
                why = f"did not answer within {timeout:.0f} s"
            else:
                why = "failed to start" if starting else "stopped"
            raise ExportUnavailable(
                _fail(
                    f"Image export is unavailable: the browser at {_Server.browser} {why}. "
                    f"It is tried again after {RETRY_AFTER_S:.0f} s; if this persists, check "
                    "that `chromium --headless` runs here."
                )
            )
    if "error" in box:
        raise ExportFailed(f"Could not render the image: {box['error']}") from box["error"]
    return box["result"]


def start_server() -> None:
    """Start the server now (otherwise the first export does). Raises ExportUnavailable."""
    with _Server.lock:
        if _Server.failure:
            if not _retry_due():
                raise ExportUnavailable(_Server.failure)
            _reset_after_failure()
        if _Server.started:
            if _Server.pid != os.getpid():
                raise ExportUnavailable(_FORKED)
            return
        browser = find_browser()
        use_project_fonts()
        if kaleido._global_server.is_running():
            _log.warning("A kaleido server was already running; its settings are kept.")
        t0 = time.perf_counter()
        kaleido.start_sync_server(
            path=browser, mathjax=False, timeout=RENDER_TIMEOUT, n=1, silence_warnings=True
        )
        _Server.started, _Server.browser, _Server.pid = True, browser, os.getpid()
        if not _Server.atexit_registered:
            atexit.register(stop_server)
            _Server.atexit_registered = True
        for attempt in range(1, WARMUP_TRIES + 1):
            try:
                _call(
                    _WARMUP_FIGURE,
                    {"format": "svg", "width": 60, "height": 40},
                    START_TIMEOUT,
                    True,
                )
                break
            except ExportFailed as exc:
                if attempt < WARMUP_TRIES:
                    _log.warning("kaleido warm-up failed (%s); trying again", exc)
                    time.sleep(1.0)
                    continue
                message = f"Image export is unavailable: the warm-up render failed ({exc})."
                raise ExportUnavailable(_fail(message)) from exc
        _log.info("kaleido server up with %s in %.2f s", browser, time.perf_counter() - t0)


def stop_server() -> None:
    """Stop the server (it restarts on the next export). Registered with atexit."""
    with _Server.lock:
        # After a failure kaleido's worker may be stuck; joining it could hang the exit.
        if _Server.started and not _Server.failure and _Server.pid == os.getpid():
            kaleido.stop_sync_server(silence_warnings=True)
        _Server.started = False


def export_available() -> tuple[bool, str]:
    """Whether image export can work here, and a message for the UI. Starts nothing."""
    if _Server.failure and not _retry_due():
        return False, _Server.failure
    if _Server.started and not _Server.failure:
        if _Server.pid != os.getpid():
            return False, _FORKED
        return True, f"Image export is ready (browser: {_Server.browser})."
    try:
        browser = find_browser()
    except ExportUnavailable as exc:
        return False, str(exc)
    return True, f"Image export is available (browser: {browser})."


def _figure_dict(figure: Any) -> dict[str, Any]:
    if hasattr(figure, "to_dict") and not isinstance(figure, Mapping):
        figure = figure.to_dict()  # plotly.graph_objects.Figure
    if not isinstance(figure, Mapping):
        raise TypeError(f"expected a figure dict or plotly Figure, got {type(figure).__name__}")
    # Plain dicts from the app may lack "data" (kaleido then rejects them) or carry extras.
    out: dict[str, Any] = {
        "data": list(figure.get("data") or []),
        "layout": dict(figure.get("layout") or {}),
    }
    return out


def render_figure(
    figure: Mapping[str, Any] | Any,
    fmt: Format,
    width: int,
    height: int,
    scale: float = 1,
    png_text: Mapping[str, str] | None = None,
    *,
    dpi: float | None = None,
) -> bytes:
    """Render a figure (plain dict or ``go.Figure``) and return the file's bytes.

    ``width`` and ``height`` are layout pixels; a PNG comes out ``width*scale`` by
    ``height*scale``. For PNG, ``png_text`` entries become tEXt/iTXt chunks (e.g. "Title",
    "Source", "URL", "Description") and ``dpi`` a pHYs chunk; pixels are left untouched.
    Raises :class:`ExportUnavailable` if there is no working browser, :class:`ExportFailed` if
    this figure cannot be rendered.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    if width < 1 or height < 1 or scale <= 0:
        raise ValueError(f"invalid size {width}x{height} at scale {scale}")
    if png_text and fmt != "png":
        raise ValueError("png_text applies to PNG output only")
    spec = _figure_dict(figure)
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": scale}
    with _Server.lock:
        start_server()
        data = _call(spec, opts, CALL_TIMEOUT)
    if fmt == "png" and (png_text or dpi):
        data = add_png_metadata(data, png_text, dpi)
    if fmt == "svg":
        data = embed_fonts(data)
    return data


def render_preset(
    figure: Mapping[str, Any] | Any,
    preset: str | Preset = "wide",
    fmt: Format = "png",
    png_text: Mapping[str, str] | None = None,
) -> bytes:
    """:func:`render_figure` at one of :data:`~indicators.exports.presets.PRESETS`."""
    p = PRESETS[preset] if isinstance(preset, str) else preset
    return render_figure(
        figure, fmt, p.width, p.height, p.scale, png_text, dpi=p.dpi if fmt == "png" else None
    )
