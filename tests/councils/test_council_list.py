"""/councils/: layer 1, the layer-2 councils with their areas, and the next dates."""

import datetime

import pytest
from django.utils import timezone

from councils.models import MeetingRule, MeetingStatus
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    LifeAreaFactory,
    MeetingFactory,
    SiteProfileFactory,
)

URL = "/councils/"


@pytest.fixture
def world(db):
    SiteProfileFactory()
    kiyone = DistrictFactory(name="清音", slug="kiyone")
    yamate = DistrictFactory(name="山手", slug="yamate")
    hidden_district = DistrictFactory(name="非公開地区", slug="hidden", hidden=True)
    showa = DistrictFactory(name="昭和", slug="showa")
    area = LifeAreaFactory(name="清音中学校区", districts=[kiyone, yamate, hidden_district])
    city = CouncilFactory(city=True, name="生活支援サービス検討委員会", slug="city")
    local = CouncilFactory(
        name="清音中学校区 圏域地域包括ケア会議",
        nickname="いい輪ネットきよね",
        slug="kiyone-chu",
        life_area=area,
    )
    return {"kiyone": kiyone, "showa": showa, "city": city, "local": local, "area": area}


def test_lists_layer_1_then_layer_2_with_areas_and_districts(resident, world):
    CouncilFactory(name="非公開の協議体", is_public=False)
    html = resident.get(URL).content.decode()
    assert "<h1>協議体（話し合いの場）</h1>" in html
    assert html.index("第1層（市全域）") < html.index("生活支援サービス検討委員会")
    assert html.index("生活支援サービス検討委員会") < html.index("第2層（日常生活圏域）")
    assert "いい輪ネットきよね（清音中学校区 圏域地域包括ケア会議）" in html
    assert "清音中学校区" in html and "（中学校区）" in html
    assert '<a href="/districts/kiyone/">清音' in html
    assert "非公開地区" not in html
    assert "非公開の協議体" not in html
    assert 'href="/councils/kiyone-chu/"' in html
    assert "原則毎月第3火曜日 10:00〜12:00" in html


def test_the_next_date_is_a_registered_meeting_or_the_rules_expected_one(resident, world):
    today = timezone.localdate()
    meeting = MeetingFactory(council=world["local"], held_on=today + datetime.timedelta(days=5))
    MeetingFactory(
        council=world["local"],
        held_on=today + datetime.timedelta(days=2),
        status=MeetingStatus.CANCELLED,
        status_reason="雨",
    )
    html = resident.get(URL).content.decode()
    assert f'<a href="{meeting.get_absolute_url()}">{meeting.when}</a>' in html
    # The layer-1 council has nothing registered: its rule's next date, marked.
    expected = world["city"].expected_dates(start=today, count=1)[0]
    city_card = html.split("生活支援サービス検討委員会", 1)[1].split("</li>", 1)[0]
    assert "予定（目安）" in city_card
    assert f"{expected.month}月{expected.day}日" in city_card


def test_an_irregular_council_without_meetings_says_undecided(resident, world):
    world["local"].meeting_rule = MeetingRule.IRREGULAR
    world["local"].save()
    html = resident.get(URL).content.decode()
    assert "不定期" in html
    # Undecided, with no promise the council did not make.
    assert "<dd>未定</dd>" in "".join(html.split())
    assert "お知らせします" not in html


def test_choosing_a_district_keeps_layer_1_and_the_councils_covering_it(resident, world):
    other = CouncilFactory(
        name="昭和中学校区の会議", life_area=LifeAreaFactory(districts=[world["showa"]])
    )
    html = resident.get(URL, {"district": "kiyone"}).content.decode()
    assert "清音地区を受け持つ協議体と、市全域の協議体を表示しています" in html
    assert "いい輪ネットきよね" in html and "生活支援サービス検討委員会" in html
    assert other.name not in html
    assert '<option value="kiyone" selected>清音</option>' in html
    assert "<title>清音地区の協議体｜" in html


def test_a_district_without_a_council_says_so(resident, world):
    html = resident.get(URL, {"district": "showa"}).content.decode()
    assert "昭和地区を受け持つ第2層の協議体は、まだ掲載していません" in html
    assert "生活支援サービス検討委員会" in html
    assert "いい輪ネットきよね" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"district": "nowhere"},
        {"district": "hidden"},
        {"district": "あ" * 5000},
        {"page": "abc"},
        {"page": "99999"},
        {"district": "", "page": "-1"},
    ],
)
def test_bad_query_strings_never_fail(resident, world, query):
    response = resident.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "いい輪ネットきよね" in html  # the list is shown unfiltered
    if query.get("district"):
        assert "その地区は見つかりませんでした。一覧から選んでください。" in html
        assert 'aria-invalid="true"' in html


def test_an_empty_site_shows_the_empty_state(resident, db):
    html = resident.get(URL).content.decode()
    assert "現在、掲載している情報はありません" in html
    assert "第1層（市全域）</h2>" not in html


def test_many_councils_paginate(resident, world):
    CouncilFactory.create_batch(35, life_area=world["area"])
    first = resident.get(URL).content.decode()
    second = resident.get(URL, {"page": "2"}).content.decode()
    assert first.count('class="card council-card"') == 30
    assert second.count('class="card council-card"') == 7
    assert "（2ページ目）" in second


def test_the_page_links_to_the_calendar_feed(resident, world):
    html = resident.get(URL).content.decode()
    assert 'href="webcal://testserver/councils/calendar.ics"' in html
    assert 'href="/councils/calendar.ics" download' in html


def test_query_count_does_not_grow(resident, world, shell_queries, django_assert_max_num_queries):
    today = timezone.localdate()

    def make(n):
        for i in range(n):
            area = LifeAreaFactory(districts=DistrictFactory.create_batch(3))
            council = CouncilFactory(life_area=area)
            for days in (3, 40, -30):
                MeetingFactory(council=council, held_on=today + datetime.timedelta(days=days + i))
            CouncilFactory(city=True)

    make(2)
    # the shell's, then the chooser's districts, count, councils with their areas,
    # the areas' districts, the councils' next meetings
    with django_assert_max_num_queries(shell_queries + 5):
        resident.get(URL)
    make(20)
    with django_assert_max_num_queries(shell_queries + 5):
        assert resident.get(URL).status_code == 200
    with django_assert_max_num_queries(shell_queries + 5):
        resident.get(URL, {"district": "kiyone"})


def test_the_district_chooser_is_djangos_select_written_in_one_loop(world):
    # core.widgets.ListSelect writes the options itself, for speed; the
    # markup must stay Django's own, with the choice kept and names escaped.
    from django import forms

    from councils.forms import CouncilFilterForm
    from districts.models import District

    DistrictFactory(name="<b>&amp;地区</b>", slug="amp")
    districts = list(District.objects.public().top_level())
    for data in [None, {"district": "kiyone"}, {"district": "amp"}, {"district": "nowhere"}]:
        ours = CouncilFilterForm(data, districts=districts)
        django = CouncilFilterForm(data, districts=districts)
        django.fields["district"].widget = forms.Select(choices=django.fields["district"].choices)
        assert ours.is_valid() == django.is_valid()
        assert str(ours["district"]) == str(django["district"])
        assert ours["district"].as_field_group() == django["district"].as_field_group()
    assert "&lt;b&gt;&amp;amp;地区&lt;/b&gt;" in str(ours["district"])


def test_the_cards_link_each_district_to_its_page(resident, world):
    html = resident.get(URL).content.decode()
    assert f'<a href="{world["kiyone"].get_absolute_url()}">清音' in html
