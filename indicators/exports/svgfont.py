"""Embed the project font in exported SVGs, subset to the characters they use.

An SVG only names its font; a reader without Inter installed sees a wider fallback and the
legend or footer can overflow. Embedding Inter Regular and Bold, cut down to the glyphs in
the file (fontTools), keeps the image identical everywhere at a few tens of kilobytes.
"""

from __future__ import annotations

import base64
import html
import io
import re
from functools import lru_cache

from fontTools import subset
from fontTools.ttLib import TTFont

from indicators.exports.fonts import FONT_FAMILY, FONT_FILES

_TEXT = re.compile(r">([^<>]+)<")
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")


def used_characters(svg: str) -> str:
    chars = set()
    for chunk in _TEXT.findall(svg):
        chars.update(html.unescape(chunk))
    chars.update(" 0123456789.,-–")  # numbers that plotly may render later (hover is absent)
    return "".join(sorted(c for c in chars if c.isprintable()))


@lru_cache(maxsize=64)
def _subset(path: str, characters: str) -> bytes:
    font = TTFont(path)
    options = subset.Options()
    options.layout_features = ["kern", "liga", "calt"]
    options.name_IDs = ["*"]  # keep the licence and copyright records (OFL)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embed_fonts(svg: bytes) -> bytes:
    """The SVG with @font-face rules for Inter (400 and 700) as data URLs in a <style>."""
    text = svg.decode("utf-8")
    characters = used_characters(text)
    rules = []
    for weight, key in ((400, "regular"), (700, "bold")):
        data = base64.b64encode(_subset(str(FONT_FILES[key]), characters)).decode("ascii")
        rules.append(
            f"@font-face{{font-family:{FONT_FAMILY};font-weight:{weight};"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}"
        )
    style = ("<defs><style>" + "".join(rules) + "</style></defs>").encode("ascii")
    match = _SVG_OPEN.search(svg)
    if not match:
        return svg
    return svg[: match.end()] + style + svg[match.end() :]
