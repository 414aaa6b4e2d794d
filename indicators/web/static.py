"""Scripts, styles and fonts compressed once per process and then served from memory.

flask-compress compresses every response again on every request (20-110 ms for plotly.js at
its default levels). Static files never change while the process runs, so each is compressed
once: at once with a fast setting, so that no request waits, then again at the strongest
setting in a background thread (brotli 11: plotly.js 1.19 MB -> 329 kB, against 401 kB for
flask-compress's zstd). Dynamic responses (pages, layout, callbacks) are left to
flask-compress.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import brotli
import flask

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/embed/plotly", "/embed/embed")
COMPRESSIBLE = {
    "application/javascript",
    "text/javascript",
    "text/css",
    "image/svg+xml",
    "font/otf",
    "font/ttf",
    "application/vnd.ms-opentype",
    "application/font-sfnt",
    "image/x-icon",
    "image/vnd.microsoft.icon",
}
FAST = {"br": lambda b: brotli.compress(b, quality=5), "gzip": lambda b: gzip.compress(b, 6)}
BEST = {"br": lambda b: brotli.compress(b, quality=11), "gzip": lambda b: gzip.compress(b, 9)}
LONG_CACHE = "public, max-age=31536000, immutable"
MIN_SIZE = 500


def choose_encoding(accept_encoding: str) -> str | None:
    """'br' or 'gzip' when the client accepts it (q=0 refuses), else None."""
    accepted = {}
    for part in (accept_encoding or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        accepted[name.strip()] = q
    for name in ("br", "gzip"):
        if accepted.get(name, 0) > 0:
            return name
    return None


class CompressedStatic:
    """An after_request hook. Registered after flask-compress, it runs before it, and
    flask-compress leaves responses that already carry a Content-Encoding alone."""

    def __init__(self, background: bool = True):
        self._cache: dict[tuple, bytes] = {}
        self._best: set[tuple] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1) if background else None

    def encoded(self, key: tuple, body: bytes, encoding: str) -> bytes:
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        data = (FAST if self._pool else BEST)[encoding](body)
        with self._lock:
            self._cache.setdefault(key, data)
        if self._pool is None:
            self._best.add(key)
        else:
            self._pool.submit(self._upgrade, key, body, encoding)
        return data

    def _upgrade(self, key: tuple, body: bytes, encoding: str) -> None:
        data = BEST[encoding](body)
        with self._lock:
            if len(data) < len(self._cache.get(key, data + b" ")):
                self._cache[key] = data
            self._best.add(key)

    def wait(self) -> None:
        """Block until every background recompression has finished (benchmarks, tests)."""
        if self._pool is not None:
            self._pool.submit(lambda: None).result()

    def __call__(self, response: flask.Response) -> flask.Response:
        request = flask.request
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or not request.path.startswith(STATIC_PREFIXES)
        ):
            return response
        if request.args.get("m") or request.path.startswith("/_dash-component-suites/"):
            response.headers["Cache-Control"] = LONG_CACHE  # fingerprinted URLs
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        if (
            encoding is None
            or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE
        ):
            return response
        response.direct_passthrough = False
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        key = (request.path, encoding, len(body), zlib.crc32(body))
        response.set_data(self.encoded(key, body, encoding))
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{encoding}", weak=weak)
        return response


def register_compressed_static(server: flask.Flask, background: bool = True) -> CompressedStatic:
    hook = CompressedStatic(background=background)
    server.after_request(hook)
    server.extensions["compressed_static"] = hook
    return hook
