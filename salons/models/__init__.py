"""ふれあいサロン, and the yearly cycle of 活動計画書 → 活動助成 → 実績報告.

A plan is one record for its whole life: the organiser drafts and sends it,
staff move it through review, its approval creates the `Grant`, and the
`ActivityReport` sent after the 年度 settles that grant. Every change of
status is a `StatusChange` row, so the plan page can show who did what, when
and why. The statuses and the moves between them are `salons.workflow`.

base       limits and the schedule the salon and its plans share
directory  the salon, its photos, target groups and activity types
grants     a 年度's rules and the grant decided on a plan
plans      the plan, its reference number and its history
contents   the money lines and files of plans and reports
reports    the 実績報告
schedule_changes  休み and 中止 against a salon's schedule, and its coming dates
"""

from salons.models.base import (
    MAX_AMOUNT,
    MAX_PEOPLE,
    MAX_SESSIONS,
    WEEKS_OF_MONTH,
    Frequency,
    Schedule,
    amount_field,
    validate_weeks_of_month,
)
from salons.models.contents import (
    EXPENSE_ITEMS,
    INCOME_ITEMS,
    Attachment,
    AttachmentKind,
    BudgetLine,
    BudgetSide,
    private_attachment_path,
)
from salons.models.directory import (
    Salon,
    SalonActivityType,
    SalonPhoto,
    SalonQuerySet,
    SalonStatus,
    TargetGroup,
    salon_photo_path,
)
from salons.models.grants import Grant, GrantProgram, GrantStatus, GrantTier
from salons.models.plans import (
    REFERENCE_MESSAGE,
    ActivityPlan,
    ActivityPlanQuerySet,
    Channel,
    PlanKind,
    StatusChange,
    StatusSubject,
    normalize_reference,
    reference_for,
)
from salons.models.reports import ActivityReport, ActivityReportQuerySet
from salons.models.schedule_changes import (
    COMING_SHOWN,
    ChangeKind,
    SalonDate,
    SalonScheduleChange,
    SalonScheduleChangeQuerySet,
    add_coming,
    changes_prefetch,
    coming_dates,
    has_rule,
    next_date,
)
from salons.workflow import APPLICANT_STATUS_LABELS, PlanStatus, ReportStatus
from shakyo_portal.core.recurrence import Weekday

__all__ = [
    "APPLICANT_STATUS_LABELS",
    "COMING_SHOWN",
    "EXPENSE_ITEMS",
    "INCOME_ITEMS",
    "MAX_AMOUNT",
    "MAX_PEOPLE",
    "MAX_SESSIONS",
    "REFERENCE_MESSAGE",
    "WEEKS_OF_MONTH",
    "ActivityPlan",
    "ActivityPlanQuerySet",
    "ActivityReport",
    "ActivityReportQuerySet",
    "Attachment",
    "AttachmentKind",
    "BudgetLine",
    "BudgetSide",
    "ChangeKind",
    "Channel",
    "Frequency",
    "Grant",
    "GrantProgram",
    "GrantStatus",
    "GrantTier",
    "PlanKind",
    "PlanStatus",
    "ReportStatus",
    "Salon",
    "SalonActivityType",
    "SalonDate",
    "SalonPhoto",
    "SalonQuerySet",
    "SalonScheduleChange",
    "SalonScheduleChangeQuerySet",
    "SalonStatus",
    "Schedule",
    "StatusChange",
    "StatusSubject",
    "TargetGroup",
    "Weekday",
    "add_coming",
    "amount_field",
    "changes_prefetch",
    "coming_dates",
    "has_rule",
    "next_date",
    "normalize_reference",
    "private_attachment_path",
    "reference_for",
    "salon_photo_path",
    "validate_weeks_of_month",
]
