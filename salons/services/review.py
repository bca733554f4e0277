"""Staff moving a 活動計画書 through review, and the 助成金 its approval decides.

Every status change is a compare-and-set on the row (`UPDATE … WHERE status =
the status the actor saw`), so two staff acting on one plan at once cannot
both succeed, and each change is recorded as a `StatusChange`.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from salons.models import (
    ActivityPlan,
    Grant,
    GrantStatus,
    PlanKind,
    PlanStatus,
    Salon,
    SalonStatus,
    StatusChange,
    StatusSubject,
)
from salons.services.mail import notify, send_resume_link
from salons.services.plans import refresh_estimate
from salons.workflow import CONFLICT_MESSAGE, REASON_REQUIRED, REVIEW_STEPS, WorkflowError
from shakyo_portal.staff import audit


def allowed_transitions(plan: ActivityPlan) -> list[PlanStatus]:
    """The review steps staff may take from the plan's status, in the order of their buttons."""
    return list(REVIEW_STEPS[PlanStatus(plan.status)])


@transaction.atomic
def transition(
    plan: ActivityPlan, to: str, *, actor, reason: str = "", seen_status: str | None = None
) -> ActivityPlan:
    """Move a plan to `to` as `actor`. `seen_status` is the status the actor's
    screen showed; if someone changed it meanwhile, nothing happens."""
    to = PlanStatus(to)
    reason = reason.strip()
    current = PlanStatus(seen_status or plan.status)
    if to not in REVIEW_STEPS[current]:
        raise WorkflowError(f"「{current.label}」から「{to.label}」には変更できません。")
    if to in REASON_REQUIRED and not reason:
        raise WorkflowError(f"「{to.label}」にするときは、申請者に伝える理由を書いてください。")
    now = timezone.now()
    updated = ActivityPlan.objects.filter(pk=plan.pk, status=current).update(
        status=to, updated_at=now
    )
    if not updated:
        raise WorkflowError(CONFLICT_MESSAGE)
    plan.status = to
    audit.record_update(plan, {"status": (current, to)}, actor=actor)
    StatusChange.objects.create(
        plan=plan,
        subject=StatusSubject.PLAN,
        from_status=current,
        to_status=to,
        reason=reason,
        actor=actor,
    )
    if to == PlanStatus.APPROVED:
        _register_salon(plan)
        if plan.requests_grant:
            _decide_grant(plan, actor=actor)
    if to == PlanStatus.RETURNED:
        # The organiser corrects it through a fresh link in the mail.
        send_resume_link(plan=plan, template="returned", reason=reason)
    elif to in (PlanStatus.APPROVED, PlanStatus.REJECTED):
        notify(plan, to.value, reason=reason)
    return plan


SALON_FIELDS_FROM_PLAN = (
    "frequency",
    "weeks_of_month",
    "weekday",
    "starts_at",
    "ends_at",
    "schedule_note",
    "venue_name",
    "venue_address",
)


def _register_salon(plan: ActivityPlan) -> Salon:
    """Approving a plan makes its salon what the plan describes for the 年度."""
    if plan.salon is None and plan.district_id is None:
        raise WorkflowError("新しいサロンを登録するには、活動計画書に地区を入れてください。")
    salon = plan.salon or Salon(district=plan.district)
    salon.name = plan.salon_name or salon.name
    salon.reading = plan.salon_reading or salon.reading
    if plan.district_id:
        salon.district_id = plan.district_id
    for name in SALON_FIELDS_FROM_PLAN:
        value = getattr(plan, name)
        if value not in (None, ""):
            setattr(salon, name, value)
    salon.organiser_name = plan.representative_name
    salon.organiser_phone = plan.representative_phone
    salon.organiser_email = plan.representative_email
    if plan.kind in (PlanKind.NEW, PlanKind.RESUMED) or salon.status == SalonStatus.PAUSED:
        salon.status = SalonStatus.ACTIVE
    salon.save()
    if plan.target_groups.exists():
        salon.target_groups.set(plan.target_groups.all())
    if plan.activity_types.exists():
        salon.activity_types.set(plan.activity_types.all())
    if plan.salon_id != salon.pk:
        audit.record_update(plan, {"salon": (plan.salon, salon)})
        plan.salon = salon
        ActivityPlan.objects.filter(pk=plan.pk).update(salon=salon)
    return salon


def _decide_grant(plan: ActivityPlan, *, actor) -> Grant:
    amount = refresh_estimate(plan) or 0
    grant = Grant.objects.create(
        plan=plan, computed_amount=amount, amount=amount, decided_on=timezone.localdate()
    )
    StatusChange.objects.create(
        plan=plan,
        subject=StatusSubject.GRANT,
        to_status=GrantStatus.DECIDED,
        reason=f"基準による額 {amount:,}円",
        actor=actor,
    )
    return grant


# --- 助成金 -----------------------------------------------------------------------------


@transaction.atomic
def adjust_grant(grant: Grant, amount: int, *, reason: str, actor) -> Grant:
    reason = reason.strip()
    if amount < 0:
        raise WorkflowError("交付額は0円以上にしてください。")
    if amount != grant.computed_amount and not reason:
        raise WorkflowError("基準による額と違う額にするときは、理由を書いてください。")
    updated = Grant.objects.filter(
        pk=grant.pk, status=GrantStatus.DECIDED, amount=grant.amount
    ).update(amount=amount, adjustment_reason=reason)
    if not updated:
        raise WorkflowError(
            "交付済・精算済の助成金の額は変えられないか、ほかの職員が先に変更しました。"
        )
    audit.record_update(
        grant,
        {
            "amount": (grant.amount, amount),
            "adjustment_reason": (grant.adjustment_reason, reason),
        },
        actor=actor,
    )
    StatusChange.objects.create(
        plan_id=grant.plan_id,
        subject=StatusSubject.GRANT,
        from_status=GrantStatus.DECIDED,
        to_status=GrantStatus.DECIDED,
        reason=f"交付額を{grant.amount:,}円から{amount:,}円に変更: {reason}",
        actor=actor,
    )
    grant.amount = amount
    grant.adjustment_reason = reason
    return grant


@transaction.atomic
def mark_grant_paid(grant: Grant, *, paid_on: date, actor) -> Grant:
    updated = Grant.objects.filter(pk=grant.pk, status=GrantStatus.DECIDED).update(
        status=GrantStatus.PAID, paid_on=paid_on
    )
    if not updated:
        raise WorkflowError("交付決定の助成金だけを交付済にできます。")
    audit.record_update(
        grant,
        {"status": (grant.status, GrantStatus.PAID), "paid_on": (grant.paid_on, paid_on)},
        actor=actor,
    )
    StatusChange.objects.create(
        plan_id=grant.plan_id,
        subject=StatusSubject.GRANT,
        from_status=GrantStatus.DECIDED,
        to_status=GrantStatus.PAID,
        actor=actor,
    )
    grant.status = GrantStatus.PAID
    grant.paid_on = paid_on
    return grant
