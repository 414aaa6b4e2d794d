"""Direct labels: each line named at its right end, in a column beside the plot (as OWID does).

Labels are placed in pixels, as near their line's last value as they can be without touching
each other, then handed back in data units so the figure draws them on the axis. The column
is as wide as its longest line of text; a figure whose column would take more than
MAX_SHARE of its width shows a legend instead (decided here for a known width, in
assets/responsive.js for the dashboard's).
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_PX = 12
LINE_PX = 15  # height of a line of label text
CHAR_PX = 6.9  # mean advance of a 12 px Inter character, generous
BOLD = 1.08  # a bold label is this much wider
GAP_PX = 6  # between the plot (or the right axis' ticks) and the column
MAX_SHARE = 0.15  # of the figure's width, at most, for the label column
WRAP_CHARS = 16  # a longer label breaks onto a second line


@dataclass(frozen=True)
class Label:
    key: str
    lines: tuple[str, ...]
    wanted: float  # px from the plot's top: where the line ends
    bold: bool = False

    @property
    def height(self) -> float:
        return LINE_PX * len(self.lines)

    @property
    def width(self) -> float:
        longest = max(len(line) for line in self.lines)
        return longest * CHAR_PX * (BOLD if self.bold else 1)


def wrap(text: str, chars: int = WRAP_CHARS) -> tuple[str, ...]:
    """The text on one line, or on two balanced lines when longer than `chars`."""
    words = text.split()
    if len(text) <= chars or len(words) < 2:
        return (text,)
    cuts = [
        (abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))), i) for i in range(1, len(words))
    ]
    i = min(cuts)[1]
    return " ".join(words[:i]), " ".join(words[i:])


def column_width(labels: list[Label]) -> float:
    """Pixels the label column takes, the gap to the plot included."""
    return GAP_PX + max((label.width for label in labels), default=0)


def fits(labels: list[Label], width: float, plot_height: float) -> bool:
    """Whether the labels fit beside a figure `width` px wide, and above each other."""
    stacked = sum(label.height for label in labels)
    return column_width(labels) <= MAX_SHARE * width and stacked <= plot_height


def place(labels: list[Label], plot_height: float) -> list[float]:
    """Each label's centre (px from the plot's top, in the order given): as near its wanted
    position as the labels above and below allow, never overlapping, inside the plot while
    they fit in it."""
    order = sorted(range(len(labels)), key=lambda i: labels[i].wanted)
    centres = [0.0] * len(labels)
    bottom = -float("inf")
    for i in order:  # top down: push each below the one above
        half = labels[i].height / 2
        centres[i] = max(labels[i].wanted, half, bottom + half)
        bottom = centres[i] + half
    top = float("inf")
    for i in reversed(order):  # bottom up: pull back inside the plot
        half = labels[i].height / 2
        centres[i] = min(centres[i], plot_height - half, top - half)
        top = centres[i] - half
    return centres
