"""factory_boy factories for the test suite (the demo data lives in fixtures/)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from coordinators.models import (
    ActivityLog,
    Coordinator,
    CoordinatorKind,
    Formality,
    LifeScene,
    LogKind,
    Resource,
    ResourceCategory,
    Visibility,
)
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    AnnualPlan,
    AnnualPlanItem,
    Council,
    CouncilMember,
    Layer,
    LifeArea,
    LifeAreaKind,
    Meeting,
    MeetingRule,
    MemberRole,
)
from districts.models import (
    Activity,
    ActivityType,
    District,
    MemberCategory,
    WelfareCommitteeMember,
)
from salons.models import (
    ActivityPlan,
    ActivityReport,
    BudgetLine,
    GrantProgram,
    GrantTier,
    PlanStatus,
    Salon,
    SalonActivityType,
    TargetGroup,
)
from shakyo_portal.core.models import Office, OfficeHoursPeriod, SiteProfile


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    password = factory.django.Password("correct horse battery staple")

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    @factory.post_generation
    def two_factor_exempt(user, create, extracted, **kwargs):
        """Staff come let off two-factor login, as 管理者 would let someone off
        (with a reason, in the audit trail), so a test about something else can
        log them in with the password or force_login. Tests of two-factor login
        itself ask for a staff member who is not: two_factor_exempt=False."""
        from shakyo_portal.staff.models import StaffProfile

        if not (create and user.is_staff):
            return
        exempt = extracted is not False
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "two_factor_exempt": exempt,
                "two_factor_exempt_reason": "テスト用" if exempt else "",
            },
        )


def role_user(role, *, districts=(), username=None, **fields):
    """A staff member in one of the five role groups (shakyo_portal.staff.roles.Role),
    with their 担当地区 when they are a 地区担当."""
    from django.contrib.auth.models import Group

    from shakyo_portal.staff.models import StaffProfile

    user = UserFactory(username=username or f"staff-{role.name.lower()}", staff=True, **fields)
    user.groups.add(Group.objects.get(name=role.value))
    profile, _ = StaffProfile.objects.get_or_create(user=user)
    if districts:
        profile.districts.set(districts)
    return user


class SiteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteProfile

    name = "テスト市社会福祉協議会"
    short_name = "テスト市社協"
    postal_code = "100-0001"
    address = "テスト県テスト市中央1-1"
    phone = "0866-00-0001"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"地域福祉課{n}")
    phone = "0866-00-1234"
    fax = "0866-00-1235"
    email = factory.Sequence(lambda n: f"office{n}@example.jp")

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        """(opens, closes) on 月〜金 (8:30〜17:15 unless given), or a list of
        (weekday, opens, closes) for any other timetable."""
        if not create:
            return
        if extracted is None or isinstance(extracted, tuple):
            opens, closes = extracted or (datetime.time(8, 30), datetime.time(17, 15))
            extracted = [(day, opens, closes) for day in range(5)]
        OfficeHoursPeriod.objects.bulk_create(
            OfficeHoursPeriod(office=obj, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in extracted
        )


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType

    name = factory.Sequence(lambda n: f"活動種別{n}")
    slug = factory.Sequence(lambda n: f"type-{n}")
    display_order = factory.Sequence(lambda n: n)


class MemberCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberCategory

    name = factory.Sequence(lambda n: f"構成団体{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"地区{n}")
    reading = "ちく"
    slug = factory.Sequence(lambda n: f"district-{n}")
    display_order = factory.Sequence(lambda n: n)
    summary = "見守り活動と敬老会をしています。"

    class Params:
        hidden = factory.Trait(is_public=False)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    district = factory.SubFactory(DistrictFactory)
    activity_type = factory.SubFactory(ActivityTypeFactory)
    name = factory.Sequence(lambda n: f"活動{n}")


class WelfareCommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WelfareCommitteeMember

    name = factory.Sequence(lambda n: f"委員 {n}号")
    reading = "いいん"
    district = factory.SubFactory(DistrictFactory)
    area_covered = "中央1区"
    term_start = datetime.date(2020, 4, 1)
    term_end = None
    phone = "090-0000-1111"
    email = factory.Sequence(lambda n: f"member{n}@example.jp")

    class Params:
        # Consented to name, area and role; phone and e-mail stay private.
        consented = factory.Trait(
            consent_date=datetime.date(2020, 4, 10),
            publish_name=True,
            publish_area=True,
            publish_role=True,
        )
        retired = factory.Trait(term_end=datetime.date(2021, 3, 31))


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"対象{n}")
    slug = factory.Sequence(lambda n: f"target-{n}")


class SalonActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalonActivityType
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"活動内容{n}")
    slug = factory.Sequence(lambda n: f"salon-activity-{n}")


class SalonFactory(factory.django.DjangoModelFactory):
    """A salon meeting on the 2nd Wednesday, with a private organiser contact."""

    class Meta:
        model = Salon
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"いきいきサロン{n}")
    reading = "いきいきさろん"
    district = factory.SubFactory(DistrictFactory)
    venue_name = "中央公会堂"
    venue_address = "総社市中央1丁目1-1"
    frequency = "monthly"
    weeks_of_month = "2"
    weekday = 2
    starts_at = datetime.time(10, 0)
    ends_at = datetime.time(12, 0)
    description = "体操と茶話会をしています。"
    fee = 100
    organiser_name = factory.Sequence(lambda n: f"代表 秘匿{n}")
    organiser_phone = factory.Sequence(lambda n: f"090-9{n % 1000:03d}-0000")
    organiser_email = factory.Sequence(lambda n: f"organiser{n}@example.jp")

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(extracted)

    @factory.post_generation
    def activity_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.activity_types.set(extracted)


class GrantProgramFactory(factory.django.DjangoModelFactory):
    """令和8年度 (FY2026) with rules shaped like the real councils' ones."""

    class Meta:
        model = GrantProgram
        django_get_or_create = ["fiscal_year"]

    fiscal_year = 2026
    name = factory.LazyAttribute(lambda p: f"{p.fiscal_year}年度ふれあいサロン活動助成")
    opens_on = factory.LazyAttribute(lambda p: datetime.date(p.fiscal_year, 4, 1))
    closes_on = factory.LazyAttribute(lambda p: datetime.date(p.fiscal_year + 1, 2, 28))
    report_due_on = factory.LazyAttribute(lambda p: datetime.date(p.fiscal_year + 1, 4, 30))
    base_amount = 15000
    late_start_base_amount = 7500
    per_participant_amount = 200
    startup_amount = 10000
    cap_amount = 100000
    min_sessions = 6
    min_participants = 5


class GrantTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantTier

    program = factory.SubFactory(GrantProgramFactory)
    min_sessions = 12
    amount = 5000


class ActivityPlanFactory(factory.django.DjangoModelFactory):
    """A complete plan, still a draft. Use submit_plan()/transition() to move it."""

    class Meta:
        model = ActivityPlan
        skip_postgeneration_save = True

    program = factory.SubFactory(GrantProgramFactory)
    kind = "continuing"
    status = PlanStatus.DRAFT
    salon = factory.SubFactory(SalonFactory)
    salon_name = factory.LazyAttribute(lambda p: p.salon.name if p.salon else "新しいサロン")
    salon_reading = "さろん"
    district = factory.LazyAttribute(lambda p: p.salon.district if p.salon else None)
    representative_name = "髙﨑 花子"
    representative_reading = "たかさき はなこ"
    representative_phone = "0866-92-0000"
    representative_email = factory.Sequence(lambda n: f"rep{n}@example.jp")
    representative_postal_code = "719-1131"
    representative_address = "総社市中央1丁目1-1"
    venue_name = "中央公会堂"
    venue_address = "総社市中央1丁目1-1"
    frequency = "monthly"
    weeks_of_month = "2"
    weekday = 2
    starts_at = datetime.time(10, 0)
    ends_at = datetime.time(12, 0)
    first_session_on = factory.LazyAttribute(lambda p: datetime.date(p.program.fiscal_year, 4, 8))
    last_session_on = factory.LazyAttribute(
        lambda p: datetime.date(p.program.fiscal_year + 1, 3, 10)
    )
    sessions_planned = 12
    expected_participants = 15
    expected_helpers = 3
    content = "体操と茶話会"
    requests_grant = True

    @factory.post_generation
    def budget(self, create, extracted, **kwargs):
        """Balanced lines unless a test passes its own list of (side, item, amount)."""
        if not create:
            return
        lines = (
            extracted
            if extracted is not None
            else [
                ("income", "参加費", 18000),
                ("income", "助成金", 17000),
                ("expense", "茶菓代", 20000),
                ("expense", "材料費", 15000),
            ]
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(plan=self, side=side, item=item, amount=amount, display_order=n)
            for n, (side, item, amount) in enumerate(lines)
        )


class ActivityReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityReport

    plan = factory.SubFactory(ActivityPlanFactory, status=PlanStatus.APPROVED)
    sessions_held = 12
    total_participants = 180
    total_helpers = 36
    last_held_on = factory.LazyAttribute(
        lambda r: datetime.date(r.plan.program.fiscal_year + 1, 3, 10)
    )
    submitted_at = factory.LazyFunction(
        lambda: datetime.datetime(2027, 4, 10, 10, 0, tzinfo=datetime.UTC)
    )


# ------------------------------------------------------------------ councils


class LifeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeArea
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}中学校区")
    reading = "ちゅうがっこうく"
    slug = factory.Sequence(lambda n: f"area-{n}")
    kind = LifeAreaKind.JUNIOR_HIGH

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class CouncilFactory(factory.django.DjangoModelFactory):
    """A layer-2 council meeting on the third Tuesday, 10:00–12:00."""

    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"第{n}圏域地域包括ケア会議")
    reading = "けんいきちいきほうかつけあかいぎ"
    slug = factory.Sequence(lambda n: f"council-{n}")
    layer = Layer.AREA
    life_area = factory.SubFactory(LifeAreaFactory)
    purpose = "地域の困りごとを話し合い、支え合いの仕組みをつくります。"
    meeting_rule = MeetingRule.NTH_WEEKDAY
    meeting_week = 3
    meeting_weekday = 1
    meeting_starts_at = datetime.time(10, 0)
    meeting_ends_at = datetime.time(12, 0)

    class Params:
        city = factory.Trait(layer=Layer.CITY, life_area=None)


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    organisation = factory.Sequence(lambda n: f"老人クラブ連合会{n}")
    role = MemberRole.LOCAL
    representative_name = factory.Sequence(lambda n: f"代表 {n}号")
    term_start = datetime.date(2025, 4, 1)

    class Params:
        consented = factory.Trait(
            consent_date=datetime.date(2025, 4, 10), publish_representative=True
        )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n % 12 + 1)
    held_on = datetime.date(2026, 12, 15)
    starts_at = datetime.time(10, 0)
    ends_at = datetime.time(12, 0)
    place = "総社市総合福祉センター 会議室"
    minutes = "各地区の見守り活動について情報を共有しました。"
    staff_notes = "職員メモ: 次回は資料を早めに送る"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    # The kinds the migration creates are gone after a test that flushes.
    kind = factory.LazyFunction(lambda: AgendaItemKind.objects.get_or_create(name="報告")[0])
    title = factory.Sequence(lambda n: f"報告事項{n}")


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    council = factory.SubFactory(CouncilFactory)
    fiscal_year = 2026


class AnnualPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlanItem

    plan = factory.SubFactory(AnnualPlanFactory)
    title = factory.Sequence(lambda n: f"業務{n}")
    apr = "年間計画の確認"
    oct = "フォーラムの準備"


# -------------------------------------------------------------- coordinators


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator
        skip_postgeneration_save = True

    display_name = factory.Sequence(lambda n: f"調整 {n}")
    reading = "ちょうせい"
    kind = CoordinatorKind.LIVING_SUPPORT
    layer = 2
    message = "地域の集まりにうかがいます。お気軽に声をかけてください。"
    active_from = datetime.date(2024, 4, 1)

    @factory.post_generation
    def life_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.life_areas.set(extracted)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class ActivityLogFactory(factory.django.DjangoModelFactory):
    """An internal log; `published=True` makes it a public report."""

    class Meta:
        model = ActivityLog

    coordinator = factory.SubFactory(CoordinatorFactory)
    date = datetime.date(2026, 6, 10)
    kind = LogKind.CONSULTATION
    title = factory.Sequence(lambda n: f"活動記録{n}")
    narrative = "ひとり暮らしの方のお宅を訪ね、買い物の困りごとを聞きました。"
    consultations = 2
    referrals = 1
    visibility = Visibility.INTERNAL

    class Params:
        published = factory.Trait(visibility=Visibility.PUBLISHED)


class ResourceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"分類{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class LifeSceneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeScene
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"場面{n}")
    slug = factory.Sequence(lambda n: f"scene-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"地域資源{n}")
    reading = "ちいきしげん"
    category = factory.SubFactory(ResourceCategoryFactory)
    formality = Formality.INFORMAL
    schedule = "毎週水曜日 10:00〜12:00"
    contact_name = "総社市社協 地域共生推進課"
    contact_phone = "0866-92-8552"

    @factory.post_generation
    def life_scenes(self, create, extracted, **kwargs):
        if create and extracted:
            self.life_scenes.set(extracted)
