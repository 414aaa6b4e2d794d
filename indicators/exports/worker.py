"""What an export job runs: one chart file or one briefing pack, built and drawn here.

The job backends (:mod:`.jobs`: inline, the local process pool, Celery in :mod:`.celery_app`)
call :func:`init` once in each export process and :func:`chart_file` or :func:`pack_file` per
job. A job names its view by the request's query parameters and its data by folder; an export
process keeps the last valid data of that folder (:func:`_bundle`), as the page workers do, so
jobs are small messages and the page worker neither builds the export figure nor draws it.

Outcomes are plain dicts rather than exceptions, so that they cross a process or a JSON broker
intact; each has ``status`` and ``seconds`` (the job's own time, for the queue's estimate):

- ``{"status": "ok", "data": bytes, "name": file name}``
- ``{"status": "unavailable", "message": ..., "retry_after": s}``: no working browser here
  now (it is being restarted)
- ``{"status": "failed", "message": ...}``: this file could not be made
- ``{"status": "busy", "message": ...}``: the pack builders are all taken (inline only)
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from indicators.data.loading import Bundle, load_bundle

from . import files, pack, render
from .browser import ExportUnavailable
from .map_export import MAP_ID, map_export

_log = logging.getLogger(__name__)

Params = Sequence[Sequence[str]]  # the query's (name, value) pairs, repeats kept


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


# Below the page workers: when both want the CPU, pages win.
NICE = _env_int("EXPORT_NICE", 10)
# CPU cores the export processes (and their browsers, which inherit it) may run on: the last
# ones, half of the machine by default, so pages always keep the others. Chromium resets its
# processes' nice values (as root it even raises some), but never their CPU affinity.
CPUS = _env_int("EXPORT_CPUS", max(1, (os.cpu_count() or 2) // 2))
# The browser is restarted after a job that leaves its process tree above this many MiB
# (proportional set size: shared pages divided among the processes that map them).
MAX_BROWSER_MB = _env_int("EXPORT_MAX_BROWSER_MB", 700)
DATA_CHECK_S = 0.5


def init() -> None:
    """Once per export process: lower its CPU priority, keep it off the first cores."""
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


_data_lock = threading.Lock()
_data: dict[str, tuple[tuple, Bundle, float]] = {}  # folder -> (signature, bundle, checked)


def _bundle(data_dir: str) -> Bundle:
    """The last valid bundle of a data folder, reloaded when a file's time or size changes;
    a change that does not load keeps the last valid one (and is logged)."""
    with _data_lock:
        signature, bundle, checked = _data.get(data_dir, ((), None, 0.0))
        if bundle is not None and time.monotonic() - checked < DATA_CHECK_S:
            return bundle
        now = _signature(Path(data_dir))
        if bundle is None or now != signature:
            try:
                bundle = load_bundle(Path(data_dir))
            except Exception:
                if bundle is None:
                    raise
                _log.exception("export worker: data changed but did not load; kept")
        _data[data_dir] = (now, bundle, time.monotonic())
        return bundle


def _signature(data_dir: Path) -> tuple:
    out = []
    for path in sorted(data_dir.glob("*.yaml")):
        try:
            st = path.stat()
            out.append((path.name, st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            out.append((path.name, None, None, None))
    return tuple(out)


def _run(make, bundle: Bundle | None, data_dir: str | None) -> dict[str, Any]:
    t0 = time.monotonic()
    try:
        data, name = make(bundle if bundle is not None else _bundle(str(data_dir)))
        out: dict[str, Any] = {"status": "ok", "data": data, "name": name}
    except ExportUnavailable as exc:
        out = {"status": "unavailable", "message": str(exc), "retry_after": render.retry_after()}
    except render.ExportFailed as exc:
        out = {"status": "failed", "message": str(exc)}
    except pack.PackBusy as exc:
        out = {"status": "busy", "message": str(exc)}
    out["seconds"] = time.monotonic() - t0
    _bound_memory()
    return out


def chart_file(
    data_dir: str | None,
    chart_id: str,
    fmt: str,
    preset: str,
    params: Params,
    base_url: str | None,
    bundle: Bundle | None = None,
) -> dict[str, Any]:
    """One chart as PNG or SVG (see the module docstring); ``bundle`` when inline."""

    def make(data: Bundle) -> tuple[bytes, str]:
        if chart_id == MAP_ID:
            state = files.state_from_params(data, "map", _pairs(params)).state
            return map_export(data, state, fmt, preset, base_url)
        state = files.state_from_params(data, _chart_view(chart_id), _pairs(params)).state
        return files.chart_export(data, state, chart_id, fmt, preset, base_url)

    return _run(make, bundle, data_dir)


def pack_file(
    data_dir: str | None,
    view: str,
    params: Params,
    base_url: str | None,
    bundle: Bundle | None = None,
) -> dict[str, Any]:
    """The briefing pack of a view (ZIP), its notices read from the same parameters."""

    def make(data: Bundle) -> tuple[bytes, str]:
        parsed = files.state_from_params(data, view, _pairs(params))
        zipped = pack.build_pack(data, parsed.state, base_url, notices=parsed.notices)
        return zipped, pack.pack_filename(data, parsed.state)

    return _run(make, bundle, data_dir)


def _chart_view(chart_id: str) -> str:
    from indicators.charts.registry import CHARTS

    files.check_chart(chart_id)
    return CHARTS[chart_id].view


def _pairs(params: Params) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in params]


def _bound_memory() -> None:
    used = render.export_memory("pss")
    if used > MAX_BROWSER_MB * 2**20:
        _log.info(
            "export browser holds %d MiB (limit %d): restarting it", used >> 20, MAX_BROWSER_MB
        )
        render.stop_server()
