"""Dates in the admin: typed as people here type them (2021/2/6, 令和3年2月6日, R3.2.6,
full width), never read month first (02/06/2021 is refused with the order to use),
and shown as the site writes them. Every ModelAdmin and inline gets this from the
admin site, so the tests go through several apps' pages and an inline."""

import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from councils.models import CouncilMember
from districts.models import WelfareCommitteeMember
from news.models import Event
from salons.models import GrantProgram
from shakyo_portal.core.dates import ERAS, wareki
from tests.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    GrantProgramFactory,
    WelfareCommitteeMemberFactory,
)
from tests.news.factories import EventFactory
from tests.staff.admin_forms import form_data

FEB_6 = datetime.date(2021, 2, 6)
JST = zoneinfo.ZoneInfo("Asia/Tokyo")
ACCEPTED = ["令和3年2月6日", "R3.2.6", "２０２１／２／６", "2021/2/6", "2021/02/06", "2021-02-06"]
ORDER_MESSAGE = "年・月・日の順に入力してください（例: 2021/2/6、令和3年2月6日）。"


def change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return client.post(url, form_data(client.get(url), **changes))


@pytest.fixture
def member(db):
    return WelfareCommitteeMemberFactory(term_start=datetime.date(2020, 4, 1))


@pytest.mark.parametrize("typed", [*ACCEPTED, "令和３年２月６日", "r3.2.6", "2021年2月6日"])
def test_a_date_is_read_however_it_is_typed(superuser, member, typed):
    response = change(superuser, member, term_start=typed)
    assert response.status_code == 302, response.content.decode()
    member.refresh_from_db()
    assert member.term_start == FEB_6


def test_the_last_day_of_heisei_is_read(superuser, member):
    assert change(superuser, member, term_start="平成31年4月30日").status_code == 302
    member.refresh_from_db()
    assert member.term_start == datetime.date(2019, 4, 30)


@pytest.mark.parametrize("typed", ["02/06/2021", "2/6/2021", "２/６/２０２１", "06-02-2021"])
def test_month_day_year_is_refused_with_the_order_to_use(superuser, member, typed):
    response = change(superuser, member, term_start=typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert ORDER_MESSAGE in html
    # What was typed stays in the box, to be corrected rather than retyped.
    assert f'name="term_start" value="{typed}"' in html
    member.refresh_from_db()
    assert member.term_start == datetime.date(2020, 4, 1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("令和元年4月1日", "「令和元年4月1日」という日付はありません。"),
        ("2021/2/30", "「2021/2/30」という日付はありません。"),
        ("平成32年1月1日", "「平成32年1月1日」という日付はありません。"),
        ("令和3年2月6日(日)", "2021年2月6日は土曜日です。"),
        ("あした", "日付は「2021/2/6」や「令和3年2月6日」のように、年・月・日の順に"),
    ],
)
def test_a_date_that_does_not_exist_is_explained(superuser, member, typed, message):
    response = change(superuser, member, term_start=typed)
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html
    member.refresh_from_db()
    assert member.term_start == datetime.date(2020, 4, 1)


def test_the_date_box_shows_the_stored_date_year_first(superuser, member):
    url = reverse("admin:districts_welfarecommitteemember_change", args=[member.pk])
    html = superuser.get(url).content.decode()
    assert 'name="term_start" value="2020/04/01"' in html
    # What the box shows is read back as the same day.
    assert change(superuser, member).status_code == 302
    member.refresh_from_db()
    assert member.term_start == datetime.date(2020, 4, 1)


def test_the_change_list_writes_dates_the_sites_way(superuser, member):
    html = superuser.get(reverse("admin:districts_welfarecommitteemember_changelist"))
    html = html.content.decode()
    # On one line: a date read in pieces down a column is hard to scan.
    assert '<span class="nowrap">令和2年4月1日(水)</span>' in html
    # The column can still be sorted by the date.
    assert 'class="sortable column-term_start' in html


def test_a_change_list_has_the_whole_width_and_a_form_keeps_the_menu(superuser, member):
    """At 1280 px a dozen columns beside the menu wrapped names every three
    characters; the list drops the menu and keeps each column wide enough."""
    listing = superuser.get(reverse("admin:districts_welfarecommitteemember_changelist"))
    assert listing.status_code == 200
    assert 'id="nav-sidebar"' not in listing.content.decode()
    assert "css/admin-lists.css" in listing.content.decode()
    url = reverse("admin:districts_welfarecommitteemember_change", args=[member.pk])
    form = superuser.get(url)
    assert 'id="nav-sidebar"' in form.content.decode()


# --- a date and a time in the split box (news Event.starts_at) -------------------


@pytest.fixture
def event(db):
    return EventFactory(ends_at=None)


@pytest.mark.parametrize("typed", ACCEPTED)
@pytest.mark.parametrize("time", ["9:30", "09:30", "９：３０", "9時30分"])
def test_a_date_and_time_is_read_however_typed(superuser, event, typed, time):
    response = change(superuser, event, starts_at_0=typed, starts_at_1=time)
    assert response.status_code == 302, response.content.decode()
    event.refresh_from_db()
    assert event.starts_at == datetime.datetime(2021, 2, 6, 9, 30, tzinfo=JST)


def test_a_date_and_time_in_month_day_order_is_refused(superuser, event):
    before = event.starts_at
    response = change(superuser, event, starts_at_0="02/06/2021", starts_at_1="9:30")
    html = response.content.decode()
    assert response.status_code == 200
    assert ORDER_MESSAGE in html
    assert 'name="starts_at_0" value="02/06/2021"' in html
    assert Event.objects.get(pk=event.pk).starts_at == before


def test_a_date_without_its_time_is_asked_for_the_time(superuser, event):
    response = change(superuser, event, starts_at_0="2021/2/6", starts_at_1="")
    assert "時刻も入力してください（例: 9:30）。" in response.content.decode()


def test_the_split_box_shows_the_stored_time_and_the_list_writes_it_in_wareki(superuser, db):
    event = EventFactory(starts_at=datetime.datetime(2026, 12, 7, 6, 37, tzinfo=JST), ends_at=None)
    page = superuser.get(reverse("admin:news_event_change", args=[event.pk])).content.decode()
    assert 'name="starts_at_0" value="2026/12/07"' in page
    assert 'name="starts_at_1" value="06:37"' in page
    listing = superuser.get(reverse("admin:news_event_changelist")).content.decode()
    assert "令和8年12月7日(月) 6:37" in listing


# --- another app, and an inline ---------------------------------------------------


def test_a_grant_programs_dates_are_read_as_typed(superuser, db):
    program = GrantProgramFactory(fiscal_year=2020)
    response = change(superuser, program, opens_on="令和2年4月1日", closes_on="R3.2.6")
    assert response.status_code == 302, response.content.decode()
    program.refresh_from_db()
    assert (program.opens_on, program.closes_on) == (datetime.date(2020, 4, 1), FEB_6)

    response = change(superuser, program, closes_on="02/06/2021")
    assert ORDER_MESSAGE in response.content.decode()
    assert GrantProgram.objects.get(pk=program.pk).closes_on == FEB_6


def test_dates_typed_in_an_inline_row_are_read_like_the_page_above(superuser, db):
    council = CouncilFactory()
    row = CouncilMemberFactory(council=council, term_start=datetime.date(2020, 4, 1))
    url = reverse("admin:councils_council_change", args=[council.pk])
    data = form_data(superuser.get(url))
    field = next(name for name in data if name.endswith("-0-term_start"))
    assert data[field] == "2020/04/01"

    refused = superuser.post(url, {**data, field: "02/06/2021"})
    assert ORDER_MESSAGE in refused.content.decode()
    assert f'name="{field}" value="02/06/2021"' in refused.content.decode()
    assert CouncilMember.objects.get(pk=row.pk).term_start == datetime.date(2020, 4, 1)

    assert superuser.post(url, {**data, field: "令和3年2月6日"}).status_code == 302
    row.refresh_from_db()
    assert row.term_start == FEB_6


def test_the_history_writes_when_in_wareki(superuser, member):
    change(superuser, member, term_start="R3.2.6")
    url = reverse("admin:districts_welfarecommitteemember_history", args=[member.pk])
    html = superuser.get(url).content.decode()
    today = timezone.localdate()
    era, year = wareki(today)
    assert f"{era}{'元' if year == 1 else year}年{today.month}月{today.day}日" in html


# --- every style reads back as the day it was written from ----------------------


def _admin_date_field():
    model_admin = admin.site._registry[WelfareCommitteeMember]
    return model_admin.formfield_for_dbfield(
        WelfareCommitteeMember._meta.get_field("term_start"), None
    )


def _full_width(text):
    return text.translate(str.maketrans("0123456789/-", "０１２３４５６７８９／－"))


def _styles(day):
    era, year = wareki(day)
    letter = next(e.letter for e in ERAS if e.name == era)
    era_year = "元" if year == 1 else str(year)
    return [
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        day.isoformat(),
        f"{day.year}年{day.month}月{day.day}日",
        _full_width(f"{day.year}/{day.month}/{day.day}"),
        f"{era}{era_year}年{day.month}月{day.day}日",
        f"{letter}{year}.{day.month}.{day.day}",
        _full_width(f"{letter}{year}.{day.month}.{day.day}"),
    ]


@given(st.dates(min_value=ERAS[0].start, max_value=datetime.date(2099, 12, 31)))
def test_any_date_written_in_any_accepted_style_reads_back_as_itself(day):
    field = _admin_date_field()
    for text in _styles(day):
        assert field.clean(text) == day, text


@given(st.dates(min_value=ERAS[0].start, max_value=datetime.date(2099, 12, 31)))
def test_the_sites_own_way_of_writing_a_date_reads_back(day):
    from shakyo_portal.core.dates import format_date

    field = _admin_date_field()
    assert field.clean(format_date(day)) == day
    assert field.clean(format_date(day, western=True)) == day
