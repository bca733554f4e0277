"""The 活動計画書 an organiser sends without an account.

plan_start explains it and offers to start afresh or from last year's plan;
plan_new and plan_edit are one long form with three buttons (estimate, save a
draft, submit); plan_resume reopens a draft from its link; plan_done and
plan_print show what was sent.

Double submission: each rendering of the form carries a one-time token, which
the services store on the plan it creates (salons.services.plans), so a
second POST of the same page goes to that plan instead of making another one.
"""

import re
import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from salons.access import grant_access, plan_for_applicant
from salons.forms.plans import Mode, PlanEntry, RenewForm, estimate_for_plan, estimate_from
from salons.models import (
    ActivityPlan,
    BudgetSide,
    GrantProgram,
    PlanKind,
    PlanStatus,
    StatusChange,
    StatusSubject,
)
from salons.services import (
    AlreadySent,
    StalePlan,
    WorkflowError,
    check_can_submit,
    missing_report,
    missing_report_message,
    plan_for_form_token,
    renew_plan,
    save_and_submit,
    save_draft,
)
from shakyo_portal.core.ratelimit import limit_posts

# Without JavaScript every press of 「助成額を計算する」 is a POST too, so the limit
# leaves room for a long sitting; a script sending plans in bulk still stops soon.
PLAN_POST_LIMIT = 40
# Each try of a reference and contact counts: the limit stops guessing.
RENEW_POST_LIMIT = 10

RESUME_LINK_KEY = "salons_resume_link"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")
RESUME_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,100}")


def open_program(day=None) -> GrantProgram | None:
    """The 活動助成 accepting plans on `day` (today): the latest whose window holds it."""
    day = day or timezone.localdate()
    return (
        GrantProgram.objects.filter(opens_on__lte=day, closes_on__gte=day)
        .order_by("-fiscal_year")
        .first()
    )


def next_program(day=None) -> GrantProgram | None:
    day = day or timezone.localdate()
    return GrantProgram.objects.filter(opens_on__gt=day).order_by("opens_on").first()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _go_to_sent(request, plan: ActivityPlan):
    """Where a repeated POST of an already used form lands."""
    grant_access(request, plan)
    if plan.is_editable_by_applicant:
        messages.info(request, "この内容は、すでに下書きとして保存されています。")
        return redirect("salons:plan_edit", pk=plan.pk)
    messages.info(request, "この活動計画書は、すでに受け付けています。")
    return redirect("salons:plan_done", pk=plan.pk)


# --- the start page ---------------------------------------------------------------


@require_safe
def plan_start(request):
    program = open_program()
    return _render_start(request, program, RenewForm(program=program) if program else None)


def _render_start(request, program, renew_form, status=200):
    return render(
        request,
        "salons/plan_start.html",
        {
            "program": program,
            "upcoming": None if program else next_program(),
            "renew_form": renew_form,
        },
        status=status,
    )


@require_POST
@limit_posts("plan_renew", limit=RENEW_POST_LIMIT)
def plan_renew(request):
    program = open_program()
    if program is None:
        return redirect("salons:plan_start")
    form = RenewForm(request.POST, program=program)
    if not form.is_valid():
        return _render_start(request, program, form)
    draft = renew_plan(source=form.source, program=program)
    grant_access(request, draft.plan)
    request.session[RESUME_LINK_KEY] = {"pk": draft.plan.pk, "token": draft.resume_token}
    messages.success(
        request,
        f"{form.source.program.fiscal_year_label}の活動計画書（受付番号 {form.source.reference}）"
        "をもとに、新しい下書きを作りました。日付や回数など、今年度の内容に直してください。",
    )
    return redirect("salons:plan_edit", pk=draft.plan.pk)


# --- the form -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("plan_form", limit=PLAN_POST_LIMIT)
def plan_new(request):
    program = open_program()
    if program is None:
        return render(
            request,
            "salons/plan_form.html",
            {"program": None, "upcoming": next_program(), "closed": True},
        )
    return _plan_form(request, program, plan=None)


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("plan_form", limit=PLAN_POST_LIMIT)
def plan_edit(request, pk):
    plan = plan_for_applicant(
        request, pk, ActivityPlan.objects.select_related("program", "salon"), for_writing=True
    )
    if not plan.is_editable_by_applicant:
        messages.info(
            request,
            "この活動計画書はすでに提出されているため、直すことはできません。"
            "直したいところがあるときは、社協へお問い合わせください。",
        )
        return redirect("salons:plan_detail", pk=plan.pk)
    return _plan_form(request, plan.program, plan=plan)


def _plan_form(request, program, *, plan):
    if request.method != "POST":
        # A new plan asks for the grant until unticked, as the field's help text says; the
        # form's own checkbox field does not take the model's default by itself.
        initial = None if plan else {"kind": "", "requests_grant": True}
        entry = PlanEntry(program, plan=plan, initial=initial)
        return _render_form(request, entry, token=new_token())

    action = request.POST.get("action")
    # Enter in a text field presses the first button, 「助成額を計算する」: it saves nothing.
    mode = action if action in Mode.ALL else Mode.ESTIMATE
    token = request.POST.get("submission_token", "")
    token = token if TOKEN_PATTERN.fullmatch(token) else ""
    if mode != Mode.ESTIMATE:
        try:
            target = plan_for_form_token(token=token, program=program, plan=plan)
        except AlreadySent as sent:
            return _go_to_sent(request, sent.plan)
        if target is not plan:
            # The draft this very page saved before.
            plan = target
            grant_access(request, plan)

    entry = PlanEntry(program, plan=plan, data=request.POST, files=request.FILES, mode=mode)
    if not entry.is_valid() or mode == Mode.ESTIMATE:
        return _render_form(request, entry, token=token or new_token())
    if mode == Mode.DRAFT:
        return _save_draft(request, entry, token)
    return _submit(request, entry, token)


def _save_draft(request, entry: PlanEntry, token: str):
    try:
        draft = save_draft(program=entry.program, data=entry.plan_input(), form_token=token)
    except AlreadySent as sent:
        return _go_to_sent(request, sent.plan)
    except StalePlan:
        return _stale(request, entry.plan)
    grant_access(request, draft.plan)
    request.session[RESUME_LINK_KEY] = {"pk": draft.plan.pk, "token": draft.resume_token}
    messages.success(request, "下書きを保存しました。まだ提出は終わっていません。")
    return redirect("salons:plan_edit", pk=draft.plan.pk)


def _submit(request, entry: PlanEntry, token: str):
    cleaned = entry.form.cleaned_data
    salon = cleaned.get("salon") if cleaned.get("kind") != PlanKind.NEW else None
    try:
        check_can_submit(program=entry.program, plan=entry.plan, salon=salon)
        plan = save_and_submit(program=entry.program, data=entry.plan_input(), form_token=token)
    except AlreadySent as sent:
        return _go_to_sent(request, sent.plan)
    except StalePlan:
        return _stale(request, entry.plan)
    except WorkflowError as error:
        entry.form.add_error(None, str(error))
        return _render_form(request, entry, token=token or new_token())
    grant_access(request, plan)
    return redirect("salons:plan_done", pk=plan.pk)


def _stale(request, plan):
    messages.info(request, "この活動計画書は、別の画面からすでに提出されています。")
    return redirect("salons:plan_detail", pk=plan.pk)


def _render_form(request, entry: PlanEntry, *, token: str):
    plan, program, form = entry.plan, entry.program, entry.form
    if form.is_bound:
        estimate = estimate_from(program, request.POST, requested="requests_grant" in request.POST)
    elif plan is not None:
        estimate = estimate_for_plan(plan)
    else:
        estimate = estimate_from(program, {}, requested=True)
    resume_link = None
    remembered = request.session.get(RESUME_LINK_KEY) if plan is not None else None
    if remembered and remembered.get("pk") == plan.pk:
        # Shown once: the page after saving is the only place the link appears.
        del request.session[RESUME_LINK_KEY]
        resume_link = request.build_absolute_uri(
            reverse("salons:plan_resume", kwargs={"token": remembered["token"]})
        )
    returned = None
    blocking = None
    if plan is not None:
        if plan.status == PlanStatus.RETURNED:
            returned = (
                StatusChange.objects.filter(
                    plan=plan, subject=StatusSubject.PLAN, to_status=PlanStatus.RETURNED
                )
                .order_by("-at", "-pk")
                .first()
            )
        if not form.is_bound and plan.salon_id:
            blocking = missing_report(program, plan.salon)
    files_chosen = bool(request.FILES.getlist("attachments")) if form.is_bound else False
    return render(
        request,
        "salons/plan_form.html",
        {
            "program": program,
            "plan": plan,
            "entry": entry,
            "form": form,
            "has_errors": entry.has_errors,
            "income": entry.income,
            "expense": entry.expense,
            "income_total": entry.income.typed_total(),
            "expense_total": entry.expense.typed_total(),
            "estimate": estimate,
            "submission_token": token,
            "resume_link": resume_link,
            "returned": returned,
            "blocking_message": missing_report_message(blocking) if blocking else "",
            # Browsers cannot put chosen files back into a re-shown form.
            "files_dropped": files_chosen and (entry.has_errors or form.mode == Mode.ESTIMATE),
            "attachments": list(plan.attachments.all()) if plan is not None else [],
        },
    )


# --- the live estimate ---------------------------------------------------------------


@require_safe
def plan_estimate(request):
    """The estimate box for the values typed so far, as an HTML fragment."""
    program = None
    raw = request.GET.get("program", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31:
        program = GrantProgram.objects.filter(pk=int(raw)).first()
    if program is None:
        program = open_program()
    response = render(
        request, "salons/plan_estimate.html", {"estimate": estimate_from(program, request.GET)}
    )
    response["Cache-Control"] = "no-store"
    return response


# --- resume, confirmation, print ---------------------------------------------------------


@require_safe
def plan_resume(request, token):
    plan = None
    if RESUME_TOKEN_PATTERN.fullmatch(token):
        plan = ActivityPlan.find_by_draft_token(token)
    if plan is None:
        return render(request, "salons/plan_resume_invalid.html", status=404)
    grant_access(request, plan)
    return redirect("salons:plan_edit", pk=plan.pk)


@never_cache
@require_safe
def plan_done(request, pk):
    plan = plan_for_applicant(request, pk, ActivityPlan.objects.select_related("program", "salon"))
    if plan.status == PlanStatus.DRAFT:
        return redirect("salons:plan_edit", pk=plan.pk)
    return render(
        request,
        "salons/plan_done.html",
        {"plan": plan, "estimate": estimate_for_plan(plan) if plan.requests_grant else None},
    )


@never_cache
@require_safe
def plan_print(request, pk):
    plan = plan_for_applicant(
        request,
        pk,
        ActivityPlan.objects.select_related("program", "salon", "district").prefetch_related(
            "target_groups", "activity_types", "budget_lines", "attachments"
        ),
    )
    income = [line for line in plan.budget_lines.all() if line.side == BudgetSide.INCOME]
    expense = [line for line in plan.budget_lines.all() if line.side == BudgetSide.EXPENSE]
    return render(
        request,
        "salons/plan_print.html",
        {
            "plan": plan,
            "income": income,
            "expense": expense,
            "income_total": sum(line.amount for line in income),
            "expense_total": sum(line.amount for line in expense),
            "estimate": estimate_for_plan(plan) if plan.requests_grant else None,
        },
    )
