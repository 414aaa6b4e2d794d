"""The project font (Inter, shipped in assets/fonts) and how exports get to use it.

The web app loads it through ``assets/fonts/fonts.css``. Kaleido's Chromium finds fonts through
fontconfig, so :func:`use_project_fonts` writes a fontconfig file that adds ``assets/fonts`` to
the system configuration and points ``FONTCONFIG_FILE`` at it; nothing is installed system-wide.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

FONT_FAMILY = "Inter"
# For CSS and for plotly's layout.font.family; the fallbacks are Debian's usual sans fonts.
FONT_STACK = f'"{FONT_FAMILY}", "DejaVu Sans", "Liberation Sans", Arial, sans-serif'

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT_FILES = {
    "regular": FONTS_DIR / "Inter-Regular.otf",
    "bold": FONTS_DIR / "Inter-Bold.otf",
}
FONTS_CSS = FONTS_DIR / "fonts.css"
FONT_LICENSE = FONTS_DIR / "OFL.txt"

SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"
_OUR_PREFIX = "indicators-fonts-"


def fontconfig_xml(fonts_dir: Path, base_config: str, cache_dir: Path) -> str:
    """Fontconfig configuration: the base (system) config plus ``fonts_dir``."""
    # Our cachedir comes first so that fontconfig writes the cache for fonts_dir there
    # rather than into a system cache directory.
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <cachedir>{escape(str(cache_dir))}</cachedir>\n"
        f'  <include ignore_missing="yes">{escape(base_config)}</include>\n'
        f"  <dir>{escape(str(fonts_dir))}</dir>\n"
        "</fontconfig>\n"
    )


def _state_dir() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(tempfile.gettempdir()) / f"{_OUR_PREFIX}{uid}"
    path.mkdir(mode=0o700, exist_ok=True)
    if hasattr(os, "getuid") and path.stat().st_uid != uid:
        # Someone else owns the shared name: use a private directory instead.
        path = Path(tempfile.mkdtemp(prefix=_OUR_PREFIX))
    return path


def _base_config(environ: os._Environ[str] | dict[str, str]) -> str:
    current = environ.get("FONTCONFIG_FILE", "")
    # Keep a caller's own config, but never stack ours on top of an earlier one of ours.
    if current and _OUR_PREFIX not in current:
        return current
    return SYSTEM_FONTCONFIG


def write_fontconfig(fonts_dir: Path = FONTS_DIR, base_config: str | None = None) -> Path:
    """Write (once per content) the fontconfig file and return its path."""
    state = _state_dir()
    base = base_config or _base_config(os.environ)
    cache_dir = state / "cache"
    xml = fontconfig_xml(fonts_dir, base, cache_dir)
    digest = hashlib.sha256(xml.encode()).hexdigest()[:12]
    conf = state / f"fonts-{digest}.conf"
    if not conf.is_file() or conf.read_text(encoding="utf-8") != xml:
        cache_dir.mkdir(exist_ok=True)
        tmp = conf.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(xml, encoding="utf-8")
        tmp.replace(conf)
    return conf


def use_project_fonts() -> Path:
    """Point FONTCONFIG_FILE at a config that includes assets/fonts; returns the file.

    Must run before the browser starts: Chromium reads the variable once, at launch. The
    variable stays set for this process and its children, which only adds fonts for them.
    """
    missing = [str(p) for p in FONT_FILES.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"Project font files are missing: {', '.join(missing)}")
    conf = write_fontconfig()
    os.environ["FONTCONFIG_FILE"] = str(conf)
    return conf
