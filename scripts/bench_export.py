"""Time the image export engine: cold start, then warm PNG / SVG / PDF renders.

Usage: .venv/bin/python scripts/bench_export.py [--runs 10]
The figure is a plain-dict line chart, 15 traces x 30 points, exported at 1600x900
(800x450 at scale 2). Target: warm PNG at most 0.3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WARM_PNG_TARGET_S = 0.3


def line_chart(traces: int = 15, points: int = 30) -> dict:
    from indicators.exports import FONT_STACK

    years = list(range(1994, 1994 + points))
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"Country {t}",
                "x": years,
                "y": [((t * 7 + i * 3) % 50) / 10 - 2.5 for i in range(points)],
            }
            for t in range(traces)
        ],
        "layout": {
            "title": {"text": "Government Effectiveness — estimate, 1994–2023"},
            "font": {"family": FONT_STACK},
            "annotations": [
                {
                    "text": "Source: World Bank WGI",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": -0.15,
                    "showarrow": False,
                }
            ],
        },
    }


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm renders per format")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from indicators.exports import render_figure

    import_s = time.perf_counter() - t0
    fig = line_chart()

    def png() -> bytes:
        return render_figure(fig, "png", 800, 450, 2, png_text={"Title": "bench"})

    cold_s = timed(png)
    print(f"import            {import_s:6.3f} s")
    print(f"cold start + PNG  {cold_s:6.3f} s  (browser launch, warm-up, first 1600x900 PNG)")
    results = {}
    for fmt, fn in (
        ("png", png),
        ("svg", lambda: render_figure(fig, "svg", 800, 450)),
        ("pdf", lambda: render_figure(fig, "pdf", 800, 450)),
    ):
        times = [timed(fn) for _ in range(args.runs)]
        results[fmt] = statistics.median(times)
        print(
            f"warm {fmt.upper()}          {results[fmt]:6.3f} s  median of {args.runs} "
            f"(min {min(times):.3f}, max {max(times):.3f})"
        )
    ok = results["png"] <= WARM_PNG_TARGET_S
    print(f"warm PNG target {WARM_PNG_TARGET_S} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
