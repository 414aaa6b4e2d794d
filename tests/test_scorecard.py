from indicators.charts.scorecard import key_facts, scorecard
from indicators.view.state import ViewState


def test_rank_and_gap_use_years_when_peers_and_benchmark_report(bundle):
    rows = {r.indicator: r for r in scorecard(bundle, ViewState())}
    manufacturing = rows["manufacturing_va_pct_gdp"]
    assert manufacturing.latest_year == "2024"
    assert manufacturing.rank_year == "2020"  # peers' old release ends in 2020
    assert manufacturing.gap_year == "2019"  # the OECD aggregate ends in 2019
    assert rows["cpi_score"].peer_rank == (1, 5) and rows["cpi_score"].gap < 0


def test_status_follows_indicator_direction(bundle):
    rows = {r.indicator: r for r in scorecard(bundle, ViewState())}
    assert rows["db_rank"].change < 0 and rows["db_rank"].change_status() == "better"
    assert rows["cpi_score"].change_status() == "better"
    assert rows["fdi_net_inflows_pct_gdp"].change_status() == "worse"


def test_key_facts_follow_the_view(bundle):
    facts = key_facts(bundle, ViewState(focus="GEO", group="south_caucasus"))
    assert facts[0].startswith("Georgia's CPI score was 52 in 2012")
    assert "South Caucasus median" in facts[0]
