from indicators.view.state import DEFAULT, ViewState, parse_query, to_query

COUNTRIES = {"KAZ", "UZB", "GEO", "ARM", "MNG"}
GROUPS = {"central_asia", "south_caucasus"}


def parse(search, view="corruption"):
    return parse_query(search, view, COUNTRIES, GROUPS)


def test_default_state_names_only_focus_and_group():
    assert to_query(DEFAULT) == "?focus=KAZ&group=central_asia"


def test_every_parameter_round_trips_through_its_url_key():
    from indicators.view.params import PARAMS

    assert len({p.url_key for p in PARAMS}) == len(PARAMS)
    assert {p.name for p in PARAMS} | {"view"} == set(DEFAULT.__dataclass_fields__)


def test_query_round_trip_keeps_every_setting():
    state = ViewState(
        view="corruption",
        focus="UZB",
        group="custom",
        peers=("GEO", "ARM"),
        peer_mode="aggregate",
        year_from=2005,
        year_to=2020,
        events=False,
        cpi_measure="rank",
        wgi_mode="gap",
        fdi_unit="usd",
        highlight="GEO",
    )
    parsed = parse(to_query(state))
    assert parsed.notices == ()
    assert parsed.state == state


def test_unknown_values_are_dropped_with_notices():
    parsed = parse("?focus=XXX&group=nope&from=abc&to=3000&measure=bogus&events=maybe&zzz=1")
    assert parsed.state == DEFAULT.with_(view="corruption")
    text = " ".join(parsed.notices)
    for fragment in ("XXX", "nope", "abc", "3000", "bogus", "maybe", "zzz"):
        assert fragment in text


def test_reversed_years_are_swapped():
    parsed = parse("?from=2020&to=2010")
    assert parsed.state.years == (2010, 2020)
    assert parsed.notices


def test_unknown_view_falls_back_to_overview():
    parsed = parse("", view="admin")
    assert parsed.state.view == "overview" and "admin" in parsed.notices[0]


def test_custom_peers_drop_unknown_codes():
    parsed = parse("?peers=GEO,QQQ,arm")
    assert parsed.state.group == "custom" and parsed.state.peers == ("GEO", "ARM")
    assert "QQQ" in parsed.notices[0]


def test_overlong_and_odd_values_never_raise():
    parsed = parse("?focus=" + "A" * 5000 + "&peers=,,,&hl=%00&from=-1")
    assert parsed.state.focus == "KAZ"
