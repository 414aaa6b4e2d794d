"""Time chart exports and briefing packs on the bundled data.

Usage: .venv/bin/python scripts/bench_pack.py [--runs 10] [--pack-runs 2]

Prints the median warm PNG export of a real chart (CPI, wide preset: build the chart, render
1600x900, add the metadata), the same for SVG, and the time to build the briefing pack of the
largest view (governance, 6 charts) and of the overview (every chart). Targets: warm PNG at
most 0.3 s, pack at most 10 s. Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PNG_TARGET_S = 0.3
PACK_TARGET_S = 10.0
BASE_URL = "https://indicators.example.org"


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm single-chart exports")
    parser.add_argument("--pack-runs", type=int, default=2, help="builds of each pack")
    args = parser.parse_args()

    from indicators.charts import charts_for_view
    from indicators.exports import export_available, start_server
    from indicators.exports.files import chart_image
    from indicators.exports.pack import build_pack, pack_chart_ids
    from indicators.loading import load_bundle
    from indicators.viewstate import ViewState

    ok, message = export_available()
    if not ok:
        print(message, file=sys.stderr)
        return 2
    bundle = load_bundle()
    cold = timed(start_server)
    print(f"export server start (browser launch + warm-up): {cold:.2f} s")

    state = ViewState(view="corruption")
    results = []
    for fmt in ("png", "svg"):
        chart_image(bundle, state, "cpi", fmt, "wide", BASE_URL)  # warm this path
        times = [
            timed(lambda f=fmt: chart_image(bundle, state, "cpi", f, "wide", BASE_URL))
            for _ in range(args.runs)
        ]
        median = statistics.median(times)
        results.append((fmt, median))
        print(
            f"warm {fmt.upper()} export, CPI chart, wide 1600x900: median {median:.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}, {args.runs} runs)"
        )

    failed = results[0][1] > PNG_TARGET_S
    print(f"  target PNG <= {PNG_TARGET_S} s: {'MISSED' if failed else 'ok'}")
    for view in ("governance", "overview"):
        n = len(pack_chart_ids(ViewState(view=view)))
        assert view == "overview" or n == len(charts_for_view(view))
        times, size = [], 0
        for _ in range(args.pack_runs):
            t0 = time.perf_counter()
            size = len(build_pack(bundle, ViewState(view=view), BASE_URL))
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        miss = median > PACK_TARGET_S
        failed |= miss
        print(
            f"briefing pack, {view} ({n} charts: {2 * n} images + deck): median {median:.2f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in times)}), {size / 1e6:.1f} MB; "
            f"target <= {PACK_TARGET_S:.0f} s: {'MISSED' if miss else 'ok'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
