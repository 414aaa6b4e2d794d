"""What an export worker process runs: one image on its own supervised browser.

Both job backends (:mod:`.jobs`: the local process pool, and Celery in :mod:`.celery_app`)
call :func:`init` once in each worker process and :func:`render_image` per job. Outcomes are
plain dicts rather than exceptions, so that they cross a process or a JSON broker intact; each
has ``status`` and ``seconds`` (the job's own time, for the queue's wait estimate):

- ``{"status": "ok", "data": bytes}``
- ``{"status": "unavailable", "message": ..., "retry_after": s}``: no working browser here
  now (it is being restarted)
- ``{"status": "failed", "message": ...}``: this figure could not be drawn
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from . import render
from .browser import ExportUnavailable

_log = logging.getLogger(__name__)


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Below the page workers: when both want the CPU, pages win (Chromium inherits the value).
NICE = _env_int("EXPORT_NICE", 10)
# CPU cores the export processes (and their browsers, which inherit it) may run on: the last
# ones, half of the machine by default, so pages always keep the others. Chromium resets its
# processes' nice values (as root it even raises some), but never their CPU affinity.
CPUS = _env_int("EXPORT_CPUS", max(1, (os.cpu_count() or 2) // 2))
# The browser is restarted after a job that leaves its process tree above this many MiB
# (proportional set size: shared pages divided among the processes that map them).
MAX_BROWSER_MB = _env_int("EXPORT_MAX_BROWSER_MB", 700)


def init() -> None:
    """Once per export worker process: lower its CPU priority, keep it off the first cores."""
    try:
        if NICE > 0 and hasattr(os, "nice"):
            os.nice(NICE)
        if hasattr(os, "sched_setaffinity"):
            allowed = sorted(os.sched_getaffinity(0))
            if len(allowed) > CPUS:
                os.sched_setaffinity(0, allowed[-CPUS:])
    except OSError as exc:
        _log.warning("export worker: could not lower its priority (%s)", exc)


def warm() -> int:
    """Start the browser now, so that the first real job does not wait for it."""
    try:
        render.start_server()
    except ExportUnavailable as exc:
        _log.warning("export worker warm-up: %s", exc)
    return os.getpid()


def render_image(
    spec_json: str,
    opts: Mapping[str, Any],
    png_text: Mapping[str, str] | None,
    dpi: float | None,
) -> dict[str, Any]:
    """Render one figure (given as plotly JSON) here; see the module docstring."""
    t0 = time.monotonic()
    try:
        data = render.render_here(json.loads(spec_json), dict(opts), png_text, dpi)
        out: dict[str, Any] = {"status": "ok", "data": data}
    except ExportUnavailable as exc:
        out = {"status": "unavailable", "message": str(exc), "retry_after": render.retry_after()}
    except render.ExportFailed as exc:
        out = {"status": "failed", "message": str(exc)}
    out["seconds"] = time.monotonic() - t0
    _bound_memory()
    return out


def _bound_memory() -> None:
    used = render.export_memory("pss")
    if used > MAX_BROWSER_MB * 2**20:
        _log.info(
            "export browser holds %d MiB (limit %d): restarting it", used >> 20, MAX_BROWSER_MB
        )
        render.stop_server()
