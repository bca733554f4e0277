"""Each resource's page: what it is, for which scenes, where and when, the help it
offers, how to ask for it, and whom to contact."""

import pytest

from tests.factories import OfficeFactory
from tests.resources.world import SECRETS, build_town


@pytest.fixture
def town(db):
    return build_town()


def page(client, resource):
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_a_help_service_lists_the_help_it_offers_and_how_to_ask(resident, town):
    html = page(resident, town.resources.niko)
    assert "<title>にこにこサポート（地域資源）｜テスト市社協</title>" in html
    content = main(html)
    assert content.count("<h1>") == 1
    for text in [
        '<span class="h1-sub">助け合い（住民の支え合い）</span>',
        '<p class="lead">登録したサポーターが、暮らしのちょっとした困りごとをお手伝いします。</p>',
        "<p>住民どうしの支え合いの活動です。</p>\n\n<p>運営はサポーターの連絡会です。</p>",
        '<a href="/resources/?scene=kaimono">買い物</a>',
        "<dd>市全域</dd>",
        "<dd>平日の日中</dd>",
        "<li>掃除</li><li>簡単な家事</li><li>買い物</li><li>外出時の付き添い</li>",
        "<p>地域共生推進課へお電話ください。<br>利用料は1時間300円です。</p>",
        "<dd>総社市社協 地域共生推進課</dd>",
        '<a href="tel:0866-92-8552">0866-92-8552</a>',
        '<a href="mailto:chiiki@example.jp">chiiki@example.jp</a>',
        '<a href="https://example.jp/niko/" rel="noopener noreferrer">',
    ]:
        assert text in content, text
    # No address and no position: no empty rows.
    assert "所在地" not in content
    assert "地図で見る" not in content
    assert "openstreetmap" not in content


def test_a_place_shows_its_district_address_and_a_plain_map_link(resident, town):
    content = main(page(resident, town.resources.kayoi_kiyone))
    assert f'<a href="{town.kiyone.get_absolute_url()}">清音</a>' in content
    assert "〒719-1101 総社市清音1-1" in content
    assert (
        '<a href="https://www.openstreetmap.org/?mlat=34.636100&amp;mlon=133.757900'
        '#map=17/34.636100/133.757900" rel="noopener noreferrer">場所を地図で見る'
    ) in content
    assert "できるお手伝い" not in content
    assert "利用のしかた" not in content


def test_without_a_contact_of_its_own_the_office_is_the_contact(resident, town):
    # 軽部 has no office; its parent 清音's office answers.
    content = main(page(resident, town.resources.kayoi_karube))
    assert "社協の窓口へお問い合わせください" in content
    assert "<h3>地域共生推進課</h3>" in content
    assert '<a href="tel:0866-92-8552">' in content
    assert "日時" not in content


def test_without_any_office_of_its_district_the_sites_offices_answer(resident, town):
    OfficeFactory(name="総務課", phone="0866-00-0009")
    content = main(page(resident, town.resources.haishoku))
    assert "<h3>総務課</h3>" in content
    assert "（公的なサービス）" in content


def test_not_public_or_in_a_hidden_district_is_not_found(resident, town):
    for resource in (town.resources.private, town.resources.in_hidden):
        response = resident.get(resource.get_absolute_url())
        assert response.status_code == 404
        for secret in SECRETS:
            assert secret not in response.content.decode()
    assert resident.get("/resources/999999/").status_code == 404


@pytest.mark.parametrize("resource", ["niko", "kayoi_kiyone", "kayoi_karube", "haishoku"])
def test_nothing_private_on_a_resource_page(resident, town, resource):
    html = page(resident, getattr(town.resources, resource))
    for secret in SECRETS:
        assert secret not in html, secret


def test_the_page_is_read_only(resident, town):
    url = town.resources.niko.get_absolute_url()
    assert resident.post(url).status_code == 405
    assert resident.head(url).status_code == 200


def test_query_count(resident, town, django_assert_max_num_queries):
    # site profile, footer offices, the resource (+category, district, offices), its
    # scenes, the salons it stops at
    for resource in (town.resources.niko, town.resources.kayoi_karube):
        with django_assert_max_num_queries(5):
            page(resident, resource)
