"""Image export engine: PNG/SVG/PDF from plotly figures with the project font.

Typical use::

    from indicators.exports import export_available, render_preset

    ok, message = export_available()  # show message in the UI when not ok
    png = render_preset(figure, "wide", png_text={"Title": ..., "Source": ...})
"""

from .browser import ExportUnavailable, find_browser
from .fonts import FONT_FAMILY, FONT_STACK, FONTS_CSS, FONTS_DIR
from .presets import DEFAULT_PRESET, PRESETS, Preset
from .render import (
    FORMATS,
    ExportFailed,
    export_available,
    render_figure,
    render_preset,
    start_server,
    stop_server,
)

__all__ = [
    "DEFAULT_PRESET",
    "FONTS_CSS",
    "FONTS_DIR",
    "FONT_FAMILY",
    "FONT_STACK",
    "FORMATS",
    "PRESETS",
    "ExportFailed",
    "ExportUnavailable",
    "Preset",
    "export_available",
    "find_browser",
    "render_figure",
    "render_preset",
    "start_server",
    "stop_server",
]
