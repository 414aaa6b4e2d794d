"""Visual regression: every view at 1440, 768 and 375 px and each export preset, compared with
the stored baselines in tests/baselines/ (fonts are bundled, so pixels are stable here).

After an intended change of the look, refresh the baselines with `make baselines` and review
the changed images in the diff before committing them. A comparison tolerates anti-aliasing:
a pixel counts as changed when a channel moves by more than CHANNEL_TOLERANCE, and a picture
fails when more than CHANGED_SHARE of its pixels changed (or its size changed).
"""

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from indicators.data.loading import DATA_DIR, load_bundle
from indicators.exports.files import chart_export
from indicators.view.state import DEFAULT

pytestmark = pytest.mark.browser

BASELINES = Path(__file__).resolve().parents[1] / "baselines"
UPDATE = os.environ.get("UPDATE_BASELINES") == "1"
CHANNEL_TOLERANCE = 40
CHANGED_SHARE = 0.004
WIDTHS = {1440: 900, 768: 1024, 375: 800}
VIEWS = {"overview": "#headline .main-svg", "corruption": 1, "governance": 6, "economy": 5}
SETTLED = """() => document.fonts.status === 'loaded'
  && Array.from(document.querySelectorAll('.js-plotly-plot')).every(gd => gd._fullLayout)"""


def halved(png: bytes) -> Image.Image:
    """The picture at half size: a quarter of the storage, and still every text line and line
    of a chart (the baselines are kept this way)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)


def compare(name: str, png: bytes) -> None:
    path = BASELINES / f"{name}.png"
    got = halved(png)
    if UPDATE:  # 256 colours: a third of the size, within the tolerance of the original
        BASELINES.mkdir(exist_ok=True)
        got.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
        return
    assert path.exists(), f"no baseline {path.name}: run `make baselines` and review it"
    want = Image.open(path).convert("RGB")
    assert got.size == want.size, f"{name}: {got.size} against the baseline's {want.size}"
    diff = (
        ImageChops.difference(got, want)
        .convert("L")
        .point(lambda v: 255 if v > CHANNEL_TOLERANCE else 0)
    )
    changed = sum(diff.histogram()[255:]) / (got.size[0] * got.size[1])
    if changed > CHANGED_SHARE:
        got.save(BASELINES / f"{name}.actual.png")
        pytest.fail(
            f"{name}: {changed:.2%} of the pixels changed (tolerance {CHANGED_SHARE:.1%}); "
            f"see {name}.actual.png beside the baseline, or run `make baselines` if intended"
        )


def settled_screenshot(page, tries: int = 8) -> bytes:
    """The whole page once two screenshots in a row are the same (the page adapts charts to
    its width a few frames after they are drawn: responsive.js, hover.js). The window is made
    as tall as the page first: a full-page screenshot would resize it while it is taken."""
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    shot = page.screenshot(animations="disabled")
    for _ in range(tries):
        page.wait_for_timeout(400)
        again = page.screenshot(animations="disabled")
        if again == shot:
            return shot
        shot = again
    return shot


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", [*VIEWS, "map"])
def test_each_view_looks_as_its_baseline(browser, base_url, view, width):
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS[width]}, reduced_motion="reduce"
    )
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{view}")
        wait = VIEWS.get(view, ".map-graph .choroplethlocation")
        if isinstance(wait, int):
            page.wait_for_function(
                f"() => document.querySelectorAll('.chart-graph .main-svg').length >= {wait}",
                timeout=30000,
            )
        else:
            page.wait_for_selector(wait, state="attached", timeout=30000)
        page.wait_for_function(SETTLED, timeout=30000)
        page.mouse.move(0, 0)
        compare(f"{view}-{width}", settled_screenshot(page))
    finally:
        context.close()


@pytest.mark.parametrize("preset", ["wide", "square", "print"])
def test_each_export_preset_looks_as_its_baseline(preset):
    bundle = load_bundle(DATA_DIR)
    png, _ = chart_export(bundle, DEFAULT.with_(view="corruption"), "cpi", "png", preset)
    compare(f"export-cpi-{preset}", png)
