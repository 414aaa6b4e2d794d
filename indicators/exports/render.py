"""Static image rendering through one supervised export browser per process.

The browser (a headless Chromium driven by kaleido, see :mod:`.supervisor`) starts on first
use, with MathJax off (it would be fetched from a CDN), without ``--disable-web-security``, the
project font reachable through fontconfig and the executable found by
:func:`~indicators.exports.browser.find_browser`. It stops at exit. A browser started before a
fork is refused. Under gunicorn the page workers draw nothing: their export processes do
(:mod:`.jobs`), each with its own browser.

Supervision:

- every export runs under a per-job time limit (:data:`JOB_TIMEOUT_S`, environment variable
  ``EXPORT_JOB_TIMEOUT_S``) while the browser's pid is watched;
- if the browser dies, or does not answer in time (hung, or stopped), the export in flight
  fails at once with :class:`ExportUnavailable` saying so, the process tree is killed and a
  new browser is started in the background; the next exports wait for it (about 2 s);
- a monitor thread notices a browser that died between exports and restarts it;
- a browser that cannot start, or keeps failing with no export succeeding in between, is
  retried after a delay that doubles from :data:`RETRY_FIRST_S` to :data:`RETRY_MAX_S`.

:func:`export_memory` reports the browser's memory (its process tree) for benchmarks.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any, Literal

from .browser import ExportUnavailable, find_browser
from .fonts import use_project_fonts
from .png import add_png_metadata
from .supervisor import BrowserGone, ExportBrowser, JobTimeout
from .svgfont import embed_fonts

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def _env_seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


JOB_TIMEOUT_S = _env_seconds("EXPORT_JOB_TIMEOUT_S", 20.0)  # per image, then restart
START_TIMEOUT = 60.0  # browser launch (and, separately, each warm-up render)
CLOSE_TIMEOUT = 5.0  # polite close before a kill
RETRY_FIRST_S = 2.0  # after a failed start: first retry delay, doubling ...
RETRY_MAX_S = 30.0  # ... up to this
CRASH_LOOP_LIMIT = 3  # browser failures in a row (no export between) restarted at once
MONITOR_INTERVAL_S = 1.0  # health check of an idle browser
WARMUP_TRIES = 2  # under heavy load kaleido's page can be late for the first render
RESTART_S = 3  # about how long a new export browser takes to come up (2 shared cores)

_log = logging.getLogger(__name__)
_WARMUP_FIGURE = {"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1]}], "layout": {}}
_WARMUP_OPTS = {"format": "svg", "width": 60, "height": 40}

_FORKED = (
    "Image export is unavailable in this process: the export server was started before a "
    "fork. Start it in each worker (no gunicorn --preload)."
)
_TRY_AGAIN = "It is being restarted; please try again in a few seconds."


class ExportFailed(RuntimeError):
    """The browser is there but this image could not be rendered (e.g. an invalid figure)."""


class _Server:
    # One browser, one tab: exports take turns. Held for each export and each start.
    lock = threading.RLock()
    started = False  # a browser generation is up in this process (it may have died since)
    wanted = False  # start_server() was asked for and stop_server() not since
    current: ExportBrowser | None = None
    browser: str | None = None
    pid: int | None = None  # the process that started it (fork check)
    failure: str | None = None  # why exports are held off until retry_at
    retry_at = 0.0
    failures = 0  # failed starts/crashes/hangs since the last successful export
    restarts = 0  # browsers started to replace a dead or hung one, in this process
    dropped_at: float | None = None  # when a dead or hung browser was dropped
    last_restart_s: float | None = None  # seconds from that to the new browser being up
    monitor: threading.Thread | None = None
    monitor_stop = threading.Event()
    atexit_registered = False


# -- failure bookkeeping (all called with the lock held) --------------------------------------


def _held_off() -> str | None:
    """While starts are held off after failures: the message to give, else None."""
    if _Server.failure is None:
        return None
    wait = _Server.retry_at - time.monotonic()
    if wait <= 0:
        return None
    return f"{_Server.failure} Export is tried again in {max(1, round(wait))} s."


def _hold_off(message: str, first_free: int = 0) -> float:
    """Count a failure; beyond ``first_free`` failures in a row, hold starts off for a
    doubling delay with ``message``. Returns the delay (0: a new browser may start at once)."""
    _Server.failures += 1
    over = _Server.failures - first_free
    delay = 0.0 if over <= 0 else min(RETRY_MAX_S, RETRY_FIRST_S * 2 ** (over - 1))
    if delay:
        _Server.failure, _Server.retry_at = message, time.monotonic() + delay
        _log.error("%s Next start in %.0f s.", message, delay)
    return delay


def _drop_browser(browser: ExportBrowser, why: str) -> str:
    """Forget a dead or hung browser: kill its process tree now; start a new one and close
    the old one in the background. Returns the message for the export that was in flight."""
    _Server.started, _Server.current = False, None
    browser.kill()
    _Server.dropped_at = time.monotonic()
    _log.error("export browser (pid %s) %s; killed, restarting", browser.browser_pid, why)
    delay = _hold_off(
        f"Image export is unavailable: the export browser {why}, and it failed "
        f"{_Server.failures + 1} times in a row.",
        first_free=CRASH_LOOP_LIMIT,
    )
    threading.Thread(
        target=_replace, args=(browser,), name="export-browser-restart", daemon=True
    ).start()
    if delay:
        return _held_off() or str(_Server.failure)
    return f"Image export was interrupted: the export browser {why}. {_TRY_AGAIN}"


def _replace(old: ExportBrowser) -> None:
    """Background half of :func:`_drop_browser`: start a new browser (unless stopped
    meanwhile, already restarted by an export, or held off), then release the old one."""
    try:
        with _Server.lock:
            mine = _Server.pid == os.getpid()
            if _Server.wanted and not _Server.started and mine and not _held_off():
                _start_locked()
    except ExportUnavailable:
        pass  # logged and held off; the next export tries again when due
    finally:
        old.close(CLOSE_TIMEOUT)


def _monitor(stop: threading.Event) -> None:
    """Notice a browser that died between exports and replace it before anyone waits."""
    while not stop.wait(MONITOR_INTERVAL_S):
        browser = _Server.current
        if _Server.pid != os.getpid():
            return
        if not _Server.started or browser is None or browser.alive():
            continue
        if not _Server.lock.acquire(blocking=False):
            continue  # an export holds it: it watches the browser itself
        try:
            if _Server.started and _Server.current is browser and not browser.alive():
                _drop_browser(browser, "stopped while idle")
        finally:
            _Server.lock.release()


# -- start and stop -------------------------------------------------------------------------


def _start_locked() -> None:
    browser_path = find_browser()
    use_project_fonts()
    t0 = time.perf_counter()
    browser = ExportBrowser(browser_path)

    def give_up(message: str, exc: BaseException) -> ExportUnavailable:
        browser.kill()
        threading.Thread(target=browser.close, args=(CLOSE_TIMEOUT,), daemon=True).start()
        _hold_off(message)
        retry = _held_off() or message
        hint = "if this persists, check that `chromium --headless` runs here."
        error = ExportUnavailable(f"{retry} {hint[0].upper()}{hint[1:]}")
        error.__cause__ = exc
        return error

    try:
        browser.open(START_TIMEOUT)
    except (BrowserGone, JobTimeout) as exc:
        raise give_up(
            f"Image export is unavailable: the browser at {browser_path} failed to start ({exc}).",
            exc,
        ) from exc
    for attempt in range(1, WARMUP_TRIES + 1):
        try:
            browser.render(_WARMUP_FIGURE, _WARMUP_OPTS, START_TIMEOUT)
            break
        except (BrowserGone, JobTimeout) as exc:
            message = f"Image export is unavailable: the browser at {browser_path} failed to start"
            raise give_up(f"{message} (its first image: {exc}).", exc) from exc
        except Exception as exc:
            if attempt < WARMUP_TRIES:
                _log.warning("export browser warm-up failed (%s); trying again", exc)
                time.sleep(1.0)
                continue
            raise give_up(
                f"Image export is unavailable: the warm-up render failed ({exc}).", exc
            ) from exc
    if _Server.dropped_at is not None:
        _Server.restarts += 1
        _Server.last_restart_s = time.monotonic() - _Server.dropped_at
        _Server.dropped_at = None
    _Server.current, _Server.started = browser, True
    _Server.browser, _Server.pid = browser_path, os.getpid()
    _Server.failure, _Server.retry_at = None, 0.0
    monitor = _Server.monitor
    if monitor is None or not monitor.is_alive() or _Server.monitor_stop.is_set():
        _Server.monitor_stop = threading.Event()
        _Server.monitor = threading.Thread(
            target=_monitor, args=(_Server.monitor_stop,), name="export-monitor", daemon=True
        )
        _Server.monitor.start()
    if not _Server.atexit_registered:
        atexit.register(stop_server)
        _Server.atexit_registered = True
    _log.info("export browser up with %s in %.2f s", browser_path, time.perf_counter() - t0)


def start_server() -> None:
    """Start the export browser now (otherwise the first export does); replace it if it has
    died. Raises ExportUnavailable."""
    with _Server.lock:
        _Server.wanted = True
        if _Server.started:
            if _Server.pid != os.getpid():
                raise ExportUnavailable(_FORKED)
            browser = _Server.current
            if browser is not None and browser.alive():
                return
            if browser is not None:
                _drop_browser(browser, "had stopped")
        held = _held_off()
        if held:
            raise ExportUnavailable(held)
        _start_locked()


def stop_server() -> None:
    """Stop the export browser (it starts again on the next export). Registered with atexit.
    If an export holds the browser for longer than CLOSE_TIMEOUT, the browser is killed."""
    locked = _Server.lock.acquire(timeout=CLOSE_TIMEOUT)
    try:
        _Server.wanted, _Server.dropped_at = False, None
        _Server.monitor_stop.set()
        browser, _Server.current, _Server.started = _Server.current, None, False
        if browser is not None and _Server.pid == os.getpid():
            if locked:
                browser.close(CLOSE_TIMEOUT)
            else:
                browser.kill()
                threading.Thread(target=browser.close, args=(1.0,), daemon=True).start()
    finally:
        if locked:
            _Server.lock.release()


def export_available() -> tuple[bool, str]:
    """Whether image export can work here, and a message for the UI. Starts nothing."""
    held = _held_off()
    if held:
        return False, held
    if _Server.started:
        if _Server.pid != os.getpid():
            return False, _FORKED
        return True, f"Image export is ready (browser: {_Server.browser})."
    try:
        browser = find_browser()
    except ExportUnavailable as exc:
        return False, str(exc)
    return True, f"Image export is available (browser: {browser})."


# -- monitoring ---------------------------------------------------------------------------


def _own_browser() -> ExportBrowser | None:
    browser = _Server.current
    return browser if browser is not None and _Server.pid == os.getpid() else None


def export_memory(kind: Literal["rss", "pss"] = "rss") -> int:
    """Bytes of memory held by this process's export browser: the sum over its process tree
    (choreographer's wrapper, Chromium and its zygote, GPU, utility and renderer processes).
    ``rss`` (default) counts shared pages in every process that maps them, so it overstates
    the footprint; ``pss`` divides shared pages among their users. 0 if no browser runs."""
    browser = _own_browser()
    return browser.memory(kind) if browser is not None else 0


def export_browser_pids() -> list[int]:
    """Process ids of the export browser's tree (empty if none runs)."""
    browser = _own_browser()
    return browser.pids() if browser is not None else []


def retry_after() -> int:
    """Seconds a client should wait before trying again after :class:`ExportUnavailable`
    (for a Retry-After header): what is left of a hold-off, else the time a restart takes."""
    if _Server.failure is not None and _Server.retry_at > time.monotonic():
        return max(1, round(_Server.retry_at - time.monotonic()))
    return RESTART_S


def export_status() -> dict[str, Any]:
    """A snapshot for logs and benchmarks."""
    browser = _own_browser()
    return {
        "running": bool(browser is not None and browser.alive()),
        "browser": _Server.browser,
        "pid": browser.browser_pid if browser is not None else None,
        "processes": len(browser.pids()) if browser is not None else 0,
        "rss_bytes": browser.memory("rss") if browser is not None else 0,
        "restarts": _Server.restarts,
        "failures_in_a_row": _Server.failures,
        "last_restart_s": _Server.last_restart_s,
        "held_off": _held_off(),
        "job_timeout_s": JOB_TIMEOUT_S,
    }


# -- rendering ----------------------------------------------------------------------------


def _render(spec: dict[str, Any], opts: dict[str, Any]) -> bytes:
    """One image on the running browser (lock held, server started)."""
    browser = _Server.current
    assert browser is not None
    timeout = JOB_TIMEOUT_S
    try:
        data = browser.render(spec, opts, timeout)
    except BrowserGone as exc:
        _log.warning("export browser gone during an export: %s", exc)
        raise ExportUnavailable(_drop_browser(browser, "stopped while drawing this image")) from exc
    except JobTimeout as exc:
        why = f"did not finish this image within {timeout:g} s"
        raise ExportUnavailable(_drop_browser(browser, why)) from exc
    except Exception as exc:
        raise ExportFailed(f"Could not render the image: {exc}") from exc
    _Server.failures = 0
    return data


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
        data = _render(spec, opts)
    if fmt == "png" and (png_text or dpi):
        data = add_png_metadata(data, png_text, dpi)
    if fmt == "svg":
        data = embed_fonts(data)
    return data
