"""A whole council with every part of every public page filled in.

The browser, accessibility and HTML tests all look at the same pages; this
one scenario gives them the data, so each branch of each template is there.
"""

import datetime
from types import SimpleNamespace

from districts.models import WelfareCommitteeMember
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    DistrictFactory,
    MemberCategoryFactory,
    OfficeFactory,
    SiteProfileFactory,
    WelfareCommitteeMemberFactory,
)


def build_portal():
    """Two offices (at almost any weekday hour one open, one closed, so both
    status colours show), districts with and without their own contact, a
    sub-district, two pages of published members and of districts."""
    SiteProfileFactory(
        tagline="だれもが安心して暮らせるまちを、みんなで。",
        fax="0866-00-0002",
        email="info@example.jp",
    )
    office = OfficeFactory(
        name="地域福祉課",
        postal_code="719-1131",
        address="テスト市中央1-1",
        opens_at=datetime.time(0, 0),
        closes_at=datetime.time(23, 59),
    )
    OfficeFactory(name="総務課", opens_at=datetime.time(0, 0), closes_at=datetime.time(0, 1))

    watching = ActivityTypeFactory(name="見守り活動", slug="mimamori")
    meals = ActivityTypeFactory(name="給食サービス", slug="kyushoku")
    ActivityTypeFactory(name="敬老会", slug="keirokai")

    chuo = DistrictFactory(
        name="中央",
        reading="ちゅうおう",
        slug="chuo",
        description="中央地区の社協です。\n\n町内会と民生委員が一緒に活動しています。",
        area_served="中央1区〜中央5区\n西町・東町",
        office=office,
        contact_name="中央地区社協事務局",
        contact_phone="0866-00-3333",
        contact_email="chuo@example.jp",
    )
    chuo.member_categories.add(
        MemberCategoryFactory(name="町内会"), MemberCategoryFactory(name="民生委員児童委員協議会")
    )
    # Its contact is the office: the other branch of the contact section.
    higashi = DistrictFactory(name="東", reading="ひがし", slug="higashi", office=office)
    kita = DistrictFactory(
        name="中央北",
        reading="ちゅうおうきた",
        slug="chuo-kita",
        parent=chuo,
        contact_name="中央北地区社協事務局",
        contact_phone="0866-00-2222",
        contact_email="chuo-kita@example.jp",
    )
    DistrictFactory(name="中央南", reading="ちゅうおうみなみ", slug="chuo-minami", parent=chuo)
    ActivityFactory(
        district=chuo,
        activity_type=watching,
        name="声かけ訪問",
        season="通年",
        description="ひとり暮らしの高齢者を訪ねます。",
    )
    ActivityFactory(district=chuo, activity_type=watching, name="見守りネットワーク")
    ActivityFactory(district=chuo, activity_type=meals, name="ふれあい給食", season="毎月")
    ActivityFactory(district=higashi, activity_type=watching, name="見守りネットワーク")
    ActivityFactory(district=kita, activity_type=meals, name="配食サービス")

    # Each form of each cell: phone and e-mail, one, none; area and role, or a dash.
    WelfareCommitteeMemberFactory(
        district=chuo,
        consented=True,
        name="山田 花子",
        reading="やまだ はなこ",
        role=WelfareCommitteeMember.Role.CHAIR,
        is_council_representative=True,
        publish_phone=True,
        publish_email=True,
    )
    WelfareCommitteeMemberFactory(
        district=chuo,
        consented=True,
        name="佐藤 一郎",
        reading="さとう いちろう",
        publish_phone=True,
    )
    WelfareCommitteeMemberFactory(
        district=chuo,
        consented=True,
        name="鈴木 次郎",
        reading="すずき じろう",
        publish_area=False,
        publish_role=False,
        publish_email=True,
    )
    # 32 published in all: two pages of members (30 a page).
    WelfareCommitteeMemberFactory.create_batch(29, district=chuo, consented=True)
    WelfareCommitteeMemberFactory(district=chuo)
    # 55 top-level districts in all: two pages of the list and the matrix (50 a page).
    DistrictFactory.create_batch(53)

    return SimpleNamespace(chuo=chuo, higashi=higashi, kita=kita, watching=watching)
