import shutil

import pandas as pd
import pytest

from indicators.data.loading import FRAME_COLUMNS, DataErrors, load_bundle, validate_files
from tests.conftest import DATA_DIR


def test_bundled_data_loads_into_tidy_frame(bundle):
    frame = bundle.frame
    assert list(frame.columns) == FRAME_COLUMNS
    assert not frame.duplicated(["indicator", "iso3", "year"]).any()
    assert set(frame["indicator"].astype(str)) == set(bundle.catalog)


def test_every_indicator_has_provenance_and_metadata(bundle):
    for entry in bundle.catalog.values():
        assert entry.origin.producer and entry.origin.citation and entry.origin.license
        assert entry.origin.date_accessed
        assert entry.meta.unit and entry.meta.description and entry.meta.methodology
        assert entry.meta.release in entry.releases
        assert "Source:" in entry.source_line()


def test_standard_error_present_only_for_wgi_estimates(bundle):
    frame = bundle.frame
    has_se = frame.loc[frame["std_error"].notna(), "indicator"].astype(str).unique()
    assert sorted(has_se) == sorted(i for i in bundle.catalog if i.endswith("_estimate"))


def test_cpi_scale_break_is_two_series(bundle):
    frame = bundle.frame
    new = frame[frame["indicator"] == "cpi_score"]["year"]
    old = frame[frame["indicator"] == "cpi_score_legacy"]["year"]
    assert new.min() == 2012 and old.max() == 2011
    assert bundle.catalog["cpi_score"].meta.breaks[0].year == 2012


def test_manufacturing_release_differs_for_kazakhstan(bundle):
    entry = bundle.catalog["manufacturing_va_pct_gdp"]
    assert entry.release("KAZ").date_published == "2026-04-08"
    assert entry.release("UZB").date_published == "2022-05-25"


def test_doing_business_is_marked_discontinued(bundle):
    entry = bundle.catalog["db_rank"]
    assert "discontinued" in entry.origin.discontinued
    assert entry.year_label(2020) == "DB2020"
    assert "not comparable" in entry.meta.methodology.lower()


def test_groups_and_oecd_membership_by_year(bundle):
    countries = bundle.countries
    assert countries.groups["central_asia"].members == ("KAZ", "UZB", "KGZ", "TJK", "TKM")
    assert "COL" not in countries.oecd_members(2019)
    assert "COL" in countries.oecd_members(2020)
    assert len(countries.oecd_members(2021)) == 38
    assert countries.name("KGZ") == "Kyrgyz Republic" or "Kyrgyz" in countries.name("KGZ")


def test_events_load_with_sources(bundle):
    assert len(bundle.events) == 15
    assert all(e.source for e in bundle.events)
    assert {e.year for e in bundle.events} >= {1997, 2015, 2021}


def test_bundle_reports_errors_of_all_files_together(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    cpi = data / "cpi.yaml"
    cpi.write_text(cpi.read_text().replace("      2013: 26\n", "      2013: 260\n", 1))
    db = data / "doing_business.yaml"
    db.write_text(db.read_text().replace("  producer: World Bank Group\n", ""))
    with pytest.raises(DataErrors) as info:
        load_bundle(data)
    text = str(info.value)
    assert "cpi.yaml:" in text and "data.KAZ.cpi_score.2013" in text and "260" in text
    assert "doing_business.yaml:" in text and "origin.producer" in text


def test_indicator_defined_in_two_files_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    shutil.copy(data / "cpi.yaml", data / "cpi_copy.yaml")
    with pytest.raises(DataErrors, match="already defined in"):
        load_bundle(data)


def test_oversized_file_is_refused_without_parsing(tmp_path, monkeypatch):
    from indicators.data import yamlio

    monkeypatch.setattr(yamlio, "MAX_BYTES", 100)
    errors = validate_files([DATA_DIR / "cpi.yaml"])
    assert len(errors) == 1 and "the limit is" in errors[0].message


def test_events_with_unknown_country_are_located(tmp_path):
    events = tmp_path / "events.yaml"
    text = (DATA_DIR / "events.yaml").read_text()
    events.write_text(text.replace("    country: KAZ\n", "    country: QQQ\n", 1))
    errors = validate_files([events])
    assert len(errors) == 1
    assert errors[0].field == "events.0.country" and errors[0].line is not None


def test_frame_years_are_integers_and_values_floats(bundle):
    assert pd.api.types.is_integer_dtype(bundle.frame["year"])
    assert pd.api.types.is_float_dtype(bundle.frame["value"])


def test_event_naming_an_unknown_dataset_is_located(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    events = data / "events.yaml"
    events.write_text(events.read_text().replace("datasets: [doing_business]", "datasets: [dbx]"))
    with pytest.raises(DataErrors) as info:
        load_bundle(data)
    (error,) = info.value.errors
    assert error.field == "events.11.datasets.0" and "unknown dataset 'dbx'" in error.message
    assert error.line is not None
