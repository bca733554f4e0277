import pytest

from tests.factories import (
    DistrictFactory,
    OfficeFactory,
    SiteProfileFactory,
    WelfareCommitteeMemberFactory,
)


@pytest.fixture
def shell(db):
    SiteProfileFactory()
    OfficeFactory()


def test_lists_public_districts_in_council_order(resident, shell):
    DistrictFactory(name="常盤", display_order=20)
    DistrictFactory(name="総社", display_order=10)
    DistrictFactory(name="非公開", hidden=True)
    html = resident.get("/districts/").content.decode()
    assert html.index("総社") < html.index("常盤")
    assert "非公開" not in html
    assert "<title>地区社協の一覧｜テスト市社協</title>" in html


def test_sub_districts_are_counted_not_listed(resident, shell):
    kiyone = DistrictFactory(name="清音")
    DistrictFactory(name="軽部", parent=kiyone)
    DistrictFactory(name="柿木", parent=kiyone)
    DistrictFactory(name="隠れ", parent=kiyone, is_public=False)
    html = resident.get("/districts/").content.decode()
    assert "小地区社協 2地区" in html
    assert "軽部" not in html


def test_shows_only_the_count_of_current_welfare_members(resident, shell):
    district = DistrictFactory(name="三須")
    WelfareCommitteeMemberFactory.create_batch(3, district=district)
    WelfareCommitteeMemberFactory(district=district, retired=True)
    html = resident.get("/districts/").content.decode()
    assert "福祉委員 3人" in html
    # Names are never on the list page, consent or not.
    assert "委員 " not in html.split("<main", 1)[1].split("</main>", 1)[0].replace("福祉委員 ", "")


def test_empty_state(resident, shell):
    assert "現在、掲載している情報はありません" in resident.get("/districts/").content.decode()


def test_paginates(resident, shell):
    DistrictFactory.create_batch(55)
    first = resident.get("/districts/").content.decode()
    second = resident.get("/districts/?page=2").content.decode()
    assert first.count('class="card"') == 50
    assert second.count('class="card"') == 5
    assert "55件中 51〜55件目を表示" in second
    # Out-of-range and garbage page numbers still give a page, not an error.
    assert resident.get("/districts/?page=999").status_code == 200
    assert resident.get("/districts/?page=abc").status_code == 200


def test_query_count_does_not_grow_with_districts(
    resident, shell, shell_queries, django_assert_max_num_queries
):
    def make(n):
        for district in DistrictFactory.create_batch(n):
            DistrictFactory(parent=district)
            WelfareCommitteeMemberFactory.create_batch(2, district=district)

    make(3)
    # the shell (site profile, footer offices), then count, districts (each
    # with how many sub-districts it has), member counts
    with django_assert_max_num_queries(shell_queries + 3):
        resident.get("/districts/")
    make(30)
    with django_assert_max_num_queries(shell_queries + 3):
        html = resident.get("/districts/").content.decode()
    assert html.count("小地区社協 1地区") == 33


def test_50on_order_sorts_by_reading_not_code_point(resident, shell):
    # Code-point order would put がくえん after かわ; 50音 order reads が as か.
    DistrictFactory(name="川", reading="かわ", display_order=1)
    DistrictFactory(name="学園", reading="ガクエン", display_order=2)
    DistrictFactory(name="秋", reading="あき", display_order=3)
    html = resident.get("/districts/?order=kana").content.decode()
    assert html.index("秋") < html.index("学園") < html.index("川")
    assert '<span aria-current="true">50音順</span>' in html
    council = resident.get("/districts/").content.decode()
    assert council.index("川") < council.index("学園") < council.index("秋")


def test_50on_order_query_count(resident, shell, shell_queries, django_assert_max_num_queries):
    DistrictFactory.create_batch(60)
    # the districts, read whole to sort them, then the shown ones' member counts
    with django_assert_max_num_queries(shell_queries + 2):
        resident.get("/districts/?order=kana&page=2")


def test_the_links_are_the_district_pages_under_any_script_prefix(resident, shell):
    # The list writes its links without reverse() for each district
    # (districts.models.detail_urls); they are the pages' URLs all the same.
    from django.urls import set_script_prefix

    from districts.models import District, detail_urls

    DistrictFactory(slug="soja")
    DistrictFactory(slug="kiyone-2_b")
    html = resident.get("/districts/").content.decode()
    assert 'href="/districts/soja/"' in html and 'href="/districts/kiyone-2_b/"' in html
    try:
        set_script_prefix("/portal/")
        url = detail_urls()
        for district in District.objects.all():
            assert url(district.slug) == district.get_absolute_url()
            assert url(district.slug).startswith("/portal/districts/")
    finally:
        set_script_prefix("/")
