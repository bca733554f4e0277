"""Writes that touch several rows, send mail or record history: saving and
sending a plan, moving it through review, granting, paying, and the 実績報告
that settles the grant.

Each is typed, never given a request, and all or nothing; the steps it may
take are those of `salons.workflow`. Mail goes out only after the transaction
commits.

plans    the organiser's form: drafts, sending, last year's plan
review   staff's review steps and the 助成金
reports  the 実績報告
files    attachments
mail     the organiser's mail
"""

from salons.services.files import (
    StorageUnavailable,
    remove_attachments,
    save_attachment,
)
from salons.services.mail import notify, send_resume_link, status_url
from salons.services.plans import (
    AlreadySent,
    PlanInput,
    SavedDraft,
    StalePlan,
    check_can_submit,
    duplicate_plan,
    missing_report,
    missing_report_message,
    plan_for_form_token,
    refresh_estimate,
    renew_plan,
    save_and_submit,
    save_draft,
    submit_plan,
)
from salons.services.reports import can_report, confirm_report, return_report, submit_report
from salons.services.review import (
    adjust_grant,
    allowed_transitions,
    mark_grant_paid,
    transition,
)
from salons.workflow import CONFLICT_MESSAGE, WorkflowError

__all__ = [
    "CONFLICT_MESSAGE",
    "AlreadySent",
    "PlanInput",
    "SavedDraft",
    "StalePlan",
    "StorageUnavailable",
    "WorkflowError",
    "adjust_grant",
    "allowed_transitions",
    "can_report",
    "check_can_submit",
    "confirm_report",
    "duplicate_plan",
    "mark_grant_paid",
    "missing_report",
    "missing_report_message",
    "notify",
    "plan_for_form_token",
    "refresh_estimate",
    "remove_attachments",
    "renew_plan",
    "return_report",
    "save_and_submit",
    "save_attachment",
    "save_draft",
    "send_resume_link",
    "status_url",
    "submit_plan",
    "submit_report",
    "transition",
]
