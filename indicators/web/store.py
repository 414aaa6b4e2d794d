"""The running app's data: reloaded when a data file changes, never lost to a broken edit."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from indicators.data.loading import DATA_DIR, Bundle, DataError, DataErrors, load_bundle

_log = logging.getLogger(__name__)
CHECK_INTERVAL_S = 0.5  # how often a request may look at the files' modification times


class DataStore:
    """Holds the last valid bundle. `current()` reloads when any data file changed on disk;
    if the new files do not validate, it keeps serving the last valid data and exposes the
    errors (file, line, field) for a banner and the log. Nothing is half-loaded: a bundle is
    replaced only by another that validated whole."""

    def __init__(self, data_dir: Path = DATA_DIR, check_interval: float | None = None):
        self.data_dir = Path(data_dir)
        self.check_interval = CHECK_INTERVAL_S if check_interval is None else check_interval
        self._lock = threading.Lock()
        self._signature: tuple = ()
        self._checked = 0.0
        self._bundle: Bundle | None = None
        self.errors: list[DataError] = []
        self.current()

    def _stat(self) -> tuple:
        out = []
        for path in sorted(self.data_dir.glob("*.yaml")):
            try:
                st = path.stat()
                out.append((path.name, st.st_mtime_ns, st.st_size))
            except OSError:
                continue
        return tuple(out)

    def current(self) -> Bundle:
        now = time.monotonic()
        if self._bundle is not None and now - self._checked < self.check_interval:
            return self._bundle
        self._checked = now
        signature = self._stat()
        if signature == self._signature and self._bundle is not None:
            return self._bundle
        with self._lock:
            if signature != self._signature or self._bundle is None:
                first = self._bundle is None
                try:
                    self._bundle = load_bundle(self.data_dir)
                    self.errors = []
                    if not first:
                        _log.info("data files changed: reloaded %s", self.data_dir)
                except DataErrors as exc:
                    self.errors = exc.errors
                    if first:
                        raise
                    _log.error(
                        "data files changed but do not validate; still serving the last valid "
                        "data. %d error(s):\n%s",
                        len(exc.errors),
                        "\n".join(str(e) for e in exc.errors),
                    )
                self._signature = signature
        return self._bundle
