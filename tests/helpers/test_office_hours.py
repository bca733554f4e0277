"""The hours rule (shakyo_portal/core/office_hours.py), over any date and moment.

Timetables a council may publish: the standard 月〜金 with 祝日 and 12/29〜1/3
closed; a lunch break with a Saturday morning, its own 年末年始 (12/28〜1/4),
an extra closed day and a special open Saturday; and hours not published.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.dates import format_date, format_time
from shakyo_portal.core.office_hours import (
    STANDARD_YEAR_END,
    OfficeHours,
    Period,
    SpecialDay,
    YearEnd,
    holiday_name,
    holiday_or_year_end,
    overlapping_weekdays,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def weekdays(opens, closes, days=range(5)):
    return [Period(day, opens, closes) for day in days]


STANDARD = OfficeHours(weekdays(time(8, 30), time(17, 15)))

TYPHOON = date(2026, 9, 15)  # a Tuesday
OPEN_SATURDAY = date(2026, 11, 28)  # 土曜開所日, longer than the usual Saturday
OPEN_NEW_YEAR = date(2027, 1, 2)  # inside the 年末年始, opened all the same
LUNCH_BREAK = OfficeHours(
    [
        *weekdays(time(8, 30), time(12, 0)),
        *weekdays(time(13, 0), time(17, 15)),
        Period(5, time(8, 30), time(12, 0)),
    ],
    year_end=YearEnd(12, 28, 1, 4),
    special_days=[
        SpecialDay(TYPHOON, is_open=False, label="台風のため臨時休業"),
        SpecialDay(OPEN_SATURDAY, is_open=True, label="土曜開所日", opens=time(9), closes=time(16)),
        SpecialDay(OPEN_NEW_YEAR, is_open=True, label="年始の相談会"),
    ],
)
UNPUBLISHED = OfficeHours(weekdays(time(8, 30), time(17, 15)), published=False)

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
# Hypothesis takes naive bounds and puts each moment in the given zone.
moments = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(TOKYO),
)


# --- one day -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "reason"),
    [
        (date(2024, 12, 9), None),  # a Monday
        (date(2024, 12, 7), "土曜日"),
        (date(2024, 12, 8), "日曜日"),
        (date(2025, 5, 5), "こどもの日"),
        (date(2025, 5, 6), "振替休日"),  # みどりの日 (4 May) fell on a Sunday
        (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 and 秋分の日
        # 年末年始 comes before the holiday (元日) and the weekday names.
        (date(2027, 1, 1), "年末年始"),
        (date(2026, 12, 27), "日曜日"),
        (date(2026, 12, 28), None),
        (date(2027, 1, 4), None),
    ],
)
def test_standard_closed_reason(d, reason):
    assert STANDARD.closed_reason(d) == reason


@pytest.mark.parametrize(
    ("d", "reason", "periods"),
    [
        (date(2026, 11, 24), None, ((time(8, 30), time(12)), (time(13), time(17, 15)))),
        (date(2026, 11, 21), None, ((time(8, 30), time(12)),)),  # Saturday morning
        (date(2026, 11, 22), "日曜日", ()),
        (date(2026, 11, 23), "勤労感謝の日", ()),
        (TYPHOON, "台風のため臨時休業", ()),
        (OPEN_SATURDAY, None, ((time(9), time(16)),)),
        (date(2026, 12, 28), "年末年始", ()),  # the office's own closure, not 12/29
        (date(2027, 1, 4), "年末年始", ()),
        # Open inside the 年末年始 with no times of its own: a Saturday's usual morning.
        (OPEN_NEW_YEAR, None, ((time(8, 30), time(12)),)),
        (date(2027, 1, 5), None, ((time(8, 30), time(12)), (time(13), time(17, 15)))),
    ],
)
def test_lunch_break_day(d, reason, periods):
    assert LUNCH_BREAK.closed_reason(d) == reason
    assert LUNCH_BREAK.periods_on(d) == periods


@given(dates)
def test_a_day_has_periods_exactly_when_it_has_no_closed_reason(d):
    for hours in (STANDARD, LUNCH_BREAK):
        assert bool(hours.periods_on(d)) is (hours.closed_reason(d) is None)


@given(dates)
def test_special_days_override_and_the_rest_follows_the_week(d):
    reason = LUNCH_BREAK.closed_reason(d)
    if d == TYPHOON:
        assert reason == "台風のため臨時休業"
    elif d in (OPEN_SATURDAY, OPEN_NEW_YEAR):
        assert reason is None
    elif (d.month, d.day) >= (12, 28) or (d.month, d.day) <= (1, 4):
        assert reason == "年末年始"
    elif holiday_name(d):
        assert reason == holiday_name(d)
    elif d.weekday() == 6:
        assert reason == "日曜日"
    else:
        assert LUNCH_BREAK.periods_on(d) == LUNCH_BREAK.week[d.weekday()]


@given(dates)
def test_an_office_open_on_holidays_closes_only_for_the_year_end(d):
    hours = OfficeHours(weekdays(time(9), time(17), range(7)), closes_on_holidays=False)
    assert hours.closed_reason(d) == ("年末年始" if d in STANDARD_YEAR_END else None)


@given(dates)
def test_no_year_end_closure(d):
    hours = OfficeHours(weekdays(time(9), time(17), range(7)), year_end=None)
    assert hours.closed_reason(d) == holiday_name(d)


# --- a moment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO), "ただいま受付中です"),
        (datetime(2026, 11, 24, 12, 30, tzinfo=TOKYO), "本日は13:00から受付します"),
        (datetime(2026, 11, 24, 8, 0, tzinfo=TOKYO), "本日は8:30から受付します"),
        (
            datetime(2026, 11, 21, 12, 0, tzinfo=TOKYO),
            "本日の受付は終了しました。次の受付は令和8年11月24日(火) 8:30からです",
        ),
        (
            datetime(2026, 11, 22, 10, 0, tzinfo=TOKYO),
            "本日は休業日です（日曜日）。次の受付は令和8年11月24日(火) 8:30からです",
        ),
        (
            datetime(2026, 9, 15, 9, 0, tzinfo=TOKYO),
            "本日は休業日です（台風のため臨時休業）。次の受付は令和8年9月16日(水) 8:30からです",
        ),
        (
            datetime(2026, 11, 27, 18, 0, tzinfo=TOKYO),
            "本日の受付は終了しました。次の受付は令和8年11月28日(土) 9:00からです",
        ),
        (
            datetime(2026, 12, 28, 10, 0, tzinfo=TOKYO),
            "本日は休業日です（年末年始）。次の受付は令和9年1月2日(土) 8:30からです",
        ),
        # 01:00 UTC is 10:00 in Tokyo.
        (datetime(2026, 11, 24, 1, 0, tzinfo=UTC), "ただいま受付中です"),
    ],
)
def test_lunch_break_status(moment, label):
    assert LUNCH_BREAK.status_at(moment).label == label


@given(moments)
def test_open_exactly_inside_a_period(moment):
    for hours in (STANDARD, LUNCH_BREAK):
        status = hours.status_at(moment)
        inside = any(o <= moment.time() < c for o, c in hours.periods_on(moment.date()))
        assert status.is_open is inside
        assert (status.label == "ただいま受付中です") is inside


@given(moments)
def test_next_opening_is_the_first_start_after_the_moment(moment):
    for hours in (STANDARD, LUNCH_BREAK):
        upcoming = hours.next_opening(moment)
        assert upcoming > moment
        assert upcoming.time() in {opens for opens, _ in hours.periods_on(upcoming.date())}
        assert hours.status_at(upcoming).is_open
        # No period starts in between.
        d = moment.date()
        while d <= upcoming.date():
            for opens, _ in hours.periods_on(d):
                start = datetime.combine(d, opens, tzinfo=TOKYO)
                assert not moment < start < upcoming
            d += timedelta(days=1)


@given(moments)
def test_a_closed_status_names_the_next_opening_when_it_is_not_today(moment):
    status = LUNCH_BREAK.status_at(moment)
    upcoming = LUNCH_BREAK.next_opening(moment)
    if status.is_open or upcoming.date() == moment.date():
        assert "次の受付" not in status.label
    else:
        assert status.label.endswith(
            f"次の受付は{format_date(upcoming)} {format_time(upcoming)}からです"
        )


@given(moments)
def test_unpublished_hours_claim_nothing(moment):
    assert UNPUBLISHED.status_at(moment) is None
    assert UNPUBLISHED.next_opening(moment) is None
    assert UNPUBLISHED.label == ""


def test_an_office_never_open_names_no_next_opening():
    hours = OfficeHours([])
    moment = datetime(2026, 11, 24, 10, 0, tzinfo=TOKYO)
    assert hours.next_opening(moment) is None
    assert hours.status_at(moment).label == "本日は休業日です（火曜日）。"
    assert hours.label == ""


# --- the week's line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "label"),
    [
        (STANDARD, "月〜金 8:30〜17:15（土・日・祝日、12月29日〜1月3日を除く）"),
        (
            LUNCH_BREAK,
            "月〜金 8:30〜12:00、13:00〜17:15／土 8:30〜12:00（日・祝日、12月28日〜1月4日を除く）",
        ),
        (
            OfficeHours(weekdays(time(9), time(12), (0, 2, 4)), closes_on_holidays=False),
            "月・水・金 9:00〜12:00（12月29日〜1月3日を除く）",
        ),
        (
            OfficeHours(
                weekdays(time(9), time(17), range(7)), closes_on_holidays=False, year_end=None
            ),
            "月〜日 9:00〜17:00",
        ),
        (
            OfficeHours(
                [*weekdays(time(9), time(17), (0, 1)), Period(3, time(10), time(15))],
                year_end=YearEnd(12, 31, 12, 31),
            ),
            "月・火 9:00〜17:00／木 10:00〜15:00（祝日、12月31日を除く）",
        ),
    ],
)
def test_hours_label(hours, label):
    assert hours.label == label


def test_upcoming_special_days_are_worded_for_the_contact_page():
    assert LUNCH_BREAK.upcoming_special_days(date(2026, 11, 1)) == [
        "令和8年11月28日(土) 9:00〜16:00に受付します（土曜開所日）",
        "令和9年1月2日(土) 8:30〜12:00に受付します（年始の相談会）",
    ]
    assert LUNCH_BREAK.upcoming_special_days(date(2026, 9, 1))[0] == (
        "令和8年9月15日(火) 休業します（台風のため臨時休業）"
    )


def test_overlapping_weekdays():
    assert overlapping_weekdays(weekdays(time(8, 30), time(12))) == []
    touching = [Period(0, time(8, 30), time(12)), Period(0, time(12), time(17))]
    assert overlapping_weekdays(touching) == []
    clash = [Period(2, time(13), time(17)), Period(2, time(8, 30), time(13, 30))]
    assert overlapping_weekdays([*touching, *clash]) == [2]


# --- the councils' date rule -------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "year_end", "answer"),
    [
        (date(2027, 1, 1), STANDARD_YEAR_END, "年末年始"),
        (date(2026, 12, 28), STANDARD_YEAR_END, None),
        (date(2026, 12, 28), YearEnd(12, 28, 1, 4), "年末年始"),
        (date(2027, 1, 1), None, "元日"),
        (date(2026, 11, 23), STANDARD_YEAR_END, "勤労感謝の日"),
        (date(2026, 11, 24), STANDARD_YEAR_END, None),
    ],
)
def test_holiday_or_year_end(d, year_end, answer):
    assert holiday_or_year_end(d, year_end) == answer


@given(dates)
def test_the_default_is_the_standard_closure(d):
    assert holiday_or_year_end(d) == ("年末年始" if d in STANDARD_YEAR_END else holiday_name(d))
