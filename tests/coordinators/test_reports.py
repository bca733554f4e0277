"""/coordinators/reports/ and each report: published reports only, as a resident reads them."""

import datetime
import re

import pytest

from coordinators.models import LogKind
from tests.coordinators.scenario import SHELL_QUERIES, add_photo, build_coordinators
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    DistrictFactory,
    LifeAreaFactory,
)

URL = "/coordinators/reports/"


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def titles(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = main(response.content.decode())
    return re.findall(r'<h3 class="report-card__title"><a href="[^"]+">([^<]+)</a>', html), html


@pytest.fixture
def world(db):
    return build_coordinators()


# --- the list ----------------------------------------------------------------------------


def test_lists_published_reports_newest_first(resident, world):
    found, html = titles(resident)
    assert found[:4] == [
        "県の研修に参加",
        "総社地区の見守り会議",
        "見守りネットワーク会議",
        "担い手養成講座",
    ]
    assert "活動報告 26件" in html
    assert "内部記録のひみつの件名" not in html
    assert "非公開コーディネーターの報告" not in html


def test_a_card_has_date_kind_area_coordinator_excerpt_and_first_photo(resident, world):
    _, html = titles(resident, kind=LogKind.MEETING)
    card = html.split('class="report-card"', 2)[1]
    for text in [
        "令和8年9月3日(木)",
        "会議・協議体",
        "<dd>総社地区社協</dd>",
        "<dd>藤井 健太（生活支援コーディネーター）</dd>",
        "見守りの輪を広げる方法を話し合いました。",
        'alt="会議で話し合う参加者"',
    ]:
        assert text in card, text
    assert "地図に印をつける様子" not in card  # only the first photo


def test_areas_are_named_as_the_public_may_see_them(resident, world):
    _, html = titles(resident, page="1")
    assert "<dd>清音第1（清音地区）</dd>" in html  # a sub-district
    assert "<dd>総社西中学校区</dd>" in html  # a life area
    assert "<dd>市全域</dd>" in html
    # A hidden district is never named: its report reads as 市全域 (it names no area).
    assert "隠れ地区" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "launch"}, ["清音第1小地区のサロン立ち上げ"]),
        # A district includes its sub-districts.
        ({"district": "kiyone"}, ["清音第1小地区のサロン立ち上げ"]),
        ({"district": "kiyone-1"}, ["清音第1小地区のサロン立ち上げ"]),
        # A life area includes its districts and their sub-districts.
        ({"area": "soja-nishi"}, ["担い手養成講座", "清音第1小地区のサロン立ち上げ"]),
        ({"area": "soja-nishi", "kind": "helpers"}, ["担い手養成講座"]),
        ({"year": "2025", "district": "kiyone"}, ["清音第1小地区のサロン立ち上げ"]),
        ({"year": "2025", "kind": "study"}, []),
    ],
)
def test_filters(resident, world, params, expected):
    found, html = titles(resident, **params)
    assert found == expected
    if not expected:
        assert "この条件に合う活動報告はありませんでした。" in html


def test_filter_by_coordinator_and_year(resident, world):
    found, html = titles(resident, coordinator=world.city.pk)
    assert found == ["県の研修に参加"]
    assert "岡田 美咲の活動報告 1件" in html
    found, _ = titles(resident, year="2025")
    assert len(found) == 20 and "清音第1小地区のサロン立ち上げ" in found


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "zzz"}, "その活動の種類はありません。"),
        ({"district": "kakure"}, "指定された地区は見つかりませんでした。"),
        ({"area": "no-such"}, "指定された圏域は見つかりませんでした。"),
        ({"year": "令和8"}, "その年度の活動報告はありません。"),
        ({"year": "2019"}, "その年度の活動報告はありません。"),
        ({"coordinator": "abc"}, "指定されたコーディネーターは見つかりませんでした。"),
        ({"coordinator": "9" * 30}, "指定されたコーディネーターは見つかりませんでした。"),
        ({"kind": "あ" * 5000}, "その活動の種類はありません。"),
    ],
)
def test_bad_filters_are_ignored_with_a_japanese_message(resident, world, params, message):
    found, html = titles(resident, **params)
    assert message in html
    assert 'class="error-summary"' in html
    # The bad condition is dropped; the list is the whole list.
    assert len(found) == 20


def test_a_hidden_coordinator_is_not_a_filter_choice(resident, world):
    _found, html = titles(resident, coordinator=world.secret.pk)
    assert "指定されたコーディネーターは見つかりませんでした。" in html
    assert "非公開 太郎" not in html


def test_pages(resident, world):
    found, html = titles(resident, page="2")
    assert len(found) == 6
    assert "26件中 21〜26件目を表示" in html
    for page in ["abc", "99999", "0", "-3", "9" * 40]:
        assert resident.get(URL, {"page": page}).status_code == 200, page


def test_empty(resident, db):
    _, html = titles(resident)
    assert "現在、掲載している情報はありません。" in html


def test_read_only(resident, world):
    assert resident.post(URL).status_code == 405
    assert resident.post(world.full.get_absolute_url()).status_code == 405


def test_list_query_count_does_not_grow_with_the_data(resident, db, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            district = DistrictFactory(parent=DistrictFactory() if i % 3 == 0 else None)
            area = LifeAreaFactory(districts=[district])
            coordinator = CoordinatorFactory(districts=[district])
            for day in (1, 15):
                log = ActivityLogFactory(
                    published=True,
                    coordinator=coordinator,
                    district=district if i % 2 else None,
                    life_area=None if i % 2 else area,
                    date=datetime.date(2024 + i % 3, 6, day),
                )
                add_photo(log, "写真")
            ActivityLogFactory(coordinator=coordinator)

    # the shell; the form's districts, life areas, coordinators and 年度; the count;
    # the page of reports (with coordinator and area); their photos
    expected = SHELL_QUERIES + 7
    make(3)
    with django_assert_max_num_queries(expected):
        assert resident.get(URL).status_code == 200
    make(30)
    area = LifeAreaFactory(slug="big")
    for params in [
        {},
        {"page": "2"},
        {"kind": "consultation", "year": "2025"},
        {"area": area.slug},
        {"district": "no-such", "coordinator": "x", "page": "abc"},
    ]:
        with django_assert_max_num_queries(expected):
            assert resident.get(URL, params).status_code == 200


# --- one report --------------------------------------------------------------------------


def test_a_report_page_has_everything_published(resident, world):
    response = resident.get(world.full.get_absolute_url())
    assert response.status_code == 200
    html = main(response.content.decode())
    for text in [
        '<h1 id="report-title">総社地区の見守り会議</h1>',
        "<dt>活動日</dt><dd>令和8年9月3日(木) 13:30〜15:00</dd>",
        "<dt>会場</dt><dd>総社公会堂</dd>",
        '<a href="/coordinators/reports/?kind=meeting">会議・協議体</a>',
        '<a href="/districts/soja/">総社地区社協</a>',
        f'<a href="/coordinators/#coordinator-{world.area.pk}">藤井 健太</a>',
        "<p>見守りの輪を広げる方法を話し合いました。</p>\n\n<p>次回は12月です。</p>",
        "<dt>参加者数</dt><dd>21人</dd>",
        'alt="会議で話し合う参加者"',
        "<figcaption>公会堂での会議</figcaption>",
        'alt="地図に印をつける様子"',
        f'<a href="/resources/{world.resource.pk}/">にこにこサポート</a>',
    ]:
        assert text in html, text
    # Counts of nothing are not listed.
    assert "相談件数" not in html
    assert "職員だけが読むメモ" not in html
    assert "<title>総社地区の見守り会議（活動報告）｜" in response.content.decode()


def test_a_hidden_resource_is_not_named(resident, world):
    html = resident.get(world.sub.get_absolute_url()).content.decode()
    assert "非公開の資源" not in html
    assert "関係する地域資源" not in html
    assert "清音第1（清音地区）" in html


def test_internal_and_hidden_coordinators_logs_are_not_found(resident, staff, world):
    for log in (world.internal, world.by_secret):
        assert resident.get(log.get_absolute_url()).status_code == 404
        # Staff read internal logs in the admin, not here.
        assert staff.get(log.get_absolute_url()).status_code == 404
    assert resident.get("/coordinators/reports/99999999/").status_code == 404


def test_report_query_count(resident, world, django_assert_max_num_queries):
    for n in range(10):
        add_photo(world.full, f"写真{n}")
    # the shell, the report with coordinator, area and resource, its photos
    with django_assert_max_num_queries(SHELL_QUERIES + 2):
        assert resident.get(world.full.get_absolute_url()).status_code == 200


def test_a_resource_in_a_hidden_district_is_not_named_on_a_report(resident, db):
    from tests.factories import ActivityLogFactory, DistrictFactory, ResourceFactory

    hidden = DistrictFactory(is_public=False)
    resource = ResourceFactory(name="隠れた地区の通いの場", district=hidden)
    report = ActivityLogFactory(published=True, resource=resource)
    html = resident.get(report.get_absolute_url()).content.decode()
    assert "隠れた地区の通いの場" not in html
    assert resource.get_absolute_url() not in html
