"""The 協議体 pages residents read: the list, a council, a meeting, its
materials, and the calendar feeds of meetings.

Nothing here reads a meeting's staff notes or a representative's name that was
not consented to; the templates are given only what may be shown.
"""

import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from councils.feeds import meetings_calendar
from councils.forms import CouncilFilterForm
from councils.models import (
    MONTHS_IN_FISCAL_ORDER,
    AnnualPlanItem,
    Council,
    Layer,
    Meeting,
    MeetingMaterial,
    MemberRole,
)
from districts.models import District
from shakyo_portal.core.calendars import calendar_response as ical_response
from shakyo_portal.core.fiscal import fiscal_year
from shakyo_portal.core.links import UrlPattern
from shakyo_portal.core.models import SiteProfile

COUNCILS_PER_PAGE = 30
MEETINGS_PER_PAGE = 20
# Registered meetings a council's page lists before the archive takes over.
COMING_MEETINGS_LISTED = 6


@require_safe
def council_list(request):
    """Layer 1, then the layer-2 councils with their areas and next dates;
    ?district= keeps layer 1 and the councils that cover that district.

    Queries: the districts for the chooser; the count; the page of councils
    with their areas; the areas' districts; the councils' next meetings.
    """
    # The chooser names the top-level districts, as life areas list them: plain
    # rows with what the chooser and covering() read, for some hundreds of them.
    districts = list(
        District.objects.public()
        .top_level()
        .values_list("pk", "slug", "name", "parent_id", named=True)
    )
    form = CouncilFilterForm(
        request.GET if "district" in request.GET else None, districts=districts
    )
    councils = Council.objects.for_index()
    selected = None
    if form.is_bound and form.is_valid() and form.cleaned_data["district"]:
        selected = next(d for d in districts if d.slug == form.cleaned_data["district"])
        councils = councils.filter(
            Q(layer=Layer.CITY) | Q(pk__in=Council.objects.covering(selected).values("pk"))
        )
    page = Paginator(councils, COUNCILS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    entries = [
        (council, council.next_date(council.upcoming_meetings, today=today))
        for council in page.object_list
    ]
    return render(
        request,
        "councils/council_list.html",
        {
            "form": form,
            "selected": selected,
            "page": page,
            "city": [entry for entry in entries if entry[0].layer == Layer.CITY],
            "areas": [entry for entry in entries if entry[0].layer == Layer.AREA],
        },
    )


def member_groups(members) -> list[tuple[str, list]]:
    """Members under their roles, in staff's order within each; members whose
    role the council has not published come last under no heading (label "")
    — or alone, in staff's order, when no role is given at all."""
    groups = [
        (label, [m for m in members if m.role == role])
        for role, label in MemberRole.choices
        if any(m.role == role for m in members)
    ]
    unassigned = [m for m in members if not m.role]
    return [*groups, ("", unassigned)] if unassigned else groups


@require_safe
def council_detail(request, slug):
    """Purpose, members by role, the regular schedule and the coming dates, the
    annual plan, and the archive of meetings by 年度.

    Queries: the council with its area and office; the area's districts; its
    current members; its coming meetings; the archive's count and page; its
    annual plans; the shown plan's rows.
    """
    council = get_object_or_404(Council.objects.for_detail(), slug=slug)
    today = timezone.localdate()
    # Each query keeps to one council (or plan): ordering by it, as the models'
    # own orders begin, would only join its table to sort by a constant.
    members = list(council.members.current(today).order_by("display_order", "pk"))
    coming = list(
        council.meetings.upcoming().order_by("held_on", "starts_at", "pk")[:COMING_MEETINGS_LISTED]
    )
    archive = Paginator(
        council.meetings.archived(today).order_by("-held_on", "-starts_at", "-pk"),
        MEETINGS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    plans = list(council.annual_plans.order_by("-fiscal_year"))
    plan = chosen_plan(plans, request.GET.get("plan", ""), today)
    coming_dates = council.coming_dates(coming, today=today)
    rows = plan_rows(plan)
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            "member_groups": member_groups(members),
            "coming": coming_dates,
            "coming_has_expected": any(entry.is_expected for entry in coming_dates),
            "archive": archive,
            "plans": plans,
            "plan": plan,
            "plan_rows": rows,
            "plan_groups": plan_groups(rows),
            "plan_has_groups": any(row[0].group.strip() for row in rows),
            "plan_months": MONTHS_IN_FISCAL_ORDER,
            # A council keeps no date of its last change, so the page claims none.
            "page_office": council.office,
        },
    )


def plan_rows(plan) -> list:
    """[(item, its month spans, whether any month has something)]: one query."""
    if plan is None:
        return []
    rows = []
    for item in AnnualPlanItem.objects.filter(plan=plan).order_by("display_order", "pk"):
        spans = item.spans()
        rows.append((item, spans, any(span.text for span in spans)))
    return rows


def plan_groups(rows) -> list[tuple[str, list]]:
    """The rows in runs as the table shows them: consecutive rows under the
    same 区分 make one run, under one heading; rows without one make runs of
    their own, shown as before. Staff's order decides, so a 区分 that comes
    back later in the list is a second run, not rows moved up."""
    runs: list[tuple[str, list]] = []
    for row in rows:
        group = row[0].group.strip()
        if runs and runs[-1][0] == group:
            runs[-1][1].append(row)
        else:
            runs.append((group, [row]))
    return runs


def chosen_plan(plans, requested: str, today):
    """The plan of ?plan=2025 if there is one; else this 年度's; else the
    newest that has begun; else the first one to come."""
    if not plans:
        return None
    by_year = {plan.fiscal_year: plan for plan in plans}
    if re.fullmatch(r"[0-9]{4}", requested) and int(requested) in by_year:
        return by_year[int(requested)]
    current = fiscal_year(today)
    begun = [plan for plan in plans if plan.fiscal_year <= current]
    return by_year.get(current) or (begun[0] if begun else plans[-1])


@require_safe
def meeting_detail(request, slug, pk):
    """One meeting, whatever became of it: a cancelled or postponed one says so
    first, with the reason and what replaced it."""
    # The council's office comes in the same query: it is the page's 担当.
    meeting = get_object_or_404(
        Meeting.objects.for_detail().select_related("council__office"), pk=pk, council__slug=slug
    )
    return render(
        request,
        "councils/meeting_detail.html",
        {
            "meeting": meeting,
            "council": meeting.council,
            "page_updated": meeting.updated_at,
            "page_office": meeting.council.office,
        },
    )


@require_safe
def material(request, slug, pk, material_pk):
    """A meeting's PDF, as a download named after its title.

    Uploaded PDFs are only ever served as attachments (shakyo_portal/core/uploads.py).
    """
    material = get_object_or_404(
        MeetingMaterial.objects.filter(meeting__council__is_public=True),
        pk=material_pk,
        meeting_id=pk,
        meeting__council__slug=slug,
    )
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404("資料のファイルが見つかりません。") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{material.title}.pdf",
        content_type="application/pdf",
    )


@require_safe
def calendar_all(request):
    """Every public council's meetings, for a calendar app to subscribe to."""
    profile = SiteProfile.objects.first()
    prefix = f"{profile.short_name} " if profile else ""
    return calendar_response(
        request,
        Meeting.objects.for_feed(),
        key="councils",
        name=f"{prefix}協議体の会議",
        about="協議体（第1層・第2層）の会議の予定です。中止・延期になった会議も「中止」と表示されます。",
        filename="councils.ics",
    )


@require_safe
def calendar_council(request, slug):
    """One council's meetings."""
    council = get_object_or_404(Council.objects.public(), slug=slug)
    return calendar_response(
        request,
        Meeting.objects.filter(council=council).for_feed(),
        key=f"council-{council.pk}",
        name=f"{council.display_name}の会議",
        about=f"{council.display_name}の会議の予定です。{council.schedule_label}",
        filename=f"{council.slug}.ics",
    )


def meeting_urls(request):
    """meeting -> the absolute URL of its page, as
    request.build_absolute_uri(meeting.get_absolute_url()) gives it, for a feed
    of some hundreds (core.links.UrlPattern)."""
    origin = request.build_absolute_uri("/").removesuffix("/")
    page = UrlPattern("councils:meeting", "slug", "pk")

    def url(meeting):
        return origin + page(meeting.council.slug, meeting.pk)

    return url


def calendar_response(request, meetings, *, key, name, about, filename):
    body = meetings_calendar(
        meetings,
        key=key,
        name=name,
        about=about,
        host=settings.SITE_HOST,
        url_for=meeting_urls(request),
    )
    return ical_response(body, filename=filename)
