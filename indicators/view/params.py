"""The one table of view parameters.

Each row declares a setting once: its name (the ViewState field), kind, default, allowed values
or range, URL key, control, command-line flag and the views that use it. The view state, URL
parsing and writing, the dashboard's controls and their callbacks, and the CLI's export options
are all derived from `PARAMS`, so adding a setting is one row here plus its use in a chart.
"""

from __future__ import annotations

from dataclasses import dataclass

VIEWS = {
    "overview": "Overview",
    "corruption": "Corruption (CPI)",
    "governance": "Governance (WGI)",
    "economy": "Business and economy",
    "map": "Map",
}
CHART_VIEWS = ("corruption", "governance", "economy")
LINE_VIEWS = ("overview", *CHART_VIEWS)  # views drawn over a range of years
CUSTOM_GROUP = "custom"
MIN_YEAR, MAX_YEAR = 1990, 2025
MAX_CUSTOM_PEERS = 20
EVENT_TYPES = (  # (category in data/events.yaml, label): the reform events a chart can show
    ("anti-corruption", "Anti-corruption"),
    ("judiciary", "Judiciary"),
    ("rights", "Rights"),
    ("politics", "Politics"),
    ("strategy", "Strategy"),
    ("economy", "Economy"),
    ("digital", "Digital"),
    ("data", "Data and statistics"),
)
MAP_MEASURES = (  # (URL value, label): what the map can show; charts/map.py maps them to data
    ("cpi_score", "CPI score"),
    ("cpi_rank", "CPI rank"),
    ("cpi_percentile", "CPI rank as a percentile"),
    ("wgi_va", "WGI: Voice and Accountability"),
    ("wgi_pv", "WGI: Political Stability"),
    ("wgi_ge", "WGI: Government Effectiveness"),
    ("wgi_rq", "WGI: Regulatory Quality"),
    ("wgi_rl", "WGI: Rule of Law"),
    ("wgi_cc", "WGI: Control of Corruption"),
    ("db_rank", "Doing Business rank"),
    ("db_score", "Doing Business score"),
    ("fdi_pct", "FDI net inflows, % of GDP"),
    ("fdi_usd", "FDI net inflows, US$"),
    ("manufacturing", "Manufacturing value added, % of GDP"),
    ("exports", "Manufactures, % of merchandise exports"),
    ("growth", "GDP growth, annual %"),
)


@dataclass(frozen=True)
class Control:
    """How a parameter appears in the dashboard: `kind` is dropdown, multi (a multi-select
    dropdown), radio, switch (a one-box checklist), range (a year slider shared by two
    parameters, `part` 0 or 1), slider (one year) or store (no visible control: set by
    clicking a chart)."""

    id: str
    kind: str
    label: str = ""
    part: int = 0

    @property
    def prop(self) -> str:
        return "data" if self.kind == "store" else "value"


@dataclass(frozen=True)
class Param:
    """One view setting. `kind`: country, group, countries, choice, choices (several of the
    choices, none meaning all), year, flag, or optional_country. `choices` are (value, label)
    pairs for choice and choices parameters."""

    name: str
    kind: str
    default: object
    url_key: str
    control: Control
    cli_flag: str
    help: str
    choices: tuple[tuple[str, str], ...] = ()
    views: tuple[str, ...] = tuple(VIEWS)
    always_in_url: bool = False  # written even when it equals the default (stable links)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.choices)


PARAMS: tuple[Param, ...] = (
    Param(
        "focus",
        "country",
        "KAZ",
        "focus",
        Control("focus-country", "dropdown", "Focus country"),
        "--focus",
        "focus country (ISO3); default: default_focus of data/countries.yaml",
        always_in_url=True,
    ),
    Param(
        "group",
        "group",
        "central_asia",
        "group",
        Control("peer-group", "dropdown", "Peer group"),
        "--group",
        "peer group id, or 'custom' with --peers; default: default_group of countries.yaml",
        always_in_url=True,
    ),
    Param(
        "peers",
        "countries",
        (),
        "peers",
        Control("custom-peers", "multi", "Custom peers"),
        "--peers",
        f"custom peers, ISO3 codes separated by commas (at most {MAX_CUSTOM_PEERS})",
    ),
    Param(
        "peer_mode",
        "choice",
        "lines",
        "agg",
        Control("peer-mode", "radio", "Peers shown as"),
        "--peer-mode",
        "each peer as a line, or their median and range",
        choices=(("lines", "Lines"), ("aggregate", "Median + range")),
        views=LINE_VIEWS,
    ),
    Param(
        "year_from",
        "year",
        1996,
        "from",
        Control("year-range", "range", "Years", part=0),
        "--from",
        "first year shown",
        views=LINE_VIEWS,
    ),
    Param(
        "year_to",
        "year",
        MAX_YEAR,
        "to",
        Control("year-range", "range", "Years", part=1),
        "--to",
        "last year shown",
        views=LINE_VIEWS,
    ),
    Param(
        "events",
        "flag",
        True,
        "events",
        Control("show-events", "switch", "Reform events"),
        "--events",
        "draw the focus country's reform events",
        views=CHART_VIEWS,
    ),
    Param(
        "event_types",
        "choices",
        (),
        "etypes",
        Control("event-types", "multi", "Event types"),
        "--event-types",
        "only these kinds of reform events, separated by commas (default: all)",
        choices=EVENT_TYPES,
        views=CHART_VIEWS,
    ),
    Param(
        "cpi_measure",
        "choice",
        "score",
        "measure",
        Control("cpi-measure", "radio", "CPI measure"),
        "--cpi-measure",
        "CPI score, rank, or rank as a percentile of that year's countries",
        choices=(("score", "Score"), ("rank", "Rank"), ("percentile", "Percentile")),
        views=("corruption",),
    ),
    Param(
        "wgi_mode",
        "choice",
        "level",
        "wgi",
        Control("wgi-mode", "radio", "WGI shows"),
        "--wgi-mode",
        "WGI percentile rank, or its gap to the OECD average",
        choices=(("level", "Percentile rank"), ("gap", "Gap to OECD average")),
        views=("governance",),
    ),
    Param(
        "fdi_unit",
        "choice",
        "pct",
        "fdi",
        Control("fdi-unit", "radio", "FDI in"),
        "--fdi-unit",
        "FDI net inflows as % of GDP or in current US$",
        choices=(("pct", "% of GDP"), ("usd", "US$")),
        views=("economy",),
    ),
    Param(
        "values",
        "choice",
        "level",
        "values",
        Control("values-shown", "radio", "Values shown"),
        "--values",
        "each series' values, or its change since the first year shown (an index for US$)",
        choices=(("level", "Values"), ("change", "Change since first year")),
        views=CHART_VIEWS,
    ),
    Param(
        "scale",
        "choice",
        "linear",
        "scale",
        Control("y-scale", "radio", "Scale of US$ amounts"),
        "--scale",
        "linear, or logarithmic for amounts in US$ (FDI in US$)",
        choices=(("linear", "Linear"), ("log", "Log")),
        views=("economy",),
    ),
    Param(
        "highlight",
        "optional_country",
        None,
        "hl",
        Control("highlight-country", "store"),
        "--highlight",
        "country drawn emphasised (ISO3)",
        views=CHART_VIEWS,
    ),
    Param(
        "map_measure",
        "choice",
        "cpi_score",
        "indicator",
        Control("map-measure", "dropdown", "Indicator"),
        "--map-indicator",
        "what the map shows",
        choices=MAP_MEASURES,
        views=("map",),
    ),
    Param(
        "map_year",
        "year",
        MAX_YEAR,
        "year",
        Control("map-year", "slider", "Year"),
        "--year",
        "year the map shows (the latest earlier year with data when it has none)",
        views=("map",),
    ),
    Param(
        "map_extent",
        "choice",
        "region",
        "extent",
        Control("map-extent", "radio", "Map of"),
        "--extent",
        "Central Asia and its neighbours, or the world",
        choices=(("region", "Central Asia and neighbours"), ("world", "World")),
        views=("map",),
    ),
)

BY_NAME = {p.name: p for p in PARAMS}
BY_URL_KEY = {p.url_key: p for p in PARAMS}


def controls() -> list[Control]:
    """Each control once, in the table's order (the year slider serves two parameters)."""
    return list({p.control.id: p.control for p in PARAMS}.values())


def params_of(control: Control) -> list[Param]:
    """The parameters one control sets, in part order."""
    return sorted((p for p in PARAMS if p.control.id == control.id), key=lambda p: p.control.part)
