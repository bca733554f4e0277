"""/calendar/: a month of salons, 協議体 and 行事 together, by day."""

import datetime
import re

import pytest
from django.utils import timezone

from councils.models import MeetingStatus
from salons.models import ChangeKind, SalonScheduleChange
from shakyo_portal.core.dates import format_date
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    LifeAreaFactory,
    MeetingFactory,
    OfficeFactory,
    SalonFactory,
    SiteProfileFactory,
)
from tests.news.factories import EventFactory

ONE_DAY = datetime.timedelta(days=1)


def month_ahead(n=2):
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 + n
    return index // 12, index % 12 + 1


def days_of(year, month, weekday):
    day = datetime.date(year, month, 1)
    found = []
    while day.month == month:
        if day.weekday() == weekday:
            found.append(day)
        day += ONE_DAY
    return found


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def town(db):
    return build_town()


def build_town():
    """Districts (清音 with its sub-district 軽部, 総社), salons, councils, a
    cancelled meeting and events, all in the month after next."""
    SiteProfileFactory()
    kiyone = DistrictFactory(name="清音", slug="kiyone", office=OfficeFactory(name="清音窓口"))
    karube = DistrictFactory(name="軽部", slug="karube", parent=kiyone)
    soja = DistrictFactory(name="総社", slug="soja")
    year, month = month_ahead()
    wednesdays = days_of(year, month, 2)
    weekly = SalonFactory(name="軽部水曜サロン", district=karube, frequency="weekly", weekday=2)
    cancelled_salon = SalonFactory(name="総社サロン", district=soja, weeks_of_month="1", weekday=4)
    first_friday = days_of(year, month, 4)[0]
    SalonScheduleChange.objects.create(
        salon=cancelled_salon,
        kind=ChangeKind.CANCELLED,
        starts_on=first_friday,
        reason="会場の点検のため",
    )
    # Held on 祝日 too, so the rule's date is there whichever month this runs in.
    CouncilFactory(
        name="清音圏域協議体",
        life_area=LifeAreaFactory(districts=[kiyone]),
        meeting_on_closed_days="hold",
    )
    CouncilFactory(
        name="総社圏域協議体",
        life_area=LifeAreaFactory(districts=[soja]),
        meeting_on_closed_days="hold",
    )
    city = CouncilFactory(name="市全体協議体", city=True, meeting_rule="irregular")
    MeetingFactory(
        council=city,
        held_on=wednesdays[1],
        status=MeetingStatus.CANCELLED,
        status_reason="感染症の流行のため",
        title="第2回会議",
    )
    EventFactory(title="清音の敬老会", district=kiyone, starts_at=at(wednesdays[0], 13))
    EventFactory(title="市全体の研修会", starts_at=at(wednesdays[2], 9))
    EventFactory(title="総社の行事", district=soja, starts_at=at(wednesdays[0], 9))
    EventFactory(title="下書きの行事", draft=True, starts_at=at(wednesdays[0], 9))
    return {
        "year": year,
        "month": month,
        "wednesdays": wednesdays,
        "first_friday": first_friday,
        "url": f"/calendar/{year}/{month}/",
        "salons": [weekly, cancelled_salon],
    }


def page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return main(response.content.decode())


def third_tuesday(year, month):
    return days_of(year, month, 1)[2]


def test_a_month_of_everything_by_day(resident, town):
    html = page(resident, town["url"])
    assert html.count("<h1>") == 1
    for day in town["wednesdays"]:
        assert f">{format_date(day)}" in html
    assert html.count("軽部水曜サロン") == len(town["wednesdays"])
    # The cancelled salon date stays, marked with its reason.
    friday = html.split(f">{format_date(town['first_friday'])}", 1)[1].split("</section>", 1)[0]
    assert "中止" in friday and "総社サロン" in friday and "会場の点検のため" in friday
    # The councils' rule gives 予定（目安）; the city council's registered meeting is 中止.
    tuesday = html.split(format_date(third_tuesday(town["year"], town["month"])), 1)[1]
    tuesday = tuesday.split("</section>", 1)[0]
    assert "清音圏域協議体" in tuesday and "予定（目安）" in tuesday
    assert "市全体協議体 第2回会議" in html and "感染症の流行のため" in html
    for title in ["清音の敬老会", "市全体の研修会", "総社の行事"]:
        assert title in html
    assert "下書きの行事" not in html
    # Within a day, by time: 9:00 before 13:00.
    first = html.split(f">{format_date(town['wednesdays'][0])}", 1)[1].split("</section>", 1)[0]
    assert first.index("総社の行事") < first.index("軽部水曜サロン") < first.index("清音の敬老会")


def test_filter_by_kind(resident, town):
    html = page(resident, town["url"], {"kind": "salon"})
    assert "軽部水曜サロン" in html
    assert "協議体" not in html.split('class="calendar-days"', 1)[1].split("予定（目安）」は", 1)[0]
    assert "清音の敬老会" not in html
    html = page(resident, town["url"], {"kind": ["council", "event"]})
    assert "軽部水曜サロン" not in html
    assert "清音圏域協議体" in html and "清音の敬老会" in html
    assert 'value="council" checked' in html or re.search(r'value="council"[^>]*checked', html)


def test_filter_by_district_takes_in_sub_districts_and_city_wide(resident, town):
    response = resident.get(town["url"], {"district": "kiyone"})
    html = main(response.content.decode())
    assert "軽部水曜サロン" in html  # a sub-district's salon
    assert "清音圏域協議体" in html and "市全体協議体" in html
    assert "清音の敬老会" in html and "市全体の研修会" in html
    assert "総社サロン" not in html and "総社圏域協議体" not in html and "総社の行事" not in html
    assert 'href="/salons/district/kiyone/calendar.ics"' in html
    assert response.context["page_office"].name == "清音窓口"


def test_links_to_other_months_keep_the_filters(resident, town):
    html = page(resident, town["url"], {"kind": "salon", "district": "kiyone"})
    year, month = town["year"], town["month"]
    following = (year + month // 12, month % 12 + 1)
    assert f'href="/calendar/{following[0]}/{following[1]}/?kind=salon&amp;district=kiyone"' in html


def test_bad_filters_are_explained_not_fatal(resident, town):
    html = page(resident, town["url"], {"kind": ["salon", "nope"], "district": "no-such"})
    assert "表示するものは、一覧から選んでください。" in html
    assert "その地区は見つかりませんでした。一覧から選んでください。" in html
    # What was valid still applies.
    assert "軽部水曜サロン" in html and "清音の敬老会" not in html


def test_a_past_month_shows_no_salon_dates(resident, town):
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 1
    year, month = index // 12, index % 12 + 1
    EventFactory(title="先月の行事", starts_at=at(datetime.date(year, month, 10), 10))
    html = page(resident, f"/calendar/{year}/{month}/")
    assert "先月の行事" in html
    assert "軽部水曜サロン" not in html
    assert "過ぎた月のサロンの開催日は表示していません" in html


def test_empty_month_says_so(resident, town):
    html = page(resident, town["url"], {"kind": "event", "district": "karube"})
    assert "清音の敬老会" not in html  # an event of the parent district, not of 軽部
    year, month = month_ahead(3)
    html = page(resident, f"/calendar/{year}/{month}/", {"kind": "event"})
    assert "表示できる行事の予定はありません" in html


@pytest.mark.parametrize("path", ["/calendar/2026/13/", "/calendar/1999/1/", "/calendar/2100/1/"])
def test_months_out_of_range_are_404(resident, town, path):
    assert resident.get(path).status_code == 404


def test_this_month_is_the_default(resident, town):
    today = timezone.localdate()
    html = page(resident, "/calendar/")
    assert f"{today.month}月の予定" in html


def test_query_count_does_not_grow_with_the_data(resident, town, django_assert_max_num_queries):
    # site profile, footer offices, districts, salons, their 休み・中止, councils
    # with their office, the month's meetings, the month's events
    expected = 8
    with django_assert_max_num_queries(expected):
        resident.get(town["url"])
    for i in range(30):
        district = DistrictFactory()
        salon = SalonFactory(district=district, frequency="weekly", weekday=i % 7)
        SalonScheduleChange.objects.create(
            salon=salon,
            kind=ChangeKind.BREAK,
            starts_on=town["wednesdays"][0],
            ends_on=town["wednesdays"][1],
        )
        council = CouncilFactory(life_area=LifeAreaFactory(districts=[district]))
        MeetingFactory(council=council, held_on=town["wednesdays"][-1])
        EventFactory(district=district, starts_at=at(town["wednesdays"][0], 10))
    for params in [{}, {"district": "kiyone"}, {"kind": ["salon", "council"]}, {"kind": "x"}]:
        with django_assert_max_num_queries(expected):
            response = resident.get(town["url"], params)
        assert response.status_code == 200


def test_the_pages_are_valid_html(resident, town, tmp_path):
    """The calendar in its states, and the salon pages with their coming dates."""
    from tests.test_html_validity import LARGE_BLACK, check_pages, render_pages, vnu_command

    command = vnu_command()
    salon = SalonFactory(name="水曜の会", district=DistrictFactory(slug="mizu"), weekday=2)
    SalonScheduleChange.objects.create(
        salon=salon,
        kind=ChangeKind.CANCELLED,
        starts_on=days_of(*month_ahead(1), 2)[1],
        reason="会場の都合",
    )
    SalonScheduleChange.objects.create(
        salon=salon,
        kind=ChangeKind.BREAK,
        starts_on=datetime.date(2026, 8, 1),
        ends_on=datetime.date(2026, 8, 31),
        every_year=True,
        reason="8月はお休み",
    )
    url = town["url"]
    pages = [
        ("calendar", url, {}, 200),
        ("calendar-xlarge-black", url, LARGE_BLACK, 200),
        ("calendar-filtered", f"{url}?kind=salon&kind=event&district=kiyone", {}, 200),
        ("calendar-bad", f"{url}?kind=x&district=nowhere", {}, 200),
        ("calendar-empty", f"{url}?kind=event&district=karube", {}, 200),
        ("calendar-now", "/calendar/", {}, 200),
        ("salon-dates", salon.get_absolute_url(), {}, 200),
        ("salon-list-dates", "/salons/", {}, 200),
        ("district-salons", "/districts/kiyone/", {}, 200),
    ]
    check_pages(command, tmp_path, render_pages(pages, tmp_path))
