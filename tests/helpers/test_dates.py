from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.dates import (
    era_year_label,
    format_date,
    format_date_range,
    format_datetime,
    format_period,
    format_time,
    local_date,
    wareki,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args):
    return datetime(*args, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2019, 5, 1), ("令和", 1)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(1989, 1, 8), ("平成", 1)),
        (date(1989, 1, 7), ("昭和", 64)),
        (date(1926, 12, 25), ("昭和", 1)),
        (date(1912, 7, 30), ("大正", 1)),
        (date(1868, 1, 25), ("明治", 1)),
        (date(2024, 12, 7), ("令和", 6)),
    ],
)
def test_wareki(d, expected):
    assert wareki(d) == expected


def test_wareki_before_meiji_is_an_error():
    with pytest.raises(ValueError, match="明治より前"):
        wareki(date(1868, 1, 24))


def test_era_year_label_writes_the_first_year_as_gan():
    assert era_year_label("令和", 1) == "令和元年"
    assert era_year_label("令和", 6) == "令和6年"


def test_format_date():
    d = date(2024, 12, 7)
    assert format_date(d) == "令和6年12月7日(土)"
    assert format_date(d, western=True) == "2024年12月7日(土)"
    assert format_date(d, weekday=False) == "令和6年12月7日"


def test_format_date_across_the_change_of_era():
    assert format_date(date(2019, 4, 30)) == "平成31年4月30日(火)"
    assert format_date(date(2019, 5, 1)) == "令和元年5月1日(水)"


def test_format_date_of_an_aware_datetime_uses_japan_time():
    # 15:30 UTC on 6 December is already 7 December in Japan.
    assert format_date(datetime(2024, 12, 6, 15, 30, tzinfo=UTC)) == "令和6年12月7日(土)"
    assert local_date(datetime(2024, 12, 6, 15, 30, tzinfo=UTC)) == date(2024, 12, 7)


@given(st.dates(min_value=date(2019, 5, 1), max_value=date(2200, 12, 31)))
def test_format_date_in_reiwa_starts_with_reiwa(d):
    assert format_date(d).startswith("令和")


@given(st.dates(min_value=date(1868, 1, 25), max_value=date(2200, 12, 31)))
def test_format_date_ends_with_month_day_and_weekday(d):
    text = format_date(d)
    assert text.endswith(f"{d.month}月{d.day}日({'月火水木金土日'[d.weekday()]})")
    assert format_date(d, western=True).startswith(f"{d.year}年")


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (time(10, 0), "10:00"),
        (time(9, 30), "9:30"),
        (time(0, 5), "0:05"),
        (tokyo(2024, 12, 7, 13, 0), "13:00"),
        (datetime(2024, 12, 7, 1, 0, tzinfo=UTC), "10:00"),
    ],
)
def test_format_time(t, expected):
    assert format_time(t) == expected


def test_format_datetime():
    assert format_datetime(tokyo(2024, 12, 7, 10, 0)) == "令和6年12月7日(土) 10:00"
    assert format_datetime(tokyo(2024, 12, 7, 10, 0), western=True) == "2024年12月7日(土) 10:00"
    assert format_datetime(datetime(2024, 12, 7, 1, 0, tzinfo=UTC)) == "令和6年12月7日(土) 10:00"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (tokyo(2024, 12, 7, 10), tokyo(2024, 12, 7, 12), "令和6年12月7日(土) 10:00〜12:00"),
        (tokyo(2024, 12, 7, 10), None, "令和6年12月7日(土) 10:00"),
        (
            tokyo(2024, 12, 7, 10),
            tokyo(2024, 12, 8, 12),
            "令和6年12月7日(土) 10:00〜12月8日(日) 12:00",
        ),
        (
            tokyo(2024, 12, 31, 22),
            tokyo(2025, 1, 1, 2),
            "令和6年12月31日(火) 22:00〜令和7年1月1日(水) 2:00",
        ),
        (
            # Same Western year, but the era year changes at midnight.
            tokyo(2019, 4, 30, 22),
            tokyo(2019, 5, 1, 1),
            "平成31年4月30日(火) 22:00〜令和元年5月1日(水) 1:00",
        ),
    ],
)
def test_format_period(start, end, expected):
    assert format_period(start, end) == expected


def test_format_period_western():
    assert (
        format_period(tokyo(2024, 12, 31, 22), tokyo(2025, 1, 1, 2), western=True)
        == "2024年12月31日(火) 22:00〜2025年1月1日(水) 2:00"
    )
    assert (
        format_period(tokyo(2024, 12, 7, 10), tokyo(2024, 12, 8, 12), western=True)
        == "2024年12月7日(土) 10:00〜12月8日(日) 12:00"
    )


def test_format_period_compares_days_in_japan_time():
    # 01:00 and 03:00 UTC are both 7 December in Japan; 15:00 UTC is already the 8th there.
    start = datetime(2024, 12, 7, 1, 0, tzinfo=UTC)
    assert format_period(start, datetime(2024, 12, 7, 3, tzinfo=UTC)) == (
        "令和6年12月7日(土) 10:00〜12:00"
    )
    assert format_period(start, datetime(2024, 12, 7, 15, tzinfo=UTC)) == (
        "令和6年12月7日(土) 10:00〜12月8日(日) 0:00"
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 12, 7), date(2024, 12, 7), "令和6年12月7日(土)"),
        (date(2024, 12, 7), date(2024, 12, 9), "令和6年12月7日(土)〜9日(月)"),
        (date(2024, 11, 30), date(2024, 12, 2), "令和6年11月30日(土)〜12月2日(月)"),
        (date(2024, 12, 28), date(2025, 1, 5), "令和6年12月28日(土)〜令和7年1月5日(日)"),
        (date(2019, 4, 29), date(2019, 5, 2), "平成31年4月29日(月)〜令和元年5月2日(木)"),
    ],
)
def test_format_date_range(start, end, expected):
    assert format_date_range(start, end) == expected


def test_format_date_range_western():
    assert (
        format_date_range(date(2024, 12, 28), date(2025, 1, 5), western=True)
        == "2024年12月28日(土)〜2025年1月5日(日)"
    )
    assert (
        format_date_range(date(2024, 12, 7), date(2024, 12, 9), western=True)
        == "2024年12月7日(土)〜9日(月)"
    )
