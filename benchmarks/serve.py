"""Serve the dashboard under gunicorn on loopback, time its cold start, measure its memory.

    with GunicornServer(workers=2) as server:      # starts, waits for the first 200 on /
        print(server.cold_start, server.base_url)  # seconds from process start to that 200
        print(tree_memory(server.pid))             # RSS of master + workers + their Chromium
    # leaving the block stops it: SIGTERM, wait, SIGKILL on timeout, and no process left behind

The server runs ``python -m gunicorn --workers N --bind 127.0.0.1:PORT app:server`` from the
repository root, without ``--preload`` (each worker imports the app and starts its own export
browser on first use), with gunicorn's control socket off so that several servers (and other
people's) do not share ``~/.gunicorn/gunicorn.ctl``.

Memory is read from ``/proc``: VmRSS of the master, its workers and every process below them
(the headless Chromium kaleido starts in each worker). RSS counts pages shared between
processes once per process, so the sum overstates the real footprint; ``pss`` (proportional
set size, from ``/proc/<pid>/smaps_rollup``) divides shared pages among their users.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
POLL_INTERVAL = 0.02  # seconds between readiness probes
START_TIMEOUT = 90.0
STOP_TIMEOUT = 20.0
GRACEFUL_TIMEOUT = 10  # gunicorn's own limit for workers to finish on SIGTERM


# --- processes and memory ------------------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:  # gone, or not ours to read
        return None


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (field 3, the state, comes first)."""
    text = _read(f"/proc/{pid}/stat")
    if not text:
        return None
    return text[text.rfind(")") + 2 :].split()


def start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot: with the pid, an identity that
    survives pid reuse. None when the process is gone or a zombie."""
    fields = _stat_fields(pid)
    if not fields or fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def is_alive(pid: int, started: int | None = None) -> bool:
    """Running (not a zombie), and the same process as the one started at ``started``."""
    now = start_time(pid)
    return now is not None and (started is None or now == started)


def _children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                out.setdefault(int(fields[1]), []).append(int(entry))
    return out


def children(pid: int) -> list[int]:
    """Direct children, from /proc/<pid>/task/*/children when the kernel has it, otherwise
    from the parent pid of every process in /proc."""
    tasks = f"/proc/{pid}/task"
    found: list[int] = []
    try:
        names = os.listdir(tasks)
    except OSError:
        return []
    for tid in names:
        text = _read(f"{tasks}/{tid}/children")
        if text is None:  # kernel without CONFIG_PROC_CHILDREN
            return _children_map().get(pid, [])
        found += [int(c) for c in text.split()]
    return sorted(set(found))


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...), parents first."""
    tasks = f"/proc/{pid}/task"
    probe = next(iter(os.listdir(tasks)), None) if os.path.isdir(tasks) else None
    if probe is not None and _read(f"{tasks}/{probe}/children") is not None:
        out: list[int] = []
        todo = children(pid)
        while todo:
            child = todo.pop(0)
            out.append(child)
            todo += children(child)
        return out
    tree = _children_map()  # one scan of /proc for the whole tree
    out, todo = [], list(tree.get(pid, []))
    while todo:
        child = todo.pop(0)
        out.append(child)
        todo += tree.get(child, [])
    return out


def _kib_field(text: str | None, name: str) -> int:
    for line in (text or "").splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def rss_bytes(pid: int) -> int:
    """VmRSS of one process in bytes (0 when it is gone or a zombie)."""
    return _kib_field(_read(f"/proc/{pid}/status"), "VmRSS")


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process in bytes (0 when unreadable)."""
    return _kib_field(_read(f"/proc/{pid}/smaps_rollup"), "Pss")


def tree_rss(pid: int) -> int:
    """Sum of VmRSS over ``pid`` and all its descendants, in bytes."""
    return sum(rss_bytes(p) for p in [pid, *descendants(pid)])


@dataclass
class TreeMemory:
    """Memory of a gunicorn master and everything below it, in bytes."""

    rss: int = 0
    pss: int = 0
    processes: int = 0
    rss_by_kind: dict[str, int] = field(default_factory=dict)  # master / worker / browser
    count_by_kind: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = ", ".join(
            f"{kind} {self.count_by_kind[kind]}x {mib(rss)}"
            for kind, rss in sorted(self.rss_by_kind.items())
        )
        return f"RSS {mib(self.rss)} (PSS {mib(self.pss)}; {self.processes} processes: {parts})"


def tree_memory(pid: int) -> TreeMemory:
    """RSS (and PSS) of a gunicorn master, its workers and the processes below the workers
    (kind "browser": kaleido's Chromium and choreographer's wrapper around it)."""
    out = TreeMemory()

    def add(p: int, kind: str) -> None:
        rss = rss_bytes(p)
        if not rss:
            return
        out.rss += rss
        out.pss += pss_bytes(p)
        out.processes += 1
        out.rss_by_kind[kind] = out.rss_by_kind.get(kind, 0) + rss
        out.count_by_kind[kind] = out.count_by_kind.get(kind, 0) + 1

    add(pid, "master")
    for worker in children(pid):
        add(worker, "worker")
        for p in descendants(worker):
            add(p, "browser")
    return out


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


# --- the server --------------------------------------------------------------------------------


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class ServerError(RuntimeError):
    """gunicorn did not come up (the message holds the end of its log)."""


class GunicornServer:
    """gunicorn serving ``app:server`` on loopback; a context manager (see module docstring).

    ``cold_start`` is the time from starting the process to the first HTTP 200 on ``/``.
    """

    def __init__(
        self,
        workers: int = 2,
        port: int | None = None,
        *,
        app: str = "app:server",
        ready_path: str = "/",
        start_timeout: float = START_TIMEOUT,
        stop_timeout: float = STOP_TIMEOUT,
        extra_args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ):
        self.workers = workers
        self.port = port or free_port()
        self.app = app
        self.ready_path = ready_path
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.extra_args = tuple(extra_args)
        self.env = env
        self.process: subprocess.Popen | None = None
        self.cold_start: float | None = None
        self.left_behind: list[int] = []  # processes stop() had to kill after the master exited
        self._log = None
        self._known: dict[int, int] = {}  # pid -> start time of every process seen below us

    # -- addresses

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the server is not running")
        return self.process.pid

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--graceful-timeout",
            str(GRACEFUL_TIMEOUT),
            "--no-control-socket",
            *self.extra_args,
            self.app,
        ]

    # -- lifecycle

    def start(self) -> float:
        """Start gunicorn and wait for a 200 on ``ready_path``; returns the cold start (s)."""
        if self.process is not None:
            raise RuntimeError("already started")
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in stop())
            prefix="gunicorn-", suffix=".log", delete=False
        )
        env = {**os.environ, **(self.env or {})}
        t0 = time.perf_counter()
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_ready(t0)
        except BaseException:
            self.stop()
            raise
        self.cold_start = time.perf_counter() - t0
        self.snapshot()
        return self.cold_start

    def _wait_ready(self, t0: float) -> None:
        deadline = t0 + self.start_timeout
        last = "no answer"
        while True:
            if self.process.poll() is not None:
                raise ServerError(
                    f"gunicorn exited with code {self.process.returncode} before serving "
                    f"{self.ready_path}:\n{self.log_tail()}"
                )
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ServerError(
                    f"no HTTP 200 on {self.ready_path} within {self.start_timeout:.0f} s "
                    f"({last}):\n{self.log_tail()}"
                )
            try:
                # Once gunicorn listens, the connection is accepted at once and the answer
                # comes as soon as a worker has booted; until then the connect is refused.
                status, _ = self.get(self.ready_path, timeout=min(remaining, 5.0))
                if status == 200:
                    return
                last = f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(POLL_INTERVAL)

    def snapshot(self, process: subprocess.Popen | None = None) -> list[int]:
        """Remember every process below the master now (so stop() can find orphans)."""
        process = process or self.process
        if process is None or process.poll() is not None:
            return []
        pids = descendants(process.pid)
        for pid in pids:
            started = start_time(pid)
            if started is not None:
                self._known.setdefault(pid, started)
        return pids

    def stop(self) -> None:
        """SIGTERM the master, wait, SIGKILL on timeout; then end any process of ours that
        outlived it (e.g. a Chromium whose worker was killed). Idempotent."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                self.snapshot(process)
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(self.stop_timeout)
                except subprocess.TimeoutExpired:
                    for pid in [process.pid, *descendants(process.pid)]:
                        with contextlib.suppress(OSError):
                            os.kill(pid, signal.SIGKILL)
                    process.wait(10)
            self._end_orphans()
        if self._log is not None:
            self._log.close()
            self._log_path = self._log.name
            self._log = None

    def _end_orphans(self) -> None:
        left = [pid for pid, started in self._known.items() if is_alive(pid, started)]
        deadline = time.monotonic() + 5
        while left and time.monotonic() < deadline:  # workers may still be exiting
            time.sleep(0.05)
            left = [pid for pid in left if is_alive(pid, self._known[pid])]
        if not left:
            return
        self.left_behind = left
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in left:
                if is_alive(pid, self._known[pid]):
                    with contextlib.suppress(OSError):
                        os.kill(pid, sig)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and any(is_alive(p, self._known[p]) for p in left):
                time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        path = self._log.name if self._log is not None else getattr(self, "_log_path", None)
        if not path:
            return ""
        if self._log is not None:
            self._log.flush()
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- measuring

    def memory(self) -> TreeMemory:
        self.snapshot()
        return tree_memory(self.pid)

    def rss(self) -> int:
        """Sum of VmRSS of master + workers + their Chromium processes, in bytes."""
        self.snapshot()
        return tree_rss(self.pid)

    def all_pids(self) -> list[int]:
        """Every process of this server that is still alive (master included while running)."""
        pids = [pid for pid, started in self._known.items() if is_alive(pid, started)]
        if self.process is not None and self.process.poll() is None:
            pids = [self.process.pid, *pids]
        return pids

    # -- requests

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
        return self.request("GET", path, timeout=timeout)


# --- the render_view callback request -----------------------------------------------------------

RENDER_VIEW_OUTPUT = "view-content.children"
CALLBACK_PATH = "/_dash-update-component"
CALLBACK_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br, zstd",  # what Chromium sends
}


def _concrete(pattern: dict, chart: str) -> dict:
    return {k: chart if isinstance(v, list) else v for k, v in pattern.items()}


def split_output(output: str, charts: Sequence[str] = ()) -> list:
    """Dash's multi-output id -> the renderer's `outputs`: {id, property} per output; for an
    ALL pattern output (`{"chart": ["ALL"], ...}`) a list of them, one per chart on the page,
    for a MATCH one the first chart's."""
    from indicators.web.security import matches_many, output_specs  # the app's own parser

    out: list = []
    for ident, prop in output_specs(output):
        if not isinstance(ident, dict):
            out.append({"id": ident, "property": prop})
        elif matches_many(ident):
            out.append([{"id": _concrete(ident, c), "property": prop} for c in charts])
        else:
            out.append({"id": _concrete(ident, charts[0] if charts else ""), "property": prop})
    return out


def dependency_item(dep: dict, value, charts: Sequence[str] = ()):
    """An input or state of the renderer's request: {id, property, value}. For an ALL
    pattern a list of them, one per chart on the page (`value`: a list of their values, or
    one value for each); for a MATCH pattern the first chart's."""
    ident, prop = dep["id"], dep["property"]
    if not ident.startswith("{"):
        return {"id": ident, "property": prop, "value": value}
    from indicators.web.security import matches_many  # the app's own rule

    pattern = json.loads(ident)
    if not matches_many(pattern):
        return {
            "id": _concrete(pattern, charts[0] if charts else ""),
            "property": prop,
            "value": value,
        }
    values = value if isinstance(value, list) else [value] * len(charts)
    return [
        {"id": _concrete(pattern, c), "property": prop, "value": v}
        for c, v in zip(charts, values, strict=False)
    ]


def render_view_dependency(dependencies: list[dict]) -> dict:
    """The render_view callback among the app's /_dash-dependencies."""
    for dep in dependencies:
        if RENDER_VIEW_OUTPUT in dep["output"].split("...") or dep["output"].startswith(
            f"..{RENDER_VIEW_OUTPUT}..."
        ):
            return dep
    raise LookupError(f"no callback with output {RENDER_VIEW_OUTPUT} in /_dash-dependencies")


def render_view_body(dependency: dict, pathname: str, search: str) -> bytes:
    """The JSON body the Dash renderer POSTs for render_view at ``pathname`` + ``search``."""
    values = {"pathname": pathname, "search": search}
    inputs = [
        {"id": i["id"], "property": i["property"], "value": values[i["property"]]}
        for i in dependency["inputs"]
    ]
    body = {
        "output": dependency["output"],
        "outputs": split_output(dependency["output"]),
        "inputs": inputs,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dependency["inputs"]],
        "state": [{**d, "value": None} for d in dependency.get("state", [])],
    }
    return json.dumps(body, separators=(",", ":")).encode()


def fetch_render_view_dependency(server: GunicornServer) -> dict:
    status, data = server.get("/_dash-dependencies")
    if status != 200:
        raise ServerError(f"/_dash-dependencies answered HTTP {status}")
    return render_view_dependency(json.loads(data))


def main() -> None:
    """Print the cold start and memory of gunicorn with 2 workers."""
    with GunicornServer(workers=2) as server:
        print(f"cold start (2 workers, first 200 on /): {server.cold_start:.2f} s")
        print(f"memory after start: {server.memory().describe()}")


if __name__ == "__main__":
    main()
