import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    DistrictFactory,
    MemberCategoryFactory,
    OfficeFactory,
    SiteProfileFactory,
    WelfareCommitteeMemberFactory,
)


@pytest.fixture
def district(db):
    SiteProfileFactory()
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    district = DistrictFactory(
        name="清音", slug="kiyone", office=office, description="紹介文です。"
    )
    district.member_categories.add(
        MemberCategoryFactory(name="民生委員・児童委員"), MemberCategoryFactory(name="老人クラブ")
    )
    return district


def test_activities_show_in_staffs_order_as_typed(resident, district):
    # Entered in an order that is neither the types' order nor the names' order.
    keiro = ActivityTypeFactory(name="敬老会", display_order=1)
    kouryu = ActivityTypeFactory(name="三世代交流", display_order=2)
    ActivityFactory(
        district=district, activity_type=kouryu, name="認定こども園との交流", display_order=1
    )
    ActivityFactory(
        district=district, activity_type=keiro, name="秋は集まろう会", season="9月", display_order=2
    )
    # Same display order: the one entered first comes first.
    ActivityFactory(district=district, activity_type=kouryu, name="夏まつり", display_order=2)
    html = resident.get("/districts/kiyone/").content.decode()
    assert "<h1>清音地区社協</h1>" in html
    positions = [
        html.index(name) for name in ("認定こども園との交流", "秋は集まろう会（9月）", "夏まつり")
    ]
    assert positions == sorted(positions)
    # The portal's type names are not put in as headings the district never wrote.
    assert "<h3>敬老会</h3>" not in html and "三世代交流" not in html
    assert "民生委員・児童委員" in html and "老人クラブ" in html


def test_sub_districts_link_both_ways(resident, district):
    child = DistrictFactory(name="軽部", slug="karube", parent=district)
    DistrictFactory(name="非公開の小地区", parent=district, is_public=False)
    html = resident.get("/districts/kiyone/").content.decode()
    assert '<a href="/districts/karube/">軽部</a>' in html
    assert "非公開の小地区" not in html
    child_html = resident.get(child.get_absolute_url()).content.decode()
    assert "清音地区の小地区社協" in child_html
    assert '<a href="/districts/kiyone/">清音</a>' in child_html  # breadcrumbs


def test_welfare_members_show_only_what_each_consented_to(resident, district):
    WelfareCommitteeMemberFactory(
        district=district,
        name="山﨑 花子",
        area_covered="中央1区",
        phone="090-0000-1234",
        consent_date=datetime.date(2024, 4, 1),
        publish_name=True,
        publish_area=False,
        publish_phone=True,
    )
    WelfareCommitteeMemberFactory(
        district=district, name="髙橋 一郎", area_covered="秘密の区", phone="090-0000-9999"
    )
    html = resident.get("/districts/kiyone/").content.decode()
    assert "2人の福祉委員" in html
    assert "山﨑 花子" in html  # variant characters survive
    assert "090-0000-1234" in html
    assert "中央1区" not in html  # area not consented
    assert "髙橋 一郎" not in html
    assert "秘密の区" not in html
    assert "090-0000-9999" not in html


def test_the_database_refuses_publishing_without_consent(district):
    member = WelfareCommitteeMemberFactory(district=district, name="同意なし 太郎")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(member).objects.filter(pk=member.pk).update(publish_name=True)


def test_retired_members_are_neither_counted_nor_shown(resident, district):
    WelfareCommitteeMemberFactory(district=district, name="退任 次郎", consented=True, retired=True)
    html = resident.get("/districts/kiyone/").content.decode()
    # No count of none: a resident is told whom to ask.
    assert "人の福祉委員" not in html
    assert "この地区の福祉委員については、下の問合せ先へおたずねください。" in html
    assert "退任 次郎" not in html


def test_contact_falls_back_to_the_office(resident, district):
    html = resident.get("/districts/kiyone/").content.decode()
    assert "地域共生推進課" in html and "0866-92-8552" in html
    district.contact_name = "清音地区社協事務局"
    district.contact_phone = "0866-00-7777"
    district.save()
    html = resident.get("/districts/kiyone/").content.decode()
    assert "清音地区社協事務局" in html and "0866-00-7777" in html


def test_empty_district_shows_empty_states(resident, district):
    district.member_categories.clear()
    html = resident.get("/districts/kiyone/").content.decode()
    assert html.count("現在、掲載している情報はありません") == 2


@pytest.mark.parametrize("slug", ["missing", "activities-x"])
def test_unknown_district_is_404(resident, district, slug):
    assert resident.get(f"/districts/{slug}/").status_code == 404


def test_hidden_district_and_children_of_hidden_parents_are_404(resident, district):
    child = DistrictFactory(slug="child", parent=district)
    district.is_public = False
    district.save()
    assert resident.get("/districts/kiyone/").status_code == 404
    assert resident.get(child.get_absolute_url()).status_code == 404


def test_published_members_paginate(resident, district):
    WelfareCommitteeMemberFactory.create_batch(35, district=district, consented=True)
    first = resident.get("/districts/kiyone/").content.decode()
    second = resident.get("/districts/kiyone/?members_page=2").content.decode()
    assert first.count('<th scope="row">') == 30
    assert second.count('<th scope="row">') == 5


def test_query_count_does_not_grow(
    resident, district, shell_queries, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            ActivityFactory(district=district)
            DistrictFactory(parent=district)
            district.member_categories.add(MemberCategoryFactory())
            WelfareCommitteeMemberFactory(district=district, consented=True)

    make(2)
    # the shell (site profile, footer offices), then the district (+parent,
    # office), sub-districts, activities, member categories, member count,
    # published members (one list, counted in Python), the district's salons
    # (salons app), its councils (councils app), its coordinators (coordinators
    # app), the areas it and its sub-districts serve (one query), and the
    # salons' breaks and cancellations (one query)
    with django_assert_max_num_queries(shell_queries + 11):
        resident.get("/districts/kiyone/")
    make(20)
    with django_assert_max_num_queries(shell_queries + 11):
        resident.get("/districts/kiyone/")
