from datetime import date
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.fiscal import (
    current_fiscal_year,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_range,
    parse_fiscal_year,
)


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2024, 4, 1), 2024),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
    ],
)
def test_fiscal_year_starts_in_april(d, fy):
    assert fiscal_year(d) == fy


def test_fiscal_year_range():
    assert fiscal_year_range(2024) == (date(2024, 4, 1), date(2025, 3, 31))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_fiscal_year_range_contains_the_day(d):
    first, last = fiscal_year_range(fiscal_year(d))
    assert first <= d <= last


def test_current_fiscal_year_uses_the_local_date():
    with mock.patch("django.utils.timezone.localdate", return_value=date(2025, 3, 31)):
        assert current_fiscal_year() == 2024


@pytest.mark.parametrize(
    ("fy", "label"),
    [
        (2024, "令和6年度"),
        # FY2019 began under 平成 but is written 令和元年度.
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        # 平成 began in January 1989, after FY1988's calendar year.
        (1988, "昭和63年度"),
    ],
)
def test_fiscal_year_label(fy, label):
    assert fiscal_year_label(fy) == label


def test_fiscal_year_label_with_western_year():
    assert fiscal_year_label(2024, western=True) == "令和6年度（2024年度）"


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("令和6年度", 2024),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("平成30年度", 2018),
        ("R6", 2024),
        ("R6年度", 2024),
        ("r6", 2024),
        ("R元", 2019),
        ("H30", 2018),
        ("2024", 2024),
        ("2024年度", 2024),
        ("令和６年度", 2024),
        ("Ｒ６", 2024),
        ("２０２４年度", 2024),
        ("  令和6年度\u3000", 2024),
        ("令和 6 年度", 2024),
    ],
)
def test_parse_fiscal_year(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("平成32年度", "平成32年度という年度はありません。"),
        ("令和0年度", "令和0年度という年度はありません。"),
        ("", "年度は「令和6年度」「R6」「2024年度」のように入力してください。"),
        ("来年度", "年度は「令和6年度」「R6」「2024年度」のように入力してください。"),
        ("X6", "年度は「令和6年度」「R6」「2024年度」のように入力してください。"),
        ("24", "年度は「令和6年度」「R6」「2024年度」のように入力してください。"),
        ("令和6年", "年度は「令和6年度」「R6」「2024年度」のように入力してください。"),
    ],
)
def test_parse_fiscal_year_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        parse_fiscal_year(text)


@given(st.integers(min_value=1989, max_value=2100), st.booleans())
def test_labels_round_trip(fy, western):
    label = fiscal_year_label(fy)
    assert parse_fiscal_year(label) == fy
    assert parse_fiscal_year(f"{fy}年度") == fy
    assert fiscal_year_label(fy, western=western).startswith(label)


@pytest.mark.parametrize("text", ["昭和64年度", "S64", "平成32年度", "大正16年度"])
def test_parse_rejects_fiscal_years_that_began_in_the_next_era(text):
    with pytest.raises(ValueError, match="という年度はありません"):
        parse_fiscal_year(text)


@pytest.mark.parametrize(
    ("text", "fy"), [("大正15年度", 1926), ("昭和元年度", 1926), ("平成元年度", 1989)]
)
def test_parse_accepts_the_first_and_last_years_of_an_era(text, fy):
    assert parse_fiscal_year(text) == fy
