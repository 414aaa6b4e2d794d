import re
from urllib.parse import unquote

from indicators.render.sparkline import HEIGHT, sparkline_svg, sparkline_uri


def _polylines(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, p.split(","))) for p in points.split()]
        for points in re.findall(r'<polyline points="([^"]+)"', svg)
    ]


def test_focus_over_reference_on_one_scale_better_upwards():
    focus, reference = [(2000, 10), (2010, 30)], [(2000, 20), (2010, 20)]
    ref, mine = _polylines(sparkline_svg(focus, reference))
    assert mine[0][1] > ref[0][1] > mine[1][1]  # 10 below 20 below 30 (SVG y grows down)
    assert mine[0][0] < mine[1][0] and ref[0][0] == mine[0][0]
    assert all(0 <= y <= HEIGHT for _, y in (*mine, *ref))


def test_ranks_are_drawn_inverted_like_their_charts():
    (line,) = _polylines(sparkline_svg([(2018, 30), (2020, 25)], [], higher_is_better=False))
    assert line[1][1] < line[0][1]  # rank 25 (better) drawn above rank 30


def test_one_point_and_flat_series_still_draw():
    svg = sparkline_svg([(2020, 5)], [(2019, 5), (2020, 5)])
    assert "<circle" in svg and len(_polylines(svg)) == 1
    assert sparkline_svg([], []) == "" and sparkline_uri([], []) == ""


def test_uri_is_an_svg_image():
    uri = sparkline_uri([(2000, 1), (2001, 2)], [])
    assert uri.startswith("data:image/svg+xml,")
    assert unquote(uri.split(",", 1)[1]).startswith("<svg xmlns=")
