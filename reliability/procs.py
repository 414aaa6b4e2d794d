"""Process memory of a gunicorn tree with psutil: page workers, and the export pool below them.

Page workers are the master's children. Everything below a page worker is its export pool
(multiprocessing's resource tracker, the spawned export processes, their Chromium trees).
RSS counts a shared page once per process that maps it, so a pool's RSS sum overstates it;
PSS shares such pages out and sums to the real footprint.
"""

from __future__ import annotations

import contextlib
import signal
from dataclasses import dataclass, field

import psutil

MIB = 2**20


def mib(n: float) -> str:
    return f"{n / MIB:.0f} MiB"


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def page_workers(master: int) -> list[psutil.Process]:
    try:
        return [p for p in psutil.Process(master).children() if _alive(p)]
    except psutil.Error:
        return []


def pool_processes(master: int) -> list[psutil.Process]:
    out = []
    for worker in page_workers(master):
        with contextlib.suppress(psutil.Error):
            out += [p for p in worker.children(recursive=True) if _alive(p)]
    return out


def _rss(proc: psutil.Process) -> int:
    try:
        return proc.memory_info().rss
    except psutil.Error:
        return 0


def _pss(proc: psutil.Process) -> int:
    try:
        return proc.memory_full_info().pss
    except (psutil.Error, AttributeError):
        return 0


@dataclass
class Memory:
    """One reading of a gunicorn tree."""

    workers_rss: list[int] = field(default_factory=list)  # each page worker
    pool_rss: int = 0
    pool_pss: int = 0
    pool_processes: int = 0
    browsers: int = 0  # Chromium main processes in the pool

    @property
    def max_worker_rss(self) -> int:
        return max(self.workers_rss, default=0)

    def describe(self) -> str:
        workers = ", ".join(mib(r) for r in self.workers_rss) or "none"
        return (
            f"page workers RSS {workers}; export pool {self.pool_processes} processes "
            f"({self.browsers} browsers): RSS {mib(self.pool_rss)}, PSS {mib(self.pool_pss)}"
        )


def is_browser_main(proc: psutil.Process) -> bool:
    """Chromium's main process (not one of its zygotes, renderers or helpers)."""
    try:
        return "chrom" in proc.name() and not any(a.startswith("--type=") for a in proc.cmdline())
    except psutil.Error:
        return False


def memory(master: int, pss: bool = True) -> Memory:
    out = Memory(workers_rss=[_rss(w) for w in page_workers(master)])
    pool = pool_processes(master)
    out.pool_processes = len(pool)
    out.pool_rss = sum(_rss(p) for p in pool)
    out.pool_pss = sum(_pss(p) for p in pool) if pss else 0
    out.browsers = sum(1 for p in pool if is_browser_main(p))
    return out


def kill_browsers(master: int) -> list[int]:
    """SIGKILL every export browser's main process below ``master``; returns their pids."""
    killed = []
    for proc in pool_processes(master):
        if is_browser_main(proc):
            with contextlib.suppress(psutil.Error):
                proc.send_signal(signal.SIGKILL)
                killed.append(proc.pid)
    return killed
