"""Colours and line styles of a chart's series: a country keeps its colour everywhere.

A peer's colour comes from its slot (charts.common.colour_slots, fixed by the data), never from
the order of the current selection; the focus always takes the accent colour and a heavier
line, so it is told apart by width as well as by colour. The peer palette is Okabe-Ito's
colour-blind-safe set without its black and blue (kept for the benchmark and the accent).
Where two lines of one chart share a colour (more peers than colours), the figure dashes the
later one (REPEAT_DASHES).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

ACCENT = "#0B3C8C"
PEER_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
AGGREGATE_COLOUR = "#6B6B6B"
BENCHMARK_COLOUR = "#444444"
REPEAT_DASHES = ("dash", "longdash", "dashdot")
FOCUS_WIDTH = 3.5
LINE_WIDTH = 2.0
TEXT_CONTRAST = 4.5  # WCAG AA for text on white


@dataclass(frozen=True)
class Style:
    colour: str
    width: float
    dash: str


def style(role: str, slot: int | None, dash: str) -> Style:
    """The colour, width and dash of a series of `role` (focus, peer, aggregate, benchmark)."""
    if role == "focus":
        return Style(ACCENT, FOCUS_WIDTH, dash)
    if role == "aggregate":
        return Style(AGGREGATE_COLOUR, LINE_WIDTH, dash)
    if role == "benchmark":
        return Style(BENCHMARK_COLOUR, LINE_WIDTH, dash)
    return Style(PEER_COLOURS[(slot or 0) % len(PEER_COLOURS)], LINE_WIDTH, dash)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(colour: str) -> float:
    """Contrast ratio of a #rrggbb colour against white."""
    return 1.05 / (_luminance(colour) + 0.05)


@lru_cache(maxsize=64)
def text_colour(colour: str) -> str:
    """The colour darkened just enough to be readable as text on white (WCAG AA)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    shade = colour
    for step in range(20):
        if contrast(shade) >= TEXT_CONTRAST:
            return shade
        f = 1 - 0.05 * (step + 1)
        shade = f"#{int(r * f):02X}{int(g * f):02X}{int(b * f):02X}"
    return shade
