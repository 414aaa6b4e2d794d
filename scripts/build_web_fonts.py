"""Build the browser's copies of the project font: WOFF2 subsets of assets/fonts/Inter-*.otf.

    python scripts/build_web_fonts.py

The OTF files (530 kB) stay as they are for image export. The page loads WOFF2 subsets split
by script, as font services do: the Latin file always, the Cyrillic one only when a page shows
Cyrillic text (CSS unicode-range). Output goes to assets/webfonts/, outside assets/fonts/ so
that the export's fontconfig never sees a partial copy of Inter.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assets" / "fonts"
OUT = ROOT / "assets" / "webfonts"
WEIGHTS = {"Regular": 400, "Bold": 700}
# (name, CSS unicode-range): Latin with its extensions, punctuation, arrows and the symbols the
# dashboard draws (minus, ±, ×, ▲ ▼); Cyrillic including the Kazakh letters.
SUBSETS = {
    "latin": "U+0000-024F, U+0259, U+02B0-02FF, U+1E00-1EFF, U+2000-206F, U+20A0-20CF, "
    "U+2100-214F, U+2190-21FF, U+2200-22FF, U+25A0-25FF",
    "cyrillic": "U+0400-04FF, U+0500-052F, U+2116",
}
FEATURES = ["kern", "liga", "calt", "tnum", "case", "ccmp", "locl", "mark", "mkmk"]


def unicodes(ranges: str) -> list[int]:
    out = []
    for part in ranges.split(","):
        lo, _, hi = part.strip()[2:].partition("-")
        out.extend(range(int(lo, 16), int(hi or lo, 16) + 1))
    return out


def build() -> list[Path]:
    OUT.mkdir(exist_ok=True)
    written = []
    for weight in WEIGHTS:
        for name, ranges in SUBSETS.items():
            font = TTFont(SOURCE / f"Inter-{weight}.otf")
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = FEATURES
            options.name_IDs = ["*"]  # keep the copyright and licence names
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=unicodes(ranges))
            subsetter.subset(font)
            target = OUT / f"Inter-{weight}-{name}.woff2"
            font.flavor = "woff2"
            font.save(target)
            written.append(target)
    return written


HEADER = """/* Inter, shipped with the project (SIL OFL 1.1, see OFL.txt). Dash includes this file.
   Written by scripts/build_web_fonts.py: the page loads WOFF2 subsets from assets/webfonts/
   (Cyrillic only when shown); image exports use the OTF files beside this file. */
"""


def css() -> str:
    rules = [HEADER]
    for weight, number in WEIGHTS.items():
        for name, ranges in SUBSETS.items():
            rules.append(
                "@font-face {\n"
                '  font-family: "Inter";\n'
                "  font-style: normal;\n"
                f"  font-weight: {number};\n"
                "  font-display: swap;\n"
                f'  src: url("../webfonts/Inter-{weight}-{name}.woff2") format("woff2");\n'
                f"  unicode-range: {ranges};\n"
                "}\n"
            )
    return "\n".join(rules)


if __name__ == "__main__":
    for path in build():
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    (SOURCE / "fonts.css").write_text(css(), encoding="utf-8")
    print("assets/fonts/fonts.css written")
