"""One export browser (kaleido + headless Chromium) that can be watched, timed out and killed.

kaleido's own sync server (``kaleido.start_sync_server``) cannot be supervised: its worker
blocks forever on a dead or stopped browser, it hides the browser process, and it is a
per-process singleton that cannot be replaced while a call is stuck in it. Instead each
:class:`ExportBrowser` runs a ``kaleido.Kaleido`` on an asyncio loop in a thread of its own,
so that a stuck generation can be abandoned and a new one started next to it.

The browser process tree is found from choreographer's ``Popen`` (``Kaleido.subprocess``): that
is choreographer's small Python wrapper, started in a new session, whose child is Chromium; all
Chromium processes stay in the wrapper's process group. Liveness, the tree and its memory are
read from ``/proc`` (Linux); elsewhere liveness falls back to ``os.kill(pid, 0)``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import kaleido
from choreographer.browsers import BrowserClosedError, BrowserFailedError
from choreographer.channels import ChannelClosedError

from .browser import ExportChromium

_log = logging.getLogger(__name__)
_PROC = "/proc"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
POLL_S = 0.1  # how often a waiting job looks at the browser's health
_ASSETS = Path(__file__).resolve().parents[2] / "assets"
# map outlines from the repository's assets (plotly.js would fetch them from its CDN)
TOPOJSON_URL = (_ASSETS / "topojson").as_uri() + "/"
# The page's own plotly.js (same version as plotly's full bundle, with the traces drawn here):
# exports draw with what the page draws with, and a new browser is up in about 1 s, not 2.5 s.
PLOTLY_JS = _ASSETS / "vendor" / "plotly-dashboard-4.1.1.min.js"

# Raised by kaleido/choreographer when the browser went away under them.
_GONE_ERRORS = (BrowserClosedError, BrowserFailedError, ChannelClosedError)


class BrowserGone(RuntimeError):
    """The browser process died (or never came up)."""


class JobTimeout(RuntimeError):
    """The browser did not answer within the job's time limit."""


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, pgrp) of a process, or None if there is no such process."""
    try:
        with open(f"{_PROC}/{pid}/stat", "rb") as f:
            raw = f.read().decode("ascii", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def pid_alive(pid: int) -> bool:
    """Whether a process runs (a zombie or a dead process does not; a stopped one does)."""
    if os.path.isdir(_PROC):
        st = _stat(pid)
        return st is not None and st[0] not in ("Z", "X", "x")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, plus anything left in its process group (when ``root``
    leads one), from one pass over /proc. Empty if ``root`` is gone and has no group left."""
    parents: dict[int, int] = {}
    group: set[int] = set()
    try:
        entries = os.listdir(_PROC)
    except OSError:
        return [root] if pid_alive(root) else []
    for name in entries:
        if not name.isdigit():
            continue
        st = _stat(int(name))
        if st is None or st[0] in ("Z", "X", "x"):
            continue
        parents[int(name)] = st[1]
        if st[2] == root:
            group.add(int(name))
    tree = {root} if root in parents else set()
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sorted(tree | group)


def _memory_of(pid: int, kind: Literal["rss", "pss"]) -> int:
    try:
        if kind == "rss":
            with open(f"{_PROC}/{pid}/statm", "rb") as f:
                return int(f.read().split()[1]) * _PAGE
        with open(f"{_PROC}/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class ExportBrowser:
    """A kaleido ``Kaleido`` (one Chromium, one tab) on a private event loop thread.

    :meth:`open` launches it, :meth:`render` runs one image under a time limit while watching
    the browser's pid, :meth:`kill` ends the whole process tree (also when it is stopped), and
    :meth:`close` releases everything without ever blocking longer than its timeout.
    """

    def __init__(self, path: str, render_timeout: float | None = None) -> None:
        self.path = path
        self._render_timeout = render_timeout
        self._kaleido: Any = None
        self.wrapper_pid: int | None = None  # choreographer's wrapper, leads the group
        self.browser_pid: int | None = None  # Chromium's main process
        self.started_at = 0.0
        self.ended = False  # killed or closed: its leftover errors are expected
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(self._loop_error)
        self._thread = threading.Thread(
            target=self._run_loop, name="export-browser-loop", daemon=True
        )

    # -- event loop thread ------------------------------------------------------------------

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        # Mostly "Future exception was never retrieved" from futures that a dying browser
        # failed, reported when they are garbage-collected. One line, no traceback: a
        # traceback formatted inside a finalizer can hit CPython 3.11's "AST constructor
        # recursion depth mismatch" if the collection ran during an ast.parse (seen here).
        exc = context.get("exception")
        detail = f" ({type(exc).__name__}: {_short(exc)})" if exc is not None else ""
        level = logging.DEBUG if self.ended else logging.WARNING
        _log.log(level, "export browser loop: %s%s", context.get("message"), detail)

    def _submit(self, coro: Any) -> concurrent.futures.Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _open(self) -> None:
        k = kaleido.Kaleido(
            path=self.path,
            mathjax=False,  # would be fetched from a CDN
            plotlyjs=str(PLOTLY_JS),
            n=1,
            timeout=self._render_timeout,
            browser_cls=ExportChromium,
            enable_extensions=False,
        )
        self._kaleido = k
        await k.open()

    # -- lifecycle --------------------------------------------------------------------------

    def open(self, timeout: float) -> None:
        """Launch Chromium and load kaleido's page. Raises BrowserGone or JobTimeout; the
        caller should :meth:`close` this object after a failure."""
        self._thread.start()
        t0 = time.monotonic()
        future = self._submit(self._open())
        try:
            future.result(timeout)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            self._find_pids()
            raise JobTimeout(f"did not come up within {timeout:.0f} s") from exc
        except Exception as exc:
            self._find_pids()
            raise BrowserGone(_short(exc)) from exc
        self._find_pids()
        if not self.alive():
            raise BrowserGone("exited right after starting")
        self.started_at = time.monotonic()
        _log.info(
            "export browser up: pid %s (wrapper %s) in %.2f s",
            self.browser_pid,
            self.wrapper_pid,
            self.started_at - t0,
        )

    def _find_pids(self) -> None:
        proc = getattr(self._kaleido, "subprocess", None)
        if proc is None:
            return
        self.wrapper_pid = proc.pid
        if self.browser_pid is None:
            children = [
                p for p in process_tree(proc.pid) if (_stat(p) or ("", 0, 0))[1] == proc.pid
            ]
            self.browser_pid = children[0] if children else None

    def alive(self) -> bool:
        """Health check by pid: choreographer's wrapper and Chromium's main process both run."""
        proc = getattr(self._kaleido, "subprocess", None)
        if proc is None or proc.returncode is not None or self.wrapper_pid is None:
            return False
        if not pid_alive(self.wrapper_pid):
            return False
        return self.browser_pid is None or pid_alive(self.browser_pid)

    def pids(self) -> list[int]:
        """The browser's process tree: wrapper, Chromium and its helpers (zygotes, GPU,
        renderers). Empty once it has gone."""
        return process_tree(self.wrapper_pid) if self.wrapper_pid else []

    def memory(self, kind: Literal["rss", "pss"] = "rss") -> int:
        """Bytes resident over the process tree. ``rss`` counts shared pages once per process
        (an overestimate); ``pss`` shares them out (sums to the true footprint)."""
        return sum(_memory_of(pid, kind) for pid in self.pids())

    def kill(self) -> None:
        """SIGKILL the whole tree, stopped or not (a stopped process dies of SIGKILL too; it
        also gets a SIGCONT so nothing is left frozen if the kill raced with a fork)."""
        self.ended = True
        pids = self.pids()
        group = self.wrapper_pid
        if group and group != os.getpgrp():
            with contextlib.suppress(OSError):
                if os.getpgid(group) == group:
                    os.killpg(group, signal.SIGKILL)
        for pid in pids:
            if pid != os.getpid():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGCONT)

    def close(self, timeout: float = 5.0) -> None:
        """Close the browser politely; kill it if that does not finish in time; stop the loop.
        Never blocks much longer than ``timeout``."""
        self.ended = True
        if not self._thread.is_alive():
            return
        if self._kaleido is not None:
            if not self.alive():
                self.kill()  # leftovers (helpers whose parent died)
            future = self._submit(self._kaleido.close())
            try:
                future.result(timeout)
            except Exception as exc:  # timeout, or kaleido failing on a dead pipe
                _log.debug("export browser close: %s; killing it", _short(exc))
                self.kill()
                with contextlib.suppress(Exception):
                    self._submit(self._kaleido.close()).result(2.0)
        self._submit(_cancel_all_then_stop(self._loop))
        self._thread.join(2.0)
        if not self._thread.is_alive():
            self._loop.close()
        else:
            _log.warning("export browser loop did not stop; abandoning it")

    # -- work -------------------------------------------------------------------------------

    def render(self, figure: dict[str, Any], opts: dict[str, Any], timeout: float) -> bytes:
        """One image. Raises JobTimeout, BrowserGone, or kaleido's error for a bad figure."""
        return self.run(lambda k: k.calc_fig(figure, opts=opts, topojson=TOPOJSON_URL), timeout)

    def run(self, job: Callable[[Any], Any], timeout: float) -> Any:
        """Run ``job(kaleido)`` (a coroutine) on the browser's loop, watching the browser."""
        if not self.alive():
            raise BrowserGone("it is not running")
        future = self._submit(job(self._kaleido))
        deadline = time.monotonic() + timeout
        while True:
            done, _ = concurrent.futures.wait([future], timeout=POLL_S)
            if done:
                break
            if not self.alive():
                future.cancel()
                raise BrowserGone("its process ended while drawing")
            if time.monotonic() >= deadline:
                future.cancel()
                raise JobTimeout(f"no answer within {timeout:g} s")
        try:
            return future.result()
        except concurrent.futures.CancelledError as exc:
            raise BrowserGone("the job was cancelled by the browser closing") from exc
        except _GONE_ERRORS as exc:
            raise BrowserGone(_short(exc)) from exc
        except Exception as exc:
            if not self.alive():
                raise BrowserGone(_short(exc)) from exc
            raise


async def _cancel_all_then_stop(loop: asyncio.AbstractEventLoop) -> None:
    me = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not me]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=1.0)
    loop.stop()


def _short(exc: BaseException) -> str:
    text = " ".join(str(a) for a in exc.args if isinstance(a, str)) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
