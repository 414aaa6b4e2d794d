"""The explorer's settings on the command line: the map, change since the first year, log."""

import csv

import pytest

from indicators.cli import main


def run(args, tmp_path):
    return main(["export", *args, "--out", str(tmp_path)])


def test_map_csv_from_the_command_line_is_the_map_s_rows(tmp_path, capsys):
    code = run(
        ["--chart", "map", "--map-indicator", "wgi_rl", "--year", "2020", "--format", "csv"],
        tmp_path,
    )
    assert code == 0
    path = tmp_path / "kaz-map-wgi-rl-2020.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) > 150 and rows[0]["place"] == "1"
    assert {r["year"] for r in rows} == {"2020"}


def test_change_and_log_scale_name_their_files(tmp_path, capsys):
    args = ["--chart", "fdi", "--fdi-unit", "usd", "--scale", "log", "--values", "change"]
    assert run([*args, "--format", "csv"], tmp_path) == 0
    (path,) = tmp_path.iterdir()
    assert path.name.startswith("kaz-vs-central-asia-fdi-usd-log-change-")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert all(float(r["value"]) > 0 for r in rows)  # an index, on a log axis


def test_a_bad_explorer_setting_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        run(["--chart", "map", "--map-indicator", "nope"], tmp_path)
    assert run(["--chart", "map", "--view", "economy"], tmp_path) != 0
    assert "is on the 'map' view" in capsys.readouterr().err
