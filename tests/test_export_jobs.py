"""Exports as jobs: the bounded queue (429 with a Retry-After computed from it), the local pool
of export processes (images drawn outside the page process), and the export browser's flags."""

from __future__ import annotations

import collections
import io
import os

import flask
import psutil
import pytest
from PIL import Image

from indicators.exports import browser as browser_mod
from indicators.exports import jobs
from indicators.exports import render as render_mod
from indicators.web import routes
from indicators.web.store import DataStore

from .conftest import DATA_DIR


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setattr(routes, "export_available", lambda: (True, "ok"))
    app = flask.Flask("jobs-test")
    routes.register_routes(app, DataStore(DATA_DIR))
    return app.test_client()


class _Stuck:
    """A backend that never draws: every admitted job just holds its place."""

    workers = 2

    def run(self, task, args, timeout):
        raise AssertionError("a refused job must not reach the backend")

    def pids(self):
        return []

    def stop(self):
        pass


@pytest.fixture
def full_queue(monkeypatch):
    counter = jobs._Counter(capacity=3)
    for _ in range(3):
        assert counter.enter(3) is not None
    monkeypatch.setattr(jobs._Jobs, "backend", _Stuck())
    monkeypatch.setattr(jobs._Jobs, "admission", counter)
    monkeypatch.setattr(jobs._Jobs, "job_s", 2.5)
    monkeypatch.setattr(jobs._Jobs, "refused_at", collections.deque())
    return counter


def test_retry_after_is_the_queue_wait_over_the_workers(monkeypatch):
    monkeypatch.setattr(jobs._Jobs, "backend", _Stuck())
    monkeypatch.setattr(jobs._Jobs, "job_s", 2.5)
    monkeypatch.setattr(jobs._Jobs, "refused_at", collections.deque())
    assert jobs.retry_after(4) == 5  # 4 jobs x 2.5 s / 2 workers
    assert jobs.retry_after(0) == 2  # never 0: at least one job's time
    assert jobs.retry_after(1000) == jobs.RETRY_MAX_S


def test_full_queue_answers_429_with_the_computed_retry_after(client, full_queue):
    waits = []
    for path in ("/export/cpi.png?preset=square", "/export/cpi.svg", "/pack.zip?view=economy"):
        response = client.get(path)
        assert response.status_code == 429, path
        assert "queue is full" in response.get_data(as_text=True)
        waits.append(response.headers["Retry-After"])
    # (3 queued + those refused before) x 2.5 s / 2 workers, rounded up: later ones wait longer
    assert waits == ["4", "5", "7"]
    assert client.get("/export/cpi.csv").status_code == 200  # CSV is no job
    assert full_queue.size() == 3  # refused requests took no place


def test_place_is_given_back_after_a_job(monkeypatch):
    counter = jobs._Counter(capacity=1)
    monkeypatch.setattr(jobs._Jobs, "admission", counter)
    with jobs._admitted(1):
        assert counter.size() == 1
        with pytest.raises(jobs.QueueFull), jobs._admitted(5):
            pass
    assert counter.size() == 0
    with pytest.raises(RuntimeError), jobs._admitted(1):
        raise RuntimeError("job failed")
    assert counter.size() == 0


@pytest.mark.parametrize(
    ("capacity", "places"),
    [(4, [2, 3, 4, 4, 4]), (3, [1, 2, 3, 3, 3]), (2, [1, 2, 2, 2, 2]), (1, [1, 1, 1, 1, 1])],
)
def test_the_last_places_are_kept_for_clients_coming_back(capacity, places):
    assert [jobs.places_for(attempt, capacity) for attempt in range(1, 6)] == places


class _Drawn:
    """A backend that answers every job at once, recording how full the queue was."""

    workers = 1

    def __init__(self, counter):
        self.counter, self.seen = counter, []

    def run(self, task, args, timeout):
        self.seen.append(self.counter.size())
        return {"status": "ok", "data": b"\x89PNG", "name": "chart.png", "seconds": 0.1}

    def pids(self):
        return []

    def stop(self):
        pass


def test_a_client_coming_back_gets_a_place_newcomers_cannot_take(client, monkeypatch):
    counter = jobs._Counter(capacity=4)
    for _ in range(2):  # two jobs running: the places newcomers may take are taken
        assert counter.enter(4) is not None
    backend = _Drawn(counter)
    monkeypatch.setattr(jobs._Jobs, "backend", backend)
    monkeypatch.setattr(jobs._Jobs, "admission", counter)
    monkeypatch.setattr(jobs._Jobs, "refused_at", collections.deque())
    path = "/export/cpi.png?focus=UZB"
    assert client.get(path).status_code == 429
    for attempt in ("0", "x", "1", "12345", "\u00b2"):  # not a later attempt: a newcomer
        answer = client.get(path, headers={routes.ATTEMPT_HEADER: attempt})
        assert answer.status_code == 429, attempt
    assert client.get(path, headers={routes.ATTEMPT_HEADER: "2"}).status_code == 200
    assert client.get(path, headers={routes.ATTEMPT_HEADER: "3"}).status_code == 200
    assert backend.seen == [3, 3]  # each joined as the third job, and gave its place back
    assert counter.enter(jobs.places_for(9, 4)) is not None
    assert counter.enter(jobs.places_for(9, 4)) is not None
    answer = client.get(path, headers={routes.ATTEMPT_HEADER: "9"})
    assert answer.status_code == 429  # the whole queue is still bounded
    assert (
        client.get("/pack.zip?view=economy", headers={routes.ATTEMPT_HEADER: "3"}).status_code
        == 429
    )


def test_unavailable_export_side_sends_its_own_retry_after(client, monkeypatch):
    def restarting(*args, **kwargs):
        raise browser_mod.ExportUnavailable("restarting")

    monkeypatch.setattr(routes.files, "chart_export", restarting)
    monkeypatch.setattr(render_mod, "retry_after", lambda: 7)  # e.g. a hold-off's rest
    response = client.get("/export/cpi.png")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"


def test_local_pool_builds_and_draws_in_another_process_with_its_own_browser(bundle):
    own = set(render_mod.export_browser_pids())  # earlier tests may have drawn inline here
    jobs.configure("local")
    try:
        params = [("focus", "UZB"), ("preset", "square")]
        png, name = jobs.chart_file(bundle, DATA_DIR, "cpi", "png", "square", params, None)
        assert Image.open(io.BytesIO(png)).size == (1080, 1080)
        assert name.startswith("uzb-") and name.endswith("-square.png")
        status = jobs.status()
        assert status["mode"] == "local" and status["jobs_done"] == 1
        [pid] = status["worker_pids"]
        assert pid != os.getpid() and set(render_mod.export_browser_pids()) == own
        browsers = [
            p.cmdline() for p in psutil.Process(pid).children(recursive=True) if "chrom" in p.name()
        ]
        assert browsers, "no export browser under the export process"
        # the "no --disable-web-security", checked on the running processes
        assert not [c for c in browsers if "--disable-web-security" in c]
        assert any("--disable-background-networking" in c for c in browsers)
        assert psutil.Process(pid).nice() > psutil.Process().nice()
    finally:
        jobs.shutdown()
    assert not jobs.delegated()


def test_at_most_half_of_a_page_workers_threads_wait_on_exports():
    try:
        jobs.configure("local", threads=4)
        assert jobs.status()["capacity"] == min(jobs.QUEUE, 2)
        jobs.configure("local", threads=1)
        assert jobs.status()["capacity"] == 1
    finally:
        jobs.shutdown()
