"""Publication sizes.

``width`` and ``height`` are the figure's layout size in CSS pixels (what font sizes, margins
and line widths are relative to); ``scale`` multiplies them into output pixels. Keeping layout
sizes small and scaling up gives legible text at high resolution.

========  ===========  =====  ============  ==================================================
name      layout px    scale  output px     use
========  ===========  =====  ============  ==================================================
wide      800 x 450    2      1600 x 900    16:9 slides, web pages, social cards
square    540 x 540    2      1080 x 1080   1:1 social posts
print     800 x 450    4      3200 x 1800   print: 10.7 x 6 in (27 x 15 cm) at 300 dpi
========  ===========  =====  ============  ==================================================
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    width: int
    height: int
    scale: float
    description: str
    dpi: int | None = None  # written into PNG pHYs so print software sizes it right

    @property
    def pixel_size(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("wide", 800, 450, 2, "16:9, 1600 x 900 px: slides, web pages, social cards"),
        Preset("square", 540, 540, 2, "1:1, 1080 x 1080 px: social posts"),
        Preset("print", 800, 450, 4, "16:9, 3200 x 1800 px: print at 300 dpi", dpi=300),
    )
}
DEFAULT_PRESET = "wide"
