"""Meetings as councils publish them: 「令和元年度に報告会」, 「5月（日程調整中）」.
Only as much of the date as is known shows anywhere, no false day reaches a
calendar, and such a meeting is coming until its month or 年度 is over."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from councils.models import Council, Meeting, MeetingStatus
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label
from shakyo_portal.core.precision import format_partial
from tests.councils.scenario import build_known_in_part
from tests.factories import CouncilFactory, MeetingFactory


@pytest.fixture
def part(db):
    return build_known_in_part()


def section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def era_month(day):
    return format_partial(day, "month")


def test_a_meeting_known_to_its_fiscal_year_shows_the_year_alone(resident, part):
    meeting = part.last_year
    year = fiscal_year_label(fiscal_year(part.today) - 1)
    html = resident.get(meeting.get_absolute_url()).content.decode()
    assert f"<h1>{year}第2回" in html  # the label still comes from the date
    assert f"<dt>日時</dt><dd>{year}</dd>" in html
    assert "4月1日" not in html  # the day it is stored on is never shown
    assert "決まりしだい" not in html  # a past one's day is just not recorded
    assert f"<title>{year}第2回 {year}｜" in html


def test_a_meeting_known_to_its_month_shows_year_and_month(resident, part):
    meeting = part.this_month
    html = resident.get(meeting.get_absolute_url()).content.decode()
    month = era_month(part.today)
    assert f"<dt>日時</dt><dd>{month}<span" in html
    assert "日時は、決まりしだいこのページでお知らせします" in html
    assert f"{part.today.month}月1日" not in html
    # No time, no place: nothing is shown for them, nor invented.
    assert "<dt>会場</dt>" not in html and "〜" not in section(html, "when-heading")


def test_a_meeting_without_a_day_is_coming_until_its_period_is_over(resident, part):
    html = resident.get(part.council.get_absolute_url()).content.decode()
    coming = section(html, "schedule-heading")
    archive = section(html, "archive-heading")
    assert part.this_month.get_absolute_url() in coming
    assert part.this_year.get_absolute_url() in coming
    assert era_month(part.today) in coming
    assert fiscal_year_label(fiscal_year(part.today)) in coming
    assert part.this_month.get_absolute_url() not in archive
    assert part.last_year.get_absolute_url() in archive
    # 「このうち日は不明」: the month one first, the 年度 one (any month) last.
    assert coming.index(part.this_month.get_absolute_url()) < coming.index(
        part.this_year.get_absolute_url()
    )
    listing = resident.get("/councils/").content.decode()
    assert era_month(part.today) in listing  # its card's 次回


@pytest.mark.parametrize(
    ("precision", "stored", "coming_until", "over_on"),
    [
        ("month", datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), datetime.date(2026, 6, 1)),
        (
            "fiscal_year",
            datetime.date(2026, 4, 1),
            datetime.date(2027, 3, 31),
            datetime.date(2027, 4, 1),
        ),
        ("day", datetime.date(2026, 5, 20), datetime.date(2026, 5, 20), datetime.date(2026, 5, 21)),
    ],
)
def test_upcoming_and_archive_split_at_the_end_of_what_is_known(
    db, precision, stored, coming_until, over_on
):
    meeting = MeetingFactory(
        held_on=datetime.date(2026, 5, 20),
        held_on_precision=precision,
        starts_at=None,
        ends_at=None,
    )
    assert meeting.held_on == stored  # normalised, whatever day of the period was typed
    at = datetime.datetime.combine(coming_until, datetime.time(12), tzinfo=datetime.UTC)
    assert list(Meeting.objects.upcoming(at)) == [meeting]
    assert not Meeting.objects.archived(coming_until).exists()
    after = datetime.datetime.combine(over_on, datetime.time(12), tzinfo=datetime.UTC)
    assert not Meeting.objects.upcoming(after).exists()
    assert list(Meeting.objects.archived(over_on)) == [meeting]


def test_a_meeting_known_to_its_year_takes_no_month_from_the_rule(db):
    council = CouncilFactory(meeting_rule="nth", meeting_week=1, meeting_weekday=0)
    today = datetime.date(2026, 4, 1)
    yearly = MeetingFactory(
        council=council,
        held_on=today,
        held_on_precision="fiscal_year",
        starts_at=None,
        ends_at=None,
    )
    monthly = MeetingFactory(
        council=council,
        held_on=datetime.date(2026, 5, 1),
        held_on_precision="month",
        starts_at=None,
        ends_at=None,
    )
    coming = council.coming_dates([yearly, monthly], today=today, count=3)
    expected = [entry.on for entry in coming if entry.is_expected]
    assert datetime.date(2026, 4, 6) in expected  # April is still the rule's
    assert not [day for day in expected if day.month == 5]  # May is the meeting's
    assert coming[-1].meeting == yearly  # some day in the 年度: after the known dates
    assert [entry.when for entry in coming if entry.meeting] == ["令和8年5月", "令和8年度"]


def test_no_false_day_goes_into_the_calendar_feed(resident, part):
    soon = MeetingFactory(council=part.council, held_on=part.today + datetime.timedelta(days=2))
    for url in ["/councils/calendar.ics", f"/councils/{part.council.slug}/calendar.ics"]:
        calendar = Calendar.from_ical(resident.get(url).content)
        uids = {str(event["UID"]).split("@")[0] for event in calendar.walk("VEVENT")}
        assert f"council-meeting-{soon.pk}" in uids
        for meeting in (part.this_month, part.this_year):
            assert f"council-meeting-{meeting.pk}" not in uids


def test_search_results_show_only_what_is_known(resident, part):
    html = resident.get("/search/", {"q": "支え合い報告会"}).content.decode()
    assert part.this_year.get_absolute_url() in html
    assert fiscal_year_label(fiscal_year(part.today)) in html
    assert "4月1日" not in html


def test_staff_type_a_month_or_a_year_and_any_day_of_it(superuser, db):
    council = CouncilFactory()
    add = reverse("admin:councils_meeting_add")
    for precision, typed, stored in [
        ("month", "2019-05-20", datetime.date(2019, 5, 1)),
        ("fiscal_year", "2020-02-10", datetime.date(2019, 4, 1)),
    ]:
        data = {
            "council": council.pk,
            "number": "",
            "title": "報告会",
            "held_on": typed,
            "held_on_precision": precision,
            "starts_at": "",
            "ends_at": "",
            "format": "online",
            "place": "",
            "status": "held",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "agenda_items-TOTAL_FORMS": "0",
            "agenda_items-INITIAL_FORMS": "0",
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
        }
        response = superuser.post(add, data)
        assert response.status_code == 302, response.content.decode()
        meeting = Meeting.objects.get(held_on_precision=precision)
        assert meeting.held_on == stored
    html = superuser.get(reverse("admin:councils_meeting_changelist")).content.decode()
    assert "令和元年5月" in html and "令和元年度" in html
    # An online meeting with no day and no place: nothing more is asked for.
    public = Council.objects.get().meetings.get(held_on_precision="month")
    assert public.place_label == "オンライン"


def test_a_postponed_meeting_may_move_to_a_month_not_yet_fixed(superuser, db):
    council = CouncilFactory()
    later = MeetingFactory(
        council=council,
        held_on=datetime.date(2026, 12, 1),
        held_on_precision="month",
        starts_at=None,
        ends_at=None,
    )
    earlier = MeetingFactory(
        council=council,
        held_on=datetime.date(2026, 12, 10),
        status=MeetingStatus.POSTPONED,
        status_reason="会場の都合",
        replaced_by=later,
    )
    earlier.full_clean()  # December, some day: not "before" the 10th
    later.held_on_precision = "day"
    later.held_on = datetime.date(2026, 12, 1)
    later.save()
    earlier.refresh_from_db()
    with pytest.raises(Exception, match="この会議より後の日付"):
        earlier.full_clean()


def meeting_data(council, held_on, precision="day"):
    return {
        "council": council.pk,
        "number": "",
        "title": "活動報告会",
        "held_on": held_on,
        "held_on_precision": precision,
        "starts_at": "",
        "ends_at": "",
        "format": "in_person",
        "place": "",
        "status": "held",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "agenda_items-TOTAL_FORMS": "0",
        "agenda_items-INITIAL_FORMS": "0",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize(
    ("typed", "chosen", "stored", "precision"),
    [
        # As the source writes it, whatever the precision box still says.
        ("令和元年度", "day", datetime.date(2019, 4, 1), "fiscal_year"),
        ("R1年度", "month", datetime.date(2019, 4, 1), "fiscal_year"),
        ("２０１９年度", "day", datetime.date(2019, 4, 1), "fiscal_year"),
        ("2019.5", "day", datetime.date(2019, 5, 1), "month"),
        ("令和元年5月", "day", datetime.date(2019, 5, 1), "month"),
        ("2019年5月", "fiscal_year", datetime.date(2019, 4, 1), "fiscal_year"),
        # A whole day with a coarser precision chosen: the choice stands.
        ("2019/5/20", "month", datetime.date(2019, 5, 1), "month"),
        ("令和元年5月20日", "day", datetime.date(2019, 5, 20), "day"),
    ],
)
def test_staff_type_the_month_or_the_year_as_the_source_writes_it(
    superuser, db, typed, chosen, stored, precision
):
    council = CouncilFactory()
    response = superuser.post(
        reverse("admin:councils_meeting_add"), meeting_data(council, typed, chosen)
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert (meeting.held_on, meeting.held_on_precision) == (stored, precision)


@pytest.mark.parametrize("typed", ["令和元年4月", "平成35年度", "05/2019", "2019.13"])
def test_a_month_or_year_that_is_not_one_is_refused_and_kept(superuser, db, typed):
    council = CouncilFactory()
    response = superuser.post(reverse("admin:councils_meeting_add"), meeting_data(council, typed))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["held_on"]
    assert "年・月・日の順に入力してください" in errors[0]
    assert f'value="{typed}"' in response.content.decode()
    assert not Meeting.objects.exists()
