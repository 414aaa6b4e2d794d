"""Direct labels, stable colours and the events lane, as pure functions."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from indicators.charts.model import Marker
from indicators.render import colours, labels, lane


@given(st.lists(st.floats(-50, 350), min_size=1, max_size=14), st.sampled_from(labels.SIZES))
def test_placed_labels_never_overlap_and_stay_inside_when_they_fit(wanted, size):
    items = [labels.Label(str(i), ("Kazakhstan",), w, size=size) for i, w in enumerate(wanted)]
    centres = labels.place(items, 0, 300)
    spans = sorted(
        (c - i.height / 2, c + i.height / 2) for c, i in zip(centres, items, strict=True)
    )
    assert all(a[1] <= b[0] + 1e-9 for a, b in itertools.pairwise(spans))
    if labels.stacks(items, 300):
        assert spans[0][0] >= -1e-9 and spans[-1][1] <= 300 + 1e-9


def test_a_label_sits_at_its_line_when_nothing_is_in_the_way():
    items = [labels.Label("a", ("A",), 40), labels.Label("b", ("B",), 200)]
    assert labels.place(items, 0, 300) == [40, 200]


def test_long_labels_wrap_on_two_balanced_lines():
    assert labels.wrap("Kazakhstan") == ("Kazakhstan",)
    assert labels.wrap("Central Asia median (without X)") == ("Central Asia", "median (without X)")


def test_label_text_is_readable_and_the_accent_is_the_focus_alone():
    for colour in colours.PEER_COLOURS:
        assert colours.contrast(colours.text_colour(colour)) >= colours.TEXT_CONTRAST
        assert colours.style("peer", None, "solid").width < colours.FOCUS_WIDTH
    assert colours.style("focus", 3, "solid") == colours.Style(colours.ACCENT, 3.5, "solid")
    assert colours.ACCENT not in colours.PEER_COLOURS
    assert colours.style("peer", 7, "solid").colour == colours.PEER_COLOURS[1]


def test_palette_size_matches_the_slots():
    from indicators.charts.common import PALETTE_SIZE

    assert len(colours.PEER_COLOURS) == PALETTE_SIZE


def test_events_close_together_take_another_row():
    events = tuple(Marker(2020 + i * 0.1, f"e{i}", "", number=i + 1) for i in range(3))
    assert lane.rows(events, (2000, 2025), 500) == [0, 1, 2]
    apart = tuple(Marker(2000 + i * 5, f"e{i}", "", number=i + 1) for i in range(3))
    assert lane.rows(apart, (2000, 2025), 500) == [0, 0, 0]
