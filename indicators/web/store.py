"""The running app's data: reloaded when a data file changes, never lost to a broken edit."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from indicators.data.loading import DATA_DIR, Bundle, DataError, DataErrors, load_bundle, show_path

_log = logging.getLogger(__name__)
CHECK_INTERVAL_S = 0.5  # how often a request may look at the files' modification times


class DataStore:
    """Holds the last valid bundle. `current()` reloads when any data file changed on disk;
    if the new files do not validate, it keeps serving the last valid data and exposes the
    errors (file, line, field) for a banner and the log. Nothing is half-loaded: a bundle is
    replaced only by another that validated whole.

    A file of the manifest that disappears, a file cut short (it loses its coverage declaration)
    and a symbolic link out of data/ are errors like any other: the last valid data stay. So
    does any unexpected failure of the loader (reported as one error naming the data folder).
    `errors` is empty while the data on disk are the data served."""

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
        """Name, kind, size, time and inode of every *.yaml entry (a vanished file, a new one,
        a symlink retargeted or a file replaced by rename all change it)."""
        out = []
        try:
            entries = sorted(os.scandir(self.data_dir), key=lambda e: e.name)
        except OSError as exc:
            return (("(folder)", exc.errno),)
        for entry in entries:
            if not entry.name.endswith(".yaml"):
                continue
            try:
                st = entry.stat()  # follows a symlink: its target's changes count
                out.append((entry.name, entry.is_symlink(), st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                out.append((entry.name, entry.is_symlink(), None, None, None))
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
                    bundle = load_bundle(self.data_dir)
                except DataErrors as exc:
                    if first:
                        raise
                    self._refused(exc.errors)
                except Exception as exc:  # a loader bug must not replace the data either
                    if first:
                        raise
                    _log.exception("data files changed but could not be loaded")
                    message = f"the data could not be loaded ({type(exc).__name__})"
                    self._refused([DataError(show_path(self.data_dir), None, "(file)", message)])
                else:
                    self._bundle = bundle
                    self.errors = []
                    if not first:
                        _log.info("data files changed: reloaded %s", self.data_dir)
                self._signature = signature
        return self._bundle

    def _refused(self, errors: list[DataError]) -> None:
        self.errors = list(errors)
        _log.error(
            "data files changed but do not validate; still serving the last valid "
            "data. %d error(s):\n%s",
            len(errors),
            "\n".join(str(e) for e in errors),
        )
