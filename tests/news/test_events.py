"""/events/, the month calendar and an event's page."""

import calendar
import datetime
import re

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from news.models import Event
from news.views import month_weeks
from tests.factories import CouncilFactory, DistrictFactory, OfficeFactory, SiteProfileFactory
from tests.news.factories import (
    AccommodationFactory,
    EventFactory,
    RegistrationFactory,
    days_from_now,
)
from tests.news.helpers import SHELL_QUERIES, main


def card_titles(html):
    return re.findall(r'class="card__title"><a href="/events/\d+/">([^<]+)</a>', html)


@pytest.fixture
def events(db):
    SiteProfileFactory()
    sign = AccommodationFactory(name="手話通訳", slug="shuwa")
    return {
        "soon": EventFactory(title="すぐの行事", starts_at=days_from_now(2)),
        "later": EventFactory(
            title="あとの行事", starts_at=days_from_now(20), accommodations=[sign]
        ),
        "cancelled": EventFactory(title="中止の行事", cancelled=True, starts_at=days_from_now(5)),
        "past": EventFactory(title="終わった行事", past=True),
        "draft": EventFactory(title="下書きの行事", draft=True),
        "scheduled": EventFactory(title="予約公開の行事", scheduled=True),
    }


def test_upcoming_events_soonest_first(resident, events):
    html = resident.get("/events/").content.decode()
    assert card_titles(html) == ["すぐの行事", "中止の行事", "あとの行事"]
    assert '<p class="news-badge news-badge--alert">中止</p>' in html
    assert "<dd>手話通訳</dd>" in html
    assert "下書きの行事" not in html and "予約公開の行事" not in html
    assert "<title>行事のご案内｜テスト市社協</title>" in html


def test_past_events_latest_first(resident, events):
    EventFactory(title="もっと前の行事", starts_at=days_from_now(-30))
    html = resident.get("/events/", {"when": "past"}).content.decode()
    assert card_titles(html) == ["終わった行事", "もっと前の行事"]
    assert "<title>終わった行事｜テスト市社協</title>" in html


def test_an_event_without_end_time_stays_upcoming_for_its_whole_day(resident, db):
    this_morning = timezone.localtime().replace(hour=0, minute=1, second=0, microsecond=0)
    EventFactory(title="今日の行事", starts_at=this_morning, ends_at=None)
    assert card_titles(resident.get("/events/").content.decode()) == ["今日の行事"]


@pytest.mark.parametrize("when", ["future", "", "x" * 500, "past\x01"])
def test_an_unknown_choice_shows_upcoming(resident, events, when):
    response = resident.get("/events/", {"when": when, "page": "zz"})
    assert response.status_code == 200
    assert "すぐの行事" in response.content.decode()


def test_the_event_page(resident, events):
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    district = DistrictFactory(name="清音", slug="kiyone")
    council = CouncilFactory(name="第1層協議体")
    event = EventFactory(
        title="活動発表会",
        description="## 発表する団体\n\n5団体です。",
        fee=500,
        fee_note="資料代",
        capacity=300,
        office=office,
        district=district,
        council=council,
        accommodations=[AccommodationFactory(name="要約筆記", slug="yoyaku")],
    )
    response = resident.get(event.get_absolute_url())
    assert response.status_code == 200
    html = main(response.content.decode())
    assert "<h1>活動発表会</h1>" in html
    assert "<h3>発表する団体</h3>" in html  # under the page's 内容 heading
    for text in (
        "500円（資料代）",
        "300人",
        "<dd>要約筆記</dd>",
        "不要です。当日、直接会場へお越しください。",
        '<a href="/districts/kiyone/">清音地区社協</a>',
        "第1層協議体",
        "地域共生推進課",
        f'href="/events/{event.pk}/event.ics"',
    ):
        assert text in html, text
    assert "この行事に申し込む" not in html


def test_a_cancelled_event_says_so_and_why(resident, events):
    html = main(resident.get(events["cancelled"].get_absolute_url()).content.decode())
    assert "この行事は中止になりました" in html
    assert "台風のため中止します。" in html
    title = resident.get(events["cancelled"].get_absolute_url()).content.decode()
    assert "<title>中止の行事（中止・行事）" in title


def test_a_past_event_says_it_is_over(resident, events):
    assert (
        "この行事は終了しました。"
        in resident.get(events["past"].get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("name", ["draft", "scheduled"])
def test_unpublished_events_are_404(resident, events, name):
    assert resident.get(events[name].get_absolute_url()).status_code == 404


@pytest.mark.parametrize("path", ["/events/0/", "/events/9999999/", "/events/" + "9" * 40 + "/"])
def test_missing_events_are_404(resident, db, path):
    assert resident.get(path).status_code == 404


def test_seats_left_and_full_are_shown(resident, db):
    event = EventFactory(signup=True, capacity=5)
    RegistrationFactory(event=event, people=3)
    html = main(resident.get(event.get_absolute_url()).content.decode())
    assert "残り2人" in html
    assert "この行事に申し込む" in html
    RegistrationFactory(event=event, people=2)
    html = main(resident.get(event.get_absolute_url()).content.decode())
    assert "定員に達しました" in html and "キャンセル待ち" in html
    Event.objects.filter(pk=event.pk).update(waitlist=False)
    html = main(resident.get(event.get_absolute_url()).content.decode())
    assert "定員に達したため、申込の受付を終了しました" in html
    assert "この行事に申し込む" not in html


def test_list_and_page_run_a_bounded_number_of_queries(
    resident, events, django_assert_max_num_queries
):
    signs = AccommodationFactory.create_batch(3)
    for n in range(60):
        event = EventFactory(signup=True, capacity=20, accommodations=signs)
        RegistrationFactory(event=event, people=1 + n % 3)
    # The shell, count (1), page of events with seats (1),
    # accommodations (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 3):
        assert resident.get("/events/").status_code == 200
    with django_assert_max_num_queries(SHELL_QUERIES + 3):
        assert resident.get("/events/", {"when": "past", "page": 2}).status_code == 200
    # The shell, the event with seats, office, district, council (1),
    # accommodations (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 2):
        assert resident.get(event.get_absolute_url()).status_code == 200


# --- the month calendar ---------------------------------------------------------------


def test_calendar_redirects_to_this_month_or_the_month_asked(resident, db):
    today = timezone.localdate()
    response = resident.get("/events/calendar/")
    assert response["Location"] == f"/events/calendar/{today.year}/{today.month}/"
    assert resident.get("/events/calendar/", {"month": "2026-12"})["Location"] == (
        "/events/calendar/2026/12/"
    )
    for bad in ["2026-13", "abc", "99999-1", "1899-12", "２０２６-１２", "2026-12-01" * 50]:
        response = resident.get("/events/calendar/", {"month": bad})
        assert response.status_code == 302
        assert response["Location"] == f"/events/calendar/{today.year}/{today.month}/"


@pytest.mark.parametrize(
    "path",
    [
        "/events/calendar/2026/13/",
        "/events/calendar/2026/0/",
        "/events/calendar/1999/12/",
        "/events/calendar/2101/1/",
        "/events/calendar/" + "9" * 30 + "/1/",
        "/events/calendar/2026/aa/",
    ],
)
def test_calendar_of_a_month_that_cannot_be_is_404(resident, db, path):
    assert resident.get(path).status_code == 404


def test_calendar_table(resident, db):
    zone = timezone.get_current_timezone()
    EventFactory(
        title="活動発表会",
        starts_at=datetime.datetime(2026, 12, 5, 10, tzinfo=zone),
        ends_at=datetime.datetime(2026, 12, 5, 12, tzinfo=zone),
    )
    EventFactory(
        title="二日間の研修",
        starts_at=datetime.datetime(2026, 12, 30, 10, tzinfo=zone),
        ends_at=datetime.datetime(2027, 1, 1, 12, tzinfo=zone),
    )
    EventFactory(
        title="交流会",
        cancelled=True,
        starts_at=datetime.datetime(2026, 12, 13, 10, tzinfo=zone),
        ends_at=None,
    )
    EventFactory(title="翌月の行事", starts_at=datetime.datetime(2027, 1, 10, 10, tzinfo=zone))
    EventFactory(
        title="下書き", draft=True, starts_at=datetime.datetime(2026, 12, 6, 10, tzinfo=zone)
    )
    html = main(resident.get("/events/calendar/2026/12/").content.decode())
    assert '<caption id="calendar-caption">令和8年12月の行事（3件）</caption>' in html
    headers = re.findall(r'<th scope="col"[^>]*>(.)</th>', html)
    assert headers == list("日月火水木金土")
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)[1:]
    assert len(rows) == 5  # 2026-12-01 is a Tuesday; the 31st a Thursday
    first_week = re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.DOTALL)
    assert first_week[0].strip() == "" and first_week[1].strip() == ""
    assert "活動発表会" in first_week[6]  # Saturday the 5th
    assert html.count("二日間の研修") == 3  # the 30th, the 31st, and the month's list
    assert "【中止】交流会" in html
    assert "翌月の行事" not in html and "下書き" not in html
    assert 'href="/events/calendar/2026/11/" rel="prev"' in html
    assert 'href="/events/calendar/2027/1/" rel="next"' in html


def test_today_is_marked(resident, db):
    today = timezone.localdate()
    html = main(resident.get(f"/events/calendar/{today.year}/{today.month}/").content.decode())
    [cell] = re.findall(
        r'<td class="news-calendar__today" aria-current="date">(.*?)</td>', html, re.DOTALL
    )
    assert f"{today.day}<span" in cell and "今日" in cell
    assert "今月" not in html.split("news-months", 1)[1].split("</nav>", 1)[0]
    other = resident.get("/events/calendar/2030/1/").content.decode()
    assert 'aria-current="date"' not in other
    assert ">今月</a>" in other


def test_calendar_edges_have_no_link_beyond_them(resident, db):
    assert 'rel="prev"' not in resident.get("/events/calendar/2000/1/").content.decode()
    assert 'rel="next"' not in resident.get("/events/calendar/2100/12/").content.decode()


def test_calendar_runs_a_bounded_number_of_queries(resident, db, django_assert_max_num_queries):
    zone = timezone.get_current_timezone()
    for day in range(1, 29):
        EventFactory(starts_at=datetime.datetime(2027, 2, day, 10, tzinfo=zone))
    # The shell, the month's events (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 1):
        assert resident.get("/events/calendar/2027/2/").status_code == 200


@given(
    year=st.integers(min_value=2000, max_value=2100), month=st.integers(min_value=1, max_value=12)
)
def test_every_day_of_a_month_is_in_its_grid_once_under_its_weekday(year, month):
    weeks = month_weeks(year, month, [], datetime.date(year, month, 1))
    assert all(len(week) == 7 for week in weeks)
    days = [cell for week in weeks for cell in week if cell]
    first = datetime.date(year, month, 1)
    expected = [
        first + datetime.timedelta(days=n) for n in range(calendar.monthrange(year, month)[1])
    ]
    assert [day for day, _events, _today in days] == expected
    for week in weeks:
        for column, cell in enumerate(week):
            if cell:
                assert (cell[0].weekday() + 1) % 7 == column  # Sunday is column 0
    assert [today for _day, _events, today in days].count(True) == 1
