"""Export jobs on Celery with Redis, for more than one machine (``EXPORT_JOBS=celery``).

Run the workers from a checkout of this repository with the same data folder (each worker
process owns a supervised browser, started on its first job)::

    EXPORT_BROKER_URL=redis://127.0.0.1:6379/0 \\
        celery -A indicators.exports.celery_app worker --concurrency 2 --loglevel INFO

and the pages with ``EXPORT_JOBS=celery EXPORT_WORKERS=2`` and the same URL. Messages and
results are JSON (never pickle: nothing read from Redis is executed); file bytes travel as
base64. A worker takes one job at a time (prefetch 1) and its process is replaced after
``EXPORT_MAX_JOBS`` jobs; results expire after five minutes.
"""

from __future__ import annotations

import base64
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from . import jobs, worker

TASKS = {
    "chart_file": "indicators.exports.chart_file",
    "pack_file": "indicators.exports.pack_file",
}

app = Celery("indicators_exports", broker=jobs.BROKER_URL, backend=jobs.BROKER_URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_prefetch_multiplier=1,
    worker_max_tasks_per_child=jobs.MAX_JOBS,
    result_expires=300,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@worker_process_init.connect
def _init_process(**_kwargs: Any) -> None:
    worker.init()


def _portable(out: dict[str, Any]) -> dict[str, Any]:
    if "data" in out:
        out["data"] = base64.b64encode(out["data"]).decode("ascii")
    return out


@app.task(name=TASKS["chart_file"])
def chart_file(data_dir, chart_id, fmt, preset, params, base_url) -> dict[str, Any]:
    return _portable(worker.chart_file(data_dir, chart_id, fmt, preset, params, base_url))


@app.task(name=TASKS["pack_file"])
def pack_file(data_dir, view, params, base_url) -> dict[str, Any]:
    return _portable(worker.pack_file(data_dir, view, params, base_url))
