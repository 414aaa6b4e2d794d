"""The shareable state of a view, and its round trip through a URL query string.

`parse_query` never raises: anything unknown or malformed is dropped and reported in
`notices`, so a bad link shows a notice instead of an error page. Input of any type or size
is accepted (a query that is not text, or longer than `MAX_QUERY_CHARS`, is ignored as a
whole); notices are short plain text (values clipped, control characters removed, at most
`MAX_NOTICES` of them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

VIEWS = {
    "overview": "Overview",
    "corruption": "Corruption (CPI)",
    "governance": "Governance (WGI)",
    "economy": "Business and economy",
}
CUSTOM_GROUP = "custom"
PEER_MODES = ("lines", "aggregate")
CPI_MEASURES = ("score", "rank", "percentile")
WGI_MODES = ("level", "gap")
FDI_UNITS = ("usd", "pct")
MIN_YEAR, MAX_YEAR = 1990, 2025
MAX_CUSTOM_PEERS = 20
MAX_QUERY_CHARS = 4096  # a real link is a few hundred characters
MAX_NOTICES = 8
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: str.isdigit() accepts '²' and '١'


@dataclass(frozen=True)
class ViewState:
    view: str = "overview"
    focus: str = "KAZ"
    group: str = "central_asia"
    peers: tuple[str, ...] = ()
    peer_mode: str = "lines"
    year_from: int = 1996
    year_to: int = MAX_YEAR
    events: bool = True
    cpi_measure: str = "score"
    wgi_mode: str = "level"
    fdi_unit: str = "pct"
    highlight: str | None = None

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)

    @property
    def years(self) -> tuple[int, int]:
        return self.year_from, self.year_to


DEFAULT = ViewState()


@dataclass(frozen=True)
class ParsedState:
    state: ViewState
    notices: tuple[str, ...] = field(default=())


def peer_members(state: ViewState, groups: dict) -> tuple[str, ...]:
    """The peers compared with the focus country (the focus itself excluded)."""
    members = state.peers if state.group == CUSTOM_GROUP else groups[state.group].members
    return tuple(c for c in members if c != state.focus)


def _one(values: list[str]) -> str:
    return values[-1].strip()


def clip(value: object, limit: int = 40) -> str:
    """Text of a value for a notice: control and format characters removed, at most `limit`
    characters (then '…')."""
    text = value if isinstance(value, str) else f"<{type(value).__name__}>"
    text = "".join(c for c in text[: limit * 4] if unicodedata.category(c)[0] != "C")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _capped(notices: list[str]) -> tuple[str, ...]:
    if len(notices) <= MAX_NOTICES:
        return tuple(notices)
    more = len(notices) - (MAX_NOTICES - 1)
    return (*notices[: MAX_NOTICES - 1], f"… and {more} more settings were ignored.")


def parse_query(
    search: object,
    view: object,
    countries: set[str],
    groups: set[str],
    default: ViewState = DEFAULT,
) -> ParsedState:
    """State from a query string such as '?focus=UZB&group=south_caucasus&from=2005'.

    `countries` are the codes that have data; `groups` the peer-group ids. `search` and
    `view` may be anything a client sent (a number, a dict, a huge string): never an error.
    """
    notices: list[str] = []
    known_view = isinstance(view, str) and view in VIEWS
    state = default.with_(view=view if known_view else default.view)
    if not known_view:
        notices.append(f"Unknown page '{clip(view)}': showing the overview.")
    if search is not None and not isinstance(search, str):
        notices.append("Ignored the link's settings: they are not text.")
        search = ""
    elif search and len(search) > MAX_QUERY_CHARS:
        notices.append(
            f"Ignored the link's settings: {len(search)} characters, more than {MAX_QUERY_CHARS}."
        )
        search = ""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    known = {
        "focus",
        "group",
        "peers",
        "agg",
        "from",
        "to",
        "events",
        "measure",
        "wgi",
        "fdi",
        "hl",
    }
    for key in sorted(set(query) - known):
        notices.append(f"Ignored unknown URL parameter '{clip(key)}'.")

    def choice(key, allowed, attr):
        nonlocal state
        if key in query:
            value = _one(query[key])
            if value in allowed:
                state = state.with_(**{attr: value})
            else:
                notices.append(
                    f"Ignored {key}='{clip(value)}': expected one of {', '.join(allowed)}."
                )

    if "focus" in query:
        code = _one(query["focus"]).upper()
        if code in countries:
            state = state.with_(focus=code)
        else:
            notices.append(f"Unknown country '{clip(code)}' in the URL: showing {state.focus}.")
    if "group" in query:
        group = _one(query["group"])
        if group in groups or group == CUSTOM_GROUP:
            state = state.with_(group=group)
        else:
            notices.append(f"Unknown peer group '{clip(group)}': showing {state.group}.")
    if "peers" in query:
        codes = [c.strip().upper() for c in _one(query["peers"]).split(",") if c.strip()]
        good = [c for c in dict.fromkeys(codes) if c in countries][:MAX_CUSTOM_PEERS]
        bad = [c for c in codes if c not in countries]
        if bad:
            notices.append(f"Dropped unknown countries from peers: {clip(', '.join(bad), 80)}.")
        state = state.with_(peers=tuple(good))
        if "group" not in query:
            state = state.with_(group=CUSTOM_GROUP)
    if state.group == CUSTOM_GROUP and not state.peers:
        notices.append("The custom peer group is empty: showing the default group.")
        state = state.with_(group=default.group)
    choice("agg", PEER_MODES, "peer_mode")
    choice("measure", CPI_MEASURES, "cpi_measure")
    choice("wgi", WGI_MODES, "wgi_mode")
    choice("fdi", FDI_UNITS, "fdi_unit")
    for key, attr in (("from", "year_from"), ("to", "year_to")):
        if key in query:
            raw = _one(query[key])
            if _YEAR.fullmatch(raw) and MIN_YEAR <= int(raw) <= MAX_YEAR:
                state = state.with_(**{attr: int(raw)})
            else:
                notices.append(
                    f"Ignored {key}='{clip(raw, 20)}': expected a year from {MIN_YEAR} to "
                    f"{MAX_YEAR}."
                )
    if state.year_from > state.year_to:
        notices.append("The year range was reversed; swapped it.")
        state = state.with_(year_from=state.year_to, year_to=state.year_from)
    if "events" in query:
        raw = _one(query["events"])
        if raw in ("0", "1"):
            state = state.with_(events=raw == "1")
        else:
            notices.append(f"Ignored events='{clip(raw, 20)}': expected 0 or 1.")
    if "hl" in query:
        code = _one(query["hl"]).upper()
        if code in countries:
            state = state.with_(highlight=code)
        elif code:
            notices.append(f"Ignored highlight of unknown country '{clip(code)}'.")
    return ParsedState(state, _capped(notices))


def to_query(state: ViewState, default: ViewState = DEFAULT) -> str:
    """Query string holding every setting that differs from the default ('' when none)."""
    params: list[tuple[str, str]] = []
    if state.focus != default.focus:
        params.append(("focus", state.focus))
    if state.group != default.group:
        params.append(("group", state.group))
    if state.group == CUSTOM_GROUP:
        params.append(("peers", ",".join(state.peers)))
    pairs = [
        ("agg", state.peer_mode, default.peer_mode),
        ("from", str(state.year_from), str(default.year_from)),
        ("to", str(state.year_to), str(default.year_to)),
        ("events", "1" if state.events else "0", "1" if default.events else "0"),
        ("measure", state.cpi_measure, default.cpi_measure),
        ("wgi", state.wgi_mode, default.wgi_mode),
        ("fdi", state.fdi_unit, default.fdi_unit),
    ]
    params += [(k, v) for k, v, d in pairs if v != d]
    if state.highlight:
        params.append(("hl", state.highlight))
    return ("?" + urlencode(params, safe=",")) if params else ""


def to_path(state: ViewState) -> str:
    return f"/{state.view}{to_query(state)}"
