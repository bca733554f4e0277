from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from districts.areas import GYO, gyo_of
from districts.models import ActivityType, District, DistrictArea, WelfareCommitteeMember
from shakyo_portal.core.kana import reading_sort_key

DISTRICTS_PER_PAGE = 50
MEMBERS_PER_PAGE = 30


def district_list(request):
    """All districts, in the council's order or (?order=kana) in 50音 order."""
    districts = District.objects.for_index()
    by_reading = request.GET.get("order") == "kana"
    if by_reading:
        # The database cannot sort in 50音 order (が after か, not after き),
        # so this one order is done here; it reads every public district once.
        districts = sorted(districts, key=lambda d: reading_sort_key(d.reading))
    page = Paginator(districts, DISTRICTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = WelfareCommitteeMember.objects.count_by_district(page.object_list)
    return render(
        request,
        "districts/district_list.html",
        {
            "page": page,
            "by_reading": by_reading,
            "districts": [(d, counts.get(d.pk, 0)) for d in page.object_list],
            "page_updated": _latest(page.object_list),
        },
    )


def district_detail(request, slug):
    district = get_object_or_404(District.objects.for_detail(), slug=slug)
    members = WelfareCommitteeMember.objects.filter(district=district).current()
    published = Paginator(
        sorted(members.published(), key=lambda m: reading_sort_key(m.reading)), MEMBERS_PER_PAGE
    )
    areas = sorted(
        DistrictArea.objects.for_district_page(district),
        key=lambda a: (a.display_order, reading_sort_key(a.reading), a.note, a.pk),
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
    rows = []
    for district in page.object_list:
        by_type = {}
        for activity in district.activities.all():
            by_type.setdefault(activity.activity_type_id, []).append(activity.name)
        if selected is not None:
            rows.append((district, by_type.get(selected.pk, [])))
        else:
            rows.append((district, [by_type.get(t.pk, []) for t in activity_types]))
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
        key=lambda a: (
            reading_sort_key(a.reading),
            a.name,
            a.district.display_order,
            a.note,
            a.pk,
        ),
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
            "page_updated": _latest(area.district for area in areas),
        },
    )


def _latest(districts):
    """When the newest of these districts changed: a list page's 更新日."""
    return max((district.updated_at for district in districts), default=None)
