from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.fiscal import fiscal_year
from shakyo_portal.core.precision import (
    DatePrecision,
    coarser,
    format_partial,
    normalized,
    parse_partial,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("d", "precision", "text"),
    [
        (date(2019, 5, 12), DatePrecision.DAY, "令和元年5月12日(日)"),
        (date(2019, 5, 1), DatePrecision.MONTH, "令和元年5月"),
        (date(2019, 4, 1), DatePrecision.MONTH, "平成31年4月"),
        (date(2019, 4, 1), DatePrecision.FISCAL_YEAR, "令和元年度"),
        (date(2020, 3, 31), DatePrecision.FISCAL_YEAR, "令和元年度"),
    ],
)
def test_a_partial_date_is_written_only_as_far_as_it_is_known(d, precision, text):
    assert format_partial(d, precision) == text


def test_western_years_where_the_page_asks_for_them():
    assert format_partial(date(2019, 5, 1), DatePrecision.MONTH, western=True) == "2019年5月"
    assert format_partial(date(2020, 2, 1), DatePrecision.FISCAL_YEAR, western=True) == "2019年度"


@given(days, st.sampled_from(DatePrecision))
def test_two_entries_of_the_same_month_or_year_are_stored_as_one(d, precision):
    stored = normalized(d, precision)
    assert normalized(stored, precision) == stored
    assert format_partial(stored, precision) == format_partial(d, precision)
    if precision == DatePrecision.MONTH:
        assert (stored.year, stored.month, stored.day) == (d.year, d.month, 1)
    elif precision == DatePrecision.FISCAL_YEAR:
        assert stored == date(fiscal_year(d), 4, 1)
    else:
        assert stored == d


@given(days)
def test_no_day_is_shown_for_a_date_known_to_the_month(d):
    text = format_partial(d, DatePrecision.MONTH)
    assert "日" not in text and text.endswith(f"{d.month}月")


def test_nothing_stays_nothing():
    assert normalized(None, DatePrecision.MONTH) is None


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("2019.5", (date(2019, 5, 1), DatePrecision.MONTH)),
        ("2019.5.", (date(2019, 5, 1), DatePrecision.MONTH)),
        ("２０１９／５", (date(2019, 5, 1), DatePrecision.MONTH)),
        ("R1.5", (date(2019, 5, 1), DatePrecision.MONTH)),
        ("平成31年4月", (date(2019, 4, 1), DatePrecision.MONTH)),
        ("令和元年度", (date(2019, 4, 1), DatePrecision.FISCAL_YEAR)),
        ("平成31年度", (date(2019, 4, 1), DatePrecision.FISCAL_YEAR)),
        ("2019年度", (date(2019, 4, 1), DatePrecision.FISCAL_YEAR)),
        ("2019/5/6", None),
        ("2019.13", None),
        ("5月", None),
    ],
)
def test_a_month_or_a_year_is_read_as_sources_write_it(text, result):
    assert parse_partial(text) == result


@pytest.mark.parametrize("text", ["令和元年4月", "平成32年度", "昭和65年1月"])
def test_a_month_or_year_the_era_does_not_have_is_refused(text):
    with pytest.raises(ValidationError, match="という年月はありません"):
        parse_partial(text)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from([DatePrecision.MONTH, DatePrecision.FISCAL_YEAR]),
    st.booleans(),
)
def test_what_the_site_writes_reads_back(d, precision, western):
    assert parse_partial(format_partial(d, precision, western=western)) == (
        normalized(d, precision),
        precision,
    )


def test_the_less_precise_wins():
    assert coarser(DatePrecision.DAY, DatePrecision.MONTH) == DatePrecision.MONTH
    assert coarser(DatePrecision.FISCAL_YEAR, DatePrecision.MONTH) == DatePrecision.FISCAL_YEAR
