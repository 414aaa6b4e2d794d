"""nginx in front of gunicorn (deploy/nginx.conf, reliability/front.py): slow clients do not
hold up pages, and nginx's own answers (413, 404) carry the security headers.

Needs Debian's nginx (``make setup`` installs it); skipped without it. About 10 s.
"""

from __future__ import annotations

import gzip
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

from reliability import front

pytestmark = pytest.mark.skipif(
    front.nginx_binary() is None,
    reason="nginx is not installed (apt-get install nginx, or make setup)",
)

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


@pytest.fixture(scope="module")
def servers():
    gunicorn = front.GunicornServer(workers=2, start_timeout=60)
    nginx = None
    try:
        gunicorn.start()
        nginx = front.NginxServer(gunicorn.port)
        nginx.start()
        yield gunicorn, nginx
    finally:
        if nginx is not None:
            nginx.stop()
        gunicorn.stop()


def raw_exchange(port: int, head: bytes, timeout: float = 5.0) -> tuple[int, dict[str, str]]:
    """Send ``head`` (a request without its body), read the answer's status and headers."""
    with socket.create_connection((front.HOST, port), timeout=timeout) as sock:
        sock.sendall(head)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def assert_security_headers(headers: dict[str, str]) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, headers)


def test_config_has_no_placeholder_left(tmp_path):
    text = front.render_config("127.0.0.1:1", "127.0.0.1:2", front.ASSETS, tmp_path)
    assert "@@" not in text.split("\n# then:")[-1]
    assert "client_max_body_size 8m;" in text
    assert "server_tokens off;" in text


def test_pages_keep_being_served_with_slow_clients(servers):
    # Served, every one, while 8 slow clients hold connections; how fast (p95 <= 500 ms) is
    # measured by the reliability suite, not by a timed unit test on a shared machine.
    _gunicorn, nginx = servers
    result = front.measure(nginx.port, "nginx", duration=4.0, baseline=1.0, slow=8)
    print(result.report())
    assert result.slow_opened >= 8
    assert result.errors == 0, result.failures
    assert all(phase.requests > 0 for phase in result.phases)


def test_body_over_8m_is_nginx_413_with_security_headers(servers):
    _gunicorn, nginx = servers
    head = (
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\n"
        + f"Content-Length: {9 * 1024 * 1024}\r\n\r\n".encode()
    )
    status, headers = raw_exchange(nginx.port, head)
    assert status == 413
    assert_security_headers(headers)
    assert headers.get("server") == "nginx"  # server_tokens off: no version


def test_missing_asset_is_nginx_404_with_security_headers(servers):
    _gunicorn, nginx = servers
    status, headers, body = front.request(nginx.port, "GET", "/assets/no-such-file.js")
    assert status == 404
    assert_security_headers(headers)
    assert headers["content-type"].startswith("text/plain")
    assert b"nginx" not in body


def test_assets_served_by_nginx_compressed(servers):
    _gunicorn, nginx = servers
    status, headers, body = front.request(
        nginx.port, "GET", "/assets/style.css?m=1", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert headers.get("content-encoding") == "gzip"
    assert "immutable" in headers["cache-control"]
    assert gzip.decompress(body) == (front.ASSETS / "style.css").read_bytes()
    assert_security_headers(headers)


def test_precompressed_asset_is_sent_as_is(servers, request):
    gunicorn, _nginx = servers
    # nginx's workers run as "nobody" when it is started as root: pytest's tmp_path (under a
    # 0700 folder) is out of their reach
    tmp_path = Path(tempfile.mkdtemp(prefix="nginx-assets-"))
    tmp_path.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(tmp_path, ignore_errors=True))
    (tmp_path / "big.js").write_text("var a = 1;\n" * 200)
    marker = gzip.compress(b"// the precompressed copy\n")
    (tmp_path / "big.js.gz").write_bytes(marker)
    with front.NginxServer(gunicorn.port, assets=tmp_path) as nginx:
        status, headers, body = front.request(
            nginx.port, "GET", "/assets/big.js", headers={"Accept-Encoding": "gzip"}
        )
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert body == marker


def test_app_answers_pass_through_unchanged(servers):
    """The app's own headers (CSP, its framing rules) are not replaced or doubled by nginx."""
    _gunicorn, nginx = servers
    status, headers, _body = front.request(nginx.port, "GET", "/overview")
    assert status == 200
    assert "content-security-policy" in headers
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _body = front.request(nginx.port, "GET", "/no-such-view")
    assert status == 404  # the app's 404 (its policy), not nginx's (default-src 'none')
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
