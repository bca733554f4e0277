"""The plan's life through the services: numbering, review, grant, report."""

import datetime

import pytest
from django.core import mail

from salons.models import (
    ActivityPlan,
    Grant,
    GrantStatus,
    PlanKind,
    PlanStatus,
    ReportStatus,
    Salon,
    SalonStatus,
    StatusChange,
)
from salons.services import (
    WorkflowError,
    adjust_grant,
    confirm_report,
    mark_grant_paid,
    return_report,
    submit_plan,
    submit_report,
    transition,
)
from tests.factories import (
    ActivityPlanFactory,
    ActivityReportFactory,
    DistrictFactory,
    GrantProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk", staff=True, first_name="事務", last_name="職員")


def approve(plan, clerk):
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    return transition(plan, PlanStatus.APPROVED, actor=clerk)


def test_submitting_numbers_plans_per_fiscal_year(django_capture_on_commit_callbacks):
    first, second = ActivityPlanFactory(), ActivityPlanFactory()
    other_year = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2024))
    with django_capture_on_commit_callbacks(execute=True):
        for plan in (first, second, other_year):
            submit_plan(plan)
    assert [first.reference, second.reference, other_year.reference] == [
        "R8-0001",
        "R8-0002",
        "R6-0001",
    ]
    assert first.status == PlanStatus.RECEIVED
    assert first.estimated_amount == 15000 + 15 * 200
    assert len(mail.outbox) == 3
    assert "R8-0001" in mail.outbox[0].subject
    assert mail.outbox[0].to == [first.representative_email]
    assert "髙﨑 花子 様" in mail.outbox[0].body


def test_a_plan_cannot_be_sent_twice():
    plan = ActivityPlanFactory()
    submit_plan(plan)
    stale = ActivityPlan.objects.get(pk=plan.pk)
    stale.status = PlanStatus.DRAFT  # what a second browser tab still believes
    with pytest.raises(WorkflowError):
        submit_plan(stale)
    assert ActivityPlan.objects.get(pk=plan.pk).reference == "R8-0001"


def test_review_records_each_step_and_approval_grants_the_rule_amount(
    clerk, django_capture_on_commit_callbacks
):
    plan = ActivityPlanFactory(
        kind=PlanKind.NEW, salon=None, salon_name="新しいサロン", district=DistrictFactory()
    )
    submit_plan(plan)
    with django_capture_on_commit_callbacks(execute=True):
        approve(plan, clerk)
    plan.refresh_from_db()
    grant = Grant.objects.get(plan=plan)
    assert grant.amount == grant.computed_amount == 15000 + 15 * 200 + 10000 == 28000
    assert plan.salon is not None and plan.salon.name == "新しいサロン"
    assert plan.salon.status == SalonStatus.ACTIVE
    assert plan.salon.organiser_name == "髙﨑 花子"
    steps = [(c.subject, c.from_status, c.to_status) for c in plan.history.all()]
    assert steps == [
        ("plan", "draft", "received"),
        ("plan", "received", "reviewing"),
        ("plan", "reviewing", "approved"),
        ("grant", "", "decided"),
    ]
    assert plan.history.filter(to_status="approved").get().actor == clerk
    assert "承認" in mail.outbox[-1].subject
    assert "交付決定額: 28,000円" in mail.outbox[-1].body


def test_two_staff_acting_on_one_plan_cannot_both_succeed(clerk):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    first_screen = ActivityPlan.objects.get(pk=plan.pk)
    second_screen = ActivityPlan.objects.get(pk=plan.pk)
    transition(first_screen, PlanStatus.APPROVED, actor=clerk)
    with pytest.raises(WorkflowError, match="ほかの職員"):
        transition(second_screen, PlanStatus.REJECTED, actor=clerk, reason="重複")
    assert ActivityPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert Grant.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize("to", [PlanStatus.RETURNED, PlanStatus.REJECTED])
def test_returning_or_rejecting_needs_a_reason(clerk, to):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    with pytest.raises(WorkflowError, match="理由"):
        transition(plan, to, actor=clerk, reason="  ")
    assert ActivityPlan.objects.get(pk=plan.pk).status == PlanStatus.RECEIVED


def test_a_returned_plan_is_resent_under_the_same_reference(
    clerk, django_capture_on_commit_callbacks
):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    with django_capture_on_commit_callbacks(execute=True):
        transition(plan, PlanStatus.RETURNED, actor=clerk, reason="会場の住所を書いてください")
    assert "会場の住所を書いてください" in mail.outbox[-1].body
    assert "/salons/plans/resume/" in mail.outbox[-1].body
    plan.refresh_from_db()
    submit_plan(plan)
    assert plan.reference == "R8-0001" and plan.status == PlanStatus.RECEIVED


def test_approval_cannot_skip_review(clerk):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    with pytest.raises(WorkflowError):
        transition(plan, PlanStatus.APPROVED, actor=clerk)


def test_grant_adjustment_needs_a_reason_and_payment_is_tracked(clerk):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    approve(plan, clerk)
    grant = Grant.objects.get(plan=plan)
    with pytest.raises(WorkflowError, match="理由"):
        adjust_grant(grant, 10000, reason="", actor=clerk)
    adjust_grant(grant, 10000, reason="会場費が不要になったため", actor=clerk)
    mark_grant_paid(grant, paid_on=datetime.date(2026, 6, 1), actor=clerk)
    grant.refresh_from_db()
    assert (grant.amount, grant.status) == (10000, GrantStatus.PAID)
    with pytest.raises(WorkflowError):
        adjust_grant(grant, 12000, reason="再計算", actor=clerk)


def test_reapplying_is_blocked_while_last_years_report_is_missing(clerk):
    last_year = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2025))
    submit_plan(last_year)
    approve(last_year, clerk)
    this_year = ActivityPlanFactory(salon=last_year.salon)
    with pytest.raises(WorkflowError, match="令和7年度の実績報告"):
        submit_plan(this_year)
    assert ActivityPlan.objects.get(pk=this_year.pk).status == PlanStatus.DRAFT

    submit_report(
        last_year,
        fields={
            "sessions_held": 11,
            "total_participants": 150,
            "total_helpers": 30,
            "last_held_on": datetime.date(2026, 3, 11),
        },
        spending=[{"item": "茶菓代", "note": "", "amount": 20000}],
    )
    submit_plan(this_year)
    assert this_year.status == PlanStatus.RECEIVED


def test_confirming_a_report_settles_the_grant_and_dates_the_salon(clerk):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    approve(plan, clerk)
    report = ActivityReportFactory(plan=plan, last_held_on=datetime.date(2027, 3, 10))
    confirm_report(report, actor=clerk)
    assert Grant.objects.get(plan=plan).status == GrantStatus.SETTLED
    assert Salon.objects.get(pk=plan.salon_id).last_held_on == datetime.date(2027, 3, 10)
    with pytest.raises(WorkflowError):
        return_report(report, actor=clerk, reason="遅い")


def test_a_returned_report_can_be_sent_again(clerk):
    plan = ActivityPlanFactory()
    submit_plan(plan)
    approve(plan, clerk)
    report = ActivityReportFactory(plan=plan)
    return_report(report, actor=clerk, reason="写真を添えてください")
    report = submit_report(
        plan,
        fields={"sessions_held": 12},
        spending=[{"item": "材料費", "note": "毛糸", "amount": 3000}],
    )
    assert report.status == ReportStatus.SUBMITTED
    assert [line.item for line in report.spending_lines.all()] == ["材料費"]
    assert StatusChange.objects.filter(plan=plan, subject="report").count() == 2
