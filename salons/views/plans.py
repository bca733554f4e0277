"""The 活動計画書 an organiser sends without an account.

plan_start explains it and offers to start afresh or from last year's plan;
the form is a few steps (plan_new shows the first, plan_step the rest), each
saved as the draft when left, then a check-your-answers page (plan_check)
with the one 「提出する」; plan_resume reopens a draft from its link;
plan_done and plan_print show what was sent.

A POST of the whole plan at once to plan_new or plan_edit (the old one-page
form, a script) is still read as before: estimate, draft or submit, its
mistakes shown on the one long page.

Double submission: each rendering of the form carries a one-time token, which
the services store on the plan it creates (salons.services.plans), so a
second POST of the same page goes to that plan instead of making another one.
"""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from salons.access import grant_access, plan_for_applicant
from salons.forms.plans import (
    STEP_BY_SLUG,
    STEPS,
    Mode,
    PlanEntry,
    PlanForm,
    RenewForm,
    Step,
    estimate_for_plan,
    estimate_from,
    merge_step,
    plan_as_data,
    step_of_field,
)
from salons.grants import plan_grant_mismatch
from salons.models import (
    ActivityPlan,
    BudgetSide,
    Frequency,
    GrantProgram,
    PlanKind,
    PlanStatus,
    StatusChange,
    StatusSubject,
)
from salons.services import (
    AlreadySent,
    StalePlan,
    StorageUnavailable,
    WorkflowError,
    check_can_submit,
    missing_report,
    missing_report_message,
    plan_for_form_token,
    renew_plan,
    save_and_submit,
    save_draft,
)
from shakyo_portal.core import formtokens
from shakyo_portal.core.dates import format_date, format_time
from shakyo_portal.core.ratelimit import limit_posts

# Without JavaScript every press of 「助成額を計算する」 is a POST too, so the limit
# leaves room for a long sitting; a script sending plans in bulk still stops soon.
PLAN_POST_LIMIT = 40
# Each try of a reference and contact counts: the limit stops guessing.
RENEW_POST_LIMIT = 10

RESUME_LINK_KEY = "salons_resume_link"
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
@formtokens.binds_tokens
def plan_new(request):
    program = open_program()
    if program is None:
        return render(
            request,
            "salons/plan_form.html",
            {"program": None, "upcoming": next_program(), "closed": True},
        )
    if request.method == "POST" and "step" in request.POST:
        return _step_post(request, program, plan=None, step=_posted_step(request))
    if request.method != "POST":
        return _render_first_step(request, program)
    return _plan_form(request, program, plan=None)


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("plan_form", limit=PLAN_POST_LIMIT)
@formtokens.binds_tokens
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
    if request.method == "POST" and "step" in request.POST:
        return _step_post(request, plan.program, plan=plan, step=_posted_step(request))
    if request.method != "POST":
        return _resume(request, plan)
    return _plan_form(request, plan.program, plan=plan)


def _plan_form(request, program, *, plan):
    if request.method != "POST":
        # A new plan asks for the grant until unticked, as the field's help text says; the
        # form's own checkbox field does not take the model's default by itself.
        initial = None if plan else {"kind": "", "requests_grant": True}
        entry = PlanEntry(program, plan=plan, initial=initial)
        return _render_form(request, entry, token=formtokens.issue(request))

    action = request.POST.get("action")
    # Enter in a text field presses the first button, 「助成額を計算する」: it saves nothing.
    mode = action if action in Mode.ALL else Mode.ESTIMATE
    token = formtokens.posted(request)
    if mode != Mode.ESTIMATE:
        try:
            plan = _page_plan(request, token=token, program=program, plan=plan)
        except AlreadySent as sent:
            return _go_to_sent(request, sent.plan)

    entry = PlanEntry(program, plan=plan, data=request.POST, files=request.FILES, mode=mode)
    if not entry.is_valid() or mode == Mode.ESTIMATE:
        return _render_form(request, entry, token=token or formtokens.issue(request))
    if mode == Mode.DRAFT:
        return _save_draft(request, entry, token)
    return _submit(request, entry, token)


def _page_plan(request, *, token: str, program, plan):
    """The draft this very page saved before (a double click, the back button), with
    access granted to it, or `plan`. Raises AlreadySent when that one was sent."""
    target = plan_for_form_token(token=token, program=program, plan=plan)
    if target is not plan:
        grant_access(request, target)
    return target


def _save_draft(request, entry: PlanEntry, token: str):
    try:
        draft = save_draft(program=entry.program, data=entry.plan_input(), form_token=token)
    except AlreadySent as sent:
        return _go_to_sent(request, sent.plan)
    except StalePlan:
        return _stale(request, entry.plan)
    except StorageUnavailable as error:
        entry.form.add_error(None, str(error))
        return _render_form(request, entry, token=token or formtokens.issue(request))
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
        return _render_form(request, entry, token=token or formtokens.issue(request))
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
            **_applicant_notices(request, plan, bound=form.is_bound),
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


# --- the form in steps ---------------------------------------------------------------

# Which steps each plan's organiser has reached in this session: their progress items
# are links. pk (as a string) → index of the furthest step; len(STEPS) is the check page.
VISITED_KEY = "salons_plan_steps"
STEP_ACTIONS = ("next", "back", "draft", "estimate")
CHECK_INDEX = len(STEPS)


def _posted_step(request) -> Step:
    # A step name that is not one (a tampered page) is read as the first step, whose
    # fields are the ones a new plan starts with; nothing else is taken from the POST.
    return STEP_BY_SLUG.get(request.POST.get("step", ""), STEPS[0])


def _step_url(plan, step: Step) -> str:
    return reverse("salons:plan_step", kwargs={"pk": plan.pk, "step": step.slug})


def _furthest(request, plan) -> int:
    if plan is None:
        return 0
    return request.session.get(VISITED_KEY, {}).get(str(plan.pk), 0)


def _reach(request, plan, index: int) -> None:
    visited = dict(request.session.get(VISITED_KEY, {}))
    if visited.get(str(plan.pk), -1) < index:
        visited[str(plan.pk)] = index
        # Few plans per person; the oldest are forgotten first, as access is.
        request.session[VISITED_KEY] = dict(list(visited.items())[-20:])


def _progress(request, plan, current: int) -> list[dict]:
    """The items of the progress list: each step, then the check page."""
    furthest = max(_furthest(request, plan), current)
    items = []
    for index, step in enumerate(STEPS):
        items.append(
            {
                "number": index + 1,
                "title": step.title,
                "current": index == current,
                "url": _step_url(plan, step) if plan is not None and index <= furthest else "",
            }
        )
    items.append(
        {
            "number": CHECK_INDEX + 1,
            "title": "確認と提出",
            "current": current == CHECK_INDEX,
            "url": reverse("salons:plan_check", kwargs={"pk": plan.pk})
            if plan is not None and furthest >= CHECK_INDEX
            else "",
        }
    )
    return items


def _resume(request, plan):
    """plan_edit opened: on at the first step with something missing, or the check page."""
    data = plan_as_data(plan, plan.program)
    # The consent is given on the check page; without it here the budget's balance,
    # checked only once all else is right, would never be looked at.
    data["consent"] = "on"
    entry = PlanEntry(plan.program, plan=plan, data=data, mode=Mode.SUBMIT)
    entry.is_valid()
    missing = {
        step_of_field(name) for name in entry.form.errors if name not in ("__all__", "consent")
    }
    missing |= {STEP_BY_SLUG["budget"] for _ in entry.formsets_with_errors}
    if entry.budget_error:
        missing.add(STEP_BY_SLUG["budget"])
    missing.discard(None)
    for index, step in enumerate(STEPS):
        if step in missing:
            _reach(request, plan, index)
            return redirect(_step_url(plan, step))
    _reach(request, plan, CHECK_INDEX)
    return redirect("salons:plan_check", pk=plan.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("plan_form", limit=PLAN_POST_LIMIT)
@formtokens.binds_tokens
def plan_step(request, pk, step):
    current = STEP_BY_SLUG.get(step)
    plan = plan_for_applicant(
        request, pk, ActivityPlan.objects.select_related("program", "salon"), for_writing=True
    )
    if current is None:
        raise Http404
    if not plan.is_editable_by_applicant:
        return _sent_already(request, plan)
    if request.method == "POST":
        return _step_post(request, plan.program, plan=plan, step=current)
    _reach(request, plan, STEPS.index(current))
    return _render_step(
        request,
        PlanEntry(plan.program, plan=plan),
        current,
        token=formtokens.issue(request),
        from_check=request.GET.get("from") == "check",
    )


def _sent_already(request, plan):
    messages.info(
        request,
        "この活動計画書はすでに提出されているため、直すことはできません。"
        "直したいところがあるときは、社協へお問い合わせください。",
    )
    return redirect("salons:plan_detail", pk=plan.pk)


def _render_first_step(request, program):
    entry = PlanEntry(program, initial={"kind": "", "requests_grant": True})
    return _render_step(request, entry, STEPS[0], token=formtokens.issue(request))


def _step_post(request, program, *, plan, step: Step):
    action = request.POST.get("action")
    # Enter in a text field presses the page's first button: 「次へ」, or on the budget
    # step 「助成額を計算する」.
    action = action if action in STEP_ACTIONS else "next"
    token = formtokens.posted(request)
    try:
        plan = _page_plan(request, token=token, program=program, plan=plan)
    except AlreadySent as sent:
        return _go_to_sent(request, sent.plan)
    if plan is not None and not plan.is_editable_by_applicant:
        return _sent_already(request, plan)
    # The other steps' fields are not on this page: they come from the stored draft.
    data = merge_step(plan_as_data(plan, program), step, request.POST)
    entry = PlanEntry(program, plan=plan, data=data, files=request.FILES, mode=Mode.DRAFT)
    # 「助成額を計算する」 keeps nothing (it may come before the 利用目的 notice): the step
    # comes back with what was typed and the figure for it.
    from_check = request.POST.get("from") == "check"
    if not entry.is_valid() or action == "estimate":
        return _render_step(
            request, entry, step, token=token or formtokens.issue(request), from_check=from_check
        )
    try:
        # The link is mailed when the draft is first made and when 「下書きを保存する」 is
        # pressed, not at every step.
        draft = save_draft(
            program=program,
            data=entry.plan_input(),
            form_token=token,
            send_link=action == "draft" or plan is None,
        )
    except AlreadySent as sent:
        return _go_to_sent(request, sent.plan)
    except StalePlan:
        return _stale(request, entry.plan)
    except StorageUnavailable as error:
        entry.form.add_error(None, str(error))
        return _render_step(
            request, entry, step, token=token or formtokens.issue(request), from_check=from_check
        )
    if plan is None:
        grant_access(request, draft.plan)
    plan = draft.plan
    index = STEPS.index(step)
    if action == "draft":
        request.session[RESUME_LINK_KEY] = {"pk": plan.pk, "token": draft.resume_token}
        messages.success(request, "下書きを保存しました。まだ提出は終わっていません。")
        return redirect(_step_url(plan, step))
    messages.success(request, f"「{step.title}」の内容を下書きに保存しました。")
    if from_check and action == "next" and _furthest(request, plan) >= CHECK_INDEX:
        # Sent here by a 「変更」 link: straight back to the answers.
        return redirect("salons:plan_check", pk=plan.pk)
    if action == "back" and index > 0:
        return redirect(_step_url(plan, STEPS[index - 1]))
    if action == "back":
        return redirect(_step_url(plan, step))
    if index + 1 < len(STEPS):
        _reach(request, plan, index + 1)
        return redirect(_step_url(plan, STEPS[index + 1]))
    _reach(request, plan, CHECK_INDEX)
    return redirect("salons:plan_check", pk=plan.pk)


def _applicant_notices(request, plan, *, bound: bool) -> dict:
    """The resume link (once), the reason of a return, and a missing 実績報告."""
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
        if not bound and plan.salon_id:
            blocking = missing_report(plan.program, plan.salon)
    return {
        "resume_link": resume_link,
        "returned": returned,
        "blocking_message": missing_report_message(blocking) if blocking else "",
    }


def _error_items(entry: PlanEntry, plan, here: Step | None) -> list[dict]:
    """The error summary's lines: each links to its field, on this page or on its step."""

    def href(name, anchor):
        step = step_of_field(name)
        if step is None or step == here or plan is None:
            return f"#{anchor}"
        # From the check page, the step's 「次へ」 leads back to it.
        back = "?from=check" if here is None else ""
        return f"{_step_url(plan, step)}{back}#{anchor}"

    items = []
    form = entry.form
    for error in form.non_field_errors():
        link = ""
        if error == entry.budget_error and plan is not None and here is None:
            link = _step_url(plan, STEP_BY_SLUG["budget"]) + "?from=check"
        items.append({"text": error, "href": link})
    for field in form:
        for error in field.errors:
            items.append(
                {
                    "text": f"{_summary_label(field.name, field.label)}: {error}",
                    "href": href(field.name, f"{field.auto_id}_field"),
                }
            )
    for formset in entry.formsets_with_errors:
        for error in formset.non_form_errors():
            items.append({"text": error, "href": href(formset.prefix, f"{formset.prefix}-rows")})
        for number, row in enumerate(formset.forms, start=1):
            for field in row:
                for error in field.errors:
                    items.append(
                        {
                            "text": f"{formset.prefix_label}{number}行目 {field.label}: {error}",
                            "href": href(formset.prefix, f"{field.auto_id}_field"),
                        }
                    )
    return items


def _estimate_base(data) -> str:
    """What the live estimate needs from the other steps, for plan-form.js to start from."""
    keys = ("kind", "sessions_planned", "expected_participants", "first_session_on")
    return urlencode({key: "" if data.get(key) is None else data.get(key) for key in keys})


def _render_step(request, entry: PlanEntry, step: Step, *, token: str, from_check=False):
    plan, program, form = entry.plan, entry.program, entry.form
    form.helper = form.build_helper(step.slug)
    index = STEPS.index(step)
    if form.is_bound:
        stored = form.data
    elif plan is not None:
        stored = {
            "kind": plan.kind,
            "sessions_planned": plan.sessions_planned,
            "expected_participants": plan.expected_participants,
            "first_session_on": plan.first_session_on,
        }
    else:
        stored = {}
    if form.is_bound:
        estimate = estimate_from(program, form.data, requested="requests_grant" in form.data)
    elif plan is not None:
        estimate = estimate_for_plan(plan)
    else:
        estimate = estimate_from(program, {}, requested=True)
    files_chosen = bool(request.FILES.getlist("attachments")) if form.is_bound else False
    action_url = _step_url(plan, step) if plan is not None else reverse("salons:plan_new")
    return render(
        request,
        "salons/plan_step.html",
        {
            "program": program,
            "plan": plan,
            "entry": entry,
            "form": form,
            "step": step,
            "step_number": index + 1,
            "step_total": CHECK_INDEX + 1,
            "progress": _progress(request, plan, index),
            "previous_step": STEPS[index - 1] if index > 0 else None,
            "last_step": index + 1 == len(STEPS),
            "from_check": from_check and plan is not None,
            "action_url": action_url,
            "has_errors": entry.has_errors,
            "errors": _error_items(entry, plan, step) if entry.has_errors else [],
            "income": entry.income,
            "expense": entry.expense,
            "income_total": entry.income.typed_total(),
            "expense_total": entry.expense.typed_total(),
            "estimate": estimate,
            "estimate_base": _estimate_base(stored),
            "submission_token": token,
            **_applicant_notices(request, plan, bound=form.is_bound),
            # Browsers cannot put chosen files back into a re-shown form.
            "files_dropped": files_chosen and entry.has_errors,
            "attachments": list(plan.attachments.all()) if plan is not None else [],
        },
    )


# --- the check-your-answers page --------------------------------------------------------

# Labels that need their part's name when read out of the form's headings.
SUMMARY_LABELS = {
    "kind": "区分",
    "salon": "サロン",
    "representative_name": "代表者の氏名",
    "representative_reading": "代表者のよみがな",
    "representative_phone": "代表者の電話番号",
    "representative_email": "代表者のメールアドレス",
    "representative_postal_code": "代表者の郵便番号",
    "representative_address": "代表者の住所",
    "activity_types": "活動内容（種類）",
}


def _summary_label(name: str, label) -> str:
    return SUMMARY_LABELS.get(name, str(label))


def _count(value, unit):
    return "" if value is None else f"{value:,}{unit}"


def _summary_rows(plan: ActivityPlan, step: Step, form: PlanForm) -> list[dict]:
    """What the check page lists for `step`: label, value as text, the field to change."""

    def row(name, value, *, multiline=False):
        return {
            "name": name,
            "label": _summary_label(name, form.fields[name].label),
            "value": value,
            "multiline": multiline,
            "anchor": f"id_{name}_field",
        }

    if step.slug == "salon":
        rows = [row("kind", plan.get_kind_display() if plan.kind else "")]
        if plan.kind != PlanKind.NEW:
            rows.append(row("salon", plan.salon.name if plan.salon else ""))
        if plan.kind in (PlanKind.NEW, ""):
            rows += [
                row("salon_name", plan.salon_name),
                row("salon_reading", plan.salon_reading),
                row("district", plan.district.name if plan.district else ""),
            ]
        rows += [
            row("target_groups", "、".join(group.name for group in plan.target_groups.all())),
            row("activity_types", "、".join(kind.name for kind in plan.activity_types.all())),
        ]
        rows += [
            row(name, getattr(plan, name))
            for name in (
                "representative_name",
                "representative_reading",
                "representative_phone",
                "representative_email",
                "representative_postal_code",
                "representative_address",
            )
        ]
        return rows
    if step.slug == "schedule":
        rows = [
            row("venue_name", plan.venue_name),
            row("venue_address", plan.venue_address),
            row("frequency", plan.get_frequency_display()),
        ]
        if plan.frequency == Frequency.MONTHLY:
            rows.append(row("weeks_of_month", "・".join(f"第{n}" for n in plan.weeks)))
        if plan.frequency in (Frequency.MONTHLY, Frequency.WEEKLY):
            rows.append(
                row("weekday", plan.get_weekday_display() if plan.weekday is not None else "")
            )
        rows += [
            row("starts_at", format_time(plan.starts_at) if plan.starts_at else ""),
            row("ends_at", format_time(plan.ends_at) if plan.ends_at else ""),
            row("schedule_note", plan.schedule_note),
            row(
                "first_session_on",
                format_date(plan.first_session_on) if plan.first_session_on else "",
            ),
            row(
                "last_session_on", format_date(plan.last_session_on) if plan.last_session_on else ""
            ),
            row("sessions_planned", _count(plan.sessions_planned, "回")),
        ]
        return rows
    if step.slug == "activity":
        return [
            row("expected_participants", _count(plan.expected_participants, "人")),
            row("expected_helpers", _count(plan.expected_helpers, "人")),
            row("content", plan.content, multiline=True),
        ]
    if step.slug == "budget":
        return [row("requests_grant", "申請する" if plan.requests_grant else "申請しない")]
    return []


def _render_check(request, plan: ActivityPlan, *, entry=None, token: str, status=200):
    plan = (
        ActivityPlan.objects.select_related("program", "salon", "district")
        .prefetch_related("target_groups", "activity_types", "budget_lines", "attachments")
        .get(pk=plan.pk)
    )
    consent_form = (
        entry.form if entry is not None else PlanForm(instance=plan, program=plan.program)
    )
    groups = [
        {
            "step": step,
            "number": index + 1,
            "url": _step_url(plan, step) + "?from=check",
            "rows": _summary_rows(plan, step, consent_form),
        }
        for index, step in enumerate(STEPS)
    ]
    income = [line for line in plan.budget_lines.all() if line.side == BudgetSide.INCOME]
    expense = [line for line in plan.budget_lines.all() if line.side == BudgetSide.EXPENSE]
    mismatch = plan_grant_mismatch(plan)
    return render(
        request,
        "salons/plan_check.html",
        {
            "program": plan.program,
            "plan": plan,
            "form": consent_form,
            "groups": groups,
            "progress": _progress(request, plan, CHECK_INDEX),
            "step_number": CHECK_INDEX + 1,
            "step_total": CHECK_INDEX + 1,
            "budget_url": _step_url(plan, STEP_BY_SLUG["budget"]) + "?from=check",
            "income": income,
            "expense": expense,
            "income_total": sum(line.amount for line in income),
            "expense_total": sum(line.amount for line in expense),
            "estimate": estimate_for_plan(plan),
            "mismatch": mismatch,
            "attachments": list(plan.attachments.all()),
            "has_errors": entry is not None and entry.has_errors,
            "errors": _error_items(entry, plan, None) if entry is not None else [],
            "submission_token": token,
            **_applicant_notices(request, plan, bound=entry is not None),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("plan_form", limit=PLAN_POST_LIMIT)
@formtokens.binds_tokens
def plan_check(request, pk):
    plan = plan_for_applicant(
        request, pk, ActivityPlan.objects.select_related("program", "salon"), for_writing=True
    )
    if request.method != "POST":
        if not plan.is_editable_by_applicant:
            return _sent_already(request, plan)
        _reach(request, plan, CHECK_INDEX)
        return _render_check(request, plan, token=formtokens.issue(request))

    token = formtokens.posted(request)
    if not plan.is_editable_by_applicant:
        # The second click of 「提出する」, or the back button after sending.
        return _go_to_sent(request, plan)
    try:
        plan_for_form_token(token=token, program=plan.program, plan=plan)
    except AlreadySent as sent:
        return _go_to_sent(request, sent.plan)
    # Everything as stored, checked strictly; only the consent and honeypot are on this page.
    data = plan_as_data(plan, plan.program)
    for name in ("consent", "website"):
        if name in request.POST:
            data[name] = request.POST.get(name, "")
    entry = PlanEntry(plan.program, plan=plan, data=data, mode=Mode.SUBMIT)
    if not entry.is_valid():
        return _render_check(request, plan, entry=entry, token=token or formtokens.issue(request))
    cleaned = entry.form.cleaned_data
    salon = cleaned.get("salon") if cleaned.get("kind") != PlanKind.NEW else None
    try:
        check_can_submit(program=plan.program, plan=plan, salon=salon)
        sent = save_and_submit(program=plan.program, data=entry.plan_input(), form_token=token)
    except AlreadySent as already:
        return _go_to_sent(request, already.plan)
    except StalePlan:
        return _stale(request, plan)
    except WorkflowError as error:
        entry.form.add_error(None, str(error))
        return _render_check(request, plan, entry=entry, token=token or formtokens.issue(request))
    grant_access(request, sent)
    return redirect("salons:plan_done", pk=sent.pk)
