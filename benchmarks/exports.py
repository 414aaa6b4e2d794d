"""(e) Export: a real chart as PNG and SVG (warm), and the briefing packs.

The floor of a chart export is kaleido rendering the same, already built figure with nothing
else (no chart building, no PNG metadata). Packs are built the way the app builds them.
"""

from __future__ import annotations

import time

from benchmarks.common import Row, median, timings

PNG_TARGET_S = 0.3
PACK_TARGET_S = 10.0
BASE_URL = "https://indicators.example.org"


def run(runs: int = 10, pack_runs: int = 2, packs: tuple[str, ...] = ("governance", "overview")):
    from indicators.data.loading import load_bundle
    from indicators.exports import export_available, start_server
    from indicators.exports.files import build_for_size, chart_image, chart_state, get_preset
    from indicators.exports.pack import build_pack, pack_chart_ids
    from indicators.exports.render import render_figure
    from indicators.view.state import ViewState

    ok, message = export_available()
    if not ok:
        return [Row("e", "export", None, "", note=f"not measured: {message}")]
    bundle = load_bundle()
    start = time.perf_counter()
    start_server()
    rows = [
        Row("e", "export browser start", time.perf_counter() - start, "s", note="once per process")
    ]
    state = ViewState(view="corruption")
    preset = get_preset("wide")
    chart = build_for_size(
        bundle, chart_state(state, "cpi"), "cpi", preset.width, preset.height, BASE_URL
    )
    for fmt in ("png", "svg"):
        served = timings(lambda f=fmt: chart_image(bundle, state, "cpi", f, "wide", BASE_URL), runs)
        floor = timings(
            lambda f=fmt: render_figure(chart.figure, f, preset.width, preset.height, preset.scale),
            runs,
        )
        rows.append(
            Row(
                "e",
                f"{fmt.upper()} export, CPI chart 1600x900, warm (median)",
                median(served),
                "s",
                floor=median(floor),
                floor_note="kaleido alone, same figure",
                target=f"<= {PNG_TARGET_S} s" if fmt == "png" else "",
                met=median(served) <= PNG_TARGET_S if fmt == "png" else None,
                note=f"min {min(served):.3f}, max {max(served):.3f}, n={runs}",
            )
        )
    for view in packs:
        n = len(pack_chart_ids(ViewState(view=view)))
        seconds, size = [], 0
        for _ in range(pack_runs):
            start = time.perf_counter()
            size = len(build_pack(bundle, ViewState(view=view), BASE_URL))
            seconds.append(time.perf_counter() - start)
        rows.append(
            Row(
                "e",
                f"briefing pack /{view} ({n} charts, {2 * n} images + deck)",
                median(seconds),
                "s",
                target=f"<= {PACK_TARGET_S:g} s",
                met=median(seconds) <= PACK_TARGET_S,
                note=f"{size / 1e6:.1f} MB, n={pack_runs}",
            )
        )
    return rows
