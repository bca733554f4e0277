import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from districts.models import Activity, ActivityType, District, WelfareCommitteeMember
from shakyo_portal.core.models import Office, SiteProfile


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(rows_kept_for_the_module):
    """The demo loaded once into the empty database, for the tests that only look at it
    (tests/conftest.py); what it said as it loaded."""
    with rows_kept_for_the_module() as unblocked:
        with unblocked():
            said = load()
        yield said


def test_never_overwrites_what_staff_changed(db):
    # Its own load: it runs first, before `demo` (the tests keep the file's order).
    load()
    soja = District.objects.get(slug="soja")
    soja.summary = "職員が書き換えた紹介"
    soja.save()
    District.objects.filter(slug="kiyone-6").delete()
    assert "読み込みませんでした" in load()
    assert District.objects.get(slug="soja").summary == "職員が書き換えた紹介"
    assert not District.objects.filter(slug="kiyone-6").exists()


def test_loads_the_fourteen_districts_into_an_empty_database(demo, db):
    assert "読み込みました" in demo
    top = list(District.objects.top_level().values_list("name", flat=True))
    assert top == [
        "総社", "常盤", "三須", "服部", "阿曽", "池田", "秦",
        "神在", "久代", "山田", "新本", "昭和", "山手", "清音",
    ]  # fmt: skip
    assert District.objects.get(name="清音").children.count() == 6
    assert Activity.objects.filter(district__name="常盤").count() >= 7
    assert ActivityType.objects.get(slug="kyushoku").activities.exists()
    assert SiteProfile.objects.count() == 1
    assert Office.objects.exists()
    # Some fictional members consented to publishing, some did not.
    members = WelfareCommitteeMember.objects.all()
    assert members.published().exists()
    assert members.filter(consent_date__isnull=True).exists()
    for obj in [*District.objects.all(), *members, *Activity.objects.all()]:
        obj.full_clean()


def test_demo_site_renders(resident, demo, db):
    for url in ["/", "/districts/", "/districts/kiyone/", "/districts/activities/", "/contact/"]:
        assert resident.get(url).status_code == 200, url
    html = resident.get("/districts/activities/?type=kyushoku").content.decode()
    for name in ["常盤", "阿曽", "神在", "久代", "新本", "昭和"]:
        assert name in html


def test_loads_salons_programs_and_plans_in_every_state(demo, db):
    from django.db.models import Max

    from salons.grants import estimate
    from salons.models import (
        ActivityPlan,
        ActivityReport,
        Grant,
        GrantProgram,
        GrantStatus,
        PlanStatus,
        ReportStatus,
        Salon,
        SalonActivityType,
        SalonStatus,
        StatusChange,
        TargetGroup,
        reference_for,
    )
    from salons.services import missing_report

    assert list(TargetGroup.objects.values_list("name", flat=True)) == [
        "高齢者", "子育て", "障がいのある方", "どなたでも",
    ]  # fmt: skip
    assert {"体操", "百歳体操", "茶話会", "手芸", "会食"} <= set(
        SalonActivityType.objects.values_list("name", flat=True)
    )
    salons = Salon.objects.all()
    assert salons.count() >= 30
    # Every one of the 14 districts has a salon one can go to.
    top = District.objects.top_level()
    for district in top:
        assert Salon.objects.listed().filter(district__in=[district, *district.children.all()])
    assert {s.status for s in salons} == set(SalonStatus)
    assert salons.filter(latitude__isnull=False).exists()
    assert salons.filter(latitude__isnull=True).exists()
    assert {s.frequency for s in salons} >= {"weekly", "monthly"}

    programs = GrantProgram.objects.all()
    assert list(programs.values_list("fiscal_year", flat=True)) == [2026, 2025, 2024]
    assert programs.get(fiscal_year=2026).is_open_on(datetime.date(2026, 11, 22))
    assert programs.get(fiscal_year=2026).name == "令和8年度ふれあいサロン活動助成"
    assert all(p.tiers.exists() for p in programs)

    plans = ActivityPlan.objects.select_related("program", "salon")
    assert {p.status for p in plans} == set(PlanStatus)
    assert {g.status for g in Grant.objects.all()} == set(GrantStatus)
    # 差戻し and 不承認 give the organiser a reason.
    for status in (PlanStatus.RETURNED, PlanStatus.REJECTED):
        assert (
            StatusChange.objects.filter(plan__status=status, to_status=status)
            .exclude(reason="")
            .exists()
        )
    for plan in plans:
        plan.full_clean()
        if plan.status == PlanStatus.DRAFT:
            assert plan.reference is None and plan.serial is None
            continue
        assert plan.reference == reference_for(plan.program.fiscal_year, plan.serial)
        income, expense = plan.budget_totals()
        assert income == expense > 0, plan.reference
        if plan.requests_grant:
            rule = estimate(
                plan.program,
                kind=plan.kind,
                sessions=plan.sessions_planned,
                participants=plan.expected_participants,
                first_session_on=plan.first_session_on,
            )
            assert plan.estimated_amount == rule.amount, plan.reference
        # The history starts at 受付 and ends at the plan's status.
        steps = list(plan.history.filter(subject="plan").values_list("to_status", flat=True))
        assert steps[0] == PlanStatus.RECEIVED and steps[-1] == plan.status, plan.reference
    # Serials run 1, 2, 3 … within each 年度.
    for program in programs:
        serials = sorted(program.plans.exclude(serial=None).values_list("serial", flat=True))
        assert serials == list(range(1, len(serials) + 1))
    for grant in Grant.objects.select_related("plan"):
        grant.full_clean()
        assert grant.plan.status == PlanStatus.APPROVED
        assert grant.amount == grant.computed_amount or grant.adjustment_reason
    assert Grant.objects.exclude(adjustment_reason="").exists()
    assert StatusChange.objects.filter(actor__isnull=False).exists()

    # 最終開催 is the last day of the salon's confirmed reports.
    confirmed = ActivityReport.objects.filter(status=ReportStatus.CONFIRMED)
    assert confirmed.filter(plan__program__fiscal_year=2025).count() >= 10
    for salon in salons:
        last = confirmed.filter(plan__salon=salon).aggregate(day=Max("last_held_on"))["day"]
        assert salon.last_held_on == last, salon
        salon.full_clean()
    # A salon whose 令和7年度 report is missing cannot send its 令和8年度 plan yet.
    blocked = [s for s in salons if missing_report(programs.get(fiscal_year=2026), s) is not None]
    assert blocked
    assert ActivityPlan.objects.filter(salon__in=blocked, status=PlanStatus.DRAFT).exists()


def test_demo_salon_pages_render(resident, demo, db):
    from salons.models import Salon

    for url in ["/salons/", "/salons/?target=koreisha&weekday=wed", "/districts/soja/"]:
        assert resident.get(url).status_code == 200, url
    for salon in Salon.objects.all():
        assert resident.get(salon.get_absolute_url()).status_code == 200, salon
    # No organiser's contact on any public salon page.
    html = resident.get("/salons/").content.decode()
    assert "090-0000-2" not in html and "@example.jp" not in html.split("<footer", 1)[0]


def test_the_demo_shows_every_office_hours_rule(resident, demo, db):
    """A lunch break and a Saturday, its own 年末年始, special days, and a desk
    whose hours are not published: its numbers and words, and no open-now claim."""
    html = resident.get("/contact/").content.decode()
    assert "月〜金 9:00〜12:00、13:00〜16:00／土 9:00〜12:00" in html
    assert "12月28日〜1月4日" in html
    main = html.split("<footer")[0]
    (desk,) = [card for card in main.split('class="office-card"') if "ボランティアセンター" in card]
    assert "0866-00-0021" in desk
    assert "活動の相談は、お電話で日時をご相談ください。" in desk
    for claim in ("受付中", "から受付します", "次の受付", "休業"):
        assert claim not in desk, claim
