"""このページの更新日 and このページに関するお問い合わせ at the end of every public page:
the date only when the page knows it, the page's own office or else the council's."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Event, Post
from tests.factories import (
    DistrictFactory,
    OfficeFactory,
    ResourceFactory,
    SiteProfileFactory,
)
from tests.news.factories import EventFactory, PostFactory

JST = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def council(db):
    SiteProfileFactory()
    return {
        "main": OfficeFactory(name="地域共生推進課", phone="0866-92-8552"),
        "branch": OfficeFactory(name="山手支所", phone="0866-99-0001", show_in_footer=False),
    }


def page_info(html):
    """The block at the end of <main>, or "" when the page shows none."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    found = re.search(r'<div class="page-info">.*?</div>\s*$', main, re.S)
    return found.group(0) if found else ""


def text(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def set_updated(model, obj, moment):
    # auto_now would overwrite a value given to save().
    model.objects.filter(pk=obj.pk).update(updated_at=moment)


def test_a_post_says_when_it_was_updated_in_wareki_on_the_japan_day(resident, council):
    post = PostFactory(title="研修会のお知らせ")
    # 23:30 on the 7th in UTC is 8:30 on the 8th in Japan: the page says the 8th.
    set_updated(Post, post, datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.UTC))

    info = page_info(resident.get(post.get_absolute_url()).content.decode())

    assert 'このページの更新日：<time datetime="2026-12-08">令和8年12月8日(火)</time>' in info
    # A date, not a time of day.
    assert "8:30" not in info


def test_a_page_that_knows_no_date_claims_none(resident, council):
    info = page_info(resident.get("/contact/").content.decode())

    assert "更新日" not in info
    assert "<time" not in info
    # It still says whom to ask.
    assert "このページに関するお問い合わせ" in info


def test_the_council_main_office_is_asked_when_a_page_names_none(resident, council):
    post = PostFactory()

    info = page_info(resident.get(post.get_absolute_url()).content.decode())

    assert "<h2" in info and "このページに関するお問い合わせ" in info
    assert "担当：地域共生推進課" in text(info)
    assert '<a href="tel:0866-92-8552">0866-92-8552</a>' in info
    assert "山手支所" not in info


def test_an_event_names_its_own_office(resident, council):
    event = EventFactory(office=council["branch"])
    set_updated(Event, event, datetime.datetime(2026, 11, 30, 10, 0, tzinfo=JST))

    info = page_info(resident.get(event.get_absolute_url()).content.decode())

    assert "担当：山手支所" in text(info)
    assert '<a href="tel:0866-99-0001">0866-99-0001</a>' in info
    assert "地域共生推進課" not in info
    assert "令和8年11月30日(月)" in info


def test_a_resource_names_its_district_office(resident, council):
    district = DistrictFactory(office=council["branch"])
    resource = ResourceFactory(district=district)

    info = page_info(resident.get(f"/resources/{resource.pk}/").content.decode())

    assert "担当：山手支所" in text(info)
    assert "tel:0866-99-0001" in info


def test_a_list_is_as_new_as_the_newest_item_it_shows(resident, council):
    older, newer = PostFactory(), PostFactory()
    set_updated(Post, older, datetime.datetime(2026, 10, 1, 9, 0, tzinfo=JST))
    set_updated(Post, newer, datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JST))

    info = page_info(resident.get("/news/").content.decode())

    assert "令和8年11月2日(月)" in info
    assert "令和8年10月1日" not in info


def test_an_empty_list_claims_no_date(resident, council):
    info = page_info(resident.get("/news/").content.decode())

    assert "更新日" not in info
    assert "担当：地域共生推進課" in text(info)


def test_a_site_without_offices_names_no_one(resident, db):
    SiteProfileFactory()
    post = PostFactory()

    info = page_info(resident.get(post.get_absolute_url()).content.decode())

    assert "お問い合わせ" not in info
    assert "このページの更新日" in info


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_naming_an_office_costs_no_query(resident, council):
    """The page's office is the shell's copy of it (with its numbers): an event
    with an office of its own runs as many queries as one without."""
    without = EventFactory()
    with_office = EventFactory(office=council["branch"])

    assert queries_for(resident, with_office.get_absolute_url()) == queries_for(
        resident, without.get_absolute_url()
    )
