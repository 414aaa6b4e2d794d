"""The shareable state of a view, and its round trip through a URL query string.

`ViewState` has one field per row of `params.PARAMS` (plus the view); parsing and writing go
row by row through the parameter's kind. `parse_query` never raises: anything unknown or
malformed is dropped and reported in `notices`, so a bad link shows a notice instead of an
error page. Input of any type or size is accepted (a query that is not text, or longer than
`MAX_QUERY_CHARS`, is ignored as a whole); notices are short plain text (values clipped,
control characters removed, at most `MAX_NOTICES` of them).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import parse_qs, urlencode

from indicators.data.loading import Bundle
from indicators.data.transforms import remembered
from indicators.view.params import (
    BY_URL_KEY,
    CUSTOM_GROUP,
    MAX_CUSTOM_PEERS,
    MAX_YEAR,
    MIN_YEAR,
    PARAMS,
    VIEWS,
    Param,
)

MAX_QUERY_CHARS = 4096  # a real link is a few hundred characters
MAX_NOTICES = 8
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: str.isdigit() accepts '²' and '١'


class _StateMethods:
    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)

    @property
    def years(self) -> tuple[int, int]:
        return self.year_from, self.year_to


ViewState = dataclasses.make_dataclass(
    "ViewState",
    [("view", str, field(default="overview"))]
    + [(p.name, object, field(default=p.default)) for p in PARAMS],
    bases=(_StateMethods,),
    frozen=True,
)
ViewState.__module__ = __name__
ViewState.__doc__ = "One view: the page and a value for every row of params.PARAMS."
DEFAULT = ViewState()


@dataclass(frozen=True)
class ParsedState:
    state: ViewState
    notices: tuple[str, ...] = field(default=())


def peer_members(state: ViewState, groups: dict) -> tuple[str, ...]:
    """The peers compared with the focus country (the focus itself excluded)."""
    members = state.peers if state.group == CUSTOM_GROUP else groups[state.group].members
    return tuple(c for c in members if c != state.focus)


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


def _read(param: Param, raw: str, countries: set[str], groups: set[str], current):
    """(value, notice): the parameter's value from its URL text, or a notice and None."""
    key = param.url_key
    if param.kind == "country":
        code = raw.upper()
        if code in countries:
            return code, None
        return None, f"Unknown country '{clip(code)}' in the URL: showing {current}."
    if param.kind == "optional_country":
        code = raw.upper()
        if code in countries:
            return code, None
        return None, (f"Ignored {key} of unknown country '{clip(code)}'." if code else None)
    if param.kind == "group":
        if raw in groups or raw == CUSTOM_GROUP:
            return raw, None
        return None, f"Unknown peer group '{clip(raw)}': showing {current}."
    if param.kind == "countries":
        codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
        good = tuple([c for c in dict.fromkeys(codes) if c in countries][:MAX_CUSTOM_PEERS])
        bad = [c for c in codes if c not in countries]
        notice = (
            f"Dropped unknown countries from {key}: {clip(', '.join(bad), 80)}." if bad else None
        )
        return good, notice
    if param.kind == "choices":
        picked = [v.strip() for v in raw.split(",") if v.strip()]
        good = tuple(v for v in param.values if v in picked)
        bad = [v for v in picked if v not in param.values]
        notice = (
            f"Ignored {key} '{clip(', '.join(bad), 60)}': expected some of "
            f"{', '.join(param.values)}."
            if bad
            else None
        )
        return good, notice
    if param.kind == "choice":
        if raw in param.values:
            return raw, None
        return None, f"Ignored {key}='{clip(raw)}': expected one of {', '.join(param.values)}."
    if param.kind == "year":
        if _YEAR.fullmatch(raw) and MIN_YEAR <= int(raw) <= MAX_YEAR:
            return int(raw), None
        return (
            None,
            f"Ignored {key}='{clip(raw, 20)}': expected a year from {MIN_YEAR} to {MAX_YEAR}.",
        )
    if param.kind == "flag":
        if raw in ("0", "1"):
            return raw == "1", None
        return None, f"Ignored {key}='{clip(raw, 20)}': expected 0 or 1."
    raise ValueError(f"unknown parameter kind {param.kind!r}")


def _write(param: Param, value) -> str:
    if param.kind in ("countries", "choices"):
        return ",".join(value)
    if param.kind == "flag":
        return "1" if value else "0"
    return str(value)


def parse_query(
    search: object,
    view: object,
    countries: set[str],
    groups: set[str],
    default: ViewState = DEFAULT,
) -> ParsedState:
    """State from a query string such as '?focus=UZB&group=south_caucasus&from=2005'.

    `countries` are the codes that have data; `groups` the peer-group ids; `default` the state
    of a link without settings. `search` and `view` may be anything a client sent (a number,
    a dict, a huge string): never an error.
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
    for key in sorted(set(query) - set(BY_URL_KEY)):
        notices.append(f"Ignored unknown URL parameter '{clip(key)}'.")
    for param in PARAMS:
        if param.url_key in query:
            raw = query[param.url_key][-1].strip()
            current = getattr(state, param.name)
            value, notice = _read(param, raw, countries, groups, current)
            if value is not None:
                state = state.with_(**{param.name: value})
            if notice:
                notices.append(notice)
    if "peers" in query and "group" not in query:
        state = state.with_(group=CUSTOM_GROUP)
    if state.group == CUSTOM_GROUP and not state.peers:
        notices.append("The custom peer group is empty: showing the default group.")
        state = state.with_(group=default.group)
    if state.year_from > state.year_to:
        notices.append("The year range was reversed; swapped it.")
        state = state.with_(year_from=state.year_to, year_to=state.year_from)
    return ParsedState(state, _capped(notices))


# a request writes its state's query several times (URL, links, downloads, cache key)
@lru_cache(maxsize=4096)
def to_query(state: ViewState) -> str:
    """Query string of the view: focus and group always (so a link keeps its meaning if the
    default focus changes), every other setting that differs from the table's default."""
    params = [
        (p.url_key, _write(p, getattr(state, p.name)))
        for p in PARAMS
        if p.always_in_url or getattr(state, p.name) != p.default
    ]
    if state.group != CUSTOM_GROUP:
        params = [(k, v) for k, v in params if k != "peers"]
    return "?" + urlencode(params, safe=",")


def to_path(state: ViewState) -> str:
    return f"/{state.view}{to_query(state)}"


def link_codes(bundle: Bundle) -> frozenset[str]:
    """Codes a link may name: countries with data (aggregates such as OED are not countries)."""
    return remembered(
        bundle.frame,
        "link_codes",
        lambda: (
            frozenset(map(str, bundle.frame["iso3"].unique())) - set(bundle.countries.aggregates)
        ),
    )


def default_state(bundle: Bundle) -> ViewState:
    """The view of a link without settings: focus and group from data/countries.yaml."""
    countries = bundle.countries
    return DEFAULT.with_(focus=countries.default_focus, group=countries.default_group)


def read_view(bundle: Bundle, view: object, search: object) -> ParsedState:
    """The view a link shows, checked against the data (the one reader of links, controls and
    command-line options)."""
    groups = set(bundle.countries.groups)
    return parse_query(search, view, link_codes(bundle), groups, default_state(bundle))
