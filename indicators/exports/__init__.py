"""Image export engine: PNG/SVG/PDF from plotly figures with the project font.

Typical use::

    from indicators.exports import PRESETS, export_available, render_figure

    ok, message = export_available()  # show message in the UI when not ok
    wide = PRESETS["wide"]
    png = render_figure(figure, "png", wide.width, wide.height, wide.scale, {"Title": ...})
"""

from .browser import ExportUnavailable, find_browser
from .fonts import FONT_FAMILY, FONT_STACK, FONTS_CSS, FONTS_DIR
from .presets import DEFAULT_PRESET, PRESETS, Preset
from .render import (
    FORMATS,
    ExportFailed,
    export_available,
    render_figure,
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
    "start_server",
    "stop_server",
]
