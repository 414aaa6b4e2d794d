"""A sparkline: a small inline SVG of a focus series over a reference series (pure).

    sparkline_uri(focus, reference, higher_is_better=True)  # "data:image/svg+xml,..."

Both series are (year, value) pairs drawn on one scale; "better" is always up, so a rank
(lower is better) is drawn inverted, as its chart draws it. The picture is an <img> source:
its text (first and last values) is the img's alt, written by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

WIDTH, HEIGHT, PAD = 120, 32, 3
FOCUS_COLOUR, REFERENCE_COLOUR = "#0b3c8c", "#8c959f"

Points = Sequence[tuple[float, float]]


def _scale(focus: Points, reference: Points, higher_is_better: bool):
    xs = [x for x, _ in (*focus, *reference)]
    ys = [y for _, y in (*focus, *reference)]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)

    def at(x: float, y: float) -> tuple[float, float]:
        fx = (x - x0) / (x1 - x0) if x1 > x0 else 0.5
        fy = (y - y0) / (y1 - y0) if y1 > y0 else 0.5
        if not higher_is_better:
            fy = 1 - fy
        return PAD + fx * (WIDTH - 2 * PAD), HEIGHT - PAD - fy * (HEIGHT - 2 * PAD)

    return at


def _path(points, at) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(*p) for p in points))


def sparkline_svg(focus: Points, reference: Points, higher_is_better: bool = True) -> str:
    """The SVG text; an empty string when there is nothing to draw."""
    if not focus and not reference:
        return ""
    at = _scale(focus, reference, higher_is_better)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">'
    ]
    if len(reference) > 1:
        parts.append(
            f'<polyline points="{_path(reference, at)}" fill="none" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="1.5" stroke-dasharray="3 2"/>'
        )
    if len(focus) > 1:
        parts.append(
            f'<polyline points="{_path(focus, at)}" fill="none" stroke="{FOCUS_COLOUR}" '
            'stroke-width="2" stroke-linejoin="round"/>'
        )
    if focus:
        x, y = at(*focus[-1])
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{FOCUS_COLOUR}"/>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_uri(focus: Points, reference: Points, higher_is_better: bool = True) -> str:
    """The SVG as a data: URL for an <img> (the page's CSP allows data: images)."""
    svg = sparkline_svg(focus, reference, higher_is_better)
    return "data:image/svg+xml," + quote(svg) if svg else ""
