"""The organiser's side after sending: the status page, the plan's page, the
実績報告, and the public page of a 年度's 活動助成 rules.

An organiser has no account: the status page lets them prove who they are
with the reference number and their phone or e-mail (salons.access), and the
plan's page then shows what happened to it in their words, never staff names.
"""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from salons import workflow
from salons.access import grant_access, plan_for_applicant
from salons.forms.reports import ReportForm, spending_formset
from salons.forms.status import NOT_FOUND_MESSAGE, REFERENCE_PAUSED_MESSAGE, StatusLookupForm
from salons.grants import estimate, rules_in_words
from salons.models import (
    ActivityPlan,
    BudgetSide,
    GrantProgram,
    GrantStatus,
    PlanKind,
    PlanStatus,
    ReportStatus,
    StatusSubject,
)
from salons.services import WorkflowError, can_report, submit_report
from salons.workflow import REASON_REQUIRED
from shakyo_portal.core.ratelimit import limit_posts, plan_secret

# A person checks a plan a few times; a script trying reference numbers hits this at once.
STATUS_LOOKUPS_PER_10_MINUTES = 10
REPORT_POSTS_PER_10_MINUTES = 10

# The plan with everything its page shows in one query (grant and report are
# one-to-one, so a missing one is cached as missing, not fetched again).
PLAN_PAGE = ActivityPlan.objects.select_related("program", "salon", "grant", "report")


# --- the status page --------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("plan_status", limit=STATUS_LOOKUPS_PER_10_MINUTES, window=600)
def plan_status(request):
    """Reference number + phone or e-mail → the plan's page, remembered in the session."""
    if request.method == "POST":
        form = StatusLookupForm(request.POST)
        if form.is_valid():
            reference = form.cleaned_data["reference"]
            if plan_secret.paused(reference):
                form.add_error(None, REFERENCE_PAUSED_MESSAGE)
            else:
                plan = ActivityPlan.objects.submitted().by_reference(reference).first()
                if plan is not None and plan.matches_contact(form.cleaned_data["contact"]):
                    grant_access(request, plan)
                    return redirect("salons:plan_detail", pk=plan.pk)
                plan_secret.failed(reference)
                form.add_error(None, NOT_FOUND_MESSAGE)
    else:
        form = StatusLookupForm()
    return render(request, "salons/plan_status.html", {"form": form})


# --- the plan's page --------------------------------------------------------------------

GRANT_STEP_WORDS = {
    GrantStatus.DECIDED: "助成金の交付が決まりました",
    GrantStatus.PAID: "助成金を交付しました",
    GrantStatus.SETTLED: "助成金の精算が済みました",
}


def step_in_words(change) -> str:
    """What one StatusChange meant, as the organiser would say it."""
    if change.subject == StatusSubject.GRANT:
        if change.from_status == change.to_status == GrantStatus.DECIDED:
            return "助成金の交付額が変わりました"
        return GRANT_STEP_WORDS.get(change.to_status, change.to_status_label)
    flow = workflow.PLAN if change.subject == StatusSubject.PLAN else workflow.REPORT
    words = flow.history(change.from_status, change.to_status)
    return words or change.to_status_label


def reason_for_applicant(change) -> str:
    """The reasons written for the organiser; other steps' notes are for staff."""
    if change.subject == StatusSubject.PLAN and change.to_status in (
        *REASON_REQUIRED,
        PlanStatus.RECEIVED,  # 郵送で受付, 窓口で受付
    ):
        return change.reason
    if (
        change.subject == StatusSubject.REPORT
        and change.to_status in workflow.REPORT.reason_required
    ):
        return change.reason
    if change.subject == StatusSubject.GRANT:
        return change.reason
    return ""


def history_rows(history) -> list[dict]:
    # Who acted is "社協" or "申請者": staff names are not for the public.
    return [
        {
            "at": change.at,
            "words": step_in_words(change),
            "reason": reason_for_applicant(change),
            "by": "申請者" if change.actor_id is None else "社協",
        }
        for change in history
    ]


def latest_reason(history, subject: str, to_status: str) -> str:
    for change in reversed(history):
        if change.subject == subject and change.to_status == to_status:
            return change.reason
    return ""


@never_cache
@require_safe
def plan_detail(request, pk):
    plan = plan_for_applicant(request, pk, queryset=PLAN_PAGE)
    # Only the fields the page shows: the acting staff member is never fetched.
    history = list(plan.history.all())
    grant = plan.grant_or_none
    report = plan.report_or_none
    return render(
        request,
        "salons/plan_detail.html",
        {
            "plan": plan,
            "grant": grant,
            "report": report,
            "history": history_rows(history),
            "can_report": can_report(plan),
            "plan_reason": latest_reason(history, StatusSubject.PLAN, plan.status)
            if plan.status in REASON_REQUIRED
            else "",
            "report_reason": latest_reason(history, StatusSubject.REPORT, ReportStatus.RETURNED)
            if report is not None and report.status == ReportStatus.RETURNED
            else "",
            "spending_total": report.spending_total if report is not None else None,
        },
    )


# --- the 実績報告 ------------------------------------------------------------------------


def report_blocked_message(plan: ActivityPlan) -> str:
    report = plan.report_or_none
    if plan.status != PlanStatus.APPROVED:
        return (
            "実績報告は、活動計画書が承認されてから提出できます。"
            f"この活動計画書はいま「{plan.applicant_status_label}」です。"
        )
    if report is not None and report.status == ReportStatus.CONFIRMED:
        return "この活動計画書の実績報告は、社協が確認を済ませています。"
    return "この活動計画書の実績報告は、すでに受け付けています。社協で内容を確認しています。"


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("report_new", limit=REPORT_POSTS_PER_10_MINUTES, window=600)
def report_new(request, pk):
    plan = plan_for_applicant(request, pk, queryset=PLAN_PAGE, for_writing=True)
    if not can_report(plan):
        # Also the answer to a second click on 送信 after the report was saved.
        messages.info(request, report_blocked_message(plan))
        return redirect("salons:plan_detail", pk=plan.pk)

    returned = plan.report_or_none  # can_report: none yet, or returned
    initial, initial_lines, return_reason = {}, [], ""
    if returned is not None:
        initial = ReportForm.initial_from(returned)
        initial_lines = [
            {"item": line.item, "note": line.note, "amount": line.amount}
            for line in returned.spending_lines.all()
        ]
        return_reason = latest_reason(
            list(plan.history.filter(subject=StatusSubject.REPORT)),
            StatusSubject.REPORT,
            ReportStatus.RETURNED,
        )

    photos_again = False
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, plan=plan)
        formset = spending_formset(request.POST, initial=initial_lines)
        # Both are checked, so every mistake is shown at once.
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if form_ok and formset_ok:
            uploads = form.cleaned_data.get("photos") or []
            try:
                submit_report(
                    plan,
                    fields=form.report_fields(),
                    spending=formset.lines(),
                    files=[upload.as_attachment_kwargs() for upload in uploads],
                )
            except WorkflowError as error:
                # Also what a second click racing the first gets.
                fresh = PLAN_PAGE.get(pk=plan.pk)
                if not can_report(fresh):
                    return _already_reported(request, fresh)
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "実績報告を受け付けました。社協で内容を確認し、"
                    "確認が済むと助成金の精算が終わります。",
                )
                return redirect("salons:plan_detail", pk=plan.pk)
        # A browser cannot give chosen files back to the page.
        photos_again = bool(request.FILES)
    else:
        form = ReportForm(initial=initial, plan=plan)
        formset = spending_formset(initial=initial_lines)

    budget = plan.budget_lines.filter(side=BudgetSide.EXPENSE)
    return render(
        request,
        "salons/report_form.html",
        {
            "plan": plan,
            "form": form,
            "formset": formset,
            "grant": plan.grant_or_none,
            "returned": returned,
            "return_reason": return_reason,
            "photos_again": photos_again,
            "formset_errors": [formset] if formset.is_bound and formset.total_error_count() else [],
            "planned_spending": budget,
        },
    )


def _already_reported(request, plan):
    messages.info(request, report_blocked_message(plan))
    return redirect("salons:plan_detail", pk=plan.pk)


# --- a 年度's rules ------------------------------------------------------------------------


def worked_examples(program: GrantProgram, tiers: list) -> list[dict]:
    """A few typical salons and what the rules give them, computed, never typed in."""
    fy = program.fiscal_year
    sessions = max(12, program.min_sessions)
    people = max(15, program.min_participants)
    april, october = date(fy, 4, 1), date(fy, 10, 1)
    cases = [
        (PlanKind.CONTINUING, sessions, people, april),
        (PlanKind.NEW, sessions, people, april),
    ]
    if program.late_start_base_amount is not None:
        cases.append((PlanKind.NEW, max(6, program.min_sessions), people, october))
    if program.min_sessions > 1:
        cases.append((PlanKind.CONTINUING, program.min_sessions - 1, people, april))
    rows = []
    for kind, n_sessions, n_people, start in cases:
        result = estimate(
            program,
            kind=kind,
            sessions=n_sessions,
            participants=n_people,
            first_session_on=start,
            tiers=tiers,
        )
        rows.append(
            {
                "kind": PlanKind(kind).label,
                "sessions": n_sessions,
                "participants": n_people,
                "start": start,
                "estimate": result,
            }
        )
    return rows


@require_safe
def program_detail(request, fiscal_year):
    program = get_object_or_404(
        GrantProgram.objects.prefetch_related("tiers"), fiscal_year=fiscal_year
    )
    tiers = list(program.tiers.all())
    today = timezone.localdate()
    if today < program.opens_on:
        window = "before"
    elif program.is_open_on(today):
        window = "open"
    else:
        window = "closed"
    return render(
        request,
        "salons/program_detail.html",
        {
            "program": program,
            "rules": rules_in_words(program, tiers=tiers),
            "examples": worked_examples(program, tiers),
            "window": window,
            "other_programs": GrantProgram.objects.exclude(pk=program.pk).only(
                "fiscal_year", "name"
            ),
        },
    )
