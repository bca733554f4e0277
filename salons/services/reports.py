"""The 実績報告: the organiser sends it for an approved plan, staff confirm it
(settling the grant) or return it with a reason."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from salons import workflow
from salons.models import (
    ActivityPlan,
    ActivityReport,
    BudgetLine,
    BudgetSide,
    Grant,
    GrantStatus,
    PlanStatus,
    ReportStatus,
    Salon,
    StatusChange,
    StatusSubject,
)
from salons.services.files import save_attachments
from salons.services.mail import notify
from salons.workflow import CONFLICT_MESSAGE, WorkflowError
from shakyo_portal.staff import audit
from shakyo_portal.staff.notifications import NotificationKind, notify_staff_from_template


def can_report(plan: ActivityPlan) -> bool:
    """A report is sent for an approved plan, once, or again after it was returned.

    It is not held back until the 年度 ends: a salon that stops early reports
    early, and staff judge a report's timing when they confirm it.
    """
    if plan.status != PlanStatus.APPROVED:
        return False
    report = plan.report_or_none
    return report is None or report.status in workflow.REPORT.editable


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
    try:
        return _write_report(plan, fields=fields, spending=spending, files=files, actor=actor)
    except IntegrityError:
        # Two clicks raced to create the same report; the first one won.
        raise WorkflowError("実績報告はすでに提出されています。") from None


@transaction.atomic
def _write_report(
    plan: ActivityPlan, *, fields: dict, spending: list[dict], files: list[dict], actor
) -> ActivityReport:
    try:
        report = ActivityReport.objects.select_for_update().get(plan=plan)
    except ActivityReport.DoesNotExist:
        report = ActivityReport(plan=plan)
    previous = report.status if report.pk else ""
    if previous and previous not in workflow.REPORT.sources(ReportStatus.SUBMITTED):
        raise WorkflowError("実績報告はすでに提出されています。")
    for name, value in fields.items():
        setattr(report, name, value)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    report.spending_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(report=report, side=BudgetSide.EXPENSE, display_order=n, **line)
        for n, line in enumerate(spending)
    )
    save_attachments(list(files), report=report)
    StatusChange.objects.create(
        plan=plan,
        subject=StatusSubject.REPORT,
        from_status=previous,
        to_status=ReportStatus.SUBMITTED,
        actor=actor,
    )
    notify(plan, "report_submitted")
    notify_staff_from_template(
        NotificationKind.REPORT_SUBMITTED,
        "report_submitted",
        {"plan": plan, "report": report, "resubmitted": previous == ReportStatus.RETURNED},
        record=report,
    )
    return report


@transaction.atomic
def confirm_report(report: ActivityReport, *, actor) -> ActivityReport:
    """Staff accept the report: the grant is settled and the salon's 最終開催 moves on."""
    now = timezone.now()
    updated = ActivityReport.objects.filter(pk=report.pk, status=ReportStatus.SUBMITTED).update(
        status=ReportStatus.CONFIRMED, confirmed_at=now
    )
    if not updated:
        raise WorkflowError(CONFLICT_MESSAGE)
    audit.record_update(report, {"status": (report.status, ReportStatus.CONFIRMED)}, actor=actor)
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


@transaction.atomic
def return_report(report: ActivityReport, *, actor, reason: str) -> ActivityReport:
    reason = reason.strip()
    if not reason:
        raise WorkflowError("差戻しにするときは、申請者に伝える理由を書いてください。")
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
