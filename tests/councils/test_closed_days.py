"""A council's rule-based 予定（目安） and the days its office is closed for a 祝日
or 年末年始: left out, marked, or kept, as staff chose for the council; the home
page lists the same next dates as /councils/."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from councils.models import ClosedDays, Council, Layer, MeetingRule
from shakyo_portal.core.dates import format_date
from shakyo_portal.core.office_hours import holiday_or_year_end
from tests.factories import CouncilFactory, MeetingFactory, OfficeFactory

# 第4月曜日 from 1 November 2026: 11/23 勤労感謝の日, 12/28, 2027-01-25, 2/22,
# 3/22 (振替休日: 春分の日 falls on Sunday 21st), 4/26.
START = datetime.date(2026, 11, 1)


def fourth_monday(on_closed_days, office=None):
    return Council(
        name="テスト",
        layer=Layer.CITY,
        meeting_rule=MeetingRule.NTH_WEEKDAY,
        meeting_week=4,
        meeting_weekday=0,
        meeting_months="",
        meeting_on_closed_days=on_closed_days,
        office=office,
    )


def test_a_new_council_leaves_out_holidays_and_the_year_end():
    assert Council().meeting_on_closed_days == ClosedDays.SKIP
    days = fourth_monday(ClosedDays.SKIP).expected_days(start=START, count=4)
    assert days == [
        (datetime.date(2026, 12, 28), ""),
        (datetime.date(2027, 1, 25), ""),
        (datetime.date(2027, 2, 22), ""),
        (datetime.date(2027, 4, 26), ""),
    ]


@pytest.mark.django_db
def test_the_year_end_is_the_councils_office_own():
    office = OfficeFactory(
        year_end_start_month=12, year_end_start_day=28, year_end_end_month=1, year_end_end_day=4
    )
    days = fourth_monday(ClosedDays.SKIP, office).expected_dates(start=START, count=3)
    assert days == [
        datetime.date(2027, 1, 25),
        datetime.date(2027, 2, 22),
        datetime.date(2027, 4, 26),
    ]


@pytest.mark.django_db
def test_an_office_without_a_year_end_closure_closes_only_for_holidays():
    office = OfficeFactory(
        year_end_start_month=None,
        year_end_start_day=None,
        year_end_end_month=None,
        year_end_end_day=None,
    )
    first = datetime.date(2026, 12, 31)
    council = Council(
        name="テスト",
        layer=Layer.CITY,
        meeting_rule=MeetingRule.NTH_WEEKDAY,
        meeting_week=5,
        meeting_weekday=3,  # 第5木曜日: 2026-12-31
        office=office,
    )
    assert council.expected_dates(start=first, count=1) == [first]
    council.office = None  # the standard 12月29日〜1月3日 closes it
    assert council.expected_dates(start=first, count=1) != [first]


def test_marked_days_stay_with_what_they_fall_on():
    days = fourth_monday(ClosedDays.MARK).expected_days(start=START, count=5)
    assert days == [
        (datetime.date(2026, 11, 23), "祝日（勤労感謝の日）"),
        (datetime.date(2026, 12, 28), ""),
        (datetime.date(2027, 1, 25), ""),
        (datetime.date(2027, 2, 22), ""),
        (datetime.date(2027, 3, 22), "祝日（振替休日）"),
    ]


def test_a_council_that_meets_on_holidays_keeps_them_unmarked():
    days = fourth_monday(ClosedDays.HOLD).expected_days(start=START, count=2)
    assert days == [(datetime.date(2026, 11, 23), ""), (datetime.date(2026, 12, 28), "")]


@given(
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)),
    weekday=st.integers(min_value=0, max_value=6),
    week=st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    count=st.integers(min_value=1, max_value=8),
)
def test_skipped_days_are_exactly_the_closed_ones(start, weekday, week, count):
    rule = MeetingRule.LAST_WEEKDAY if week is None else MeetingRule.NTH_WEEKDAY
    fields = {"meeting_rule": rule, "meeting_week": week, "meeting_weekday": weekday}
    every = Council(meeting_on_closed_days=ClosedDays.HOLD, **fields).expected_dates(
        start=start, count=count + 12
    )
    skipped = Council(meeting_on_closed_days=ClosedDays.SKIP, **fields).expected_dates(
        start=start, count=count
    )
    assert skipped == [day for day in every if holiday_or_year_end(day) is None][:count]
    marked = Council(meeting_on_closed_days=ClosedDays.MARK, **fields).expected_days(
        start=start, count=count
    )
    assert [day for day, _ in marked] == every[:count]
    assert all(bool(mark) == (holiday_or_year_end(day) is not None) for day, mark in marked)


# --- the pages --------------------------------------------------------------------
# 第2月曜日 of January is always 成人の日, whatever today is.
COMING_OF_AGE_DAY = {
    "layer": Layer.CITY,
    "life_area": None,
    "meeting_week": 2,
    "meeting_weekday": 0,
    "meeting_months": "1",
}


@pytest.mark.django_db
def test_the_council_page_marks_a_holiday_when_asked(resident):
    council = CouncilFactory(meeting_on_closed_days=ClosedDays.MARK, **COMING_OF_AGE_DAY)
    html = resident.get(council.get_absolute_url()).content.decode()
    assert (
        '予定（目安）</span> <span class="council-closure">'
        "祝日（成人の日）のため、日程が変わることがあります"
    ) in html
    listing = resident.get("/councils/").content.decode()
    assert "祝日（成人の日）のため、日程が変わることがあります" in listing


@pytest.mark.django_db
def test_a_council_that_skips_holidays_shows_no_date_on_one(resident):
    council = CouncilFactory(meeting_on_closed_days=ClosedDays.SKIP, **COMING_OF_AGE_DAY)
    html = resident.get(council.get_absolute_url()).content.decode()
    assert "予定（目安）" not in html and "成人の日" not in html
    assert "次回の日程は決まっていません。" in html


@pytest.mark.django_db
def test_the_home_page_lists_each_councils_next_date_soonest_first(resident):
    today = timezone.localdate()
    registered = CouncilFactory(name="登録した協議体", meeting_rule=MeetingRule.IRREGULAR)
    MeetingFactory(council=registered, held_on=today + datetime.timedelta(days=40), number=3)
    ruled = CouncilFactory(name="決まりの協議体", meeting_on_closed_days=ClosedDays.HOLD)
    CouncilFactory(name="不定期の協議体", meeting_rule=MeetingRule.IRREGULAR)
    expected = ruled.expected_dates(start=today, count=1)[0]

    html = resident.get("/").content.decode()
    section = html[html.index('id="coming-meetings-heading"') :]
    section = section[: section.index("</section>")]
    assert "予定している協議体の会議はありません。" not in section
    # A rule's next date is at most five weeks away; the registered one is later.
    assert section.index("決まりの協議体") < section.index("登録した協議体")
    assert "第3回" in section
    assert "予定（目安）" in section
    assert format_date(expected) in section
    assert "不定期の協議体" not in section
    # The same next date as /councils/ gives for that council.
    assert format_date(expected) in resident.get("/councils/").content.decode()
