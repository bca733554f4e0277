"""The organiser's side of the 活動計画書: saving a draft, sending it, and
starting from last year's plan.

Double submission: each rendering of the public form carries a one-time token.
It is stored on the plan the form created, so a second POST of the same page
(a double click, a reload, the back button) finds that plan and goes to it
instead of making another one.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from salons import workflow
from salons.grants import estimate
from salons.models import (
    ActivityPlan,
    ActivityReport,
    Attachment,
    BudgetLine,
    Channel,
    GrantProgram,
    PlanKind,
    PlanStatus,
    Salon,
    SalonActivityType,
    StatusChange,
    StatusSubject,
    TargetGroup,
    reference_for,
)
from salons.services.files import remove_attachments, save_attachments
from salons.services.mail import notify, send_resume_link
from salons.workflow import EDITABLE, WorkflowError
from shakyo_portal.core.dates import format_date
from shakyo_portal.staff import audit
from shakyo_portal.staff.notifications import NotificationKind, notify_staff_from_template


class AlreadySent(Exception):
    """The form was sent before (a double click, a reload, another tab): `plan` is what it made."""

    def __init__(self, plan: ActivityPlan):
        super().__init__(plan.pk)
        self.plan = plan


class StalePlan(Exception):
    """The plan was sent (by another tab or click) while this page was open."""


@dataclass(frozen=True)
class PlanInput:
    """What the organiser's form gives the services: checked, not yet written."""

    # The plan, new or the one being edited, carrying the typed values.
    plan: ActivityPlan
    # The plan's own columns the form edits.
    fields: tuple[str, ...]
    target_groups: list[TargetGroup]
    activity_types: list[SalonActivityType]
    # BudgetSide → that table's filled-in lines (item, note, amount), in the order typed.
    budget: dict[str, list[dict]]
    # Checked and re-encoded uploads (ProcessedUpload.as_attachment_kwargs()).
    new_files: list[dict]
    removed_files: list[Attachment]
    # Consent to the purpose of use, given with 「提出する」 on this page.
    consent: bool


@dataclass(frozen=True)
class SavedDraft:
    plan: ActivityPlan
    # The secret of the resume link, to show once; only its hash is stored.
    resume_token: str


# --- checks -------------------------------------------------------------------------


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


def check_can_submit(
    *, program: GrantProgram, plan: ActivityPlan | None, salon: Salon | None
) -> None:
    """Raise WorkflowError if the organiser's form cannot be sent now.

    Checked before anything is written, so a refused plan leaves no files
    behind; submit_plan checks again inside the transaction.
    """
    blocking = missing_report(program, salon)
    if blocking is not None:
        raise WorkflowError(missing_report_message(blocking))
    # A returned plan may be corrected and sent again after the window has closed.
    first_sending = plan is None or plan.status == PlanStatus.DRAFT
    if first_sending and not program.is_open_on(timezone.localdate()):
        raise WorkflowError(
            f"{program.name}の受付期間（{format_date(program.opens_on)}〜"
            f"{format_date(program.closes_on)}）ではないため、提出できません。"
            "下書きは保存できます。社協へお問い合わせください。"
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


# --- sending --------------------------------------------------------------------------


def _next_serial(program: GrantProgram) -> int:
    # Locking the program row serialises numbering within its 年度 on PostgreSQL;
    # SQLite serialises all writers anyway. The unique constraint is the backstop.
    GrantProgram.objects.select_for_update().filter(pk=program.pk).first()
    last = ActivityPlan.objects.filter(program=program).aggregate(Max("serial"))["serial__max"]
    return (last or 0) + 1


@transaction.atomic
def submit_plan(
    plan: ActivityPlan,
    *,
    actor=None,
    channel: str = Channel.WEB,
    submission_token: str | None = None,
) -> ActivityPlan:
    """Send a saved draft or a corrected returned plan: it becomes 受付.

    The plan's own fields, lines and attachments are already saved (by
    save_and_submit in the same transaction, or by staff in the admin); this
    numbers it and records the step.
    """
    blocking = missing_report(plan.program, plan.salon)
    if blocking is not None:
        raise WorkflowError(missing_report_message(blocking))
    if duplicate_plan(plan) is not None:
        raise WorkflowError(
            f"このサロンの{plan.program.fiscal_year_label}の活動計画書は、すでに受け付けています。"
            "内容を変えたいときは、社協にお問い合わせください。"
        )
    previous = plan.status
    if previous not in workflow.PLAN.sources(PlanStatus.RECEIVED):
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
    notify_staff_from_template(
        NotificationKind.PLAN_SUBMITTED, "plan_submitted", {"plan": plan}, record=plan
    )
    return plan


# --- the organiser's form -------------------------------------------------------------


def plan_with_token(token: str) -> ActivityPlan | None:
    """The plan a rendering of the form with this one-time token created, if any."""
    if not token:
        return None
    return ActivityPlan.objects.filter(submission_token=token).first()


def plan_for_form_token(
    *, token: str, program: GrantProgram, plan: ActivityPlan | None
) -> ActivityPlan | None:
    """The plan a POST of the form writes to: `plan` (None for a new one), or the
    draft this very page saved before (a double click, or the back button after
    saving), so that what it sends now goes there and not to a second plan.

    Raises AlreadySent when the token made another plan. A returned plan is not
    taken over: replaying the first page would resend it uncorrected.
    """
    used = plan_with_token(token)
    if used is None or (plan is not None and used.pk == plan.pk):
        return plan
    if plan is None and used.status == PlanStatus.DRAFT and used.program_id == program.pk:
        return used
    raise AlreadySent(used)


def _lock_editable(plan: ActivityPlan) -> None:
    # The row lock makes a second tab wait until the first has finished sending.
    if (
        not ActivityPlan.objects.select_for_update()
        .filter(pk=plan.pk, status__in=EDITABLE)
        .exists()
    ):
        raise StalePlan


def _write_plan(
    *, program: GrantProgram, data: PlanInput, submission_token: str | None
) -> ActivityPlan:
    """Write the plan, its choices, lines and files. Its status is not touched."""
    plan = data.plan
    plan.program = program
    if plan.kind == PlanKind.NEW:
        plan.salon = None
    elif plan.salon is not None:
        # An existing salon is named by the salon itself; a name typed here would
        # rename it on approval.
        plan.salon_name = ""
        plan.salon_reading = ""
        plan.district = plan.salon.district
    if submission_token:
        plan.submission_token = submission_token
    if data.consent:
        plan.consented_at = timezone.now()
    if plan.pk:
        # Never the status, numbers or staff notes, which others may change meanwhile.
        fields = [*data.fields, "program", "updated_at"]
        if submission_token:
            fields.append("submission_token")
        if data.consent:
            fields.append("consented_at")
        plan.save(update_fields=fields)
    else:
        plan.save()
    plan.target_groups.set(data.target_groups)
    plan.activity_types.set(data.activity_types)
    plan.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(plan=plan, side=side, display_order=n, **line)
        for side, lines in data.budget.items()
        for n, line in enumerate(lines)
    )
    remove_attachments(data.removed_files)
    save_attachments(data.new_files, plan=plan)
    return plan


@transaction.atomic
def _write_draft(
    *, program: GrantProgram, data: PlanInput, form_token: str, send_link: bool
) -> SavedDraft:
    if data.plan.pk is not None:
        _lock_editable(data.plan)
    # A new draft keeps the form's token, so a double click saves it once.
    plan = _write_plan(
        program=program,
        data=data,
        submission_token=(form_token or None) if data.plan.pk is None else None,
    )
    if not send_link:
        return SavedDraft(plan, "")
    return SavedDraft(plan, send_resume_link(plan=plan, template="draft_saved"))


def save_draft(
    *, program: GrantProgram, data: PlanInput, form_token: str, send_link: bool = True
) -> SavedDraft:
    """Keep what the organiser typed as a draft and mail them the link to resume it.

    A step of the stepped form saves with send_link=False once the draft
    exists: a new link at every 「次へ」 would fill the inbox and make each
    earlier link stop working.

    Raises AlreadySent when another click of this page got there first, and
    StalePlan when the plan was sent from another page meanwhile.
    """
    try:
        return _write_draft(program=program, data=data, form_token=form_token, send_link=send_link)
    except (IntegrityError, StalePlan):
        # Known only once the write is rolled back: the token finds what the other click made.
        used = plan_with_token(form_token)
        if used is None:
            raise
        raise AlreadySent(used) from None


@transaction.atomic
def _write_and_submit(*, program: GrantProgram, data: PlanInput, form_token: str) -> ActivityPlan:
    if data.plan.pk is not None:
        _lock_editable(data.plan)
    plan = _write_plan(program=program, data=data, submission_token=form_token or None)
    return submit_plan(plan, submission_token=form_token or None)


def save_and_submit(*, program: GrantProgram, data: PlanInput, form_token: str) -> ActivityPlan:
    """Write what the organiser typed and send it, all or nothing.

    Raises WorkflowError when it cannot be sent, AlreadySent when another click
    of this page sent it first, and StalePlan when the plan was sent from
    another page meanwhile.
    """
    try:
        return _write_and_submit(program=program, data=data, form_token=form_token)
    except (IntegrityError, StalePlan):
        used = plan_with_token(form_token)
        if used is None:
            raise
        raise AlreadySent(used) from None
    except WorkflowError:
        used = plan_with_token(form_token)
        if used is not None and not used.is_editable_by_applicant:
            raise AlreadySent(used) from None
        raise


# --- starting from last year's plan -------------------------------------------------

# The parts of last year's plan a returning salon keeps.
RENEWED_FIELDS = [
    "salon_name",
    "salon_reading",
    "district",
    "representative_name",
    "representative_reading",
    "representative_phone",
    "representative_email",
    "representative_postal_code",
    "representative_address",
    "venue_name",
    "venue_address",
    "frequency",
    "weeks_of_month",
    "weekday",
    "starts_at",
    "ends_at",
    "schedule_note",
    "sessions_planned",
    "expected_participants",
    "expected_helpers",
    "content",
    "requests_grant",
]


@transaction.atomic
def renew_plan(*, source: ActivityPlan, program: GrantProgram) -> SavedDraft:
    """A new draft for `program`, filled in from `source` (last year's plan of the
    salon); the organiser is mailed the link to resume it."""
    plan = ActivityPlan(program=program, salon=source.salon)
    for name in RENEWED_FIELDS:
        setattr(plan, name, getattr(source, name))
    if source.salon is not None:
        plan.kind = PlanKind.CONTINUING
        plan.salon_name = ""
        plan.salon_reading = ""
        plan.district = source.salon.district
    else:
        # Last year's plan never became a salon (not approved): it is still new.
        plan.kind = PlanKind.NEW
    plan.save()
    plan.target_groups.set(source.target_groups.all())
    plan.activity_types.set(source.activity_types.all())
    BudgetLine.objects.bulk_create(
        BudgetLine(
            plan=plan,
            side=line.side,
            item=line.item,
            note=line.note,
            amount=line.amount,
            display_order=line.display_order,
        )
        for line in source.budget_lines.all()
    )
    return SavedDraft(plan, send_resume_link(plan=plan, template="draft_saved"))
