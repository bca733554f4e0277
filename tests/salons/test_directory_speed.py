"""The /salons/ keyword folds text as the site search does (ＮＰＯ finds NPO,
ｻﾛﾝ finds サロン, either way round), its queries stay as many however many
salons there are, and the district list is written in Python with exactly
the markup Django's templates would give it; the salons' calendar feeds are
icalendar's bytes, written faster."""

import datetime

import pytest
from django import forms
from django.utils import timezone
from icalendar import Event

from salons.forms.directory import SalonFilterForm
from salons.models import ChangeKind, SalonScheduleChange
from salons.views import feeds
from shakyo_portal.core.calendars import calendar_bytes
from shakyo_portal.core.widgets import ListSelect
from tests.factories import DistrictFactory, SalonFactory, SiteProfileFactory
from tests.salons.test_directory import card_names


@pytest.fixture
def district(db):
    SiteProfileFactory()
    return DistrictFactory(name="清音", slug="kiyone")


@pytest.mark.parametrize(
    "name, venue, typed",
    [
        ("ＮＰＯひまわり", "公会堂", "npo"),
        ("NPOひまわり", "公会堂", "ＮＰＯ"),
        ("ひまわり", "第１集会所", "第1"),
        ("ひまわり", "第1集会所", "第１"),
        ("ｻﾛﾝひまわり", "公会堂", "サロン"),
        ("サロンひまわり", "公会堂", "ｻﾛﾝ"),
    ],
)
def test_the_keyword_finds_either_width(resident, district, name, venue, typed):
    SalonFactory(name=name, reading="ひまわり", district=district, venue_name=venue)
    SalonFactory(name="あおぞら", reading="あおぞら", district=district, venue_name="公民館")
    html = resident.get("/salons/", {"q": typed}).content.decode()
    # The card shows the name as it was typed.
    assert card_names(html) == [name]


def test_a_reading_matches_either_kana(resident, district):
    SalonFactory(name="陽だまり", reading="ひだまり", district=district, description="")
    for typed in ("ひだまり", "ヒダマリ", "ﾋﾀﾞﾏﾘ"):
        html = resident.get("/salons/", {"q": typed}).content.decode()
        assert card_names(html) == ["陽だまり"], typed


def test_the_keyword_costs_the_same_queries_with_ten_times_the_salons(
    resident, district, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            SalonFactory(
                name=f"ｻﾛﾝ{i}",
                district=DistrictFactory(parent=district if i % 3 == 0 else None),
            )

    # as test_directory.test_query_count_does_not_grow_with_the_data counts them
    expected = 10
    make(10)
    with django_assert_max_num_queries(expected):
        small = resident.get("/salons/", {"q": "サロン", "district": "kiyone"})
    make(90)
    with django_assert_max_num_queries(expected):
        large = resident.get("/salons/", {"q": "サロン"})
    assert len(card_names(small.content.decode())) == 4
    assert "100件見つかりました" in large.content.decode()


@pytest.mark.parametrize("chosen", ["", "kiyone", "b&<\"'", "nowhere"])
def test_the_district_list_is_the_markup_django_writes(db, chosen):
    parent = DistrictFactory(name="清音", slug="kiyone")
    districts = [
        parent,
        DistrictFactory(name="軽部", slug="karube", parent=parent),
        DistrictFactory(name='<b>"総社"&', slug="b&<\"'"),
    ]
    form = SalonFilterForm(
        {"district": chosen}, districts=districts, target_groups=[], activity_types=[]
    )
    form.is_valid()
    field = form["district"]
    ours = field.as_widget()
    django = field.as_widget(widget=forms.Select(choices=field.field.choices))
    assert isinstance(field.field.widget, ListSelect)
    assert ours == django
    assert field.as_field_group().count("<option") == 4


# --- the calendar feeds -----------------------------------------------------------------


def test_the_feeds_are_the_bytes_icalendar_wrote(resident, district, monkeypatch):
    """The salon feeds moved to the portal's own iCalendar writer for speed; a
    subscribed calendar must not see an octet change (tests/councils/
    test_feed_writer.py tries the writer on every kind of value)."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    timed = SalonFactory(
        name="水曜サロン, 清音; \\ ^_^",
        district=district,
        frequency="weekly",
        weekday=2,
        venue_name="清音公会堂",
        venue_address="総社市清音1-1",
        schedule_note="雨の日も開きます。\n長い説明" * 5,
    )
    untimed = SalonFactory(
        name="時間なしサロン", district=district, weekday=4, starts_at=None, ends_at=None
    )
    wednesday = timezone.localdate() + datetime.timedelta(days=1)
    while wednesday.weekday() != 2:
        wednesday += datetime.timedelta(days=1)
    SalonScheduleChange.objects.create(
        salon=timed, kind=ChangeKind.CANCELLED, starts_on=wednesday, reason="会場の点検のため"
    )
    urls = [
        f"/salons/{timed.pk}/calendar.ics",
        f"/salons/{untimed.pk}/calendar.ics",
        f"/salons/district/{district.slug}/calendar.ics",
    ]
    ours = [resident.get(url).content for url in urls]
    monkeypatch.setattr(feeds, "feed_event", Event.new)
    monkeypatch.setattr(feeds, "feed_bytes", calendar_bytes)
    assert [resident.get(url).content for url in urls] == ours
    assert b"STATUS:CANCELLED" in ours[0] and b"DTSTART;VALUE=DATE:" in ours[1]
