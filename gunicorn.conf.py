"""gunicorn settings for the dashboard (``make serve``: ``gunicorn --config gunicorn.conf.py``).

WORKERS, THREADS and BIND come from the environment (``make serve WORKERS=4 BIND=0.0.0.0:8050``
passes them on); everything else is fixed here, with the reason for each value. gunicorn also
reads this file by itself when started from the repository root without ``--config``
(benchmarks.serve.GunicornServer does); options given on its command line win over it.

gunicorn answers some malformed requests itself, before the app sees them: 400 (bad request
line or header), 414 (request line over ``limit_request_line``), 431 (too many or too large
header fields). Those short responses do not pass through Flask, so they carry none of the
app's headers (CSP, nosniff, X-Frame-Options; see indicators/web/security.py). They are plain
text with no content from the request, so nothing is needed for them now; a reverse proxy in
front can add the headers to every response if that changes.
"""

import os

# --- where and how many ---------------------------------------------------------------------

bind = os.environ.get("BIND") or "127.0.0.1:8050"  # loopback: a reverse proxy faces the network

# Page workers draw no images: each hands them to its own pool of export processes
# (indicators/exports/jobs.py, EXPORT_JOBS=local; EXPORT_WORKERS processes, each with its
# Chromium, at a lower CPU priority) or to Celery (EXPORT_JOBS=celery). A request waiting for
# an export holds a thread, and at most EXPORT_QUEUE (4), and never more than half the threads,
# of a worker wait so (more are answered 429 at once): 8 threads leave at least 4 for pages.
workers = int(os.environ.get("WORKERS") or 2)
threads = int(os.environ.get("THREADS") or 8)
# gthread: a pool of `threads` per worker, plus keep-alive connections parked in the worker's
# poller without holding a thread. (The sync worker would serve one request at a time per
# process, and close every connection after one response.)
worker_class = "gthread"

# --- time limits ----------------------------------------------------------------------------

# A worker whose main loop has not reported for this long is killed and replaced. Under
# gthread, requests run in the pool and the main loop keeps reporting, so this only catches a
# wedged process; it is also above the longest single request a sync worker (if one is forced
# on the command line) may legitimately take: waiting for an export job (EXPORT_WAIT_S, 45 s,
# indicators/exports/jobs.py), or with EXPORT_JOBS=inline starting Chromium (up to 60 s,
# indicators/exports/render.py START_TIMEOUT) and then rendering an image.
timeout = 90

# On SIGTERM, a reload or a worker's recycling (below), requests in flight get this long to
# finish before the worker is killed: an image export is limited to 20 s per image
# (EXPORT_JOB_TIMEOUT_S) and a briefing pack takes several seconds.
graceful_timeout = 30

# Seconds an idle connection is kept open for the next request: a page load is the HTML and
# then a burst of scripts, styles, fonts and callbacks, all within a second or two. Short, so
# that idle connections (each a file descriptor and a slot of worker_connections) do not pile
# up. Behind a load balancer that reuses connections, set this above the balancer's idle
# timeout.
keepalive = 5

# --- worker recycling -----------------------------------------------------------------------

# Each worker is replaced after this many requests (plus a random 0..jitter, so that the
# workers do not restart all at once): a backstop against slow growth (plotly, kaleido, the
# allocator) in a long-lived process. The app's own caches are bounded (views: 64, about 70 MB),
# so recycling is not what keeps memory in check, and it costs the new worker a new export
# pool (about 3 s, started at its boot); a few thousand requests keeps that rare. A recycled
# worker exits normally and stops its pool (worker_exit below); the export processes are
# themselves replaced after EXPORT_MAX_JOBS jobs and their browsers above
# EXPORT_MAX_BROWSER_MB (indicators/exports/worker.py).
max_requests = 5000
max_requests_jitter = 500

# --- request limits (gunicorn's own answers: 414, 431, 400; see the module docstring) ----------

# Request line (method, path, query, protocol). The app reads a query of up to 4096 characters
# (indicators/view/state.py MAX_QUERY_CHARS; a real link is a few hundred) and reports a
# longer one as ignored; this leaves room for that plus the longest path, so every query the
# app would read reaches it, and anything much longer is refused before it is parsed.
limit_request_line = 5120

# Header fields per request: a browser sends 10-20, a reverse proxy adds a few (X-Forwarded-*,
# X-Request-Id); 50 leaves room for both and refuses header floods. (gunicorn's default: 100.)
limit_request_fields = 50

# Bytes per header field. The app sets no cookies, but a browser sends every cookie of the
# domain, which other applications on it may set; 8190 is gunicorn's default and the common
# limit of proxies (nginx's large_client_header_buffers is 8k), so nothing a proxy passes is
# cut here.
limit_request_field_size = 8190

# No control socket: several servers (and other people's) on a machine would otherwise share
# ~/.gunicorn/gunicorn.ctl; the dashboard is managed with signals.
control_socket_disable = True


# --- export jobs ----------------------------------------------------------------------------


def post_fork(server, worker):
    """Each page worker starts its export pool after the fork (never before: no browser or
    pool thread may cross a fork)."""
    from indicators.exports import jobs

    jobs.configure(os.environ.get("EXPORT_JOBS") or "local", threads=server.cfg.threads)


def worker_exit(server, worker):
    from indicators.exports import jobs

    jobs.shutdown()
