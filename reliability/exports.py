"""Export scenarios against gunicorn on loopback: the export browser killed, and a full queue.

    python -m reliability.exports [--workers 2]

``browser_kill``: warm every page worker's export pool, SIGKILL every export browser (their
Chromium main processes, found with psutil), then ten PNG exports of new views in a row. Passes
when every export after the first answers 200 within ``RECOVERY_S`` seconds (the first may
answer 503 with a Retry-After while the browser comes back).

``queue_full``: one page worker with a queue of ``QUEUE`` places; ``BURST`` PNG exports of new
views at once. Passes when the refused ones got 429 with a Retry-After between 1 and 60 s, a
page asked meanwhile answered at once, and every refused export, sent again after its
Retry-After, finally answered 200 (requests lost: 0).
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):  # python reliability/exports.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import HOST, GunicornServer
from reliability import procs

RECOVERY_S = 5.0
EXPORTS_AFTER_KILL = 10
QUEUE = 2
BURST = 10
MAX_TRIES = 10
WARM_TIMEOUT = 60.0
PAGE_LIMIT_MS = 500.0
_COUNTRIES = ("KAZ", "UZB", "KGZ", "TJK", "ARM", "AZE", "GEO", "MNG")


@dataclass
class Answer:
    status: int
    retry_after: str | None
    seconds: float
    body: bytes


def get(port: int, path: str, timeout: float = 60.0) -> Answer:
    t0 = time.monotonic()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return Answer(
            response.status, response.getheader("Retry-After"), time.monotonic() - t0, body
        )
    finally:
        conn.close()


class NewViews:
    """PNG export paths of views not asked for before (a fresh year range each)."""

    def __init__(self, start: int = 0):
        self._n = start
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self._n += 1
            n = self._n
        focus = _COUNTRIES[n % len(_COUNTRIES)]
        query = urlencode({"focus": focus, "from": 1996 + n % 20, "to": 2025 - n // 20 % 5})
        return f"/export/cpi.png?{query}"


@dataclass
class ScenarioResult:
    name: str
    tried: int = 0
    survived: int = 0
    requests: int = 0
    lost: int = 0
    failures: list[str] = field(default_factory=list)
    over_limit: list[str] = field(default_factory=list)  # timing targets missed
    figures: list[str] = field(default_factory=list)  # lines for the report

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        head = (
            f"{self.name}: faults tried {self.tried}, survived {self.survived}, "
            f"requests {self.requests}, lost {self.lost}"
        )
        return "\n".join([head, *(f"  {line}" for line in self.figures)])


def _warm(server: GunicornServer, views: NewViews) -> None:
    """Exports until every page worker's pool has its browser and a run of exports (twice
    the workers) has answered 200, so that no browser is killed while it starts."""
    deadline = time.monotonic() + WARM_TIMEOUT
    in_a_row = 0
    while in_a_row < 2 * server.workers or (
        procs.memory(server.pid, pss=False).browsers < server.workers
    ):
        if time.monotonic() > deadline:
            raise RuntimeError("the export browsers did not come up within 60 s")
        answer = get(server.port, views.next())
        in_a_row = in_a_row + 1 if answer.status == 200 else 0
        if answer.status != 200:
            time.sleep(0.5)


def browser_kill(workers: int = 2) -> ScenarioResult:
    result = ScenarioResult("export browser killed, then ten exports")
    views = NewViews()
    with GunicornServer(workers=workers, start_timeout=120) as server:
        _warm(server, views)
        killed = procs.kill_browsers(server.pid)
        killed_at = time.monotonic()
        result.tried = len(killed)
        first_ok = None
        outcomes = []
        for i in range(EXPORTS_AFTER_KILL):
            answer = get(server.port, views.next())
            result.requests += 1
            outcomes.append(f"{answer.status} {answer.seconds:.1f}s")
            if answer.status != 200:
                result.figures.append(f"answer {i + 1}: {answer.body[:200]!r}")
            if answer.status == 200 and first_ok is None:
                first_ok = time.monotonic() - killed_at
            if i == 0 and answer.status == 503 and answer.retry_after:
                continue  # the export in flight when the browser died may fail, saying when
            if answer.status != 200:
                result.lost += 1
                result.failures.append(f"export {i + 1} after the kill: HTTP {answer.status}")
            elif i > 0 and answer.seconds > RECOVERY_S:
                result.over_limit.append(f"export {i + 1} took {answer.seconds:.1f} s")
        browsers = procs.memory(server.pid, pss=False).browsers
        result.survived = len(killed) if not result.failures and browsers >= workers else 0
        recovered = "never" if first_ok is None else f"{first_ok:.1f} s"
        result.figures += [
            f"killed {len(killed)} browsers; first 200 {recovered} after the kill",
            f"exports: {', '.join(outcomes)}",
            f"browsers running afterwards: {browsers} (page workers: {workers})",
        ]
    return result


def queue_full() -> ScenarioResult:
    result = ScenarioResult(f"queue full ({QUEUE} places, {BURST} exports at once)")
    views = NewViews(1000)
    env = {"EXPORT_QUEUE": str(QUEUE)}
    with GunicornServer(workers=1, start_timeout=120, env=env) as server:
        _warm(server, views)
        paths = [views.next() for _ in range(BURST)]
        answers: dict[str, list[Answer]] = {p: [] for p in paths}

        def export(path: str) -> None:
            for _ in range(MAX_TRIES):
                answer = get(server.port, path)
                answers[path].append(answer)
                if answer.status not in (429, 503) or not answer.retry_after:
                    return
                time.sleep(min(float(answer.retry_after), 10.0))

        threads = [threading.Thread(target=export, args=(p,), daemon=True) for p in paths]
        for thread in threads:
            thread.start()
        time.sleep(0.3)
        page = get(server.port, "/_dash-layout")
        for thread in threads:
            thread.join(MAX_TRIES * 15)
    every = [a for tries in answers.values() for a in tries]
    refused = [a for a in every if a.status == 429]
    waits = sorted({a.retry_after or "none" for a in refused})
    result.requests = len(every) + 1
    result.tried = len(refused)
    result.lost = sum(1 for tries in answers.values() if not tries or tries[-1].status != 200)
    result.survived = result.tried if not result.lost else 0
    if not refused:
        result.failures.append(f"no 429 from {BURST} exports at once with {QUEUE} places")
    bad = [w for w in waits if not w.isdigit() or not 1 <= int(w) <= 60]
    if bad:
        result.failures.append(f"429 without a Retry-After of 1-60 s: {bad}")
    if result.lost:
        result.failures.append(f"{result.lost} exports never answered 200")
    if page.status != 200:
        result.failures.append(f"/_dash-layout during the burst: HTTP {page.status}")
    elif page.seconds * 1000 > PAGE_LIMIT_MS:
        result.over_limit.append(f"/_dash-layout during the burst took {page.seconds:.2f} s")
    result.figures += [
        f"429 answers: {len(refused)}, Retry-After values: {', '.join(waits) or '-'} s",
        f"/_dash-layout during the burst: HTTP {page.status} in {page.seconds * 1000:.0f} ms",
    ]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    code = 0
    for result in (browser_kill(args.workers), queue_full()):
        print(result.report())
        print("\n".join(f"  FAILED: {f}" for f in result.failures + result.over_limit))
        code |= not result.passed or bool(result.over_limit)
    return code


if __name__ == "__main__":
    sys.exit(main())
