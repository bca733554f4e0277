"""The meeting rules as dates: shakyo_portal.core.recurrence and Council.expected_dates.

The property tests compare the rule's dates with a brute-force walk over every
day, so a month skipped at a year's end (December→January) or a 年度's
(March→April), a fifth weekday that does not exist, or a date before the start
would all show as a difference.
"""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councils.models import ClosedDays, Council, Layer, MeetingRule
from shakyo_portal.core.fiscal import fiscal_year
from shakyo_portal.core.recurrence import last_weekday, monthly_dates, nth_weekday

HORIZON = 24

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31))
weekdays = st.integers(min_value=0, max_value=6)
weeks = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
month_sets = st.frozensets(st.integers(min_value=1, max_value=12), max_size=12)
counts = st.integers(min_value=1, max_value=15)


def add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def matches(day, *, weekday, week, months):
    """Does `day` fit the rule? Written from the rule's words, not from the code."""
    if day.weekday() != weekday or (months and day.month not in months):
        return False
    if week is None:  # 月末の…曜日: a week later is next month
        return (day + datetime.timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == week


def brute_force(*, weekday, week, start, count, months):
    end = add_months(start, HORIZON)
    found, day = [], start
    while day < end and len(found) < count:
        if matches(day, weekday=weekday, week=week, months=months):
            found.append(day)
        day += datetime.timedelta(days=1)
    return found


@given(start=days, weekday=weekdays, week=weeks, months=month_sets, count=counts)
def test_monthly_dates_are_exactly_the_days_that_fit_the_rule(start, weekday, week, months, count):
    dates = monthly_dates(weekday=weekday, week=week, start=start, count=count, months=months)
    assert dates == brute_force(weekday=weekday, week=week, start=start, count=count, months=months)


@given(start=days, weekday=weekdays, week=weeks, months=month_sets, count=counts)
def test_every_date_is_the_right_day_in_order(start, weekday, week, months, count):
    dates = monthly_dates(weekday=weekday, week=week, start=start, count=count, months=months)
    assert len(dates) <= count
    assert all(day >= start for day in dates)
    assert all(a < b for a, b in itertools.pairwise(dates))
    for day in dates:
        assert day.weekday() == weekday
        assert not months or day.month in months
        if week is None:
            assert (day + datetime.timedelta(days=7)).month != day.month
        else:
            assert 7 * (week - 1) < day.day <= 7 * week
    # At most one date a month.
    assert len({(d.year, d.month) for d in dates}) == len(dates)


@given(start=days, weekday=weekdays, week=st.one_of(st.none(), st.integers(1, 4)), count=counts)
def test_a_rule_every_month_has_gives_every_date_asked_for(start, weekday, week, count):
    """Every month has a first to fourth and a last of each weekday."""
    dates = monthly_dates(weekday=weekday, week=week, start=start, count=count)
    assert len(dates) == count


@given(
    year=st.integers(2000, 2090),
    month=st.sampled_from([12, 3]),
    day=st.integers(1, 31),
    weekday=weekdays,
    week=st.one_of(st.none(), st.integers(1, 4)),
)
def test_crossing_the_year_and_the_fiscal_year_skips_no_month(year, month, day, weekday, week):
    """From any day of December or March the next three dates fall in three
    months in a row: January follows December, April follows March."""
    start = datetime.date(year, month, day)
    dates = monthly_dates(weekday=weekday, week=week, start=start, count=3)
    firsts = [d.replace(day=1) for d in dates]
    assert firsts[0] in (start.replace(day=1), add_months(start, 1))
    assert firsts[1] == add_months(firsts[0], 1) and firsts[2] == add_months(firsts[1], 1)
    if month == 3:
        # The dates run from 年度 `year - 1` into 年度 `year`.
        assert fiscal_year(dates[-1]) == year == fiscal_year(start) + 1
    else:
        assert dates[-1].year == year + 1


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2026, 12, 1, 3, datetime.date(2026, 12, 15)),  # 第3火曜日
        (2027, 1, 4, 1, datetime.date(2027, 1, 1)),  # 元日 is a first Friday
        (2026, 9, 1, 5, datetime.date(2026, 9, 29)),
        (2026, 11, 1, 5, None),  # November 2026 has four Tuesdays
        (2024, 2, 3, 5, datetime.date(2024, 2, 29)),  # leap day
    ],
)
def test_nth_weekday_examples(year, month, weekday, week, expected):
    assert nth_weekday(year, month, weekday, week) == expected


@pytest.mark.parametrize(
    ("year", "month", "weekday", "expected"),
    [
        (2026, 11, 0, datetime.date(2026, 11, 30)),  # 月末の月曜日 on the last day
        (2027, 3, 0, datetime.date(2027, 3, 29)),  # the 年度's last one
        (2027, 2, 0, datetime.date(2027, 2, 22)),
        (2028, 2, 1, datetime.date(2028, 2, 29)),
    ],
)
def test_last_weekday_examples(year, month, weekday, expected):
    assert last_weekday(year, month, weekday) == expected


def council(**fields):
    """A council as staff would enter it (not saved: the rule needs no database)."""
    base = {
        "name": "テスト",
        "layer": Layer.CITY,
        "meeting_rule": MeetingRule.NTH_WEEKDAY,
        "meeting_week": 3,
        "meeting_weekday": 1,
        "meeting_months": "",
        # The bare rule: which days it skips for 祝日 and 年末年始 is tested in
        # test_closed_days.py.
        "meeting_on_closed_days": ClosedDays.HOLD,
    }
    return Council(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "start", "expected"),
    [
        # 原則第3火曜日 from mid-December: past the 15th, on into the new year.
        (
            {},
            datetime.date(2026, 12, 16),
            [datetime.date(2027, 1, 19), datetime.date(2027, 2, 16), datetime.date(2027, 3, 16)],
        ),
        # On the day itself, that day counts.
        (
            {},
            datetime.date(2026, 12, 15),
            [datetime.date(2026, 12, 15), datetime.date(2027, 1, 19), datetime.date(2027, 2, 16)],
        ),
        # 月末の月曜日 across the 年度's end.
        (
            {"meeting_rule": MeetingRule.LAST_WEEKDAY, "meeting_week": None, "meeting_weekday": 0},
            datetime.date(2027, 3, 2),
            [datetime.date(2027, 3, 29), datetime.date(2027, 4, 26), datetime.date(2027, 5, 31)],
        ),
        # 奇数月の第1金曜日: no even month, January after November.
        (
            {"meeting_week": 1, "meeting_weekday": 4, "meeting_months": "5,7,9,11,1,3"},
            datetime.date(2026, 11, 7),
            [datetime.date(2027, 1, 1), datetime.date(2027, 3, 5), datetime.date(2027, 5, 7)],
        ),
        # A fifth Wednesday only in some listed months: fewer dates, never a loop.
        (
            {"meeting_week": 5, "meeting_weekday": 2, "meeting_months": "2"},
            datetime.date(2026, 1, 1),
            [],
        ),
    ],
)
def test_expected_dates_across_month_ends_and_fiscal_years(fields, start, expected):
    assert council(**fields).expected_dates(start=start, count=3) == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"meeting_rule": MeetingRule.IRREGULAR},
        {"meeting_weekday": None},
        {"meeting_months": "13"},  # a bad value never breaks a page
    ],
)
def test_irregular_or_incomplete_rules_give_no_dates(fields):
    assert council(**fields).expected_dates(start=datetime.date(2026, 11, 22)) == []


@given(
    start=days,
    weekday=weekdays,
    week=weeks,
    months=month_sets,
    count=counts,
)
def test_expected_dates_follow_the_shared_rule(start, weekday, week, months, count):
    rule = MeetingRule.LAST_WEEKDAY if week is None else MeetingRule.NTH_WEEKDAY
    text = ",".join(str(m) for m in sorted(months))
    dates = council(
        meeting_rule=rule, meeting_week=week, meeting_weekday=weekday, meeting_months=text
    ).expected_dates(start=start, count=count)
    assert dates == brute_force(weekday=weekday, week=week, start=start, count=count, months=months)
