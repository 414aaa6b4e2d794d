"""A chart of money on a logarithmic axis: a pure map ChartModel -> ChartModel.

FDI in US$ spans orders of magnitude between neighbours (hundreds of millions to tens of
billions), which a linear axis flattens. A log axis cannot draw zero or negative values (net
disinvestment), so they leave the model, and therefore the table and the CSV as well, and a
note names them; the linear scale shows them.
"""

from __future__ import annotations

from dataclasses import replace

from indicators.charts.change import is_amount
from indicators.charts.model import ChartModel

MAX_NAMED = 6  # values not drawn that the note names one by one


def as_log(model: ChartModel) -> ChartModel:
    """The chart on a log axis when it plots money; any other chart unchanged."""
    if not (is_amount(model.unit) or any(is_amount(s.unit) for s in model.series)):
        return model
    dropped: list[str] = []
    series = []
    for s in model.series:
        kept = tuple(p for p in s.points if p.value > 0)
        dropped += [f"{s.label} {model.year_label(p.year)}" for p in s.points if p.value <= 0]
        series.append(replace(s, points=kept))
    bands = tuple(
        replace(b, points=tuple(p for p in b.points if p[1] > 0 and p[2] > 0)) for b in model.bands
    )
    notes = ["Log scale: each step up the axis multiplies the value by ten."]
    if dropped:
        named = ", ".join(dropped[:MAX_NAMED])
        more = f" and {len(dropped) - MAX_NAMED} more" if len(dropped) > MAX_NAMED else ""
        notes.append(
            f"A log scale cannot show zero or negative values: not drawn: {named}{more}. "
            "The linear scale shows them."
        )
    y = replace(model.y, log=True, range=None, zero_line=False, inverted=False)
    return replace(model, series=tuple(series), bands=bands, y=y, notes=(*model.notes, *notes))
