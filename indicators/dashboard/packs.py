"""Briefing packs built in the background, with progress the page can poll.

The pack button starts a job (a thread); a dcc.Interval polls `status()` and, when the job is
done, the page downloads the result. The number of packs built at once is bounded by the pack
builder itself (`PackBusy`); finished results are kept briefly, then dropped.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

KEEP_SECONDS = 300
MAX_JOBS = 8


@dataclass
class Job:
    filename: str
    done: int = 0
    total: int = 1
    message: str = "Starting"
    result: bytes | None = None
    error: str | None = None
    finished_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def status(self) -> dict:
        with self.lock:
            return {
                "done": self.done,
                "total": self.total,
                "message": self.message,
                "finished": self.finished_at is not None,
                "error": self.error,
                "filename": self.filename,
            }


class PackJobs:
    def __init__(self, build=None, filename=None):
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._build = build
        self._filename = filename

    def _functions(self):
        if self._build is None:
            from indicators.exports.pack import build_pack, pack_filename

            self._build, self._filename = build_pack, pack_filename
        return self._build, self._filename

    def _expire(self) -> None:
        now = time.monotonic()
        for key, job in list(self._jobs.items()):
            if job.finished_at is not None and now - job.finished_at > KEEP_SECONDS:
                del self._jobs[key]

    def start(self, bundle, state, base_url: str) -> str:
        build, filename = self._functions()
        job = Job(filename=filename(bundle, state))
        with self._lock:
            self._expire()
            running = sum(1 for j in self._jobs.values() if j.finished_at is None)
            if running >= MAX_JOBS:
                raise RuntimeError("Too many briefing packs are being built; try again shortly.")
            key = uuid.uuid4().hex
            self._jobs[key] = job

        def progress(done, total, message):
            with job.lock:
                job.done, job.total, job.message = done, max(total, 1), message

        def run():
            try:
                data = build(bundle, state, base_url, progress=progress)
                with job.lock:
                    job.result, job.message = data, "Ready"
            except Exception as exc:  # no browser, busy, or a rendering failure: tell the user
                with job.lock:
                    job.error = str(exc) or type(exc).__name__
            finally:
                with job.lock:
                    job.finished_at = time.monotonic()

        threading.Thread(target=run, name=f"pack-{key[:8]}", daemon=True).start()
        return key

    def status(self, key: str | None) -> dict | None:
        job = self._jobs.get(key or "")
        return job.status() if job else None

    def take(self, key: str) -> bytes | None:
        """The finished pack, once (it is removed)."""
        with self._lock:
            job = self._jobs.pop(key, None)
        return job.result if job else None
