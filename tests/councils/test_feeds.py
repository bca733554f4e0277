"""The iCalendar feeds, read back with a real iCalendar parser."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar

from councils import models
from councils.models import MeetingStatus
from tests.councils.scenario import SECRET, build_councils
from tests.factories import AgendaItemFactory, CouncilFactory, MeetingFactory

ALL = "/councils/calendar.ics"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def world(db):
    return build_councils()


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(meeting):
    # The site's own name (SITE_URL), whatever Host the request came with.
    return f"council-meeting-{meeting.pk}@{settings.SITE_HOST}"


def test_the_feed_has_a_name_a_time_zone_and_the_coming_meetings(resident, world):
    calendar = read(resident, ALL)
    assert "協議体の会議" in str(calendar["X-WR-CALNAME"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tokyo"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    events = events_by_uid(calendar)
    coming = events[uid(world.coming)]
    assert coming.start == world.coming.starts()
    assert coming.start.tzinfo.key == "Asia/Tokyo"
    assert coming.end == world.coming.ends()
    assert str(coming["STATUS"]) == "CONFIRMED"
    assert "いい輪ネットきよね" in str(coming["SUMMARY"])
    assert world.coming.label in str(coming["SUMMARY"])
    assert str(coming["LOCATION"]) == world.coming.place
    assert str(coming["URL"]) == f"http://testserver{world.coming.get_absolute_url()}"
    assert "情報共有「移動販売の停留所」" in str(coming["DESCRIPTION"])
    assert int(coming["SEQUENCE"]) == world.coming.sequence
    assert coming["DTSTAMP"].dt == world.coming.updated_at.replace(microsecond=0)


def test_called_off_meetings_are_in_the_feed_as_cancelled(resident, world):
    events = events_by_uid(read(resident, ALL))
    cancelled = events[uid(world.called_off)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("【中止】")
    assert "講師の都合のため" in str(cancelled["DESCRIPTION"])
    assert str(cancelled["TRANSP"]) == "TRANSPARENT"
    postponed = events[uid(world.past["postponed"])]
    assert str(postponed["STATUS"]) == "CANCELLED"
    assert str(postponed["SUMMARY"]).startswith("【延期】")
    assert f"延期後の日程: {world.coming.when}" in str(postponed["DESCRIPTION"])


def test_a_meeting_without_a_time_is_an_all_day_event(resident, world):
    day = timezone.localdate() + datetime.timedelta(days=20)
    meeting = MeetingFactory(council=world.local, held_on=day, starts_at=None, ends_at=None)
    event = events_by_uid(read(resident, ALL))[uid(meeting)]
    assert event.start == day and not isinstance(event.start, datetime.datetime)
    assert event.end == day + datetime.timedelta(days=1)


def test_editing_a_meeting_keeps_its_uid_and_raises_its_sequence(resident, world):
    before = events_by_uid(read(resident, ALL))[uid(world.coming)]
    world.coming.starts_at = datetime.time(13, 0)
    world.coming.ends_at = datetime.time(15, 0)
    world.coming.save()
    world.coming.status = MeetingStatus.CANCELLED
    world.coming.status_reason = "会場の都合"
    world.coming.save()
    after = events_by_uid(read(resident, ALL))[uid(world.coming)]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 2
    assert after.start.astimezone(TOKYO).hour == 13
    assert str(after["STATUS"]) == "CANCELLED"


def test_old_meetings_leave_the_feed_and_hidden_councils_never_enter(resident, world):
    events = events_by_uid(read(resident, ALL))
    old = world.past["cancelled"]  # over a year ago
    assert uid(old) not in events
    recent = world.past["city"]  # 20 days ago: kept, so calendars do not lose it at once
    assert uid(recent) in events
    hidden_meeting = world.hidden.meetings.get()
    assert uid(hidden_meeting) not in events


def test_nothing_private_is_in_any_feed(resident, world):
    for url in [ALL, f"/councils/{world.local.slug}/calendar.ics"]:
        body = resident.get(url).content.decode()
        assert SECRET not in body.replace("\r\n ", ""), url
        assert "非公開" not in body.replace("\r\n ", ""), url


def test_a_councils_feed_has_only_its_meetings(resident, world):
    calendar = read(resident, f"/councils/{world.local.slug}/calendar.ics")
    assert str(calendar["X-WR-CALNAME"]).startswith("いい輪ネットきよね")
    councils = {str(event["URL"]).split("/")[4] for event in calendar.walk("VEVENT")}
    assert councils == {world.local.slug}


def test_the_same_feed_is_the_same_calendar_on_every_request(resident, world):
    first, second = read(resident, ALL), read(resident, ALL)
    assert str(first["UID"]) == str(second["UID"])
    assert first.to_ical() == second.to_ical()


@pytest.mark.parametrize("slug", ["hidden", "no-such"])
def test_feeds_of_hidden_or_unknown_councils_are_404(resident, world, slug):
    assert resident.get(f"/councils/{slug}/calendar.ics").status_code == 404


def test_an_empty_site_has_an_empty_feed(resident, db):
    calendar = read(resident, ALL)
    assert list(calendar.walk("VEVENT")) == []


def test_the_feed_is_capped(resident, db, monkeypatch):
    monkeypatch.setattr(models, "FEED_MAX_EVENTS", 3)
    council = CouncilFactory()
    today = timezone.localdate()
    meetings = [
        MeetingFactory(council=council, held_on=today + datetime.timedelta(days=d))
        for d in range(5)
    ]
    events = events_by_uid(read(resident, ALL))
    assert set(events) == {uid(m) for m in meetings[:3]}


def test_query_count_does_not_grow(resident, db, django_assert_max_num_queries):
    today = timezone.localdate()
    council = CouncilFactory()

    def make(n):
        for i in range(n):
            later = MeetingFactory(council=council, held_on=today + datetime.timedelta(days=i))
            AgendaItemFactory.create_batch(2, meeting=later)
            MeetingFactory(
                council=CouncilFactory(),
                held_on=today + datetime.timedelta(days=i),
                status=MeetingStatus.POSTPONED,
                status_reason="雨",
            )
            MeetingFactory(
                council=council,
                held_on=today - datetime.timedelta(days=1 + i),
                status=MeetingStatus.POSTPONED,
                status_reason="雨",
                replaced_by=later,
            )

    make(2)
    # site profile (the calendar's name), meetings with council and replacement, agenda
    with django_assert_max_num_queries(3):
        resident.get(ALL)
    # the council, its meetings, agenda
    with django_assert_max_num_queries(3):
        resident.get(f"/councils/{council.slug}/calendar.ics")
    make(20)
    with django_assert_max_num_queries(3):
        assert len(read(resident, ALL).walk("VEVENT")) == 66
    with django_assert_max_num_queries(3):
        resident.get(f"/councils/{council.slug}/calendar.ics")


def test_the_event_urls_are_the_meeting_pages_under_any_script_prefix(rf, db):
    # The feed writes its URLs without reverse() for each meeting
    # (councils.views.meeting_urls); they are the pages' absolute URLs all the same.
    from django.urls import set_script_prefix

    from councils.views import meeting_urls

    meetings = [
        MeetingFactory(council=CouncilFactory(slug="kiyone-2_b")),
        MeetingFactory(council=CouncilFactory(slug="city")),
    ]
    try:
        for prefix in ["/", "/portal/"]:
            set_script_prefix(prefix)
            request = rf.get("/councils/calendar.ics", secure=True)
            url = meeting_urls(request)
            for meeting in meetings:
                expected = request.build_absolute_uri(meeting.get_absolute_url())
                assert url(meeting) == expected
                assert expected.startswith(f"https://testserver{prefix}councils/")
    finally:
        set_script_prefix("/")
