"""Every chart: its id, the view it is on, its label and the function that builds its model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indicators.charts.change import as_change
from indicators.charts.cpi import cpi_chart
from indicators.charts.economy import economy_chart
from indicators.charts.model import ChartModel
from indicators.charts.scale import as_log
from indicators.charts.wgi import DIMENSIONS, wgi_chart
from indicators.data.loading import Bundle
from indicators.view.state import ViewState


@dataclass(frozen=True)
class ChartSpec:
    id: str
    view: str
    label: str
    build: Callable[[Bundle, ViewState], ChartModel]


def _fdi(state: ViewState) -> str:
    return "fdi_net_inflows_usd" if state.fdi_unit == "usd" else "fdi_net_inflows_pct_gdp"


CHARTS: dict[str, ChartSpec] = {
    spec.id: spec
    for spec in (
        ChartSpec("cpi", "corruption", "Corruption Perceptions Index", cpi_chart),
        *(
            ChartSpec(f"wgi_{d}", "governance", f"WGI {d.upper()}", wgi_chart(d))
            for d in DIMENSIONS
        ),
        ChartSpec(
            "db_rank",
            "economy",
            "Doing Business rank",
            economy_chart("db_rank", lambda s: "db_rank", None),
        ),
        ChartSpec(
            "db_score",
            "economy",
            "Doing Business score",
            economy_chart("db_score", lambda s: "db_score", "mean"),
        ),
        ChartSpec("fdi", "economy", "FDI net inflows", economy_chart("fdi", _fdi, "OED")),
        ChartSpec(
            "manufacturing",
            "economy",
            "Manufacturing value added",
            economy_chart("manufacturing", lambda s: "manufacturing_va_pct_gdp", "OED"),
        ),
        ChartSpec(
            "manufactures_exports",
            "economy",
            "Manufactures exports",
            economy_chart("manufactures_exports", lambda s: "manufactures_exports_pct", "OED"),
        ),
    )
}


def charts_for_view(view: str) -> list[ChartSpec]:
    return [c for c in CHARTS.values() if c.view == view]


def chart_model(chart_id: str, bundle: Bundle, state: ViewState) -> ChartModel:
    model = CHARTS[chart_id].build(bundle, state)
    if state.values == "change":
        model = as_change(model)
    return as_log(model) if state.scale == "log" else model
