"""CSV of a 年度's plans and grants, for the office's spreadsheets
(shakyo_portal.core.csvexport writes them the way Excel reads them)."""

from django.http import HttpResponse

from salons.models import ActivityPlan, Grant
from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.core.fiscal import fiscal_year_label

PLAN_HEADER = [
    "受付番号",
    "年度",
    "状態",
    "区分",
    "受付方法",
    "サロン名",
    "地区",
    "代表者の氏名",
    "代表者の電話番号",
    "代表者のメールアドレス",
    "年間の開催回数",
    "参加者数の見込み（1回あたり）",
    "助成額の見込み（円）",
    "交付額（円）",
    "助成金の状態",
    "交付日",
    "実績報告の状態",
    "提出日時",
]

GRANT_HEADER = [
    "受付番号",
    "年度",
    "サロン名",
    "地区",
    "基準による額（円）",
    "交付額（円）",
    "交付額を変えた理由",
    "状態",
    "交付決定日",
    "交付日",
    "精算日",
]


def plans_for_export(fiscal_year: int):
    # One query: the grant and the report are reverse one-to-ones, joined like the rest.
    return (
        ActivityPlan.objects.for_fiscal_year(fiscal_year)
        .submitted()
        .select_related("program", "salon", "district", "grant", "report")
        .order_by("serial", "pk")
    )


def plan_rows(plans):
    yield PLAN_HEADER
    for plan in plans:
        grant = plan.grant_or_none
        report = plan.report_or_none
        yield [
            plan.reference,
            plan.program.fiscal_year_label,
            plan.get_status_display(),
            plan.get_kind_display(),
            plan.get_channel_display(),
            plan.display_salon_name,
            plan.district.name if plan.district else "",
            plan.representative_name,
            plan.representative_phone,
            plan.representative_email,
            plan.sessions_planned,
            plan.expected_participants,
            plan.estimated_amount,
            grant.amount if grant else None,
            grant.get_status_display() if grant else "",
            grant.paid_on if grant else None,
            report.get_status_display() if report else "",
            plan.submitted_at,
        ]


def grants_for_export(fiscal_year: int):
    return (
        Grant.objects.filter(plan__program__fiscal_year=fiscal_year)
        .select_related("plan__program", "plan__salon", "plan__district")
        .order_by("plan__serial", "pk")
    )


def grant_rows(grants):
    yield GRANT_HEADER
    for grant in grants:
        plan = grant.plan
        yield [
            plan.reference,
            plan.program.fiscal_year_label,
            plan.display_salon_name,
            plan.district.name if plan.district else "",
            grant.computed_amount,
            grant.amount,
            grant.adjustment_reason,
            grant.get_status_display(),
            grant.decided_on,
            grant.paid_on,
            grant.settled_on,
        ]


def plans_csv(plans, fiscal_year: int) -> HttpResponse:
    return csv_response(
        plan_rows(plans),
        filename=f"活動計画書_{fiscal_year_label(fiscal_year)}.csv",
        ascii_filename=f"activity-plans-{fiscal_year}.csv",
    )


def grants_csv(grants, fiscal_year: int) -> HttpResponse:
    return csv_response(
        grant_rows(grants),
        filename=f"助成金_{fiscal_year_label(fiscal_year)}.csv",
        ascii_filename=f"grants-{fiscal_year}.csv",
    )
