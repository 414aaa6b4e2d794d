"""Finding the Chromium or Chrome that kaleido drives, without starting it.

Same order of precedence as choreographer (kaleido's browser layer): ``BROWSER_PATH`` wins,
then executables on PATH, then the usual install locations. Choreographer's own download
folder is not searched: this project never downloads a browser.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

# Chromium first: it is what `make setup` installs (Debian's package).
BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)
FALLBACK_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome-stable",
    "/usr/bin/google-chrome",
    "/snap/bin/chromium",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)

INSTALL_HINT = (
    "Install it with `sudo apt-get install chromium` (or run `make setup` in this repository), "
    "or set BROWSER_PATH to a Chromium or Chrome executable."
)


class ExportUnavailable(RuntimeError):
    """Image export cannot work here; the message says why and what to do."""


def _is_executable(path: str | Path) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def find_browser(environ: Mapping[str, str] | None = None) -> str:
    """Return the browser executable to use, or raise :class:`ExportUnavailable`.

    ``environ`` defaults to ``os.environ``; its PATH is the one searched.
    """
    env = os.environ if environ is None else environ
    override = env.get("BROWSER_PATH")
    if override:
        if _is_executable(override):
            return override
        raise ExportUnavailable(
            f"Image export is unavailable: BROWSER_PATH is set to {override!r}, which is not an "
            f"executable file, and no Chromium or Chrome was found there. {INSTALL_HINT}"
        )
    search_path = env.get("PATH") or os.defpath
    for name in BROWSER_NAMES:
        found = shutil.which(name, path=search_path)
        if found and _is_executable(found):
            return found
    for candidate in FALLBACK_PATHS:
        if _is_executable(candidate):
            return candidate
    raise ExportUnavailable(
        "Image export is unavailable: no Chromium or Chrome was found "
        f"(looked for {', '.join(BROWSER_NAMES)} on PATH and in the usual locations). "
        f"{INSTALL_HINT}"
    )
