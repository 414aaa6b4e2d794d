import re
from pathlib import Path

import plotly

from indicators.exports.supervisor import PLOTLY_JS

ROOT = Path(__file__).resolve().parents[1]
FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def version(path: Path) -> str:
    head = path.read_text(encoding="utf-8", errors="replace")[:400]
    return re.search(r"v(\d+\.\d+\.\d+)", head)[1]


def test_vendored_plotly_bundle_matches_plotly_python_version():
    bundles = sorted((ROOT / "assets" / "vendor").glob("plotly-dashboard-*.min.js"))
    assert len(bundles) == 1, "exactly one plotly.js bundle in assets/vendor"
    assert version(bundles[0]) == version(FULL)
    assert bundles[0].name == f"plotly-dashboard-{version(FULL)}.min.js"
    assert bundles[0] == PLOTLY_JS, "the page and the image exports draw with this bundle"


def test_no_asset_refers_to_an_external_host():
    for path in (ROOT / "assets").rglob("*"):
        if path.suffix in (".css", ".js") and "vendor" not in path.parts:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip().startswith(("//", "*", "/*")):  # usage examples in comments
                    continue
                assert not re.search(r"https?://[a-z0-9-]+(\.[a-z0-9-]+)+", line), (path, line)
