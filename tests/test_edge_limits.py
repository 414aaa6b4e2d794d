"""Request bodies are capped at ``security.MAX_REQUEST_BYTES`` on the real servers.

A callback POST larger than the limit is answered 413 once the limit is passed, whether the
client gives a Content-Length or streams the body with ``Transfer-Encoding: chunked``, and the
server never reads the whole body: these tests send 40 MB over a raw socket, stop sending as
soon as an answer arrives, and check how much had been sent by then, how long it took and how
far the server process's RSS rose meanwhile. They run on Werkzeug's development server and on
gunicorn with its sync and gthread workers (each in its own process, so its memory can be
read), and check the limits of the repository's gunicorn.conf.py.
"""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import select
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pytest

from benchmarks.serve import CALLBACK_PATH, HOST, GunicornServer, children, free_port, rss_bytes
from indicators.web import security
from indicators.web.app import create_app

from .conftest import DATA_DIR, ROOT

MiB = 2**20
BIG = 40 * MiB  # the body a client tries to send
PIECE = 256 * 1024  # bytes per chunk (and per send on a Content-Length body)
# What may have left the client before the answer arrives: the limit, plus what the
# kernel's socket buffers hold on loopback (a few MiB each way), plus one piece.
SENT_BOUND = security.MAX_REQUEST_BYTES + 16 * MiB
RSS_BOUND = 40 * MiB  # the server may hold the limit (8 MiB) of the body, never 40 MB of it
ANSWER_BOUND_S = 15.0  # a refused 40 MB body is answered in well under a second here


@dataclass
class Sent:
    status: int | None
    sent: int  # body bytes (chunk framing excluded) sent before the answer arrived
    seconds: float
    answer: bytes


def _head(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def send_body(port: int, path: str = CALLBACK_PATH, total: int = BIG, chunked: bool = True) -> Sent:
    """POST a JSON body of ``total`` bytes (chunked, or with a Content-Length) and stop
    sending as soon as the server answers; the answer is read until the server closes."""
    headers = {"Content-Type": "application/json", "Connection": "close"}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
    else:
        headers["Content-Length"] = str(total)
    prefix, suffix = b'{"output": "', b'"}'
    sock = socket.create_connection((HOST, port), timeout=30)
    answer = b""
    sent = 0
    t0 = time.perf_counter()
    try:
        sock.sendall(_head(path, headers))
        sock.setblocking(False)
        pending = b""
        finished = False
        while True:
            if not pending and not finished:
                size = min(PIECE, total - sent)
                if size <= 0:
                    pending, finished = (b"0\r\n\r\n" if chunked else b""), True
                else:
                    data = (prefix + b"x" * (size - len(prefix))) if sent == 0 else b"x" * size
                    if sent + size == total:
                        data = data[: -len(suffix)] + suffix
                    pending = (f"{size:x}\r\n".encode() + data + b"\r\n") if chunked else data
                    sent += size
            readable, writable, _ = select.select([sock], [sock] if pending else [], [], 30)
            if readable:
                break  # the answer (or the end of the connection) has come
            if not writable:
                raise TimeoutError("the server neither read nor answered for 30 s")
            try:
                pending = pending[sock.send(pending) :]
            except (BrokenPipeError, ConnectionResetError):
                break
        sock.settimeout(30)
        answer = _read_answer(sock)
    finally:
        sock.close()
    seconds = time.perf_counter() - t0
    status = int(answer.split()[1]) if answer.startswith(b"HTTP/1.") else None
    return Sent(status, sent - len(pending) if pending else sent, seconds, answer)


def _read_answer(sock: socket.socket) -> bytes:
    """Status line, headers and a Content-Length body; not until the server closes (after a
    413 Werkzeug's server waits for the rest of the body of a client that stopped sending)."""
    answer = b""
    with contextlib.suppress(ConnectionResetError, TimeoutError):
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                return answer
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        while length and len(body) < int(length[1]):
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        answer = head + b"\r\n\r\n" + body
    return answer


class PeakRss:
    """Samples a process's VmRSS every 2 ms while in the ``with`` block."""

    def __init__(self, pid: int):
        self.pid = pid
        self.before = self.peak = rss_bytes(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(0.002)

    @property
    def rise(self) -> int:
        return self.peak - self.before

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(0.05)
        self._stop.set()
        self._thread.join()


# --- servers ----------------------------------------------------------------------------------

DEV_SERVER = """
import sys
from werkzeug.serving import make_server
from indicators.web.app import create_app

app = create_app(export_status=lambda: (False, "Image export is off in this test."))
http = make_server("127.0.0.1", int(sys.argv[1]), app.server, threaded=True)
print("ready", flush=True)
http.serve_forever()
"""


@contextlib.contextmanager
def dev_server():
    """Werkzeug's development server (what `python app.py` runs) in its own process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", DEV_SERVER, str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextlib.contextmanager
def gunicorn(worker_class: str | None):
    """gunicorn with one worker; from the repository root it reads gunicorn.conf.py, and
    ``worker_class`` (when given) overrides the one set there."""
    args = ()
    if worker_class is not None:
        threads = "2" if worker_class == "gthread" else "1"
        args = ("--worker-class", worker_class, "--threads", threads)
    with GunicornServer(workers=1, extra_args=args) as server:
        (worker,) = children(server.pid)
        yield server.port, worker


SERVERS = {
    "werkzeug": dev_server,
    "gunicorn-sync": lambda: gunicorn("sync"),
    "gunicorn-gthread": lambda: gunicorn("gthread"),
    "gunicorn-conf": lambda: gunicorn(None),  # gunicorn.conf.py as `make serve` runs it
}


@pytest.fixture(scope="module", params=list(SERVERS))
def live(request):
    with SERVERS[request.param]() as (port, pid):
        yield request.param, port, pid


# --- the limit on real servers ----------------------------------------------------------------


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_oversized_callback_body_is_refused_before_it_is_read(live, chunked):
    name, port, pid = live
    with PeakRss(pid) as rss:
        result = send_body(port, chunked=chunked)
    detail = (
        f"{name}: HTTP {result.status} after {result.sent / MiB:.1f} MiB sent, "
        f"{result.seconds:.2f} s, server RSS +{rss.rise / MiB:.1f} MiB"
    )
    print(detail)
    assert result.status == 413, detail + "\n" + result.answer[:300].decode("latin-1")
    assert b"413" in result.answer.partition(b"\r\n\r\n")[2]
    assert result.sent < SENT_BOUND, detail
    assert result.seconds < ANSWER_BOUND_S, detail
    assert rss.rise < RSS_BOUND, detail


def test_a_body_on_a_path_that_reads_none_is_not_read(live):
    name, port, pid = live
    with PeakRss(pid) as rss:
        result = send_body(port, path="/overview")
    assert result.status == 405, name  # POST: a page takes GET only; the body is never read
    assert result.sent < SENT_BOUND and result.seconds < ANSWER_BOUND_S, name
    assert rss.rise < RSS_BOUND, name


def test_a_callback_body_under_the_limit_still_works_chunked(live):
    name, port, _ = live
    result = send_body(port, total=64 * 1024)
    # a real body would be answered 200; this one names no callback, so the checks say 400
    assert result.status == 400, name
    assert b"no such callback" in result.answer


def test_the_server_still_answers_after_refusing(live):
    _, port, _ = live
    send_body(port)
    with socket.create_connection((HOST, port), timeout=30) as sock:
        request = f"GET /overview HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode())
        assert sock.recv(64).startswith(b"HTTP/1.1 200")


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(request)
        return _read_answer(sock)


def test_gunicorn_conf_limits_request_line_and_headers(live):
    name, port, _ = live
    if name != "gunicorn-conf":
        pytest.skip("the limits of gunicorn.conf.py")
    ok = _raw(port, f"GET /overview?{'x=1&' * 900} HTTP/1.1\r\nHost: a\r\n\r\n".encode())
    assert ok.startswith(b"HTTP/1.1 200"), ok[:100]  # a 3.6 kB query reaches the app
    long_line = _raw(port, f"GET /overview?{'x' * 6000} HTTP/1.1\r\nHost: a\r\n\r\n".encode())
    assert long_line.split(b" ")[1] == b"414", long_line[:100]
    many = "".join(f"X-Field-{i}: 1\r\n" for i in range(60))
    fields = _raw(port, f"GET /overview HTTP/1.1\r\nHost: a\r\n{many}\r\n".encode())
    assert fields.split(b" ")[1] in (b"400", b"431"), fields[:100]
    big = _raw(port, f"GET /overview HTTP/1.1\r\nHost: a\r\nX-Big: {'x' * 9000}\r\n\r\n".encode())
    assert big.split(b" ")[1] in (b"400", b"431"), big[:100]


# --- in the app (test client) -----------------------------------------------------------------


@pytest.fixture(scope="module")
def app():
    return create_app(DATA_DIR, export_status=lambda: (False, "off"))


def test_the_limit_is_applied_to_the_flask_app(app):
    assert app.server.config["MAX_CONTENT_LENGTH"] == security.MAX_REQUEST_BYTES


def test_a_configured_limit_is_kept():
    app = create_app(DATA_DIR, export_status=lambda: (False, "off"))
    assert app.server.config["MAX_CONTENT_LENGTH"] == security.MAX_REQUEST_BYTES
    app.server.config["MAX_CONTENT_LENGTH"] = 1024
    body = b'{"output": "' + b"x" * 2000 + b'"}'
    response = app.server.test_client().post(
        CALLBACK_PATH, data=body, content_type="application/json"
    )
    assert response.status_code == 413 and response.mimetype == "text/plain"


@pytest.mark.parametrize("extra", [-1, 0, 1, PIECE])
def test_a_streamed_body_is_413_just_past_the_limit(app, extra):
    # No Content-Length, as a chunked request under a server that sets wsgi.input_terminated.
    size = security.MAX_REQUEST_BYTES + extra
    body = b'{"output": "' + b"x" * (size - 14) + b'"}'
    assert len(body) == size
    response = app.server.test_client().post(
        CALLBACK_PATH,
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )
    assert response.status_code == (413 if extra > 0 else 400), response.get_data(as_text=True)
    assert response.mimetype == "text/plain"


def test_any_path_refuses_a_declared_length_over_the_limit_unread(app):
    client = app.server.test_client()
    for method, path in (("GET", "/overview"), ("POST", "/"), ("GET", "/embed/cpi")):
        response = client.open(
            path,
            method=method,
            input_stream=io.BytesIO(b"x"),
            environ_overrides={"CONTENT_LENGTH": str(security.MAX_REQUEST_BYTES + 1)},
        )
        assert response.status_code == 413, path
        assert response.mimetype == "text/plain"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- gunicorn.conf.py -------------------------------------------------------------------------


def test_gunicorn_conf_sets_every_limit(monkeypatch):
    for name in ("WORKERS", "THREADS", "BIND"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["worker_class"] == "gthread"
    assert conf["workers"] == 2 and conf["threads"] == 8 and conf["bind"] == "127.0.0.1:8050"
    assert 0 < conf["keepalive"] < conf["timeout"]
    assert 0 < conf["graceful_timeout"] <= conf["timeout"]
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert 0 < conf["limit_request_line"] <= 8190
    assert 0 < conf["limit_request_fields"] <= 100
    assert 0 < conf["limit_request_field_size"] <= 8190
    monkeypatch.setenv("WORKERS", "3")
    monkeypatch.setenv("THREADS", "6")
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 6, "0.0.0.0:9000")


def test_make_serve_uses_the_config_file():
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "--config gunicorn.conf.py" in serve
