"""A whole council with every part of every public page filled in.

The browser, accessibility and HTML tests all look at the same pages; this
one scenario gives them the data, so each branch of each template is there.
"""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from districts.models import DistrictArea, WelfareCommitteeMember
from tests.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    ActivityReportFactory,
    ActivityTypeFactory,
    DistrictFactory,
    GrantProgramFactory,
    MemberCategoryFactory,
    OfficeFactory,
    SalonActivityTypeFactory,
    SalonFactory,
    SiteProfileFactory,
    TargetGroupFactory,
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
        hours=(datetime.time(0, 0), datetime.time(23, 59)),
    )
    somu = OfficeFactory(name="総務課", hours=(datetime.time(0, 0), datetime.time(0, 1)))
    # Several numbers under one label, and special days: the rows that hold
    # more than one value.
    somu.phones.create(label="会費・寄付専用", number="0866-00-0003", display_order=1)
    today = timezone.localdate()
    somu.special_days.create(
        date=today + datetime.timedelta(days=10), kind="closed", label="臨時休業"
    )
    somu.special_days.create(
        date=today + datetime.timedelta(days=12),
        kind="open",
        label="日曜相談会",
        opens=datetime.time(10, 0),
        closes=datetime.time(15, 0),
    )
    # A desk whose hours are not published: numbers and its own words only.
    OfficeFactory(
        name="ボランティアセンター",
        publishes_hours=False,
        hours_note="活動の相談は、お電話で日時をご相談ください。",
        show_in_footer=False,
    )

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
    chuo_minami = DistrictFactory(
        name="中央南", reading="ちゅうおうみなみ", slug="chuo-minami", parent=chuo
    )
    # The 町名 index: a split 町名, a sub-district's, and names under several 行.
    for district, name, reading, note in [
        (chuo, "中央一丁目〜三丁目", "ちゅうおう", ""),
        (chuo_minami, "中央四丁目", "ちゅうおう", ""),
        (higashi, "東町", "ひがしまち", "東部"),
        (kita, "東町", "ひがしまち", "西部"),
        (kita, "和田", "わだ", ""),
    ]:
        DistrictArea.objects.create(district=district, name=name, reading=reading, note=note)
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
    # 55 top-level districts here (56 with the salons' 西): two pages of the list and
    # the matrix (50 a page).
    DistrictFactory.create_batch(53)

    salons = build_salons(chuo, kita)
    return SimpleNamespace(chuo=chuo, higashi=higashi, kita=kita, watching=watching, salons=salons)


def build_salons(chuo, kita):
    """Salons for the directory and salon pages: one with every part filled in
    (map, photo, reports), one of each other status, one whose district has no
    office, and enough for two pages of the list (20 a page)."""
    from salons.models import ReportStatus, SalonPhoto, SalonStatus

    elderly = TargetGroupFactory(name="高齢者", slug="koreisha", display_order=1)
    families = TargetGroupFactory(name="子育て", slug="kosodate", display_order=2)
    TargetGroupFactory(name="どなたでも", slug="daredemo", display_order=4)
    exercise = SalonActivityTypeFactory(name="体操", slug="taiso", display_order=1)
    tea = SalonActivityTypeFactory(name="茶話会", slug="sawakai", display_order=2)
    SalonActivityTypeFactory(name="手芸", slug="shugei", display_order=3)

    full = SalonFactory(
        name="いきいきサロン中央",
        reading="いきいきさろんちゅうおう",
        district=chuo,
        venue_name="中央公会堂",
        venue_address="テスト市中央1-2-3",
        latitude=Decimal("34.672500"),
        longitude=Decimal("133.746400"),
        schedule_note="8月はお休み",
        description="百歳体操のあと、お茶を飲みながらおしゃべりします。\n\n見学だけでも歓迎です。",
        target_groups=[elderly],
        activity_types=[exercise, tea],
        last_held_on=datetime.date(2026, 3, 11),
    )
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "PNG")
    SalonPhoto.objects.create(
        salon=full,
        image=SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png"),
        alt_text="公会堂で体操をする参加者",
    )
    for fiscal_year, sessions in [(2024, 11), (2025, 12)]:
        plan = ActivityPlanFactory(
            salon=full, program=GrantProgramFactory(fiscal_year=fiscal_year), status="approved"
        )
        ActivityReportFactory(
            plan=plan,
            status=ReportStatus.CONFIRMED,
            sessions_held=sessions,
            total_participants=sessions * 14,
            confirmed_at=datetime.datetime(fiscal_year + 1, 5, 1, tzinfo=datetime.UTC),
        )
    paused = SalonFactory(
        name="ひだまり親子サロン",
        reading="ひだまりおやこさろん",
        district=kita,
        frequency="weekly",
        weekday=4,
        fee=0,
        welcomes_newcomers=False,
        status=SalonStatus.PAUSED,
        target_groups=[families],
    )
    preparing = SalonFactory(
        name="これからサロン", reading="これからさろん", district=chuo, status=SalonStatus.PREPARING
    )
    closed = SalonFactory(name="おわりサロン", district=chuo, status=SalonStatus.CLOSED)
    no_office = SalonFactory(
        name="にしサロン",
        reading="にしさろん",
        district=DistrictFactory(name="西", slug="nishi"),
        frequency="irregular",
        weekday=None,
        fee=None,
    )
    SalonFactory.create_batch(18, district=chuo, target_groups=[elderly], activity_types=[tea])
    return SimpleNamespace(
        full=full, paused=paused, preparing=preparing, closed=closed, no_office=no_office
    )
