import base64
import io
import re
import xml.dom.minidom

from fontTools.ttLib import TTFont

from indicators.exports.svgfont import embed_fonts, used_characters

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g>'
    b'<text style="font-family: Inter">Kazakhstan &amp; \xd2\x9a</text></g></svg>'
)


def test_used_characters_come_from_text_nodes():
    chars = used_characters(SVG.decode())
    assert {"K", "&", "Қ"} <= set(chars) and "<" not in chars


def test_embedded_fonts_are_subsets_with_every_used_glyph():
    out = embed_fonts(SVG)
    xml.dom.minidom.parseString(out)  # still well-formed
    fonts = re.findall(rb"base64,([A-Za-z0-9+/=]+)", out)
    assert len(fonts) == 2  # regular and bold
    font = TTFont(io.BytesIO(base64.b64decode(fonts[0])))
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "Kazakhstan&Қ")
    assert len(out) < 80_000  # a subset, not the 250 kB font


def test_exported_svg_embeds_inter(bundle):
    from indicators.exports import render_figure
    from indicators.render.chart import build_chart
    from indicators.view.state import ViewState

    svg = render_figure(build_chart("cpi", bundle, ViewState()).figure, "svg", 800, 450)
    assert b"@font-face{font-family:Inter;font-weight:700" in svg
    assert b"Source: Transparency International" in svg
