"""Direct labels: each line named at its right end, in a column beside the plot (as OWID does).

Labels are placed in pixels, as near their line's last value as they can be without touching
each other, then handed back in data units so the figure draws them on the axis. The column
is as wide as its longest line of text; a figure whose column would take more than
MAX_SHARE of its width shows a legend instead (decided here for a known width, in
assets/responsive.js for the dashboard's).
"""

from __future__ import annotations

from dataclasses import dataclass

SIZES = (12, 11, 10)  # font px: the largest at which every label fits
LINE = 1.3  # line height per font px, as plotly spaces annotation text
BOLD = 1.08  # a bold label is this much wider
# advance of Inter characters at 12 px, measured on exports and rounded up
WIDE, CAPITAL, NARROW, SPACE, OTHER = 10.5, 9.0, 3.8, 3.5, 6.8
GAP_PX = 6  # between the plot (or the right axis' ticks) and the column
MAX_SHARE = 0.15  # of the figure's width, at most, for the label column
WRAP_CHARS = 16  # a longer label breaks onto a second line


def _advance(c: str) -> float:
    if c in "mwMW":
        return WIDE
    if c.isupper() or c.isdigit():
        return CAPITAL
    if c in "iljtfr.,;:'|!()":
        return NARROW
    return SPACE if c == " " else OTHER


@dataclass(frozen=True)
class Label:
    key: str
    lines: tuple[str, ...]
    wanted: float  # px from the plot's top: where the line ends
    bold: bool = False
    size: int = SIZES[0]

    @property
    def height(self) -> float:
        return self.size * LINE * len(self.lines)

    @property
    def width(self) -> float:
        longest = max(sum(_advance(c) for c in line) for line in self.lines)
        return longest * self.size / 12 * (BOLD if self.bold else 1)


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


def stacks(labels: list[Label], span: float) -> bool:
    """Whether the labels fit above each other in `span` px."""
    return sum(label.height for label in labels) <= span


def fits(labels: list[Label], width: float) -> bool:
    """Whether their column fits beside a figure `width` px wide."""
    return column_width(labels) <= MAX_SHARE * width


def place(labels: list[Label], top: float, bottom: float) -> list[float]:
    """Each label's centre (px from the plot's top, in the order given): as near its wanted
    position as the labels above and below allow, never overlapping, between `top` and
    `bottom` while they fit there."""
    order = sorted(range(len(labels)), key=lambda i: labels[i].wanted)
    centres = [0.0] * len(labels)
    end = top
    for i in order:  # top down: push each below the one above
        half = labels[i].height / 2
        centres[i] = max(labels[i].wanted, end + half)
        end = centres[i] + half
    start = bottom
    for i in reversed(order):  # bottom up: pull back above the bottom
        half = labels[i].height / 2
        centres[i] = min(centres[i], start - half)
        start = centres[i] - half
    return centres
