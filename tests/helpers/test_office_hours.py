from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.office_hours import closed_reason, is_closed_day, is_open_at, next_open_day

TOKYO = ZoneInfo("Asia/Tokyo")
OPENS, CLOSES = time(8, 30), time(17, 15)


@pytest.mark.parametrize(
    ("d", "reason"),
    [
        (date(2024, 12, 9), None),  # a Monday
        (date(2024, 12, 7), "土曜日"),
        (date(2024, 12, 8), "日曜日"),
        (date(2025, 5, 5), "こどもの日"),
        (date(2025, 5, 6), "振替休日"),  # みどりの日 (4 May) fell on a Sunday
        (date(2026, 9, 21), "敬老の日"),
        (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 and 秋分の日
        (date(2026, 9, 23), "秋分の日"),
        (date(2026, 11, 3), "文化の日"),
        # 年末年始 comes before the holiday (元日) and the weekday names.
        (date(2027, 1, 1), "年末年始"),
        (date(2026, 12, 27), "日曜日"),
        (date(2026, 12, 28), None),
    ],
)
def test_closed_reason(d, reason):
    assert closed_reason(d) == reason
    assert is_closed_day(d) is (reason is not None)


def test_year_end_holidays_run_from_29_december_to_3_january():
    first = date(2026, 12, 29)
    for offset in range(6):
        assert closed_reason(first + timedelta(days=offset)) == "年末年始"
    assert not is_closed_day(date(2027, 1, 4))
    assert next_open_day(first) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("d", "open_day"),
    [
        (date(2024, 12, 9), date(2024, 12, 9)),  # already a working day
        (date(2024, 12, 7), date(2024, 12, 9)),
        (date(2025, 5, 3), date(2025, 5, 7)),  # ゴールデンウィーク
        (date(2026, 9, 19), date(2026, 9, 24)),  # シルバーウィーク
    ],
)
def test_next_open_day(d, open_day):
    assert next_open_day(d) == open_day


def test_is_open_at_uses_japan_time():
    assert is_open_at(datetime(2024, 12, 9, 8, 30, tzinfo=TOKYO), OPENS, CLOSES)
    assert is_open_at(datetime(2024, 12, 9, 17, 14, tzinfo=TOKYO), OPENS, CLOSES)
    assert not is_open_at(datetime(2024, 12, 9, 8, 29, tzinfo=TOKYO), OPENS, CLOSES)
    assert not is_open_at(datetime(2024, 12, 9, 17, 15, tzinfo=TOKYO), OPENS, CLOSES)
    # 00:00 UTC on Monday is 09:00 in Japan.
    assert is_open_at(datetime(2024, 12, 9, 0, 0, tzinfo=UTC), OPENS, CLOSES)
    # 23:30 UTC on Sunday is 08:30 on Monday in Japan.
    assert is_open_at(datetime(2024, 12, 8, 23, 30, tzinfo=UTC), OPENS, CLOSES)


def test_is_open_at_is_false_all_day_on_a_holiday():
    assert not is_open_at(datetime(2025, 5, 6, 10, 0, tzinfo=TOKYO), OPENS, CLOSES)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.times(),
)
def test_is_open_at_is_false_on_every_closed_day(d, t):
    moment = datetime.combine(d, t, tzinfo=TOKYO)
    if is_closed_day(d):
        assert not is_open_at(moment, time(0, 0), time(23, 59, 59, 999999))
    else:
        assert is_open_at(moment, OPENS, CLOSES) is (OPENS <= t < CLOSES)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_next_open_day_is_open_and_nothing_before_it_is(d):
    open_day = next_open_day(d)
    assert not is_closed_day(open_day)
    # The longest run of closed days is the year end with weekends: under two weeks.
    assert (open_day - d).days < 14
    day = d
    while day < open_day:
        assert is_closed_day(day)
        day += timedelta(days=1)
