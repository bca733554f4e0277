"""A salon's coming dates: its regular schedule, less its 休み, with 中止 marked.

The properties compare coming_dates with a day-by-day count of the calendar,
so month ends, months without a 第5 weekday and the turn of the 年度 (March to
April) are checked against something that knows nothing of the rules' code.
"""

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salons.models import (
    ChangeKind,
    Salon,
    SalonScheduleChange,
    SalonStatus,
    coming_dates,
    next_date,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def salon(frequency="monthly", weeks="2", weekday=2, status=SalonStatus.ACTIVE, **kwargs):
    return Salon(
        frequency=frequency,
        weeks_of_month=weeks,
        weekday=weekday,
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
        status=status,
        **kwargs,
    )


def rest(first, last, every_year=False, reason=""):
    return SalonScheduleChange(
        kind=ChangeKind.BREAK, starts_on=first, ends_on=last, every_year=every_year, reason=reason
    )


def cancel(day, reason=""):
    return SalonScheduleChange(kind=ChangeKind.CANCELLED, starts_on=day, reason=reason)


def meets(day, frequency, weeks, weekday):
    """By counting: the weekday, and for a monthly rule which of its kind in the month it is."""
    if day.weekday() != weekday:
        return False
    if frequency == "weekly":
        return True
    nth = sum(1 for d in range(1, day.day + 1) if D(day.year, day.month, d).weekday() == weekday)
    return nth in weeks


def brute_force(today, frequency, weeks, weekday, count, breaks=(), cancelled=()):
    """(day, cancelled) by walking the calendar one day at a time."""
    found, held, day = [], 0, today
    while held < count and day < today + datetime.timedelta(days=400):
        if meets(day, frequency, weeks, weekday) and not any(
            first <= day <= last for first, last in breaks
        ):
            found.append((day, day in cancelled))
            held += day not in cancelled
        day += ONE_DAY
    return found


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))
weeks_sets = st.sets(st.integers(1, 5), min_size=1, max_size=5)


@settings(deadline=None, max_examples=300)
@given(
    today=days,
    frequency=st.sampled_from(["weekly", "monthly"]),
    weeks=weeks_sets,
    weekday=st.integers(0, 6),
    count=st.integers(1, 6),
)
def test_dates_follow_the_rule_from_today_on(today, frequency, weeks, weekday, count):
    s = salon(frequency, ",".join(map(str, sorted(weeks))), weekday)
    dates = coming_dates(s, [], today=today, count=count)
    assert [(d.on, d.cancelled) for d in dates] == brute_force(
        today, frequency, weeks, weekday, count
    )
    assert all(d.on >= today for d in dates)


@settings(deadline=None, max_examples=300)
@given(
    today=days,
    frequency=st.sampled_from(["weekly", "monthly"]),
    weeks=weeks_sets,
    weekday=st.integers(0, 6),
    spans=st.lists(
        st.tuples(st.integers(-30, 200), st.integers(0, 90)), max_size=3
    ),  # (days from today, length)
    cancel_offsets=st.lists(st.integers(0, 120), max_size=4),
    count=st.integers(1, 5),
)
def test_breaks_leave_dates_out_and_cancellations_stay_marked(
    today, frequency, weeks, weekday, spans, cancel_offsets, count
):
    s = salon(frequency, ",".join(map(str, sorted(weeks))), weekday)
    breaks = [
        (today + datetime.timedelta(days=start), today + datetime.timedelta(days=start + length))
        for start, length in spans
    ]
    cancelled = {today + datetime.timedelta(days=offset) for offset in cancel_offsets}
    changes = [rest(first, last) for first, last in breaks] + [cancel(day) for day in cancelled]
    dates = coming_dates(s, changes, today=today, count=count)
    assert [(d.on, d.cancelled) for d in dates] == brute_force(
        today, frequency, weeks, weekday, count, breaks, cancelled
    )
    # 中止 does not count: the dates held are as many as asked for (within the horizon).
    held = [d for d in dates if not d.cancelled]
    assert len(held) <= count
    assert next_date(dates) == (held[0] if held else None)


@settings(deadline=None, max_examples=200)
@given(
    today=days,
    weekday=st.integers(0, 6),
    month=st.integers(1, 12),
    first_day=st.integers(1, 28),
    length=st.integers(0, 60),
)
def test_a_yearly_break_rests_every_year(today, weekday, month, first_day, length):
    # Stored in a common year, so its month-days exist every year.
    first = D(2021, month, first_day)
    last = first + datetime.timedelta(days=length)
    s = salon("weekly", "", weekday)
    dates = coming_dates(s, [rest(first, last, every_year=True)], today=today, count=30)

    def in_break(day):
        """The same month-days, in the year the break began and the one before."""
        for year in (day.year - 1, day.year):
            start = D(year, first.month, first.day)
            end = D(year + (last.year - first.year), last.month, last.day)
            if start <= day <= end:
                return True
        return False

    assert dates
    assert not any(in_break(d.on) for d in dates)
    # Nothing but the break is left out: every weekday outside it is there.
    day = today
    while day <= dates[-1].on:
        if day.weekday() == weekday and not in_break(day):
            assert day in [d.on for d in dates], day
        day += ONE_DAY


def test_fifth_weeks_only_in_months_that_have_one():
    # 第5火曜日 from 30 Dec 2026: none in January or February 2027.
    dates = coming_dates(salon(weeks="5", weekday=1), [], today=D(2026, 12, 30), count=3)
    assert [d.on for d in dates] == [D(2027, 3, 30), D(2027, 6, 29), D(2027, 8, 31)]


def test_the_turn_of_the_fiscal_year():
    # 第1・第3水曜日 from 20 March 2027: the last of 令和8年度, then April.
    dates = coming_dates(salon(weeks="1,3", weekday=2), [], today=D(2027, 3, 17), count=3)
    assert [d.on for d in dates] == [D(2027, 3, 17), D(2027, 4, 7), D(2027, 4, 21)]


def test_a_break_over_the_new_year_every_year():
    weekly_monday = salon("weekly", "", 0)
    changes = [rest(D(2026, 12, 29), D(2027, 1, 3), every_year=True, reason="年末年始")]
    dates = coming_dates(weekly_monday, changes, today=D(2027, 12, 20), count=3)
    # 27 Dec 2027 is a Monday before the break, 3 Jan 2028 is in it.
    assert [d.on for d in dates] == [D(2027, 12, 20), D(2027, 12, 27), D(2028, 1, 10)]


def test_an_august_break():
    s = salon(weeks="1", weekday=3, schedule_note="8月はお休み")
    changes = [rest(D(2027, 8, 1), D(2027, 8, 31), every_year=True, reason="8月はお休み")]
    dates = coming_dates(s, changes, today=D(2027, 7, 10), count=2)
    assert [d.on for d in dates] == [D(2027, 9, 2), D(2027, 10, 7)]


def test_a_cancelled_date_is_shown_with_its_reason_and_does_not_count():
    s = salon(weeks="2", weekday=2)
    dates = coming_dates(s, [cancel(D(2026, 12, 9), "会場の都合")], today=D(2026, 12, 1), count=2)
    assert [(d.on, d.cancelled, d.reason) for d in dates] == [
        (D(2026, 12, 9), True, "会場の都合"),
        (D(2027, 1, 13), False, ""),
        (D(2027, 2, 10), False, ""),
    ]
    assert next_date(dates).on == D(2027, 1, 13)
    assert dates[1].label == "令和9年1月13日(水) 10:00〜12:00"


def test_not_before_today():
    s = salon(weeks="2", weekday=2)
    assert coming_dates(s, [], today=D(2026, 12, 10), count=1)[0].on == D(2027, 1, 13)
    assert coming_dates(s, [], today=D(2026, 12, 9), count=1)[0].on == D(2026, 12, 9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"frequency": "irregular"},
        {"weekday": None},
        {"weeks": ""},
        {"status": SalonStatus.PAUSED},
        {"status": SalonStatus.PREPARING},
        {"status": SalonStatus.CLOSED},
    ],
)
def test_nothing_is_invented(kwargs):
    assert coming_dates(salon(**kwargs), [], today=D(2026, 12, 1), count=3) == []


def test_a_month_of_dates():
    s = salon("weekly", "", 4)
    dates = coming_dates(s, [cancel(D(2026, 12, 18))], today=D(2026, 12, 5), until=D(2026, 12, 31))
    assert [(d.on.day, d.cancelled) for d in dates] == [
        (11, False),
        (18, True),
        (25, False),
    ]


# --- the pages ----------------------------------------------------------------------------

from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.factories import DistrictFactory, OfficeFactory, SalonFactory, SiteProfileFactory  # noqa: E402
from tests.salons.test_admin import salon_form  # noqa: E402


def upcoming_wednesdays(today, n):
    day, found = today, []
    while len(found) < n:
        if day.weekday() == 2:
            found.append(day)
        day += ONE_DAY
    return found


@pytest.fixture
def weekly(db):
    """A salon every Wednesday, its next date called off and the one after in a 休み."""
    SiteProfileFactory()
    district = DistrictFactory(name="清音", slug="kiyone", office=OfficeFactory())
    s = SalonFactory(name="水曜サロン", district=district, frequency="weekly", weekday=2)
    first, second, third, fourth = upcoming_wednesdays(timezone.localdate(), 4)
    SalonScheduleChange.objects.create(
        salon=s, kind=ChangeKind.CANCELLED, starts_on=first, reason="会場の点検のため"
    )
    SalonScheduleChange.objects.create(
        salon=s, kind=ChangeKind.BREAK, starts_on=second, ends_on=second, reason="お休み"
    )
    s.refresh_from_db()
    return s, (first, second, third, fourth)


def body(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_card_and_the_district_page_say_when_next(resident, weekly):
    from shakyo_portal.core.dates import format_date

    _, (first, second, third, _) = weekly
    for url in ["/salons/", "/districts/kiyone/"]:
        html = body(resident.get(url).content.decode())
        assert f"{format_date(third)} 10:00〜12:00" in html, url
        assert f"{format_date(first)}は中止" in html, url
        assert format_date(second) not in html, url
        assert "最終開催" not in html, url


def test_the_salon_page_lists_the_coming_dates_with_the_cancelled_one(resident, weekly):
    from shakyo_portal.core.dates import format_date

    s, (first, second, third, fourth) = weekly
    html = body(resident.get(s.get_absolute_url()).content.decode())
    assert f"<dt>次回</dt><dd>{format_date(third)} 10:00〜12:00</dd>" in html
    dates = html.split('class="salon-dates"', 1)[1].split("</ul>", 1)[0]
    assert f"<strong>中止</strong> {format_date(first)} 10:00〜12:00（会場の点検のため）" in dates
    assert format_date(second) not in dates
    assert format_date(fourth) in dates
    # The gap is explained.
    breaks = html.split('id="breaks-heading"', 1)[1].split("</ul>", 1)[0]
    assert f"<li>{format_date(second)}（お休み）</li>" in breaks
    assert f'href="/salons/{s.pk}/calendar.ics"' in html
    assert "最終開催" not in html


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"frequency": "irregular", "weekday": None}, "日程は社協の窓口へお問い合わせください"),
        ({"status": SalonStatus.PAUSED}, "休止中のため、開催の予定はありません"),
        ({"status": SalonStatus.PREPARING}, "始まる日は、まだ決まっていません"),
    ],
)
def test_no_dates_are_invented(resident, weekly, changes, says):
    s, _ = weekly
    Salon.objects.filter(pk=s.pk).update(**changes)
    html = body(resident.get(s.get_absolute_url()).content.decode())
    assert f"<dt>次回</dt><dd>{says}</dd>" in html
    assert 'class="salon-dates"' not in html
    assert "calendar.ics" not in html
    listing = body(resident.get("/salons/").content.decode())
    assert says in listing
    card = listing.split("水曜サロン", 1)[1].split("</li>", 1)[0]
    assert "令和" not in card and "中止" not in card


def test_the_page_passes_its_update_day_and_office(resident, weekly):
    s, _ = weekly
    response = resident.get(s.get_absolute_url())
    assert response.context["page_office"] == s.district.office
    assert response.context["page_updated"] >= s.updated_at


def test_recording_a_cancellation_updates_the_salon(weekly):
    s, (_, _, third, _) = weekly
    before = s.updated_at
    SalonScheduleChange.objects.create(salon=s, kind=ChangeKind.CANCELLED, starts_on=third)
    s.refresh_from_db()
    assert s.updated_at > before


# --- the admin ----------------------------------------------------------------------------


def test_staff_record_breaks_and_cancellations_on_the_salon_page(superuser, weekly):
    s, (_, _, third, fourth) = weekly
    url = reverse("admin:salons_salon_change", args=[s.pk])
    html = superuser.get(url).content.decode()
    assert "休み・中止" in html
    assert "最終開催日（実績報告から）" in html
    existing = list(s.schedule_changes.order_by("pk"))
    data = salon_form(
        s.district,
        html,
        name=s.name,
        reading="スイヨウサロン",
        frequency="weekly",
        weekday="2",
        starts_at="10:00",
        ends_at="12:00",
    )
    for i, change in enumerate(existing):
        data.update(
            {
                f"schedule_changes-{i}-id": change.pk,
                f"schedule_changes-{i}-salon": s.pk,
                f"schedule_changes-{i}-kind": change.kind,
                f"schedule_changes-{i}-starts_on": change.starts_on.isoformat(),
                f"schedule_changes-{i}-ends_on": change.ends_on.isoformat()
                if change.ends_on
                else "",
                f"schedule_changes-{i}-reason": change.reason,
            }
        )
    new = f"schedule_changes-{len(existing)}"
    # A 中止 on a day the salon does not meet is refused, in Japanese, keeping what was typed.
    thursday = (third + ONE_DAY).isoformat()
    data.update({f"{new}-kind": "cancelled", f"{new}-starts_on": thursday, f"{new}-reason": "x"})
    data["schedule_changes-TOTAL_FORMS"] = str(len(existing) + 1)
    data["photos-TOTAL_FORMS"] = "0"
    response = superuser.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "この日は、このサロンの開催日（毎週水曜日 10:00〜12:00）ではありません。" in page
    assert f'value="{thursday}"' in page

    data[f"{new}-starts_on"] = fourth.isoformat()
    data[f"{new}-reason"] = "地区の行事のため"
    response = superuser.post(url, data)
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.{0,200})", response.content.decode()
    )
    assert s.schedule_changes.get(starts_on=fourth).reason == "地区の行事のため"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "break", "ends_on": None}, "ends_on", "休みの最終日を入力してください"),
        (
            {"kind": "break", "ends_on": D(2026, 11, 1)},
            "ends_on",
            "休みの最終日は初日より後にしてください。",
        ),
        (
            {"kind": "break", "ends_on": D(2028, 1, 1), "every_year": True},
            "ends_on",
            "毎年くり返す休みは、1年より短くしてください。",
        ),
        (
            {"kind": "cancelled", "ends_on": D(2026, 12, 20)},
            "ends_on",
            "中止のときは、最終日を空欄にしてください",
        ),
    ],
)
def test_bad_changes_are_explained(db, fields, field, message):
    from django.core.exceptions import ValidationError

    s = SalonFactory(frequency="irregular", weekday=None)
    change = SalonScheduleChange(salon=s, starts_on=D(2026, 12, 1), **fields)
    with pytest.raises(ValidationError) as error:
        change.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_a_cancellation_must_fall_on_a_meeting_day(db):
    from django.core.exceptions import ValidationError

    monthly = SalonFactory(weeks_of_month="1,3", weekday=1)  # 第1・第3火曜日
    SalonScheduleChange(salon=monthly, kind="cancelled", starts_on=D(2027, 3, 16)).full_clean()
    with pytest.raises(ValidationError) as error:
        SalonScheduleChange(salon=monthly, kind="cancelled", starts_on=D(2027, 3, 9)).full_clean()
    assert error.value.message_dict["starts_on"] == [
        "この日は、このサロンの開催日（毎月第1・第3火曜日 10:00〜12:00）ではありません。"
    ]
    irregular = SalonFactory(frequency="irregular", weekday=None)
    with pytest.raises(ValidationError) as error:
        SalonScheduleChange(salon=irregular, kind="cancelled", starts_on=D(2027, 3, 9)).full_clean()
    assert "不定期のサロンは開催日を公開ページに出していない" in error.value.message_dict["kind"][0]


def test_breaks_say_when_they_are():
    assert rest(D(2027, 1, 1), D(2027, 1, 31)).period_label == "令和9年1月1日(金)〜31日(日)"
    yearly = rest(D(2026, 8, 1), D(2026, 8, 31), every_year=True)
    assert yearly.period_label == "毎年8月1日〜8月31日"
    assert cancel(D(2026, 12, 9)).period_label == "令和8年12月9日(水)"
