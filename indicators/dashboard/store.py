"""The running app's data: reloaded when a data file changes, never lost to a broken edit."""

from __future__ import annotations

import threading
from pathlib import Path

from indicators.loading import DATA_DIR, Bundle, DataError, DataErrors, load_bundle


class DataStore:
    """Holds the last valid bundle. `current()` reloads when any data file changed on disk;
    if the new files do not validate, it keeps serving the last valid data and exposes the
    errors (file, line, field) for a banner."""

    def __init__(self, data_dir: Path = DATA_DIR):
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._signature: tuple = ()
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
        signature = self._stat()
        if signature == self._signature and self._bundle is not None:
            return self._bundle
        with self._lock:
            if signature != self._signature or self._bundle is None:
                try:
                    self._bundle = load_bundle(self.data_dir)
                    self.errors = []
                except DataErrors as exc:
                    self.errors = exc.errors
                    if self._bundle is None:
                        raise
                self._signature = signature
        return self._bundle
