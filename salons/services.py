"""Writes that touch several rows: sending a plan, moving it through review,
granting, paying, and the 実績報告 that settles the grant.

Every status change is a compare-and-set on the row (`UPDATE … WHERE status =
the status the actor saw`), so two staff acting on one plan at once cannot
both succeed, and each change is recorded as a `StatusChange`. Mail goes out
only after the transaction commits, so nobody is told of a change that was
rolled back.
"""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from salons.grants import estimate
from salons.models import (
    ActivityPlan,
    ActivityReport,
    Attachment,
    BudgetLine,
    Channel,
    Grant,
    GrantProgram,
    GrantStatus,
    PlanKind,
    PlanStatus,
    ReportStatus,
    Salon,
    SalonStatus,
    StatusChange,
    StatusSubject,
    reference_for,
)
from shakyo_portal.core.models import SiteProfile
from shakyo_portal.staff import audit

logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A change that cannot be made; the message is for the person who tried."""


CONFLICT_MESSAGE = (
    "ほかの職員が先にこの記録を変更しました。画面を読み込み直して、最新の状態を確認してください。"
)

# Staff transitions: from → the statuses it may go to.
PLAN_TRANSITIONS = {
    PlanStatus.RECEIVED: {PlanStatus.REVIEWING, PlanStatus.RETURNED, PlanStatus.REJECTED},
    PlanStatus.REVIEWING: {PlanStatus.APPROVED, PlanStatus.RETURNED, PlanStatus.REJECTED},
}
# The applicant reads the reason for these.
REASON_REQUIRED = {PlanStatus.RETURNED, PlanStatus.REJECTED}


def allowed_transitions(plan: ActivityPlan) -> list[PlanStatus]:
    return sorted(PLAN_TRANSITIONS.get(PlanStatus(plan.status), ()), key=list(PlanStatus).index)


# --- the organiser's side -----------------------------------------------------------


def missing_report(program: GrantProgram, salon: Salon | None) -> ActivityPlan | None:
    """Last 年度's granted plan of this salon whose 実績報告 has not been sent."""
    if salon is None:
        return None
    return (
        ActivityPlan.objects.filter(
            salon=salon,
            program__fiscal_year=program.fiscal_year - 1,
            status=PlanStatus.APPROVED,
            requests_grant=True,
        )
        .exclude(report__in=ActivityReport.objects.handed_in())
        .select_related("program")
        .first()
    )


def missing_report_message(plan: ActivityPlan) -> str:
    # No reference number here: it is half of the status page's credential, and
    # the person reading this may not be the one who sent last year's plan.
    return (
        f"このサロンの{plan.program.fiscal_year_label}の実績報告がまだ届いていません。"
        "先に実績報告を提出してから、新しい年度の活動計画書を提出してください。"
        "わからないときは社協にお問い合わせください。"
    )


def duplicate_plan(plan: ActivityPlan) -> ActivityPlan | None:
    """Another sent plan of the same salon for the same 年度 that still stands."""
    if plan.salon_id is None:
        return None
    return (
        ActivityPlan.objects.submitted()
        .filter(program=plan.program, salon_id=plan.salon_id)
        .exclude(status=PlanStatus.REJECTED)
        .exclude(pk=plan.pk)
        .first()
    )


def refresh_estimate(plan: ActivityPlan) -> int | None:
    if not plan.requests_grant:
        return None
    return estimate(
        plan.program,
        kind=plan.kind,
        sessions=plan.sessions_planned,
        participants=plan.expected_participants,
        first_session_on=plan.first_session_on,
    ).amount


def _next_serial(program: GrantProgram) -> int:
    # Locking the program row serialises numbering within its 年度 on PostgreSQL;
    # SQLite serialises all writers anyway. The unique constraint is the backstop.
    GrantProgram.objects.select_for_update().filter(pk=program.pk).first()
    last = ActivityPlan.objects.filter(program=program).aggregate(Max("serial"))["serial__max"]
    return (last or 0) + 1


def submit_plan(
    plan: ActivityPlan,
    *,
    actor=None,
    channel: str = Channel.WEB,
    submission_token: str | None = None,
) -> ActivityPlan:
    """Send a saved draft or a corrected returned plan: it becomes 受付.

    The plan's own fields, lines and attachments are already saved (by the
    form, in the same transaction); this numbers it and records the step.
    """
    with transaction.atomic():
        blocking = missing_report(plan.program, plan.salon)
        if blocking is not None:
            raise WorkflowError(missing_report_message(blocking))
        if duplicate_plan(plan) is not None:
            raise WorkflowError(
                f"このサロンの{plan.program.fiscal_year_label}の活動計画書は、すでに受け付けています。"
                "内容を変えたいときは、社協にお問い合わせください。"
            )
        previous = plan.status
        if previous not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise WorkflowError("この活動計画書はすでに提出されています。")
        now = timezone.now()
        changes = {
            "status": PlanStatus.RECEIVED,
            "submitted_at": now,
            "channel": channel,
            "estimated_amount": refresh_estimate(plan),
            "draft_token_hash": "",
            "updated_at": now,
        }
        if submission_token:
            changes["submission_token"] = submission_token
        if plan.serial is None:
            serial = _next_serial(plan.program)
            changes["serial"] = serial
            changes["reference"] = reference_for(plan.program.fiscal_year, serial)
        if plan.consented_at is None and channel == Channel.WEB:
            changes["consented_at"] = now
        updated = ActivityPlan.objects.filter(pk=plan.pk, status=previous).update(**changes)
        if not updated:
            raise WorkflowError("この活動計画書はすでに提出されています。")
        recorded = {name: (getattr(plan, name), value) for name, value in changes.items()}
        for name, value in changes.items():
            setattr(plan, name, value)
        # Tokens are secrets and updated_at is noise; the rest is the submission.
        for secret in ("draft_token_hash", "submission_token", "updated_at"):
            recorded.pop(secret, None)
        audit.record_update(plan, recorded, actor=actor)
        StatusChange.objects.create(
            plan=plan,
            subject=StatusSubject.PLAN,
            from_status=previous,
            to_status=PlanStatus.RECEIVED,
            actor=actor,
            reason="" if channel == Channel.WEB else f"{Channel(channel).label}で受付",
        )
        notify(plan, "submitted")
    return plan


# --- staff review -----------------------------------------------------------------


def transition(
    plan: ActivityPlan, to: str, *, actor, reason: str = "", seen_status: str | None = None
) -> ActivityPlan:
    """Move a plan to `to` as `actor`. `seen_status` is the status the actor's
    screen showed; if someone changed it meanwhile, nothing happens."""
    to = PlanStatus(to)
    reason = reason.strip()
    current = PlanStatus(seen_status or plan.status)
    if to not in PLAN_TRANSITIONS.get(current, ()):
        raise WorkflowError(f"「{current.label}」から「{to.label}」には変更できません。")
    if to in REASON_REQUIRED and not reason:
        raise WorkflowError(f"「{to.label}」にするときは、申請者に伝える理由を書いてください。")
    with transaction.atomic():
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
            token = plan.issue_draft_token()
            ActivityPlan.objects.filter(pk=plan.pk).update(draft_token_hash=plan.draft_token_hash)
            notify(plan, "returned", reason=reason, resume_token=token)
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


def adjust_grant(grant: Grant, amount: int, *, reason: str, actor) -> Grant:
    reason = reason.strip()
    if amount < 0:
        raise WorkflowError("交付額は0円以上にしてください。")
    if amount != grant.computed_amount and not reason:
        raise WorkflowError("基準による額と違う額にするときは、理由を書いてください。")
    with transaction.atomic():
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


def mark_grant_paid(grant: Grant, *, paid_on: date, actor) -> Grant:
    with transaction.atomic():
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


# --- 実績報告 ----------------------------------------------------------------------


def can_report(plan: ActivityPlan) -> bool:
    """A report is sent for an approved plan, once, or again after it was returned.

    It is not held back until the 年度 ends: a salon that stops early reports
    early, and staff judge a report's timing when they confirm it.
    """
    if plan.status != PlanStatus.APPROVED:
        return False
    report = plan.report_or_none
    return report is None or report.status == ReportStatus.RETURNED


def submit_report(
    plan: ActivityPlan,
    *,
    fields: dict,
    spending: list[dict],
    files: list[dict] = (),
    actor=None,
) -> ActivityReport:
    """Save the 実績報告 with its spending lines and photos, all or nothing.

    `spending`: dicts of item, note, amount. `files`: dicts with the processed
    `content` (a File), `kind`, `content_type`, `original_name` and `size`.
    """
    if not can_report(plan):
        raise WorkflowError("この活動計画書には、いま実績報告を提出できません。")
    with transaction.atomic():
        try:
            report = ActivityReport.objects.select_for_update().get(plan=plan)
        except ActivityReport.DoesNotExist:
            report = ActivityReport(plan=plan)
        previous = report.status if report.pk else ""
        if previous and previous != ReportStatus.RETURNED:
            raise WorkflowError("実績報告はすでに提出されています。")
        for name, value in fields.items():
            setattr(report, name, value)
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.save()
        report.spending_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(report=report, side="expense", display_order=n, **line)
            for n, line in enumerate(spending)
        )
        for item in files:
            save_attachment(report=report, **item)
        StatusChange.objects.create(
            plan=plan,
            subject=StatusSubject.REPORT,
            from_status=previous,
            to_status=ReportStatus.SUBMITTED,
            actor=actor,
        )
        notify(plan, "report_submitted")
    return report


def confirm_report(report: ActivityReport, *, actor) -> ActivityReport:
    """Staff accept the report: the grant is settled and the salon's 最終開催 moves on."""
    with transaction.atomic():
        now = timezone.now()
        updated = ActivityReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
            status=ReportStatus.CONFIRMED, confirmed_at=now
        )
        if not updated:
            raise WorkflowError(CONFLICT_MESSAGE)
        audit.record_update(
            report, {"status": (report.status, ReportStatus.CONFIRMED)}, actor=actor
        )
        report.status = ReportStatus.CONFIRMED
        report.confirmed_at = now
        plan = report.plan
        StatusChange.objects.create(
            plan=plan,
            subject=StatusSubject.REPORT,
            from_status=ReportStatus.SUBMITTED,
            to_status=ReportStatus.CONFIRMED,
            actor=actor,
        )
        grant = Grant.objects.filter(plan=plan).first()
        if grant is not None and grant.status != GrantStatus.SETTLED:
            Grant.objects.filter(pk=grant.pk).update(
                status=GrantStatus.SETTLED, settled_on=timezone.localdate()
            )
            audit.record_update(
                grant,
                {
                    "status": (grant.status, GrantStatus.SETTLED),
                    "settled_on": (grant.settled_on, timezone.localdate()),
                },
                actor=actor,
            )
            StatusChange.objects.create(
                plan=plan,
                subject=StatusSubject.GRANT,
                from_status=grant.status,
                to_status=GrantStatus.SETTLED,
                actor=actor,
            )
        if plan.salon_id:
            salon = Salon.objects.select_for_update().get(pk=plan.salon_id)
            if salon.last_held_on is None or salon.last_held_on < report.last_held_on:
                Salon.objects.filter(pk=salon.pk).update(last_held_on=report.last_held_on)
                audit.record_update(
                    salon, {"last_held_on": (salon.last_held_on, report.last_held_on)}, actor=actor
                )
    return report


def return_report(report: ActivityReport, *, actor, reason: str) -> ActivityReport:
    reason = reason.strip()
    if not reason:
        raise WorkflowError("差戻しにするときは、申請者に伝える理由を書いてください。")
    with transaction.atomic():
        updated = ActivityReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
            status=ReportStatus.RETURNED
        )
        if not updated:
            raise WorkflowError(CONFLICT_MESSAGE)
        audit.record_update(report, {"status": (report.status, ReportStatus.RETURNED)}, actor=actor)
        report.status = ReportStatus.RETURNED
        StatusChange.objects.create(
            plan=report.plan,
            subject=StatusSubject.REPORT,
            from_status=ReportStatus.SUBMITTED,
            to_status=ReportStatus.RETURNED,
            reason=reason,
            actor=actor,
        )
        notify(report.plan, "report_returned", reason=reason)
    return report


# --- files and mail ---------------------------------------------------------------


def save_attachment(
    *, plan=None, report=None, content, kind, content_type, original_name, size
) -> Attachment:
    """Store an already validated and re-encoded upload under a generated name."""
    attachment = Attachment(
        plan=plan,
        report=report,
        kind=kind,
        content_type=content_type,
        original_name=original_name[:200],
        size=size,
    )
    attachment.file.save(content.name, content, save=False)
    attachment.save()
    return attachment


def status_url() -> str:
    return settings.SITE_URL + reverse("salons:plan_status")


def notify(plan: ActivityPlan, template: str, **context) -> None:
    """E-mail the organiser about `plan`, once the surrounding transaction commits."""
    recipient = plan.representative_email
    if not recipient:
        return  # They gave a postal address; staff write to them.
    context = {
        "plan": plan,
        "status_url": status_url(),
        "site_url": settings.SITE_URL,
        "site_name": getattr(SiteProfile.objects.first(), "short_name", "社会福祉協議会"),
        **context,
    }
    if context.get("resume_token"):
        context["resume_url"] = settings.SITE_URL + reverse(
            "salons:plan_resume", kwargs={"token": context["resume_token"]}
        )

    def send():
        text = render_to_string(f"salons/email/{template}.txt", context)
        subject, _, body = text.strip().partition("\n")
        try:
            send_mail(subject.strip(), body.strip() + "\n", None, [recipient])
        except Exception:
            # The record is saved and the page tells them what happened; a mail
            # server being down must not turn that into an error page.
            logger.exception("Could not send %s mail for plan %s", template, plan.pk)

    transaction.on_commit(send)
