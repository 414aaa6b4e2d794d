"""Export jobs on Celery with Redis, for more than one machine (``EXPORT_JOBS=celery``).

Run the workers (each worker process owns a supervised browser, started on its first job)::

    EXPORT_BROKER_URL=redis://127.0.0.1:6379/0 \\
        celery -A indicators.exports.celery_app worker --concurrency 2 --loglevel INFO

and the pages with ``EXPORT_JOBS=celery EXPORT_WORKERS=2`` and the same URL. Messages and
results are JSON (never pickle: nothing read from Redis is executed); PNG bytes travel as
base64. A worker takes one job at a time (prefetch 1) and its process is replaced after
``EXPORT_MAX_JOBS`` jobs; results expire after five minutes.
"""

from __future__ import annotations

import base64
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

from . import jobs, worker

RENDER_TASK = "indicators.exports.render_image"

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


@app.task(name=RENDER_TASK)
def render_image(spec_json: str, opts: dict, png_text: dict | None, dpi: float | None) -> dict:
    out = worker.render_image(spec_json, opts, png_text, dpi)
    if "data" in out:
        out["data"] = base64.b64encode(out["data"]).decode("ascii")
    return out
