"""The iCalendar feeds of salons' coming dates, read back with `icalendar` as a
calendar app would."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from salons.models import ChangeKind, SalonScheduleChange, SalonStatus
from tests.factories import DistrictFactory, SalonFactory

ONE_DAY = datetime.timedelta(days=1)


def wednesdays(n):
    day, found = timezone.localdate(), []
    while len(found) < n:
        if day.weekday() == 2:
            found.append(day)
        day += ONE_DAY
    return found


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def start_day(event):
    value = event.decoded("dtstart")
    return value.date() if isinstance(value, datetime.datetime) else value


@pytest.fixture
def town(db):
    kiyone = DistrictFactory(name="清音", slug="kiyone")
    karube = DistrictFactory(name="軽部", slug="karube", parent=kiyone)
    other = DistrictFactory(name="総社", slug="soja")
    weekly = SalonFactory(
        name="水曜サロン",
        district=kiyone,
        frequency="weekly",
        weekday=2,
        venue_name="清音公会堂",
        venue_address="総社市清音1-1",
    )
    sub = SalonFactory(name="軽部サロン", district=karube)
    elsewhere = SalonFactory(name="総社サロン", district=other)
    paused = SalonFactory(name="休んでいるサロン", district=kiyone, status=SalonStatus.PAUSED)
    return {"weekly": weekly, "sub": sub, "elsewhere": elsewhere, "paused": paused}


def test_a_salons_feed_has_its_coming_dates_and_marks_the_cancelled_one(resident, town):
    salon = town["weekly"]
    first, second, third = wednesdays(3)
    SalonScheduleChange.objects.create(
        salon=salon, kind=ChangeKind.CANCELLED, starts_on=first, reason="会場の点検のため"
    )
    SalonScheduleChange.objects.create(
        salon=salon, kind=ChangeKind.BREAK, starts_on=second, ends_on=second
    )
    calendar, items = events(resident.get(f"/salons/{salon.pk}/calendar.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "水曜サロン（ふれあいサロン）"
    days = [start_day(item) for item in items]
    assert days[0] == first and days[1] == third
    assert second not in days
    # About half a year of Wednesdays, less the one in the break.
    assert 24 <= len(items) <= 27
    called_off = items[0]
    assert str(called_off["STATUS"]) == "CANCELLED"
    assert str(called_off["SUMMARY"]) == "【中止】水曜サロン（ふれあいサロン）"
    assert "会場の点検のため" in str(called_off["DESCRIPTION"])
    held = items[1]
    assert str(held["STATUS"]) == "CONFIRMED"
    assert str(held["LOCATION"]) == "清音公会堂 総社市清音1-1"
    start = held.decoded("dtstart")
    assert (start.hour, start.minute, start.utcoffset()) == (10, 0, datetime.timedelta(hours=9))
    assert held.decoded("dtend").hour == 12
    assert str(held["UID"]).startswith(f"salon-{salon.pk}-{third:%Y%m%d}@")
    assert str(held["URL"]).endswith(f"/salons/{salon.pk}/")
    # Nothing of the organiser goes out.
    assert salon.organiser_name not in response_text(resident, salon)


def response_text(client, salon):
    return client.get(f"/salons/{salon.pk}/calendar.ics").content.decode()


def test_a_new_cancellation_raises_the_sequence(resident, town):
    salon = town["weekly"]
    first = wednesdays(1)[0]
    # Saved later than the salon: the minute must move on for SEQUENCE to grow.
    type(salon).objects.filter(pk=salon.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    _, before = events(resident.get(f"/salons/{salon.pk}/calendar.ics"))
    SalonScheduleChange.objects.create(salon=salon, kind=ChangeKind.CANCELLED, starts_on=first)
    _, after = events(resident.get(f"/salons/{salon.pk}/calendar.ics"))
    assert str(after[0]["UID"]) == str(before[0]["UID"])
    assert int(after[0]["SEQUENCE"]) > int(before[0]["SEQUENCE"])
    assert str(after[0]["STATUS"]) == "CANCELLED"


def test_a_paused_or_irregular_salon_has_an_empty_calendar(resident, town):
    _, items = events(resident.get(f"/salons/{town['paused'].pk}/calendar.ics"))
    assert items == []
    irregular = SalonFactory(frequency="irregular", weekday=None)
    _, items = events(resident.get(f"/salons/{irregular.pk}/calendar.ics"))
    assert items == []


def test_the_district_feed_takes_in_sub_districts(resident, town):
    calendar, items = events(resident.get("/salons/district/kiyone/calendar.ics"))
    assert str(calendar["X-WR-CALNAME"]) == "清音地区のふれあいサロン"
    names = {str(item["SUMMARY"]) for item in items}
    assert names == {"水曜サロン（ふれあいサロン）", "軽部サロン（ふれあいサロン）"}


@pytest.mark.parametrize(
    "url", ["/salons/999/calendar.ics", "/salons/district/no-such/calendar.ics"]
)
def test_unknown_feeds_are_404(resident, town, url):
    assert resident.get(url).status_code == 404


def test_hidden_districts_have_no_feed(resident, db):
    hidden = DistrictFactory(slug="hidden", hidden=True)
    salon = SalonFactory(district=hidden)
    assert resident.get("/salons/district/hidden/calendar.ics").status_code == 404
    assert resident.get(f"/salons/{salon.pk}/calendar.ics").status_code == 404


def test_feed_query_count_does_not_grow(resident, town, django_assert_max_num_queries):
    for _ in range(15):
        salon = SalonFactory(district=town["weekly"].district)
        SalonScheduleChange.objects.create(
            salon=salon, kind=ChangeKind.BREAK, starts_on=wednesdays(1)[0], ends_on=wednesdays(2)[1]
        )
    with django_assert_max_num_queries(3):
        resident.get("/salons/district/kiyone/calendar.ics")
    with django_assert_max_num_queries(2):
        resident.get(f"/salons/{town['weekly'].pk}/calendar.ics")
