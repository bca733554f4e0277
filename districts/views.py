from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from districts.areas import GYO, gyo_of, sort_key
from districts.models import (
    Activity,
    ActivityType,
    District,
    DistrictArea,
    WelfareCommitteeMember,
)

DISTRICTS_PER_PAGE = 50
MEMBERS_PER_PAGE = 30


def district_list(request):
    """All districts, in the council's order or (?order=kana) in 50音 order."""
    districts = District.objects.for_index()
    by_reading = request.GET.get("order") == "kana"
    if by_reading:
        # The database cannot sort in 50音 order (が after か, not after き),
        # so this one order is done here; it reads every public district once.
        districts = sorted(districts, key=lambda d: sort_key(d.reading))
    page = Paginator(districts, DISTRICTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    counts = WelfareCommitteeMember.objects.count_by_district(shown)
    return render(
        request,
        "districts/district_list.html",
        {
            "page": page,
            "by_reading": by_reading,
            "districts": [(d, counts.get(d.pk, 0)) for d in shown],
            "page_updated": _latest(shown),
        },
    )


def district_detail(request, slug):
    district = get_object_or_404(District.objects.for_detail(), slug=slug)
    members = WelfareCommitteeMember.objects.filter(district=district).current()
    # Ordered by reading here too, not by the model's order, which begins with
    # the district and would join its table to sort by a constant.
    published = Paginator(
        sorted(members.published().order_by("reading", "pk"), key=lambda m: sort_key(m.reading)),
        MEMBERS_PER_PAGE,
    )
    areas = sorted(
        DistrictArea.objects.for_district_page(district),
        key=lambda a: (a.display_order, sort_key(a.reading), a.note, a.pk),
    )
    # A parent's page lists its own areas, then each sub-district's under its name.
    own = [area for area in areas if area.district_id == district.pk]
    by_child = [
        (child, [area for area in areas if area.district_id == child.pk])
        for child in district.public_children
    ]
    return render(
        request,
        "districts/district_detail.html",
        {
            "district": district,
            # In the order staff entered them, not regrouped by type: the district
            # lists what it does as it describes itself (the matrix groups by type).
            "activities": district.activities.all(),
            "member_count": members.count(),
            "published_members": published.get_page(request.GET.get("members_page")),
            "areas": own,
            "child_areas": [(child, rows) for child, rows in by_child if rows],
            "page_updated": district.updated_at,
            "page_office": district.contact_office,
        },
    )


def activity_matrix(request):
    """Which districts run which activities: a table, or with ?type= one type's districts."""
    activity_types = list(ActivityType.objects.in_use())
    selected = next((t for t in activity_types if t.slug == request.GET.get("type")), None)
    page = Paginator(District.objects.for_matrix(selected), DISTRICTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    activities = Activity.objects.all()
    if selected is not None:
        activities = activities.filter(activity_type=selected)
    names = activities.names_by(page.object_list)
    # Each cell's names joined here, once, rather than by a filter in each of
    # the table's cells ("、" needs no escaping, so the page is the same).
    if selected is not None:
        rows = [(d, "、".join(names.get((d.pk, selected.pk), []))) for d in page.object_list]
    else:
        rows = [
            (d, ["、".join(names.get((d.pk, t.pk), [])) for t in activity_types])
            for d in page.object_list
        ]
    return render(
        request,
        "districts/activity_matrix.html",
        {
            "activity_types": activity_types,
            "selected": selected,
            "rows": rows,
            "page": page,
            "page_updated": _latest(page.object_list),
        },
    )


def area_index(request):
    """Every 町名 a district serves, in 50音 order under its 行, each leading to its
    district: one query, read whole (a city has some hundreds of 町名, not more),
    since the database cannot sort in 50音 order (see district_list)."""
    areas = sorted(
        DistrictArea.objects.for_index(),
        key=lambda a: (sort_key(a.reading), a.name, a.district_order, a.note, a.pk),
    )
    grouped = {}
    for area in areas:
        grouped.setdefault(gyo_of(area.reading), []).append(area)
    groups = [(gyo, grouped[gyo]) for gyo in (*GYO, gyo_of("")) if gyo in grouped]
    return render(
        request,
        "districts/area_index.html",
        {
            "groups": groups,
            "jump": [(gyo, gyo in grouped) for gyo in GYO],
            "area_count": len(areas),
            "page_updated": max((area.district_updated_at for area in areas), default=None),
        },
    )


def _latest(districts):
    """When the newest of these districts changed: a list page's 更新日."""
    return max((district.updated_at for district in districts), default=None)
