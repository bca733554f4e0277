"""The public salon directory: /salons/ and each salon's page.

Neither page shows anything of the organiser: the public asks the 社協 office,
which passes the message on.
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from districts.models import District
from salons.forms.directory import SalonFilterForm
from salons.models import (
    ActivityReport,
    ReportStatus,
    Salon,
    SalonActivityType,
    SalonStatus,
    TargetGroup,
    add_coming,
    changes_prefetch,
)
from shakyo_portal.core.links import map_url, without

SALONS_PER_PAGE = 20
# The salon page shows the totals of this many recent 年度.
YEARS_SHOWN = 3


@require_safe
def salon_list(request):
    """Salons one can go to, searched and filtered by the GET form.

    Queries, whatever the data size: the form's districts, target groups and
    activity types; the count; the page of salons with their districts; and
    the page's target groups, activity types and 休み・中止 (three prefetches).
    Each card says when the salon meets next.
    """
    today = timezone.localdate()
    form = SalonFilterForm(
        request.GET,
        # Only what the choices and the chosen one's filter read, as plain rows:
        # a large council has some hundreds of districts.
        districts=list(
            District.objects.public().values_list("pk", "name", "slug", "parent_id", named=True)
        ),
        target_groups=list(TargetGroup.objects.all()),
        activity_types=list(SalonActivityType.objects.all()),
    )
    form.is_valid()
    salons = form.filter(
        Salon.objects.listed()
        .select_related("district")
        .prefetch_related("target_groups", "activity_types", changes_prefetch(today))
    )
    page = Paginator(salons, SALONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = add_coming(list(page.object_list), today=today, count=1)
    active = [
        (words, without(request, param, value)) for param, value, words in form.active_filters()
    ]
    return render(
        request,
        "salons/salon_list.html",
        {"form": form, "page": page, "salons": page.object_list, "active_filters": active},
    )


@require_safe
def salon_detail(request, pk):
    """One salon: when, where, what, for whom, and whom to ask.

    A closed salon's page still loads (old links, printed leaflets) and says so;
    a salon of a hidden district is not found. Queries: the salon with its
    district and office; target groups, activity types, photos, 休み・中止 and
    the 地域資源 that stop there; the yearly totals.
    """
    today = timezone.localdate()
    salon = get_object_or_404(
        Salon.objects.public()
        .select_related("district__office", "district__parent__office")
        .prefetch_related(
            "target_groups",
            "activity_types",
            Prefetch("photos", to_attr="photo_list"),
            changes_prefetch(today),
            *stopping_resources(),
        ),
        pk=pk,
    )
    add_coming([salon], today=today)
    office = salon.district.contact_office
    return render(
        request,
        "salons/salon_detail.html",
        {
            "salon": salon,
            "office": office,
            "yearly_totals": yearly_totals(salon),
            "map_url": map_url(salon),
            "is_closed": salon.status == SalonStatus.CLOSED,
            "page_updated": max(
                [salon.updated_at, *(change.updated_at for change in salon.change_list)]
            ),
            "page_office": office,
        },
    )


def stopping_resources() -> list[Prefetch]:
    """The public 地域資源 that stop at a salon (a 移動販売 at its venue), as
    `salon.resource_list`.

    They belong to the coordinators app, a floor above this one: they are reached
    by the name of its relation to Salon and asked for their own `public()` rows,
    never imported. Without that app there is simply nothing to list.
    """
    try:
        relation = Salon._meta.get_field("resources")
    except FieldDoesNotExist:
        return []
    resources = relation.related_model.objects.public().select_related("category")
    return [
        Prefetch("resources", queryset=resources.order_by("reading", "pk"), to_attr="resource_list")
    ]


def yearly_totals(salon) -> list[dict]:
    """Sessions held and participants of the latest confirmed report of each recent 年度.

    One query; a salon has at most a few reports a year, so a few rows per year
    shown are read and the newest of each 年度 kept.
    """
    rows = (
        ActivityReport.objects.filter(plan__salon=salon, status=ReportStatus.CONFIRMED)
        .order_by("-plan__program__fiscal_year", "-confirmed_at", "-pk")
        .values("plan__program__fiscal_year", "sessions_held", "total_participants")[
            : YEARS_SHOWN * 5
        ]
    )
    totals = {}
    for row in rows:
        fy = row["plan__program__fiscal_year"]
        if fy not in totals and len(totals) < YEARS_SHOWN:
            totals[fy] = {
                "fiscal_year": fy,
                "sessions_held": row["sessions_held"],
                "total_participants": row["total_participants"],
            }
    return list(totals.values())
