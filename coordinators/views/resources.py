"""The 地域資源マップ: /resources/, each resource's page, and the map's markers.

The list is complete without JavaScript. The map is an enhancement: the page
names the tile server, and only when a resident presses 地図で見る does the
script load Leaflet, ask map.json for the markers of the same search and
fetch tiles, so no page contacts another host on its own.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from coordinators.choices import public_districts
from coordinators.directory import (
    ENTRIES_PER_PAGE,
    Vocabulary,
    entries,
    entry_keys,
    map_points,
    resource_for_page,
)
from coordinators.forms.resources import ResourceFilterForm
from shakyo_portal.core.links import map_url, without


def filter_form(request):
    """The search as sent; its choices cost three queries (categories, scenes, districts)."""
    vocabulary = Vocabulary.load()
    form = ResourceFilterForm(request.GET, vocabulary=vocabulary, districts=public_districts())
    form.is_valid()
    return form, vocabulary


@require_safe
def resource_list(request):
    """Resources and salons, filtered by category, life scene and district.

    Queries, whatever the data size: the form's three lists; the count and the
    page of (reading, kind, pk), one UNION each; the page's resources, their
    life scenes and the page's salons.
    """
    form, vocabulary = filter_form(request)
    page = Paginator(entry_keys(form.filters()), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    active = [
        (words, without(request, param, value)) for param, value, words in form.active_filters()
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/index.html",
        {
            "form": form,
            "page": page,
            "entries": entries(page.object_list, vocabulary),
            "active_filters": active,
            "map_query": query.urlencode(),
            "map_tiles": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_TILE_ATTRIBUTION,
            "map_attribution_url": settings.MAP_TILE_ATTRIBUTION_URL,
        },
    )


@require_safe
def resource_map(request):
    """The markers of a search: the form's three lists and one query of positions."""
    form, vocabulary = filter_form(request)
    return JsonResponse(
        map_points(form.filters(), vocabulary), json_dumps_params={"ensure_ascii": False}
    )


@require_safe
def resource_detail(request, pk):
    """One resource: what it is, where and when, the help it offers and how to ask.

    Queries: the resource with category, district and offices; its life scenes.
    """
    resource = resource_for_page(pk)
    if resource is None:
        raise Http404("地域資源が見つかりません。")
    office = resource.district.contact_office if resource.district else None
    has_contact = any(
        [resource.contact_name, resource.contact_phone, resource.contact_email, resource.website]
    )
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "office": office,
            "has_contact": has_contact,
            "map_url": map_url(resource),
            "page_updated": resource.updated_at,
            "page_office": office,
        },
    )
