"""Finding the Chromium or Chrome that kaleido drives, and the flags it is launched with.

Same order of precedence as choreographer (kaleido's browser layer): ``BROWSER_PATH`` wins,
then executables on PATH, then the usual install locations. Choreographer's own download
folder is not searched: this project never downloads a browser.

:class:`ExportChromium` is the launch recipe: choreographer's ``Chromium`` (passed to kaleido
through choreographer's public ``browser_cls`` option) minus ``--disable-web-security``, which
choreographer adds unconditionally and which kaleido does not need for our figures (its page,
plotly.js and its own script are local files; fonts come from fontconfig).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from choreographer.browsers import Chromium

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


# Flags choreographer always passes that the export browser must not have.
REMOVED_FLAGS = frozenset({"--disable-web-security"})
# Flags added to choreographer's: no update, field-trial or safe-browsing look-ups (closed
# network, and less memory).
EXTRA_FLAGS = ("--disable-background-networking",)


class ExportUnavailable(RuntimeError):
    """Image export cannot work here; the message says why and what to do."""


class ExportChromium(Chromium):
    """choreographer's Chromium launcher with :data:`REMOVED_FLAGS` dropped and
    :data:`EXTRA_FLAGS` added. Give it to ``kaleido.Kaleido(browser_cls=ExportChromium)``."""

    def get_cli(self) -> Sequence[str]:
        cli = [arg for arg in super().get_cli() if arg not in REMOVED_FLAGS]
        # choreographer ends with its pipe flags; ours go before them.
        at = next((i for i, arg in enumerate(cli) if arg.startswith("--remote-debugging")), None)
        at = len(cli) if at is None else at
        return [*cli[:at], *(f for f in EXTRA_FLAGS if f not in cli), *cli[at:]]


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
