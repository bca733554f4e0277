"""Salons shown on other apps' pages: {% load salons %}.

The districts app knows nothing of salons; its page loads this library and
asks for the district's salons, so the query stays here.
"""

from django import template
from django.utils import timezone

from salons.models import Salon, add_coming, changes_prefetch

register = template.Library()

# A district page lists this many; the directory, linked below the list, has them all.
DISTRICT_SALONS_SHOWN = 10


@register.inclusion_tag("salons/includes/district_salons.html")
def district_salons(district, shown=DISTRICT_SALONS_SHOWN):
    """The salons one can go to in `district` and its sub-districts, each with
    its next date: two queries (the salons, their 休み・中止).

    One row more than is shown is read, to know whether to say there are more.
    """
    today = timezone.localdate()
    salons = list(
        Salon.objects.listed()
        .in_district(district)
        .select_related("district")
        .prefetch_related(changes_prefetch(today))[: shown + 1]
    )
    return {
        "district": district,
        "salons": add_coming(salons[:shown], today=today, count=1),
        "has_more": len(salons) > shown,
    }
