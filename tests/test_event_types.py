"""Filtering reform events by kind: the URL, the controls, the chart and its note."""

from indicators.render.chart import build_chart
from indicators.view.params import BY_NAME, EVENT_TYPES
from indicators.view.state import read_view, to_query
from indicators.web.callbacks import CONTROLS, state_from_controls


def test_every_event_in_the_data_has_a_kind_the_filter_offers(bundle):
    kinds = {k for k, _ in EVENT_TYPES}
    assert {e.category for e in bundle.events} <= kinds


def test_the_filter_keeps_only_the_kinds_asked_for(bundle):
    everything = build_chart("cpi", bundle, read_view(bundle, "corruption", "").state)
    state = read_view(bundle, "corruption", "?etypes=anti-corruption").state
    chart = build_chart("cpi", bundle, state)
    wanted = {e.title for e in bundle.events if e.category == "anti-corruption"}
    assert {e.title for e in chart.events} == {e.title for e in everything.events} & wanted
    assert [e.number for e in chart.events] == list(range(1, len(chart.events) + 1))


def test_no_event_of_the_kinds_asked_for_is_said(bundle):
    state = read_view(bundle, "corruption", "?etypes=digital&focus=UZB").state
    chart = build_chart("cpi", bundle, state)
    assert chart.events == []
    assert "No reform events recorded for Uzbekistan (digital events)" in chart.events_note


def test_url_round_trip_and_unknown_kinds_dropped_with_a_notice(bundle):
    parsed = read_view(bundle, "economy", "?etypes=economy,nope,strategy")
    assert parsed.state.event_types == ("strategy", "economy")  # the table's order
    assert "etypes=strategy,economy" in to_query(parsed.state)
    assert len(parsed.notices) == 1 and "nope" in parsed.notices[0]
    assert read_view(bundle, "economy", to_query(parsed.state)).state == parsed.state


def test_the_control_sets_the_kinds_whatever_the_peer_group(bundle):
    ids = [i for i, _ in CONTROLS]
    values = [None] * len(ids)
    values[ids.index("peer-group")] = "central_asia"
    values[ids.index("event-types")] = ["rights", "judiciary"]
    values[ids.index("custom-peers")] = ["GEO"]  # ignored: the group is not custom
    state = state_from_controls(bundle, "governance", *values).state
    assert state.event_types == ("judiciary", "rights") and state.peers == ()
    assert BY_NAME["event_types"].default == ()
