"""/coordinators/: who covers which area, and how to reach them through the office."""

import datetime
import re

import pytest

from coordinators.models import CoordinatorKind
from shakyo_portal.core.models import Office
from tests.coordinators.scenario import SHELL_QUERIES, build_coordinators
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    CouncilFactory,
    DistrictFactory,
    LifeAreaFactory,
    OfficeFactory,
)

URL = "/coordinators/"


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def card(html, coordinator):
    """The card of one coordinator."""
    start = html.index(f'id="coordinator-{coordinator.pk}"')
    return html[start : html.index("</li>\n", html.index("coordinator__contact", start))]


@pytest.fixture
def world(db):
    return build_coordinators()


def test_lists_public_active_coordinators_by_layer(resident, world):
    response = resident.get(URL)
    assert response.status_code == 200
    html = main(response.content.decode())
    names = re.findall(r'<h3 class="coordinator__name">([^<]+)</h3>', html)
    # Layer, then the council's order, then reading: た before ふ.
    assert names == ["岡田 美咲", "高橋 直人", "藤井 健太"]
    # 第1層 comes first, then 第2層, each a section of its own.
    assert html.index("第1層（市全域）</h2>") < html.index("第2層（日常生活圏域）</h2>")
    assert "非公開 太郎" not in html
    assert "退任 花子" not in html
    assert html.count("<h1>") == 1
    assert "<title>コーディネーター｜" in response.content.decode()


def test_a_card_says_kind_layer_areas_message_and_contact(resident, world):
    html = main(resident.get(URL).content.decode())
    city = card(html, world.city)
    assert "生活支援コーディネーター" in city
    assert "<dd>市全域</dd>" in city
    assert 'alt="笑顔で話す岡田さん"' in city
    assert "<p>市全体の支え合いを担当しています。<br>気軽にお声かけください。</p>" in city
    assert f'<a href="#office-{world.office.pk}">地域共生推進課</a>' in city
    assert '<a href="tel:0866-92-8552">0866-92-8552</a>' in city
    # The office's details once, below the cards.
    assert html.count(f'id="office-{world.office.pk}"') == 1

    area = card(html, world.area)
    # An area with a public layer-2 council links to it; one without is named only.
    assert f'<a href="/councils/{world.council.slug}/">総社東中学校区</a>' in area
    assert "総社西中学校区" in area
    assert "/councils/" not in area.split("総社西中学校区", 1)[1].split("</li>", 1)[0]
    assert f'href="/coordinators/reports/?coordinator={world.area.pk}"' in area

    csw = card(html, world.csw)
    assert CoordinatorKind.CSW.label in csw
    assert '<a href="/districts/kiyone/">清音地区社協</a>' in csw
    # A hidden district is not named.
    assert "隠れ地区" not in csw
    # Without an office of their own, the site's contact page.
    assert '<a href="/contact/">社協のお問合せ窓口</a>' in csw


def test_a_hidden_council_is_not_linked(resident, world):
    world.council.is_public = False
    world.council.save()
    html = card(main(resident.get(URL).content.decode()), world.area)
    assert "/councils/" not in html
    assert "総社東中学校区" in html


def test_no_personal_contact_is_ever_shown(resident, world):
    html = resident.get(URL).content.decode()
    # Coordinators have no phone of their own: only offices' numbers appear.
    phones = set(re.findall(r'href="tel:([^"]+)"', html))
    assert phones and phones <= set(Office.objects.values_list("phone", flat=True))


def test_empty_state(resident, db):
    html = main(resident.get(URL).content.decode())
    assert "現在、掲載しているコーディネーターはいません。" in html


def test_pages_and_bad_page_numbers(resident, db):
    office = OfficeFactory()
    CoordinatorFactory.create_batch(31, office=office)
    first = resident.get(URL).content.decode()
    assert "31件中 1〜30件目を表示" in first
    for page in ["2", "99999", "abc", "-1", "9" * 50]:
        response = resident.get(URL, {"page": page})
        assert response.status_code == 200, page
    assert "（2ページ目）" in resident.get(URL, {"page": "2"}).content.decode()


def test_read_only(resident, db):
    assert resident.post(URL).status_code == 405


def test_query_count_does_not_grow_with_the_data(resident, db, django_assert_max_num_queries):
    office = OfficeFactory()

    def make(n):
        for i in range(n):
            districts = DistrictFactory.create_batch(2)
            area = LifeAreaFactory(districts=districts)
            CouncilFactory(life_area=area)
            coordinator = CoordinatorFactory(
                office=office if i % 2 else OfficeFactory(),
                layer=1 + i % 2,
                districts=districts,
                life_areas=[area],
            )
            ActivityLogFactory.create_batch(2, coordinator=coordinator, published=True)

    # the shell's queries, the count, the page of coordinators (with office and
    # report counts), their districts, their life areas, those areas' councils
    expected = SHELL_QUERIES + 5
    make(3)
    with django_assert_max_num_queries(expected):
        assert resident.get(URL).status_code == 200
    make(30)
    for params in [{}, {"page": "2"}, {"page": "x"}]:
        with django_assert_max_num_queries(expected):
            assert resident.get(URL, params).status_code == 200


def test_a_coordinator_whose_period_has_not_begun_is_not_listed(resident, db):
    CoordinatorFactory(display_name="来年から 次郎", active_from=datetime.date(2099, 4, 1))
    assert "来年から 次郎" not in resident.get(URL).content.decode()
