import statistics

from indicators.charts.common import values_by_country
from indicators.charts.registry import CHARTS, chart_model
from indicators.charts.scorecard import (
    BETTER,
    NOT_COMPARABLE,
    NOT_SIGNIFICANT,
    UNTESTED,
    WORSE,
    key_facts,
    scorecard,
)
from indicators.render.text import key_fact_sentences
from indicators.view.state import ViewState
from indicators.web.layout import _rank_text


def rows(bundle, **state):
    return {r.indicator: r for r in scorecard(bundle, ViewState(**state))}


def test_rank_and_gap_use_years_when_peers_and_benchmark_report(bundle):
    by_id = rows(bundle)
    manufacturing = by_id["manufacturing_va_pct_gdp"]
    assert manufacturing.latest_year == "2024"
    assert manufacturing.peer_rank.year == "2020"  # peers' old release ends in 2020
    assert manufacturing.gap_year == "2019"  # the OECD aggregate ends in 2019
    cpi = by_id["cpi_score"]
    assert (cpi.peer_rank.position, cpi.peer_rank.ranked) == (1, 5) and cpi.gap < 0


def test_changes_are_coloured_only_when_comparable_and_significant(bundle):
    by_id = rows(bundle)
    assert by_id["db_rank"].change < 0 and by_id["db_rank"].change_judgement == NOT_COMPARABLE
    assert by_id["cpi_score"].change_judgement == UNTESTED  # no standard errors in the data
    assert by_id["fdi_net_inflows_pct_gdp"].change_judgement == WORSE
    wgi = {r.change_judgement for i, r in by_id.items() if i.startswith("wgi_")}
    assert wgi <= {BETTER, WORSE, NOT_SIGNIFICANT} and NOT_SIGNIFICANT in wgi


def test_every_row_names_its_release_and_latest_year(bundle):
    for row in scorecard(bundle, ViewState()):
        assert row.release and (row.latest is None or row.latest_year)


def test_membership_is_counted_by_data_year_for_db(bundle):
    # DB2020 describes 2019: Colombia (2020) and Costa Rica (2021) are not in its OECD average
    by_id = rows(bundle, focus="COL", group="south_caucasus")
    assert by_id["db_score"].gap is not None


def test_ranks_show_ties_and_members_without_data(bundle):
    by_id = rows(bundle, group="custom", peers=("UZB", "TKM", "KGZ"), year_to=2016)
    texts = {i: _rank_text(r) for i, r in by_id.items()}
    assert all("of" in t for t in texts.values() if t != "–")
    db = by_id["db_rank"].peer_rank  # Turkmenistan was never in Doing Business
    assert db.without_data >= 1 and "without data" in texts["db_rank"]


def test_key_facts_follow_the_view(bundle):
    sentences = key_fact_sentences(
        key_facts(bundle, ViewState(focus="GEO", group="south_caucasus"))
    )
    assert sentences[0].startswith("Georgia's CPI score was 52 in 2012")
    assert "The South Caucasus median (without Georgia)" in sentences[0]
    text = " ".join(sentences)
    for bad in ("1th", "2th", "3th", "The the", " th percentile"):
        assert bad not in text


def test_key_fact_words_regressions(bundle):
    custom = key_facts(bundle, ViewState(group="custom", peers=("UZB", "KGZ")))
    text = " ".join(key_fact_sentences(custom))
    assert "The custom peers median" in text and "The the" not in text
    one_year = key_fact_sentences(key_facts(bundle, ViewState(year_from=2025, year_to=2025)))
    assert "38 in 2025 and 38 in 2025" not in one_year[0] and "38 in 2025" in one_year[0]
    early = " ".join(key_fact_sentences(key_facts(bundle, ViewState(year_to=2018))))
    assert "Doing Business 2018" in early and "last edition" not in early
    full = " ".join(key_fact_sentences(key_facts(bundle, ViewState())))
    assert "Doing Business 2020, the last edition" in full


def test_rows_carry_the_focus_trend_and_the_peer_median_of_each_year(bundle):
    by_id = rows(bundle, year_from=2012)
    cpi = by_id["cpi_score"]
    assert cpi.trend[0].year == 2012 and cpi.trend[-1].value == cpi.latest
    assert [p.year for p in cpi.trend] == sorted(p.year for p in cpi.trend)
    # Central Asia without Kazakhstan: the median of the four peers in 2025
    peers = ("UZB", "KGZ", "TJK", "TKM")
    cpi_values = values_by_country(bundle, "cpi_score")
    expected = statistics.median(cpi_values[c][2025] for c in peers if 2025 in cpi_values[c])
    assert cpi.peer_median[-1].year == 2025 and cpi.peer_median[-1].value == expected
    assert all(p.year >= 2012 for p in (*cpi.trend, *cpi.peer_median))
    db = by_id["db_rank"]  # editions keep the publisher's names
    assert db.trend[-1].label == "DB2020"


def test_each_row_names_the_chart_it_summarises(bundle):
    for row in scorecard(bundle, ViewState()):
        assert CHARTS[row.chart].view == row.view
        assert row.indicator in chart_model(row.chart, bundle, ViewState()).indicators
