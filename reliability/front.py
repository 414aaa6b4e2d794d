"""Slow clients against the production front: nginx (deploy/nginx.conf) before gunicorn.

    python -m reliability.front [--duration 20] [--slow 8] [--direct] [--compare]

Issue "limits at the edge": gunicorn's gthread workers give a connection a thread as soon as
its first bytes arrive, and the thread waits until the request is complete; 2 workers x 4
threads (gunicorn.conf.py) are held by 8 clients that send their headers a byte at a time
("slow loris"). nginx waits for such clients itself and hands gunicorn only complete requests.

The run starts gunicorn (``benchmarks.serve.GunicornServer``: gunicorn.conf.py's gthread
workers, on a free loopback port) and nginx (deploy/nginx.conf rendered into a temporary
folder, on another free port), then:

1. baseline: page requests alone for ``baseline`` seconds;
2. slow clients: ``slow`` raw sockets that each open a request and send one more header byte
   every ``drip`` seconds, never finishing it (when the server closes one, it opens another),
   while the same page requests go on for ``duration`` seconds.

Page requests are one client in a loop, each on a new connection, ``PACE`` seconds apart:
``GET /overview``, ``/_dash-layout``, ``/_dash-dependencies``. A request fails on a non-200
answer, a connection error, or no answer within ``REQUEST_TIMEOUT``. The run passes when no
page request fails and the p95 of each phase is at most ``P95_LIMIT_MS``. ``--direct`` points
the same run at gunicorn without nginx (the comparison: expected to fail); ``--compare`` runs
both.

Both servers are stopped however the run ends (nginx's process group is killed; gunicorn is
stopped with its workers). Everything is on 127.0.0.1 and bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # python reliability/front.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.serve import HOST, GunicornServer, free_port

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf"
ASSETS = ROOT / "assets"
PAGES = ("/overview", "/_dash-layout", "/_dash-dependencies")
P95_LIMIT_MS = 500.0
REQUEST_TIMEOUT = 5.0
# Pause between two page requests: about 20 a second, a busy site's rate. A loop without pause
# (300/s here) reaches gunicorn's max_requests (5000) within a minute, and the two workers
# recycling close together leave a few seconds with no worker ready, which is not what this
# measures.
PACE = 0.05
MAX_DURATION = 300.0
DRIP = 1.0  # seconds between two header bytes of a slow client
START_TIMEOUT = 15.0  # nginx up and answering through to gunicorn
STOP_TIMEOUT = 10.0
# What a slow client sends, one byte at a time after the request line: header fields that
# never end (no blank line).
SLOW_HEAD = b"GET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
SLOW_DRIP = b"X-Slow-Loris: " + b"a" * 4000 + b"\r\n"


def percentile(sorted_values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(pct / 100 * len(sorted_values) + 0.4999)))
    return sorted_values[rank - 1]


def nginx_binary() -> str | None:
    """Path of nginx (PATH, then /usr/sbin, where Debian puts it), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def render_config(listen: str, upstream: str, assets: Path, run_dir: Path) -> str:
    """deploy/nginx.conf with its @@NAME@@ placeholders filled in."""
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {
        "@@LISTEN@@": listen,
        "@@UPSTREAM@@": upstream,
        "@@ASSETS@@": str(assets).rstrip("/") + "/",
        "@@RUN_DIR@@": str(run_dir),
    }
    for key, value in values.items():
        text = text.replace(key, value)
    left = sorted(set(re.findall(r"@@[A-Z_]+@@", text)))
    if left:
        raise ValueError(f"deploy/nginx.conf: placeholders left unfilled: {left}")
    return text


class NginxServer:
    """nginx in front of ``upstream`` on a free loopback port, from deploy/nginx.conf; a context
    manager. Runs in the foreground (``daemon off``) in its own process group."""

    def __init__(self, upstream_port: int, port: int | None = None, assets: Path = ASSETS):
        self.binary = nginx_binary()
        if self.binary is None:
            raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
        self.upstream_port = upstream_port
        self.port = port or free_port()
        self.assets = assets
        self.run_dir: Path | None = None
        self.process: subprocess.Popen | None = None

    @property
    def config_path(self) -> Path:
        return self.run_dir / "nginx.conf"

    def start(self) -> None:
        self.run_dir = Path(tempfile.mkdtemp(prefix="nginx-front-"))
        # nginx started as root runs its workers as "nobody": they must reach the temp folders
        os.chmod(self.run_dir, 0o755)
        self.config_path.write_text(
            render_config(
                f"{HOST}:{self.port}", f"{HOST}:{self.upstream_port}", self.assets, self.run_dir
            ),
            encoding="utf-8",
        )
        check = subprocess.run(
            [self.binary, "-t", "-q", "-p", str(self.run_dir), "-c", str(self.config_path)],
            capture_output=True,
            text=True,
            timeout=STOP_TIMEOUT,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the config:\n{check.stderr.strip()}")
        command = [self.binary, "-p", str(self.run_dir), "-c", str(self.config_path)]
        with open(self.run_dir / "stderr.log", "wb") as stderr:
            self.process = subprocess.Popen(
                [*command, "-g", "daemon off;"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group: stop() kills the whole group
            )
        deadline = time.monotonic() + START_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
            try:
                status, _headers, _body = request(self.port, "GET", "/overview", timeout=2.0)
                if status == 200:
                    return
                last = f"HTTP {status}"
            except OSError as exc:
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"nginx did not answer 200 on /overview in {START_TIMEOUT:.0f} s: {last}"
        )

    def log(self) -> str:
        if self.run_dir is None:
            return ""
        parts = []
        for name in ("stderr.log", "error.log"):
            path = self.run_dir / name
            if path.exists():
                parts.append(path.read_text(encoding="utf-8", errors="replace")[-4000:])
        return "\n".join(parts)

    def stop(self) -> None:
        """SIGTERM (nginx's fast stop) to the process group, then SIGKILL to whatever is left
        of it after STOP_TIMEOUT. Idempotent; removes the temporary folder."""
        process, self.process = self.process, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(STOP_TIMEOUT)
            with contextlib.suppress(ProcessLookupError):  # workers left behind, if any
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    def __enter__(self) -> NginxServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection: (status, headers with lower-case names, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


@dataclass
class Phase:
    """Page requests of one phase. Latencies in milliseconds."""

    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "GET /x: HTTP 502" / ": timeout"

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def p(self, pct: float) -> float | None:
        return percentile(sorted(self.latencies), pct)

    def line(self) -> str:
        def ms(v):
            return "-" if v is None else f"{v:.0f}"

        return (
            f"{self.name:<24}{self.requests:>9}{len(self.errors):>8}"
            f"{ms(self.p(50)):>8}{ms(self.p(95)):>8}{ms(max(self.latencies, default=None)):>8}"
        )


@dataclass
class FrontResult:
    target: str  # "nginx" or "gunicorn (direct)"
    slow_clients: int
    phases: list[Phase] = field(default_factory=list)
    slow_opened: int = 0  # slow connections opened (a closed one is replaced)
    slow_closed: int = 0  # closed by the server before the end
    slow_answers: dict[str, int] = field(default_factory=dict)  # first line of an answer -> n
    server_log: str = ""

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.phases)

    @property
    def errors(self) -> int:
        return sum(len(p.errors) for p in self.phases)

    @property
    def failures(self) -> list[str]:
        out = [f"{p.name}: {e}" for p in self.phases for e in p.errors[:5]]
        for p in self.phases:
            p95 = p.p(95)
            if p95 is not None and p95 > P95_LIMIT_MS:
                out.append(f"{p.name}: p95 {p95:.0f} ms > {P95_LIMIT_MS:.0f} ms")
            if not p.latencies:
                out.append(f"{p.name}: no page answered")
        return out

    @property
    def passed(self) -> bool:
        return not self.failures

    def report(self) -> str:
        head = f"{'phase (' + self.target + ')':<24}{'requests':>9}{'errors':>8}"
        head += f"{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}"
        lines = [head, *(p.line() for p in self.phases)]
        answers = ", ".join(f"{n} x {a!r}" for a, n in self.slow_answers.items()) or "none"
        lines.append(
            f"  slow clients: {self.slow_clients}, connections opened {self.slow_opened}, "
            f"closed by the server {self.slow_closed}; answers to them: {answers}"
        )
        for failure in self.failures[:10]:
            lines.append(f"  FAIL {failure}")
        lines.append(f"  {'passed' if self.passed else 'FAILED'} (p95 limit {P95_LIMIT_MS:.0f} ms)")
        return "\n".join(lines)


class _SlowClients:
    """``n`` threads, each holding one never-finished request open, a byte every ``drip`` s."""

    def __init__(self, port: int, n: int, drip: float):
        self.port, self.n, self.drip = port, n, drip
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.opened = self.closed = 0
        self.answers: dict[str, int] = {}
        self.threads = [
            threading.Thread(target=self._loop, name=f"slow-{i}", daemon=True) for i in range(n)
        ]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(self.drip + 3)

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                sock = socket.create_connection((HOST, self.port), timeout=2.0)
            except OSError:
                self.stop.wait(0.2)
                continue
            with self.lock:
                self.opened += 1
            try:
                self._drip(sock)
            finally:
                sock.close()

    def _drip(self, sock: socket.socket) -> None:
        try:
            sock.sendall(SLOW_HEAD)
            for i in range(len(SLOW_DRIP)):
                if self.stop.wait(self.drip):
                    return
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:  # the server answered (408, 400...) or closed: count, reconnect
                    data = sock.recv(200)
                    with self.lock:
                        self.closed += 1
                        first = data.split(b"\r\n", 1)[0].decode("latin-1") or "(closed)"
                        self.answers[first] = self.answers.get(first, 0) + 1
                    return
                sock.sendall(SLOW_DRIP[i : i + 1])
        except OSError:
            with self.lock:
                self.closed += 1
                self.answers["(reset)"] = self.answers.get("(reset)", 0) + 1


def _pages(port: int, phase: Phase, seconds: float) -> None:
    """GET the pages in turn, each on a new connection, for ``seconds``."""
    t0 = time.monotonic()
    end = t0 + seconds
    i = 0
    while time.monotonic() < end:
        path = PAGES[i % len(PAGES)]
        i += 1
        start = time.monotonic()
        try:
            status, _headers, _body = request(port, "GET", path, headers={"Accept": "*/*"})
        except (OSError, http.client.HTTPException) as exc:
            kind = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
            phase.errors.append(f"GET {path}: {kind}")
            continue
        if status != 200:
            phase.errors.append(f"GET {path}: HTTP {status}")
            continue
        phase.latencies.append((time.monotonic() - start) * 1000)
        time.sleep(max(0.0, min(PACE, end - time.monotonic())))
    phase.seconds = time.monotonic() - t0


def measure(
    port: int, target: str, duration: float, baseline: float, slow: int, drip: float = DRIP
) -> FrontResult:
    """Baseline then slow-client phases against a server already running on ``port``."""
    duration = min(max(float(duration), 1.0), MAX_DURATION)
    baseline = min(max(float(baseline), 0.0), MAX_DURATION)
    result = FrontResult(target=target, slow_clients=slow)
    if baseline > 0:
        phase = Phase("no slow clients")
        _pages(port, phase, baseline)
        result.phases.append(phase)
    clients = _SlowClients(port, slow, drip)
    clients.start()
    try:
        time.sleep(min(drip, 1.0))  # let them connect and start dripping
        phase = Phase(f"{slow} slow clients")
        _pages(port, phase, duration)
        result.phases.append(phase)
    finally:
        clients.finish()
    result.slow_opened, result.slow_closed = clients.opened, clients.closed
    result.slow_answers = dict(clients.answers)
    return result


def run(
    duration: float = 20.0,
    slow: int = 8,
    *,
    baseline: float = 5.0,
    workers: int = 2,
    direct: bool = False,
    drip: float = DRIP,
) -> FrontResult:
    """Start gunicorn (and nginx before it unless ``direct``), measure, stop both, always."""
    gunicorn = GunicornServer(workers=workers, start_timeout=60)
    nginx: NginxServer | None = None
    try:
        gunicorn.start()
        if direct:
            return measure(gunicorn.port, "gunicorn (direct)", duration, baseline, slow, drip)
        nginx = NginxServer(gunicorn.port)
        nginx.start()
        result = measure(nginx.port, "nginx", duration, baseline, slow, drip)
        if not result.passed:
            result.server_log = nginx.log()
        return result
    finally:
        if nginx is not None:
            nginx.stop()
        gunicorn.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="slow-client phase (s)")
    parser.add_argument("--baseline", type=float, default=5.0, help="phase without them (s)")
    parser.add_argument("--slow", type=int, default=8, help="slow clients (8)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--direct", action="store_true", help="gunicorn alone, no nginx")
    parser.add_argument("--compare", action="store_true", help="nginx, then gunicorn alone")
    args = parser.parse_args(argv)
    if not args.direct and nginx_binary() is None:
        print("nginx is not installed (apt-get install nginx; make setup installs it)")
        return 1
    targets = [False, True] if args.compare else [args.direct]
    code = 0
    for direct in targets:
        result = run(
            args.duration, args.slow, baseline=args.baseline, workers=args.workers, direct=direct
        )
        print(result.report())
        if result.server_log:
            print(result.server_log)
        if not direct and not result.passed:
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
