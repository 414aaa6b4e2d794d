import csv
import io
import json

from indicators.cli import main


def test_validate_passes_on_bundled_data(capsys):
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("OK")


def test_list_prints_every_indicator_with_coverage(capsys, bundle):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for indicator_id in bundle.catalog:
        assert indicator_id in out
    assert "DB2007-DB2020" in out


def test_data_csv_filters_by_indicator_country_and_years(capsys):
    assert (
        main(
            [
                "data",
                "--indicator",
                "cpi_score",
                "--country",
                "KAZ",
                "--from",
                "2023",
                "--to",
                "2024",
            ]
        )
        == 0
    )
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["indicator"], r["iso3"], r["year"], float(r["value"])) for r in table] == [
        ("cpi_score", "KAZ", "2023", 39.0),
        ("cpi_score", "KAZ", "2024", 40.0),
    ]


def test_data_json_has_standard_errors(capsys):
    assert (
        main(["data", "--indicator", "wgi_cc_estimate", "--country", "KAZ", "--format", "json"])
        == 0
    )
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 25 and all(r["std_error"] > 0 for r in records)


def test_data_unknown_indicator_exits_with_message(capsys):
    assert main(["data", "--indicator", "nope"]) == 2
    assert "unknown indicator" in capsys.readouterr().err
