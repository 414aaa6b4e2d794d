"""A chart as shown or downloaded: its model and what is rendered from it (figure, table,
alt text). Built in one place so every output of a chart comes from the same model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.charts.model import ChartModel
from indicators.charts.registry import chart_model
from indicators.data.loading import Bundle
from indicators.render import text
from indicators.render.figure import HEIGHT, chart_figure
from indicators.render.table import chart_rows, chart_table
from indicators.view.state import ViewState


@dataclass(frozen=True)
class Chart:
    model: ChartModel
    figure: dict
    rows: list[tuple]  # the table's rows (render.table.TABLE_COLUMNS)
    alt_text: str

    @property
    def table(self) -> pd.DataFrame:
        return chart_table(self.model)

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def title(self) -> str:
        return self.model.title

    @property
    def subtitle(self) -> str:
        return text.subtitle(self.model)

    @property
    def source(self) -> str:
        return self.model.source

    @property
    def notes(self) -> tuple[str, ...]:
        return self.model.notes

    @property
    def citations(self) -> tuple[str, ...]:
        return self.model.citations

    @property
    def events(self) -> list[text.EventRow]:
        """The reform events on the chart, numbered as their markers, for the list under it."""
        return text.event_rows(self.model)

    @property
    def events_note(self) -> str:
        """'No reform events recorded for X in 2012–2025.' when the focus has none, else ''."""
        return text.events_note(self.model)


def render_chart(
    model: ChartModel, *, width: int | None = None, height: int = HEIGHT, permalink=None
) -> Chart:
    figure = chart_figure(model, width=width, height=height, permalink=permalink)
    return Chart(model, figure, chart_rows(model), text.alt_text(model))


def build_chart(chart_id: str, bundle: Bundle, state: ViewState, ctx: dict | None = None) -> Chart:
    """The chart `chart_id` of the view; `ctx` may set the figure's width, height and the
    permalink burned into exports."""
    return render_chart(chart_model(chart_id, bundle, state), **(ctx or {}))
