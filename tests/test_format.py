import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.data.rounding import round_decimal, to_decimal
from indicators.render import format as fmt

finite = st.floats(allow_nan=False, allow_infinity=False)
places = st.integers(min_value=0, max_value=4)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (22.5, 0, 23.0),
        (-22.5, 0, -23.0),
        (2.675, 2, 2.68),
        (-2.675, 2, -2.68),
        (0.125, 2, 0.13),
        (1.005, 2, 1.01),
        (0.5, 0, 1.0),
        (0.49, 0, 0.0),
        (1234.5, 0, 1235.0),
        (1e300, 2, 1e300),
        (7, 1, 7.0),
    ],
)
def test_round_half_away(value, decimals, expected):
    assert fmt.round_half_away(value, decimals) == expected


def test_round_half_away_leaves_nan_and_infinity():
    assert math.isnan(fmt.round_half_away(math.nan, 2))
    assert fmt.round_half_away(math.inf, 0) == math.inf
    assert fmt.round_half_away(-math.inf, 0) == -math.inf


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (None, 1, "", "–"),
        (math.nan, 1, "%", "–"),
        (math.inf, 1, "", "–"),
        (22.5, 0, "", "23"),
        (-22.5, 0, "", "-23"),
        (2.675, 2, "", "2.68"),
        (1234.5, 1, "", "1,234.5"),
        (1234.5, 0, "", "1,235"),
        (-1234567.0, 0, "", "-1.2 m"),
        (4_500_000, 0, "", "4.5 m"),
        (4_450_000, 3, "", "4.5 m"),
        (1_234_567_890, 0, "", "1.23 bn"),
        (1_235_000_000, 0, "", "1.24 bn"),
        (999_999.7, 0, "", "1.0 m"),
        (999_999.7, 1, "", "999,999.7"),
        (999_960_000, 0, "", "1.00 bn"),
        (-0.4, 0, "", "0"),
        (-0.004, 2, "", "0.00"),
        (-0.0, 1, "", "0.0"),
        (0, 0, "", "0"),
        (12.5, 1, "%", "12.5%"),
        (3.21, 1, "points", "3.2 points"),
        (4_500_000, 0, "people", "4.5 m people"),
    ],
)
def test_number(value, decimals, unit, expected):
    assert fmt.number(value, decimals, unit) == expected


def test_number_rejects_negative_decimals():
    with pytest.raises(ValueError):
        fmt.number(1.0, -1)


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (3, 0, "", "+3"),
        (-2.5, 1, "", "-2.5"),
        (-2.45, 1, "", "-2.5"),
        (0.04, 1, "", "0.0"),
        (-0.4, 0, "", "0"),
        (0, 0, "", "0"),
        (22.5, 0, "", "+23"),
        (1.25, 1, "%", "+1.3%"),
        (-3.2, 1, "points", "-3.2 points"),
        (2_500_000, 0, "", "+2.5 m"),
        (None, 0, "", "–"),
        (math.nan, 2, "", "–"),
    ],
)
def test_signed(value, decimals, unit, expected):
    assert fmt.signed(value, decimals, unit) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0th"),
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (32, "32nd"),
        (71, "71st"),
        (100, "100th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (1001, "1001st"),
    ],
)
def test_ordinal(n, expected):
    assert fmt.ordinal(n) == expected


@pytest.mark.parametrize("bad", [True, False, 1.0, "1", None])
def test_ordinal_takes_integers_only(bad):
    with pytest.raises(TypeError):
        fmt.ordinal(bad)


@pytest.mark.parametrize("n", [1, 23, 32, 71, 101])
def test_ordinal_never_th_after_one_two_three(n):
    assert not fmt.ordinal(n).endswith("th")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (22.5, "23rd percentile"),
        (0.4, "0th percentile"),
        (100, "100th percentile"),
        (10.5, "11th percentile"),
        (1.2, "1st percentile"),
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_percentile(value, expected):
    assert fmt.percentile(value) == expected


def test_a_median_of_22_5_is_23_everywhere():
    assert fmt.number(22.5, 0) == "23"
    assert fmt.signed(22.5, 0) == "+23"
    assert fmt.percentile(22.5) == "23rd percentile"
    assert fmt.round_half_away(22.5, 0) == 23


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        ([""], ""),
        (["A"], "A"),
        (["A", "B"], "A and B"),
        (["A", "B", "C"], "A, B and C"),
        (["A", "", "B", "A", "C", "B"], "A, B and C"),
        (["B", "A", "B"], "B and A"),
        (iter(["x", "y"]), "x and y"),
    ],
)
def test_join_words(items, expected):
    assert fmt.join_words(items) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("custom peers", "the custom peers"),
        ("the custom peers", "the custom peers"),
        ("The OECD average", "The OECD average"),
        ("THE group", "THE group"),
        ("theory peers", "the theory peers"),
        ("", ""),
    ],
)
def test_definite(phrase, expected):
    assert fmt.definite(phrase) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the custom peers median", "The custom peers median"),
        ("", ""),
        ("x", "X"),
        ("oECD", "OECD"),
    ],
)
def test_capitalise(text, expected):
    assert fmt.capitalise(text) == expected


@pytest.mark.parametrize("phrase", ["custom peers", "the custom peers", "The custom peers"])
def test_capitalised_definite_never_says_the_the(phrase):
    sentence = fmt.capitalise(fmt.definite(phrase))
    assert sentence == "The custom peers"
    assert "the the" not in sentence.lower()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((3, 5), "3 of 5 reporting"),
        ((3, 5, 2), "3 of 5 reporting (2 without data)"),
        ((5, 5, 0), "5 of 5 reporting"),
        ((5, 5, None), "5 of 5 reporting"),
    ],
)
def test_reporting(args, expected):
    assert fmt.reporting(*args) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2012", "2025", "2012–2025"),
        ("2025", "2025", "2025"),
        ("DB2016", "DB2020", "DB2016–DB2020"),
    ],
)
def test_year_span(first, last, expected):
    assert fmt.year_span(first, last) == expected


def test_first_and_last():
    assert fmt.first_and_last("38", "2012", "41", "2025") == "38 in 2012 and 41 in 2025"


def test_first_and_last_with_one_year_names_it_once():
    assert fmt.first_and_last("38", "2025", "38", "2025") == "38 in 2025"
    assert fmt.first_and_last("38", "2025", "41", "2025") == "41 in 2025"


# Below a million the display uses the caller's decimals, so rounding first changes nothing.
@given(st.floats(min_value=-999_999, max_value=999_999), places)
def test_number_of_rounded_value_is_number_of_value(x, d):
    assert fmt.number(fmt.round_half_away(x, d), d) == fmt.number(x, d)


# The float fast path (away from ties) agrees with rounding the shortest decimal text.
@given(
    st.floats(min_value=-1e10, max_value=1e10)
    | st.integers(-(10**6), 10**6).map(lambda i: i / 200)
    | st.integers(-(10**6), 10**6).map(lambda i: i / 1000),
    places,
)
def test_round_half_away_is_decimal_rounding_of_the_shortest_text(x, d):
    expected = float(round_decimal(to_decimal(x), d))
    assert fmt.round_half_away(x, d) == expected
    assert math.copysign(1, fmt.round_half_away(x, d)) == 1 or expected != 0


@given(finite, places)
def test_round_half_away_is_odd(x, d):
    assert fmt.round_half_away(-x, d) == -fmt.round_half_away(x, d)


@given(st.floats(min_value=-1e12, max_value=1e12), places)
def test_round_half_away_moves_at_most_half_a_step(x, d):
    assert abs(fmt.round_half_away(x, d) - x) <= 0.5 * 10**-d * (1 + 1e-9) + abs(x) * 1e-15


@given(st.floats(min_value=-1e12, max_value=1e12), places)
def test_number_never_shows_minus_zero(x, d):
    text = fmt.number(x, d)
    assert not (text.startswith("-") and set(text[1:]) <= set("0.,"))


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_ordinal_suffix_follows_the_last_digits(n):
    text = fmt.ordinal(n)
    assert text[:-2] == str(n)
    assert text[-2:] in {"st", "nd", "rd", "th"}
    if abs(n) % 100 in (11, 12, 13):
        assert text.endswith("th")
    else:
        assert text[-2:] == fmt.ordinal(abs(n) % 10)[-2:]


@given(st.lists(st.sampled_from(["", "Kazakhstan", "Russia", "Uzbekistan", "Kyrgyz Republic"])))
def test_join_words_names_each_item_once(items):
    text = fmt.join_words(items)
    distinct = {item for item in items if item}
    for item in distinct:
        assert text.count(item) == 1
    assert text.count(" and ") == (1 if len(distinct) > 1 else 0)
    assert text.count(", ") == max(len(distinct) - 2, 0)
