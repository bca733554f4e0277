"""Councils with every part of every 協議体 page filled in, for the HTML, browser
and privacy tests.

Dates are relative to today, as the pages compute "coming" and "archive" from
it. Private things carry the marker SECRET, so a test can look for it in
every public response.
"""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils.models import (
    AgendaItemKind,
    LifeAreaKind,
    MeetingFormat,
    MeetingMaterial,
    MeetingParticipant,
    MeetingRule,
    MeetingStatus,
    MemberRole,
    Position,
)
from shakyo_portal.core.fiscal import fiscal_year
from tests.factories import (
    AgendaItemFactory,
    AnnualPlanFactory,
    AnnualPlanItemFactory,
    CouncilFactory,
    CouncilMemberFactory,
    DistrictFactory,
    LifeAreaFactory,
    MeetingFactory,
    OfficeFactory,
    SiteProfileFactory,
)
from tests.salons.crafted import pdf

SECRET = "ひみつの職員メモ"
HIDDEN_NAME = "同意なし 秘蔵"


def kind(name):
    return AgendaItemKind.objects.get_or_create(name=name)[0]


def month_day(today, months_back, day=10):
    """The `day` of the month `months_back` months before today's."""
    year, month = today.year, today.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, day)


def build_councils(*, office=None, districts=None):
    """A layer-1 council and a layer-2 one (with a nickname) over two districts,
    meetings of three 年度 in every state, materials, two annual plans; a hidden
    council; a layer-2 council with nothing registered."""
    today = timezone.localdate()
    if office is None:
        SiteProfileFactory()
        office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    if districts is None:
        districts = [
            DistrictFactory(name="清音", reading="きよね", slug="kiyone", office=office),
            DistrictFactory(name="山手", reading="やまて", slug="yamate", office=office),
        ]
    kiyone = districts[0]
    sub = DistrictFactory(name="清音第1小地区", slug="kiyone-1", parent=kiyone)
    lonely = DistrictFactory(name="昭和", reading="しょうわ", slug="showa", office=office)

    area = LifeAreaFactory(
        name="清音中学校区",
        reading="きよねちゅうがっこうく",
        slug="kiyone-chu",
        districts=districts,
        description="清音と山手の2つの地区からなる圏域です。",
    )
    city = CouncilFactory(
        city=True,
        name="生活支援サービス検討委員会",
        reading="せいかつしえん",
        slug="seikatsu-shien",
        meeting_week=1,
        meeting_weekday=4,
        meeting_months="5,7,9,11,1,3",
        meeting_starts_at=datetime.time(13, 30),
        meeting_ends_at=datetime.time(15, 30),
        meeting_place="総合福祉センター",
        office=office,
        description="市全体の生活支援について話し合います。",
    )
    local = CouncilFactory(
        name="清音中学校区 圏域地域包括ケア会議",
        nickname="いい輪ネットきよね",
        reading="きよね",
        slug="kiyone-chu",
        life_area=area,
        meeting_rule=MeetingRule.LAST_WEEKDAY,
        meeting_week=None,
        meeting_weekday=0,
        meeting_place="清音公民館",
    )
    irregular = CouncilFactory(
        name="昭和中学校区 圏域地域包括ケア会議",
        reading="しょうわ",
        slug="showa-chu",
        life_area=LifeAreaFactory(
            name="昭和中学校区", kind=LifeAreaKind.COMPREHENSIVE_CARE, districts=[lonely]
        ),
        meeting_rule=MeetingRule.IRREGULAR,
        meeting_week=None,
        meeting_weekday=None,
        meeting_starts_at=None,
        meeting_ends_at=None,
    )
    hidden = CouncilFactory(
        name=f"非公開の協議体 {SECRET}",
        slug="hidden",
        life_area=area,
        is_public=False,
    )
    MeetingFactory(council=hidden, held_on=today + datetime.timedelta(days=3), title=SECRET)

    members = {
        "chair": CouncilMemberFactory(
            council=local,
            organisation="清音地区社協",
            role=MemberRole.LOCAL,
            position=Position.CHAIR,
            representative_name="山﨑 花子",
            consented=True,
        ),
        "vice": CouncilMemberFactory(
            council=local,
            organisation="民生委員児童委員協議会",
            role=MemberRole.SUPPORTING,
            position=Position.VICE_CHAIR,
            representative_name=HIDDEN_NAME,
        ),
        "coop": CouncilMemberFactory(
            council=local, organisation="生活協同組合", role=MemberRole.CONNECTING
        ),
        "retired": CouncilMemberFactory(
            council=local,
            organisation="解散した老人クラブ",
            term_start=datetime.date(2020, 4, 1),
            term_end=datetime.date(2022, 3, 31),
        ),
    }
    CouncilMemberFactory(council=city, organisation="シルバー人材センター")

    def meeting(council, held_on, **fields):
        fields.setdefault("staff_notes", f"{SECRET}: 欠席の団体に電話する")
        return MeetingFactory(council=council, held_on=held_on, **fields)

    past = {}
    fy = fiscal_year(today)
    # Three 年度 of held meetings, 11 in all: two pages of the archive (20 a page) need
    # more, so the layer-1 council gets 22.
    for n in range(22):
        held = meeting(city, today - datetime.timedelta(days=30 * n + 20), status="held")
        if n == 0:
            past["city"] = held
    past["held"] = meeting(
        local,
        month_day(today, 2),
        status=MeetingStatus.HELD,
        participant_count=18,
        guests="市長寿介護課、地域住民",
        minutes="買い物支援について話し合いました。\n\n次回は移動販売の事業者を招きます。",
    )
    for order, member in enumerate([members["chair"], members["coop"]], start=1):
        MeetingParticipant.objects.create(
            meeting=past["held"], member=member, display_order=order * 10
        )
    AgendaItemFactory(meeting=past["held"], kind=kind("報告"), title="見守り活動の報告")
    AgendaItemFactory(meeting=past["held"], kind=kind("意見交換"), title="買い物支援")
    document = pdf()
    MeetingMaterial.objects.create(
        meeting=past["held"],
        title="会議次第",
        file=SimpleUploadedFile("a.pdf", document, content_type="application/pdf"),
        size=len(document),
    )
    past["cancelled"] = meeting(
        local,
        month_day(today, 14),
        status=MeetingStatus.CANCELLED,
        status_reason="台風の接近のため",
        replacement="資料を郵送し、書面でご意見をいただきました。",
    )
    past["written"] = meeting(
        local,
        month_day(today, 26),
        format=MeetingFormat.WRITTEN,
        status=MeetingStatus.HELD,
        starts_at=None,
        ends_at=None,
        place="",
        replacement="資料を郵送し、書面でご意見をいただきました。",
    )
    past["online"] = meeting(
        local, month_day(today, 4), format=MeetingFormat.ONLINE, status="held", place=""
    )
    # Postponed from last month to next week: both stay, and link to each other.
    coming = meeting(local, today + datetime.timedelta(days=7), number=3)
    AgendaItemFactory(meeting=coming, kind=kind("情報共有"), title="移動販売の停留所")
    past["postponed"] = meeting(
        local,
        month_day(today, 1),
        number=3,
        status=MeetingStatus.POSTPONED,
        status_reason="会場の点検のため",
        replaced_by=coming,
    )
    called_off = meeting(
        city,
        today + datetime.timedelta(days=10),
        status=MeetingStatus.CANCELLED,
        status_reason="講師の都合のため",
    )

    plan = AnnualPlanFactory(council=city, fiscal_year=fy, note="予定は変わることがあります。")
    AnnualPlanItemFactory(
        plan=plan,
        title="第1層協議体",
        apr="今年度の重点の確認",
        oct="フォーラムの準備",
        jan="",
        display_order=1,
    )
    AnnualPlanItemFactory(
        plan=plan,
        title="第2層との連携",
        display_order=2,
        **dict.fromkeys(
            ["apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "jan", "feb", "mar"],
            "情報交換",
        ),
    )
    AnnualPlanItemFactory(plan=plan, title="まだ空の行", apr="", oct="", display_order=3)
    AnnualPlanFactory(council=city, fiscal_year=fy - 1)
    return SimpleNamespace(
        today=today,
        office=office,
        districts=districts,
        kiyone=kiyone,
        sub=sub,
        lonely=lonely,
        area=area,
        city=city,
        local=local,
        irregular=irregular,
        hidden=hidden,
        members=members,
        past=past,
        coming=coming,
        called_off=called_off,
        plan=plan,
        document=document,
    )


def public_pages(world):
    """(name, path) of every public councils page the scenario reaches."""
    past = world.past
    return [
        ("councils", "/councils/"),
        ("councils-district", f"/councils/?district={world.kiyone.slug}"),
        ("councils-lonely", f"/councils/?district={world.lonely.slug}"),
        ("councils-bad-district", "/councils/?district=nowhere&page=abc"),
        ("council-city", world.city.get_absolute_url()),
        ("council-city-archive-2", f"{world.city.get_absolute_url()}?page=2"),
        (
            "council-city-last-plan",
            f"{world.city.get_absolute_url()}?plan={world.plan.fiscal_year - 1}",
        ),
        ("council-local", world.local.get_absolute_url()),
        ("council-irregular", world.irregular.get_absolute_url()),
        ("meeting-held", past["held"].get_absolute_url()),
        ("meeting-cancelled", past["cancelled"].get_absolute_url()),
        ("meeting-postponed", past["postponed"].get_absolute_url()),
        ("meeting-written", past["written"].get_absolute_url()),
        ("meeting-online", past["online"].get_absolute_url()),
        ("meeting-coming", world.coming.get_absolute_url()),
        ("meeting-called-off", world.called_off.get_absolute_url()),
        ("district-with-council", world.kiyone.get_absolute_url()),
        ("sub-district-with-council", world.sub.get_absolute_url()),
    ]


def build_known_in_part(office=None):
    """A council whose records are what councils often publish: a meeting known
    only to last 年度, one known only to this month (its day still being
    arranged), one this 年度 with no month, a past exact one with guests in
    staff's order, an agenda kind staff added, an item with no kind, and an
    annual plan whose rows sit under 区分."""
    today = timezone.localdate()
    fy = fiscal_year(today)
    council = CouncilFactory(
        name="報告会を開く協議体",
        reading="ほうこくかい",
        slug="hokokukai",
        life_area=LifeAreaFactory(name="報告会の圏域", slug="hokokukai-area"),
        meeting_rule=MeetingRule.IRREGULAR,
        meeting_week=None,
        meeting_weekday=None,
        office=office,
    )
    chair = CouncilMemberFactory(
        council=council,
        organisation="報告会地区社協",
        position=Position.CHAIR,
        representative_name="同意済 公子",
        consented=True,
        display_order=20,
    )
    club = CouncilMemberFactory(
        council=council,
        organisation="老人クラブ",
        representative_name=HIDDEN_NAME,
        display_order=10,
    )

    def meeting(**fields):
        fields.setdefault("starts_at", None)
        fields.setdefault("ends_at", None)
        fields.setdefault("staff_notes", SECRET)
        return MeetingFactory(council=council, **fields)

    last_year = meeting(
        held_on=datetime.date(fy - 1, 9, 20),
        held_on_precision="fiscal_year",
        number=2,
        status=MeetingStatus.HELD,
        place="報告会の公民館",
    )
    this_month = meeting(
        held_on=today.replace(day=1),
        held_on_precision="month",
        number=None,
        title="見守りの学習会",
        place="",
    )
    this_year = meeting(
        held_on=datetime.date(fy, 4, 1),
        held_on_precision="fiscal_year",
        number=None,
        title="支え合い報告会",
        place="",
    )
    exact = meeting(
        held_on=month_day(today, 3),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(12, 0),
        number=1,
        status=MeetingStatus.HELD,
        guests="地域住民 10人ほど",
    )
    # Staff's order, guests among the members, not the order they were typed in.
    rows = [
        dict(member=chair, display_order=30),
        dict(name="移動販売 まるやま", affiliation="移動販売の事業者", publish_name=True,
             display_order=20),
        dict(name=f"非公開 講師{SECRET}", affiliation="講師", display_order=40),
        dict(member=club, affiliation="代理出席", display_order=10),
        dict(name=f"名のみ {SECRET}", display_order=50),
    ]  # fmt: skip
    participants = [MeetingParticipant.objects.create(meeting=exact, **row) for row in rows]
    AgendaItemFactory(
        meeting=exact, kind=kind("事業説明"), title="整備事業の説明", display_order=20
    )
    AgendaItemFactory(meeting=exact, kind=None, title="種類のない議題", display_order=10)
    AgendaItemFactory(meeting=exact, kind=kind("報告"), title="同じ順の後の議題", display_order=20)

    plan = AnnualPlanFactory(council=council, fiscal_year=fy)
    for order, (group, title) in enumerate(
        [
            ("協議体の運営", "定例会"),
            ("協議体の運営", "第2層との連携"),
            ("", "区分のない行"),
            ("普及・啓発", "社協だより"),
            ("協議体の運営", "ふたたび運営"),
        ],
        start=1,
    ):
        AnnualPlanItemFactory(plan=plan, group=group, title=title, display_order=order)
    return SimpleNamespace(
        today=today,
        council=council,
        chair=chair,
        club=club,
        last_year=last_year,
        this_month=this_month,
        this_year=this_year,
        exact=exact,
        participants=participants,
        plan=plan,
    )


def known_in_part_pages(part):
    return [
        ("council-known-in-part", part.council.get_absolute_url()),
        ("meeting-fiscal-year", part.last_year.get_absolute_url()),
        ("meeting-this-month", part.this_month.get_absolute_url()),
        ("meeting-with-guests", part.exact.get_absolute_url()),
    ]
