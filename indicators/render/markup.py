"""Text for plotly labels, which understand a little HTML (<b>, <br>, <a href>, <span style>):
data text made literal, and long text broken into lines."""

from __future__ import annotations

import html
import re


def plain(text: object) -> str:
    """Text from the data files as literal text for plotly: `<`, `>` and `&` become entities,
    which plotly shows as the characters themselves."""
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int, escape: bool = True) -> str:
    """Break text into lines of at most `width` characters joined by <br>; a word longer than
    a line (a permalink) is split after '&', ',', '?' or '/' so it never runs off the image.
    Each line is escaped (`plain`) unless it already is."""
    words = []
    for word in text.split():
        while len(word) > width:
            cut = max((m.end() for m in re.finditer(r"[&,?/]", word[:width])), default=width)
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(plain(x) if escape else x for x in lines)
