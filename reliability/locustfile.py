"""Locust users for the reliability suite (run by :mod:`reliability.load`, headless).

``PageUser``    what a reader's browser asks for: ``/``, ``/_dash-layout`` and the view-change
                callback (``POST /_dash-update-component``), a fifth of a second apart.
``ExportUser``  PNG exports back to back, each of a view not drawn before.
``MixedUser``   the general mix: pages, assets, callbacks, CSV, PNG, embeds and (at most one
                at a time, one every PACK_INTERVAL s) briefing packs.

A 429 or 503 with Retry-After is "busy": counted under its own name (type ``BUSY``), not a
failure, and the same request is sent again after that many seconds, as the page does; still
busy after MAX_RETRIES waits is a failure. Each user stops after RELIABILITY_MAX_REQUESTS
requests; the run's duration is locust's ``-t``. How many users of each class:
RELIABILITY_PAGE_USERS, RELIABILITY_EXPORT_USERS, RELIABILITY_MIXED_USERS (``fixed_count``).
"""

from __future__ import annotations

import itertools
import os
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import HttpUser, between, constant, task
from locust.exception import StopUser
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import (
    CALLBACK_HEADERS,
    CALLBACK_PATH,
    render_view_body,
    render_view_dependency,
)
from indicators.web.routes import ATTEMPT_HEADER

MAX_REQUESTS = int(os.environ.get("RELIABILITY_MAX_REQUESTS", "5000"))
MAX_RETRIES = 10
MAX_WAIT_S = 60.0  # as the page (assets/downloads.js)
PACK_INTERVAL = 10.0
REQUEST_TIMEOUT = 60.0
VIEWS = ("overview", "corruption", "governance", "economy")
CHART_VIEWS = ("corruption", "governance", "economy")
PRESETS = ("wide", "wide", "square")
HEADERS = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def _view_params() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    from indicators.charts.registry import CHARTS
    from indicators.data.loading import DATA_DIR, load_bundle

    bundle = load_bundle(DATA_DIR)
    codes = set(bundle.frame["iso3"].astype(str)) - set(bundle.countries.aggregates)
    return tuple(sorted(codes)), tuple(sorted(bundle.countries.groups)), tuple(CHARTS)


COUNTRIES, GROUPS, CHARTS = _view_params()


def random_query(rng: random.Random) -> str:
    params = [("focus", rng.choice(COUNTRIES))]
    if rng.random() < 0.8:
        params.append(("group", rng.choice(GROUPS)))
    if rng.random() < 0.3:
        lo = rng.randint(1996, 2015)
        params += [("from", str(lo)), ("to", str(rng.randint(lo + 3, 2025)))]
    if rng.random() < 0.2:
        params.append(("agg", "aggregate"))
    return "?" + urlencode(params)


class _NewViews:
    """Export paths never asked for before in this run (chart, focus, group, years)."""

    def __init__(self) -> None:
        rng = random.Random(int(os.environ.get("RELIABILITY_SEED", "1")))
        combos = list(itertools.product(CHARTS, COUNTRIES, GROUPS, range(1996, 2016, 2)))
        rng.shuffle(combos)
        self._combos = iter(combos)
        self._lock = threading.Lock()

    def next(self, preset: str) -> str:
        with self._lock:
            chart, focus, group, start = next(self._combos)
        query = urlencode({"focus": focus, "group": group, "from": start, "preset": preset})
        return f"/export/{chart}.png?{query}"


_new_views: list[_NewViews] = []  # made on first use: only ExportUser needs it


def new_view(preset: str) -> str:
    if not _new_views:
        _new_views.append(_NewViews())
    return _new_views[0].next(preset)


class _Base(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.rng = random.Random()
        self.sent = 0
        self.client.headers.update(HEADERS)
        # As a browser does (RFC 9110 9.2.2): a GET sent on a kept-alive connection that the
        # server closed at that moment (gunicorn's keepalive) is sent once more, not lost.
        # Status answers (429 and its Retry-After) are the tasks' own business, not urllib3's.
        retry = Retry(
            total=1,
            connect=1,
            read=1,
            status=0,
            other=0,
            allowed_methods=["GET"],
            respect_retry_after_header=False,
            raise_on_status=False,
        )
        self.client.mount("http://", HTTPAdapter(max_retries=retry))
        response = self.client.get("/_dash-dependencies", name="dependencies")
        self.dependency = render_view_dependency(response.json())

    def _count(self) -> None:
        self.sent += 1
        if self.sent > MAX_REQUESTS:
            raise StopUser()

    def fetch(self, name: str, path: str, method: str = "GET", **kwargs) -> None:
        """One request; a busy answer is waited out and sent again (see module docstring)."""
        headers = kwargs.pop("headers", {})
        for attempt in range(1, MAX_RETRIES + 2):
            self._count()
            if attempt > 1:  # as the page's downloads say it (indicators/web/routes.py)
                headers = {**headers, ATTEMPT_HEADER: str(attempt)}
            with self.client.request(
                method,
                path,
                name=name,
                catch_response=True,
                timeout=REQUEST_TIMEOUT,
                headers=headers,
                **kwargs,
            ) as response:
                wait = response.headers.get("Retry-After")
                if response.status_code in (429, 503) and wait is not None:
                    response.success()
                    self.environment.events.request.fire(
                        request_type="BUSY",
                        name=f"{name} {response.status_code}",
                        response_time=response.elapsed.total_seconds() * 1000,
                        response_length=0,
                        exception=None,
                        context={},
                    )
                elif response.status_code >= 400:
                    response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                    return
                else:
                    return
            time.sleep(min(float(wait), MAX_WAIT_S))
        self.environment.events.request.fire(
            request_type="GAVE_UP",
            name=name,
            response_time=0,
            response_length=0,
            exception=RuntimeError(f"still busy after {MAX_RETRIES} waits"),
            context={},
        )

    def view_change(self) -> None:
        body = render_view_body(
            self.dependency, f"/{self.rng.choice(VIEWS)}", random_query(self.rng)
        )
        self.fetch("view change", CALLBACK_PATH, "POST", data=body, headers=CALLBACK_HEADERS)


class PageUser(_Base):
    fixed_count = int(os.environ.get("RELIABILITY_PAGE_USERS", "0"))
    wait_time = constant(0.2)

    @task
    def read(self) -> None:
        self.fetch("page /", "/")
        self.fetch("layout", "/_dash-layout")
        self.view_change()


class ExportUser(_Base):
    fixed_count = int(os.environ.get("RELIABILITY_EXPORT_USERS", "0"))
    wait_time = constant(0)

    @task
    def export(self) -> None:
        self.fetch("export png", new_view(self.rng.choice(PRESETS)))


_pack_lock = threading.Lock()
_last_pack = [-1e9]


class MixedUser(_Base):
    fixed_count = int(os.environ.get("RELIABILITY_MIXED_USERS", "0"))
    wait_time = between(0, 0.05)

    @task(20)
    def page(self) -> None:
        view = self.rng.choice(("", *VIEWS))
        self.fetch("page", f"/{view}{random_query(self.rng) if view else ''}")

    @task(8)
    def asset(self) -> None:
        self.fetch("asset", self.rng.choice(("/_dash-layout", "/_dash-dependencies")))

    @task(40)
    def callback(self) -> None:
        self.view_change()

    @task(12)
    def csv(self) -> None:
        self.fetch("csv", f"/export/{self.rng.choice(CHARTS)}.csv{random_query(self.rng)}")

    @task(12)
    def embed(self) -> None:
        self.fetch("embed", f"/embed/{self.rng.choice(CHARTS)}{random_query(self.rng)}")

    @task(5)
    def png(self) -> None:
        query = f"{random_query(self.rng)}&preset={self.rng.choice(PRESETS)}"
        self.fetch("png", f"/export/{self.rng.choice(CHARTS)}.png{query}")

    @task(3)
    def pack(self) -> None:
        with _pack_lock:
            if time.monotonic() - _last_pack[0] < PACK_INTERVAL:
                return
            _last_pack[0] = time.monotonic()
        view = self.rng.choice(CHART_VIEWS)
        self.fetch("pack", f"/pack.zip?view={view}&{random_query(self.rng).lstrip('?')}")
